"""The analyst notebooks, executed and rendered to HTML, so they can be read without Jupyter.

Each ``notebooks/NN_name.py`` (jupytext percent format, the only committed form) is built into
a notebook, executed top to bottom with nbclient (kernel ``python3``, working folder
``notebooks/``) and written to ``data/notebooks/`` (git-ignored; ``out`` moves it):
``NN_name.ipynb`` with its outputs, ``NN_name.html`` (nbconvert's lab page, figures inline,
nothing loaded from outside the page) and, under ``figures/``, the PNGs the notebook saves
(``KG_FIGURE_DIR``, which :func:`kg.api.figure_path` reads). ``kg notebooks`` runs it; it needs
the notebook extra (``pip install -e ".[notebook]"``).
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import paths
from kg.errors import NotebookError

__all__ = ["Rendered", "figure_dir", "out_dir", "render", "sources"]

#: Where the notebooks' sources are (committed) and where they run.
SOURCES = paths.REPO / "notebooks"
#: The page template: nbconvert's lab template without its CDN scripts.
TEMPLATE = Path(__file__).with_name("page.html.j2")
#: The folder holding this kg package, put first on the kernel's path.
_KG_PARENT = Path(__file__).resolve().parents[2]
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours of IPython's tracebacks


@dataclass
class Rendered:
    """One notebook, executed: where its copies and figures went, and how long it ran."""

    source: Path
    notebook: Path
    html: Path
    figures: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def sources() -> list[Path]:
    """The notebooks' sources, ``notebooks/NN_name.py``, in order."""
    return sorted(SOURCES.glob("[0-9][0-9]_*.py"))


def out_dir() -> Path:
    """Default folder of the executed copies: ``data/notebooks/`` (follows ``KG_DATA_DIR``)."""
    return paths.data_dir() / "notebooks"


def figure_dir(out: Path | None = None) -> Path:
    """Where the notebooks save their figures: ``<out>/figures``."""
    return (out or out_dir()) / "figures"


def _select(names: list[str] | None) -> list[Path]:
    found = sources()
    if not found:
        raise NotebookError(
            "no notebooks here (notebooks/NN_name.py): run from a clone", file=SOURCES
        )
    if not names:
        return found
    chosen = []
    for name in names:
        hits = [p for p in found if p.stem == name or p.stem.startswith(f"{name}_")]
        if len(hits) != 1:
            known = ", ".join(p.stem for p in found)
            raise NotebookError(f"no notebook {name!r} (known: {known})")
        chosen.append(hits[0])
    return chosen


def _title(nb: Any, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def render(
    names: list[str] | None = None, out: Path | None = None, timeout: int = 300
) -> list[Rendered]:
    """Execute the notebooks (all, or those ``names`` give: ``01`` or ``01_tour``) and write
    each as ``.ipynb`` and ``.html`` under ``out`` (default :func:`out_dir`), its figures under
    ``out/figures``. Raises :class:`~kg.errors.NotebookError` on the first failing cell (the
    executed copy, with the error, is written first) or when the extra is not installed.
    """
    try:
        import jupytext
        import nbclient
        import nbformat
        from nbclient.exceptions import CellExecutionError
        from nbconvert import HTMLExporter
    except ModuleNotFoundError as exc:
        raise NotebookError(
            f"{exc.name} is not installed: pip install -e '.[notebook]' (./setup.sh does)"
        ) from exc
    chosen = _select(names)
    out = Path(out or out_dir())
    figures = figure_dir(out)
    figures.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab", template_file=str(TEMPLATE))
    done = []
    for src in chosen:
        for old in figures.glob(f"{src.stem[:2]}_*.png"):
            old.unlink()
        nb = jupytext.read(src, fmt="py:percent")
        nb.metadata["title"] = _title(nb, src.stem)
        started = time.time()
        # the kernel inherits the environment: the figures' folder, and this kg first on its path
        saved = {k: os.environ.get(k) for k in ("KG_FIGURE_DIR", "PYTHONPATH")}
        os.environ["KG_FIGURE_DIR"] = str(figures)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(_KG_PARENT), saved["PYTHONPATH"]) if p
        )
        client = nbclient.NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(SOURCES)}},
        )
        try:
            client.execute()
        except CellExecutionError as exc:
            raise NotebookError(f"a cell failed:\n{_ANSI.sub('', str(exc))}", file=src) from exc
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            notebook = out / f"{src.stem}.ipynb"
            nbformat.write(nb, notebook)
        html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": src.stem}})
        page = out / f"{src.stem}.html"
        paths.write_text(page, html)
        made = sorted(p for p in figures.glob(f"{src.stem[:2]}_*.png"))
        done.append(Rendered(src, notebook, page, made, time.time() - started))
    return done
