"""The graph and the tables agree; the graph is deterministic and round-trips."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import paths
from kg.formats import jsonld, turtle
from kg.model.vocab import PREFIX_IRIS
from kg.pipeline.rdf import build_graph
from kg.pipeline.write import graph_texts, table_texts


def to_turtle(g: Graph) -> str:
    return turtle.write(g, PREFIX_IRIS)


def to_jsonld(g: Graph) -> str:
    return jsonld.write(g, PREFIX_IRIS)


ROOT = paths.REPO
DATA = ROOT / "data"
SRC = str(Path(paths.__file__).resolve().parents[1])  # the kg under test, in a subprocess too

EVENTS_FROM_GRAPH = """
PREFIX jdx: <https://w3id.org/jdx/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?indicator ?fy ?block ?seq ?date ?actor ?mode ?forum ?edition ?place ?text ?line
       (GROUP_CONCAT(DISTINCT ?cc; separator="|") AS ?countries)
       (GROUP_CONCAT(DISTINCT ?cpl; separator="|") AS ?counterparts)
       (GROUP_CONCAT(DISTINCT ?kind; separator="|") AS ?kinds)
       (GROUP_CONCAT(DISTINCT ?flag; separator=";") AS ?flags)
WHERE {
  ?e a/rdfs:subClassOf* jdx:Event ; jdx:indicator/jdx:code ?indicator ;
     jdx:fiscalYear/jdx:startYear ?fy ;
     jdx:block ?block ; jdx:seq ?seq ; jdx:sourceText ?text ; jdx:sourceLine ?line .
  OPTIONAL { ?e jdx:date ?date }
  OPTIONAL { ?e jdx:japaneseParticipant/jdx:code ?actor }
  OPTIONAL { ?e jdx:mode ?mode }
  OPTIONAL { ?e jdx:atForum ?ed . ?ed jdx:editionOf/rdfs:label ?forum .
             FILTER(LANG(?forum) = "ja") OPTIONAL { ?ed jdx:ordinal ?edition } }
  OPTIONAL { ?e jdx:place/rdfs:label ?place FILTER(LANG(?place) = "ja") }
  OPTIONAL { ?e jdx:counterpartCountry/skos:notation ?cc }
  OPTIONAL { ?e jdx:counterpart/rdfs:label ?cpl FILTER(LANG(?cpl) = "ja") }
  OPTIONAL { ?e a ?kclass . ?kclass rdfs:subClassOf jdx:Event .
             VALUES (?kclass ?kind) { (jdx:Meeting "meeting") (jdx:VisitAbroad "visit_abroad")
               (jdx:VisitToJapan "visit_to_japan") (jdx:AgreementSigning "signing")
               (jdx:Exercise "exercise") (jdx:OtherActivity "other") } }
  OPTIONAL { ?e jdx:qualityFlag ?flag }
}
GROUP BY ?e ?indicator ?fy ?block ?seq ?date ?actor ?mode ?forum ?edition ?place ?text ?line
"""
MODES = {"InPerson": "in_person", "Phone": "phone", "Video": "video", "Hybrid": "hybrid"}


@pytest.fixture(scope="module")
def graph(build) -> Graph:
    g = build_graph(build)
    onto = Graph().parse(ROOT / "ontology" / "jdx.ttl")
    for t in onto.triples((None, None, None)):
        if str(t[1]).endswith("subClassOf"):
            g.add(t)
    return g


def split(value: str | None, sep: str) -> set[str]:
    return {v for v in (value or "").split(sep) if v}


def oxigraph_rows(graph: Graph, query: str) -> list:
    """Run on Oxigraph: rdflib's GROUP_CONCAT fails on unbound values (NotBoundError)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)

    class Row:
        def __init__(self, sol, names):
            for n in names:
                term = sol[n]
                setattr(self, n, None if term is None else term.value)

    res = store.query(query)
    names = [v.value for v in res.variables]
    return [Row(sol, names) for sol in res]


def test_events_csv_equals_the_graph_row_by_row(graph: Graph) -> None:
    rows = list(csv.DictReader(io.StringIO((DATA / "events.csv").read_text(encoding="utf-8"))))
    by_id = {r["id"]: r for r in rows}
    seen = set()
    for b in oxigraph_rows(graph, EVENTS_FROM_GRAPH):
        eid = str(b.e).rsplit("/", 1)[1]
        seen.add(eid)
        r = by_id[eid]
        assert r["indicator"] == str(b.indicator)
        assert r["fiscal_year"] == str(b.fy)
        assert r["block"] == str(b.block) and r["seq"] == str(b.seq)
        assert r["date"] == (str(b.date) if b.date else "")
        assert r["jp_actor"] == (str(b.actor) if b.actor else "")
        assert r["mode"] == (MODES[str(b.mode).rsplit("#", 1)[1]] if b.mode else "")
        assert r["forum"] == (str(b.forum) if b.forum else "")
        assert r["forum_edition"] == (str(b.edition) if b.edition else "")
        assert r["location"] == (str(b.place) if b.place else "")
        assert r["source_text"] == str(b.text) and r["source_line"] == str(b.line)
        assert split(r["countries"], "|") == split(b.countries, "|"), eid
        assert split(r["counterpart"], "|") == split(b.counterparts, "|"), eid
        assert r["kind"] in split(b.kinds, "|"), eid
        assert split(r["flags"], ";") == split(b.flags, ";"), eid
    assert seen == set(by_id), "events in the table but not in the graph, or the reverse"


