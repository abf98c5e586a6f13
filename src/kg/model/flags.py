"""The flag glossary: what each quality flag means, in ja and en, and whether it asks for a check.

The glossary is data (``data/flags.csv``: ``flag,kind,meaning_ja,meaning_en``); ``kind`` is
``informational`` (how the record was read: nothing to do) or ``check`` (a reading a person
should confirm against the document). A flag that carries a fiscal year
(``executed_not_stated_2022``) has one row with ``{fy}`` in its name and meanings.

>>> describe("multi_date").kind
'informational'
>>> describe("executed_not_stated_2022").meaning_en
'the budget table states no executed amount for FY2022'
>>> describe("no_such_flag") is None
True

``kg report --flags`` prints the glossary; kg serve's pages show a flag's meaning beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from kg import paths
from kg.errors import DataError

__all__ = ["KINDS", "Flag", "describe", "glossary"]

#: The kinds of flag: how the record was read, or a reading to confirm.
KINDS = ("informational", "check")
_PLACEHOLDER = "{fy}"


@dataclass(frozen=True)
class Flag:
    """One glossary row (with ``{fy}`` filled in when got through :func:`describe`)."""

    flag: str
    kind: str  # informational | check
    meaning_ja: str
    meaning_en: str
    row: str = ""  # the glossary row it comes from (``executed_not_stated_{fy}``)

    @property
    def asks_check(self) -> bool:
        return self.kind == "check"


@lru_cache(maxsize=4)
def _read(path: str) -> tuple[Flag, ...]:
    try:
        rows = paths.read_table(path)
    except OSError as exc:
        raise DataError(
            f"cannot read the flag glossary: {exc.strerror or exc}", file=path
        ) from None
    out = []
    seen = set()
    for n, r in enumerate(rows, 2):
        name = r.get("flag", "")
        flag = Flag(name, r.get("kind", ""), r.get("meaning_ja", ""), r.get("meaning_en", ""), name)
        if not re.fullmatch(r"[a-z][a-z0-9_]*(\{fy\})?", flag.flag):
            raise DataError(f"bad flag name {flag.flag!r}", file=path, line=n)
        if flag.kind not in KINDS:
            raise DataError(
                f"{flag.flag}: kind must be one of {', '.join(KINDS)}", file=path, line=n
            )
        if not flag.meaning_ja or not flag.meaning_en:
            raise DataError(f"{flag.flag}: give its meaning in ja and en", file=path, line=n)
        if flag.flag in seen:
            raise DataError(f"{flag.flag} is listed twice", file=path, line=n)
        seen.add(flag.flag)
        out.append(flag)
    return tuple(out)


def glossary(path: str | Path | None = None) -> tuple[Flag, ...]:
    """Every row of the glossary (``data/flags.csv`` unless ``path``), in its order."""
    return _read(str(path or paths.data_dir() / "flags.csv"))


def describe(flag: str, path: str | Path | None = None) -> Flag | None:
    """The glossary entry of a flag as it appears on a record, ``{fy}`` filled in; None when
    the glossary has no row for it."""
    for row in glossary(path):
        if row.flag == flag:
            return row
        if _PLACEHOLDER in row.flag:
            head, tail = row.flag.split(_PLACEHOLDER, 1)
            m = re.fullmatch(re.escape(head) + r"(\d{4})" + re.escape(tail), flag)
            if m:
                fy = m.group(1)
                return replace(
                    row,
                    flag=flag,
                    meaning_ja=row.meaning_ja.replace(_PLACEHOLDER, fy),
                    meaning_en=row.meaning_en.replace(_PLACEHOLDER, fy),
                )
    return None
