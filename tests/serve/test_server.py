"""`kg serve`: the SPARQL 1.1 Protocol endpoint, driven by SPARQLWrapper as a client.

Each result format; CONSTRUCT/DESCRIBE as Turtle and JSON-LD; SPARQL Update refused; a runaway
query stopped by the time limit; the row limit; named queries with parameters; and injection
attempts, which must change nothing, fetch nothing and leak nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from http.client import HTTPConnection
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from kg import paths
from kg.serve.server import Refused, ServerConfig, check_query, running

DATA = paths.data_dir()
JDX = "https://w3id.org/jdx/ontology#"
PREFIXES = (
    "PREFIX jdx: <https://w3id.org/jdx/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
MAX_ROWS = 2_000
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def store() -> ox.Store:
    nt = DATA / "kg.nt"
    assert nt.is_file(), "data/kg.nt is missing: run `kg build` first"
    s = ox.Store()
    s.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    return s


class Listener:
    """A TCP listener on loopback that records every connection: the 'remote' URL of attacks."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.stop = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _loop(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def server(store):
    # isolate=False: the workers keep the machine's network, so the checks on query text are
    # tested on their own (with isolation on, a missed SERVICE would fail quietly instead).
    cfg = ServerConfig(
        data_dir=DATA, port=0, timeout=TIMEOUT, max_rows=MAX_ROWS, quiet=True, isolate=False
    )
    with running(cfg) as srv:
        yield srv


@pytest.fixture()
def endpoint(server) -> str:
    return server.url + "sparql"


