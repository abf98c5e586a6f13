"""The overview in headless Chromium, served from 127.0.0.1 (so every other request is seen).

Screenshots go to tests/artifacts/ (git-ignored). The page forbids eval through its
Content-Security-Policy, so the tests poll with page.evaluate (which the policy does not govern)
rather than wait_for_function.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from pathlib import Path

import pytest

from kg import paths
from kg.viz import overview as ov

DATA = paths.data_dir()
ARTIFACTS = paths.REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.skipif(not (DATA / "kg.nt").exists(), reason="data/kg.nt missing: run kg build"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]
pytest.importorskip("playwright.sync_api")

#: The marks of the map and its tiles, each with its aria-label "ISO3 name: events" (Vega's
#: SVG renderer; geoshapes are Vega shape marks, the tiles rect marks).
LABELS = (
    "Array.from(document.querySelectorAll("
    "'#kg-world g.mark-shape path[aria-label], #kg-world g.mark-rect path[aria-label]'))"
    ".map(e => [e.closest('g.mark-shape') ? 'shape' : 'rect', e.getAttribute('aria-label')])"
)
#: "ISO3 name: N" (the ranking's bars say "name: …; events: …", Vega-Lite's own wording).
MARK = re.compile(r"([A-Z]{2,5}) [^;]+: (\d+)")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The overview written with kg serve's links (/id/…), served by a loopback HTTP server."""
    folder = tmp_path_factory.mktemp("overview")
    ov.write_overview(folder / "overview.html", data=DATA)
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def data():
    from kg.store.local import open_store

    return ov.overview_data(open_store(DATA))


@pytest.fixture()
def page(browser, site, recording):
    with recording(browser) as pg:
        pg.goto(site + "overview.html")
        stable(pg, "ja")
        yield pg


def stable(pg, lang: str) -> None:
    pg.wait_for_selector(f'html[data-kg-stable="{lang}"]', state="attached", timeout=60_000)


def map_marks(pg) -> dict[str, int]:
    """ISO3 (or NATO, EU, ASEAN) -> the count its shape or tile says."""
    marks: dict[str, int] = {}
    for _, label in pg.evaluate(LABELS):
        if m := MARK.fullmatch(label):
            marks[m[1]] = int(m[2])
    return marks


def drawn(pg, kind: str) -> set[str]:
    """The codes with a mark of ``kind`` (shape: the map; rect: the tiles)."""
    return {m[1] for k, label in pg.evaluate(LABELS) if k == kind and (m := MARK.fullmatch(label))}


