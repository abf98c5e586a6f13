"""The views in a real browser: headless Chromium opens each page from disk, network off.

Screenshots go to tests/artifacts/ (git-ignored). The pages forbid eval through their
Content-Security-Policy, so the tests wait on DOM attributes and call page.evaluate (which the
policy does not govern) rather than wait_for_function.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from browser_page import XSS, Opened, markup_graph, node_index

from kg import network as nw
from kg import paths
from kg.model.vocab import JDXR
from kg.viz import views as viz

ROOT = paths.REPO
DATA = ROOT / "data"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"

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


@pytest.mark.parametrize("view", ["office_country", "person_country", "copresence", "full"])
def test_filters_show_exactly_the_filtered_view(browser, pages, facts, view):
    G, path = pages[view]
    o = Opened(browser, path)
    try:
        if view == "full":  # the FY hubs start hidden; their legend box brings them back
            fys = sum(1 for _, t in G.nodes(data="type") if t == "fiscal_year")
            assert fys == 4 and o.shown()[0] == G.number_of_nodes() - fys
            assert not o.page.is_checked('input[data-type="fiscal_year"]')
            o.page.check('input[data-type="fiscal_year"]')
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
        # the panel links to its page: kg serve's /id/… (tests/serve clicks it), or, from
        # disk, where /id/… is no page, the IRI (w3id.org redirects it to a deployment)
        assert o.js("(i) => kg.data.nodes[i].href", aus) == "/id/country/AUS"
        link = o.page.locator("#kg-info a.kg-open")
        assert link.get_attribute("href") == "https://w3id.org/jdx/id/country/AUS"
        assert "open its page" in link.inner_text()
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
        assert "日付 date: 2020-07" in info and f"原文の行 source line: {line}" in info
        assert o.page.inner_text("#kg-info .kg-src") == text  # the verbatim source text
        href = o.page.locator("#kg-info a.kg-open").get_attribute("href")
        assert href.startswith("https://w3id.org/jdx/id/event/2020-hl-")  # opened from disk
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
        label = "(i) => kg.labelOf(i)"
        assert o.js(label, aus) == "Australia"
        assert o.js(label, chief) == "Chief of Staff, Joint Staff"
        assert o.page.input_value("#kg-lang") == "en"
        drawn = {lab["text"] for lab in o.js("() => kg.labels()")}
        assert "Australia" in drawn and "オーストラリア" not in drawn
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
    G = markup_graph()
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


# -- legibility (issue 14, items 1-2) ---------------------------------------------------------


def label_problems(o: Opened) -> tuple[list, list, int]:
    """The labels drawn on the canvas (kg.labels(): rectangles in #kg-net's pixels) that
    overlap another, those not inside the network's area, and how many were drawn."""
    boxes = o.js("() => kg.labels()")
    w, h = o.js(
        "() => [kg.network.body.container.clientWidth, kg.network.body.container.clientHeight]"
    )
    overlaps = [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]
    ]
    outside = [b["text"] for b in boxes if b["x0"] < 0 or b["y0"] < 0 or b["x1"] > w or b["y1"] > h]
    return overlaps, outside, len(boxes)


SMALL = ["office_country", "person_country", "copresence", "country_forum", "country_channel"]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("view", SMALL)
def test_labels_never_overlap_and_stay_inside_the_view(browser, pages, view, lang):
    G, path = pages[view]
    o = Opened(browser, path, query=f"?lang={lang}")
    try:
        overlaps, outside, drawn = label_problems(o)
        assert overlaps == [] and outside == []
        assert drawn >= G.number_of_nodes() // 2, "most labels fit at the first zoom"
        # zoomed in on the centre, still none overlaps (more fit, the rest wait)
        o.js(
            "() => { kg.network.moveTo({scale: kg.network.getScale() * 2.5});"
            " kg.network.redraw(); }"
        )
        overlaps, outside, _ = label_problems(o)
        assert overlaps == [] and outside == []
        o.page.screenshot(path=str(ARTIFACTS / f"viz_labels_{view}_{lang}.png"))
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_the_japanese_offices_are_all_labelled_apart(browser, pages):
    """The issue's collisions: 海上幕僚長 and 陸上幕僚長 printed as one, 日本 over 東京."""
    G, path = pages["office_country"]
    o = Opened(browser, path)
    try:
        drawn = {lab["text"] for lab in o.js("() => kg.labels()")}
        offices = {d["label_ja"] for _, d in G.nodes(data=True) if d["type"] == "jp_office"}
        assert {"海上幕僚長", "陸上幕僚長", "統合幕僚長", "防衛大臣"} <= offices <= drawn
    finally:
        o.close()
    G, path = pages["full"]
    o = Opened(browser, path)
    try:
        overlaps, outside, drawn_n = label_problems(o)
        assert overlaps == [] and outside == [] and drawn_n > 5
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


