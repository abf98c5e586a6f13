"""kg viz: write an interactive view (or a GEXF / GraphML / JSON export) of the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

VIEWS = ("full", "office_country", "country_forum", "copresence", "country_channel")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "viz",
        help="write a self-contained interactive network page (or GEXF/GraphML/JSON)",
        description=(
            "Build a network view from the RDF graph and write it as a self-contained HTML page "
            "(works offline; open it in a browser), or export it for Gephi / Cytoscape when "
            "--out ends in .gexf, .graphml or .json."
        ),
    )
    p.add_argument("--view", choices=VIEWS, default="full", help="which view (default: full)")
    p.add_argument("--fy", help="fiscal year, as its first calendar year (2022)")
    p.add_argument("--country", help="ISO3 code (AUS): only records with this country")
    p.add_argument(
        "--indicator",
        help="indicator code: high_level, consultation, unit_exchange, research, multilateral, "
        "students",
    )
    p.add_argument(
        "--out",
        type=Path,
        help="output file: .html (default data/views/<view>[_filters].html), .gexf, .graphml "
        "or .json",
    )
    p.add_argument("--title", help="page title (default: the view's name and filters)")
    p.add_argument("--data", type=Path, help="data folder holding kg.nt (default: data/)")
    p.add_argument(
        "--no-metrics",
        action="store_true",
        help="skip degree, betweenness and communities (faster on big graphs)",
    )


def _open(data_dir: Path | None):
    """The built graph: kg.queries.open_graph when present, else data/kg.nt parsed."""
    from kg import paths

    folder = data_dir or paths.data_dir()
    try:
        from kg.sparql.queries import open_graph
    except ImportError:
        open_graph = None
    if open_graph is not None:
        return open_graph(data_dir=folder)
    nt = folder / "kg.nt"
    if not nt.exists():
        raise FileNotFoundError(f"{nt} not found; run `kg build` first")
    from rdflib import Graph

    g = Graph()
    g.parse(nt, format="nt")
    return g


def default_name(view: str, fy: str | None, country: str | None, indicator: str | None) -> str:
    parts = [view]
    if fy:
        parts.append(f"fy{fy}")
    if country:
        parts.append(country.upper())
    if indicator:
        parts.append(indicator)
    return "_".join(parts)


def run(args: argparse.Namespace) -> int:
    from kg import paths
    from kg.network import export
    from kg.viz.views import build_view, write_view

    try:
        g = _open(args.data)
        G = build_view(
            g,
            args.view,
            fy=args.fy,
            indicator=args.indicator,
            country=args.country,
            with_metrics=not args.no_metrics,
        )
    except (FileNotFoundError, ValueError) as exc:
        print(f"kg viz: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a store or query error from kg.queries
        if type(exc).__name__ in ("QueryError", "StoreError"):
            print(f"kg viz: error: {exc}", file=sys.stderr)
            return 2
        raise
    out = args.out
    if out is None:
        folder = (args.data or paths.data_dir()) / "views"
        out = folder / (default_name(args.view, args.fy, args.country, args.indicator) + ".html")
    suffix = out.suffix.lower()
    if suffix in (".gexf", ".graphml", ".json"):
        export(G, out)
    elif suffix in (".html", ".htm"):
        write_view(G, out, title=args.title)
    else:
        print(f"kg viz: error: {out}: use .html, .gexf, .graphml or .json", file=sys.stderr)
        return 2
    print(f"{out}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges ({args.view})")
    if G.number_of_nodes() == 0:
        print("kg viz: warning: no records match these filters", file=sys.stderr)
    return 0
