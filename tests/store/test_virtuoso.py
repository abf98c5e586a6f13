"""`kg push` and every named query against a real Virtuoso 7 (Debian's virtuoso-opensource) on
loopback ports, and the README's Virtuoso recipe run as written.

"Same rows" here: the rows of the embedded store, in the same order, term for term, where a
term is compared as the SPARQL JSON results write it (type, value, datatype, language) after
undoing only what is Virtuoso's way of writing the same term: "typed-literal" (SPARQL 1.0's
name for a typed literal), an explicit xsd:string datatype (RDF 1.1: a plain literal is one),
and xsd:boolean written "1"/"0" (lexical forms of true and false). A number of another type, a
string of other characters or a missing row is a difference.

The server starts once per module (a fresh database: 5-7 s on an idle 2-core machine, 18-24 s
under load; the recipe test starts its own). Without virtuoso-t these tests skip, loudly;
under CI (env CI set, as .ci/run may export) a missing virtuoso-t fails, as setup.sh
installs it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers import free_port, running

from kg import paths
from kg.formats import sparql_json
from kg.sparql import run as Q
from kg.sparql.binding import prepare
from kg.store import remote as R
from kg.store.push import ONTOLOGY_GRAPH, push, split_by_document

ROOT = paths.REPO
NT = ROOT / "data" / "kg.nt"
SRC = str(Path(paths.__file__).resolve().parents[1])
XSD = "http://www.w3.org/2001/XMLSchema#"
VIRTUOSO = shutil.which("virtuoso-t")
MISSING = (
    "VIRTUOSO TESTS SKIPPED: virtuoso-t is not installed (Debian: apt-get install "
    "virtuoso-opensource, which setup.sh does); under CI this is a failure"
)
EXAMPLE_PARAMS = {
    "country_timeline": {"country": "PHL"},
    "actor_counterparts": {"actor": "chief_joint_staff"},
    "new_partners": {"fy": "2022"},
    "forum_edition_meetings": {"edition": "https://w3id.org/jdx/id/forum/shangri_la_dialogue/19"},
    "holders_of": {"office": "minister", "date": "2021-01"},
    "meetings_by_person": {"person": "https://w3id.org/jdx/id/person/kishi_nobuo"},
}
# The queries Virtuoso 7 answered wrongly or not at all before they were rewritten, with more
# parameters than the one example: every country with two offices met in one event
# (country_timeline joins them), and holders_of on dates within, at and between terms.
OFFICES = [
    "minister",
    "state_minister",
    "parliamentary_vice_minister",
    "vice_minister",
    "vice_minister_international",
    "chief_joint_staff",
    "chief_gsdf",
    "chief_msdf",
    "chief_asdf",
]
DATES = ["2019-09-11", "2021-01", "2022-08", "2023-03"]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """`virtuoso-t +foreground` on a fresh database in a tmp folder, both ports on loopback;
    stopped at the end whatever happens. Yields its HTTP base URL."""
    if VIRTUOSO is None:
        pytest.skip(MISSING)
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    db = folder / "db"
    db.mkdir()
    (folder / "virtuoso.ini").write_text(
        "\n".join(
            [
                "[Database]",
                f"DatabaseFile = {db}/virtuoso.db",
                f"ErrorLogFile = {db}/virtuoso.log",
                f"LockFile = {db}/virtuoso.lck",
                f"TransactionFile = {db}/virtuoso.trx",
                f"xa_persistent_file = {db}/virtuoso.pxa",
                "[TempDatabase]",
                f"DatabaseFile = {db}/virtuoso-temp.db",
                f"TransactionFile = {db}/virtuoso-temp.trx",
                "[Parameters]",
                f"ServerPort = 127.0.0.1:{sql}",
                "DisableUnixSocket = 1",
                f"DirsAllowed = ., {db}",
                "NumberOfBuffers = 10000",
                "MaxDirtyBuffers = 6000",
                "ThreadsPerQuery = 2",
                "[HTTPServer]",
                f"ServerPort = 127.0.0.1:{http}",
                "ServerThreads = 4",
                "Charset = UTF-8",
                "[SPARQL]",
                "ResultSetMaxRows = 10000",  # Debian's: no named query comes near it
                "MaxQueryExecutionTime = 60",
                "",
            ]
        ),
        encoding="utf-8",
    )
    url = f"http://127.0.0.1:{http}"
    cmd = [VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")]
    # SIGTERM at the end: Virtuoso's quick shutdown, about 2 s
    with running(
        cmd,
        f"{url}/sparql",
        folder / "stdout.log",
        seconds=120,
        cwd=folder,
        server_log=db / "virtuoso.log",
    ):
        yield url


@pytest.fixture(scope="module")
def pushed(virtuoso):
    url = virtuoso
    endpoint = f"{url}/sparql"
    result = push(endpoint, [NT], gsp=f"{url}/sparql-graph-crud-auth", auth=("dba", "dba"))
    return endpoint, result


def _lines(path: Path) -> int:
    return sum(1 for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip())


def test_push_one_named_graph_per_document(pushed):
    endpoint, (graphs, pruned) = pushed
    doc = next(iter(split_by_document(NT.read_text(encoding="utf-8"))))
    assert [p.graph for p in graphs] == [doc, ONTOLOGY_GRAPH]
    assert all(p.status in (200, 201, 204) for p in graphs) and pruned == []
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    data = R.sparql_post(endpoint, q, [doc], 30)
    assert int(data["results"]["bindings"][0]["n"]["value"]) == _lines(NT)
    assert R.document_graphs(endpoint, refresh=True) == [doc]


def _params(name: str, store) -> dict[str, str] | None:  # noqa: ANN001
    if name == "provenance":
        return {"event": str(Q.run_query("trilateral_events", graph=store).rows[0][0])}
    return EXAMPLE_PARAMS.get(name)


def _as_written(b: dict) -> dict:
    """A JSON results binding with only Virtuoso's way of writing the term undone."""
    b = dict(b)
    if b.get("type") == "typed-literal":
        b["type"] = "literal"
    if b.get("datatype") == XSD + "string":
        del b["datatype"]
    if b.get("datatype") == XSD + "boolean":
        b["value"] = {"1": "true", "0": "false"}.get(b["value"], b["value"])
    return b


