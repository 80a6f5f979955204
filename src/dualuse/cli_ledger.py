"""``dualuse ledger``, ``dualuse licences`` and ``dualuse audit``: the durable ledger.

The database is the one ``DUALUSE_DATABASE_URL`` names, or the embedded SQLite file
(see :mod:`dualuse.settings`). A refused input exits with code 2 and changes nothing; a
ledger that cannot be opened exits with code 1 and says why.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dualuse.cli_common import (
    DateOpt,
    JsonOpt,
    app,
    console,
    emit_json,
    handles_input_errors,
    load_document,
    parse_choice,
    parse_date,
)

if TYPE_CHECKING:
    from dualuse.ledger.store import LedgerStore

ledger_app = typer.Typer(help="Quota and licence accounts, their balances and journal.")
licences_app = typer.Typer(help="Licences held: limits, validity, balances.")
audit_app = typer.Typer(help="The hash-chained audit journal: verify it, export it.")
for sub, name in ((ledger_app, "ledger"), (licences_app, "licences"), (audit_app, "audit")):
    sub.info.no_args_is_help = True
    app.add_typer(sub, name=name)

ActorOpt = Annotated[
    str | None,
    typer.Option(
        "--actor", help="Who is acting, for the journal (default $DUALUSE_ACTOR or user)."
    ),
]


def open_store(must_exist: bool = False) -> LedgerStore | None:
    """The configured ledger; None when ``must_exist`` and no embedded file is there yet."""
    from sqlalchemy.engine import make_url

    from dualuse.ledger.store import LedgerStore
    from dualuse.settings import database_url

    url = database_url()
    parsed = make_url(url) if "://" in url else None
    embedded = parsed.database if parsed and parsed.get_backend_name() == "sqlite" else None
    if must_exist and embedded is not None and not Path(embedded).expanduser().exists():
        return None
    return LedgerStore.open(url)


def required_store() -> LedgerStore:
    store = open_store()
    assert store is not None
    return store


def who(actor: str | None) -> str:
    from dualuse.errors import InputError
    from dualuse.settings import actor as default_actor

    name = default_actor() if actor is None else actor.strip()
    if not 0 < len(name) <= 200:
        raise InputError.single("--actor", actor, "must name who is acting, in 200 characters")
    return name


# ------------------------------------------------------------------------------ ledger


@ledger_app.command("accounts")
@handles_input_errors
def ledger_accounts(as_json: JsonOpt = False) -> None:
    """Every account with its limit, what is used and what is left (sums of the journal)."""
    from dualuse.ledger.reading import accounts

    store = open_store(must_exist=True)
    rows = [a.as_dict() for a in accounts(store)] if store is not None else []
    if as_json:
        emit_json(rows)
        return
    from dualuse.render import print_rows

    columns = ("account", "unit", "limit", "used", "remaining", "postings", "holder")
    print_rows(console(), f"Accounts ({len(rows)})", columns, rows)


@ledger_app.command("show")
@handles_input_errors
def ledger_show(
    account: Annotated[str, typer.Argument(help="Account key, as `ledger accounts` lists it.")],
    as_json: JsonOpt = False,
) -> None:
    """One account: its balance and every journal entry that drew on it or released it."""
    from dualuse.ledger.reading import account as read_account

    data = read_account(required_store(), account)
    if as_json:
        emit_json(data)
        return
    from dualuse.render import print_mapping, print_rows

    out = console()
    print_mapping(out, {k: v for k, v in data.items() if k != "journal"}, title=account)
    columns = ("seq", "recorded_at", "kind", "amount", "transaction_id", "date", "actor", "reason")
    print_rows(out, "Journal", columns, data["journal"])


@ledger_app.command("release")
@handles_input_errors
def ledger_release(
    entry: Annotated[int, typer.Argument(help="Journal entry number of the commit to release.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. shipment cancelled).")],
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Cancel a committed shipment: a new journal entry gives back exactly what it drew."""
    from dualuse.errors import InputError

    if not reason.strip():
        raise InputError.single("--reason", reason, "say why the draw is released")
    done = required_store().release(entry, who(actor), reason.strip())
    data = {"released": entry, "entry": done.seq, "hash": done.hash}
    if as_json:
        emit_json(data)
    else:
        typer.echo(f"entry {done.seq}: released entry {entry} ({done.hash[:16]}…)")


