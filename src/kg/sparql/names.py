"""Matching names: the one normalisation and ranking behind search and "did you mean".

A name and a query are compared after :func:`normalize` (NFKC, case-folded, punctuation and
spaces dropped: ``"Chief of Staff, Joint Staff"`` and ``chief_joint_staff`` keep only letters
and digits; full-width and half-width forms meet). Candidates are found by character bigrams,
and by single characters for one-character queries (豪, 英, 米), because a word index finds
nothing in unspaced Japanese and SQLite's FTS5 trigram tokenizer finds nothing for two-character
words (防衛, 会談). A match is ranked by its :data:`LEVELS`: exact > prefix > substring >
bigram overlap; within a level, the query covering more of the name ranks higher.

>>> index = NameIndex([("AUS", "オーストラリア"), ("AUS", "豪"), ("AUT", "オーストリア")])
>>> [(m.key, m.level) for m in index.search("豪")]
[('AUS', 'exact')]
>>> closest("forum_hub", ["forum_hubs", "new_partners"])
['forum_hubs']

kg.sparql.lookup builds a :class:`NameIndex` over the graph's labels and aliases (``kg lookup``,
names as query parameters); :func:`closest` ranks short lists of codes (query names, IRIs).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

__all__ = [
    "LEVELS",
    "Match",
    "NameIndex",
    "closest",
    "fits",
    "grams",
    "marks",
    "normalize",
    "score",
]

K = TypeVar("K", bound=Hashable)

#: Match levels, best first, with the score range each level's matches fall in.
LEVELS = {
    "exact": (1.0, 1.0),
    "prefix": (0.8, 0.95),
    "substring": (0.6, 0.75),
    "overlap": (0.0, 0.5),
}
#: An overlap match needs at least this share of the query's bigrams in the name.
MIN_COVER = 0.5

_DROP = ("P", "Z", "C")  # punctuation, separators (spaces), control characters


@lru_cache(maxsize=1 << 16)  # a big graph repeats its texts: thousands of events share one
def normalize(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, without punctuation or spaces.

    >>> normalize("Chief of Staff, Joint Staff")
    'chiefofstaffjointstaff'
    >>> normalize("ＡＳＥＡＮ・国防相会議")
    'asean国防相会議'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in _DROP)


def marks(text: str) -> frozenset[str]:
    """The characters :func:`normalize` drops from a text (punctuation, spaces).

    >>> sorted(marks("Chief of Staff, Joint Staff"))
    [' ', ',']
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return frozenset(ch for ch in folded if unicodedata.category(ch)[0] in _DROP)


def fits(given: str, name: str) -> bool:
    """Whether ``given`` may stand for ``name``, equal after :func:`normalize`: it may leave
    out the name's punctuation and spaces, not add its own (``PHL } {`` is not ``PHL``).

    >>> fits("Chief of Staff Joint Staff", "Chief of Staff, Joint Staff")
    True
    >>> fits("PHL } {", "PHL")
    False
    """
    return normalize(given) == normalize(name) and marks(given) <= marks(name)


@lru_cache(maxsize=1 << 16)
def grams(norm: str) -> frozenset[str]:
    """Character bigrams of a normalised text; its one character when it has only one."""
    if len(norm) < 2:
        return frozenset({norm}) if norm else frozenset()
    return frozenset(norm[i : i + 2] for i in range(len(norm) - 1))


def score(query: str, name: str) -> tuple[float, str] | None:
    """(score, level) of a normalised name for a normalised query, or None when no match.

    >>> score("防衛", "防衛大臣")
    (0.875, 'prefix')
    >>> score("phi", "phl")
    (0.25, 'overlap')
    """
    if not query or not name:
        return None
    ratio = len(query) / len(name)
    if query == name:
        return 1.0, "exact"
    if name.startswith(query):
        return round(0.8 + 0.15 * ratio, 4), "prefix"
    if query in name:
        return round(0.6 + 0.15 * ratio, 4), "substring"
    q, n = grams(query), grams(name)
    if len(query) < 3 or not q:
        return None
    shared = len(q & n)
    if shared / len(q) < MIN_COVER:
        return None
    return round(0.5 * 2 * shared / (len(q) + len(n)), 4), "overlap"


class Match(NamedTuple, Generic[K]):
    """One key's best match: its score and level, and the name (as given) that matched."""

    key: K
    score: float
    level: str
    name: str


class NameIndex(Generic[K]):
    """Names of keys (a key may have many names), searchable by :meth:`search`.

    Each distinct normalised name is indexed once, however many keys share it (on a big
    graph, thousands of events share one text), by its bigrams and its characters.
    """

    def __init__(self, entries: Iterable[tuple[K, str]] = ()) -> None:
        self._keys: dict[str, dict[K, None]] = {}  # normalised name -> keys, in the order given
        self._shown: dict[str, str] = {}  # normalised name -> the name as first given
        for key, name in entries:
            self.add(key, name)
        self._bigrams: dict[str, list[str]] | None = None
        self._chars: dict[str, list[str]] | None = None
        self._order: dict[str, int] = {}

    def add(self, key: K, name: str) -> None:
        norm = normalize(name)
        if not norm:
            return
        self._keys.setdefault(norm, {})[key] = None
        self._shown.setdefault(norm, name)
        self._bigrams = self._chars = None

    def __len__(self) -> int:
        return len(self._keys)

    def _postings(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        if self._bigrams is None or self._chars is None:
            bigrams: dict[str, list[str]] = {}
            chars: dict[str, list[str]] = {}
            for norm in self._keys:
                for g in grams(norm) if len(norm) > 1 else ():
                    bigrams.setdefault(g, []).append(norm)
                for ch in set(norm):
                    chars.setdefault(ch, []).append(norm)
            self._bigrams, self._chars = bigrams, chars
            self._order = {norm: i for i, norm in enumerate(self._keys)}
        return self._bigrams, self._chars

    def search(
        self,
        text: str,
        limit: int | None = 20,
        accept: Callable[[K], bool] | None = None,
        unique: Callable[[K], Hashable] | None = None,
    ) -> list[Match[K]]:
        """The keys whose names match ``text``, best first (score, then the order names were
        first added), each key once with its best name; only keys ``accept`` takes; with
        ``unique``, only the best key of those it maps to the same value."""
        query = normalize(text)
        if not query:
            return []
        bigrams, chars = self._postings()
        if len(query) == 1:
            candidates: Iterable[str] = chars.get(query, ())
        else:
            q = grams(query)
            need = max(1, -(-len(q) // 2))  # ceil(MIN_COVER * len(q))
            counts = Counter(n for g in q for n in bigrams.get(g, ()))
            candidates = [n for n, c in counts.items() if c >= need]
        scored = []
        for norm in candidates:
            s = score(query, norm)
            if s is not None:
                scored.append((s, norm))
        order = self._order
        scored.sort(key=lambda x: (-x[0][0], order[x[1]]))
        best: dict[Hashable, Match[K]] = {}
        for (value, level), norm in scored:
            for key in self._keys[norm]:
                one = key if unique is None else unique(key)
                if one in best or (accept is not None and not accept(key)):
                    continue
                best[one] = Match(key, value, level, self._shown[norm])
                if limit is not None and len(best) >= limit:
                    return list(best.values())
        return list(best.values())


def closest(text: str, choices: Iterable[str], n: int = 5) -> list[str]:
    """The choices that match ``text`` best (any level), best first, at most ``n``.

    >>> closest("PHI", ["PHL", "AUS", "IND"])
    ['PHL']
    """
    index: NameIndex[str] = NameIndex((c, c) for c in choices)
    return [m.key for m in index.search(text, limit=n)]
