"""The analyst notebooks run top to bottom, save their figures, and have one source each.

A notebook is its jupytext percent-format source, notebooks/NN_name.py: the only committed form,
so there is no second copy to drift and a review reads a plain Python diff. The tests build each
notebook from its source and execute it as `kg notebooks` does (kg.notebooks: jupytext, nbclient
with kernel python3, 300 s per cell, working folder notebooks/); any error in a cell fails the
test. The executed copy and its HTML page go where the README says, data/notebooks/
(git-ignored), and the page is opened in Chromium.
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

import jupytext  # dev dependencies: a missing one fails the run rather than skipping it
import nbformat
import pytest

from kg import notebooks, paths

ROOT = paths.REPO
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots of the rendered pages (git-ignored)
OUT = notebooks.out_dir()  # where `kg notebooks` writes, as the README says
FIGURES = notebooks.figure_dir()
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
def test_notebook_runs_top_to_bottom_and_saves_figures(path: Path, browser):
    """`kg notebooks NN` (kg.notebooks.render) runs the notebook and writes what the README
    says: data/notebooks/NN_name.html and .ipynb, the figures under data/notebooks/figures/;
    the page holds the figures and opens offline in Chromium with every image decoded."""
    started = time.time()
    (done,) = notebooks.render([path.stem])
    assert done.source == path
    assert done.html == OUT / f"{path.stem}.html" and done.notebook == OUT / f"{path.stem}.ipynb"
    nb = nbformat.read(done.notebook, as_version=4)
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    assert [p.stem for p in done.figures] == sorted(FIGURES_BY_NOTEBOOK[path.stem])
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

    if path.stem == "03_networks":  # the caveat's numbers, counted here from events.csv
        printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        assert f"high-level exchanges naming a forum: {_forum_naming()}" in printed

    html = done.html.read_text(encoding="utf-8")
    shown = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(shown) >= len(FIGURES_BY_NOTEBOOK[path.stem])  # every saved figure is also shown
    assert html.count('src="data:image/png;base64,') == len(shown)
    outside = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert not outside, "the page links a resource outside itself"
    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        url = done.html.resolve().as_uri()
        page.goto(url, wait_until="load")
        images = page.evaluate(
            "() => [...document.querySelectorAll('img')].map(i => i.complete && i.naturalWidth)"
        )
        assert len(images) == len(shown) and all(w and w > 100 for w in images), images
        assert page.title().startswith(path.stem[:2]), page.title()
        assert [u for u in requests if u != url and not u.startswith(("data:", "about:"))] == []
        page.screenshot(path=str(ARTIFACTS / f"notebook_{path.stem}.png"))
    finally:
        ctx.close()


def test_the_notebook_extra_installs_and_jupyterlab_runs():
    """setup.sh installs the notebook extra (CI runs it); `jupyter lab --version` answers."""
    import tomllib
    from importlib.metadata import version

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]["notebook"]
    names = [re.split(r"[<>=!~ \[]", req, maxsplit=1)[0] for req in extra]
    assert "jupyterlab" in names and "nbconvert" in names
    for name in names:
        assert version(name), name  # raises PackageNotFoundError when missing
    assert '.[dev,notebook]"' in (ROOT / "setup.sh").read_text(encoding="utf-8")
    jupyter = shutil.which("jupyter")
    assert jupyter, "jupyter is not on PATH"
    done = subprocess.run(
        [jupyter, "lab", "--version"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"4\.\d+\.\d+\S*", done.stdout.strip()), done.stdout


def test_figures_go_where_the_readme_says():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "data/notebooks/figures/" in readme and "kg notebooks" in readme
    assert paths.data_dir() / "notebooks" / "figures" == FIGURES
    assert "tests" not in FIGURES.relative_to(ROOT).parts
    ignored = ["data/notebooks/01_tour.html", "data/notebooks/figures/01_ontology.png"]
    if shutil.which("git") and (ROOT / ".git").exists():
        for built in ignored:
            assert subprocess.run(["git", "check-ignore", "-q", built], cwd=ROOT).returncode == 0


def _forum_naming() -> str:
    """ "FY2019 n/N, …": high-level events of data/events.csv that name a forum, per FY."""
    import csv

    with (paths.data_dir() / "events.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["indicator"] == "high_level"]
    years = sorted({r["fiscal_year"] for r in rows})
    counts = [
        (fy, sum(1 for r in rows if r["fiscal_year"] == fy and r["forum"]),
         sum(1 for r in rows if r["fiscal_year"] == fy))
        for fy in years
    ]  # fmt: skip
    return ", ".join(f"FY{fy} {n}/{total}" for fy, n, total in counts)


def _markdown(stem: str) -> str:
    nb = _notebook(NOTEBOOKS / f"{stem}.py")
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_notebook_03_states_the_forum_naming_caveat():
    """Forum hubs grow because the FY2022 list names forums: the notebook says so in words."""
    text = _markdown("03_networks")
    assert "Caveat" in text and "the FY2022 list names forums" in text
    assert "2/131" not in text  # the numbers are counted by the notebook, not typed in it
    assert _forum_naming().startswith("FY2019 ")


def test_notebook_04_quotes_the_budget_footnote():
    """The budget table's footnote ※1 (why FY2022 has no execution), verbatim from the source."""
    lines = (paths.data_dir() / "source.txt").read_text(encoding="utf-8").splitlines()
    (footnote,) = [ln.strip() for ln in lines if ln.strip().startswith("※1 ")]
    assert "令和4年度の執行額" in footnote
    assert f"> {footnote}" in _markdown("04_people_and_money")


def test_jupyterlab_opens_a_source_as_a_notebook():
    """The README's `JUPYTER_CONFIG_PATH=.jupyter jupyter lab notebooks/`: the override makes
    jupytext's notebook view the default for .py files, and jupytext's lab extension is there."""
    override = ROOT / ".jupyter" / "labconfig" / "default_setting_overrides.json"
    settings = json.loads(override.read_text(encoding="utf-8"))
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers == {"python": "Jupytext Notebook"}
    assert "JUPYTER_CONFIG_PATH=.jupyter jupyter lab notebooks/" in (ROOT / "README.md").read_text(
        encoding="utf-8"
    )
    done = subprocess.run(
        [shutil.which("jupyter") or "jupyter", "labextension", "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "jupyterlab-jupytext" in done.stdout + done.stderr


def test_an_unknown_notebook_is_an_error_naming_the_known_ones():
    from kg.errors import NotebookError

    with pytest.raises(NotebookError, match="01_tour"):
        notebooks.render(["99_nothing"])
    done = subprocess.run(
        [sys.executable, "-m", "kg", "notebooks", "nothing"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(Path(notebooks.__file__).resolve().parents[2])},
    )
    assert done.returncode == 2 and "no notebook 'nothing'" in done.stderr
