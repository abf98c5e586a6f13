"""Parameters of named queries: their kinds, their ``# param:`` lines, values made RDF terms.

``param: NAME KIND[:TYPE] ?VARIABLE [optional] -- description``: the value given for NAME is
checked against KIND (see :data:`PARAM_KINDS`) and turned into an RDF term; kg.sparql.prepare
binds it to ?VARIABLE. TYPE (a type of data/types.csv, e.g. ``slug:office``) says what the
values name, so that a name or alias may be given instead of the code (kg.sparql.lookup
resolves it) and ``kg lookup --type TYPE`` lists the values; iso3 names a ``country`` and fy a
``fy`` without saying so. A value is never pasted into a query as text: it must first pass
its kind's pattern, and what enters the query is the term's N-Triples form (:func:`nt`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from kg.errors import QueryError
from kg.model.vocab import JDXR

JDXR_IRI = str(JDXR)

FY_RANGE = (2019, 2022)
ORGANIZATIONS = ("NATO", "EU", "ASEAN")
DATE_PATTERN = r"[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?"
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


def _date(value: str) -> Literal:
    v = value.strip()
    if not re.fullmatch(DATE_PATTERN, v):
        raise ValueError("expected a date YYYY-MM-DD or a month YYYY-MM, e.g. 2021-01")
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

    pattern: str  # a value's exact (canonical) form
    convert: Callable[[str], Any]  # a command-line value (more lenient: phl, FY2022) -> RDF term
    looks: str  # what a value looks like, for messages
    #: What a form accepts: the forms ``convert`` takes (an HTML ``pattern``, "v" flag); kg serve
    #: and the query page take what kg query takes, and ``convert`` decides.
    form: str = ""


PARAM_KINDS = {
    "iso3": ParamKind(
        r"[A-Z]{3}|" + "|".join(ORGANIZATIONS),
        _iso3,
        "ISO3 country code or NATO/EU/ASEAN, e.g. PHL",
        r"[A-Za-z]{3}|[Nn][Aa][Tt][Oo]|[Ee][Uu]|[Aa][Ss][Ee][Aa][Nn]",
    ),
    "fy": ParamKind(
        "|".join(str(y) for y in range(FY_RANGE[0], FY_RANGE[1] + 1)),
        _fy,
        f"fiscal year {FY_RANGE[0]}-{FY_RANGE[1]}, e.g. 2022",
        "(?:[Ff][Yy])?(?:" + "|".join(str(y) for y in range(FY_RANGE[0], FY_RANGE[1] + 1)) + ")",
    ),
    "slug": ParamKind(
        r"[a-z_]{1,64}",
        _slug,
        "code of lower-case letters and underscores, e.g. minister",
        r"[a-z_]{1,64}",
    ),
    "date": ParamKind(DATE_PATTERN, _date, "date YYYY-MM-DD or month YYYY-MM, e.g. 2021-01"),
    "iri": ParamKind(
        re.escape(JDXR_IRI) + r"[A-Za-z0-9_\-.\/]{1,200}",  # also a valid HTML `pattern`
        _iri,
        f"IRI starting with {JDXR_IRI} (or jdxr:…)",
        r"(?:jdxr:|<?" + re.escape(JDXR_IRI) + r")[A-Za-z0-9_\-.\/]{1,200}>?",
    ),
}


#: What the values of a kind name when its ``param:`` line gives no TYPE.
KIND_TYPES = {"iso3": "country", "fy": "fy"}


@dataclass(frozen=True)
class ParamSpec:
    name: str
    kind: str
    variable: str
    optional: bool
    description: str
    names: str = ""  # the type of data/types.csv its values name ("" when not said)

    def term(self, value: str):  # noqa: ANN201 (an rdflib term)
        """The RDF term for a command-line value; QueryError when the value is not of the kind."""
        convert = PARAM_KINDS[self.kind].convert
        if not isinstance(value, str):
            value = str(value)
        try:
            return convert(value)
        except ValueError as exc:
            raise QueryError(f"bad value {value!r} for parameter {self.name!r}: {exc}") from None


_PARAM = re.compile(
    r"(?P<name>[a-z][a-z0-9_]*)\s+(?P<kind>[a-z0-9]+)(?::(?P<names>[a-z_]+))?"
    r"\s+\?(?P<var>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?P<opt>\s+optional)?\s*(?:--\s*(?P<desc>.*))?\Z"
)


def parse_params(lines: list[str], where: str) -> list[ParamSpec]:
    """The ParamSpecs of a header's ``# param:`` lines; QueryError naming `where` for a bad one."""
    specs = []
    for raw in lines:
        m = _PARAM.fullmatch(raw)
        if not m:
            raise QueryError(
                f"{where}: bad '# param:' line {raw!r}; expected "
                "'# param: NAME KIND[:TYPE] ?VARIABLE [optional] -- description'"
            )
        if m["kind"] not in PARAM_KINDS:
            raise QueryError(
                f"{where}: parameter {m['name']!r} has unknown kind {m['kind']!r} "
                f"(known: {', '.join(PARAM_KINDS)})"
            )
        names = m["names"] or KIND_TYPES.get(m["kind"], "")
        specs.append(
            ParamSpec(m["name"], m["kind"], m["var"], bool(m["opt"]), m["desc"] or "", names)
        )
    return specs


def nt(term) -> str:  # noqa: ANN001
    """The N-Triples form of a term (the only way a value enters the query text)."""
    if isinstance(term, URIRef):
        iri = str(term)
        if not _IRI_SAFE.match(iri):
            raise QueryError(f"refusing to bind IRI {iri!r}")
        return f"<{iri}>"
    if isinstance(term, Literal):
        return term.n3()
    raise QueryError(f"cannot bind {term!r}")
