"""Networks derived from the RDF graph: the full event graph, analyst projections, metrics, export.

Every view is computed from the RDF graph (the triples of a few predicates, read from rdflib, from
Oxigraph or from the triples ``kg build`` has just made, and joined here), never from the CSV
tables: what a user sees is what the graph says.

Views (:func:`projection`):

``full``
    A :class:`networkx.MultiDiGraph`: events, Japanese offices, counterpart offices, countries and
    international organizations, forum editions and forums, places and fiscal years, linked by the
    graph's own properties (``jdx:japaneseParticipant``, ``jdx:counterpart``,
    ``jdx:counterpartCountry``, ``jdx:atForum``, ``jdx:editionOf``, ``jdx:place``,
    ``jdx:fiscalYear``, ``jdx:country``); edge keys are the properties' local names. The
    resources are those reachable from the selected events.
``office_country``
    Japanese office — counterpart country; weight = events in which the office met the country.
``person_country``
    Japanese person (the holder of the office named for Japan on the event's date,
    docs/holders.md) — counterpart country or organization; a :class:`networkx.MultiGraph` whose
    edge keys say how sure the person is: ``participantPerson`` (they held the office all that
    month) or ``candidateParticipant`` (one of its possible holders: a handover month, or a
    two-seat office); weight = events. A person's node counts both, and says each
    (``events_confirmed``, ``events_candidate``).
``country_forum``
    Country — forum (all its editions); weight = events with the country at the forum.
``copresence``
    Country — country; weight = occasions at which Japan met both. An occasion is a forum edition
    (第N回…), or the event itself for an event held at no forum (a trilateral meeting, say).
``country_channel``
    Country — channel: the indicators (high-level exchange, consultation, unit exchange and
    exercises, research, multilateral) and ``students``; weight = records (events, or student
    flow observations; their student numbers are in the edge's ``students`` attributes).

The filters ``fy`` (first calendar year of the fiscal year), ``indicator`` (the ``jdx:code`` of a
``jdx:Indicator``; ``students`` selects the student flows) and ``country`` (ISO3 code or IRI)
restrict the records a view is built from; ``country`` keeps that country's own ties (in
``office_country``, ``country_forum`` and ``country_channel``), the occasions it attended with
everyone present (``copresence``: its ego network), or the events it took part in (``full``).

Every node and edge carries ``breakdown``, the number of distinct records per fiscal year and
indicator: ``"2022/high_level=3;2022/*=4;*/high_level=9"`` (``*`` = any). A page that filters a
view with it shows exactly the view computed here with the same filter.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import networkx as nx

from kg.errors import ViewError
from kg.formats.graph_data import EdgeItem, GraphData, check_targets, write_files
from kg.formats.triples import RDF_TYPE, NTriplesGraph
from kg.model.vocab import JDX_NAMES, PREFIX_IRIS, Names

if TYPE_CHECKING:
    import pandas as pd
    from rdflib import Graph

# Plain strings, not rdflib's namespaces: kg build draws the views without importing rdflib.
JDX = JDX_NAMES
JDXR = Names(PREFIX_IRIS["jdxr"])
RDFS_LABEL = PREFIX_IRIS["rdfs"] + "label"
ORG_MEMBER = PREFIX_IRIS["org"] + "member"

__all__ = [
    "NODE_TYPES",
    "VIEWS",
    "Facts",
    "ViewError",
    "export",
    "export_all",
    "export_data",
    "exportable",
    "full_graph",
    "metrics",
    "metrics_change",
    "annotate",
    "parse_breakdown",
    "projection",
    "read_facts",
]

VIEWS = (
    "full",
    "office_country",
    "person_country",
    "country_forum",
    "copresence",
    "country_channel",
)


#: Node types in legend order: (Japanese, English) names.
NODE_TYPES: dict[str, tuple[str, str]] = {
    "jp_office": ("日本側の役職", "Japanese office"),
    "person": ("日本側の人物", "Japanese person"),
    "country": ("国", "Country"),
    "intl_org": ("国際機関", "International organization"),
    "foreign_office": ("相手側の役職", "Counterpart office"),
    "forum": ("会議", "Forum"),
    "forum_edition": ("会議の回", "Forum edition"),
    "channel": ("交流の種類", "Channel"),
    "place": ("場所", "Place"),
    "fiscal_year": ("年度", "Fiscal year"),
    "event": ("行事", "Event"),
}

VIEW_TITLES: dict[str, tuple[str, str]] = {
    "full": ("防衛交流の全体グラフ", "Defense exchanges: the full graph"),
    "office_country": ("日本側の役職と相手国", "Japanese offices and counterpart countries"),
    "person_country": ("日本側の人物と相手国", "Japanese persons and counterpart countries"),
    "country_forum": (
        "国と会議(どこで誰と会ったか)",
        "Countries and forums (where Japan met whom)",
    ),
    "copresence": ("同じ機会に日本と会った国", "Countries Japan met at the same occasion"),
    "country_channel": ("国と交流の種類", "Countries and channels of exchange"),
}

#: What a view's weights count: (view) -> (Japanese, English).
UNITS: dict[str, tuple[str, str]] = {
    "full": ("行事", "events"),
    "office_country": ("行事", "events"),
    "person_country": ("行事", "events"),
    "country_forum": ("行事", "events"),
    "copresence": ("機会", "occasions"),
    "country_channel": ("記録", "records"),
}

STUDENTS = "students"
ANY = "*"
JAPAN = str(JDXR["country/JPN"])
_KINDS = {"Meeting", "VisitAbroad", "VisitToJapan", "AgreementSigning", "Exercise", "OtherActivity"}


# ------------------------------------------------------------------------------------------
#  Reading the RDF graph
# ------------------------------------------------------------------------------------------


@dataclass
class _Event:
    fy: int
    indicator: str
    jp: list[str] = field(default_factory=list)
    counterparts: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    editions: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    date: str = ""
    line: int = 0  # its line in the source document (jdx:sourceLine)
    persons: list[str] = field(default_factory=list)  # jdx:participantPerson
    candidates: list[str] = field(default_factory=list)  # jdx:candidateParticipant


@dataclass
class _Flow:
    fy: int
    direction: str
    count: int
    country: str


@dataclass
class Facts:
    """What the views need from an RDF graph, read once by :func:`read_facts`."""

    events: dict[str, _Event]
    labels: dict[str, dict[str, str]]
    types: dict[str, set[str]]
    fy_of: dict[str, int]
    indicator_iri: dict[str, str]
    code: dict[str, str]
    edition_forum: dict[str, str]
    edition_fy: dict[str, str]
    country_of: dict[str, str]
    region: dict[str, str]
    flows: dict[str, _Flow]
    fy_iri: dict[int, str] = field(default_factory=dict)
    #: person -> the offices of their appointments (org:member, jdx:position)
    offices_of: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fy_iri = {y: f for f, y in sorted(self.fy_of.items())}


#: The predicates the views read (rdf:type, rdfs:label and these of jdx:).
_READ = (
    RDF_TYPE,
    RDFS_LABEL,
    ORG_MEMBER,
    *(
        str(JDX[name])
        for name in (
            "startYear",
            "code",
            "indicator",
            "fiscalYear",
            "japaneseParticipant",
            "counterpart",
            "counterpartCountry",
            "atForum",
            "place",
            "date",
            "sourceLine",
            "direction",
            "count",
            "country",
            "editionOf",
            "region",
            "participantPerson",
            "candidateParticipant",
            "position",
        )
    ),
)

# (subject, predicate, object, object is a literal, its language): IRIs, blank node ids and
# literals' lexical forms as str, whatever the graph's library
_Row = tuple[str, str, str, bool, str]


def _value(term: str) -> str:
    """An N-Triples IRI or blank node (``<iri>``, ``_:id``) as its value (``iri``, ``id``)."""
    return term[1:-1] if term.startswith("<") else term[2:]


def _read_rows(g: Any) -> list[_Row]:
    """The triples of ``g`` with a predicate in :data:`_READ`: from the build's triples in
    memory (one pass), a pyoxigraph Store's default graph or an rdflib Graph (one lookup a
    predicate; on oxrdflib's store, Oxigraph's index)."""
    if isinstance(g, NTriplesGraph):
        wanted = {f"<{p}>": p for p in _READ}
        literals = g.literals
        values: dict[str, str] = {}  # a term's value, made once (a subject has many triples)
        rows: list[_Row] = []
        for s, p, o in g.rows:
            pred = wanted.get(p)
            if pred is None:
                continue
            subject = values.get(s)
            if subject is None:
                subject = values[s] = _value(s)
            lit = literals.get(o)
            if lit is not None:
                rows.append((subject, pred, lit[0], True, lit[1]))
            else:
                obj = values.get(o)
                if obj is None:
                    obj = values[o] = _value(o)
                rows.append((subject, pred, obj, False, ""))
        return rows
    if type(g).__module__.startswith("pyoxigraph"):
        import pyoxigraph as ox

        return [
            (q.subject.value, p, q.object.value, lit, q.object.language or "" if lit else "")
            for p in _READ
            for q in g.quads_for_pattern(None, ox.NamedNode(p), None, ox.DefaultGraph())
            for lit in (isinstance(q.object, ox.Literal),)
        ]
    from rdflib import Literal, URIRef

    return [
        (str(s), p, str(o), lit, o.language or "" if lit else "")
        for p in _READ
        for s, _, o in g.triples((None, URIRef(p), None))
        for lit in (isinstance(o, Literal),)
    ]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def read_facts(g: Graph | NTriplesGraph | Any) -> Facts:
    """Read what the views need from ``g``: the triples ``kg build`` has just made (an
    :class:`~kg.formats.triples.NTriplesGraph`, no parsing), an rdflib Graph (in memory or
    store-backed) or a pyoxigraph Store. The same facts from each (tested): every predicate's
    triples are sorted first, so an ambiguous graph (two fiscal years for one event) reads the
    same whatever the engine's order."""
    by: dict[str, list[tuple[str, str, bool, str]]] = defaultdict(list)
    for s, p, o, lit, lang in _read_rows(g):
        by[p].append((s, o, lit, lang))
    for found in by.values():
        found.sort()

    def pairs(name: str) -> list[tuple[str, str]]:
        return [(s, o) for s, o, _, _ in by.get(str(JDX[name]), ())]

    types: dict[str, set[str]] = defaultdict(set)
    jdx = str(JDX)
    for s, t, _, _ in by.get(RDF_TYPE, ()):
        if t.startswith(jdx):
            types[s].add(t[len(jdx) :])
    fy_of = {f: int(y) for f, y in pairs("startYear")}
    code = dict(pairs("code"))
    indicator = dict(pairs("indicator"))
    fiscal_year = dict(pairs("fiscalYear"))
    events: dict[str, _Event] = {}
    for e, i in indicator.items():
        f = fiscal_year.get(e)
        if f in fy_of and i in code:
            events[e] = _Event(fy=fy_of[f], indicator=code[i])
    for prop, attr in (
        ("japaneseParticipant", "jp"),
        ("counterpart", "counterparts"),
        ("counterpartCountry", "countries"),
        ("atForum", "editions"),
        ("place", "places"),
        ("participantPerson", "persons"),
        ("candidateParticipant", "candidates"),
    ):
        for e, o in pairs(prop):
            if e in events:
                getattr(events[e], attr).append(o)
    for e, d in pairs("date"):
        if e in events:
            events[e].date = d
    for e, n in pairs("sourceLine"):
        if e in events:
            events[e].line = int(n)
    for e, ev in events.items():
        ev.kinds = sorted(_KINDS & types.get(e, set()))
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for s, text, lit, language in by.get(RDFS_LABEL, ()):
        lang = language.lower().split("-")[0]
        if lit and lang in ("ja", "en"):
            labels[s].setdefault(lang, text)
    direction, count, country = dict(pairs("direction")), dict(pairs("count")), pairs("country")
    country_of = dict(country)
    flows: dict[str, _Flow] = {}
    for s in sorted(s for s, t in types.items() if "StudentFlow" in t):
        f = fiscal_year.get(s)
        if f in fy_of and s in direction and s in count and s in country_of:
            flows[s] = _Flow(
                fy=fy_of[f],
                direction=_local(direction[s]).lower(),
                count=int(count[s]),
                country=country_of[s],
            )
    indicators = sorted(s for s, t in types.items() if "Indicator" in t)
    position = dict(pairs("position"))
    offices_of: dict[str, list[str]] = defaultdict(list)
    for appointment, person, _, _ in by.get(ORG_MEMBER, ()):  # sorted: a stable order
        office = position.get(appointment)
        if office and office not in offices_of[person]:
            offices_of[person].append(office)
    return Facts(
        events=events,
        labels=dict(labels),
        types=dict(types),
        fy_of=fy_of,
        indicator_iri={code[i]: i for i in indicators if i in code},
        code=code,
        edition_forum=dict(pairs("editionOf")),
        edition_fy={s: f for s, f in fiscal_year.items() if "ForumEdition" in types.get(s, ())},
        country_of=country_of,
        region=dict(pairs("region")),
        flows=flows,
        offices_of=dict(offices_of),
    )


