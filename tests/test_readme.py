"""The README stands alone: its links stay in the repository (or go to public sites), and the
worked query of "For analysts" answers what the README shows."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kg import paths

ROOT = paths.REPO
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
SRC = str(Path(paths.__file__).resolve().parents[1])


def _prose() -> str:
    """The README without code blocks and inline code (a URL there is a command, not a link)."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", README))


def _links() -> list[str]:
    text = _prose()
    targets = re.findall(r"\]\(([^)\s]+)\)", text)  # [text](target)
    targets += re.findall(r"<(https?://[^>\s]+)>", text)  # <https://…>
    bare = re.sub(r"\]\([^)]*\)", "]", text)
    bare = re.sub(r"<https?://[^>\s]+>", "", bare)
    targets += [u.rstrip(".,;:") for u in re.findall(r"\b(?:https?|file|ftp)://[^\s)>\]|]+", bare)]
    return targets


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`", "", heading.strip().lower())
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", text))


def test_the_readme_has_links_to_check():
    links = _links()
    assert "docs/CONTRACT.md" in links and any(x.startswith("#") for x in links)


@pytest.mark.parametrize("target", sorted(set(_links())))
def test_every_link_stays_in_the_repository_or_goes_to_a_public_site(target: str):
    url = urlsplit(target)
    if url.scheme:
        assert url.scheme == "https", target
        host = url.hostname or ""
        assert host and "." in host and host not in ("localhost", "127.0.0.1", "0.0.0.0"), target
        return
    if target.startswith("#"):
        anchors = {_slug(h) for h in re.findall(r"^#+ (.+)$", FENCE.sub("", README), re.M)}
        assert target[1:] in anchors, target
        return
    path = (ROOT / url.path).resolve()
    assert path.is_relative_to(ROOT.resolve()), f"{target} leaves the repository"
    assert path.exists(), f"{target} is not in the repository"
    if (ROOT / ".git").exists():
        tracked = subprocess.run(
            ["git", "ls-files", "--error-unmatch", str(path.relative_to(ROOT.resolve()))],
            cwd=ROOT,
            capture_output=True,
        )
        assert tracked.returncode == 0, f"{target} is not committed"


def test_the_contract_is_in_the_repository():
    contract = ROOT / "docs" / "CONTRACT.md"
    assert "## Namespaces" in contract.read_text(encoding="utf-8")
    assert "../shared" not in README and "/work/" not in README


def _worked() -> tuple[str, list[list[str]]]:
    start = README.index("## For analysts")
    block = re.search(r"```sparql\n(.*?)```\n+```text\n(.*?)```", README[start:], re.S)
    assert block, "the worked query and its answer"
    rows = [ln.split() for ln in block.group(2).splitlines()[2:] if not ln.startswith("(")]
    return block.group(1), rows


@pytest.mark.parametrize("prefixes", [True, False], ids=["as shown", "without PREFIX lines"])
def test_the_worked_query_answers_what_the_readme_shows(tmp_path: Path, prefixes: bool):
    """Run as the README says (`kg query FILE`); without its PREFIX lines too, as it says."""
    text, shown = _worked()
    if not prefixes:
        text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("PREFIX"))
    query = tmp_path / "asdf.rq"
    query.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kg", "query", str(query), "-f", "json", "--backend", "memory"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    rows = [
        [b[v]["value"] for v in ("country", "name", "events", "at_forum")]
        for b in json.loads(done.stdout)["results"]["bindings"]
    ]
    assert [[r[0], " ".join(r[1:-2]), r[-2], r[-1]] for r in shown] == rows


def _examples() -> list[list[str]]:
    """The `kg query` lines of the README's Examples block, as arguments (pipes cut off)."""
    import shlex

    block = README.split("Examples:", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [
        shlex.split(line.split("|")[0].split("  #")[0])[1:]
        for line in block.splitlines()
        if line.startswith("kg query ")
    ]


def test_the_readme_examples_reach_their_answers_by_name(capsys):
    """Each example answers (rows, exit 0); those that name a thing do so by name, and give
    the rows its code gives (a newcomer need not know codes)."""
    from kg.cli import main

    examples = _examples()
    assert len(examples) >= 6
    named = [a for a in examples if "-p" in a]
    assert named and all(not re.fullmatch(r"[a-z_]+=[a-z_]+|\w+=[A-Z]{3}", a[-1]) for a in named)
    for args in examples:
        assert main([*args, "-f", "csv"]) == 0, args
        out = capsys.readouterr().out
        assert len(out.splitlines()) > 1, args  # a header and at least one row
    by_code = {
        "edition=第19回シャングリラ会合": "edition=jdxr:forum/shangri_la_dialogue/19",
        "actor=統幕長": "actor=chief_joint_staff",
        "country=フィリピン": "country=PHL",
    }
    for args in named:
        if args[-1] in by_code:
            main([*args, "-f", "csv"])
            by_name = capsys.readouterr().out
            main([*args[:-1], by_code[args[-1]], "-f", "csv"])
            assert capsys.readouterr().out == by_name, args
