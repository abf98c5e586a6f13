"""The published folder in headless Chromium (Debian's /usr/bin/chromium), opened from disk
(file://) and from a loopback static server, as a person uses it.

Every named query run in the SPARQL page (Oxigraph-wasm) gives the same rows as ``kg query``
and is bound to the same text; search 統幕長, open the office, follow an event to its source
line; switch to English; open a network view; an IRI of a result opens its page. Every request
is recorded: any that leaves the folder or the loopback server fails the test. Screenshots go
to tests/artifacts/publish_*.png.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kg import paths
from kg.publish.site import Published
from kg.sparql.binding import prepare
from kg.sparql.catalogue import list_queries
from kg.sparql.lookup import resolve_params
from kg.sparql.run import default_graph, run_query

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = paths.REPO / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (./setup.sh does it)"
)


@pytest.fixture(params=["file", "http"])
def where(request, published: Published, static_server: str) -> str:
    """The folder's URL: from disk, or from a static server (what GitHub Pages is)."""
    return published.out.resolve().as_uri() + "/" if request.param == "file" else static_server


@pytest.fixture()
def page(browser, recording, published: Published):
    with recording(browser, folder=published.out, accept_downloads=True) as pg:
        yield pg


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"publish_{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    return path


def example_params(example: str) -> dict[str, str]:
    return dict(re.findall(r"--param\s+(\w+)=(\S+)", example))


def canonical(doc: dict) -> tuple[list[str], list[str]]:
    """A SPARQL JSON results document as (variables, rows in a fixed order)."""
    rows = [json.dumps(b, sort_keys=True, ensure_ascii=False) for b in doc["results"]["bindings"]]
    return doc["head"]["vars"], sorted(rows)


def open_sparql(page, where: str, name: str = "sparql.html") -> None:
    page.goto(where + name)
    page.wait_for_function("window.jdx && window.jdx.ready === true", timeout=60_000)


def type_query(page, text: str) -> None:
    """Replace the editor's text as a person does: click in it, select all, type."""
    page.wait_for_function("window.jdx.editor() === 'yasqe'")
    page.click("#yasqe .CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_every_named_query_gives_the_rows_of_kg_query(page, where):
    open_sparql(page, where)
    graph = default_graph()
    cases = [(q, example_params(q.example)) for q in list_queries()]
    cases.append(
        (next(q for q in list_queries() if q.name == "actor_counterparts"), {"actor": "統幕長"})
    )
    assert len(cases) > 20
    for q, params in cases:
        resolved = resolve_params(q, params, graph=graph)
        text = prepare(q, resolved)[0]
        assert page.evaluate("([n, p]) => window.jdx.prepare(n, p)", [q.name, params]) == text
        got = page.evaluate("([n, p]) => window.jdx.runNamed(n, p).json", [q.name, params])
        want = run_query(q.name, params, graph=graph).to_sparql_json()
        assert canonical(got) == canonical(want), q.name
        assert want["results"]["bindings"] or q.name in ("new_partners",), q.name
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


def test_the_query_page_runs_links_and_downloads(page, where):
    open_sparql(page, where)
    assert page.evaluate("window.jdx.timings.triples") > 20_000
    page.wait_for_function("window.jdx.editor() === 'yasqe'")  # YASGUI's editor, offline
    page.click("#query-list a[data-name='country_timeline']")
    assert page.input_value("#params input[name='country']") == "PHL"
    page.fill("#params input[name='country']", "フィリピン")  # a name, as kg query takes it
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    assert page.inner_text("#query-error") == ""
    n = page.locator("#results tbody tr").count()
    want = run_query("country_timeline", {"country": "PHL"}).rows
    assert n == len(want) > 0
    shot(page, f"sparql_{where[:4]}")
    with page.expect_download() as info:
        page.click("#download-csv")
    lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",")[0] == "date" and len(lines) == n + 1
    # a free query: an IRI of its results opens the static page
    type_query(
        page, "SELECT ?iso ?c WHERE { ?c a jdx:Country ; jdx:iso3 ?iso FILTER(?iso = 'AUS') }"
    )
    page.keyboard.press("Control+Enter")  # YASGUI's key to run: here, in the page
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 1")
    assert page.locator("#results thead th").all_inner_texts() == ["iso", "c"]  # as selected
    shot(page, f"sparql_typed_{where[:4]}")
    link = page.locator("#results td a").first
    assert link.inner_text() == "jdxr:country/AUS"
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("id/country/AUS.html")
    assert page.inner_text("h1") == "オーストラリア"
    # YASGUI's autocompletion would ask prefix.cc and LOV: nothing leaves (recorded below)
    page.go_back()
    page.wait_for_function("window.jdx && window.jdx.ready === true", timeout=60_000)
    type_query(page, "PREFIX fo")
    page.keyboard.press("Control+Space")
    page.keyboard.type("af: <http://xmlns.com/foaf/0.1/>\nSELECT * WHERE { ?s a foaf:Pe")
    page.keyboard.press("Control+Space")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.jdx.yasqe.config.autocompleters") == ["variables"]
    # a query the engine refuses says why, on the page
    type_query(page, "SELECT ?x WHERE { ?x")
    page.click("#run")
    assert page.inner_text("#query-error") != ""
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


