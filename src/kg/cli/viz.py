"""kg viz: write an interactive view (or a GEXF / GraphML / JSON export) of the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: kg.network.VIEWS, spelled out: importing kg.network (networkx) would slow every kg command.
VIEWS = (
    "full",
    "office_country",
    "person_country",
    "country_forum",
    "copresence",
    "country_channel",
)
#: Not a network: the page of charts and the world map (kg.viz.overview).
OVERVIEW = "overview"


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
    p.add_argument(
        "--view",
        choices=(*VIEWS, OVERVIEW),
        default="full",
        metavar="VIEW",
        help=f"which view: {', '.join(VIEWS)} (default: full), or {OVERVIEW}: charts of events "
        "per FY by indicator, kind and mode, a world map of partners and a timeline (one page)",
    )
    p.add_argument("--fy", metavar="YEAR", help="fiscal year, as its first calendar year (2022)")
    p.add_argument(
        "--country", metavar="ISO3", help="ISO3 code (AUS): only records with this country"
    )
    p.add_argument(
        "--indicator",
        metavar="CODE",
        help="indicator code: high_level, consultation, unit_exchange, research, multilateral, "
        "students",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="output file: .html (default data/views/<view>[_filters].html), .gexf, .graphml "
        "or .json",
    )
    p.add_argument(
        "--title", metavar="TEXT", help="page title (default: the view's name and filters)"
    )
    p.add_argument(
        "--data", type=Path, metavar="DIR", help="data folder holding kg.nt (default: data/)"
    )
    p.add_argument(
        "--lang",
        choices=("ja", "en"),
        default="ja",
        help="the overview's language when it opens (it switches between both; default: ja)",
    )
    p.add_argument(
        "--link-base",
        default="/",
        metavar="URL",
        help="where the overview's links to entity pages point: URL + id/... (default: /, "
        "kg serve's pages, which serves the built overview at /views/overview.html; a page "
        "opened from disk links to the IRIs instead)",
    )
    p.add_argument(
        "--no-metrics",
        action="store_true",
        help="skip degree, betweenness and communities (faster on big graphs)",
    )


def run(args: argparse.Namespace) -> int:
    if args.view == OVERVIEW:
        return _overview(args)
    from kg.viz.save import save_view

    out, G = save_view(
        args.view,
        args.out,
        data_dir=args.data,
        fy=args.fy,
        country=args.country,
        indicator=args.indicator,
        title=args.title,
        with_metrics=not args.no_metrics,
    )
    print(f"{out}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges ({args.view})")
    if G.number_of_nodes() == 0:
        print("kg viz: warning: no records match these filters", file=sys.stderr)
    return 0


def _overview(args: argparse.Namespace) -> int:
    from kg import paths
    from kg.network import ViewError
    from kg.viz.overview import write_overview

    given = [f"--{k}" for k in ("fy", "country", "indicator", "title") if getattr(args, k)]
    if given:
        raise ViewError(f"{', '.join(given)}: not options of the overview (it has selectors)")
    folder = args.data if args.data is not None else paths.data_dir()
    out = args.out if args.out is not None else folder / "views" / "overview.html"
    if out.suffix.lower() not in (".html", ".htm"):
        raise ViewError(f"{out}: the overview is a page: use .html")
    write_overview(out, data=folder, link_base=args.link_base, lang=args.lang)
    print(f"{out}: overview ({args.lang})")
    return 0
