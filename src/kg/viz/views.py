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
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import zlib
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from kg import network as nw
from kg.model.vocab import JDXR, compact

__all__ = ["layout", "view_html", "write_view", "write_default_views", "page_data"]

#: vis-network shape per node type (the color is :data:`kg.network.TYPE_COLORS`).
TYPE_SHAPES: dict[str, str] = {
    "jp_office": "star",
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
_HIDDEN_KEYS = {"label", "label_ja", "label_en", "type", "breakdown", "count", "x", "y", "viz"}
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
        pos = nx.spring_layout(H, seed=seed, weight="lw", iterations=120)
    else:
        types = nx.get_node_attributes(G, "type")
        core = [v for v in H if types.get(v, "event") != "event"]
        if not core or len(core) > core_max:
            core = sorted(H, key=lambda v: (-H.degree(v), str(v)))[:core_max]
        core_set = set(core)
        C = nx.Graph()
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
        pos = dict(nx.spring_layout(C, seed=seed, weight="lw", iterations=80))
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
    """Interns repeated values (breakdowns, info keys, predicates) into a list."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._index: dict[str, int] = {}

    def __call__(self, value: Any) -> int:
        key = json.dumps(value, sort_keys=True)
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(value)
        return self._index[key]


_PAGE_PREFIXES = {"jdxr": str(JDXR)}


def _compact_iri(iri: str) -> str:
    return compact(iri, _PAGE_PREFIXES)  # pages shorten only resource IRIs


def page_data(G: nx.Graph, title: str) -> dict[str, Any]:
    """What a page shows, as JSON-ready data (also used by tests and benchmarks).

    Compact, because a page holds every node: ``nodes`` are objects with ``ja``, ``en``,
    ``t`` (index into ``types``), ``c`` (count), ``s`` (size), ``x``, ``y``, ``r`` (IRI,
    ``jdxr:`` compacted), optional ``b`` (index into ``bds``, the breakdowns), ``i`` (info:
    ``[index into keys, value]`` pairs) and ``f`` (font size); ``edges`` are arrays ``[from,
    to, weight, breakdown index or -1, predicate index or -1, info]``, node ids being
    positions in ``nodes``.
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

    def breakdown(text: Any) -> int:
        bd = nw.parse_breakdown(str(text or ""))
        if not bd:
            return -1
        for k in bd:
            fy, ind = k.split("/", 1)
            if fy != nw.ANY:
                fys.add(fy)
            if ind != nw.ANY:
                inds.add(ind)
        return bds(bd)

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
        b = breakdown(d.get("breakdown"))
        if b >= 0:
            node["b"] = b
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
        raw = ((u, v, d, k) for u, v, k, d in G.edges(keys=True, data=True))
    else:
        raw = ((u, v, d, None) for u, v, d in G.edges(data=True))
    for u, v, d, key in raw:
        label = d.get("label") or (key if isinstance(key, str) else "")
        edge = [
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
    return {
        "title": title,
        "directed": G.is_directed(),
        "unit": {"ja": G.graph.get("unit_ja", "件"), "en": G.graph.get("unit_en", "records")},
        "prefixes": {"jdxr": str(nw.JDXR)},
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
        "bds": bds.items,
        "keys": keys.items,
        "preds": preds.items,
        "nodes": nodes,
        "edges": edges,
        "options": _options(G, types),
    }


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
def _vis_js() -> str:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    found = sorted(lib.glob("vis-*/vis-network.min.js"))
    if not found:
        raise FileNotFoundError(f"vis-network.min.js not found under {lib}")
    # pyvis ships 9.0.4 and 9.1.2: take the newest.
    text = max(found, key=lambda p: [int(x) for x in p.parent.name[4:].split(".")]).read_text(
        encoding="utf-8"
    )
    return text.replace("</script", "<\\/script")


def _script_json(obj: Any) -> str:
    """JSON safe inside <script>: ASCII only, and no <, > or & at all (so no </script>)."""
    text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _sha256(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;
 font-size:13px;color:#1b2631;background:#fff}
#kg-app{display:flex;flex-direction:column;height:100%}
header{display:flex;flex-wrap:wrap;align-items:center;gap:6px 14px;padding:6px 10px;
 border-bottom:1px solid #d5d8dc;background:#f8f9f9}
header h1{font-size:15px;margin:0 8px 0 0;font-weight:600}
header label{display:inline-flex;align-items:center;gap:4px}
header select,header input{font:inherit;padding:2px 4px;max-width:280px}
#kg-counts,#kg-shown,#kg-status{color:#566573}
#kg-main{flex:1;display:flex;min-height:0}
#kg-stage{flex:1;position:relative;min-width:0}
#kg-net{position:absolute;inset:0}
#kg-side{width:290px;border-left:1px solid #d5d8dc;overflow:auto;padding:8px;background:#fdfefe}
#kg-side h2{font-size:13px;margin:10px 0 4px}
.kg-legend-item{display:flex;align-items:center;gap:6px;margin:2px 0;cursor:pointer}
.kg-legend-item canvas{flex:none}
#kg-results button{display:block;width:100%;text-align:left;margin:1px 0;font:inherit;
 background:#fff;border:1px solid #e5e8e8;cursor:pointer;padding:2px 4px}
#kg-info .kg-title{font-weight:600;font-size:14px;word-break:break-all}
#kg-info div,.kg-tip div{margin:1px 0}
#kg-info .kg-dim,.kg-tip .kg-dim{color:#566573}
.kg-tip{position:absolute;z-index:10;pointer-events:none;max-width:360px;padding:6px 8px;
 background:#fffffe;border:1px solid #aab7b8;border-radius:4px;box-shadow:0 2px 6px #0003;
 font-size:12px;word-break:break-all}
.kg-tip .kg-title{font-weight:600}
#kg-busy{position:absolute;left:8px;top:8px;z-index:5;background:#fffc;padding:2px 6px;
 border-radius:3px;color:#566573}
"""

_APP_JS = r"""
(function () {
  "use strict";
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var times = {script: t0, parsed: performance.now()};
  var N = D.nodes, E = D.edges, T = D.types;
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function short(text, limit) {
    var chars = Array.from(text);
    return chars.length <= limit ? text : chars.slice(0, limit - 1).join("") + "\u2026";
  }
  function iri(r) {
    var i = r.indexOf(":"), p = i > 0 ? D.prefixes[r.slice(0, i)] : undefined;
    return p === undefined ? r : p + r.slice(i + 1);
  }
  function bdOf(x) { return x >= 0 ? D.bds[x] : null; }
  var maxW = 1;
  E.forEach(function (e) { if (e[2] > maxW) { maxW = e[2]; } });
  function widthOf(w) { return 1 + 7 * Math.sqrt(Math.max(w, 0) / maxW); }
  var nodes = new vis.DataSet(N.map(function (n, i) {
    var item = {id: i, label: short(n.ja, T[n.t].limit), group: T[n.t].id, size: n.s,
                x: n.x, y: n.y};
    if (n.f) { item.font = {size: n.f}; }
    return item;
  }));
  var curWidth = E.map(function (e) { return widthOf(e[2]); });
  var edges = new vis.DataSet(E.map(function (e, i) {
    return {id: i, from: e[0], to: e[1], width: curWidth[i]};
  }));
  var state = {fy: "", ind: "", types: {}};
  T.forEach(function (t) { state.types[t.id] = true; });
  var shownNodes = null, shownEdges = null;
  function filtered() { return state.fy !== "" || state.ind !== ""; }
  function countOf(b, total) {
    if (!filtered()) { return total; }
    var bd = bdOf(b);
    return (bd && bd[(state.fy || "*") + "/" + (state.ind || "*")]) || 0;
  }
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return !shownNodes || shownNodes.has(n.id); }
  });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return !shownEdges || shownEdges.has(e.id); }
  });
  function apply() {
    var ns = new Set(), es = new Set(), upd = [];
    N.forEach(function (n, i) {
      if (state.types[T[n.t].id] && countOf(n.b === undefined ? -1 : n.b, 1) > 0) { ns.add(i); }
    });
    E.forEach(function (e, i) {
      var c = countOf(e[3], e[2]);
      if (c > 0 && ns.has(e[0]) && ns.has(e[1])) {
        es.add(i);
        var w = widthOf(c);
        if (w !== curWidth[i]) { curWidth[i] = w; upd.push({id: i, width: w}); }
      }
    });
    shownNodes = ns; shownEdges = es;
    if (upd.length) { edges.update(upd); }
    nodeView.refresh(); edgeView.refresh();
    showCounts();
  }
  function showCounts() {
    var c = document.getElementById("kg-counts");
    c.textContent = "ノード nodes " + nodes.length + " · エッジ edges " + edges.length;
    c.dataset.nodes = String(nodes.length); c.dataset.edges = String(edges.length);
    var s = document.getElementById("kg-shown");
    s.textContent = "表示 shown " + nodeView.length + " / " + edgeView.length;
    s.dataset.nodes = String(nodeView.length); s.dataset.edges = String(edgeView.length);
  }

  // -- tooltips and the details panel: DOM nodes with textContent, never markup ------------
  function perYear(b) {
    var bd = bdOf(b), parts = [];
    if (!bd) { return ""; }
    D.fys.forEach(function (f) {
      var v = bd[f.value + "/" + (state.ind || "*")];
      if (v) { parts.push(f.en + ": " + v); }
    });
    return parts.join(" · ");
  }
  function addInfo(box, pairs) {
    (pairs || []).forEach(function (kv) {
      box.appendChild(el("div", D.keys[kv[0]] + ": " + kv[1], "kg-dim"));
    });
  }
  function nodeBox(id, full) {
    var n = N[id], t = T[n.t], box = el("div");
    box.appendChild(el("div", n.ja, "kg-title"));
    if (n.en) { box.appendChild(el("div", n.en)); }
    box.appendChild(el("div", t.ja + " / " + t.en, "kg-dim"));
    var b = n.b === undefined ? -1 : n.b;
    var note = filtered() ? " (絞り込み filtered)" : "";
    box.appendChild(el("div", D.unit.ja + " " + countOf(b, n.c) + " " + D.unit.en + note));
    var py = perYear(b);
    if (py) { box.appendChild(el("div", py, "kg-dim")); }
    addInfo(box, n.i);
    if (full) {
      box.appendChild(el("div", iri(n.r), "kg-dim kg-iri"));
      var links = [];
      network.getConnectedEdges(id).forEach(function (eid) {
        var e = E[eid], other = e[0] === id ? e[1] : e[0];
        if (shownEdges && !shownEdges.has(eid)) { return; }
        links.push([countOf(e[3], e[2]), N[other].ja, e[4] >= 0 ? D.preds[e[4]] : ""]);
      });
      links.sort(function (a, b2) { return b2[0] - a[0]; });
      if (links.length) {
        box.appendChild(el("div", "つながり links (" + links.length + ")", "kg-title"));
        links.slice(0, 15).forEach(function (l) {
          box.appendChild(el("div", l[1] + (l[2] ? " [" + l[2] + "]" : "") + " — " + l[0]));
        });
      }
    }
    return box;
  }
  function edgeBox(eid) {
    var e = E[eid], a = N[e[0]], b = N[e[1]], box = el("div");
    box.appendChild(el("div", a.ja + " — " + b.ja, "kg-title"));
    if (a.en || b.en) { box.appendChild(el("div", (a.en || "") + " — " + (b.en || ""))); }
    if (e[4] >= 0) { box.appendChild(el("div", D.preds[e[4]], "kg-dim")); }
    box.appendChild(el("div", D.unit.ja + " " + countOf(e[3], e[2]) + " " + D.unit.en));
    var py = perYear(e[3]);
    if (py) { box.appendChild(el("div", py, "kg-dim")); }
    addInfo(box, e[5]);
    return box;
  }

  // -- the network -------------------------------------------------------------------------
  var container = document.getElementById("kg-net");
  times.data = performance.now();
  var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, D.options);
  times.network = performance.now();
  var stage = document.getElementById("kg-stage");
  var tip = el("div", null, "kg-tip"); tip.style.display = "none"; tip.id = "kg-tip";
  stage.appendChild(tip);
  function showTip(box, p) {
    tip.replaceChildren(box);
    tip.style.display = "block";
    var x = p.DOM.x + 14, y = p.DOM.y + 14;
    tip.style.left = Math.max(0, Math.min(x, stage.clientWidth - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(0, Math.min(y, stage.clientHeight - tip.offsetHeight - 4)) + "px";
  }
  function hideTip() { tip.style.display = "none"; }
  network.on("hoverNode", function (p) { showTip(nodeBox(p.node, false), p.pointer); });
  network.on("hoverEdge", function (p) { showTip(edgeBox(p.edge), p.pointer); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  var info = document.getElementById("kg-info");
  function showInfo(id) {
    info.replaceChildren(
      id === null ? el("div", "ノードを選ぶと詳細 / select a node", "kg-dim") : nodeBox(id, true)
    );
  }
  network.on("click", function (p) {
    if (p.nodes.length) { showInfo(p.nodes[0]); }
    else if (p.edges.length) { info.replaceChildren(edgeBox(p.edges[0])); }
    else { showInfo(null); }
  });

  // -- layout: a bounded stabilization, then physics off --------------------------------
  var busy = document.getElementById("kg-busy"), status = document.getElementById("kg-status");
  var iterations = 0;
  function markStable() {
    network.once("afterDrawing", function () {
      var ms = performance.now();
      times.stable = ms;
      window.kgStable = {ms: ms, iterations: iterations, times: times};
      document.documentElement.dataset.kgStable = ms.toFixed(1);
      busy.style.display = "none";
      status.textContent = "配置完了 layout stable (" + (ms / 1000).toFixed(2) + " s)";
    });
    network.redraw();
  }
  if (D.options.physics.enabled) {
    network.on("stabilizationProgress", function (p) {
      iterations = p.iterations;
      var pct = Math.round(100 * p.iterations / p.total);
      busy.textContent = "配置を計算中 laying out… " + pct + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      times.stabilized = performance.now();
      network.setOptions({physics: {enabled: false}});
      markStable();
    });
  } else {
    network.fit();
    markStable();
  }

  // -- controls ----------------------------------------------------------------------------
  function option(value, text) { var o = el("option", text); o.value = value; return o; }
  var fySel = document.getElementById("kg-fy"), indSel = document.getElementById("kg-ind");
  fySel.appendChild(option("", "全年度 all years"));
  D.fys.forEach(function (f) {
    fySel.appendChild(option(f.value, (f.ja ? f.ja + " " : "") + f.en));
  });
  indSel.appendChild(option("", "全指標 all indicators"));
  D.indicators.forEach(function (i) {
    indSel.appendChild(option(i.value, i.value + " — " + (i.ja || i.en)));
  });
  fySel.disabled = !D.fys.length; indSel.disabled = !D.indicators.length;
  fySel.addEventListener("change", function () { state.fy = fySel.value; apply(); });
  indSel.addEventListener("change", function () { state.ind = indSel.value; apply(); });
  var SHAPES = {  // unit polygons for the legend's swatches
    square: [[-1, -1], [1, -1], [1, 1], [-1, 1]],
    triangle: [[0, -1], [1, 1], [-1, 1]],
    triangleDown: [[0, 1], [1, -1], [-1, -1]],
    diamond: [[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]],
    hexagon: [0, 1, 2, 3, 4, 5].map(function (i) {
      return [Math.cos(Math.PI / 3 * i), Math.sin(Math.PI / 3 * i)];
    }),
    star: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(function (i) {
      var a = Math.PI / 5 * i - Math.PI / 2, r = i % 2 ? 0.45 : 1.15;
      return [r * Math.cos(a), r * Math.sin(a)];
    })
  };
  function swatch(t) {
    var c = document.createElement("canvas"), ctx, pts = SHAPES[t.shape];
    c.width = 16; c.height = 16; ctx = c.getContext("2d");
    ctx.fillStyle = t.color; ctx.strokeStyle = "#333"; ctx.beginPath();
    if (pts) {
      pts.forEach(function (p) { ctx.lineTo(8 + 6 * p[0], 8 + 6 * p[1]); });
      ctx.closePath();
    } else {
      ctx.arc(8, 8, 6, 0, 2 * Math.PI);
    }
    ctx.fill(); ctx.stroke();
    return c;
  }
  var legend = document.getElementById("kg-legend");
  T.forEach(function (t) {
    var row = el("label", null, "kg-legend-item"), cb = el("input");
    cb.type = "checkbox"; cb.checked = true; cb.dataset.type = t.id;
    cb.addEventListener("change", function () { state.types[t.id] = cb.checked; apply(); });
    row.appendChild(cb); row.appendChild(swatch(t));
    row.appendChild(el("span", t.ja + " / " + t.en + " (" + t.count + ")"));
    legend.appendChild(row);
  });
  var q = document.getElementById("kg-q"), results = document.getElementById("kg-results");
  function select(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: false});
    showInfo(id);
  }
  function search(text) {
    var s = String(text || "").trim().toLowerCase(), hits = [], hidden = 0;
    results.replaceChildren();
    if (!s) { return []; }
    N.forEach(function (n, i) {
      var hay = (n.ja + "\n" + n.en + "\n" + iri(n.r)).toLowerCase();
      if (hay.indexOf(s) < 0) { return; }
      if (shownNodes && !shownNodes.has(i)) { hidden += 1; return; }
      hits.push(i);
    });
    hits.sort(function (a, b) { return (N[b].c || 0) - (N[a].c || 0) || a - b; });
    var more = hidden ? " (+" + hidden + " 非表示 hidden by filters)" : "";
    results.appendChild(el("div", hits.length + " 件 found" + more, "kg-dim"));
    hits.slice(0, 30).forEach(function (i) {
      var b = el("button", N[i].ja + (N[i].en ? " / " + N[i].en : ""));
      b.type = "button"; b.dataset.node = String(i);
      b.addEventListener("click", function () { select(i); });
      results.appendChild(b);
    });
    if (hits.length) { select(hits[0]); }
    return hits;
  }
  document.getElementById("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault(); search(q.value);
  });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit(); });
  showCounts();
  showInfo(null);
  window.kg = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    data: D, state: state, apply: apply, search: search, select: select,
    counts: function () {
      return {nodes: nodes.length, edges: edges.length,
              shownNodes: nodeView.length, shownEdges: edgeView.length};
    }
  };
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kg.viz (pyvis {pyvis_version}, vis-network inlined)">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<div id="kg-app">
<header>
<h1>{title}</h1>
<label>年度 FY <select id="kg-fy"></select></label>
<label>指標 indicator <select id="kg-ind"></select></label>
<form id="kg-search"><input id="kg-q" type="search" placeholder="検索 search (日本語 / English)"
 autocomplete="off"> <button type="submit">検索 search</button></form>
