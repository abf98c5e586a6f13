"""Benchmark the interactive views: build time, page size, and time to a stable layout.

    python benchmarks/bench_viz.py                 # real graph + the 100x synthetic graph
    python benchmarks/bench_viz.py --factor 10     # a smaller synthetic graph
    python benchmarks/bench_viz.py --no-synthetic  # the real graph only
    python benchmarks/bench_viz.py --threshold 2,5,10,25  # both renderers on those full views

For each view it measures, in Python, the time to build the networkx view from the RDF graph
(with metrics) and to write the page, and the page's size; then headless Chromium (Debian's
/usr/bin/chromium, network off) opens the page from disk and the page reports when its layout is
stable (bounded stabilization done, physics stopped, the network drawn): that moment, on the
page's clock (performance.now(), 0 = navigation start), is the time to a stable layout. Each
page is opened ``--runs`` times in fresh pages of one browser ("warm"), and once as the first
page of a newly launched browser ("cold"). Pages and a screenshot go to benchmarks/out/
(git-ignored); the numbers replace the "Views" section of benchmarks/RESULTS.md.

Views above ``kg.viz.views.WEBGL_THRESHOLD`` nodes are WebGL pages (sigma.js): there the stable
moment is two animation frames after sigma's first render (its constructor's, the layout being
final), i.e. once that frame has been handed to the screen; the time sigma's render returned
(``afterRender``, the draw calls issued) is reported beside it. A WebGL page above
``kg.viz.webgl.NODE_BUDGET`` nodes draws only that many (level of detail); it is also written
and opened with every node drawn (``…_all_nodes.html``), to compare in the same run.
``--threshold`` writes the full view of synthetic graphs of the given factors with both
renderers, to show where they cross.

The synthetic graph copies every event of the real graph ``--factor`` times with new IRIs
(``…/event/<id>-x<k>``), keeping their offices, countries, forums, places and years, in an
in-memory Oxigraph store read through oxrdflib, as `kg` reads its own store.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
TARGET_SECONDS = 3.0
TARGET_BYTES = 2 * 1024 * 1024
TARGET_BIG_BYTES = 40 * 1000 * 1000  # the 100x full view (issue 14)


def real_graph():
    from kg.sparql.run import open_graph

    return open_graph("store")


def synthetic_graph(factor: int):
    """The real events copied ``factor`` times (the originals included) with new IRIs."""
    import pyoxigraph
    import rdflib
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from kg import paths

    lines = (paths.data_dir() / "kg.nt").read_text(encoding="utf-8").splitlines()
    event_prefix = "<https://w3id.org/jdx/id/event/"
    indicator = "<https://w3id.org/jdx/ontology#indicator>"
    events = {ln.split(" ", 1)[0] for ln in lines if f" {indicator} " in ln}
    by_event = [ln for ln in lines if ln.split(" ", 1)[0] in events]
    assert all(event_prefix not in ln.split(" ", 2)[2] for ln in by_event), "event as object"
    copies = []
    for k in range(1, factor):
        for ln in by_event:
            subject, rest = ln.split(" ", 1)
            copies.append(f"{subject[:-1]}-x{k}> {rest}")
    text = "\n".join(lines + copies) + "\n"
    store = pyoxigraph.Store()
    store.bulk_load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    g = rdflib.Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    return g, len(lines) + len(copies), len(events) * factor


def threshold() -> int:
    from kg.viz.views import WEBGL_THRESHOLD

    return WEBGL_THRESHOLD


def edge_budget() -> int:
    from kg.viz.webgl import EDGE_BUDGET

    return EDGE_BUDGET


def node_budget() -> int:
    from kg.viz.webgl import NODE_BUDGET

    return NODE_BUDGET


def renderer_of(nodes: int) -> str:
    return "webgl" if nodes > threshold() else "vis"


def build_pages(g, label: str, views: list[str], metrics: bool) -> list[dict]:
    from kg import network as nw
    from kg.viz.views import build_view, write_view

    rows = []
    t = time.perf_counter()
    facts = nw.read_facts(g)
    read_s = time.perf_counter() - t
    for view in views:
        t = time.perf_counter()
        G = build_view(facts, view, with_metrics=metrics)
        build_s = time.perf_counter() - t
        path = OUT / f"{label}_{view}.html"
        t = time.perf_counter()
        write_view(G, path)
        page_s = time.perf_counter() - t
        rows.append(
            {
                "graph": label,
                "view": view,
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
                "read_facts_s": read_s,
                "build_s": build_s,
                "page_s": page_s,
                "bytes": path.stat().st_size,
                "path": str(path),
                "metrics": metrics,
                "renderer": renderer_of(G.number_of_nodes()),
            }
        )
        print(
            f"{label} {view}: {rows[-1]['nodes']} nodes, {rows[-1]['edges']} edges, "
            f"build {build_s:.2f} s, page {page_s:.2f} s, {rows[-1]['bytes'] / 1e6:.2f} MB",
            flush=True,
        )
        if rows[-1]["renderer"] == "webgl" and G.number_of_nodes() > node_budget():
            rows.append(all_nodes(G, label, view, rows[-1]))
    return rows


def all_nodes(G, label: str, view: str, row: dict) -> dict:
    """The same WebGL page without level of detail (every node drawn), to compare."""
    from kg.viz.webgl import write_webgl

    path = OUT / f"{label}_{view}_all_nodes.html"
    t = time.perf_counter()
    write_webgl(G, path, node_budget=G.number_of_nodes())
    page_s = time.perf_counter() - t
    out = dict(row, renderer="webgl, all nodes drawn", page_s=page_s, path=str(path))
    out["bytes"] = path.stat().st_size
    return out


def both_renderers(factor: int) -> list[dict]:
    """The full view of the ``factor`` synthetic graph written as both pages."""
    from kg import network as nw
    from kg import paths
    from kg.viz import views, webgl

    g, _, _ = synthetic_graph(factor)
    G = views.build_view(nw.read_facts(g), "full", with_metrics=False)
    rows = []
    for renderer in ("vis", "webgl"):
        path = OUT / f"threshold_x{factor}_{renderer}.html"
        t = time.perf_counter()
        if renderer == "vis":
            paths.write_text(path, views.view_html(G))
        else:
            webgl.write_webgl(G, path)
        rows.append(
            {
                "graph": f"synthetic_x{factor}",
                "view": "full",
                "renderer": renderer,
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
                "page_s": time.perf_counter() - t,
                "bytes": path.stat().st_size,
                "path": str(path),
            }
        )
        print(
            f"x{factor} {renderer}: {G.number_of_nodes()} nodes, {rows[-1]['bytes'] / 1e6:.1f} MB"
        )
    return rows


#: Interactions timed on a WebGL page, each until two animation frames later (its frame shown).
ACTIONS = {
    "camera move": "kg.renderer.getCamera().setState({ratio: 0.9});",
    "zoom in, nodes in view drawn": "kg.renderer.getCamera().setState({ratio: 0.2}); kg.follow();",
    "fit": "kg.renderer.getCamera().setState({x: 0.5, y: 0.5, ratio: 1}); kg.follow();",
    "filter FY2020": "kg.state.fy = '2020'; kg.apply();",
    "filter off": "kg.state.fy = ''; kg.apply();",
    "search 統幕長": "kg.search('統幕長');",
    "deselect": "kg.select(null);",
}
FRAMES = "await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));"


def interact(page) -> dict[str, float]:
    """Seconds each of :data:`ACTIONS` takes on an opened WebGL page (page clock)."""
    return {
        name: page.evaluate(
            f"async () => {{ const t = performance.now(); {body} {FRAMES} "
            "return (performance.now() - t) / 1000; }"
        )
        for name, body in ACTIONS.items()
    }


def open_once(
    browser, path: str, timeout_s: float, screenshot: Path | None = None, actions: bool = False
) -> dict:
    """Open ``path`` in a fresh offline context; return the page's own timings."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    page = ctx.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    url = Path(path).resolve().as_uri()
    t = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    page.wait_for_selector("html[data-kg-stable]", state="attached", timeout=timeout_s * 1000)
    wall = time.perf_counter() - t
    stable = page.evaluate("() => window.kgStable")
    counts = page.evaluate("() => window.kg.counts()")
    if screenshot is not None:
        page.screenshot(path=str(screenshot))
    timed = interact(page) if actions else None
    ctx.close()
    outside = [u for u in requests if u != url and not u.startswith("data:")]
    rendered = stable["times"].get("rendered")
    return {
        "stable_s": stable["ms"] / 1000,
        "rendered_s": rendered / 1000 if rendered is not None else None,
        "wall_s": wall,
        "iterations": stable["iterations"],
        "times": stable["times"],
        "counts": counts,
        "actions": timed,
        "errors": errors,
        "requests_outside": outside,
    }


