"""`kg push` and `kg query --endpoint` against a real Oxigraph server on a loopback port."""

from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import pytest
from servers import free_port, running

from kg import paths
from kg.cli import main
from kg.sparql import run as Q
from kg.store import remote as R
from kg.store.push import ONTOLOGY_GRAPH, push, split_by_document

ROOT = paths.REPO
NT = ROOT / "data" / "kg.nt"
JDX = "https://w3id.org/jdx/ontology#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EXAMPLE_PARAMS = {
    "country_timeline": {"country": "PHL"},
    "actor_counterparts": {"actor": "chief_joint_staff"},
    "new_partners": {"fy": "2022"},
    "forum_edition_meetings": {"edition": "https://w3id.org/jdx/id/forum/shangri_la_dialogue/19"},
    "holders_of": {"office": "minister", "date": "2021-01"},
    "meetings_by_person": {"person": "https://w3id.org/jdx/id/person/kishi_nobuo"},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`oxigraph serve` on 127.0.0.1:<free port>, stopped at the end whatever happens."""
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    location = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    with running(cmd, f"{url}/query", location.parent / "oxigraph.log", seconds=30):
        yield url


@pytest.fixture(scope="module")
def pushed(server):
    result = push(server, [NT])
    return server, result


def _all_graphs(url: str) -> dict[str, int]:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    data = R.sparql_post(f"{url}/query", q, [], 30)
    return {b["g"]["value"]: int(b["n"]["value"]) for b in data["results"]["bindings"]}


def _lines(path: Path) -> int:
    return sum(1 for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip())


def test_a_graph_larger_than_a_request_goes_in_parts(server, monkeypatch):
    """Above CHUNK_BYTES a graph goes as one PUT and POSTs of the rest (Virtuoso 7.2 resets the
    connection for a body of about 4 MB, and kg.nt is 4 MB): the server ends with every triple
    once, and pushing again replaces the graph instead of adding to it."""
    import kg.store.push as P

    monkeypatch.setattr(P, "CHUNK_BYTES", 250_000)
    methods: list[str] = []
    real = P._Sender.request

    def counted(self, url, method, *args, **kwargs):
        methods.append(method)
        return real(self, url, method, *args, **kwargs)

    monkeypatch.setattr(P._Sender, "request", counted)
    doc = next(iter(split_by_document(NT.read_text(encoding="utf-8"))))
    for _ in range(2):
        methods.clear()
        graphs, _ = push(server, [NT], ontology=False)
        assert graphs[0].triples == _lines(NT) and graphs[0].status in (200, 201, 204)
        assert _all_graphs(server)[doc] == _lines(NT)
        parts = -(-NT.stat().st_size // 250_000)  # at least this many bodies of 250 kB
        assert methods.count("PUT") == 1 and methods.count("POST") >= parts - 1


def test_push_one_named_graph_per_document(pushed):
    url, (graphs, pruned) = pushed
    doc = next(iter(split_by_document(NT.read_text(encoding="utf-8"))))
    assert doc.startswith("https://w3id.org/jdx/id/source/")
    assert [p.graph for p in graphs] == [doc, ONTOLOGY_GRAPH]
    assert graphs[0].triples == _lines(NT) and graphs[0].status in (200, 201, 204)
    on_server = _all_graphs(url)
    assert on_server[doc] == _lines(NT)
    assert on_server[ONTOLOGY_GRAPH] > 500
    assert set(on_server) == {doc, ONTOLOGY_GRAPH}
    # The default graph stays empty: queries name the document graphs (default-graph-uri).
    data = R.sparql_post(f"{url}/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", [], 30)
    assert data["results"]["bindings"][0]["n"]["value"] == "0"
    assert R.document_graphs(url, refresh=True) == [doc]
    assert pruned == []


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "queries").glob("*.rq")))
def test_every_named_query_gives_the_same_answer_on_the_server(pushed, name):
    url, _ = pushed
    store = Q.open_graph("store")
    params = EXAMPLE_PARAMS.get(name)
    if name == "provenance":
        params = {"event": str(Q.run_query("trilateral_events", graph=store).rows[0][0])}
    local = Q.run_query(name, params, graph=store)
    remote = Q.run_query(name, params, endpoint=url)
    assert remote.variables == local.variables
    assert remote.rows == local.rows
    assert remote.rows


def test_shangri_la_on_the_server(pushed):
    url, _ = pushed
    r = Q.run_query(
        "forum_edition_meetings",
        {"edition": "jdxr:forum/shangri_la_dialogue/19"},
        endpoint=url,
    )
    assert {str(row[0]) for row in r.rows} == {
        "AUS", "CAN", "CHN", "FJI", "KOR", "NLD", "NZL", "SGP", "USA",
    }  # fmt: skip


def test_push_again_is_idempotent(pushed):
    url, _ = pushed
    before = _all_graphs(url)
    push(url, [NT])
    assert _all_graphs(url) == before


def test_second_document_and_prune(pushed, tmp_path):
    url, _ = pushed
    doc2 = "https://w3id.org/jdx/id/source/0000000000000002"
    ev = "https://w3id.org/jdx/id/event/2019-hl-test000001"
    f = tmp_path / "doc2.nt"
    f.write_text(
        "\n".join(
            [
                f"<{doc2}> <{RDF_TYPE}> <{JDX}SourceDocument> .",
                f"<{ev}> <{RDF_TYPE}> <{JDX}HighLevelExchange> .",
                f"<{ev}> <{JDX}counterpartCountry> <https://w3id.org/jdx/id/country/AUS> .",
                f"<{ev}> <{JDX}fiscalYear> <https://w3id.org/jdx/id/fy/2019> .",
                f"<{ev}> <{PROV}wasDerivedFrom> <{doc2}> .",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    push(url, [f], ontology=False)

    def aus_2019() -> int:
        rows = Q.run_query("events_by_country_year", endpoint=url).records()
        return next(r["events"] for r in rows if r["country"] == "AUS" and r["fy"] == 2019)

    assert len(R.document_graphs(url)) == 2
    assert aus_2019() == 11  # the ten of the document, and the one of the second document
    _, pruned = push(url, [NT], prune=True)
    assert pruned == [doc2]
    assert len(R.document_graphs(url)) == 1
    assert aus_2019() == 10


def test_split_by_document_with_two_documents():
    a, b = "https://w3id.org/jdx/id/source/a", "https://w3id.org/jdx/id/source/b"
    text = "\n".join(
        [
            f"<{a}> <{RDF_TYPE}> <{JDX}SourceDocument> .",
            f"<{b}> <{RDF_TYPE}> <{JDX}SourceDocument> .",
            f"<https://w3id.org/jdx/id/event/1> <{PROV}wasDerivedFrom> <{a}> .",
            f'<https://w3id.org/jdx/id/event/1> <{JDX}sourceText> "x" .',
            f"<https://w3id.org/jdx/id/event/2> <{PROV}wasDerivedFrom> <{b}> .",
            f'<https://w3id.org/jdx/id/country/AUS> <{JDX}iso3> "AUS" .',
        ]
    )
    parts = split_by_document(text)
    assert set(parts) == {a, b}
    assert sum("event/1" in ln for ln in parts[a]) == 2 and not any(
        "event/1" in ln for ln in parts[b]
    )
    assert all(any("country/AUS" in ln for ln in parts[d]) for d in (a, b))


def test_cli_push_and_query(pushed, capsys):
    url, _ = pushed
    assert main(["push", "--endpoint", url]) == 0
    out = capsys.readouterr().out
    assert f"{_lines(NT)} triples" in out and "https://w3id.org/jdx/id/source/" in out
    assert main(["query", "forum_hubs", "--endpoint", url, "-f", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith("wpns,WPNS,17,16")
    code = main(["query", "country_timeline", "--endpoint", url, "-p", "country=PHL } {"])
    assert code == 2 and "bad value" in capsys.readouterr().err


def test_endpoint_refuses_service_and_injection_before_sending(server):
    with pytest.raises(Q.QueryError, match="SERVICE"):
        Q.run_query(
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", endpoint=server
        )
    with pytest.raises(Q.QueryError, match="bad value"):
        Q.run_query(
            "provenance", {"event": "https://w3id.org/jdx/id/x> } ?s ?p ?o {"}, endpoint=server
        )
    with pytest.raises(Q.QueryError, match="read-only"):
        Q.run_query("DROP ALL", endpoint=server)


def test_unreachable_endpoint_is_a_clear_error():
    port = free_port()
    with pytest.raises(Q.QueryError, match="cannot reach"):
        Q.run_query("forum_hubs", endpoint=f"http://127.0.0.1:{port}", timeout=5)
    with pytest.raises(Q.QueryError, match="http"):
        Q.run_query("forum_hubs", endpoint="file:///etc/passwd")


def test_endpoint_urls():
    assert R.endpoint_urls("http://127.0.0.1:7878") == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/store",
    )
    assert R.endpoint_urls("http://127.0.0.1:7878/query")[1] == "http://127.0.0.1:7878/store"
    assert R.endpoint_urls("http://localhost:3030/jdx") == (
        "http://localhost:3030/jdx",
        "http://localhost:3030/jdx",
    )
    assert R.endpoint_urls("http://localhost:8890/sparql")[1] == (
        "http://localhost:8890/sparql-graph-crud"
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (b'<https://w3id.org/jdx/id/a> <https://w3id.org/jdx/id/p> "1" .\n<https://w3', "line 2"),
        (b"\xff\xfe\x00binary", "not UTF-8 text"),
    ],
)
def test_a_broken_file_is_refused_before_anything_is_sent(tmp_path, capsys, content, message):
    """Truncated or binary input: a message with the file (and line); no request is made."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(0.5)
    port = srv.getsockname()[1]
    f = tmp_path / "kg.nt"
    f.write_bytes(content)
    code = main(["push", "--endpoint", f"http://127.0.0.1:{port}/query", "--graph", str(f)])
    err = capsys.readouterr().err
    assert code == 2
    assert str(f) in err and message in err and "Traceback" not in err
    with pytest.raises(OSError):  # nobody connected
        srv.accept()
    srv.close()


