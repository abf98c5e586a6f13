"""The analyst notebooks run top to bottom, save their figures, and have one source each.

A notebook is its jupytext percent-format source, notebooks/NN_name.py: the only committed form,
so there is no second copy to drift and a review reads a plain Python diff. The tests build each
notebook from its source (jupytext) and execute it with nbclient (kernel python3, 300 s per
cell, working folder notebooks/); any error in a cell fails the test. The executed copy is
written to tests/artifacts/notebooks/ (git-ignored) for inspection.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import jupytext  # dev dependencies: a missing one fails the run rather than skipping it
import nbclient
import nbformat
import pytest

from kg import paths

ROOT = paths.REPO
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "tests" / "artifacts"
FIGURES = ARTIFACTS / "figures"
#: The figures each notebook saves (through kg.api.figure_path).
FIGURES_BY_NOTEBOOK = {
    "01_tour": ["01_class_sizes", "01_ontology"],
    "02_trends": ["02_regions", "02_offices", "02_modes", "02_modes_by_month", "02_growth"],
    "03_networks": [
        "03_forum_hubs",
        "03_office_country",
        "03_copresence_communities",
        "03_network_by_fy",
    ],
    "04_people_and_money": ["04_students", "04_budget"],
}
EXPECTED = list(FIGURES_BY_NOTEBOOK)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Japanese text with a line break inside: Markdown renders the break as a space.
_CJK = "\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(f"[{_CJK}]\n[{_CJK}]")


def _paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def _notebook(path: Path) -> nbformat.NotebookNode:
    return jupytext.read(path, fmt="py:percent")


def test_the_four_notebooks_exist():
    assert [p.stem for p in _paths()] == EXPECTED


def test_only_the_sources_are_committed():
    """No .ipynb beside a source: a built notebook is git-ignored, so it cannot drift in review."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    done = subprocess.run(
        ["git", "ls-files", "notebooks"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    committed = sorted(Path(line).name for line in done.stdout.splitlines())
    assert committed == [p.name for p in _paths()]
    built = f"notebooks/{EXPECTED[0]}.ipynb"
    assert subprocess.run(["git", "check-ignore", "-q", built], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("path", _paths(), ids=lambda p: p.stem)
def test_source_is_as_jupytext_writes_it(path: Path):
    """Opening the source in Jupyter and saving it, or a round trip through .ipynb, changes nothing.

    A header, cell metadata or a mistyped cell marker would make jupytext write the file
    differently; the built notebook is a valid one with no outputs.
    """
    text = path.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="py:percent")
    nbformat.validate(nb)
    assert jupytext.writes(nb, fmt="py:percent") == text
    via_ipynb = jupytext.reads(jupytext.writes(nb, fmt="ipynb"), fmt="ipynb")
    assert jupytext.writes(via_ipynb, fmt="py:percent") == text
    assert {c.cell_type for c in nb.cells} == {"markdown", "code"}
    for cell in nb.cells:
        assert cell.source.strip(), f"{path.name}: an empty cell"
        assert not cell.metadata, f"{path.name}: cell metadata {cell.metadata}"


def test_notebooks_pass_ruff():
    """The sources are kept as ruff writes them, so linting the repository covers them too."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    paths = [str(p) for p in _paths()]
    for args in (["check", "--quiet"], ["format", "--check", "--quiet"]):
        done = subprocess.run([ruff, *args, *paths], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", _paths(), ids=lambda p: p.stem)
def test_notebook_opens_with_its_question_and_uses_the_public_api(path: Path):
    nb = _notebook(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    text = first.source
    assert JAPANESE.search(text), "the question in Japanese"
    assert "Question" in text, "the question in English"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert not CJK_BREAK.search(cell.source), f"{path.name}: a break inside Japanese text"
            continue
        tree = ast.parse(
            "\n".join(ln for ln in cell.source.splitlines() if not ln.startswith(("%", "!")))
        )
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
                assert node.module == "kg" and [a.name for a in node.names] == ["api"], (
                    f"{path.name}: import only `from kg import api`, not {node.module}"
                )
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("kg"), f"{path.name}: import {alias.name}"


@pytest.mark.parametrize("path", _paths(), ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_and_saves_figures(path: Path):
    FIGURES.mkdir(parents=True, exist_ok=True)
    for old in FIGURES.glob(f"{path.stem[:2]}_*.png"):
        old.unlink()
    started = time.time()
    nb = _notebook(path)
    env_before = os.environ.get("KG_FIGURE_DIR")
    os.environ["KG_FIGURE_DIR"] = str(FIGURES)  # the kernel inherits the environment
    try:
        client = nbclient.NotebookClient(
            nb,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        client.execute()  # raises CellExecutionError on the first failing cell
    finally:
        if env_before is None:
            os.environ.pop("KG_FIGURE_DIR", None)
        else:
            os.environ["KG_FIGURE_DIR"] = env_before
        (ARTIFACTS / "notebooks").mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, ARTIFACTS / "notebooks" / f"{path.stem}.ipynb")

    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    for name in FIGURES_BY_NOTEBOOK[path.stem]:
        png = FIGURES / f"{name}.png"
        assert png.exists(), f"{path.name} did not save {png}"
        assert png.stat().st_mtime >= started - 1, f"{png} is left over from an earlier run"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000
    stderr = [
        out.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("name") == "stderr"
    ]
    assert not any("missing from font" in s or "Glyph" in s for s in stderr), stderr
