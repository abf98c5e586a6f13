"""kg publish: write the graph as a static site (entity pages, search, views, downloads, and a
SPARQL page whose engine runs in the browser)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "publish",
        help="write the whole graph as a static site that answers SPARQL in the browser",
        description=(
            "Write a folder to open from disk or put on any static host (GitHub Pages): every "
            "entity page in ja and en with its RDF, the search, the network views, the "
            "downloads, and a SPARQL page running Oxigraph (WebAssembly) in the browser. "
            "Nothing in it loads from outside the folder; its links are relative."
        ),
    )
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="the folder to write (new, empty, or one kg publish wrote before)",
    )
    p.add_argument(
        "--data", type=Path, metavar="DIR", help="data folder holding kg.nt (default: data/)"
    )


def run(args: argparse.Namespace) -> int:
    from kg.publish.site import publish

    done = publish(args.out, data=args.data)
    name, size = done.largest()
    print(
        f"{done.out}: {len(done.files)} files, {done.total_bytes / 2**20:.1f} MiB "
        f"(largest page {name}, {size / 2**10:.0f} KiB); open {done.out / 'index.html'}"
    )
    return 0
