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

import bisect
import datetime as dt
import hashlib
import math
import os
import pickle
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.contract import ScreeningHit, ScreeningReview
from dualuse.datafiles import data_dir, load_yaml
from dualuse.errors import InputError
from dualuse.lists.models import ListEntry
from dualuse.lists.store import REGISTRY, ListView, Snapshot, view_for
from dualuse.screening.index import COMPACT_RESCUE, NameScore, ScreeningIndex
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
RECHECK_SECONDS = 1.0
"""How long a screening trusts that no snapshot was imported since the last look: looking
(a stat of the imported folder) cost a third of a screening of a name on no list. An import
in this process is seen at once (:func:`forget`); one in another process within a second."""
_CHECKED = [-math.inf]


def forget() -> None:
    """Look at the snapshots again on the next screening (after an import)."""
    _CHECKED[0] = -math.inf


def _cache_path() -> Path:
    """Where the built corpus is kept between processes: keyed by everything it is made of
    (the package's list data, terms and version, and the imported snapshot files), so a
    change to any of them builds it anew. Each CLI run would otherwise spend about 2.5 s
    loading and indexing the lists."""
    from dualuse import __version__
    from dualuse.lists.store import BUNDLED, CURATED, imported_folder

    h = hashlib.sha256(__version__.encode())
    listed = (*BUNDLED, *CURATED, "history.yaml", "native_names.yaml", "lists.yaml")
    for part in (f"data/{n}" for n in listed):
        h.update(resources.files("dualuse.lists").joinpath(part).read_bytes())
    for name in ("terms.yaml", "thresholds.yaml"):
        h.update(data_dir("screening").joinpath(name).read_bytes())
    # And the code that builds and pickles it: an index pickled by other code is not one.
    import dualuse.lists.models
    import dualuse.lists.store

    here = Path(__file__).parent
    for source in (
        here / "index.py",
        here / "names.py",
        Path(dualuse.lists.models.__file__),
        Path(dualuse.lists.store.__file__),
    ):
        h.update(source.read_bytes())
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
    now = time.monotonic()
    if _CORPUS and now - _CHECKED[0] < RECHECK_SECONDS:
        return next(iter(_CORPUS.values()))
    _CHECKED[0] = now
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
            _BOUNDARIES.clear()
            _SCREENED.clear()
            _store(found)
        return found


@dataclass(frozen=True, slots=True)
class InForce:
    """Which corpus positions a view holds, one byte each: a set of 9,000 positions took
    ~300 KB, and a long history keeps a view per span between list changes."""

    mask: bytes

    def __contains__(self, position: object) -> bool:
        return (
            isinstance(position, int)
            and 0 <= position < len(self.mask)
            and bool(self.mask[position])
        )

    @classmethod
    def of(cls, positions: Iterable[int], size: int) -> InForce:
        mask = bytearray(size)
        for p in positions:
            mask[p] = 1
        return cls(bytes(mask))


_VIEWS: dict[tuple[int, dt.date, str | None], tuple[ListView, InForce]] = {}
_BOUNDARIES: dict[int, list[dt.date]] = {}


def view(
    day: dt.date, c: Corpus | None = None, authority: str | None = None
) -> tuple[ListView, InForce]:
    """The lists on ``day`` (one authority's, or all) and the positions of their entries
    in the corpus.

    Which entries a day sees changes only on the days an entry is listed, removed or
    expires and on each snapshot's date; the days between two such boundaries share one
    view (a history of a thousand days reads a few hundred views, not a thousand)."""
    c = c or corpus()
    since = _since(day, c)
    found = _VIEWS.get((id(c), since, authority))
    if found is None:
        v = view_for(day, c.snapshots, authority)
        found = (v, InForce.of((c.position[id(e)] for e in v.entries), len(c.entries)))
        if len(_VIEWS) > 4096:
            _VIEWS.clear()
        _VIEWS[(id(c), since, authority)] = found
    elif found[0].day != day:
        found = (ListView(day, found[0].snapshots, found[0].entries), found[1])
    return found


