"""Named SPARQL queries (queries/*.rq) and running SPARQL on the graph, locally or remotely.

A named query is a file ``queries/NAME.rq`` whose leading comment block says what it answers::

    # name: country_timeline
    # question-ja: ある国とのすべての出来事を日付順に
    # question-en: Every event with one country, in date order
    # param: country iso3 ?country -- 相手国 / counterpart country (ISO3, or NATO, EU, ASEAN)
    # param: fy fy ?fiscalYear optional -- 年度 / fiscal year (2019-2022)
    # returns: ?date ?indicator ?actor ?counterpart ?mode ?forum ?place ?text
    # example: kg query country_timeline --param country=PHL
    # note: free text, any number of lines

``param: NAME KIND ?VARIABLE [optional] -- description``: the value given for NAME is checked
against KIND (see :data:`PARAM_KINDS`), turned into an RDF term and bound to ?VARIABLE by a
``VALUES`` block placed at the start of the WHERE group of the query, and of each sub-query, that
uses ?VARIABLE (so the term stands for the variable wherever it appears). A value is never pasted
into the query as text: it must first pass its kind's pattern, and what enters the query is the
term's canonical N-Triples form. An optional parameter left out binds nothing; the query is
written so that the variable then ranges over every value.

Queries run on an :class:`rdflib.Graph`: the embedded Oxigraph store (``open_graph("store")``,
on disk, through oxrdflib, SPARQL evaluated by Oxigraph), the same engine with the graph held in
memory (``open_graph("store-memory")``: slower to open, faster to query), or rdflib's in-memory
graph (``open_graph("memory")``); or on a remote SPARQL endpoint (``run_query(..., endpoint=URL)``).
The project's prefixes (``jdx:``, ``jdxr:``, ``rdfs:``, ``skos:`` …) may be used without
``PREFIX`` lines. Only read-only query forms run; ``SERVICE`` is refused everywhere (it would
make this process fetch URLs), and so are ``FROM``/``FROM NAMED`` on a local graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg import paths
from kg.errors import QueryError
from kg.model.vocab import JDXR, PREFIX_IRIS, PREFIXES
from kg.sparql.lexer import QUERY_FORMS, UPDATE_WORDS, Token, service_hidden, tokenize
from kg.store.local import BACKENDS
from kg.store.remote import document_graphs, endpoint_urls, sparql_post

if TYPE_CHECKING:
    import pandas
    import rdflib

__all__ = [
    "BACKENDS",
    "NamedQuery",
    "ParamSpec",
    "QueryError",
    "QueryResult",
    "get_query",
    "list_queries",
    "open_graph",
    "param_specs",
    "prepare",
    "run_query",
]

JDXR_IRI = str(JDXR)
PREFIX_MAP = PREFIX_IRIS


# ------------------------------------------------------------------------------------------
#  Parameters
# ------------------------------------------------------------------------------------------

FY_RANGE = (2019, 2022)
ORGANIZATIONS = ("NATO", "EU", "ASEAN")
_IRI_SAFE = re.compile(r"[A-Za-z0-9\-._~/%:@!$&'()*+,;=]*\Z")


def _iso3(value: str) -> URIRef:
    code = value.strip().upper()
    if not (re.fullmatch(r"[A-Z]{3}", code) or code in ORGANIZATIONS):
        raise ValueError("expected an ISO 3166-1 alpha-3 code such as PHL, or NATO, EU, ASEAN")
    return JDXR[f"country/{code}"]


def _fy(value: str) -> URIRef:
    v = value.strip()
    v = v[2:] if v.upper().startswith("FY") else v
    if not re.fullmatch(r"[0-9]{4}", v) or not FY_RANGE[0] <= int(v) <= FY_RANGE[1]:
        raise ValueError(
            f"expected a fiscal year {FY_RANGE[0]}..{FY_RANGE[1]} (its first calendar year)"
        )
    return JDXR[f"fy/{int(v)}"]


def _slug(value: str) -> Literal:
    v = value.strip()
    if not re.fullmatch(r"[a-z_]+", v):
        raise ValueError("expected a code of lower-case letters and underscores, e.g. minister")
    return Literal(v)


def _iri(value: str) -> URIRef:
    v = value.strip()
    if v.startswith("jdxr:"):
        v = JDXR_IRI + v[len("jdxr:") :]
    elif v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    if not v.startswith(JDXR_IRI) or len(v) == len(JDXR_IRI) or not _IRI_SAFE.match(v):
        raise ValueError(f"expected an IRI of this graph, starting with {JDXR_IRI}")
    return URIRef(v)


@dataclass(frozen=True)
class ParamKind:
    """What values a parameter kind takes."""

    pattern: str  # a value's exact form: kg serve accepts only this, the query page checks it
    convert: Callable[[str], Any]  # a command-line value (more lenient: phl, FY2022) -> RDF term
    looks: str  # what a value looks like, for messages


PARAM_KINDS = {
    "iso3": ParamKind(
        r"[A-Z]{3}|" + "|".join(ORGANIZATIONS),
        _iso3,
        "ISO3 country code or NATO/EU/ASEAN, e.g. PHL",
    ),
    "fy": ParamKind(
        "|".join(str(y) for y in range(FY_RANGE[0], FY_RANGE[1] + 1)),
        _fy,
        f"fiscal year {FY_RANGE[0]}-{FY_RANGE[1]}, e.g. 2022",
    ),
    "slug": ParamKind(
        r"[a-z_]{1,64}", _slug, "code of lower-case letters and underscores, e.g. minister"
    ),
    "iri": ParamKind(
        re.escape(JDXR_IRI) + r"[A-Za-z0-9_\-.\/]{1,200}",  # also a valid HTML `pattern`
        _iri,
        f"IRI starting with {JDXR_IRI}",
    ),
}


@dataclass(frozen=True)
class ParamSpec:
    name: str
    kind: str
    variable: str
    optional: bool
    description: str

    def term(self, value: str):  # noqa: ANN201 (an rdflib term)
        """The RDF term for a command-line value; QueryError when the value is not of the kind."""
        convert = PARAM_KINDS[self.kind].convert
        if not isinstance(value, str):
            value = str(value)
        try:
            return convert(value)
        except ValueError as exc:
            raise QueryError(f"bad value {value!r} for parameter {self.name!r}: {exc}") from None


# ------------------------------------------------------------------------------------------
#  Named queries
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    question_ja: str
    question_en: str
    params: dict[str, str]  # parameter name -> kind (iso3, fy, slug, iri)
    variables: list[str]  # output variables, in order, without "?"
    example: str


_HEADER = re.compile(r"#\s*([A-Za-z][A-Za-z-]*)\s*:\s?(.*)")
_PARAM = re.compile(
    r"(?P<name>[a-z][a-z0-9_]*)\s+(?P<kind>[a-z0-9]+)\s+\?(?P<var>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?P<opt>\s+optional)?\s*(?:--\s*(?P<desc>.*))?\Z"
)


def _header(text: str) -> dict[str, list[str]]:
    """The `# key: value` lines of the leading comment block."""
    out: dict[str, list[str]] = {}
    key = None
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        m = _HEADER.fullmatch(s)
        if m:
            key = m.group(1).lower()
            out.setdefault(key, []).append(m.group(2).strip())
        elif key and s.lstrip("#").strip():  # continuation of the previous key
            out[key][-1] = (out[key][-1] + " " + s.lstrip("#").strip()).strip()
    return out


def _param_specs_from_text(text: str, where: str) -> list[ParamSpec]:
    specs = []
    for raw in _header(text).get("param", []):
        m = _PARAM.fullmatch(raw)
        if not m:
            raise QueryError(
                f"{where}: bad '# param:' line {raw!r}; expected "
                "'# param: NAME KIND ?VARIABLE [optional] -- description'"
            )
        if m["kind"] not in PARAM_KINDS:
            raise QueryError(
                f"{where}: parameter {m['name']!r} has unknown kind {m['kind']!r} "
                f"(known: {', '.join(PARAM_KINDS)})"
            )
        specs.append(ParamSpec(m["name"], m["kind"], m["var"], bool(m["opt"]), m["desc"] or ""))
    return specs


def _load(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read {path}: {exc}") from None
    h = _header(text)
    shape = inspect_text(text)
    params = {p.name: p.kind for p in _param_specs_from_text(text, str(path))}
    declared = h.get("returns", [""])[0].split()
    variables = shape.variables or [v.lstrip("?$") for v in declared]
    if declared and [v.lstrip("?$") for v in declared] != variables:
        raise QueryError(
            f"{path}: '# returns:' says {' '.join(declared)} but the query selects "
            f"{' '.join('?' + v for v in variables)}"
        )
    return NamedQuery(
        name=(h.get("name") or [path.stem])[0],
        path=path,
        text=text,
        question_ja=(h.get("question-ja") or [""])[0],
        question_en=(h.get("question-en") or [""])[0],
        params=params,
        variables=variables,
        example=(h.get("example") or [""])[0],
    )


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int) -> NamedQuery:
    return _load(Path(path))


def load_query_file(path: str | Path) -> NamedQuery:
    """A .rq file as a NamedQuery (its header is optional: then it has no parameters)."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise QueryError(f"cannot read {p}: {exc.strerror or exc}") from None
    return _load_cached(str(p.absolute()), st.st_mtime_ns, st.st_size)


