"""kg.network: views of the RDF graph, checked against independent SPARQL counts."""

from __future__ import annotations

import csv
import json
import math
import random
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg import network as nw
from kg import paths
from kg.cli import main as cli
from kg.model.vocab import JDX, JDXR

DATA = paths.REPO / "data"
pytestmark = pytest.mark.skipif(
    not (DATA / "kg.nt").exists(), reason="data/kg.nt missing: run `kg build`"
)
PREFIX = f"PREFIX jdx: <{JDX}>\n"


@pytest.fixture(scope="module")
def g(kg_graph: Graph) -> Graph:
    return kg_graph


def sparql_pairs(g: Graph, body: str) -> dict[frozenset, int]:
    return {frozenset((str(a), str(b))): int(n) for a, b, n in g.query(PREFIX + body)}


def edge_weights(G: nx.Graph) -> dict[frozenset, int]:
    return {frozenset((u, v)): w for u, v, w in G.edges(data="weight")}


# -- the views equal what the graph says ----------------------------------------------------


@pytest.mark.parametrize("view", nw.VIEWS)
def test_every_view_has_typed_bilingual_nodes(facts, view):
    G = nw.projection(facts, view)
    assert G.number_of_nodes() > 40 and G.number_of_edges() > 40
    assert isinstance(G, nx.MultiDiGraph) == (view == "full")
    assert G.is_multigraph() == (view in ("full", "person_country"))
    for _, d in G.nodes(data=True):
        assert d["type"] in nw.NODE_TYPES
        assert d["label_ja"] and d["label_en"], d
        assert d["iri"].startswith(str(JDXR))
        assert d["count"] >= 1
    for *_, d in G.edges(data=True):
        assert isinstance(d["weight"], int) and d["weight"] >= 1


def test_full_graph_holds_every_event_and_its_links(g, facts):
    G = nw.full_graph(facts)
    types = Counter(t for _, t in G.nodes(data="type"))
    n_events = len(list(g.subjects(JDX.indicator, None)))
    assert types["event"] == n_events
    assert {"jp_office", "foreign_office", "country", "forum", "forum_edition", "place"} <= set(
        types
    )
    assert types["fiscal_year"] == len(list(g.subjects(RDF.type, JDX.FiscalYear)))
    links = Counter(k for *_, k in G.edges(keys=True))
    for prop in ("japaneseParticipant", "counterpart", "counterpartCountry", "atForum", "place"):
        assert links[prop] == len(set(g.subject_objects(JDX[prop]))), prop
    assert links["fiscalYear"] >= n_events
    # every event edge points from the event, typed by the graph's own property
    for u, v, k, d in G.edges(keys=True, data=True):
        assert d["predicate"] == str(JDX[k])
        assert (URIRef(u), JDX[k], URIRef(v)) in g


def test_office_country_weights_equal_sparql_counts(g, facts):
    expected = sparql_pairs(
        g,
        "SELECT ?jp ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e jdx:japaneseParticipant ?jp ;"
        " jdx:counterpartCountry ?c } GROUP BY ?jp ?c",
    )
    assert edge_weights(nw.projection(facts, "office_country")) == expected


def test_office_country_agrees_with_the_events_table(facts):
    """The CSV is not what the views read; it is an independent witness of the same records."""
    table = DATA / "events.csv"
    if not table.exists():
        pytest.skip("data/events.csv missing")
    expected: Counter = Counter()
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["jp_actor"] and row["countries"]:
                for c in row["countries"].split("|"):
                    jp = str(JDXR[f"position/jp/{row['jp_actor']}"])
                    expected[frozenset((jp, str(JDXR[f"country/{c}"])))] += 1
    assert edge_weights(nw.projection(facts, "office_country")) == dict(expected)


KISHI = str(JDXR["person/kishi_nobuo"])
AUS = str(JDXR["country/AUS"])


def person_edge_weights(G: nx.MultiGraph) -> dict[tuple[str, str, str], int]:
    return {(u, v, k): w for u, v, k, w in G.edges(keys=True, data="weight")}


