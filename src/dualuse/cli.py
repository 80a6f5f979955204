"""The ``dualuse`` command line.

Imports of the engine, catalog and rulebooks happen inside the commands, so that
``dualuse --help`` starts quickly. Bad input prints one clear line per problem to stderr
and exits with code 2; it never shows a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dualuse.cli_common import (
    DateOpt,
    JsonOpt,
    LangOpt,
    ModeOpt,
    app,
    console,
    dump,
    emit_json,
    handles_input_errors,
    load_document,
    parse_choice,
    parse_date,
    parse_mode,
)

if TYPE_CHECKING:
    from dualuse.contract import Item, Transaction

__all__ = ["app", "main"]

rules_app = typer.Typer(help="Rulebook versions and scenarios.", no_args_is_help=True)
catalog_app = typer.Typer(
    help="Items in the catalog and their sourced specs.", no_args_is_help=True
)
countries_app = typer.Typer(help="Countries, their groups and tiers.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(catalog_app, name="catalog")
app.add_typer(countries_app, name="countries")

# ----------------------------------------------------------------------------- classify


def item_from_argument(text: str) -> tuple[list[Item], dict[str, Any]]:
    """ITEM is a catalog id, a specs/item file, or an order (transaction) file.

    Returns the items and, for an order, its date/mode/scenario/language.
    """
    from dualuse.catalog import load_catalog
    from dualuse.contract import Item, parse_transaction, problems_from
    from dualuse.errors import InputError
    from dualuse.validation import check_references

    path = Path(text)
    if not path.is_file():
        entry = load_catalog().get(text, field="ITEM")
        return [Item(catalog=entry.id, quantity=1)], {}
    data = load_document(path)
    if isinstance(data, dict) and "items" in data and "date" in data:
        tx = parse_transaction(data)
        order = {
            "date": tx.date,
            "mode": tx.mode,
            "scenario": tx.scenario,
            "language": tx.language.value,
        }
        return list(tx.items), order
    if isinstance(data, dict) and ("specs" in data or "catalog" in data):
        raw = {"quantity": 1, **data}
    elif isinstance(data, dict):
        raw = {"quantity": 1, "specs": data}
    else:
        raise InputError.single("FILE", str(path), "expected an item, specs or an order object")
    from pydantic import ValidationError

    try:
        item = Item.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, "item")) from None
    # Reuse the transaction checks for catalog references inside a spec file.
    from dualuse.contract import Transaction

    probe = Transaction(date=dt.date.today(), ship_from="US", destination="US", items=[item])
    check_references(probe)
    return [item], {}


@app.command()
@handles_input_errors
def classify(
    item: Annotated[str, typer.Argument(help="Catalog id, a specs file, or an order file.")],
    date: DateOpt = None,
    mode: ModeOpt = "enforced",
    scenario: Annotated[str | None, typer.Option(help="Scenario overlay id.")] = None,
    history: Annotated[bool, typer.Option("--history", help="Every US version.")] = False,
    as_json: JsonOpt = False,
    language: LangOpt = "en",
) -> None:
    """ECCN classification (3A090 / 4A090) with TPP, PD and cited reasons."""
    from dualuse.classification import classification_history, classify_item

    items, order = item_from_argument(item)
    language = parse_choice(order.get("language", language), ("en", "ko"), "--language")
    chosen_mode = order.get("mode") or parse_mode(mode)
    if history:
        histories = [classification_history(i, chosen_mode, language) for i in items]
        if as_json:
            emit_json(dump(histories[0]) if len(histories) == 1 else [dump(h) for h in histories])
        else:
            from dualuse.render import print_history

            for h in histories:
                print_history(console(), h, language)
        return
    day = order.get("date") or parse_date(date)
    if scenario is not None:
        from dualuse.rulebooks import load_registry

        load_registry().scenario(scenario)
    reports = [
        classify_item(i, day, chosen_mode, order.get("scenario", scenario), language) for i in items
    ]
    if as_json:
        emit_json(dump(reports[0]) if len(reports) == 1 else [dump(r) for r in reports])
    else:
        from dualuse.render import print_classification

        for report in reports:
            print_classification(console(), report, language)


# ------------------------------------------------------------------------ check / compare


def load_transactions(files: list[Path], overrides: dict[str, Any]) -> list[Transaction]:
    """Every transaction in ``files`` (an object, a list, or JSON Lines), validated."""
    from dualuse.contract import parse_transaction
    from dualuse.errors import FieldProblem, InputError

    transactions = []
    problems: list[FieldProblem] = []
    for path in files:
        documents = load_documents(path)
        single = len(documents) == 1 and len(files) == 1
        for i, raw in enumerate(documents):
            where = "" if single else f"{path.name}[{i}]"
            if isinstance(raw, dict):
                raw = {**raw, **{k: v for k, v in overrides.items() if v is not None}}
            try:
                transactions.append(parse_transaction(raw, where))
            except InputError as exc:
                problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return transactions


def load_documents(path: Path) -> list[Any]:
    if path.suffix.lower() == ".jsonl":
        from dualuse.check_stream import Source

        return [document for _, document in Source(path).documents()]
    data = load_document(path)
    return data if isinstance(data, list) else [data]


@app.command()
@handles_input_errors
def check(
    files: Annotated[list[Path], typer.Argument(help="JSON, YAML or JSON Lines files.")],
    output: Annotated[
        str, typer.Option("--format", "-f", help="json, jsonl, summary or table.")
    ] = "json",
    language: Annotated[str | None, typer.Option("--language", "-l", help="en or ko.")] = None,
    mode: Annotated[str | None, typer.Option(help="Override every transaction's mode.")] = None,
    scenario: Annotated[str | None, typer.Option(help="Override the scenario.")] = None,
    commit: Annotated[
        bool,
        typer.Option(
            "--commit",
            help="Record the determinations in the ledger, drawing quotas and licences "
            "(all or nothing) and writing the audit journal.",
        ),
    ] = False,
    idempotency_key: Annotated[
        str | None,
        typer.Option(
            "--idempotency-key",
            help="With --commit: a key for this request; sent again, it returns the first "
            "result and draws nothing more.",
        ),
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Who commits (default $DUALUSE_ACTOR or user).")
    ] = None,
    owners: Annotated[
        Path | None,
        typer.Option(
            "--owners",
            help="Ownership file (CSV/JSONL: party, owner, share, owner_country) giving owners "
            "to parties that name none, for the 50 % rule.",
        ),
    ] = None,
) -> None:
    """Determine one transaction or many, in date order, against the ledger's balances.

    Without --commit nothing is stored: each order's draws count against the next order
    of the batch only. With --commit every determination is recorded in the journal.
    """
    parse_choice(output, ("json", "jsonl", "summary", "table"), "--format")
    if language is not None:
        parse_choice(language, ("en", "ko"), "--language")
    if mode is not None:
        parse_mode(mode)
    if idempotency_key is not None and not commit:
        from dualuse.errors import InputError

        raise InputError.single("--idempotency-key", idempotency_key, "needs --commit")
    if idempotency_key is not None and not idempotency_key.strip():
        from dualuse.errors import InputError

        raise InputError.single("--idempotency-key", idempotency_key, "must not be empty")
    ownership = None
    if owners is not None:
        from dualuse.screening.ownership import read_ownership

        ownership = read_ownership(owners)  # checked whole before any order is read
    overrides = {"language": language, "mode": mode, "scenario": scenario}
    layout = _layout(output)
    if not commit:
        _check_streaming(files, overrides, layout, ownership)
        return
    transactions = load_transactions(files, overrides)
    if ownership is not None:
        transactions = [ownership.on_transaction(tx) for tx in transactions]
    determinations = _committed(transactions, idempotency_key, actor)
    chosen = layout(len(determinations))
    pieces = [chosen.write(tx, det) for tx, det in zip(transactions, determinations, strict=True)]
    sys.stdout.write(chosen.before + chosen.separator.join(pieces) + chosen.after)


def _check_streaming(
    files: list[Path], overrides: dict[str, Any], layout: Any, ownership: Any
) -> None:
    """Without --commit: decide as the input is read (dualuse.check_stream), against the
    ledger's balances when there is a ledger, holding only an index and the balances."""
    from dualuse.check_stream import stream_check
    from dualuse.cli_ledger import open_store
    from dualuse.ledger import InMemoryLedger
    from dualuse.ledger.store import SessionLedger

    store = open_store(must_exist=True)
    if store is None:
        stream_check(files, overrides, layout, InMemoryLedger(keep_journal=False), ownership)
        return
    with store.reading() as connection:
        book = InMemoryLedger(base=SessionLedger(connection), keep_journal=False)
        stream_check(files, overrides, layout, book, ownership)


