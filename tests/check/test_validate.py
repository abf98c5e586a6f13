"""SHACL validation: a hand-built correct mini graph conforms; each broken variant is caught."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef

from kg import paths
from kg.check.validate import ValidationResult, Violation, validate_graph

ROOT = paths.REPO
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY = ROOT / "ontology" / "jdx.ttl"

JDX = Namespace("https://w3id.org/jdx/ontology#")
JDXR = Namespace("https://w3id.org/jdx/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

EVENT = JDXR["event/fy2022-high_level-aus-1"]
FY2022 = JDXR["fy/2022"]
AUS = JDXR["country/AUS"]
INDICATOR = JDXR["indicator/high_level"]
DOCUMENT = JDXR["document/mod-05-1"]
FLOW = JDXR["students/2022/inbound/AUS"]
EDITION = JDXR["forum/shangri-la/19"]


def _labels(g: rdflib.Graph, node: URIRef, ja: str, en: str) -> None:
    g.add((node, RDFS.label, Literal(ja, lang="ja")))
    g.add((node, RDFS.label, Literal(en, lang="en")))


def mini_graph() -> rdflib.Graph:
    """A correct mini graph: one event (typed on both axes, not as jdx:Event) and its context."""
    g = rdflib.Graph()
    g.add((EVENT, RDF.type, JDX.Meeting))
    g.add((EVENT, RDF.type, JDX.HighLevelExchange))
    _labels(g, EVENT, "防衛相会談", "Defense ministers' meeting")
    g.add((EVENT, JDX.fiscalYear, FY2022))
    g.add((EVENT, JDX.date, Literal("2022-06", datatype=XSD.gYearMonth)))
    g.add((EVENT, JDX.indicator, INDICATOR))
    g.add((EVENT, JDX.sourceLine, Literal(42)))
    g.add((EVENT, JDX.sourceText, Literal("防衛相会談(6月)")))
    g.add((EVENT, PROV.wasDerivedFrom, DOCUMENT))
    g.add((EVENT, JDX.counterpartCountry, AUS))
    g.add((EVENT, JDX.mode, JDX.InPerson))

    g.add((FY2022, RDF.type, JDX.FiscalYear))
    _labels(g, FY2022, "令和4年度", "FY2022")
    g.add((FY2022, JDX.fyStart, Literal("2022-04-01", datatype=XSD.date)))
    g.add((FY2022, JDX.fyEnd, Literal("2023-03-31", datatype=XSD.date)))

    g.add((INDICATOR, RDF.type, JDX.Indicator))
    _labels(g, INDICATOR, "ハイレベル交流", "High-level exchanges")

    g.add((AUS, RDF.type, JDX.Country))
    _labels(g, AUS, "オーストラリア", "Australia")
    g.add((AUS, JDX.iso3, Literal("AUS")))
    g.add((AUS, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q408")))

    g.add((DOCUMENT, RDF.type, JDX.SourceDocument))
    _labels(g, DOCUMENT, "政策評価事前分析表 05-①", "Policy analysis sheet 05-1")

    g.add((FLOW, RDF.type, JDX.StudentFlow))
    g.add((FLOW, JDX["count"], Literal(12, datatype=XSD.nonNegativeInteger)))
    g.add((FLOW, JDX.direction, JDX.Inbound))
    g.add((FLOW, JDX.fiscalYear, FY2022))
    g.add((FLOW, JDX.country, AUS))
    return g


def run(g: rdflib.Graph) -> ValidationResult:
    return validate_graph(g, SHAPES, ONTOLOGY)


def only_violation(result: ValidationResult, focus: URIRef) -> Violation:
    """The single Violation of ``result``; fails with the full report otherwise."""
    errors = result.errors
    assert len(errors) == 1, result.report()
    assert errors[0].focus == str(focus), result.report()
    return errors[0]


def test_correct_mini_graph_conforms() -> None:
    result = run(mini_graph())
    assert result.conforms, result.report()
    assert result.violations == []
    assert result.seconds >= 0


def test_event_without_fiscal_year() -> None:
    g = mini_graph()
    g.remove((EVENT, JDX.fiscalYear, None))
    result = run(g)
    assert not result.conforms
    v = only_violation(result, EVENT)
    assert v.path == str(JDX.fiscalYear)
    assert v.severity == "Violation"
    assert "exactly one jdx:fiscalYear" in v.message
    assert str(EVENT) in str(v)


def test_label_without_language_tag() -> None:
    g = mini_graph()
    g.add((AUS, RDFS.label, Literal("Oz")))
    v = only_violation(run(g), AUS)
    assert v.path == str(RDFS.label)
    assert "language tag" in v.message
    assert v.value == "Oz"


def test_label_missing_japanese() -> None:
    g = mini_graph()
    g.remove((AUS, RDFS.label, Literal("オーストラリア", lang="ja")))
    v = only_violation(run(g), AUS)
    assert "Japanese (@ja)" in v.message


def test_two_labels_in_one_language_is_only_a_warning() -> None:
    g = mini_graph()
    g.add((AUS, RDFS.label, Literal("Commonwealth of Australia", lang="en")))
    result = run(g)
    assert result.conforms, result.report()
    assert [v.severity for v in result.violations] == ["Warning"]


def test_date_outside_fiscal_year() -> None:
    g = mini_graph()
    # FY2022 runs 2022-04 .. 2023-03; 2023-05 belongs to FY2023.
    g.set((EVENT, JDX.date, Literal("2023-05", datatype=XSD.gYearMonth)))
    v = only_violation(run(g), EVENT)
    assert v.path == str(JDX.date)
    assert "outside the fiscal year" in v.message
    assert "2023-05" in v.message and str(FY2022) in v.message


@pytest.mark.parametrize(
    "value",
    [
        Literal("2022-04", datatype=XSD.gYearMonth),
        Literal("2023-03", datatype=XSD.gYearMonth),
        Literal("2023-03-31", datatype=XSD.date),
    ],
)
def test_dates_at_fiscal_year_edges_conform(value: Literal) -> None:
    g = mini_graph()
    g.set((EVENT, JDX.date, value))
    result = run(g)
    assert result.conforms, result.report()


def test_date_before_fiscal_year_and_day_precision() -> None:
    g = mini_graph()
    g.set((EVENT, JDX.date, Literal("2022-03-31", datatype=XSD.date)))
    v = only_violation(run(g), EVENT)
    assert "outside the fiscal year" in v.message


@pytest.mark.parametrize(
    "value",
    [
        Literal("2022-13", datatype=XSD.gYearMonth),  # rdflib accepts it; the pattern does not
        Literal("2022-6", datatype=XSD.gYearMonth),
        Literal("2022-06"),  # plain string
    ],
)
def test_malformed_date(value: Literal) -> None:
    g = mini_graph()
    g.set((EVENT, JDX.date, value))
    result = run(g)
    assert any(
        v.focus == str(EVENT) and "xsd:gYearMonth (YYYY-MM)" in v.message for v in result.errors
    ), result.report()


def test_negative_student_count() -> None:
    g = mini_graph()
    g.set((FLOW, JDX["count"], Literal(-3)))
    v = only_violation(run(g), FLOW)
    assert v.path == str(JDX["count"])
    assert "must not be negative" in v.message


def test_event_without_counterpart_country() -> None:
    g = mini_graph()
    g.remove((EVENT, JDX.counterpartCountry, None))
    v = only_violation(run(g), EVENT)
    assert "at least one jdx:counterpartCountry" in v.message
    assert '"no_country"' in v.message


def test_no_country_flag_excuses_missing_country() -> None:
    g = mini_graph()
    g.remove((EVENT, JDX.counterpartCountry, None))
    g.add((EVENT, JDX.qualityFlag, Literal("no_country")))
    result = run(g)
    assert result.conforms, result.report()


def test_event_missing_provenance_and_source_line() -> None:
    g = mini_graph()
    g.remove((EVENT, PROV.wasDerivedFrom, None))
    g.set((EVENT, JDX.sourceLine, Literal(0)))
    result = run(g)
    messages = {v.message for v in result.errors if v.focus == str(EVENT)}
    assert any("prov:wasDerivedFrom" in m for m in messages), result.report()
    assert any("at least 1" in m for m in messages), result.report()


def test_country_code_and_wikidata_link() -> None:
    g = mini_graph()
    g.set((AUS, JDX.iso3, Literal("Aus")))
    g.set((AUS, SKOS.exactMatch, URIRef("https://www.wikidata.org/wiki/Q408")))
    result = run(g)
    paths = sorted(v.path for v in result.errors if v.focus == str(AUS))
    assert paths == sorted([str(JDX.iso3), str(SKOS.exactMatch)]), result.report()


def test_forum_edition_needs_forum() -> None:
    g = mini_graph()
    g.add((EDITION, RDF.type, JDX.ForumEdition))
    _labels(g, EDITION, "第19回シャングリラ会合", "19th Shangri-La Dialogue")
    v = only_violation(run(g), EDITION)
    assert "exactly one jdx:editionOf" in v.message


def test_without_ontology_subclass_typed_events_are_not_targeted() -> None:
    """Documents why validate_graph takes the ontology: targetClass follows subClassOf."""
    g = mini_graph()
    g.remove((EVENT, JDX.fiscalYear, None))
    assert validate_graph(g, SHAPES).conforms  # the Meeting-only event is not checked at all
    assert not validate_graph(g, SHAPES, ONTOLOGY).conforms


def test_results_are_sorted_and_deterministic() -> None:
    g = mini_graph()
    g.remove((EVENT, JDX.fiscalYear, None))
    g.remove((EVENT, JDX.counterpartCountry, None))
    g.set((FLOW, JDX["count"], Literal(-1)))
    g.add((AUS, RDFS.label, Literal("Oz")))
    first = run(g).violations
    second = run(g).violations
    assert first == second
    assert [v.focus for v in first] == sorted(v.focus for v in first)
    assert len(first) == 4


def test_input_graph_is_not_modified() -> None:
    g = mini_graph()
    before = len(g)
    run(g)
    assert len(g) == before
