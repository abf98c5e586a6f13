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
QB = Namespace("http://purl.org/linked-data/cube#")
UNIT = URIRef("http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure")

EVENT = JDXR["event/fy2022-high_level-aus-1"]
FY2022 = JDXR["fy/2022"]
AUS = JDXR["country/AUS"]
INDICATOR = JDXR["indicator/high_level"]
DOCUMENT = JDXR["document/mod-05-1"]
FLOW = JDXR["students/2022/inbound/AUS"]
EDITION = JDXR["forum/shangri-la/19"]
DATASET = JDXR["dataset/students"]
STRUCTURE = JDXR["structure/students"]
PERSONS = JDXR["unit/person"]


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
    g.add((FLOW, JDX["count"], Literal(12)))
    g.add((FLOW, JDX.direction, JDX.Inbound))
    g.add((FLOW, JDX.fiscalYear, FY2022))
    g.add((FLOW, JDX.country, AUS))
    g.add((FLOW, RDF.type, QB.Observation))
    g.add((FLOW, QB.dataSet, DATASET))
    g.add((FLOW, UNIT, PERSONS))
    g.add((FLOW, JDX.sourceLine, Literal(284)))
    g.add((FLOW, JDX.sourceText, Literal("豪州7名")))
    g.add((FLOW, PROV.wasDerivedFrom, DOCUMENT))
    g.add((DATASET, RDF.type, QB.DataSet))
    g.add((DATASET, QB.structure, STRUCTURE))
    g.add((STRUCTURE, RDF.type, QB.DataStructureDefinition))
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


def test_without_ontology_subclass_typed_events_are_still_targeted() -> None:
    """The shapes target both axes' classes: an event typed only jdx:Meeting and
    jdx:HighLevelExchange (no jdx:Event, no ontology to infer it) is checked all the same."""
    g = mini_graph()
    g.remove((EVENT, JDX.fiscalYear, None))
    for ontology in (None, ONTOLOGY):
        v = only_violation(validate_graph(g, SHAPES, ontology), EVENT)
        assert "exactly one jdx:fiscalYear" in v.message


def test_an_observation_needs_its_data_set_unit_and_line() -> None:
    g = mini_graph()
    g.remove((FLOW, RDF.type, QB.Observation))
    g.remove((FLOW, UNIT, None))
    g.remove((FLOW, JDX.sourceText, None))
    messages = {v.message for v in run(g).errors if v.focus == str(FLOW)}
    assert any("typed qb:Observation" in m for m in messages), messages
    assert any("sdmx-attribute:unitMeasure" in m for m in messages), messages
    assert any("jdx:sourceText" in m for m in messages), messages


def test_a_data_set_needs_its_structure() -> None:
    g = mini_graph()
    g.remove((DATASET, QB.structure, None))
    v = only_violation(run(g), DATASET)
    assert "qb:structure" in v.message


def test_counts_are_integers() -> None:
    g = mini_graph()
    g.set((FLOW, JDX["count"], Literal("12", datatype=XSD.nonNegativeInteger)))
    v = only_violation(run(g), FLOW)
    assert "must be an xsd:integer" in v.message
    g.set((FLOW, JDX["count"], Literal(12)))
    g.add((EVENT, JDX.researcherCount, Literal(-1)))
    v = only_violation(run(g), EVENT)
    assert "jdx:researcherCount" in v.message


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


# ------------------------------------------------------------------------------------------
#  The published files alone (no ontology): the shapes reach every event and observation
# ------------------------------------------------------------------------------------------

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def published_ttl() -> rdflib.Graph:
    from kg.check.validate import read_graph

    return read_graph(DATA / "kg.ttl")


def test_every_event_of_the_published_graph_is_a_jdx_event(published_ttl: rdflib.Graph) -> None:
    with (DATA / "events.csv").open(encoding="utf-8") as f:
        rows = sum(1 for _ in f) - 1
    events = set(published_ttl.subjects(RDF.type, JDX.Event))
    assert len(events) == rows
    assert events == set(published_ttl.subjects(JDX.indicator, None))


def test_the_published_turtle_conforms_without_the_ontology(published_ttl: rdflib.Graph) -> None:
    result = validate_graph(published_ttl, SHAPES)
    assert result.conforms, result.report(20)


def _event(g: rdflib.Graph, text: str) -> URIRef:
    (e,) = [s for s in g.subjects(JDX.sourceText, Literal(text)) if (s, RDF.type, JDX.Event) in g]
    assert isinstance(e, URIRef)
    return e


def test_a_broken_copy_of_the_turtle_fails(published_ttl: rdflib.Graph) -> None:
    g = rdflib.Graph()
    for t in published_ttl:
        g.add(t)
    stripped = _event(g, "日米豪防衛相会談(6月)")  # line 42
    g.remove((stripped, JDX.sourceText, None))
    g.remove((stripped, JDX.fiscalYear, None))
    untyped = _event(g, "日米韓防衛相会談(シンガポール(第19回シャングリラ会合))(6月)")
    g.remove((untyped, RDF.type, JDX.Event))  # still a jdx:HighLevelExchange, jdx:Meeting
    g.remove((untyped, JDX.indicator, None))
    budget = JDXR["budget/3/2021"]
    g.remove((budget, JDX.sourceLine, None))
    g.remove((budget, QB.dataSet, None))
    flow = JDXR["students/2019/inbound/THA"]
    g.set((flow, JDX["count"], Literal(-10)))
    result = validate_graph(g, SHAPES)
    assert not result.conforms
    by_focus: dict[str, set[str]] = {}
    for v in result.errors:
        by_focus.setdefault(v.focus, set()).add(v.path)
    assert by_focus == {
        str(stripped): {str(JDX.sourceText), str(JDX.fiscalYear)},
        str(untyped): {str(JDX.indicator)},
        str(budget): {str(JDX.sourceLine), str(QB.dataSet)},
        str(flow): {str(JDX["count"])},
    }, result.report()


def test_a_broken_copy_of_the_ntriples_fails(tmp_path) -> None:
    """The issue's case: an event stripped of its text and fiscal year, in kg.nt alone."""
    from kg.check.validate import read_graph

    nt = (DATA / "kg.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    event = "<https://w3id.org/jdx/id/event/"
    (subject,) = {
        ln.split(" ", 1)[0]
        for ln in nt
        if ln.startswith(event) and '#sourceText> "日米豪防衛相会談(6月)"' in ln
    }
    dropped = [
        ln
        for ln in nt
        if ln.startswith(subject + " ") and ("#sourceText>" in ln or "#fiscalYear>" in ln)
    ]
    assert len(dropped) == 2
    broken = tmp_path / "kg.nt"
    broken.write_text("".join(ln for ln in nt if ln not in dropped), encoding="utf-8")
    result = validate_graph(read_graph(broken), SHAPES)
    assert {(v.focus, v.path) for v in result.errors} == {
        (subject[1:-1], str(JDX.sourceText)),
        (subject[1:-1], str(JDX.fiscalYear)),
    }, result.report()
