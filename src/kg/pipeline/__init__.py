"""From the source text to the graph files, one module a step.

In the order data flows:

read (decode) -> located, tokens, layout (page breaks, list markers, offsets) -> items, dates,
extract (typed records) -> rules, gazetteer, normalize (names resolved, one event per date)
-> rdf, tables, quality (the graph, the CSV tables, the accounting) -> write (the files).
:func:`run` goes as far as the normalized records; kg.pipeline.write writes the outputs.
"""

from kg.pipeline.flow import BuildResult, run

__all__ = ["BuildResult", "run"]
