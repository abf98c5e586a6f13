"""The human table of kg query: aligned columns, Japanese text measured by display width."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kg.formats.terms import nt, term
from kg.model.vocab import compact


def write(variables: Sequence[str], rows: Iterable[Sequence[Any]], max_width: int = 60) -> str:
    """A SELECT's results (rdflib or pyoxigraph terms) as an aligned table with a row count."""
    return table(list(variables), [[cell(t) for t in row] for row in rows], max_width)


def cell(t: Any) -> str:
    """A term for the table: IRIs shortened with the project's prefixes, text on one line."""
    x = term(t)
    if x is None:
        return ""
    if x.kind == "uri":
        short = compact(x.value)
        return short if short != x.value else f"<{x.value}>"
    if x.kind == "bnode":
        return f"_:{x.value}"
    if x.kind == "triple":
        return " ".join(nt(x).split())
    return " ".join(x.value.split())


def width(s: str) -> int:
    """Display width in terminal cells (East Asian wide characters count 2)."""
    from wcwidth import wcswidth, wcwidth

    w = wcswidth(s)
    if w >= 0:
        return w
    return sum(max(wcwidth(ch), 0) for ch in s)


def cut(s: str, cells: int) -> str:
    """s cut to at most `cells` display cells, ending in … when cut."""
    if cells <= 0 or width(s) <= cells:
        return s
    from wcwidth import wcwidth

    out, used = [], 0
    for ch in s:
        w = max(wcwidth(ch), 0)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _numeric(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def table(headers: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    """An aligned text table; numeric columns right-aligned; widths by display cells."""
    cells = [[cut(c, max_width) for c in row] for row in rows]
    n = len(headers)
    widths = [width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], width(c))
    right = [
        bool(rows) and all(_numeric(r[i]) for r in rows if r[i] != "") and any(r[i] for r in rows)
        for i in range(n)
    ]

    def line(values: list[str]) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - width(v))
            parts.append(pad + v if right[i] else v + pad)
        return "  ".join(parts).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