def _since(day: dt.date, c: Corpus) -> dt.date:
    """The last boundary on or before ``day`` at which the corpus's view can change."""
    boundaries = _BOUNDARIES.get(id(c))
    if boundaries is None:
        days = {s.manifest.as_of for s in c.snapshots}
        for e in c.entries:
            days.update(d for d in (e.listed, e.removed, e.expires) if d is not None)
        boundaries = _BOUNDARIES[id(c)] = sorted(days)
    at = bisect.bisect_right(boundaries, day)
    return boundaries[at - 1] if at else dt.date.min


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


@lru_cache(maxsize=16384)
def _address_words(addresses: tuple[str, ...]) -> frozenset[str]:
    """The words of an entry's addresses (or a party's), built once per entry."""
    return frozenset(t.text for a in addresses for t in tokens(a) if len(t.text) > 3)


def _address_bonus(entry: ListEntry, address: str | None) -> tuple[float, str | None]:
    if not address or not entry.addresses:
        return 0.0, None
    ours = _address_words((address,))
    shared = ours & _address_words(entry.addresses)
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
    if best.compact >= COMPACT_RESCUE and best.compact >= best.score:
        lines.append(f"written without spaces the names agree {best.compact:.2f}")
    return lines


def screen_name(
    name: str,
    day: dt.date,
    country: str | None = None,
    address: str | None = None,
    reviews: Mapping[ReviewKey, Review] | None = None,
    limit: int = 5,
    authority: str | None = None,
) -> tuple[list[ScreeningHit], ListView]:
    """Hits for one name on ``day``, strongest first, with the view they were read from;
    with ``reviews``, each hit shows the officer's decision on it (:func:`with_reviews`);
    with ``authority``, against that authority's lists only (a determination per
    jurisdiction)."""
    c = corpus()
    key = (id(c), day, authority, name, country, address, limit)
    found = _SCREENED.get(key)
    if found is None:
        found = _screened(c, name, day, country, address, limit, authority)
        with _SCREENED_LOCK:
            if len(_SCREENED) >= SCREENED_KEPT:
                del _SCREENED[next(iter(_SCREENED))]  # the oldest goes first
            _SCREENED[key] = found
    hits, v = found
    return (with_reviews(hits, name, country, reviews) if reviews else list(hits)), v


SCREENED_KEPT = 16_384
"""Screenings remembered per process: a customer's name recurs on most of its orders."""
_SCREENED: dict[
    tuple[int, dt.date, str | None, str, str | None, str | None, int],
    tuple[tuple[ScreeningHit, ...], ListView],
] = {}
_SCREENED_LOCK = threading.Lock()
# Keyed by the corpus (a new import builds a new one and clears this), the day (its view
# and the suspensions in force), and every input of the screening; reviews are applied
# after, so an officer's decision is never answered from memory.


def _screened(
    c: Corpus,
    name: str,
    day: dt.date,
    country: str | None,
    address: str | None,
    limit: int,
    authority: str | None,
) -> tuple[tuple[ScreeningHit, ...], ListView]:
    v, in_force = view(day, c, authority)
    t = thresholds()
    query = tokens(name)
    if not query:
        return (), v
    best_by_entry: dict[int, tuple[float, NameScore, list[str]]] = {}
    query_weights = c.index.weights_of(query)
    floor = t.possible * t.country_mismatch - t.address_bonus
    unmatched = c.index.unmatched_weight(query, query_weights)
    query_weight = sum(query_weights)
    for n in c.index.candidates(query, in_force):
        # Most parties are on no list: a name that cannot reach the possible-match floor
        # whatever its alignment is not aligned (unless written without spaces it agrees).
        # "Cannot" as the candidate search reads similarity: a word with no similar listed
        # word there finds no name and aligns with none.
        if (
            unmatched[0]
            and c.index.upper_bound(n, unmatched, query_weight) < floor
            and c.index.compact_similarity(query, n) < COMPACT_RESCUE
        ):
            continue
        entry_pos = c.index.names[n].entry
        scored = c.index.score(query, n, query_weights)
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
        hits.append(_hit(entry, scored, final, _explain(scored) + notes, day))
        if len(hits) >= limit:
            break
    return tuple(hits), v


