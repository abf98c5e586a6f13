"""The ontology: contract terms, labels and definitions, alignments, HermiT, SHACL, docs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SH, XSD, Literal, Namespace, URIRef

from kg import paths
from kg.check.docs import write_docs
from kg.check.validate import reason

ROOT = paths.REPO
ONTOLOGY = ROOT / "ontology" / "jdx.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/jdx/ontology")

JDX = Namespace("https://w3id.org/jdx/ontology#")
JDXR = Namespace("https://w3id.org/jdx/id/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SDO = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
QB = Namespace("http://purl.org/linked-data/cube#")

# The "core terms that must exist" of CONTRACT.md.
CONTRACT_CLASSES = [
    "Event", "HighLevelExchange", "DefenseConsultation", "UnitExchange", "GoodwillExercise",
    "CapacityBuilding", "ResearchExchange", "MultilateralDialogue", "Meeting", "VisitAbroad",
    "VisitToJapan", "AgreementSigning", "Position", "Organization", "Country",
    "InternationalOrganization", "Forum", "ForumEdition", "Place", "FiscalYear", "Indicator",
    "Measure", "BudgetLine", "StudentFlow", "SourceDocument",
]  # fmt: skip
CONTRACT_OBJECT_PROPERTIES = [
    "japaneseParticipant", "counterpart", "counterpartCountry", "atForum", "editionOf", "place",
    "fiscalYear", "mode", "indicator", "country", "direction",
]  # fmt: skip
CONTRACT_DATATYPE_PROPERTIES = [
    "date", "ordinal", "iso3", "region", "sourceText", "sourceLine", "count", "budgetAmount",
    "executedAmount", "reviewNumber",
]  # fmt: skip
CONTRACT_INDIVIDUALS = ["InPerson", "Phone", "Video", "Hybrid", "Inbound", "Outbound"]

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


@pytest.fixture(scope="module")
def ont() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


def _one_per_language(g: rdflib.Graph, term: URIRef, prop: URIRef) -> dict[str, str]:
    values = [o for o in g.objects(term, prop) if isinstance(o, Literal)]
    langs = sorted(str(v.language) for v in values)
    assert langs == ["en", "ja"], f"{term} {prop}: languages {langs}"
    for v in values:
        assert v.strip() and "\n" not in v, f"{term} {prop}: empty or multi-line {v!r}"
    return {str(v.language): str(v) for v in values}


def test_ontology_header(ont: rdflib.Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ont
    assert ont.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/jdx/ontology/0.1.0")
    assert ont.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ont.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ont.value(ONTOLOGY_IRI, DCTERMS.creator) is not None
    assert ont.value(ONTOLOGY_IRI, DCTERMS.source) is not None
    _one_per_language(ont, ONTOLOGY_IRI, DCTERMS.title)
    _one_per_language(ont, ONTOLOGY_IRI, DCTERMS.description)
    assert not list(ont.objects(None, OWL.imports)), "the ontology must stay self-contained"
    assert not list(ont.triples((None, OWL.sameAs, None)))


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (CONTRACT_CLASSES, OWL.Class),
        (CONTRACT_OBJECT_PROPERTIES, OWL.ObjectProperty),
        (CONTRACT_DATATYPE_PROPERTIES, OWL.DatatypeProperty),
        (CONTRACT_INDIVIDUALS, SKOS.Concept),
    ],
)
def test_contract_terms_exist_with_labels_and_definitions(
    ont: rdflib.Graph, names: list[str], kind: URIRef
) -> None:
    for name in names:
        term = JDX[name]
        assert (term, RDF.type, kind) in ont, f"jdx:{name} is not a {kind}"
        _one_per_language(ont, term, RDFS.label)
        _one_per_language(ont, term, SKOS.definition)
        assert ont.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI


def test_every_declared_term_is_documented(ont: rdflib.Graph) -> None:
    kinds = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty]
    terms = {t for k in kinds for t in ont.subjects(RDF.type, k) if isinstance(t, URIRef)}
    terms |= {t for t in ont.subjects(RDF.type, OWL.NamedIndividual)}
    assert len(terms) > 90
    for term in sorted(terms):
        _one_per_language(ont, term, RDFS.label)
        _one_per_language(ont, term, SKOS.definition)
        defined_by = ont.value(term, RDFS.isDefinedBy)
        assert defined_by is not None, term
        if str(term).startswith(str(JDX)):
            assert defined_by == ONTOLOGY_IRI


def test_every_jdx_term_used_is_declared(ont: rdflib.Graph) -> None:
    used = {n for n in ont.all_nodes() if isinstance(n, URIRef) and str(n).startswith(str(JDX))}
    declared = set(ont.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI))
    assert used <= declared, sorted(used - declared)


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (JDX.Event, SEM.Event),
        (JDX.Event, SDO.Event),
        (JDX.GoodwillExercise, JDX.UnitExchange),
        (JDX.CapacityBuilding, JDX.UnitExchange),
        (JDX.Position, ORG.Post),
        (JDX.Organization, ORG.Organization),
        (JDX.Country, SDO.Country),
        (JDX.InternationalOrganization, ORG.FormalOrganization),
        (JDX.InternationalOrganization, JDX.Organization),  # NATO, EU: organizations of posts
        (JDX.Forum, SDO.EventSeries),
        (JDX.ForumEdition, SEM.Event),
        (JDX.Place, SEM.Place),
        (JDX.FiscalYear, TIME.ProperInterval),
        (JDX.Indicator, SKOS.Concept),
        (JDX.BudgetObservation, QB.Observation),
        (JDX.StudentFlow, QB.Observation),
        (JDX.SourceDocument, PROV.Entity),
        (JDX.Mode, SKOS.Concept),
        (JDX.Direction, SKOS.Concept),
    ],
)
def test_class_alignments(ont: rdflib.Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subClassOf, sup) in ont


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (JDX.japaneseParticipant, SEM.hasActor),
        (JDX.counterpart, SEM.hasActor),
        (JDX.atForum, SDO.superEvent),
        (JDX.editionOf, SDO.superEvent),
        (JDX.place, SEM.hasPlace),
        (JDX.organization, ORG.postIn),
        (JDX.broaderIndicator, SKOS.broader),
    ],
)
def test_property_alignments(ont: rdflib.Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subPropertyOf, sup) in ont


def test_indicator_and_kind_axes_are_subclasses_of_event(ont: rdflib.Graph) -> None:
    for name in [
        "HighLevelExchange", "DefenseConsultation", "UnitExchange", "ResearchExchange",
        "MultilateralDialogue", "Meeting", "VisitAbroad", "VisitToJapan", "AgreementSigning",
        "Exercise", "OtherActivity",
    ]:  # fmt: skip
        assert (JDX[name], RDFS.subClassOf, JDX.Event) in ont, name


def test_counterpart_country_range_is_a_union(ont: rdflib.Graph) -> None:
    rng = ont.value(JDX.counterpartCountry, RDFS.range)
    members = list(rdflib.collection.Collection(ont, ont.value(rng, OWL.unionOf)))
    assert members == [JDX.Country, JDX.InternationalOrganization]


def test_skos_schemes(ont: rdflib.Graph) -> None:
    for scheme, members in [
        (JDX.ModeScheme, ["InPerson", "Phone", "Video", "Hybrid"]),
        (JDX.DirectionScheme, ["Inbound", "Outbound"]),
    ]:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ont
        for name in members:
            assert (JDX[name], SKOS.inScheme, scheme) in ont
            _one_per_language(ont, JDX[name], SKOS.prefLabel)
        # flat schemes: every concept is a top concept, stated both ways
        assert set(ont.objects(scheme, SKOS.hasTopConcept)) == {JDX[n] for n in members}
        assert set(ont.subjects(SKOS.topConceptOf, scheme)) == {JDX[n] for n in members}


def test_datatype_ranges(ont: rdflib.Graph) -> None:
    # xsd:integer, not xsd:nonNegativeInteger, which Oxigraph turns into xsd:integer (the
    # shapes check the lower bound)
    for name in ("count", "participantCountryCount", "researcherCount"):
        assert ont.value(JDX[name], RDFS.range) == XSD.integer, name
    assert not list(ont.triples((None, None, XSD.nonNegativeInteger)))
    assert ont.value(JDX.sourceLine, RDFS.range) == XSD.integer
    assert ont.value(JDX.budgetAmount, RDFS.range) == XSD.decimal
    assert ont.value(JDX.isTotal, RDFS.range) == XSD.boolean
    assert ont.value(JDX.fyStart, RDFS.range) == XSD.date
    assert ont.value(JDX.date, RDFS.range) == RDFS.Literal


def test_data_cube_component_properties(ont: rdflib.Graph) -> None:
    """The components the data sets' structures name: dimensions with ranges, measures, the
    SDMX unit attribute, and the direction's code list (W3C Data Cube IC-4, IC-19)."""
    sdmx_unit = URIRef("http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure")
    kinds = {
        QB.DimensionProperty: {JDX.fiscalYear, JDX.country, JDX.direction, JDX.budgetLine},
        QB.MeasureProperty: {JDX["count"], JDX.budgetAmount, JDX.executedAmount},
        QB.AttributeProperty: {sdmx_unit},
    }
    for kind, props in kinds.items():
        assert set(ont.subjects(RDF.type, kind)) == props, kind
    for dim in kinds[QB.DimensionProperty]:
        assert ont.value(dim, RDFS.range) is not None, dim
    assert ont.value(JDX.direction, QB.codeList) == JDX.DirectionScheme


