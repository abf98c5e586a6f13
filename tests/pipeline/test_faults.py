"""Fault injection: a damaged copy of the source, and what must hold afterwards.

Nothing is lost: every item of a damaged document is a record (flagged), a leftover with its
line (counted in ``unexplained_items``), or the build stops with an error and its line, and a
good build folder is left as it was. Each case changes data/source.txt in one place; the
expected counts are read off the source (quoted beside each).
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from kg import cli, paths, pipeline

SOURCE = paths.data_dir() / "source.txt"
TEXT = SOURCE.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
FOOTER_LINE = 301  # <p>担当部局名</p> … the last row of the document (line 302 is a rule of dashes)
FY2021_HEADING = 114  # ●令和3年度においては、以下のとおり交流を実施した。
FY2022_HEADING = 166  # ●令和4年度においては、…
HEADING_2019 = "●令和元年度においては、以下のとおり交流を実施した。"  # on line 42
# FY2019's first block, line 42: 7 items, 10 events (2 + 1 + 1 + 1 + 1 + 3 + 1 dates)
AUS_2019 = (
    "【オーストラリア】防衛相会談(6月、11月)、第6回日米豪シニア・レベル・セミナー(8月)(統幕長)、"
    "第7回日米豪シニア・リーダーズ・セミナー(8月)(陸幕長)、空軍本部長訪日(9月)、国軍司令官訪日(11月)、"
    "防衛相電話会談(10月、10月、12月)、日米豪防衛相会談(6月)"
)


def cli_run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "damaged.txt") -> Path:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    return src


def replaced(old: str, new: str) -> str:
    assert TEXT.count(old) == 1, old
    return TEXT.replace(old, new)


def without_line(n: int) -> str:
    lines = list(LINES)
    lines[n - 1] = ""
    return "\n".join(lines)


@pytest.fixture(scope="module")
def good():
    return pipeline.run(SOURCE)


def issues(result, code: str) -> list:
    return [i for i in result.issues if i.code == code]


def test_the_source_is_as_these_cases_read_it(good) -> None:
    assert LINES[FOOTER_LINE - 1].startswith("<p>担当部局名</p>")
    assert LINES[FY2021_HEADING - 1].startswith("●令和3年度においては")
    assert LINES[FY2022_HEADING - 1].startswith("●令和4年度においては")
    assert LINES[41].count(HEADING_2019) == 1 and LINES[41].count(AUS_2019) == 1
    assert good.report["unexplained_items"] == 0
    assert [i for i in good.issues if i.level == "error"] == []


# -- after the footer ----------------------------------------------------------------------


def test_an_item_after_the_footer_is_a_leftover_with_its_line(tmp_path: Path, good) -> None:
    src = write(tmp_path, TEXT + "\n<p>【オーストラリア】防衛相会談(6月)</p>\n")
    r = pipeline.run(src)
    left = issues(r, "leftover")
    assert [(i.line, i.text) for i in left] == [(303, "<p>【オーストラリア】防衛相会談(6月)</p>")]
    assert r.report["unexplained_items"] == 1
    assert r.report["totals"] == good.report["totals"]  # the document's own items, as before
    code, out, _ = cli_run("report", "--source", str(src), "--out", str(tmp_path))
    assert code == 1 and "unexplained items: 1" in out


@pytest.mark.parametrize("joint", ["\n", ""], ids=["newline", "no_newline"])
def test_a_document_repeated_is_an_error(tmp_path: Path, good, joint: str) -> None:
    src = write(tmp_path, (TEXT + joint) * 3)
    r = pipeline.run(src)
    errors = [i for i in r.issues if i.level == "error"]
    assert [i.code for i in errors] == ["document_repeated"]
    # the second copy starts after the first's last line (or on it, without a newline between)
    title = next(n for n, ln in enumerate(LINES) if ln.startswith("令和5年度実施施策"))  # 0-based
    assert errors[0].line == len(LINES) + (1 if joint else 0) + title
    assert "after its footer at line 301" in errors[0].message
    # every line of text after the footer is one leftover (the two copies, bar blank lines and
    # rules of dashes): none is silently ignored
    lines = len(LINES) - (0 if joint else 1)
    after = (TEXT + joint) * 3
    rest = after.split("\n")[FOOTER_LINE:]
    text_lines = [ln for ln in rest if ln.strip() and set(ln) - set("-\t ")]
    assert r.report["unexplained_items"] == len(text_lines) > 2 * (lines - 110)
    assert r.report["totals"]["items_seen"] == good.report["totals"]["items_seen"]


# -- fiscal-year headings of the high-level list -------------------------------------------


def test_a_lost_fy_heading_is_an_error_naming_where_the_fy_begins(tmp_path: Path) -> None:
    r = pipeline.run(write(tmp_path, without_line(FY2021_HEADING)))
    errors = [i for i in r.issues if i.level == "error"]
    assert [(i.line, i.code) for i in errors] == [(FY2022_HEADING, "fy_heading_missing")]
    assert "no ●令和3年度 heading" in errors[0].message
    # line 116 is FY2021's first block, 【オーストラリア】 again
    assert "【オーストラリア】 starts again at line 116" in errors[0].message


def test_the_first_fy_heading_lost_leaves_its_items_as_leftovers(tmp_path: Path, good) -> None:
    r = pipeline.run(write(tmp_path, replaced(HEADING_2019, "")))
    errors = [i for i in r.issues if i.level == "error"]
    assert [(i.line, i.code) for i in errors] == [(42, "fy_heading_missing")]
    fy2019 = good.report["sections"]["high_level"]["2019"]["items_seen"]
    assert fy2019 > 100
    assert r.report["unexplained_items"] == fy2019  # each FY2019 item a leftover, none lost
    assert "2019" not in r.report["sections"]["high_level"]
    left = issues(r, "leftover")
    assert {i.line for i in left} == {42}
    assert "防衛相会談(6月、11月)" in {i.text for i in left}


def test_the_last_fy_heading_lost_is_an_error(tmp_path: Path) -> None:
    r = pipeline.run(write(tmp_path, without_line(FY2022_HEADING)))
    errors = [i for i in r.issues if i.level == "error"]
    assert [(i.line, i.code) for i in errors] == [(FY2021_HEADING, "fy_heading_missing")]
    assert "no ●令和4年度 heading" in errors[0].message


# -- a block printed twice -----------------------------------------------------------------


def test_a_duplicated_block_is_flagged_and_warned(tmp_path: Path, good) -> None:
    r = pipeline.run(write(tmp_path, replaced(AUS_2019, AUS_2019 + " " + AUS_2019)))
    items = [i for i in r.extraction.items if "repeated_item" in i.flags]
    assert len(items) == 7 and {i.block for i in items} == {"オーストラリア"}
    events = [e for e in r.events if "repeated_item" in e.flags]
    assert len(events) == 10
    assert len(r.events) == len(good.events) + 10  # the copy is kept, flagged
    warned = issues(r, "repeated_item")
    assert [(i.line, i.level) for i in warned] == [(42, "warning")]
    assert "7 item(s)" in warned[0].message
    assert not any("repeated_item" in e.flags for e in good.events)


# -- an impossible month -------------------------------------------------------------------


@pytest.mark.parametrize("month", ["13月", "0月"])
def test_an_impossible_month_gives_no_date_and_borrows_none(tmp_path: Path, month: str) -> None:
    # line 116 (FY2021 Australia): 日豪防衛相電話会談(5月), then 第9回日豪外務・防衛閣僚協議
    # (「2+2」)(VTC)(6月): an undated item would share the next one's date and mode
    r = pipeline.run(
        write(tmp_path, replaced("日豪防衛相電話会談(5月)", f"日豪防衛相電話会談({month})"))
    )
    [e] = [e for e in r.events if e.source_text == f"日豪防衛相電話会談({month})"]
    assert (e.date, e.mode, e.fiscal_year, e.source_line) == ("", "phone", 2021, 116)
    assert "bad_date" in e.flags and "date_shared" not in e.flags
    assert [(i.line, i.level) for i in issues(r, "bad_date")] == [(116, "warning")]


# -- an unclosed parenthesis ---------------------------------------------------------------


def test_an_unclosed_parenthesis_swallowing_items_is_an_error(tmp_path: Path) -> None:
    r = pipeline.run(write(tmp_path, replaced(AUS_2019, AUS_2019.replace("11月)", "11月", 1))))
    errors = [i for i in r.issues if i.level == "error"]
    assert [(i.line, i.code) for i in errors] == [(42, "unclosed_paren")]
    # 6月, 11月 and the block's 6 other items
    assert "the 8 parts after it would be read as one item" in errors[0].message
    assert "data/rules/fixes.csv" in errors[0].message


# -- the good build folder stays as it was -------------------------------------------------


CASES = {
    "repeated": lambda: TEXT * 2,
    "fy_heading_lost": lambda: without_line(FY2021_HEADING),
    "unclosed_paren": lambda: replaced(AUS_2019, AUS_2019.replace("11月)", "11月", 1)),
    "truncated": lambda: "\n".join(LINES[:180]) + "\n",
}


@pytest.fixture
def build_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/'s files (a good build) as the data folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    for p in paths.data_dir().iterdir():
        if p.is_file():
            shutil.copy2(p, folder / p.name)
        elif p.name in ("rules", "gazetteer"):
            shutil.copytree(p, folder / p.name)
    monkeypatch.setenv("KG_DATA_DIR", str(folder))
    return folder


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_faulty_document_leaves_the_build_folder_alone(
    tmp_path: Path, build_folder: Path, case: str
) -> None:
    src = write(tmp_path, CASES[case]())
    before = {p.name: p.read_bytes() for p in build_folder.iterdir() if p.is_file()}
    code, out, err = cli_run("build", "--source", str(src))
    after = {p.name: p.read_bytes() for p in build_folder.iterdir() if p.is_file()}
    assert code == 2, (out, err)
    assert "nothing was written" in err and "line " in err
    assert after == before
    code, _, _ = cli_run("report", "--source", str(src), "--out", str(tmp_path / "report"))
    assert code == 1
