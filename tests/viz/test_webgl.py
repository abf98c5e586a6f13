"""The WebGL page (kg.viz.webgl) as text: self-contained, escaped, deterministic, and chosen by
write_view above the node threshold. Its behaviour in a browser: test_webgl_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import networkx as nx
import pytest

from kg import errors, paths
from kg.viz import views, webgl

PAYLOAD = "</script><script>window.__pwned=1</script>"


def small_graph() -> nx.Graph:
    G = nx.Graph(title="t <b>&</b>")
    G.add_node("a", label_ja=PAYLOAD, label_en="A & B", type="country", count=3)
    G.add_node("b", label_ja="防衛大臣", label_en="Minister of Defense", type="jp_office", count=2)
    G.add_node("c", label_ja="会議", type="forum", count=1)
    G.add_edge("a", "b", weight=2)
    G.add_edge("b", "c", weight=1)
    return G


def scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, flags=re.S)


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_page_inlines_graphology_sigma_and_its_script_each_admitted_by_hash():
    page = webgl.webgl_html(small_graph())
    inline = scripts(page)
    assert len(inline) == 3
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert re.findall(r"script-src ([^;]*);", csp)[0].split() == [sha(s) for s in inline]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    sigma = paths.npm_file("sigma", "dist/sigma.min.js").read_text(encoding="utf-8")
    assert inline[1] == sigma.replace("</script", "<\\/script")
    assert "graphology" in inline[0][:400]
    # nothing is loaded by the markup: no external script, style sheet or image
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", page)
    versions = json.loads(paths.npm_file("sigma", "package.json").read_text())["version"]
    assert f"sigma {versions}" in page


def test_texts_are_escaped_and_the_data_are_the_views_page_data():
    G = small_graph()
    page = webgl.webgl_html(G)
    block = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert block is not None
    text = block.group(1)
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert [n["ja"] for n in data["nodes"]] == [PAYLOAD, "防衛大臣", "会議"]
    assert "防衛大臣" in text  # UTF-8, not \\u escapes: half the size for Japanese labels
    want = views.page_data(G, "t <b>&</b>")
    assert data["nodes"] == want["nodes"] and data["edges"] == want["edges"]
    assert "<title>t &lt;b&gt;&amp;&lt;/b&gt;</title>" in page
    assert PAYLOAD not in page


def page_json(page: str) -> dict:
    block = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


def test_the_budgets_travel_with_the_data():
    data = page_json(webgl.webgl_html(small_graph()))
    assert (data["nodeBudget"], data["edgeBudget"]) == (webgl.NODE_BUDGET, webgl.EDGE_BUDGET)
    data = page_json(webgl.webgl_html(small_graph(), node_budget=2, edge_budget=1))
    assert (data["nodeBudget"], data["edgeBudget"]) == (2, 1)
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 2  # the data keep everything


def test_the_page_is_deterministic():
    assert webgl.webgl_html(small_graph()) == webgl.webgl_html(small_graph())


def test_links_follow_the_writers_keywords():
    G = nx.Graph(title="links")
    G.add_node("https://w3id.org/jdx/id/country/AUS", label_ja="豪", type="country", count=1)
    G.add_node("https://w3id.org/jdx/id/office/minister", label_ja="防衛大臣", type="jp_office")
    G.add_edge(*G.nodes, weight=1)

    def hrefs(**kw) -> list[str]:
        data = json.loads(_data_block(webgl.webgl_html(G, **kw)))
        return sorted(n["href"] for n in data["nodes"] if "href" in n)

    assert hrefs() == ["/id/country/AUS", "/id/office/minister"]
    assert hrefs(link_base="../", static_links=True) == [
        "../id/country/AUS.html",
        "../id/office/minister.html",
    ]
    assert hrefs(link_base=None) == []


def _data_block(page: str) -> str:
    found = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    return found.group(1)


def test_write_view_draws_with_webgl_above_the_threshold(tmp_path, monkeypatch):
    G = small_graph()
    below = views.write_view(G, tmp_path / "vis.html").read_text(encoding="utf-8")
    assert "vis-network inlined" in below and "sigma" not in below[:2000]
    monkeypatch.setattr(views, "WEBGL_THRESHOLD", G.number_of_nodes() - 1)
    above = views.write_view(G, tmp_path / "webgl.html").read_text(encoding="utf-8")
    assert "sigma 4.0.4 and graphology 0.26.0" in above[:2000]
    assert above == webgl.webgl_html(G)


def test_a_missing_library_is_an_asset_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_NODE_MODULES", str(tmp_path / "nothing"))
    webgl._library.cache_clear()
    try:
        with pytest.raises(errors.AssetError, match=r"graphology/dist/graphology\.umd\.min\.js"):
            webgl.webgl_html(small_graph())
    finally:
        monkeypatch.undo()
        webgl._library.cache_clear()