def measure(rows: list[dict], runs: int, timeout_s: float) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        for row in rows:
            # a vis page that big takes ~20 s a load: once warm is enough to see it
            big = row["nodes"] > 20000 and row["renderer"] == "vis"
            every = "_all_nodes" if row["renderer"] == "webgl, all nodes drawn" else ""
            shot = OUT / f"{row['graph']}_{row['view']}{every}.png"
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                webgl = row["renderer"].startswith("webgl") and row["graph"] != "real"
                cold = open_once(browser, row["path"], timeout_s, screenshot=shot, actions=webgl)
                warm = [
                    open_once(browser, row["path"], timeout_s) for _ in range(1 if big else runs)
                ]
            finally:
                browser.close()
            row["cold"] = cold
            row["warm"] = warm
            row["load"] = os.getloadavg()[0]
            row["stable_cold_s"] = cold["stable_s"]
            row["stable_warm_median_s"] = statistics.median(r["stable_s"] for r in warm)
            row["stable_warm_max_s"] = max(r["stable_s"] for r in warm)
            if cold["rendered_s"] is not None:
                row["rendered_warm_median_s"] = statistics.median(r["rendered_s"] for r in warm)
            row["errors"] = sorted({e for r in [cold, *warm] for e in r["errors"]})
            row["requests_outside"] = sorted(
                {u for r in [cold, *warm] for u in r["requests_outside"]}
            )
            ok = cold["counts"]["nodes"] == row["nodes"] and cold["counts"]["edges"] == row["edges"]
            row["counts_match"] = ok
            print(
                f"  {row['graph']} {row['view']}: stable cold {row['stable_cold_s']:.2f} s, "
                f"warm median {row['stable_warm_median_s']:.2f} s "
                f"(max {row['stable_warm_max_s']:.2f}); counts match: {ok}; "
                f"errors {len(row['errors'])}; outside requests {len(row['requests_outside'])}",
                flush=True,
            )


