"""Networks derived from the RDF graph: the full event graph, analyst projections, metrics, export.

Every view is computed from the RDF graph (a handful of SPARQL queries, each at most one join, so
the same code runs on rdflib in memory and on the Oxigraph-backed store), never from the CSV
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
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import networkx as nx
from rdflib import Graph, Literal, URIRef

from kg.errors import QueryError
from kg.model.vocab import JDX, JDXR

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "NODE_TYPES",
    "VIEWS",
    "Facts",
    "ViewError",
    "export",
    "exportable",
    "full_graph",
    "metrics",
    "metrics_change",
    "annotate",
    "parse_breakdown",
    "projection",
    "read_facts",
]

VIEWS = ("full", "office_country", "country_forum", "copresence", "country_channel")


class ViewError(QueryError, ValueError):
    """An unknown view, filter value or export format: a KgError, so `kg viz` reports it in one
    line, and a ValueError, as it was before the error hierarchy."""


#: Node types in legend order: (Japanese, English) names.
NODE_TYPES: dict[str, tuple[str, str]] = {
    "jp_office": ("日本側の役職", "Japanese office"),
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
    "country_forum": ("行事", "events"),
    "copresence": ("機会", "occasions"),
    "country_channel": ("記録", "records"),
}

STUDENTS = "students"
ANY = "*"
JAPAN = str(JDXR["country/JPN"])
_KINDS = {"Meeting", "VisitAbroad", "VisitToJapan", "AgreementSigning", "Exercise", "OtherActivity"}
_PREFIX = f"PREFIX jdx: <{JDX}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


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

    def __post_init__(self) -> None:
        self.fy_iri = {y: f for f, y in sorted(self.fy_of.items())}


def _py(term: Any) -> Any:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        return term.toPython()
    return None if term is None else str(term)


def _rows(g: Graph, body: str) -> list[tuple]:
    result: Any = g.query(_PREFIX + body)  # SELECT: rows of terms (rdflib types any result)
    return [tuple(_py(t) for t in row) for row in result]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def read_facts(g: Graph) -> Facts:
    """Read what the views need from ``g`` (rdflib or store-backed) with single-join queries."""
    fy_of = {f: int(str(y)) for f, y in _rows(g, "SELECT ?f ?y WHERE { ?f jdx:startYear ?y }")}
    code = {s: str(c) for s, c in _rows(g, "SELECT ?s ?c WHERE { ?s jdx:code ?c }")}
    fy_by_event = dict(_rows(g, "SELECT ?e ?f WHERE { ?e jdx:indicator ?i ; jdx:fiscalYear ?f }"))
    events: dict[str, _Event] = {}
    for e, i in sorted(_rows(g, "SELECT ?e ?i WHERE { ?e jdx:indicator ?i }")):
        f = fy_by_event.get(e)
        if f in fy_of and i in code:
            events[e] = _Event(fy=fy_of[f], indicator=code[i])
    for prop, attr in (
        ("japaneseParticipant", "jp"),
        ("counterpart", "counterparts"),
        ("counterpartCountry", "countries"),
        ("atForum", "editions"),
        ("place", "places"),
    ):
        for e, o in sorted(_rows(g, f"SELECT ?e ?o WHERE {{ ?e jdx:{prop} ?o }}")):
            if e in events:
                getattr(events[e], attr).append(o)
    for e, d in _rows(g, "SELECT ?e ?d WHERE { ?e jdx:date ?d }"):
        if e in events:
            events[e].date = str(d)
    types: dict[str, set[str]] = defaultdict(set)
    for s, t in _rows(g, "SELECT ?s ?t WHERE { ?s a ?t }"):
        if t.startswith(str(JDX)):
            types[s].add(t[len(str(JDX)) :])
    for e, ev in events.items():
        ev.kinds = sorted(_KINDS & types.get(e, set()))
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    found: Any = g.query(_PREFIX + "SELECT ?s ?l WHERE { ?s rdfs:label ?l }")
    for s, lab in sorted((str(s), lab) for s, lab in found if isinstance(lab, Literal)):
        lang = (lab.language or "").lower().split("-")[0]
        if lang in ("ja", "en"):
            labels[s].setdefault(lang, str(lab))
    flows: dict[str, _Flow] = {}
    flow_query = (
        "SELECT ?s ?f ?d ?n ?c WHERE { ?s a jdx:StudentFlow ; jdx:fiscalYear ?f ;"
        " jdx:direction ?d ; jdx:count ?n ; jdx:country ?c }"
    )
    for s, f, d, n, c in sorted(_rows(g, flow_query), key=lambda r: r[0]):
        if f in fy_of:
            flows[s] = _Flow(fy=fy_of[f], direction=_local(d).lower(), count=int(n), country=c)
    indicators = _rows(g, "SELECT ?i WHERE { ?i a jdx:Indicator }")
    return Facts(
        events=events,
        labels=dict(labels),
        types=dict(types),
        fy_of=fy_of,
        indicator_iri={code[i]: i for (i,) in sorted(indicators) if i in code},
        code=code,
        edition_forum=dict(_rows(g, "SELECT ?s ?f WHERE { ?s jdx:editionOf ?f }")),
        edition_fy=dict(
            _rows(g, "SELECT ?s ?f WHERE { ?s a jdx:ForumEdition ; jdx:fiscalYear ?f }")
        ),
        country_of=dict(_rows(g, "SELECT ?s ?c WHERE { ?s jdx:country ?c }")),
        region={s: str(r) for s, r in _rows(g, "SELECT ?s ?r WHERE { ?s jdx:region ?r }")},
        flows=flows,
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
        bucket[record] = (
            keys
            if old is None
            else cast(_Keys, tuple(a | b for a, b in zip(old, keys, strict=True)))
        )

    def node(self, n: str, record: str, keys: _Keys) -> None:
        self._put(self.nodes[n], record, keys)

    def edge(self, key: tuple, record: str, keys: _Keys) -> None:
        for n in key[:2]:
            self.node(n, record, keys)
        self._put(self.edges[key], record, keys)


def _breakdown(records: dict[str, _Keys]) -> str:
    c: Counter = Counter()
    for both, fys, inds in records.values():
        c.update(f"{fy}/{ind}" for fy, ind in both)
        c.update(f"{fy}/{ANY}" for fy in fys)
        c.update(f"{ANY}/{ind}" for ind in inds)
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
    elif ntype == "event":
        ev = f.events[iri]
        attrs.update(fy=ev.fy, indicator=ev.indicator, date=ev.date, kind=" ".join(ev.kinds))
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
            acc.edge((a, b), occasion, keys)  # type: ignore[arg-type]
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
    (records behind the edge) and ``breakdown``. ``full`` returns a :class:`nx.MultiDiGraph`.
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
        else:
            G.add_edge(key[0], key[1], **attrs)
    return G


def full_graph(g: Graph | Facts) -> nx.MultiDiGraph:
    """The full graph: events and every office, country, forum, place and FY linked to them."""
    return projection(g, "full")  # type: ignore[return-value]


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


def metrics(
    G: nx.Graph, seed: int = 42, exact_limit: int = 1000, samples: int = 100
) -> dict[str, Any]:
    """Weighted degree, degree, betweenness and Louvain communities of ``G``.

    Computed on the undirected simple graph (parallel edges' weights summed). Betweenness uses
    distance = 1 / weight (a heavier tie is a shorter path) and is normalized; above
    ``exact_limit`` nodes it is estimated from ``samples`` sources drawn with ``seed`` (the
    full graph: exact betweenness takes ~10 s there). Louvain
    (``networkx.community.louvain_communities``, weight, ``seed``) gives the communities,
    numbered by size (0 = largest), ties broken by the smallest node id.

    Returns ``{"nodes": {node: {"weighted_degree", "degree", "betweenness", "community"}},
    "communities": [[node, …], …], "modularity", "betweenness_exact", "seed"}``.
    """
    H = _undirected(G)
    n = H.number_of_nodes()
    for _, _, d in H.edges(data=True):
        d["distance"] = 1.0 / d["weight"] if d["weight"] > 0 else math.inf
    exact = n <= exact_limit
    bc = (
        nx.betweenness_centrality(
            H, weight="distance", k=None if exact else min(samples, n), seed=seed
        )
        if n
        else {}
    )
    comms: list[list] = []
    if n:
        found = nx.community.louvain_communities(H, weight="weight", seed=seed)
        comms = sorted((sorted(c, key=str) for c in found), key=lambda c: (-len(c), str(c[0])))
    modularity = (
        float(nx.community.modularity(H, [set(c) for c in comms], weight="weight"))
        if H.number_of_edges()
        else 0.0
    )
    member = {node: i for i, c in enumerate(comms) for node in c}
    nodes = {
        node: {
            "weighted_degree": float(H.degree(node, weight="weight")),
            "degree": int(H.degree(node)),
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


def exportable(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose every attribute is a bool, int, float or str of one type."""
    H = G.__class__()
    graph_attrs = {k: _scalar(v) for k, v in G.graph.items()}
    H.graph.update({k: v for k, v in graph_attrs.items() if v is not None})
    nodes = [{k: _scalar(v) for k, v in d.items()} for _, d in G.nodes(data=True)]
    nodes = [{k: v for k, v in d.items() if v is not None} for d in nodes]
    _unify(nodes)
    H.add_nodes_from(zip(G.nodes, nodes, strict=True))
    raw: list[tuple]  # (u, v, key, data) for a multigraph, else (u, v, data)
    if G.is_multigraph():
        raw = list(cast(nx.MultiGraph, G).edges(keys=True, data=True))
    else:
        raw = list(G.edges(data=True))
    ends = [e[:-1] for e in raw]
    edges = [{k: _scalar(v) for k, v in e[-1].items()} for e in raw]
    edges = [{k: v for k, v in d.items() if v is not None} for d in edges]
    _unify(edges)
    for end, d in zip(ends, edges, strict=True):
        if G.is_multigraph():
            H.add_edge(end[0], end[1], key=end[2], **d)
        else:
            H.add_edge(end[0], end[1], **d)
    return H


def _rgb(hex_color: str) -> dict[str, int | float]:
    h = hex_color.lstrip("#")
    return {"r": int(h[0:2], 16), "g": int(h[2:4], 16), "b": int(h[4:6], 16), "a": 1.0}


def export(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` by the suffix of ``path``: ``.gexf`` (Gephi), ``.graphml`` (Cytoscape, yEd)
    or ``.json`` (networkx node-link). Labels in both languages (``label_ja``, ``label_en``; the
    GEXF node label is ``label``) and every attribute with one declared type; GEXF nodes get a
    color by type. Returns the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    H = exportable(G)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".gexf":
        for _, d in H.nodes(data=True):
            size = 4.0 + 3.0 * math.sqrt(float(d.get("count", 1) or 1))
            d["viz"] = {
                "color": _rgb(TYPE_COLORS.get(d.get("type", ""), TYPE_COLORS["other"])),
                "size": size,
            }
        nx.write_gexf(H, path, version="1.2draft")
    elif suffix == ".graphml":
        nx.write_graphml(H, path)
    elif suffix == ".json":
        data = nx.node_link_data(H, edges="edges")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        raise ViewError(f"{path}: export to .gexf, .graphml or .json")
    return path