def test_shapes_parse_and_every_constraint_has_an_english_message() -> None:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    property_shapes = set(shapes.objects(None, SH.property))
    assert len(property_shapes) > 30
    constrained = property_shapes | {
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if (s, SH["or"], None) in shapes
    }
    for shape in constrained:
        if (shape, SH.sparql, None) in shapes:
            holders = list(shapes.objects(shape, SH.sparql))
        else:
            holders = [shape]
        for holder in holders:
            langs = [m.language for m in shapes.objects(holder, SH.message)]
            assert langs == ["en"], f"{shape}: messages {langs}"


# --------------------------------------------------------------------------- reasoning


@needs_java
def test_hermit_finds_the_ontology_consistent() -> None:
    result = reason(ONTOLOGY)
    assert result.reasoner_ran, result.message
    assert result.consistent, result.message
    assert result.unsatisfiable == []
    assert result.seconds < 60


@needs_java
def test_hermit_infers_sem_event_through_jdx_event() -> None:
    event = JDXR["event/x"]
    data = rdflib.Graph()
    data.add((event, RDF.type, JDX.Meeting))
    data.add((event, RDF.type, JDX.HighLevelExchange))
    data.add((event, JDX.date, Literal("2022-06", datatype=XSD.gYearMonth)))
    result = reason(ONTOLOGY, data)
    assert result.consistent, result.message
    assert (event, RDF.type, JDX.Event) in result.inferred
    assert (event, RDF.type, SEM.Event) in result.inferred
    assert (event, RDF.type, SDO.Event) in result.inferred
    assert (event, RDF.type, JDX.Meeting) not in result.inferred  # asserted, not inferred


