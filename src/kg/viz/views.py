"""Interactive views: self-contained pyvis (vis-network) pages built from :mod:`kg.network`.

A page is one HTML file that works offline and fetches nothing: the vis-network build that pyvis
ships is inlined, Bootstrap and every CDN link are left out, and a Content-Security-Policy allows
no request and only the page's own two scripts (by hash). The data travel as JSON in a
non-executable ``<script type="application/json">`` block, every ``<``, ``>`` and ``&`` escaped
(so no ``</script>`` can close it), and the page puts text on screen only through ``textContent``
and the canvas: a label such as ``<img src=x onerror=…>`` shows as text and runs nothing.

The page has nodes colored and shaped by type with a legend (which is also the type filter),
Japanese labels with English and counts in the tooltips, edge width by weight, filters by fiscal
year and indicator (they use each element's ``breakdown``, so a filtered page shows exactly
``projection(g, view, fy=…, indicator=…)``), search, and a layout precomputed in Python that
vis-network's physics refines for a bounded number of iterations and then stops.

Legibility (issue 14): the page draws the labels itself (``view.js``, ``drawLabels``), each
beside its node where it overlaps no other label, no bigger node and not the view's edge, the
rest left for the zoom (``kg.labels()`` gives the rectangles drawn, for tests); the full view
starts with its fiscal-year hubs hidden; an empty view says no record matches; the controls
show the filters a view was built with; search covers the gazetteers' aliases and follows the
filters; metrics have plain names with one line each (:data:`KEY_NAMES`); every count says
what it counts (:data:`COUNT_WHAT`). A node's details link to its page (``href``).
"""

from __future__ import annotations

import html
import json
import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, cast

import networkx as nx

from kg import network as nw
from kg import paths
from kg.formats.graph_data import SUFFIXES, GraphData
from kg.model.gazetteer_names import row_names
from kg.model.vocab import PREFIX_IRIS, compact, page_href
from kg.viz.page import asset, csp_hash, script_json, script_text

__all__ = [
    "ViewInfo",
    "layout",
    "page_data",
    "prepare",
    "view_html",
    "write_view",
    "write_views",
    "write_views_index",
]


class ViewInfo(NamedTuple):
    """A written view, as the views' index lists it."""

    view: str
    title: str
    nodes: int
    edges: int
    paths: list[Path]


