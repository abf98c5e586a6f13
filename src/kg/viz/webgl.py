"""Network views too large for vis-network, drawn with WebGL: sigma.js over a graphology graph.

The page shows the same data as the vis-network page (:func:`kg.viz.views.page_data`: labels,
types, counts, breakdowns by FY and indicator, the layout computed in Python) and is
self-contained in the same way: graphology's and sigma's builds from ``node_modules`` (pinned
in package.json) are inlined, a Content-Security-Policy admits no request and only the page's
three scripts (by hash), the data travel as escaped JSON in ``<script type="application/json">``
and text reaches the screen through ``textContent`` and sigma's canvas only.

What it keeps of the vis page: hover (label and a tooltip), search over labels, aliases (when
the page data carry them) and IRIs (the hit highlighted and zoomed to), filters by FY, indicator
and type (the legend), a details panel with the node's page link (a node's ``href`` when the
data carry one). What it does not: physics (the layout is final), node shapes (every node is a
disc, colored by type; the legend shows discs), arrows, edge hover; and it draws at most
:data:`NODE_BUDGET` nodes (level of detail: the largest shown, those in view first once the
camera has settled, a selected node's neighbours on top; the page says how many are drawn)
and :data:`EDGE_BUDGET` edges at once (the heaviest shown between drawn nodes; a selected
node's links on top), while counts, search, filters and the details panel use them all: the
graphology graph holds only what is drawn, the data hold everything.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from kg import paths
from kg.viz import views
from kg.viz.page import asset, csp_hash, script_json, script_text

__all__ = ["LIBRARIES", "webgl_html", "write_webgl"]

#: The npm builds the page inlines: (package, file), UMD builds that define globals.
LIBRARIES = (("graphology", "dist/graphology.umd.min.js"), ("sigma", "dist/sigma.min.js"))
ASSETS = ("webgl.html", "panel.css", "webgl.css", "panel.js", "webgl.js")
#: At most this many edges are drawn at once (the heaviest of those the filters show; a selected
#: node's links on top): on this machine's software WebGL every frame of the 100x full view
#: took ~2.2 s with none or 2,000 edges and ~3.5 s with 20,000 (its 84,772 nodes are the floor).
EDGE_BUDGET = 5000
#: At most this many nodes are drawn at once in a larger view (level of detail: the largest of
#: those shown, the ones in view first once the camera has moved; a selected node and its
#: neighbours on top); counts, search, filters and the details panel cover every node. The
#: 100x full view's first frame (84,772 nodes): ~8.8 s with all drawn, ~3.0 s with 4,000, ~3.5 s
#: with 10,000 (same session, load average ~5 on 2 CPUs; benchmarks/RESULTS.md, "Views").
NODE_BUDGET = 4000


@cache
def _library(package: str, relpath: str) -> tuple[str, str]:
    """An npm build's text, safe inside ``<script>``, and the package's version."""
    text = paths.npm_file(package, relpath).read_text(encoding="utf-8")
    meta = json.loads(paths.npm_file(package, "package.json").read_text(encoding="utf-8"))
    return script_text(text), str(meta.get("version", "?"))


def _data(
    G: nx.Graph,
    title: str,
    link_base: str | None,
    static_links: bool,
    edge_budget: int,
    node_budget: int,
) -> dict[str, Any]:
    data = views.page_data(G, title, link_base=link_base or "/", static_links=static_links)
    data.pop("options", None)  # vis-network's options: nothing here reads them
    if link_base is None:  # a page that links nothing
        for n in data["nodes"]:
            n.pop("href", None)
    data["edgeBudget"] = edge_budget
    data["nodeBudget"] = node_budget
    return data


def webgl_html(
    G: nx.Graph,
    title: str | None = None,
    link_base: str | None = "/",
    static_links: bool = False,
    edge_budget: int = EDGE_BUDGET,
    node_budget: int = NODE_BUDGET,
) -> str:
    """The WebGL page for ``G`` (see the module's docstring). A node's page is
    ``{link_base}id/…`` (``kg serve``'s, by default), ``….html`` with ``static_links`` (a
    published folder); ``link_base=None`` links nothing."""
    title = str(title or G.graph.get("title") or G.graph.get("name") or "network")
    data = _data(G, title, link_base, static_links, edge_budget, node_budget)
    (glib, gver), (slib, sver) = (_library(p, f) for p, f in LIBRARIES)
    app = asset("panel.js") + asset("webgl.js")  # the vis page's helpers, then its own
    csp = (
        "default-src 'none'; "
        f"script-src {csp_hash(glib)} {csp_hash(slib)} {csp_hash(app)}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
    # One pass of str.format: a value (a title such as "{app}") is never substituted again.
    return asset("webgl.html").format(
        csp=csp,
        sigma_version=html.escape(sver),
        graphology_version=html.escape(gver),
        title=html.escape(title),
        css=asset("panel.css") + asset("webgl.css"),  # the vis page's panel
        data=script_json(data, ascii=False),  # UTF-8: mostly Japanese labels
        caveat=views._caveat(G),
        graphology=glib,
        sigma=slib,
        app=app,
    )


def write_webgl(
    G: nx.Graph,
    path: str | Path,
    title: str | None = None,
    link_base: str | None = "/",
    static_links: bool = False,
    edge_budget: int = EDGE_BUDGET,
    node_budget: int = NODE_BUDGET,
) -> Path:
    """Write :func:`webgl_html` of ``G`` to ``path`` as UTF-8 (atomically); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page = webgl_html(G, title, link_base, static_links, edge_budget, node_budget)
    paths.write_text(path, page)
    return path
