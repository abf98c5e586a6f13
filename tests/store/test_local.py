"""The embedded store: filled by `kg build`, rebuilt from scratch, opened read-only, never stale."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg import paths
from kg.errors import QueryError
from kg.sparql.run import open_graph, run_query
from kg.store import local as S

ROOT = paths.REPO
DATA = ROOT / "data"


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    shutil.copy(DATA / "kg.nt", d / "kg.nt")
    return d


def _lines(nt: Path) -> int:
    return sum(1 for ln in nt.read_text(encoding="utf-8").splitlines() if ln.strip())


def test_the_library_build_fills_the_store(tmp_path):
    """kg.build (what `kg build` runs) leaves a store that matches the kg.nt it wrote."""
    import kg

    summary = kg.build(out=tmp_path, views=False)
    assert summary.ok
    assert S.is_current(tmp_path)
    assert len(open_graph("store", tmp_path)) == _lines(tmp_path / "kg.nt") == summary.triples


def test_store_holds_the_graph(data_copy):
    stamp = S.build_store(data_copy / "kg.nt", S.store_dir(data_copy))
    assert stamp["triples"] == _lines(data_copy / "kg.nt")
    g = open_graph("store", data_copy)
    assert len(g) == stamp["triples"]
    m = open_graph("memory", data_copy)
    assert len(m) == stamp["triples"]


def test_open_builds_a_missing_store(data_copy):
    assert not S.store_dir(data_copy).exists()
    g = open_graph("store", data_copy)
    assert S.is_current(data_copy)
    assert run_query("forum_hubs", graph=g).rows


def test_a_stale_store_is_rebuilt(data_copy):
    open_graph("store", data_copy)
    nt = data_copy / "kg.nt"
    extra = '<https://w3id.org/jdx/id/test> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    nt.write_text(nt.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert not S.is_current(data_copy)
    g = open_graph("store", data_copy)
    assert S.is_current(data_copy)
    ask = run_query("ASK { <https://w3id.org/jdx/id/test> ?p ?o }", graph=g)
    assert str(ask.rows[0][0]) == "true"


def test_rebuild_replaces_the_store_while_a_reader_has_it_open(data_copy):
    target = S.store_dir(data_copy)
    S.build_store(data_copy / "kg.nt", target)
    reader = open_graph("store", data_copy)
    before = run_query("mode_share_by_year", graph=reader).rows
    second = open_graph("store", data_copy)  # two read-only openers at once
    S.build_store(data_copy / "kg.nt", target)
    assert run_query("mode_share_by_year", graph=second).rows == before
    assert run_query("mode_share_by_year", graph=open_graph("store", data_copy)).rows == before
    leftovers = [p.name for p in data_copy.iterdir() if p.name.startswith(".store")]
    assert leftovers == []


def test_the_store_is_read_only(data_copy):
    g = open_graph("store", data_copy)
    with pytest.raises((OSError, RuntimeError), match="read-write|read-only|Read"):
        g.add(
            (URIRef("https://w3id.org/jdx/id/x"), URIRef("https://w3id.org/jdx/id/p"), Literal(1))
        )


def test_missing_graph_is_a_clear_error(tmp_path):
    with pytest.raises(QueryError, match="kg.nt not found; run `kg build` first"):
        open_graph("store", tmp_path)
    with pytest.raises(QueryError, match="kg.nt not found"):
        open_graph("memory", tmp_path)
    with pytest.raises(QueryError, match="kg.nt not found; run `kg build` first"):
        open_graph("store-memory", tmp_path)
    with pytest.raises(QueryError, match="unknown backend"):
        open_graph("sqlite", tmp_path)


def test_kg_build_fills_the_store(tmp_path, capsys):
    from kg.cli import main

    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--quiet"]) in (0, 1)
    assert S.is_current(out)
    stamp = S.read_stamp(S.store_dir(out))
    assert stamp["triples"] == _lines(out / "kg.nt")
    first = os.stat(S.store_dir(out) / S.STAMP_NAME).st_mtime_ns
    S.build_store(
        out / "kg.nt", S.store_dir(out)
    )  # what every build does: a new store replaces the old one
    assert os.stat(S.store_dir(out) / S.STAMP_NAME).st_mtime_ns != first
    rows = run_query("events_by_country_year", graph=open_graph("store", out)).rows
    assert rows == run_query("events_by_country_year", graph=open_graph("store", DATA)).rows


def test_store_in_memory_holds_the_graph_and_leaves_the_disk_alone(tmp_path):
    """store-memory: a private copy of kg.nt in memory; adding to it changes no file."""
    from kg import paths

    data = paths.data_dir()
    nt_lines = sum(1 for line in (data / "kg.nt").open(encoding="utf-8") if line.strip())
    mem = open_graph("store-memory")
    assert len(mem) == nt_lines == len(open_graph("store"))
    stamp = (data / "store" / S.STAMP_NAME).read_bytes()
    mem.add((URIRef("https://w3id.org/jdx/id/x"), URIRef("https://w3id.org/jdx/id/p"), Literal(1)))
    assert len(mem) == nt_lines + 1
    assert len(open_graph("store")) == nt_lines
    assert (data / "store" / S.STAMP_NAME).read_bytes() == stamp


@pytest.mark.parametrize("backend", ["store", "store-memory"])
def test_a_broken_graph_file_is_a_clear_error(tmp_path, backend):
    """A truncated kg.nt: the message names the file and the line; no half-built store is left."""
    (tmp_path / "kg.nt").write_text(
        '<https://w3id.org/jdx/id/a> <https://w3id.org/jdx/id/p> "1" .\n'
        "<https://w3id.org/jdx/id/a> <bro",
        encoding="utf-8",
    )
    with pytest.raises(QueryError, match=r"cannot load .*kg.nt: .*line 2.*run `kg build` again"):
        open_graph(backend, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.nt"]


# -- the same terms everywhere ----------------------------------------------------------------


def _line_set(text: str) -> set[str]:
    return {ln for ln in text.splitlines() if ln.strip()}


def _serialized(triples) -> set[str]:
    import pyoxigraph as ox

    from kg.formats.triples import sorted_triples

    return _line_set(
        bytes(ox.serialize(sorted_triples(triples), format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    )


def test_serializations_store_and_engines_hold_the_same_terms(data_copy):
    """kg.ttl, kg.jsonld, the on-disk store, the in-memory store and rdflib's graph give back
    kg.nt term for term: no datatype is rewritten on the way (Oxigraph once turned the
    xsd:nonNegativeInteger counts into xsd:integer)."""
    import pyoxigraph as ox

    from kg.formats import ntriples

    nt = _line_set((DATA / "kg.nt").read_text(encoding="utf-8"))
    for name, fmt in (("kg.ttl", ox.RdfFormat.TURTLE), ("kg.jsonld", ox.RdfFormat.JSON_LD)):
        assert _serialized(ox.parse(path=str(DATA / name), format=fmt)) == nt, name
    S.build_store(data_copy / "kg.nt", S.store_dir(data_copy))
    for store in (S.open_store(data_copy), S.memory_store(data_copy / "kg.nt")):
        dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        assert _line_set(bytes(dumped or b"").decode()) == nt
    assert _line_set(ntriples.write(open_graph("memory", data_copy))) == nt


def test_a_query_on_a_datatype_counts_alike_on_every_backend(data_copy):
    counts = {}
    for backend in S.BACKENDS:
        g = open_graph(backend, data_copy)
        rows = run_query(
            """SELECT ?dt (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isLiteral(?o))
                 BIND(DATATYPE(?o) AS ?dt) } GROUP BY ?dt ORDER BY ?dt""",
            graph=g,
        ).rows
        counts[backend] = [(str(dt), int(n)) for dt, n in rows]
    assert counts["store"] == counts["store-memory"] == counts["memory"]
    assert "http://www.w3.org/2001/XMLSchema#nonNegativeInteger" not in dict(counts["store"])
