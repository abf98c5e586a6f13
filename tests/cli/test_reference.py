"""The README's command reference is the parsers' own --help (cog), and every option has help."""

from __future__ import annotations

import argparse
import sys

import pytest
from cogapp import Cog

from kg import paths
from kg.cli import COMMANDS, parser, reference, subparsers

README = paths.REPO / "README.md"

#: Options without help in modules this branch does not own (kg/cli/build.py, kg/cli/query.py).
#: Remove an entry once its option has a help string.
version_of_the_readme = pytest.mark.skipif(
    sys.version_info[:2] != (3, 11),
    reason="argparse lays out --help differently in other Pythons; the README is rendered by 3.11",
)


def _cog_check(path) -> int:
    return Cog().main(["cog", "--check", str(path)])


@version_of_the_readme
def test_readme_reference_is_the_parsers_help():
    assert _cog_check(README) == 0, "the README's command reference is stale: cog -r README.md"


@version_of_the_readme
def test_a_stale_reference_is_caught(tmp_path):
    """The check can fail: one changed option line in a copy of the README makes it stale."""
    text = README.read_text(encoding="utf-8")
    line = "  --issues       list every warning with its line"
    assert line in text
    stale = tmp_path / "README.md"
    stale.write_text(text.replace(line, line + " (a hand edit)"), encoding="utf-8")
    assert _cog_check(stale) == 5  # cog's status for --check when the output would change


def test_every_command_is_in_the_reference_and_the_readme():
    ref = reference()
    readme = README.read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"### `kg {name}`\n" in ref
        assert f"$ kg {name} --help\nusage: kg {name} [-h]" in ref
        assert f"| `kg {name}` |" in readme  # the short table above the reference


def test_the_reference_does_not_follow_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    narrow = reference()
    monkeypatch.setenv("COLUMNS", "250")
    assert reference() == narrow
    assert max(len(line) for line in narrow.splitlines()) <= 100
    report = reference(columns=60).split("### `kg report`")[1].split("### ")[0]
    assert max(len(line) for line in report.splitlines()) <= 60 < max(map(len, narrow.splitlines()))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help(name):
    p = subparsers(parser())[name]
    missing = [
        a.option_strings[0] if a.option_strings else a.dest
        for a in p._actions
        if not isinstance(a, argparse._HelpAction) and not (a.help and a.help != argparse.SUPPRESS)
    ]
    assert missing == [], f"kg {name}: options without help: {missing}"
