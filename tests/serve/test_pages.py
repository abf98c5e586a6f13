"""Pages of the graph (kg.serve.pages): every minted IRI answers at /id/…, the ontology at
/ontology, in HTML, Turtle, N-Triples and JSON-LD; every text is escaped.

Over HTTP through `kg serve` (its workers render the pages) and, for the escaping, by
kg.serve.pages.render on a small graph whose labels and source text carry payloads.
"""

from __future__ import annotations

import csv
import html
import http.client
import io
import json
import re
import shutil
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import paths
from kg.serve import pages
from kg.serve.server import ServerConfig, running

JDXR = "https://w3id.org/jdx/id/"
JDX = "https://w3id.org/jdx/ontology#"
ARTIFACTS = paths.REPO / "tests" / "artifacts"


@pytest.fixture(scope="module")
def server():
    cfg = ServerConfig(data_dir=paths.data_dir(), port=0, timeout=10.0, quiet=True)
    with running(cfg) as srv:
        yield srv


@pytest.fixture(scope="module")
def graph() -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(paths.data_dir() / "kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


class Client:
    """A fresh connection a request (the server closes one after an error answer)."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        hdrs = {k.replace("_", "-"): v for k, v in headers.items()}
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request("GET", path, headers=hdrs)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()


def minted_iris(store: ox.Store) -> list[str]:
    found = set()
    for q in store:
        for t in (q.subject, q.object):
            if isinstance(t, ox.NamedNode) and t.value.startswith(JDXR):
                found.add(t.value)
    return sorted(found)


def parsed(body: bytes, fmt: ox.RdfFormat) -> set[str]:
    return {str(q.triple) for q in ox.parse(body, format=fmt)}


def test_every_minted_iri_resolves_in_every_format(server, graph):
    client = Client(server.url)
    iris = minted_iris(graph)
    assert len(iris) > 1500
    formats = (
        (".ttl", ox.RdfFormat.TURTLE, "text/turtle"),
        (".nt", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
        (".jsonld", ox.RdfFormat.JSON_LD, "application/ld+json"),
    )
    for n, iri in enumerate(iris):
        path = "/id/" + iri[len(JDXR) :]
        own = {str(q.triple) for q in graph.quads_for_pattern(ox.NamedNode(iri), None, None)}
        status, headers, body = client.get(path, Accept="text/html")
        assert status == 200, (path, body[:200])
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert 'rel="alternate"' in headers["link"]
        assert pages.esc(iri).encode() in body
        # each RDF format in turn by suffix, by Accept and by ?format= (all three on every IRI)
        for k, (suffix, fmt, media) in enumerate(formats):
            how = (n + k) % 3
            if how == 0:
                status, headers, body = client.get(path + suffix)
            elif how == 1:
                status, headers, body = client.get(path, Accept=media)
            else:
                status, headers, body = client.get(path + "?format=" + suffix[1:])
            assert status == 200, (path, suffix, how, body[:200])
            assert headers["content-type"].startswith(media), (path, how)
            triples = parsed(body, fmt)
            assert own <= triples, (path, suffix, len(own - triples))
            assert triples, path


def test_unknown_iris_are_404_with_a_page(server):
    client = Client(server.url)
    status, headers, body = client.get("/id/country/XXX", Accept="text/html")
    assert status == 404 and headers["content-type"].startswith("text/html")
    text = body.decode()
    assert "https://w3id.org/jdx/id/country/XXX" in text and 'id="header-slot"' in text
    assert client.get("/id/country/XXX.ttl")[0] == 404
    assert client.get("/id/", Accept="text/html")[0] == 404
    status, _, body = client.get("/id/%3Cscript%3Ealert(1)%3C/script%3E", Accept="text/html")
    assert status == 404 and b"<script>alert" not in body and b"&lt;script&gt;" in body


def test_the_ontology_answers_with_an_anchor_per_term(server):
    client = Client(server.url)
    status, headers, body = client.get("/ontology", Accept="text/html")
    assert status == 200
    text = body.decode()
    for term in ("Event", "sourceStart", "sourceEnd", "counterpartCountry", "InPerson"):
        assert f'id="{term}"' in text, term
    status, headers, body = client.get("/ontology.ttl")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    triples = parsed(body, ox.RdfFormat.TURTLE)
    assert any(t.startswith(f"<{JDX}sourceStart>") for t in triples)
    # entity pages link predicates to their anchors
    _, _, body = client.get("/id/country/PHL", Accept="text/html")
    assert b'href="/ontology#counterpartCountry"' in body


def test_language_by_accept_language_and_by_the_switch(server):
    client = Client(server.url)
    _, h, ja = client.get("/id/country/PHL", Accept="text/html", Accept_Language="ja")
    _, h2, en = client.get("/id/country/PHL", Accept="text/html", Accept_Language="en-US,en;q=0.9")
    assert h["content-language"] == "ja" and h2["content-language"] == "en"
    assert '<h1 id="title">フィリピン</h1>' in ja.decode()
    assert '<h1 id="title">Philippines</h1>' in en.decode()
    _, h3, forced = client.get("/id/country/PHL?lang=en", Accept="text/html", Accept_Language="ja")
    assert h3["content-language"] == "en" and b'lang="en"' in forced
    assert "accept-language" in h3["vary"].lower() or "Accept-Language" in h3["vary"]


def test_unknown_and_bad_parameters_are_refused(server):
    client = Client(server.url)
    assert client.get("/id/country/PHL?bogus=1")[0] == 400
    assert client.get("/id/country/PHL?format=pdf")[0] == 400
    assert client.get("/id/country/PHL?lang=fr")[0] == 400
    assert client.get("/id/country/PHL?lang=en&lang=ja")[0] == 400
    assert client.get("/id/country/PHL?download=secrets.txt")[0] == 404


def test_the_downloads_hold_the_rows_of_the_table(server, graph):
    client = Client(server.url)
    status, headers, body = client.get("/id/position/jp/chief_joint_staff?download=events.csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    node = ox.NamedNode(JDXR + "position/jp/chief_joint_staff")
    want = {
        q.subject.value
        for q in graph.quads_for_pattern(None, ox.NamedNode(JDX + "japaneseParticipant"), node)
    }
    assert {r["event"] for r in rows} == want
    assert all(r["source_line"].isdigit() for r in rows)
    status, headers, body = client.get("/id/position/jp/chief_joint_staff?download=events.json")
    data = json.loads(body)
    assert [b["event"]["value"] for b in data["results"]["bindings"]] == [r["event"] for r in rows]
    # the page's table shows the first rows in the same order, and says how many there are
    _, _, page = client.get("/id/position/jp/chief_joint_staff?lang=en", Accept="text/html")
    text = page.decode()
    assert f'<span class="count">({len(want)})</span>' in text
    first = rows[0]["event"].rsplit("/", 1)[1]
    assert text.index(first) < text.index(rows[min(5, len(rows) - 1)]["event"].rsplit("/", 1)[1])


def test_an_event_page_shows_its_item_highlighted_in_the_source(server, graph):
    client = Client(server.url)
    ev = JDXR + "event/2019-hl-bc1ffd4b25"  # 防衛相会談(6月、11月): a multi-date item
    facts = {
        q.predicate.value: q.object.value
        for q in graph.quads_for_pattern(ox.NamedNode(ev), None, None)
    }
    _, _, body = client.get("/id/event/2019-hl-bc1ffd4b25?lang=en", Accept="text/html")
    text = body.decode()
    assert f'<mark id="highlight">{pages.esc(facts[JDX + "sourceText"])}</mark>' in text
    assert f'<span id="source-line">{facts[JDX + "sourceLine"]}</span>' in text
    assert "【" + facts[JDX + "block"] + "】" in text
    assert "/id/event/2019-hl-f0cf54b0d3" in text.split('class="siblings"')[1]  # the November one
    assert 'data-flag="multi_date"' in text


def test_an_event_shows_no_excerpt_from_another_source(graph, tmp_path):
    wrong = tmp_path / "source.txt"
    wrong.write_text("another document\n" * 50, encoding="utf-8")
    site = pages.Site.from_files(graph, paths.ontology_dir() / "jdx.ttl", wrong)
    body = pages.render(site, JDXR + "event/2019-hl-bc1ffd4b25", "html", "en").body.decode()
    assert "<mark" not in body and "differs from the one the graph was built from" in body


def test_observations_show_their_figures_unit_and_line(server):
    client = Client(server.url)
    _, _, body = client.get("/id/budget/1/2020?lang=en", Accept="text/html")
    assert b"Unit: million yen" in body and b'id="source-line"' in body
    _, _, body = client.get("/id/students/2020/inbound/THA?lang=ja", Accept="text/html")
    assert "単位：人".encode() in body and b'id="source-line"' in body


def test_pages_load_nothing_from_elsewhere(server):
    client = Client(server.url)
    for path in (
        "/id/country/PHL",
        "/id/event/2019-hl-bc1ffd4b25",
        "/ontology",
        "/id/forum/shangri_la_dialogue",
    ):
        _, headers, body = client.get(path, Accept="text/html")
        text = body.decode()
        for attr in ("src=", "<link "):
            for part in text.split(attr)[1:]:
                target = part.split(">")[0]
                assert "http" not in target or 'rel="alternate"' in target, (path, target)
        assert headers["content-security-policy"].startswith("default-src 'self'")
    # links out are plain links (Wikidata)
    _, _, body = client.get("/id/country/PHL", Accept="text/html")
    assert b'<a class="out" href="http://www.wikidata.org/entity/' in body


# -- escaping: a graph whose texts are payloads (tests/serve/conftest.py) -----------------------


@pytest.mark.parametrize("iri", ["country/XYZ", "event/e1", "fy/2019", "country/NONE"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_text_is_escaped(payload_graph, payloads, iri, lang):
    """Labels, block, flag, flag note and source text are payloads (conftest.payload_graph)."""
    PAYLOADS = payloads  # noqa: N806
    store, src = payload_graph
    site = pages.Site.from_files(store, paths.ontology_dir() / "jdx.ttl", src)
    site.flag_notes = {PAYLOADS[1]: {"ja": PAYLOADS[0], "en": PAYLOADS[0]}}
    page = pages.render(site, JDXR + iri, "html", lang)
    text = page.body.decode()
    assert "<script>alert" not in text and "<img" not in text and "' onmouseover" not in text
    if iri != "country/NONE":
        assert page.status == 200
        assert pages.esc(PAYLOADS[0]) in text
    if iri == "event/e1":
        assert '<mark id="highlight">' + pages.esc(" ".join(PAYLOADS) + "(6月)") + "</mark>" in text
    # the download escapes nothing (it is data), but is what the SPARQL writers make of it
    if iri == "country/XYZ":
        got = pages.download(site, JDXR + iri, "events.csv", lang).body.decode()
        assert PAYLOADS[1].replace('"', '""') in got


def test_render_is_independent_of_http_and_deterministic(graph):
    site = pages.Site.from_files(
        graph, paths.ontology_dir() / "jdx.ttl", paths.data_dir() / "source.txt"
    )
    a = pages.render(site, JDXR + "country/AUS", "html", "en")
    site2 = pages.Site.from_files(
        graph, paths.ontology_dir() / "jdx.ttl", paths.data_dir() / "source.txt", base="../../"
    )
    b = pages.render(site2, JDXR + "country/AUS", "html", "en")
    assert a.body == pages.render(site, JDXR + "country/AUS", "html", "en").body
    assert b'href="/id/event/' in a.body and b'href="../../id/event/' in b.body
    assert (
        pages.render(site, JDXR + "country/AUS", "turtle").body
        == pages.render(site2, JDXR + "country/AUS", "turtle").body
    )


@pytest.mark.parametrize("iri", ["country/AUS", "fy/2022", "org/jp/mod", "indicator/measure_1"])
def test_the_table_holds_the_first_events_in_the_downloads_order(graph, iri):
    """FY by FY (what a page does) gives the same first rows as sorting them all."""
    site = pages.Site.from_files(graph, paths.ontology_dir() / "jdx.ttl")
    full_iri = JDXR + iri
    types = [t.value for t in site.out(full_iri)[pages.RDF_TYPE]]
    pattern = pages.events_pattern(site, full_iri, types)
    assert pattern is not None
    every = pages.ordered_events(site, pattern)
    fys = [f"{JDXR}fy/{y}" for y in range(2019, 2023)]
    for limit in (1, 7, 100):
        assert pages.ordered_events(site, pattern, limit, fys) == every[:limit], (iri, limit)
    assert len(every) == len(set(every)) > 50


# -- search by name and flags in words (kg.sparql.lookup, data/flags.csv) -----------------------


def test_every_page_carries_the_search_box(server):
    client = Client(server.url)
    for path in ("/id/country/PHL", "/id/office/chief_joint_staff", "/id/country/XXX", "/ontology"):
        _, _, body = client.get(path, Accept="text/html")
        assert b'<form class="search" role="search" action="/search"' in body, path


@pytest.mark.parametrize(
    "text", ["統幕長", "統合幕僚長", "Chief of Staff, Joint Staff", "chief_joint_staff"]
)
def test_search_finds_the_office_by_any_of_its_names(server, text):
    """data/gazetteer/jp_offices.csv: 統合幕僚長, alias 統幕長, English name; the code."""
    client = Client(server.url)
    status, _, body = client.get("/search?q=" + urllib.parse.quote(text) + "&type=office")
    assert status == 200
    page = body.decode()
    first = page.split('id="search-results"', 1)[1].split("<tr>")[2]  # the first hit's row
    assert 'href="/id/position/jp/chief_joint_staff"' in first


def test_search_ranks_a_country_first_for_its_one_character_name(server):
    client = Client(server.url)
    for text in ("豪", "オーストラリア", "Australia"):
        _, _, body = client.get("/search?q=" + urllib.parse.quote(text) + "&lang=en")
        first = body.decode().split('id="search-results"', 1)[1].split("<tr>")[2]
        assert 'href="/id/country/AUS"' in first, text


def test_search_says_when_nothing_matches_and_refuses_unknown_parameters(server):
    client = Client(server.url)
    status, _, body = client.get("/search?q=zzzzqqqq&lang=en")
    assert status == 200 and b"Nothing matches" in body
    assert client.get("/search?q=x&limit=5")[0] == 400
    assert client.get("/search?q=x&type=planet")[0] == 400
    status, _, body = client.get("/search?q=" + urllib.parse.quote('"><script>alert(1)</script>'))
    assert status == 200 and b"<script>alert" not in body


def test_an_event_explains_its_flags_in_words(server):
    """The UK video 2+2 of 令和3年2月 (FY2020) has the Minister by the 2+2 rule."""
    with (paths.data_dir() / "events.csv").open(encoding="utf-8") as f:
        row = next(
            r
            for r in csv.DictReader(f)
            if "actor_inferred" in r["flags"]
            and r["countries"] == "GBR"
            and r["fiscal_year"] == "2020"
        )
    client = Client(server.url)
    _, _, body = client.get(f"/id/event/{row['id']}?lang=en", Accept="text/html")
    page = body.decode()
    assert "comes from a rule" in page  # data/flags.csv's meaning_en of actor_inferred
    _, _, body = client.get(f"/id/event/{row['id']}?lang=ja", Accept="text/html")
    assert "規則" in body.decode()


def test_the_source_document_names_its_publisher_and_checksum(server, graph):
    """The header prints (防衛省05-①): the Ministry of Defense publishes it."""
    import hashlib

    sha = hashlib.sha256((paths.data_dir() / "source.txt").read_bytes()).hexdigest()
    client = Client(server.url)
    status, _, body = client.get(f"/id/source/{sha[:16]}?lang=en", Accept="text/html")
    page = body.decode()
    assert status == 200 and sha in page and "防衛省05-①" in page
    assert 'href="/id/org/jp/mod"' in page and "Ministry of Defense (Japan)" in page


def test_a_persons_page_lists_the_events_where_they_held_the_office(server, graph):
    """岸信夫 (Minister of Defense 2020-09-16 to 2022-08-10, data/gazetteer/office_holders.csv):
    their page's events are the graph's events with them as participant or candidate."""
    iri = JDXR + "person/kishi_nobuo"
    preds = ("participantPerson", "candidateParticipant")
    expected = {
        q.subject.value
        for p in preds
        for q in graph.quads_for_pattern(None, ox.NamedNode(JDX + p), ox.NamedNode(iri))
    }
    assert len(expected) > 20
    client = Client(server.url)
    status, _, body = client.get("/id/person/kishi_nobuo?lang=en", Accept="text/html")
    assert status == 200 and "Kishi" in body.decode()
    _, _, data = client.get("/id/person/kishi_nobuo?download=events.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["event"] for r in rows} == expected
    assert all(r["date"][:7] >= "2020-09" and r["date"][:7] <= "2022-08" for r in rows if r["date"])


def _section(page: str, table_id: str) -> list[list[str]]:
    """The rows of the page's table ``table_id`` (body and foot): each cell's text."""
    start = page.index(f'id="{table_id}"')
    table = page[start : page.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("</thead>", 1)[1], re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


def test_a_persons_page_shows_their_appointments_with_precision_and_sources(server):
    """岸信夫: Minister of Defense from 2020-09-16 (news24.jp) to 2022-08-10 (boueinews.com);
    木村次郎: only shown in office on 16-20 February 2023 (mod.go.jp), both bounds ``by``."""
    client = Client(server.url)
    _, _, body = client.get("/id/person/kishi_nobuo?lang=en", Accept="text/html")
    page = body.decode()
    [row] = _section(page, "appointments-table")
    assert row[0] == "Minister of Defense"
    assert row[1] == "2020-09-16 (day confirmed)" and row[2] == "2022-08-10 (day confirmed)"
    for url in (
        "https://www.news24.jp/nnn/news87013056.html",
        "https://boueinews.com/old/news/2022/20220901_1.html",
    ):
        assert f'class="out" href="{url}"' in page
    _, _, body = client.get("/id/person/kimura_jiro?lang=ja", Accept="text/html")
    [row] = _section(body.decode(), "appointments-table")
    assert row[1:3] == ["2023-02-16 (この日の在任のみ確認)", "2023-02-20 (この日の在任のみ確認)"]


def test_a_persons_events_per_fy_split_confirmed_from_candidate(server, graph):
    """The FY table counts the graph's events of the person, certain and candidate apart."""
    iri = ox.NamedNode(JDXR + "person/kishi_nobuo")
    want: dict[str, list[int]] = {}
    for pred, slot in (("participantPerson", 0), ("candidateParticipant", 1)):
        for q in graph.quads_for_pattern(None, ox.NamedNode(JDX + pred), iri):
            [fy] = graph.quads_for_pattern(q.subject, ox.NamedNode(JDX + "fiscalYear"), None)
            want.setdefault(fy.object.value.rsplit("/", 1)[-1], [0, 0])[slot] += 1
    client = Client(server.url)
    _, _, body = client.get("/id/person/kishi_nobuo?lang=en", Accept="text/html")
    rows = _section(body.decode(), "person-fy")
    got = {r[0][2:]: [int(r[1] or 0), int(r[2] or 0)] for r in rows[:-1]}
    assert got == want and set(got) == {"2020", "2021", "2022"}
    # September 2020 (handover on the 16th) and August 2022 (on the 10th): candidates
    assert got["2020"][1] > 0 and got["2022"][1] > 0
    assert rows[-1][1:] == [
        str(sum(v[0] for v in want.values())),
        str(sum(v[1] for v in want.values())),
        str(sum(map(sum, want.values()))),
    ]


def test_a_persons_page_says_whom_they_met(server):
    """Read off line 42: Australia's minister met 岩屋 in June 2019 (防衛相会談(6月),
    日米豪防衛相会談(6月)) and 岸 in October 2020 (防衛相会談(10月), 防衛相電話会談(5月、10月):
    the October call); Linda Reynolds was minister from 29 May 2019 to 30 March 2021."""
    client = Client(server.url)
    _, _, body = client.get("/id/person/linda_reynolds?lang=en", Accept="text/html")
    met = {r[0]: r[1:] for r in _section(body.decode(), "met-people")}
    assert met["Iwaya Takeshi (Minister of Defense)"] == ["2", "", "2"]
    assert met["Kishi Nobuo (Minister of Defense)"] == ["2", "", "2"]
    # ... and 岸's page lists her among the people he met, with her office
    _, _, body = client.get("/id/person/kishi_nobuo?lang=en", Accept="text/html")
    met = {r[0]: r[1:] for r in _section(body.decode(), "met-people")}
    assert met["Linda Reynolds (Minister for Defence (Australia))"] == ["2", "", "2"]
    # 日豪防衛相電話会談(8月), FY2022: 岸 handed over to 浜田 on 10 August, so a candidate
    assert met["Richard Marles (Minister for Defence (Australia))"][1] == "1"


@pytest.mark.skipif(
    not shutil.which("chromium") and not Path("/usr/bin/chromium").exists(), reason="no chromium"
)
def test_a_persons_page_in_the_browser(browser, recording, server):
    with recording(browser) as page:
        page.goto(server.url + "id/person/kishi_nobuo?lang=ja")
        assert page.inner_text("h1") == "岸信夫"
        assert page.locator("#appointments-table tbody tr").count() == 1
        assert page.locator("#met-people tbody tr").count() >= 5
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / "pages_person.png"
        page.screenshot(path=str(path), full_page=False)
        assert path.stat().st_size > 10_000
        assert page.outside == [] and page.errors == []
