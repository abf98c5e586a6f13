"""Each tricky case of the source document, checked on the real build (kg.pipeline.run()).

Events are looked up by their verbatim source text and their 1-based source line, so that every
test names the place in data/source.txt it is about.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import paths, pipeline
from kg.model.records import Event
from kg.pipeline.flow import BuildResult

SOURCE = paths.data_dir() / "source.txt"


def find(build: BuildResult, text: str, line: int | None = None, **fields: object) -> list[Event]:
    """Events whose verbatim source text contains ``text`` (on ``line``, with ``fields``)."""
    out = [
        e
        for e in build.events
        if text in e.source_text
        and (line is None or e.source_line == line)
        and all(getattr(e, k) == v for k, v in fields.items())
    ]
    assert out, f"no event with {text!r} on line {line} and {fields}"
    return out


def one(build: BuildResult, text: str, line: int | None = None, **fields: object) -> Event:
    found = find(build, text, line, **fields)
    assert len(found) == 1, [(e.source_text, e.date) for e in found]
    return found[0]


def issues(build: BuildResult, code: str, line: int | None = None) -> list:
    return [i for i in build.issues if i.code == code and (line is None or i.line == line)]


# -- several dates in one parenthesis ----------------------------------------------------------


def test_two_months_make_two_events(build: BuildResult) -> None:
    # 【オーストラリア】防衛相会談(6月、11月), FY2019, line 42
    evs = find(build, "防衛相会談(6月、11月)", 42, fiscal_year=2019, block="オーストラリア")
    assert [e.date for e in evs] == ["2019-06", "2019-11"]
    for e in evs:
        assert e.source_text == "防衛相会談(6月、11月)"
        assert e.jp_actor == "minister"
        assert e.countries == ["AUS"]
        assert e.kind == "meeting"
        assert e.mode == "in_person"
        assert "multi_date" in e.flags
    assert evs[0].seq == evs[1].seq
    assert evs[0].id != evs[1].id


def test_same_month_twice_makes_two_events(build: BuildResult) -> None:
    evs = find(build, "防衛相電話会談(10月、10月、12月)", 42, fiscal_year=2019)
    assert [e.date for e in evs] == ["2019-10", "2019-10", "2019-12"]
    assert {e.mode for e in evs} == {"phone"}
    assert {e.block for e in evs} == {"オーストラリア"}
    assert len({e.id for e in evs}) == 3


def test_explicit_year_among_bare_months(build: BuildResult) -> None:
    evs = find(build, "防衛相会談(9月、11月、令和2年1月)", 42, block="インド")
    assert [e.date for e in evs] == ["2019-09", "2019-11", "2020-01"]


# -- items cut by a page break ---------------------------------------------------------------


def test_item_split_over_page_break_fy2022_uk(build: BuildResult) -> None:
    # line 175 ends "…海幕長と英第1海軍卿兼海軍参謀長との", a vertical "4年度(続き)" header
    # follows, and line 185 begins "会談（（シドニー・豪州）IP22）（5月）".
    e = one(build, "英第1海軍卿兼海軍参謀長との会談（（シドニー", fiscal_year=2022)
    assert e.source_line == 175
    assert e.source_text.startswith("海幕長と英第1海軍卿兼海軍参謀長との")
    assert e.source_text.endswith("会談（（シドニー・豪州）IP22）（5月）")
    assert e.block == "イギリス"
    assert e.date == "2022-05"
    assert e.jp_actor == "chief_msdf"
    assert e.countries == ["GBR"]
    assert e.counterpart_labels == ["英国第1海軍卿兼海軍参謀長"]
    assert e.forum_label == "インド太平洋国際海洋博覧会"  # IP22
    assert e.location == "sydney" and e.location_label == "シドニー"
    assert "page_joined" in e.flags
    assert "fragment" not in e.flags
    # nothing is left over as an item of its own on line 185
    assert not [
        x for x in build.events if x.source_line == 185 and x.source_text.startswith("会談")
    ]
    assert not [x for x in build.events if x.source_line == 175 and x.date == ""]


def test_item_split_inside_its_date_fy2022_malaysia(build: BuildResult) -> None:
    # line 237 ends "…空幕長とマレーシア空軍司令官との会談（R", line 247 begins "5年2月）".
    e = one(build, "空幕長とマレーシア空軍司令官との会談（R", fiscal_year=2022)
    assert e.source_line == 237
    assert e.date == "2023-02"
    assert e.jp_actor == "chief_asdf"
    assert e.countries == ["MYS"]
    assert "page_joined" in e.flags
    assert not [x for x in build.events if x.source_line == 247 and x.source_text.startswith("5年")]
    # the next item, on line 247, is the vice-minister's visit
    v = one(build, "マレーシア国防次官訪日", 247)
    assert v.date == "2023-03" and v.kind == "visit_to_japan"


def test_item_split_before_its_date_fy2020_india(build: BuildResult) -> None:
    # line 42 ends "…統幕長とインド国防参謀長との電話会談</p> <p>2年度</p>", line 46 "(11月)、…"
    e = one(build, "統幕長とインド国防参謀長との電話会談", fiscal_year=2020)
    assert e.source_line == 42
    assert e.source_text == "統幕長とインド国防参謀長との電話会談(11月)"
    assert e.date == "2020-11"
    assert e.mode == "phone"
    assert e.jp_actor == "chief_joint_staff"
    assert e.countries == ["IND"]
    assert "page_joined" in e.flags
    assert "no_date" not in e.flags


def test_fragment_whose_head_was_lost(build: BuildResult) -> None:
    # line 138 (after the vertical "3年度(続き)" header) begins with the tail of an item whose
    # head is not in the document: "令官との会談(ドバイ)(11月)".
    e = one(build, "令官との会談(ドバイ)(11月)", 138)
    assert e.source_text == "令官との会談(ドバイ)(11月)"
    assert e.fiscal_year == 2021
    assert e.block == "カナダ"
    assert e.date == "2021-11"
    assert e.location_label == "ドバイ"
    assert "fragment" in e.flags
    assert issues(build, "fragment", 138)
    # the rest of line 138 reads normally (the one flag: a 防衛相会談 is one with Canada's
    # Minister of National Defence, data/rules/keywords.csv, now that her holder is known)
    assert one(build, "日加防衛相テレビ会談(12月)", 138).flags == ["counterpart_inferred"]


def test_noise_before_an_item(build: BuildResult) -> None:
    # line 139: "【ニュージーランド】21.4 日ニュージーランド防衛相テレビ会談(4月)"
    e = one(build, "日ニュージーランド防衛相テレビ会談(4月)", 139)
    assert e.source_text.startswith("21.4 ")  # verbatim
    assert "noise_removed" in e.flags
    assert e.fiscal_year == 2021
    assert e.block == "ニュージーランド"
    assert e.date == "2021-04"
    assert e.jp_actor == "minister"
    assert e.countries == ["NZL"]
    assert e.kind == "meeting"
    assert e.mode == "video"


# -- spelling fixes --------------------------------------------------------------------------


def test_phnom_penh_misspelt(build: BuildResult) -> None:
    e = one(build, "ブノンベン", 248)
    assert e.block == "ブルネイ"
    assert e.location == "phnom_penh"
    assert e.location_label == "プノンペン"
    assert e.forum_label == "日ASEAN防衛担当大臣会合"
    assert e.forum_edition == 7
    assert "spelling_fixed" in e.flags
    assert "ブノンベン" in e.source_text  # the source text stays verbatim


def test_pacific_partnership_misspelt(build: BuildResult) -> None:
    evs = find(build, "パンフィック・パートナーシップ", indicator="multilateral")
    assert {e.fiscal_year for e in evs} == {2019, 2022}
    for e in evs:
        assert e.forum_label == "パシフィック・パートナーシップ"
        assert "spelling_fixed" in e.flags


# -- one printed date shared by two items ------------------------------------------------------


def test_date_shared_by_two_items(build: BuildResult) -> None:
    # "日印防衛相会談、第2回日印外務・防衛閣僚会合(「2+2」)(東京)(9月)", FY2022, line 167
    first = one(build, "日印防衛相会談", 167, fiscal_year=2022, source_text="日印防衛相会談")
    second = one(build, "第2回日印外務・防衛閣僚会合", 167)
    assert first.seq + 1 == second.seq
    for e in (first, second):
        assert e.date == "2022-09"
        assert e.location_label == "東京"
        assert e.countries == ["IND"]
        assert e.kind == "meeting"
    assert "date_shared" in first.flags
    assert "date_shared" not in second.flags
    assert first.jp_actor == "minister"
    assert second.ordinal == 2


def test_visit_and_meeting_in_one_clause(build: BuildResult) -> None:
    # "統幕長訪印、印国防参謀長と会談(ニューデリー(ライシナ対話))(令和5年3月)": a visit and a
    # meeting, two events (kg.pipeline.normalize.Normalizer.join): the visit takes the date and
    # place printed after the meeting (date_shared), the meeting the visit's Japanese office,
    # 統幕長 (actor_shared); the meeting's counterpart is India's Chief of Defence Staff.
    visit = one(build, "統幕長訪印", 167)
    meeting = one(build, "印国防参謀長と会談", 167)
    assert visit.source_text == "統幕長訪印"
    assert meeting.source_text == "印国防参謀長と会談(ニューデリー(ライシナ対話))(令和5年3月)"
    assert (visit.kind, meeting.kind) == ("visit_abroad", "meeting")
    assert visit.jp_actor == meeting.jp_actor == "chief_joint_staff"
    assert "actor_shared" in meeting.flags and "actor_shared" not in visit.flags
    assert "date_shared" in visit.flags and "date_shared" not in meeting.flags
    assert visit.countries == meeting.countries == ["IND"]
    assert visit.counterparts == []
    assert meeting.counterparts == ["IND/chief_of_defence_staff"]
    assert meeting.counterpart_labels == ["インド国防参謀長"]
    for e in (visit, meeting):
        assert e.date == "2023-03"
        assert e.forum_label == "ライシナ対話"
        assert e.location_label == "ニューデリー"
    assert meeting.seq == visit.seq + 1
    assert not [x for x in build.events if "clause_joined" in x.flags]


def test_two_counterparts_listed_with_comma(build: BuildResult) -> None:
    # "統幕長と豪国防軍司令官、豪統合作戦司令官との会談(シドニー(インド太平洋参謀長会議))(7月)"
    e = one(build, "統幕長と豪国防軍司令官、豪統合作戦司令官との会談", 173)
    assert e.date == "2022-07"
    assert len(e.counterparts) == 2
    assert e.forum_label == "インド太平洋参謀長会議"
    assert e.location_label == "シドニー"
    assert "list_joined" in e.flags


# -- countries ---------------------------------------------------------------------------------


def test_trilateral_japan_us_australia(build: BuildResult) -> None:
    for text, line in [
        ("日米豪防衛相会談(6月)", 42),
        ("日米豪防衛相テレビ会談(7月)", 42),
        ("第6回日米豪シニア・レベル・セミナー(8月)(統幕長)", 42),
        ("日米豪海軍種3国間懇談(ハワイ)(海幕長)(令和4年2月)", 116),
        ("日米豪防衛相会談(ハワイ)(10月)", 174),
        ("日米豪安全保障・防衛協力会合", 265),
    ]:
        for e in find(build, text, line):
            assert e.countries == ["AUS", "USA"], text


def test_trilateral_block(build: BuildResult) -> None:
    # the 【日米豪】 block of FY2022 names its countries in the heading
    evs = find(build, "", 174, block="日米豪")
    assert len(evs) == 4
    assert all(e.countries == ["AUS", "USA"] for e in evs)


def test_trilateral_japan_us_korea(build: BuildResult) -> None:
    for text, line in [
        ("日米韓防衛相会談(6月、11月)", 42),
        ("日米韓参謀総長級テレビ会談(11月)", 42),
        ("日米韓参謀総長会議(VTC)(11月)", 64),
        ("日米韓防衛相会談(シンガポール(第19回シャングリラ会合))(6月)", 168),
        ("日米韓防衛当局局長級会議", 267),
    ]:
        for e in find(build, text, line):
            assert e.countries == ["KOR", "USA"], text
    # a bilateral item in the same block stays bilateral
    assert one(build, "日韓次官級会談", 168).countries == ["KOR"]


def test_block_of_three_countries(build: BuildResult) -> None:
    e = one(build, "日英伊防衛相会談", 221)
    assert e.block == "日英伊"
    assert e.countries == ["GBR", "ITA"]
    assert e.date == "2023-03"
    assert e.jp_actor == "minister"


def test_other_block_takes_countries_from_the_item(build: BuildResult) -> None:
    evs = find(build, "", 261, block="その他")
    assert [e.countries for e in evs] == [
        ["DJI"],
        ["BGD"],
        ["BGD"],
        ["COL"],
        ["CHL"],
        ["PER"],
        ["DJI"],
    ]
    assert [e.date for e in evs] == ["2022-05", "2022-07"] + ["2022-11"] * 4 + ["2023-02"]
    assert not [i for i in build.issues if i.code == "unknown_block" and i.line == 261]


def test_japan_is_never_a_counterpart_country(build: BuildResult) -> None:
    assert not [e for e in build.events if "JPN" in e.countries]


# -- the Japanese participant -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "actor"),
    [
        ("第6回日米豪シニア・レベル・セミナー(8月)(統幕長)", 42, "chief_joint_staff"),
        ("第7回日米豪シニア・リーダーズ・セミナー(8月)(陸幕長)", 42, "chief_gsdf"),
        ("第8回日米豪シニア・リーダーズ・セミナー(VTC)(陸幕長)", 42, "chief_gsdf"),
        ("日米豪海軍種3国間懇談(ハワイ)(海幕長)", 116, "chief_msdf"),
        ("第10回日米豪シニア・リーダーズ・セミナー(アデレード)(陸幕長)(8月)", 174, "chief_gsdf"),
    ],
)
def test_japanese_participant_in_trailing_parenthesis(
    build: BuildResult, text: str, line: int, actor: str
) -> None:
    e = one(build, text, line)
    assert e.jp_actor == actor


@pytest.mark.parametrize(
    ("text", "line", "actor"),
    [
        ("大臣政務官ニュージーランド訪問(6月)", 42, "parliamentary_vice_minister"),
        ("副大臣パプアニューギニア訪問", 42, "state_minister"),
        ("防衛審議官ベトナム訪問(11月)", 42, "vice_minister_international"),
        ("防衛事務次官訪伊", 205, "vice_minister"),
        ("統合幕僚長とベトナム人民軍総参謀長とのテレビ会談(11月)", 147, "chief_joint_staff"),
        ("海上幕僚長とベトナム海軍副司令官との会談", 225, "chief_msdf"),
        ("防衛政務官ジブチ訪問", 261, "parliamentary_vice_minister"),
    ],
)
def test_japanese_offices(build: BuildResult, text: str, line: int, actor: str) -> None:
    assert one(build, text, line).jp_actor == actor


@pytest.mark.parametrize(
    ("text", "line", "block", "label"),
    [
        ("国防次官訪日(10月)", 42, "インドネシア", "インドネシア国防次官"),
        ("国防次官訪日(10月)", 42, "シンガポール", "シンガポール国防次官"),
        # printed 政務次官: the Defence Ministry's, 国防政務次官 (data/gazetteer/positions.csv)
        ("政務次官訪日(10月)", 42, "ドイツ", "ドイツ国防政務次官"),
        ("空軍本部長訪日(9月)", 42, "オーストラリア", "オーストラリア空軍本部長"),
        ("英国防大臣訪日(7月)", 122, "英国", "英国国防大臣"),
        ("カンボジア陸軍司令官訪日", 151, "カンボジア", "カンボジア陸軍司令官"),
    ],
)
def test_foreign_visitors(build: BuildResult, text: str, line: int, block: str, label: str) -> None:
    e = one(build, text, line, block=block)
    assert e.jp_actor == ""
    assert e.kind == "visit_to_japan"
    assert e.counterpart_labels == [label]
    assert len(e.counterparts) == 1
    assert e.mode == "in_person"


def test_foreign_visitor_with_two_dates(build: BuildResult) -> None:
    evs = find(build, "国防次官訪日(10月、令和2年2月)", 42, block="ベトナム")
    assert [e.date for e in evs] == ["2019-10", "2020-02"]
    assert all(e.kind == "visit_to_japan" and e.jp_actor == "" for e in evs)


# -- forums, editions and places from nested parentheses ---------------------------------------


def test_place_and_forum_with_edition(build: BuildResult) -> None:
    e = one(build, "日米韓防衛相会談(シンガポール(第19回シャングリラ会合))(6月)", 168)
    assert e.forum == "shangri_la_dialogue"
    assert e.forum_label == "シャングリラ会合"
    assert e.forum_edition == 19
    assert e.location == "singapore"
    assert e.location_label == "シンガポール"
    assert e.date == "2022-06"


def test_place_in_inner_parenthesis_forum_after(build: BuildResult) -> None:
    # "日加防衛相会談((シンガポール)第19回シャングリラ会合)(6月)"
    e = one(build, "日加防衛相会談((シンガポール)第19回シャングリラ会合)(6月)", 169)
    assert (e.forum_label, e.forum_edition, e.location_label) == (
        "シャングリラ会合",
        19,
        "シンガポール",
    )


def test_place_country_and_exhibition(build: BuildResult) -> None:
    # "((シドニー・豪州)IP22)": the city wins over the country; IP22 is the 2022 exposition
    e = one(build, "海幕長とインド海軍後部コマンド司令官との会談((シドニー・豪州)IP22)(5月)", 167)
    assert e.forum_label == "インド太平洋国際海洋博覧会"
    assert e.forum_edition is None
    assert e.location_label == "シドニー"
    assert e.counterpart_labels == ["インド海軍後部コマンド司令官"]


def test_missing_parenthesis_fixed(build: BuildResult) -> None:
    # "海幕長とサウジアラビア海軍司令官との会談（シドニー・豪州）IP22）（5月）" lacks a "（"
    e = one(build, "サウジアラビア海軍司令官との会談", 254)
    assert "parens_fixed" in e.flags
    assert "unbalanced_parens" not in e.flags
    assert e.forum_label == "インド太平洋国際海洋博覧会"
    assert e.location_label == "シドニー"
    assert e.date == "2022-05"


def test_exhibition_in_tokyo(build: BuildResult) -> None:
    e = one(build, "統幕長とスロベニア国防軍参謀長との会談（東京（DSEI Japan））", 211)
    assert e.forum == "dsei_japan"
    assert e.forum_label == "DSEI Japan"
    assert e.location_label == "東京"
    assert e.date == "2023-03"
    # DSEI Japan is not DSEI (London)
    assert one(build, "空幕長と英宇宙コマンド司令官との会談（DSEI）", 185).forum == "dsei"


def test_forum_edition_of_minister_meeting(build: BuildResult) -> None:
    e = one(build, "日インドネシア防衛相会談（プノンペン（第7回日ASEAN防衛担当大臣会合））", 223)
    assert (e.forum_label, e.forum_edition, e.location_label) == (
        "日ASEAN防衛担当大臣会合",
        7,
        "プノンペン",
    )


# -- modes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "mode"),
    [
        ("第8回日米豪シニア・リーダーズ・セミナー(VTC)(陸幕長)", 42, "video"),
        ("海幕長とインド海軍参謀長とのテレビ会談(9月)", 46, "video"),
        ("統幕長とカナダ参謀総長とのオンライン会談", 169, "video"),
        ("統幕長と英国防参謀総長とのテレビ会議", 185, "video"),
        ("日英防衛相会談（VTC）（10月）", 185, "video"),
        ("防衛相電話会談(5月)", 48, "phone"),
        ("陸幕長とインド陸軍参謀長との電話懇談", 46, "phone"),
        ("次官級協議(電話)(7月)", 62, "phone"),
        ("第2回日独外務・防衛閣僚会合（「2+2」）（ハイブリッド）（11月）", 189, "hybrid"),
        ("日豪防衛相会談(東京)(6月)", 173, "in_person"),
    ],
)
def test_modes(build: BuildResult, text: str, line: int, mode: str) -> None:
    for e in find(build, text, line):
        assert e.mode == mode, e.source_text


def test_exercises_have_no_mode(build: BuildResult) -> None:
    evs = [e for e in build.events if e.indicator == "unit_exchange"]
    assert evs and all(e.mode == "" for e in evs)


# -- the Djibouti support and its period --------------------------------------------------------


def test_djibouti_support_periods(build: BuildResult) -> None:
    evs = find(build, "ジブチ軍に対する災害対処能力強化支援", indicator="unit_exchange")
    by_fy = {e.fiscal_year: e for e in evs}
    assert sorted(by_fy) == [2019, 2020, 2021, 2022]
    assert len(evs) == 4
    assert (by_fy[2019].date, by_fy[2019].end_date) == ("2019-10", "2019-12")
    assert (by_fy[2021].date, by_fy[2021].end_date) == ("2021-10", "2021-12")
    assert (by_fy[2022].date, by_fy[2022].end_date) == ("2022-11", "2023-01")
    assert by_fy[2020].date == "" and "cancelled" in by_fy[2020].flags
    assert "no_date" not in by_fy[2020].flags
    for e in evs:
        assert e.countries == ["DJI"]
        assert e.source_line == {2019: 274, 2020: 275, 2021: 276, 2022: 277}[e.fiscal_year]


def test_pacific_partnership_periods(build: BuildResult) -> None:
    evs = find(build, "パートナーシップ", indicator="multilateral")
    assert [(e.fiscal_year, e.date, e.end_date) for e in evs] == [
        (2019, "2020-03", "2020-05"),
        (2022, "2022-06", "2022-07"),
        (2022, "2022-08", "2022-09"),
    ]


# -- the FY2022 multilateral row that lost its FY label ----------------------------------------


def test_multilateral_row_without_fy_label(build: BuildResult) -> None:
    evs = [e for e in build.events if e.source_line == 298]
    assert evs
    assert all(e.indicator == "multilateral" and e.fiscal_year == 2022 for e in evs)
    assert all("fy_inferred" in e.flags for e in evs)
    assert issues(build, "fy_inferred", 298)
    schuman = one(build, "第1回EUシューマン安全保障・防衛フォーラム(令和5年3月)", 298)
    assert schuman.date == "2023-03"
    assert schuman.forum_edition == 1
    assert "heading_lost" in schuman.flags
    # the noise of the page's "4 年度" label inside the list is removed and flagged
    hadr = find(build, "HA/DR-EWG(5月、10月)", 298)
    assert [e.date for e in hadr] == ["2022-05", "2022-10"]
    assert all("noise_removed" in e.flags for e in hadr)
    pko = find(build, "平和維持 年度 活動EWG", 298)
    assert [e.date for e in pko] == ["2022-10", "2022-12", "2023-03"]
    assert {e.forum_label for e in pko} == {"平和維持活動EWG"}


def test_no_event_outside_its_fy_and_no_leftover(build: BuildResult) -> None:
    assert not issues(build, "date_outside_fy")
    assert not issues(build, "leftover")
    assert not issues(build, "truncated")
    assert not issues(build, "missing_section")
    assert build.report["unexplained_items"] == 0


# -- students ----------------------------------------------------------------------------------

# Established by reading lines 281-284: number of countries listed, and the total stated
# ("合計N名"), which the listed numbers add up to in every case (summed by hand).
STUDENT_LISTS = {
    (2019, "inbound"): (26, 104),
    (2019, "outbound"): (10, 127),
    (2020, "inbound"): (15, 65),
    (2020, "outbound"): (10, 76),
    (2021, "inbound"): (16, 92),
    (2021, "outbound"): (10, 79),
    (2022, "inbound"): (18, 104),
    (2022, "outbound"): (11, 100),
}


def test_student_lists_and_totals(build: BuildResult) -> None:
    for (fy, direction), (n, total) in STUDENT_LISTS.items():
        rows = [s for s in build.students if s.fiscal_year == fy and s.direction == direction]
        countries = [s for s in rows if s.country != "TOTAL"]
        totals = [s for s in rows if s.country == "TOTAL"]
        assert len(countries) == n, (fy, direction)
        assert [t.count for t in totals] == [total], (fy, direction)
        assert sum(s.count for s in countries) == total, (fy, direction)
    assert len(build.students) == sum(n + 1 for n, _ in STUDENT_LISTS.values())


def test_no_student_list_is_flagged_sum_mismatch(build: BuildResult) -> None:
    # every list sums to its stated total (see STUDENT_LISTS), so nothing is flagged
    assert [s for s in build.students if "sum_mismatch" in s.flags] == []
    assert not [i for i in issues(build, "sum_mismatch") if i.line >= 281]


def test_student_list_that_does_not_sum_is_flagged(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    changed = text.replace(
        "(タイ10名、フィリピン2名、インドネシア5名", "(タイ11名、フィリピン2名、インドネシア5名", 1
    )
    assert changed != text
    src = tmp_path / "source.txt"
    src.write_text(changed, encoding="utf-8")
    result = pipeline.run(src)
    flagged = {(s.fiscal_year, s.direction) for s in result.students if "sum_mismatch" in s.flags}
    assert flagged == {(2019, "inbound")}
    total = next(
        s
        for s in result.students
        if (s.fiscal_year, s.direction, s.country) == (2019, "inbound", "TOTAL")
    )
    assert total.count == 104  # the total as stated
    assert [i.line for i in result.issues if i.code == "sum_mismatch" and i.line > 200] == [281]


def test_students_fy_label_conflict(build: BuildResult) -> None:
    # line 282, the FY2020 row: "諸外国への留学：令和元年度、諸外国へ新規に留学した…合計76名"
    out20 = [s for s in build.students if s.fiscal_year == 2020 and s.direction == "outbound"]
    assert out20 and all("fy_label_conflict" in s.flags for s in out20)
    assert all(s.line == 282 for s in out20)
    assert issues(build, "fy_label_conflict", 282)
    others = [s for s in build.students if s not in out20]
    assert not [s for s in others if "fy_label_conflict" in s.flags]
    # kept in FY2020, not moved to FY2019
    assert [s.count for s in out20 if s.country == "USA"] == [64]
    in19 = [s for s in build.students if s.fiscal_year == 2019 and s.direction == "outbound"]
    assert [s.count for s in in19 if s.country == "USA"] == [116]


def test_student_country_names(build: BuildResult) -> None:
    got = {(s.fiscal_year, s.direction, s.country): s.count for s in build.students}
    assert got[(2019, "inbound", "TLS")] == 3  # 東ティモール
    assert got[(2019, "inbound", "ZAF")] == 1  # 南アフリカ
    assert got[(2019, "inbound", "AUS")] == 6  # 豪州
    assert got[(2022, "outbound", "NLD")] == 1
    assert got[(2022, "inbound", "PHL")] == 14
    assert not [s for s in build.students if not s.country]


# -- budget ------------------------------------------------------------------------------------


def test_budget_table(build: BuildResult) -> None:
    lines = build.extraction.budget
    assert [b.item_no for b in lines] == ["1", "2", "3", "4", "5", "total"]
    assert [b.review_no for b in lines] == ["0308", "0309", "0310", "0311", "0312", ""]
    assert [b.line for b in lines] == [22, 23, 24, 25, 27, 28]
    assert lines[0].name == "教育訓練履修給付金"
    assert lines[1].name == "ジブチ軍に対する災害対処能力強化支援"
    assert lines[4].name == "部隊レベル対話"  # printed in its own cell, line 27
    assert lines[5].name == "施策の予算額・執行額"
    amounts = {b.item_no: [(f.fiscal_year, f.budget, f.executed) for f in b.figures] for b in lines}
    assert amounts == {
        "1": [(2020, 112, 89), (2021, 139, 102), (2022, 141, None)],
        "2": [(2020, 66, 2), (2021, 69, 68), (2022, 89, None)],
        "3": [(2020, 276, 34), (2021, 420, 120), (2022, 284, None)],
        "4": [(2020, 108, 13), (2021, 107, 28), (2022, 33, None)],
        "5": [(2020, 51, 7), (2021, 54, 6), (2022, 52, None)],
        "total": [(2020, 613, 613), (2021, 789, 324), (2022, 600, None)],
    }


def test_budget_total_checks(build: BuildResult) -> None:
    total = build.extraction.budget[-1]
    # FY2020: budgets 112+66+276+108+51 = 613 (= stated); executed 89+2+34+13+7 = 145 ≠ 613.
    # FY2021: budgets 139+69+420+107+54 = 789, executed 102+68+120+28+6 = 324: both agree.
    # FY2022: budgets 141+89+284+33+52 = 599 ≠ 600 stated; executed not printed (※1).
    assert "executed_sum_mismatch_2020" in total.flags
    assert "budget_sum_mismatch_2022" in total.flags
    assert not [f for f in total.flags if "2021" in f]
    assert "budget_sum_mismatch_2020" not in total.flags
    messages = [i.message for i in issues(build, "sum_mismatch", 28)]
    assert any("145" in m and "613" in m for m in messages)
    assert any("599" in m and "600" in m for m in messages)
    assert len(messages) == 2


def test_budget_fy2022_executed_not_stated(build: BuildResult) -> None:
    for b in build.extraction.budget:
        assert "executed_not_stated_2022" in b.flags
        assert not [
            f for f in b.flags if f.startswith("executed_not_stated_202") and "2022" not in f
        ]


# -- header and indicators -----------------------------------------------------------------------


def test_header(build: BuildResult) -> None:
    h = build.extraction.header
    assert h.name == "ハイレベル交流・政策対話等の推進"
    assert h.document_id == "防衛省05-①"
    assert h.title == "令和5年度実施施策に係る政策評価の事前分析表"
    assert h.bureaus == ["防衛政策局", "人事教育局", "統合幕僚監部"]
    assert h.evaluation_timing == "令和5年8月"
    assert h.goal == "二国間・多国間におけるハイレベル交流、政策対話、軍種間交流等の実施"
    assert h.lines["name"] == 7


def test_indicators(build: BuildResult) -> None:
    codes = [(i.code, i.line) for i in build.extraction.indicators]
    assert codes == [
        ("measure_1", 13),
        ("high_level", 13),
        ("consultation", 14),
        ("unit_exchange", 15),
        ("students", 16),
        ("research", 17),
        ("multilateral", 18),
    ]
    assert build.extraction.indicators[0].target_year == "令和5年度"
    assert len(build.extraction.footnotes) == 2
