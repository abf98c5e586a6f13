"""The main job, as a library call: :func:`build` (``kg build`` and ``kg.api.build`` call it).

Two lanes on two cores. A process forked at the start imports what the network views need
(networkx, numpy, the pages' assets) while this one reads and normalizes the source
(kg.pipeline) and makes the graph's triples; given them, it draws every view and the views'
index (kg.viz). Meanwhile this one writes the tables, the quality report and the graph
serializations (kg.pipeline.write), fills the embedded store (kg.store) and writes the overview
page from it (kg.viz.overview); then the full view's graph files, which the lane hands over
(plain data: this process never imports networkx). All with Python's cycle collector paused
(:func:`without_cycle_collection`). Nothing here parses arguments or prints.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import paths, pipeline
from kg.errors import BuildError, KgError
from kg.pipeline.rdf import graph_triples
from kg.pipeline.write import write_outputs

__all__ = ["BuildSummary", "build", "without_cycle_collection"]


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
    # The views (networkx and numpy: most of the build's CPU) are drawn in a process forked
    # now, which imports them while this one reads the source, and draws every view once it
    # is given the triples; this one writes the files, fills the store and writes the overview
    # from it, never importing networkx: two cores, two lanes (benchmarks/bench_build.py).
    drawing = _Lane.fork(_prepare_views, _write_views) if views else None
    try:
        result = pipeline.run(source)
        errors = [i for i in result.issues if i.level == "error"]
        if errors and out is None:
            listed = "\n".join(f"  {i}" for i in errors)
            raise BuildError(
                f"{result.doc.path}: the build found {len(errors)} error(s); nothing was "
                f"written, {folder} keeps the last good build (build into another folder with "
                f"--out DIR to inspect it):\n{listed}",
                errors,
            )
        triples = graph_triples(result)
        if drawing is not None:
            drawing.give(triples, folder)
        _, changed = write_outputs(result, folder, triples)
        if store and not is_current(folder):  # the store matches kg.nt when it is unchanged
            build_store(folder / "kg.nt", store_dir(folder))
        if views:
            if drawing is None:  # no second lane: drawn here
                _write_views(_write_graph_files, triples, folder)
            from kg.viz.overview import write_overview  # from the store, as kg query reads it

            write_overview(folder / "views" / "overview.html", data=folder)
    except BaseException:
        if drawing is not None:  # stop it (or wait for it), but the error to tell is this one
            with suppress(Exception):
                drawing.cancel()
        raise
    if drawing is not None:  # waits, writing the graph files it hands over; its error is ours
        drawing.result(_write_graph_files)
    return BuildSummary(result, folder, len(triples), changed, time.perf_counter() - t0)


def _prepare_views() -> None:
    """What drawing the views needs before it has a graph: networkx, numpy, the views' code
    and the pages' assets (kg.viz.views.prepare)."""
    from kg.viz.views import prepare

    prepare()


#: The views whose graph files (.gexf, .graphml, .json) the views lane hands to this process
#: to write: the full view's are most of the files' time (0.15 s), and this process, done with
#: its own outputs before the lane is done drawing, writes them while the lane draws the rest
#: (benchmarks/RESULTS.md, "Build", the two lanes step by step).
_HANDED_OVER = ("full",)


def _write_views(hand_over: Callable[[Any], None], triples: Any, folder: Path) -> None:
    """Every view of kg.network.VIEWS from the triples (nothing is parsed again), and the
    views' index; the graph files of :data:`_HANDED_OVER` go to ``hand_over``."""
    from kg.formats.graph_data import GraphData, check_targets, write_files
    from kg.network import VIEWS
    from kg.viz.views import write_views, write_views_index

    def graph_files(view: str, data: GraphData, targets: list[Path]) -> list[Path]:
        if view not in _HANDED_OVER:
            return write_files(data, targets)
        hand_over((data, targets))
        return check_targets(targets)

    infos = write_views(triples, folder, VIEWS, write_files=graph_files)
    write_views_index(folder, infos, overview="overview.html")  # written beside, by this build


def _write_graph_files(part: Any) -> None:
    """A view's graph files, handed over by :func:`_write_views`."""
    from kg.formats.graph_data import write_files

    data, targets = part
    write_files(data, targets)


