"""``dualuse screen``, ``dualuse lists`` and ``dualuse rescreen``: restricted parties.

Screening reads the list snapshots as they stood on the date asked (today by default);
review decisions are journal entries in the ledger, so a later screening or
determination of the same party shows the decision instead of raising the hit again.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from dualuse.cli_common import (
    DateOpt,
    JsonOpt,
    app,
    console,
    dump,
    emit_json,
    handles_input_errors,
    parse_choice,
    parse_date,
)
from dualuse.cli_ledger import ActorOpt, open_store, required_store, who

lists_app = typer.Typer(help="Restricted-party list snapshots: show, import, diff, review.")
lists_app.info.no_args_is_help = True
app.add_typer(lists_app, name="lists")


def _reviews() -> dict[tuple[str, str], Any]:
    store = open_store(must_exist=True)
    return {} if store is None else store.screening_reviews()


@app.command()
@handles_input_errors
def screen(
    target: Annotated[
        str, typer.Argument(help="A name to screen, or a CSV/JSONL customer master.")
    ],
    country: Annotated[str | None, typer.Option("--country", help="ISO code of the party.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Supporting evidence.")] = None,
    date: DateOpt = None,
    owners: Annotated[
        Path | None,
        typer.Option(
            "--owners",
            help="Ownership file (CSV/JSONL: party, owner, share, owner_country), 50 % rule.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Screen a party (or every row of a customer master) against the lists on a date."""
    from dualuse.screening.ownership import read_ownership
    from dualuse.screening.service import parse_request, read_master, screen_all

    day = parse_date(date) if date else None
    ownership = read_ownership(owners) if owners is not None else None
    path = Path(target)
    if path.suffix.lower() in (".csv", ".jsonl", ".ndjson") and path.exists():
        requests = read_master(path, day, ownership)
    else:
        fields: dict[str, Any] = {"name": target}
        if country:
            fields["country"] = country.upper()
        if address:
            fields["address"] = address
        if day:
            fields["date"] = day.isoformat()
        if ownership is not None:
            fields["owners"] = [o.model_dump(mode="json") for o in ownership.owners_of(target)]
        requests = [parse_request(fields, "screening")]
    reviews = _reviews()
    answers = list(screen_all(requests, reviews))
    if as_json:
        emit_json([dump(a) for a in answers] if len(answers) > 1 else dump(answers[0]))
        return
    from rich.table import Table

    out = console()
    for answer in answers:
        title = f"{answer.name} ({answer.country or '-'}) on {answer.date}: {answer.verdict}"
        table = Table(title=title, caption="snapshots: " + ", ".join(answer.snapshots))
        for column in ("score", "status", "list", "entry", "country", "matched", "why", "citation"):
            table.add_column(column)
        for hit in answer.hits:
            status = (
                hit.status
                if hit.review is None
                else f"{hit.status}, reviewed {hit.review.decision}"
            )
            table.add_row(
                f"{hit.score:.3f}",
                status,
                hit.list_id,
                hit.entry_name,
                hit.entry_country or "",
                hit.matched_name,
                "; ".join(hit.explanation[:4]),
                hit.citation,
            )
        out.print(table)
        for owner in answer.owners:
            found = ", ".join(f"{h.entry_name} ({h.list_id}, {h.status})" for h in owner.hits)
            out.print(f"  owner {owner.via}: {found or 'clear'}")
        for a in answer.affiliation:
            out.print(
                f"  [bold]50 % rule[/bold]: owned {a.share:g} % by listed parties via {a.via}: "
                f"takes on {a.hit.entry_name} ({a.hit.list_id}); {a.citation}"
            )
        for w in answer.warnings:
            out.print(f"  [yellow]warning[/yellow]: {w.message}")


@lists_app.command("show")
@handles_input_errors
def lists_show(date: DateOpt = None, as_json: JsonOpt = False) -> None:
    """The snapshots held, their provenance, and what a determination on DATE reads."""
    from dualuse.lists.store import REGISTRY, view_for

    snapshots = REGISTRY.snapshots()
    day = parse_date(date)
    view = view_for(day)
    rows = []
    for s in snapshots:
        counts: dict[str, int] = {}
        for e in s.entries:
            counts[e.list.value] = counts.get(e.list.value, 0) + 1
        rows.append(
            {
                "id": s.id,
                "as_of": s.manifest.as_of.isoformat(),
                "entries": counts,
                "provenance": s.manifest.provenance,
                "sha256": s.manifest.sha256,
            }
        )
    data = {
        "date": day.isoformat(),
        "read_on_date": list(view.snapshots),
        "in_force": len(view.entries),
        "snapshots": rows,
    }
    if as_json:
        emit_json(data)
        return
    from dualuse.render import print_rows

    out = console()
    print_rows(
        out,
        f"List snapshots (on {day}: {', '.join(view.snapshots)}, "
        f"{len(view.entries)} entries in force)",
        ("id", "as_of", "entries", "provenance"),
        rows,
    )


