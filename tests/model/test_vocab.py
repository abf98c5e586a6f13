"""kg.model.vocab: the namespaces, defined once; the project's own closed over the ontology."""

from __future__ import annotations

import doctest

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

from kg import paths
from kg.model import vocab
from kg.model.vocab import JDX, JDX_TERMS, ONTOLOGY_IRI, PREFIX_IRIS, compact


def _ontology_terms() -> set[str]:
    g = rdflib.Graph().parse(paths.ontology_dir() / "jdx.ttl", format="turtle")
    ns = ONTOLOGY_IRI + "#"
    return {str(s)[len(ns) :] for s in g.subjects() if str(s).startswith(ns) and str(s) != ns}


def test_jdx_is_exactly_the_ontologys_vocabulary():
    assert set(JDX_TERMS) == _ontology_terms()
    assert len(JDX_TERMS) == len(set(JDX_TERMS))
    assert all(str(JDX[t]) == f"{ONTOLOGY_IRI}#{t}" for t in JDX_TERMS)


def test_the_ontology_declares_itself_under_ontology_iri():
    g = rdflib.Graph().parse(paths.ontology_dir() / "jdx.ttl", format="turtle")
    assert (rdflib.URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in g


def test_a_misspelt_term_raises_instead_of_minting_an_iri():
    assert str(JDX.Meeting) == ONTOLOGY_IRI + "#Meeting"
    with pytest.raises(AttributeError):
        _ = JDX.Meetng


def test_prefixes_are_the_ones_the_graph_uses():
    nt = (paths.data_dir() / "kg.nt").read_text(encoding="utf-8")
    for prefix in ("jdx", "jdxr", "rdfs", "skos", "prov", "qb", "xsd"):
        assert f"<{PREFIX_IRIS[prefix]}" in nt, prefix


def test_compact_takes_the_longest_namespace():
    prefixes = {"a": "http://x.org/", "ab": "http://x.org/b/"}
    assert compact("http://x.org/b/c", prefixes) == "ab:c"
    assert compact("http://x.org/c", prefixes) == "a:c"
    assert compact("http://x.org/", prefixes) == "http://x.org/"  # no local part
    assert compact("http://y.org/c", prefixes) == "http://y.org/c"


def test_docstring_examples():
    assert doctest.testmod(vocab).failed == 0
