"""kg.api: the small analyst API the notebooks use."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import networkx as nx
import pandas as pd
import pytest

matplotlib.use("Agg")

from kg import (
    api,  # noqa: E402
    paths,
)
from kg.errors import QueryError  # noqa: E402

DATA = paths.REPO / "data"
pytestmark = pytest.mark.skipif(
    not (DATA / "kg.nt").exists(), reason="data/kg.nt missing: run `kg build`"
)


@pytest.fixture(scope="module")
def graph():
    return api.load_graph()


def test_load_graph_is_loaded_once(graph):
    assert api.load_graph() is graph
    assert len(graph) > 10_000


def test_memory_backend_gives_the_same_answer(graph):
    mem = api.load_graph("memory")
    assert mem is not graph
    a = api.query("mode_share_by_year", graph=mem)
    b = api.query("mode_share_by_year")
    pd.testing.assert_frame_equal(a, b)


def test_queries_lists_every_named_query():
    listed = api.queries()
    assert list(listed.columns) == ["name", "question_ja", "question_en", "params", "variables"]
    names = set(listed["name"])
    for required in ("events_by_country_year", "mode_share_by_year", "forum_hubs", "provenance"):
        assert required in names
    row = listed.set_index("name").loc["country_timeline"]
    assert row["params"] == "country" and row["question_ja"] and row["question_en"]


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("events_by_country_year", ["country", "label_en", "fy", "events"]),
        ("events_by_actor_year", ["actor", "label_ja", "fy", "events", "label_en"]),
        ("mode_share_by_year", ["fy", "mode", "events", "stated", "assumed"]),
        ("forum_hubs", ["forum", "label_ja", "countries", "events", "label_en"]),
        ("students_by_country", ["country", "fy", "direction", "count"]),
        ("budget_execution", ["line", "label_ja", "fy", "budget", "executed", "rate", "unit"]),
    ],
)
def test_query_returns_a_dataframe_with_the_contract_columns(name, columns):
    df = api.query(name)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns)[: len(columns)] == columns  # the contract's first; more may follow
    assert len(df) > 0
    assert df.attrs["name"] == name and df.attrs["question_en"]
    assert "note" in df.attrs


def test_query_values_are_plain_numbers_and_strings():
    df = api.query("mode_share_by_year")
    assert pd.api.types.is_integer_dtype(df["fy"]) and pd.api.types.is_integer_dtype(df["events"])
    assert set(df["mode"]) <= {"in_person", "phone", "video", "hybrid"}
    assert set(df["fy"]) == {2019, 2020, 2021, 2022}


def test_query_with_parameters():
    aus = api.query("country_timeline", country="AUS")
    assert len(aus) > 10
    dated = [d for d in aus["date"] if isinstance(d, str)]
    assert dated == sorted(dated)
    new = api.query("new_partners", fy=2022)  # ints are accepted and turned into strings
    assert len(new) > 0 and "country" in new.columns


def test_query_refuses_unknown_names_and_bad_parameters():
    with pytest.raises(QueryError, match="mode_share_by_year"):
        api.query("mode_share_by_yeer")
    with pytest.raises(QueryError):
        api.query("country_timeline", country="Australia; DROP")
    with pytest.raises(QueryError):
        api.query("country_timeline")  # the parameter is required


def test_query_text_is_the_rq_file():
    text = api.query_text("forum_hubs")
    assert "SELECT" in text and "# name: forum_hubs" in text


def test_sparql_inline_with_project_prefixes():
    df = api.sparql("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a jdx:Country }")
    assert list(df.columns) == ["n"] and df.loc[0, "n"] > 50


def test_load_ontology_holds_the_classes():
    onto = api.load_ontology()
    df = api.sparql(
        "SELECT ?label WHERE { jdx:Event rdfs:label ?label FILTER(LANG(?label) = 'ja') }",
        graph=onto,
    )
    assert len(df) == 1


@pytest.mark.parametrize(
    "view", ["office_country", "country_forum", "copresence", "country_channel"]
)
def test_network_views(view):
    G = api.network(view)
    assert isinstance(G, nx.Graph) and G.number_of_nodes() > 0 and G.number_of_edges() > 0
    some = next(iter(G.nodes(data=True)))[1]
    assert some["label_ja"] or some["label_en"]


def test_network_filters_restrict_the_view():
    whole = api.network("office_country")
    fy2020 = api.network("office_country", fy=2020)
    assert 0 < fy2020.number_of_edges() < whole.number_of_edges()
    assert sum(w for *_, w in fy2020.edges(data="weight")) < sum(
        w for *_, w in whole.edges(data="weight")
    )


def test_metrics_and_network_change():
    m = api.metrics("copresence")
    assert list(m.columns)[:4] == ["node", "label_ja", "label_en", "type"]
    assert m["weighted_degree"].is_monotonic_decreasing
    assert m.attrs["communities"] >= 1 and -0.5 <= m.attrs["modularity"] <= 1
    with pytest.raises(TypeError):
        api.metrics(api.network("copresence"), fy=2022)
    change = api.network_change("office_country", 2019, 2022)
    assert {"weighted_degree_a", "weighted_degree_b", "weighted_degree_change"} <= set(
        change.columns
    )


def test_show_returns_inline_html_for_a_view_or_a_graph():
    from IPython.display import HTML

    shown = api.show("office_country", fy=2022)
    assert isinstance(shown, HTML)
    html = shown.data
    assert "<iframe" in html and "srcdoc=" in html
    assert "FY2022" in html or "2022" in html
    G = api.network("copresence", fy=2021)
    assert "<iframe" in api.show(G, title="co-presence FY2021").data
    with pytest.raises(TypeError):
        api.show(G, fy=2021)


def test_use_japanese_font_sets_a_cjk_font_and_draws_japanese(tmp_path, recwarn):
    import matplotlib.pyplot as plt

    path = api.use_japanese_font()
    assert "CJK" in Path(path).name or "cjk" in path.lower()
    assert matplotlib.rcParams["font.sans-serif"][0] == api.JAPANESE_FONT
    fig, ax = plt.subplots()
    ax.set_title("防衛交流 / Defense exchanges")
    fig.savefig(tmp_path / "ja.png")
    plt.close(fig)
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


def test_use_japanese_font_fails_loudly_without_one(monkeypatch):
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
        api.use_japanese_font()


def test_figure_path(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_FIGURE_DIR", raising=False)
    p = api.figure_path("99_test")
    assert p.name == "99_test.png" and p.parent.is_dir()
    assert p.parent.parts[-3:] == ("data", "notebooks", "figures")  # as the README says
    monkeypatch.setenv("KG_FIGURE_DIR", str(tmp_path / "figs"))
    assert api.figure_path("x.svg") == tmp_path / "figs" / "x.svg"


def test_every_public_function_has_a_docstring_with_an_example():
    for name in api.__all__:
        obj = getattr(api, name)
        if callable(obj):
            assert obj.__doc__ and ">>>" in obj.__doc__, name


def test_caveats_come_with_the_answer():
    df = api.query("new_partners", fy=2020)
    assert "First" in df.attrs["note"] and "FY2019" in df.attrs["note"]


def test_a_value_naming_nothing_raises_with_the_closest_names():
    with pytest.raises(QueryError, match="did you mean PHL"):
        api.query("country_timeline", country="PHI")
    assert api.query("country_timeline", country="PHL").shape[0] > 0


def test_lookup_finds_by_name_and_names_stand_for_codes_in_queries():
    df = api.lookup("統合幕僚長")
    assert list(df.columns[:5]) == ["iri", "type", "label_ja", "label_en", "code"]
    assert df.iloc[0][["code", "type", "level"]].tolist() == [
        "chief_joint_staff",
        "office",
        "exact",
    ]
    assert api.lookup("Philippines", type="country").code.tolist() == ["PHL"]
    by_code = api.query("actor_counterparts", actor="chief_joint_staff")
    assert by_code.equals(api.query("actor_counterparts", actor="統幕長"))


def test_holders_and_meetings_of_a_person(graph):
    # 岸信夫 was Minister of Defense from 16 September 2020 (news24.jp) to 10 August 2022
    # (boueinews.com): office_holders.csv cites both pages.
    df = api.holders("防衛大臣", date="2021-01", graph=graph)
    assert df.name_ja.tolist() == ["岸信夫"]
    assert df.attrs["name"] == "holders_of"
    assert api.holders("chief_asdf", date="2020-08", graph=graph).name_ja.tolist() == [
        "丸茂吉成",
        "井筒俊司",
    ]
    met = api.meetings("岸信夫", graph=graph)
    assert set(met.actor) == {"minister"}
    assert met.date.between("2020-09", "2022-08").all()
    assert not met[met.date == "2020-09"].certain.any()  # the handover month: a candidate
