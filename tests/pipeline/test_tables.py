"""The CSV tables and the quality report: committed files equal a fresh build, and every value
follows the table contract (docs/CONTRACT.md, "Tables the build writes")."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from kg import paths, pipeline
from kg.pipeline import write as outputs
from kg.pipeline.flow import BuildResult

DATA = paths.data_dir()

EVENT_COLUMNS = [
    "id",
    "indicator",
    "fiscal_year",
    "block",
    "seq",
    "date",
    "jp_actor",
    "countries",
    "counterpart",
    "kind",
    "mode",
    "forum",
    "forum_edition",
    "location",
    "source_text",
    "source_line",
    "flags",
]
STUDENT_COLUMNS = ["fiscal_year", "direction", "country", "count"]
BUDGET_COLUMNS = ["item_no", "name", "fiscal_year", "budget", "executed", "review_no"]

INDICATORS = {"high_level", "consultation", "unit_exchange", "research", "multilateral"}
JP_ACTORS = {
    "minister",
    "state_minister",
    "parliamentary_vice_minister",
    "vice_minister",
    "vice_minister_international",
    "chief_joint_staff",
    "chief_gsdf",
    "chief_msdf",
    "chief_asdf",
}
KINDS = {"meeting", "visit_abroad", "visit_to_japan", "signing", "exercise", "other"}
MODES = {"in_person", "phone", "video", "hybrid"}
ORGANIZATIONS = {"NATO", "EU", "ASEAN"}
# ISO 3166-1 alpha-3 codes of every country the document names (checked against the standard,
# not read from the gazetteer).  JPN is a valid code but must never appear in `countries`.
ISO3 = set(
    re.findall(
        r"[A-Z]{3}",
        """ARE AUS AUT BEL BGD BGR BHR BRA BRN CAN CHL CHN COL CZE DEU DJI DNK EGY ESP EST ETH FIN
        FJI FRA FSM GBR IDN IND IRN ISR ITA JAM JOR KAZ KHM KOR LAO LKA LTU LVA MDV MEX MMR MNG MYS
        NLD NOR NZL OMN PAK PER PHL PLW PNG POL QAT ROU RUS SAU SGP SLB SVN SWE THA TKM TLS TON TUR
        UKR USA VNM VUT ZAF""",
    )
)
FY_RANGE = range(2019, 2023)


@pytest.fixture(scope="module")
def texts(build: BuildResult) -> dict[str, str]:
    return outputs.table_texts(build)


def rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    data = list(reader)
    return list(reader.fieldnames or []), data


@pytest.fixture(scope="module")
def events(texts: dict[str, str]) -> list[dict[str, str]]:
    return rows(texts["events.csv"])[1]


# -- committed outputs equal a fresh build --------------------------------------------------------


@pytest.mark.parametrize("name", ["events.csv", "students.csv", "budget.csv", "quality.json"])
def test_committed_file_equals_fresh_build(texts: dict[str, str], name: str) -> None:
    committed = (DATA / name).read_bytes().decode("utf-8")
    assert committed == texts[name], f"data/{name} is stale: run `kg build`"


def test_building_twice_gives_identical_text(texts: dict[str, str]) -> None:
    again = outputs.table_texts(pipeline.run())
    assert again == texts


def test_files_are_utf8_with_unix_newlines(texts: dict[str, str]) -> None:
    for name, text in texts.items():
        assert "\r" not in text, name
        assert text.endswith("\n"), name
        assert not text.startswith("\ufeff"), name


# -- columns ---------------------------------------------------------------------------------


def test_columns_exactly_as_the_contract(texts: dict[str, str]) -> None:
    assert rows(texts["events.csv"])[0] == EVENT_COLUMNS
    assert rows(texts["students.csv"])[0] == STUDENT_COLUMNS
    assert rows(texts["budget.csv"])[0] == BUDGET_COLUMNS
    for name in ("events.csv", "students.csv", "budget.csv"):
        header = texts[name].split("\n", 1)[0]
        assert header == ",".join(rows(texts[name])[0])


def test_every_row_has_every_column(texts: dict[str, str]) -> None:
    for name in ("events.csv", "students.csv", "budget.csv"):
        header, data = rows(texts[name])
        for r in data:
            assert None not in r and len(r) == len(header), (name, r)


# -- events.csv values ------------------------------------------------------------------------


def test_event_ids_unique_and_stable_shape(events: list[dict[str, str]]) -> None:
    ids = [r["id"] for r in events]
    assert len(ids) == len(set(ids)) == 843
    short = {"high_level": "hl", "consultation": "dc", "unit_exchange": "ux", "research": "rx",
             "multilateral": "md"}  # fmt: skip
    for r in events:
        assert re.fullmatch(rf"{r['fiscal_year']}-{short[r['indicator']]}-[0-9a-f]{{10}}", r["id"])


def test_event_codes(events: list[dict[str, str]]) -> None:
    for r in events:
        assert r["indicator"] in INDICATORS, r
        assert int(r["fiscal_year"]) in FY_RANGE, r
        assert r["jp_actor"] == "" or r["jp_actor"] in JP_ACTORS, r
        assert r["kind"] in KINDS, r
        assert r["mode"] == "" or r["mode"] in MODES, r
        assert r["forum_edition"] == "" or (
            r["forum_edition"].isdigit() and int(r["forum_edition"]) > 0
        ), r
        assert r["flags"] == "" or all(
            re.fullmatch(r"[a-z0-9_]+", f) for f in r["flags"].split(";")
        )
        flags = r["flags"].split(";") if r["flags"] else []
        assert flags == sorted(set(flags)), r


def test_event_countries(events: list[dict[str, str]]) -> None:
    for r in events:
        if not r["countries"]:
            assert "no_country" in r["flags"], r
            continue
        codes = r["countries"].split("|")
        assert codes == sorted(set(codes)), r
        assert "JPN" not in codes, r
        for c in codes:
            assert c in ISO3 or c in ORGANIZATIONS, (c, r["source_text"])


def test_every_country_code_is_used_correctly(events: list[dict[str, str]]) -> None:
    used = {c for r in events for c in r["countries"].split("|") if c}
    assert used <= ISO3 | ORGANIZATIONS
    assert used >= ORGANIZATIONS


def test_event_dates_inside_their_fy(events: list[dict[str, str]]) -> None:
    for r in events:
        if not r["date"]:
            assert "no_date" in r["flags"] or "cancelled" in r["flags"], r
            continue
        m = re.fullmatch(r"(\d{4})-(\d{2})", r["date"])
        assert m, r
        year, month = int(m[1]), int(m[2])
        assert 1 <= month <= 12
        fy = int(r["fiscal_year"])
        assert (fy, 4) <= (year, month) <= (fy + 1, 3), r


def test_event_seq_is_source_order_within_its_block(events: list[dict[str, str]]) -> None:
    blocks: dict[tuple[str, str, str], list[int]] = {}
    order: list[tuple[str, str, str]] = []
    for r in events:
        key = (r["indicator"], r["fiscal_year"], r["block"])
        if key not in blocks:
            order.append(key)
        elif order[-1] != key:
            pytest.fail(f"block {key} is not contiguous")
        blocks.setdefault(key, []).append(int(r["seq"]))
    for key, seqs in blocks.items():
        assert seqs == sorted(seqs), key
        assert sorted(set(seqs)) == list(range(1, len(set(seqs)) + 1)), key


def test_event_source_text_and_line(build: BuildResult, events: list[dict[str, str]]) -> None:
    lines = build.doc.lines
    for r in events:
        n = int(r["source_line"])
        assert 1 <= n <= len(lines)
        assert r["source_text"] and r["source_text"] == r["source_text"].strip()
        if "page_joined" not in r["flags"]:
            # the verbatim item is on its line, as printed
            assert r["source_text"] in lines[n - 1], r


def test_event_counterparts_and_labels(events: list[dict[str, str]]) -> None:
    for r in events:
        for label in filter(None, r["counterpart"].split("|")):
            assert label.strip() == label and "(" not in label, r
        assert r["location"] == r["location"].strip()


def test_fy_order(events: list[dict[str, str]]) -> None:
    # within each indicator the FYs come in order
    for ind in INDICATORS:
        fys = [int(r["fiscal_year"]) for r in events if r["indicator"] == ind]
        assert fys == sorted(fys), ind
        assert set(fys) == set(FY_RANGE), ind


# -- students.csv ----------------------------------------------------------------------------


def test_students_values(texts: dict[str, str]) -> None:
    _, data = rows(texts["students.csv"])
    assert len(data) == 124
    for r in data:
        assert int(r["fiscal_year"]) in FY_RANGE
        assert r["direction"] in ("inbound", "outbound")
        assert r["country"] == "TOTAL" or r["country"] in ISO3, r
        assert r["count"].isdigit() and int(r["count"]) > 0, r
    totals = [(r["fiscal_year"], r["direction"]) for r in data if r["country"] == "TOTAL"]
    assert len(totals) == len(set(totals)) == 8
    keys = [(r["fiscal_year"], r["direction"], r["country"]) for r in data]
    assert len(keys) == len(set(keys))


# -- budget.csv ------------------------------------------------------------------------------


def test_budget_values(texts: dict[str, str]) -> None:
    _, data = rows(texts["budget.csv"])
    assert len(data) == 18  # 5 lines + the total, FY2020-2022
    assert [r["item_no"] for r in data] == [n for n in "12345" for _ in range(3)] + ["total"] * 3
    assert [r["fiscal_year"] for r in data] == ["2020", "2021", "2022"] * 6
    for r in data:
        assert r["budget"].isdigit()
        if r["fiscal_year"] == "2022":
            assert r["executed"] == ""  # not stated (※1)
        else:
            assert r["executed"].isdigit()
        assert re.fullmatch(r"03(0[89]|1[012])", r["review_no"]) or (
            r["item_no"] == "total" and r["review_no"] == ""
        )


# -- quality.json ------------------------------------------------------------------------------


def test_quality_json(texts: dict[str, str]) -> None:
    report = json.loads(texts["quality.json"])
    assert set(report["sections"]) == INDICATORS | {"students"}
    assert report["totals"]["events"] == 843
    assert report["unexplained_items"] == 0
    assert report["lines"]["total"] == 302
    assert sum(report["lines"]["by_role"].values()) == 302
    assert "leftover" not in report["lines"]["by_role"]
    for issue in report["issues"]:
        assert issue["level"] in ("info", "warning", "error")
        assert isinstance(issue["line"], int)
    assert not [i for i in report["issues"] if i["level"] == "error"]
