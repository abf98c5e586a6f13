"""The published folder (kg publish): its size, and the SPARQL page in headless Chromium.

    python benchmarks/bench_publish.py              # real graph + the 100x synthetic graph
    python benchmarks/bench_publish.py --factor 10  # a smaller synthetic graph

Opens ``sparql.html`` from disk (file://) in Debian's Chromium and reads the page's own clock
(``performance.now()``, from the start of navigation): when the engine (Oxigraph compiled to
WebAssembly) is ready and when the graph is loaded into it; then each named query with its
example parameters, timed in the page around ``store.query`` (after one warm-up run). Medians
of several page loads / runs. Targets (issue 15): the graph loaded in at most 1 s, every named
query at most 100 ms, on the real graph; the synthetic graph (the real events copied
``--factor`` times with new IRIs, as benchmarks/bench_pages.py makes it) has no target.
Writes the "## Publishing" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kg import paths  # noqa: E402
from kg.publish import site as publish_site  # noqa: E402
from kg.publish import sparql  # noqa: E402
from kg.sparql.catalogue import list_queries  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
CHROMIUM = "/usr/bin/chromium"
JDX = "https://w3id.org/jdx/ontology#"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def synthetic_nt(factor: int) -> tuple[str, int]:
    """The real graph with its events copied ``factor`` times (the originals included) under
    new IRIs (bench_pages.synthetic_store's graph, as N-Triples text)."""
    lines = (paths.data_dir() / "kg.nt").read_text(encoding="utf-8").splitlines()
    indicator = f"<{JDX}indicator>"
    events = {ln.split(" ", 1)[0] for ln in lines if f" {indicator} " in ln}
    by_event = [ln for ln in lines if ln.split(" ", 1)[0] in events]
    copies = [
        f"{ln.split(' ', 1)[0][:-1]}-x{k}> {ln.split(' ', 1)[1]}"
        for k in range(1, factor)
        for ln in by_event
    ]
    return "\n".join(lines + copies) + "\n", len(lines) + len(copies)


def example_params(example: str) -> dict[str, str]:
    return dict(re.findall(r"--param\s+(\w+)=(\S+)", example))


def measure(browser: Any, url: str, loads: int, runs: int, timeout_ms: float) -> dict[str, Any]:
    """Page loads (ready, engine, load) and each named query's in-page time, medians."""
    ready, engine, load = [], [], []
    triples = 0
    queries: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    for n in range(loads):
        pg = browser.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        pg.goto(url, timeout=timeout_ms)
        pg.wait_for_function("window.jdx && window.jdx.ready === true", timeout=timeout_ms)
        t = pg.evaluate("window.jdx.timings")
        ready.append(t["ready_ms"])
        engine.append(t["engine_ms"])
        load.append(t["load_ms"])
        triples = t["triples"]
        if n == 0:  # the queries, on the first page (the engine is the same each time)
            for q in list_queries():
                params = example_params(q.example)
                js = "([n, p]) => window.jdx.runNamed(n, p)"
                first = pg.evaluate(js, [q.name, params])  # warm-up
                rows[q.name] = len(first["json"]["results"]["bindings"])
                queries[q.name] = [pg.evaluate(js, [q.name, params])["ms"] for _ in range(runs)]
        if errors:
            raise RuntimeError(f"page errors: {errors}")
        pg.close()
    return {
        "ready": statistics.median(ready),
        "engine": statistics.median(engine),
        "load": statistics.median(load),
        "triples": triples,
        "queries": {k: statistics.median(v) for k, v in queries.items()},
        "rows": rows,
    }


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load_avg() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--factor", type=int, default=100, help="synthetic copies (default 100)")
    ap.add_argument("--loads", type=int, default=5, help="page loads (default 5)")
    ap.add_argument("--runs", type=int, default=5, help="runs per query (default 5)")
    ap.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="bench_publish_"))
    t0 = time.perf_counter()
    done = publish_site.publish(scratch / "site")
    publish_s = time.perf_counter() - t0
    total = done.total_bytes
    largest, largest_bytes = done.largest()
    by_part: dict[str, int] = {}
    for f in done.files:
        part = f.split("/", 1)[0] if "/" in f else f
        by_part[part] = by_part.get(part, 0) + (done.out / f).stat().st_size
    print(f"published {len(done.files)} files, {total / 2**20:.1f} MiB in {publish_s:.1f} s")

    big_text, big_triples = synthetic_nt(args.factor)
    big = scratch / f"x{args.factor}"
    big.mkdir()
    _, site = publish_site.load(paths.data_dir())

    def write(rel: str, text: str) -> None:
        paths.write_text(big / rel, text)

    sparql.write(site, paths.data_dir(), write, nt_text=big_text)
    big_mib = len(big_text.encode()) / 2**20
    del big_text

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        real = measure(browser, (done.out / "sparql.html").as_uri(), args.loads, args.runs, 60_000)
        print(f"real: ready {real['ready']:.0f} ms, load {real['load']:.0f} ms")
        synth: dict[str, Any] | None
        try:
            synth = measure(browser, (big / "sparql.html").as_uri(), 1, 3, 600_000)
            print(f"{args.factor}x: ready {synth['ready']:.0f} ms")
        except Exception as exc:  # the page may run out of memory: that is a result too
            synth = None
            failure = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            print(f"{args.factor}x failed: {failure}")
        browser.close()

    worst = max(real["queries"], key=real["queries"].get)
    lines = [
        "## Publishing",
        "",
        "`benchmarks/bench_publish.py`: `kg publish` and the published SPARQL page in headless "
        "Chromium (Debian's), opened from disk (file://). The page's own clock "
        "(`performance.now()` from the start of navigation): the engine (Oxigraph "
        "WebAssembly, from base64 in a classic script) ready, the N-Triples loaded into it; "
        f"median of {args.loads} page loads. Each named query with its example parameters, "
        f"timed in the page around `store.query`, median of {args.runs} runs after a warm-up. "
        "Targets (issue 15): loaded in at most 1 s, every named query at most 100 ms. "
        f"Machine: {machine()}, {platform.platform(terse=True)}; load average {load_avg()} while "
        "measured (2 cores shared with other work: wall times are upper bounds).",
        "",
        f"The folder: {len(done.files):,} files, {total / 2**20:.1f} MiB "
        f"(budget {publish_site.BUDGET_TOTAL / 2**20:.0f} MiB); largest entity page "
        f"`{largest}`, {largest_bytes / 2**10:.0f} KiB (budget "
        f"{publish_site.BUDGET_PAGE / 2**10:.0f} KiB); written in {publish_s:.1f} s. By part: "
        + ", ".join(
            f"`{k}` {v / 2**20:.1f} MiB"
            for k, v in sorted(by_part.items(), key=lambda x: -x[1])
            if v >= 2**20
        )
        + ".",
        "",
        "| graph | triples | engine ready | graph loaded (ready) | load alone |",
        "|---|---:|---:|---:|---:|",
        f"| real | {real['triples']:,} | {real['engine']:.0f} ms | {real['ready']:.0f} ms "
        f"| {real['load']:.0f} ms |",
    ]
    if synth is not None:
        lines.append(
            f"| {args.factor}x synthetic ({big_mib:.0f} MiB of N-Triples) | {synth['triples']:,} "
            f"| {synth['engine']:.0f} ms | {synth['ready']:.0f} ms | {synth['load']:.0f} ms |"
        )
    lines += [
        "",
        f"| named query | rows (real) | real | {args.factor}x |",
        "|---|---:|---:|---:|",
    ]
    for name, ms in real["queries"].items():
        other = f"{synth['queries'][name]:.1f} ms" if synth is not None else "—"
        lines.append(f"| `{name}` | {real['rows'][name]} | {ms:.1f} ms | {other} |")
    ok = real["ready"] <= 1000 and real["queries"][worst] <= 100
    lines += [
        "",
        f"Against the targets: the graph is loaded {real['ready']:.0f} ms after navigation "
        f"starts; the slowest named query, `{worst}`, takes {real['queries'][worst]:.1f} ms: "
        + ("both within their targets." if ok else "over a target (see above).")
        + (
            ""
            if synth is not None
            else f" The {args.factor}x page ({big_triples:,} triples, {big_mib:.0f} MiB of "
            f"N-Triples) did not load: {failure}."
        ),
        "",
    ]
    text = "\n".join(lines)
    if not args.no_write:
        write_results(text)
    print(text)
    import shutil

    shutil.rmtree(scratch, ignore_errors=True)
    return 0


def write_results(text: str) -> None:
    """Replace the "## Publishing" section of RESULTS.md (up to the next "## "), keep the rest."""
    old = RESULTS.read_text(encoding="utf-8")
    lines = old.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.strip() == "## Publishing"), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        rest = "".join(lines[end:])
        new = "".join(lines[:start]) + text + ("\n" + rest if rest else "")
    RESULTS.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
