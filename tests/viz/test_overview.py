"""The overview page's numbers, links, map table and page, without a browser.

Expected counts are read off data/source.txt (the line is named with each), and the page's
numbers are compared with the named queries' answers (kg query), which count independently.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg import paths
from kg.network import ViewError
from kg.viz import overview as ov

DATA = paths.data_dir()
pytestmark = pytest.mark.skipif(
    not (DATA / "kg.nt").exists(), reason="data/kg.nt missing: run kg build"
)


@pytest.fixture(scope="module")
def graph():
    """The built graph for kg query's runner (rdflib over Oxigraph): the answers to compare."""
    from kg.sparql.run import open_graph

    return open_graph("store", DATA)


@pytest.fixture(scope="module")
def store():
    """The same store as the page reads it (pyoxigraph, no rdflib)."""
    from kg.store.local import open_store

    return open_store(DATA)


@pytest.fixture(scope="module")
def data(store):
    return ov.overview_data(store)


def cell(rows, **where):
    """The sum of ``events`` over the rows matching ``where``."""
    return sum(r["events"] for r in rows if all(r[k] == v for k, v in where.items()))


# -- the map's table: ISO3 -> ISO 3166-1 numeric -------------------------------------------------


def world_ids() -> dict[str, list[str]]:
    topo = json.loads(paths.npm_file("world-atlas", "countries-50m.json").read_text("utf-8"))
    ids: dict[str, list[str]] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        if "id" in g:
            ids.setdefault(g["id"], []).append(g["properties"]["name"])
    return ids


def test_every_country_of_the_gazetteer_has_its_iso_numeric_code():
    rows = paths.read_table(DATA / "gazetteer" / "countries.csv")
    countries = {r["code"]: r["iso_numeric"] for r in rows if r["kind"] == "country"}
    assert all(re.fullmatch(r"\d{3}", n) for n in countries.values()), countries
    assert len(set(countries.values())) == len(countries)  # no two countries share a code
    # Organisations have none (they are tiles beside the map).
    assert all(not r["iso_numeric"] for r in rows if r["kind"] != "country")
    # ISO 3166-1 numeric codes, as the standard lists them (not read from the file).
    known = {"JPN": "392", "USA": "840", "AUS": "036", "SGP": "702", "BHR": "048", "TON": "776"}
    assert {k: countries[k] for k in known} == known


def test_every_partner_country_has_a_shape_in_countries_50m(data):
    ids, numeric = world_ids(), ov.iso_numeric()
    partners = {(p["code"], p["name_en"]) for p in data["partners"]}
    orgs = {"NATO", "EU", "ASEAN"}
    assert {c for c, _ in partners} & orgs == orgs
    for code, name in sorted(partners):
        if code in orgs:
            continue
        assert code in numeric, code
        names = ids.get(numeric[code], [])
        # The feature with that id is the same country (world-atlas' own spelling of it).
        assert names, (code, numeric[code])
        assert any(n.split()[0][:5] in name or name.split()[0][:5] in n for n in names), (
            code,
            name,
            names,
        )


# -- the numbers ------------------------------------------------------------------------------


def test_partner_cells_match_the_source(data):
    p = data["partners"]
    # Line 42, FY2019: 【バーレーン】防衛大臣と国軍司令官電話会談(10月)、…会談(11月).
    assert cell(p, code="BHR", fy=2019, ind="high_level") == 2
    # Line 104 (FY2020): one video talk; line 266: 第4回バーレーン安保対話（VTC）（10月）.
    assert cell(p, code="BHR", fy=2020) == 2
    # Tonga: lines 42, 90, 155 (one each), 257 (two), 277 (日トンガ親善訓練(8月)).
    assert [cell(p, code="TON", fy=y) for y in (2019, 2020, 2021, 2022)] == [1, 1, 1, 3]
    assert cell(p, code="TON", fy=2022, ind="unit_exchange") == 1
    # Line 288 ②: the research visit to Turkmenistan, its only event.
    assert cell(p, code="TKM") == 1


def test_partner_cells_equal_events_by_country_year(graph, data):
    from kg.sparql.run import run_query

    named = {
        (r["country"], r["fy"]): r["events"]
        for r in run_query("events_by_country_year", graph=graph).records()
    }
    mine = {}
    for r in data["partners"]:
        if r["ind"] == "high_level":
            mine[(r["code"], r["fy"])] = r["events"]
    assert mine == named
    assert named[("TON", 2022)] == 2  # line 257


def test_mode_shares_equal_mode_share_by_year(graph, data):
    from kg.sparql.run import run_query

    named = run_query("mode_share_by_year", graph=graph).records()
    for r in named:
        for basis in ("stated", "assumed"):
            got = cell(data["by_mode"], fy=r["fy"], mode=r["mode"], basis=basis)
            assert got == r[basis], (r, basis)
    # FY2019 (line 42): one video talk (日米韓参謀総長級テレビ会談(11月)) and 17 phone talks
    # (AUS 3, IND 2, GBR, DEU, DNK 1 each, ARE 2, IRN 2, OMN 1, SAU 2, QAT 1, BHR 1).
    assert cell(data["by_mode"], fy=2019, mode="video", basis="stated") == 1
    assert cell(data["by_mode"], fy=2019, mode="phone", basis="stated") == 17
    # The one hybrid meeting, FY2022 (line 189):
    # 第2回日独外務・防衛閣僚会合（「2+2」）（ハイブリッド）（11月）.
    assert cell(data["by_mode"], mode="hybrid") == 1
    assert cell(data["by_mode"], fy=2022, mode="hybrid", basis="stated") == 1


