"""English labels of events: a sentence built from the event's structure, not a code.

"Chief of Staff, Air Self-Defense Force met the Inspector of the Air Force of Germany
(September 2022)", "Minister of Defense – Australia video conference (August 2020)": the
Japanese office's English name, a verb or noun from the event's kind and mode, the
counterparts' English titles with their country, the forum and place, and the month spelled
out. The words are data (``data/rules/english.csv``: months, verbs and nouns by mode, nouns by
indicator, the names that take "the"); the names are the gazetteers' English ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg import paths
from kg.model.records import Event
from kg.pipeline.gazetteer import Gazetteer
from kg.pipeline.rules import read_csv


@dataclass(frozen=True)
class Phrases:
    """The rows of data/rules/english.csv: ``(field, key) -> English``."""

    words: dict[tuple[str, str], str]
    the: frozenset[str]  # codes of countries and organizations whose name takes "the"
    bare: frozenset[str]  # slugs of forums whose name takes no "the"

    def __call__(self, field: str, key: str) -> str:
        return self.words[(field, key)]


def load_phrases(data_dir: Path | None = None) -> Phrases:
    rows = read_csv((data_dir or paths.data_dir()) / "rules" / "english.csv")
    words = {(r["field"], r["key"]): r["en"] for r in rows if r["field"] not in ("the", "bare")}
    the, bare = (frozenset(r["key"] for r in rows if r["field"] == f) for f in ("the", "bare"))
    return Phrases(words, the, bare)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def join(parts: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


class EventLabels:
    """Make the English label of each event from the gazetteers and the phrases."""

    def __init__(self, gazetteer: Gazetteer, phrases: Phrases) -> None:
        self.gz = gazetteer
        self.say = phrases

    # -- names ----------------------------------------------------------------------------------
    def country(self, code: str, running: bool = True) -> str:
        """A country's English name; in running text with "the" where it takes one."""
        name = self.gz.countries[code].name_en
        return f"the {name}" if running and code in self.say.the else name

    def countries(self, codes: list[str]) -> str:
        return join([self.country(c) for c in codes])

    def pair(self, codes: list[str]) -> str:
        """ "Japan–Australia", "Japan–South Korea–United States" (attributive: no article)."""
        return "–".join(["Japan", *(self.country(c, running=False) for c in codes)])

    def counterparts(self, keys: list[str]) -> str:
        """The foreign offices, grouped by country in order of first mention:
        "the Chief of Defence Force and the Chief of Joint Operations of Australia"."""
        by_country: dict[str, list[str]] = {}
        for key in keys:
            code, slug = key.split("/")
            by_country.setdefault(code, []).append(f"the {self.gz.titles[slug].title_en}")
        return join([f"{join(titles)} of {self.country(c)}" for c, titles in by_country.items()])

    def office(self, slug: str) -> str:
        return self.gz.jp_offices[slug].name_en

    def forum(self, e: Event) -> str:
        name = self.gz.forums[e.forum].name_en
        return f"{ordinal(e.forum_edition)} {name}" if e.forum_edition else name

    def place(self, slug: str) -> str:
        p = self.gz.places[slug]
        if p.country and p.name_en == self.gz.countries[p.country].name_en:
            return self.country(p.country)  # the place is a whole country: "the United States"
        return p.name_en

    def month(self, iso: str) -> tuple[str, str]:
        year, month = iso.split("-")
        return self.say("month", str(int(month))), year

    def when(self, e: Event) -> str:
        """ "June 2019", "October–December 2019", "October 2019–March 2020", or "FY2019"."""
        if not e.date:
            return f"FY{e.fiscal_year}"
        m1, y1 = self.month(e.date)
        if not e.end_date or e.end_date == e.date:
            return f"{m1} {y1}"
        m2, y2 = self.month(e.end_date)
        return f"{m1}–{m2} {y1}" if y1 == y2 else f"{m1} {y1}–{m2} {y2}"

    # -- the sentence ---------------------------------------------------------------------------
    def where(self, e: Event, forum_word: str = "at") -> str:
        the = "" if e.forum in self.say.bare else "the "
        text = f" {forum_word} {the}{self.forum(e)}" if e.forum else ""
        return text + (f" in {self.place(e.location)}" if e.location else "")

    def by(self, e: Event) -> str:
        return f" {self.say('by', e.mode)}" if ("by", e.mode) in self.say.words else ""

    def label(self, e: Event) -> str:
        text = self.sentence(e) + f" ({self.when(e)})"
        return text[0].upper() + text[1:]

    def sentence(self, e: Event) -> str:
        say, jp = self.say, self.office(e.jp_actor) if e.jp_actor else ""
        # the 第N回 of the meeting itself; a forum's edition is said with the forum
        nth = f"{ordinal(e.ordinal)} " if e.ordinal and e.ordinal != e.forum_edition else ""
        topic = say("indicator", e.indicator)
        if e.kind == "visit_abroad":
            who = jp or f"{topic}: a visit to"
            verb = say("visit", e.kind) if jp else ""
            met = f" and met {self.counterparts(e.counterparts)}" if e.counterparts else ""
            go = " ".join(w for w in (who, verb, self.countries(e.countries)) if w)
            return f"{go}{met}{self.where(e, 'for')}{self.by(e)}"
        if e.kind == "visit_to_japan":
            met = f" and met the {jp}" if jp else ""
            if e.indicator == "research":  # 受け入れ: received at the institute, in Japan
                who = (
                    self.counterparts(e.counterparts)
                    or f"visitors from {self.countries(e.countries)}"
                )
                return f"{topic}: {say('visit', 'received')} {who}{self.where(e)}"
            if e.counterparts:
                who = self.counterparts(e.counterparts)
                return f"{who} {say('visit', e.kind)}{met}{self.where(e, 'for')}"
            return f"{topic}: a visit to Japan from {self.countries(e.countries)}{self.where(e)}"
        if e.kind == "signing":
            other = self.counterparts(e.counterparts) or self.countries(e.countries)
            return f"{jp or 'Japan'} {say('signing', '')} {other}"
        if e.kind in ("exercise", "other") and e.indicator == "unit_exchange":
            if e.kind == "exercise":
                return f"{nth}{self.pair(e.countries)} {say('activity', e.kind)}"
            return f"{say('activity', e.kind)} with {self.countries(e.countries)}"
        # a meeting (or a forum's other activity, such as Pacific Partnership)
        if jp and e.counterparts:
            who = self.counterparts(e.counterparts)
            return f"{jp} {say('verb', e.mode)} {who}{self.where(e)}"
        if jp:
            names = join([self.country(c, running=False) for c in e.countries])
            return f"{jp} – {names} {say('noun', e.mode)}{self.where(e)}"
        if e.counterparts:
            return f"{topic}: a meeting with {self.counterparts(e.counterparts)}{self.where(e)}"
        if e.forum and (e.indicator in ("multilateral", "research") or not e.countries):
            place = f" in {self.place(e.location)}" if e.location else ""
            return f"{self.forum(e)}{place}{self.by(e)}"
        if e.countries:
            return f"{nth}{self.pair(e.countries)} {topic}{self.by(e)}{self.where(e)}"
        return f"{topic}{self.by(e)}{self.where(e)}"