def with_reviews(
    hits: Sequence[ScreeningHit],
    name: str,
    country: str | None,
    reviews: Mapping[ReviewKey, Review],
) -> list[ScreeningHit]:
    """The hits with the officer's decisions on them: a decision on the entry's version the
    hit carries decides its effect; one on an earlier version is shown but decides nothing."""
    key = party_key(name, country)
    out = []
    for hit in hits:
        review = reviews.get((key, hit.entry_id))
        if review is None:
            out.append(hit)
            continue
        current = review.entry_version == hit.entry_version
        shown = ScreeningReview(
            decision=review.decision,
            reason=review.reason,
            actor=review.actor,
            seq=review.seq,
            entry_version=review.entry_version,
            current=current,
        )
        effect = review.decision == "true_match" if current else hit.effect
        out.append(hit.model_copy(update={"review": shown, "effect": effect}))
    return out


def review_target(
    entry_id: str, version: str | None, field: str, version_field: str
) -> tuple[ListEntry, str]:
    """The entry an officer's decision is about, and the version decided (the one the hit
    showed; by default the latest snapshot's). The fields name the inputs in messages."""
    found = [e for e in corpus().entries if e.entry_id == entry_id]
    if not found:
        raise InputError.single(field, entry_id, "no such list entry (see a screening's hits)")
    chosen = version or found[-1].version
    if chosen not in {e.version for e in found}:
        raise InputError.single(version_field, chosen, "not a version of this entry")
    return found[-1], chosen


def entry_of(hit: ScreeningHit) -> ListEntry:
    """The list entry (in the version) a hit was made on."""
    for entry in corpus().entries:
        if entry.entry_id == hit.entry_id and entry.version == hit.entry_version:
            return entry
    raise KeyError(hit.entry_id)


def _hit(
    entry: ListEntry, scored: NameScore, final: float, explanation: list[str], day: dt.date
) -> ScreeningHit:
    status = "match" if final >= thresholds().match else "possible_match"
    suspended = entry.suspension(day)
    if suspended is not None:
        until = f" until {suspended.to - dt.timedelta(days=1)}" if suspended.to else ""
        explanation = [
            *explanation,
            f"the listing is suspended from {suspended.from_}{until}: no effect that day",
        ]
    for event in entry.status:
        if event.lapsed_unknown(day) and event.to is not None:
            explanation = [
                *explanation,
                f"a suspension ended {event.to - dt.timedelta(days=1)} and what followed was "
                "not found: the listing is applied again",
            ]
    return ScreeningHit(
        list_id=entry.list.value,
        entry_id=entry.entry_id,
        entry_version=entry.version,
        entry_name=entry.name,
        entry_country=entry.country,
        matched_name=scored.name.text,
        score=round(final, 4),
        status=status,
        effect=status == "match" and suspended is None,
        explanation=explanation,
        license_requirement=entry.license_requirement,
        review_policy=entry.review_policy,
        review_policy_text=entry.review_policy_text,
        footnotes=list(entry.footnotes),
        listed=entry.listed,
        citation=entry_citation(entry),
        snapshot=entry.snapshot,
    )


@lru_cache(maxsize=1)
def _list_citations() -> dict[str, str]:
    raw: dict[str, dict[str, str]] = load_yaml(data_dir("lists").joinpath("data/lists.yaml"))
    return {list_id: row["citation"] for list_id, row in raw.items()}


def entry_citation(entry: ListEntry) -> str:
    base = _list_citations().get(entry.list.value, entry.list.value)
    return f"{base}; {entry.citation}" if entry.citation else base
