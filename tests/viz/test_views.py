"""kg.viz: the page is self-contained, UTF-8, and carries the data as inert, escaped JSON."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

import networkx as nx
import pytest
from rdflib import Graph

from kg import network as nw
from kg import paths
from kg.viz import views as viz
from kg.viz.page import asset

DATA = paths.REPO / "data"
pytestmark = pytest.mark.skipif(
    not (DATA / "kg.nt").exists(), reason="data/kg.nt missing: run `kg build`"
)
XSS = "<img src=x onerror=window.__pwned=1>"
CLOSE = "</script><script>window.__pwned=2</script>"


def hostile_graph() -> nx.Graph:
    G = nx.Graph(title=f"title {XSS}")
    G.add_node("a", label_ja=XSS, label_en=CLOSE, type="country", count=3)
    G.add_node("b", label_ja="日本語のノード", label_en="& ampersand <b>bold</b>", type="forum")
    G.add_node("c", label="plain", type="weird<type>", note=CLOSE)
    G.add_edge("a", "b", weight=2, label=XSS)
    G.add_edge("b", "c", weight=1)
    return G


def data_block(page: str) -> dict:
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def test_page_has_no_external_url_and_inlines_vis(facts):
    page = viz.view_html(nw.projection(facts, "office_country"), "office × country")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<link\b", page, re.I)  # no stylesheet from anywhere
    assert "bootstrap" not in page.lower() and "cdn" not in page.lower()
    assert "vis-network" in page and "@version 9.1.2" in page
    assert re.search(r'<meta charset="utf-8">', page)


def test_content_security_policy_allows_only_the_pages_own_scripts(facts):
    page = viz.view_html(nw.projection(facts, "copresence"))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_data_block_counts_equal_the_networkx_graph(facts):
    for view in nw.VIEWS:
        G = nw.projection(facts, view)
        data = data_block(viz.view_html(G))
        assert len(data["nodes"]) == G.number_of_nodes(), view
        assert len(data["edges"]) == G.number_of_edges(), view
        assert {n["ja"] for n in data["nodes"]} == {d["label_ja"] for _, d in G.nodes(data=True)}
        assert data["fys"] and data["indicators"], view


def test_markup_in_labels_stays_data(tmp_path):
    G = hostile_graph()
    page = viz.view_html(G)
    body = page.split('<script id="kg-data"', 1)[1]
    for raw in (XSS, CLOSE, "<b>bold</b>", "weird<type>"):
        assert raw not in page
    assert "</script><script>window" not in body
    assert html.escape(f"title {XSS}") in page.split("</title>")[0]
    data = data_block(page)
    assert data["nodes"][0]["ja"] == XSS and data["nodes"][0]["en"] == CLOSE
    assert data["preds"] == [XSS]
    assert data["title"] == f"title {XSS}"
    # the JSON block itself holds no <, > or & at all, and no non-ASCII byte
    block = re.search(r'type="application/json">(.*?)</script>', page, re.S).group(1)
    assert not set(block) & set("<>&") and block.isascii()
    # the app script puts text on screen through textContent, never markup
    app = re.findall(r"<script>(.*?)</script>", page, re.S)[1]
    assert "innerHTML" not in app and "insertAdjacentHTML" not in app
    assert "document.write" not in app and "eval(" not in app


def test_write_view_writes_utf8(tmp_path):
    path = viz.write_view(hostile_graph(), tmp_path / "x.html", title="日本語の題")
    raw = path.read_bytes()
    assert raw.decode("utf-8").startswith("<!DOCTYPE html>")
    assert "日本語の題".encode() in raw


def test_notebook_mode_is_a_sandboxed_iframe(facts):
    G = nw.projection(facts, "office_country", fy=2022)
    page = viz.view_html(G, "t")
    frame = viz.view_html(G, "t", notebook=True)
    assert frame.startswith("<iframe") and 'sandbox="allow-scripts"' in frame
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert html.unescape(srcdoc) == page


def test_layout_is_deterministic_and_covers_every_node(facts):
    G = nw.full_graph(facts)
    a, b = viz.layout(G), viz.layout(G)
    assert a == b and set(a) == set(G)
    assert len(set(a.values())) > 0.95 * len(a)  # nodes are spread, not stacked


def test_physics_is_bounded_and_stops(facts):
    small = viz.page_data(nw.projection(facts, "office_country"), "t")["options"]["physics"]
    full = viz.page_data(nw.full_graph(facts), "t")["options"]["physics"]
    assert small["enabled"] and small["stabilization"]["iterations"] <= 300
    assert full["stabilization"]["iterations"] <= 60
    app = asset("view.js")
    assert "setOptions({physics: {enabled: false}})" in app and "stabilizationIterationsDone" in app


def test_default_views_are_written(facts, tmp_path):
    g = Graph()
    g.parse(DATA / "kg.nt", format="nt")
    infos = viz.write_views(g, tmp_path, nw.VIEWS)  # what kg build writes, in one process
    written = [p for v in infos for p in v.paths] + [viz.write_views_index(tmp_path, infos)]
    names = {p.name for p in written}
    for view in nw.VIEWS:
        assert {f"{view}.html", f"{view}.gexf", f"{view}.graphml", f"{view}.json"} <= names
    assert (tmp_path / "views" / "index.html").exists()
    full = (tmp_path / "views" / "full.html").stat().st_size
    assert full < 2 * 1024 * 1024


def test_the_views_index_links_what_was_written(facts, tmp_path):
    """Each view and, where they were written, its exports; a published folder's index links
    back home and offers no exports it does not hold (every other link resolves)."""
    import re

    for exports, home in ((True, None), (False, "../index.html")):
        out = tmp_path / str(exports)
        infos = viz.write_views(facts, out, ["office_country", "copresence"], exports=exports)
        page = viz.write_views_index(out, infos, home=home).read_text(encoding="utf-8")
        links = re.findall(r'href="([^"]+)"', page)
        assert [h for h in links if h.endswith(".html") and h != home] == [
            "office_country.html",
            "copresence.html",
        ]
        assert ("office_country.gexf" in links) == exports and ("../index.html" in links) == bool(
            home
        )
        for h in links:  # the home page is the published folder's (tests/publish)
            assert h == home or (out / "views" / h).exists(), h
        assert "&lt;" not in page and f"({infos[0].nodes} nodes, {infos[0].edges} edges" in page
    page = viz.write_views_index(tmp_path, [], overview="overview.html").read_text(encoding="utf-8")
    assert '<a href="overview.html">概観 / Overview</a>' in page


@pytest.mark.parametrize("view", nw.VIEWS)
def test_views_through_forums_say_the_document_style_drives_them(view: str) -> None:
    # issue 11, item 10: forum hubs and co-presence grow with FY2022's habit of naming forums
    G = nx.Graph(view=view)
    G.add_node("a", type="country")
    page = viz.view_html(G)
    through_forums = view in ("full", "country_forum", "copresence")
    assert ('<p class="kg-caveat">' in page) == through_forums
    if through_forums:
        caveat = page.split('<p class="kg-caveat">', 1)[1].split("</p>", 1)[0]
        assert "forum_naming_by_year" in caveat and "注意" in caveat and "Caveat" in caveat
        # under the legend, in the side panel
        assert (
            page.index('id="kg-legend"')
            < page.index('<p class="kg-caveat">')
            < page.index('id="kg-results"')
        )


# -- links, filters, names and counts in the page data (issue 14, items 1-2) ------------------

AUS = "https://w3id.org/jdx/id/country/AUS"


def node_of(data: dict, iri: str) -> dict:
    return next(n for n in data["nodes"] if n["r"] == viz._compact_iri(iri))


def test_every_minted_node_links_to_its_page_on_kg_serve_or_in_a_published_folder(facts):
    G = nw.projection(facts, "office_country")
    served = viz.page_data(G, "t")
    published = viz.page_data(G, "t", link_base="../", static_links=True)
    assert node_of(served, AUS)["href"] == "/id/country/AUS"
    assert node_of(published, AUS)["href"] == "../id/country/AUS.html"
    assert all(n["href"].startswith("/id/") for n in served["nodes"])
    page = viz.view_html(G, link_base="../", static_links=True)
    assert node_of(data_block(page), AUS)["href"] == "../id/country/AUS.html"
    # a node the build did not mint has no page to link to
    assert all("href" not in n for n in viz.page_data(hostile_graph(), "t")["nodes"])


def test_the_page_knows_the_filters_it_was_built_with(facts):
    G = viz.build_view(facts, "office_country", fy=2022, country="AUS")
    built = viz.page_data(G, "t")["built"]
    assert (built["fy"], built["country"], built["indicator"]) == ("2022", "AUS", "")
    assert built["country_ja"] == "オーストラリア" and built["fy_ja"] == "令和4年度"
    assert built["years"] == ["2019", "2020", "2021", "2022"]  # 令和元年度 to 令和4年度
    assert viz.page_data(viz.build_view(facts, "office_country"), "t")["built"]["fy"] == ""


def test_aliases_from_the_gazetteers_are_searchable(facts):
    data = viz.page_data(nw.projection(facts, "office_country"), "t")
    chief = node_of(data, "https://w3id.org/jdx/id/position/jp/chief_joint_staff")
    assert "統幕長" in chief["a"]  # data/gazetteer/jp_offices.csv
    assert "豪" in node_of(data, AUS)["a"]
    # positions.csv is keyed by (country, title): its aliases are not the country's
    assert "国軍司令官" not in node_of(data, AUS)["a"]


def test_metrics_have_plain_names_and_the_counts_say_what_they_count(facts):
    data = viz.page_data(viz.build_view(facts, "office_country"), "t")
    names = data["keyNames"]
    assert {"weighted_degree", "degree", "betweenness", "community"} <= set(names)
    assert names["betweenness"]["help_en"].endswith("a broker")
    assert "modularity" in names["community"]["help_en"]
    assert "office–event pairs" in data["countWhat"]["note_en"]
    assert data["hiddenTypes"] == []
    full = viz.page_data(viz.build_view(facts, "full", with_metrics=False), "t")
    assert full["hiddenTypes"] == ["fiscal_year"]


def test_a_countrys_all_events_are_what_the_query_counts(facts, kg_graph):
    """events_all (high_level, FY2022) equals queries/events_by_country_year.rq's rows."""
    rq = (paths.REPO / "queries" / "events_by_country_year.rq").read_text(encoding="utf-8")
    want = {
        f"https://w3id.org/jdx/id/country/{r.country}": int(r.events)
        for r in kg_graph.query(rq)
        if int(r.fy) == 2022
    }
    G = viz.build_view(facts, "office_country", fy=2022, indicator="high_level")
    got = {v: d["events_all"] for v, d in G.nodes(data=True) if d["type"] == "country"}
    assert got and all(got[v] == want[v] for v in got)
    assert sum(got[v] > G.nodes[v]["count"] for v in got) > 0  # some events name no office


