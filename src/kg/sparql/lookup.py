"""When an answer is empty because a parameter names nothing: say so, with the closest names.

A value of the right form (``country=XYZ``, ``actor=chief_of_staf``) can name nothing in the
graph; the query then returns 0 rows, which reads like an answer. :func:`unknown_values` asks
the graph which of a query's bound values name nothing and offers the closest names it holds
(difflib), and says when a value names a forum series where the query wants one of its
editions. kg query and kg.api raise it as a QueryError.
"""

from __future__ import annotations

import difflib
from typing import Any

from kg.model.vocab import PREFIX_IRIS, compact
from kg.sparql.binding import bind
from kg.sparql.catalogue import NamedQuery, param_specs
from kg.sparql.params import nt

__all__ = ["unknown_values"]

_JDX = PREFIX_IRIS["jdx"]
_SKOS = PREFIX_IRIS["skos"]


def _rows(text: str, graph: Any, endpoint: str | None, timeout: float) -> list[str]:
    from kg.sparql.run import run_query

    result = run_query(text, graph=graph, endpoint=endpoint, timeout=timeout)
    return sorted({str(row[0]) for row in result.rows if row and row[0] is not None})


def _exists(term: Any, graph: Any, endpoint: str | None, timeout: float) -> bool:
    from rdflib import URIRef

    from kg.sparql.run import run_query

    if isinstance(term, URIRef):
        text = f"ASK {{ {{ {nt(term)} ?p ?o }} UNION {{ ?s ?p {nt(term)} }} }}"
    else:
        text = f"ASK {{ ?s <{_JDX}code> {nt(term)} }}"
    return bool(run_query(text, graph=graph, endpoint=endpoint, timeout=timeout).boolean)


def _candidates(kind: str, term: Any, graph: Any, endpoint: str | None, timeout: float) -> list:
    """(shown name, compared text) pairs of what the graph holds for a parameter kind."""
    if kind == "iso3":
        codes = _rows(
            f"SELECT DISTINCT ?n WHERE {{ ?c <{_SKOS}notation> ?n }}", graph, endpoint, timeout
        )
        return [(c, c) for c in codes]
    if kind == "slug":
        codes = _rows(
            f"SELECT DISTINCT ?n WHERE {{ ?s <{_JDX}code> ?n }}", graph, endpoint, timeout
        )
        return [(c, c) for c in codes]
    if kind == "iri":
        iri = str(term)
        base = PREFIX_IRIS["jdxr"]
        head = base + iri[len(base) :].split("/", 1)[0] + "/" if iri.startswith(base) else base
        iris = _rows(
            f'SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{head}")) }}',
            graph,
            endpoint,
            timeout,
        )
        return [(compact(i), i) for i in iris]
    return []


def unknown_values(
    query: NamedQuery,
    params: dict[str, str],
    graph: Any = None,
    endpoint: str | None = None,
    timeout: float = 60.0,
) -> list[str]:
    """A message for each parameter of ``query`` whose value names nothing in the graph (with
    the closest names it holds), or names a forum series where the query wants an edition."""
    specs = {s.variable: s for s in param_specs(query)}
    messages = []
    for var, term in bind(query, params):
        spec = specs[var]
        given = params[spec.name]
        if _exists(term, graph, endpoint, timeout):
            editions = _rows(
                f"SELECT ?e WHERE {{ ?e <{_JDX}editionOf> {nt(term)} }}", graph, endpoint, timeout
            )
            if editions:
                shown = ", ".join(compact(e) for e in editions[:6])
                more = f" (and {len(editions) - 6} more)" if len(editions) > 6 else ""
                messages.append(
                    f"{spec.name}={given} is a forum series, not one meeting of it: pass one of "
                    f"its editions, e.g. {shown}{more}"
                )
            continue
        pairs = _candidates(spec.kind, term, graph, endpoint, timeout)
        wanted = str(term) if spec.kind == "iri" else str(term).rsplit("/", 1)[-1]
        close = difflib.get_close_matches(wanted, [text for _, text in pairs], n=5, cutoff=0.6)
        names = [name for name, text in pairs if text in close]
        hint = f"; did you mean {', '.join(names)}?" if names else ""
        messages.append(f"nothing in the graph is {spec.name}={given} ({nt(term)}){hint}")
    return messages