#: vis-network shape per node type (the color is :data:`kg.network.TYPE_COLORS`).
TYPE_SHAPES: dict[str, str] = {
    "jp_office": "star",
    "person": "diamond",
    "country": "dot",
    "intl_org": "hexagon",
    "foreign_office": "triangle",
    "forum": "square",
    "forum_edition": "square",
    "channel": "diamond",
    "place": "triangleDown",
    "fiscal_year": "hexagon",
    "event": "dot",
    "other": "dot",
}
_BASE_SIZE = {"event": 4.0, "forum_edition": 6.0, "foreign_office": 6.0, "place": 6.0}
_INFO_KEYS = (
    "code",
    "region",
    "date",
    "source_line",
    "kind",
    "indicator",
    "weighted_degree",
    "degree",
    "betweenness",
    "community",
    "students",
    "students_inbound",
    "students_outbound",
)
_EDGE_INFO = ("students", "students_inbound", "students_outbound")
_HIDDEN_KEYS = {
    "label",
    "label_ja",
    "label_en",
    "type",
    "breakdown",
    "count",
    "x",
    "y",
    "viz",
    "events_all",
    "events_all_breakdown",
}
#: What the panel calls each number, in plain words, with one line on what it means:
#: key -> (ja, en, meaning ja, meaning en).
KEY_NAMES: dict[str, tuple[str, str, str, str]] = {
    "code": ("コード", "code", "", ""),
    "region": ("地域", "region", "", ""),
    "date": ("日付", "date", "", ""),
    "source_line": (
        "原文の行",
        "source line",
        "data/source.txt の行番号",
        "line in data/source.txt",
    ),
    "kind": ("種類", "kind", "", ""),
    "indicator": ("指標", "indicator", "", ""),
    "fy": ("年度", "fiscal year", "", ""),
    "weighted_degree": (
        "重み付き次数",
        "weighted degree",
        "つながりの重みの合計: 関わる行事の数(重み付き)",
        "number of events (weighted) it takes part in: its ties' weights summed",
    ),
    "degree": ("次数", "links", "つながる相手の数", "how many others it is tied to"),
    "betweenness": (
        "媒介中心性",
        "betweenness",
        "他の二者を結ぶ最短経路に入る頻度: 仲介役の度合い",
        "how often it lies on the shortest paths between others: a broker",
    ),
    "community": (
        "コミュニティ",
        "community",
        "モジュラリティ最大化(Louvain)で見つかったまとまりの番号(0が最大)",
        "group found by modularity clustering (Louvain; 0 = the largest)",
    ),
    "events_confirmed": (
        "参加が確かな行事",
        "events, confirmed",
        "その月を通じてこの役職にあった行事の数(jdx:participantPerson)",
        "events in whose month the person held the office throughout (jdx:participantPerson)",
    ),
    "events_candidate": (
        "候補としての行事",
        "events, as a candidate",
        "交代の月や二人制の政務官で、保持者の候補の一人である行事の数(holder_ambiguous)",
        "events where the person is one of the office's possible holders: a handover month, "
        "or the two-seat parliamentary vice-minister (holder_ambiguous)",
    ),
    "students": ("留学生", "students", "人数", "people"),
    "students_inbound": ("受入れ留学生", "students to Japan", "人数", "people"),
    "students_outbound": ("派遣留学生", "students from Japan", "人数", "people"),
}
#: What a view's node counts and edge weights count, and why a count differs from a query's:
#: view -> (nodes ja, nodes en, edges ja, edges en, note ja, note en).
COUNT_WHAT: dict[str, tuple[str, str, str, str, str, str]] = {
    "full": (
        "関わる行事の数",
        "events it takes part in",
        "このつながりの行事の数",
        "events behind this link",
        "",
        "",
    ),
    "office_country": (
        "日本側の役職と相手国の両方が記された行事の数",
        "events naming both a Japanese office and a counterpart country",
        "この役職とこの国の組の行事の数",
        "events of this office–country pair",
        "日本側の役職が記されない行事は載らない。一つの行事に役職が二つあれば組ごとに数える"
        "(つながりの合計は役職–行事の組の数)。",
        "An event naming no Japanese office is not in this view; one naming two offices counts "
        "once for each pair (a node's links add up to office–event pairs, not events).",
    ),
    "person_country": (
        "この人物が参加した行事の数(候補として載る行事を含む)",
        "events in which this person took part (including those where they are a candidate)",
        "この人物とこの国の行事の数(確定か候補か)",
        "events of this person with this country (confirmed, or as a candidate)",
        "人物は日本側の役職の、行事の日付での保持者(docs/holders.md)。保持者の確かでない行事は"
        "「候補」のつながりで別に数え、確定と合わせない。日付や役職の記されない行事は載らない。",
        "A person is the holder of the Japanese office on the event's date (docs/holders.md). "
        "Where the holder is not certain, the link is a separate 'candidate' one, never added to "
        "the confirmed one. An event without a date or a Japanese office is not in this view.",
    ),
    "country_forum": (
        "名前の記された会議での行事の数",
        "events at a named forum",
        "この国とこの会議の行事の数",
        "events of this country at this forum",
        "会議名の記されない行事は載らない。",
        "An event at no named forum is not in this view.",
    ),
    "copresence": (
        "日本と会った機会の数",
        "occasions at which Japan met it",
        "両国が日本と会った機会の数",
        "occasions at which Japan met both",
        "機会とは会議の回、または会議に属さない行事そのもの。",
        "An occasion is a forum edition, or the event itself when it was held at no forum.",
    ),
    "country_channel": (
        "記録の数(行事と留学生の記録)",
        "records (events and student-flow records)",
        "この国とこの種類の記録の数",
        "records of this country in this channel",
        "",
        "",
    ),
}
#: Node types a view starts with hidden (its legend's box brings them back): in the full view
#: the fiscal-year hubs tie every event of a year together and hide everything else.
HIDDEN_TYPES = {"full": ("fiscal_year",)}
#: Links drawn dashed: a person who may have held the office then (kg.network.PERSON_LINKS).
DASHED_LINKS = frozenset({nw.PERSON_LINKS["candidateParticipant"]})
#: Above this many nodes the layout is not refined in the browser (physics stays off).
PHYSICS_LIMIT = 4000


# ------------------------------------------------------------------------------------------
#  Layout (Python side): a spring layout of the skeleton, the rest placed among its neighbors
# ------------------------------------------------------------------------------------------


