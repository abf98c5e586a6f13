"""The WebGL page in a real browser: headless Chromium (software WebGL) opens it from disk,
network off. Every default view is written as a WebGL page here (write_view gives that page to
views above WEBGL_THRESHOLD nodes only; the 100x synthetic view is in benchmarks/bench_viz.py).
Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import browser_page
import networkx as nx
import pytest
from browser_page import XSS, markup_graph, node_index

from kg import network as nw
from kg import paths
from kg.viz import views, webgl

DATA = paths.REPO / "data"
ARTIFACTS = paths.REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.skipif(not (DATA / "kg.nt").exists(), reason="data/kg.nt missing: run kg build"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")
Image = pytest.importorskip("PIL.Image")


@pytest.fixture(scope="module")
def pages(facts, tmp_path_factory):
    """Every default view as a WebGL page: {view: (graph, path)}."""
    folder = tmp_path_factory.mktemp("webgl")
    out = {}
    for view in nw.VIEWS:
        G = views.build_view(facts, view)
        out[view] = (G, webgl.write_webgl(G, folder / f"{view}.html"))
    return out


class Opened(browser_page.Opened):
    """The shared page, and a hover onto a node of sigma's graph."""

    def hover(self, index: int) -> None:
        """Move the mouse onto node ``index`` (sigma's graph coordinates -> the viewport)."""
        xy = self.js(
            "(i) => kg.renderer.graphToViewport(kg.graph.getNodeAttributes(String(i)))", index
        )
        box = self.page.locator("#kg-net").bounding_box()
        self.page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])


