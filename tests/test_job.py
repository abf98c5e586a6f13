"""kg.build: the main job as a library call, the same one `kg build` runs."""

from __future__ import annotations

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