def list_queries() -> list[NamedQuery]:
    """Every named query of queries/, sorted by name."""
    folder = paths.queries_dir()
    if not folder.is_dir():
        raise QueryError(f"no query folder {folder}")
    return [load_query_file(p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str) -> NamedQuery:
    """The named query `name` (queries/<name>.rq); QueryError naming the known ones if absent."""
    if re.fullmatch(r"[A-Za-z0-9_\-]+", name or ""):
        path = paths.queries_dir() / f"{name}.rq"
        if path.is_file():
            return load_query_file(path)
    known = sorted(p.stem for p in paths.queries_dir().glob("*.rq"))
    import difflib

    close = difflib.get_close_matches(name or "", known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise QueryError(
        f"no named query {name!r}{hint} (known: {', '.join(known)}; `kg query --list`)"
    )


def param_specs(query: NamedQuery) -> list[ParamSpec]:
    """The parameters of a named query, with kind, bound variable, optionality, description."""
    return _param_specs_from_text(query.text, str(query.path))


# ------------------------------------------------------------------------------------------
#  The shape of a query (read with kg.sparql_lexer: checks and placing the VALUES block)
# ------------------------------------------------------------------------------------------


@dataclass
class Scope:
    """A query or sub-query: where its WHERE group opens, and the variables used in it."""

    where_open: int | None = None  # offset just after the '{' of its WHERE group
    variables: set[str] = field(default_factory=set)  # mentioned in its own WHERE group


@dataclass
class QueryShape:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE (None: not a query)
    variables: list[str] | None  # projected variables of a SELECT (None for SELECT *)
    declared_prefixes: set[str]
    where_open: int | None  # offset just after the '{' that opens the WHERE group
    scopes: list[Scope]  # the query first, then its sub-queries in text order
    service_at: int | None  # offset of a SERVICE keyword, if any
    dataset_at: int | None  # offset of a FROM keyword, if any
    update_word: str | None
    prefixed_names: list[Token] = field(default_factory=list)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def inspect_text(text: str) -> QueryShape:
    """Form, projection, prologue prefixes, WHERE groups (of the query and its sub-queries)."""
    toks = tokenize(text)
    upper = [t.value.upper() if t.kind == "word" else "" for t in toks]
    declared: set[str] = set()
    i = 0
    while i < len(toks) and upper[i] in ("PREFIX", "BASE"):
        if upper[i] == "PREFIX" and i + 1 < len(toks) and toks[i + 1].value.endswith(":"):
            declared.add(toks[i + 1].value[:-1])
            i += 3
        else:
            i += 2
    form = update_word = None
    if i < len(toks):
        if upper[i] in QUERY_FORMS:
            form = upper[i]
        elif upper[i] in UPDATE_WORDS:
            update_word = upper[i]
    projection: list[str] | None = []
    service_at = dataset_at = None
    pnames = []
    scopes: list[Scope] = []
    # stack of [scope, state, depth]: state "clause" (before WHERE's '{'), "where", "after";
    # depth = brace depth inside the WHERE group (for a sub-query: also of its own braces)
    stack: list[list] = []
    brace = paren = 0
    template = form == "CONSTRUCT"  # CONSTRUCT { template } WHERE { … }
    select_as = False
    if form:
        scopes.append(Scope())
        stack.append([scopes[0], "clause", 0])
    for j in range(i + 1 if form else len(toks), len(toks)):
        t, u = toks[j], upper[j]
        top = stack[-1] if stack else None
        if t.kind == "pname":
            pnames.append(t)
        if u == "SERVICE" and service_at is None:
            service_at = t.start
        if u == "FROM" and brace == 0 and dataset_at is None:
            dataset_at = t.start
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
                if template and u == "" and len(stack) == 1 and not _after_where(upper, j, i):
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
        dataset_at=dataset_at,
        update_word=update_word,
        prefixed_names=pnames,
    )


def _after_where(upper: list[str], j: int, start: int) -> bool:
    """True when a WHERE keyword stands between the query form (at `start`) and token j."""
    return "WHERE" in upper[start:j]


# ------------------------------------------------------------------------------------------
#  Checking and preparing a query
# ------------------------------------------------------------------------------------------


def _error_at(text: str, offset: int, message: str, where: str = "") -> QueryError:
    line, col = line_col(text, offset)
    src = text.splitlines()[line - 1] if text.splitlines() else ""
    loc = f"{where}: " if where else ""
    return QueryError(
        f"{loc}line {line}, column {col}: {message}\n    {src}\n    {' ' * (col - 1)}^"
    )


@lru_cache(maxsize=256)
def _syntax_error(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) of the first syntax error, or None when the query parses.

    Oxigraph decides (it is the engine of the store and of `oxigraph serve`); the position comes
    from rdflib's parser where it finds the error too (it points at the start of the offending
    clause, Oxigraph at the furthest point it read), else from Oxigraph.
    """
    import pyoxigraph as ox

    try:
        ox.Store().query(text, prefixes=PREFIX_MAP)
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


def check_text(text: str, local: bool = True, where: str = "") -> QueryShape:
    """Refuse what must not run, and report syntax errors with their line and column."""
    shape = inspect_text(text)
    if shape.update_word:
        raise QueryError(
            f"{where + ': ' if where else ''}{shape.update_word} is a SPARQL update; "
            "kg query only runs read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE)"
        )
    if shape.service_at is not None:
        raise _error_at(text, shape.service_at, "SERVICE is not allowed (no remote calls)", where)
    if local and shape.dataset_at is not None:
        raise _error_at(
            text,
            shape.dataset_at,
            "FROM/FROM NAMED is not allowed on the local graph (it holds one graph)",
            where,
        )
    known = set(PREFIX_MAP) | shape.declared_prefixes
    for t in shape.prefixed_names:
        prefix = t.value.split(":", 1)[0]
        if prefix not in known and prefix != "_":
            raise _error_at(text, t.start, f"unknown prefix '{prefix}:'", where)
    err = _syntax_error(text)
    if err:
        line, col, message = err
        lines = text.splitlines() or [""]
        src = lines[min(line, len(lines)) - 1]
        loc = f"{where}: " if where else ""
        raise QueryError(
            f"{loc}line {line}, column {col}: {message}\n    {src}\n    {' ' * (col - 1)}^"
        )
    if shape.service_at is None and service_hidden(text):  # after the syntax check: a query
        # that Oxigraph parses, where the word occurs but our scan saw no keyword
        raise QueryError(
            f"{where + ': ' if where else ''}SERVICE is not allowed (no remote calls), and this "
            "query mentions it in a way that could not be verified as harmless"
        )
    if shape.form is None:
        raise QueryError(f"{where + ': ' if where else ''}not a SPARQL query")
    return shape


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


def _nt(term) -> str:  # noqa: ANN001
    """The N-Triples form of a term (the only way a value enters the query text)."""
    if isinstance(term, URIRef):
        iri = str(term)
        if not _IRI_SAFE.match(iri):
            raise QueryError(f"refusing to bind IRI {iri!r}")
        return f"<{iri}>"
    if isinstance(term, Literal):
        return term.n3()
    raise QueryError(f"cannot bind {term!r}")


def prepare(
    query: str | NamedQuery | Path,
    params: dict[str, str] | None = None,
    local: bool = True,
) -> tuple[str, list[str] | None, NamedQuery | None]:
    """(executable text, expected variables, named query) for a name, a .rq path or text.

    The executable text is the query with missing project PREFIX lines put in front (on the
    first line, so line numbers stay) and, for each given parameter, a ``VALUES ?var { term }``
    block just inside the opening brace of the WHERE group of the query and of each sub-query
    that uses ?var (on the same line too): the term then stands for ?var wherever it appears.
    """
    named = _resolve(query)
    text = named.text if named is not None else str(query)
    where = str(named.path) if named is not None else ""
    shape = check_text(text, local=local, where=where)
    bindings = bind(named, params)
    inserts: dict[int, list[str]] = {}
    for var, term in bindings:
        scopes = [sc for sc in shape.scopes if var in sc.variables and sc.where_open is not None]
        if not scopes:
            raise QueryError(
                f"{where or 'query'}: parameter variable ?{var} is not in a WHERE group"
            )
        for sc in scopes:
            inserts.setdefault(sc.where_open, []).append(f"VALUES ?{var} {{ {_nt(term)} }}")
    for offset in sorted(inserts, reverse=True):
        text = text[:offset] + " " + " ".join(inserts[offset]) + " " + text[offset:]
    missing = [p for p in PREFIX_MAP if p not in shape.declared_prefixes]
    if missing:
        head = " ".join(f"PREFIX {p}: <{PREFIX_MAP[p]}>" for p in missing)
        text = head + " " + text
    variables = named.variables if named is not None else shape.variables
    return text, variables, named


def _resolve(query: str | NamedQuery | Path) -> NamedQuery | None:
    if isinstance(query, NamedQuery):
        return query
    if isinstance(query, Path):
        return load_query_file(query)
    q = str(query)
    if re.fullmatch(r"[A-Za-z0-9_\-]+", q):
        return get_query(q)
    if q.endswith(".rq") and "\n" not in q and "{" not in q:
        return load_query_file(q)
    return None


# ------------------------------------------------------------------------------------------
#  Results
# ------------------------------------------------------------------------------------------


def plain(term) -> object:  # noqa: ANN001
    """A term as a plain Python value: str for IRIs and text, int/float for numbers."""
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = term.datatype
        if dt is not None and dt in _INT_TYPES:
            try:
                return int(str(term))
            except ValueError:
                return str(term)
        if dt in (XSD.decimal, XSD.double, XSD.float):
            try:
                v = float(str(term)) if dt != XSD.decimal else float(Decimal(str(term)))
                return (
                    int(v) if dt == XSD.decimal and v.is_integer() and "." not in str(term) else v
                )
            except (ValueError, ArithmeticError):
                return str(term)
        if dt == XSD.boolean:
            return str(term) in ("true", "1")
        return str(term)
    return str(term)


_INT_TYPES = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.byte,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.nonPositiveInteger,
    XSD.negativeInteger,
    XSD.unsignedInt,
    XSD.unsignedLong,
    XSD.unsignedShort,
    XSD.unsignedByte,
}


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[list[object]]  # rdflib terms, or None where a variable is unbound

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a DataFrame of plain values (str/int/float; None where unbound)."""
        import pandas as pd

        return pd.DataFrame(
            [[plain(v) for v in row] for row in self.rows], columns=list(self.variables)
        )

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):  # noqa: ANN204
        return iter(self.rows)

    def to_sparql_json(self) -> dict:
        """The rows as SPARQL 1.1 Query Results JSON (application/sparql-results+json)."""
        if self.variables == ["ask"] and len(self.rows) == 1 and _is_bool(self.rows[0][0]):
            return {"head": {}, "boolean": str(self.rows[0][0]) == "true"}
        bindings = []
        for row in self.rows:
            b = {}
            for name, term in zip(self.variables, row, strict=True):
                if term is None:
                    continue
                if isinstance(term, URIRef):
                    b[name] = {"type": "uri", "value": str(term)}
                elif isinstance(term, BNode):
                    b[name] = {"type": "bnode", "value": str(term)}
                else:
                    v: dict = {"type": "literal", "value": str(term)}
                    if getattr(term, "language", None):
                        v["xml:lang"] = term.language
                    elif getattr(term, "datatype", None):
                        v["datatype"] = str(term.datatype)
                    b[name] = v
            bindings.append(b)
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def records(self) -> list[dict[str, object]]:
        """The rows as dicts of plain values (unbound variables left out)."""
        return [
            {k: plain(v) for k, v in zip(self.variables, row, strict=True) if v is not None}
            for row in self.rows
        ]


