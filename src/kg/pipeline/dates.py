"""The fiscal-year date rule: a month printed without a year belongs to the FY that holds it."""

from __future__ import annotations

import re

from kg.model.records import DateSpec, MonthDate

# 令和N年M月, RN年M月, R N年M月 and a bare M月.  Reiwa N is calendar year 2018 + N.
MONTH = r"(?:(?:令和|R\s*)(?P<era>元|\d{1,2})\s*年\s*)?(?P<month>\d{1,2})\s*月"
_MONTH_RE = re.compile(rf"^\s*{MONTH}\s*$")
_PERIOD_RE = re.compile(r"^\s*(?P<a>.+?)\s*[～~〜]\s*(?P<b>.+?)\s*$")


class DateError(ValueError):
    pass


def reiwa_year(era: str) -> int:
    return 2019 if era == "元" else 2018 + int(era)


def fy_month(month: int, fiscal_year: int) -> int:
    """Calendar year of ``month`` in FY ``fiscal_year`` (April to March)."""
    if not 1 <= month <= 12:
        raise DateError(f"month {month} out of range")
    return fiscal_year if month >= 4 else fiscal_year + 1


def parse_month(token: str, fiscal_year: int) -> MonthDate:
    m = _MONTH_RE.match(token)
    if not m:
        raise DateError(f"not a month: {token!r}")
    month = int(m["month"])
    if m["era"] is not None:
        if not 1 <= month <= 12:
            raise DateError(f"month {month} out of range")
        return MonthDate(reiwa_year(m["era"]), month, token.strip(), True)
    return MonthDate(fy_month(month, fiscal_year), month, token.strip(), False)


def in_fiscal_year(d: MonthDate, fiscal_year: int) -> bool:
    return (fiscal_year, 4) <= (d.year, d.month) <= (fiscal_year + 1, 3)


def parse_date_token(token: str, fiscal_year: int) -> DateSpec:
    """A month or a period; a period's end follows its start even across the FY end."""
    p = _PERIOD_RE.match(token)
    if p:
        start = parse_month(p["a"], fiscal_year)
        end = parse_month(p["b"], fiscal_year)
        if (end.year, end.month) < (start.year, start.month) and not end.explicit_year:
            end = MonthDate(end.year + 1, end.month, end.printed, False)
        return DateSpec(start, end)
    return DateSpec(parse_month(token, fiscal_year))


def is_date_group(content: str) -> bool:
    """True when every 、-separated part of a parenthesis is a month or a period."""
    parts = [p for p in re.split(r"[、,]", content)]
    if not parts or any(not p.strip() for p in parts):
        return False
    for part in parts:
        p = _PERIOD_RE.match(part)
        pieces = [p["a"], p["b"]] if p else [part]
        if not all(_MONTH_RE.match(x) for x in pieces):
            return False
    return True


def parse_date_group(content: str, fiscal_year: int) -> list[DateSpec]:
    return [parse_date_token(p, fiscal_year) for p in re.split(r"[、,]", content)]
