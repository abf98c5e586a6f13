"""The main job, as a library call: :func:`build` (``kg build`` and ``kg.api.build`` call it).

Stages in order: read and normalize the source (kg.pipeline), write the tables, the quality
report and the graph serializations (kg.pipeline.write), then fill the embedded store
(kg.store, in a thread) while the default network views are written (kg.viz), then the
overview page (kg.viz.overview) from the store, all with Python's cycle collector paused
(:func:`without_cycle_collection`). Nothing here parses arguments or prints.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg import paths, pipeline
from kg.errors import BuildError
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
    triples, changed = write_outputs(result, folder)
    # The store fills in a thread while the views are drawn: Oxigraph loads without holding
    # the GIL, so the two share the machine's cores (the same files as one after the other).
    with ThreadPoolExecutor(max_workers=1) as pool:
        filling = None
        if store and not is_current(folder):  # the store matches kg.nt when it is unchanged
            filling = pool.submit(build_store, folder / "kg.nt", store_dir(folder))
        if views:  # from the triples just made: nothing is parsed again
            from kg.viz.views import write_default_views  # networkx, numpy: only when drawn

            write_default_views(result, triples, folder)
        if filling is not None:
            filling.result()  # its error, if any, is the build's
    if views:  # from the store just filled, through the queries kg query runs
        from kg.viz.overview import write_overview

        write_overview(folder / "views" / "overview.html", data=folder)
    return BuildSummary(result, folder, len(triples), changed, time.perf_counter() - t0)
