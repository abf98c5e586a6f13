"""Who held each Japanese office, and so who took part in each event.

The holders are data (``data/gazetteer/office_holders.csv``): one row per appointment, each
bound with its precision and the public page that confirms it (see docs/holders.md). A bound's
precision is ``day`` (the date of the handover), ``month`` (only the month is confirmed) or
``by`` (a date on which a page shows the person in office; the start or end itself is not
confirmed, and nothing before or after that date is assumed). An office has ``seats`` holders at
a time (``data/gazetteer/jp_offices.csv``: two for 防衛大臣政務官).

An event's date is a month (or a period of months). The holder of the office named for the
Japanese side is certain when one appointment covers the whole period and the office has one
seat; otherwise every holder whose appointment may fall in the period is a candidate and the
event is flagged ``holder_ambiguous`` (a handover month, or an office of two seats the document
names without a name). No holder is guessed: an event whose office has no confirmed holder on
its date gets none, and the flag ``holder_unknown``.

>>> month_range("2021-01")
(datetime.date(2021, 1, 1), datetime.date(2021, 2, 1))
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kg import paths
from kg.errors import DataError
from kg.model.records import Event
from kg.model.vocab import JDX_NAMES, PREFIX_IRIS, Names
from kg.pipeline.rules import Keyword

AMBIGUOUS = "holder_ambiguous"
UNKNOWN = "holder_unknown"  # the Japanese office named, no holder confirmed then
COUNTERPART_INFERRED = "counterpart_inferred"  # the counterpart office from a rule, not printed
PRECISIONS = ("day", "month", "by")
_DAY = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\Z")
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])\Z")


def _next_month(d: dt.date) -> dt.date:
    return dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)


def month_range(value: str) -> tuple[dt.date, dt.date]:
    """The days of ``value`` (YYYY-MM or YYYY-MM-DD) as a half-open range [first, after)."""
    if _DAY.match(value):
        day = dt.date.fromisoformat(value)
        return day, day + dt.timedelta(days=1)
    if _MONTH.match(value):
        first = dt.date.fromisoformat(value + "-01")
        return first, _next_month(first)
    raise ValueError(f"not a date or a month: {value!r}")


@dataclass(frozen=True)
class Appointment:
    """One holder of one office, as a row of office_holders.csv says."""

    office: str
    person: str  # the person's slug (from the English name): kishi_nobuo
    name_ja: str
    name_en: str
    start: str
    start_precision: str
    end: str
    end_precision: str
    wikidata: str
    wikidata_source: str  # the page or data file that shows the Wikidata ID for this person
    start_source: str
    end_source: str
    note: str
    line: int

    # The days the person certainly held the office, and the days they may have, half-open.
    @property
    def certain(self) -> tuple[dt.date, dt.date]:
        s_first, s_after = month_range(self.start)
        e_first, e_after = month_range(self.end) if self.end else (dt.date.max, dt.date.max)
        start = s_after - dt.timedelta(days=1) if self.start_precision == "month" else s_first
        if not self.end:
            end = dt.date.max
        elif self.end_precision == "by":
            end = e_after
        else:  # day: the successor holds it from that day; month: sometime in that month
            end = e_first
        return start, end

    @property
    def possible(self) -> tuple[dt.date, dt.date]:
        s_first, _ = month_range(self.start)
        if not self.end:
            return s_first, dt.date.max
        e_first, e_after = month_range(self.end)
        return s_first, e_first if self.end_precision == "day" else e_after


@dataclass
class Resolution:
    """Who took part for the Japanese side of one event: the certain holder, or candidates."""

    person: str = ""  # a person slug when certain
    candidates: list[str] = field(default_factory=list)  # person slugs when not


@dataclass
class Holders:
    appointments: list[Appointment]
    seats: dict[str, int]  # office slug -> seats
    events: dict[str, Resolution] = field(default_factory=dict)  # event id -> resolution
    # (event id, counterpart position key "ISO/slug") -> resolution, for foreign offices
    counterparts: dict[tuple[str, str], Resolution] = field(default_factory=dict)

    def of(self, office: str) -> list[Appointment]:
        return [a for a in self.appointments if a.office == office]

    def resolve(self, office: str, first: dt.date, after: dt.date) -> Resolution:
        """The holder of ``office`` through the days [first, after), or its candidates."""
        found = [a for a in self.of(office) if a.possible[0] < after and first < a.possible[1]]
        if not found:
            return Resolution()
        if self.seats.get(office, 1) == 1 and len(found) == 1:
            start, end = found[0].certain
            if start <= first and after <= end:
                return Resolution(person=found[0].person)
        return Resolution(candidates=sorted({a.person for a in found}))


def person_slug(name_en: str) -> str:
    slug = re.sub(r"[^a-z]+", "_", name_en.lower()).strip("_")
    if not slug:
        raise ValueError(f"no slug in {name_en!r}")
    return slug


def load_holders(data_dir: Path | None = None, offices: set[str] | None = None) -> Holders:
    """The appointments of office_holders.csv and the seats of jp_offices.csv, checked; an
    office is a Japanese office's code or a counterpart's "ISO/title" (``offices``, when given,
    says which)."""
    d = (data_dir or paths.data_dir()) / "gazetteer"
    seats = {r["slug"]: int(r.get("seats") or 1) for r in paths.read_table(d / "jp_offices.csv")}
    path = d / "office_holders.csv"
    out = []
    for n, r in enumerate(paths.read_table(path), 2):
        a = Appointment(
            r["office"],
            person_slug(r["name_en"]),
            r["name_ja"],
            r["name_en"],
            r["start_date"],
            r["start_precision"],
            r["end_date"],
            r["end_precision"],
            r["wikidata"],
            r["wikidata_source"],
            r["start_source"],
            r["end_source"],
            r["note"],
            n,
        )
        problem = _problem(a, offices if offices is not None else _offices(d, seats))
        if problem:
            raise DataError(f"office_holders.csv: {problem}", file=path, line=n)
        out.append(a)
    return Holders(out, seats)


def _offices(d: Path, seats: dict[str, int]) -> set[str]:
    """The Japanese offices and every counterpart office key "ISO/title" the gazetteer allows."""
    codes = [r["code"] for r in paths.read_table(d / "countries.csv")]
    titles = [r["slug"] for r in paths.read_table(d / "foreign_titles.csv")]
    return set(seats) | {f"{c}/{t}" for c in codes for t in titles}


def _problem(a: Appointment, offices: set[str]) -> str:
    if a.office not in offices:
        return f"unknown office {a.office!r}"
    if not (a.name_ja and a.name_en and a.start and a.start_source):
        return "name_ja, name_en, start_date and start_source are required"
    if a.start_precision not in PRECISIONS or (a.end and a.end_precision not in PRECISIONS):
        return f"a precision is one of {', '.join(PRECISIONS)}"
    for value, precision in ((a.start, a.start_precision), (a.end, a.end_precision)):
        if value and not (_MONTH if precision == "month" else _DAY).match(value):
            return f"{value!r} is not of precision {precision}"
    if a.end and not a.end_source:
        return "an end_date needs its end_source"
    if a.end and month_range(a.end)[1] <= month_range(a.start)[0]:
        return f"ends ({a.end}) before it starts ({a.start})"
    if a.wikidata and not re.fullmatch(r"Q[0-9]+", a.wikidata):
        return f"bad Wikidata id {a.wikidata!r}"
    if a.wikidata and not a.wikidata_source:
        return "a Wikidata id needs its wikidata_source"
    return ""


def implied_counterparts(e: Event, implied: list[Keyword]) -> list[str]:
    """The counterpart offices of an event that prints none, by the ``implied_counterpart``
    rules of data/rules/keywords.csv: the document names a meeting of the Minister of Defense
    with a partner's defence minister only as 防衛相会談 under the country (line 42:
    【オーストラリア】防衛相会談(6月、11月)), so such a meeting is one with each of its countries'
    office of that title ("ISO/minister_of_defence"). Any event that names its counterpart
    keeps its own; only the minister's meetings are read so."""
    if e.counterparts or e.jp_actor != "minister" or e.kind != "meeting":
        return []
    rule = next((k for k in implied if k.keyword in e.source_text), None)
    return [f"{c}/{rule.value}" for c in e.countries] if rule else []


