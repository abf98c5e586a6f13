"""The public library: kg's __all__ is exactly what it exports, typed, versioned."""

from __future__ import annotations

import importlib.resources
import inspect
import subprocess
import sys
import tomllib

import kg
from kg import paths


def test_all_lists_exactly_the_public_names():
    public = {n for n in dir(kg) if not n.startswith("_")} | {"__version__"}
    submodules = {n for n in public if inspect.ismodule(getattr(kg, n, None))}
    assert sorted(kg.__all__) == sorted(public - submodules)
    assert len(kg.__all__) == len(set(kg.__all__))


def test_every_name_in_all_resolves():
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name


def test_errors_are_one_hierarchy():
    kinds = [kg.SourceError, kg.DataError, kg.QueryError, kg.StoreError, kg.ServeError]
    assert all(issubclass(k, kg.KgError) for k in kinds)
    err = kg.SourceError("not UTF-8 text", file="data/source.txt", line=12)
    assert str(err) == "data/source.txt:12: not UTF-8 text"
    assert str(kg.QueryError("no such query")) == "no such query"


def test_importing_kg_stays_free_of_rdflib():
    """`kg` commands import the package first; rdflib (~0.3 s) loads only where it is used."""
    code = "import sys, kg; print('rdflib' in sys.modules, 'pyoxigraph' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_version_matches_the_project_metadata():
    meta = tomllib.loads((paths.REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert kg.__version__ == meta["project"]["version"]


def test_typed_marker_is_shipped():
    assert importlib.resources.files("kg").joinpath("py.typed").is_file()
    meta = tomllib.loads((paths.REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in meta["tool"]["setuptools"]["package-data"]["kg"]


def test_the_repository_carries_the_public_contract():
    """docs/CONTRACT.md is the clone's copy of the contract; the README points to it."""
    contract = (paths.REPO / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    assert "https://w3id.org/jdx/ontology#" in contract
    assert "docs/CONTRACT.md" in (paths.REPO / "README.md").read_text(encoding="utf-8")