def test_every_event_is_counted_once_in_each_chart(graph, data):
    from kg.sparql.run import run_query

    (total,) = run_query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a jdx:Event }", graph=graph)
    n = int(total[0])
    assert sum(r["events"] for r in data["summary"]) == n
    assert cell(data["by_indicator"]) == n
    assert cell(data["months"]) + sum(r["no_month"] for r in data["summary"]) == n
    assert cell(data["by_kind"]) == n  # a visit with a meeting once, as a visit
    for fy in data["summary"]:
        assert cell(data["by_indicator"], fy=fy["fy"]) == fy["events"]
        assert fy["partnered"] <= fy["events"]


def test_kinds_equal_the_events_table(data):
    """Each event under the one kind data/events.csv gives it (the graph types a visit with a
    meeting as both)."""
    from collections import Counter

    table = Counter(
        (int(r["fiscal_year"]), r["kind"]) for r in paths.read_table(DATA / "events.csv")
    )
    mine = {(r["fy"], r["kind"]): r["events"] for r in data["by_kind"]}
    assert mine == dict(table)


def test_map_counts_sum_over_fys_and_indicators(data):
    counts = {r["code"]: r for r in ov.map_counts(data["partners"])}
    ton = counts["TON"]["n"]
    assert ton["all|all"] == 6
    assert ton["2022|all"] == 3
    assert ton["all|unit_exchange"] == 1
    assert ton["2022|high_level"] == 2
    assert "2019|unit_exchange" not in ton
    assert counts["NATO"]["num"] == ""


# -- links ------------------------------------------------------------------------------------


def hrefs(obj) -> list[str]:
    found = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("href", "fy_href") and isinstance(v, str):
                found.append(v)
            else:
                found += hrefs(v)
    elif isinstance(obj, list):
        for v in obj:
            found += hrefs(v)
    return found


def test_every_mark_links_to_a_page_on_the_same_site(data):
    links = hrefs(data)
    assert links and all(
        re.fullmatch(r"/id/(country|fy|indicator)/[A-Za-z0-9_]+", h) for h in links
    )
    assert "/id/country/TON" in links and "/id/fy/2022" in links
    assert "/id/indicator/high_level" in links
    for lang in ov.LANGS:
        specs = ov.specs(data, lang)
        for name, spec in specs.items():
            text = json.dumps(spec)
            assert '"href": {"field"' in text, name  # every chart's marks carry a link
        assert set(hrefs(specs)) <= set(links)


def test_static_links_are_relative_files(store):
    d = ov.overview_data(store, link_base="../", static_links=True)
    links = hrefs(d)
    assert "../id/country/TON.html" in links and "../id/fy/2022.html" in links
    assert all(h.startswith("../id/") and h.endswith(".html") for h in links)


# -- the page ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(data) -> str:
    return ov.overview_html(data, "ja")


def test_page_loads_nothing_from_outside(page):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe-eval" not in csp and "http" not in csp
    markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1", page, flags=re.S)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", markup)
    # Each inline script is allowed by its hash, and no other.
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(scripts) == 5  # vega, vega-lite, vega-embed, vega-interpreter, the page's
    for s in scripts:
        h = base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
        assert f"'sha256-{h}'" in csp


def test_page_data_is_escaped_json(page):
    blocks = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S)
    assert [b[0] for b in blocks] == ["kg-data", "kg-world-data"]
    for _, text in blocks:
        assert not set(text) & set("<>&")
        json.loads(text)
    payload = json.loads(blocks[0][1])
    assert payload["lang"] == "ja" and set(payload["specs"]) == {"ja", "en"}


def test_counts_say_they_count_events(data):
    for lang, word in (("ja", "出来事の件数"), ("en", "Number of events")):
        specs = ov.specs(data, lang)
        for name in ("by_indicator", "by_kind"):
            assert specs[name]["encoding"]["y"]["title"] == word
        assert specs["timeline"]["layer"][0]["encoding"]["y"]["title"] == word


def test_page_is_deterministic(tmp_path):
    a = ov.write_overview(tmp_path / "a.html", data=DATA)
    b = ov.write_overview(tmp_path / "b.html", data=DATA)
    assert a.read_bytes() == b.read_bytes()
    assert 'lang="ja"' in a.read_text("utf-8")
    en = ov.write_overview(tmp_path / "en.html", data=DATA, lang="en")
    assert '<html lang="en">' in en.read_text("utf-8")


def test_the_build_writes_the_overview(tmp_path):
    from kg.job import build

    build(out=tmp_path / "data")
    page = tmp_path / "data" / "views" / "overview.html"
    assert page.exists()
    again = ov.write_overview(tmp_path / "again.html", data=DATA)
    assert page.read_bytes() == again.read_bytes()
    # kg serve serves it at /views/overview.html, beside the /id/… pages it links to.
    assert '"href":"/id/country/TON"' in page.read_text("utf-8")


def test_unknown_language_is_a_kg_error(data):
    with pytest.raises(ViewError, match="unknown language"):
        ov.overview_html(data, "fr")


# -- kg viz --view overview ---------------------------------------------------------------------


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_writes_the_overview(tmp_path: Path):
    out = tmp_path / "o.html"
    done = kg("viz", "--view", "overview", "--out", str(out), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert out.exists() and '<html lang="en">' in out.read_text("utf-8")
    bad = kg("viz", "--view", "overview", "--fy", "2022", "--out", str(out))
    assert bad.returncode == 2 and "--fy" in bad.stderr and "Traceback" not in bad.stderr
    png = kg("viz", "--view", "overview", "--out", str(tmp_path / "o.png"))
    assert png.returncode == 2 and "use .html" in png.stderr