def _jitter(node: Any) -> tuple[float, float]:
    h = zlib.crc32(str(node).encode("utf-8"))
    angle = (h % 3600) / 3600 * 2 * math.pi
    radius = 0.35 + 0.65 * ((h // 3600) % 1000) / 1000
    return radius * math.cos(angle), radius * math.sin(angle)


def _as_points(pos: Any) -> dict[Any, tuple[float, float]]:
    """networkx's layout (numpy arrays) as plain (x, y) floats."""
    return {v: (float(p[0]), float(p[1])) for v, p in pos.items()}


def _spring(G: nx.Graph, seed: int, weight: str, iterations: int) -> dict[Any, Any]:
    """networkx's spring layout (Fruchterman-Reingold, dense; its start, cooling, threshold and
    rescaling), with the forces computed on x and y arrays instead of einsum over an n x n x 2
    array, each step's n x n arrays written into buffers allocated once (allocating them anew
    cost as much as the arithmetic) and the attraction computed on the edges only: several
    times faster than networkx, the same layout up to floating-point rounding, and bit for bit
    what the dense, allocating version of these formulas gives."""
    import numpy as np

    nodes = list(G)
    n = len(nodes)
    if n == 1:
        return {nodes[0]: np.zeros(2)}
    A = nx.to_numpy_array(G, weight=weight)
    pos = np.random.RandomState(seed).rand(n, 2)
    k2, a_k = 1.0 / n, A / np.sqrt(1.0 / n)
    t = max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1])) * 0.1
    dt = t / (iterations + 1)
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    dx, dy, dist, tmp = (np.empty((n, n)) for _ in range(4))
    rows, cols = np.nonzero(a_k)
    a_nz = a_k[rows, cols]
    for _ in range(iterations):
        np.subtract(x[:, None], x[None, :], out=dx)
        np.subtract(y[:, None], y[None, :], out=dy)
        np.multiply(dx, dx, out=dist)
        np.multiply(dy, dy, out=tmp)
        np.add(dist, tmp, out=dist)
        np.sqrt(dist, out=dist)
        np.maximum(dist, 0.01, out=dist)  # np.clip's: the same values, without its wrapper
        # force = k2 / dist**2 - a_k * dist, left in tmp
        np.multiply(dist, dist, out=tmp)
        np.divide(k2, tmp, out=tmp)
        # a_k is zero off the edges, where force - 0 = force: subtract on the edges only
        tmp[rows, cols] -= a_nz * dist[rows, cols]
        px = np.multiply(dx, tmp, out=dx).sum(axis=1)
        py = np.multiply(dy, tmp, out=dy).sum(axis=1)
        length = np.sqrt(px * px + py * py)
        np.maximum(length, 0.01, out=length)
        ux, uy = px * (t / length), py * (t / length)
        x += ux
        y += uy
        t -= dt
        if np.sqrt((ux * ux + uy * uy).sum()) / n < 1e-4:  # networkx's threshold
            break
    return dict(zip(nodes, nx.rescale_layout(np.column_stack([x, y]), scale=1), strict=True))


def layout(G: nx.Graph, seed: int = 7, core_max: int = 600) -> dict[Any, tuple[float, float]]:
    """Deterministic 2-D positions in pixels for ``G``.

    Up to ``core_max`` nodes: a weighted spring layout (weights log-damped). Larger graphs: the
    skeleton (the nodes that are not events, or the best-connected ``core_max``) is laid out
    with the other nodes folded into weighted links between their skeleton neighbors; each
    other node is then put near the weighted centroid of its neighbors (hubs count less).
    Scaled so that the mean spacing suits vis-network's springs.
    """
    H = nw._undirected(G)
    n = H.number_of_nodes()
    if n == 0:
        return {}
    for _, _, d in H.edges(data=True):
        d["lw"] = 1.0 + math.log1p(d["weight"])
    if n <= core_max:
        pos = _as_points(_spring(H, seed=seed, weight="lw", iterations=120))
    else:
        types = nx.get_node_attributes(G, "type")
        core = [v for v in H if types.get(v, "event") != "event"]
        if not core or len(core) > core_max:
            core = sorted(H, key=lambda v: (-H.degree(v), str(v)))[:core_max]
        core_set = set(core)
        C: nx.Graph = nx.Graph()
        C.add_nodes_from(core)
        for u, v, d in H.edges(data=True):
            if u in core_set and v in core_set:
                C.add_edge(u, v, lw=d["lw"])
        folded: Counter = Counter()
        for v in H:
            if v not in core_set:
                nb = frozenset(u for u in H[v] if u in core_set)
                if len(nb) > 1:
                    folded[nb] += 1
        for nb, mult in folded.items():
            share = mult / (len(nb) - 1)
            ends = sorted(nb, key=str)
            for i, a in enumerate(ends):
                for b in ends[i + 1 :]:
                    w = C[a][b]["raw"] + share if C.has_edge(a, b) and "raw" in C[a][b] else share
                    C.add_edge(a, b, raw=w)
        for _, _, d in C.edges(data=True):
            if "raw" in d:
                d["lw"] = d.get("lw", 0.0) + 1.0 + math.log1p(d.pop("raw"))
        pos = _as_points(_spring(C, seed=seed, weight="lw", iterations=80))
        step = 0.06
        pending = [v for v in H if v not in pos]
        for _ in range(3):
            later = []
            for v in pending:
                placed = [(u, 1.0 / max(H.degree(u), 1)) for u in H[v] if u in pos]
                if not placed:
                    later.append(v)
                    continue
                total = sum(w for _, w in placed)
                x = sum(pos[u][0] * w for u, w in placed) / total
                y = sum(pos[u][1] * w for u, w in placed) / total
                jx, jy = _jitter(v)
                pos[v] = (x + step * jx, y + step * jy)
            pending = later
        for i, v in enumerate(sorted(pending, key=str)):
            angle = 2 * math.pi * i / max(len(pending), 1)
            pos[v] = (1.2 * math.cos(angle), 1.2 * math.sin(angle))
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    scale = 45.0 * math.sqrt(n) / extent
    return {
        v: (round((p[0] - cx) * scale, 1), round((p[1] - cy) * scale, 1)) for v, p in pos.items()
    }


