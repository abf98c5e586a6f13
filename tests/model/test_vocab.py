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


def test_prefix_iris_are_rdflibs_namespaces() -> None:
    """The plain-string table (what kg build uses) names the same IRIs as rdflib's namespaces."""
    from rdflib.namespace import DCTERMS, OWL, PROV, RDFS, SKOS, XSD

    from kg.model.vocab import JDXR, PREFIXES

    assert list(PREFIXES) == list(PREFIX_IRIS)
    assert {k: str(v) for k, v in PREFIXES.items()} == PREFIX_IRIS
    assert PREFIXES["skos"] is SKOS and PREFIXES["jdx"] is JDX and PREFIXES["jdxr"] is JDXR
    expected = (DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD)
    assert {str(ns) for ns in expected} <= set(PREFIX_IRIS.values())


def test_names_are_strings_closed_like_jdx() -> None:
    from kg.model.vocab import JDX_NAMES, Names

    assert JDX_NAMES.Meeting == str(JDX.Meeting) and JDX_NAMES["count"] == str(JDX["count"])
    with pytest.raises(AttributeError):
        _ = JDX_NAMES.Meetng
    assert Names("http://x.org/").anything == "http://x.org/anything"


def test_the_build_path_does_not_import_rdflib() -> None:
    """kg build's modules (records -> graph -> files) load without rdflib (0.3 s cold)."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, kg.pipeline.write, kg.store.local; from kg.model import vocab;"
        "vocab.compact('x'); print('rdflib' in sys.modules)"
    )
    src = str(Path(paths.__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": src},
    )
    assert out.stdout.strip() == "False"