def resolve_events(
    events: list[Event], holders: Holders, implied: list[Keyword] | None = None
) -> Holders:
    """Resolve the holder of every dated event's Japanese office and of each counterpart office
    (named, or implied by an ``implied_counterpart`` rule: flagged ``counterpart_inferred``)
    the table has holders of; flag the ambiguous ones."""
    for e in events:
        if not e.date:
            continue
        first, _ = month_range(e.date)
        _, after = month_range(e.end_date or e.date)
        res = holders.resolve(e.jp_actor, first, after) if e.jp_actor else Resolution()
        if res.person or res.candidates:
            holders.events[e.id] = res
        ambiguous = bool(res.candidates)
        inferred = False
        for key in e.counterparts or implied_counterparts(e, implied or []):
            other = holders.resolve(key, first, after)
            if other.person or other.candidates:
                holders.counterparts[e.id, key] = other
                inferred = not e.counterparts
            ambiguous = ambiguous or bool(other.candidates)
        added = [AMBIGUOUS] if ambiguous else []
        if inferred:
            added.append(COUNTERPART_INFERRED)
        if e.jp_actor and not (res.person or res.candidates):
            added.append(UNKNOWN)
        new = [f for f in added if f not in e.flags]
        if new:
            e.flags[:] = sorted([*e.flags, *new])  # flags are kept sorted
    return holders


