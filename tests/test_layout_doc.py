"""The README's layout table: every module of the tree is in it, each saying what it is for."""

from __future__ import annotations

import importlib.util

from kg import paths


def _layout():
    spec = importlib.util.spec_from_file_location("layout", paths.REPO / "docs" / "layout.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_module_has_a_place_in_the_table():
    assert _layout().unlisted() == []


def test_every_module_says_what_it_is_for():
    missing = [dotted for _, dotted, text in _layout().rows() if not text]
    assert missing == []


def test_the_readme_shows_the_table_as_generated():
    readme = (paths.REPO / "README.md").read_text(encoding="utf-8")
    assert _layout().table() in readme