def _same_rows(endpoint: str, name: str, params: dict[str, str] | None, store) -> int:  # noqa: ANN001
    local = Q.run_query(name, params, graph=store)
    remote = Q.run_query(name, params, endpoint=endpoint)
    assert remote.variables == local.variables
    assert remote.rows == local.rows, name
    # the same again, from the server's own JSON rather than rdflib's reading of it
    text, _, _ = prepare(name, params, graphs=Q.policy.ANY_GRAPH)
    doc = R.document_graphs(endpoint)
    raw = R.sparql_post(endpoint, text, doc, 60)["results"]["bindings"]
    mine = sparql_json.document(local.variables, local.rows)["results"]["bindings"]
    assert [{k: _as_written(v) for k, v in b.items()} for b in raw] == mine, name
    return len(local.rows)


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "queries").glob("*.rq")))
def test_every_named_query_gives_the_same_rows_on_virtuoso(pushed, name):
    endpoint, _ = pushed
    store = Q.open_graph("store")
    assert _same_rows(endpoint, name, _params(name, store), store) > 0


def test_country_timeline_for_each_country_with_two_offices_met(pushed):
    """Before the rewrite, Virtuoso failed these (SQ156, SR066). In FY2022 one item each
    names two offices of one country met at once (data/source.txt): AUS line 173
    (豪国防軍司令官、豪統合作戦司令官, 7月), FRA line 187 (航空宇宙軍参謀長及び宇宙コマンド
    司令官, 4月), PHL line 229 (陸軍司令官及び海兵隊司令官, 12月)."""
    endpoint, _ = pushed
    store = Q.open_graph("store")
    for iso3 in ("PHL", "AUS", "FRA"):
        _same_rows(endpoint, "country_timeline", {"country": iso3}, store)
        rows = Q.run_query("country_timeline", {"country": iso3}, endpoint=endpoint).records()
        joined = [r["counterpart"] for r in rows if "、" in (r.get("counterpart") or "")]
        assert len(joined) == 1 and "?" not in joined[0] and "\u00e3" not in joined[0], iso3
    assert "フィリピン海兵隊司令官、フィリピン陸軍司令官" in {
        r.get("counterpart")
        for r in Q.run_query("country_timeline", {"country": "PHL"}, endpoint=endpoint).records()
    }


