"""kg.paths: one place that knows data/, ontology/ and queries/, each movable by the environment."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import paths


def test_defaults_are_the_repositorys_folders(monkeypatch):
    for var in ("KG_DATA_DIR", "KG_ONTOLOGY_DIR", "KG_QUERIES_DIR"):
        monkeypatch.delenv(var, raising=False)
    assert paths.data_dir() == paths.REPO / "data"
    assert paths.ontology_dir() == paths.REPO / "ontology"
    assert paths.queries_dir() == paths.REPO / "queries"
    assert (paths.data_dir() / "source.txt").is_file()
    assert (paths.ontology_dir() / "jdx.ttl").is_file()
    assert any(paths.queries_dir().glob("*.rq"))


def test_each_folder_follows_its_own_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path / "o"))
    monkeypatch.setenv("KG_QUERIES_DIR", str(tmp_path / "q"))
    assert paths.data_dir() == tmp_path / "d"
    assert paths.ontology_dir() == tmp_path / "o"
    assert paths.queries_dir() == tmp_path / "q"


def test_kg_data_dir_alone_moves_a_whole_copy(monkeypatch, tmp_path):
    """A copy laid out like the repository (data/, ontology/, queries/ side by side)."""
    for name in ("ontology", "queries"):
        (tmp_path / name).mkdir()
    monkeypatch.delenv("KG_ONTOLOGY_DIR", raising=False)
    monkeypatch.delenv("KG_QUERIES_DIR", raising=False)
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path / "data"))
    assert paths.ontology_dir() == tmp_path / "ontology"
    assert paths.queries_dir() == tmp_path / "queries"


def test_kg_data_dir_without_siblings_keeps_the_repositorys(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_ONTOLOGY_DIR", raising=False)
    monkeypatch.delenv("KG_QUERIES_DIR", raising=False)
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path / "data"))
    assert paths.queries_dir() == paths.REPO / "queries"


@pytest.mark.parametrize("var", ["KG_QUERIES_DIR", "KG_DATA_DIR"])
def test_kg_query_reads_named_queries_from_the_moved_folder(tmp_path: Path, var: str):
    """A query that exists only in the moved copy is found by `kg query --list`."""
    queries = tmp_path / "queries"
    queries.mkdir()
    shutil.copy(paths.queries_dir() / "forum_hubs.rq", queries / "only_in_the_copy.rq")
    text = (queries / "only_in_the_copy.rq").read_text(encoding="utf-8")
    (queries / "only_in_the_copy.rq").write_text(
        text.replace("# name: forum_hubs", "# name: only_in_the_copy"), encoding="utf-8"
    )
    env_value = str(queries) if var == "KG_QUERIES_DIR" else str(tmp_path / "data")
    import os

    env = {**os.environ, var: env_value}
    done = subprocess.run(
        [sys.executable, "-m", "kg", "query", "--list"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "only_in_the_copy" in done.stdout
    assert "events_by_country_year" not in done.stdout  # the repository's are not mixed in


def test_npm_file_finds_the_pinned_browser_libraries():
    # Every package package.json pins is installed (setup.sh runs `npm ci`) at its pinned version.
    import json

    pins = json.loads((paths.REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert pins
    for package, version in pins.items():
        meta = json.loads(paths.npm_file(package, "package.json").read_text(encoding="utf-8"))
        assert meta["version"] == version, package


def test_npm_file_names_the_missing_package_and_the_fix(monkeypatch, tmp_path):
    from kg.errors import AssetError

    monkeypatch.setenv("KG_NODE_MODULES", str(tmp_path))
    with pytest.raises(AssetError) as err:
        paths.npm_file("sigma", "dist/sigma.min.js")
    assert "sigma/dist/sigma.min.js" in str(err.value) and "setup.sh" in str(err.value)