def test_person_country_weights_equal_sparql_counts(g, facts):
    """Each person-country link counts the events with that person, confirmed and candidate
    apart: the same numbers as a SPARQL query over data/kg.nt."""
    rows = g.query(
        PREFIX + "SELECT ?link ?p ?c (COUNT(DISTINCT ?e) AS ?n) WHERE {"
        " VALUES ?link { jdx:participantPerson jdx:candidateParticipant }"
        " ?e ?link ?p ; jdx:counterpartCountry ?c ; jdx:indicator ?i } GROUP BY ?link ?p ?c"
    )
    expected = {(str(p), str(c), str(link).rsplit("#", 1)[1]): int(n) for link, p, c, n in rows}
    G = nw.projection(facts, "person_country")
    got = {}
    for (u, v, k), w in person_edge_weights(G).items():
        p, c = (u, v) if G.nodes[u]["type"] == "person" else (v, u)
        got[(p, c, k)] = w
    assert got == expected
    assert {k for *_, k in got} == {"participantPerson", "candidateParticipant"}
    for _, d in G.nodes(data=True):  # a person's count splits into confirmed and candidate
        if d["type"] == "person":
            assert d["count"] == d["events_confirmed"] + d["events_candidate"]


def test_kishi_and_australia_as_the_document_prints_them(facts):
    """Read off data/source.txt: 岸信夫 was minister from 2020-09-16 to 2022-08-10, so the
    months he held the office throughout run from October 2020 to July 2022. The Australian
    high-level items in them that name the minister: FY2020 (line 42) 防衛相会談(10月) and
    防衛相電話会談(…10月); FY2021 (line 116) 日豪防衛相電話会談(5月), 第9回日豪外務・防衛閣僚協議
    (「2+2」)(6月) and 日豪防衛相電話会談(令和4年2月); FY2022 (lines 173-174) 日豪防衛相会談
    (シャングリラ)(6月), 日豪防衛相会談(東京)(6月) and 日米豪防衛相会談(シャングリラ)6月: 8
    confirmed. 日豪防衛相電話会談(8月) of 2022 falls in the handover month: a candidate, apart."""
    G = nw.projection(facts, "person_country")
    assert G[KISHI][AUS]["participantPerson"]["weight"] == 8
    assert nw.parse_breakdown(G[KISHI][AUS]["participantPerson"]["breakdown"]) == {
        "2020/high_level": 2,
        "2020/*": 2,
        "2021/high_level": 3,
        "2021/*": 3,
        "2022/high_level": 3,
        "2022/*": 3,
        "*/high_level": 8,
    }
    assert G[KISHI][AUS]["candidateParticipant"]["weight"] == 1
    kishi = G.nodes[KISHI]
    assert kishi["type"] == "person"
    assert kishi["label_ja"] == "岸信夫 (防衛大臣)"
    assert kishi["label_en"] == "Kishi Nobuo (Minister of Defense)"
    # FY2022 only: the three June meetings, and the August call as a candidate
    fy22 = nw.projection(facts, "person_country", fy=2022, country="AUS")
    assert {c for n, c in fy22.nodes(data="type") if c != "person"} == {"country"}
    assert fy22[KISHI][AUS]["participantPerson"]["weight"] == 3
    assert fy22[KISHI][AUS]["candidateParticipant"]["weight"] == 1
    assert KISHI not in nw.projection(facts, "person_country", fy=2019)


def test_a_person_who_held_two_offices_names_both(facts):
    """吉田圭秀 was 陸上幕僚長, then 統合幕僚長 (data/gazetteer/office_holders.csv)."""
    d = nw.projection(facts, "person_country").nodes[str(JDXR["person/yoshida_yoshihide"])]
    assert d["label_ja"] == "吉田圭秀 (陸上幕僚長、統合幕僚長)"
    assert d["label_en"].count(";") == 1


def test_country_forum_weights_equal_sparql_counts(g, facts):
    expected = sparql_pairs(
        g,
        "SELECT ?c ?f (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e jdx:counterpartCountry ?c ;"
        " jdx:atForum ?ed . ?ed jdx:editionOf ?f } GROUP BY ?c ?f",
    )
    assert edge_weights(nw.projection(facts, "country_forum")) == expected