def test_an_empty_view_is_a_page(facts):
    G = viz.build_view(facts, "office_country", fy=2018)
    data = data_block(viz.view_html(G))
    assert data["nodes"] == [] and data["built"]["fy"] == "2018"


def test_the_person_view_has_its_own_type_links_and_words(facts, kg_graph):
    """Persons get a legend entry of their own, link to their pages, say what they count, and
    keep candidate links apart from confirmed ones (labelled, never summed)."""
    data = viz.page_data(viz.build_view(facts, "person_country"), "t")
    person = next(t for t in data["types"] if t["id"] == "person")
    assert person["color"] == nw.TYPE_COLORS["person"]
    assert person["shape"] == viz.TYPE_SHAPES["person"]
    others = {(t["color"], t["shape"]) for t in data["types"] if t["id"] != "person"}
    assert (person["color"], person["shape"]) not in others
    people = kg_graph.query(
        "PREFIX jdx: <https://w3id.org/jdx/ontology#> SELECT (COUNT(DISTINCT ?p) AS ?n) {"
        " VALUES ?link { jdx:participantPerson jdx:candidateParticipant }"
        " ?e ?link ?p ; jdx:counterpartCountry ?c ; jdx:indicator ?i }"
    )
    assert person["count"] == int(next(iter(people))[0]) > 10
    kishi = node_of(data, "https://w3id.org/jdx/id/person/kishi_nobuo")
    assert kishi["ja"] == "岸信夫 (防衛大臣)" and kishi["href"] == "/id/person/kishi_nobuo"
    info = {data["keys"][k]: v for k, v in kishi["i"]}
    assert info["events_confirmed"] + info["events_candidate"] == kishi["c"]
    assert {"events_confirmed", "events_candidate"} <= set(data["keyNames"])
    assert "took part" in data["countWhat"]["nodes_en"]
    assert "candidate" in data["countWhat"]["note_en"]
    assert sorted(data["preds"]) == sorted(nw.PERSON_LINKS.values())
    i = data["nodes"].index(kishi)
    aus = data["nodes"].index(node_of(data, AUS))
    kinds = {data["preds"][e[4]]: e[2] for e in data["edges"] if {e[0], e[1]} == {i, aus}}
    assert kinds == {"確定 confirmed": 8, "候補 candidate (holder_ambiguous)": 1}
    # the candidate's link is drawn dashed, the confirmed one not
    dashed = {data["preds"][e[4]] for e in data["edges"] if e[4] in data["dashed"]}
    assert dashed == {"候補 candidate (holder_ambiguous)"}
    assert node_of(data, AUS)["ac"] > node_of(data, AUS)["c"]  # events no person is named for