def _layout(output: str) -> Any:
    """How ``check --format`` prints a run of results (see check_stream.Layout)."""
    from dualuse.check_stream import Layout

    if output == "jsonl":
        return lambda count: Layout(lambda tx, det: det.model_dump_json() + "\n")
    if output == "summary":
        return lambda count: Layout(lambda tx, det: json.dumps(_summary_line(det)) + "\n")
    if output == "table":
        from dualuse.render import print_determination

        out = console()

        def table(tx: Any, det: Any) -> str:
            with out.capture() as captured:
                print_determination(out, tx, det)
            return str(captured.get())

        return lambda count: Layout(table)

    def pretty(det: Any) -> str:
        return json.dumps(dump(det), ensure_ascii=False, indent=2, default=str)

    def json_layout(count: int) -> Layout:
        # The same text as printing the whole list at once (json.dumps(..., indent=2)).
        if count == 0:
            return Layout(lambda tx, det: "", before="[]\n")
        if count == 1:
            return Layout(lambda tx, det: pretty(det) + "\n")
        return Layout(
            lambda tx, det: "  " + pretty(det).replace("\n", "\n  "),
            before="[\n",
            separator=",\n",
            after="\n]\n",
        )

    return json_layout


def _summary_line(det: Any) -> dict[str, Any]:
    us = det.jurisdictions[0] if det.jurisdictions else None
    line: dict[str, Any] = {
        "id": det.transaction_id,
        "date": det.date.isoformat(),
        "verdict": det.verdict,
        "authorization": us.authorization if us else None,
        "review_policy": us.review_policy if us else None,
    }
    if det.journal is not None:
        line["journal_entry"] = det.journal.seq
        line["replayed"] = det.journal.replayed
    return line


