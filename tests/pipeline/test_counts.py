"""Record counts per section and FY, against counts established by reading data/source.txt.

Counting rule: each dated occurrence is one event ("防衛相会談(6月、11月)" is 2 events,
"(10月、10月、12月)" is 3), an item printed without any date is one event, and a period
("10月～12月") is one.
One exception, because one printed 、 does not separate two items:
  - "統幕長と豪国防軍司令官、豪統合作戦司令官との会談(…)(7月)" (FY2022 Australia) is one meeting
    with two counterparts: 1 event.
"統幕長訪印、印国防参謀長と会談(…)(令和5年3月)" (FY2022 India) is a visit and a meeting: 2 events.
Items are counted as printed, split at every 、 outside parentheses (so each of those two counts 2
items).  None of the numbers below was taken from the program's output.
"""

from __future__ import annotations

from collections import Counter

import pytest

from kg.pipeline.flow import BuildResult


def per_block(build: BuildResult, indicator: str, fy: int) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for e in build.events:
        if e.indicator == indicator and e.fiscal_year == fy:
            counts[e.block] += 1
    return dict(counts)


def block_order(build: BuildResult, indicator: str, fy: int) -> list[str]:
    seen: list[str] = []
    for e in build.events:
        if e.indicator == indicator and e.fiscal_year == fy and e.block not in seen:
            seen.append(e.block)
    return seen


# -- high-level exchanges (lines 42-261) -------------------------------------------------------

# FY2019, line 42, from "●令和元年度" to "元年度".  Multi-date items: 豪 防衛相会談(6月、11月) 2,
# 防衛相電話会談(10月、10月、12月) 3; 印 防衛相会談(9月、11月、令和2年1月) 3, 防衛相電話会談(10月、
# 令和2年1月) 2; 尼 防衛相会談(11月、12月) 2; 越 国防次官訪日(10月、令和2年2月) 2; 星 防衛相会談
# (5月、11月) 2; 比 防衛相会談(4月、11月) 2; 韓 日米韓防衛相会談(6月、11月) 2; 仏 防衛相会談(11月、
# 令和2年2月) 2; 加 防衛相会談(6月、令和2年2月) 2; 中 防衛相会談(6月、12月) 2; UAE 防衛相電話会談
# (10月、令和2年3月) 2; イラン (10月、令和2年1月) 2; サウジ (10月、12月) 2; カタール (5月、12月) 2.
HIGH_LEVEL_2019 = {
    "オーストラリア": 10,  # 7 items
    "インド": 10,  # 7 items
    "インドネシア": 3,
    "ベトナム": 6,
    "シンガポール": 7,
    "フィリピン": 6,
    "タイ": 6,
    "カンボジア": 3,
    "ミャンマー": 3,
    "ラオス": 3,
    "マレーシア": 5,
    "ブルネイ": 2,
    "韓国": 5,
    "英国": 4,
    "フランス": 4,
    "カナダ": 4,
    "ニュージーランド": 4,
    "NATO": 2,
    "ドイツ": 3,
    "イタリア": 2,
    "ウクライナ": 1,
    "デンマーク": 1,
    "EU": 1,
    "中国": 3,
    "ロシア": 4,
    "パプアニューギニア": 1,
    "トンガ": 1,
    "フィジー": 2,
    "アラブ首長国連邦": 4,
    "イスラエル": 1,
    "イラン": 2,
    "エジプト": 1,
    "オマーン": 2,
    "サウジアラビア": 2,
    "カタール": 3,
    "トルコ": 2,
    "バーレーン": 2,
    "ヨルダン": 1,
    "スリランカ": 1,
    "ブラジル": 1,
    "モンゴル": 1,
    "ジブチ": 1,
    "ジャマイカ": 1,
}