def test_counts_per_indicator_and_fy_agree(graph: Graph) -> None:
    q = """PREFIX jdx: <https://w3id.org/jdx/ontology#>
    SELECT ?i ?fy (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e jdx:indicator/jdx:code ?i ;
    jdx:fiscalYear/jdx:startYear ?fy } GROUP BY ?i ?fy"""
    from_graph = {(str(r.i), str(r.fy)): int(r.n) for r in graph.query(q)}
    rows = csv.DictReader(io.StringIO((DATA / "events.csv").read_text(encoding="utf-8")))
    from_table = Counter((r["indicator"], r["fiscal_year"]) for r in rows)
    assert from_graph == dict(from_table)
    q = """PREFIX jdx: <https://w3id.org/jdx/ontology#>
    SELECT (COUNT(?s) AS ?n) WHERE { ?s a jdx:StudentFlow }"""
    students = (DATA / "students.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert int(next(iter(graph.query(q))).n) == len(students)


def test_every_event_is_typed_on_both_axes(graph: Graph) -> None:
    q = """PREFIX jdx: <https://w3id.org/jdx/ontology#>
    SELECT ?e WHERE { ?e jdx:indicator ?i .
      FILTER(NOT EXISTS { ?e a ?k . VALUES ?k { jdx:Meeting jdx:VisitAbroad jdx:VisitToJapan
        jdx:AgreementSigning jdx:Exercise jdx:OtherActivity } }
      || NOT EXISTS { ?e a ?c . VALUES ?c { jdx:HighLevelExchange jdx:DefenseConsultation
        jdx:UnitExchange jdx:ResearchExchange jdx:MultilateralDialogue } }) }"""
    assert list(graph.query(q)) == []


def test_committed_graph_equals_a_fresh_build(build) -> None:
    texts = graph_texts(build_graph(build))
    for name, text in texts.items():
        assert (DATA / name).read_text(encoding="utf-8") == text, f"data/{name} is stale"
    for name, text in table_texts(build).items():
        assert (DATA / name).read_text(encoding="utf-8") == text, f"data/{name} is stale"


def test_same_iris_and_bytes_in_a_separate_process(tmp_path: Path) -> None:
    code = (
        "from kg.pipeline.flow import run; from kg.pipeline.rdf import graph_triples;"
        "from kg.formats import ntriples;"
        "import sys; sys.stdout.write(ntriples.write(graph_triples(run())))"
    )
    outs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "PYTHONPATH": SRC},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outs[0] == outs[1]
    assert outs[0] == (DATA / "kg.nt").read_text(encoding="utf-8")


def test_turtle_jsonld_turtle_round_trip_is_isomorphic(build) -> None:
    g = build_graph(build)
    ttl = to_turtle(g)
    g1 = Graph().parse(data=ttl, format="turtle")
    g2 = Graph().parse(data=to_jsonld(g1), format="json-ld")
    g3 = Graph().parse(data=to_turtle(g2), format="turtle")
    assert isomorphic(g1, g3)
    assert len(g3) == len(g)


def test_jsonld_context_is_local() -> None:
    text = (DATA / "kg.jsonld").read_text(encoding="utf-8")
    assert text.lstrip().startswith('{\n "@context": {')
    assert '"@context": "http' not in text


def test_countries_link_to_wikidata_with_exact_match_never_same_as(graph: Graph) -> None:
    q = """PREFIX jdx: <https://w3id.org/jdx/ontology#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?c ?w WHERE { ?c a jdx:Country ; skos:exactMatch ?w }"""
    links = {str(r.c).rsplit("/", 1)[1]: str(r.w) for r in graph.query(q)}
    assert links["AUS"] == "http://www.wikidata.org/entity/Q408"
    assert links["PHL"] == "http://www.wikidata.org/entity/Q928"
    sameas = "http://www.w3.org/2002/07/owl#sameAs"
    assert not any(str(p) == sameas for _, p, _ in graph)