def test_copresence_weights_equal_sparql_counts(g, facts):
    expected = sparql_pairs(
        g,
        """SELECT ?a ?b (COUNT(DISTINCT ?occ) AS ?n) WHERE {
          { ?e1 jdx:atForum ?occ ; jdx:counterpartCountry ?a .
            ?e2 jdx:atForum ?occ ; jdx:counterpartCountry ?b . }
          UNION
          { ?occ jdx:indicator ?i ; jdx:counterpartCountry ?a , ?b .
            FILTER NOT EXISTS { ?occ jdx:atForum ?x } }
          FILTER(STR(?a) < STR(?b))
        } GROUP BY ?a ?b""",
    )
    G = nw.projection(facts, "copresence")
    assert edge_weights(G) == expected
    assert all(t in ("country", "intl_org") for _, t in G.nodes(data="type"))


def test_country_channel_counts_events_and_student_flows(g, facts):
    expected = sparql_pairs(
        g,
        "SELECT ?c ?i (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e jdx:indicator ?i ;"
        " jdx:counterpartCountry ?c } GROUP BY ?c ?i",
    )
    flows = Counter()
    students = Counter()
    channel = str(JDXR["indicator/students"])
    for s, c in g.subject_objects(JDX.country):
        if (s, RDF.type, JDX.StudentFlow) in g:
            flows[frozenset((str(c), channel))] += 1
            students[str(c)] += int(g.value(s, JDX["count"]))
    expected.update(flows)
    G = nw.projection(facts, "country_channel")
    assert edge_weights(G) == expected
    assert G.nodes[channel]["type"] == "channel" and G.nodes[channel]["label_ja"]
    for c, n in students.items():
        assert G.edges[c, channel]["students"] == n
        assert (
            G.edges[c, channel]["students_inbound"] + G.edges[c, channel]["students_outbound"] == n
        )


# -- filters --------------------------------------------------------------------------------


def test_fiscal_year_and_indicator_filters_equal_sparql(g, facts):
    expected = sparql_pairs(
        g,
        "SELECT ?jp ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e jdx:japaneseParticipant ?jp ;"
        " jdx:counterpartCountry ?c ; jdx:fiscalYear/jdx:startYear ?y ; jdx:indicator/jdx:code"
        ' ?i FILTER(STR(?y) = "2021" && STR(?i) = "high_level") } GROUP BY ?jp ?c',
    )
    G = nw.projection(facts, "office_country", fy=2021, indicator="high_level")
    assert edge_weights(G) == expected
    assert nw.projection(facts, "office_country", fy="FY2021", indicator="high_level").edges == (
        G.edges
    )


def test_country_filter_keeps_that_country(facts):
    aus = str(JDXR["country/AUS"])
    G = nw.projection(facts, "office_country", country="AUS")
    countries = {n for n, t in G.nodes(data="type") if t in ("country", "intl_org")}
    assert countries == {aus}
    ego = nw.projection(facts, "copresence", country="aus")
    assert aus in ego and ego.number_of_edges() > ego.degree(aus)  # alters' ties are kept
    whole = nw.projection(facts, "copresence")
    assert all(whole.has_edge(u, v) for u, v in ego.edges)


def test_bad_filters_are_refused(facts):
    with pytest.raises(ValueError, match="unknown view"):
        nw.projection(facts, "nope")
    with pytest.raises(ValueError, match="unknown country"):
        nw.projection(facts, "office_country", country="XXX")
    with pytest.raises(ValueError, match="unknown indicator"):
        nw.projection(facts, "office_country", indicator="nope")
    with pytest.raises(ValueError, match="fiscal year"):
        nw.projection(facts, "office_country", fy="last year")
    assert nw.projection(facts, "office_country", fy=1999).number_of_nodes() == 0