def _is_bool(term) -> bool:  # noqa: ANN001
    return isinstance(term, Literal) and term.datatype == XSD.boolean


def _norm(term):  # noqa: ANN001, ANN202
    """Oxigraph types plain strings as xsd:string; rdflib leaves them untyped. Make them equal."""
    if isinstance(term, Literal) and term.datatype == XSD.string and term.language is None:
        return Literal(str(term))
    return term


def _from_rdflib(res, variables: list[str] | None) -> QueryResult:  # noqa: ANN001
    if res.type == "ASK":
        return QueryResult(["ask"], [[Literal(bool(res.askAnswer))]])
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        triples = sorted(res.graph, key=lambda t: tuple(x.n3() for x in t))
        return QueryResult(["subject", "predicate", "object"], [list(t) for t in triples])
    names = [str(v) for v in (res.vars or [])]
    if variables and set(variables) <= set(names):
        names = list(variables)
    rows = []
    for b in res.bindings:
        rows.append([_norm(b.get(_var(n))) for n in names])
    return QueryResult(names, rows)


@lru_cache(maxsize=64)
def _var(name: str):  # noqa: ANN202
    from rdflib import Variable

    return Variable(name)


# ------------------------------------------------------------------------------------------
#  Graphs
# ------------------------------------------------------------------------------------------


