"""Every event's English label is a sentence made from its structure, with no raw code in it."""

from __future__ import annotations

import re

import pytest
from rdflib import RDFS, Graph, Literal, URIRef

from kg import paths
from kg.model.records import Event
from kg.pipeline import BuildResult
from kg.pipeline.english import EventLabels, join, load_phrases, ordinal
from kg.pipeline.rules import read_csv

JDXR = "https://w3id.org/jdx/id/"
GAZETTEER = paths.data_dir() / "gazetteer"


@pytest.fixture(scope="module")
def labels(build: BuildResult) -> EventLabels:
    return EventLabels(build.gazetteer, load_phrases())


def english_label(g: Graph, event_id: str) -> str:
    """The one English label of jdxr:event/<event_id> (or of ``../<path>``: jdxr:<path>)."""
    local = event_id[3:] if event_id.startswith("../") else f"event/{event_id}"
    found = [
        str(o)
        for o in g.objects(URIRef(f"{JDXR}{local}"), RDFS.label)
        if isinstance(o, Literal) and o.language == "en"
    ]
    assert len(found) == 1, (event_id, found)
    return found[0]


def test_ordinals_and_lists():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 19, 21, 22, 59, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "19th", "21st", "22nd", "59th",
        "111th",
    ]  # fmt: skip
    assert join([]) == "" and join(["A"]) == "A" and join(["A", "B"]) == "A and B"
    assert join(["A", "B", "C"]) == "A, B and C"


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        # 空幕長とドイツ空軍総監との会談（9月）, FY2022
        (
            "2022-hl-ff75d08145",
            "Chief of Staff, Air Self-Defense Force met the Inspector of the Air Force of Germany "
            "(September 2022)",
        ),
        # 日米豪防衛相テレビ会談(7月), FY2020
        (
            "2020-hl-0c8e09c1bd",
            "Minister of Defense – Australia and United States video conference (July 2020)",
        ),
        # 日加防衛相会談((シンガポール)第19回シャングリラ会合)(6月)
        (
            "2022-hl-da372c3986",
            "Minister of Defense – Canada meeting at the 19th IISS Asia Security Summit "
            "(Shangri-La Dialogue) in Singapore (June 2022)",
        ),
        # 日米ソロモン親善訓練(8月): "the" only in running text, not in "Japan–…"
        (
            "2022-ux-1c6404b6f6",
            "Japan–Solomon Islands–United States goodwill exercise (August 2022)",
        ),
    ],
)
def test_known_events_read_as_sentences(kg_graph: Graph, event_id: str, expected: str):
    """Labels written out by hand from the source item, checked in the committed graph."""
    assert english_label(kg_graph, event_id) == expected


def _codes() -> tuple[set[str], set[str]]:
    iso3 = {r["code"] for r in read_csv(GAZETTEER / "countries.csv") if r["kind"] == "country"}
    slugs = {
        r["slug"]
        for name in ("jp_offices", "foreign_titles", "forums", "places")
        for r in read_csv(GAZETTEER / f"{name}.csv")
    }
    return iso3, slugs


def test_every_event_has_one_english_label_without_raw_codes(kg_graph: Graph, build: BuildResult):
    """No ISO3 code, no slug, no YYYY-MM and no kind or mode code in any event's English label;
    the Japanese office, every country and the month are there in English."""
    iso3, slugs = _codes()
    codes = {"in_person", "visit_abroad", "visit_to_japan", "high_level", "unit_exchange"}
    gz = build.gazetteer
    phrases = read_csv(paths.data_dir() / "rules" / "english.csv")
    months = {r["key"]: r["en"] for r in phrases if r["field"] == "month"}
    assert build.events
    for e in build.events:
        text = english_label(kg_graph, e.id)
        words = set(re.findall(r"[A-Za-z_]+", text))
        assert not words & iso3, (e.id, text)
        assert not {w for w in words if "_" in w} and not words & slugs - {"president"}, text
        assert not re.search(r"\d{4}-\d{2}", text), text
        assert not any(c in text for c in codes), text
        assert not text[0].islower() and text.count("(") == text.count(")"), text
        if e.jp_actor:
            assert gz.jp_offices[e.jp_actor].name_en in text, text
        for code in e.countries:
            assert gz.countries[code].name_en in text or e.forum, (e.id, code, text)
        if e.date:
            year, month = e.date.split("-")
            assert months[str(int(month))] in text and year in text, text
        else:
            assert f"(FY{e.fiscal_year})" in text, text


def test_every_named_thing_has_a_plain_english_name(kg_graph: Graph):
    """Positions, forums, editions, places, organizations and countries: one @en label each,
    not empty and not a code."""
    iso3, slugs = _codes()
    kinds = ("position/", "forum/", "place/", "org/", "country/")
    seen = 0
    for s in set(kg_graph.subjects(RDFS.label, None)):
        local = str(s).removeprefix(JDXR)
        if not local.startswith(kinds):
            continue
        en = [o for o in kg_graph.objects(s, RDFS.label) if getattr(o, "language", "") == "en"]
        assert len(en) == 1, (s, en)
        text = str(en[0])
        assert text.strip() and text not in iso3 | slugs and "_" not in text, (s, text)
        assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text), (s, text)
        seen += 1
    assert seen > 200


def test_the_phrases_cover_every_mode_and_month(labels: EventLabels):
    say = labels.say
    for mode in ("in_person", "phone", "video", "hybrid", ""):
        assert say("verb", mode) and say("noun", mode)
    assert [say("month", str(m)) for m in (1, 4, 12)] == ["January", "April", "December"]
    assert {"USA", "GBR", "PHL"} <= say.the and "AUS" not in say.the


def test_a_period_across_the_new_year(labels: EventLabels, build: BuildResult):
    e = next(e for e in build.events if e.date and e.end_date)  # any period will do
    changed = Event(**{**e.__dict__, "date": "2020-10", "end_date": "2021-03"})
    assert labels.when(changed) == "October 2020–March 2021"
    same = Event(**{**e.__dict__, "date": "2020-10", "end_date": "2020-12"})
    assert labels.when(same) == "October–December 2020"


def test_budget_lines_have_english_names(kg_graph: Graph, build: BuildResult):
    """Each budget line (達成手段) is named in English, from english.csv, not by its number."""
    rows = read_csv(paths.data_dir() / "rules" / "english.csv")
    names = {r["key"]: (r["en"], r["note"]) for r in rows if r["field"] == "budget_line"}
    lines = build.extraction.budget
    assert lines and {b.item_no for b in lines} == set(names)
    for b in lines:
        en, ja = names[b.item_no]
        assert ja == b.name, "english.csv names the line the source prints"
        found = english_label(kg_graph, f"../budget/{b.item_no}")
        assert found == en and not found.startswith("Budget line"), found
