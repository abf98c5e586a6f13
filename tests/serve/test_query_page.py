"""The query page of `kg serve` in headless Chromium (Debian's /usr/bin/chromium).

It loads with no request leaving the machine and no console error, runs a named query (with and
without a parameter), shows the rows, renders data as text (never as markup), and saves a
screenshot to tests/artifacts/query_page.png.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import paths
from kg.serve.server import STATIC_DIR, ServerConfig, running

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = paths.REPO / "tests" / "artifacts"
SCREENSHOT = ARTIFACTS / "query_page.png"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (./setup.sh does it)"
)


@pytest.fixture(scope="module")
def server():
    cfg = ServerConfig(data_dir=paths.data_dir(), port=0, timeout=5.0, quiet=True)
    with running(cfg) as srv:
        yield srv


@pytest.fixture()
def page(browser, server, recording):
    with recording(browser) as pg:
        yield pg


def open_page(page, server) -> None:
    response = page.goto(server.url)
    assert response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.wait_for_selector("#query-list button[data-name='events_by_country_year']")


def run_and_wait(page) -> None:
    page.click("#run")
    page.wait_for_function(
        "() => !document.getElementById('run').disabled && "
        "document.getElementById('status').textContent !== 'Running…'"
    )


def test_named_query_runs_and_rows_appear(page, server):
    open_page(page, server)
    # the named queries are listed with their Japanese and English questions
    names = page.eval_on_selector_all("#query-list button", "bs => bs.map(b => b.dataset.name)")
    assert {"events_by_country_year", "country_timeline", "provenance"} <= set(names)
    button = page.locator("#query-list button[data-name='events_by_country_year']")
    assert button.locator(".qja").inner_text().strip()
    button.click()
    assert "SELECT" in page.input_value("#editor").upper()
    run_and_wait(page)
    assert "row" in page.inner_text("#status"), page.inner_text("#status")
    headers = page.eval_on_selector_all("#results th", "ths => ths.map(t => t.textContent)")
    assert headers == ["country", "label_en", "fy", "events"]
    rows = page.locator("#results tbody tr")
    assert rows.count() > 10
    assert "Australia" in page.inner_text("#results")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    assert SCREENSHOT.stat().st_size > 10_000
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


def test_parameterized_query(page, server):
    open_page(page, server)
    page.click("#query-list button[data-name='country_timeline']")
    field = page.locator("#params input[name='country']")
    assert field.is_visible()
    assert "kg lookup --type country" in page.inner_text("#params")  # what the field takes
    field.fill("AUS")
    run_and_wait(page)
    assert page.locator("#results tbody tr").count() > 0, page.inner_text("#status")
    text = page.inner_text("#results")
    assert "豪" in text or "オーストラリア" in text
    # an invalid value is stopped by the form (pattern) and, if sent, by the server
    field.fill('AUS" } ?s ?p ?o {')
    page.click("#run")
    assert page.evaluate("() => document.getElementById('params').checkValidity()") is False
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)


def test_data_is_rendered_as_text(page, server):
    open_page(page, server)
    payload = '<img src="/x" onerror="window.__pwned = 1">'
    page.fill("#editor", f"SELECT ?x WHERE {{ BIND('{payload}' AS ?x) }}")
    run_and_wait(page)
    assert page.inner_text("#results td") == payload
    assert page.locator("#results img").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)


def test_errors_are_shown(page, server):
    open_page(page, server)
    page.fill("#editor", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    run_and_wait(page)
    assert "403" in page.inner_text("#status")
    assert "read-only" in page.inner_text("#status")
    # the failed request is reported by Chromium as a console error; nothing else may be
    assert all("403" in e for e in page.errors), page.errors
    assert page.outside == []


def test_graph_answers_and_truncation_are_shown(page, server):
    open_page(page, server)
    page.fill("#editor", "DESCRIBE <https://w3id.org/jdx/id/country/AUS>")
    run_and_wait(page)
    assert "オーストラリア" in page.inner_text("#results pre")
    assert "triples" in page.inner_text("#status")
    page.fill("#editor", "SELECT * WHERE { ?s ?p ?o }")
    run_and_wait(page)
    assert "truncated" in page.inner_text("#status")
    assert page.locator("#results tbody tr").count() == server.config.max_rows
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)


def test_iris_are_shortened_with_the_prefixes_the_endpoint_serves(page, server):
    """The page holds no namespace table of its own: it shortens with /api/prefixes."""
    app_js = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    assert "https://w3id.org/jdx/id/" not in app_js and "rdf-schema#" not in app_js
    open_page(page, server)
    page.fill("#editor", "SELECT ?c WHERE { ?c a jdx:Country } ORDER BY ?c LIMIT 1")
    run_and_wait(page)
    iri = page.locator("#results td .iri").first
    assert iri.inner_text().startswith("jdxr:country/"), iri.inner_text()
    assert iri.get_attribute("title").startswith("https://w3id.org/jdx/id/country/")
    # the starting query declares the prefixes it uses, with the endpoint's namespaces
    page.click("#new-query")
    assert "PREFIX jdx: <https://w3id.org/jdx/ontology#>" in page.input_value("#editor")
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)


def test_a_querys_caveats_are_shown_with_it(page, server):
    open_page(page, server)
    page.click("#query-list button[data-name='budget_execution']")
    note = page.locator("#selected-note")
    assert note.is_visible() and "millions of yen" in note.inner_text()
    page.click("#query-list button[data-name='events_by_country_year']")
    assert "millions" not in page.inner_text("#selected")


def test_the_excel_download_is_offered_for_results(page, server):
    open_page(page, server)
    page.click("#query-list button[data-name='events_by_country_year']")
    run_and_wait(page)
    link = page.locator("#dl-excel")
    assert link.is_visible() and "format=excel" in (link.get_attribute("href") or "")
