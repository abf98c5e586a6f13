"""The text that runs: a query with the project's prefixes and its parameters bound as terms.

Each value, checked against its kind (kg.sparql.params), is bound to its variable by a
``VALUES`` block placed at the start of the WHERE group of the query, and of each sub-query,
that uses the variable (so the term stands for the variable wherever it appears). An optional
parameter left out binds nothing; the query is written so that the variable then ranges over
every value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.model.vocab import PREFIX_IRIS
from kg.sparql import policy
from kg.sparql.catalogue import NamedQuery, param_specs, resolve
from kg.sparql.params import PARAM_KINDS, nt


def bind(query: NamedQuery | None, params: dict[str, str] | None) -> list[tuple[str, Any]]:
    """Check the parameters against the query's specs; (variable, RDF term) pairs to bind."""
    params = dict(params or {})
    specs = param_specs(query) if query is not None else []
    by_name = {s.name: s for s in specs}
    name = query.name if query is not None else "this query"
    unknown = sorted(set(params) - set(by_name))
    if unknown:
        takes = ", ".join(f"{s.name} ({s.kind})" for s in specs) or "no parameters"
        raise QueryError(
            f"unknown parameter {', '.join(map(repr, unknown))} for {name}; it takes {takes}"
        )
    bindings = []
    for s in specs:
        if s.name not in params or params[s.name] in (None, ""):
            if not s.optional:
                looks = PARAM_KINDS[s.kind].looks
                raise QueryError(
                    f"{name} needs --param {s.name}=VALUE ({looks})"
                    + (f"; e.g. {query.example}" if query is not None and query.example else "")
                )
            continue
        bindings.append((s.variable, s.term(params[s.name])))
    return bindings


def prepare(
    query: str | NamedQuery | Path,
    params: dict[str, str] | None = None,
    graphs: frozenset[str] | None = frozenset(),
) -> tuple[str, list[str] | None, NamedQuery | None]:
    """(executable text, expected variables, named query) for a name, a .rq path or text.

    The executable text is the query with missing project PREFIX lines put in front (on the
    first line, so line numbers stay) and, for each given parameter, a ``VALUES ?var { term }``
    block just inside the opening brace of the WHERE group of the query and of each sub-query
    that uses ?var (on the same line too): the term then stands for ?var wherever it appears.
    The text is checked by the policy first (``graphs``: what FROM may name, see
    :func:`kg.sparql.policy.check`), with its syntax errors' lines and columns.
    """
    named = resolve(query)
    text = named.text if named is not None else str(query)
    where = str(named.path) if named is not None else ""
    shape = policy.check(text, graphs=graphs, syntax=True, deep=True, where=where)
    bindings = bind(named, params)
    inserts: dict[int, list[str]] = {}
    for var, term in bindings:
        scopes = [sc for sc in shape.scopes if var in sc.variables and sc.where_open is not None]
        if not scopes:
            raise QueryError(
                f"{where or 'query'}: parameter variable ?{var} is not in a WHERE group"
            )
        for sc in scopes:
            at = sc.where_open
            assert at is not None  # the scopes kept above have a WHERE group
            inserts.setdefault(at, []).append(f"VALUES ?{var} {{ {nt(term)} }}")
    for offset in sorted(inserts, reverse=True):
        text = text[:offset] + " " + " ".join(inserts[offset]) + " " + text[offset:]
    missing = [p for p in PREFIX_IRIS if p not in shape.declared_prefixes]
    if missing:
        head = " ".join(f"PREFIX {p}: <{PREFIX_IRIS[p]}>" for p in missing)
        text = head + " " + text
    variables = named.variables if named is not None else shape.variables
    return text, variables, named
