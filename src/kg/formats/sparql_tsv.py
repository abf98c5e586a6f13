"""SPARQL 1.1 Query Results TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/#tsv).

The one TSV of the project: a header of ``?variables``, then each term in its N-Triples form
(``<iri>``, ``"text"@ja``, ``"3"^^<…#integer>``, ``_:b0``; an empty field where unbound), so
tabs and line breaks inside literals are escaped and nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kg.formats.terms import nt, term

MEDIA_TYPE = "text/tab-separated-values"


def field(t: Any) -> str:
    x = term(t)
    return "" if x is None else nt(x)


def write(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(field(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def write_boolean(value: bool) -> str:
    """An ASK answer (the recommendation defines none for TSV): ``true`` or ``false``."""
    return ("true" if value else "false") + "\n"
