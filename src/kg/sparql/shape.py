"""The shape of a query's text, read with kg.sparql.lexer as the engines read it.

Its form and projection, the prologue's prefixes, the WHERE group of the query and of each
sub-query (where kg.sparql.prepare places VALUES blocks), the keywords the policy rules on
(SERVICE, FROM, SPARQL Update) with their offsets, and syntax errors with line and column.
Nothing here decides what may run: that is kg.sparql.policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.errors import QueryError
from kg.model.vocab import PREFIX_IRIS
from kg.sparql.lexer import QUERY_FORMS, UPDATE_WORDS, Token, tokenize

#: Token kinds that change nothing inspect_text tracks (brackets, variables, keywords).
_INERT = frozenset({"string", "number", "lang", "iri", "bnode", "bad"})


@dataclass
class Scope:
    """A query or sub-query: where its WHERE group opens, and the variables used in it."""

    where_open: int | None = None  # offset just after the '{' of its WHERE group
    variables: set[str] = field(default_factory=set)  # mentioned in its own WHERE group


@dataclass(frozen=True)
class GraphRef:
    """A FROM or FROM NAMED clause: where it stands and the graph IRI it names."""

    at: int
    named: bool
    iri: str | None  # None when the clause names no IRI this scan can read


@dataclass
class QueryShape:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE (None: not a query)
    variables: list[str] | None  # projected variables of a SELECT (None for SELECT *)
    declared_prefixes: dict[str, str]  # PREFIX lines of the prologue: prefix -> namespace IRI
    where_open: int | None  # offset just after the '{' that opens the WHERE group
    scopes: list[Scope]  # the query first, then its sub-queries in text order
    service_at: int | None  # offset of the first SERVICE keyword, anywhere
    graphs: list[GraphRef]  # every FROM / FROM NAMED, anywhere
    update: tuple[str, int] | None  # the first SPARQL Update keyword, anywhere, and its offset
    prefixed_names: list[Token] = field(default_factory=list)

    @property
    def dataset_at(self) -> int | None:
        """Offset of the first FROM keyword, if any."""
        return self.graphs[0].at if self.graphs else None


def inspect_text(text: str) -> QueryShape:
    """Form, projection, prologue prefixes, WHERE groups (of the query and its sub-queries)."""
    toks = tokenize(text)
    upper = [t.value.upper() if t.kind == "word" else "" for t in toks]
    declared: dict[str, str] = {}
    i = 0
    while i < len(toks) and upper[i] in ("PREFIX", "BASE"):
        if upper[i] == "PREFIX" and i + 1 < len(toks) and toks[i + 1].value.endswith(":"):
            iri = toks[i + 2].value if i + 2 < len(toks) else ""
            declared[toks[i + 1].value[:-1]] = _iri_value(iri) if iri.startswith("<") else ""
            i += 3
        else:
            i += 2
    form = upper[i] if i < len(toks) and upper[i] in QUERY_FORMS else None
    # Keywords are found in every token, whatever the query's structure: a word token is never
    # part of a string, an IRI or a comment, and none of these words is anything but a keyword.
    update = next(
        ((u, t.start) for t, u in zip(toks, upper, strict=True) if u in UPDATE_WORDS), None
    )
    service_at = next((t.start for t, u in zip(toks, upper, strict=True) if u == "SERVICE"), None)
    graphs = [_graph_ref(toks, upper, j, declared) for j, u in enumerate(upper) if u == "FROM"]
    projection: list[str] | None = []
    pnames = []
    scopes: list[Scope] = []
    # stack of [scope, state, depth]: state "clause" (before WHERE's '{'), "where", "after";
    # depth = brace depth inside the WHERE group (for a sub-query: also of its own braces)
    stack: list[list] = []
    brace = paren = 0
    template = form == "CONSTRUCT"  # CONSTRUCT { template } WHERE { … }
    select_as = False
    # the first WHERE after the query form (a CONSTRUCT's template is the '{' before it)
    first_where = next((k for k in range(i, len(upper)) if upper[k] == "WHERE"), len(upper))
    if form:
        scopes.append(Scope())
        stack.append([scopes[0], "clause", 0])
    for j in range(i + 1 if form else len(toks), len(toks)):
        t, u = toks[j], upper[j]
        if t.kind == "pname":
            pnames.append(t)
        if t.kind in _INERT or (t.kind == "punct" and t.value not in "(){}*"):
            continue  # strings, numbers, IRIs, lone quotes, other punctuation: nothing to track
        top = stack[-1] if stack else None
        if u == "SELECT" and brace > 0:  # a sub-query
            scopes.append(Scope())
            stack.append([scopes[-1], "clause", brace])
            continue
        if t.value == "(":
            paren += 1
        elif t.value == ")":
            paren -= 1
        elif t.value == "{":
            brace += 1
            if top is not None and top[1] == "clause" and paren == 0:
                if template and u == "" and len(stack) == 1 and j < first_where:
                    pass  # the CONSTRUCT template
                else:
                    top[0].where_open = t.start + 1
                    top[1], top[2] = "where", brace
        elif t.value == "}":
            brace -= 1
            while stack and stack[-1][1] == "after" and brace < stack[-1][2] - 1:
                stack.pop()
            if stack and stack[-1][1] == "where" and brace < stack[-1][2]:
                stack[-1][1] = "after"
                if len(stack) > 1 and brace < stack[-1][2] - 1:
                    stack.pop()
        if t.kind == "var" and stack and stack[-1][1] == "where":
            stack[-1][0].variables.add(t.value[1:])
        if len(stack) == 1 and stack[0][1] == "clause" and form == "SELECT":
            if t.value == "*" and paren == 0:
                projection = None
            elif t.kind == "var" and projection is not None:
                if paren == 0 or select_as:
                    projection.append(t.value[1:])
                select_as = False
            elif u == "AS" and paren == 1:
                select_as = True
    return QueryShape(
        form=form,
        variables=projection if form == "SELECT" else None,
        declared_prefixes=declared,
        where_open=scopes[0].where_open if scopes else None,
        scopes=scopes,
        service_at=service_at,
        graphs=graphs,
        update=update,
        prefixed_names=pnames,
    )


def _iri_value(token: str) -> str:
    """The IRI an IRIREF token stands for (its \\u and \\U escapes decoded)."""
    return re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
        lambda m: chr(int(m.group(1) or m.group(2), 16)),
        token[1:-1],
    )


def _graph_ref(toks: list[Token], upper: list[str], j: int, declared: dict[str, str]) -> GraphRef:
    """The FROM clause at token j: FROM [NAMED] followed by an IRI or a prefixed name."""
    named = j + 1 < len(upper) and upper[j + 1] == "NAMED"
    k = j + 2 if named else j + 1
    iri = None
    if k < len(toks):
        tok = toks[k]
        if tok.kind == "iri":
            iri = _iri_value(tok.value)
        elif tok.kind == "pname":
            prefix, _, local = tok.value.partition(":")
            ns = declared.get(prefix) if prefix in declared else PREFIX_IRIS.get(prefix)
            if ns:
                iri = ns + re.sub(r"\\(.)", r"\1", local)
    return GraphRef(toks[j].start, named, iri)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def error_at(text: str, offset: int, message: str, where: str = "", kind: type = QueryError):
    """A QueryError (or `kind`) pointing at the line and column of `offset`, with a caret."""
    line, col = line_col(text, offset)
    return error_at_line(text, line, col, message, where, kind)


def error_at_line(
    text: str, line: int, col: int, message: str, where: str = "", kind: type = QueryError
):
    """A QueryError (or `kind`) at a 1-based line and column, quoting that line."""
    lines = text.splitlines() or [""]
    src = lines[min(line, len(lines)) - 1]
    loc = f"{where}: " if where else ""
    return kind(f"{loc}line {line}, column {col}: {message}\n    {src}\n    {' ' * (col - 1)}^")


@lru_cache(maxsize=256)
def syntax_error(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) of the first syntax error, or None when the query parses.

    Oxigraph decides (it is the engine of the store and of `oxigraph serve`); the position comes
    from rdflib's parser where it finds the error too (it points at the start of the offending
    clause, Oxigraph at the furthest point it read), else from Oxigraph.
    """
    import pyoxigraph as ox

    try:
        ox.Store().query(text, prefixes=PREFIX_IRIS)
        return None
    except SyntaxError as exc:
        ox_msg = str(exc)
    m = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: (.*)", ox_msg, re.DOTALL)
    ox_line, ox_col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
    detail = m.group(3) if m else ox_msg
    if "Prefix not found" in detail:
        detail = "unknown prefix"
    elif len(detail) > 160:
        detail = detail[:160] + "…"
    try:
        from rdflib.plugins.sparql.parser import parseQuery

        parseQuery(text)
    except Exception as exc:  # pyparsing's ParseException (and its relatives)
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        if line and col:
            found = re.search(r"found ('.*?')", str(exc))
            near = f"syntax error near {found.group(1)}" if found else "syntax error"
            return line, col, near
    return ox_line, ox_col, f"syntax error: {detail}"