def _committed(transactions: list[Transaction], key: str | None, actor: str | None) -> list[Any]:
    """check --commit: every determination recorded in one all-or-nothing transaction."""
    from dualuse.cli_ledger import open_store, who

    store = open_store()
    assert store is not None
    return [c.determination for c in store.commit(transactions, who(actor), key)]


@app.command()
@handles_input_errors
def compare(
    file: Annotated[Path, typer.Argument(help="One transaction (JSON or YAML).")],
    scenario: Annotated[
        list[str] | None, typer.Option("--scenario", "-s", help="Scenario ids to compare.")
    ] = None,
    mode: Annotated[list[str] | None, typer.Option("--mode", help="Modes to compare.")] = None,
    as_json: JsonOpt = False,
    language: Annotated[str | None, typer.Option("--language", "-l", help="en or ko.")] = None,
) -> None:
    """The same transaction under the rules in force and each scenario, in each mode."""
    from dualuse.comparison import compare_variants

    if language is not None:
        parse_choice(language, ("en", "ko"), "--language")
    modes = [parse_mode(m) for m in (mode or ["enforced", "codified"])]
    transactions = load_transactions([file], {"language": language})
    if len(transactions) != 1:
        from dualuse.errors import InputError

        raise InputError.single("FILE", str(file), "compare takes exactly one transaction")
    rows = compare_variants(transactions[0], modes, [None, *(scenario or [])])
    if as_json:
        emit_json(rows)
    else:
        from dualuse.render import print_comparison

        print_comparison(console(), rows)


# -------------------------------------------------------------------------------- rules