def _facts(g: Graph | Facts) -> Facts:
    return g if isinstance(g, Facts) else read_facts(g)


# ------------------------------------------------------------------------------------------
#  Records, their keys and the breakdown
# ------------------------------------------------------------------------------------------

# A record's keys: ({(fy, indicator)}, {fy}, {indicator}); a node or edge holds {record: keys}.
_Keys = tuple[frozenset, frozenset, frozenset]


def _event_keys(ev: _Event) -> _Keys:
    return frozenset({(ev.fy, ev.indicator)}), frozenset({ev.fy}), frozenset({ev.indicator})


class _Acc:
    """Accumulates, for each node and edge, the records (events, occasions, flows) behind it."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, _Keys]] = defaultdict(dict)
        self.edges: dict[tuple, dict[str, _Keys]] = defaultdict(dict)
        self.extra: dict[tuple, Counter] = defaultdict(Counter)

    @staticmethod
    def _put(bucket: dict[str, _Keys], record: str, keys: _Keys) -> None:
        old = bucket.get(record)
        if old is None or old is keys:  # an event's links all carry its one keys object
            bucket[record] = keys
        else:
            bucket[record] = cast(_Keys, tuple(a | b for a, b in zip(old, keys, strict=True)))

    def node(self, n: str, record: str, keys: _Keys) -> None:
        self._put(self.nodes[n], record, keys)

    def edge(self, key: tuple, record: str, keys: _Keys) -> None:
        for n in key[:2]:
            self.node(n, record, keys)
        self._put(self.edges[key], record, keys)


def _breakdown(records: dict[str, _Keys]) -> str:
    # Records share few distinct keys (mostly one (fy, indicator) each): count those first; and
    # most nodes and edges have the same few counts (one event of FY2022's high-level
    # exchanges): make each text once.
    counts: dict[_Keys, int] = {}
    for keys in records.values():
        counts[keys] = counts.get(keys, 0) + 1
    return _breakdown_text(tuple(counts.items()))


@lru_cache(maxsize=1 << 14)
def _breakdown_text(counted: tuple[tuple[_Keys, int], ...]) -> str:
    c: Counter = Counter()
    for (both, fys, inds), times in counted:
        for fy, ind in both:
            c[f"{fy}/{ind}"] += times
        for fy in fys:
            c[f"{fy}/{ANY}"] += times
        for ind in inds:
            c[f"{ANY}/{ind}"] += times
    return ";".join(f"{k}={v}" for k, v in sorted(c.items()))


def parse_breakdown(text: str) -> dict[str, int]:
    """``"2022/high_level=3;2022/*=4"`` -> ``{"2022/high_level": 3, "2022/*": 4}``."""
    out: dict[str, int] = {}
    for part in (text or "").split(";"):
        if "=" in part:
            k, v = part.rsplit("=", 1)
            out[k] = int(v)
    return out


# ------------------------------------------------------------------------------------------
#  Nodes
# ------------------------------------------------------------------------------------------


def _node_type(f: Facts, iri: str) -> str:
    t = f.types.get(iri, set())
    if iri in f.events:
        return "event"
    for cls, name in (
        ("Person", "person"),
        ("Country", "country"),
        ("InternationalOrganization", "intl_org"),
        ("ForumEdition", "forum_edition"),
        ("Forum", "forum"),
        ("Place", "place"),
        ("FiscalYear", "fiscal_year"),
        ("Indicator", "channel"),
    ):
        if cls in t:
            return name
    if "Position" in t:
        return "jp_office" if f.country_of.get(iri) == JAPAN else "foreign_office"
    return "channel" if iri == str(JDXR[f"indicator/{STUDENTS}"]) else "other"


def _node_attrs(f: Facts, iri: str, records: dict[str, _Keys]) -> dict[str, Any]:
    lab = f.labels.get(iri, {})
    ja, en = lab.get("ja", ""), lab.get("en", "")
    ntype = _node_type(f, iri)
    if ntype == "person":
        ja, en = _person_label(f, iri, "ja"), _person_label(f, iri, "en")
    attrs: dict[str, Any] = {
        "label": ja or en or _local(iri),
        "label_ja": ja,
        "label_en": en,
        "type": ntype,
        "iri": iri,
        "code": f.code.get(iri, _local(iri) if ntype in ("country", "intl_org") else ""),
        "count": len(records),
        "breakdown": _breakdown(records),
    }
    if ntype in ("country", "intl_org"):
        attrs["region"] = f.region.get(iri, "")
    elif ntype == "fiscal_year":
        attrs["fy"] = f.fy_of[iri]
    elif ntype == "person":
        confirmed = sum(iri in f.events[e].persons for e in records)
        attrs.update(events_confirmed=confirmed, events_candidate=len(records) - confirmed)
    elif ntype == "event":
        ev = f.events[iri]
        attrs.update(fy=ev.fy, indicator=ev.indicator, date=ev.date, kind=" ".join(ev.kinds))
        if ev.line:
            attrs["source_line"] = ev.line  # the panel shows it beside the verbatim text
    return attrs


# ------------------------------------------------------------------------------------------
#  Views
# ------------------------------------------------------------------------------------------


def _norm_fy(fy: int | str | None) -> int | None:
    if fy is None or fy == "":
        return None
    text = str(fy).strip().upper().removeprefix("FY")
    if not text.isdigit():
        raise ViewError(f"fiscal year {fy!r}: give the first calendar year, e.g. 2022")
    return int(text)


def _norm_country(f: Facts, country: str | None) -> str | None:
    if not country:
        return None
    iri = country if "/" in country else str(JDXR[f"country/{country.strip().upper()}"])
    if not f.types.get(iri, set()) & {"Country", "InternationalOrganization"}:
        raise ViewError(f"unknown country {country!r} (give an ISO3 code such as AUS)")
    return iri


def _norm_indicator(f: Facts, indicator: str | None) -> str | None:
    if not indicator:
        return None
    known = {ev.indicator for ev in f.events.values()} | {STUDENTS}
    if indicator not in known:
        raise ViewError(f"unknown indicator {indicator!r}; known: {', '.join(sorted(known))}")
    return indicator


def _events(f: Facts, fy: int | None, indicator: str | None, country: str | None):
    for iri, ev in f.events.items():
        if fy is not None and ev.fy != fy:
            continue
        if indicator is not None and ev.indicator != indicator:
            continue
        if country is not None and country not in ev.countries:
            continue
        yield iri, ev


def _acc_full(f: Facts, fy, indicator, country) -> _Acc:
    acc = _Acc()
    for e, ev in _events(f, fy, indicator, country):
        keys = _event_keys(ev)
        acc.node(e, e, keys)
        links: list[tuple[str, str, str]] = []
        links += [(e, o, "japaneseParticipant") for o in ev.jp]
        links += [(e, o, "counterpart") for o in ev.counterparts]
        links += [(e, o, "counterpartCountry") for o in ev.countries]
        links += [(e, o, "place") for o in ev.places]
        links += [(e, o, "atForum") for o in ev.editions]
        if ev.fy in f.fy_iri:
            links.append((e, f.fy_iri[ev.fy], "fiscalYear"))
        for ed in ev.editions:
            if ed in f.edition_forum:
                links.append((ed, f.edition_forum[ed], "editionOf"))
            if f.edition_fy.get(ed) in f.fy_of:
                links.append((ed, f.edition_fy[ed], "fiscalYear"))
        for o in [*ev.jp, *ev.counterparts, *ev.places]:
            if o in f.country_of:
                links.append((o, f.country_of[o], "country"))
        for link in links:
            acc.edge(link, e, keys)
    return acc


def _acc_pairs(f: Facts, view: str, fy, indicator, country) -> _Acc:
    acc = _Acc()
    for e, ev in _events(f, fy, indicator, country):
        keys = _event_keys(ev)
        if view == "office_country":
            pairs = [(jp, c) for jp in ev.jp for c in ev.countries]
        elif view == "country_forum":
            forums = sorted({f.edition_forum[ed] for ed in ev.editions if ed in f.edition_forum})
            pairs = [(c, fo) for c in ev.countries for fo in forums]
        else:  # country_channel
            channel = f.indicator_iri.get(ev.indicator, str(JDXR[f"indicator/{ev.indicator}"]))
            pairs = [(c, channel) for c in ev.countries]
        if country is not None:  # the country's own ties, not those of its co-participants
            pairs = [p for p in pairs if country in p]
        for u, v in pairs:
            acc.edge((u, v), e, keys)
    if view == "country_channel" and indicator in (None, STUDENTS):
        channel = f.indicator_iri.get(STUDENTS, str(JDXR[f"indicator/{STUDENTS}"]))
        for s, fl in f.flows.items():
            if (fy is not None and fl.fy != fy) or (country is not None and fl.country != country):
                continue
            keys = frozenset({(fl.fy, STUDENTS)}), frozenset({fl.fy}), frozenset({STUDENTS})
            acc.edge((fl.country, channel), s, keys)
            extra = acc.extra[(fl.country, channel)]
            for k in ("students", "students_inbound", "students_outbound"):
                extra.setdefault(k, 0)
            extra["students"] += fl.count
            extra[f"students_{fl.direction}"] += fl.count
    return acc


#: person_country's edge keys: the link's predicate, and its label on the page.
PERSON_LINKS: dict[str, str] = {
    "participantPerson": "確定 confirmed",
    "candidateParticipant": "候補 candidate (holder_ambiguous)",
}


def _acc_person(f: Facts, fy, indicator, country) -> _Acc:
    acc = _Acc()
    for e, ev in _events(f, fy, indicator, country):
        keys = _event_keys(ev)
        for prop, persons in (
            ("participantPerson", ev.persons),
            ("candidateParticipant", ev.candidates),
        ):
            for p in persons:
                for c in ev.countries:
                    if country is None or c == country:
                        acc.edge((p, c, prop), e, keys)
    return acc


def _person_label(f: Facts, person: str, lang: str) -> str:
    """``岸信夫 (防衛大臣)``: the name and the offices the person was appointed to."""
    name = f.labels.get(person, {}).get(lang, "")
    offices = [f.labels.get(o, {}).get(lang, "") for o in f.offices_of.get(person, ())]
    held = ("; " if lang == "en" else "、").join(o for o in offices if o)  # en titles hold commas
    return f"{name} ({held})" if name and held else name


def _acc_copresence(f: Facts, fy, indicator, country) -> _Acc:
    # occasion -> country -> its keys at that occasion
    present: dict[str, dict[str, list[set]]] = defaultdict(dict)
    for e, ev in _events(f, fy, indicator, None):
        for occasion in ev.editions or [e]:
            for c in ev.countries:
                both, fys, inds = present[occasion].setdefault(c, [set(), set(), set()])
                both.add((ev.fy, ev.indicator))
                fys.add(ev.fy)
                inds.add(ev.indicator)
    acc = _Acc()
    for occasion in sorted(present):
        members = present[occasion]
        if len(members) < 2 or (country is not None and country not in members):
            continue
        for a, b in combinations(sorted(members), 2):
            keys = tuple(frozenset(x & y) for x, y in zip(members[a], members[b], strict=True))
            acc.edge((a, b), occasion, keys)  # type: ignore[arg-type]  # keys: frozensets, not str
    return acc


def projection(
    g: Graph | Facts,
    view: str,
    fy: int | str | None = None,
    indicator: str | None = None,
    country: str | None = None,
) -> nx.Graph:
    """Return one view of the RDF graph ``g`` as a networkx graph (see the module's docstring).

    Nodes are IRIs, with ``label`` (Japanese), ``label_ja``, ``label_en``, ``type``, ``iri``,
    ``code``, ``count`` (records behind the node) and ``breakdown``; edges have ``weight``
    (records behind the edge) and ``breakdown``. ``full`` returns a :class:`nx.MultiDiGraph`,
    ``person_country`` a :class:`nx.MultiGraph` (keyed by how sure the person is).
    """
    if view not in VIEWS:
        raise ViewError(f"unknown view {view!r}; views: {', '.join(VIEWS)}")
    f = _facts(g)
    fy_n = _norm_fy(fy)
    ind = _norm_indicator(f, indicator)
    cty = _norm_country(f, country)
    if view == "full":
        acc = _acc_full(f, fy_n, ind, cty)
        G: nx.Graph = nx.MultiDiGraph()
    elif view == "copresence":
        acc = _acc_copresence(f, fy_n, ind, cty)
        G = nx.Graph()
    elif view == "person_country":
        acc = _acc_person(f, fy_n, ind, cty)
        G = nx.MultiGraph()
    else:
        acc = _acc_pairs(f, view, fy_n, ind, cty)
        G = nx.Graph()
    ja, en = VIEW_TITLES[view]
    shown = [str(x) for x in (f"FY{fy_n}" if fy_n else None, ind, country) if x]
    suffix = f" ({', '.join(shown)})" if shown else ""
    G.graph.update(
        name=view,
        view=view,
        title=f"{ja} / {en}{suffix}",
        title_ja=ja + suffix,
        title_en=en + suffix,
        fy=fy_n or 0,
        indicator=ind or "",
        country=(cty or "").rsplit("/", 1)[-1],
        unit_ja=UNITS[view][0],
        unit_en=UNITS[view][1],
        indicator_labels=_indicator_labels(f),
        fy_labels={str(y): f.labels.get(i, {}) for y, i in sorted(f.fy_iri.items())},
    )
    for n in sorted(acc.nodes):
        G.add_node(n, **_node_attrs(f, n, acc.nodes[n]))
    for key in sorted(acc.edges):
        records = acc.edges[key]
        attrs: dict[str, Any] = {"weight": len(records), "breakdown": _breakdown(records)}
        attrs.update(acc.extra.get(key, {}))
        if view == "full":
            u, v, prop = key
            attrs.update(predicate=str(JDX[prop]), label=prop)
            G.add_edge(u, v, key=prop, **attrs)
        elif view == "person_country":
            u, v, prop = key
            attrs.update(predicate=str(JDX[prop]), label=PERSON_LINKS[prop])
            G.add_edge(u, v, key=prop, **attrs)
        else:
            G.add_edge(key[0], key[1], **attrs)
    return G


def full_graph(g: Graph | Facts) -> nx.MultiDiGraph:
    """The full graph: events and every office, country, forum, place and FY linked to them."""
    return projection(g, "full")


def _indicator_labels(f: Facts) -> dict[str, dict[str, str]]:
    out = {}
    codes = sorted({ev.indicator for ev in f.events.values()} | set(f.indicator_iri) | {STUDENTS})
    for c in codes:
        iri = f.indicator_iri.get(c, str(JDXR[f"indicator/{c}"]))
        out[c] = {
            "ja": f.labels.get(iri, {}).get("ja", c),
            "en": f.labels.get(iri, {}).get("en", c),
        }
    return out


# ------------------------------------------------------------------------------------------
#  Metrics
# ------------------------------------------------------------------------------------------


def _undirected(G: nx.Graph) -> nx.Graph:
    """A simple undirected weighted graph: multi-edges summed, self-loops dropped."""
    H: nx.Graph = nx.Graph()
    H.add_nodes_from(G.nodes)
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        w = float(d.get("weight", 1) or 0)
        if H.has_edge(u, v):
            H[u][v]["weight"] += w
        else:
            H.add_edge(u, v, weight=w)
    return H


def _betweenness(
    H: nx.Graph, weight: str, k: int | None = None, seed: int = 42, chunk: int = 2_000_000
) -> dict[Any, float]:
    """Normalized betweenness of the undirected graph ``H`` (distance attribute ``weight``,
    > 0): the numbers of :func:`networkx.betweenness_centrality` (``normalized=True``; with
    ``k``, the sources networkx draws with ``seed``), up to floating-point rounding.

    Brandes' algorithm, vectorized with numpy over all sources at once (networkx runs one
    Python Dijkstra per source: seconds on the full view). Distances are the fixed point of
    d(s,v) = min over edges u-v of d(s,u) + w, the float sums Dijkstra makes; each round
    relaxes only the edges out of the nodes that changed in the last one, for the sources
    whose distances did (a third of the full view's work of relaxing every edge each round).
    An edge u->v lies on a shortest path from s when d(s,u) + w == d(s,v), networkx's own test.
    Path counts (sigma) and dependencies (delta) are fixed points too, each round one
    ``np.bincount`` over the (source, edge) pairs on shortest paths; every loop stops when
    nothing changes (as many rounds as the longest shortest path has edges). Sources go in
    chunks of at most ``chunk`` (source, edge) pairs, so memory stays bounded.
    """
    import random

    import numpy as np

    nodes = list(H)
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    if n < 3:  # no pair of other nodes: no betweenness (networkx returns zeros too)
        return dict.fromkeys(nodes, 0.0)
    index = {v: i for i, v in enumerate(nodes)}
    us, vs, ws = [], [], []
    for u, v, d in H.edges(data=True):
        w = float(d[weight])
        if u != v and math.isfinite(w):
            us.append(index[u])
            vs.append(index[v])
            ws.append(w)
    # edges by head: the order in which sigma and delta are summed
    order = np.argsort(np.array(vs + us, dtype=np.int64), kind="stable")
    U = np.array(us + vs, dtype=np.int64)[order]
    V = np.array(vs + us, dtype=np.int64)[order]
    W = np.array(ws + ws, dtype=np.float64)[order]
    sampled = None if k is None else random.Random(seed).sample(nodes, k)
    sources = np.arange(n) if sampled is None else np.array([index[v] for v in sampled])
    total = np.zeros(n)
    if len(U):
        step = max(1, chunk // len(U))
        for start in range(0, len(sources), step):
            total += _dependencies(np, n, sources[start : start + step], U, V, W)
    # networkx's rescaling (normalized, endpoints excluded: pairs of the n - 1 other nodes)
    if sampled is None:
        scale = np.full(n, 1.0 / ((n - 1) * (n - 2)))
    else:
        kk = len(sources)
        scale = np.full(n, 1.0 / (kk * (n - 2)))
        scale[sources] = 1.0 / ((kk - 1) * (n - 2)) if kk > 1 else math.nan
    return {v: float(b) for v, b in zip(nodes, total * scale, strict=True)}


def _dependencies(np: Any, n: int, src: Any, U: Any, V: Any, W: Any):
    """Sum over the sources ``src`` of Brandes' dependency of each node (see _betweenness);
    the edges ``U`` -> ``V`` (distance ``W``) in order of their heads.

    Arrays are node-major (a node's values for every source side by side), so that gathering
    an edge's tail and reducing over a head's edges read contiguous memory.
    """
    S = len(src)
    D = np.full((n, S), np.inf)
    D[src, np.arange(S)] = 0.0
    changed = np.zeros(n, dtype=bool)  # the nodes whose distance from some source fell
    changed[src] = True
    cols = np.arange(S)  # the sources some distance of which fell
    while True:
        e = np.flatnonzero(changed[U])  # the edges out of them, still in order of heads
        if not len(e):
            break
        head = V[e]
        first = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
        heads = head[first]
        part = D if len(cols) == S else D[:, cols]
        best = np.minimum.reduceat(part[U[e]] + W[e][:, None], first, axis=0)
        now = part[heads]
        fell = best < now
        if not fell.any():
            break
        changed = np.zeros(n, dtype=bool)
        changed[heads[fell.any(axis=1)]] = True
        if len(cols) == S:
            D[heads] = np.minimum(now, best)
        else:
            D[np.ix_(heads, cols)] = np.minimum(now, best)
        cols = cols[fell.any(axis=0)]
    Wc = W[:, None]
    e, col = np.nonzero((D[U] + Wc == D[V]) & np.isfinite(D[V]))
    child, parent = V[e] * S + col, U[e] * S + col
    start = np.zeros(n * S)
    start[src * S + np.arange(S)] = 1.0
    sigma = start
    for _ in range(n):
        nxt = start + np.bincount(child, weights=sigma[parent], minlength=n * S)
        if np.array_equal(nxt, sigma):
            break
        sigma = nxt
    inv = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=sigma > 0)
    delta = np.zeros(n * S)
    for _ in range(n):
        nxt = sigma * np.bincount(parent, weights=((1.0 + delta) * inv)[child], minlength=n * S)
        if np.array_equal(nxt, delta):
            break
        delta = nxt
    delta = delta.reshape(n, S)
    delta[src, np.arange(S)] = 0.0
    return delta.sum(axis=1)


def _adjacency(H: nx.Graph, weight: str) -> dict[Any, dict[Any, float]]:
    """``H`` as {node: {neighbor: weight}}, neighbors in the order networkx's louvain gives
    its copy of the graph (edges added as ``H.edges`` yields them)."""
    adj: dict[Any, dict[Any, float]] = {u: {} for u in H}
    for u, v, w in H.edges(data=weight, default=1):
        adj[u][v] = w
        adj[v][u] = w
    return adj


def _edges(adj: dict[Any, dict[Any, float]], nbunch: Any = None):
    """(u, v, weight) once per edge, in networkx's order for ``G.edges(nbunch)``."""
    seen = set()
    for u in adj if nbunch is None else (n for n in nbunch if n in adj):
        for v, w in adj[u].items():
            if v not in seen:
                yield u, v, w
        seen.add(u)


def _degrees(adj: dict[Any, dict[Any, float]]) -> dict[Any, float]:
    """Weighted degrees as networkx sums them (a self-loop counts twice)."""
    return {u: sum(nb.values()) + nb.get(u, 0) for u, nb in adj.items()}


def _modularity(adj: dict[Any, dict[Any, float]], communities: list[set]) -> float:
    """networkx's ``modularity`` (resolution 1) of a partition, the same sums in its order."""
    degree = _degrees(adj)
    deg_sum = sum(degree.values())
    m = deg_sum / 2
    norm = 1 / deg_sum**2

    def contribution(community: set) -> float:
        comm = set(community)
        L_c = sum(w for _, v, w in _edges(adj, comm) if v in comm)
        d = sum(degree[u] for u in comm)
        return L_c / m - 1 * d * d * norm

    return sum(map(contribution, communities))


def _louvain(H: nx.Graph, weight: str, seed: int, threshold: float = 0.0000001) -> list[set]:
    """``networkx.community.louvain_communities(H, weight=weight, seed=seed)`` for a simple
    undirected graph: the same moves, sums and random draws on plain dicts, without the graph
    classes' overhead (about a third of networkx's time; a test compares the partitions).

    Every set is built with networkx's sequence of set operations, so that iterating it (and
    so each float sum over it) goes in networkx's order.
    """
    import random

    rng = random.Random(seed)
    partition = [{u} for u in H]
    if H.number_of_edges() == 0:
        return partition
    own = {u: {v: d.get(weight, 1) for v, d in nb.items()} for u, nb in H.adj.items()}
    mod = _modularity(own, partition)  # networkx measures the start on H itself
    adj = _adjacency(H, weight)
    members: dict[Any, set] = {}  # node of the current level -> the original nodes in it
    m = sum(_degrees(adj).values()) / 2

    def one_level(partition: list[set]) -> tuple[list[set], list[set], bool]:
        node2com = {u: i for i, u in enumerate(adj)}
        inner = [{u} for u in adj]
        degrees = _degrees(adj)
        stot = list(degrees.values())
        nbrs = {u: {v: w for v, w in nb.items() if v != u} for u, nb in adj.items()}
        order = list(adj)
        rng.shuffle(order)
        moves, improvement = 1, False
        while moves > 0:
            moves = 0
            for u in order:
                best_mod: float = 0
                best = node2com[u]
                to_com: dict[int, float] = defaultdict(float)
                for v, w in nbrs[u].items():
                    to_com[node2com[v]] += w
                degree = degrees[u]
                stot[best] -= degree
                remove_cost = -to_com[best] / m + 1 * (stot[best] * degree) / (2 * m**2)
                for com, w in to_com.items():
                    gain = remove_cost + w / m - 1 * (stot[com] * degree) / (2 * m**2)
                    if gain > best_mod:
                        best_mod, best = gain, com
                stot[best] += degree
                if best != node2com[u]:
                    group = members.get(u, {u})
                    partition[node2com[u]].difference_update(group)
                    inner[node2com[u]].remove(u)
                    partition[best].update(group)
                    inner[best].add(u)
                    improvement = True
                    moves += 1
                    node2com[u] = best
        return list(filter(len, partition)), list(filter(len, inner)), improvement

    partition, inner, improvement = one_level(partition)
    improvement = True
    while improvement:
        found = [c.copy() for c in partition]
        new_mod = _modularity(adj, inner)
        if new_mod - mod <= threshold:
            return found
        mod = new_mod
        # the next level: one node per community of this one (networkx's _gen_graph)
        node2com = {}
        new_members: dict[Any, set] = {}
        for i, part in enumerate(inner):
            nodes: set = set()
            for node in part:
                node2com[node] = i
                nodes.update(members.get(node, {node}))
            new_members[i] = nodes
        new_adj: dict[Any, dict[Any, float]] = {i: {} for i in range(len(inner))}
        for u, v, w in _edges(adj):
            a, b = node2com[u], node2com[v]
            total = w + new_adj[a].get(b, 0)
            new_adj[a][b] = total
            new_adj[b][a] = total
        adj, members = new_adj, new_members
        partition, inner, improvement = one_level(partition)
    return found


def metrics(
    G: nx.Graph, seed: int = 42, exact_limit: int = 1000, samples: int = 100
) -> dict[str, Any]:
    """Weighted degree, degree, betweenness and Louvain communities of ``G``.

    Computed on the undirected simple graph (parallel edges' weights summed). Betweenness uses
    distance = 1 / weight (a heavier tie is a shorter path) and is normalized; above
    ``exact_limit`` nodes it is estimated from ``samples`` sources drawn with ``seed``, the
    sources networkx would draw (the full graph). It is computed by :func:`_betweenness`
    (networkx's numbers, vectorized: the full graph's estimate in tens of milliseconds instead
    of seconds). Louvain (``networkx.community.louvain_communities``, weight, ``seed``) gives
    the communities, numbered by size (0 = largest), ties broken by the smallest node id.

    Returns ``{"nodes": {node: {"weighted_degree", "degree", "betweenness", "community"}},
    "communities": [[node, …], …], "modularity", "betweenness_exact", "seed"}``.
    """
    H = _undirected(G)
    n = H.number_of_nodes()
    for _, _, d in H.edges(data=True):
        d["distance"] = 1.0 / d["weight"] if d["weight"] > 0 else math.inf
    exact = n <= exact_limit
    bc = _betweenness(H, "distance", k=None if exact else min(samples, n), seed=seed) if n else {}
    comms: list[list] = []
    if n:
        found = _louvain(H, "weight", seed)
        comms = sorted((sorted(c, key=str) for c in found), key=lambda c: (-len(c), str(c[0])))
    modularity = (
        float(_modularity(_adjacency(H, "weight"), [set(c) for c in comms]))
        if H.number_of_edges()
        else 0.0
    )
    member = {node: i for i, c in enumerate(comms) for node in c}
    wdeg, deg = dict(H.degree(weight="weight")), dict(H.degree())  # one pass, not one a node
    nodes = {
        node: {
            "weighted_degree": float(wdeg[node]),
            "degree": int(deg[node]),
            "betweenness": float(bc.get(node, 0.0)),
            "community": member.get(node, -1),
        }
        for node in H.nodes
    }
    return {
        "nodes": nodes,
        "communities": comms,
        "modularity": modularity,
        "betweenness_exact": exact,
        "seed": seed,
    }


def annotate(G: nx.Graph, m: dict[str, Any] | None = None) -> nx.Graph:
    """Write :func:`metrics` onto ``G``'s nodes (and ``modularity`` onto the graph); returns G."""
    m = m or metrics(G)
    for node, vals in m["nodes"].items():
        G.nodes[node].update(vals)
    G.graph["modularity"] = m["modularity"]
    G.graph["communities"] = len(m["communities"])
    return G


def metrics_change(
    g: Graph | Facts,
    view: str,
    fy_a: int | str,
    fy_b: int | str,
    indicator: str | None = None,
    country: str | None = None,
) -> pd.DataFrame:
    """How each node's metrics changed between fiscal years ``fy_a`` and ``fy_b`` in ``view``.

    One row per node present in either year: ``weighted_degree``, ``degree`` and
    ``betweenness`` in each year (0 when absent) and their change (b - a); ``community_a`` /
    ``community_b`` (-1 when absent) and ``community_stability``: the Jaccard similarity of the
    node's community co-members in the two years, counted over the nodes present in both (1 =
    same company, 0 = all new; empty when the node is absent in a year). Sorted by the size of
    the weighted-degree change. ``df.attrs`` keeps the view, the years and the modularities.
    """
    import pandas as pd

    f = _facts(g)
    Ga = projection(f, view, fy=fy_a, indicator=indicator, country=country)
    Gb = projection(f, view, fy=fy_b, indicator=indicator, country=country)
    ma, mb = metrics(Ga), metrics(Gb)
    common = set(Ga) & set(Gb)

    def peers(m: dict, node: str) -> set:
        c = m["nodes"][node]["community"]
        return {x for x in m["communities"][c] if x in common} if c >= 0 else set()

    rows = []
    for node in sorted(set(Ga) | set(Gb)):
        src = Gb.nodes[node] if node in Gb else Ga.nodes[node]
        row: dict[str, Any] = {
            "node": node,
            "label_ja": src.get("label_ja", ""),
            "label_en": src.get("label_en", ""),
            "type": src.get("type", ""),
            "in_a": node in Ga,
            "in_b": node in Gb,
        }
        for metric in ("weighted_degree", "degree", "betweenness"):
            a = ma["nodes"][node][metric] if node in Ga else 0
            b = mb["nodes"][node][metric] if node in Gb else 0
            row[f"{metric}_a"], row[f"{metric}_b"], row[f"{metric}_change"] = a, b, b - a
        row["community_a"] = ma["nodes"][node]["community"] if node in Ga else -1
        row["community_b"] = mb["nodes"][node]["community"] if node in Gb else -1
        if node in common:
            pa, pb = peers(ma, node), peers(mb, node)
            row["community_stability"] = len(pa & pb) / len(pa | pb) if pa | pb else 1.0
        else:
            row["community_stability"] = math.nan
        rows.append(row)
    columns = ["node", "label_ja", "label_en", "type", "in_a", "in_b"]
    for metric in ("weighted_degree", "degree", "betweenness"):
        columns += [f"{metric}_a", f"{metric}_b", f"{metric}_change"]
    columns += ["community_a", "community_b", "community_stability"]
    df = pd.DataFrame(rows, columns=columns)
    if not df.empty:
        df["_abs"] = df["weighted_degree_change"].abs()
        df = df.sort_values(["_abs", "node"], ascending=[False, True]).drop(columns="_abs")
        df = df.reset_index(drop=True)
    df.attrs.update(
        view=view,
        fy_a=_norm_fy(fy_a),
        fy_b=_norm_fy(fy_b),
        modularity_a=ma["modularity"],
        modularity_b=mb["modularity"],
    )
    return df


# ------------------------------------------------------------------------------------------
#  Export
# ------------------------------------------------------------------------------------------

TYPE_COLORS: dict[str, str] = {
    "jp_office": "#c0392b",
    "person": "#d4ac0d",
    "country": "#2e86c1",
    "intl_org": "#17a589",
    "foreign_office": "#e67e22",
    "forum": "#27ae60",
    "forum_edition": "#82c99a",
    "channel": "#8e44ad",
    "place": "#a0522d",
    "fiscal_year": "#7f8c8d",
    "event": "#b3b6b7",
    "other": "#5d6d7e",
}


def _scalar(value: Any) -> Any:
    """A value GEXF and GraphML can type: bool, int, float, str (None and NaN dropped)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item") and not isinstance(value, (list, tuple, set, dict)):
        return _scalar(value.item())  # numpy scalars
    if isinstance(value, (list, tuple, set, frozenset)):
        return "|".join(sorted(str(v) for v in value))
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _unify(items: list[dict]) -> None:
    """Give each attribute one type across all items: int+float -> float, anything+str -> str."""
    kinds: dict[str, set[type]] = defaultdict(set)
    for d in items:
        for k, v in d.items():
            kinds[k].add(type(v))
    for k, ts in kinds.items():
        if len(ts) < 2:
            continue
        to = float if ts <= {int, float} else str
        for d in items:
            if k in d:
                d[k] = to(d[k])


def _scalars(d: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        v = _scalar(v)
        if v is not None:
            out[k] = v
    return out


def export_data(G: nx.Graph) -> GraphData:
    """What the graph files hold of ``G`` (:mod:`kg.formats.graph_data`): its attributes as
    bool, int, float or str, each attribute of one type, and each node's color (by type) and
    size (by count) for GEXF."""
    nodes = [(n, _scalars(d)) for n, d in G.nodes(data=True)]
    _unify([d for _, d in nodes])
    edges: list[EdgeItem]
    if G.is_multigraph():
        multi = cast(nx.MultiGraph, G)  # the stubs type G.edges without keys=
        edges = [(u, v, k, _scalars(d)) for u, v, k, d in multi.edges(keys=True, data=True)]
    else:
        edges = [(u, v, None, _scalars(d)) for u, v, d in G.edges(data=True)]
    _unify([e[3] for e in edges])
    viz = [
        {
            "color": _rgb(TYPE_COLORS.get(d.get("type", ""), TYPE_COLORS["other"])),
            "size": 4.0 + 3.0 * math.sqrt(float(d.get("count", 1) or 1)),
        }
        for _, d in nodes
    ]
    return GraphData(_scalars(G.graph), nodes, edges, G.is_directed(), G.is_multigraph(), viz)


def exportable(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose every attribute is a bool, int, float or str of one type."""
    data = export_data(G)
    H = G.__class__()
    H.graph.update(data.graph)
    H.add_nodes_from(data.nodes)
    for u, v, key, d in data.edges:
        if data.multigraph:
            H.add_edge(u, v, key=key, **d)
        else:
            H.add_edge(u, v, **d)
    return H


def _rgb(hex_color: str) -> dict[str, int | float]:
    h = hex_color.lstrip("#")
    return {"r": int(h[0:2], 16), "g": int(h[2:4], 16), "b": int(h[4:6], 16), "a": 1.0}


def export(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` by the suffix of ``path``: ``.gexf`` (Gephi), ``.graphml`` (Cytoscape, yEd)
    or ``.json`` (networkx node-link). Labels in both languages (``label_ja``, ``label_en``; the
    GEXF node label is ``label``) and every attribute with one declared type; GEXF nodes get a
    color by type. Returns the path."""
    return export_all(G, [path])[0]


def export_all(G: nx.Graph, targets: Sequence[str | Path]) -> list[Path]:
    """:func:`export` to each of ``targets``, making the exportable data of ``G`` once."""
    check_targets(targets)
    return write_files(export_data(G), targets)