@pytest.mark.parametrize("view", nw.VIEWS)
def test_breakdown_reproduces_every_filtered_view(facts, view):
    """What a page does with `breakdown` equals projection() with the same filter."""
    G = nw.projection(facts, view)
    fys = sorted({ev.fy for ev in facts.events.values()})
    for fy in [None, *fys]:
        for ind in [None, "high_level", "multilateral", "students"]:
            if fy is None and ind is None:
                continue
            key = f"{fy or '*'}/{ind or '*'}"
            want = nw.projection(facts, view, fy=fy, indicator=ind)
            nodes = {n for n, b in G.nodes(data="breakdown") if nw.parse_breakdown(b).get(key)}
            assert nodes == set(want.nodes), (view, key)
            if G.is_multigraph():
                got = {
                    (u, v, k): nw.parse_breakdown(b).get(key, 0)
                    for u, v, k, b in G.edges(keys=True, data="breakdown")
                }
                exp = {(u, v, k): w for u, v, k, w in want.edges(keys=True, data="weight")}
            else:
                got = {
                    frozenset((u, v)): nw.parse_breakdown(b).get(key, 0)
                    for u, v, b in G.edges(data="breakdown")
                }
                exp = edge_weights(want)
            assert {e: w for e, w in got.items() if w} == exp, (view, key)


# -- metrics --------------------------------------------------------------------------------


def test_metrics_weighted_degree_betweenness_and_louvain(facts):
    G = nw.projection(facts, "office_country")
    m = nw.metrics(G)
    assert set(m["nodes"]) == set(G)
    for n, vals in m["nodes"].items():
        assert vals["weighted_degree"] == sum(w for *_, w in G.edges(n, data="weight"))
        assert vals["degree"] == G.degree(n)
        assert 0.0 <= vals["betweenness"] <= 1.0
    members = [n for c in m["communities"] for n in c]
    assert sorted(members) == sorted(G) and len(members) == len(set(members))
    assert [len(c) for c in m["communities"]] == sorted(
        (len(c) for c in m["communities"]), reverse=True
    )
    assert m["betweenness_exact"] and 0 < m["modularity"] <= 1
    again = nw.metrics(nw.projection(facts, "office_country"))
    assert again["communities"] == m["communities"]  # fixed seed: reproducible


@pytest.mark.parametrize("view", ["office_country", "copresence", "full"])
def test_betweenness_equals_networkx(facts, view):
    """The vectorized Brandes gives networkx's numbers: exact, and sampled (same sources)."""
    H = nw._undirected(nw.projection(facts, view))
    for _, _, d in H.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    k = 40 if view == "full" else None
    want = nx.betweenness_centrality(H, weight="distance", k=k, seed=42)
    got = nw._betweenness(H, "distance", k=k, seed=42)
    assert set(got) == set(want) and any(want.values())
    assert all(got[v] == pytest.approx(want[v], rel=1e-9, abs=1e-12) for v in want)


def test_betweenness_equals_networkx_on_random_weighted_graphs():
    """Uneven weights, so that a path of more edges is often the shorter: the distances keep
    falling for several rounds after the first reach (the rounds relax only what fell)."""
    for G in _weighted_random_graphs():
        for _, _, d in G.edges(data=True):
            d["distance"] = 1.0 / d["weight"]
        for k in (None, 10):
            want = nx.betweenness_centrality(G, weight="distance", k=k, seed=42)
            got = nw._betweenness(G, "distance", k=k, seed=42)
            assert set(got) == set(want) and any(want.values())
            assert all(got[v] == pytest.approx(want[v], rel=1e-9, abs=1e-12) for v in want)


def _weighted_random_graphs():
    """Small graphs with uneven float weights (ties and near-ties in the gains), isolates."""
    rng = random.Random(3)
    for n, p in ((30, 0.15), (60, 0.08), (120, 0.03)):
        G = nx.gnp_random_graph(n, p, seed=n)
        for u, v in G.edges:
            G[u][v]["weight"] = rng.choice([1.0, 2.0, 0.5, rng.random() + 0.1])
        yield G