def wrapper(endpoint: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None):
    """(status, headers, body) of a plain request, errors included."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def post_form(endpoint: str, headers: dict[str, str] | None = None, **fields: str):
    return http(endpoint, urllib.parse.urlencode(fields).encode(), headers)


def triple_count(endpoint: str) -> int:
    sw = wrapper(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON)
    return int(sw.queryAndConvert()["results"]["bindings"][0]["n"]["value"])


COUNTRIES = PREFIXES + (
    "SELECT ?c ?label WHERE { ?c a jdx:Country ; jdx:iso3 ?iso ; rdfs:label ?label "
    'FILTER(LANG(?label) = "en") } ORDER BY ?iso'
)


# --------------------------------------------------------------------------------------
#  Result formats
# --------------------------------------------------------------------------------------


def test_select_json_get_and_post(endpoint, store):
    expected = [str(s["c"].value) for s in store.query(COUNTRIES)]
    for method in ("GET", "POST"):
        res = wrapper(endpoint, COUNTRIES, JSON, method).queryAndConvert()
        assert res["head"]["vars"] == ["c", "label"]
        rows = res["results"]["bindings"]
        assert [r["c"]["value"] for r in rows] == expected
        assert rows[0]["c"]["type"] == "uri"
        assert rows[0]["label"] == {"type": "literal", "value": rows[0]["label"]["value"]} | {
            "xml:lang": "en"
        }
    aus = next(r for r in rows if r["c"]["value"].endswith("/AUS"))
    assert aus["label"]["value"] == "Australia"


def test_select_json_posted_directly(endpoint):
    sw = wrapper(endpoint, COUNTRIES, JSON, POST)
    sw.setRequestMethod(POSTDIRECTLY)  # Content-Type: application/sparql-query
    assert len(sw.queryAndConvert()["results"]["bindings"]) > 10


def test_select_xml(endpoint, store):
    doc = wrapper(endpoint, COUNTRIES, XML).queryAndConvert()  # an xml.dom Document
    ns = "http://www.w3.org/2005/sparql-results#"
    assert [v.getAttribute("name") for v in doc.getElementsByTagNameNS(ns, "variable")] == [
        "c",
        "label",
    ]
    results = doc.getElementsByTagNameNS(ns, "result")
    assert len(results) == len(list(store.query(COUNTRIES)))
    literal = results[0].getElementsByTagNameNS(ns, "literal")[0]
    assert literal.getAttribute("xml:lang") == "en"


def test_select_csv(endpoint, store):
    body = wrapper(endpoint, COUNTRIES, CSV).queryAndConvert()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["c", "label"]
    assert len(rows) - 1 == len(list(store.query(COUNTRIES)))
    assert ["https://w3id.org/jdx/id/country/AUS", "Australia"] in rows


def test_select_tsv(endpoint):
    sw = wrapper(endpoint, COUNTRIES, TSV)
    res = sw.query()
    assert res.info()["content-type"].startswith("text/tab-separated-values")
    lines = res.convert().decode("utf-8").splitlines()
    assert lines[0] == "?c\t?label"
    assert '<https://w3id.org/jdx/id/country/AUS>\t"Australia"@en' in lines


def test_select_japanese_labels_round_trip(endpoint):
    q = PREFIXES + (
        "SELECT ?label WHERE { <https://w3id.org/jdx/id/country/AUS> rdfs:label ?label "
        'FILTER(LANG(?label) = "ja") }'
    )
    for fmt in (JSON, CSV):
        res = wrapper(endpoint, q, fmt).queryAndConvert()
        text = json.dumps(res, ensure_ascii=False) if fmt == JSON else res.decode("utf-8")
        assert "オーストラリア" in text


def test_ask(endpoint):
    yes = PREFIXES + "ASK { ?c a jdx:Country }"
    no = PREFIXES + "ASK { ?e a jdx:NoSuchClass }"
    assert wrapper(endpoint, yes, JSON).queryAndConvert()["boolean"] is True
    assert wrapper(endpoint, no, JSON).queryAndConvert()["boolean"] is False
    doc = wrapper(endpoint, yes, XML).queryAndConvert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "true"


CONSTRUCT = PREFIXES + (
    "CONSTRUCT { ?c rdfs:label ?l ; jdx:iso3 ?iso } WHERE { ?c a jdx:Country ; rdfs:label ?l ; "
    "jdx:iso3 ?iso }"
)


def test_construct_turtle(endpoint, store):
    body = wrapper(endpoint, CONSTRUCT, TURTLE).queryAndConvert()
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert len(g) == len(list(store.query(CONSTRUCT)))
    aus = rdflib.URIRef("https://w3id.org/jdx/id/country/AUS")
    assert (aus, rdflib.RDFS.label, rdflib.Literal("オーストラリア", lang="ja")) in g


def test_describe_jsonld_turtle_same_graph(endpoint):
    q = "DESCRIBE <https://w3id.org/jdx/id/country/AUS>"
    res = wrapper(endpoint, q, JSONLD).query()
    assert res.info()["content-type"].startswith("application/ld+json")
    raw = res.response.read()
    doc = json.loads(raw)
    assert isinstance(doc["@context"], dict)  # inline: nothing to fetch
    assert doc["@context"]["jdx"] == JDX
    from_jsonld = rdflib.Graph().parse(data=raw, format="json-ld")
    ttl = wrapper(endpoint, q, TURTLE).queryAndConvert()
    from_ttl = rdflib.Graph().parse(data=ttl, format="turtle")
    assert len(from_jsonld) >= 5
    assert isomorphic(from_jsonld, from_ttl)


def test_content_negotiation_and_format_parameter(endpoint):
    q = urllib.parse.quote(PREFIXES + "SELECT ?c WHERE { ?c a jdx:Country } LIMIT 3")
    status, headers, _ = http(f"{endpoint}?query={q}", headers={"Accept": "text/csv;q=0.5, */*"})
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    status, headers, _ = http(f"{endpoint}?query={q}", headers={"Accept": "text/csv"})
    assert headers["Content-Type"].startswith("text/csv")
    status, headers, _ = http(f"{endpoint}?query={q}&format=tsv")
    assert headers["Content-Type"].startswith("text/tab-separated-values")
    status, _, body = http(f"{endpoint}?query={q}", headers={"Accept": "image/png"})
    assert status == 406 and b"application/sparql-results+json" in body


# --------------------------------------------------------------------------------------
#  Read-only, limits
# --------------------------------------------------------------------------------------


def test_update_refused(endpoint):
    before = triple_count(endpoint)
    insert = "INSERT DATA { <https://example.org/s> <https://example.org/p> 'x' }"
    sw = wrapper(endpoint, insert, JSON, POST)  # SPARQLWrapper sends it as update=
    assert sw.isSparqlUpdateRequest()
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403
    for attempt in (
        {"query": insert},
        {"query": "DELETE WHERE { ?s ?p ?o }"},
        {"query": "DROP ALL"},
        {"query": "CLEAR DEFAULT"},
        {"update": "DELETE WHERE { ?s ?p ?o }"},
    ):
        status, _, body = post_form(endpoint, **attempt)
        assert status == 403, attempt
        assert b"read-only" in body
    status, _, _ = http(
        endpoint, b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert status == 403
    status, _, _ = http(
        endpoint + "?query=" + urllib.parse.quote(insert), headers={"Accept": "*/*"}
    )
    assert status == 403
    assert triple_count(endpoint) == before


def test_runaway_query_is_stopped(endpoint, server):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    stopped = server.health()["queries_stopped"]
    t0 = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as err:
        wrapper(endpoint, runaway, JSON).query()
    elapsed = time.monotonic() - t0
    assert err.value.code == 503
    assert b"time limit" in err.value.read()
    assert TIMEOUT <= elapsed < TIMEOUT + 3
    assert server.health()["queries_stopped"] == stopped + 1
    # the killed worker is replaced; the endpoint keeps answering
    for _ in range(4):
        assert triple_count(endpoint) > 10_000


def test_result_size_limit(endpoint):
    q = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }")
    status, headers, body = http(f"{endpoint}?query={q}")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    assert headers["KG-Truncated"].startswith("true")
    q = urllib.parse.quote("CONSTRUCT WHERE { ?s ?p ?o }")
    status, headers, body = http(f"{endpoint}?query={q}", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["KG-Truncated"].startswith("true")
    assert len(rdflib.Graph().parse(data=body, format="turtle")) == MAX_ROWS
    small = urllib.parse.quote(COUNTRIES)
    _, headers, _ = http(f"{endpoint}?query={small}")
    assert "KG-Truncated" not in headers


def test_bad_query_is_a_400_with_the_reason(endpoint):
    with pytest.raises(Exception) as err:  # SPARQLWrapper: QueryBadFormed
        wrapper(endpoint, "SELECT ?x WHERE { ?x ", JSON).query()
    assert "QueryBadFormed" in type(err.value).__name__


# --------------------------------------------------------------------------------------
#  Named queries and parameters
# --------------------------------------------------------------------------------------


def test_named_queries_listed(server):
    status, headers, body = http(server.url + "api/queries")
    assert status == 200
    listed = {q["name"]: q for q in json.loads(body)}
    assert "events_by_country_year" in listed
    q = listed["events_by_country_year"]
    assert q["question_ja"] and q["question_en"] and "SELECT" in q["text"].upper()
    assert q["variables"] == ["country", "label_en", "fy", "events"]
    assert "path" not in q  # no file system paths
    assert listed["country_timeline"]["params"]["country"]["kind"] == "iso3"
    # each parameter's meaning and allowed values, or the command that lists them
    actor = listed["actor_counterparts"]["params"]["actor"]["help"]
    assert actor["lister"] == "kg lookup --type office" and "kg lookup" in actor["text"]
    fy = listed["new_partners"]["params"]["fy"]["help"]
    assert fy["values"] == ["2019", "2020", "2021", "2022"]


def test_prefixes_listed(server):
    """The query page shortens IRIs with these: the project's prefixes, as queries know them."""
    from kg.model.vocab import PREFIX_IRIS

    status, headers, body = http(server.url + "api/prefixes")
    assert status == 200 and headers["Content-Type"] == "application/json"
    prefixes = json.loads(body)
    assert prefixes["jdx"] == JDX and prefixes["jdxr"] == "https://w3id.org/jdx/id/"
    assert prefixes == PREFIX_IRIS


