"""Finding things in the graph by name: search (kg lookup), names as query parameters, and
the closest names when a parameter names nothing.

Every resource of a type of ``data/types.csv`` (an office, a country, a forum, an event …) is
found by its names: its labels and aliases in the graph (``rdfs:label``, ``skos:altLabel``,
``skos:prefLabel``), its code (``jdx:code``, ``skos:notation``) and the names and aliases of
its gazetteer row (``data/gazetteer/*.csv``: the row whose key is the last segment of the IRI;
every ``name_*`` and ``title_*`` column and the ``|``-separated ``aliases``), so an alias added
to a gazetteer or to the graph is found without a code change. Matching is kg.sparql.names'.

>>> hit = lookup("統幕長")[0]  # also 統合幕僚長, "Chief of Staff, Joint Staff"
>>> hit.code, hit.type, hit.level, hit.page
('chief_joint_staff', 'office', 'exact', '/id/position/jp/chief_joint_staff')
>>> [h.code for h in lookup("豪", types="country")]
['AUS']

A named query's parameter given as a name (``actor=統幕長``, ``country=フィリピン``) is resolved
to its code by :func:`resolve_params` (kg.sparql.run.run_query calls it), an ambiguous name is
an error listing the candidates; :func:`param_help` says what values a parameter takes; a value
of the right form that names nothing gets :func:`unknown_values`' message.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from kg import paths
from kg.errors import DataError, QueryError
from kg.model.gazetteer_names import row_names
from kg.model.vocab import PREFIX_IRIS, compact, page_href
from kg.sparql.binding import bind, prepare
from kg.sparql.catalogue import NamedQuery, param_specs
from kg.sparql.names import NameIndex, closest, fits, normalize
from kg.sparql.params import FY_RANGE, PARAM_KINDS, ParamSpec, nt

__all__ = [
    "Hit",
    "Names",
    "TypeInfo",
    "lookup",
    "names",
    "canonical",
    "param_help",
    "resolve_params",
    "types",
    "unknown_values",
]

_JDX = PREFIX_IRIS["jdx"]
_JDXR = PREFIX_IRIS["jdxr"]
_SKOS = PREFIX_IRIS["skos"]
_RDFS = PREFIX_IRIS["rdfs"]
#: The properties whose values name a resource (labels, aliases, codes).
NAME_PROPERTIES = (
    _RDFS + "label",
    _SKOS + "prefLabel",
    _SKOS + "altLabel",
    _SKOS + "notation",
    _JDX + "code",
)
_CODES = (_JDX + "code", _SKOS + "notation")


# ------------------------------------------------------------------------------------------
#  Types
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeInfo:
    """A type of data/types.csv: its name, classes and IRI folder, and its names in ja/en."""

    type: str
    classes: tuple[str, ...]  # class IRIs; a resource of any of them (under `under`) is one
    under: str  # the IRI must start with jdxr: + this ("" for any)
    name_ja: str
    name_en: str


@lru_cache(maxsize=4)
def _types(path: str) -> tuple[TypeInfo, ...]:
    try:
        rows = paths.read_table(path)
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}", file=path) from None
    out: dict[tuple[str, str], TypeInfo] = {}
    for n, r in enumerate(rows, 2):
        prefix, _, local = r.get("class", "").partition(":")
        if not r.get("type") or prefix not in PREFIX_IRIS or not local:
            raise DataError(
                "each row needs a type and a class such as jdx:Forum", file=path, line=n
            )
        key = (r["type"], r.get("under", ""))
        old = out.get(key)
        cls = PREFIX_IRIS[prefix] + local
        classes = (*old.classes, cls) if old else (cls,)
        out[key] = TypeInfo(r["type"], classes, key[1], r.get("name_ja", ""), r.get("name_en", ""))
    return tuple(out.values())


def types() -> tuple[TypeInfo, ...]:
    """The types of data/types.csv, in its order (the order hits of equal score come in)."""
    return _types(str(paths.data_dir() / "types.csv"))


def _check_types(wanted: str | Iterable[str] | None) -> frozenset[str] | None:
    if wanted is None:
        return None
    asked = {wanted} if isinstance(wanted, str) else set(wanted)
    known = {t.type for t in types()}
    unknown = sorted(asked - known)
    if unknown:
        raise QueryError(
            f"unknown type {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
        )
    return frozenset(asked)


# ------------------------------------------------------------------------------------------
#  The names of the graph's resources
# ------------------------------------------------------------------------------------------


@dataclass
class _Entity:
    iri: str
    type: str
    rank: int  # the type's row in data/types.csv
    labels: dict[str, str] = field(default_factory=dict)  # language -> the first label
    code: str = ""
    names: list[tuple[str, str]] = field(default_factory=list)  # (name, language or "")


class Hit(NamedTuple):
    """One resource found: its IRI, type, labels, code, and how well it matched (a named
    tuple: cheap to make by the thousand)."""

    iri: str
    type: str  # a type of data/types.csv: office, country, forum, event …
    label_ja: str
    label_en: str
    code: str  # its jdx:code or skos:notation ("" when it has none): what parameters take
    score: float  # 1.0 exact; prefix 0.8-0.95; substring 0.6-0.75; bigram overlap below 0.5
    level: str  # exact, prefix, substring, overlap ("" when listed without a text)
    matched: str  # the name that matched, as written

    @property
    def page(self) -> str:
        """The resource's page in kg serve (``/id/…``; :func:`kg.model.vocab.page_href`)."""
        return page_href(self.iri) or ""

    @property
    def curie(self) -> str:
        """The IRI shortened with the project's prefixes (``jdxr:country/PHL``)."""
        return compact(self.iri)

    def as_dict(self) -> dict[str, Any]:
        """The hit as a flat dict (the columns of ``kg lookup -f csv``)."""
        return {
            "iri": self.iri,
            "type": self.type,
            "label_ja": self.label_ja,
            "label_en": self.label_en,
            "code": self.code,
            "score": self.score,
            "level": self.level,
            "matched": self.matched,
            "page": self.page,
        }