# FY2020, end of line 42 and lines 46-110.  Undated: 第8回日米豪シニア・リーダーズ・セミナー(VTC)
# (陸幕長) and 日印物品役務相互提供協定(日印ACSA)署名, 1 event each.  The India item cut by the page
# break (line 42 "…電話会談" + line 46 "(11月)") is 1 event.
HIGH_LEVEL_2020 = {
    "オーストラリア": 12,  # 10 items; (5月、10月) and (5月、8月)
    "インド": 12,  # 9 items; (5月、12月), (9月、令和3年3月), (4月、8月)
    "インドネシア": 8,  # 7 items; (8月、11月)
    "ベトナム": 2,
    "シンガポール": 5,
    "フィリピン": 7,
    "タイ": 1,
    "カンボジア": 1,
    "マレーシア": 2,
    "ブルネイ": 1,
    "韓国": 2,
    "英国": 8,  # 6 items; (4月、令和3年3月), (9月、令和3年3月)
    "フランス": 7,
    "ドイツ": 7,
    "カナダ": 5,  # (5月、11月)
    "ニュージーランド": 3,  # (9月、12月)
    "NATO": 3,  # (4月、11月)
    "イタリア": 3,  # (8月、10月)
    "ウクライナ": 1,
    "フィンランド": 1,
    "EU": 1,
    "中国": 1,
    "パプアニューギニア": 1,
    "トンガ": 1,
    "フィジー": 1,
    "アラブ首長国連邦": 5,
    "イスラエル": 1,
    "イラン": 1,
    "エジプト": 1,
    "サウジアラビア": 2,
    "バーレーン": 1,
    "パキスタン": 1,
    "モンゴル": 1,
    "ブラジル": 2,
}

# FY2021, lines 116-160: one date per item throughout.  カナダ: 4 items on line 128, then after the
# page break line 138 "令官との会談(ドバイ)(11月)" (an item whose head is lost: still one dated
# occurrence), 日加防衛相テレビ会談(12月) and 第5回日加次官級「2+2」対話(令和4年3月): 7.
# インドネシア: one item and a trailing 、.  ベトナム: "日ベトナム防衛相会談(東京)及び
# ベトナム国防次官訪日(11月)" is one item with one date: 1 event.
HIGH_LEVEL_2021 = {
    "オーストラリア": 11,
    "インド": 7,
    "韓国": 3,
    "英国": 11,
    "フランス": 9,
    "ドイツ": 7,
    "カナダ": 7,
    "ニュージーランド": 3,
    "オランダ": 3,
    "NATO": 2,
    "ウクライナ": 1,
    "ポーランド": 3,
    "イタリア": 3,
    "中国": 1,
    "インドネシア": 1,
    "ベトナム": 8,
    "シンガポール": 2,
    "フィリピン": 6,
    "タイ": 2,
    "カンボジア": 2,
    "ラオス": 1,
    "マレーシア": 4,
    "ブルネイ": 2,
    "トンガ": 1,
    "フィジー": 1,
    "イスラエル": 2,
    "カタール": 1,
    "スリランカ": 1,
    "UAE": 1,
}

