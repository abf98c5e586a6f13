"""Benchmark search by name (kg.sparql.lookup): building the index of names, and lookups.

    python benchmarks/bench_lookup.py                       # the real graph (data/)
    python benchmarks/bench_lookup.py --data DIR            # another build (e.g. the 100x one)

DIR holds kg.nt (the graph is loaded into memory, backend store-memory, so nothing is written
there). Prints the time to read the names (once per process, then cached) and the median of 5
runs of each lookup, with its number of hits (no limit) and the top hit.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

QUERIES = [
    "統幕長",
    "統合幕僚長",
    "Chief of Staff, Joint Staff",
    "豪",
    "オーストラリア",
    "Australia",
    "SLD",
    "シャングリラ",
    "防衛",
    "会談",
    "フィリピン",
    "phl",
    "chief of staf",
]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, help="build folder holding kg.nt (default: data/)")
    a = p.parse_args(argv)
    from kg.sparql import lookup as L
    from kg.sparql.run import open_graph

    t0 = time.perf_counter()
    graph = open_graph("store-memory", a.data)
    t1 = time.perf_counter()
    index = L.names(graph, data_dir=a.data)
    index.index.search("x")  # the postings are made on the first search
    t2 = time.perf_counter()
    print(f"graph loaded in {t1 - t0:.2f} s; names read and indexed in {t2 - t1:.2f} s")
    print(f"{len(index)} resources, {len(index.index)} distinct names")
    print("| text | hits | top hit | median ms (20 hits) | median ms (all hits) |")
    print("|---|---:|---|---:|---:|")
    for q in QUERIES:
        runs, runs_all = [], []
        for _ in range(5):
            t = time.perf_counter()
            top = index.search(q, limit=20)
            runs.append(time.perf_counter() - t)
            t = time.perf_counter()
            hits = index.search(q, limit=None)
            runs_all.append(time.perf_counter() - t)
        best = f"{top[0].type} {top[0].code or top[0].curie} ({top[0].level})" if top else "-"
        print(
            f"| {q} | {len(hits)} | {best} | {statistics.median(runs) * 1000:.1f} "
            f"| {statistics.median(runs_all) * 1000:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
