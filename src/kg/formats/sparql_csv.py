"""SPARQL 1.1 Query Results CSV (https://www.w3.org/TR/sparql11-results-csv-tsv/#csv).

Lossy by design: IRIs and literals as their plain text (no language tag or datatype), blank
nodes as ``_:label``; quoted per RFC 4180, lines ending in CRLF.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from kg.formats.terms import nt, term

MEDIA_TYPE = "text/csv"


def value(t: Any) -> str:
    """A term's CSV field: "" for unbound."""
    x = term(t)
    if x is None:
        return ""
    if x.kind == "bnode":
        return f"_:{x.value}"
    if x.kind == "triple":
        return nt(x)
    return x.value


def write(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    for row in rows:
        w.writerow([value(t) for t in row])
    return buf.getvalue()


def write_boolean(value: bool) -> str:
    """An ASK answer (the recommendation defines none for CSV): ``true`` or ``false``."""
    return ("true" if value else "false") + "\r\n"
