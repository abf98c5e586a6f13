"""kg.sparql.policy: one set of rules for a local graph, for kg serve and for a remote endpoint."""

from __future__ import annotations

import pytest

from kg.errors import QueryError
from kg.serve.server import Refused, check_query
from kg.sparql.policy import ANY_GRAPH, Forbidden, check

HELD = frozenset({"urn:jdx:g1", "https://w3id.org/jdx/id/graph/a"})

UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CLEAR DEFAULT",
    "drop all",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "PREFIX ex: <urn:x:>\nINSERT DATA { ex:a ex:b ex:c }",
    # an update after a query: refused wherever the keyword stands
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
]
SERVICES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/s> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o # c\rSERVICE <http://127.0.0.1:9/s> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s <http://x/\\u0041#> ?o SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE ?u { ?s ?p ?o } } } }",
]


@pytest.mark.parametrize("graphs", [frozenset(), HELD, ANY_GRAPH], ids=["local", "held", "any"])
@pytest.mark.parametrize("text", UPDATES + SERVICES)
def test_updates_and_service_are_refused_whatever_graphs_are_held(text, graphs):
    with pytest.raises(Forbidden, match="SPARQL Update|SERVICE is not allowed") as err:
        check(text, graphs=graphs)
    assert isinstance(err.value, QueryError)  # kg query and the API report it as any error
    with pytest.raises(Refused) as refused:  # kg serve: the same rule, as an HTTP answer
        check_query(text, graphs or frozenset())
    assert refused.value.status == 403


def test_update_message_says_read_only_and_points_at_the_keyword():
    with pytest.raises(Forbidden) as err:
        check("SELECT * WHERE { ?s ?p ?o }\n; LOAD <http://x/>")
    assert "read-only" in str(err.value) and "line 2, column 3" in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://127.0.0.1:9/g.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://127.0.0.1:9/>\nSELECT * FROM ex:data WHERE { ?s ?p ?o }",
        "SELECT * FROM <urn:jdx:g1> WHERE { ?s ?p ?o }",  # held by kg serve, not by a graph
    ],
)
def test_a_local_graph_holds_no_graph_to_name(text):
    with pytest.raises(Forbidden, match="FROM"):
        check(text)  # the default: kg query and the API on a local graph
    with pytest.raises(Refused) as refused:
        check_query(text)
    assert refused.value.status == 403


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <urn:jdx:g1> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <urn:jdx:g1> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX g: <urn:jdx:>\nSELECT * FROM g:g1 WHERE { ?s ?p ?o }",
        "SELECT * FROM <urn:jdx:\\u0067\\U00000031> WHERE { ?s ?p ?o }",  # escapes decoded
        "SELECT * FROM jdxr:graph\\/a WHERE { ?s ?p ?o }",  # a project prefix, undeclared
    ],
)
def test_held_graphs_may_be_named(text):
    shape = check(text, graphs=HELD)
    assert shape.form == "SELECT" and shape.dataset_at is not None
    assert check_query(text, HELD) == "SELECT"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <urn:jdx:g2> WHERE { ?s ?p ?o }",
        "SELECT * FROM <urn:jdx:g1> FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
        "PREFIX g: <http://127.0.0.1:9/>\nSELECT * FROM g:g1 WHERE { ?s ?p ?o }",
        "SELECT * FROM WHERE { ?s ?p ?o }",  # names nothing readable: refused, not guessed
        "SELECT * FROM unknown:g1 WHERE { ?s ?p ?o }",
    ],
)
def test_graphs_not_held_are_refused(text):
    held = "https://w3id.org/jdx/id/graph/a, urn:jdx:g1"
    with pytest.raises(Forbidden, match=f"may only name graphs held here: {held}"):
        check(text, graphs=HELD)
    with pytest.raises(Refused):
        check_query(text, HELD)


def test_dataset_parameters_follow_the_same_rule():
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    assert check(query, graphs=HELD, dataset=["urn:jdx:g1"]).form == "SELECT"
    for graphs in (frozenset(), HELD):
        with pytest.raises(Forbidden, match="default-graph-uri and named-graph-uri"):
            check(query, graphs=graphs, dataset=["http://127.0.0.1:9/g"])
        with pytest.raises(Refused) as refused:
            check_query(query, graphs, dataset=["http://127.0.0.1:9/g"])
        assert refused.value.status == 403


def test_a_remote_endpoint_answers_for_its_own_graphs():
    """run_query(endpoint=…): FROM goes to that server, which decides; this process fetches
    nothing for it. SERVICE and updates stay refused (tested above)."""
    text = "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"
    assert check(text, graphs=ANY_GRAPH, dataset=["http://example.org/g"]).form == "SELECT"


def test_the_word_service_in_strings_iris_and_comments_is_harmless():
    text = 'SELECT * WHERE { ?s ?p "SERVICE" . ?s ?p <urn:SERVICE> } # SERVICE <http://x/>'
    assert check(text, syntax=True, deep=True).form == "SELECT"
    assert check_query(text, deep=True) == "SELECT"


def test_deep_refuses_text_that_cannot_be_verified():
    """rdflib cannot parse this, and it mentions service: deep counts it as hiding one. With
    the syntax check on (kg query), the syntax error is what is reported."""
    text = 'SELECT * WHERE { ?s ?p "service" . FILTER( }'
    assert check(text).form == "SELECT"  # the scan alone finds no SERVICE keyword
    with pytest.raises(Forbidden, match="could not be verified"):
        check(text, deep=True)
    with pytest.raises(QueryError, match="line 1, column") as err:
        check(text, syntax=True, deep=True)
    assert not isinstance(err.value, Forbidden)


def test_syntax_check_reports_unknown_prefixes_and_non_queries():
    with pytest.raises(QueryError, match="unknown prefix 'nope:'") as err:
        check("SELECT * WHERE {\n  ?s nope:p ?o }", syntax=True)
    assert "line 2, column 6" in str(err.value) and not isinstance(err.value, Forbidden)
    assert check("SELECT * WHERE { ?s jdx:p ?o }", syntax=True).form == "SELECT"
    with pytest.raises(QueryError):
        check("hello", syntax=True)
