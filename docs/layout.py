"""The README's layout table, made from the package itself (run by cog: ``cog -r README.md``).

One row a module, in the order data flows (the stages of kg/__init__.py's docstring), with the
first line of its docstring, so the table cannot drift from the tree.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kg"

#: Stages in the order data flows; each is a subpackage or a module of kg.
STAGES = [
    ("base", ["errors", "paths"]),
    ("model", ["model"]),
    ("build", ["pipeline"]),
    ("write", ["formats"]),
    ("check", ["check"]),
    ("store", ["store"]),
    ("query", ["sparql"]),
    ("network", ["network", "viz"]),
    ("serve", ["serve"]),
    ("main job", ["job"]),
    ("publish", ["publish"]),
    ("notebooks", ["api", "notebooks"]),
    ("command line", ["cli"]),
]
#: kg.pipeline's steps in the order they run (its import contract says the same).
PIPELINE_ORDER = [
    "read", "located", "tokens", "layout", "items", "dates", "extract", "rules", "gazetteer",
    "normalize", "flow", "english", "rdf", "tables", "quality", "write",
]  # fmt: skip


def summary(path: Path) -> str:
    """The first paragraph of a module's docstring (a module without one fails the docs test)."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return " ".join(doc.strip().split("\n\n")[0].split())


def modules(name: str) -> list[tuple[str, Path]]:
    """(dotted name, file) of kg.<name> and, for a subpackage, each module in it."""
    target = SRC / name
    if not target.is_dir():
        return [(f"kg.{name}", target.with_suffix(".py"))]
    found = [(f"kg.{name}", target / "__init__.py")]
    files = sorted(p for p in target.glob("*.py") if p.name != "__init__.py")
    if name == "pipeline":
        files.sort(key=lambda p: PIPELINE_ORDER.index(p.stem) if p.stem in PIPELINE_ORDER else 99)
    found += [(f"kg.{name}.{p.stem}", p) for p in files]
    return found


def rows() -> list[tuple[str, str, str]]:
    out = []
    for stage, names in STAGES:
        for name in names:
            for dotted, path in modules(name):
                out.append((stage, dotted, summary(path)))
    return out


def table() -> str:
    lines = ["| stage | module | what it is for |", "|---|---|---|"]
    last = ""
    for stage, dotted, text in rows():
        lines.append(
            f"| {stage if stage != last else ''} | `{dotted}` | {text.replace('|', '/')} |"
        )
        last = stage
    return "\n".join(lines) + "\n"


def unlisted() -> list[str]:
    """Modules of src/kg that no stage lists (a new top-level module must be placed)."""
    listed = {path.resolve() for _, names in STAGES for n in names for _, path in modules(n)}
    extra = {SRC / "__init__.py", SRC / "__main__.py"}
    return sorted(
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if p.resolve() not in listed and p not in extra
    )
