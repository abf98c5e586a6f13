"""The one SPARQL lexer behind the checks of kg query and kg serve: it reads text as engines do."""

from __future__ import annotations

import random
import re
import socket
import threading
import time

import pytest

from kg import paths
from kg.errors import QueryError
from kg.serve.server import Refused, check_query
from kg.sparql import policy
from kg.sparql.lexer import service_hidden, tokenize
from kg.sparql.run import open_graph, run_query


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.value) for t in tokenize(text)]


def test_tokens_of_a_small_query():
    got = kinds('SELECT ?x WHERE { ?x rdfs:label "a # b"@ja . <urn:x\\u0041> jdx:p 1.5 }')
    assert got == [
        ("word", "SELECT"),
        ("var", "?x"),
        ("word", "WHERE"),
        ("punct", "{"),
        ("var", "?x"),
        ("pname", "rdfs:label"),
        ("string", '"a # b"'),
        ("lang", "@ja"),
        ("punct", "."),
        ("iri", "<urn:x\\u0041>"),
        ("pname", "jdx:p"),
        ("number", "1.5"),
        ("punct", "}"),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"])
def test_a_comment_ends_at_any_line_break(newline):
    """Oxigraph ends a comment at CR as well as LF: what follows is live query text."""
    toks = kinds(f"# a comment{newline}SERVICE <http://x> {{}}")
    assert toks[0] == ("word", "SERVICE")


def test_keywords_inside_strings_iris_and_comments_are_not_keywords():
    text = 'SELECT * WHERE { ?s ?p "SERVICE" . ?s ?p <urn:SERVICE> } # SERVICE <http://x>'
    assert "SERVICE" not in [t.value for t in tokenize(text) if t.kind == "word"]


def _listener():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(2)
    hits: list[bytes] = []

    def accept() -> None:
        try:
            conn, _ = srv.accept()
            hits.append(conn.recv(100))
            conn.close()
        except OSError:
            pass

    th = threading.Thread(target=accept, daemon=True)
    th.start()
    return srv, th, hits


def test_service_after_a_carriage_return_comment_is_refused_and_nothing_is_fetched():
    """SERVICE after '# …\\r' ran on Oxigraph while kg query's old scanner saw a comment there."""
    srv, th, hits = _listener()
    port = srv.getsockname()[1]
    text = f"SELECT * WHERE {{ ?s ?p ?o # c\rSERVICE <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }}"
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        run_query(text, graph=open_graph("store"))
    with pytest.raises(Refused, match="SERVICE"):
        check_query(text)
    th.join()
    srv.close()
    assert hits == []


def test_service_hidden_is_a_second_opinion():
    assert not service_hidden("SELECT * WHERE { ?s ?p ?o }")
    assert not service_hidden('SELECT * WHERE { ?s ?p "service" }')
    assert service_hidden("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }")
    # rdflib cannot parse this (it does not end comments at CR): not verifiable, so refused
    assert service_hidden("SELECT * WHERE { ?s ?p ?o # c\rSERVICE <http://x> { ?a ?b ?c } }")


def test_a_query_that_merely_mentions_service_still_runs():
    res = run_query(
        'SELECT (COUNT(*) AS ?n) WHERE { ?e jdx:sourceText ?t FILTER(CONTAINS(?t, "service")) }',
        graph=open_graph("store"),
    )
    assert res.variables == ["n"] and len(res.rows) == 1  # ran: not refused


def test_a_syntax_error_near_the_word_service_is_reported_as_a_syntax_error():
    """kg query keeps its line:column message when a broken query merely mentions the word."""
    with pytest.raises(QueryError, match=r"line 2, column \d+"):
        policy.check('SELECT ?s WHERE {\n ?s ?p "service" . FILTER( }', syntax=True, deep=True)


# The lexer's former definition: one regex over the whole text. It reads tokens exactly as the
# lexer must, but a string that does not close is read again from every later quote, and a run
# such as "a.a.a…" again from every letter: quadratic time ('\ repeated 64K times: 15 s).
_FORMER = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<bnode>_:[\w.\-]+)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w:%\-]|\\[_~.\-!$&'()*+,;=/?\#@%]|\.(?=[\w:%\\]))*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<bad>["'])
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _former_tokens(text: str) -> list[tuple[str, str, int]]:
    return [
        (m.lastgroup or "punct", m.group(), m.start())
        for m in _FORMER.finditer(text)
        if m.lastgroup not in ("ws", "comment")
    ]


def test_the_linear_lexer_reads_every_text_as_the_former_regex_did():
    """Random texts over the characters that matter (quotes, backslashes, line breaks, name
    characters, brackets) and every named query: the same tokens, kinds and offsets."""
    pieces = list("'\"\\\n\r #<>:._-a1?$@{}()e+^&|=!%") + ["'''", '"""', "SERVICE", "\\u0041"]
    rnd = random.Random(12)
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40))) for _ in range(5_000)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(paths.queries_dir().glob("*.rq"))]
    for text in texts:
        assert [tuple(t) for t in tokenize(text)] == _former_tokens(text), repr(text)


ADVERSARIAL = {
    "quote, backslash": "'\\",  # a one-line string that never closes, opened at every quote
    "double quote, backslash": '"\\',
    "long strings": "'''\\",
    "name runs with dots": "a.",  # a prefix that never reaches its ':'
    "name runs with dashes": "a-",
    "lone quotes": "'",
    "open brackets": "<a",
}


@pytest.mark.parametrize("unit", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_a_256_kib_adversarial_query_is_read_in_under_a_second(unit):
    """The issue's bound, in CPU time (what the query costs the process that reads it); the
    best of up to three runs, as other processes on the machine slow any one run down."""
    text = unit * (256 * 1024 // len(unit))
    runs = []
    for _ in range(3):
        t0 = time.process_time()
        toks = tokenize(text)
        runs.append(time.process_time() - t0)
        assert toks and toks[-1].start < len(text)
        if runs[-1] < 1.0:
            break
    assert min(runs) < 1.0, f"{min(runs):.2f} s"


def test_the_shape_of_a_construct_full_of_braces_is_read_in_linear_time():
    """inspect_text looked back for WHERE at every '{' of a CONSTRUCT template: quadratic."""
    text = "CONSTRUCT " + "{" * 64 * 1024
    t0 = time.process_time()
    policy.check(text)
    assert time.process_time() - t0 < 1.0