class Names:
    """The names of every typed resource of one graph, searchable (see :func:`names`)."""

    def __init__(self, entities: list[_Entity]) -> None:
        self.entities = entities
        self.index: NameIndex[tuple[int, str]] = NameIndex()
        for i, e in enumerate(entities):
            for name, lang in e.names:
                self.index.add((i, lang), name)

    def __len__(self) -> int:
        return len(self.entities)

    def _hit(self, i: int, score: float, level: str, matched: str) -> Hit:
        e = self.entities[i]
        ja, en = e.labels.get("ja", ""), e.labels.get("en", "")
        return Hit(e.iri, e.type, ja or e.labels.get("", ""), en, e.code, score, level, matched)

    def search(
        self,
        text: str,
        types: str | Iterable[str] | None = None,
        lang: str | None = None,
        limit: int | None = 20,
    ) -> list[Hit]:
        """Hits for ``text``, best first; see :func:`lookup`."""
        wanted = _check_types(types)
        if lang not in (None, "ja", "en"):
            raise QueryError(f"unknown language {lang!r}: use ja or en")
        ents = self.entities
        if not normalize(text):  # no text: every resource of the types, in the index's order
            chosen = [i for i, e in enumerate(ents) if wanted is None or e.type in wanted]
            shown = chosen if limit is None else chosen[:limit]
            return [self._hit(i, 0.0, "", "") for i in shown]

        def accept(key: tuple[int, str]) -> bool:
            i, name_lang = key
            if wanted is not None and ents[i].type not in wanted:
                return False
            return lang is None or name_lang in ("", lang)

        found = self.index.search(text, limit=limit, accept=accept, unique=lambda k: k[0])
        return [self._hit(m.key[0], m.score, m.level, m.name) for m in found]


_CACHE: weakref.WeakKeyDictionary[Any, Names] = weakref.WeakKeyDictionary()
_STRONG: dict[Any, Names] = {}  # graphs that take no weak reference (a pyoxigraph Store)


def names(
    graph: Any = None,
    endpoint: str | None = None,
    timeout: float = 60.0,
    data_dir: Path | None = None,
) -> Names:
    """The names of the graph's resources (read once per graph object, then reused).

    ``graph``: an rdflib Graph (kg.sparql.run.open_graph) or a pyoxigraph Store (as kg serve's
    workers hold the graph); else ``endpoint``, a SPARQL endpoint; else the embedded store of
    data/. The gazetteers are those of ``data_dir`` when it has a ``gazetteer/`` folder, else
    of data/. For a page: ``names(graph).search(text, types, lang, limit)``, a list of
    :class:`Hit` (the arguments of :func:`lookup`).
    """
    from kg.sparql.run import default_graph

    if graph is None and endpoint is None:
        graph = default_graph()
    key = graph if graph is not None else endpoint
    cache: Any = _CACHE if _weak(key) else _STRONG
    if key in cache:
        return cache[key]
    made = Names(_entities(graph, endpoint, timeout, data_dir))
    if graph is not None:  # an endpoint's graph may change: read it again each time
        cache[key] = made
    return made