# ------------------------------------------------------------------------------------------
#  Page data
# ------------------------------------------------------------------------------------------


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(value: Any) -> str | int | float | bool:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (int, bool, str)):
        return value
    return str(value)


def _darker(hex_color: str, f: float = 0.7) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"#{int(r * f):02x}{int(g * f):02x}{int(b * f):02x}"


def _groups(types: list[str]) -> dict[str, dict]:
    out = {}
    for t in types:
        c = nw.TYPE_COLORS.get(t, nw.TYPE_COLORS["other"])
        out[t] = {
            "shape": TYPE_SHAPES.get(t, "dot"),
            "color": {
                "background": c,
                "border": _darker(c),
                "highlight": {"background": c, "border": "#111111"},
                "hover": {"background": c, "border": "#111111"},
            },
        }
    return out


class _Table:
    """Interns repeated values (breakdowns, info keys, predicates) into a list: equal values
    (dicts in any key order) get one index."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._index: dict[Any, int] = {}

    def __call__(self, value: str | dict[str, int]) -> int:
        # a cheap key (json.dumps was a third of page_data); a dict's sorted items, as
        # json.dumps(sort_keys=True) made equal dicts in any order equal; a str never equals
        # a tuple, so the two kinds never collide
        key = tuple(sorted(value.items())) if isinstance(value, dict) else value
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.items)
            self.items.append(value)
        return found


_PAGE_PREFIXES = {"jdxr": PREFIX_IRIS["jdxr"]}


def _compact_iri(iri: str) -> str:
    return compact(iri, _PAGE_PREFIXES)  # pages shorten only resource IRIs


#: ``pageBase`` of the page data (kept for its readers; the details panel links each node's
#: ``href``, made by :func:`kg.model.vocab.page_href`): ``G.graph["page_base"]`` or this.
PAGE_BASE = "https://w3id.org/jdx/"


def page_data(
    G: nx.Graph, title: str, link_base: str = "/", static_links: bool = False
) -> dict[str, Any]:
    """What a page shows, as JSON-ready data (also used by tests, benchmarks and kg.viz.webgl).

    Compact, because a page holds every node: ``nodes`` are objects with ``ja``, ``en``,
    ``t`` (index into ``types``), ``c`` (count), ``s`` (size), ``x``, ``y``, ``r`` (IRI,
    ``jdxr:`` compacted), optional ``b`` (index into ``bds``, the breakdowns), ``i`` (info:
    ``[index into keys, value]`` pairs), ``f`` (font size), ``href`` (its page:
    :func:`kg.model.vocab.page_href` with ``link_base`` and ``static_links``), ``a`` (aliases,
    searched too) and ``ab``/``ac`` (breakdown index and count of every event with the
    country, see :func:`build_view`); ``edges`` are arrays ``[from, to, weight, breakdown
    index or -1, predicate index or -1, info]``, node ids being positions in ``nodes``.
    ``built`` holds the filters the view was made with, ``keyNames`` the plain names of
    ``keys``, ``countWhat`` what the counts count, ``hiddenTypes`` the types shown only on
    request.
    """
    pos = {v: (d["x"], d["y"]) for v, d in G.nodes(data=True) if "x" in d and "y" in d}
    if len(pos) < G.number_of_nodes():
        pos = layout(G)
    present = Counter(str(d.get("type") or "other") for _, d in G.nodes(data=True))
    types = [t for t in nw.NODE_TYPES if t in present] + sorted(set(present) - set(nw.NODE_TYPES))
    type_index = {t: i for i, t in enumerate(types)}
    max_count = max([float(d.get("count", 1) or 1) for _, d in G.nodes(data=True)] or [1.0])
    # Big graphs are seen from further away: hubs and their labels grow with the graph.
    grow = 22.0 * min(3.0, max(1.0, math.sqrt(G.number_of_nodes() / 100)))
    bds, keys, preds = _Table(), _Table(), _Table()
    nodes = []
    index: dict[Any, int] = {}
    fys: set[str] = set()
    inds: set[str] = set()

    seen: dict[str, int] = {}  # breakdown text -> index (nodes and edges repeat a few texts)
    alias_table = _alias_table()

    def breakdown(value: Any) -> int:
        text = str(value or "")
        found = seen.get(text)
        if found is not None:
            return found
        bd = nw.parse_breakdown(text)
        for k in bd:
            fy, ind = k.split("/", 1)
            if fy != nw.ANY:
                fys.add(fy)
            if ind != nw.ANY:
                inds.add(ind)
        found = seen[text] = bds(bd) if bd else -1
        return found

    for i, (v, d) in enumerate(G.nodes(data=True)):
        index[v] = i
        ntype = str(d.get("type") or "other")
        count = d.get("count", 1)
        rel = math.sqrt(float(count or 1) / max_count)
        node: dict[str, Any] = {
            "ja": str(d.get("label_ja") or d.get("label") or v),
            "en": str(d.get("label_en") or ""),
            "t": type_index[ntype],
            "c": _fmt(count),
            "s": round(_BASE_SIZE.get(ntype, 9.0) + (0 if ntype == "event" else grow * rel), 1),
            "x": pos[v][0],
            "y": pos[v][1],
            "r": _compact_iri(str(d.get("iri", v))),
        }
        href = page_href(str(d.get("iri", v)), link_base, static_links)
        if href:
            node["href"] = href
        b = breakdown(d.get("breakdown"))
        if b >= 0:
            node["b"] = b
        if d.get("events_all_breakdown"):
            node["ab"] = breakdown(d["events_all_breakdown"])
            node["ac"] = int(d.get("events_all", 0))
        also = _aliases(str(d.get("iri", v)), d, alias_table)
        if also:
            node["a"] = also
        info = [k for k in _INFO_KEYS if k in d]
        info += [
            k
            for k, val in d.items()
            if k not in _HIDDEN_KEYS
            and k not in _INFO_KEYS
            and k != "iri"
            and isinstance(val, (str, int, float, bool))
        ][:8]
        pairs = [[keys(k), _fmt(d[k])] for k in info if d[k] not in ("", None)]
        if pairs:
            node["i"] = pairs
        if ntype == "event":
            node["f"] = 9
        elif rel > 0.2:
            node["f"] = round(14 + grow * 1.2 * rel)
        nodes.append(node)
    edges = []
    if G.is_multigraph():
        multi = cast(nx.MultiGraph, G)  # the stubs type G.edges without keys=
        raw = ((u, v, d, k) for u, v, k, d in multi.edges(keys=True, data=True))
    else:
        raw = ((u, v, d, None) for u, v, d in G.edges(data=True))
    for u, v, d, key in raw:
        label = d.get("label") or (key if isinstance(key, str) else "")
        edge: list[Any] = [
            index[u],
            index[v],
            _fmt(d.get("weight", 1)),
            breakdown(d.get("breakdown")),
            preds(str(label)) if label else -1,
        ]
        extra = [[keys(k), _fmt(d[k])] for k in _EDGE_INFO if k in d]
        if extra:
            edge.append(extra)
        edges.append(edge)
    ind_labels = _graph_dict(G, "indicator_labels")
    fy_labels = _graph_dict(G, "fy_labels")
    view = str(G.graph.get("view", ""))
    return {
        "title": title,
        "directed": G.is_directed(),
        "unit": {"ja": G.graph.get("unit_ja", "件"), "en": G.graph.get("unit_en", "records")},
        "prefixes": {"jdxr": str(nw.JDXR)},
        "pageBase": G.graph.get("page_base", PAGE_BASE),
        "types": [
            {
                "id": t,
                "ja": nw.NODE_TYPES.get(t, (t, t))[0],
                "en": nw.NODE_TYPES.get(t, (t, t))[1],
                "color": nw.TYPE_COLORS.get(t, nw.TYPE_COLORS["other"]),
                "shape": TYPE_SHAPES.get(t, "dot"),
                "count": present[t],
                "limit": {"event": 14, "channel": 16}.get(t, 24),
            }
            for t in types
        ],
        "fys": [
            {
                "value": fy,
                "ja": fy_labels.get(fy, {}).get("ja", ""),
                "en": fy_labels.get(fy, {}).get("en", f"FY{fy}"),
            }
            for fy in sorted(fys)
        ],
        "indicators": [
            {
                "value": ind,
                "ja": ind_labels.get(ind, {}).get("ja", ""),
                "en": ind_labels.get(ind, {}).get("en", ind),
            }
            for ind in sorted(inds)
        ],
        "built": _built(G, fy_labels),
        "keyNames": {
            k: dict(zip(("ja", "en", "help_ja", "help_en"), KEY_NAMES[k], strict=True))
            for k in keys.items
            if k in KEY_NAMES
        },
        "countWhat": dict(
            zip(
                ("nodes_ja", "nodes_en", "edges_ja", "edges_en", "note_ja", "note_en"),
                COUNT_WHAT.get(view, ("", "", "", "", "", "")),
                strict=True,
            )
        ),
        "hiddenTypes": [t for t in HIDDEN_TYPES.get(view, ()) if t in present],
        "bds": bds.items,
        "keys": keys.items,
        "preds": preds.items,
        # a candidate's link (holder_ambiguous) is drawn dashed: possible, not established
        "dashed": [i for i, label in enumerate(preds.items) if label in DASHED_LINKS],
        "nodes": nodes,
        "edges": edges,
        "options": _options(G, types),
    }


def _built(G: nx.Graph, fy_labels: dict) -> dict[str, Any]:
    """The filters ``G`` was made with (kg viz --fy/--indicator/--country), for the controls."""
    fy = str(G.graph.get("fy") or "")
    country = str(G.graph.get("country") or "")
    ind = str(G.graph.get("indicator") or "")
    ind_label = _graph_dict(G, "indicator_labels").get(ind, {}) if ind else {}
    names = {"ja": "", "en": ""}
    if country:
        for _, d in G.nodes(data=True):
            if d.get("type") in ("country", "intl_org") and d.get("code") == country:
                names = {"ja": str(d.get("label_ja") or ""), "en": str(d.get("label_en") or "")}
    return {
        "fy": fy,
        "fy_ja": fy_labels.get(fy, {}).get("ja", "") if fy else "",
        "fy_en": fy_labels.get(fy, {}).get("en", f"FY{fy}") if fy else "",
        "indicator": ind,
        "indicator_ja": ind_label.get("ja", ""),
        "indicator_en": ind_label.get("en", ind),
        "country": country,
        "country_ja": names["ja"],
        "country_en": names["en"],
        "years": sorted(fy_labels),  # the fiscal years the document covers
    }


@cache
def _alias_table() -> dict[str, list[tuple[set[str], list[str]]]]:
    """The gazetteers' aliases (:mod:`kg.model.gazetteer_names`, the rows kg lookup reads too):
    row key -> [(the row's names, its aliases)]."""
    table: dict[str, list[tuple[set[str], list[str]]]] = {}
    for row in row_names():
        if row.aliases:
            table.setdefault(row.key, []).append(
                ({n for n, _ in row.names} | {row.key}, list(row.aliases))
            )
    return table


def _aliases(iri: str, d: dict, table: dict[str, list[tuple[set[str], list[str]]]]) -> list[str]:
    found: list[str] = []
    own = {str(d.get(k) or "") for k in ("code", "label_ja", "label_en")} - {""}
    for names, aliases in table.get(iri.rsplit("/", 1)[-1], ()):
        if own & names:
            found += [a for a in aliases if a not in found and a not in own]
    return found


def _graph_dict(G: nx.Graph, key: str) -> dict:
    value = G.graph.get(key) or {}
    return json.loads(value) if isinstance(value, str) else dict(value)


def _options(G: nx.Graph, types: list[str]) -> dict[str, Any]:
    n = G.number_of_nodes()
    iterations = 300 if n <= 200 else 150 if n <= 800 else 40 if n <= 2000 else 20
    physics = n <= PHYSICS_LIMIT
    small = n <= 200
    return {
        "autoResize": True,
        "groups": _groups(types),
        "nodes": {
            "borderWidth": 1,
            "scaling": {"label": {"drawThreshold": 3}},
            "font": {
                "face": "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif",
                "size": 14,
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "color": {
                "color": "#9aa5b1",
                "highlight": "#c0392b",
                "hover": "#34495e",
                "opacity": 0.7,
            },
            "smooth": False,
            "arrows": {"to": {"enabled": G.is_directed(), "scaleFactor": 0.35}},
            "selectionWidth": 2,
        },
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n > 500,
            "hideEdgesOnZoom": n > 2000,
            "keyboard": False,
        },
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -120 if small else -40,
                "centralGravity": 0.01 if small else 0.005,
                "springLength": 110 if small else 80,
                "springConstant": 0.05 if small else 0.06,
                "damping": 0.4,
                "avoidOverlap": 0.6 if small else 0.0,
            },
            "minVelocity": 1.0,
            "stabilization": {
                "enabled": physics,
                "iterations": iterations,
                "updateInterval": 10,
                "fit": True,
            },
        },
    }


