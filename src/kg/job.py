"""The main job, as a library call: :func:`build` (``kg build`` and ``kg.api.build`` call it).

Stages in order: read and normalize the source (kg.pipeline), write the tables, the quality
report and the graph serializations (kg.pipeline.write), fill the embedded store (kg.store)
and write the default network views (kg.viz). Nothing here parses arguments or prints.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from kg import paths, pipeline
from kg.pipeline.write import write_outputs

__all__ = ["BuildSummary", "build"]


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


def build(
    source: str | Path | None = None,
    out: str | Path | None = None,
    *,
    store: bool = True,
    views: bool = True,
) -> BuildSummary:
    """Build the graph and its outputs from ``source`` (default data/source.txt) into ``out``
    (default data/); raises :class:`kg.SourceError` on unreadable input, before writing anything.

    ``store`` and ``views`` skip the embedded store and the network views (the tables and the
    graph files are always written).
    """
    from kg.store.local import build_store, memory_store, store_dir  # imported when building
    from kg.viz.views import write_default_views

    t0 = time.perf_counter()
    folder = Path(out) if out is not None else paths.data_dir()
    result = pipeline.run(source)
    triples, changed = write_outputs(result, folder)
    if store:
        build_store(folder / "kg.nt", store_dir(folder))
    if views:  # read from an in-memory Oxigraph store: no rdflib Graph is built or parsed
        write_default_views(result, memory_store(folder / "kg.nt"), folder)
    return BuildSummary(result, folder, len(triples), changed, time.perf_counter() - t0)
