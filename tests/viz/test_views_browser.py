"""The views in a real browser: headless Chromium opens each page from disk, network off.

Screenshots go to tests/artifacts/ (git-ignored). The pages forbid eval through their
Content-Security-Policy, so the tests wait on DOM attributes and call page.evaluate (which the
policy does not govern) rather than wait_for_function.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

from kg import network as nw
from kg import paths
from kg.model.vocab import JDXR
from kg.viz import views as viz

ROOT = paths.REPO
DATA = ROOT / "data"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
XSS = "<img src=x onerror=window.__pwned=1>"

pytestmark = [
    pytest.mark.skipif(not (DATA / "kg.nt").exists(), reason="data/kg.nt missing: run kg build"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def pages(facts, tmp_path_factory):
    """Every default view written to a temporary folder: {view: (graph, path)}."""
    folder = tmp_path_factory.mktemp("views")
    out = {}
    for view in nw.VIEWS:
        G = viz.build_view(facts, view)
        out[view] = (G, viz.write_view(G, folder / f"{view}.html"))
    return out


class Opened:
    """A page opened offline from disk, with its console errors and requests recorded."""

    def __init__(self, browser, path: Path, bypass_csp: bool = False, query: str = "") -> None:
        self.ctx = browser.new_context(
            viewport={"width": 1400, "height": 900}, offline=True, bypass_csp=bypass_csp
        )
        self.page = self.ctx.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri() + query
        self.page.goto(self.url)
        self.page.wait_for_selector("html[data-kg-stable]", state="attached", timeout=60_000)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def shown(self) -> tuple[int, int]:
        c = self.js("() => kg.counts()")
        return c["shownNodes"], c["shownEdges"]

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    def close(self) -> None:
        self.ctx.close()


def drawn_pixels(o: Opened) -> int:
    """Non-white pixels on the network's canvas."""
    return o.js(
        """() => {
          const c = document.querySelector('#kg-net canvas');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) n++;
          }
          return n;
        }"""
    )


def node_index(o: Opened, compact_iri: str) -> int:
    return o.js("(r) => kg.data.nodes.findIndex(n => n.r === r)", compact_iri)


@pytest.mark.parametrize("view", nw.VIEWS)
def test_view_draws_offline_with_the_graphs_counts(browser, pages, view):
    G, path = pages[view]
    o = Opened(browser, path)
    try:
        assert o.js("() => document.querySelectorAll('#kg-net canvas').length") == 1
        counts = o.js("() => kg.counts()")
        assert counts["nodes"] == G.number_of_nodes() and counts["edges"] == G.number_of_edges()
        shown = o.js("() => document.getElementById('kg-counts').dataset")
        assert int(shown["nodes"]) == G.number_of_nodes()
        assert int(shown["edges"]) == G.number_of_edges()
        assert drawn_pixels(o) > 2000
        # physics ran a bounded number of iterations and is off now
        assert o.js("() => kg.network.physics.physicsEnabled") is False
        stable = o.js("() => window.kgStable")
        assert stable["iterations"] <= 300
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        o.page.screenshot(path=str(ARTIFACTS / f"viz_{view}.png"))
        assert (ARTIFACTS / f"viz_{view}.png").stat().st_size > 10_000
        assert o.errors == []
        assert o.outside_requests() == []
    finally:
        o.close()