def drawn_pixels(o: Opened, name: str) -> int:
    """Non-white pixels of the network's stage in a screenshot (saved as ``name``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / name
    o.page.locator("#kg-net").screenshot(path=str(shot))
    return sum(Image.open(shot).convert("L").histogram()[:235])


def links_of(G: nx.Graph, node: str) -> int:
    """Edges with ``node`` at either end (in any kind of graph: directed, multi)."""
    return sum(1 for u, v in G.edges() if node in (u, v))


@pytest.mark.parametrize("view", nw.VIEWS)
def test_view_draws_offline_with_the_graphs_counts(browser, pages, view):
    G, path = pages[view]
    o = Opened(browser, path)
    try:
        counts = o.js("() => kg.counts()")
        assert counts["nodes"] == G.number_of_nodes() and counts["edges"] == G.number_of_edges()
        # the full view's FY hubs are off at first: their links are not drawn
        hubs = {n for n, d in G.nodes(data=True) if d.get("type") == "fiscal_year"}
        hubs = hubs if view == "full" else set()
        shown_edges = sum(1 for u, v in G.edges() if u not in hubs and v not in hubs)
        assert counts["drawnEdges"] == min(shown_edges, webgl.EDGE_BUDGET)
        shown = o.js("() => document.getElementById('kg-counts').dataset")
        assert int(shown["nodes"]) == G.number_of_nodes()
        assert int(shown["edges"]) == G.number_of_edges()
        assert o.js("() => kg.graph.order") == G.number_of_nodes()
        assert drawn_pixels(o, f"webgl_{view}.png") > 2000
        assert o.errors == []
        assert o.outside_requests() == []
    finally:
        o.close()


@pytest.mark.parametrize("view", ["office_country", "full"])
def test_filters_show_exactly_the_filtered_view(browser, pages, facts, view):
    G, path = pages[view]
    o = Opened(browser, path)
    try:
        if view == "full":  # its FY hubs are off at first (as on the vis page); bring them back
            hubs = [n for n, d in G.nodes(data=True) if d.get("type") == "fiscal_year"]
            assert hubs and o.shown()[0] == G.number_of_nodes() - len(hubs)
            o.page.check('#kg-legend input[data-type="fiscal_year"]')
        assert o.shown() == (G.number_of_nodes(), G.number_of_edges())
        o.page.select_option("#kg-fy", "2020")
        want = nw.projection(facts, view, fy=2020)
        assert o.shown() == (want.number_of_nodes(), want.number_of_edges())
        assert o.shown()[0] < G.number_of_nodes()
        # what is hidden is hidden on the renderer too, and only the shown edges are drawn
        hidden = o.js("() => kg.graph.filterNodes(k => kg.renderer.getNodeState(k).isHidden)")
        assert len(hidden) == G.number_of_nodes() - want.number_of_nodes()
        assert o.js("() => kg.counts().drawnEdges") == want.number_of_edges()
        o.page.select_option("#kg-ind", "high_level")
        want = nw.projection(facts, view, fy=2020, indicator="high_level")
        assert o.shown() == (want.number_of_nodes(), want.number_of_edges())
        o.page.select_option("#kg-fy", "")
        o.page.select_option("#kg-ind", "")
        assert o.shown() == (G.number_of_nodes(), G.number_of_edges())
        if view == "full":  # node types: hide the events
            o.page.uncheck('input[data-type="event"]')
            events = sum(1 for _, t in G.nodes(data="type") if t == "event")
            assert o.shown()[0] == G.number_of_nodes() - events
            drawn_pixels(o, "webgl_full_without_events.png")
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_search_highlights_zooms_and_the_panel_links_the_page(browser, pages):
    G, path = pages["office_country"]
    o = Opened(browser, path)
    try:
        ratio = o.js("() => kg.renderer.getCamera().ratio")
        o.page.fill("#kg-q", "オーストラリア")
        o.page.press("#kg-q", "Enter")
        first = o.page.locator("#kg-results button").first
        assert "オーストラリア" in first.inner_text()
        aus = node_index(o, "jdxr:country/AUS")
        assert o.js("() => kg.selected()") == aus
        assert o.js("(i) => kg.renderer.getNodeState(String(i)).isHighlighted", aus) is True
        assert o.js("() => kg.renderer.getCamera().ratio") < ratio  # zoomed in
        info = o.page.inner_text("#kg-info")
        assert "Australia" in info and "https://w3id.org/jdx/id/country/AUS" in info
        # written for kg serve (link_base="/"), but opened from disk, where no /id/… page is
        # beside it: the link is the IRI (as the vis page's)
        link = o.page.locator("#kg-info .kg-iri a")
        assert link.get_attribute("href") == "https://w3id.org/jdx/id/country/AUS"
        # its links, all highlighted
        links = links_of(G, str(nw.JDXR["country/AUS"]))
        lit = o.js(
            "() => kg.graph.filterEdges(k => kg.renderer.getEdgeState(k).isHighlighted).length"
        )
        assert lit == links > 0
        o.page.fill("#kg-q", "australia")
        o.page.press("#kg-q", "Enter")
        assert o.js("() => kg.selected()") == aus
        # hovering the node shows the tooltip: Japanese, English and the count
        o.hover(aus)
        o.page.wait_for_selector("#kg-tip", state="visible", timeout=5_000)
        tip = o.page.inner_text("#kg-tip")
        events = G.nodes[str(nw.JDXR["country/AUS"])]["count"]
        assert "オーストラリア" in tip and "Australia" in tip and str(events) in tip
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        o.page.screenshot(path=str(ARTIFACTS / "webgl_office_country_search.png"))
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_static_links_name_the_published_files(browser, facts, tmp_path):
    G = views.build_view(facts, "office_country", with_metrics=False)
    path = webgl.write_webgl(G, tmp_path / "p.html", link_base="../", static_links=True)
    o = Opened(browser, path)
    try:
        o.js("(i) => kg.select(i)", node_index(o, "jdxr:country/AUS"))
        link = o.page.locator("#kg-info .kg-iri a")
        assert link.get_attribute("href") == "../id/country/AUS.html"
        assert o.errors == []
    finally:
        o.close()


def test_an_events_panel_shows_its_source_text_date_and_line(browser, pages):
    """The UK CDS video talk of July 2020 is on line 66 of data/source.txt (【英国】, FY2020)."""
    text = "統幕長と英国防参謀長とのテレビ会談(7月)"
    lines = (DATA / "source.txt").read_text(encoding="utf-8").splitlines()
    line = next(n for n, ln in enumerate(lines, 1) if text in ln and "【英国】" in ln)
    G, path = pages["full"]
    o = Opened(browser, path)
    try:
        o.page.fill("#kg-q", text)
        o.page.press("#kg-q", "Enter")
        info = o.page.inner_text("#kg-info")
        assert text in info and "2020-07" in info and f"原文の行 source line: {line}" in info
        assert "\nbetweenness:" not in info and "weighted_degree" not in info  # plain names
        href = o.page.locator("#kg-info .kg-iri a").get_attribute("href")
        assert href.startswith("https://w3id.org/jdx/id/event/2020-hl-")  # from disk: the IRI
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_past_the_edge_budget_the_heaviest_are_drawn_and_a_selection_adds_its_own(
    browser, facts, tmp_path
):
    G = views.build_view(facts, "full", with_metrics=False)
    budget = 400
    path = webgl.write_webgl(G, tmp_path / "budget.html", edge_budget=budget)
    o = Opened(browser, path)
    try:
        assert o.js("() => kg.counts().drawnEdges") == budget
        weights = o.js(
            """() => {
              // among the links of shown nodes (the FY hubs are off at first)
              const E = kg.data.edges, drawn = [], rest = [];
              const shown = (n) => !kg.renderer.getNodeState(String(n)).isHidden;
              E.forEach((e, i) => {
                if (!shown(e[0]) || !shown(e[1])) return;
                (kg.graph.hasEdge(String(i)) ? drawn : rest).push(e[2]);
              });
              return [Math.min(...drawn), Math.max(...rest)];
            }"""
        )
        assert weights[0] >= weights[1]
        assert "edges drawn 400" in o.page.inner_text("#kg-shown")
        # Australia's node: every one of its links is drawn while it is selected
        aus = node_index(o, "jdxr:country/AUS")
        links = links_of(G, str(nw.JDXR["country/AUS"]))
        assert o.js("(i) => kg.graph.edges(String(i)).length", aus) < links
        o.js("(i) => kg.select(i)", aus)
        assert o.js("(i) => kg.graph.edges(String(i)).length", aus) == links
        o.js("() => kg.select(null)")
        assert o.js("() => kg.counts().drawnEdges") == budget
        drawn_pixels(o, "webgl_full_budget.png")
        assert o.errors == []
    finally:
        o.close()


def test_the_labels_read_in_english(browser, pages):
    G, path = pages["office_country"]
    o = Opened(browser, path, query="?lang=en")
    try:
        aus = node_index(o, "jdxr:country/AUS")
        label = "(i) => kg.graph.getNodeAttribute(String(i), 'label')"
        assert o.js(label, aus) == "Australia"
        assert o.page.input_value("#kg-lang") == "en"
        drawn_pixels(o, "webgl_office_country_en.png")
        o.page.select_option("#kg-lang", "ja")
        assert o.js(label, aus) == "オーストラリア"
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_markup_in_a_label_shows_as_text_and_runs_nothing(browser, tmp_path, bypass_csp):
    G = markup_graph()
    path = webgl.write_webgl(G, tmp_path / "xss.html")
    o = Opened(browser, path, bypass_csp=bypass_csp)
    try:
        assert o.js("() => window.__pwned") is None
        assert o.js("() => document.querySelectorAll('img, svg, #kg-app script').length") == 0
        assert o.js("() => document.title") == "XSS <b>check</b>"
        o.page.fill("#kg-q", "img src")
        o.page.press("#kg-q", "Enter")
        assert o.page.locator("#kg-results button").first.inner_text().startswith(XSS)
        info = o.page.inner_text("#kg-info")
        assert XSS in info and "<script>window.__pwned=2</script>" in info
        o.hover(0)
        o.page.wait_for_selector("#kg-tip", state="visible", timeout=5_000)
        assert XSS in o.page.inner_text("#kg-tip")
        assert o.js("() => window.__pwned") is None
        assert o.js("() => document.querySelectorAll('img, svg').length") == 0
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_past_the_node_budget_the_largest_are_drawn_and_a_search_reveals_the_rest(
    browser, facts, tmp_path
):
    """Level of detail: the full view with a budget of 300 of its 1,315 nodes drawn."""
    G = views.build_view(facts, "full", with_metrics=False)
    budget = 300
    path = webgl.write_webgl(G, tmp_path / "lod.html", node_budget=budget)
    o = Opened(browser, path)
    try:
        # counts, search and filters still cover every node and edge
        counts = o.js("() => kg.counts()")
        assert counts["nodes"] == G.number_of_nodes() and counts["edges"] == G.number_of_edges()
        hubs = {n for n, d in G.nodes(data=True) if d.get("type") == "fiscal_year"}
        assert counts["shownNodes"] == G.number_of_nodes() - len(hubs)
        assert counts["drawnNodes"] == budget == o.js("() => kg.graph.order")
        shown = o.page.inner_text("#kg-shown")
        assert f"nodes drawn {budget} / {counts['shownNodes']}" in shown and "zoom in" in shown
        # the drawn ones are the largest of those shown (the FY hubs are off: never drawn)
        sizes = o.js(
            """() => {
              const drawn = [], rest = [];
              kg.data.nodes.forEach((n, i) => {
                if (n.t === kg.data.types.findIndex(t => t.id === "fiscal_year")) {
                  if (kg.graph.hasNode(String(i))) drawn.push(Infinity);
                  return;
                }
                (kg.graph.hasNode(String(i)) ? drawn : rest).push(n.s);
              });
              return [Math.min(...drawn), Math.max(...rest)];
            }"""
        )
        assert sizes[0] >= sizes[1]
        # an event not drawn: a search for its IRI finds it, draws it with its neighbours and
        # every one of its links, and zooms to it
        i, event = o.js(
            """() => {
              const ev = kg.data.types.findIndex(t => t.id === "event");
              const i = kg.data.nodes.findIndex(
                (n, j) => n.t === ev && !kg.graph.hasNode(String(j))
              );
              const r = kg.data.nodes[i].r, k = r.indexOf(":");
              return [i, kg.data.prefixes[r.slice(0, k)] + r.slice(k + 1)];
            }"""
        )
        assert G.nodes[event]["type"] == "event"
        assert o.js("(i) => kg.graph.hasNode(String(i))", i) is False
        ratio = o.js("() => kg.renderer.getCamera().ratio")
        o.page.fill("#kg-q", event)
        o.page.press("#kg-q", "Enter")
        assert o.js("() => kg.selected()") == i
        assert o.js("(i) => kg.graph.hasNode(String(i))", i) is True
        # (its link to its FY hub is not shown: the hubs are off)
        links = sum(1 for u, v in G.edges() if event in (u, v) and not {u, v} & hubs)
        assert o.js("(i) => kg.graph.edges(String(i)).length", i) == links > 0
        assert o.js("() => kg.renderer.getCamera().ratio") < ratio
        drawn_pixels(o, "webgl_full_lod_search.png")
        # a revealed node is hovered like any other: its tooltip
        o.hover(i)
        o.page.wait_for_selector("#kg-tip", state="visible", timeout=5_000)
        assert G.nodes[event]["label_ja"][:8] in o.page.inner_text("#kg-tip")
        # deselected, the camera still there: the nodes in view are drawn, within the budget
        o.js("() => { kg.select(null); kg.follow(); }")
        inview = o.js(
            """(i) => {
              const dim = kg.renderer.getDimensions();
              const a = kg.renderer.viewportToGraph({x: 0, y: 0});
              const b = kg.renderer.viewportToGraph({x: dim.width, y: dim.height});
              let k = 0;
              kg.data.nodes.forEach((n, j) => {
                if (n.x >= Math.min(a.x, b.x) && n.x <= Math.max(a.x, b.x) &&
                    -n.y >= Math.min(a.y, b.y) && -n.y <= Math.max(a.y, b.y)) k++;
              });
              return k;
            }""",
            i,
        )
        assert 0 < inview <= budget
        assert o.js("(i) => kg.graph.hasNode(String(i))", i) is True
        assert o.js("() => kg.graph.order") == budget
        # filters still count every node: events of FY2020 only
        o.page.select_option("#kg-fy", "2020")
        c = o.js("() => kg.counts()")
        assert c["drawnNodes"] <= budget and c["drawnNodes"] <= c["shownNodes"]
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()
