"""Build the bundled list snapshot from the reference extraction of BIS's lists.

    python scripts/build_lists.py REFERENCE_LISTS_DIR

reads ``bis_entity_list.json``, ``bis_meu.json``, ``bis_dpl.json`` and ``lists.json`` from
the folder and writes ``src/dualuse/lists/data/us-bis-2026-07-09.json.gz``: each entry
with its country as an ISO code, its licence requirement, the footnote numbers the
extraction left as trailing digits, its Federal Register citations and its listing date
(the earliest date in the citation), and the snapshot's provenance (source repository,
commit, file hashes). Review policies are not in the extraction; they come from the
Federal Register rules in ``history.yaml`` at load time, or stay unknown.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import pycountry

OUT = Path(__file__).resolve().parent.parent / "src/dualuse/lists/data/us-bis-2026-07-09.json.gz"

# Country names as the lists print them that pycountry does not resolve by name.
_COUNTRY_NAMES = {
    "Burma": "MM",
    "Crimea Region of Ukraine": "UA",
    "South Korea": "KR",
    "North Korea": "KP",
    "Russia": "RU",
    "Iran": "IR",
    "Syria": "SY",
    "Taiwan": "TW",
    "Laos": "LA",
    "Vietnam": "VN",
    "Turkey": "TR",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Moldova": "MD",
    "Tanzania": "TZ",
    "Macau": "MO",
    "Hong Kong": "HK",
    "Czech Republic": "CZ",
    "West Bank": "PS",
}

_FN_INLINE = re.compile(r"734\.9\((?:e|g)\)(?:\(\d\))?\s?,?\s?(\d)(?=[\s,.)]|$)")
_FN_TRAILING = re.compile(r"(?:\)|EAR|\.)\s?(\d)\s*$")
_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2,4})")
_FR_CITE = re.compile(r"\d{2,3}\s?F\.?\s?R\.?\s?\d{3,6}")


def country_code(name: str | None) -> str | None:
    if not name:
        return None
    if name in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        try:
            return str(pycountry.countries.search_fuzzy(name)[0].alpha_2)
        except LookupError:
            return None


def footnotes(notes: str | None) -> list[int]:
    if not notes:
        return []
    found = {int(m) for m in _FN_INLINE.findall(notes)}
    trailing = _FN_TRAILING.search(notes)
    if trailing:
        found.add(int(trailing.group(1)))
    return sorted(n for n in found if 1 <= n <= 5)


def requirement(notes: str | None) -> str | None:
    if not notes:
        return None
    text = _FN_INLINE.sub(lambda m: m.group(0)[: -len(m.group(1))].rstrip(", "), notes)
    return _FN_TRAILING.sub(lambda m: m.group(0)[: -len(m.group(1))].rstrip(), text).strip()


def listing_date(citation: str | None) -> str | None:
    if not citation:
        return None
    dates = []
    for month, day, year in _FR_DATE.findall(citation):
        y = int(year)
        y = y + (2000 if y < 50 else 1900) if y < 100 else y
        try:
            dates.append(dt.date(y, int(month), int(day)))
        except ValueError:
            continue
    return min(dates).isoformat() if dates else None


def citations(text: str | None) -> list[str]:
    if not text:
        return []
    # As printed ("76 F.R. 47144" on the DPL): a reader searches the source for it.
    return list(dict.fromkeys(re.sub(r"\s+", " ", c) for c in _FR_CITE.findall(text)))


def _addresses(text: str | None) -> list[str]:
    if not text:
        return []
    parts = re.split(r";\s*and\s+|;\s+", text)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def _expires(notes: str | None) -> str | None:
    m = re.search(r"Expires:\s*(\d{4}-\d{2}-\d{2})", notes or "")
    return m.group(1) if m else None


def _entry(list_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    notes = raw.get("notes")
    country = country_code(raw.get("country"))
    entry: dict[str, Any] = {
        "list": list_id,
        "name": raw["name"].strip(),
        "aliases": [a.strip() for a in raw.get("aliases") or [] if a.strip()],
        "country": country,
        "country_name": raw.get("country"),
        "region": "crimea" if raw.get("country") == "Crimea Region of Ukraine" else None,
        "addresses": _addresses(raw.get("address")),
        "citations": citations(raw.get("federal_register")),
        "citation_text": raw.get("federal_register"),
    }
    if list_id == "entity_list":
        entry["license_requirement"] = requirement(notes)
        entry["footnotes"] = footnotes(notes)
        entry["listed"] = listing_date(raw.get("federal_register"))
    elif list_id == "meu":
        entry["license_requirement"] = "Items subject to the EAR listed in Supp. No. 2 to part 744"
        entry["listed"] = listing_date(raw.get("federal_register"))
        entry["notes"] = notes
    else:  # dpl
        # The file's effective date is its latest renewal's; a temporary denial order is
        # renewed before it lapses, so the order has run since the earliest date it cites.
        first = listing_date(raw.get("federal_register"))
        effective = raw.get("effective_date")
        entry["listed"] = min(d for d in (first, effective) if d) if (first or effective) else None
        if first and effective and first < effective:
            entry["uncertain"] = (
                f"Listed from {first}, the earliest order cited; the file dates its latest "
                f"renewal {effective}. Renewals are taken to have followed without a gap."
            )
        entry["expires"] = _expires(notes)
        entry["notes"] = notes
        entry["citations"] = [raw["federal_register"]] if raw.get("federal_register") else []
    return entry


def main(folder: Path) -> None:
    manifest_src = json.loads((folder / "lists.json").read_text())
    official = {item["id"]: item for item in manifest_src["lists"]}
    files = {"entity_list": "bis_entity_list.json", "meu": "bis_meu.json", "dpl": "bis_dpl.json"}
    ids = {"entity_list": "bis-entity-list", "meu": "bis-meu", "dpl": "bis-dpl"}
    entries: list[dict[str, Any]] = []
    sources = {}
    for list_id, name in files.items():
        raw_bytes = (folder / name).read_bytes()
        data = json.loads(raw_bytes)
        sources[list_id] = {
            "file": name,
            "sha256": hashlib.sha256(raw_bytes).hexdigest(),
            "source_file": data.get("source_file"),
            "extracted": data.get("extracted"),
            "count": len(data["entities"]),
            "official_url": official.get(ids[list_id], {}).get("official_url"),
            "authority": official.get(ids[list_id], {}).get("authority"),
            "snapshot": official.get(ids[list_id], {}).get("snapshot"),
        }
        entries += [_entry(list_id, e) for e in data["entities"]]
    snapshot = {
        "manifest": {
            "id": "us-bis-2026-07-09",
            "as_of": "2026-07-09",
            "title": "BIS Entity List, Military End-User List and Denied Persons List",
            "publisher": "US Department of Commerce, Bureau of Industry and Security",
            "licence": "US Government work (public domain); extraction states no licence",
            "provenance": (
                "Extraction of the eCFR text of Supp. Nos. 4 and 7 to 15 CFR part 744 and of "
                "BIS's Denied Persons List file of 2026-04-14, from the public GitHub repository "
                "phagehunter/nsfreg, commit 02787e87e65d9452d34e1413859cbea1b0a94b00 (data "
                "files last changed in f77a4b987820c683fdba8b3d2137dd0e8cf1e88f, 2026-07-09)."
            ),
            "limits": [
                "The License Review Policy column was dropped by the extraction: review "
                "policies come from the Federal Register rules in history.yaml or are unknown.",
                "Only the first citation sentence of the Federal Register column is kept.",
                "Names, aliases and addresses were split from the eCFR text by heuristics.",
                "Removals are not in a snapshot of the current list; history.yaml adds them.",
            ],
            "sources": sources,
        },
        "entries": entries,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(body.encode())
    unresolved = sorted(
        {e["country_name"] for e in entries if e["country"] is None and e["country_name"]}
    )
    print(f"{len(entries)} entries -> {OUT.name}; countries not resolved: {unresolved}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
