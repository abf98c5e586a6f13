"""Bad input through the command line: clear messages with the line, no traceback.

Every build runs with --source in tmp_path and --out tmp_path/out, so nothing under data/ is
touched.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import pytest

from kg import cli, paths, pipeline
from kg.pipeline import write as outputs

SOURCE = paths.data_dir() / "source.txt"
SECTIONS = ("consultation", "unit_exchange", "students", "research", "multilateral")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    return code, captured.out, captured.err


def build(capsys: pytest.CaptureFixture[str], tmp_path: Path, src: Path) -> tuple[int, str, str]:
    return run_cli(capsys, "build", "--source", str(src), "--out", str(tmp_path / "out"))


def events(tmp_path: Path) -> list[dict[str, str]]:
    text = (tmp_path / "out" / "events.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True, scope="module")
def data_untouched():
    """No test in this file may change data/."""
    before = {p.name: p.stat().st_mtime_ns for p in paths.data_dir().iterdir() if p.is_file()}
    yield
    after = {p.name: p.stat().st_mtime_ns for p in paths.data_dir().iterdir() if p.is_file()}
    assert after == before


# -- unreadable input: exit 2 and "kg: error: …" on stderr -------------------------------------


def test_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "empty.txt"
    src.write_bytes(b"")
    code, out, err = build(capsys, tmp_path, src)
    assert code == 2
    assert err.startswith("kg: error: ")
    assert str(src) in err
    assert "empty" in err
    assert not (tmp_path / "out").exists()


def test_blank_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "blank.txt"
    src.write_text("\n\n  \n", encoding="utf-8")
    code, _, err = build(capsys, tmp_path, src)
    assert code == 2
    assert err.startswith("kg: error: ") and "empty" in err


def test_binary_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "binary.txt"
    src.write_bytes("令和5年度\n二行目\n".encode() + b"abc\x00\x01\x02def\n")
    code, _, err = build(capsys, tmp_path, src)
    assert code == 2
    assert err.startswith("kg: error: ")
    assert f"{src}:3:" in err  # the line holding the first NUL byte
    assert "NUL" in err and "binary" in err


def test_non_utf8_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "sjis.txt"
    # Shift_JIS, as a PDF-to-text tool on Windows might write it; line 1 is plain ASCII
    src.write_bytes(b"header\n" + "防衛省05-①".encode("cp932") + b"\n")
    code, _, err = build(capsys, tmp_path, src)
    assert code == 2
    assert err.startswith("kg: error: ")
    assert f"{src}:2:" in err
    assert "UTF-8" in err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = build(capsys, tmp_path, tmp_path / "nope.txt")
    assert code == 2
    assert err.startswith("kg: error: ") and "nope.txt" in err


def test_report_refuses_the_same_way(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "binary.txt"
    src.write_bytes(b"\x00")
    code, _, err = run_cli(capsys, "report", "--source", str(src), "--out", str(tmp_path / "o"))
    assert code == 2
    assert err.startswith("kg: error: ") and f"{src}:1:" in err


def test_report_on_another_source_leaves_data_quality_json_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`kg report --source X` once overwrote data/quality.json with X's (empty) accounting."""
    quality = paths.data_dir() / "quality.json"
    before = quality.read_bytes()
    src = tmp_path / "tiny.txt"
    src.write_text("令和5年度 事前分析表\n", encoding="utf-8")
    run_cli(capsys, "report", "--source", str(src))
    assert quality.read_bytes() == before
    assert not (tmp_path / "quality.json").exists()
    run_cli(capsys, "report", "--source", str(src), "--out", str(tmp_path))
    assert (tmp_path / "quality.json").exists()


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path, source_text: str) -> None:
    src = tmp_path / "bom_crlf.txt"
    src.write_bytes(b"\xef\xbb\xbf" + source_text.replace("\n", "\r\n").encode("utf-8"))
    texts = outputs.table_texts(pipeline.run(src))
    committed = (paths.data_dir() / "events.csv").read_text(encoding="utf-8")
    assert texts["events.csv"] == committed


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_a_bom_is_read_as_the_same_document(tmp_path: Path, source_text: str, codec):
    src = tmp_path / f"{codec}.txt"
    bom = b"\xfe\xff" if codec == "utf-16-be" else b""  # Python's utf-16 writes its own BOM
    src.write_bytes(bom + source_text.encode(codec))
    result = pipeline.run(src)
    assert result.doc.encoding == "utf-16"
    assert result.doc.sha256 == pipeline.run(SOURCE).doc.sha256  # the same IRIs
    committed = (paths.data_dir() / "events.csv").read_text(encoding="utf-8")
    assert outputs.table_texts(result)["events.csv"] == committed


