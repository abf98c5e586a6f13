"""The main job, as a library call: :func:`build` (``kg build`` and ``kg.api.build`` call it).

Stages in order: read and normalize the source (kg.pipeline) and make the graph's triples;
then, in two lanes, a forked process draws the full network view (kg.viz) while this one writes
the tables, the quality report and the graph serializations (kg.pipeline.write), fills the
embedded store (kg.store, in a thread) beside the other views, and writes the overview page
(kg.viz.overview) from the store; last the views' index. All with Python's cycle collector
paused (:func:`without_cycle_collection`). Nothing here parses arguments or prints.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from kg import paths, pipeline
from kg.errors import BuildError, KgError
from kg.pipeline.rdf import graph_triples
from kg.pipeline.write import write_outputs

__all__ = ["BuildSummary", "build", "without_cycle_collection"]

T = TypeVar("T")
#: The view drawn in the forked process: the full view takes about 80% of the views' time
#: (benchmarks/bench_build.py); the others are drawn in this one while the store fills.
_CHILD_VIEWS = ("full",)


@dataclass
class BuildSummary:
    """What a build did: the records, which outputs changed, the graph size, the time taken."""

    result: pipeline.BuildResult
    out: Path
    triples: int
    changed: dict[str, bool] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def errors(self) -> list:
        return [i for i in self.result.issues if i.level == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def report_text(self) -> str:
        """The quality report as `kg build` prints it (items seen, records, flags per section)."""
        from kg.pipeline.quality import format_report

        return format_report(self.result.report)


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused for the block (as it was before, after it, also on error).

    A build holds millions of long-lived objects (records, term strings, triples, the views'
    graphs), and each full collection walks every one of them: the collector's cost per triple
    doubled from 1x to 10x: 8% of the build's CPU at 1x, 20% at 10x, 24% with issue 12's
    35,842 items (benchmarks/RESULTS.md, "Build"). Reference counting still frees
    everything else at once; what waits is garbage in cycles (the views' networkx graphs, which
    hold views of themselves: a few percent of the peak memory), freed by the collector's next
    run after the block.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@without_cycle_collection()
def build(
    source: str | Path | None = None,
    out: str | Path | None = None,
    *,
    store: bool = True,
    views: bool = True,
) -> BuildSummary:
    """Build the graph and its outputs from ``source`` (default data/source.txt) into ``out``
    (default data/).

    Nothing is written when the input is unreadable (:class:`kg.SourceError`) or, for the
    default folder, when the build finds errors (:class:`kg.BuildError`, each error with its
    line): data/ keeps the last good build. Name a folder with ``out`` to write a failed build
    there for inspection (the summary's ``errors`` then say what went wrong). Each file is
    replaced atomically, so readers never see a torn one. ``store`` and ``views`` skip the
    embedded store and the network views (the tables and the graph files are always written).
    """
    from kg.store.local import build_store, is_current, store_dir

    t0 = time.perf_counter()
    folder = Path(out) if out is not None else paths.data_dir()
    result = pipeline.run(source)
    errors = [i for i in result.issues if i.level == "error"]
    if errors and out is None:
        listed = "\n".join(f"  {i}" for i in errors)
        raise BuildError(
            f"{result.doc.path}: the build found {len(errors)} error(s); nothing was written, "
            f"{folder} keeps the last good build (build into another folder with --out DIR "
            f"to inspect it):\n{listed}",
            errors,
        )
    triples = graph_triples(result)
    # The views (networkx: most of the build's CPU) are drawn in a forked process from the
    # triples just made while this one writes the files, fills the store and writes the
    # overview from it: two cores, two lanes (measured in benchmarks/bench_build.py).
    drawing = _in_a_child(_write_views, triples, folder, _CHILD_VIEWS, ()) if views else None
    try:
        _, changed = write_outputs(result, folder, triples)
        # The store fills in a thread: Oxigraph loads without holding the GIL.
        with ThreadPoolExecutor(max_workers=1) as pool:
            filling = None
            if store and not is_current(folder):  # the store matches kg.nt when it is unchanged
                filling = pool.submit(build_store, folder / "kg.nt", store_dir(folder))
            if views:  # the rest of the views, or all of them where there is no child
                drawn = _write_views(triples, folder, None, _CHILD_VIEWS if drawing else ())
            if filling is not None:
                filling.result()  # its error, if any, is the build's
        if views:  # from the store just filled, through the queries kg query runs
            from kg.viz.overview import write_overview

            write_overview(folder / "views" / "overview.html", data=folder)
    except BaseException:
        if drawing is not None:  # wait for it, but the error to tell is this one
            with suppress(Exception):
                drawing()
        raise
    if views:
        if drawing is not None:
            drawn += drawing()  # waits; the views' error, if any, is the build's
        _write_views_index(folder, drawn)
    return BuildSummary(result, folder, len(triples), changed, time.perf_counter() - t0)


def _write_views(
    triples: Any, folder: Path, only: Iterable[str] | None, skip: Iterable[str]
) -> list[Any]:
    """The views of kg.network.VIEWS (``only`` those, without ``skip``), from the triples:
    nothing is parsed again. networkx and numpy are imported here, only when drawn."""
    from kg.network import VIEWS
    from kg.viz.views import write_views

    names = [v for v in VIEWS if (only is None or v in only) and v not in skip]
    return write_views(triples, folder, names)


def _write_views_index(folder: Path, drawn: list[Any]) -> None:
    from kg.network import VIEWS
    from kg.viz.views import write_views_index

    write_views_index(folder, sorted(drawn, key=lambda v: VIEWS.index(v.view)))


def _in_a_child(job: Callable[..., T], *args: Any) -> Callable[[], T] | None:
    """Start ``job(*args)`` in a forked process; returns the call that waits for it and gives
    its result (pickled across) or raises its error here (the same exception, the child's
    traceback as a note). ``None`` where a fork would not help or is not safe: one core, no
    fork (Windows), or other threads running in this process (a fork copies only the calling
    thread; locks held by the others stay held in the child): the caller then runs the job."""
    if (
        (os.cpu_count() or 1) < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or threading.active_count() > 1
    ):
        return None
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run() -> None:
        try:
            result = job(*args)
        except BaseException as error:  # noqa: BLE001 - every error goes back to the parent
            send.send((False, _portable(error)))
        else:
            send.send((True, result))

    child = context.Process(target=run, name="kg-views", daemon=True)
    child.start()
    send.close()

    def wait() -> T:
        try:
            ok, answer = receive.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            ok, answer = False, BuildError("the process drawing the views ended without a result")
        finally:
            receive.close()
            child.join()
        if not ok:
            raise answer
        return answer

    return wait


def _portable(error: BaseException) -> BaseException:
    """``error`` as it can cross to the parent: with its traceback as a note, and as a plain
    KgError (its message kept) when it cannot be pickled."""
    note = "".join(traceback.format_exception(error)).rstrip()
    try:
        error.add_note(f"in the process drawing the views:\n{note}")
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001 - anything that does not survive pickling
        return KgError(f"{type(error).__name__}: {error}\n{note}")