def machine() -> str:
    try:
        chromium = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except OSError:
        chromium = "chromium ?"
    import networkx
    import pyvis

    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, networkx {networkx.__version__}, pyvis "
        f"{getattr(pyvis, '__version__', '?')} (vis-network 9.1.2 inlined), {chromium} headless "
        "(--disable-gpu)"
    )


def section(rows: list[dict], synth: dict | None, runs: int, cross: list[dict]) -> str:
    def mb(b: int) -> str:
        return f"{b / 1e6:.2f} MB"

    lines = [
        "## Views",
        "",
        "`python benchmarks/bench_viz.py` (see its docstring). Time to a stable layout: on the "
        "page's clock, from navigation start to the first frame drawn after the bounded "
        "stabilization has stopped physics (vis pages above 4,000 nodes skip physics and use "
        "the layout computed in Python); for WebGL pages (views above "
        f"{threshold():,} nodes, sigma.js), two animation frames after sigma's first render, "
        "when that frame has been handed to the screen. *Cold*: first page of a newly launched "
        "Chromium; *warm*: "
        f"median (and max) of {runs} fresh pages in a running one. Build: networkx view with "
        "metrics from the RDF graph (Oxigraph store), page: layout and HTML.",
        "",
        f"Machine: {machine()}.",
        "",
        "| graph | view | renderer | nodes | edges | build | page | size | stable cold | "
        "stable warm (max) | counts = networkx | console errors | requests out |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['graph']} | {r['view']} | {r['renderer']} | {r['nodes']:,} | {r['edges']:,} | "
            f"{r['build_s']:.2f} s | {r['page_s']:.2f} s | {mb(r['bytes'])} | "
            f"{r['stable_cold_s']:.2f} s | {r['stable_warm_median_s']:.2f} s "
            f"({r['stable_warm_max_s']:.2f}) | {'yes' if r['counts_match'] else 'NO'} | "
            f"{len(r['errors'])} | {len(r['requests_outside'])} |"
        )
    full = next((r for r in rows if r["graph"] == "real" and r["view"] == "full"), None)
    lines.append("")
    if full:
        ok_t = max(full["stable_cold_s"], full["stable_warm_max_s"]) < TARGET_SECONDS
        ok_b = full["bytes"] < TARGET_BYTES
        lines.append(
            f"Targets on the real graph's full view: stable within {TARGET_SECONDS:.0f} s — "
            f"{'met' if ok_t else 'NOT met'} (cold {full['stable_cold_s']:.2f} s, warm max "
            f"{full['stable_warm_max_s']:.2f} s); page under 2 MB — "
            f"{'met' if ok_b else 'NOT met'} ({mb(full['bytes'])})."
        )
    if synth:
        lines.append("")
        lines.append(
            f"Synthetic graph: every event copied {synth['factor']}x with new IRIs "
            f"({synth['events']:,} events, {synth['triples']:,} triples; generated and loaded "
            f"into an in-memory Oxigraph store in {synth['load_s']:.1f} s; views read from it "
            f"in {synth['read_facts_s']:.1f} s). Its views are built without metrics "
            "(betweenness alone would take minutes). The projections keep the real graph's "
            "nodes and edges with 100x weights, so only the full view grows."
        )
    loads = [r["load"] for r in rows + cross if "load" in r]
    if loads:
        lines.append("")
        lines.append(
            f"Load average (1 min) while the pages were opened: {min(loads):.1f} to "
            f"{max(loads):.1f} on {os.cpu_count()} CPUs (the machine is shared): times are "
            "inflated and vary from run to run accordingly; compare rows of one run."
        )
    big = next((r for r in rows if r["graph"] != "real" and r["view"] == "full"), None)
    every = next((r for r in rows if r["renderer"] == "webgl, all nodes drawn"), None)
    if big:
        t = big["cold"]["times"]
        warm_max = max(big["stable_cold_s"], big["stable_warm_max_s"])
        lines.append("")
        lines.append(
            f"Where the {big['graph']} full view's time goes ({big['renderer']} page, cold, page "
            f"clock): scripts start {t['script'] / 1000:.1f} s (HTML parsed), JSON parsed "
            f"{t['parsed'] / 1000:.1f} s, graph built {t['data'] / 1000:.1f} s, first render "
            f"returned {t['network'] / 1000:.1f} s, frame on screen {t['stable'] / 1000:.1f} s."
        )
        if big["renderer"] == "webgl":
            lines.append("")
            lines.append(
                f"The WebGL page draws at most {node_budget():,} nodes at once (level of detail: "
                "the largest of those shown; once the camera has moved and settled, those in "
                "view first; a selected node's neighbours on top; the page says how many are "
                f"drawn) and at most {edge_budget():,} edges (the heaviest of those shown between "
                "drawn nodes, ties spread by a hash; a selected node's links are added). Hover, "
                "search (an undrawn node found is drawn and zoomed to), filters and the details "
                "panel work on every node and edge of the data. Software WebGL (SwiftShader, "
                "`--disable-gpu`) pays per drawn instance: with all 293,779 edges drawn the first "
                "frame was on screen after 34-39 s here, and each frame of all 84,772 nodes took "
                "~2.2 s."
            )
            if every:
                lines.append("")
                lines.append(
                    "The same page with every node drawn (row *webgl, all nodes drawn*, same "
                    f"run): warm median {every['stable_warm_median_s']:.2f} s against "
                    f"{big['stable_warm_median_s']:.2f} s with the node budget (cold "
                    f"{every['stable_cold_s']:.2f} s against {big['stable_cold_s']:.2f} s)."
                )
            acts = big["cold"].get("actions") or {}
            if acts:
                lines.append("")
                lines.append(
                    "Interactions on that page (cold run, page clock, until their frame is "
                    "shown): "
                    + ", ".join(f"{k} {v:.1f} s" for k, v in acts.items())
                    + "; a hovered node's tooltip shows on the next frame."
                )
            lines.append("")
            lines.append(
                f"Targets on the {big['graph']} full view (WebGL): first frame on screen within "
                f"{TARGET_SECONDS:.0f} s — {'met' if warm_max <= TARGET_SECONDS else 'NOT met'} "
                f"(warm median {big['stable_warm_median_s']:.2f} s, cold "
                f"{big['stable_cold_s']:.2f} s; sigma's render returned at "
                f"{big.get('rendered_warm_median_s', 0):.2f} s warm median); page at most 40 MB "
                f"— {'met' if big['bytes'] <= TARGET_BIG_BYTES else 'NOT met'} "
                f"({mb(big['bytes'])})."
            )
    if cross:
        lines += [
            "",
            "Both renderers on the same full views (`--threshold`; warm medians of "
            f"{runs}, page clock, a vis page above 20,000 nodes opened once warm; WebGL: on "
            "screen / render returned):",
            "",
            "| graph | nodes | edges | vis size | vis stable | WebGL size | WebGL on screen "
            "| WebGL render returned |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        by = {(r["graph"], r["renderer"]): r for r in cross}
        for graph in dict.fromkeys(r["graph"] for r in cross):
            v, w = by[(graph, "vis")], by[(graph, "webgl")]
            lines.append(
                f"| {graph} | {v['nodes']:,} | {v['edges']:,} | {mb(v['bytes'])} | "
                f"{v['stable_warm_median_s']:.2f} s | {mb(w['bytes'])} | "
                f"{w['stable_warm_median_s']:.2f} s | {w['rendered_warm_median_s']:.2f} s |"
            )
    lines.append("")
    return "\n".join(lines)


def write_results(text: str) -> None:
    """Replace the "## Views" section of RESULTS.md (up to the next "## "), keep the rest."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    lines = old.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.strip() == "## Views"), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        rest = "".join(lines[end:])
        new = "".join(lines[:start]) + text + ("\n" + rest if rest else "")
    RESULTS.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--factor", type=int, default=100, help="synthetic copies (default 100)")
    ap.add_argument("--runs", type=int, default=5, help="warm page loads per view")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per page load")
    ap.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    ap.add_argument(
        "--threshold",
        default="",
        help="comma-separated factors: their full views written with both renderers",
    )
    ap.add_argument("--views", default="", help="comma-separated views (default: all)")
    args = ap.parse_args(argv)
    from kg.network import VIEWS

    OUT.mkdir(parents=True, exist_ok=True)
    views = args.views.split(",") if args.views else list(VIEWS)
    cross = [r for f in args.threshold.split(",") if f for r in both_renderers(int(f))]
    rows = build_pages(real_graph(), "real", views, metrics=True)
    synth = None
    if not args.no_synthetic:
        t = time.perf_counter()
        g, triples, events = synthetic_graph(args.factor)
        load_s = time.perf_counter() - t
        print(f"synthetic x{args.factor}: {triples:,} triples, {events:,} events, {load_s:.1f} s")
        label = f"synthetic_x{args.factor}"
        srows = build_pages(g, label, views, metrics=False)
        synth = {
            "factor": args.factor,
            "triples": triples,
            "events": events,
            "load_s": load_s,
            "read_facts_s": srows[0]["read_facts_s"],
        }
        rows += srows
    measure(cross + rows, args.runs, args.timeout)
    (OUT / "bench_viz.json").write_text(
        json.dumps(cross + rows, indent=1, default=str), encoding="utf-8"
    )
    text = section(rows, synth, args.runs, cross)
    print(text)
    if not args.no_write:
        write_results(text)
    full = rows[0]
    failed = (
        max(full["stable_cold_s"], full["stable_warm_max_s"]) >= TARGET_SECONDS
        or full["bytes"] >= TARGET_BYTES
        or any(r["errors"] or r["requests_outside"] or not r["counts_match"] for r in rows)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
