"""Tables for people (Rich). JSON output never goes through here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console

    from dualuse.classification import ClassificationHistory, ClassificationReport
    from dualuse.contract import Reason
    from dualuse.guardrails import GuardrailDetermination

_LABELS = {
    "en": {
        "code": "Control code",
        "tpp": "TPP",
        "pd": "Performance density",
        "h100e": "H100-equivalents",
        "mbd": "Memory bandwidth density",
        "rulebooks": "Rulebooks",
        "reasons": "Reasons",
        "warnings": "Warnings",
        "from": "From",
        "to": "To",
        "paragraphs": "Paragraphs",
        "unknown": "unknown",
        "verdict": "Verdict",
        "increase": "Capacity increase",
        "limit": "Limit",
    },
    "ko": {
        "code": "통제 번호",
        "tpp": "TPP",
        "pd": "성능 밀도",
        "h100e": "H100 환산",
        "mbd": "메모리 대역폭 밀도",
        "rulebooks": "적용 규정",
        "reasons": "근거",
        "warnings": "경고",
        "from": "시작",
        "to": "종료",
        "paragraphs": "해당 항목",
        "unknown": "알 수 없음",
        "verdict": "판정",
        "increase": "생산능력 증가",
        "limit": "한도",
    },
}


def _fmt(value: Any, unknown: str = "—") -> str:
    if value is None:
        return unknown
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _reasons(console: Console, title: str, reasons: Sequence[Reason], style: str) -> None:
    if not reasons:
        return
    console.print(Text(title, style="bold"))
    for reason in reasons:
        line = Text("  • ", style=style)
        line.append(reason.message)
        if reason.citation:
            line.append(f"  [{reason.citation}]", style="dim")
        line.append(f"  ({reason.code})", style="dim")
        console.print(line)


def print_classification(console: Console, report: ClassificationReport, language: str) -> None:
    labels = _LABELS[language]
    c = report.classification
    table = Table(title=f"{report.item} — {report.date} ({report.mode.value})", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row(labels["code"], Text(c.control_code, style="bold magenta"))
    table.add_row(labels["paragraphs"], _fmt(c.paragraphs))
    table.add_row(labels["tpp"], _fmt(c.tpp, labels["unknown"]))
    table.add_row(labels["pd"], _fmt(c.pd, labels["unknown"]))
    if c.h100_equivalents is not None:
        table.add_row(labels["h100e"], _fmt(c.h100_equivalents))
    if c.memory_bandwidth_density is not None:
        table.add_row(labels["mbd"], _fmt(c.memory_bandwidth_density))
    table.add_row(labels["rulebooks"], _fmt(report.rulebooks))
    console.print(table)
    _reasons(console, labels["reasons"], report.reasons, "green")
    _reasons(console, labels["warnings"], report.warnings, "yellow")


def print_history(console: Console, history: ClassificationHistory, language: str) -> None:
    labels = _LABELS[language]
    table = Table(title=f"{history.item} — {history.mode.value}")
    for key in ("from", "to", "code", "paragraphs", "tpp", "pd", "rulebooks"):
        table.add_column(labels[key])
    for row in history.rows:
        c = row.classification
        table.add_row(
            _fmt(row.from_),
            _fmt(row.to),
            Text(c.control_code, style="bold magenta"),
            _fmt(c.paragraphs),
            _fmt(c.tpp),
            _fmt(c.pd),
            _fmt(row.rulebooks),
        )
    console.print(table)
    for row in history.rows:
        _reasons(console, f"{labels['reasons']} ({_fmt(row.from_)} →)", row.reasons, "green")
    _reasons(console, labels["warnings"], history.warnings, "yellow")


def print_rules(console: Console, summary: Mapping[str, Any]) -> None:
    table = Table(title=f"Rulebook versions — status on {summary['date']}")
    for column in ("id", "title", "effective", "enforced", "codified", "clauses"):
        table.add_column(column, overflow="fold")
    for v in summary["versions"]:
        effective = _fmt(v["effective"])
        if v["compliance"]:
            effective += f" (compliance {_fmt(v['compliance'])})"
        table.add_row(
            v["id"],
            v["title"],
            effective,
            v["status_enforced"],
            "″" if v["status_codified"] == v["status_enforced"] else v["status_codified"],
            "\n".join(v["clauses"]),
        )
    console.print(table)
    if summary["scenarios"]:
        scenarios = Table(title="Scenarios (overlays)")
        for column in ("id", "title", "hypothetical", "from", "source"):
            scenarios.add_column(column)
        for s in summary["scenarios"]:
            scenarios.add_row(
                s["id"],
                s["title"],
                "yes" if s["hypothetical"] else "no",
                _fmt(s["effective"]),
                s["citation"],
            )
        console.print(scenarios)


def print_rulebook(console: Console, data: Mapping[str, Any]) -> None:
    head = Table(title=f"{data['id']} — {data['title']}", show_header=False)
    head.add_column(style="bold")
    head.add_column()
    for key in (
        "short_title",
        "kind",
        "issued",
        "published",
        "effective",
        "compliance",
        "reported",
        "hypothetical",
        "summary",
        "description",
    ):
        if key in data:
            head.add_row(key, _fmt(data[key]))
    console.print(head)
    for title, rows, columns in (
        ("Status history", data.get("status", []), ("status", "from", "to", "by", "note")),
        ("Sources", data.get("sources", []), ("key", "citation", "cfr", "url", "grade")),
    ):
        if rows:
            print_rows(console, title, columns, rows)
    provisions = data.get("provisions", {})
    if provisions:
        table = Table(title="Provisions and parameters")
        for column in ("provision", "parameter", "value", "unit", "source", "uncertain"):
            table.add_column(column)
        for key, provision in provisions.items():
            for name, param in provision.get("parameters", {}).items():
                source = param.get("source")
                if isinstance(source, dict):
                    source = source.get("citation") or source.get("url")
                table.add_row(
                    key,
                    name,
                    _fmt(param.get("value")),
                    _fmt(param.get("unit")),
                    _fmt(source),
                    _fmt(param.get("uncertain"), ""),
                )
        console.print(table)
    patch = data.get("patch", {})
    if patch:
        table = Table(title="Patch (scenario overlay)")
        for column in ("parameter", "value", "unit"):
            table.add_column(column)
        for name, param in patch.items():
            table.add_row(name, _fmt(param.get("value")), _fmt(param.get("unit")))
        console.print(table)


def print_catalog(console: Console, rows: Sequence[Mapping[str, Any]]) -> None:
    table = Table(title=f"Catalog ({len(rows)} items; TPP and PD computed from sourced specs)")
    for column in ("id", "kind", "name", "datacenter", "tpp", "pd", "h100e", "evidence", "⚠"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["id"],
            row["kind"],
            row["name"],
            _fmt(row.get("datacenter")),
            _fmt(row.get("tpp")),
            _fmt(row.get("pd") or row.get("memory_bandwidth_density")),
            _fmt(row.get("h100_equivalents")),
            row["evidence"],
            str(row["uncertain"] or ""),
        )
    console.print(table)


def print_rows(
    console: Console, title: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    """A table with one row per mapping, showing ``columns`` in that order."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_fmt(row.get(c)) for c in columns))
    console.print(table)