def test_forums_link_to_their_english_wikipedia_article(graph: Graph) -> None:
    """forums.csv's wikipedia_en (checked against stored copies of the pages) -> schema:sameAs."""
    import csv

    rows = list(csv.DictReader((ROOT / "data" / "gazetteer" / "forums.csv").open(encoding="utf-8")))
    linked = {r["slug"]: r["wikipedia_en"] for r in rows if r["wikipedia_en"]}
    wiki = "https://en.wikipedia.org/wiki/"
    assert all(u.startswith(wiki) and " " not in u for u in linked.values())
    assert len(set(linked.values())) == len(linked)
    q = """PREFIX jdx: <https://w3id.org/jdx/ontology#>
    PREFIX schema: <https://schema.org/>
    SELECT ?code ?page WHERE { ?f a jdx:Forum ; jdx:code ?code ; schema:sameAs ?page }"""
    got = {str(r.code): str(r.page) for r in graph.query(q)}
    assert got["shangri_la_dialogue"] == "https://en.wikipedia.org/wiki/Shangri-La_Dialogue"
    assert got["wpns"] == "https://en.wikipedia.org/wiki/Western_Pacific_Naval_Symposium"
    # every forum of the graph that has an article carries it, and nothing else does
    assert got == {k: v for k, v in linked.items() if k in got} and set(got) <= set(linked)


def test_validate_command_passes_with_reasoning() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kg", "validate", "--reason"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "conforms" in out.stdout and "HermiT: consistent" in out.stdout


def test_docs_committed_equal_a_fresh_page(tmp_path: Path) -> None:
    from kg.check.docs import write_docs

    fresh = write_docs(ROOT / "ontology" / "jdx.ttl", tmp_path / "jdx.html")
    assert fresh.read_text(encoding="utf-8") == (ROOT / "ontology" / "jdx.html").read_text(
        encoding="utf-8"
    )


# ------------------------------------------------------------------------------------------
#  Observations, schemes and labels (issue 11: the graph's seams)
# ------------------------------------------------------------------------------------------

JDX_NS = "https://w3id.org/jdx/ontology#"
ID = "https://w3id.org/jdx/id/"
QB_NS = "http://purl.org/linked-data/cube#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
UNIT = "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"


def _values(graph: Graph, s: str, p: str) -> list:
    from rdflib import URIRef

    return sorted(graph.objects(URIRef(s), URIRef(p)), key=str)


def test_every_observation_carries_its_source_unit_and_labels(graph: Graph) -> None:
    from rdflib import RDF, URIRef

    obs = set(graph.subjects(RDF.type, URIRef(QB_NS + "Observation")))
    # 18 budget figures (lines 22-28) and 124 student counts (lines 281-284)
    assert len(obs) == 142
    for o in obs:
        langs = sorted(lbl.language for lbl in graph.objects(o, URIRef(RDFS_NS + "label")))
        assert langs == ["en", "ja"], o
        for p in ("sourceLine", "sourceText"):
            assert len(list(graph.objects(o, URIRef(JDX_NS + p)))) == 1, (o, p)
        assert len(list(graph.objects(o, URIRef(UNIT)))) == 1, o
    source = (DATA / "source.txt").read_text(encoding="utf-8").splitlines()
    for iri, text, line, unit in [
        ("budget/2/2020", "66 (2)", 23, "million_yen"),  # (2) ジブチ軍… 66 (2)
        ("budget/total/2022", "600", 28, "million_yen"),  # 施策の予算額・執行額 … 600
        ("students/2022/inbound/PHL", "フィリピン14名", 284, "person"),
    ]:
        s = ID + iri
        assert [str(v) for v in _values(graph, s, JDX_NS + "sourceText")] == [text]
        assert [v.toPython() for v in _values(graph, s, JDX_NS + "sourceLine")] == [line]
        assert text in source[line - 1]
        assert [str(v) for v in _values(graph, s, UNIT)] == [ID + "unit/" + unit]
    labels = {str(v) for v in _values(graph, ID + "budget/3/2021", RDFS_NS + "label")}
    assert labels == {
        "ハイレベル政策的交流(令和3年度): 予算額420(執行額120)百万円",
        "High-level policy exchange, FY2021: budget 420, executed 120 (million yen)",  # english.csv
    }


