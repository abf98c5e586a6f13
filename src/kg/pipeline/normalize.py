"""Resolve extracted items against the gazetteers and turn them into events.

Each item becomes one event per printed date.  Names are looked up in data/, never here:
an item whose names are unknown still becomes an event, flagged, with a warning on its line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from kg.model.records import Event, Extraction, Issue, Item, StudentFlow
from kg.pipeline import dates as D
from kg.pipeline.gazetteer import Gazetteer, Match
from kg.pipeline.items import shape
from kg.pipeline.rules import Rules

KIND_PRIORITY = ("signing", "visit_to_japan", "visit_abroad", "exercise", "other", "meeting")
MODE_PRIORITY = ("hybrid", "video", "phone")
# Where the document's convention is that an unmarked meeting or visit was held in person.
IN_PERSON_BY_DEFAULT = {"high_level", "consultation"}
SHORT = {
    "high_level": "hl",
    "consultation": "dc",
    "unit_exchange": "ux",
    "research": "rx",
    "multilateral": "md",
}
_ORDINAL = re.compile(r"第\s*(\d+)\s*回")
_CLAUSE = re.compile(r"と(の)?(会談|懇談)")
_DATE_AFTER = re.compile(r"\(([^()]*)\)")  # a parenthesis right after a name (items.OPEN/CLOSE)
_DELIM = re.compile(r"と|、|。|及び|が|・|による|との|の会談|を|に")


@dataclass
class Reading:
    """What one item says, names resolved."""

    kinds: list[str] = field(default_factory=list)
    mode: str = ""
    jp_actor: str = ""
    counterparts: list[tuple[str, str]] = field(default_factory=list)  # (country, title slug)
    printed: dict[tuple[str, str], str] = field(default_factory=dict)  # the office as printed
    countries: list[str] = field(default_factory=list)
    forum: str = ""
    edition: int | None = None
    place: str = ""
    ordinal: int | None = None
    flags: list[str] = field(default_factory=list)


class Normalizer:
    def __init__(self, gz: Gazetteer, rules: Rules) -> None:
        self.gz = gz
        self.rules = rules
        self.issues: list[Issue] = []
        self.kind_kw = rules.keywords_for("kind")
        self.mode_kw = rules.keywords_for("mode")
        self.not_country = [k.keyword for k in rules.keywords_for("not_country")]
        self.title_prefixes = [k.keyword for k in rules.keywords_for("title_prefix")]
        self.title_followers = [k.keyword for k in rules.keywords_for("not_title_before")]
        self.country_suffixes = [""] + [k.keyword for k in rules.keywords_for("country_suffix")]
        # 外務・防衛閣僚会合 and the like: the office that always takes part on the Japanese side.
        self.implied_actor = rules.keywords_for("implied_jp_actor")
        # 統幕長訪印、印X と会談: the clause that names no Japanese office, and the one it takes.
        self.actor_from: dict[int, str] = {}

    def warn(self, line: int, code: str, message: str, text: str = "") -> None:
        self.issues.append(Issue(line, "warning", code, message, text))

    # -- pieces --------------------------------------------------------------------------------
    def kinds_of(self, text: str) -> list[str]:
        found = {k.value for k in self.kind_kw if k.keyword in text}
        return [k for k in KIND_PRIORITY if k in found]

    def mode_of(self, text: str) -> str:
        found = {k.value for k in self.mode_kw if k.keyword in text}
        return next((m for m in MODE_PRIORITY if m in found), "")

    def compound_countries(self, text: str) -> list[str]:
        """日米豪… at the head of a name: the partners after 日."""
        t = _ORDINAL.sub("", text, count=1).lstrip("「")
        if not t.startswith("日") or t.startswith("日本"):
            return []
        t = t[1:].lstrip("・")
        out: list[str] = []
        while t:
            m = self.gz.country_index.prefix(t)
            if not m or m.key == "JPN":
                break
            out.append(m.key)
            t = t[m.end :]
        return out

    def free_countries(self, text: str) -> list[str]:
        for word in self.not_country:
            text = text.replace(word, "#" * len(word))
        return [m.key for m in self.gz.country_text_index.find_all(text) if m.key != "JPN"]

    def mask_forums(self, text: str) -> str:
        """Forum names hold titles (日・太平洋島嶼国防大臣会合): hide them from the search."""
        for m in self.gz.forum_index.find_all(text):
            text = text[: m.start] + "#" * (m.end - m.start) + text[m.end :]
        return text

    def people(self, text: str) -> tuple[str, list[tuple[str, str, str, str]]]:
        """Japanese office and foreign offices named in ``text``: (country, title slug, title
        as printed, the office as printed with its country word)."""
        # "参謀長級会議", "参謀総長会議": a meeting of chiefs, not one office met.
        titles = [
            t
            for t in self.gz.title_index.find_all(text)
            if not any(text.startswith(f, t.end) for f in self.title_followers)
        ]
        masked = list(text)
        for t in titles:
            masked[t.start : t.end] = "#" * (t.end - t.start)
        jp_matches = self.gz.jp_index.find_all("".join(masked))
        jp = jp_matches[0].key if jp_matches else ""
        cuts = sorted([m.end() for m in _DELIM.finditer(text)] + [m.end for m in jp_matches] + [0])
        counterparts: list[tuple[str, str, str, str]] = []
        for t in titles:
            start = max(c for c in cuts if c <= t.start)
            country = self.country_word(text[start : t.start])
            counterparts.append((country, t.key, t.alias, text[start : t.end]))
            # "エストニア、ラトビア及びミャンマー大使": the title distributes over the list.
            while country and start > 0:
                m = re.search(r"(?:、|及び)$", text[:start])
                if not m:
                    break
                prev = max(c for c in cuts if c <= m.start())
                country = self.country_word(text[prev : m.start()])
                if country:
                    counterparts.append((country, t.key, t.alias, t.alias))
                start = prev
        return jp, counterparts

    def country_word(self, word: str) -> str:
        """The country a word names in full (豪, ブルガリア共和国, 駐日カンボジア), or ""."""
        for noise in self.title_prefixes:
            word = word.removeprefix(noise)
        for alias, code in self.gz.country_index.pairs:
            if (
                code != "JPN"
                and word.startswith(alias)
                and word[len(alias) :] in self.country_suffixes
            ):
                return code
        return ""

    def groups_info(self, groups: list[str], r: Reading) -> list[str]:
        """Places and forums in parentheses; returns the words nobody knows."""
        unknown = []
        place_candidates: list[str] = []
        for g in groups:
            if D.is_date_group(g) or not g.strip():
                continue
            known = False
            if self.mode_of(g) or g.strip() in ("中止",):
                known = True
            if self.gz.jp_index.get(g):
                known = True
            fm = self.gz.forum_index.find_all(g)
            if fm and not r.forum:
                r.forum = fm[0].key
                r.edition = self.edition_before(g, fm[0])
                known = True
            elif fm:
                known = True
            for pm in self.gz.place_index.find_all(g):
                place_candidates.append(pm.key)
                known = True
            if _CLAUSE.search(g):
                known = True
            if not known:
                unknown.append(g)
        cities = [p for p in place_candidates if not p.startswith("country_")]
        if cities or place_candidates:
            r.place = (cities or place_candidates)[0]
        return unknown

    @staticmethod
    def edition_before(text: str, m: Match) -> int | None:
        em = re.search(r"第\s*(\d+)\s*回\s*$", text[: m.start])
        return int(em.group(1)) if em else None

    # -- one item ------------------------------------------------------------------------------
    def read(self, item: Item, block_countries: list[str], shared_groups: list[str]) -> Reading:
        r = Reading()
        sh = shape(item.text)
        bare = sh.bare
        groups = [g.text for g in sh.groups] + shared_groups
        clause_groups = [g for g in groups if _CLAUSE.search(g)]
        kind_text = bare if item.indicator != "research" else item.text
        r.kinds = self.kinds_of(kind_text)
        r.mode = self.mode_of(item.text + "".join(shared_groups)) or item.inherited_mode
        jp, cps = self.people(self.mask_forums(bare))
        for g in clause_groups:
            _, more = self.people(self.mask_forums(g))
            cps += more
        if not jp:
            for g in groups:
                key = self.gz.jp_index.get(g)
                if key:
                    jp = key
                    break
        if not jp and id(item) in self.actor_from:
            jp = self.actor_from[id(item)]
            r.flags.append("actor_shared")
        if not jp:
            implied = next((k for k in self.implied_actor if k.keyword in bare), None)
            if implied:
                jp = implied.value
                r.flags.append("actor_inferred")
        r.jp_actor = jp
        seen = set()
        for country, title, alias, printed in cps:
            country = country or (block_countries[0] if len(block_countries) == 1 else "")
            if not country:
                r.flags.append("counterpart_country_unknown")
                self.warn(
                    item.line, "counterpart_country", "foreign office without a country", item.text
                )
                continue
            # One office printed in several ways (英国防参謀長, 英国防参謀総長): positions.csv.
            office = self.gz.position_title(country, alias, title)
            if office != title:
                r.flags.append("title_variant")
                title = office
            if (country, title) not in seen:
                seen.add((country, title))
                r.counterparts.append((country, title))
                r.printed[(country, title)] = printed
        if not r.kinds:
            if jp and r.counterparts:
                r.kinds = ["meeting"]
                r.flags.append("kind_inferred")
            else:
                r.kinds = ["other"]
        # A multilateral or research item names its meeting in the text ("ASEAN地域フォーラム
        # (ARF)国防当局間会合"); elsewhere the parenthesis names the venue of a bilateral talk.
        # The longest name wins: 対テロEWG over 専門家会合, the ARF meeting's full name over ARF.
        if item.indicator in ("multilateral", "research"):
            found = [(m, t) for t in [bare, *groups] for m in self.gz.forum_index.find_all(t)]
            if found:
                m, t = max(found, key=lambda mt: mt[0].end - mt[0].start)
                r.forum, r.edition = m.key, self.edition_before(t, m)
        unknown = self.groups_info(groups, r)
        for word in unknown:
            self.issues.append(
                Issue(
                    item.line,
                    "info",
                    "unresolved_group",
                    "words in parentheses not in any gazetteer",
                    word,
                )
            )
        if not r.forum:
            fm = self.gz.forum_index.find_all(bare) or self.gz.forum_index.find_all(item.block)
            if fm:
                src = bare if self.gz.forum_index.find_all(bare) else item.block
                r.forum, r.edition = fm[0].key, self.edition_before(src, fm[0])
        om = _ORDINAL.search(bare)
        if om:
            r.ordinal = int(om.group(1))
        # Countries: the block, the 日X… compound, the offices met, then what the text names.
        countries = list(block_countries) + self.compound_countries(bare)
        countries += [c for c, _ in r.counterparts]
        if (
            not block_countries
            and not r.counterparts
            and item.indicator in ("high_level", "unit_exchange", "research")
        ):
            countries += self.free_countries(bare if item.indicator != "research" else item.text)
        if r.forum and not countries:
            countries += list(self.gz.forums[r.forum].parties)
        r.countries = sorted({c for c in countries if c and c != "JPN"})
        if (
            not r.mode
            and item.indicator in IN_PERSON_BY_DEFAULT
            and r.kinds[0] in ("meeting", "visit_abroad", "visit_to_japan")
        ):
            r.mode = "in_person"
            r.flags.append("mode_assumed")  # the document prints no mode: the convention's guess
        return r

    def block_countries(self, item: Item) -> list[str]:
        if item.indicator not in ("high_level", "consultation"):
            return []
        name = item.block
        code = self.gz.country_index.get(name)
        if code:
            return [code]
        comp = self.compound_countries(name)
        if comp:
            return comp
        return []

    # -- a block at a time ---------------------------------------------------------------------
    def join(self, items: list[Item]) -> list[Item]:
        """Rejoin what 、 split wrongly: 'Aと豪X、豪Yとの会談' is one meeting. '統幕長訪印、印Xと
        会談' stays two events (a visit, then a meeting): the second takes the first's Japanese
        office (flagged ``actor_shared``), and the first the date and place (``date_shared``)."""
        out: list[Item] = []
        for it in items:
            if out:
                prev = out[-1]
                psh, sh = shape(prev.text), shape(it.text)
                prev_titles = self.gz.title_index.find_all(psh.bare)
                list_join = (
                    not psh.groups
                    and not self.kinds_of(psh.bare)
                    and prev_titles
                    and prev_titles[-1].end == len(psh.bare)
                )
                jp_here = self.gz.jp_index.find_all(sh.bare)
                clause_join = (
                    not prev.dates
                    and not jp_here
                    and re.match(r"^[^、]*?と(会談|懇談)$", sh.bare)
                    and self.gz.title_index.find_all(sh.bare)
                    and self.gz.jp_index.find_all(psh.bare)
                )
                if clause_join:
                    self.actor_from[id(it)] = self.gz.jp_index.find_all(psh.bare)[0].key
                elif list_join:
                    out[-1] = replace(
                        prev,
                        text=prev.text + "、" + it.text,
                        source_text=prev.source_text + "、" + it.source_text,
                        dates=it.dates,
                        flags=sorted(set(prev.flags + it.flags + ["list_joined"])),
                        end=it.end if it.line == prev.line else -1,
                    )
                    continue
            out.append(it)
        return out

    def share(self, items: list[Item]) -> dict[int, list[str]]:
        """An undated item before one with a date and a place or mode shares them."""
        shared: dict[int, list[str]] = {}
        for i in range(len(items) - 2, -1, -1):
            it, nxt = items[i], items[i + 1]
            if it.dates or not nxt.dates or "cancelled" in it.flags or "bad_date" in it.flags:
                continue
            nsh = shape(nxt.text)
            extra = [g.text for g in nsh.groups if not D.is_date_group(g.text)]
            qualifiers = [g for g in extra if self.gz.place_index.find_all(g) or self.mode_of(g)]
            if qualifiers:
                it.dates = list(nxt.dates)
                it.flags.append("date_shared")
                shared[id(it)] = qualifiers + shared.get(id(nxt), [])
        return shared

    def events(self, items: list[Item]) -> list[Event]:
        out: list[Event] = []
        blocks: dict[tuple[str, int, str], list[Item]] = {}
        for it in items:
            blocks.setdefault((it.indicator, it.fiscal_year, it.block), []).append(it)
        seen_keys: dict[str, int] = {}
        for (indicator, _fy, _block), group in blocks.items():
            group = self.join(group) if indicator in ("high_level", "consultation") else group
            shared = self.share(group) if indicator in ("high_level", "consultation") else {}
            for seq, it in enumerate(group, 1):
                it.seq = seq
                bc = self.block_countries(it)
                if (
                    indicator in ("high_level", "consultation")
                    and not bc
                    and it.block not in ("その他",)
                ):
                    self.warn(
                        it.line, "unknown_block", f"unknown country block 【{it.block}】", it.text
                    )
                    it.flags.append("unknown_block")
                r = self.read(it, bc, shared.get(id(it), []))
                out.extend(self.expand(it, r, seen_keys))
        return out

    def dates_per_country(
        self, text: str, specs: list[D.DateSpec | None], countries: list[str]
    ) -> list[str] | None:
        """駐日ルーマニア(4月)、英国(6月)、ラトビア(10月)各大使: each date printed right after its
        own country. Returns the country of each date, in order, or None for any other layout.
        """
        if len(specs) < 2 or len(specs) != len(countries) or any(s is None for s in specs):
            return None
        pairs = []
        for m in self.gz.country_text_index.find_all(text):
            g = _DATE_AFTER.match(text, m.end)
            if g:
                pairs.append((m.key, g.group(1).strip()))
        if [p for _, p in pairs] != [s.start.printed for s in specs if s is not None]:
            return None
        if sorted(k for k, _ in pairs) != sorted(countries):
            return None
        return [k for k, _ in pairs]

    def expand(self, it: Item, r: Reading, seen: dict[str, int]) -> list[Event]:
        specs: list[D.DateSpec | None] = list(it.dates) or [None]
        flags = sorted(set(it.flags + r.flags))
        if len(specs) > 1:
            flags.append("multi_date")
        per_country = self.dates_per_country(it.text, specs, r.countries)
        if per_country:
            flags.append("date_per_country")
        if specs == [None] and "cancelled" not in flags:
            flags.append("no_date")
        if not r.countries:
            flags.append("no_country")
            if it.indicator in ("high_level", "consultation", "unit_exchange"):
                self.warn(it.line, "no_country", "no country found for the item", it.text)
        gz = self.gz
        events = []
        for i, spec in enumerate(specs):
            date = spec.start.iso if spec else ""
            countries = [per_country[i]] if per_country else r.countries
            base = f"{it.indicator}|{it.fiscal_year}|{it.block}|{it.source_text}|{date}"
            k = seen.get(base, 0)
            seen[base] = k + 1
            digest = hashlib.sha1(f"{base}|{k}".encode()).hexdigest()[:10]
            met = [(c, t) for c, t in r.counterparts if c in countries]
            cps = [f"{c}/{t}" for c, t in met]
            printed = [r.printed[m] for m in met]
            labels = [gz.countries[c].name_ja + gz.titles[t].title_ja for c, t in met]
            forum = gz.forums.get(r.forum)
            place = gz.places.get(r.place)
            events.append(
                Event(
                    id=f"{it.fiscal_year}-{SHORT[it.indicator]}-{digest}",
                    indicator=it.indicator,
                    fiscal_year=it.fiscal_year,
                    block=it.block,
                    seq=it.seq,
                    date=date,
                    date_printed=spec.start.printed if spec else "",
                    end_date=spec.end.iso if spec and spec.end else "",
                    jp_actor=r.jp_actor,
                    countries=countries,
                    counterparts=cps,
                    counterpart_labels=labels,
                    counterparts_printed=printed,
                    kind=r.kinds[0],
                    extra_kinds=r.kinds[1:],
                    mode=r.mode,
                    forum=r.forum,
                    forum_label=forum.name_ja if forum else "",
                    forum_edition=r.edition,
                    location=r.place,
                    location_label=place.name_ja if place else "",
                    ordinal=r.ordinal,
                    source_text=it.source_text,
                    source_line=it.line,
                    flags=sorted(set(flags)),
                    group=it.group,
                    number=it.number,
                    country_count=it.country_count,
                    researcher_count=it.researcher_count,
                    source_start=it.start,
                    source_end=it.end,
                )
            )
        return events

    def editions(self, events: list[Event]) -> None:
        """One edition per meeting: the mentions of a forum in one FY and month are one
        edition, whichever section prints them (第19回シャングリラ会合 among the high-level items
        and シャングリラ会合(6月) among the multilateral ones). An edition is keyed by its 第N回
        number where any mention prints one, else by its month (2019-11), else by its FY
        (fy2020, an undated mention of a forum met once that FY joins that edition). A mention
        that takes a number or a month it does not print is flagged ``edition_inferred``."""
        at: dict[tuple[str, int], list[Event]] = {}
        for e in events:
            if e.forum:
                at.setdefault((e.forum, e.fiscal_year), []).append(e)
        for (forum, fy), mentions in at.items():
            # month -> the numbers printed for it (a forum meets once a month at most)
            numbered: dict[str, set[int]] = {}
            for e in mentions:
                if e.forum_edition:
                    numbered.setdefault(e.date, set()).add(e.forum_edition)
            months = sorted({e.date for e in mentions if e.date})
            for e in mentions:
                if e.date and len(numbered.get(e.date, ())) > 1:
                    self.warn(
                        e.source_line,
                        "edition_numbers",
                        f"two edition numbers printed for one month of {forum}",
                        e.source_text,
                    )
                if e.forum_edition:
                    e.edition_key = str(e.forum_edition)
                    continue
                month = e.date or (months[0] if len(months) == 1 else "")
                number = sorted(numbered.get(month, ())) if month else []
                if len(number) == 1:
                    e.forum_edition = number[0]
                    e.edition_key = str(number[0])
                else:
                    e.edition_key = month or f"fy{fy}"
                if e.edition_key and (number or (month and not e.date)):
                    e.flags = sorted(set(e.flags) | {"edition_inferred"})

    def students(self, flows: list[StudentFlow]) -> list[StudentFlow]:
        out = []
        for f in flows:
            if f.country == "TOTAL":
                out.append(f)
                continue
            code = self.gz.country_index.get(f.country_label)
            if not code:
                self.warn(
                    f.line,
                    "unknown_country",
                    "student country not in the gazetteer",
                    f.country_label,
                )
                out.append(replace(f, country="", flags=f.flags + ["unknown_country"]))
            else:
                out.append(replace(f, country=code))
        return out


@dataclass
class Normalized:
    events: list[Event]
    students: list[StudentFlow]
    issues: list[Issue]


def normalize(ex: Extraction, gz: Gazetteer, rules: Rules) -> Normalized:
    n = Normalizer(gz, rules)
    events = n.events(ex.items)
    n.editions(events)
    students = n.students(ex.students)
    return Normalized(events, students, n.issues)