<button id="kg-fit" type="button">全体 fit</button>
<span id="kg-counts"></span><span id="kg-shown"></span><span id="kg-status"></span>
</header>
<div id="kg-main">
<div id="kg-stage"><div id="kg-net"></div><div id="kg-busy">配置を計算中 laying out…</div></div>
<aside id="kg-side">
<h2>凡例・種類 legend / node types</h2><div id="kg-legend"></div>
<h2>検索結果 search results</h2><div id="kg-results"></div>
<h2>詳細 details</h2><div id="kg-info"></div>
</aside>
</div>
</div>
<script id="kg-data" type="application/json">{data}</script>
<script>{vis}</script>
<script>{app}</script>
</body>
</html>
"""


def view_html(G: nx.Graph, title: str | None = None, notebook: bool = False) -> str:
    """A self-contained interactive page for ``G`` (see the module's docstring).

    ``notebook=True`` returns the same page inside a sandboxed ``<iframe srcdoc>``, ready for
    ``IPython.display.HTML`` (JupyterLab and VS Code): the page keeps its own scripts, styles
    and Content-Security-Policy apart from the notebook's.
    """
    import pyvis

    title = str(title or G.graph.get("title") or G.graph.get("name") or "network")
    data = page_data(G, title)
    vis_js = _vis_js()
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(vis_js)} {_sha256(_APP_JS)}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
    page = _PAGE.format(
        csp=csp,
        pyvis_version=html.escape(getattr(pyvis, "__version__", "?")),
        title=html.escape(title),
        css=_CSS,
        data=_script_json(data),
        vis=vis_js,
        app=_APP_JS,
    )
    if not notebook:
        return page
    return (
        '<iframe sandbox="allow-scripts" style="width:100%;height:720px;border:1px solid #ddd" '
        f'title="{html.escape(title)}" srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )


def write_view(G: nx.Graph, path: str | Path, title: str | None = None) -> Path:
    """Write :func:`view_html` of ``G`` to ``path`` as UTF-8; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(view_html(G, title), encoding="utf-8")
    return path


def build_view(
    g: Any,
    view: str,
    fy: int | str | None = None,
    indicator: str | None = None,
    country: str | None = None,
    with_metrics: bool = True,
) -> nx.Graph:
    """:func:`kg.network.projection` with :func:`kg.network.metrics` written onto the nodes."""
    G = nw.projection(g, view, fy=fy, indicator=indicator, country=country)
    if with_metrics:
        nw.annotate(G, nw.metrics(G))
    return G


def write_default_views(result: Any, graph: Any, out_dir: str | Path) -> list[Path]:
    """``kg build`` hook: write ``out_dir/views/<view>.html`` for every view, the same graphs
    as ``.gexf``, ``.graphml`` and ``.json``, and an ``index.html``. ``result`` is unused (the
    views come from the RDF graph only)."""
    del result
    folder = Path(out_dir) / "views"
    folder.mkdir(parents=True, exist_ok=True)
    facts = nw.read_facts(graph)
    written = []
    links = []
    for view in nw.VIEWS:
        G = build_view(facts, view)
        written.append(write_view(G, folder / f"{view}.html"))
        for suffix in (".gexf", ".graphml", ".json"):
            written.append(nw.export(G, folder / f"{view}{suffix}"))
        links.append((view, G.graph["title"], G.number_of_nodes(), G.number_of_edges()))
    rows = "\n".join(
        f'<li><a href="{html.escape(v)}.html">{html.escape(t)}</a> '
        f'({n} nodes, {m} edges; <a href="{html.escape(v)}.gexf">GEXF</a>, '
        f'<a href="{html.escape(v)}.graphml">GraphML</a>, '
        f'<a href="{html.escape(v)}.json">JSON</a>)</li>'
        for v, t, n, m in links
    )
    index = (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src '
        '\'unsafe-inline\'"><title>jdx views</title></head><body style="font-family:sans-serif">'
        f"<h1>防衛交流の可視化 / Views of the defense-exchange graph</h1><ul>\n{rows}\n</ul>"
        "</body></html>\n"
    )
    (folder / "index.html").write_text(index, encoding="utf-8")
    written.append(folder / "index.html")
    return written