def test_budget_figures_carry_their_flags_and_the_reasons(graph: Graph) -> None:
    source = (DATA / "source.txt").read_text(encoding="utf-8").splitlines()
    footnote = source[29].strip()  # line 30: ※1 … 令和4年度の執行額 … 記載していない。
    assert footnote.startswith("※1") and "執行額" in footnote

    def flags(iri: str) -> set[str]:
        return {str(v) for v in _values(graph, ID + iri, JDX_NS + "qualityFlag")}

    def comments(iri: str) -> set[str]:
        return {str(v) for v in _values(graph, ID + iri, RDFS_NS + "comment")}

    # FY2020: the total states 613 executed; the lines executed 89+2+34+13+7 = 145.
    assert flags("budget/total/2020") == {"executed_sum_mismatch_2020"}
    assert comments("budget/total/2020") == {"FY2020 executed: lines sum to 145, total states 613"}
    # FY2022: no execution stated, on any line (※1), and the lines' budgets sum to 599.
    for item in ("1", "2", "3", "4", "5", "total"):
        assert "executed_not_stated_2022" in flags(f"budget/{item}/2022")
        assert f"line 30: {footnote}" in comments(f"budget/{item}/2022")
    assert "budget_sum_mismatch_2022" in flags("budget/total/2022")
    assert flags("budget/3/2021") == set() and comments("budget/3/2021") == set()


def test_every_resource_with_a_line_has_its_text_and_document(graph: Graph) -> None:
    from rdflib import URIRef

    line, text = URIRef(JDX_NS + "sourceLine"), URIRef(JDX_NS + "sourceText")
    derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    subjects = set(graph.subjects(line, None))
    assert len(subjects) > 842 + 142  # events, observations, budget lines, indicators
    for s in subjects:
        assert (s, text, None) in graph and (s, derived, None) in graph, s


def test_alternative_labels_are_tagged_by_their_script(graph: Graph) -> None:
    import re

    from rdflib import URIRef

    alt = URIRef(SKOS_NS + "altLabel")
    japanese = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
    labels = list(graph.subject_objects(alt))
    assert labels
    for _, label in labels:
        assert label.language == ("ja" if japanese.search(label) else "en"), label
    imsc = {(str(v), v.language) for v in _values(graph, ID + "forum/imsc", SKOS_NS + "altLabel")}
    assert ("International Maritime Security Conference", "en") in imsc


def test_the_indicators_form_a_skos_scheme(graph: Graph) -> None:
    from rdflib import RDF, URIRef

    scheme = URIRef(ID + "scheme/indicators")
    assert (scheme, RDF.type, URIRef(SKOS_NS + "ConceptScheme")) in graph
    members = set(graph.subjects(URIRef(SKOS_NS + "inScheme"), scheme))
    # 測定指標 ① and its six sub-indicators (lines 13-18 of data/source.txt)
    assert members == set(graph.subjects(RDF.type, URIRef(JDX_NS + "Indicator")))
    assert len(members) == 7
    top = URIRef(ID + "indicator/measure_1")
    assert set(graph.objects(scheme, URIRef(SKOS_NS + "hasTopConcept"))) == {top}
    assert (top, URIRef(SKOS_NS + "topConceptOf"), scheme) in graph
    broader = URIRef(JDX_NS + "broaderIndicator")
    assert {m for m in members if (m, broader, top) in graph} == members - {top}


def test_no_datatype_an_engine_would_change(graph: Graph) -> None:
    """Oxigraph stores xsd:nonNegativeInteger as xsd:integer; the graph uses neither such type
    nor any other that the store rewrites."""
    from rdflib import XSD, Literal

    datatypes = {o.datatype for _, _, o in graph if isinstance(o, Literal) and o.datatype}
    assert datatypes == {XSD.integer, XSD.decimal, XSD.boolean, XSD.date, XSD.gYear, XSD.gYearMonth}


def test_every_position_has_one_japanese_and_one_english_title(build, graph: Graph) -> None:
    from rdflib import RDF, RDFS, Literal, Namespace

    jdx = Namespace(PREFIX_IRIS["jdx"])
    positions = set(graph.subjects(RDF.type, jdx.Position))
    assert positions
    for p in positions:
        langs = sorted(o.language for o in graph.objects(p, RDFS.label) if isinstance(o, Literal))
        assert langs == ["en", "ja"], p
    # the offices of data/gazetteer/positions.csv carry its English title, and their other
    # printed titles as skos:altLabel: 英国防参謀長 is the UK's Chief of the Defence Staff
    uk = build_graph_iri("position/gbr/chief_of_the_defence_staff")
    assert Literal("Chief of the Defence Staff (UK)", lang="en") in set(
        graph.objects(uk, RDFS.label)
    )
    skos = Namespace(PREFIX_IRIS["skos"])
    assert Literal("英国国防参謀長", lang="ja") in set(graph.objects(uk, skos.altLabel))
    # and the event keeps what the document printed
    printed = {
        str(o)
        for e in graph.subjects(jdx.counterpart, uk)
        for o in graph.objects(e, jdx.counterpartAsPrinted)
    }
    assert {"英国防参謀長", "英国防参謀総長"} <= printed


def build_graph_iri(path: str):
    from rdflib import URIRef

    return URIRef(PREFIX_IRIS["jdxr"] + path)
