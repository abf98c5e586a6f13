"""`kg query`: formats, listing, clear errors, and parameters that cannot inject anything."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from kg.cli import main
from kg.errors import QueryError
from kg.formats.table import cut, table, width
from kg.sparql.binding import prepare
from kg.sparql.catalogue import get_query, list_queries
from kg.sparql.run import open_graph, run_query
from kg.store.local import BACKENDS

SHANGRI_LA_19 = "https://w3id.org/jdx/id/forum/shangri_la_dialogue/19"


def kg(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------------------------
#  Output formats
# ------------------------------------------------------------------------------------------


def test_table_aligns_japanese_by_display_width(capsys):
    code, out, _ = kg(
        capsys, "query", "forum_edition_meetings", "--param", f"edition={SHANGRI_LA_19}"
    )
    assert code == 0
    lines = out.splitlines()
    header, rule, body = lines[0], lines[1], lines[2:-1]
    assert header.split() == [
        "country", "label_ja", "actor", "counterpart", "date", "text", "event", "line",
    ]  # fmt: skip
    assert lines[-1] == "(13 rows)"
    # Every cell of a column starts at the same display cell (Japanese characters are 2 wide):
    # the date column, after three columns holding Japanese text, lines up with its header.
    offsets = {width(ln[: ln.index("2022-06")]) for ln in body}
    assert offsets == {width(header[: header.index("date")])}
    assert len(rule) == width(header.rstrip()) or len(rule) >= width(header.rstrip())
    japanese = [ln for ln in body if "オーストラリア" in ln]
    assert len(japanese) == 3 and len({width(ln[: ln.index("2022-06")]) for ln in japanese}) == 1


def test_table_helpers():
    assert width("シャングリラ") == 12 and width("WPNS") == 4
    assert cut("第19回シャングリラ会合", 10) == "第19回シ…" and width(cut("日本語テキスト", 7)) <= 7
    t = table(["name", "n"], [["日本", "12"], ["ASEAN", "3"]])
    assert t.splitlines()[2] == "日本   12" and t.splitlines()[3] == "ASEAN   3"


def test_csv_tsv_json(capsys):
    code, out, _ = kg(capsys, "query", "budget_execution", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "line", "label_ja", "fy", "budget", "executed", "rate",
        "unit", "flags", "obs", "sourceLine", "label_en",
    ]  # fmt: skip
    r = next(x for x in rows if x["line"] == "3" and x["fy"] == "2021")
    assert (r["budget"], r["executed"], r["label_ja"]) == ("420", "120", "ハイレベル政策的交流")
    assert next(x for x in rows if x["fy"] == "2022")["executed"] == ""
    code, out, _ = kg(capsys, "query", "country_timeline", "-p", "country=NLD", "-f", "tsv")
    lines = out.splitlines()
    # SPARQL 1.1 TSV: a header of ?variables, then terms in N-Triples form
    assert lines[0].split("\t") == [f"?{v}" for v in get_query("country_timeline").variables]
    assert all(len(ln.split("\t")) == 10 for ln in lines)  # 8 of the contract, ?event ?line
    assert lines[1].split("\t")[0] == '"2021-09"'  # a plain literal, quoted
    assert "\t\t" in lines[2]  # unbound: an empty field
    assert '"オランダ参謀総長"@ja' in lines[2].split("\t")
    code, out, _ = kg(capsys, "query", "trilateral_events", "-f", "json")
    data = json.loads(out)
    assert data["head"]["vars"] == ["event", "date", "countries", "text", "line"]
    b = data["results"]["bindings"][0]
    assert b["event"]["type"] == "uri" and b["countries"]["datatype"].endswith("#integer")
    assert "日米豪" in out  # UTF-8, not \u escapes


def test_list(capsys):
    code, out, _ = kg(capsys, "query", "--list")
    assert code == 0
    for q in list_queries():
        assert q.name in out and q.question_ja in out and q.question_en in out
    assert "country_timeline  --param country=<iso3>" in out
    code, out, _ = kg(capsys, "query", "--list", "--format", "json")
    names = {x["name"] for x in json.loads(out)}
    assert {"provenance", "forum_hubs", "country_timeline"} <= names


def test_file_text_and_stdin(capsys, tmp_path, monkeypatch):
    f = tmp_path / "n.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?e a jdx:GoodwillExercise }\n", encoding="utf-8")
    code, out, _ = kg(capsys, "query", str(f), "-f", "csv")
    assert code == 0 and out.splitlines()[0] == "n" and int(out.splitlines()[1]) > 50
    code, out2, _ = kg(
        capsys, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?e a jdx:GoodwillExercise }", "-f", "csv"
    )
    assert out2 == out
    monkeypatch.setattr(sys, "stdin", io.StringIO(f.read_text()))
    code, out3, _ = kg(capsys, "query", "-", "-f", "csv", "--backend", "memory")
    assert out3 == out
    monkeypatch.setattr(sys, "stdin", io.StringIO(f.read_text()))
    code, out4, _ = kg(capsys, "query", "-", "-f", "csv", "--backend", "store-memory")
    assert code == 0 and out4 == out


def test_show_prints_the_bound_query(capsys):
    code, out, _ = kg(capsys, "query", "country_timeline", "-p", "country=phl", "--show")
    assert code == 0
    assert "VALUES ?country { <https://w3id.org/jdx/id/country/PHL> }" in out


# ------------------------------------------------------------------------------------------
#  Clear errors
# ------------------------------------------------------------------------------------------


def test_unknown_query(capsys):
    code, out, err = kg(capsys, "query", "forum_hub")
    assert code == 2 and out == ""
    assert "no named query 'forum_hub'" in err and "forum_hubs" in err


def test_unknown_parameter(capsys):
    code, out, err = kg(capsys, "query", "country_timeline", "--param", "contry=PHL")
    assert code == 2 and out == ""
    assert "unknown parameter 'contry'" in err and "country (iso3)" in err


def test_missing_parameter(capsys):
    code, out, err = kg(capsys, "query", "country_timeline")
    assert code == 2 and out == ""
    assert "needs --param country=VALUE" in err and "kg query country_timeline --param" in err


@pytest.mark.parametrize(
    "query,param,message",
    [
        ("country_timeline", "country=PH", "ISO 3166-1 alpha-3"),
        ("country_timeline", "country=Philippinez", "ISO 3166-1 alpha-3"),  # Philippines works
        ("new_partners", "fy=2018", "fiscal year 2019..2022"),
        ("new_partners", "fy=R4", "fiscal year"),
        ("actor_counterparts", "actor=Ministre", "lower-case"),  # Minister names the office
        ("provenance", "event=http://example.org/x", "https://w3id.org/jdx/id/"),
        ("provenance", "event=https://w3id.org/jdx/id/", "https://w3id.org/jdx/id/"),
    ],
)
def test_bad_values(capsys, query, param, message):
    code, out, err = kg(capsys, "query", query, "--param", param)
    assert code == 2 and out == ""
    assert "bad value" in err and message in err


def test_bad_param_syntax(capsys):
    code, _, err = kg(capsys, "query", "country_timeline", "--param", "PHL")
    assert code == 2 and "KEY=VALUE" in err
    code, _, err = kg(capsys, "query", "country_timeline", "-p", "country=PHL", "-p", "country=AUS")
    assert code == 2 and "given twice" in err


def test_syntax_error_reports_line_and_column(capsys, tmp_path):
    f = tmp_path / "bad.rq"
    f.write_text(
        "# a query with a mistake on line 5\nSELECT ?e\nWHERE {\n"
        "  ?e a jdx:Meeting .\n  ?e jdx:date .\n}\n",
        encoding="utf-8",
    )
    code, out, err = kg(capsys, "query", str(f))
    assert code == 2 and out == ""
    assert f"{f}: line 5, column 3" in err, err
    assert "^" in err
    f.write_text("SELECT ?e WHERE {\n  ?e foo:bar ?x\n}\n", encoding="utf-8")
    code, _, err = kg(capsys, "query", str(f))
    assert code == 2 and "line 2, column 6: unknown prefix 'foo:'" in err
    code, _, err = kg(capsys, "query", "SELEC ?x WHERE { ?x ?y ?z }")
    assert code == 2 and "line 1, column 1" in err


# ------------------------------------------------------------------------------------------
#  Injection through --param changes nothing and leaks nothing
# ------------------------------------------------------------------------------------------

INJECTIONS = [
    ("country_timeline", "country", "PHL } UNION { ?event ?p ?text }"),
    ("country_timeline", "country", "PHL> } ?s ?p ?o { <x"),
    ("country_timeline", "country", 'PHL" . } DROP ALL ; #'),
    ("country_timeline", "country", "PHL\n} LIMIT 1"),
    ("new_partners", "fy", "2022 } UNION { ?c ?p ?o }"),
    ("new_partners", "fy", "2022#"),
    ("actor_counterparts", "actor", 'minister" } UNION { ?office ?p ?o } #'),
    ("actor_counterparts", "actor", "minister\\u0022"),
    ("provenance", "event", "https://w3id.org/jdx/id/event/x> } UNION { ?event ?p ?o } #"),
    ("provenance", "event", "https://w3id.org/jdx/id/event/x>"),
    ("provenance", "event", "https://w3id.org/jdx/id/event/x {}"),
    ("provenance", "event", 'https://w3id.org/jdx/id/event/x"'),
    ("provenance", "event", "https://w3id.org/jdx/id/event/x\\u003E"),
    ("provenance", "event", "https://w3id.org/jdx/id/event/a b"),
    ("provenance", "event", "jdxr:event/x> . ?event ?p ?o"),
]


def _count(graph) -> int:
    return int(run_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graph=graph).rows[0][0])


@pytest.mark.parametrize("query,name,value", INJECTIONS)
def test_injection_through_param_is_refused(capsys, query, name, value):
    code, out, err = kg(capsys, "query", query, "--param", f"{name}={value}", "-f", "json")
    assert code == 2
    assert out == ""  # no rows, no partial output
    assert "bad value" in err
    assert "https://w3id.org/jdx/id/event/20" not in err  # nothing from the graph


@pytest.mark.parametrize("backend", BACKENDS)
def test_injection_changes_nothing(backend):
    g = open_graph(backend)
    before = _count(g)
    for query, name, value in INJECTIONS:
        with pytest.raises(QueryError, match="bad value"):
            run_query(query, {name: value}, graph=g)
    for text in (
        "DROP ALL",
        "INSERT DATA { <https://w3id.org/jdx/id/x> <https://w3id.org/jdx/id/p> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR DEFAULT",
    ):
        with pytest.raises(QueryError, match="read-only"):
            run_query(text, graph=g)
    assert _count(g) == before


def test_values_are_bound_as_terms_not_text():
    text, _, _ = prepare("actor_counterparts", {"actor": "minister"})
    assert 'VALUES ?actor { "minister" }' in text
    text, _, _ = prepare("new_partners", {"fy": "FY2021"})
    assert "VALUES ?fiscalYear { <https://w3id.org/jdx/id/fy/2021> }" in text
    # An optional parameter left out binds nothing; given, it binds inside the sub-query too.
    text, _, _ = prepare("visits_abroad_by_destination")
    assert "VALUES" not in text.split("WHERE", 1)[1].split("?c skos:notation")[0]
    text, _, _ = prepare("visits_abroad_by_destination", {"fy": "2020"})
    assert text.count("VALUES ?fiscalYear { <https://w3id.org/jdx/id/fy/2020> }") == 1
    # Line numbers of the file are kept (errors and the file agree).
    q = get_query("country_timeline")
    prepared, _, _ = prepare(q, {"country": "AUS"})
    assert prepared.count("\n") == q.text.count("\n")


def test_service_and_from_are_refused():
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        run_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="FROM"):
        run_query("SELECT * FROM <http://127.0.0.1:9/g.ttl> WHERE { ?s ?p ?o }")
    # in a comment or a string, the word is harmless
    r = run_query('SELECT ("SERVICE" AS ?x) WHERE { } # SERVICE <http://x/>')
    assert str(r.rows[0][0]) == "SERVICE"


def test_a_well_formed_value_naming_nothing_is_an_error_with_the_closest_names(capsys):
    code, out, err = kg(capsys, "query", "country_timeline", "-p", "country=XYZ")
    assert code == 2 and out == ""
    assert "nothing in the graph is country=XYZ" in err
    code, out, err = kg(capsys, "query", "country_timeline", "-p", "country=PHI")
    assert code == 2 and "did you mean" in err and "PHL" in err
    code, out, err = kg(capsys, "query", "actor_counterparts", "-p", "actor=chief_joint_staf")
    assert code == 2 and "chief_joint_staff" in err
    code, out, err = kg(
        capsys, "query", "forum_edition_meetings", "-p", "edition=jdxr:forum/shangri_la_dialog"
    )
    assert code == 2 and "jdxr:forum/shangri_la_dialogue" in err


def test_a_series_where_an_edition_is_wanted_says_what_to_pass(capsys):
    code, out, err = kg(
        capsys, "query", "forum_edition_meetings", "-p", "edition=jdxr:forum/shangri_la_dialogue"
    )
    assert code == 2 and "forum series" in err
    assert "jdxr:forum/shangri_la_dialogue/19" in err  # an edition the document names (第19回)


def test_a_forum_fy_edition_merged_into_a_numbered_one_names_nothing(capsys):
    # issue 11, item 1: the FY2022 multilateral mention of the Shangri-La Dialogue is the 19th
    code, out, err = kg(
        capsys,
        "query",
        "forum_edition_meetings",
        "-p",
        "edition=jdxr:forum/shangri_la_dialogue/fy2022",
    )
    assert code == 2 and "nothing in the graph is edition=" in err
    assert "jdxr:forum/shangri_la_dialogue/19" in err


def test_an_empty_answer_for_a_value_that_exists_is_still_an_answer(capsys):
    code, out, _ = kg(capsys, "query", "country_timeline", "-p", "country=JPN")
    assert code == 0


def test_cold_command_runs(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "kg", "query", "mode_share_by_year", "-f", "csv"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "fy,mode,events,stated,assumed"


def _note_in_file(name: str) -> str:
    """The `# note:` of queries/NAME.rq, read here from the file (not through kg.sparql)."""
    from kg import paths

    lines = (paths.queries_dir() / f"{name}.rq").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# note:"))
    parts = [lines[start][len("# note:") :].strip()]
    for line in lines[start + 1 :]:
        if not line.startswith("#   "):
            break
        parts.append(line[1:].strip())
    return " ".join(parts)


def test_the_answers_caveats_are_printed_under_it(capsys):
    code, out, err = kg(capsys, "query", "budget_execution")
    assert code == 0
    note = _note_in_file("budget_execution")
    assert "millions of yen" in note
    assert err.startswith("note: ") and " ".join(err[len("note: ") :].split()) == note
    code, out, err = kg(capsys, "query", "budget_execution", "-f", "csv")
    assert "millions" not in out and "note: " in err  # piped data stays clean
    assert get_query("budget_execution").note == note


def test_show_binds_the_code_a_name_stands_for(capsys):
    code, out, _ = kg(capsys, "query", "actor_counterparts", "-p", "actor=統幕長", "--show")
    assert code == 0 and 'VALUES ?actor { "chief_joint_staff" }' in out


def test_list_says_what_each_parameter_takes(capsys):
    code, out, _ = kg(capsys, "query", "--list")
    assert code == 0
    assert "kg lookup --type office" in out and "kg lookup --type country" in out
    assert "values: 2019, 2020, 2021, 2022" in out
    assert "note: " in out
    code, out, _ = kg(capsys, "query", "--list", "-f", "json")
    listed = {q["name"]: q for q in json.loads(out)}
    (actor,) = listed["actor_counterparts"]["param_help"]
    assert actor["names"] == "office" and actor["meaning"].startswith("日本側の役職")
