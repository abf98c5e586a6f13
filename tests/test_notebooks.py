"""The analyst notebooks run top to bottom, save their figures, and are committed reviewable.

Each notebook in notebooks/ is executed with nbclient (kernel python3, 300 s per cell, working
folder notebooks/); any error in a cell fails the test. The executed copy is written to
tests/artifacts/notebooks/ (git-ignored) for inspection; the committed notebooks stay as
notebooks/make_notebooks.py writes them: no outputs, no execution counts.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbclient  # dev dependencies: a missing one fails the run rather than skipping it
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


def _paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def test_the_four_notebooks_exist():
    assert [p.stem for p in _paths()] == EXPECTED


def test_committed_notebooks_are_generated_and_stripped():
    """Reviewable diffs: the .ipynb files equal the generator's output (no outputs, stable ids)."""
    done = subprocess.run(
        [sys.executable, str(NOTEBOOKS / "make_notebooks.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for path in _paths():
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [], f"{path.name}: committed with outputs"
                assert cell["execution_count"] is None, f"{path.name}: execution count"


def test_notebooks_pass_ruff():
    """The cells are kept as ruff writes them, so linting the repository covers them too."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    paths = [str(p) for p in _paths()]
    for args in (["check", "--quiet"], ["format", "--check", "--quiet"]):
        done = subprocess.run([ruff, *args, *paths], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", _paths(), ids=lambda p: p.stem)
def test_notebook_opens_with_its_question_and_uses_the_public_api(path: Path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    text = first.source
    assert JAPANESE.search(text), "the question in Japanese"
    assert "Question" in text, "the question in English"
    for cell in nb.cells:
        if cell.cell_type != "code":
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
    nb = nbformat.read(path, as_version=4)
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
        nbformat.write(nb, ARTIFACTS / "notebooks" / path.name)

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