# -- the graph ------------------------------------------------------------------------------


class _Builder(Protocol):
    """What :func:`add_to_graph` needs of kg.pipeline.rdf's GraphBuilder."""

    def res(self, path: str) -> str: ...
    def iri(self, value: str) -> str: ...
    def lit(self, value: str | int | bool, datatype: str | None = None) -> str: ...
    def triple(self, s: str, p: str, o: str) -> None: ...
    def labels(self, s: str, label_ja: str, label_en: str) -> None: ...
    def jp_position(self, slug: str) -> str: ...
    def foreign_position(self, key: str) -> str: ...


def _names(prefix: str) -> Names:
    return Names(PREFIX_IRIS[prefix])


def add_to_graph(b: _Builder, holders: Holders, offices: dict[str, tuple[str, str]]) -> None:
    """Persons, their appointments (org:Membership over an OWL-Time interval, with the pages
    that confirm them) and each event's participant or candidates, on both sides. ``offices``:
    office (a Japanese slug, or a foreign key "ISO/slug") -> (name_ja, name_en)."""
    jdx, rdf, rdfs = JDX_NAMES, _names("rdf"), _names("rdfs")
    org, time, prov, skos, xsd = (_names(p) for p in ("org", "time", "prov", "skos", "xsd"))
    i = b.iri
    mod = b.res("org/jp/mod")

    def post(office: str) -> str:
        return b.foreign_position(office) if "/" in office else b.jp_position(office)

    for office in sorted({a.office for a in holders.appointments}):
        b.triple(post(office), i(jdx.seats), b.lit(holders.seats.get(office, 1)))
    terms: dict[tuple[str, str], int] = {}
    for a in holders.appointments:
        person = b.res(f"person/{a.person}")
        # a second appointment of one person to one office (a return) is its own resource
        term = terms[a.office, a.person] = terms.get((a.office, a.person), 0) + 1
        position = post(a.office)
        b.triple(person, i(rdf.type), i(jdx.Person))
        b.labels(person, a.name_ja, a.name_en)
        b.triple(person, i(org.holds), position)
        if a.wikidata:  # the ID and where it was read
            b.triple(person, i(skos.exactMatch), i(PREFIX_IRIS["wd"] + a.wikidata))
            b.triple(person, i(prov.wasDerivedFrom), i(a.wikidata_source))
        suffix = f"/{term}" if term > 1 else ""
        iri = b.res(f"appointment/{a.office.lower()}/{a.person}{suffix}")
        office_ja, office_en = offices[a.office]
        b.triple(iri, i(rdf.type), i(jdx.Appointment))
        b.labels(iri, f"{a.name_ja}（{office_ja}）", f"{a.name_en} ({office_en})")
        b.triple(iri, i(org.member), person)
        if "/" not in a.office:  # a foreign position says its organization (jdx:organization)
            b.triple(iri, i(org.organization), mod)
        b.triple(iri, i(jdx.position), position)
        for source in (a.start_source, a.end_source):
            if source:
                b.triple(iri, i(prov.wasDerivedFrom), i(source))
        if a.note:
            b.triple(iri, i(rdfs.comment), b.lit(a.note))
        interval = f"{iri[1:-1]}/interval"
        interval = b.iri(interval)
        b.triple(iri, i(org.memberDuring), interval)
        b.triple(interval, i(rdf.type), i(time.Interval))
        for value, precision, prop, key in (
            (a.start, a.start_precision, time.hasBeginning, "start"),
            (a.end, a.end_precision, time.hasEnd, "end"),
        ):
            if not value:
                continue
            if precision == "by":
                b.triple(iri, i(jdx.inOfficeOn), b.lit(value, xsd.date))
                continue
            instant = b.iri(f"{iri[1:-1]}/{key}")
            b.triple(interval, i(prop), instant)
            b.triple(instant, i(rdf.type), i(time.Instant))
            if precision == "day":
                b.triple(instant, i(time.inXSDDate), b.lit(value, xsd.date))
            else:
                b.triple(instant, i(time.inXSDgYearMonth), b.lit(value, xsd.gYearMonth))
            b.triple(instant, i(jdx.datePrecision), b.lit(precision))
    for event_id, res in sorted(holders.events.items()):
        event = b.res(f"event/{event_id}")
        if res.person:
            b.triple(event, i(jdx.participantPerson), b.res(f"person/{res.person}"))
        for p in res.candidates:
            b.triple(event, i(jdx.candidateParticipant), b.res(f"person/{p}"))
    for (event_id, _key), res in sorted(holders.counterparts.items()):
        event = b.res(f"event/{event_id}")
        if res.person:
            b.triple(event, i(jdx.counterpartPerson), b.res(f"person/{res.person}"))
        for p in res.candidates:
            b.triple(event, i(jdx.counterpartCandidate), b.res(f"person/{p}"))