def _weak(key: Any) -> bool:
    try:
        weakref.ref(key)
    except TypeError:
        return False
    return True


def _rows(text: str, graph: Any, endpoint: str | None, timeout: float) -> list[list[Any]]:
    from kg.sparql.run import run_query

    return run_query(text, graph=graph, endpoint=endpoint, timeout=timeout).rows


def _cells(
    text: str, graph: Any, endpoint: str | None, timeout: float
) -> list[tuple[tuple[str, str], ...]]:
    """The rows of a SELECT as (lexical value, language) pairs. On the embedded store the
    engine's own terms are read (no rdflib term is made: 30x faster on a big graph)."""
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    store = getattr(graph, "store", None)
    inner = graph if isinstance(graph, ox.Store) else None  # kg serve's workers hold these
    if isinstance(store, OxigraphStore):
        inner = store._inner
    if inner is not None:
        found = inner.query(prepare(text)[0])  # the policy's check, as run_query's
        assert isinstance(found, ox.QuerySolutions)  # a SELECT
        return [tuple((t.value, getattr(t, "language", None) or "") for t in s) for s in found]
    return [
        tuple((str(t), getattr(t, "language", None) or "") for t in row)
        for row in _rows(text, graph, endpoint, timeout)
    ]


def _entities(
    graph: Any, endpoint: str | None, timeout: float, data_dir: Path | None
) -> list[_Entity]:
    table = types()
    classes = sorted({c for t in table for c in t.classes})
    typed: dict[str, set[str]] = {}
    text = f"SELECT ?s ?t WHERE {{ VALUES ?t {{ {' '.join(f'<{c}>' for c in classes)} }} ?s a ?t }}"
    for (s, _), (cls, _) in _cells(text, graph, endpoint, timeout):
        typed.setdefault(s, set()).add(cls)
    ents: dict[str, _Entity] = {}
    for iri, classes_of in typed.items():
        for rank, info in enumerate(table):
            if iri.startswith(_JDXR + info.under) and classes_of & set(info.classes):
                ents[iri] = _Entity(iri, info.type, rank)
                break
    props = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    text = f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {props} }} ?s ?p ?o }}"
    order = {p: i for i, p in enumerate(NAME_PROPERTIES)}
    rows = sorted(_cells(text, graph, endpoint, timeout), key=lambda r: (order[r[1][0]], r[2]))
    for (s, _), (p, _), (value, lang) in rows:
        e = ents.get(s)
        if e is None:
            continue
        if p in _CODES:
            e.code = e.code or value
            lang = ""
        elif p != _SKOS + "altLabel":
            e.labels.setdefault(lang, value)
        e.names.append((value, lang))
    _gazetteer_names(ents, data_dir)
    return sorted(ents.values(), key=lambda e: (e.rank, e.iri))


def _gazetteer_names(ents: dict[str, _Entity], data_dir: Path | None) -> None:
    """Add the names of each gazetteer row to the resource it describes
    (:mod:`kg.model.gazetteer_names`: the resource whose IRI ends with the row's key and whose
    code is the key or whose label is one of the row's names)."""
    by_tail: dict[str, list[_Entity]] = {}
    for e in ents.values():
        by_tail.setdefault(e.iri.rsplit("/", 1)[-1], []).append(e)
    for row in row_names(data_dir):
        found = [*row.names, *((a, "") for a in row.aliases)]
        plain = {normalize(n) for n, _ in found}
        for e in by_tail.get(row.key, ()):
            own = {normalize(v) for v in e.labels.values()}
            if e.code == row.key or own & plain:
                e.names.extend(found)


def lookup(
    text: str,
    types: str | Iterable[str] | None = None,
    lang: str | None = None,
    limit: int | None = 20,
    graph: Any = None,
    endpoint: str | None = None,
) -> list[Hit]:
    """The resources whose names match ``text``, best first.

    ``text``: any part of a label, alias or code, in Japanese or English, any case or width
    (統幕長, 統合幕僚長, "chief of staff, joint staff"; 豪, オーストラリア, Australia; 防衛);
    empty, every resource of ``types``. ``types``: a type of data/types.csv or several
    (office, country, forum, edition, position, organization, place, fy, indicator, budget,
    event, document). ``lang``: match only names in that language ("ja" or "en"; codes and the
    gazetteers' aliases, which carry no language, always count). ``limit``: at most this many
    hits (None: all). A resource comes once, with the name that matched it best; ties keep the
    order of data/types.csv, then of the IRIs.
    ``graph``/``endpoint`` as for :func:`names`. Raises QueryError for an unknown type.
    """
    return names(graph, endpoint).search(text, types, lang, limit)