# FY2022, lines 167-261: one date per item.  インド: 13 items, 13 events: "統幕長訪印、印国防参謀長
# と会談" is two (the visit, then the meeting), and "日印防衛相会談、第2回日印外務・防衛閣僚会合
# (「2+2」)(東京)(9月)" two (one date printed for both).  オーストラリア: 29 items, the two
# counterparts listed with 、 are one meeting, and "第10回日豪外務・防衛閣僚協議、日豪防衛相会談
# (東京)(12月)" two events: 28.
# イギリス: 15 items (the one cut between lines 175 and 185 counted once).  マレーシア: 3 (the one
# cut between lines 237 and 247 counted once).
HIGH_LEVEL_2022 = {
    "インド": 13,
    "韓国": 4,
    "カナダ": 8,
    "ニュージーランド": 6,
    "モンゴル": 2,
    "中国": 1,
    "オーストラリア": 28,
    "日米豪": 4,
    "イギリス": 15,
    "フランス": 7,
    "ドイツ": 11,
    "オランダ": 5,
    "NATO": 7,
    "ウクライナ": 2,
    "オーストリア": 1,
    "ポーランド": 3,
    "チェコ": 1,
    "EU": 5,
    "イタリア": 11,
    "フィンランド": 2,
    "スウェーデン": 2,
    "スロベニア": 1,
    "ベルギー": 1,
    "ブルガリア": 1,
    "ルーマニア": 1,
    "スペイン": 1,
    "日英伊": 1,
    "インドネシア": 6,
    "ベトナム": 8,
    "シンガポール": 11,
    "フィリピン": 19,
    "タイ": 5,
    "カンボジア": 4,
    "ラオス": 1,
    "マレーシア": 3,
    "ブルネイ": 3,
    "スリランカ": 1,
    "パキスタン": 2,
    "カザフスタン": 1,
    "イスラエル": 5,
    "イラン": 1,
    "サウジアラビア": 1,
    "トルコ": 1,
    "ヨルダン": 1,
    "トンガ": 2,
    "フィジー": 3,
    "ソロモン諸島": 1,
    "パラオ": 1,
    "その他": 7,
}

HIGH_LEVEL = {
    2019: HIGH_LEVEL_2019,
    2020: HIGH_LEVEL_2020,
    2021: HIGH_LEVEL_2021,
    2022: HIGH_LEVEL_2022,
}


def test_high_level_block_tables_add_up() -> None:
    # the per-block numbers above, summed
    assert {fy: sum(b.values()) for fy, b in HIGH_LEVEL.items()} == {
        2019: 131,
        2020: 111,
        2021: 106,
        2022: 231,
    }


@pytest.mark.parametrize("fy", [2019, 2020, 2021, 2022])
def test_high_level_events_per_block(build: BuildResult, fy: int) -> None:
    assert per_block(build, "high_level", fy) == HIGH_LEVEL[fy]
    assert block_order(build, "high_level", fy) == list(HIGH_LEVEL[fy])


# -- regular consultations (lines 265-269) -----------------------------------------------------

CONSULTATION = {
    # line 265: one date per item; ベトナム, フィリピン, カンボジア, カナダ, モンゴル list 2-3 items
    2019: {
        "オーストラリア": 1,
        "インドネシア": 1,
        "ベトナム": 2,
        "フィリピン": 3,
        "カンボジア": 2,
        "ラオス": 1,
        "韓国": 1,
        "カナダ": 2,
        "ニュージーランド": 1,
        "ドイツ": 1,
        "イタリア": 1,
        "スペイン": 1,
        "ウクライナ": 1,
        "フィンランド": 1,
        "中国": 1,
        "ヨルダン": 1,
        "パキスタン": 1,
        "モンゴル": 2,
    },
    # line 266: 第13回日ニュージーランド防衛当局間協議(VTC) has no date: 1 undated event
    2020: {
        "シンガポール": 1,
        "英国": 2,
        "フランス": 1,
        "ニュージーランド": 1,
        "NATO": 1,
        "中国": 1,
        "イスラエル": 1,
        "バーレーン": 1,
        "ヨルダン": 1,
    },
    # line 267: パキスタン "第8回…外務・防衛当局間協議、第11回…防衛当局間協議(VTC)(6月)": 2
    2021: {
        "韓国": 3,
        "フランス": 1,
        "ドイツ": 3,
        "ニュージーランド": 1,
        "中国": 1,
        "ヨルダン": 1,
        "パキスタン": 2,
    },
    # line 269: カナダ, カンボジア, イスラエル each print two consultations with one date: 2 each
    2022: {
        "カナダ": 2,
        "ニュージーランド": 1,
        "中国": 3,
        "豪": 1,
        "フランス": 1,
        "NATO": 1,
        "イタリア": 1,
        "フィンランド": 1,
        "リトアニア": 1,
        "シンガポール": 2,
        "フィリピン": 1,
        "カンボジア": 2,
        "マレーシア": 1,
        "UAE": 1,
        "イスラエル": 2,
        "ヨルダン": 1,
    },
}