def until(pg, check, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while True:
        got = check()
        if got or time.monotonic() > end:
            return got
        pg.wait_for_timeout(100)


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_opens_with_no_error_and_no_outside_request(page):
    shot(page, "overview_ja.png")
    assert page.errors == []
    assert page.outside == []
    # Every chart drew, as SVG.
    for name in ("world", "by_indicator", "by_kind", "by_mode", "timeline"):
        assert page.locator(f"#kg-{name} svg").count() == 1, name
    assert page.locator("#kg-summary li").count() == 4  # FY2019–FY2022


def test_map_has_a_shape_for_every_partner_country(page, data):
    marks = map_marks(page)
    counts = {r["code"]: r for r in ov.map_counts(data["partners"])}
    with_shape = {c for c, r in counts.items() if r["num"]}
    paths_drawn = drawn(page, "shape")
    assert paths_drawn == with_shape
    assert {"SGP", "BHR", "TON"} <= paths_drawn  # too small for world-atlas' 110m map
    assert {c: marks[c] for c in counts} == {c: r["n"]["all|all"] for c, r in counts.items()}
    # NATO, EU and ASEAN as tiles beside the map.
    assert drawn(page, "rect") == {"NATO", "EU", "ASEAN"}
    assert marks["TON"] == 6  # lines 42, 90, 155, 257 (two), 277


def test_fy_and_indicator_selectors_reshade_the_map(page):
    selects = page.locator("#kg-world .vega-bindings select")
    selects.nth(0).select_option("2022")
    got = until(page, lambda: (m := map_marks(page)).get("TON") == 3 and m)
    assert got, map_marks(page)
    assert "TKM" not in got  # its one event is FY2019's (line 288 ②)
    shot(page, "overview_fy2022.png")
    selects.nth(1).select_option("unit_exchange")
    got = until(page, lambda: (m := map_marks(page)).get("TON") == 1 and m)
    assert got, map_marks(page)  # 日トンガ親善訓練(8月), line 277
    assert page.errors == []


def test_clicking_a_country_opens_its_page(page, site):
    page.locator('#kg-world path[aria-label^="AUS "]').first.click()
    page.wait_for_url(site + "id/country/AUS", timeout=10_000)
    assert page.outside == []


def test_switches_to_english(page):
    page.click("#kg-lang")
    stable(page, "en")
    assert page.title() == ov.TEXT["en"]["title"]
    labels = {label.split(" ", 1)[0]: label for k, label in page.evaluate(LABELS) if k == "shape"}
    assert labels["TON"] == "TON Tonga: 6"
    shot(page, "overview_en.png")
    assert page.errors == [] and page.outside == []


def test_japanese_is_drawn_with_the_cjk_font(page):
    fonts = page.evaluate(
        "Array.from(document.querySelectorAll('#kg-by_kind svg text'))"
        ".map(t => t.getAttribute('font-family') || getComputedStyle(t).fontFamily)"
    )
    assert fonts and all("Noto Sans CJK JP" in f for f in fonts)
    assert page.evaluate("document.fonts.check(\"12px 'Noto Sans CJK JP'\", '出来事の件数')")


XSS = "<img src=x onerror=window.__pwned=1>"


@pytest.fixture()
def payload_page(tmp_path):
    """An overview of a one-event graph whose names are markup."""
    import json

    import pyoxigraph as ox

    jdxr, jdx = "https://w3id.org/jdx/id/", "https://w3id.org/jdx/ontology#"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    bad = json.dumps(XSS)
    gy = "<http://www.w3.org/2001/XMLSchema#gYear>"
    nt = f"""
<{jdxr}country/XYZ> <{rdf}> <{jdx}Country> .
<{jdxr}country/XYZ> <{label}> {bad}@ja .
<{jdxr}country/XYZ> <{label}> {bad}@en .
<{jdxr}country/XYZ> <http://www.w3.org/2004/02/skos/core#notation> "XYZ" .
<{jdxr}fy/2019> <{rdf}> <{jdx}FiscalYear> .
<{jdxr}fy/2019> <{label}> {bad}@ja .
<{jdxr}fy/2019> <{label}> {bad}@en .
<{jdxr}fy/2019> <{jdx}startYear> "2019"^^{gy} .
<{jdxr}indicator/high_level> <{jdx}code> "high_level" .
<{jdxr}event/e1> <{rdf}> <{jdx}Event> .
<{jdxr}event/e1> <{rdf}> <{jdx}Meeting> .
<{jdxr}event/e1> <{jdx}counterpartCountry> <{jdxr}country/XYZ> .
<{jdxr}event/e1> <{jdx}fiscalYear> <{jdxr}fy/2019> .
<{jdxr}event/e1> <{jdx}indicator> <{jdxr}indicator/high_level> .
<{jdxr}event/e1> <{jdx}mode> <{jdx}InPerson> .
<{jdxr}event/e1> <{jdx}qualityFlag> "mode_assumed" .
<{jdxr}event/e1> <{jdx}date> "2019-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .
"""
    store = ox.Store()
    store.load(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    path = tmp_path / "payload.html"
    path.write_text(ov.overview_html(ov.overview_data(store)), encoding="utf-8")
    return path


def test_names_that_are_markup_show_as_text(browser, payload_page):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(payload_page.as_uri())
    stable(pg, "ja")
    tile = pg.locator('#kg-world g.mark-rect path[aria-label^="XYZ "]').first
    tile.hover(position={"x": 4, "y": 4})  # a corner: the text covers the middle
    tooltip = until(
        pg,
        lambda: pg.evaluate(
            "(document.querySelector('#vg-tooltip-element.visible') || {}).textContent || ''"
        ),
    )
    assert XSS in tooltip  # the name, as text
    assert XSS in pg.locator("#kg-summary li a").first.text_content()
    pg.wait_for_timeout(300)
    assert pg.evaluate("window.__pwned") is None
    assert pg.locator("#kg-summary img, #vg-tooltip-element img").count() == 0
    assert errors == []
    ctx.close()


def test_opened_from_disk_links_to_the_iris(browser, site, recording, tmp_path):
    # Beside a file on disk there are no /id/… pages (they are kg serve's): links go to the IRIs.
    page = tmp_path / "overview.html"
    ov.write_overview(page, data=DATA)
    with recording(browser, tmp_path) as pg:
        pg.goto(page.as_uri())
        stable(pg, "ja")
        hrefs = pg.eval_on_selector_all("#kg-summary a", "els => els.map(e => e.href)")
        assert hrefs and all(h.startswith("https://w3id.org/jdx/id/fy/") for h in hrefs), hrefs
        assert pg.errors == []