def test_search_an_office_follow_an_event_to_its_source_line(page, where):
    page.goto(where + "index.html")
    assert page.locator("#counts table.summary tbody tr").count() >= 5
    shot(page, f"index_{where[:4]}")
    page.fill("header form.search input[name=q]", "統幕長")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_selector("#search-hits li")
    first = page.locator("#search-hits li").first
    assert "統合幕僚長" in first.inner_text()
    shot(page, f"search_{where[:4]}")
    first.locator("a").click()
    page.wait_for_load_state()
    assert page.url.endswith("id/position/jp/chief_joint_staff.html")
    assert page.inner_text("h1") == "統合幕僚長"
    assert page.locator("#events-table tbody tr").count() > 10
    link = page.locator("#events-table tbody a[href*='event/']").first
    link.click()
    page.wait_for_load_state()
    assert "/id/event/" in page.url
    mark = page.locator("#excerpt mark#highlight")
    assert mark.count() == 1
    verbatim = page.inner_text("dd.verbatim")
    assert mark.inner_text() == verbatim
    line = page.inner_text("#source-line")
    assert line.isdigit()
    source = (paths.data_dir() / "source.txt").read_text(encoding="utf-8").split("\n")
    assert verbatim in source[int(line) - 1]  # the document's own line holds the item
    mark.scroll_into_view_if_needed()
    shot(page, f"event_{where[:4]}")
    page.click("#lang-en")
    page.wait_for_load_state()
    assert page.url.endswith(".en.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#excerpt mark#highlight").inner_text() == verbatim
    # English pages link English pages
    assert page.locator("a[href$='.en.html']").count() > 3
    # a two-character Japanese word finds the names holding it
    page.goto(where + "search.html?q=会談")
    assert page.locator("#search-hits li").count() >= 20
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


def test_a_network_view_opens(page, where):
    page.goto(where + "views/index.html")
    page.click("a[href='office_country.html']")
    page.wait_for_load_state()
    page.wait_for_timeout(1500)
    assert page.locator("canvas").count() >= 1
    shot(page, f"view_{where[:4]}")
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


def test_the_recorder_catches_a_request_that_leaves(page, published: Published):
    """The check above could fail: a request out of the folder is recorded (and aborted)."""
    page.goto(published.out.resolve().as_uri() + "/index.html")
    page.evaluate("() => { const i = new Image(); i.src = 'https://example.org/x.png'; }")
    page.evaluate("() => { const i = new Image(); i.src = '../outside.png'; }")
    page.wait_for_timeout(300)
    assert any(u.startswith("https://example.org/") for u in page.outside)
    assert any(u.endswith("/outside.png") for u in page.outside)
