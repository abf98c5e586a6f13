"""N-Triples: one triple a line, distinct lines in sorted order (the form kg.nt is diffed in)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.formats.triples import NTriplesGraph, sorted_triples

__all__ = ["write"]


def write(triples: Iterable[Any], prefixes: dict[str, str] | None = None) -> str:
    """Sorted, distinct N-Triples lines; ``prefixes`` is unused (N-Triples has none)."""
    del prefixes
    if isinstance(triples, NTriplesGraph):  # already N-Triples terms, in this order
        return triples.text()
    text = ox.serialize(sorted_triples(triples), format=ox.RdfFormat.N_TRIPLES)
    return bytes(text or b"").decode()