@needs_java
def test_a_visit_can_also_be_a_meeting() -> None:
    event = JDXR["event/w"]
    data = rdflib.Graph()
    data.add((event, RDF.type, JDX.VisitToJapan))
    data.add((event, RDF.type, JDX.Meeting))
    data.add((event, RDF.type, JDX.HighLevelExchange))
    assert reason(ONTOLOGY, data).consistent


@needs_java
def test_hermit_uses_domains() -> None:
    event = JDXR["event/y"]
    data = rdflib.Graph()
    data.add((event, JDX.counterpartCountry, JDXR["country/AUS"]))
    result = reason(ONTOLOGY, data)
    assert (event, RDF.type, JDX.Event) in result.inferred


@needs_java
def test_hermit_detects_disjoint_classes() -> None:
    event = JDXR["event/z"]
    data = rdflib.Graph()
    data.add((event, RDF.type, JDX.VisitToJapan))
    data.add((event, RDF.type, JDX.VisitAbroad))
    result = reason(ONTOLOGY, data)
    assert result.reasoner_ran
    assert not result.consistent
    assert "inconsistent" in result.message


def test_reason_without_java_returns_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java")
    result = reason(ONTOLOGY)
    assert not result.reasoner_ran
    assert not result.consistent
    assert "Java" in result.message
    assert len(result.inferred) == 0


# --------------------------------------------------------------------------- docs


def test_write_docs(tmp_path: Path) -> None:
    out = write_docs(ONTOLOGY, tmp_path / "docs" / "index.html")
    assert out.exists()
    page = out.read_text(encoding="utf-8")
    assert "<title>Japan Defense Exchange (JDX) Ontology</title>" in page
    assert "防衛交流ナレッジグラフ・オントロジー" in page
    assert 'id="HighLevelExchange"' in page
    assert 'id="counterpartCountry"' in page
    assert 'id="InPerson"' in page  # individuals section added by kg.docs
    assert 'id=""' not in page  # no anchors lost to non-ASCII titles
    again = write_docs(ONTOLOGY, tmp_path / "again.html").read_text(encoding="utf-8")
    assert again == page
