"""kg.build: the main job as a library call, the same one `kg build` runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

import kg
from kg import paths

GRAPH_AND_TABLES = ("events.csv", "students.csv", "budget.csv", "quality.json", "kg.nt")


def test_build_without_the_cli_writes_what_is_committed(tmp_path):
    summary = kg.build(out=tmp_path, store=False, views=False)
    assert summary.ok and summary.out == tmp_path
    for name in GRAPH_AND_TABLES:
        assert (tmp_path / name).read_bytes() == (paths.data_dir() / name).read_bytes(), name
    nt_lines = (tmp_path / "kg.nt").read_text(encoding="utf-8").count("\n")
    assert summary.triples == nt_lines
    assert not (tmp_path / "store").exists() and not (tmp_path / "views").exists()


def test_the_store_filled_beside_the_views_holds_the_graph(tmp_path):
    """The store is filled in a thread while the views are drawn: both are complete after."""
    import pyoxigraph as ox

    summary = kg.build(out=tmp_path)
    store = ox.Store.read_only(str(tmp_path / "store"))
    assert len(store) == summary.triples
    assert (tmp_path / "views" / "full.gexf").exists()


def test_a_store_that_cannot_be_filled_fails_the_build(tmp_path, monkeypatch):
    """The store's error is the build's; what was written before it stays, and no process of
    the build is left behind (forked or not: earlier tests may leave threads, which rule the
    fork out)."""
    import multiprocessing

    import kg.store.local

    def broken(nt, target):
        raise kg.StoreError("disk full")

    monkeypatch.setattr(kg.store.local, "build_store", broken)
    with pytest.raises(kg.StoreError, match="disk full"):
        kg.build(out=tmp_path)
    assert (tmp_path / "kg.nt").exists() and (tmp_path / "events.csv").exists()
    assert not (tmp_path / "views" / "overview.html").exists()  # it reads the store
    assert not multiprocessing.active_children()


@pytest.fixture
def forking(monkeypatch):
    """kg.build forks its second lane only when no other thread runs in the process; earlier
    tests may leave idle server threads behind, so this says there are none."""
    import kg.job

    assert (os.cpu_count() or 1) >= 2  # the machine these tests run on has two cores
    monkeypatch.setattr(kg.job.threading, "active_count", lambda: 1)


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_views_drawn_in_a_forked_process_are_those_drawn_in_one(tmp_path, monkeypatch, forking):
    """The views are drawn in a forked process beside the rest of the build; the files are
    byte for byte those one process writes (no fork: one core, Windows, other threads)."""
    import kg.job

    forked = []
    real = kg.job._Lane.fork
    monkeypatch.setattr(kg.job._Lane, "fork", lambda *a: forked.append(real(*a)) or forked[-1])
    kg.build(out=tmp_path / "two", store=False)
    assert len(forked) == 1 and forked[0] is not None  # a process was forked
    monkeypatch.setattr(kg.job._Lane, "fork", lambda *a: None)
    kg.build(out=tmp_path / "one", store=False)
    two, one = _files(tmp_path / "two" / "views"), _files(tmp_path / "one" / "views")
    assert sorted(map(str, two)) == sorted(map(str, one))
    assert len(two) == 6 * 4 + 2  # each view: .html .gexf .graphml .json; index, overview
    assert {"index.html", "overview.html", "full.gexf"} <= {str(p) for p in two}
    assert two == one


def test_an_error_in_the_forked_process_is_raised_by_the_build(tmp_path, monkeypatch, forking):
    """The same exception, its message, and the child's traceback as a note."""
    import kg.viz.views

    real = kg.viz.views.write_views

    def failing(graph, out_dir, names, **options):
        if "full" in names:
            raise kg.DataError("the full view cannot be drawn")
        return real(graph, out_dir, names, **options)

    monkeypatch.setattr(kg.viz.views, "write_views", failing)
    with pytest.raises(kg.DataError, match="the full view cannot be drawn") as caught:
        kg.build(out=tmp_path, store=False)
    notes = "\n".join(getattr(caught.value, "__notes__", []))
    assert "in the process drawing the views" in notes and "failing" in notes


def test_a_forked_process_that_dies_fails_the_build_with_a_message(tmp_path, monkeypatch, forking):
    import kg.viz.views

    real = kg.viz.views.write_views
    tests = os.getpid()

    def dying(graph, out_dir, names, **options):
        if "full" in names and os.getpid() != tests:  # in the forked process only
            os._exit(3)
        return real(graph, out_dir, names, **options)

    monkeypatch.setattr(kg.viz.views, "write_views", dying)
    with pytest.raises(kg.BuildError, match="drawing the views ended without a result"):
        kg.build(out=tmp_path, store=False)


def test_an_error_that_cannot_cross_is_told_as_a_kg_error(tmp_path, monkeypatch, forking):
    import kg.viz.views

    class Odd(Exception):
        def __init__(self, a, b):  # pickles as Odd(message), which cannot be rebuilt
            super().__init__(f"odd {a} {b}")

    real = kg.viz.views.write_views

    def failing(graph, out_dir, names, **options):
        if "full" in names:
            raise Odd(1, 2)
        return real(graph, out_dir, names, **options)

    monkeypatch.setattr(kg.viz.views, "write_views", failing)
    with pytest.raises(kg.KgError, match="Odd: odd 1 2"):
        kg.build(out=tmp_path, store=False)