@pytest.fixture(scope="module")
def filtered_pages(facts, tmp_path_factory):
    folder = tmp_path_factory.mktemp("filtered")
    out = {}
    for name, kw in {"aus2022": {"fy": 2022, "country": "AUS"}, "fy2018": {"fy": 2018}}.items():
        G = viz.build_view(facts, "office_country", **kw)
        out[name] = (G, viz.write_view(G, folder / f"{name}.html"))
    return out


def test_an_empty_view_says_no_record_matches(browser, filtered_pages):
    G, path = filtered_pages["fy2018"]
    assert G.number_of_nodes() == 0  # the document starts with 令和元年度 (FY2019)
    o = Opened(browser, path)
    try:
        assert o.page.is_visible("#kg-empty") and not o.page.is_visible("#kg-busy")
        message = o.page.inner_text("#kg-empty")
        assert "No record matches" in message and "FY2018" in message and "FY2019" in message
        o.page.screenshot(path=str(ARTIFACTS / "viz_empty_fy2018.png"))
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_the_controls_show_the_filters_the_view_was_built_with(browser, filtered_pages):
    G, path = filtered_pages["aus2022"]
    o = Opened(browser, path)
    try:
        fy = o.page.locator("#kg-fy option:checked").inner_text()
        assert "2022" in fy and "all years" not in o.page.inner_text("#kg-fy")
        assert o.page.is_disabled("#kg-fy")
        built = o.page.inner_text("#kg-built")
        assert "FY2022" in built and "AUS" in built and "オーストラリア" in built
        assert not o.page.is_visible("#kg-empty")
        o.page.screenshot(path=str(ARTIFACTS / "viz_office_country_aus_2022.png"))
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_search_finds_aliases_and_follows_the_filters(browser, pages):
    G, path = pages["office_country"]
    o = Opened(browser, path)
    try:
        o.page.fill("#kg-q", "統幕長")  # data/gazetteer/jp_offices.csv: 統合幕僚長's alias
        o.page.press("#kg-q", "Enter")
        chief = node_index(o, "jdxr:position/jp/chief_joint_staff")
        assert o.js("() => kg.network.getSelectedNodes()") == [chief]
        assert "別名 aliases: 統幕長" in o.page.inner_text("#kg-info")
        # a country met in FY2022 only: the results follow the FY menu
        late = next(
            d["label_ja"]
            for _, d in sorted(G.nodes(data=True))
            if d["type"] == "country"
            and set(nw.parse_breakdown(d["breakdown"])) >= {"2022/*"}
            and not any(f"{y}/*" in d["breakdown"] for y in (2019, 2020, 2021))
        )
        o.page.fill("#kg-q", late)
        o.page.press("#kg-q", "Enter")
        assert o.page.locator("#kg-results button").count() >= 1
        o.page.select_option("#kg-fy", "2020")
        assert o.page.locator("#kg-results button").count() == 0
        assert "hidden by filters" in o.page.inner_text("#kg-results")
        o.page.select_option("#kg-fy", "2022")
        assert late in o.page.locator("#kg-results button").first.inner_text()
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_metrics_have_plain_names_and_counts_say_what_they_count(
    browser, facts, kg_graph, tmp_path
):
    """AUS in FY2022: the node counts events naming a Japanese office; its panel also gives
    every event with Australia, which for indicator high_level is what the query counts."""
    G = viz.build_view(facts, "office_country", fy=2022)
    path = viz.write_view(G, tmp_path / "oc2022.html")
    rq = (ROOT / "queries" / "events_by_country_year.rq").read_text(encoding="utf-8")
    query_aus = next(
        int(r.events) for r in kg_graph.query(rq) if str(r.country) == "AUS" and int(r.fy) == 2022
    )
    with_office = len(
        kg_graph.query(
            """PREFIX jdx: <https://w3id.org/jdx/ontology#>
            SELECT DISTINCT ?e WHERE {
              ?e jdx:counterpartCountry <https://w3id.org/jdx/id/country/AUS> ;
              jdx:fiscalYear <https://w3id.org/jdx/id/fy/2022> ; jdx:japaneseParticipant ?o ;
              jdx:indicator <https://w3id.org/jdx/id/indicator/high_level> }"""
        )
    )
    o = Opened(browser, path)
    try:
        o.page.select_option("#kg-ind", "high_level")
        o.page.fill("#kg-q", "Australia")
        o.page.press("#kg-q", "Enter")
        info = o.page.inner_text("#kg-info")
        assert (
            f"行事 events: {with_office} (絞り込み filtered) — 日本側の役職と相手国の両方" in info
        )
        assert f"all events with it: {query_aus} " in info and "events_by_country_year" in info
        assert with_office < query_aus  # the 29 vs 32: said, not hidden
        # no line names a number by its raw key (weighted_degree: 12)
        assert "weighted_degree" not in info
        assert not re.search(r"^(betweenness|community|degree):", info, re.M)
        assert "媒介中心性 betweenness" in info and "a broker" in info
        assert "重み付き次数 weighted degree" in info and "コミュニティ community" in info
        assert "office–event pairs" in o.page.inner_text("#kg-countwhat")
        o.page.screenshot(path=str(ARTIFACTS / "viz_office_country_panel.png"))
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()