# ------------------------------------------------------------------------------------------
#  Names as parameter values
# ------------------------------------------------------------------------------------------


def canonical(spec: ParamSpec, hit: Hit) -> str:
    """The value of the parameter's kind that stands for a hit ("" when it has none): what
    :func:`resolve_params` puts for a name (and the published SPARQL page binds the same)."""
    if spec.kind in ("iso3", "slug"):
        return hit.code
    if spec.kind == "fy":
        return hit.iri.rsplit("/", 1)[-1] if hit.type == "fy" else ""
    return hit.iri


def _of_form(spec: ParamSpec, value: str) -> bool:
    try:
        spec.term(value)
    except QueryError:
        return False
    return True


def _shown(hit: Hit, value: str) -> str:
    value = compact(value)  # an IRI as jdxr:…
    labels = " / ".join(x for x in (hit.label_ja, hit.label_en) if x)
    return f"{value} ({labels})" if labels else value


def resolve_params(
    query: NamedQuery,
    params: dict[str, str] | None,
    graph: Any = None,
    endpoint: str | None = None,
    timeout: float = 60.0,
) -> dict[str, str]:
    """The parameters with each name given in place of a code replaced by that code.

    A value of its kind's form (PHL, phl, chief_joint_staff, an IRI) is kept as it is; any
    other value is a name: the resource of the parameter's type (``# param: … KIND:TYPE``)
    named exactly so (any case or width, its punctuation and spaces left out or not, none
    added: kg.sparql.names.fits; label, alias or code) gives its code (ISO3 for iso3,
    jdx:code for slug, the IRI for iri). So 統幕長, 統合幕僚長 and "Chief of Staff, Joint
    Staff" all give ``chief_joint_staff``; フィリピン, Philippines and 比 give ``PHL``.
    QueryError when the name is several resources' (listing them), or nobody's (with the
    resources whose names it is part of, or the closest names: a part of a name is never
    taken for the whole).
    """
    params = dict(params or {})
    pending = [
        s
        for s in param_specs(query)
        if params.get(s.name) not in (None, "") and not _of_form(s, str(params[s.name]))
    ]
    if not pending:
        return params
    index = names(graph, endpoint, timeout)
    for spec in pending:
        value = str(params[spec.name])
        params[spec.name] = _resolve(spec, value, index, query.name)
    return params


def _resolve(spec: ParamSpec, value: str, index: Names, query: str) -> str:
    kinds = [spec.names] if spec.names else None
    hits = [h for h in index.search(value, kinds, limit=None) if canonical(spec, h)]
    firsts: dict[str, Hit] = {}
    for h in hits:
        firsts.setdefault(canonical(spec, h), h)
    exact = {canonical(spec, h) for h in hits if h.level == "exact" and fits(value, h.matched)}
    if len(exact) == 1:
        return exact.pop()
    shown = [_shown(firsts[v], v) for v in list(firsts)[:8]]
    if len(exact) > 1:
        shown = [_shown(firsts[v], v) for v in firsts if v in exact][:8]
        raise QueryError(
            f"{spec.name}={value} is ambiguous in {query}: it names {len(exact)} of type "
            f"{spec.names or 'any'}: {', '.join(shown)}; pass one of these codes"
        )
    try:
        spec.term(value)
        parts = [f"bad value {value!r} for parameter {spec.name!r}"]
    except QueryError as exc:  # its message says what the kind's values look like
        parts = [str(exc)]
    lister = f" (`kg lookup --type {spec.names}` lists them)" if spec.names else ""
    other = [
        h
        for h in (index.search(value, limit=5) if spec.names else [])
        if h.level == "exact" and h.type != spec.names and fits(value, h.matched)
    ]
    if other:  # the exact name of something of another type: say what it is
        it = other[0]
        parts.append(
            f"{value} is a {it.type}, {_shown(it, it.code or it.iri)}, not of type "
            f"{spec.names}{lister}"
        )
    else:
        parts.append(
            f"nor is it a name of {f'any {spec.names}' if spec.names else 'anything'}{lister}"
        )
    partial = [v for v in firsts if firsts[v].level in ("prefix", "substring")]
    if len(partial) > 1:
        shown = [_shown(firsts[v], v) for v in partial[:8]]
        more = f" and {len(partial) - 8} more" if len(partial) > 8 else ""
        lead = "pass one of" if other else "it is ambiguous, part of the names of"
        parts.append(f"{lead} {len(partial)}: {', '.join(shown)}{more}")
    elif shown:
        parts.append(f"did you mean {', '.join(shown[:5])}?")
    raise QueryError("; ".join(parts))