def test_utf16_without_a_bom_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "utf16le.txt"
    src.write_bytes("令和5年度 事前分析表\nハイレベル交流\n".encode("utf-16-le"))
    code, _, err = run_cli(capsys, "build", "--source", str(src), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "UTF-16" in err and "binary" not in err


# -- a truncated document ----------------------------------------------------------------------


def test_truncated_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source_text: str
) -> None:
    # the first 180 lines: the cut falls inside the FY2022 high-level list (in the 【イギリス】
    # block, whose line 175 ends in the middle of an item)
    src = tmp_path / "head180.txt"
    src.write_text("\n".join(source_text.split("\n")[:180]) + "\n", encoding="utf-8")
    code, _, err = build(capsys, tmp_path, src)
    assert code == 1  # errors, but no crash
    errors = [line for line in err.splitlines() if ": error: " in line]
    for section in SECTIONS:
        assert any(f"section {section} " in line and "not found" in line for line in errors), (
            section,
            err,
        )
    assert all(line.strip().startswith("line ") for line in errors)
    # what was there is still read
    rows = events(tmp_path)
    assert {r["indicator"] for r in rows} == {"high_level"}
    assert {r["fiscal_year"] for r in rows} == {"2019", "2020", "2021", "2022"}
    assert [r for r in rows if r["source_text"].startswith("日英防衛相会談")] == []
    report = json.loads((tmp_path / "out" / "quality.json").read_text(encoding="utf-8"))
    codes = [i["code"] for i in report["issues"] if i["level"] == "error"]
    assert codes.count("missing_section") == len(SECTIONS)


def test_kg_report_says_a_truncated_document_failed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source_text: str
) -> None:
    src = tmp_path / "truncated.txt"
    src.write_text("\n".join(source_text.splitlines()[:180]) + "\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "report", "--source", str(src), "--out", str(tmp_path))
    assert code == 1
    full = tmp_path / "full.txt"
    full.write_text(source_text, encoding="utf-8")
    assert run_cli(capsys, "report", "--source", str(full), "--out", str(tmp_path))[0] == 0


def test_document_without_appendix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source_text: str
) -> None:
    src = tmp_path / "head30.txt"
    src.write_text("\n".join(source_text.split("\n")[:30]) + "\n", encoding="utf-8")
    code, _, err = build(capsys, tmp_path, src)
    assert code == 1
    assert "appendix" in err and "truncated" in err
    assert events(tmp_path) == []
    budget = (tmp_path / "out" / "budget.csv").read_text(encoding="utf-8")
    assert len(budget.splitlines()) == 1 + 18  # the table before the appendix is still read