@rules_app.command("list")
@handles_input_errors
def rules_list(
    jurisdiction: Annotated[str | None, typer.Option(help="e.g. us, cn.")] = None,
    date: DateOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every rulebook version with its dates and its status on DATE; then the scenarios."""
    from dualuse.rulebooks import load_registry
    from dualuse.rulebooks.summary import summarize_registry

    registry = load_registry()
    if jurisdiction is not None and jurisdiction not in registry.jurisdictions():
        from dualuse.errors import InputError

        raise InputError.single(
            "--jurisdiction", jurisdiction, "unknown; known: " + ", ".join(registry.jurisdictions())
        )
    summary = summarize_registry(registry, parse_date(date), jurisdiction)
    if as_json:
        emit_json(summary)
    else:
        from dualuse.render import print_rules

        print_rules(console(), summary)


@rules_app.command("show")
@handles_input_errors
def rules_show(
    rulebook_id: Annotated[str, typer.Argument(metavar="ID", help="Version or scenario id.")],
    as_json: JsonOpt = False,
) -> None:
    """One version or scenario: dates, status history, sources and parameters."""
    from dualuse.rulebooks import load_registry

    entry = load_registry().get(rulebook_id)
    data = entry.model_dump(mode="json", by_alias=True, exclude_none=True)
    if as_json:
        emit_json(data)
    else:
        from dualuse.render import print_rulebook

        print_rulebook(console(), data)


# ------------------------------------------------------------------------------ catalog


@catalog_app.command("list")
@handles_input_errors
def catalog_list(
    vendor: Annotated[str | None, typer.Option(help="Vendor slug, e.g. nvidia.")] = None,
    kind: Annotated[str | None, typer.Option(help="ic, system or hbm.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Catalog items with their computed TPP and PD (specs are sourced; metrics computed)."""
    from dualuse.catalog.summary import catalog_rows

    if kind is not None:
        parse_choice(kind, ("ic", "system", "hbm"), "--kind")
    rows = catalog_rows(vendor, kind)
    if as_json:
        emit_json(rows)
    else:
        from dualuse.render import print_catalog

        print_catalog(console(), rows)


@catalog_app.command("show")
@handles_input_errors
def catalog_show(
    item_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonOpt = False
) -> None:
    """One item: every spec with its sources and uncertainties, and the computed metrics."""
    from dualuse.catalog.summary import catalog_detail

    detail = catalog_detail(item_id)
    if as_json:
        emit_json(detail)
    else:
        from dualuse.render import print_mapping

        print_mapping(console(), detail, title=detail["id"])


# ---------------------------------------------------------------------------- countries


@countries_app.command("show")
@handles_input_errors
def countries_show(
    code: Annotated[str, typer.Argument(help="ISO 3166-1 alpha-2 code.")],
    date: DateOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A country's EAR country groups on DATE, with names in English and Korean."""
    from dualuse.geo.summary import country_summary

    summary = country_summary(code.upper(), parse_date(date))
    if as_json:
        emit_json(summary)
    else:
        from dualuse.render import print_mapping

        print_mapping(console(), summary, title=summary["code"])


# --------------------------------------------------------------------------- guardrails


@app.command()
@handles_input_errors
def guardrails(
    file: Annotated[Path, typer.Argument(help="A YAML/JSON expansion question (see docs).")],
    as_json: JsonOpt = False,
    language: LangOpt = "en",
) -> None:
    """CHIPS Act guardrails: may a CHIPS-funded company add this capacity there, then?"""
    from dualuse.guardrails import decide, parse_question

    data = load_document(file)
    if isinstance(data, dict) and "language" not in data:
        data = {**data, "language": parse_choice(language, ("en", "ko"), "--language")}
    result = decide(parse_question(data, file.name))
    if as_json:
        emit_json(dump(result))
    else:
        from dualuse.render import print_guardrails

        print_guardrails(console(), result, data.get("language", "en"))


# The ledger, licence and audit commands register themselves on ``app``.
from dualuse import cli_ledger, cli_lists, cli_serve  # noqa: E402, F401


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
