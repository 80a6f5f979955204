"""Build the bundled CSL snapshot from a compact copy of ITA's Consolidated Screening List.

    python scripts/build_csl_snapshot.py screening-list.json

The input is the generated file ``src/data/screening-list.json`` of the public GitHub
repository seelpeed-debug/export-controls-agent-mcp (commit 5847b09), a re-encoding of
ITA's bulk download (data.trade.gov consolidated.json) generated 2026-07-31. Only BIS's
four lists are kept (Entity List, MEU, UVL, DPL): they are the ones with legal effects in
dualuse, and they carry the licence review policy the eCFR extraction dropped.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from dualuse.lists.csl import list_of, policy_of
from dualuse.lists.models import ListEntry, ListId, SnapshotManifest
from dualuse.lists.store import dump_snapshot

OUT = Path(__file__).resolve().parent.parent / "src/dualuse/lists/data/csl-2026-07-31.json.gz"
SNAPSHOT = "csl-2026-07-31"


def main(path: Path) -> None:
    raw = path.read_bytes()
    data = json.loads(raw)
    tables = data["tables"]
    entries = []
    for row in data["entries"]:
        source = tables["sources"][row["s"]]
        list_id = list_of(source)
        if list_id is ListId.other:
            continue
        policy_text = tables["licencePolicies"][row["lp"]] if row.get("lp") is not None else None
        requirement = (
            tables["licenceRequirements"][row["lr"]] if row.get("lr") is not None else None
        )
        countries = row.get("c") or []
        fr = row.get("fr") or ""
        entries.append(
            ListEntry(
                list=list_id,
                name=row["n"].strip(),
                aliases=tuple(a.strip() for a in row.get("a") or [] if a.strip()),
                country=countries[0] if countries else None,
                license_requirement=requirement if list_id is ListId.entity_list else None,
                review_policy=policy_of(policy_text),
                review_policy_text=policy_text,
                review_policy_source="ITA Consolidated Screening List of 2026-07-31",
                citations=tuple(c.strip() for c in fr.split(",") if "FR" in c),
                notes=source,
                snapshot=SNAPSHOT,
            )
        )
    manifest = SnapshotManifest(
        id=SNAPSHOT,
        as_of="2026-07-31",  # type: ignore[arg-type]
        title="Consolidated Screening List (ITA): BIS Entity List, MEU, UVL and DPL",
        publisher="US Department of Commerce, International Trade Administration",
        provenance=(
            "ITA bulk download data.trade.gov/downloadable_consolidated_screening_list/v1/"
            f"consolidated.json generated {data.get('sourceGeneratedAt')}, as re-encoded in "
            "the public GitHub repository seelpeed-debug/export-controls-agent-mcp, file "
            "src/data/screening-list.json, commit 5847b09; BIS's four lists kept."
        ),
        licence="US Government work (public domain)",
        limits=[
            "The CSL serves active entries only and gives no listing dates: dates come from "
            "the eCFR snapshot's citations and the history of Federal Register rules.",
            "Footnote designations are not in the CSL.",
        ],
        sha256=hashlib.sha256(raw).hexdigest(),
    )
    OUT.write_bytes(dump_snapshot(manifest, entries))
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.list.value] = counts.get(e.list.value, 0) + 1
    print(f"{len(entries)} entries {counts} -> {OUT.name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
