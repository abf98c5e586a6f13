"""Where the project's files are: data/, ontology/ and queries/ (one place for paths).

Each folder defaults to the repository's own and follows an environment override, so a
build, a query or a server can run on another copy of the data without touching the code:
``KG_DATA_DIR`` (data/), ``KG_ONTOLOGY_DIR`` (ontology/), ``KG_QUERIES_DIR`` (queries/).
The browser libraries the pages inline (sigma.js, Vega, Oxigraph's WebAssembly build…) come from
the npm packages that ``setup.sh`` installs from package.json and its lockfile into
node_modules/ (``KG_NODE_MODULES``); :func:`npm_file` is the one way to reach them.
Set ``KG_DATA_DIR`` alone and the other two are looked for beside it (its parent's
``ontology/`` and ``queries/``) when they exist there, so one variable moves a whole copy.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

__all__ = [
    "REPO",
    "data_dir",
    "node_modules",
    "npm_file",
    "ontology_dir",
    "queries_dir",
    "read_table",
    "write_text",
]

#: The repository root (src/kg/paths.py -> ../..).
REPO = Path(__file__).resolve().parents[2]


def _folder(env: str, name: str) -> Path:
    value = os.environ.get(env)
    if value:
        return Path(value)
    data = os.environ.get("KG_DATA_DIR")
    if data and name != "data":
        beside = Path(data).resolve().parent / name
        if beside.is_dir():
            return beside
    return REPO / name


def data_dir() -> Path:
    """data/: the source copy, gazetteers, rules and the build's outputs (``KG_DATA_DIR``)."""
    return _folder("KG_DATA_DIR", "data")


def ontology_dir() -> Path:
    """ontology/: jdx.ttl, shapes.ttl and the HTML docs (``KG_ONTOLOGY_DIR``)."""
    return _folder("KG_ONTOLOGY_DIR", "ontology")


def queries_dir() -> Path:
    """queries/: the named queries, one ``NAME.rq`` each (``KG_QUERIES_DIR``)."""
    return _folder("KG_QUERIES_DIR", "queries")


def node_modules() -> Path:
    """node_modules/ beside package.json: the pinned browser libraries (``KG_NODE_MODULES``)."""
    value = os.environ.get("KG_NODE_MODULES")
    return Path(value) if value else REPO / "node_modules"


def npm_file(package: str, relpath: str) -> Path:
    """A file of an installed npm package, e.g. ``npm_file("sigma", "dist/sigma.min.js")``.

    Raises :class:`~kg.errors.AssetError` naming the package and the command that installs it
    when the file is not there (a clone where ``setup.sh`` has not run), never a bare OSError.
    """
    path = node_modules() / package / relpath
    if not path.is_file():
        from kg.errors import AssetError

        raise AssetError(
            f"browser library {package}/{relpath} is not installed: run ./setup.sh "
            "(or `npm ci` in the repository) to install the npm packages package.json pins",
            file=path,
        )
    return path


def read_table(path: str | Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV table under data/ (gazetteers, rules, glossaries) as dicts, each
    cell stripped and an empty cell "" (the one reader of the project's tables)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def write_text(path: str | Path, text: str) -> bool:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` only when it changed, atomically:
    a temporary file beside it, then a rename, so a reader (kg query, kg serve, a browser)
    never sees a torn file. Returns True when the file changed.
    """
    path = Path(path)
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