def named(endpoint: str, name: str, fmt: str = "json", **params: str):
    query = urllib.parse.urlencode({"name": name, "format": fmt, **params})
    return http(f"{endpoint}?{query}")


def test_named_query_runs_by_name(endpoint):
    status, _, body = named(endpoint, "events_by_country_year")
    assert status == 200
    res = json.loads(body)
    assert res["head"]["vars"] == ["country", "label_en", "fy", "events"]
    assert any(b["label_en"]["value"] == "Australia" for b in res["results"]["bindings"])


def test_named_query_parameter_bound(endpoint, store):
    status, _, body = named(endpoint, "country_timeline", country="AUS")
    assert status == 200, body
    aus = json.loads(body)["results"]["bindings"]
    status, _, body = named(endpoint, "country_timeline", country="KOR")
    kor = json.loads(body)["results"]["bindings"]
    assert aus and kor and aus != kor
    texts = {b["text"]["value"] for b in aus if "text" in b}
    assert any("豪" in t or "オーストラリア" in t for t in texts)


@pytest.mark.parametrize(
    ("name", "param", "value", "canonical"),
    [
        ("country_timeline", "country", "aus", "AUS"),
        ("country_timeline", "country", " AUS\n", "AUS"),
        ("new_partners", "fy", "FY2022", "2022"),
        (
            "forum_edition_meetings",
            "edition",
            "jdxr:forum/shangri_la_dialogue/19",
            "https://w3id.org/jdx/id/forum/shangri_la_dialogue/19",
        ),
    ],
)
def test_parameters_take_what_kg_query_takes(endpoint, name, param, value, canonical):
    """The forms kg query takes (lower-case ISO3, FY2022, jdxr:…) give the canonical's rows."""
    status, _, body = named(endpoint, name, **{param: value})
    assert status == 200, body
    status2, _, body2 = named(endpoint, name, **{param: canonical})
    assert status2 == 200 and json.loads(body) == json.loads(body2)
    assert json.loads(body)["results"]["bindings"], (name, value)