def test_library_errors_are_kg_error_kinds(server, tmp_path):
    """A bad graph file is a StoreError raised before any request; a server that refuses the
    PUT is a ServeError carrying its answer, so `kg push` reports both through kg.cli.main."""
    from kg.errors import ServeError, StoreError

    f = tmp_path / "kg.nt"
    f.write_text('<https://w3id.org/jdx/id/a> <https://w3id.org/jdx/id/p> "1" .\n', "utf-8")
    with pytest.raises(StoreError, match="no jdx:SourceDocument"):
        push(server, [f], ontology=False)
    with pytest.raises(StoreError, match="cannot read"):
        push(server, [tmp_path / "missing.nt"], ontology=False)
    with pytest.raises(ServeError, match="PUT .*HTTP 4"):
        push(server, [NT], gsp=f"{server}/no-such-service", ontology=False)


def _nt_lines(text: str) -> set[str]:
    return {ln for ln in text.splitlines() if ln.strip()}


def test_the_server_gives_back_kg_nt_term_for_term(pushed):
    """Read back from the server (Graph Store Protocol GET), the document graph is kg.nt,
    term for term: no datatype rewritten (the xsd:nonNegativeInteger counts once were)."""
    import urllib.parse

    url, (graphs, _) = pushed
    doc = graphs[0].graph
    req = urllib.request.Request(
        f"{url}/store?graph={urllib.parse.quote(doc, safe='')}",
        headers={"Accept": "application/n-triples"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read().decode("utf-8")
    assert _nt_lines(text) == _nt_lines(NT.read_text(encoding="utf-8"))


def test_a_query_on_a_datatype_counts_alike_on_the_server(pushed):
    url, _ = pushed
    q = """SELECT ?dt (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isLiteral(?o))
             BIND(DATATYPE(?o) AS ?dt) } GROUP BY ?dt ORDER BY ?dt"""
    local = Q.run_query(q, graph=Q.open_graph("store"))
    remote = Q.run_query(q, endpoint=url)
    assert remote.rows == local.rows and local.rows


# -- a server that stalls, or fails on the way: a fake one on a loopback port ------------------

EMPTY_RESULTS = b'{"head": {"vars": ["g"]}, "results": {"bindings": []}}'


class FakeServer:
    """An HTTP server whose answers the test sets: ``plan`` lists, per request, "trickle" (the
    status line one byte every 2 s), or a status code; afterwards every request gets 204 (a
    SPARQL query, empty results). ``seen`` records (method, path) of each request."""

    def __init__(self, plan: list[object]):
        import http.server
        import threading

        fake = self
        self.plan = list(plan)
        self.seen: list[tuple[str, str]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def answer(self):
                n = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(n)
                fake.seen.append((self.command, self.path.split("?")[0]))
                what = fake.plan.pop(0) if fake.plan else None
                if what == "trickle":
                    for b in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                        try:
                            self.wfile.write(bytes([b]))
                            self.wfile.flush()
                        except OSError:
                            return
                        time.sleep(2)
                    return
                if self.path.startswith("/query"):
                    body = EMPTY_RESULTS
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                else:
                    body = b"busy" if what else b""
                    self.send_response(int(what) if what else 204)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_PUT = do_POST = do_DELETE = answer

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_push_to_a_stalling_server_stops_at_the_deadline(capsys):
    """The server answers one byte every 2 s: a per-read timeout of 5 s never fires (it hung
    45 s); the deadline of the whole push does, with a message, exit 2."""
    with FakeServer(["trickle"]) as fake:
        t0 = time.monotonic()
        code = main(["push", "--endpoint", fake.url, "--no-ontology", "--timeout", "5"])
        took = time.monotonic() - t0
    err = capsys.readouterr().err
    assert code == 2
    assert 4.5 < took < 8, took
    assert "within the push's deadline (5 s for the whole push, --timeout)" in err
    assert "nothing was pushed" in err and "Traceback" not in err
    assert fake.seen == [("PUT", "/store")]  # not retried: the deadline is spent


def test_push_retries_a_failure_on_the_way_and_not_a_refusal(monkeypatch):
    import kg.store.push as P

    monkeypatch.setattr(P, "CHUNK_BYTES", 1 << 30)  # the graph in one request (one PUT)
    with FakeServer([503, 502]) as fake:
        pushed, _ = push(fake.url, [NT], ontology=False, timeout=30)
    assert [p.status for p in pushed] == [204]
    assert fake.seen == [("PUT", "/store")] * 3 + [("POST", "/query")]
    from kg.errors import ServeError

    with FakeServer([503, 503, 503]) as fake, pytest.raises(ServeError, match="tried 3 times"):
        push(fake.url, [NT], ontology=False, timeout=30)
    with FakeServer([400]) as fake, pytest.raises(ServeError, match="HTTP 400"):
        push(fake.url, [NT], ontology=False, timeout=30)
    assert fake.seen == [("PUT", "/store")]  # a refusal is not sent again


# -- several documents on one server -------------------------------------------------------


def test_two_documents_give_each_fact_once(pushed, tmp_path, capsys):
    """A second document stating the same facts (kg.nt under another document IRI): every named
    query answers as on one document, not once per document (Oxigraph's default-graph-uri
    union is a bag: before, events_by_country_year rows came several times over and counts
    doubled), and the answer names the documents it merges."""
    url, _ = pushed
    text = NT.read_text(encoding="utf-8")
    doc1 = next(iter(split_by_document(text)))
    doc2 = doc1[:-16] + "0123456789abcdef"
    second = tmp_path / "second.nt"
    second.write_text(text.replace(f"<{doc1}>", f"<{doc2}>"), encoding="utf-8")
    graphs, _ = push(url, [second], ontology=False)
    assert [g.graph for g in graphs] == [doc2, R.UNION_GRAPH]
    assert sorted(R.document_graphs(url, refresh=True)) == sorted([doc1, doc2])
    # the merge: each triple once (the two graphs differ only in the document's own triples)
    doc_triples = sum(1 for ln in text.splitlines() if f"<{doc1}>" in ln)
    on_server = _all_graphs(url)
    assert on_server[R.UNION_GRAPH] == _lines(NT) + doc_triples
    assert graphs[1].triples == on_server[R.UNION_GRAPH]
    store = Q.open_graph("store")
    try:
        for name in sorted(p.stem for p in (ROOT / "queries").glob("*.rq")):
            params = EXAMPLE_PARAMS.get(name)
            if name == "provenance":
                params = {"event": str(Q.run_query("trilateral_events", graph=store).rows[0][0])}
            local = Q.run_query(name, params, graph=store)
            remote = Q.run_query(name, params, endpoint=url)
            assert remote.documents == sorted([doc1, doc2]), name
            if name == "provenance":  # the one query about documents: both are named
                assert {str(r[2]) for r in remote.rows} == {doc1, doc2}
                continue
            assert remote.rows == local.rows, name
        # the count that doubled before: dates per event
        q = "SELECT (COUNT(?d) AS ?n) (COUNT(DISTINCT ?e) AS ?e_n) WHERE { ?e jdx:date ?d }"
        assert Q.run_query(q, endpoint=url).rows == Q.run_query(q, graph=store).rows
        assert main(["query", "events_by_country_year", "--endpoint", url, "-f", "csv"]) == 0
        out, err = capsys.readouterr()
        assert len(out.splitlines()) == 1 + len(Q.run_query("events_by_country_year", graph=store))
        both = ", ".join(sorted([doc1, doc2]))
        assert f"answered from 2 documents (their merge, each fact once): {both}\n" in err
        # a stale merge (changed by another tool) is refused, not read
        R.http_request(f"{url}/store?graph={R.UNION_INDEX_GRAPH}", method="DELETE", timeout=30)
        R.document_graphs(url, refresh=True)  # a new process would read it afresh
        with pytest.raises(Q.QueryError, match="run `kg push` again"):
            Q.run_query("forum_hubs", endpoint=url)
    finally:
        _, pruned = push(url, [NT], prune=True)
    assert pruned == [doc2]
    assert set(_all_graphs(url)) == {doc1, ONTOLOGY_GRAPH}  # the merge goes with the second
    assert Q.run_query("forum_hubs", endpoint=url).documents == [doc1]
