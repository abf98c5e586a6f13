"""Benchmark the SPARQL lexer on adversarial query text; write the "Query-text lexer" section.

    python benchmarks/bench_lexer.py

The former lexer (one regex over the text, as of commit 2627143, read from git) against
kg.sparql.lexer.tokenize: CPU seconds (medians of 3 runs) to tokenize text made of one unit
repeated, at growing sizes. Doubling the size of the text multiplies a linear lexer's time by
about 2 and a quadratic one's by about 4; the ratio column shows which one each is.
"""

from __future__ import annotations

import platform
import re
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
FORMER = "2627143"
UNITS = {"'\\ (the issue's)": "'\\", "a. (name runs)": "a.", "?x (a plain query's tokens)": "?x "}
FORMER_KIB = (4, 8, 16)
NOW_KIB = (64, 128, 256)


def former_lexer() -> types.ModuleType:
    src = subprocess.run(
        ["git", "show", f"{FORMER}:src/kg/sparql/lexer.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    mod = types.ModuleType("former_lexer")
    sys.modules["former_lexer"] = mod  # dataclasses look their module up
    exec(compile(src, "former_lexer.py", "exec"), mod.__dict__)
    return mod


def cpu(fn, text: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn(text)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from kg.sparql.lexer import tokenize

    old = former_lexer().tokenize
    rows = []
    for label, unit in UNITS.items():
        for name, fn, sizes in (("former", old, FORMER_KIB), ("now", tokenize, NOW_KIB)):
            prev = None
            for kib in sizes:
                text = unit * (kib * 1024 // len(unit))
                s = cpu(fn, text)
                ratio = f"{s / prev:.1f}" if prev else ""
                rows.append((label, name, kib, s, ratio))
                prev = s
                print(label, name, kib, f"{s:.3f}", ratio, flush=True)
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    lines = [
        "## Query-text lexer",
        "",
        f"`python benchmarks/bench_lexer.py` (CPython {platform.python_version()}, "
        f"{platform.machine()}; load average {load} when run, on a shared machine): CPU seconds "
        "to tokenize text of one unit repeated, medians of 3 runs; `x prev` is the time over "
        "the time at half the size (about 2 for linear time, 4 for quadratic). The former "
        f"lexer is that of commit {FORMER}.",
        "",
        "| text | lexer | KiB | CPU s | x prev |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [f"| {a} | {b} | {c} | {d:.3f} | {e} |" for a, b, c, d, e in rows]
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text(encoding="utf-8")
    text = re.sub(r"## Query-text lexer\n.*?(?=\n## |\Z)", "", text, flags=re.DOTALL).rstrip()
    RESULTS.write_text(text + "\n\n" + section, encoding="utf-8")


if __name__ == "__main__":
    main()