def test_unknown_parameters_are_refused_as_kg_query_refuses_them(endpoint):
    status, _, body = named(endpoint, "country_timeline", country="AUS", contry="PHL")
    assert status == 400 and b"'contry'" in body and b"country" in body
    status, _, body = http(endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}", "x": "1"}))
    assert status == 400 and b"'x'" in body


def test_a_syntax_error_says_where_with_a_caret(endpoint):
    status, _, body = http(
        endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?x\nWHERE { ?x ?y }"})
    )
    text = body.decode()
    assert status == 400 and "line 2, column" in text, text
    quoted, caret = text.splitlines()[-2:]
    assert quoted == "    WHERE { ?x ?y }" and caret.strip() == "^"


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("country_timeline", "country", 'AUS" } ?s ?p ?o { "'),
        ("country_timeline", "country", "AUS> } UNION { ?s ?p ?o"),
        ("country_timeline", "country", "AUSTRALIA"),
        ("country_timeline", "country", ""),
        ("new_partners", "fy", "2022 } UNION { ?s ?p ?o"),
        ("new_partners", "fy", "2018"),
        ("new_partners", "fy", "２０２２"),
        ("actor_counterparts", "actor", "minister' } DROP ALL { '"),
        ("actor_counterparts", "actor", "Minister"),
        ("provenance", "event", "https://w3id.org/jdx/id/event/x> . ?s ?p ?o . <x"),
        ("provenance", "event", "http://127.0.0.1:1/x"),
        ("provenance", "event", "https://w3id.org/jdx/id/"),
    ],
)
def test_parameter_injection_refused(endpoint, name, param, value):
    status, headers, body = named(endpoint, name, **{param: value})
    assert status == 400, (value, body)
    assert headers["Content-Type"].startswith("text/plain")
    assert b"Traceback" not in body and str(Path.cwd()).encode() not in body


# --------------------------------------------------------------------------------------
#  No query makes the server fetch a URL; nothing leaks; nothing changes
# --------------------------------------------------------------------------------------


def test_listener_would_see_a_fetch(listener):
    """The guard below is meaningful: pyoxigraph alone does fetch a SERVICE URL."""
    before = listener.hits
    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
    time.sleep(0.3)
    assert listener.hits > before