@pytest.mark.parametrize("seed", [42, 1, 7])
def test_louvain_gives_networkx_partition_and_modularity(facts, seed):
    """The dict-based Louvain makes networkx's partition (same seed), and _modularity its
    modularity bit for bit: on every view and on random weighted graphs."""
    graphs = [nw._undirected(nw.projection(facts, v)) for v in nw.VIEWS]
    for H in [*graphs, *_weighted_random_graphs(), nx.empty_graph(5)]:
        want = nx.community.louvain_communities(H, weight="weight", seed=seed)
        got = nw._louvain(H, "weight", seed)
        assert got == want
        if H.number_of_edges():
            assert len(want) < H.number_of_nodes()  # it merged something
            mod = nx.community.modularity(H, want, weight="weight")
            assert nw._modularity(nw._adjacency(H, "weight"), got) == mod


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
@pytest.mark.parametrize("view", ["country_channel", "full"])
def test_export_reads_back_as_networkx_own_writer(facts, tmp_path, view, suffix):
    G = nw.projection(facts, view)
    nw.annotate(G)
    ours = nw.export(G, tmp_path / f"ours{suffix}")
    H = nw.exportable(G)
    if suffix == ".gexf":
        for _, d in H.nodes(data=True):  # the colors and sizes export() adds
            d["viz"] = {
                "color": nw._rgb(nw.TYPE_COLORS.get(d.get("type", ""), nw.TYPE_COLORS["other"])),
                "size": 4.0 + 3.0 * math.sqrt(float(d.get("count", 1) or 1)),
            }
        nx.write_gexf(H, tmp_path / "nx.gexf", version="1.2draft")
        read = nx.read_gexf
    else:
        nx.write_graphml(H, tmp_path / "nx.graphml")
        read = nx.read_graphml
    a, b = read(ours), read(tmp_path / f"nx{suffix}")
    assert type(a) is type(b) and a.graph == b.graph
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))

    def edges(g: nx.Graph) -> list[str]:
        # GraphML edge ids are ours (unique), where networkx writes the repeating keys
        drop = "id" if suffix == ".graphml" else None
        return sorted(
            str((u, v, {k: x for k, x in d.items() if k != drop})) for u, v, d in g.edges(data=True)
        )

    assert edges(a) == edges(b)


def test_metrics_on_the_full_multigraph_are_sampled(facts):
    G = nw.full_graph(facts)
    m = nw.metrics(G)
    assert not m["betweenness_exact"] and len(m["nodes"]) == G.number_of_nodes()
    minister = str(JDXR["position/jp/minister"])
    assert m["nodes"][minister]["weighted_degree"] > 50
    nw.annotate(G, m)
    assert G.nodes[minister]["community"] >= 0 and "modularity" in G.graph


def test_metrics_change_between_years(facts):
    df = nw.metrics_change(facts, "office_country", 2019, 2022)
    a = nw.projection(facts, "office_country", fy=2019)
    b = nw.projection(facts, "office_country", fy=2022)
    assert set(df["node"]) == set(a) | set(b)
    assert list(df.columns[:4]) == ["node", "label_ja", "label_en", "type"]
    changes = df["weighted_degree_change"].abs().tolist()
    assert changes == sorted(changes, reverse=True)
    minister = df.set_index("node").loc[str(JDXR["position/jp/minister"])]
    assert minister["weighted_degree_a"] == a.degree(minister.name, weight="weight")
    assert minister["weighted_degree_b"] == b.degree(minister.name, weight="weight")
    assert minister["weighted_degree_change"] == (
        minister["weighted_degree_b"] - minister["weighted_degree_a"]
    )
    assert 0 <= minister["community_stability"] <= 1
    only_one = df[df["in_a"] != df["in_b"]]
    assert only_one["community_stability"].isna().all()
    assert df.attrs["fy_a"] == 2019 and df.attrs["fy_b"] == 2022
    empty = nw.metrics_change(facts, "office_country", 1999, 2000)
    assert empty.empty and list(empty.columns) == list(df.columns)


# -- export ---------------------------------------------------------------------------------