def test_the_lane_hands_the_full_views_graph_files_to_the_building_process(
    tmp_path, monkeypatch, forking
):
    import kg.job

    here, written = os.getpid(), []
    real = kg.job._write_graph_files

    def spy(part):
        written.append((os.getpid(), sorted(p.name for p in part[1])))
        real(part)

    monkeypatch.setattr(kg.job, "_write_graph_files", spy)
    kg.build(out=tmp_path, store=False)
    assert written == [(here, ["full.gexf", "full.graphml", "full.json"])]
    assert (tmp_path / "views" / "full.gexf").stat().st_size > 100_000
    index = (tmp_path / "views" / "index.html").read_text(encoding="utf-8")
    assert 'href="full.gexf"' in index  # listed by the lane, written here


def test_a_handed_over_file_that_cannot_be_written_fails_the_build(tmp_path, monkeypatch, forking):
    import multiprocessing

    import kg.job

    def broken(part):
        raise kg.StoreError("disk full")

    monkeypatch.setattr(kg.job, "_write_graph_files", broken)
    with pytest.raises(kg.StoreError, match="disk full"):
        kg.build(out=tmp_path, store=False)
    assert not multiprocessing.active_children()
    assert (tmp_path / "views" / "copresence.gexf").exists()  # the lane drew the rest


def test_a_build_that_fails_while_the_lane_draws_stops_it(tmp_path, monkeypatch, forking):
    """This process fails after handing the lane its job: it stops listening, and the lane
    ends (at its next hand-over) instead of waiting on a pipe no one reads."""
    import multiprocessing

    import kg.job

    def failing(*args, **kw):
        raise kg.DataError("cannot write the tables")

    monkeypatch.setattr(kg.job, "write_outputs", failing)
    with pytest.raises(kg.DataError, match="cannot write the tables"):
        kg.build(out=tmp_path, store=False)
    assert not multiprocessing.active_children()


def test_an_error_while_the_lane_prepares_is_the_builds(tmp_path, monkeypatch, forking):
    """A view's asset missing: the child fails before it is given the triples, and the build
    (which hands them over all the same) raises that error, not a broken pipe."""
    import kg.viz.views
    from kg.errors import AssetError

    def missing() -> None:
        raise AssetError("browser library vis-network is not installed")

    monkeypatch.setattr(kg.viz.views, "prepare", missing)
    with pytest.raises(AssetError, match="vis-network is not installed"):
        kg.build(out=tmp_path, store=False)


def test_a_build_that_fails_before_the_views_stops_its_lane(tmp_path, monkeypatch, forking):
    import multiprocessing

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    with pytest.raises(kg.SourceError):
        kg.build(bad, tmp_path / "out")
    assert not multiprocessing.active_children()  # the forked lane has ended, not left waiting
    assert not (tmp_path / "out" / "views").exists()


def test_a_lane_takes_its_job_while_it_still_prepares(forking):
    """The job's arguments (here 8 MB, more than a pipe holds) are read while ``prepare``
    runs: ``give`` returns before ``prepare`` may end (it waits for a sign sent after); and
    the parts the job hands over are sent while it goes on, before this process reads them."""
    import multiprocessing

    import kg.job

    given = multiprocessing.get_context("fork").Event()
    handed = multiprocessing.get_context("fork").Event()

    def prepare() -> None:
        if not given.wait(30):
            raise TimeoutError("give() waited for prepare()")

    def job(hand_over, blob, n):
        hand_over(blob[:3_000_000])  # a part larger than a pipe holds, before the result
        hand_over(b"y")
        handed.set()  # the job goes on while its parts wait to be read
        return len(blob) + n

    lane = kg.job._Lane.fork(prepare, job)
    assert lane is not None
    lane.give(b"x" * 8_000_000, 1)
    given.set()
    assert handed.wait(30)  # not read yet: hand_over did not wait for this process
    parts = []
    assert lane.result(parts.append) == 8_000_001
    assert [len(p) for p in parts] == [3_000_000, 1]