def attacks(url: str) -> list[dict[str, str]]:
    pfx = f"PREFIX ex: <{url}>\n"
    q = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        pfx + "SELECT * WHERE { ex:a\\# SERVICE ex:sparql { ?s ?p ?o } }",
        pfx + "SELECT * WHERE { { SELECT * WHERE { SERVICE ex:x { ?s ?p ?o } } } }",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<?p)SERVICE<{url}>{{?a ?b ?c}} }}",
        # a \u escape in an IRI, then "#": a naive scan would take the rest of the line
        # for a comment; Oxigraph reads an IRI and a SERVICE clause
        f"SELECT * WHERE {{ ?s <http://x/\\u0041#> ?o SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?x {{ <rdf:\\u0041#> }} SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        pfx + "SELECT * FROM ex:data WHERE { ?s ?p ?o }",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}> WHERE {{ ?s ?p ?o }}",
        f"LOAD <{url}>",
        f"LOAD SILENT <{url}> INTO GRAPH <{url}>",
    ]
    out: list[dict[str, str]] = [{"query": x} for x in q]
    out.append({"update": f"LOAD <{url}>"})
    out.append({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": url})
    out.append({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "named-graph-uri": url})
    return out


def test_token_scan_alone_refuses_service_and_from(listener):
    """The scan the server runs before a query reaches a worker catches every attack by itself
    (the worker repeats it and, where "service" occurs, also parses with rdflib)."""
    for attack in attacks(listener.url):
        text = attack.get("query") or attack.get("update")
        if "default-graph-uri" in attack or "named-graph-uri" in attack:
            continue
        with pytest.raises(Refused):
            check_query(text)


def test_no_query_fetches_a_url(endpoint, listener):
    before_triples = triple_count(endpoint)
    before = listener.hits
    for attack in attacks(listener.url):
        status, headers, body = post_form(endpoint, **attack)
        assert status in (400, 403), attack
        assert headers["Content-Type"].startswith("text/plain")
    # the same through a named query's edited text (prepared with parameters in a worker)
    for attack in attacks(listener.url):
        if "query" in attack and "SERVICE" in attack["query"].upper():
            text = "# param: country iso3 ?country\n" + attack["query"]
            status, _, body = post_form(
                endpoint, query=text, name="country_timeline", country="AUS"
            )
            assert status in (400, 403), (attack, body)
    # a JSON-LD answer asked for with a remote context profile: the context stays inline
    status, _, body = post_form(
        endpoint,
        headers={"Accept": f'application/ld+json;profile="{listener.url}context.jsonld"'},
        query="DESCRIBE <https://w3id.org/jdx/id/country/AUS>",
    )
    assert status == 200 and listener.url.encode() not in body
    time.sleep(0.5)
    assert listener.hits == before
    assert triple_count(endpoint) == before_triples


def test_nothing_leaks(server, endpoint):
    url = server.url
    for path in (
        "static/../server.py",
        "static/%2e%2e/server.py",
        "static/..%2fserver.py",
        "static/app.js%00",
        "static/",
        "../pyproject.toml",
        "static/../../../../etc/passwd",
        "data/kg.nt",
    ):
        status, headers, body = http(url + path)
        assert status == 404, path
        assert b"import " not in body and b"root:" not in body
    status, headers, body = http(url + "static/app.js")
    assert status == 200
    assert "Python" not in headers.get("Server", "")
    # an engine error: the message names the query's fault, not the server's internals
    status, headers, body = post_form(endpoint, query="SELECT * WHERE { ?s ?p ")
    assert status == 400
    assert b"Traceback" not in body and b"/site-packages/" not in body
    assert str(DATA).encode() not in body
    # data that looks like markup comes back as data, in a JSON answer that is not sniffed
    q = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    status, headers, body = post_form(endpoint, query=q)
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"].startswith("<script>")


def test_headers_and_binding(server, endpoint):
    status, headers, body = http(server.url)
    assert status == 200 and b"<textarea" in body
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert server.server_address[0] == "127.0.0.1"
    assert ServerConfig().host == "127.0.0.1"
    # a request naming another host (DNS rebinding) is refused
    status, _, _ = http(server.url + "health", headers={"Host": "attacker.example:80"})
    assert status == 421
    # no other method than GET/POST changes anything
    req = urllib.request.Request(endpoint, method="PUT", data=b"x")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 405
    # an oversized body is refused before it is read
    host, port = server.server_address[:2]
    conn = HTTPConnection(host, port, timeout=10)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Type", "application/sparql-query")
    conn.putheader("Content-Length", str(2 << 20))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()


def test_workers_isolated_where_possible():
    """With the default config, workers report their network isolation (Linux namespaces)."""
    with running(ServerConfig(data_dir=DATA, port=0, quiet=True, workers=1)) as srv:
        isolation = srv.health()["worker_network"]
    if isolation != "isolated":
        warnings.warn(f"query workers not network-isolated here: {isolation}", stacklevel=1)
    assert isolation.startswith(("isolated", "not isolated"))


def test_latency(endpoint):
    """Named queries through the endpoint answer quickly (median of 5 runs each)."""
    timings = {}
    for name, params in [
        ("events_by_country_year", {}),
        ("mode_share_by_year", {}),
        ("forum_hubs", {}),
        ("country_timeline", {"country": "AUS"}),
    ]:
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            status, _, _ = named(endpoint, name, **params)
            runs.append(time.perf_counter() - t0)
            assert status == 200
        timings[name] = statistics.median(runs)
    print({k: f"{v * 1000:.1f} ms" for k, v in timings.items()})
    assert max(timings.values()) < 1.0


def test_memory_hungry_query_stops_its_worker_only():
    cfg = ServerConfig(data_dir=DATA, port=0, timeout=20, quiet=True, workers=1, memory_mb=512)
    with running(cfg) as srv:
        hungry = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d LIMIT 1"
        status, _, body = post_form(srv.url + "sparql", query=hungry)
        assert status in (500, 503), body
        assert b"Traceback" not in body
        assert triple_count(srv.url + "sparql") > 10_000  # a fresh worker answers


def test_named_queries_bind_as_kg_query_does(endpoint, store):
    """Every named query, with its documented example's parameters, gives through the endpoint
    the rows that kg.sparql.binding.prepare's text gives on the same engine."""
    import re

    from kg.sparql.binding import prepare
    from kg.sparql.catalogue import list_queries

    for q in list_queries():
        params = dict(re.findall(r"(\w+)=(\S+)", q.example))
        status, _, body = named(endpoint, q.name, fmt="tsv", **params)
        assert status == 200, (q.name, body)
        lines = body.decode("utf-8").splitlines()
        assert lines[0].split("\t") == [f"?{v}" for v in q.variables], q.name
        text, _, _ = prepare(q, params)
        res = store.query(text)
        expected = sorted(
            "\t".join("" if s[v] is None else str(s[v]) for v in q.variables) for s in res
        )
        assert sorted(lines[1:]) == expected, q.name


@pytest.mark.parametrize(
    "argv,fields",
    [
        (["country_timeline", "-p", "country=NLD"], {"name": "country_timeline", "country": "NLD"}),
        (["events_by_country_year"], {"name": "events_by_country_year"}),
        (
            [COUNTRIES.replace("\n", " ")],
            {"query": COUNTRIES.replace("\n", " ")},
        ),
        (["ASK { ?c a jdx:Country }"], {"query": "ASK { ?c a jdx:Country }"}),
    ],
)
@pytest.mark.parametrize("fmt", ["tsv", "csv", "excel"])
def test_kg_query_writes_what_the_endpoint_answers(endpoint, capsys, argv, fields, fmt):
    """One writer per format: `kg query -f tsv` (rdflib terms, on the store) and the endpoint
    (pyoxigraph terms, in a worker) give the same bytes for the same query; `-f csv --excel`
    and the page's "CSV (Excel)" download the same CSV behind a UTF-8 byte-order mark."""
    from kg.cli import main

    cli_format = ["-f", "csv", "--excel"] if fmt == "excel" else ["-f", fmt]
    assert main(["query", *argv, *cli_format]) == 0
    ours = capsys.readouterr().out.encode()
    status, _, body = http(f"{endpoint}?{urllib.parse.urlencode({**fields, 'format': fmt})}")
    assert status == 200, body
    assert ours.strip() and ours == body


def test_binding_parameters_is_under_the_time_limit_too(endpoint):
    """Edited named-query text is prepared in a worker: a costly one is stopped like any query,
    and the server keeps answering meanwhile."""
    values = " ".join(str(i) for i in range(3000))
    heavy = (
        "# param: country iso3 ?country\n"
        f"ASK {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} "
        "FILTER(?a + ?b + ?c < 0) }"
    )
    result: dict[str, object] = {}

    def slow() -> None:
        t0 = time.monotonic()
        result["status"] = post_form(endpoint, query=heavy, name="country_timeline", country="AUS")[
            0
        ]
        result["elapsed"] = time.monotonic() - t0

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    t0 = time.monotonic()
    assert triple_count(endpoint) > 10_000  # the other worker answers at once
    assert time.monotonic() - t0 < 1.0
    thread.join(TIMEOUT + 5)
    assert result["status"] == 503
    assert result["elapsed"] < TIMEOUT + 2


@pytest.mark.parametrize("content", ["", "<https://w3id.org/jdx/id/a> <bro"])
def test_a_missing_or_broken_graph_file_stops_kg_serve_with_a_message(tmp_path, capsys, content):
    """No traceback: the command says which file and which line, and exits 2."""
    from kg.cli import main

    if content:
        (tmp_path / "kg.nt").write_text(content, encoding="utf-8")
    code = main(["serve", "--data", str(tmp_path), "--port", "0", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    if content:
        assert "cannot load" in err and "kg.nt" in err and "line 1" in err
    else:
        assert "kg.nt not found" in err
    assert "Traceback" not in err


def test_the_excel_csv_is_the_csv_behind_a_byte_order_mark(endpoint):
    q = urllib.parse.quote(
        "SELECT ?l WHERE { <https://w3id.org/jdx/id/country/JPN> rdfs:label ?l } ORDER BY ?l"
    )
    _, _, csv_body = http(f"{endpoint}?query={q}&format=csv")
    status, headers, excel = http(f"{endpoint}?query={q}&format=excel")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert excel == b"\xef\xbb\xbf" + csv_body
    assert "日本" in excel.decode("utf-8-sig")


# -- the built views, served read-only at /views/ (issue 14, item 2) --------------------------


@pytest.fixture(scope="module")
def views_server(tmp_path_factory, facts):
    """kg serve over a data folder holding the build's graph and one view in views/."""
    from kg.viz import views as viz

    folder = tmp_path_factory.mktemp("data")
    for name in ("kg.nt", "context.jsonld", "source.txt", "types.csv", "gazetteer"):
        (folder / name).symlink_to(DATA / name)
    G = viz.build_view(facts, "office_country", fy=2022)
    viz.write_view(G, folder / "views" / "office_country.html")
    (folder / "views" / "index.html").write_text("<!DOCTYPE html><p>views</p>", encoding="utf-8")
    (folder / "views" / "office_country.json").write_text("{}", encoding="utf-8")
    (folder / "views" / ".secret.html").write_text("not-to-be-served", encoding="utf-8")
    cfg = ServerConfig(data_dir=folder, port=0, timeout=10.0, workers=1, quiet=True)
    with running(cfg) as srv:
        yield srv, folder


def raw_get(server, path: str) -> tuple[int, bytes]:
    """A GET of ``path`` exactly as written (urllib would normalize ``..``)."""
    host, port = server.server_address[:2]
    conn = HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def test_views_are_served_as_built_under_their_own_policy(views_server):
    srv, folder = views_server
    page = folder / "views" / "office_country.html"
    status, headers, body = http(srv.url + "views/office_country.html")
    assert status == 200 and body == page.read_bytes()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    meta = re.search(rb'http-equiv="Content-Security-Policy" content="([^"]+)"', body)
    assert headers["Content-Security-Policy"] == meta.group(1).decode()
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    status, headers, body = http(srv.url + "views/")
    assert status == 200 and body == b"<!DOCTYPE html><p>views</p>"
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")  # no meta: ours
    # the next answer on the server is back under the server's own policy
    status, headers, _ = http(srv.url + "health")
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    for path in (
        "/views/../kg.nt",
        "/views/%2e%2e/kg.nt",
        "/views/..%2fkg.nt",
        "/views/office_country.json",
        "/views/.secret.html",
        "/views/nothing.html",
        "/views//etc/passwd",
    ):
        status, body = raw_get(srv, path)
        assert status == 404, path
        assert b"not-to-be-served" not in body and b"<https://" not in body
    status, body = raw_get(srv, "/views/nothing.html")
    assert b"kg build" in body and b"kg viz" in body


def test_a_served_views_panel_opens_the_nodes_page(browser, views_server, recording):
    srv, _ = views_server
    with recording(browser) as pg:
        pg.goto(srv.url + "views/office_country.html")
        pg.wait_for_selector("html[data-kg-stable]", state="attached", timeout=60_000)
        pg.fill("#kg-q", "オーストラリア")
        pg.press("#kg-q", "Enter")
        link = pg.locator("#kg-info a.kg-open")
        assert link.get_attribute("href") == "/id/country/AUS"
        with pg.expect_navigation():
            link.click()
        assert pg.url == srv.url + "id/country/AUS"
        assert "オーストラリア" in pg.inner_text("h1")
        assert pg.outside == [] and pg.errors == []
