"""The named queries: files ``queries/NAME.rq`` whose leading comment block says what they answer.

::

    # name: country_timeline
    # question-ja: ある国とのすべての出来事を日付順に
    # question-en: Every event with one country, in date order
    # param: country iso3 ?country -- 相手国 / counterpart country (ISO3, or NATO, EU, ASEAN)
    # param: fy fy ?fiscalYear optional -- 年度 / fiscal year (2019-2022)
    # returns: ?date ?indicator ?actor ?counterpart ?mode ?forum ?place ?text
    # example: kg query country_timeline --param country=PHL
    # note: free text, any number of lines

The ``param:`` lines are read by kg.sparql.params; ``returns:`` must agree with what the query
selects (checked on loading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import paths
from kg.errors import QueryError
from kg.sparql.names import closest
from kg.sparql.params import ParamSpec, parse_params
from kg.sparql.shape import inspect_text


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
    note: str = ""  # the caveats of the answer (``# note:`` lines), shown with it


_HEADER = re.compile(r"#\s*([A-Za-z][A-Za-z-]*)\s*:\s?(.*)")


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


def _load(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read {path}: {exc}") from None
    h = _header(text)
    shape = inspect_text(text)
    params = {p.name: p.kind for p in parse_params(h.get("param", []), str(path))}
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
        note=" ".join(h.get("note", [])),
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
    close = closest(name or "", known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise QueryError(
        f"no named query {name!r}{hint} (known: {', '.join(known)}; `kg query --list`)"
    )


def param_specs(query: NamedQuery) -> list[ParamSpec]:
    """The parameters of a named query, with kind, bound variable, optionality, description."""
    return parse_params(_header(query.text).get("param", []), str(query.path))


def resolve(query: str | NamedQuery | Path) -> NamedQuery | None:
    """The NamedQuery a name, a .rq path or a NamedQuery stands for; None for SPARQL text."""
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
