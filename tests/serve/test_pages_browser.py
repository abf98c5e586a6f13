"""Pages of the graph in headless Chromium (Debian's /usr/bin/chromium), as a person uses them.

Search 統幕長 from a page's search box, open the office's page, follow one of its events, see
the source line with the item highlighted, switch to English, download the events CSV; a query
result's IRI opens its page. No request leaves the machine, no console error; screenshots go to
tests/artifacts/pages_*.png.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from kg import paths
from kg.serve.server import ServerConfig, running

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = paths.REPO / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (./setup.sh does it)"
)


@pytest.fixture(scope="module")
def server():
    cfg = ServerConfig(data_dir=paths.data_dir(), port=0, timeout=10.0, quiet=True)
    with running(cfg) as srv:
        yield srv


@pytest.fixture()
def page(browser, server, recording):
    with recording(browser, accept_downloads=True) as pg:
        yield pg


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"pages_{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    return path


def test_office_event_source_english_and_csv(page, server):
    # search by the short name from another page's search box, then open the office
    page.goto(server.url + "id/country/PHL")
    page.fill("header form.search input[name=q]", "統幕長")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("#search-results tbody tr").first
    assert "統合幕僚長" in first.inner_text()
    shot(page, "search")
    first.locator("a").click()
    page.wait_for_url("**/id/position/jp/chief_joint_staff")
    response = page.goto(server.url + "id/position/jp/chief_joint_staff")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "ja"  # from the browser's locale
    assert page.inner_text("h1") == "統合幕僚長"
    rows = page.locator("#events-table tbody tr")
    assert rows.count() > 10
    shot(page, "office")
    # sorting by a column reorders the rows (and back)
    first = rows.first.inner_text()
    page.click("#events-table th[data-key='counterpart'] button")
    page.click("#events-table th[data-key='counterpart'] button")
    assert page.get_attribute("#events-table th[data-key='counterpart']", "aria-sort") == (
        "descending"
    )
    assert rows.first.inner_text() != first
    # follow an event whose item printed several dates: the source line, highlighted
    link = page.locator("#events-table tbody a[href^='/id/event/']").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url("**" + href)
    mark = page.locator("#excerpt mark#highlight")
    assert mark.count() == 1
    verbatim = page.inner_text("dd.verbatim")
    assert mark.inner_text() == verbatim
    assert page.inner_text("#source-line").isdigit()
    mark.scroll_into_view_if_needed()
    shot(page, "event_ja")
    # switch to English on the page
    page.click("#lang-en")
    page.wait_for_url("**?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Source" in page.inner_text("#source h2")
    assert page.locator("#excerpt mark#highlight").inner_text() == verbatim
    shot(page, "event_en")
    # back to the office, in English, and download its events as CSV
    page.goto(server.url + "id/position/jp/chief_joint_staff?lang=en")
    assert page.inner_text("h1") == "Chief of Staff, Joint Staff"
    shot(page, "office_en")
    with page.expect_download() as info:
        page.click("#dl-events-csv")
    data = Path(info.value.path()).read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(data)))
    count = int(page.inner_text("#events h2 .count").strip("()"))
    assert len(table) == count and table[0]["event"].startswith("https://w3id.org/jdx/id/event/")
    assert info.value.suggested_filename == "position_jp_chief_joint_staff_events.csv"
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


def test_a_query_results_iri_opens_its_page(page, server):
    page.goto(server.url)
    page.wait_for_selector("#query-list button[data-name='events_by_country_year']")
    page.fill("#editor", "SELECT ?c WHERE { ?c a jdx:Country ; jdx:iso3 'AUS' }")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    link = page.locator("#results td a.iri").first
    assert link.inner_text() == "jdxr:country/AUS"
    assert link.get_attribute("href") == "/id/country/AUS"
    link.click()
    page.wait_for_url("**/id/country/AUS")
    assert page.inner_text("h1") == "オーストラリア"
    assert page.locator("table.summary").count() == 1  # events per FY and indicator
    wd = page.locator("a.out[href^='http://www.wikidata.org/entity/']")
    assert wd.count() == 1  # a plain link out, nothing fetched
    shot(page, "country")
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


def test_the_prefilled_parameter_runs_on_the_query_page(page, server):
    page.goto(server.url)
    page.wait_for_selector("#query-list button[data-name='forum_edition_meetings']")
    page.click("#query-list button[data-name='forum_edition_meetings']")
    field = page.locator("#params input[name='edition']")
    assert field.input_value() == "jdxr:forum/shangri_la_dialogue/19"
    assert page.evaluate("() => document.getElementById('params').checkValidity()") is True
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    page.click("#query-list button[data-name='country_timeline']")
    page.fill("#params input[name='country']", "phl")
    assert page.evaluate("() => document.getElementById('params').checkValidity()") is True
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    # a syntax error: line and caret, in a monospace status line
    page.click("#new-query")
    page.fill("#editor", "SELECT ?x\nWHERE { ?x ?y }")
    page.click("#run")
    page.wait_for_function("() => document.getElementById('status').classList.contains('error')")
    status = page.inner_text("#status")
    assert "line 2, column" in status and status.rstrip().endswith("^"), status
    shot(page, "query_error")
    assert page.outside == []
    assert all("400" in e for e in page.errors), page.errors


def test_a_404_is_a_page(page, server):
    response = page.goto(server.url + "id/country/XXX?lang=en")
    assert response.status == 404
    assert "No resource with this IRI" in page.inner_text("h1")
    assert page.locator("#header-slot").count() == 1
    shot(page, "not_found")
    assert page.outside == []


def test_payloads_in_labels_and_source_text_stay_text(browser, payload_graph, payloads, tmp_path):
    """A graph whose labels, block, flag and source text are markup: shown as text, run nothing."""
    PAYLOADS = payloads  # noqa: N806 (payload_graph wrote tmp_path/kg.nt and source.txt)
    cfg = ServerConfig(data_dir=tmp_path, port=0, timeout=10.0, quiet=True, workers=1)
    with running(cfg) as srv:
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        pg = context.new_page()
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("id/event/e1", "id/country/XYZ", "id/fy/2019?lang=en"):
            assert pg.goto(srv.url + path).status == 200
            assert pg.locator("main img, main script").count() == 0
            assert PAYLOADS[0] in pg.inner_text("main")
        pg.goto(srv.url + "id/event/e1")
        assert pg.inner_text("#excerpt mark") == " ".join(PAYLOADS) + "(6月)"
        shot(pg, "payloads")
        assert dialogs == [] and pg.evaluate("() => window.__pwned") is None
        context.close()
