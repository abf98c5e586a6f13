"""Gazetteers under data/gazetteer: countries, Japanese and foreign offices, forums, places."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg import paths
from kg.pipeline.located import fold
from kg.pipeline.rules import read_csv


def _aliases(row: dict[str, str], name_key: str) -> list[str]:
    names = [row[name_key]] + [a for a in row.get("aliases", "").split("|") if a]
    return [fold(n) for n in names]


@dataclass(frozen=True)
class Country:
    code: str
    name_ja: str
    name_en: str
    wikidata: str
    region: str
    kind: str  # country | international_organization
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class JpOffice:
    slug: str
    name_ja: str
    name_en: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Title:
    slug: str
    title_ja: str
    title_en: str
    service: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Position:
    """One foreign office as printed in several ways: the title it is filed under in its
    country, its English title, and the other printed titles that name the same office."""

    country: str
    title: str  # slug of the canonical title (foreign_titles.csv)
    name_en: str
    aliases: tuple[str, ...]  # other printed titles of the same office (folded)
    note: str = ""


@dataclass(frozen=True)
class Forum:
    slug: str
    name_ja: str
    name_en: str
    organizer: str
    kind: str
    parties: tuple[str, ...]
    aliases: tuple[str, ...]
    wikipedia_en: str = ""  # the English Wikipedia article about the forum, when there is one


@dataclass(frozen=True)
class Place:
    slug: str
    name_ja: str
    name_en: str
    country: str
    wikidata: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    key: str
    alias: str


class AliasIndex:
    """Longest-first, non-overlapping search of a set of aliases in a text."""

    def __init__(self, pairs: list[tuple[str, str]], min_len: int = 1) -> None:
        self.pairs = sorted(
            ((a, k) for a, k in pairs if len(a) >= min_len), key=lambda p: (-len(p[0]), p[0])
        )
        self.exact = {a: k for a, k in self.pairs}
        # first character -> the aliases that begin with it, by their place in self.pairs
        self._first: dict[str, list[int]] = {}
        for i, (a, _) in enumerate(self.pairs):
            self._first.setdefault(a[:1], []).append(i)

    def find_all(self, text: str) -> list[Match]:
        taken = [False] * len(text)
        out: list[Match] = []
        # Only aliases that begin with a character of the text can occur in it: search those,
        # in the same order (a few of hundreds; searching every alias was most of extract).
        first = self._first
        places = [i for c in {*text, ""} for i in first.get(c, ())]
        pairs = self.pairs
        for alias, key in (pairs[i] for i in sorted(places)):
            start = text.find(alias)
            while start >= 0:
                end = start + len(alias)
                if not any(taken[start:end]):
                    out.append(Match(start, end, key, alias))
                    for i in range(start, end):
                        taken[i] = True
                start = text.find(alias, start + 1)
        return sorted(out, key=lambda m: m.start)

    def prefix(self, text: str) -> Match | None:
        for alias, key in self.pairs:
            if text.startswith(alias):
                return Match(0, len(alias), key, alias)
        return None

    def get(self, text: str) -> str | None:
        return self.exact.get(fold(text).strip())


@dataclass
class Gazetteer:
    countries: dict[str, Country]
    jp_offices: dict[str, JpOffice]
    titles: dict[str, Title]
    forums: dict[str, Forum]
    places: dict[str, Place]
    positions: dict[tuple[str, str], Position] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.country_index = AliasIndex(
            [(a, c.code) for c in self.countries.values() for a in c.aliases]
        )
        # Free text is only searched for names of two or more characters: 中 or 米 alone
        # are abbreviations that stand only in compounds such as 日米豪.
        self.country_text_index = AliasIndex(self.country_index.pairs, min_len=2)
        self.jp_index = AliasIndex(
            [(a, o.slug) for o in self.jp_offices.values() for a in o.aliases]
        )
        self.title_index = AliasIndex(
            [(a, t.slug) for t in self.titles.values() for a in t.aliases]
        )
        self.forum_index = AliasIndex(
            [(a, f.slug) for f in self.forums.values() for a in f.aliases]
        )
        self.place_index = AliasIndex(
            [(a, p.slug) for p in self.places.values() for a in p.aliases]
        )
        # (country, printed title) -> the title slug its office is filed under
        self.position_alias = {
            (p.country, a): p.title for p in self.positions.values() for a in p.aliases
        }

    def position_title(self, country: str, printed_title: str, slug: str) -> str:
        """The title slug of the office ``printed_title`` names in ``country`` (positions.csv):
        ``slug`` unless the title is a printed variant of another office's title there."""
        return self.position_alias.get((country, fold(printed_title)), slug)


def load_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    d = (data_dir or paths.data_dir()) / "gazetteer"
    countries = {
        r["code"]: Country(
            r["code"],
            r["name_ja"],
            r["name_en"],
            r["wikidata"],
            r["region"],
            r["kind"],
            tuple(_aliases(r, "name_ja")),
        )
        for r in read_csv(d / "countries.csv")
    }
    offices = {
        r["slug"]: JpOffice(r["slug"], r["name_ja"], r["name_en"], tuple(_aliases(r, "name_ja")))
        for r in read_csv(d / "jp_offices.csv")
    }
    titles = {
        r["slug"]: Title(
            r["slug"], r["title_ja"], r["title_en"], r["service"], tuple(_aliases(r, "title_ja"))
        )
        for r in read_csv(d / "foreign_titles.csv")
    }
    forums = {
        r["slug"]: Forum(
            r["slug"],
            r["name_ja"],
            r["name_en"],
            r["organizer"],
            r["kind"],
            tuple(p for p in r.get("parties", "").split("|") if p),
            tuple(_aliases(r, "name_ja")),
            r.get("wikipedia_en", ""),
        )
        for r in read_csv(d / "forums.csv")
    }
    places = {
        r["slug"]: Place(
            r["slug"],
            r["name_ja"],
            r["name_en"],
            r["country"],
            r["wikidata"],
            tuple(_aliases(r, "name_ja")),
        )
        for r in read_csv(d / "places.csv")
    }
    positions = {
        (r["country"], r["title"]): Position(
            r["country"],
            r["title"],
            r["name_en"],
            tuple(fold(a) for a in r.get("aliases", "").split("|") if a),
            r.get("note", ""),
        )
        for r in read_csv(d / "positions.csv")
    }
    return Gazetteer(countries, offices, titles, forums, places, positions)