# ------------------------------------------------------------------------------------------
#  The page
# ------------------------------------------------------------------------------------------


@cache
def _pyvis() -> tuple[Path, str]:
    """pyvis's folder and version, found without importing it (its import pulls in IPython,
    about a second of kg build)."""
    import importlib.metadata
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyvis is not installed")
    return Path(list(spec.submodule_search_locations)[0]), importlib.metadata.version("pyvis")


@cache
def _vis_js() -> str:
    lib = _pyvis()[0] / "templates" / "lib"
    found = sorted(lib.glob("vis-*/vis-network.min.js"))
    if not found:
        raise FileNotFoundError(f"vis-network.min.js not found under {lib}")
    # pyvis ships 9.0.4 and 9.1.2: take the newest.
    text = max(found, key=lambda p: [int(x) for x in p.parent.name[4:].split(".")]).read_text(
        encoding="utf-8"
    )
    return script_text(text)


#: The page's parts, package data in ``kg/viz/assets/``: ``view.html`` is a ``str.format``
#: template (a literal brace there would be written doubled); ``view.css`` and ``view.js`` are
#: inlined exactly as stored, leading newline included, and the CSP hashes that exact text.
ASSETS = ("view.html", "panel.css", "view.css", "panel.js", "view.js")


def prepare() -> None:
    """Import numpy (the layout's arrays, and betweenness') and read what every page inlines
    (vis-network, the page's assets, the gazetteers' aliases) before a graph is at hand: kg
    build does it in its second lane while the source is read."""
    import numpy  # noqa: F401 - imported here, not where the layout first needs it

    _vis_js()
    for name in ASSETS:
        asset(name)
    _alias_table()


