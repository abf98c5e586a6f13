"""One view of the built graph to one file: a page (.html) or an export (.gexf, .graphml, .json).

What ``kg viz`` does, as a library call: the suffix is checked before the graph is opened, and
every failure (no built graph, an unknown view or filter, a suffix it cannot write) is a
:class:`~kg.errors.KgError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg import paths
from kg.network import ViewError, export
from kg.viz.views import build_view, write_view

__all__ = ["EXPORT_SUFFIXES", "PAGE_SUFFIXES", "default_name", "save_view"]

PAGE_SUFFIXES = (".html", ".htm")
EXPORT_SUFFIXES = (".gexf", ".graphml", ".json")


def default_name(
    view: str,
    fy: int | str | None = None,
    country: str | None = None,
    indicator: str | None = None,
) -> str:
    """``office_country_fy2022_AUS_high_level``: the view and its filters, so that pages written
    with different filters do not overwrite each other under data/views/."""
    parts = [view]
    if fy:
        parts.append(f"fy{fy}")
    if country:
        parts.append(country.upper())
    if indicator:
        parts.append(indicator)
    return "_".join(parts)


def save_view(
    view: str = "full",
    out: str | Path | None = None,
    *,
    data_dir: str | Path | None = None,
    fy: int | str | None = None,
    country: str | None = None,
    indicator: str | None = None,
    title: str | None = None,
    with_metrics: bool = True,
) -> tuple[Path, Any]:
    """Write one view of the graph built in ``data_dir`` (default: data/) and return the path
    and the networkx graph. ``out`` defaults to ``data_dir/views/<default_name>.html``."""
    from kg.sparql.run import open_graph

    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    path = (
        Path(out)
        if out is not None
        else folder / "views" / f"{default_name(view, fy, country, indicator)}.html"
    )
    suffix = path.suffix.lower()
    if suffix not in PAGE_SUFFIXES + EXPORT_SUFFIXES:
        raise ViewError(f"{path}: use .html, .gexf, .graphml or .json")
    G = build_view(
        open_graph(data_dir=folder),
        view,
        fy=fy,
        indicator=indicator,
        country=country,
        with_metrics=with_metrics,
    )
    if suffix in EXPORT_SUFFIXES:
        export(G, path)
    else:
        write_view(G, path, title=title)
    return path, G