def test_export_gexf_graphml_json_round_trip_with_types(facts, tmp_path):
    G = nw.projection(facts, "country_channel")
    nw.annotate(G)
    aus = str(JDXR["country/AUS"])
    for suffix in (".gexf", ".graphml", ".json"):
        path = nw.export(G, tmp_path / f"v{suffix}")
        if suffix == ".gexf":
            H = nx.read_gexf(path)
        elif suffix == ".graphml":
            H = nx.read_graphml(path)
        else:
            H = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
        assert H.number_of_nodes() == G.number_of_nodes(), suffix
        assert H.number_of_edges() == G.number_of_edges(), suffix
        d = H.nodes[aus]
        assert d["label_ja"] == "オーストラリア" and d["label_en"] == "Australia", suffix
        assert isinstance(d["count"], int) and isinstance(d["weighted_degree"], float), suffix
        assert isinstance(d["community"], int) and isinstance(d["breakdown"], str), suffix
    # every declared attribute carries a type
    root = ET.parse(tmp_path / "v.graphml").getroot()
    keys = root.findall("{http://graphml.graphdrawing.org/xmlns}key")
    assert keys and all(
        k.get("attr.type") in ("int", "long", "double", "string", "boolean") for k in keys
    )
    names = {(k.get("for"), k.get("attr.name")) for k in keys}
    assert len(names) == len(keys)  # one type per attribute
    gexf = ET.parse(tmp_path / "v.gexf").getroot()
    attrs = gexf.iter("{http://www.gexf.net/1.2draft}attribute")
    assert all(a.get("type") in ("long", "integer", "double", "string", "boolean") for a in attrs)


def test_export_full_multigraph_and_unknown_suffix(facts, tmp_path):
    G = nw.full_graph(facts)
    H = nx.read_graphml(nw.export(G, tmp_path / "full.graphml"))
    assert H.number_of_edges() == G.number_of_edges()
    # every edge id once (GraphML: ids are unique in the document); the predicate stays data
    root = ET.parse(tmp_path / "full.graphml").getroot()
    edges = list(root.iter("{http://graphml.graphdrawing.org/xmlns}edge"))
    ids = [e.get("id") for e in edges]
    assert len(ids) == len(set(ids)) == G.number_of_edges() and None not in ids
    assert sorted(d["label"] for _, _, d in H.edges(data=True)) == sorted(
        str(k) for _, _, k in G.edges(keys=True)
    )
    with pytest.raises(ValueError):
        nw.export(G, tmp_path / "full.csv")


def test_exportable_gives_each_attribute_one_type():
    G = nx.Graph(meta={"a": 1})
    G.add_node("a", x=1, tags=["b", "a"], gone=None, nan=math.nan)
    G.add_node("b", x=2.5)
    G.add_edge("a", "b", weight=1)
    H = nw.exportable(G)
    assert H.nodes["a"] == {"x": 1.0, "tags": "a|b"} and H.nodes["b"] == {"x": 2.5}
    assert H.graph["meta"] == '{"a": 1}'


# -- a hand-made graph: any RDF graph with the model works, markup stays data --------------


def small_graph(label: str) -> Graph:
    g = Graph()
    ev, fy, ind = JDXR["event/x1"], JDXR["fy/2022"], JDXR["indicator/high_level"]
    jp, c1, c2 = JDXR["position/jp/minister"], JDXR["country/AAA"], JDXR["country/BBB"]
    ed, forum = JDXR["forum/f/1"], JDXR["forum/f"]
    jpn = JDXR["country/JPN"]
    for s, t in (
        (c1, JDX.Country),
        (c2, JDX.Country),
        (jpn, JDX.Country),
        (jp, JDX.Position),
        (fy, JDX.FiscalYear),
        (ind, JDX.Indicator),
        (ed, JDX.ForumEdition),
        (forum, JDX.Forum),
        (ev, JDX.HighLevelExchange),
    ):
        g.add((s, RDF.type, t))
        g.add((s, RDFS.label, Literal(f"{label} {t.split('#')[-1]}", lang="ja")))
        g.add((s, RDFS.label, Literal(f"{t.split('#')[-1]} en", lang="en")))
    g.add((fy, JDX.startYear, Literal("2022", datatype=XSD.gYear)))
    g.add((ind, JDX.code, Literal("high_level")))
    g.add((jp, JDX.country, jpn))
    g.add((ed, JDX.editionOf, forum))
    for p, o in (
        (JDX.indicator, ind),
        (JDX.fiscalYear, fy),
        (JDX.japaneseParticipant, jp),
        (JDX.counterpartCountry, c1),
        (JDX.counterpartCountry, c2),
        (JDX.atForum, ed),
    ):
        g.add((ev, p, o))
    return g


