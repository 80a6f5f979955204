"""Screening a name against the lists as they stood on a day.

A query is reduced to tokens (:mod:`dualuse.screening.names`), candidates come from the
index of every listed name and alias of every snapshot, and each candidate in force on the
day is scored (:mod:`dualuse.screening.index`), then qualified: a party whose country is
neither the entry's nor in its addresses scores lower; an address sharing words with the
entry's adds a little. One hit per entry, best name first. At or above ``match`` a hit is a
match and carries the list's legal effect; between ``possible`` and ``match`` it is a
possible match for review. An officer's review decision (kept in the journal) turns a
possible match into a confirmed one, or clears a hit, for as long as the entry is the same
version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.contract import ScreeningHit, ScreeningReview
from dualuse.datafiles import data_dir, load_yaml
from dualuse.lists.models import ListEntry
from dualuse.lists.store import REGISTRY, ListView, Snapshot, view_for
from dualuse.screening.index import NameScore, ScreeningIndex
from dualuse.screening.names import tokens
from dualuse.screening.review import Review, ReviewKey, party_key

_FAMILY = {"HK": "CN", "MO": "CN"}
"""The lists file Hong Kong and Macau parties under China."""


@dataclass(frozen=True)
class Thresholds:
    match: float
    possible: float
    country_mismatch: float
    address_bonus: float


@lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    raw: dict[str, Any] = load_yaml(data_dir("screening").joinpath("thresholds.yaml"))
    return Thresholds(**raw)


@dataclass(frozen=True)
class Corpus:
    """Every listed entry of every snapshot, indexed once per set of snapshots."""

    snapshots: tuple[Snapshot, ...]
    entries: tuple[ListEntry, ...]
    index: ScreeningIndex
    position: dict[int, int]


_LOCK = threading.Lock()
_CORPUS: dict[tuple[str, ...], Corpus] = {}


def _cache_path() -> Path:
    """Where the built corpus is kept between processes: keyed by everything it is made of
    (the package's list data, terms and version, and the imported snapshot files), so a
    change to any of them builds it anew. Each CLI run would otherwise spend about 2.5 s
    loading and indexing the lists."""
    from dualuse import __version__
    from dualuse.lists.store import BUNDLED, imported_folder

    h = hashlib.sha256(__version__.encode())
    for part in (*(f"data/{n}" for n in BUNDLED), "data/history.yaml", "data/native_names.yaml"):
        h.update(resources.files("dualuse.lists").joinpath(part).read_bytes())
    for name in ("terms.yaml", "thresholds.yaml"):
        h.update(data_dir("screening").joinpath(name).read_bytes())
    folder = imported_folder()
    for name in sorted(REGISTRY.imported_files()):
        stat = (folder / name).stat()
        h.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dualuse" / f"corpus-{h.hexdigest()[:20]}.pickle"


def _cached() -> Corpus | None:
    try:
        path = _cache_path()
        if path.is_file():
            with path.open("rb") as fh:
                loaded: Corpus = pickle.load(fh)
            # Positions are keyed by object identity, which a new process does not share.
            position = {id(e): i for i, e in enumerate(loaded.entries)}
            found = Corpus(loaded.snapshots, loaded.entries, loaded.index, position)
            REGISTRY.prime(list(found.snapshots), REGISTRY.imported_files())
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return None


def _store(found: Corpus) -> None:
    try:
        path = _cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(found, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: build each time


def corpus() -> Corpus:
    if not _CORPUS:
        with _LOCK:
            if not _CORPUS:
                cached = _cached()
                if cached is not None:
                    _CORPUS[tuple(s.id for s in cached.snapshots)] = cached
    snapshots = tuple(REGISTRY.snapshots())
    key = tuple(s.id for s in snapshots)
    with _LOCK:
        found = _CORPUS.get(key)
        if found is None:
            entries: list[ListEntry] = []
            for s in snapshots:
                entries += s.entries
            index = ScreeningIndex.build([e.all_names() for e in entries])
            found = Corpus(
                snapshots, tuple(entries), index, {id(e): i for i, e in enumerate(entries)}
            )
            _CORPUS.clear()
            _CORPUS[key] = found
            _VIEWS.clear()
            _store(found)
        return found


_VIEWS: dict[dt.date, tuple[ListView, frozenset[int]]] = {}


def view(day: dt.date) -> tuple[ListView, frozenset[int]]:
    """The lists on ``day`` and the positions of their entries in the corpus."""
    c = corpus()
    found = _VIEWS.get(day)
    if found is None:
        v = view_for(day, c.snapshots)
        found = (v, frozenset(c.position[id(e)] for e in v.entries))
        if len(_VIEWS) > 4096:
            _VIEWS.clear()
        _VIEWS[day] = found
    return found


def _country_factor(entry: ListEntry, country: str | None) -> tuple[float, str | None]:
    if country is None or entry.country is None:
        return 1.0, None
    if _FAMILY.get(country, country) == _FAMILY.get(entry.country, entry.country):
        return 1.0, f"country {country} is the entry's ({entry.country})"
    named = _country_names(country)
    if any(n in a.casefold() for a in entry.addresses for n in named):
        return 1.0, f"country {country} appears in the entry's addresses"
    t = thresholds()
    return (
        t.country_mismatch,
        f"country {country} differs from the entry's ({entry.country}): x{t.country_mismatch}",
    )


@lru_cache(maxsize=512)
def _country_names(code: str) -> tuple[str, ...]:
    import pycountry

    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return ()
    names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
    return tuple(n.casefold() for n in names)


def _address_bonus(entry: ListEntry, address: str | None) -> tuple[float, str | None]:
    if not address or not entry.addresses:
        return 0.0, None
    ours = {t.text for t in tokens(address) if len(t.text) > 3}
    theirs = {t.text for a in entry.addresses for t in tokens(a) if len(t.text) > 3}
    shared = ours & theirs
    if not ours or not shared:
        return 0.0, None
    bonus = thresholds().address_bonus * len(shared) / len(ours)
    return bonus, f"address shares {', '.join(sorted(shared)[:6])}: +{bonus:.3f}"


def _explain(best: NameScore) -> list[str]:
    lines = [f"name '{best.name.text}' scored {best.score:.3f}"]
    for a in best.alignments:
        how = "equal" if a.similarity == 1.0 else f"similar {a.similarity:.2f}"
        lines.append(f"'{a.query}' ~ '{a.listed}' ({how})")
    if best.unmatched_query:
        lines.append("not in the listed name: " + ", ".join(best.unmatched_query))
    if best.unmatched_listed:
        lines.append("not in the query: " + ", ".join(best.unmatched_listed))
    if best.compact >= 0.9 and best.compact >= best.score:
        lines.append(f"written without spaces the names agree {best.compact:.2f}")
    return lines


def screen_name(
    name: str,
    day: dt.date,
    country: str | None = None,
    address: str | None = None,
    reviews: Mapping[ReviewKey, Review] | None = None,
    limit: int = 5,
) -> tuple[list[ScreeningHit], ListView]:
    """Hits for one name on ``day``, strongest first, with the view they were read from."""
    c = corpus()
    v, in_force = view(day)
    t = thresholds()
    query = tokens(name)
    if not query:
        return [], v
    best_by_entry: dict[int, tuple[float, NameScore, list[str]]] = {}
    for n in c.index.candidates(query, in_force):
        entry_pos = c.index.names[n].entry
        scored = c.index.score(query, n)
        if scored.score < t.possible * t.country_mismatch:
            continue
        entry = c.entries[entry_pos]
        factor, why_country = _country_factor(entry, country)
        bonus, why_address = _address_bonus(entry, address)
        final = min(1.0, scored.score * factor + bonus)
        notes = [x for x in (why_country, why_address) if x]
        held = best_by_entry.get(entry_pos)
        if held is None or final > held[0]:
            best_by_entry[entry_pos] = (final, scored, notes)
    key = party_key(name, country)
    hits = []
    shown: set[tuple[str, str]] = set()
    for pos, (final, scored, notes) in sorted(best_by_entry.items(), key=lambda kv: -kv[1][0]):
        if final < t.possible:
            continue
        entry = c.entries[pos]
        # The same entry printed by two snapshots the view drew on is one hit.
        same = (entry.list.value, entry.name.casefold())
        if same in shown:
            continue
        shown.add(same)
        review = (reviews or {}).get((key, entry.entry_id))
        hits.append(_hit(entry, scored, final, _explain(scored) + notes, review))
        if len(hits) >= limit:
            break
    return hits, v


def _hit(
    entry: ListEntry, scored: NameScore, final: float, explanation: list[str], review: Review | None
) -> ScreeningHit:
    t = thresholds()
    status = "match" if final >= t.match else "possible_match"
    shown = None
    effect = status == "match"
    if review is not None:
        current = review.entry_version == entry.version
        shown = ScreeningReview(
            decision=review.decision,
            reason=review.reason,
            actor=review.actor,
            seq=review.seq,
            entry_version=review.entry_version,
            current=current,
        )
        if current:
            effect = review.decision == "true_match"
    return ScreeningHit(
        list_id=entry.list.value,
        entry_id=entry.entry_id,
        entry_version=entry.version,
        entry_name=entry.name,
        entry_country=entry.country,
        matched_name=scored.name.text,
        score=round(final, 4),
        status=status,
        effect=effect,
        explanation=explanation,
        license_requirement=entry.license_requirement,
        review_policy=entry.review_policy,
        review_policy_text=entry.review_policy_text,
        footnotes=list(entry.footnotes),
        listed=entry.listed,
        citation=entry_citation(entry),
        snapshot=entry.snapshot,
        review=shown,
    )


_LIST_CITATIONS = {
    "entity_list": "15 CFR 744.11; Supp. No. 4 to part 744",
    "meu": "15 CFR 744.21; Supp. No. 7 to part 744",
    "uvl": "15 CFR 744.15; Supp. No. 6 to part 744",
    "dpl": "15 CFR 736.2(b)(4) (General Prohibition Four); 764.3(a)(2); Denied Persons List",
}


def entry_citation(entry: ListEntry) -> str:
    base = _LIST_CITATIONS.get(entry.list.value, entry.list.value)
    return f"{base}; {entry.citation}" if entry.citation else base


def entry_for(hit: ScreeningHit) -> ListEntry:
    c = corpus()
    for e in c.entries:
        if e.entry_id == hit.entry_id and e.version == hit.entry_version:
            return e
    raise KeyError(hit.entry_id)


def entries_by_id() -> dict[tuple[str, str], ListEntry]:
    return {(e.entry_id, e.version): e for e in corpus().entries}


def names_of(entries: Sequence[ListEntry]) -> list[str]:
    return [e.name for e in entries]