@pytest.mark.parametrize("view", ["office_country", "copresence", "full"])
def test_filters_show_exactly_the_filtered_view(browser, pages, facts, view):
    G, path = pages[view]
    o = Opened(browser, path)
    try:
        assert o.shown() == (G.number_of_nodes(), G.number_of_edges())
        o.page.select_option("#kg-fy", "2020")
        want = nw.projection(facts, view, fy=2020)
        assert o.shown() == (want.number_of_nodes(), want.number_of_edges())
        assert o.shown()[0] < G.number_of_nodes()
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
            o.page.screenshot(path=str(ARTIFACTS / "viz_full_without_events.png"))
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_search_finds_a_node_and_the_tooltip_shows_both_languages(browser, pages):
    G, path = pages["office_country"]
    o = Opened(browser, path)
    try:
        o.page.fill("#kg-q", "オーストラリア")
        o.page.press("#kg-q", "Enter")
        first = o.page.locator("#kg-results button").first
        assert "オーストラリア" in first.inner_text()
        aus = node_index(o, "jdxr:country/AUS")
        assert o.js("() => kg.network.getSelectedNodes()") == [aus]
        info = o.page.inner_text("#kg-info")
        assert "Australia" in info and "https://w3id.org/jdx/id/country/AUS" in info
        # the IRI links to its page (kg serve's /id/…, reached through w3id.org by default)
        link = o.page.locator("#kg-info .kg-iri a")
        assert link.get_attribute("href") == "https://w3id.org/jdx/id/country/AUS"
        # an English search finds it too
        o.page.fill("#kg-q", "australia")
        o.page.press("#kg-q", "Enter")
        assert o.js("() => kg.network.getSelectedNodes()") == [aus]
        # hovering the node shows the tooltip: Japanese, English and the count
        xy = o.js("(i) => kg.network.canvasToDOM(kg.network.getPosition(i))", aus)
        box = o.page.locator("#kg-net").bounding_box()
        o.page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
        o.page.wait_for_selector("#kg-tip", state="visible", timeout=5_000)
        tip = o.page.inner_text("#kg-tip")
        events = G.nodes[str(JDXR["country/AUS"])]["count"]
        assert "オーストラリア" in tip and "Australia" in tip and str(events) in tip
        o.page.screenshot(path=str(ARTIFACTS / "viz_office_country_search.png"))
        assert o.errors == [] and o.outside_requests() == []
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
        assert text in info and "2020-07" in info and f"source_line: {line}" in info
        href = o.page.locator("#kg-info .kg-iri a").get_attribute("href")
        assert href.startswith("https://w3id.org/jdx/id/event/2020-hl-")
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_the_labels_read_in_english(browser, pages):
    """?lang=en (or the labels menu) puts every node's English name on the network; the
    menu switches back to Japanese."""
    G, path = pages["office_country"]
    o = Opened(browser, path, query="?lang=en")
    try:
        aus = node_index(o, "jdxr:country/AUS")
        chief = node_index(o, "jdxr:position/jp/chief_joint_staff")
        label = "(i) => kg.nodes.get(i).label"
        assert o.js(label, aus) == "Australia"
        assert o.js(label, chief) == "Chief of Staff, Joint Staff"
        assert o.page.input_value("#kg-lang") == "en"
        assert o.js("() => document.documentElement.lang") == "en"
        no_english = o.js("() => kg.data.nodes.filter(n => !n.en).length")
        assert no_english == 0, "every node has an English name"
        o.page.screenshot(path=str(ARTIFACTS / "viz_office_country_en.png"))
        o.page.select_option("#kg-lang", "ja")
        assert o.js(label, aus) == "オーストラリア"
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_markup_in_a_label_shows_as_text_and_runs_nothing(browser, tmp_path, bypass_csp):
    G = nx.Graph(title="XSS <b>check</b>")
    G.add_node(
        "x", label_ja=XSS, label_en="<script>window.__pwned=2</script>", type="country", count=2
    )
    G.add_node("y", label_ja="相手", label_en="other", type="forum", count=1)
    G.add_node("z", label_ja="</script><script>window.__pwned=3</script>", type="place")
    G.add_edge("x", "y", weight=2, label="<svg onload=window.__pwned=4>")
    G.add_edge("y", "z", weight=1)
    path = viz.write_view(G, tmp_path / "xss.html")
    o = Opened(browser, path, bypass_csp=bypass_csp)
    try:
        assert o.js("() => window.__pwned") is None
        assert o.js("() => document.querySelectorAll('img, svg, #kg-app script').length") == 0
        assert o.js("() => document.title") == "XSS <b>check</b>"
        assert o.js("() => kg.counts().nodes") == 3
        o.page.fill("#kg-q", "img src")
        o.page.press("#kg-q", "Enter")
        assert o.page.locator("#kg-results button").first.inner_text().startswith(XSS)
        info = o.page.inner_text("#kg-info")
        assert XSS in info and "<script>window.__pwned=2</script>" in info
        xy = o.js("() => kg.network.canvasToDOM(kg.network.getPosition(0))")
        box = o.page.locator("#kg-net").bounding_box()
        o.page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
        o.page.wait_for_selector("#kg-tip", state="visible", timeout=5_000)
        assert XSS in o.page.inner_text("#kg-tip")
        assert o.js("() => window.__pwned") is None
        assert o.js("() => document.querySelectorAll('img, svg').length") == 0
        if not bypass_csp:
            o.page.screenshot(path=str(ARTIFACTS / "viz_xss.png"))
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_notebook_iframe_renders(browser, facts, tmp_path):
    G = nw.projection(facts, "office_country", fy=2022)
    host = tmp_path / "notebook.html"
    host.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        + viz.view_html(G, "office × country FY2022", notebook=True)
        + "</body></html>",
        encoding="utf-8",
    )
    ctx = browser.new_context(viewport={"width": 1200, "height": 800}, offline=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(host.resolve().as_uri())
        frame = page.frame_locator("iframe")
        frame.locator("html[data-kg-stable]").wait_for(state="attached", timeout=60_000)
        inner = next(f for f in page.frames if f != page.main_frame)
        assert inner.evaluate("() => kg.counts().nodes") == G.number_of_nodes()
        assert errors == []
    finally:
        ctx.close()


def test_screenshots_dir_is_ignored_by_git():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    import subprocess

    for built in ("tests/artifacts/viz_full.png", "data/views/full.html"):
        assert subprocess.run(["git", "check-ignore", "-q", built], cwd=ROOT).returncode == 0
