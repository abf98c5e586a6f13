"""kg validate: SHACL shapes over the built graph, and HermiT over ontology + data."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg import paths


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check the graph against ontology/shapes.ttl (pySHACL); exits 1 on a violation",
        description=(
            "Validate the built graph against the SHACL shapes of ontology/shapes.ttl (pySHACL, "
            "with the ontology's class hierarchy); with --reason, also check ontology + data "
            "for consistency with HermiT (owlready2). Exits 1 when the graph does not conform "
            "or is inconsistent."
        ),
    )
    p.add_argument(
        "--graph",
        type=Path,
        metavar="FILE",
        help="N-Triples (.nt) or Turtle file (default: data/kg.nt)",
    )
    p.add_argument("--reason", action="store_true", help="also run HermiT (needs Java)")
    p.add_argument(
        "--inferred",
        type=Path,
        metavar="FILE",
        help="with --reason: write the inferred type triples here (Turtle)",
    )


def run(args: argparse.Namespace) -> int:
    from kg.check.validate import read_graph, reason, validate_graph

    g = read_graph(args.graph or paths.data_dir() / "kg.nt")
    onto = paths.ontology_dir()
    result = validate_graph(g, onto / "shapes.ttl", onto / "jdx.ttl")
    print(
        f"SHACL: {len(g)} triples, {len(result.violations)} results, "
        f"{'conforms' if result.conforms else 'DOES NOT CONFORM'} ({result.seconds:.2f} s)"
    )
    for v in result.violations:
        print(f"  {v.severity}: {v.focus} {v.path}: {v.message}")
    status = 0 if result.conforms else 1
    if args.reason:
        rr = reason(onto / "jdx.ttl", g)
        print(
            f"HermiT: {'consistent' if rr.consistent else 'NOT consistent'} "
            f"({rr.seconds:.2f} s), {len(rr.inferred)} inferred type triples. {rr.message}"
        )
        if not rr.consistent:
            status = 1
        if args.inferred:
            paths.write_text(args.inferred, rr.inferred.serialize(format="longturtle"))
            print(f"wrote {args.inferred}")
    return status