# -- damage inside the lists: one document, one build ------------------------------------------
# Three independent changes, far apart, built once (a full `kg build` also writes the graph):
#  - line 42: the first 【オーストラリア】 (FY2019's first block) becomes 【アトランティス】;
#  - line 219: 【スペイン】日スペイン副大臣会談（マドリッド）（令和5年1月） loses a closing "）";
#  - line 248: 日ブルネイ副大臣会談（東京）（R5年2月） gets a stray "）" in the middle of the list.
SPAIN_GOOD = "【スペイン】日スペイン副大臣会談（マドリッド）（令和5年1月）"
SPAIN_BAD = "【スペイン】日スペイン副大臣会談（マドリッド（令和5年1月）"
BRUNEI_GOOD = "日ブルネイ副大臣会談（東京）（R5年2月）"
BRUNEI_BAD = "日ブルネイ副大臣会談（東京））（R5年2月）"


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory, source_text: str):
    lines = source_text.split("\n")
    assert "【オーストラリア】" in lines[41]
    lines[41] = lines[41].replace("【オーストラリア】", "【アトランティス】", 1)
    assert lines[218] == SPAIN_GOOD
    lines[218] = SPAIN_BAD
    assert lines[247].count(BRUNEI_GOOD) == 1
    lines[247] = lines[247].replace(BRUNEI_GOOD, BRUNEI_BAD)
    tmp = tmp_path_factory.mktemp("damaged")
    src = tmp / "damaged.txt"
    src.write_text("\n".join(lines), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["build", "--source", str(src), "--out", str(tmp / "out")])
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue(), events(tmp)


def test_damaged_document_builds(damaged) -> None:
    code, out, _, rows = damaged
    assert code == 0  # warnings only
    assert "unexplained items: 0" in out  # every line accounted for
    assert len(rows) == 843  # nothing lost: same count as the real document


def test_unknown_country_block(damaged) -> None:
    _, _, err, rows = damaged
    warnings = [line.strip() for line in err.splitlines() if "アトランティス" in line]
    assert warnings
    assert all(line.startswith("line 42: warning: unknown country block") for line in warnings)
    block = [r for r in rows if r["block"] == "アトランティス"]
    # the block's 7 items, 10 events (see test_counts: FY2019 オーストラリア)
    assert len(block) == 10
    assert all(r["fiscal_year"] == "2019" and r["source_line"] == "42" for r in block)
    assert all("unknown_block" in r["flags"].split(";") for r in block)
    assert [r for r in rows if "unknown_block" in r["flags"] and r not in block] == []
    # no country is invented for it; 日米豪 items still name their partners
    assert {r["countries"] for r in block if "日米豪" not in r["source_text"]} == {""}
    assert {r["countries"] for r in block if "日米豪" in r["source_text"]} == {"AUS|USA"}
    # the FY2020 【オーストラリア】 block on the same line is unaffected
    fy20 = [r for r in rows if r["block"] == "オーストラリア" and r["fiscal_year"] == "2020"]
    assert len(fy20) == 12 and all("AUS" in r["countries"] for r in fy20)


def test_unbalanced_parentheses_at_line_end(damaged) -> None:
    _, _, err, rows = damaged
    assert any(
        line.strip().startswith("line 219: warning: unbalanced parentheses")
        for line in err.splitlines()
    ), err
    spain = [r for r in rows if "unbalanced_parens" in r["flags"] and r["source_line"] == "219"]
    assert len(spain) == 1
    assert spain[0]["block"] == "スペイン"
    assert spain[0]["source_text"] == SPAIN_BAD.removeprefix("【スペイン】")
    # the next block is read as before
    nxt = [r for r in rows if r["block"] == "日英伊"]
    assert [(r["date"], r["countries"], r["source_line"]) for r in nxt] == [
        ("2023-03", "GBR|ITA", "221")
    ]


def test_unbalanced_parenthesis_inside_a_list(damaged) -> None:
    _, _, err, rows = damaged
    assert any(
        line.strip().startswith("line 248: warning: unbalanced parentheses")
        for line in err.splitlines()
    ), err
    flagged = [r for r in rows if "unbalanced_parens" in r["flags"]]
    assert [(r["source_line"], r["block"]) for r in flagged] == [
        ("219", "スペイン"),
        ("248", "ブルネイ"),
    ]
    brunei = [r for r in rows if r["block"] == "ブルネイ" and r["fiscal_year"] == "2022"]
    assert len(brunei) == 3  # the items around it are still split
    assert brunei[2]["source_text"] == BRUNEI_BAD