def test_consultation_block_tables_add_up() -> None:
    assert {fy: sum(b.values()) for fy, b in CONSULTATION.items()} == {
        2019: 24,
        2020: 10,
        2021: 12,
        2022: 22,
    }


@pytest.mark.parametrize("fy", [2019, 2020, 2021, 2022])
def test_consultation_events_per_block(build: BuildResult, fy: int) -> None:
    assert per_block(build, "consultation", fy) == CONSULTATION[fy]
    assert block_order(build, "consultation", fy) == list(CONSULTATION[fy])


# -- unit exchanges (lines 274-277): goodwill exercises and the Djibouti support --------------

UNIT_EXCHANGE = {
    # マレーシア(4月、5月、9月) 3, オマーン(9月、12月) 2, モルディブ(4月、7月) 2, six with one
    # month: 13 exercises; ジブチ支援(10月～12月) 1 (a period is one event)
    2019: (13, 1),
    # four exercises; ジブチ支援(中止): cancelled, no date, still 1 record
    2020: (4, 1),
    # ベトナム(10月、11月、R4年2月) 3, フィリピン(7月、11月) 2, ブルネイ(6月、12月) 2, パラオ(9月、
    # R4年3月) 2, スリランカ(6月、R4年1月、2月) 3, eight with one month: 20; ジブチ(10月～12月) 1
    2021: (20, 1),
    # seventeen exercises with one month each; ジブチ(11月～R5年1月) 1
    2022: (17, 1),
}


@pytest.mark.parametrize("fy", [2019, 2020, 2021, 2022])
def test_unit_exchange_events(build: BuildResult, fy: int) -> None:
    evs = [e for e in build.events if e.indicator == "unit_exchange" and e.fiscal_year == fy]
    exercises = [e for e in evs if e.kind == "exercise"]
    support = [e for e in evs if e.source_text.startswith("ジブチ軍に対する")]
    assert (len(exercises), len(support)) == UNIT_EXCHANGE[fy]
    assert len(evs) == sum(UNIT_EXCHANGE[fy])


# -- research exchanges (lines 288-292) ---------------------------------------------------------

RESEARCH = {
    # (numbered activities ①…, conferences ①…): no dates, one event per numbered item, except
    # FY2022 activity ③ "駐日ルーマニア(4月)、英国(6月)、ラトビア(10月)各大使を受け入れ": three
    # dated visits, 3 events.
    2019: (15, 3),
    2020: (3, 3),
    2021: (7, 3),
    2022: (4 - 1 + 3, 4),
}


@pytest.mark.parametrize("fy", [2019, 2020, 2021, 2022])
def test_research_events(build: BuildResult, fy: int) -> None:
    evs = [e for e in build.events if e.indicator == "research" and e.fiscal_year == fy]
    activities = [e for e in evs if e.block == "研究交流"]
    conferences = [e for e in evs if e.block == "防研主催の国際会議"]
    assert (len(activities), len(conferences)) == RESEARCH[fy]
    assert len(evs) == sum(RESEARCH[fy])


def test_research_visits_each_with_its_own_country(build: BuildResult) -> None:
    """Line 292 ③: 駐日ルーマニア(4月)、英国(6月)、ラトビア(10月)各大使: an ambassador a month."""
    evs = [e for e in build.events if e.source_line == 292 and "ルーマニア(4月)" in e.source_text]
    got = sorted((e.date, tuple(e.countries)) for e in evs)
    assert got == [("2022-04", ("ROU",)), ("2022-06", ("GBR",)), ("2022-10", ("LVA",))]
    assert all("date_per_country" in e.flags for e in evs)
    # The layout rule leaves items with one country and several dates alone (line 42:
    # 【オーストラリア】防衛相会談(6月、11月)): every event keeps its country.
    aus = [e for e in build.events if e.source_line == 42 and e.block == "オーストラリア"]
    assert aus and all("AUS" in e.countries for e in aus)
    assert not any("date_per_country" in e.flags for e in build.events if e.source_line != 292)


