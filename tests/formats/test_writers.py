"""The RDF writers (kg.formats): the three committed serializations hold the same terms, and
the writers are deterministic and correct on what the endpoint hands them."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import paths
from kg.formats import FORMATS, jsonld, ntriples, serialize, turtle
from kg.formats.triples import NTriplesGraph, Terms
from kg.model.vocab import PREFIX_IRIS

DATA = paths.REPO / "data"
PARSE = {
    "kg.nt": ox.RdfFormat.N_TRIPLES,
    "kg.ttl": ox.RdfFormat.TURTLE,
    "kg.jsonld": ox.RdfFormat.JSON_LD,
}


def terms(text: str, fmt: ox.RdfFormat) -> set[str]:
    """The triples as N-Triples lines: IRIs, lexical forms, datatypes and languages verbatim
    (pyoxigraph does not normalize literals, unlike rdflib)."""
    return {str(t) for t in ox.parse(text.encode(), format=fmt)}


def test_the_three_serializations_hold_the_same_terms() -> None:
    got = {name: terms((DATA / name).read_text(encoding="utf-8"), f) for name, f in PARSE.items()}
    assert len(got["kg.nt"]) > 10_000
    assert got["kg.ttl"] == got["kg.nt"]
    assert got["kg.jsonld"] == got["kg.nt"]
    decimals = [t for t in got["kg.nt"] if t.endswith("XMLSchema#decimal>")]
    assert decimals and not any('.0"^^' in t for t in decimals)  # one lexical form everywhere


def test_jsonld_with_the_context_file_gives_the_same_graph_to_rdflib() -> None:
    """kg.jsonld with its inline @context replaced by context.jsonld's, read by rdflib (an
    independent JSON-LD reader), equals kg.nt: same triples, lexical forms and datatypes."""
    doc = json.loads((DATA / "kg.jsonld").read_text(encoding="utf-8"))
    doc["@context"] = json.loads((DATA / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    from_jsonld = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    from_nt = rdflib.Graph().parse(DATA / "kg.nt", format="nt")

    def key(g: rdflib.Graph) -> set[tuple]:
        return {
            (s, p, (str(o), getattr(o, "datatype", None), getattr(o, "language", None)))
            for s, p, o in g
        }

    assert key(from_jsonld) == key(from_nt)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    from kg.job import build

    a, b = tmp_path / "a", tmp_path / "b"
    build(out=a)
    build(out=b)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and "store" not in p.parts)
    assert {"kg.ttl", "kg.nt", "kg.jsonld", "views/full.html", "views/full.gexf"} <= {
        str(f) for f in files
    }
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    for name in ("kg.ttl", "kg.nt", "kg.jsonld", "context.jsonld"):  # and equal the committed
        assert (a / name).read_bytes() == (DATA / name).read_bytes(), name


EX = "http://example.org/"


def _answer() -> list[ox.Triple]:
    """An endpoint-like answer: a blank node, a language tag, typed and plain literals, an IRI
    whose local part needs Turtle escapes under its prefix."""
    s, b = ox.NamedNode(EX + "a/b"), ox.BlankNode("n1")
    return [
        ox.Triple(s, ox.NamedNode(EX + "p"), ox.Literal('x "y"\n', language="ja")),
        ox.Triple(
            s,
            ox.NamedNode(EX + "p"),
            ox.Literal("1.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        ),
        ox.Triple(s, ox.NamedNode(EX + "q"), b),
        ox.Triple(
            b,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(EX + "C"),
        ),
        ox.Triple(b, ox.NamedNode(EX + "p"), ox.Literal("plain")),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_round_trips_and_ignores_input_order(fmt: str) -> None:
    triples = _answer()
    prefixes = {"ex": EX, "xsd": "http://www.w3.org/2001/XMLSchema#"}
    text = serialize(fmt, triples, prefixes)
    assert serialize(fmt, list(reversed(triples)), prefixes) == text
    rdf_format = {
        "turtle": "turtle",
        "ntriples": "nt",
        "jsonld": "json-ld",
        "rdfxml": "xml",
    }[fmt]
    back = rdflib.Graph().parse(data=text, format=rdf_format)
    expected = rdflib.Graph().parse(
        data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt"
    )
    assert isomorphic(back, expected)


def test_turtle_leaves_out_a_prefix_whose_names_would_need_escapes() -> None:
    text = turtle.write(_answer(), {"ex": EX})
    assert "@prefix ex:" not in text and "\\/" not in text and f"<{EX}a/b>" in text
    flat = [t for t in _answer() if "/a/" not in str(t.subject)]
    assert "@prefix ex:" in turtle.write(flat, {"ex": EX})


def test_writers_take_rdflib_terms_and_keep_lexical_forms() -> None:
    g = rdflib.Graph()
    amount = rdflib.Literal("112", datatype=rdflib.XSD.decimal)
    g.add((rdflib.URIRef(EX + "o"), rdflib.URIRef(EX + "amount"), amount))
    nt = ntriples.write(g)
    assert nt == f'<{EX}o> <{EX}amount> "112"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    assert terms(turtle.write(g, PREFIX_IRIS), ox.RdfFormat.TURTLE) == terms(
        nt, ox.RdfFormat.N_TRIPLES
    )
    doc = json.loads(jsonld.write(g, {"ex": EX, "xsd": "http://www.w3.org/2001/XMLSchema#"}))
    assert doc["@graph"][0]["ex:amount"] == [{"@value": "112", "@type": "xsd:decimal"}]


XSD = "http://www.w3.org/2001/XMLSchema#"


def _as_ntriples_graph(triples: list[ox.Triple]) -> NTriplesGraph:
    """The same triples the way kg build hands them over: N-Triples term strings."""
    t = Terms()

    def term(x: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
        if isinstance(x, ox.NamedNode):
            return t.iri(x.value)
        if isinstance(x, ox.BlankNode):
            return f"_:{x.value}"
        return t.literal(x.value, x.language, None if x.language else x.datatype.value)

    return NTriplesGraph(((term(s), term(p), term(o)) for s, p, o in triples), t.literals)


def _tricky() -> list[ox.Triple]:
    """Terms whose N-Triples lines sort differently from naive term tuples if the order were
    wrong (a term a prefix of another), strings that need escapes, and an IRI under a prefix
    that cannot be used."""
    a, ab, p = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "a/b"), ox.NamedNode(EX + "p")
    b1, b12 = ox.BlankNode("b1"), ox.BlankNode("b12")
    lits = [
        ox.Literal("abc"),
        ox.Literal("abc", language="en"),
        ox.Literal("abc", datatype=ox.NamedNode(XSD + "token")),
        ox.Literal('say "hi"\\ \n\r\t\x08\x0c\x01\x7f end'),
        ox.Literal("日本\u3000語 jdx:notaname", language="ja"),
        ox.Literal("5", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
        ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")),
        ox.Literal(""),
    ]
    out = [ox.Triple(s, p, o) for s in (a, ab, b1, b12) for o in lits]
    out += [ox.Triple(a, p, ab), ox.Triple(a, p, a), ox.Triple(a, p, b12), ox.Triple(b1, p, b1)]
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    out += [ox.Triple(b12, rdf_type, ab), ox.Triple(ab, rdf_type, ox.NamedNode(EX + "C"))]
    out.append(ox.Triple(a, ox.NamedNode("http://other.example/q"), lits[0]))
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_builds_ntriples_terms_give_the_same_bytes_as_pyoxigraph_triples(fmt: str) -> None:
    """kg build's fast path (N-Triples term strings, sorted as tuples) against the general one
    (pyoxigraph Triples sorted by their N-Triples line): same text in every format."""
    triples = _tricky()
    prefixes = {"ex": EX, "xsd": XSD, "exa": EX + "a/", "other": "http://other.example/"}
    graph = _as_ntriples_graph(list(reversed(triples)))
    assert len(graph) == len(set(triples))
    assert serialize(fmt, graph, prefixes) == serialize(fmt, triples, prefixes)


def test_ntriples_graph_lines_are_pyoxigraphs_in_sorted_order() -> None:
    triples = _tricky()
    expected = "".join(sorted(f"{t} .\n" for t in set(triples)))
    assert _as_ntriples_graph(triples).text() == expected
    assert ntriples.write(triples) == expected


def test_the_prefix_scan_agrees_with_the_pattern_it_stands_for() -> None:
    """turtle._used (str.find) finds a prefix name exactly where the _NAME pattern does."""
    import random

    from kg.formats.turtle import _NAME, _used

    rng = random.Random(7)
    pieces = ["a", "b", "ab", ":", " ", "\u3000", "\n", "\r", "^", "(", "[", ",", ";", "-", "."]
    pieces += ["é", "1", '"', "\t", "\x1c", "_", "x"]
    names = ["", "a", "b", "ab", "a.b", "1a", "é", "a-", "_a"]
    for _ in range(5000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        found = {m.group(1) or "" for m in _NAME.finditer(body)}
        for name in names:
            assert (name in found) == _used(name, body), (name, body)
