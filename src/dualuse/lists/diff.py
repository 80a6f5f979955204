"""What changed between two snapshots: entries added, removed and changed (by version)."""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.lists.models import ListEntry
from dualuse.lists.store import Snapshot


@dataclass(frozen=True)
class SnapshotDiff:
    old: str
    new: str
    added: tuple[ListEntry, ...]
    removed: tuple[ListEntry, ...]
    changed: tuple[tuple[ListEntry, ListEntry, tuple[str, ...]], ...]


_COMPARED = (
    "aliases",
    "license_requirement",
    "review_policy",
    "footnotes",
    "addresses",
    "citations",
)


def diff(old: Snapshot, new: Snapshot) -> SnapshotDiff:
    before = {e.entry_id: e for e in old.entries if e.removed is None}
    after = {e.entry_id: e for e in new.entries if e.removed is None}
    changed = []
    for key in before.keys() & after.keys():
        a, b = before[key], after[key]
        fields = tuple(f for f in _COMPARED if getattr(a, f) != getattr(b, f))
        if fields:
            changed.append((a, b, fields))
    return SnapshotDiff(
        old.id,
        new.id,
        tuple(sorted((after[k] for k in after.keys() - before.keys()), key=lambda e: e.name)),
        tuple(sorted((before[k] for k in before.keys() - after.keys()), key=lambda e: e.name)),
        tuple(sorted(changed, key=lambda c: c[0].name)),
    )
