"""kg.formats: the SPARQL results writers, read back by other parsers and held to the W3C texts."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.formats import results, sparql_csv, sparql_json, sparql_tsv, sparql_xml, table
from kg.formats.terms import nt, term

X = "http://example/x"
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
TRICKY = 'tab\there "quote" back\\slash\nline\rcr <b>&amp;</b>'

VARIABLES = ["x", "literal"]
# The example of https://www.w3.org/TR/sparql11-results-csv-tsv/ (sections 3 and 4), in
# pyoxigraph terms and the same in rdflib terms.
OX_ROWS = [
    (ox.NamedNode(X), ox.Literal("String")),
    (ox.NamedNode(X), ox.Literal('String-with-dquote"')),
    (ox.BlankNode("b0"), ox.Literal("Blank node")),
    (None, ox.Literal("Missing 'x'")),
    (None, None),
    (ox.NamedNode(X), None),
    (ox.BlankNode("b1"), ox.Literal("String-with-lang", language="en")),
    (ox.BlankNode("b1"), ox.Literal("123", datatype=ox.NamedNode(INTEGER))),
]
RDFLIB_ROWS = [
    (URIRef(X), Literal("String")),
    (URIRef(X), Literal('String-with-dquote"')),
    (BNode("b0"), Literal("Blank node")),
    (None, Literal("Missing 'x'")),
    (None, None),
    (URIRef(X), None),
    (BNode("b1"), Literal("String-with-lang", lang="en")),
    (BNode("b1"), Literal("123", datatype=XSD.integer)),
]

W3C_CSV = (
    "x,literal\r\n"
    "http://example/x,String\r\n"
    'http://example/x,"String-with-dquote"""\r\n'
    "_:b0,Blank node\r\n"
    ",Missing 'x'\r\n"
    ",\r\n"
    "http://example/x,\r\n"
    "_:b1,String-with-lang\r\n"
    "_:b1,123\r\n"
)
# The recommendation's TSV, except that 123 is written in its N-Triples form (the
# recommendation allows either; N-Triples is the form Oxigraph and this project write).
W3C_TSV = (
    "?x\t?literal\n"
    '<http://example/x>\t"String"\n'
    '<http://example/x>\t"String-with-dquote\\""\n'
    '_:b0\t"Blank node"\n'
    "\t\"Missing 'x'\"\n"
    "\t\n"
    "<http://example/x>\t\n"
    '_:b1\t"String-with-lang"@en\n'
    f'_:b1\t"123"^^<{INTEGER}>\n'
)


@pytest.mark.parametrize("fmt", list(results.WRITERS))
def test_rdflib_and_pyoxigraph_terms_give_the_same_text(fmt):
    """kg query (rdflib terms) and kg serve (pyoxigraph terms) cannot drift apart."""
    assert results.write(fmt, VARIABLES, RDFLIB_ROWS) == results.write(fmt, VARIABLES, OX_ROWS)


def test_csv_is_the_recommendations_example():
    assert sparql_csv.write(VARIABLES, OX_ROWS) == W3C_CSV


def test_tsv_is_the_recommendations_example():
    assert sparql_tsv.write(VARIABLES, OX_ROWS) == W3C_TSV


@pytest.mark.parametrize(
    "t",
    [
        ox.Literal(TRICKY),
        ox.Literal("\b\f\x00\x1f\x7f"),
        ox.Literal("日本語", language="ja"),
        ox.Literal("1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        ox.NamedNode("https://w3id.org/jdx/id/country/AUS"),
        ox.BlankNode("b7"),
    ],
)
def test_terms_are_written_in_the_n_triples_form_oxigraph_writes(t):
    assert nt(term(t)) == str(t)


def test_tsv_keeps_tabs_and_line_breaks_inside_one_field():
    text = sparql_tsv.write(["v", "w"], [(Literal(TRICKY), Literal(1))])
    lines = text.splitlines()
    assert len(lines) == 2 and len(lines[1].split("\t")) == 2
    parsed = Result.parse(io.StringIO(text), format="tsv")
    assert [row[Variable("v")] for row in parsed.bindings] == [Literal(TRICKY)]


def test_json_round_trips_through_rdflibs_parser():
    text = sparql_json.write(VARIABLES, OX_ROWS)
    doc = json.loads(text)
    assert doc["head"]["vars"] == VARIABLES
    assert doc["results"]["bindings"][6]["literal"] == {
        "type": "literal",
        "value": "String-with-lang",
        "xml:lang": "en",
    }
    assert doc["results"]["bindings"][7]["literal"]["datatype"] == INTEGER
    assert doc["results"]["bindings"][4] == {}  # nothing bound
    parsed = Result.parse(io.StringIO(text), format="json")
    assert _rows(parsed) == RDFLIB_ROWS


def test_xml_round_trips_through_rdflibs_parser_and_escapes_markup():
    rows = [(URIRef(X), Literal(TRICKY)), (URIRef(X + "?a=1&b=2"), Literal("x", lang="ja"))]
    text = sparql_xml.write(VARIABLES, rows)
    root = ET.fromstring(text.encode())  # well-formed: the markup in the data is escaped
    ns = {"r": sparql_xml.NS}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == VARIABLES
    literals = root.findall(".//r:literal", ns)
    assert literals[0].text == TRICKY.replace("\r", "\n")  # XML parsers normalize CR
    parsed = Result.parse(io.BytesIO(text.encode()), format="xml")
    assert [row[Variable("x")] for row in parsed.bindings] == [URIRef(X), URIRef(X + "?a=1&b=2")]
    assert [row[Variable("literal")] for row in parsed.bindings][1] == Literal("x", lang="ja")
    full = Result.parse(io.BytesIO(sparql_xml.write(VARIABLES, OX_ROWS).encode()), format="xml")
    assert _rows(full) == RDFLIB_ROWS


@pytest.mark.parametrize("value", [True, False])
def test_ask_answers(value):
    word = "true" if value else "false"
    assert json.loads(sparql_json.write_boolean(value)) == {"head": {}, "boolean": value}
    parsed = Result.parse(io.StringIO(sparql_json.write_boolean(value)), format="json")
    assert parsed.askAnswer is value
    root = ET.fromstring(sparql_xml.write_boolean(value).encode())
    assert root.find(f"{{{sparql_xml.NS}}}boolean").text == word
    assert results.write_boolean("csv", value) == word + "\r\n"
    assert results.write_boolean("tsv", value) == word + "\n"


def test_media_types():
    assert results.MEDIA_TYPES == {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "excel": "text/csv",  # csv behind a UTF-8 byte-order mark
    }


def test_table_shortens_iris_and_keeps_text_on_one_line():
    rows = [
        (URIRef("https://w3id.org/jdx/id/country/AUS"), Literal("豪州\nの 国防相")),
        (ox.NamedNode("http://example.org/x"), None),
    ]
    lines = table.write(["c", "label"], rows).splitlines()
    assert lines[2].split("  ", 1)[0] == "jdxr:country/AUS"
    assert lines[2].endswith("豪州 の 国防相")
    assert lines[3].rstrip() == "<http://example.org/x>"
    assert lines[-1] == "(2 rows)"


def _rows(parsed: Result) -> list[tuple]:
    """The parsed rows as tuples in VARIABLES order (rdflib's parsers keep blank node labels)."""
    return [tuple(row.get(Variable(v)) for v in VARIABLES) for row in parsed.bindings]