def test_a_hand_made_graph_keeps_markup_as_plain_data():
    label = "<img src=x onerror=window.__pwned=1>"
    g = small_graph(label)
    oc = nw.projection(g, "office_country")
    assert oc.number_of_edges() == 2
    assert oc.nodes[str(JDXR["country/AAA"])]["label_ja"] == f"{label} Country"
    co = nw.projection(g, "copresence")
    assert edge_weights(co) == {frozenset((str(JDXR["country/AAA"]), str(JDXR["country/BBB"]))): 1}
    full = nw.full_graph(g)
    assert full.number_of_nodes() == 8  # event, office, 3 countries, edition, forum, FY


def _same_facts_and_views(other, facts) -> None:
    assert other == facts
    for view in nw.VIEWS:
        a, b = nw.projection(facts, view), nw.projection(other, view)
        assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True)), view
        assert sorted(map(str, a.edges(data=True))) == sorted(map(str, b.edges(data=True)))


def test_store_backend_gives_the_same_views(facts):
    from kg.sparql.run import open_graph

    _same_facts_and_views(nw.read_facts(open_graph("store")), facts)  # built from kg.nt if missing


def test_the_builds_own_triples_give_the_same_facts(facts, build):
    """read_facts on the triples kg build has just made (no parsing) equals it on rdflib's
    graph of data/kg.nt."""
    from kg.pipeline.rdf import graph_triples

    _same_facts_and_views(nw.read_facts(graph_triples(build)), facts)


def test_facts_do_not_depend_on_the_order_of_the_triples():
    """Each predicate's triples are sorted before they are joined: an event given two fiscal
    years reads the same from any engine, in any order of the triples."""
    from kg.formats.triples import NTriplesGraph

    e, fy, ind = JDXR["event/x"], JDX.fiscalYear, JDXR["indicator/high_level"]
    triples = [
        (e, JDX.indicator, ind),
        (ind, JDX.code, Literal("high_level")),
        (e, fy, JDXR["fy/2020"]),
        (e, fy, JDXR["fy/2021"]),
        (JDXR["fy/2020"], JDX.startYear, Literal(2020)),
        (JDXR["fy/2021"], JDX.startYear, Literal(2021)),
    ]
    found = set()
    for order in (triples, triples[::-1]):
        g = Graph()
        for t in order:
            g.add(t)
        for source in (g, NTriplesGraph.of(order)):
            f = nw.read_facts(source)
            found.add((f.events[str(e)].fy, f.events[str(e)].indicator))
    assert found == {(2021, "high_level")}


def test_a_pyoxigraph_store_gives_the_same_facts(facts):
    """read_facts on a pyoxigraph Store equals it on rdflib's graph."""
    import pyoxigraph as ox

    from kg import paths

    store = ox.Store()
    store.bulk_load(path=str(paths.data_dir() / "kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    _same_facts_and_views(nw.read_facts(store), facts)


# -- the command ----------------------------------------------------------------------------


def test_kg_viz_writes_a_page_and_exports(tmp_path, capsys):
    out = tmp_path / "oc.html"
    assert cli(["viz", "--view", "office_country", "--fy", "2022", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "FY2022" in text and "vis-network" in text
    assert "office_country" in capsys.readouterr().out
    gexf = tmp_path / "co.gexf"
    assert (
        cli(["viz", "--view", "copresence", "--country", "AUS", "--out", str(gexf), "--no-metrics"])
        == 0
    )
    assert nx.read_gexf(gexf).number_of_nodes() > 5
    assert cli(["viz", "--indicator", "nope", "--out", str(tmp_path / "x.html")]) == 2
    assert cli(["viz", "--out", str(tmp_path / "x.txt")]) == 2
    assert "error" in capsys.readouterr().err
