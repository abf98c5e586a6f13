"""Write a synthetic source document N times larger, in the source's own format.

    python benchmarks/synth.py --copies 100 --out benchmarks/out/x100/source.txt

The annex (別紙) of data/source.txt lists the events as 【country】 blocks (high-level exchanges,
consultations) and <li> items (goodwill exercises, research, multilateral meetings). Each such
block or item is written N times in a row, so `kg build --source` runs the whole pipeline
(layout, extraction, normalization, graph, store) on a document with about N times the events;
repeated items get distinct, stable event IRIs (the build numbers repeats of the same item).
The header, the budget table and the student lists are left as they are (their resources are
keyed by line item, FY and country, so copies would only merge again). A block cut by a page
break is repeated up to the break, as printed, which adds a few undated items: noise the
pipeline has to cope with anyway.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "source.txt"
ANNEX = "(別紙)"
BLOCK = re.compile(r"【[^【]*?(?=【|</p>|</li>|$)")
ITEM = re.compile(r"<li>(?!●)[^<【]*</li>")  # 【…】 inside an <li> is a BLOCK already


def repeat(match: re.Match[str], copies: int) -> str:
    s = match.group(0)
    return (s.rstrip() + " ") * (copies - 1) + s


def synthesize(text: str, copies: int) -> str:
    if copies < 1:
        raise ValueError("copies must be at least 1")
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ANNEX in ln)
    out = lines[:start]
    for ln in lines[start:]:
        ln = BLOCK.sub(lambda m: repeat(m, copies), ln)
        ln = ITEM.sub(lambda m: repeat(m, copies), ln)
        out.append(ln)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--copies", type=int, required=True, help="times each event item is written")
    p.add_argument("--out", type=Path, required=True, help="the document to write")
    p.add_argument("--source", type=Path, default=SOURCE)
    a = p.parse_args(argv)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(synthesize(a.source.read_text(encoding="utf-8"), a.copies), encoding="utf-8")
    print(f"wrote {a.out} ({a.out.stat().st_size:,} bytes, {a.copies} copies of each item)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
