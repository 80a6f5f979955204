"""Importing the Consolidated Screening List (ITA, trade.gov) as a dated snapshot.

The CSL comes as CSV (one row per entry; alternate names and addresses joined by "; ")
or JSON (``{"results": [...]}``, addresses as objects). Its ``source`` column names the
list; BIS's four lists get their legal effect here, the others are screened and reported.
It serves only the entries active on the day it was downloaded, so each import is kept as
its own snapshot, dated by ``--as-of``, and never overwritten: an import of a file already
imported is refused, naming the snapshot that holds it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

from dualuse.contract import ReviewPolicy
from dualuse.errors import FieldProblem, InputError
from dualuse.lists.models import ListEntry, ListId, SnapshotManifest
from dualuse.lists.store import REGISTRY, dump_snapshot, imported_folder

_SOURCES = [
    (re.compile(r"entity list", re.I), ListId.entity_list),
    (re.compile(r"military end.?user", re.I), ListId.meu),
    (re.compile(r"unverified", re.I), ListId.uvl),
    (re.compile(r"denied persons", re.I), ListId.dpl),
]
_POLICIES = [
    (
        re.compile(r"presumption (?:of|for) denial|policy of denial", re.I),
        ReviewPolicy.presumption_of_denial,
    ),
    (re.compile(r"case.by.case", re.I), ReviewPolicy.case_by_case),
    (re.compile(r"presumption of approval", re.I), ReviewPolicy.presumption_of_approval),
]
_FOOTNOTE = re.compile(r"footnote\s*(\d)", re.I)


def list_of(source: str) -> ListId:
    for pattern, list_id in _SOURCES:
        if pattern.search(source):
            return list_id
    return ListId.other


_OTHER_ITEMS = re.compile(
    r"(presumption (?:of|for) denial|policy of denial|case.by.case|presumption of approval)"
    r"[^.;]*\ball other items",
    re.I,
)


def policy_of(text: str | None) -> ReviewPolicy | None:
    """The general policy a ``license_policy`` cell states: the one "for all other items"
    where the cell carves out exceptions, else the first it names (the cell's lead clause);
    None when it names none (e.g. "See 744.2(d)")."""
    if not text:
        return None
    general = _OTHER_ITEMS.search(text)
    lead = general.group(1) if general else text
    found = [(m.start(), p) for pattern, p in _POLICIES if (m := pattern.search(lead))]
    return min(found, key=lambda f: f[0])[1] if found else None


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _addresses(value: Any) -> tuple[list[str], str | None]:
    """Addresses as text, and the first address's country code (CSL's JSON gives one)."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        texts, country = [], None
        for a in value:
            parts = [a.get(k) for k in ("address", "city", "state", "postal_code", "country")]
            texts.append(", ".join(str(p) for p in parts if p))
            country = country or (a.get("country") or None)
        return texts, country
    texts = _split(value)
    country = None
    for text in texts:
        tail = text.rsplit(",", 1)[-1].strip()
        if re.fullmatch(r"[A-Z]{2}", tail):
            country = tail
            break
    return texts, country


def _rows(path: Path, raw: bytes) -> list[dict[str, Any]]:
    text = raw.decode("utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError.single("FILE", str(path), f"not valid JSON: {exc}") from None
        rows = data.get("results") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise InputError.single(
                "FILE", str(path), "expected a list of entries or {results: [...]}"
            )
        return [r for r in rows if isinstance(r, dict)]
    reader = csv.DictReader(io.StringIO(text))
    return list(reader)


def parse_csl(path: Path, raw: bytes, snapshot_id: str) -> list[ListEntry]:
    rows = _rows(path, raw)
    if not rows:
        raise InputError.single("FILE", str(path), "holds no entries")
    if "name" not in rows[0]:
        columns = ", ".join(list(rows[0])[:12])
        raise InputError.single("FILE", str(path), f"has no `name` column (columns: {columns})")
    problems: list[FieldProblem] = []
    entries = []
    for number, row in enumerate(rows, start=2):
        name = str(row.get("name") or "").strip()
        if not name:
            problems.append(FieldProblem(f"{path.name}: row {number}: name", name, "is empty"))
            continue
        addresses, country = _addresses(row.get("addresses"))
        list_id = list_of(str(row.get("source") or ""))
        requirement = row.get("license_requirement") or None
        policy_text = row.get("license_policy") or None
        notes = " ".join(str(row.get(k) or "") for k in ("license_requirement", "remarks"))
        footnotes = sorted({int(n) for n in _FOOTNOTE.findall(notes) if n in "12345"})
        fr = str(row.get("federal_register_notice") or "")
        entries.append(
            ListEntry(
                list=list_id,
                name=name,
                aliases=tuple(_split(row.get("alt_names"))),
                country=country,
                addresses=tuple(addresses),
                license_requirement=requirement if list_id is ListId.entity_list else None,
                review_policy=policy_of(policy_text),
                review_policy_text=policy_text,
                review_policy_source=snapshot_id if policy_text else None,
                footnotes=tuple(footnotes),
                citations=tuple(
                    c.strip() for c in re.split(r"[;,]\s*(?=\d+\s*FR)", fr) if c.strip()
                ),
                listed=_date(row.get("start_date")),
                expires=_date(row.get("end_date")),
                notes=str(row.get("source") or "") or None,
                snapshot=snapshot_id,
            )
        )
    if problems:
        raise InputError(problems)
    return entries


def import_csl(path: Path, as_of: dt.date) -> tuple[SnapshotManifest, int, bool]:
    """Keep the file as a new snapshot; (manifest, entries, False) or the existing one's
    manifest with True when this very file was imported before."""
    if not path.is_file():
        raise InputError.single("FILE", str(path), "no such file")
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    for snapshot in REGISTRY.snapshots():
        if snapshot.manifest.sha256 == sha:
            return snapshot.manifest, len(snapshot.entries), True
    snapshot_id = f"csl-{as_of.isoformat()}-{sha[:8]}"
    entries = parse_csl(path, raw, snapshot_id)
    manifest = SnapshotManifest(
        id=snapshot_id,
        as_of=as_of,
        title="Consolidated Screening List (ITA)",
        publisher="US Department of Commerce, International Trade Administration",
        provenance=f"Imported from {path.name} ({len(raw)} bytes)",
        licence="US Government work (public domain)",
        limits=["The CSL serves active entries only: removals are known from later snapshots."],
        sha256=sha,
        imported_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    folder = imported_folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{snapshot_id}.json.gz"
    if target.exists():
        raise InputError.single("--as-of", as_of.isoformat(), f"snapshot {snapshot_id} exists")
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(dump_snapshot(manifest, entries))
    tmp.replace(target)
    return manifest, len(entries), False