# -- multilateral dialogues (lines 294-298) -----------------------------------------------------

MULTILATERAL = {
    2019: {
        # 閣僚会合 1, ADSOMプラス 1, ADSOMプラスWG 1, 対テロEWG (4,6,9,10,12月) 5,
        # 人道支援・災害救難EWG 3, 海洋安全保障EWG 2, 防衛医学EWG 1, 平和維持活動EWG 1,
        # 地雷処理EWG 2, サイバーEWG 3
        "拡大ASEAN国防相会議": 20,
        "ASEAN地域フォーラム": 1,
        "パシフィック・パートナーシップ": 1,  # (3月～5月): one period
        "民間機関主催": 5,
        "防衛省・自衛隊主催等": 2,
        "各国国防当局主催": 1,
    },
    2020: {
        # 閣僚会合 1, ADSOMプラス(7月、11月) 2, WG(6月、11月、令和3年2月) 3, 専門家会合 3 × 1
        "拡大ASEAN国防相会議": 9,
        "日ASEAN防衛担当大臣会合": 1,
        "ASEAN地域フォーラム": 1,
        "民間機関主催": 1,
    },
    2021: {
        # 閣僚会合 1, ADSOMプラス 1, WG 3, nested in 専門家会合(EWG)(…): 対テロ 2,
        # HA/DR 2, 海洋 2, 医学 1, PKO 3, 地雷 1, サイバー 1
        "拡大ASEAN国防相会議": 17,
        "ASEAN地域フォーラム": 2,
        "防衛省主催": 2,
    },
    2022: {
        # line 298 (the row lost its FY label and its first heading at a page break)
        # 第1回EUシューマン安全保障・防衛フォーラム(令和5年3月), printed before any ● heading
        "": 1,
        "各国国防当局主催": 1,
        # 閣僚会合 1, ADSOMプラス 1, WG 3, HA/DR 2, 海洋 4, 医学 3, PKO 3, 地雷 2, サイバー 2
        "拡大ASEAN国防相会議": 21,
        "パシフィック・パートナーシップ": 2,  # (6月～7月、8月～9月): two periods
        "日ASEAN防衛担当大臣会合": 1,
        "ASEAN地域フォーラム": 2,
        "民間主催": 2,
        "防衛省主催": 1,
    },
}


def multilateral_blocks(build: BuildResult, fy: int) -> dict[str, int]:
    """Events per ● heading; a heading is matched by the start of its name."""
    counts: Counter[str] = Counter()
    names = list(MULTILATERAL[fy])
    for e in build.events:
        if e.indicator == "multilateral" and e.fiscal_year == fy:
            match = [n for n in names if n and e.block.startswith(n)] or (
                [""] if e.block == "" else [e.block]
            )
            counts[match[0]] += 1
    return dict(counts)


def test_multilateral_block_tables_add_up() -> None:
    assert {fy: sum(b.values()) for fy, b in MULTILATERAL.items()} == {
        2019: 30,
        2020: 12,
        2021: 21,
        2022: 31,
    }


@pytest.mark.parametrize("fy", [2019, 2020, 2021, 2022])
def test_multilateral_events_per_heading(build: BuildResult, fy: int) -> None:
    assert multilateral_blocks(build, fy) == MULTILATERAL[fy]


# -- per section and FY, records and items --------------------------------------------------------