def test_the_whole_build_runs_without_rdflib(tmp_path):
    """kg build writes every output, views included, without importing rdflib (its import was
    a tenth of the build): the views read the build's own triples. Nor does the process that
    calls it import networkx: the forked lane draws the views (a new process has no other
    thread, so it forks)."""
    code = (
        "import sys, kg; kg.build(out=sys.argv[1]); "
        "print('rdflib' in sys.modules, 'networkx' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]
    assert (tmp_path / "views" / "full.html").exists()
    index = (tmp_path / "views" / "index.html").read_text(encoding="utf-8")
    assert 'href="overview.html"' in index and (tmp_path / "views" / "overview.html").exists()


def test_a_second_build_changes_nothing(tmp_path):
    kg.build(out=tmp_path, store=False, views=False)
    again = kg.build(out=tmp_path, store=False, views=False)
    assert again.changed and not any(again.changed.values())


def test_unreadable_source_raises_before_anything_is_written(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    out = tmp_path / "out"
    out.mkdir()
    (out / "events.csv").write_text("kept\n", encoding="utf-8")
    with pytest.raises(kg.SourceError) as caught:
        kg.build(bad, out)
    assert f"{bad}:1" in str(caught.value)
    assert (out / "events.csv").read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in out.iterdir()) == ["events.csv"]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["build", "--source", "/nonexistent/source.txt"], "/nonexistent/source.txt"),
        (["query", "no_such_query"], "no_such_query"),
        (["query", "forum_hubs", "--data", "/nonexistent"], "/nonexistent"),
    ],
)
def test_the_cli_reports_library_errors_once_without_a_traceback(argv, needle):
    done = subprocess.run([sys.executable, "-m", "kg", *argv], capture_output=True, text=True)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith("kg: error: ")
    assert done.stderr.count("kg: error: ") == 1
    assert needle in done.stderr
    assert "Traceback" not in done.stderr


# -- a failed build keeps the last good one --------------------------------------------------------


@pytest.fixture()
def good_build(tmp_path, monkeypatch):
    """A data folder holding a good build (tables, graph, store), as data/ is after kg build."""
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir() / "gazetteer", data / "gazetteer")
    shutil.copytree(paths.data_dir() / "rules", data / "rules")
    shutil.copy(paths.data_dir() / "source.txt", data / "source.txt")
    monkeypatch.setenv("KG_DATA_DIR", str(data))
    kg.build(views=False)
    return data


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _truncated(tmp_path, keep_lines: int):
    lines = (paths.REPO / "data" / "source.txt").read_text(encoding="utf-8").splitlines(True)
    cut = tmp_path / "truncated.txt"
    cut.write_text("".join(lines[:keep_lines]), encoding="utf-8")
    return cut


def test_a_truncated_source_writes_nothing_over_a_good_build(good_build, tmp_path):
    before = _snapshot(good_build)
    cut = _truncated(tmp_path, 150)  # half the document: later sections are missing
    with pytest.raises(kg.BuildError) as caught:
        kg.build(cut)
    assert caught.value.issues and all(i.level == "error" for i in caught.value.issues)
    assert "line " in str(caught.value) and "nothing was written" in str(caught.value)
    assert _snapshot(good_build) == before


def test_the_cli_says_so_and_exits_2(good_build, tmp_path):
    import os

    before = _snapshot(good_build)
    cut = _truncated(tmp_path, 150)
    env = {**os.environ, "KG_DATA_DIR": str(good_build)}
    done = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--quiet", "--source", str(cut)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("kg: error: ") and "document truncated" in done.stderr
    assert "Traceback" not in done.stderr
    assert _snapshot(good_build) == before


def test_a_failed_build_goes_where_it_is_named(good_build, tmp_path):
    cut = _truncated(tmp_path, 150)
    inspect = tmp_path / "failed"
    summary = kg.build(cut, inspect, store=False, views=False)
    assert not summary.ok and summary.errors
    events = (inspect / "events.csv").read_text(encoding="utf-8").count("\n") - 1
    good = (good_build / "events.csv").read_text(encoding="utf-8").count("\n") - 1
    assert 0 < events < good


def test_files_are_replaced_atomically(tmp_path, monkeypatch):
    target = tmp_path / "kg.nt"
    assert paths.write_text(target, "old\n")
    assert not paths.write_text(target, "old\n")  # unchanged: not rewritten

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", fail)
    with pytest.raises(OSError):
        paths.write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.nt"]  # no temporary file left


def test_the_build_runs_without_a_cycle_collection(tmp_path):
    """Python's cycle collector is paused for the build (its full collections were the one
    step growing faster than the graph) and is on again after it, as it was before."""
    import gc
    import traceback

    build = kg.build  # imported first: kg imports kg.job on first use
    inside: list[bool] = []  # each collection: did it start inside kg.job.build?

    def counted(phase, info):
        if phase == "start":
            frames = traceback.extract_stack()
            inside.append(any(f.name == "build" and f.filename.endswith("job.py") for f in frames))

    gc.callbacks.append(counted)
    try:
        assert gc.isenabled()
        build(out=tmp_path, store=False)
        assert gc.isenabled()
        after = len(inside)
        gc.collect()
    finally:
        gc.callbacks.remove(counted)
    # on, the collector runs hundreds of times in a build (millions of objects made)
    assert inside[:after].count(True) == 0
    assert len(inside) == after + 1  # and it answers again once the build is over
    assert (tmp_path / "views" / "full.html").exists()


def test_the_collector_is_restored_after_a_failed_build(tmp_path):
    import gc

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    with pytest.raises(kg.SourceError):
        kg.build(bad, tmp_path / "out")
    assert gc.isenabled()
    gc.disable()
    try:  # a caller that had paused it keeps it paused
        kg.build(out=tmp_path / "ok", store=False, views=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