class _Lane:
    """A forked process that runs ``prepare()`` at once and ``job(hand_over, *args)`` once
    given its ``args`` (:meth:`give`). :meth:`result` waits for it: each part the job hands
    over it gives to its handler as it comes, then it returns the job's result (pickled
    across) or raises its error here (the same exception, the child's traceback as a note)."""

    def __init__(self, prepare: Callable[[], object], job: Callable[..., Any]) -> None:
        context = multiprocessing.get_context("fork")
        self._inbox, self._send = context.Pipe(duplex=False)  # to the child
        self._receive, self._outbox = context.Pipe(duplex=False)  # from it
        self._child = context.Process(
            target=self._run, args=(prepare, job), name="kg-views", daemon=True
        )
        self._child.start()
        self._inbox.close()
        self._outbox.close()

    @classmethod
    def fork(cls, prepare: Callable[[], object], job: Callable[..., Any]) -> _Lane | None:
        """The lane, or ``None`` where a fork would not help or is not safe: one core, no fork
        (Windows), or other threads running in this process (a fork copies only the calling
        thread; locks held by the others stay held in the child): the caller then runs the
        job itself."""
        if (
            (os.cpu_count() or 1) < 2
            or "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1
        ):
            return None
        return cls(prepare, job)

    def _run(self, prepare: Callable[[], object], job: Callable[..., Any]) -> None:
        """In the child. The job's arguments are read in a thread while ``prepare`` runs, and
        what goes back is sent by another, so that neither side waits on a pipe (a pipe holds
        64 KiB; the triples and a handed-over part are megabytes) for the other to be ready."""
        self._send.close()
        self._receive.close()
        given: list[Any] = []
        reader = threading.Thread(target=lambda: given.append(self._read()), daemon=True)
        reader.start()
        outgoing: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        sender = threading.Thread(target=self._send_all, args=(outgoing,), daemon=True)
        sender.start()
        try:
            prepare()
            reader.join()
            if not given or given[0] is None:  # the parent stopped before giving any (its error)
                outgoing.put(("done", True, None))
                return
            result = job(lambda part: outgoing.put(("part", part)), *pickle.loads(given[0]))
        except BaseException as error:  # noqa: BLE001 - every error goes back to the parent
            outgoing.put(("done", False, _portable(error)))
        else:
            outgoing.put(("done", True, result))
        finally:
            sender.join()

    def _read(self) -> bytes | None:
        try:
            return self._inbox.recv_bytes()
        except EOFError:
            return None

    def _send_all(self, outgoing: queue.SimpleQueue[tuple[Any, ...]]) -> None:
        while True:
            message = outgoing.get()
            try:
                self._outbox.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError:  # the parent has stopped listening (its own error): nothing to tell
                return
            if message[0] == "done":
                return

    def give(self, *args: Any) -> None:
        """Hand the job its arguments (once)."""
        try:
            self._send.send_bytes(pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL))
        except BrokenPipeError:  # the child has ended already: result() tells why
            pass
        finally:
            self._send.close()

    def cancel(self) -> None:
        """Stop listening and let the child end (a child not given its job ends at once; one
        drawing ends when it next hands something over, or when done); its error, if any, is
        not raised."""
        self._send.close()  # closed already once given
        self._receive.close()
        self._child.join()

    def result(self, on_part: Callable[[Any], None]) -> Any:
        """Wait for the job, giving each part it hands over to ``on_part``; its result, or its
        error (else ``on_part``'s first error, once the child is done)."""
        failed: BaseException | None = None
        try:
            while True:
                try:
                    kind, *rest = self._receive.recv()
                except EOFError:  # the child died without a word (killed, out of memory)
                    error = BuildError("the process drawing the views ended without a result")
                    kind, rest = "done", [False, error]
                if kind == "done":
                    ok, answer = rest
                    break
                if failed is None:  # after an error here, the rest is only drained
                    try:
                        on_part(rest[0])
                    except BaseException as error:  # noqa: BLE001 - raised once it is done
                        failed = error
        finally:
            self._receive.close()
            self._child.join()
        if not ok:
            raise answer
        if failed is not None:
            raise failed
        return answer


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