RECORDS = {
    "high_level": {2019: 131, 2020: 111, 2021: 106, 2022: 231},
    "consultation": {2019: 24, 2020: 10, 2021: 12, 2022: 22},
    "unit_exchange": {2019: 14, 2020: 5, 2021: 21, 2022: 18},
    "research": {2019: 18, 2020: 6, 2021: 10, 2022: 10},
    "multilateral": {2019: 30, 2020: 12, 2021: 21, 2022: 31},
    # one row per listed country plus one TOTAL row, inbound and outbound:
    # FY2019 26+1 + 10+1, FY2020 15+1 + 10+1, FY2021 16+1 + 10+1, FY2022 18+1 + 11+1
    "students": {2019: 38, 2020: 27, 2021: 28, 2022: 31},
}

# Items as printed (split at 、 outside parentheses), before dates multiply them.
ITEMS = {
    # FY2019: 43 blocks; FY2020: 34 blocks; FY2022: 231 events + the 、 that does not separate
    "high_level": {2019: 113, 2020: 99, 2021: 106, 2022: 232},
    "consultation": {2019: 24, 2020: 10, 2021: 12, 2022: 22},
    "unit_exchange": {2019: 10, 2020: 5, 2021: 14, 2022: 18},
    "research": {2019: 18, 2020: 6, 2021: 10, 2022: 8},
    # FY2021: 3 + the 7 meetings nested in 専門家会合(EWG)(…) + 2 + 2
    "multilateral": {2019: 20, 2020: 9, 2021: 14, 2022: 18},
    "students": {2019: 38, 2020: 27, 2021: 28, 2022: 31},
}


def test_record_tables_are_consistent() -> None:
    assert RECORDS["high_level"] == {fy: sum(b.values()) for fy, b in HIGH_LEVEL.items()}
    assert RECORDS["consultation"] == {fy: sum(b.values()) for fy, b in CONSULTATION.items()}
    assert RECORDS["unit_exchange"] == {fy: sum(v) for fy, v in UNIT_EXCHANGE.items()}
    assert RECORDS["research"] == {fy: sum(v) for fy, v in RESEARCH.items()}
    assert RECORDS["multilateral"] == {fy: sum(b.values()) for fy, b in MULTILATERAL.items()}


def test_records_per_section_and_fy(build: BuildResult) -> None:
    got: dict[str, dict[int, int]] = {}
    for e in build.events:
        got.setdefault(e.indicator, {}).setdefault(e.fiscal_year, 0)
        got[e.indicator][e.fiscal_year] += 1
    for s in build.students:
        got.setdefault("students", {}).setdefault(s.fiscal_year, 0)
        got["students"][s.fiscal_year] += 1
    assert got == RECORDS


def test_quality_report_accounts_the_same(build: BuildResult) -> None:
    sections = build.report["sections"]
    records = {
        sec: {int(fy): c["records"] for fy, c in fys.items()} for sec, fys in sections.items()
    }
    items = {
        sec: {int(fy): c["items_seen"] for fy, c in fys.items()} for sec, fys in sections.items()
    }
    assert records == RECORDS
    assert items == ITEMS
    assert build.report["totals"]["events"] == sum(
        n for sec, fys in RECORDS.items() if sec != "students" for n in fys.values()
    )
    assert build.report["totals"]["student_rows"] == sum(RECORDS["students"].values())
    assert build.report["totals"]["budget_lines"] == 6


def test_total_events() -> None:
    # 579 high-level + 68 consultations + 58 unit exchanges + 44 research + 94 multilateral
    assert sum(n for sec, fys in RECORDS.items() if sec != "students" for n in fys.values()) == 843


def test_undated_events(build: BuildResult) -> None:
    # Of the high-level exchanges and consultations only three items print no date at all.
    undated = sorted(
        e.source_text
        for e in build.events
        if e.indicator in ("high_level", "consultation") and not e.date
    )
    assert undated == sorted(
        [
            "第8回日米豪シニア・リーダーズ・セミナー(VTC)(陸幕長)",
            "日印物品役務相互提供協定(日印ACSA)署名",
            "第13回日ニュージーランド防衛当局間協議（VTC）",
        ]
    )
