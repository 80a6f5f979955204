"""Every list snapshot dualuse knows, and the lists as they stood on a day.

The bundled snapshot (BIS's lists as extracted on 2026-07-09) ships with the package;
snapshots a user imports (``dualuse lists import``) are kept under the data folder, one
file each, never overwritten. ``history.yaml`` holds the Federal Register rules that added,
changed and removed the entries that matter here, so that a day before a snapshot sees
the list as it was then: entries removed since come back, entries added since are not
yet there, review policies come from the rule that set them.

For a day D the view takes the newest snapshot dated on or before D (the oldest when D
precedes them all), adds entries that later snapshots date on or before D, and keeps
only entries in force on D. Every snapshot the view drew on is named in the
determination.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from dualuse.contract import ReviewPolicy
from dualuse.datafiles import load_yaml as load_data_yaml
from dualuse.ledger.identity import normalise_name
from dualuse.lists.models import ListEntry, ListId, SnapshotManifest
from dualuse.rulebooks.models import StatusEvent
from dualuse.settings import data_home

BUNDLED = ("us-bis-2026-07-09.json.gz", "csl-2026-07-31.json.gz")
"""The eCFR extraction (names, addresses, footnotes, listing dates) and ITA's CSL three
weeks later (licence review policies, the Unverified List). Each fills what the other
lacks, by entry (list and folded name), without overwriting what an entry states."""

CURATED = ("cn-mofcom.yaml",)
"""Lists no authority publishes as data, curated from their announcements (China's)."""


@dataclass(frozen=True)
class Snapshot:
    manifest: SnapshotManifest
    entries: tuple[ListEntry, ...]

    @property
    def id(self) -> str:
        return self.manifest.id


# ----------------------------------------------------------------------------- history


class HistoryChange(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    action: str = Field(pattern=r"^(add|remove|modify)$")
    list: ListId = ListId.entity_list
    name: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    license_requirement: str | None = None
    review_policy: str | None = None
    review_policy_text: str | None = None
    footnote: int | None = None
    source: str | None = None
    uncertain: str | None = None


class HistoryRule(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    rule: str
    title: str | None = None
    published: dt.date | None = None
    effective: dt.date
    url: str | None = None
    changes: list[HistoryChange] = Field(default_factory=list)
    note: str | None = None


_HISTORY = TypeAdapter(list[HistoryRule])


def _policy(text: str | None) -> ReviewPolicy | None:
    if text is None:
        return None
    try:
        return ReviewPolicy(text)
    except ValueError:
        # "policy_of_denial" (part 746) reads as a presumption of denial; "mixed" and
        # "unknown" leave the policy to the entry's own text.
        return ReviewPolicy.presumption_of_denial if text == "policy_of_denial" else None


@lru_cache(maxsize=1)
def history() -> tuple[HistoryRule, ...]:
    node = resources.files("dualuse.lists").joinpath("data/history.yaml")
    rules = _HISTORY.validate_python(load_data_yaml(node) or [])
    return tuple(sorted(rules, key=lambda r: r.effective))


class NativeName(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    script: str
    name: str
    source: str


class NativeNames(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    entry_name: str
    entry_country: str | None = None
    names: list[NativeName]


@lru_cache(maxsize=1)
def native_names() -> dict[str, tuple[str, ...]]:
    """Sourced Han and Hangul names of listed parties, by the entry's folded name."""
    node = resources.files("dualuse.lists").joinpath("data/native_names.yaml")
    rows = TypeAdapter(list[NativeNames]).validate_python(load_data_yaml(node) or [])
    out: dict[str, tuple[str, ...]] = {}
    for row in rows:
        key = normalise_name(row.entry_name)
        out[key] = tuple(dict.fromkeys((*out.get(key, ()), *(n.name for n in row.names))))
    return out


def _key(list_id: ListId, name: str) -> tuple[ListId, str]:
    return list_id, normalise_name(name)


def _with_history(snapshot_id: str, entries: list[ListEntry]) -> list[ListEntry]:
    """The snapshot's entries with the dates and policies of the rules in the history, and
    the entries those rules removed before the snapshot was taken."""
    by_key: dict[tuple[ListId, str], list[int]] = {}
    for i, e in enumerate(entries):
        by_key.setdefault(_key(e.list, e.name), []).append(i)
    adds: dict[tuple[ListId, str], tuple[HistoryRule, HistoryChange]] = {}
    for rule in history():
        for change in rule.changes:
            key = _key(change.list, change.name)
            found = by_key.get(key, [])
            if change.action == "add":
                adds[key] = (rule, change)
                for i in found:
                    entries[i] = _enriched(entries[i], rule, change)
            elif change.action == "modify":
                for i in found:
                    entries[i] = _enriched(entries[i], rule, change, modified=True)
            elif found:
                for i in found:
                    listed = entries[i].listed
                    if listed is None or listed <= rule.effective:
                        entries[i] = entries[i].model_copy(update={"removed": rule.effective})
            else:
                added = adds.get(key)
                entries.append(_removed_entry(rule, change, added))
                by_key[key] = [len(entries) - 1]
    return entries


def _enriched(
    entry: ListEntry, rule: HistoryRule, change: HistoryChange, modified: bool = False
) -> ListEntry:
    update: dict[str, Any] = {}
    policy = _policy(change.review_policy)
    if policy is not None:
        update["review_policy"] = policy
        update["review_policy_text"] = change.review_policy_text
        update["review_policy_source"] = rule.rule
    if change.footnote and change.footnote not in entry.footnotes:
        update["footnotes"] = tuple(sorted({*entry.footnotes, change.footnote}))
    if modified:
        update["modified"] = (*entry.modified, rule.effective)
    else:
        # The rule's effective date is more exact than the citation's publication date.
        update["listed"] = rule.effective
        if rule.rule not in entry.citations:
            update["citations"] = (*entry.citations, rule.rule)
    if change.uncertain:
        update["uncertain"] = change.uncertain
    return entry.model_copy(update=update)


def _removed_entry(
    rule: HistoryRule, change: HistoryChange, added: tuple[HistoryRule, HistoryChange] | None
) -> ListEntry:
    first = added[1] if added else change
    return ListEntry(
        list=change.list,
        name=change.name,
        aliases=tuple(change.aliases or first.aliases),
        country=change.country or first.country,
        license_requirement=first.license_requirement or change.license_requirement,
        review_policy=_policy(first.review_policy),
        review_policy_text=first.review_policy_text,
        review_policy_source=added[0].rule if added else None,
        footnotes=(first.footnote,) if first.footnote else (),
        citations=tuple(dict.fromkeys([added[0].rule, rule.rule] if added else [rule.rule])),
        listed=added[0].effective if added else None,
        removed=rule.effective,
        snapshot="history",
        uncertain=None if added else "The date of listing is not in the history.",
    )


# --------------------------------------------------------------------------- snapshots


def _read_snapshot(raw: bytes) -> tuple[SnapshotManifest, list[ListEntry]]:
    data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    manifest = SnapshotManifest.model_validate(data["manifest"])
    natives = native_names()
    entries = []
    for row in data["entries"]:
        row = {k: v for k, v in row.items() if v is not None}
        row.setdefault("snapshot", manifest.id)
        entry = ListEntry.model_validate(row)
        extra = natives.get(normalise_name(entry.name))
        if extra:
            entry = entry.model_copy(update={"native_names": extra})
        entries.append(entry)
    return manifest, entries


class CuratedSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    citation: str
    url: str
    urls: tuple[str, ...] = ()


class CuratedEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    list: ListId
    name: str
    aliases: tuple[str, ...] = ()
    native_names: tuple[str, ...] = ()
    country: str | None = None
    listed: dt.date
    by: str = Field(description="The key of the announcement in ``sources``.")
    status: tuple[StatusEvent, ...] = ()
    uncertain: str | None = None


class CuratedList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    manifest: SnapshotManifest
    sources: dict[str, CuratedSource]
    suspensions: dict[str, Any] = Field(
        default_factory=dict, description="YAML anchors the entries refer to."
    )
    entries: list[CuratedEntry]


def read_curated(name: str) -> Snapshot:
    """A curated list file as a snapshot: each entry cites the announcement that listed it."""
    node = resources.files("dualuse.lists").joinpath(f"data/{name}")
    data = CuratedList.model_validate(load_data_yaml(node))
    entries = []
    for row in data.entries:
        source = data.sources.get(row.by)
        if source is None:
            raise ValueError(f"{name}: entry {row.name!r} cites unknown source {row.by!r}")
        entries.append(
            ListEntry(
                list=row.list,
                name=row.name,
                aliases=row.aliases,
                native_names=row.native_names,
                country=row.country,
                listed=row.listed,
                citations=(source.citation,),
                urls=(source.url, *source.urls),
                status=row.status,
                uncertain=row.uncertain,
                snapshot=data.manifest.id,
            )
        )
    return Snapshot(data.manifest, tuple(entries))


_FILLED = (
    "review_policy",
    "review_policy_text",
    "review_policy_source",
    "listed",
    "expires",
    "footnotes",
    "addresses",
)


def _filled(entries: list[ListEntry], others: list[ListEntry]) -> list[ListEntry]:
    """Each entry with the facts another snapshot gives for the same entry and this one
    lacks (the policy the eCFR extraction dropped; the dates and footnotes the CSL omits)."""
    known: dict[tuple[ListId, str], ListEntry] = {}
    for other in others:
        known.setdefault(_key(other.list, other.name), other)
    out = []
    for entry in entries:
        match = known.get(_key(entry.list, entry.name))
        if match is None:
            out.append(entry)
            continue
        update = {
            f: getattr(match, f) for f in _FILLED if not getattr(entry, f) and getattr(match, f)
        }
        out.append(entry.model_copy(update=update) if update else entry)
    return out


def imported_folder() -> Path:
    return data_home() / "lists"


def _mtime(folder: Path) -> int | None:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return None


class Registry:
    """The snapshots on this machine: bundled and imported. Reloaded when a file appears.

    Every screening asks for the snapshots, so the imported folder is looked at with one
    ``stat`` (an import changes the folder's modification time) and listed only when it
    has changed, not on every call.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshots: dict[str, Snapshot] = {}
        self._seen: frozenset[str] = frozenset()
        self._signature: tuple[Path, int | None] | None = None
        self._sorted: list[Snapshot] = []

    def snapshots(self) -> list[Snapshot]:
        with self._lock:
            folder = imported_folder()
            signature = (folder, _mtime(folder))
            if signature != self._signature or not self._snapshots:
                if self._signature is not None and self._signature[0] != folder:
                    # Another data folder (DUALUSE_HOME changed): its imports, not the last's.
                    self._snapshots, self._seen = {}, frozenset()
                files = self.imported_files()
                if not self._snapshots or files != self._seen:
                    self._load(folder, files)
                self._signature = signature
            return list(self._sorted)

    def _load(self, folder: Path, files: frozenset[str]) -> None:
        if not self._snapshots:
            loaded = []
            for name in BUNDLED:
                raw = resources.files("dualuse.lists").joinpath(f"data/{name}").read_bytes()
                loaded.append(_read_snapshot(raw))
            for i, (manifest, entries) in enumerate(loaded):
                others = [e for j, (_, group) in enumerate(loaded) if j != i for e in group]
                filled = _filled(entries, others)
                self._snapshots[manifest.id] = Snapshot(
                    manifest, tuple(_with_history(manifest.id, filled))
                )
            for name in CURATED:
                curated = read_curated(name)
                self._snapshots[curated.id] = curated
        for name in sorted(files - self._seen):
            manifest, entries = _read_snapshot((folder / name).read_bytes())
            self._snapshots[manifest.id] = Snapshot(
                manifest, tuple(_with_history(manifest.id, entries))
            )
        self._seen = files
        self._sorted = sorted(self._snapshots.values(), key=lambda s: (s.manifest.as_of, s.id))

    def imported_files(self) -> frozenset[str]:
        folder = imported_folder()
        if not folder.is_dir():
            return frozenset()
        return frozenset(p.name for p in folder.glob("*.json.gz"))

    def prime(self, snapshots: list[Snapshot], files: frozenset[str]) -> None:
        """Take snapshots loaded from the corpus cache (see dualuse.screening.screen)."""
        with self._lock:
            self._snapshots = {s.id: s for s in snapshots}
            self._seen = files
            self._sorted = sorted(snapshots, key=lambda s: (s.manifest.as_of, s.id))
            folder = imported_folder()
            self._signature = (folder, _mtime(folder))

    def get(self, snapshot_id: str) -> Snapshot:
        for s in self.snapshots():
            if s.id == snapshot_id:
                return s
        known = ", ".join(s.id for s in self.snapshots())
        raise KeyError(f"no list snapshot {snapshot_id!r}; known: {known}")


REGISTRY = Registry()


@dataclass(frozen=True)
class ListView:
    """The entries a determination on ``day`` reads, and the snapshots they came from."""

    day: dt.date
    snapshots: tuple[str, ...]
    entries: tuple[ListEntry, ...] = field(repr=False)


def view_for(
    day: dt.date, snapshots: Iterable[Snapshot] | None = None, authority: str | None = None
) -> ListView:
    """The lists on ``day``: each authority's snapshots are read on their own (a curated
    Chinese list says nothing of which US entries were in force), then put together."""
    chosen = list(snapshots) if snapshots is not None else REGISTRY.snapshots()
    groups: dict[str, list[Snapshot]] = {}
    for s in chosen:
        if authority is None or s.manifest.authority == authority:
            groups.setdefault(s.manifest.authority, []).append(s)
    used: list[str] = []
    entries: list[ListEntry] = []
    for name in sorted(groups):
        v = _authority_view(day, groups[name])
        used += v.snapshots
        entries += v.entries
    return ListView(day, tuple(used), tuple(entries))


def _authority_view(day: dt.date, chosen: list[Snapshot]) -> ListView:
    if not chosen:
        return ListView(day, (), ())
    on_or_before = [s for s in chosen if s.manifest.as_of <= day]
    base = on_or_before[-1] if on_or_before else chosen[0]
    used = [base.id]
    seen = {e.entry_id for e in base.entries}
    entries = [e for e in base.entries if e.in_force(day)]
    for later in chosen:
        if later.manifest.as_of <= base.manifest.as_of or later is base:
            continue
        extra = [
            e for e in later.entries if e.entry_id not in seen and e.listed and e.in_force(day)
        ]
        if extra:
            used.append(later.id)
            entries += extra
            seen.update(e.entry_id for e in extra)
    return ListView(day, tuple(used), tuple(entries))


def dump_snapshot(manifest: SnapshotManifest, entries: list[ListEntry]) -> bytes:
    body = {
        "manifest": manifest.model_dump(mode="json"),
        "entries": [e.model_dump(mode="json", exclude_defaults=True) for e in entries],
    }
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(text.encode(), mtime=0)