# ---------------------------------------------------------------------------- licences


@licences_app.command("add")
@handles_input_errors
def licences_add(
    file: Annotated[Path, typer.Argument(help="A licence as YAML or JSON (see docs/ledger.md).")],
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a licence an authority has granted; its limits become ledger accounts."""
    from dualuse.ledger.licence import parse_licence

    licence = parse_licence(load_document(file), file.name)
    done = required_store().add_licence(licence, who(actor))
    if as_json:
        emit_json({"licence": licence.key, "entry": done.seq, "hash": done.hash})
    else:
        typer.echo(f"entry {done.seq}: licence {licence.number} ({licence.authority}) recorded")


@licences_app.command("list")
@handles_input_errors
def licences_list(date: DateOpt = None, as_json: JsonOpt = False) -> None:
    """Every licence with its status on DATE (valid, expired, exhausted) and balances."""
    from dualuse.ledger.reading import licences

    day = parse_date(date)
    store = open_store(must_exist=True)
    rows = licences(store, day) if store is not None else []
    if as_json:
        emit_json(rows)
        return
    from dualuse.render import print_rows

    for row in rows:
        row["left"] = "; ".join(f"{b['remaining']:,.0f} {b['unit']}" for b in row["balances"])
    columns = (
        "key",
        "authority",
        "status",
        "valid_from",
        "valid_until",
        "control_codes",
        "destinations",
        "left",
    )
    print_rows(console(), f"Licences on {day} ({len(rows)})", columns, rows)


@licences_app.command("show")
@handles_input_errors
def licences_show(
    number: Annotated[str, typer.Argument(help="Licence number (or jurisdiction:number).")],
    date: DateOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One licence: its terms, its status on DATE and its balances."""
    from dualuse.ledger.reading import licence

    data = licence(required_store(), number, parse_date(date))
    if as_json:
        emit_json(data)
    else:
        from dualuse.render import print_mapping

        print_mapping(console(), data, title=f"Licence {data['number']}")


# ------------------------------------------------------------------------------- audit


@audit_app.command("verify")
@handles_input_errors
def audit_verify(
    expect_head: Annotated[
        str | None,
        typer.Option(help="A head hash recorded earlier; it must still be in the chain."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Recompute the hash chain; exit 1 and say where it breaks if anything was altered."""
    from dualuse.ledger.audit import verify

    store = open_store(must_exist=True)
    if store is None:
        from dualuse.ledger.audit import Verification

        report = Verification()
    else:
        report = verify(store, expect_head)
    if as_json:
        emit_json(report.as_dict())
    elif report.ok:
        typer.echo(
            f"ok: {report.entries} entries, chain intact; head entry {report.head_seq} "
            f"hash {report.head_hash}"
        )
    else:
        typer.echo(f"BROKEN: first break at entry {report.first_break}", err=True)
        for problem in report.problems:
            typer.echo(f"  {problem}", err=True)
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("export")
@handles_input_errors
def audit_export(
    output_format: Annotated[str, typer.Option("--format", "-f", help="csv or json.")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")
    ] = None,
) -> None:
    """Every journal entry for an auditor: CSV (one row each) or JSON (whole entries)."""
    from dualuse.ledger.audit import export_csv, export_json

    parse_choice(output_format, ("csv", "json"), "--format")
    store = open_store(must_exist=True)
    if store is None:
        text = "" if output_format == "csv" else '{"entries": []}\n'
    else:
        text = export_csv(store) if output_format == "csv" else export_json(store) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
