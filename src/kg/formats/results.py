"""The SPARQL results formats by name, for kg serve's content negotiation and kg query -f."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kg.formats import sparql_csv, sparql_json, sparql_tsv, sparql_xml

WRITERS = {"json": sparql_json, "xml": sparql_xml, "csv": sparql_csv, "tsv": sparql_tsv}
MEDIA_TYPES = {name: module.MEDIA_TYPE for name, module in WRITERS.items()}
#: "excel": the CSV with a UTF-8 byte-order mark, which Excel needs to read UTF-8 (without it,
#: Excel on Japanese Windows reads the file as Shift_JIS and shows mojibake).
MEDIA_TYPES["excel"] = sparql_csv.MEDIA_TYPE
BOM = "\ufeff"


def write(fmt: str, variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A SELECT's results in format `fmt` (json, xml, csv, tsv); rows of rdflib or pyoxigraph
    terms, None where unbound; ``excel`` is csv with a byte-order mark."""
    if fmt == "excel":
        return BOM + sparql_csv.write(variables, rows)
    return WRITERS[fmt].write(variables, rows)


def write_boolean(fmt: str, value: bool) -> str:
    """An ASK's answer in format `fmt`."""
    if fmt == "excel":
        return BOM + sparql_csv.write_boolean(value)
    return WRITERS[fmt].write_boolean(value)
