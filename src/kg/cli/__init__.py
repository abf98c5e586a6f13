"""`kg` command line: a thin layer over the library (each command lives in kg/cli/<name>.py).

A command module has ``add_parser(sub)`` (its options, each with a help string) and
``run(args)`` (calls the library, prints, returns the exit status). Errors are not caught there:
the library raises :class:`~kg.errors.KgError` kinds and :func:`main` reports them once;
:func:`console` is the program (``kg``, ``python -m kg``). :func:`reference` renders every
command's ``--help`` for the README.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Iterator

from kg.errors import KgError

COMMANDS = (
    "build",
    "report",
    "validate",
    "docs",
    "query",
    "lookup",
    "serve",
    "push",
    "viz",
    "publish",
    "notebooks",
)

#: Terminal width the README's reference is rendered at (argparse wraps to $COLUMNS).
REFERENCE_COLUMNS = 100


def parser() -> argparse.ArgumentParser:
    """The ``kg`` parser with every command's subparser (a module missing on this branch is
    left out, so a partial checkout still runs the others)."""
    top = argparse.ArgumentParser(
        prog="kg",
        description="Knowledge graph of Japan's defense exchanges. `kg COMMAND --help` tells more.",
        epilog="Exit status: 0 done; 1 a check failed (the build's, report's or validate's); "
        "2 an error, reported on stderr in one line; 130 interrupted.",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            mod = importlib.import_module(f"kg.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"kg.cli.{name}":
                raise
            continue
        mod.add_parser(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run = importlib.import_module(f"kg.cli.{args.command}").run
    try:
        return int(run(args) or 0)
    except KgError as exc:  # the one handler: a message with file and line, never a traceback
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def console() -> int:
    """The ``kg`` program: :func:`main` on ``sys.argv``, its exit status returned for
    ``sys.exit``, and what is still alive frozen for the exit.

    Python's last cycle collection at exit walks every object still alive: after kg build,
    the build's caches and the views' graphs, about 0.1 s of the command's 1.5 s
    (benchmarks/RESULTS.md). The process ends next, so they are frozen (:func:`gc.freeze`):
    the collection skips them and the operating system takes the memory back. Not in
    :func:`main`, which tests and notebooks call in a process that goes on.
    """
    code = main()
    gc.freeze()
    return code


def subparsers(top: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Command name -> its parser, in the order of COMMANDS."""
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


@contextlib.contextmanager
def _terminal(columns: int) -> Iterator[None]:
    """$COLUMNS fixed (argparse reads it when it formats) and colour off, restored after."""
    saved = {k: os.environ.get(k) for k in ("COLUMNS", "NO_COLOR")}
    os.environ.update(COLUMNS=str(columns), NO_COLOR="1")
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def reference(columns: int = REFERENCE_COLUMNS) -> str:
    """Markdown: the output of ``kg --help`` and of each ``kg COMMAND --help``, in fenced blocks.

    The README's command reference is this text, written by cog (``cog -r README.md``) and
    checked by tests/cli/test_reference.py, so the docs cannot drift from the parsers. The
    layout is argparse's, which changes between Python versions; it is rendered with 3.11.
    """
    with _terminal(columns):
        top = parser()
        pages = [("kg", top.format_help())]
        pages += [(p.prog, p.format_help()) for p in subparsers(top).values()]
    out = []
    for prog, text in pages:
        body = "\n".join(line.rstrip() for line in text.strip("\n").splitlines())
        out.append(f"### `{prog}`\n\n```text\n$ {prog} --help\n{body}\n```\n")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(console())