def open_graph(backend: str = "store", data_dir: Path | None = None) -> rdflib.Graph:
    """The built graph as an rdflib Graph.

    ``"store"``: the embedded Oxigraph store data_dir/store through oxrdflib (built from kg.nt
    when missing or stale; read-only; SPARQL evaluated by Oxigraph): opens at once, best for one
    query. ``"store-memory"``: the same engine with kg.nt loaded into memory (about 0.4 million
    triples a second), several times faster per query on a large graph: best for a process that
    runs many. ``"memory"``: rdflib's in-memory graph parsed from data_dir/kg.nt (rdflib's own
    SPARQL engine). data_dir defaults to the repository's data/.
    """
    from kg import paths
    from kg.store.local import GRAPH_FILE, StoreError, store_graph

    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    nt = folder / GRAPH_FILE
    if backend in ("store", "store-memory"):
        try:
            return store_graph(folder, in_memory=backend == "store-memory")
        except StoreError as exc:
            raise QueryError(str(exc)) from None
    if backend == "memory":
        import rdflib

        if not nt.exists():
            raise QueryError(f"{nt} not found; run `kg build` first")
        g = rdflib.Graph(bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        g.parse(str(nt), format="nt")
        return g
    raise QueryError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")


_DEFAULT_GRAPH: dict[tuple, rdflib.Graph] = {}


def default_graph() -> rdflib.Graph:
    """The store graph of data/, opened once per process (reopened after a rebuild)."""
    from kg import paths
    from kg.store.local import STAMP_NAME, ensure_store

    folder = paths.data_dir()
    stamp = ensure_store(folder) / STAMP_NAME
    key = (str(folder), stamp.stat().st_mtime_ns)
    if key not in _DEFAULT_GRAPH:
        _DEFAULT_GRAPH.clear()
        _DEFAULT_GRAPH[key] = open_graph("store", folder)
    return _DEFAULT_GRAPH[key]


@lru_cache(maxsize=128)
def _prepared(text: str):  # noqa: ANN202
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def _run_local(graph: rdflib.Graph, text: str, variables: list[str] | None) -> QueryResult:
    from oxrdflib import OxigraphStore

    try:
        if isinstance(graph.store, OxigraphStore):
            res = graph.query(text)
        else:
            res = graph.query(_prepared(text))
    except SyntaxError as exc:  # Oxigraph (checked before; kept for safety)
        raise QueryError(f"syntax error: {exc}") from None
    except QueryError:
        raise
    except Exception as exc:  # rdflib's engine: ParseException, unsupported features
        raise QueryError(f"the query failed: {type(exc).__name__}: {exc}") from None
    return _from_rdflib(res, variables)


# ------------------------------------------------------------------------------------------
#  Remote endpoints (SPARQL 1.1 Protocol)
# ------------------------------------------------------------------------------------------


def _term_from_json(b: dict | None):  # noqa: ANN202
    if b is None:
        return None
    t, v = b.get("type"), b.get("value", "")
    if t == "uri":
        return URIRef(v)
    if t == "bnode":
        return BNode(v)
    lang = b.get("xml:lang")
    dt = b.get("datatype")
    if lang:
        return Literal(v, lang=lang)
    if dt and dt != str(XSD.string):
        return Literal(v, datatype=URIRef(dt))
    return Literal(v)


def _run_endpoint(
    endpoint: str, text: str, variables: list[str] | None, has_from: bool, timeout: float
) -> QueryResult:
    query_url, _ = endpoint_urls(endpoint)
    graphs = [] if has_from else document_graphs(endpoint, timeout=timeout)
    data = sparql_post(query_url, text, graphs, timeout)
    if "boolean" in data:
        return QueryResult(["ask"], [[Literal(bool(data["boolean"]))]])
    names = data.get("head", {}).get("vars", [])
    if variables and set(variables) <= set(names):
        names = list(variables)
    rows = [[_term_from_json(b.get(n)) for n in names] for b in data["results"]["bindings"]]
    return QueryResult(names, rows)


# ------------------------------------------------------------------------------------------
#  The one entry point
# ------------------------------------------------------------------------------------------


def run_query(
    query: str | NamedQuery,
    params: dict[str, str] | None = None,
    graph: rdflib.Graph | None = None,
    endpoint: str | None = None,
    timeout: float = 60.0,
) -> QueryResult:
    """Run a named query (by name or NamedQuery), a .rq file, or SPARQL text.

    On `graph` when given; else on `endpoint` (a SPARQL endpoint URL: the query goes over HTTP,
    its default graph being the merge of the endpoint's source-document graphs, see
    :func:`document_graphs`); else on the embedded store of data/. Parameters are checked and
    bound as RDF terms (see the module's doc). Raises QueryError with a clear message.
    """
    if graph is not None and endpoint is not None:
        raise QueryError("give a graph or an endpoint, not both")
    text, variables, _ = prepare(query, params, local=endpoint is None)
    if endpoint is not None:
        shape = inspect_text(text)
        return _run_endpoint(endpoint, text, variables, shape.dataset_at is not None, timeout)
    return _run_local(graph if graph is not None else default_graph(), text, variables)
