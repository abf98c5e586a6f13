"""Named queries: the contract's names and variables, and answers read off the source document.

Every expected value below was established by reading data/source.txt (the line is cited), not
by running the code. Each answer is checked on every backend (the embedded Oxigraph store on
disk, the same held in memory, and rdflib's in-memory graph), and a last test compares the
backends on every named query.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest

from kg import paths
from kg.errors import QueryError
from kg.sparql.catalogue import get_query, list_queries, param_specs
from kg.sparql.params import JDXR_IRI
from kg.sparql.run import open_graph, run_query
from kg.store.local import BACKENDS

ROOT = paths.REPO
SOURCE = ROOT / "data" / "source.txt"

# CONTRACT.md, "Named queries": file -> output variables, in this order.
CONTRACT = {
    "events_by_country_year": "country label_en fy events",
    "events_by_actor_year": "actor label_ja fy events",
    "mode_share_by_year": "fy mode events",
    "forum_hubs": "forum label_ja countries events",
    "country_timeline": "date indicator actor counterpart mode forum place text",
    "actor_counterparts": "counterpart country events",
    "multichannel_partners": "country label_en channels events",
    "students_by_country": "country fy direction count",
    "budget_execution": "line label_ja fy budget executed rate",
    "new_partners": "country label_en firstDate",
    "trilateral_events": "event date countries text",
    "provenance": "text line document",
}
# What the queries append after the contract's variables (CONTRACT.md allows it): rows about
# events lead to their source (?event ?line), so do rows about observations (?flow, ?obs).
APPENDED = {
    "country_timeline": "event line",
    "students_by_country": "flow line",
    "budget_execution": "unit flags obs sourceLine label_en",
    "trilateral_events": "line",
    "events_by_actor_year": "label_en",
    "forum_hubs": "label_en",
    "mode_share_by_year": "stated assumed",
}
CONTRACT_PARAMS = {
    "country_timeline": "country",
    "actor_counterparts": "actor",
    "new_partners": "fy",
}
# The other questions an analyst asks first (issue: queries/).
ANALYST = {
    "regions_by_year",
    "visits_abroad_by_destination",
    "visits_to_japan_by_origin",
    "consultations_by_country",
    "goodwill_exercises_by_partner",
    "multilateral_by_framework",
}
JDXR = "https://w3id.org/jdx/id/"
AUS_IRI = JDXR + "country/AUS"
SHANGRI_LA_19 = "https://w3id.org/jdx/id/forum/shangri_la_dialogue/19"
EXAMPLE_PARAMS = {
    "country_timeline": {"country": "PHL"},
    "actor_counterparts": {"actor": "chief_joint_staff"},
    "new_partners": {"fy": "2022"},
    "forum_edition_meetings": {"edition": SHANGRI_LA_19},
    "holders_of": {"office": "minister", "date": "2021-01"},
    "meetings_by_person": {"person": JDXR + "person/kishi_nobuo"},
}


@pytest.fixture(scope="module", params=list(BACKENDS))
def graph(request):
    return open_graph(request.param)


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").splitlines()


def rows(name: str, graph, **params) -> list[dict]:
    return run_query(name, {k: str(v) for k, v in params.items()} or None, graph=graph).records()


def fy_of(date: str) -> int:
    year, month = map(int, date.split("-"))
    return year if month >= 4 else year - 1


# ------------------------------------------------------------------------------------------
#  The files
# ------------------------------------------------------------------------------------------


def test_contract_queries_exist_with_exact_variables():
    """The contract's variables lead, in its order; a query may append more after them
    (docs/CONTRACT.md), such as the English label beside a Japanese one."""
    found = {q.name: q for q in list_queries()}
    for name, variables in CONTRACT.items():
        assert name in found, f"queries/{name}.rq missing"
        assert found[name].variables == (variables + " " + APPENDED.get(name, "")).split(), name
        assert found[name].path == ROOT / "queries" / f"{name}.rq"


def test_contract_parameters():
    for name, param in CONTRACT_PARAMS.items():
        assert param in get_query(name).params
    assert get_query("country_timeline").params["country"] == "iso3"
    assert get_query("actor_counterparts").params["actor"] == "slug"
    assert get_query("new_partners").params["fy"] == "fy"
    assert get_query("provenance").params["event"] == "iri"


def test_analyst_queries_exist():
    assert {q.name for q in list_queries()} >= ANALYST


def test_every_header_states_question_params_and_example():
    for q in list_queries():
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", q.question_ja), q.name
        assert re.match(r"[A-Z][a-z]+\W", q.question_en), q.name
        assert q.example.startswith(f"kg query {q.name}"), q.name
        for spec in param_specs(q):
            assert spec.description, (q.name, spec.name)
            assert f"--param {spec.name}=" in q.example or spec.optional, (q.name, spec.name)
        assert "PREFIX" in q.text, f"{q.name}: named queries declare their prefixes"


def test_every_example_runs(capsys):
    from kg.cli import main

    for q in list_queries():
        argv = q.example.split()[1:]  # drop "kg"
        assert main(argv) == 0, q.example
        out = capsys.readouterr().out
        assert re.search(r"\(\d+ rows?\)\n\Z", out), q.example
        assert not out.startswith("(0 rows)"), q.example


def test_get_query_unknown_is_a_clear_error():
    with pytest.raises(QueryError, match=r"no named query 'forum_hub'.*did you mean forum_hubs"):
        get_query("forum_hub")
    with pytest.raises(QueryError, match="known:"):
        get_query("../etc/passwd")


# ------------------------------------------------------------------------------------------
#  Answers read off the document
# ------------------------------------------------------------------------------------------


def test_countries_met_at_the_19th_shangri_la_dialogue(graph):
    # Lines 168-174, 191, 227, 258: 日米韓 (KOR, USA), 日加, 日ニュージーランド, 日中,
    # 日豪 and 統幕長と豪国防軍司令官, 日米豪, 統幕長オランダ参謀総長, 日シンガポール and
    # 統幕長とシンガポール国軍司令官, 日フィジー — each
    # "(シンガポール(第19回シャングリラ会合))(6月)".
    got = rows("forum_edition_meetings", graph, edition=SHANGRI_LA_19)
    assert {r["country"] for r in got} == {
        "AUS", "CAN", "CHN", "FJI", "KOR", "NLD", "NZL", "SGP", "USA",
    }  # fmt: skip
    assert len(got) == 13  # 11 events; 日米韓 and 日米豪 count for two countries each
    assert all(r["date"] == "2022-06" and "第19回シャングリラ会合" in r["text"] for r in got)
    jcs = {
        (r["country"], r.get("counterpart")) for r in got if r.get("actor") == "chief_joint_staff"
    }
    assert jcs == {
        ("AUS", "オーストラリア国防軍司令官"),
        ("NLD", "オランダ参謀総長"),
        ("SGP", "シンガポール国軍司令官"),
    }


def test_forum_editions_one_per_meeting(graph):
    def editions(forum):
        return [
            (r["edition"].rsplit("/", 1)[1], r["fy"], r.get("date"), r.get("ordinal"),
             r.get("place"), r["events"])
            for r in rows("forum_editions", graph, forum=forum)
        ]  # fmt: skip

    # Shangri-La: 元年度 (line 294) IISSアジア安全保障会議(シャングリラ会合)(5月), one mention;
    # 4年度 the 11 high-level items "(シンガポール(第19回シャングリラ会合))(6月)" and line 298's
    # (シャングリラ会合)(6月): one edition, the 19th, 12 events.
    assert editions("shangri_la_dialogue") == [
        ("2019-05", 2019, "2019-05", None, None, 1),
        ("19", 2022, "2022-06", 19, "シンガポール", 12),
    ]
    # ADMM-Plus ministers: 閣僚会合 (11月), (12月), (6月) in FY2019-2021; FY2022 閣僚会合(11月)
    # and 防衛審議官とシンガポール国防次官との会談（シエムリアップ（第9回ADMMプラス））（11月）.
    assert editions("admm_plus") == [
        ("2019-11", 2019, "2019-11", None, None, 1),
        ("2020-12", 2020, "2020-12", None, None, 1),
        ("2021-06", 2021, "2021-06", None, None, 1),
        ("9", 2022, "2022-11", 9, "シエムリアップ", 2),
    ]
    # 日ASEAN防衛担当大臣会合: (11月) FY2019, (12月) FY2020, and the 7th (プノンペン, 6月) with
    # the four 防衛相会談 held there (インドネシア, ベトナム, カンボジア, ブルネイ) and line 298.
    assert editions("japan_asean_defence_ministers_meeting")[-1] == (
        "7", 2022, "2022-06", 7, "プノンペン", 5,
    )  # fmt: skip
    # 日ASEAN防衛当局次官級会合: the 12th (東京, R5年3月): line 298 and seven high-level items
    # (日越次官級協議 and the vice-ministers of ベトナム, フィリピン, タイ, カンボジア, ラオス,
    # マレーシア).
    assert editions("japan_asean_vice_ministerial_forum")[-1] == (
        "12", 2022, "2023-03", 12, "東京", 8,
    )  # fmt: skip
    every = rows("forum_editions", graph)
    dated = Counter((r["forum"], r["date"]) for r in every if "date" in r)
    assert max(dated.values()) == 1  # one edition per forum and month


def test_a_fy_edition_of_a_numbered_meeting_is_gone(graph):
    # The multilateral mention of the 19th Shangri-La Dialogue no longer makes a /fy2022 edition
    # (whose meetings were 0 rows): it is the 19th's (kg query and kg.api say the IRI names
    # nothing, tests/cli/test_query.py).
    fy2022 = JDXR + "forum/shangri_la_dialogue/fy2022"
    assert rows("forum_edition_meetings", graph, edition=fy2022) == []
    assert fy2022 not in {r["edition"] for r in rows("forum_editions", graph)}
    sld = rows("forum_edition_meetings", graph, edition=SHANGRI_LA_19)
    assert len(sld) == 13  # as before: the multilateral mention adds an event, not a country


def test_events_by_country_year(graph):
    got = {(r["country"], r["fy"]): r for r in rows("events_by_country_year", graph)}
    # Line 42, 【オーストラリア】 of 令和元年度: 防衛相会談(6月、11月) 2, 日米豪シニア・レベル・
    # セミナー 1, シニア・リーダーズ・セミナー 1, 空軍本部長訪日 1, 国軍司令官訪日 1,
    # 防衛相電話会談(10月、10月、12月) 3, 日米豪防衛相会談 1.
    assert got[("AUS", 2019)]["events"] == 10
    assert got[("AUS", 2019)]["label_en"] == "Australia"
    assert got[("JAM", 2019)]["events"] == 1  # 【ジャマイカ】防衛相会談(12月)
    assert got[("NATO", 2019)]["events"] == 2  # 軍事委員長訪日, 防衛大臣とNATO事務総長との会談
    assert got[("EU", 2019)]["events"] == 1  # 防衛大臣とEU上級代表との会談
    assert ("JPN", 2019) not in got
    assert {fy for _, fy in got} == {2019, 2020, 2021, 2022}


def test_events_by_actor_year(graph):
    got = {(r["actor"], r["fy"]): r["events"] for r in rows("events_by_actor_year", graph)}
    # 防衛事務次官訪仏（令和5年1月）, 防衛事務次官訪伊（令和5年2月） (lines 195, 205): FY2022 only.
    assert {k: v for k, v in got.items() if k[0] == "vice_minister"} == {("vice_minister", 2022): 2}
    # 大臣政務官ニュージーランド訪問(6月) (FY2019), 防衛政務官ジブチ訪問（5月） (FY2022).
    assert got[("parliamentary_vice_minister", 2019)] == 1
    assert got[("parliamentary_vice_minister", 2022)] == 1
    labels = {r["actor"]: r["label_ja"] for r in rows("events_by_actor_year", graph)}
    assert labels["chief_joint_staff"] == "統合幕僚長"
    assert labels["minister"] == "防衛大臣"


def test_mode_share_by_year(graph):
    got = {(r["fy"], r["mode"]): r["events"] for r in rows("mode_share_by_year", graph)}
    # The only hybrid event: 第2回日独外務・防衛閣僚会合（「2+2」）（ハイブリッド）（11月）, FY2022.
    assert {k: v for k, v in got.items() if k[1] == "hybrid"} == {(2022, "hybrid"): 1}
    # FY2019 phone calls (line 42): 豪 3, 印 2, 英 1, 独 1, デンマーク 1, UAE 2, イラン 2,
    # オマーン 1, サウジ 2, カタール 1, バーレーン (国軍司令官電話会談) 1 = 17.
    assert got[(2019, "phone")] == 17
    # FY2019's one video call: 日米韓参謀総長級テレビ会談(11月).
    assert got[(2019, "video")] == 1
    assert {m for _, m in got} == {"in_person", "phone", "video", "hybrid"}


def test_mode_share_by_year_keeps_stated_and_assumed_apart(graph):
    got = {(r["fy"], r["mode"]): r for r in rows("mode_share_by_year", graph)}
    for r in got.values():
        assert r["stated"] + r["assumed"] == r["events"]
    # The document never prints 対面: every in-person event is assumed (flag mode_assumed), and
    # a printed 電話 / VTC / テレビ / ハイブリッド is never a guess.
    assert all(r["stated"] == 0 for (_, m), r in got.items() if m == "in_person")
    assert all(r["assumed"] == 0 for (_, m), r in got.items() if m != "in_person")
    # FY2019 (line 42): the 17 phone calls and the one video call are printed as such.
    assert (got[(2019, "phone")]["stated"], got[(2019, "video")]["stated"]) == (17, 1)


def test_forum_hubs(graph):
    got = rows("forum_hubs", graph)
    # WPNS, FY2022 (lines 163-260): 16 events with 17 countries (one 日米韓-style meeting with
    # the US and ROK navies): IND KOR USA CAN NZL AUS GBR FRA VNM SGP BRN PAK FJI BGD COL CHL PER.
    assert got[0] == {
        "forum": "wpns",
        "label_ja": "WPNS",
        "countries": 17,
        "events": 16,
        "label_en": "Western Pacific Naval Symposium",  # forums.csv
    }
    by = {r["forum"]: r for r in got}
    # Shangri-La: 9 countries at the 19th, and the two multilateral entries (元年度 5月, 4年度 6月).
    assert by["shangri_la_dialogue"]["countries"] == 9
    assert by["shangri_la_dialogue"]["events"] == 13
    assert [r["countries"] for r in got] == sorted((r["countries"] for r in got), reverse=True)


def test_forum_naming_by_year(graph):
    got = {r["fy"]: r for r in rows("forum_naming_by_year", graph, indicator="high_level")}
    # Read off the high-level lists: FY2019 names two forums (第6回日米豪シニア・レベル・
    # セミナー, 第7回…シニア・リーダーズ・セミナー), FY2020 two (第8回…セミナー, エアロ・
    # インディア), FY2021 eleven (セミナー, ライシナ, 国際シーパワーシンポジウム ×4, 宇宙
    # シンポジウム ×2, 太平洋地域空軍参謀長等シンポジウム ×2, IMSC). FY2022: the issue's count of
    # 109 of 230 events, and "統幕長訪印" is now its own event sharing "(ニューデリー(ライシナ
    # 対話))": 110 of 231.
    assert {fy: (r["events"], r["atForum"]) for fy, r in got.items()} == {
        2019: (131, 2),
        2020: (111, 2),
        2021: (106, 11),
        2022: (231, 110),
    }
    assert float(got[2022]["share"]) == pytest.approx(110 / 231, abs=0.0005)
    assert float(got[2019]["share"]) < 0.02
    # every multilateral event is at a forum by construction (the list is of meetings)
    multi = rows("forum_naming_by_year", graph, indicator="multilateral")
    assert all(r["atForum"] == r["events"] for r in multi)


def test_forum_hubs_prints_the_style_caveat():
    note = get_query("forum_hubs").note
    assert "forum_naming_by_year" in note and "110 of 231" in note


def test_country_timeline_philippines(graph):
    got = rows("country_timeline", graph, country="PHL")
    # Counted by hand from 【フィリピン】 of each year, the consultations, 親善訓練 and research:
    # FY2019 11 (2 of them undated research items), FY2020 7, FY2021 8, FY2022 22.
    assert len(got) == 48
    undated = [r for r in got if "date" not in r]
    assert len(undated) == 2 and got[:2] == undated
    per_fy = Counter(fy_of(r["date"]) for r in got if "date" in r)
    assert per_fy == {2019: 9, 2020: 7, 2021: 8, 2022: 22}
    dates = [r["date"] for r in got if "date" in r]
    assert dates == sorted(dates)
    first = got[2]
    assert first["date"] == "2019-04" and first["actor"] == "minister"
    assert first["text"] == "防衛相会談(4月、11月)" and first["indicator"] == "high_level"
    drills = [r["date"] for r in got if r["text"].startswith("日フィリピン親善訓練")]
    assert drills == ["2021-07", "2021-11", "2022-04", "2022-11"]
    assert {r["indicator"] for r in got} == {
        "high_level", "consultation", "unit_exchange", "research",
    }  # fmt: skip
    two = [r for r in got if r.get("counterpart", "").count("、") == 1]
    # 陸幕長とフィリピン陸軍司令官及びフィリピン海兵隊司令官との懇談 (12月): both offices, one row.
    assert [r["counterpart"] for r in two] == ["フィリピン海兵隊司令官、フィリピン陸軍司令官"]


def test_country_timeline_forum_place_and_mode(graph):
    got = rows("country_timeline", graph, country="NLD")
    sld = [r for r in got if r.get("forum") == "第19回シャングリラ会合"]
    assert len(sld) == 1
    assert sld[0]["place"] == "シンガポール" and sld[0]["mode"] == "in_person"
    assert sld[0]["counterpart"] == "オランダ参謀総長"


def test_actor_counterparts(graph):
    got = rows("actor_counterparts", graph, actor="chief_joint_staff")
    # 統幕長と豪国防軍司令官: FY2020 電話会談(4月), FY2021 電話会談(令和4年2月),
    # FY2022 ライシナ(4月), NATO参謀長会議(5月), シャングリラ(6月), インド太平洋参謀長会議
    # (7月, with 豪統合作戦司令官), 日本(12月), ライシナ(令和5年3月), 日本(令和5年3月), and
    # 日米豪 ライシナ(令和5年3月) = 10.
    assert got[0] == {"counterpart": "オーストラリア国防軍司令官", "country": "AUS", "events": 10}
    # 統幕長とNATO軍事委員長: 電話会談(4月、11月) FY2020, テレビ会談(4月)(10月) FY2021,
    # シドニー(7月) and テレビ会談(令和5年3月) FY2022 = 6.
    assert {"counterpart": "NATO軍事委員長", "country": "NATO", "events": 6} in got
    # 統幕長インド訪問(令和2年1月): India, no office named -> a row without counterpart.
    assert any(r["country"] == "IND" and "counterpart" not in r for r in got)
    minister = rows("actor_counterparts", graph, actor="minister")
    assert all(r["country"] != "JPN" for r in minister)


def test_multichannel_partners(graph):
    got = {r["country"]: r for r in rows("multichannel_partners", graph)}
    # The Philippines: high-level, consultations, 親善訓練, research (⑩ ⑪ of 元年度), students.
    assert got["PHL"]["channels"] == 5 and got["PHL"]["events"] == 48
    assert all(r["channels"] >= 2 for r in got.values())
    # Jamaica: one high-level meeting, nothing else.
    assert "JAM" not in got


def test_students_by_country(graph):
    got = {
        (r["country"], r["fy"], r["direction"]): r["count"]
        for r in rows("students_by_country", graph)
    }
    assert got[("THA", 2019, "inbound")] == 10  # タイ10名
    assert got[("USA", 2019, "outbound")] == 116  # 米国116名
    assert got[("PHL", 2022, "inbound")] == 14  # フィリピン14名
    assert got[("NLD", 2022, "outbound")] == 1  # オランダ1名
    # The breakdowns add up to the totals the document states (合計104名, 127名, 65名 …).
    totals = Counter()
    for (_, fy, d), n in got.items():
        totals[(fy, d)] += n
    assert totals == {
        (2019, "inbound"): 104, (2019, "outbound"): 127,
        (2020, "inbound"): 65, (2020, "outbound"): 76,
        (2021, "inbound"): 92, (2021, "outbound"): 79,
        (2022, "inbound"): 104, (2022, "outbound"): 100,
    }  # fmt: skip
    thai = rows("students_by_country", graph, country="THA")
    assert {r["country"] for r in thai} == {"THA"} and len(thai) == 6


def test_budget_execution(graph):
    got = {(r["line"], r["fy"]): r for r in rows("budget_execution", graph)}
    assert len(got) == 18  # (1)-(5) and the total, FY2020-2022
    line3 = got[("3", 2021)]  # (3) ハイレベル政策的交流 … 420 (120)
    assert line3["label_ja"] == "ハイレベル政策的交流"
    assert (line3["budget"], line3["executed"]) == (420, 120)
    assert line3["rate"] == pytest.approx(0.286)
    total = got[("total", 2020)]  # 施策の予算額・執行額 613 (613)
    assert (total["budget"], total["executed"], total["rate"]) == (613, 613, 1)
    assert got[("2", 2020)]["rate"] == pytest.approx(0.030)  # 66 (2)
    # FY2022: execution not stated (※1).
    assert all("executed" not in r and "rate" not in r for (_, fy), r in got.items() if fy == 2022)
    assert got[("5", 2022)]["budget"] == 52


def test_budget_execution_states_its_unit_and_flags(graph):
    got = {(r["line"], r["fy"]): r for r in rows("budget_execution", graph)}
    assert {r["unit"] for r in got.values()} == {"百万円"}  # 予算額計(執行額) in 百万円
    # ※1 (line 30): no FY2022 execution is stated, on any line (22-28) nor the total.
    for (line, fy), r in got.items():
        if fy == 2022:
            assert "executed_not_stated_2022" in r["flags"].split(";"), line
    # FY2020: the total states 613 executed, the lines 89+2+34+13+7 = 145 (lines 22-28);
    # FY2022: the total states 600, the lines' budgets 141+89+284+33+52 = 599.
    assert got[("total", 2020)]["flags"] == "executed_sum_mismatch_2020"
    assert got[("total", 2022)]["flags"] == "budget_sum_mismatch_2022;executed_not_stated_2022"
    assert "flags" not in got[("3", 2021)]  # 420 (120): nothing to say
    assert got[("1", 2020)]["obs"] == JDXR + "budget/1/2020"
    assert {r["sourceLine"] for r in got.values()} == {22, 23, 24, 25, 27, 28}


def test_provenance_of_budget_and_student_figures(graph, source_lines):
    (p,) = rows("provenance", graph, event="jdxr:budget/1/2020")
    assert (p["text"], p["line"]) == ("112 (89)", 22)  # (1) 教育訓練履修給付金 112 (89)
    assert "112 (89)" in source_lines[21]
    (p,) = rows("provenance", graph, event="jdxr:budget/total/2021")
    assert (p["text"], p["line"]) == ("789 (324)", 28)  # 施策の予算額・執行額 789 (324)
    (p,) = rows("provenance", graph, event="jdxr:students/2019/inbound/THA")
    assert (p["text"], p["line"]) == ("タイ10名", 281)
    (p,) = rows("provenance", graph, event="jdxr:budget/5")  # the budget line itself
    assert p["line"] == 27 and "部隊レベル対話" in p["text"]
    thai = rows("students_by_country", graph, country="THA")
    assert {(r["fy"], r["direction"], r["line"]) for r in thai if r["direction"] == "inbound"} == {
        (2019, "inbound", 281), (2020, "inbound", 282),
        (2021, "inbound", 283), (2022, "inbound", 284),
    }  # fmt: skip
    for r in thai:
        (p,) = rows("provenance", graph, event=r["flow"])
        assert p["line"] == r["line"] and p["text"].startswith("タイ")


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("country_timeline", {"country": "PHL"}),
        ("consultations_by_country", {"country": "CAN"}),
        ("forum_edition_meetings", {"edition": SHANGRI_LA_19}),
        ("trilateral_events", {}),
    ],
)
def test_rows_about_events_lead_to_their_source(graph, source_lines, name, params):
    got = rows(name, graph, **params)
    assert got
    for r in got:
        (p,) = rows("provenance", graph, event=r["event"])
        assert (p["text"], p["line"]) == (r["text"], r["line"]), r
        assert _loose(p["text"])[:8] in _loose(source_lines[p["line"] - 1]), r


def test_new_partners(graph):
    got = rows("new_partners", graph, fy=2022)
    # Countries of FY2022 that no earlier year mentions: ルーマニア (研究交流
    # 駐日ルーマニア(4月)), ベルギー (5月), スウェーデン (6月), コロンビア (親善訓練 7月), チリ,
    # ミクロネシア, メキシコ, ソロモン諸島 (8月), カザフスタン (10月), チェコ (令和5年1月),
    # オーストリア (2月), スロベニア (3月). Not new: ブルガリア and リトアニア (研究交流 of
    # 元年度), バングラデシュ, ペルー, パラオ (親善訓練).
    assert [r["country"] for r in got] == [
        "ROU", "BEL", "SWE", "COL", "CHL", "FSM", "MEX", "SLB", "KAZ", "CZE", "AUT", "SVN",
    ]  # fmt: skip
    assert got[0] == {"country": "ROU", "label_en": "Romania", "firstDate": "2022-04"}
    assert got[-1]["firstDate"] == "2023-03"
    first_year = {r["country"] for r in rows("new_partners", graph, fy=2019)}
    assert {"AUS", "JAM", "BGR", "LTU", "NATO"} <= first_year
    assert not first_year & {r["country"] for r in got}


def test_trilateral_events(graph):
    got = rows("trilateral_events", graph)
    texts = {r["text"]: r for r in got}
    assert texts["日米豪防衛相会談(6月)"]["countries"] == 2  # line 42, FY2019
    sld = [r for r in got if r["text"].startswith("日米韓防衛相会談(シンガポール(第19回")]
    assert len(sld) == 1 and sld[0]["date"] == "2022-06" and sld[0]["countries"] == 2
    six = [r for r in got if r["text"].startswith("駐日エストニア、ラトビア、フィリピン")]
    assert six[0]["countries"] == 6  # research ⑩: EST LVA PHL NOR LTU MMR
    assert all(r["countries"] >= 2 for r in got)
    assert all(r["event"].startswith("https://w3id.org/jdx/id/event/") for r in got)
    with_aus = rows("trilateral_events", graph, country="AUS")
    assert {r["event"] for r in with_aus} < {r["event"] for r in got}
    assert "日米豪防衛相会談(6月)" in {r["text"] for r in with_aus}
    assert "日米韓防衛相会談(シンガポール(第19回シャングリラ会合))(6月)" not in {
        r["text"] for r in with_aus
    }


def test_provenance_points_at_the_source_line(graph, source_lines):
    doc = "https://w3id.org/jdx/id/source/" + hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]
    events = rows("trilateral_events", graph)
    for e in events:
        (p,) = rows("provenance", graph, event=e["event"])
        assert p["text"] == e["text"]
        assert p["document"] == doc
        line = source_lines[p["line"] - 1]
        assert _loose(p["text"])[:12] in _loose(line), (p["line"], p["text"])
    (p,) = rows("provenance", graph, event=events[0]["event"].replace(JDXR_IRI, "jdxr:"))
    assert p["text"] == events[0]["text"]


def _loose(s: str) -> str:
    """Width-folded, without spaces (the source mixes full- and half-width brackets)."""
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def test_provenance_of_a_shangri_la_meeting(graph, source_lines):
    (e,) = [
        r
        for r in rows("country_timeline", graph, country="AUS")
        if r.get("actor") == "chief_joint_staff" and r.get("forum") == "第19回シャングリラ会合"
    ]
    (ev,) = run_query(
        f"""SELECT ?e WHERE {{
              ?e jdx:atForum <{SHANGRI_LA_19}> ;
                 jdx:counterpartCountry <{AUS_IRI}> ;
                 jdx:japaneseParticipant <{JDXR}position/jp/chief_joint_staff> .
            }}""",
        graph=graph,
    ).rows
    (p,) = rows("provenance", graph, event=str(ev[0]))
    assert p["text"] == e["text"]
    assert p["line"] == 173 and e["text"] in source_lines[172]


def test_regions_by_year(graph):
    got = {(r["region"], r["fy"]): r for r in rows("regions_by_year", graph)}
    # NATO (high-level), EU (high-level) and ASEAN (ADMM-Plus …) in FY2019.
    assert got[("International", 2019)]["countries"] == 3
    assert got[("Oceania", 2019)]["countries"] == 2  # Australia, New Zealand


def test_visits_abroad_and_to_japan(graph):
    abroad = {r["country"]: r for r in rows("visits_abroad_by_destination", graph, fy=2019)}
    # 陸幕長インド訪問(10月), 統幕長インド訪問(令和2年1月), 海幕長インド訪問(令和2年2月).
    assert (abroad["IND"]["visits"], abroad["IND"]["offices"]) == (3, 3)
    assert abroad["IND"]["label_ja"] == "インド"
    to_japan = {
        r["country"]: r["visits"] for r in rows("visits_to_japan_by_origin", graph, fy=2019)
    }
    assert to_japan["VNM"] == 2  # 国防次官訪日(10月、令和2年2月)
    assert to_japan["TUR"] == 2  # 陸軍総司令官訪日(6月), 国防大臣訪日(7月)
    all_years = {r["country"]: r["visits"] for r in rows("visits_abroad_by_destination", graph)}
    assert all_years["IND"] > abroad["IND"]["visits"]


def test_consultations_with_ordinals(graph):
    got = rows("consultations_by_country", graph, country="CAN")
    assert [(r["fy"], r.get("ordinal")) for r in got] == [
        (2019, 11),
        (2019, 12),
        (2022, 12),
        (2022, 13),
    ]
    assert got[0]["text"] == "第11回日カナダ外務・防衛当局間協議（12月）"


def test_goodwill_exercises_by_partner(graph):
    got = {
        (r["country"], r["fy"]): r["exercises"]
        for r in rows("goodwill_exercises_by_partner", graph)
    }
    assert got[("MYS", 2019)] == 3  # 日マレーシア親善訓練(4月、5月、9月)
    assert got[("LKA", 2021)] == 3  # 日スリランカ親善訓練(6月、R4年1月、2月)
    assert got[("VNM", 2021)] == 3  # 日ベトナム親善訓練(10月、11月、R4年2月)
    assert ("DJI", 2019) not in got  # ジブチ軍に対する…能力強化支援 is capacity building


def test_multilateral_by_framework(graph):
    got = rows("multilateral_by_framework", graph, fy=2019)
    ct = [r for r in got if r["forum"] == "admm_plus_ewg_counter_terrorism"]
    # 専門家会合(対テロEWG)(4月、6月、9月、10月、12月), under the heading
    # ●拡大ASEAN国防相会議(ADMMプラス)関連会合.
    assert len(ct) == 1 and ct[0]["meetings"] == 5
    assert ct[0]["framework"] == "拡大ASEAN国防相会議(ADMMプラス)関連会合"
    assert {r["fy"] for r in got} == {2019}


# ------------------------------------------------------------------------------------------
#  Every backend gives the same answers
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backends():
    return {name: open_graph(name) for name in BACKENDS}


def test_the_backends_are_the_three_documented():
    assert BACKENDS == ("store", "store-memory", "memory")


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "queries").glob("*.rq")))
def test_backends_agree(backends, name):
    params = EXAMPLE_PARAMS.get(name)
    if name == "provenance":
        ev = run_query("trilateral_events", graph=backends["store"]).rows[0][0]
        params = {"event": str(ev)}
    results = {b: run_query(name, params, graph=g) for b, g in backends.items()}
    store = results["store"]
    assert store.rows, f"{name} returned nothing"
    for backend, res in results.items():
        assert res.variables == get_query(name).variables, backend
        assert res.rows == store.rows, backend


def test_service_hidden_after_a_unicode_escaped_iri_is_refused() -> None:
    """An escaped IRI (<rdf:\\u0041#>) must not make the rest of the line look like a comment."""
    from kg.sparql.policy import check

    text = "SELECT * WHERE { ?s <rdf:\\u0041#> ?o SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c } }"
    with pytest.raises(QueryError, match="SERVICE"):
        check(text, syntax=True, deep=True)


# ------------------------------------------------------------------------------------------
#  People (data/gazetteer/office_holders.csv; each fact read on the page the row cites)
# ------------------------------------------------------------------------------------------


def test_who_held_the_minister_of_defense_in_january_2021(graph):
    # 岸信夫: appointed 16 September 2020 (news24.jp), succeeded 10 August 2022 (boueinews.com).
    got = rows("holders_of", graph, office="minister", date="2021-01")
    assert [(r["name_ja"], r["start"], r["end"]) for r in got] == [
        ("岸信夫", "2020-09-16", "2022-08-10")
    ]
    assert got[0]["person"] == JDXR + "person/kishi_nobuo"


def test_holders_in_a_handover_day_or_month_are_both_given(graph):
    # 河野太郎 handed over to 岸信夫 on 16 September 2020; 丸茂吉成 to 井筒俊司 in August 2020
    # (令和2年8月 就任, day not confirmed).
    on_day = rows("holders_of", graph, office="minister", date="2020-09-16")
    assert [r["name_ja"] for r in on_day] == ["河野太郎", "岸信夫"]
    in_month = rows("holders_of", graph, office="chief_asdf", date="2020-08")
    assert [(r["name_ja"], r["startPrecision"], r["endPrecision"]) for r in in_month] == [
        ("丸茂吉成", "day", "month"),
        ("井筒俊司", "month", "day"),
    ]


def test_holders_of_an_office_over_the_whole_period(graph):
    got = rows("holders_of", graph, office="chief_joint_staff")
    assert [r["name_ja"] for r in got] == ["山崎幸二", "吉田圭秀"]
    # October 2021: 松川るい left on the 6th, when 岩本剛人 came; 大西宏幸 was reappointed.
    two_seats = rows("holders_of", graph, office="parliamentary_vice_minister", date="2021-10")
    assert sorted(r["name_ja"] for r in two_seats) == ["大西宏幸", "岩本剛人", "松川るい"]
    by = rows("holders_of", graph, office="state_minister", date="2019-05")
    assert [(r["name_ja"], r["start"], r["startPrecision"]) for r in by] == [
        ("原田憲治", "2019-02-27", "by")
    ]


def test_meetings_by_person(graph):
    got = rows("meetings_by_person", graph, person=JDXR + "person/kishi_nobuo")
    assert got and all(r["actor"] == "minister" for r in got)
    # Every event is in his tenure; a certain one lies in a month he held throughout.
    assert all("2020-09" <= r["date"] <= "2022-08" for r in got)
    assert all(r["certain"] is False for r in got if r["date"] in ("2020-09", "2022-08"))
    assert any(r["certain"] is True for r in got if r["date"] == "2021-01")
    # line 102, FY2020 【サウジアラビア】防衛相電話会談(9月): 河野 or 岸 (handover on the 16th).
    sau = [r for r in got if r["country"] == "SAU" and r["date"] == "2020-09"]
    assert [(r["certain"], r["text"]) for r in sau] == [(False, "防衛相電話会談(9月)")]


def test_holders_of_a_partners_office(graph):
    """Read on the pages office_holders.csv cites: Linda Reynolds, Australia's Minister for
    Defence from 29 May 2019 to 30 March 2021, then Peter Dutton (to May 2022), Richard Marles
    from 1 June 2022; Ben Wallace took over from Penny Mordaunt on 24 July 2019; Bacarro handed
    the AFP back to Centino on 6 January 2023."""

    def names(office: str, country: str, date: str) -> list[str]:
        got = rows("holders_of", graph, office=office, country=country, date=date)
        return [r["name_en"] for r in got]

    assert names("minister_of_defence", "AUS", "2021-01") == ["Linda Reynolds"]
    assert names("minister_of_defence", "AUS", "2021-06") == ["Peter Dutton"]
    assert names("minister_of_defence", "AUS", "2022-05") == ["Peter Dutton"]
    assert names("minister_of_defence", "AUS", "2022-06") == ["Richard Marles"]
    assert names("minister_of_defence", "GBR", "2019-07") == ["Penny Mordaunt", "Ben Wallace"]
    assert names("chief_of_general_staff", "PHL", "2023-01") == [
        "Bartolome Bacarro",
        "Andres Centino",
    ]
    # without a country, the Japanese office of that code (none is called minister_of_defence)
    assert rows("holders_of", graph, office="minister_of_defence") == []


def test_meetings_by_person_names_the_counterpart_met(graph):
    # line 42, FY2020 【オーストラリア】防衛相会談(10月): 岸信夫 and Linda Reynolds, each in office
    # all of October 2020; line 229, FY2022 【フィリピン】日フィリピン防衛相会談（東京）（4月）:
    # Delfin Lorenzana (Secretary of National Defense until 30 June 2022).
    got = rows("meetings_by_person", graph, person=JDXR + "person/kishi_nobuo")
    october = [r for r in got if r["text"] == "防衛相会談(10月)" and r["country"] == "AUS"]
    assert [(r["date"], r["met"], r["metCertain"]) for r in october] == [
        ("2020-10", "Linda Reynolds", True)
    ]
    tokyo = [r for r in got if r["text"] == "日フィリピン防衛相会談（東京）（4月）"]
    assert [(r["date"], r["met"]) for r in tokyo] == [("2022-04", "Delfin Lorenzana")]
    # a counterpart office with no holders in the table: no one named
    sau = [r for r in got if r["country"] == "SAU"]
    assert sau and all(r.get("met") is None for r in sau)