def test_holders_of_on_many_dates(pushed):
    """Before the rewrite, Virtuoso gave 岸信夫 (minister, 2020-09-16 to 2022-08-10) the end
    of 浜田靖一's term (2023-09-13) when asked about 2021-01."""
    endpoint, _ = pushed
    store = Q.open_graph("store")
    for office in OFFICES:
        for date in [None, *DATES]:
            params = {"office": office} | ({"date": date} if date else {})
            _same_rows(endpoint, "holders_of", params, store)
    kishi = Q.run_query("holders_of", {"office": "minister", "date": "2021-01"}, endpoint=endpoint)
    assert [(r["name_ja"], r["start"], r["end"]) for r in kishi.records()] == [
        ("岸信夫", "2020-09-16", "2022-08-10")
    ]


def test_named_query_by_name_on_virtuoso(pushed, capsys):
    """A parameter given by name is resolved on the server (kg.sparql.lookup)."""
    from kg.cli import main

    endpoint, _ = pushed
    args = ["query", "country_timeline", "--endpoint", endpoint, "-p"]
    assert main([*args, "country=フィリピン"]) == 0
    by_name = capsys.readouterr().out
    assert main([*args, "country=PHL"]) == 0
    assert capsys.readouterr().out == by_name and "フィリピン陸軍司令官" in by_name


# ------------------------------------------------------------------------------------------
#  The README's recipe, as written
# ------------------------------------------------------------------------------------------


def _recipe() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Moving to a SPARQL server", 1)[1].split("\n### ", 1)[0]
    block = re.search(r"```sh\n(.*?virtuoso-t.*?)```", section, re.S)
    assert block, "the README's Virtuoso recipe (a sh block in 'Moving to a SPARQL server')"
    return block.group(1)


def test_the_readme_recipe_as_written(tmp_path):
    """The recipe's lines run by bash, one after the other, with only its folder (/tmp/vt) and
    its two ports (1111, 8890) moved to a tmp folder and free ports; `kg` is this checkout's."""
    if VIRTUOSO is None:
        pytest.skip(MISSING)
    recipe = _recipe()
    for needed in ("/tmp/vt", "127.0.0.1:1111", "127.0.0.1:8890", "kg push", "kg query", "-K"):
        assert needed in recipe, needed
    folder = tmp_path / "vt"
    sql, http = free_port(), free_port()
    script = (
        recipe.replace("/tmp/vt", str(folder))
        .replace("127.0.0.1:1111", f"127.0.0.1:{sql}")
        .replace("127.0.0.1:8890", f"127.0.0.1:{http}")
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    kg = bin_dir / "kg"
    kg.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kg "$@"\n', encoding="utf-8")
    kg.chmod(0o755)
    env = {"PYTHONPATH": SRC, "PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    if "KG_NODE_MODULES" in os.environ:
        env["KG_NODE_MODULES"] = os.environ["KG_NODE_MODULES"]
    try:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"{_lines(NT)} triples" in done.stdout
        # what `kg query … --endpoint` printed is what the embedded store answers
        query_line = next(ln for ln in recipe.splitlines() if ln.startswith("kg query"))
        args = shlex.split(query_line.split("  #")[0])[1:]
        at = args.index("--endpoint")
        local = subprocess.run(
            [sys.executable, "-m", "kg", *args[:at], *args[at + 2 :]],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert local.returncode == 0, local.stderr
        assert local.stdout and local.stdout in done.stdout
        # the recipe's last line stopped the server: its lock file is gone
        deadline = time.monotonic() + 30
        while (folder / "virtuoso.lck").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not (folder / "virtuoso.lck").exists()
    finally:
        lck = folder / "virtuoso.lck"
        if lck.exists():  # a failed run: stop the server the recipe left running
            m = re.search(r"VIRT_PID=(\d+)", lck.read_text())
            if m:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(m.group(1)), 15)
