"""`kg` command line: a thin layer over the library (each command lives in kg/cli/<name>.py)."""

from __future__ import annotations

import argparse
import importlib
import sys

from kg.errors import KgError

COMMANDS = ("build", "report", "validate", "docs", "query", "serve", "push", "viz")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kg", description="Knowledge graph of Japan's defense exchanges"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name in COMMANDS:
        try:
            mod = importlib.import_module(f"kg.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"kg.cli.{name}":
                raise
            continue
        modules[name] = mod
        mod.add_parser(sub)
    args = parser.parse_args(argv)
    try:
        return int(modules[args.command].run(args) or 0)
    except KgError as exc:  # the one handler: a message with file and line, never a traceback
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
