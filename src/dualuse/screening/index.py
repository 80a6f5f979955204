"""An index of listed names and the score of a query against one of them.

The score is a weighted, two-way token alignment: each query token is matched to its most
similar token of the listed name and each listed token to its most similar query token
(equal, or within a few edits: rapidfuzz's normalised Indel similarity), each weighted by
how rare the token is among all listed names (inverse document frequency, places at a
quarter). Legal forms and word order therefore do not count; a rare word missing on
either side does. The spaceless forms of both names are compared too, for names written
with or without spaces ("Bi Ren" / "Biren"). The features that produced a score are
returned with it, so a hit explains itself.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Container, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from dualuse.screening.names import Token, terms, tokens

PLACE_WEIGHT = 0.25
"""A place name says where a party is, not who it is."""
TOKEN_FLOOR = 0.80
"""Below this similarity two tokens are different words."""
HANGUL_FLOOR = 0.66
"""Romanised Hangul spells a foreign brand loosely (화웨이 -> hwawei for Huawei)."""
CANDIDATES = 40
COMPACT_RESCUE = 0.9
"""Names that agree this well written without spaces score on that agreement."""
LENGTH_SLACK = 3
"""A similar word is at most this many letters longer or shorter."""
GENERIC_SHARE = 0.04
"""A word printed in more than this share of listed names is generic whatever terms.yaml
says (as "technology" is, in 2,500 of 20,000)."""


@dataclass(frozen=True, slots=True)
class IndexedName:
    entry: int
    text: str
    tokens: tuple[Token, ...]
    compact: str
    words: frozenset[str] = frozenset()
    hangul: bool = False


@dataclass(frozen=True, slots=True)
class Alignment:
    query: str
    listed: str
    similarity: float


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float
    name: IndexedName
    alignments: tuple[Alignment, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]
    compact: float


def _compact(toks: Sequence[Token]) -> str:
    return "".join(t.text for t in toks if not t.place)


@dataclass
class ScreeningIndex:
    names: list[IndexedName] = field(default_factory=list)
    df: dict[str, int] = field(default_factory=dict)
    postings: dict[str, list[int]] = field(default_factory=dict)
    buckets: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    idf_max: float = 1.0
    total: int = 1
    name_weights: list[float] = field(default_factory=list)
    idfs: dict[str, float] = field(default_factory=dict)
    _similar: dict[tuple[str, float], list[tuple[str, float]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    token_weights: list[tuple[float, ...]] = field(default_factory=list)
    generic: frozenset[str] = frozenset()

    @classmethod
    def build(cls, names_by_entry: Sequence[Sequence[str]]) -> ScreeningIndex:
        index = cls()
        postings: dict[str, list[int]] = defaultdict(list)
        for entry, names in enumerate(names_by_entry):
            for text in dict.fromkeys(names):
                toks = tokens(text)
                if not toks:
                    continue
                n = len(index.names)
                words = frozenset(t.text for t in toks)
                hangul = any(t.origin == "hangul" for t in toks)
                index.names.append(IndexedName(entry, text, toks, _compact(toks), words, hangul))
                for word in {t.text for t in toks}:
                    postings[word].append(n)
        index.postings = dict(postings)
        index.df = {w: len(p) for w, p in postings.items()}
        index.total = len(index.names) + 1
        index.idf_max = math.log(index.total) + 1.0
        index.idfs = {w: math.log(index.total / (df + 1)) + 1.0 for w, df in index.df.items()}
        common = index.total * GENERIC_SHARE
        index.generic = terms().generic | {w for w, df in index.df.items() if df > common}
        # Words by first letter and a length within the three edits a similar word may
        # differ by: a fuzzy look-up compares a word with these only.
        by_length: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in index.postings:
            by_length[(word[:1], len(word))].append(word)
        index.buckets = {
            (letter, n): [w for d in range(-LENGTH_SLACK, LENGTH_SLACK + 1)
                          for w in by_length.get((letter, n + d), ())]
            for letter, n in {(k[0], k[1] + d) for k in by_length
                              for d in range(-LENGTH_SLACK, LENGTH_SLACK + 1)}
        }  # fmt: skip
        index.token_weights = [tuple(index.weight(t) for t in name.tokens) for name in index.names]
        index.name_weights = [max(sum(w), 1e-9) for w in index.token_weights]
        return index

    def idf(self, word: str) -> float:
        return self.idfs.get(word, self.idf_max)

    def weight(self, token: Token) -> float:
        return self.idf(token.text) * (PLACE_WEIGHT if token.place else 1.0)

    def weights_of(self, query: Sequence[Token]) -> tuple[float, ...]:
        return tuple(self.weight(t) for t in query)

    def similar_words(self, word: str, floor: float = TOKEN_FLOOR) -> list[tuple[str, float]]:
        """Listed words equal or within a few edits of ``word`` (same first letter),
        remembered: a screening asks twice (candidates, then the score's bound)."""
        key = (word, floor)
        found = self._similar.get(key)
        if found is None:
            if len(self._similar) > 65536:
                self._similar.clear()
            found = self._similar[key] = self._similar_words(word, floor)
        return found

    def _similar_words(self, word: str, floor: float) -> list[tuple[str, float]]:
        found = [(word, 1.0)] if word in self.postings else []
        # A word the lists print needs no fuzzy look-up to find its candidates (the scoring
        # still compares every token); only unknown words (typos, romanised Hangul) do.
        if len(word) < 4 or (found and floor >= TOKEN_FLOOR):
            return found
        bucket = self.buckets.get((word[:1], len(word)), [])
        for other, sim, _ in process.extract(
            word, bucket, scorer=fuzz.ratio, score_cutoff=floor * 100, limit=8
        ):
            if other != word:
                found.append((other, sim / 100))
        return found

    def candidates(
        self, query: Sequence[Token], allowed: Container[int] | None = None
    ) -> list[int]:
        """Names sharing words with the query, best first: the summed rarity of the shared
        words over the root of the name's own (so a short name that is all shared words
        ranks above a long one that shares the same). Only entries in ``allowed``.

        A name is found by a distinctive word (Huawei, Sugon, a typo of either); generic
        words and places (technology, Beijing) rank what those found, and find names
        themselves only when the query has nothing else. Opening every name that says
        "technology" would cost a pass over 2,500 names per query and find no name that
        the query's own distinctive word would not."""
        scores: dict[int, float] = defaultdict(float)
        common: list[tuple[str, float]] = []
        for token in query:
            floor = HANGUL_FLOOR if token.origin == "hangul" else TOKEN_FLOOR
            w = self.weight(token)
            similar = self.similar_words(token.text, floor)
            # A word within a few edits of a generic one is that word misspelt (tecnology).
            generic = token.place or any(word in self.generic for word, _ in similar)
            for word, sim in similar:
                gain = min(w, self.idf(word)) * sim
                if generic:
                    common.append((word, gain))
                    continue
                for n in self.postings[word]:
                    scores[n] += gain
        names = self.names
        if common and not scores:
            for word, gain in common:
                for n in self.postings[word]:
                    scores[n] += gain
        elif common:
            for n in scores:
                held = names[n].words
                for word, gain in common:
                    if word in held:
                        scores[n] += gain
        weights = self.name_weights
        ranked = heapq.nlargest(
            CANDIDATES,
            (
                (v / math.sqrt(weights[n]), n)
                for n, v in scores.items()
                if allowed is None or names[n].entry in allowed
            ),
        )
        return [n for _, n in ranked]

    def unmatched_weight(
        self, query: Sequence[Token], query_weights: Sequence[float]
    ) -> tuple[float, float]:
        """The weight of the query's tokens that no listed word is similar to (as the
        candidate search finds similar words: same first letter, within three letters of
        length), at the floor a name without Hangul tokens is aligned with and at the
        looser one a name with them is: such tokens find no name and are found by none."""
        strict = loose = 0.0
        for t, w in zip(query, query_weights, strict=True):
            floor = HANGUL_FLOOR if t.origin == "hangul" else TOKEN_FLOOR
            if not self.similar_words(t.text, floor):
                strict += w
                if floor == HANGUL_FLOOR or not self.similar_words(t.text, HANGUL_FLOOR):
                    loose += w
        return strict, loose

    def upper_bound(self, n: int, unmatched: tuple[float, float], query_weight: float) -> float:
        """The highest token score name ``n`` can reach when ``unmatched`` (strict, loose)
        of the query's weight aligns with none of its words; the spaceless comparison is
        not bounded by it."""
        lost = unmatched[1] if self.names[n].hangul else unmatched[0]
        return 1.0 - lost / (query_weight + self.name_weights[n])

    def compact_similarity(self, query: Sequence[Token], n: int) -> float:
        q_compact = _compact(query)
        listed = self.names[n].compact
        if len(q_compact) >= 6 and len(listed) >= 6:
            return fuzz.ratio(q_compact, listed) / 100
        return 0.0

    def score(
        self, query: Sequence[Token], n: int, query_weights: Sequence[float] | None = None
    ) -> NameScore:
        """The query's score against name ``n``; ``query_weights`` (the query's token
        weights, :meth:`weights_of`) saves computing them for every candidate."""
        name = self.names[n]
        q_weights = query_weights if query_weights is not None else self.weights_of(query)
        q_best, l_best = _alignment(query, name.tokens)
        num = den = 0.0
        alignments = []
        unmatched_q, unmatched_l = [], []
        for q, w, (sim, other) in zip(query, q_weights, q_best, strict=True):
            num += w * sim
            den += w
            if sim > 0 and other is not None:
                alignments.append(Alignment(q.text, other.text, round(sim, 3)))
            elif not q.place:
                unmatched_q.append(q.text)
        for t, w, (sim, _) in zip(name.tokens, self.token_weights[n], l_best, strict=True):
            num += w * sim
            den += w
            if sim == 0 and not t.place:
                unmatched_l.append(t.text)
        token_score = num / den if den else 0.0
        compact = self.compact_similarity(query, n)
        # The spaceless comparison rescues names split differently; it ignores places, so
        # it never outranks a token alignment that already holds.
        score = token_score
        if compact >= COMPACT_RESCUE and token_score < COMPACT_RESCUE:
            score = max(token_score, compact * 0.97)
        return NameScore(
            round(score, 4),
            name,
            tuple(alignments),
            tuple(unmatched_q),
            tuple(unmatched_l),
            compact,
        )


def _alignment(
    query: Sequence[Token], listed: Sequence[Token]
) -> tuple[list[tuple[float, Token | None]], list[tuple[float, Token | None]]]:
    """Each query token's most similar listed token and each listed token's most similar
    query token: equal, or at least the floor (Hangul's when either side is romanised
    Hangul) for words of four letters or more. Each pair is compared once; a pair whose
    lengths alone keep its similarity under the floor is not compared at all."""
    q_hangul = any(q.origin == "hangul" for q in query)
    l_hangul = any(t.origin == "hangul" for t in listed)
    q_best: list[tuple[float, Token | None]] = [(0.0, None)] * len(query)
    l_best: list[tuple[float, Token | None]] = [(0.0, None)] * len(listed)
    for i, q in enumerate(query):
        q_len = len(q.text)
        for j, t in enumerate(listed):
            if q.text == t.text:
                sim = 1.0
            else:
                t_len = len(t.text)
                if q_len < 4 or t_len < 4:
                    continue
                # The listed token is held to the query token's floor and the other way
                # round, as _best did for each side.
                floor_q = HANGUL_FLOOR if l_hangul or q.origin == "hangul" else TOKEN_FLOOR
                floor_t = HANGUL_FLOOR if q_hangul or t.origin == "hangul" else TOKEN_FLOOR
                floor = min(floor_q, floor_t)
                # Indel similarity is at most 2 * shorter / (both lengths).
                if 2 * min(q_len, t_len) < floor * (q_len + t_len):
                    continue
                sim = fuzz.ratio(q.text, t.text, score_cutoff=floor * 100) / 100
                if sim == 0.0:
                    continue
                if sim >= floor_q and sim > q_best[i][0]:
                    q_best[i] = (sim, t)
                if sim >= floor_t and sim > l_best[j][0]:
                    l_best[j] = (sim, q)
                continue
            if sim > q_best[i][0]:
                q_best[i] = (sim, t)
            if sim > l_best[j][0]:
                l_best[j] = (sim, q)
    return q_best, l_best
