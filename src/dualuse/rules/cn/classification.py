"""Is an item on one of China's dual-use lists in force on the date, and under which code?

List provisions name their algorithm ``listed_items``: entries match on the item's
substance and form (``*`` for every form). An item no list in force names is said to be
unlisted, with a pointer to any list that names it but is not in force that day
(not yet effective, or suspended).
"""

from __future__ import annotations

from typing import Any

from dualuse.explain.notice import Notice
from dualuse.items import ItemFacts, MaterialFacts
from dualuse.rulebooks import ActiveProvision, ResolvedRules, load_registry
from dualuse.rulebooks.summary import status_label
from dualuse.rules.outcome import NOT_CONTROLLED, ItemClass

LISTED_ITEMS = "listed_items"


def list_provisions(rules: ResolvedRules) -> list[ActiveProvision]:
    return rules.with_algorithm(LISTED_ITEMS)


def matches(entry: dict[str, Any], facts: MaterialFacts) -> bool:
    forms: list[str] = entry.get("forms", ["*"])
    return bool(entry["substance"] == facts.substance and ("*" in forms or facts.form in forms))


def classify(facts: ItemFacts, rules: ResolvedRules) -> ItemClass:
    if isinstance(facts, MaterialFacts):
        if facts.form is None:
            unformed = _substance_listed(facts, rules)
            if unformed is not None:
                return unformed
        for provision in list_provisions(rules):
            for entry in provision.get("entries"):
                if matches(entry, facts):
                    return _listed(facts, provision, entry)
    reasons = [Notice("cn.classify.not_listed", {"item": facts.label, "date": rules.date}, None)]
    if isinstance(facts, MaterialFacts):
        reasons.extend(_listed_elsewhere(facts, rules))
    return ItemClass(NOT_CONTROLLED, reasons=tuple(reasons), warnings=facts.warnings)


_REVIEW_RANK = {"presumption_of_approval": 0, "case_by_case": 1, "presumption_of_denial": 2}


def _substance_listed(facts: MaterialFacts, rules: ResolvedRules) -> ItemClass | None:
    """A substance named without its form: the strictest list in force naming it decides.

    Most of these substances are listed in most forms, so an answer of "not listed" for a
    missing form would be wrong far more often than right. The listed forms are given so
    that the caller can narrow the answer by naming the form.
    """
    found = [
        (provision, entry)
        for provision in list_provisions(rules)
        for entry in provision.get("entries")
        if entry["substance"] == facts.substance
    ]
    if not found:
        return None
    provision = max(
        (p for p, _ in found), key=lambda p: _REVIEW_RANK.get(p.get("review_policy", ""), -1)
    )
    entries = [e for p, e in found if p is provision]
    listed = _listed(facts, provision, entries[0])
    codes = tuple(str(e["code"]) for e in entries)
    forms = sorted({f for e in entries for f in e.get("forms", ["*"])})
    values = {"item": facts.label, "substance": facts.substance, "codes": codes, "forms": forms}
    warning = Notice("cn.material.form_missing", values, provision.citation)
    return ItemClass(
        listed.control_code,
        codes,
        rulebook=listed.rulebook,
        reasons=(Notice("cn.classify.form_missing", values, provision.citation),),
        warnings=(*listed.warnings, warning),
        provision=listed.provision,
    )


def _listed(facts: MaterialFacts, provision: ActiveProvision, entry: dict[str, Any]) -> ItemClass:
    code = str(entry["code"])
    values = {"item": facts.label, "code": code, "description": entry.get("description", "")}
    warnings = [*facts.warnings, *provision.act_uncertainty()]
    if entry.get("uncertain"):
        warnings.append(
            Notice(
                "cn.classify.entry_uncertain",
                {"code": code, "note": entry["uncertain"]},
                provision.citation,
            )
        )
    return ItemClass(
        code,
        (code,),
        rulebook=provision.origin_id,
        reasons=(Notice("cn.classify.listed", values, provision.citation),),
        warnings=tuple(warnings),
        provision=provision.key,
    )


def _listed_elsewhere(facts: MaterialFacts, rules: ResolvedRules) -> list[Notice]:
    """Lists that name the item but are not in force on the date, and why."""
    found = []
    for version in load_registry().versions("cn"):
        if version.id in {v.id for v in rules.versions}:
            continue
        for provision in version.provisions.values():
            if provision.algorithm != LISTED_ITEMS:
                continue
            entries = provision.parameters["entries"].value
            hit = next((e for e in entries if matches(e, facts)), None)
            if hit is not None:
                found.append(
                    Notice(
                        "cn.classify.listed_not_in_force",
                        {
                            "item": facts.label,
                            "code": hit["code"],
                            "rulebook": version.short_title,
                            "status": status_label(version, rules.date, rules.mode),
                        },
                        provision.citation,
                    )
                )
    return found