@lists_app.command("import")
@handles_input_errors
def lists_import(
    file: Annotated[Path, typer.Argument(help="A Consolidated Screening List file (CSV or JSON).")],
    as_of: Annotated[str, typer.Option("--as-of", help="The day the file was downloaded.")],
) -> None:
    """Keep a newer snapshot of the lists (never overwriting an earlier one)."""
    from dualuse.lists.csl import import_csl

    manifest, count, existed = import_csl(file, parse_date(as_of, "--as-of"))
    from dualuse.screening.screen import forget

    forget()
    if existed:
        typer.echo(f"already imported as {manifest.id} ({count} entries); nothing changed")
    else:
        typer.echo(f"imported {count} entries as snapshot {manifest.id} (as of {manifest.as_of})")


@lists_app.command("diff")
@handles_input_errors
def lists_diff(
    old: Annotated[str, typer.Argument(help="Snapshot id (see `lists show`).")],
    new: Annotated[str, typer.Argument(help="Snapshot id.")],
    as_json: JsonOpt = False,
) -> None:
    """Entries added, removed and changed between two snapshots."""
    from dualuse.errors import InputError
    from dualuse.lists.diff import diff
    from dualuse.lists.store import REGISTRY

    try:
        a, b = REGISTRY.get(old), REGISTRY.get(new)
    except KeyError as exc:
        raise InputError.single("SNAPSHOT", str(exc), "unknown snapshot") from None
    result = diff(a, b)
    data: dict[str, Any] = {
        "old": result.old,
        "new": result.new,
        "added": [
            {"list": e.list.value, "name": e.name, "country": e.country} for e in result.added
        ],
        "removed": [
            {"list": e.list.value, "name": e.name, "country": e.country} for e in result.removed
        ],
        "changed": [
            {"list": x.list.value, "name": x.name, "country": x.country, "fields": list(f)}
            for x, _, f in result.changed
        ],
    }
    if as_json:
        emit_json(data)
        return
    from dualuse.render import print_rows

    out = console()
    for key in ("added", "removed", "changed"):
        print_rows(
            out,
            f"{key} ({len(data[key])})",
            ("list", "name", "country", *(("fields",) if key == "changed" else ())),
            data[key][:200],
        )


@lists_app.command("review")
@handles_input_errors
def lists_review(
    party: Annotated[str, typer.Option("--party", help="The party's name, as orders give it.")],
    entry: Annotated[
        str, typer.Option("--entry", help="The hit's entry_id (from `screen --json`).")
    ],
    decision: Annotated[str, typer.Option("--decision", help="true_match or false_positive.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: kept in the journal.")],
    country: Annotated[str | None, typer.Option("--country")] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="The hit's entry_version (default: latest).")
    ] = None,
    actor: ActorOpt = None,
) -> None:
    """Record an officer's decision on a screening hit, as a journal entry."""
    from dualuse.screening.review import party_key
    from dualuse.screening.screen import review_target

    parse_choice(decision, ("true_match", "false_positive"), "--decision")
    listed, chosen = review_target(entry, version, "--entry", "--version")
    done = required_store().review_screening(
        party_key(party, country.upper() if country else None),
        party,
        listed.entry_id,
        chosen,
        listed.name,
        decision,
        reason,
        who(actor),
    )
    typer.echo(f"recorded {decision} for {party} / {listed.name} as journal entry {done.seq}")


@app.command()
@handles_input_errors
def rescreen(
    date: Annotated[
        str | None,
        typer.Option("--date", help="Day the licensed parties are screened on (default today)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Committed determinations the lists now read differently, and licensed parties on a
    list: run after `lists import`."""
    from dualuse.rescreen import changed_determinations, licensed_parties_hit

    store = required_store()
    day = parse_date(date)
    changed = changed_determinations(store)
    licensed = licensed_parties_hit(store, day)
    if as_json:
        emit_json(
            {
                "date": day,
                "determinations": [asdict(c) for c in changed],
                "licensed_parties": [
                    {**asdict(x), "hits": [h.model_dump(mode="json") for h in x.hits]}
                    for x in licensed
                ],
            }
        )
        return
    from dualuse.render import print_rows

    out = console()
    print_rows(
        out,
        f"Committed determinations the lists now read differently ({len(changed)})",
        ("seq", "transaction_id", "date", "parties", "newly_hit", "no_longer_hit"),
        [
            {
                **asdict(c),
                "newly_hit": "; ".join(c.newly_hit),
                "no_longer_hit": "; ".join(c.no_longer_hit),
            }
            for c in changed
        ],
    )
    print_rows(
        out,
        f"Licensed parties on a list on {day} ({len(licensed)})",
        ("licence", "party", "country", "role", "hits"),
        [
            {
                **asdict(x),
                "hits": "; ".join(
                    f"{h.entry_name} ({h.list_id}, {h.status}, {h.score:.2f})" for h in x.hits
                ),
            }
            for x in licensed
        ],
    )
