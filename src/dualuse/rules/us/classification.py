"""ECCN 3A090 / 4A090 classification under whichever US version is in force.

Each rulebook provision names its algorithm; the functions here read only that
provision's parameters. A classification always carries the reasons that produced it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from dualuse.explain.notice import Notice
from dualuse.items import HbmFacts, IcFacts, ItemFacts, SystemFacts, WeightsFacts
from dualuse.memo import BoundedMemo
from dualuse.rulebooks import ActiveProvision, ResolvedRules, load_registry
from dualuse.rules.outcome import INDETERMINATE, NOT_CONTROLLED, UNCLASSIFIED, ItemClass

PUBLISHED_CITATION = "15 CFR 734.7(a) (published items are not subject to the EAR)"
TECHNICAL_NOTE = "ECCN 3A090 Technical Notes, Supp. No. 1 to part 774 (88 FR 73458)"


_MEMO: BoundedMemo[tuple[str, str, object, object, object], ItemClass] = BoundedMemo(50_000)


def classify(facts: ItemFacts, rules: ResolvedRules) -> ItemClass:
    """The US control code of one item under ``rules`` (memoised for catalog items)."""
    if facts.catalog_id is None:
        return _classify(facts, rules)
    scenario = rules.scenario.id if rules.scenario else None
    key = (facts.catalog_id, rules.jurisdiction, rules.date, rules.mode, scenario)
    return _MEMO.get(key, lambda: _classify(facts, rules))


def _classify(facts: ItemFacts, rules: ResolvedRules) -> ItemClass:
    if isinstance(facts, IcFacts):
        return classify_ic(facts, rules)
    if isinstance(facts, HbmFacts):
        return classify_hbm(facts, rules)
    if isinstance(facts, SystemFacts):
        return classify_system(facts, rules)
    if isinstance(facts, WeightsFacts):
        return classify_weights(facts, rules)
    # Materials, equipment and plain memory sit under ECCNs (3B001, 3B090, 3C, 5A992, EAR99,
    # ...) whose parameters dualuse does not carry; say so rather than guess a code.
    reason = Notice("us.classify.outside_model", {"item": facts.label}, None)
    return ItemClass(UNCLASSIFIED, reasons=(reason,), warnings=facts.warnings)


# ---------------------------------------------------------------------- model weights


def classify_weights(weights: WeightsFacts, rules: ResolvedRules) -> ItemClass:
    """ECCN 4E091 (AI Diffusion rule): closed weights trained with at least 10^26 operations."""
    provision = rules.provision("model_weights_4e091")
    values = {"item": weights.label, "operations": weights.training_operations}
    if provision is None:
        reason = Notice("us.classify.weights.no_rule", {**values, "date": rules.date}, None)
        return ItemClass(NOT_CONTROLLED, reasons=(reason,))
    threshold = provision.get("training_operations_min")
    values["threshold"] = threshold
    if weights.published:
        code, key = NOT_CONTROLLED, "us.classify.weights.published"
        cite = PUBLISHED_CITATION
    elif weights.training_operations >= threshold:
        code, key, cite = "4E091", "us.classify.weights.controlled", provision.citation
    else:
        code, key, cite = NOT_CONTROLLED, "us.classify.weights.below", provision.citation
    return ItemClass(
        code,
        (code,) if code == "4E091" else (),
        rulebook=provision.origin_id,
        reasons=(Notice(key, values, cite),),
        warnings=tuple(provision.act_uncertainty()),
    )


# --------------------------------------------------------------------------------- ICs


def classify_ic(ic: IcFacts, rules: ResolvedRules) -> ItemClass:
    provision = rules.provision("eccn_3a090")
    if provision is None:
        first = first_effective("eccn_3a090")
        reason = Notice("us.classify.no_rule", {"date": rules.date, "first": first}, None)
        return ItemClass(
            NOT_CONTROLLED, tpp=_tpp(ic), pd=ic.pd, reasons=(reason,), warnings=ic.warnings
        )
    if ic.tpp is None:
        reason = Notice("us.classify.no_compute", {"item": ic.label}, provision.citation)
        return _with(provision, ic, ItemClass(INDETERMINATE, reasons=(reason,)))
    algorithm = IC_ALGORITHMS[provision.provision.algorithm or ""]
    return _with(provision, ic, algorithm(ic, provision))


def _tpp(ic: IcFacts) -> float | None:
    return None if ic.tpp is None else ic.tpp.value


def _with(provision: ActiveProvision, ic: IcFacts, result: ItemClass) -> ItemClass:
    return ItemClass(
        result.control_code,
        result.paragraphs,
        _tpp(ic),
        ic.pd,
        None,
        provision.origin_id,
        result.reasons,
        ic.warnings + tuple(provision.act_uncertainty()) + result.warnings,
    )


def _tpp_reason(ic: IcFacts) -> Notice:
    assert ic.tpp is not None
    return Notice(
        "us.classify.tpp",
        {"item": ic.label, "tpp": ic.tpp.value, "peak": ic.peak, "bits": ic.tpp.bit_length},
        TECHNICAL_NOTE,
    )


def _pd_reason(ic: IcFacts) -> Notice:
    if ic.pd is None:
        return Notice("us.classify.pd_unknown", {"item": ic.label}, TECHNICAL_NOTE)
    return Notice(
        "us.classify.pd",
        {"item": ic.label, "pd": ic.pd, "tpp": _tpp(ic), "area": ic.die_area_mm2},
        TECHNICAL_NOTE,
    )


def tpp_pd_bands(ic: IcFacts, p: ActiveProvision) -> ItemClass:
    """3A090.a.1/.a.2/.b.1/.b.2 and Note 2, as rewritten effective 2023-11-17."""
    assert ic.tpp is not None
    tpp, pd = ic.tpp.value, ic.pd
    cite = p.citation
    reasons = [_tpp_reason(ic), _pd_reason(ic)]
    item = ic.label

    note2_below = p.get("note2_tpp_below")
    if not ic.datacenter and tpp < note2_below:
        reasons.append(
            Notice("us.classify.note2", {"item": item, "tpp": tpp, "tpp_below": note2_below}, cite)
        )
        return ItemClass(NOT_CONTROLLED, reasons=tuple(reasons))

    paragraphs: list[str] = []
    a1_min = p.get("a1_tpp_min")
    if tpp >= a1_min:
        paragraphs.append("3A090.a.1")
        reasons.append(
            Notice("us.classify.a1", {"item": item, "tpp": tpp, "tpp_min": a1_min}, cite)
        )

    a2_tpp, a2_pd = p.get("a2_tpp_min"), p.get("a2_pd_min")
    b1 = (p.get("b1_tpp_min"), p.get("b1_tpp_below"), p.get("b1_pd_min"), p.get("b1_pd_below"))
    b2 = (p.get("b2_tpp_min"), p.get("b2_pd_min"), p.get("b2_pd_below"))
    if pd is None:
        # PD decides only where TPP alone does not: a.1 already met, or TPP under every floor.
        if not paragraphs and tpp >= min(a2_tpp, b1[0], b2[0]):
            reasons.append(Notice("us.classify.pd_needed", {"item": item, "tpp": tpp}, cite))
            return ItemClass(INDETERMINATE, reasons=tuple(reasons))
    else:
        if tpp >= a2_tpp and pd >= a2_pd:
            paragraphs.append("3A090.a.2")
            reasons.append(
                Notice(
                    "us.classify.a2",
                    {"item": item, "tpp": tpp, "pd": pd, "tpp_min": a2_tpp, "pd_min": a2_pd},
                    cite,
                )
            )
        if not paragraphs and ic.datacenter:
            if b1[0] <= tpp < b1[1] and b1[2] <= pd < b1[3]:
                paragraphs.append("3A090.b.1")
                reasons.append(
                    Notice(
                        "us.classify.b1",
                        {
                            "item": item,
                            "tpp": tpp,
                            "pd": pd,
                            "tpp_min": b1[0],
                            "tpp_below": b1[1],
                            "pd_min": b1[2],
                            "pd_below": b1[3],
                        },
                        cite,
                    )
                )
            if tpp >= b2[0] and b2[1] <= pd < b2[2]:
                paragraphs.append("3A090.b.2")
                reasons.append(
                    Notice(
                        "us.classify.b2",
                        {
                            "item": item,
                            "tpp": tpp,
                            "pd": pd,
                            "tpp_min": b2[0],
                            "pd_min": b2[1],
                            "pd_below": b2[2],
                        },
                        cite,
                    )
                )

    if not paragraphs:
        reasons.append(Notice("us.classify.below", {"item": item, "tpp": tpp, "pd": pd}, cite))
        return ItemClass(NOT_CONTROLLED, reasons=tuple(reasons))
    code = "3A090.a" if paragraphs[0].startswith("3A090.a") else "3A090.b"
    return ItemClass(code, tuple(sorted(paragraphs)), reasons=tuple(reasons))


def performance_and_interconnect(ic: IcFacts, p: ActiveProvision) -> ItemClass:
    """3A090.a as issued in October 2022: performance AND interconnect, both required."""
    assert ic.tpp is not None
    tpp = ic.tpp.value
    perf_min, link_min = p.get("performance_min"), p.get("interconnect_min_gbs")
    values = {
        "item": ic.label,
        "tpp": tpp,
        "performance_min": perf_min,
        "interconnect": ic.interconnect_gbs,
        "interconnect_min": link_min,
    }
    reasons = [_tpp_reason(ic)]
    if tpp < perf_min:
        reasons.append(Notice("us.classify.oct2022.low_performance", values, p.citation))
        return ItemClass(NOT_CONTROLLED, reasons=tuple(reasons))
    if ic.interconnect_gbs is None:
        reasons.append(Notice("us.classify.oct2022.interconnect_unknown", values, p.citation))
        return ItemClass(INDETERMINATE, reasons=tuple(reasons))
    if ic.interconnect_gbs < link_min:
        reasons.append(Notice("us.classify.oct2022.low_interconnect", values, p.citation))
        return ItemClass(NOT_CONTROLLED, reasons=tuple(reasons))
    reasons.append(Notice("us.classify.oct2022.controlled", values, p.citation))
    return ItemClass("3A090.a", ("3A090.a",), reasons=tuple(reasons))


IC_ALGORITHMS: dict[str, Callable[[IcFacts, ActiveProvision], ItemClass]] = {
    "tpp_pd_bands": tpp_pd_bands,
    "performance_and_interconnect": performance_and_interconnect,
}


# -------------------------------------------------------------------------------- HBM


def classify_hbm(hbm: HbmFacts, rules: ResolvedRules) -> ItemClass:
    provision = rules.provision("eccn_3a090c")
    if provision is None:
        reason = Notice("us.classify.hbm.no_rule", {"item": hbm.label, "date": rules.date}, None)
        return ItemClass(
            NOT_CONTROLLED,
            memory_bandwidth_density=hbm.density,
            reasons=(reason,),
            warnings=hbm.warnings,
        )
    threshold = provision.get("density_above")
    values = {
        "item": hbm.label,
        "density": hbm.density,
        "bandwidth": hbm.bandwidth_gbs,
        "area": hbm.area_mm2,
        "threshold": threshold,
    }
    controlled = hbm.density > threshold
    reason = Notice(
        "us.classify.hbm.controlled" if controlled else "us.classify.hbm.below",
        values,
        provision.citation,
    )
    return ItemClass(
        "3A090.c" if controlled else NOT_CONTROLLED,
        ("3A090.c",) if controlled else (),
        memory_bandwidth_density=hbm.density,
        rulebook=provision.origin_id,
        reasons=(reason,),
        warnings=hbm.warnings + tuple(provision.act_uncertainty()),
    )


# ---------------------------------------------------------------------------- systems


def classify_system(system: SystemFacts, rules: ResolvedRules) -> ItemClass:
    parts = [(ic, count, classify_ic(ic, rules)) for ic, count in system.components]
    warnings = list(system.warnings)
    for _, _, result in parts:
        warnings.extend(result.warnings)
    provision = rules.provision("eccn_4a090")
    total = system.tpp_total
    reasons: list[Notice] = [r for _, _, result in parts for r in result.reasons]
    if provision is None:
        return ItemClass(
            NOT_CONTROLLED, tpp=total, reasons=tuple(reasons), warnings=tuple(warnings)
        )

    codes = {result.control_code for _, _, result in parts}
    code = NOT_CONTROLLED
    if "3A090.a" in codes:
        code = provision.get("paragraph_for_3a090a")
        warnings.extend(provision.uncertainty("paragraph_for_3a090a"))
    elif "3A090.b" in codes:
        code = provision.get("paragraph_for_3a090b")
        warnings.extend(provision.uncertainty("paragraph_for_3a090b"))
    elif INDETERMINATE in codes:
        code = INDETERMINATE

    for ic, count, result in parts:
        if result.controlled:
            reasons.append(
                Notice(
                    "us.classify.system",
                    {
                        "item": system.label,
                        "count": count,
                        "component": ic.label,
                        "component_code": result.control_code,
                        "code": code,
                    },
                    provision.citation,
                )
            )
    if code == NOT_CONTROLLED:
        reasons.append(
            Notice("us.classify.system.uncontrolled", {"item": system.label}, provision.citation)
        )
    elif code == INDETERMINATE:
        reasons.append(
            Notice("us.classify.system.indeterminate", {"item": system.label}, provision.citation)
        )
    return ItemClass(
        code,
        (code,) if code.startswith("4A090") else (),
        total,
        None,
        None,
        provision.origin_id,
        tuple(reasons),
        tuple(warnings),
    )


@cache
def first_effective(provision_key: str) -> str | None:
    """The earliest date any US version brings ``provision_key`` into force."""
    dates = [
        (p.applies_from or v.effective)
        for v in load_registry().versions("us")
        for key, p in v.provisions.items()
        if key == provision_key
    ]
    return min(dates).isoformat() if dates else None
