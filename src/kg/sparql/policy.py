"""The one SPARQL policy: what may run, for kg query, the notebook API and kg serve alike.

Read-only query forms only; no ``SERVICE`` (it would make the engine fetch a URL), found by
the token scan and, where the word occurs but the scan saw no keyword, by rdflib's parser as a
second opinion (``deep``); ``FROM``/``FROM NAMED`` and the protocol's ``default-graph-uri``/
``named-graph-uri`` only naming graphs the caller holds. What differs between callers is a
parameter, not a second set of rules: a local graph holds no named graph (``graphs`` empty),
kg serve holds the graphs it says, a remote endpoint answers for its own (``graphs=None``).
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.errors import QueryError
from kg.model.vocab import PREFIX_IRIS
from kg.sparql.lexer import service_hidden
from kg.sparql.shape import QueryShape, error_at, error_at_line, inspect_text, syntax_error

#: ``graphs=ANY_GRAPH``: FROM and dataset parameters may name any graph (a remote endpoint,
#: whose dataset is its own business; this process fetches nothing for them).
ANY_GRAPH = None


class Forbidden(QueryError):
    """A query the policy refuses, as opposed to a mistake in it: kg serve answers 403."""


def check(
    text: str,
    *,
    graphs: frozenset[str] | None = frozenset(),
    dataset: Iterable[str] = (),
    syntax: bool = False,
    deep: bool = False,
    where: str = "",
) -> QueryShape:
    """Refuse what must not run; the query's shape when it may.

    ``graphs``: the graph IRIs FROM, FROM NAMED and ``dataset`` (default-graph-uri and
    named-graph-uri values) may name; ANY_GRAPH for a remote endpoint. ``syntax``: also report
    unknown prefixes and syntax errors with line and column (QueryError; parses the text with
    Oxigraph and rdflib). ``deep``: also ask rdflib whether text that mentions "service" hides
    a SERVICE clause (a parse: run it where time is limited). Raises Forbidden for what the
    policy refuses, QueryError for a faulty query.
    """
    shape = inspect_text(text)
    if shape.update is not None:
        word, at = shape.update
        raise error_at(
            text,
            at,
            f"{word} is SPARQL Update, which is not allowed: queries here are read-only "
            "(SELECT, ASK, CONSTRUCT, DESCRIBE)",
            where,
            Forbidden,
        )
    if shape.service_at is not None:
        raise error_at(
            text, shape.service_at, "SERVICE is not allowed (no remote calls)", where, Forbidden
        )
    if graphs is not ANY_GRAPH:
        for ref in shape.graphs:
            if ref.iri is None or ref.iri not in graphs:
                clause = "FROM NAMED" if ref.named else "FROM"
                raise error_at(text, ref.at, _not_held(clause, graphs), where, Forbidden)
        for iri in dataset:
            if iri not in graphs:
                raise Forbidden(_not_held("default-graph-uri and named-graph-uri", graphs))
    if syntax:
        known = set(PREFIX_IRIS) | set(shape.declared_prefixes)
        for t in shape.prefixed_names:
            prefix = t.value.split(":", 1)[0]
            if prefix not in known and prefix != "_":
                raise error_at(text, t.start, f"unknown prefix '{prefix}:'", where)
        err = syntax_error(text)
        if err:
            raise error_at_line(text, *err, where=where)
    # After the syntax check where one is made: rdflib cannot parse a faulty query, and that
    # must be reported as what it is, not as a hidden SERVICE.
    if deep and shape.service_at is None and service_hidden(text):
        raise Forbidden(
            f"{where + ': ' if where else ''}SERVICE is not allowed (no remote calls), and this "
            "query mentions it in a way that could not be verified as harmless"
        )
    if syntax and shape.form is None:
        raise QueryError(f"{where + ': ' if where else ''}not a SPARQL query")
    return shape


def _not_held(what: str, graphs: frozenset[str] | None) -> str:
    if not graphs:
        return (
            f"{what} may only name graphs held here, and there are none: the data is in the "
            "default graph, which queries use without FROM (nothing here fetches a URL)"
        )
    return f"{what} may only name graphs held here: {', '.join(sorted(graphs))}"