#: What the document's style does to a view's numbers, printed under its legend. The FY2022
#: high-level list names the forum of its meetings, earlier years' rarely do
#: (queries/forum_naming_by_year.rq): views through forums grow with the writing.
FORUM_CAVEAT = (
    "注意: 令和4年度のハイレベル交流の一覧は約半数の出来事に会議名を記すが、それ以前の年度は"
    "1割以下しか記さない（kg query forum_naming_by_year）。会議を通じた結びつきの増加は書き方"
    "によるもので、参加の増加とは限らない。 / Caveat: the FY2022 list names the forum of about "
    "half its high-level events, FY2019-FY2021's of one in ten or fewer (kg query "
    "forum_naming_by_year): forum hubs and co-presence grow with the document's style, not "
    "necessarily with attendance."
)
CAVEATS: dict[str, str] = {v: FORUM_CAVEAT for v in ("full", "country_forum", "copresence")}


def view_html(
    G: nx.Graph,
    title: str | None = None,
    notebook: bool = False,
    *,
    link_base: str = "/",
    static_links: bool = False,
) -> str:
    """A self-contained interactive page for ``G`` (see the module's docstring).

    ``notebook=True`` returns the same page inside a sandboxed ``<iframe srcdoc>``, ready for
    ``IPython.display.HTML`` (JupyterLab and VS Code): the page keeps its own scripts, styles
    and Content-Security-Policy apart from the notebook's. A node's details link to its page
    at ``link_base`` (``"/"``: kg serve's ``/id/…``; ``static_links``: a published folder's
    ``id/….html``).
    """
    title = str(title or G.graph.get("title") or G.graph.get("name") or "network")
    data = page_data(G, title, link_base=link_base, static_links=static_links)
    vis_js, app_js = _vis_js(), asset("panel.js") + asset("view.js")  # one script, one hash
    csp = (
        "default-src 'none'; "
        f"script-src {csp_hash(vis_js)} {csp_hash(app_js)}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
    # One pass of str.format: a value (a title such as "{app}") is never substituted again.
    page = asset("view.html").format(
        csp=csp,
        pyvis_version=html.escape(_pyvis()[1]),
        title=html.escape(title),
        css=asset("panel.css") + asset("view.css"),  # panel.css: shared with the WebGL page
        data=script_json(data),
        caveat=_caveat(G),
        vis=vis_js,
        app=app_js,
    )
    if not notebook:
        return page
    return (
        '<iframe sandbox="allow-scripts" style="width:100%;height:720px;border:1px solid #ddd" '
        f'title="{html.escape(title)}" srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )


def _caveat(G: nx.Graph) -> str:
    text = CAVEATS.get(str(G.graph.get("view", "")))
    return f'<p class="kg-caveat">{html.escape(text)}</p>' if text else ""


#: Above this many nodes a view is drawn with WebGL (:mod:`kg.viz.webgl`, sigma.js) instead of
#: vis-network: the two pages' times to a first frame cross between the 10x (8,902 nodes, vis
#: ahead) and 17x (14,803, WebGL ahead) synthetic full views (benchmarks/RESULTS.md, "Views").
WEBGL_THRESHOLD = 10000


def write_view(
    G: nx.Graph,
    path: str | Path,
    title: str | None = None,
    *,
    link_base: str = "/",
    static_links: bool = False,
) -> Path:
    """Write :func:`view_html` of ``G`` to ``path`` as UTF-8 (the WebGL page above
    :data:`WEBGL_THRESHOLD` nodes); returns the path."""
    if G.number_of_nodes() > WEBGL_THRESHOLD:
        from kg.viz import webgl  # it reads this module's page data

        return webgl.write_webgl(G, path, title, link_base=link_base, static_links=static_links)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    paths.write_text(path, view_html(G, title, link_base=link_base, static_links=static_links))
    return path


def build_view(
    g: Any,
    view: str,
    fy: int | str | None = None,
    indicator: str | None = None,
    country: str | None = None,
    with_metrics: bool = True,
) -> nx.Graph:
    """:func:`kg.network.projection` with :func:`kg.network.metrics` written onto the nodes, and
    on each country (or organization) node of a view that leaves events out, ``events_all``:
    every event with it as counterpart under the same filters (what ``kg query
    events_by_country_year`` counts, for indicator ``high_level``), with its breakdown."""
    facts = g if isinstance(g, nw.Facts) else nw.read_facts(g)
    G = nw.projection(facts, view, fy=fy, indicator=indicator, country=country)
    if with_metrics:
        nw.annotate(G, nw.metrics(G))
    if view in ("office_country", "person_country", "country_forum"):
        _count_all_events(G, facts)
    return G


def _count_all_events(G: nx.Graph, facts: Any) -> None:
    want_fy, want_ind = G.graph.get("fy") or None, G.graph.get("indicator") or None
    per: dict[str, Counter] = {}
    for ev in facts.events.values():
        if (want_fy and ev.fy != want_fy) or (want_ind and ev.indicator != want_ind):
            continue
        for c in set(ev.countries):
            if c in G and G.nodes[c].get("type") in ("country", "intl_org"):
                cnt = per.setdefault(c, Counter())
                cnt["*"] += 1
                for k in (
                    f"{ev.fy}/{ev.indicator}",
                    f"{ev.fy}/{nw.ANY}",
                    f"{nw.ANY}/{ev.indicator}",
                ):
                    cnt[k] += 1
    for c, cnt in per.items():
        total = cnt.pop("*")
        G.nodes[c]["events_all"] = total
        G.nodes[c]["events_all_breakdown"] = ";".join(f"{k}={v}" for k, v in sorted(cnt.items()))


def write_views(
    graph: Any,
    out_dir: str | Path,
    names: Iterable[str],
    *,
    link_base: str = "/",
    static_links: bool = False,
    exports: bool = True,
    write_files: Callable[[str, GraphData, list[Path]], list[Path]] | None = None,
) -> list[ViewInfo]:
    """Write ``out_dir/views/<view>.html`` for each view named (its links as
    :func:`write_view` makes them), with the same graph as ``.gexf``, ``.graphml`` and
    ``.json`` when ``exports``; ``graph`` is what :func:`kg.network.read_facts` reads (kg build
    passes the triples it has just written), or its facts. Returns what the index lists.

    ``write_files(view, data, paths)`` writes a view's graph files (default
    :func:`kg.formats.graph_data.write_files`) and returns their paths: kg build's views lane
    hands the full view's to the process that writes the other outputs."""
    folder = Path(out_dir) / "views"
    folder.mkdir(parents=True, exist_ok=True)
    facts = graph if isinstance(graph, nw.Facts) else nw.read_facts(graph)
    infos = []
    for view in names:
        G = build_view(facts, view)
        written = [
            write_view(G, folder / f"{view}.html", link_base=link_base, static_links=static_links)
        ]
        if exports:
            targets = [folder / f"{view}{s}" for s in SUFFIXES]
            if write_files is None:
                written += nw.export_all(G, targets)
            else:
                written += write_files(view, nw.export_data(G), targets)
        infos.append(
            ViewInfo(view, G.graph["title"], G.number_of_nodes(), G.number_of_edges(), written)
        )
    return infos


def write_views_index(
    out_dir: str | Path,
    infos: Iterable[ViewInfo],
    *,
    home: str | None = None,
    overview: str | None = None,
) -> Path:
    """``out_dir/views/index.html``: a link to each view, in the order given, and to its
    exports where they were written; ``home``: a link back (a published folder's index);
    ``overview``: a link to the overview page (charts and map) beside the views."""
    rows = []
    for v in infos:
        files = {p.suffix for p in v.paths}
        exports = ", ".join(
            f'<a href="{html.escape(v.view)}{s}">{name}</a>'
            for s, name in ((".gexf", "GEXF"), (".graphml", "GraphML"), (".json", "JSON"))
            if s in files
        )
        rows.append(
            f'<li><a href="{html.escape(v.view)}.html">{html.escape(v.title)}</a> '
            f"({v.nodes} nodes, {v.edges} edges{'; ' + exports if exports else ''})</li>"
        )
    back = f'<p><a href="{html.escape(home)}">jdx</a></p>' if home else ""
    index = (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src '
        '\'unsafe-inline\'"><title>jdx views</title></head><body style="font-family:sans-serif">'
        f"{back}<h1>防衛交流の可視化 / Views of the defense-exchange graph</h1><ul>\n"
        + "\n".join(rows)
        + "\n</ul>"
        + (
            f'<p><a href="{html.escape(overview)}">概観 / Overview</a>: 年度・指標・相手国別の件数'
            "の図と地図 / counts by year, indicator and partner, charts and a map</p>"
            if overview
            else ""
        )
        + "</body></html>\n"
    )
    path = Path(out_dir) / "views" / "index.html"
    paths.write_text(path, index)
    return path
