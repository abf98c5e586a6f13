"""The fiscal-year date rule (kg.dates).

A month printed without a year belongs to the FY that holds it: April-December fall in the
FY's first calendar year, January-March in the next.  令和N年M月, RN年M月 and "R N年M月"
name the calendar year 2018 + N outright (令和元年 = 2019).  A period's end follows its
start, even across the FY end.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.pipeline import dates as D
from kg.pipeline.located import fold

FYS = st.integers(min_value=2019, max_value=2030)
MONTHS = st.integers(min_value=1, max_value=12)


# -- bare months: the FY rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "fy", "year"),
    [
        (4, 2019, 2019),
        (5, 2019, 2019),
        (12, 2019, 2019),
        (1, 2019, 2020),
        (2, 2019, 2020),
        (3, 2019, 2020),
        (4, 2022, 2022),
        (3, 2022, 2023),
    ],
)
def test_bare_month_resolves_inside_the_fy(month: int, fy: int, year: int) -> None:
    d = D.parse_month(f"{month}月", fy)
    assert (d.year, d.month) == (year, month)
    assert d.explicit_year is False
    assert d.iso == f"{year:04d}-{month:02d}"


def test_fy_month_boundaries() -> None:
    assert [D.fy_month(m, 2020) for m in range(1, 13)] == [2021] * 3 + [2020] * 9


@pytest.mark.parametrize("month", [0, 13, 99])
def test_fy_month_rejects_impossible_months(month: int) -> None:
    with pytest.raises(D.DateError):
        D.fy_month(month, 2020)


@pytest.mark.parametrize("token", ["0月", "13月", "令和5年13月", "R4年0月", "東京", "", "月"])
def test_parse_month_rejects_non_months(token: str) -> None:
    with pytest.raises(D.DateError):
        D.parse_month(token, 2022)


def test_date_error_is_a_value_error() -> None:
    assert issubclass(D.DateError, ValueError)


# -- months with an explicit Reiwa year --------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "iso"),
    [
        ("令和2年1月", "2020-01"),
        ("令和3年3月", "2021-03"),
        ("令和4年1月", "2022-01"),
        ("令和5年3月", "2023-03"),
        ("R4年1月", "2022-01"),
        ("R5年2月", "2023-02"),
        ("R 5年2月", "2023-02"),  # a space after R is allowed
        ("令和元年5月", "2019-05"),
        ("令和元年12月", "2019-12"),
    ],
)
def test_explicit_era_month(token: str, iso: str) -> None:
    # The FY argument does not matter when the year is printed.
    for fy in (2019, 2022, 2030):
        d = D.parse_month(token, fy)
        assert d.iso == iso
        assert d.explicit_year is True
        assert d.printed == token


def test_full_width_text_parses_after_folding() -> None:
    assert D.parse_month(fold("令和５年３月"), 2022).iso == "2023-03"
    assert D.parse_month(fold("Ｒ４年２月"), 2021).iso == "2022-02"
    assert D.parse_month(fold("１１月"), 2021).iso == "2021-11"


def test_reiwa_year() -> None:
    assert D.reiwa_year("元") == 2019
    assert D.reiwa_year("1") == 2019
    assert D.reiwa_year("2") == 2020
    assert D.reiwa_year("5") == 2023


def test_in_fiscal_year() -> None:
    assert D.in_fiscal_year(D.MonthDate(2019, 4, "4月", False), 2019)
    assert D.in_fiscal_year(D.MonthDate(2020, 3, "3月", False), 2019)
    assert not D.in_fiscal_year(D.MonthDate(2019, 3, "3月", False), 2019)
    assert not D.in_fiscal_year(D.MonthDate(2020, 4, "4月", False), 2019)


# -- periods -----------------------------------------------------------------------------------


def test_period_inside_the_calendar_year() -> None:
    # ジブチ軍に対する災害対処能力強化支援(10月～12月), FY2019
    spec = D.parse_date_token("10月～12月", 2019)
    assert spec.start.iso == "2019-10"
    assert spec.end is not None and spec.end.iso == "2019-12"


def test_period_crossing_new_year_with_explicit_end() -> None:
    # ジブチ軍に対する災害対処能力強化支援(11月～R5年1月), FY2022
    spec = D.parse_date_token("11月～R5年1月", 2022)
    assert spec.start.iso == "2022-11"
    assert spec.end is not None and spec.end.iso == "2023-01"
    assert spec.end.explicit_year


def test_period_end_follows_its_start_across_the_fy_end() -> None:
    # パンフィック・パートナーシップ(3月～5月), FY2019: March is in FY2019's second calendar
    # year (2020); May, read alone, would be 2019-05, before its start, so it moves to 2020-05.
    spec = D.parse_date_token("3月～5月", 2019)
    assert spec.start.iso == "2020-03"
    assert spec.end is not None and spec.end.iso == "2020-05"
    assert (spec.end.year, spec.end.month) > (spec.start.year, spec.start.month)


def test_period_with_other_tildes() -> None:
    for tilde in ("～", "~", "〜"):
        spec = D.parse_date_token(f"6月{tilde}7月", 2022)
        assert spec.start.iso == "2022-06"
        assert spec.end is not None and spec.end.iso == "2022-07"


def test_single_month_has_no_end() -> None:
    spec = D.parse_date_token("9月", 2022)
    assert spec.start.iso == "2022-09"
    assert spec.end is None


# -- date groups: the parenthesis that holds the dates ----------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "6月",
        "6月、11月",
        "10月、10月、12月",
        "9月、11月、令和2年1月",
        "10月～12月",
        "6月～7月、8月～9月",
        "R5年2月",
        "R 5年2月",
        "11月～R5年1月",
    ],
)
def test_is_date_group(content: str) -> None:
    assert D.is_date_group(content)


@pytest.mark.parametrize(
    "content",
    [
        "",
        "東京",
        "中止",
        "VTC",
        "統幕長",
        "6月、",
        "、6月",
        "6月、東京",
        "シンガポール(第19回シャングリラ会合)",
        "IP22",
        "第19回",
    ],
)
def test_is_not_date_group(content: str) -> None:
    assert not D.is_date_group(content)


def test_parse_date_group_keeps_every_date_in_order() -> None:
    specs = D.parse_date_group("9月、11月、令和2年1月", 2019)
    assert [s.start.iso for s in specs] == ["2019-09", "2019-11", "2020-01"]
    # the same month printed twice is two dates (防衛相電話会談(10月、10月、12月))
    specs = D.parse_date_group("10月、10月、12月", 2019)
    assert [s.start.iso for s in specs] == ["2019-10", "2019-10", "2019-12"]
    specs = D.parse_date_group("6月～7月、8月～9月", 2022)
    assert [(s.start.iso, s.end.iso if s.end else None) for s in specs] == [
        ("2022-06", "2022-07"),
        ("2022-08", "2022-09"),
    ]


# -- properties --------------------------------------------------------------------------------


@given(FYS, MONTHS)
def test_bare_month_always_lies_inside_its_fy(fy: int, month: int) -> None:
    d = D.parse_month(f"{month}月", fy)
    assert D.in_fiscal_year(d, fy)
    assert d.month == month
    assert d.year == (fy if month >= 4 else fy + 1)


@given(FYS, MONTHS)
def test_bare_month_full_width_is_the_same(fy: int, month: int) -> None:
    full = str(month).translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "月"
    assert D.parse_month(fold(full), fy) == D.parse_month(f"{month}月", fy)


@given(
    st.integers(min_value=2019, max_value=2060), MONTHS, FYS, st.sampled_from(["令和", "R", "R "])
)
def test_explicit_era_month_round_trips(year: int, month: int, fy: int, prefix: str) -> None:
    n = year - 2018
    token = f"{prefix}{n}年{month}月"
    d = D.parse_month(token, fy)
    assert (d.year, d.month) == (year, month)
    assert d.explicit_year
    # printing it back as 令和 gives the same date
    era = "元" if n == 1 else str(n)
    again = D.parse_month(f"令和{era}年{d.month}月", fy)
    assert (again.year, again.month) == (year, month)


@given(FYS, MONTHS, MONTHS)
def test_period_end_never_precedes_its_start(fy: int, a: int, b: int) -> None:
    spec = D.parse_date_token(f"{a}月～{b}月", fy)
    assert spec.end is not None
    assert D.in_fiscal_year(spec.start, fy)
    assert (spec.end.year, spec.end.month) >= (spec.start.year, spec.start.month)
    # and it is the first such month: less than a year after the start
    months_between = (spec.end.year - spec.start.year) * 12 + spec.end.month - spec.start.month
    assert 0 <= months_between < 12


@given(FYS, st.lists(MONTHS, min_size=1, max_size=6))
def test_date_group_of_bare_months(fy: int, months: list[int]) -> None:
    content = "、".join(f"{m}月" for m in months)
    assert D.is_date_group(content)
    specs = D.parse_date_group(content, fy)
    assert [s.start.month for s in specs] == months
    assert all(D.in_fiscal_year(s.start, fy) for s in specs)