@dataclass(frozen=True)
class ParamHelp:
    """What a parameter takes: its meaning, its form, and its values or how to list them."""

    name: str
    kind: str
    optional: bool
    meaning: str  # the ``# param:`` line's description
    form: str  # what a value of the kind looks like
    values: tuple[str, ...]  # every allowed value, when there are few (fy)
    names: str  # the type its values name ("" when not said)
    lister: str  # the command that lists the values ("" when ``values`` lists them)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "optional": self.optional,
            "meaning": self.meaning,
            "form": self.form,
            "values": list(self.values),
            "names": self.names,
            "lister": self.lister,
            "text": self.text(),
        }

    def text(self) -> str:
        """One line: the values, or the form, the names accepted and the command listing them."""
        if self.values:
            return "values: " + ", ".join(self.values)
        accepts = f"{self.form}"
        if self.names:
            accepts += f"; or a name or alias of one ({self.names}, ja or en)"
        return f"values: {accepts}" + (f"; list them: {self.lister}" if self.lister else "")


def param_help(query: NamedQuery) -> list[ParamHelp]:
    """Each parameter of a named query with its meaning and allowed values (kg query --list and
    the query page of kg serve show these)."""
    out = []
    for s in param_specs(query):
        values: tuple[str, ...] = ()
        if s.kind == "fy":
            values = tuple(str(y) for y in range(FY_RANGE[0], FY_RANGE[1] + 1))
        lister = f"kg lookup --type {s.names}" if s.names and not values else ""
        out.append(
            ParamHelp(
                s.name,
                s.kind,
                s.optional,
                s.description,
                PARAM_KINDS[s.kind].looks,
                values,
                s.names,
                lister,
            )
        )
    return out


# ------------------------------------------------------------------------------------------
#  A value of the right form that names nothing
# ------------------------------------------------------------------------------------------


def _values(text: str, graph: Any, endpoint: str | None, timeout: float) -> list[str]:
    return sorted({str(r[0]) for r in _rows(text, graph, endpoint, timeout) if r and r[0]})


def _exists(term: Any, graph: Any, endpoint: str | None, timeout: float) -> bool:
    from rdflib import URIRef

    from kg.sparql.run import run_query

    if isinstance(term, URIRef):
        text = f"ASK {{ {{ {nt(term)} ?p ?o }} UNION {{ ?s ?p {nt(term)} }} }}"
    else:
        text = f"ASK {{ ?s <{_JDX}code> {nt(term)} }}"
    return bool(run_query(text, graph=graph, endpoint=endpoint, timeout=timeout).boolean)


def _closest(
    spec: ParamSpec, given: str, term: Any, graph: Any, endpoint: str | None, timeout: float
) -> list[str]:
    """The values of the parameter's kind nearest to what was given, best first."""
    if spec.kind in ("iso3", "slug"):
        kinds = [spec.names] if spec.names else None
        hits = names(graph, endpoint, timeout).search(given, kinds, limit=None)
        return list(dict.fromkeys(h.code for h in hits if h.code))[:5]
    if spec.kind == "iri":
        iri = str(term)
        head = _JDXR + iri[len(_JDXR) :].split("/", 1)[0] + "/"
        text = f'SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{head}")) }}'
        iris = _values(text, graph, endpoint, timeout)
        tails = {i[len(_JDXR) :]: i for i in iris}
        return [compact(tails[t]) for t in closest(iri[len(_JDXR) :], tails)]
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
        if spec.kind == "date":  # a value, not a name of something in the graph
            continue
        if _exists(term, graph, endpoint, timeout):
            editions = _values(
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
        near = _closest(spec, given, term, graph, endpoint, timeout)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        messages.append(f"nothing in the graph is {spec.name}={given} ({nt(term)}){hint}")
    return messages