def test_a_published_views_links_are_relative_files(browser, facts, tmp_path):
    """As the publishing step writes them (views/ beside id/): ../id/….html, which a page
    opened from disk follows as it is."""
    G = viz.build_view(facts, "office_country", fy=2022)
    path = viz.write_view(G, tmp_path / "views" / "oc.html", link_base="../", static_links=True)
    target = tmp_path / "id" / "country" / "AUS.html"
    target.parent.mkdir(parents=True)
    target.write_text("<!DOCTYPE html><title>AUS page</title><h1>AUS</h1>", encoding="utf-8")
    o = Opened(browser, path)
    try:
        o.page.fill("#kg-q", "Australia")
        o.page.press("#kg-q", "Enter")
        link = o.page.locator("#kg-info a.kg-open")
        assert link.get_attribute("href") == "../id/country/AUS.html"
        with o.page.expect_navigation():
            link.click()
        assert o.page.url == target.as_uri() and o.page.title() == "AUS page"
        assert o.errors == []
    finally:
        o.close()


def test_a_persons_panel_names_the_office_and_keeps_candidates_apart(browser, facts, tmp_path):
    """岸信夫 in person_country (Australia's ties): found by name, labelled with his office,
    his own legend entry; his links to Australia are two, confirmed (8) and candidate (1),
    each named (tests/test_network.py reads both numbers off data/source.txt)."""
    G = viz.build_view(facts, "person_country", country="AUS")
    path = viz.write_view(G, tmp_path / "person_country_aus.html")
    o = Opened(browser, path)
    try:
        legend = o.page.inner_text("#kg-legend")
        assert "日本側の人物" in legend and "Japanese person" in legend
        o.page.fill("#kg-q", "岸信夫")
        o.page.press("#kg-q", "Enter")
        kishi = node_index(o, "jdxr:person/kishi_nobuo")
        assert o.js("() => kg.network.getSelectedNodes()") == [kishi]
        assert o.js("(i) => kg.labelOf(i)", kishi) == "岸信夫 (防衛大臣)"
        info = o.page.inner_text("#kg-info")
        assert "Kishi Nobuo (Minister of Defense)" in info
        assert "events in which this person took part" in info
        assert "オーストラリア [確定 confirmed] — 8" in info
        assert "オーストラリア [候補 candidate (holder_ambiguous)] — 1" in info
        # on the canvas the candidate's link is dashed, the confirmed one solid
        dashes = o.js(
            """(i) => kg.network.getConnectedEdges(i).map(id => {
                 const e = kg.data.edges[id];
                 return [kg.data.preds[e[4]], !!kg.network.body.edges[id].options.dashes];
               })""",
            kishi,
        )
        assert ["候補 candidate (holder_ambiguous)", True] in dashes
        assert ["確定 confirmed", False] in dashes
        link = o.page.locator("#kg-info a.kg-open")
        assert link.get_attribute("href") == "https://w3id.org/jdx/id/person/kishi_nobuo"
        drawn = {lab["text"] for lab in o.js("() => kg.labels()")}
        assert "岸信夫 (防衛大臣)" in drawn
        overlaps, outside, _ = label_problems(o)
        assert overlaps == [] and outside == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        o.page.screenshot(path=str(ARTIFACTS / "viz_person_country_kishi.png"))
        assert o.errors == [] and o.outside_requests() == []
    finally:
        o.close()