def print_mapping(console: Console, data: Mapping[str, Any], title: str) -> None:
    table = Table(title=title, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = "\n".join(
                "; ".join(f"{k}: {_fmt(v)}" for k, v in entry.items() if v is not None)
                for entry in value
            )
        elif isinstance(value, dict):
            value = "\n".join(f"{k}: {_fmt(v)}" for k, v in value.items())
        table.add_row(key, _fmt(value))
    console.print(table)


_VERDICT_STYLE = {
    "no_license_required": "green",
    "authorized": "cyan",
    "license_required": "yellow",
    "prohibited": "red",
}


def print_determination(console: Console, tx: Any, det: Any) -> None:
    route = f"{tx.ship_from} → {tx.destination}"
    title = f"{det.transaction_id or ''} {route}, {det.date} ({det.mode.value}"
    title += f", scenario {det.scenario})" if det.scenario else ")"
    head = Table(title=title.strip(), show_header=False)
    head.add_column(style="bold")
    head.add_column()
    head.add_row(
        "verdict", Text(det.verdict.value, style=f"bold {_VERDICT_STYLE[det.verdict.value]}")
    )
    if det.hypothetical:
        head.add_row("hypothetical", "yes — scenario, not the rules in force")
    for j in det.jurisdictions:
        if not j.applies:
            head.add_row(j.jurisdiction, "does not apply")
            continue
        head.add_row(
            j.jurisdiction,
            f"{_fmt(j.verdict.value if j.verdict else None)}; "
            f"authorization {_fmt(j.authorization)}; review "
            f"{_fmt(j.review_policy.value if j.review_policy else None)}",
        )
        for item in j.items:
            c = item.classification
            head.add_row(
                f"  {item.item} × {item.quantity:g}",
                f"{c.control_code if c else '—'}: "
                f"{_fmt(item.verdict.value if item.verdict else None)} "
                f"{_fmt(item.authorization, '')}",
            )
        for q in j.quota:
            head.add_row(
                "  quota",
                f"{q.account}: {q.used_before:,.0f} used + {q.requested:,.0f} "
                f"of {q.limit:,.0f} {q.unit} ({q.status})"
                + (f"\n  holder: {q.holder}" if q.holder else ""),
            )
    if det.journal is not None:
        ref = det.journal
        head.add_row(
            "journal",
            f"entry {ref.seq} ({ref.hash[:16]}…) by {ref.actor} at {ref.recorded_at}"
            + (
                " — replayed: this key was used before; nothing drawn again" if ref.replayed else ""
            ),
        )
    console.print(head)
    for j in det.jurisdictions:
        _reasons(console, f"{j.jurisdiction}: reasons", j.reasons, "green")
        _reasons(console, f"{j.jurisdiction}: obligations", j.obligations, "cyan")
    _reasons(console, "warnings", det.warnings, "yellow")


def print_comparison(console: Console, rows: Sequence[Mapping[str, Any]]) -> None:
    table = Table(title="Same transaction, different rule sets")
    for column in ("scenario", "mode", "verdict", "authorization", "review", "quota"):
        table.add_column(column)
    for row in rows:
        quota = "; ".join(
            f"{q['requested']:,.0f}/{q['limit']:,.0f} {q['unit']} ({q['status']})"
            for q in row["quota"]
        )
        scenario = row["scenario"] or "rules in force"
        if row["hypothetical"]:
            scenario += " (hypothetical)"
        table.add_row(
            scenario,
            row["mode"],
            Text(row["verdict"], style=_VERDICT_STYLE[row["verdict"]]),
            _fmt(row["authorization"]),
            _fmt(row["review_policy"]),
            quota or "—",
        )
    console.print(table)


def print_guardrails(console: Console, result: GuardrailDetermination, language: str) -> None:
    labels = _LABELS[language]
    style = "bold green" if result.verdict.value == "allowed" else "bold red"
    table = Table(title=f"{result.company} — {result.date}", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row(labels["verdict"], Text(result.verdict.value, style=style))
    if result.increase is not None:
        table.add_row(labels["increase"], f"{result.increase * 100:.2f} %")
    if result.limit is not None:
        table.add_row(labels["limit"], f"{result.limit * 100:.2f} %")
    table.add_row(labels["rulebooks"], _fmt(result.rulebook))
    console.print(table)
    _reasons(console, labels["reasons"], result.reasons, "green")
    _reasons(console, labels["warnings"], result.warnings, "yellow")
