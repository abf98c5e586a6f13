"""Normalization: offices resolved, inferred and shared, each flagged on the event it touches.

Expected values come from reading data/source.txt (lines cited), not from the program's output.
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from kg import paths
from kg.model.records import Event
from kg.pipeline.flow import BuildResult


def by_text(build: BuildResult, text: str) -> list[Event]:
    return [e for e in build.events if e.source_text.startswith(text)]


def high_level(build: BuildResult, fy: int) -> list[Event]:
    return [e for e in build.events if e.indicator == "high_level" and e.fiscal_year == fy]


# -- the Japanese side of a 2+2 (issue 11, item 2) ----------------------------------------------

# Every 外務・防衛閣僚会合 / 協議 / 級会議 the document prints (the foreign and defense ministers'
# meetings), with its FY, country and date, read off lines 42-229.
TWO_PLUS_TWO = {
    ("外務・防衛閣僚会合「2+2」(11月)", 2019, "IND", "2019-11"),
    ("外務・防衛閣僚級会議「2+2」(5月)", 2019, "RUS", "2019-05"),
    ("第2回外務・防衛閣僚会合「2+2」(令和3年3月)", 2020, "IDN", "2021-03"),
    ("第4回外務・防衛閣僚会合「2+2」(VTC)(令和3年2月)", 2020, "GBR", "2021-02"),
    ("第9回日豪外務・防衛閣僚協議(「2+2」)(VTC)(6月)", 2021, "AUS", "2021-06"),
    ("第6回日仏外務・防衛閣僚会合(「2+2」)(VTC)(令和4年1月)", 2021, "FRA", "2022-01"),
    ("第1回日独外務・防衛閣僚会合(「2+2」)(VTC)(4月)", 2021, "DEU", "2021-04"),
    ("第2回日印外務・防衛閣僚会合(「2+2」)(東京)(9月)", 2022, "IND", "2022-09"),
    ("第10回日豪外務・防衛閣僚協議", 2022, "AUS", "2022-12"),
    ("第2回日独外務・防衛閣僚会合（「2+2」）（ハイブリッド）（11月）", 2022, "DEU", "2022-11"),
    ("第1回日フィリピン外務・防衛閣僚会合（4月）", 2022, "PHL", "2022-04"),
}


def test_every_two_plus_two_has_the_minister_flagged_inferred(build: BuildResult) -> None:
    found = [e for e in build.events if "外務・防衛閣僚" in e.source_text]
    assert {(e.source_text, e.fiscal_year, "|".join(e.countries), e.date) for e in found} == (
        TWO_PLUS_TWO
    )
    assert all(e.jp_actor == "minister" and "actor_inferred" in e.flags for e in found)
    # and the rule is data: the keyword table says which words imply which office
    rows = list(csv.DictReader((paths.data_dir() / "rules" / "keywords.csv").open()))
    assert {(r["keyword"], r["value"]) for r in rows if r["field"] == "implied_jp_actor"} == {
        ("外務・防衛閣僚", "minister")
    }


def test_the_uk_two_plus_two_by_video_is_among_the_ministers_fy2020_video_talks(
    build: BuildResult,
) -> None:
    # FY2020 minister's video meetings (lines 42-110): the UK 2+2 by VTC (令和3年2月) is one.
    videos = [
        e
        for e in build.events
        if e.fiscal_year == 2020 and e.jp_actor == "minister" and e.mode == "video"
    ]
    assert "第4回外務・防衛閣僚会合「2+2」(VTC)(令和3年2月)" in {e.source_text for e in videos}


def test_no_office_is_inferred_where_the_document_names_none_implied(build: BuildResult) -> None:
    # "第5 回日加次官級「2 + 2」対話" (FY2021, line 128) is a vice-ministerial 2+2, and the
    # 外務・防衛当局間協議 are consultations between officials: no minister for them.
    vice = [e for e in build.events if "日加次官級" in e.source_text]
    assert len(vice) == 1 and vice[0].jp_actor != "minister"
    officials = [e for e in build.events if "外務・防衛当局間協議" in e.source_text]
    assert officials and not any("actor_inferred" in e.flags for e in officials)
    assert sum("actor_inferred" in e.flags for e in build.events) == len(TWO_PLUS_TWO)


# -- one position per foreign office (issue 11, item 3) ---------------------------------------

# Each printed variant the gazetteer resolves (data/gazetteer/positions.csv), with the events
# that print it, read off the document: (country, printed title) -> (position, events).
VARIANTS = {
    # 統幕長と英国防参謀長とのテレビ会談(7月) FY2020 and (10月) FY2021
    ("GBR", "国防参謀長"): ("GBR/chief_of_the_defence_staff", 2),
    # 英第1海軍卿訪日(7月), FY2021
    ("GBR", "第1海軍卿"): ("GBR/first_sea_lord_and_chief_of_naval_staff", 1),
    # 統幕長カナダ訪問(カナダ軍参謀総長との会談)(10月), FY2022
    ("CAN", "軍参謀総長"): ("CAN/chief_of_general_staff", 1),
    # 統幕長とアラブ首長国連邦国軍参謀総長とのテレビ会談(令和3年3月), FY2020
    ("ARE", "国軍参謀総長"): ("ARE/chief_of_staff_armed_forces", 1),
    # 【オーストラリア】国軍司令官訪日(11月), FY2019
    ("AUS", "国軍司令官"): ("AUS/chief_of_defence_force", 1),
    # 【フィリピン】参謀長訪日(12月), FY2019
    ("PHL", "参謀長"): ("PHL/chief_of_general_staff", 1),
    # 【マレーシア】海軍参謀長訪日(6月), FY2019
    ("MYS", "海軍参謀長"): ("MYS/commander_navy", 1),
    # 【フランス】陸軍参謀総長訪日(4月), FY2019
    ("FRA", "陸軍参謀総長"): ("FRA/chief_of_army_staff", 1),
    # 空幕長とフランス空軍参謀長との電話会談(6月), FY2020
    ("FRA", "空軍参謀長"): ("FRA/chief_of_staff_air_and_space_force", 1),
    # 【ドイツ】政務次官訪日(10月), FY2019
    ("DEU", "政務次官"): ("DEU/parliamentary_state_secretary_defence", 1),
}


def test_each_printed_variant_resolves_to_its_office(build: BuildResult) -> None:
    flagged = [e for e in build.events if "title_variant" in e.flags]
    assert len(flagged) == sum(n for _, n in VARIANTS.values())
    got: Counter[tuple[str, str]] = Counter()
    for e in flagged:
        for key, printed in zip(e.counterparts, e.counterparts_printed, strict=True):
            for (country, title), (position, _) in VARIANTS.items():
                if key == position and printed.endswith(title):
                    got[(country, title)] += 1
    assert dict(got) == {k: n for k, (_, n) in VARIANTS.items()}


def test_the_positions_table_merges_only_within_a_country(build: BuildResult) -> None:
    gz = build.gazetteer
    assert {(p.country, a) for p in gz.positions.values() for a in p.aliases} == set(VARIANTS)
    for (country, title), p in gz.positions.items():
        assert country in gz.countries and title in gz.titles
        assert p.name_en and p.note
        # an alias is a title the title gazetteer knows, so the text search finds it
        assert all(gz.title_index.get(a) for a in p.aliases), p
    # India's 国防参謀長 (Chief of Defence Staff) stays India's: the UK alias is the UK's only.
    india = [e for e in build.events if "IND/chief_of_defence_staff" in e.counterparts]
    assert india and not any("title_variant" in e.flags for e in india)


def test_the_uk_chief_of_the_defence_staff_is_one_counterpart(build: BuildResult) -> None:
    # 統幕長と英国防参謀総長 5 times (FY2021 7月; FY2022 4月, 5月, 7月, 令和5年3月) and
    # 統幕長と英国防参謀長 twice (FY2020 7月, FY2021 10月): 7 meetings, one position.
    met = [
        e
        for e in build.events
        if e.jp_actor == "chief_joint_staff" and any(c.startswith("GBR/") for c in e.counterparts)
    ]
    assert {c for e in met for c in e.counterparts} == {"GBR/chief_of_the_defence_staff"}
    assert len(met) == 7
    assert sorted(p for e in met for p in e.counterparts_printed) == sorted(
        ["英国防参謀長"] * 2 + ["英国防参謀総長"] * 5
    )


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("統幕長カナダ訪問(カナダ軍参謀総長との会談)", "カナダ軍参謀総長"),
        ("統幕長と英国防参謀長とのテレビ会談(7月)", "英国防参謀長"),
        ("国軍司令官訪日(11月)", "国軍司令官"),
    ],
)
def test_the_printed_form_stays_on_the_event(build: BuildResult, text: str, printed: str) -> None:
    (e, *_) = by_text(build, text)
    assert printed in e.counterparts_printed
    assert printed in e.source_text


# -- stated vs assumed modes (issue 11, item 4) -------------------------------------------------


def test_a_mode_the_document_does_not_print_is_flagged_assumed(build: BuildResult) -> None:
    # 【英国】 of 令和元年度 (line 42): 空幕長英国訪問(7月), 国防事務次官訪日(9月),
    # 防衛相電話会談(11月), 空幕長英国訪問(1月): one mode printed (電話), three assumed in person.
    uk19 = [e for e in high_level(build, 2019) if e.block == "英国"]
    assert sorted((e.mode, "mode_assumed" in e.flags) for e in uk19) == [
        ("in_person", True),
        ("in_person", True),
        ("in_person", True),
        ("phone", False),
    ]
    # 【英国】 of 令和2年度: 2+2 (VTC), 防衛相電話会談 (4月、令和3年3月), 防衛相テレビ会談, 統幕長…
    # テレビ会談, 海幕長…テレビ会談 (9月、令和3年3月): 7 stated; 空幕長と英空軍参謀長(5月) prints
    # no mode (nor a kind): assumed in person.
    uk20 = [e for e in high_level(build, 2020) if e.block == "英国"]
    assumed = [e.source_text for e in uk20 if "mode_assumed" in e.flags]
    assert len(uk20) == 8 and assumed == ["空幕長と英空軍参謀長(5月)"]
    assert all(e.mode == "in_person" for e in uk20 if "mode_assumed" in e.flags)


def test_only_in_person_is_ever_assumed(build: BuildResult) -> None:
    # The document never prints 対面 (in person): every in-person mode is the convention's.
    assert "対面" not in (paths.data_dir() / "source.txt").read_text(encoding="utf-8")
    for e in build.events:
        assert ("mode_assumed" in e.flags) == (e.mode == "in_person"), e.source_text


# -- one edition per meeting (issue 11, item 1) -------------------------------------------------

# The four meetings printed both among the FY2022 high-level items, with their number, and in
# the multilateral list of line 298, without one: (forum, number, month, multilateral text).
ONE_MEETING_TWO_SECTIONS = [
    ("shangri_la_dialogue", 19, "2022-06", "IISSアジア安全保障会議(シャングリラ会合)(6月)"),
    ("admm_plus", 9, "2022-11", "閣僚会合(11月)"),
    ("japan_asean_defence_ministers_meeting", 7, "2022-06", "日ASEAN防衛担当大臣会合(6月)"),
    ("japan_asean_vice_ministerial_forum", 12, "2023-03", "防衛省主催・日ASEAN防衛当局次官級会合"),
]


@pytest.mark.parametrize(("forum", "number", "month", "text"), ONE_MEETING_TWO_SECTIONS)
def test_a_meeting_printed_in_two_sections_is_one_edition(
    build: BuildResult, forum: str, number: int, month: str, text: str
) -> None:
    mentions = [e for e in build.events if e.forum == forum and e.fiscal_year == 2022]
    assert {e.edition_key for e in mentions if e.date == month} == {str(number)}
    (listed,) = [e for e in mentions if e.indicator == "multilateral" and e.date == month]
    assert listed.source_text.startswith(text)
    assert listed.forum_edition == number and "edition_inferred" in listed.flags
    # the high-level items print the number themselves: nothing inferred there
    printed = [e for e in mentions if e.indicator == "high_level" and e.date == month]
    assert printed and all(f"第{number}回" in e.source_text for e in printed)
    assert not any("edition_inferred" in e.flags for e in printed)


def test_one_forum_fy_and_month_is_one_edition(build: BuildResult) -> None:
    keys: dict[tuple[str, str], set[str]] = {}
    for e in build.events:
        if e.forum and e.date:
            keys.setdefault((e.forum, e.date), set()).add(e.edition_key)
    assert all(len(k) == 1 for k in keys.values()), {f: k for f, k in keys.items() if len(k) > 1}
    # line 294: 対テロEWG(4月、6月、9月、10月、12月) are five meetings, five editions
    ct = {e.edition_key for e in build.events if e.forum == "admm_plus_ewg_counter_terrorism"}
    assert {k for k in ct if k.startswith("2019")} == {
        "2019-04", "2019-06", "2019-09", "2019-10", "2019-12",
    }  # fmt: skip
    # only the four meetings above take a number they do not print
    assert sum("edition_inferred" in e.flags for e in build.events) == 4
