"""kg.sparql.lookup: search by name over the built graph, names as parameter values, and
what parameters take. Expected hits come from the gazetteer rows and the document's tables."""

from __future__ import annotations

import csv
import unicodedata

import pytest

from kg import paths
from kg.errors import QueryError
from kg.sparql.catalogue import get_query
from kg.sparql.lookup import lookup, names, param_help, resolve_params, types
from kg.sparql.run import run_query

JDXR = "https://w3id.org/jdx/id/"


def rows(table: str) -> list[dict[str, str]]:
    with (paths.data_dir() / "gazetteer" / table).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def row_with_alias(table: str, alias: str) -> dict[str, str]:
    (row,) = [r for r in rows(table) if alias in r["aliases"].split("|")]
    return row


def top(text: str, **kw) -> str:
    hits = lookup(text, **kw)
    assert hits, text
    return hits[0].iri


def test_an_office_is_found_by_its_alias_its_names_and_its_code():
    office = row_with_alias("jp_offices.csv", "統幕長")
    iri = JDXR + "position/jp/" + office["slug"]
    for text in ("統幕長", office["name_ja"], office["name_en"], office["slug"]):
        assert top(text) == iri, text
    hit = lookup(office["name_en"].upper())[0]  # any case
    assert (hit.type, hit.code, hit.level) == ("office", office["slug"], "exact")
    assert hit.page == "/id/position/jp/" + office["slug"]


def test_a_country_is_found_by_a_one_character_alias_and_its_names():
    country = row_with_alias("countries.csv", "豪")
    for text in ("豪", country["name_ja"], country["name_en"], country["code"].lower()):
        assert top(text) == JDXR + "country/" + country["code"], text
    for alias, name in (("英", "United Kingdom"), ("米", "United States")):
        (row,) = [r for r in rows("countries.csv") if r["name_en"] == name]
        assert alias in row["aliases"].split("|")
        assert top(alias, types="country") == JDXR + "country/" + row["code"]


def test_a_forum_is_found_by_its_acronym_and_part_of_its_name():
    forum = row_with_alias("forums.csv", "SLD")
    iri = JDXR + "forum/" + forum["slug"]
    assert top("SLD") == iri
    assert (
        top("シャングリラ") == iri
    )  # a prefix of シャングリラ会合; the series before its editions
    editions = lookup("シャングリラ", types="edition", limit=None)
    prefixed = [h for h in editions if h.level == "prefix"]  # the series' editions, then others
    assert prefixed == editions[: len(prefixed)]
    assert prefixed and all(h.iri.startswith(iri + "/") for h in prefixed)


def test_two_character_words_find_names_and_events():
    found = {h.code for h in lookup("防衛", types="office", limit=None)}
    assert found == {r["slug"] for r in rows("jp_offices.csv") if "防衛" in r["name_ja"]}
    with (paths.data_dir() / "events.csv").open(encoding="utf-8") as fh:
        expected = {
            JDXR + "event/" + r["id"]
            for r in csv.DictReader(fh)
            if "会談" in unicodedata.normalize("NFKC", r["source_text"])
        }
    hits = lookup("会談", types="event", limit=None)
    assert expected and {h.iri for h in hits} == expected


def test_hits_are_ranked_typed_and_each_resource_comes_once():
    known = {t.type for t in types()}
    hits = lookup("オーストラリア", limit=None)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.iri for h in hits}) == len(hits)
    assert {h.type for h in hits} <= known and {"country", "place", "organization"} <= {
        h.type for h in hits
    }
    assert hits[0].type == "country"  # an exact country before the exact place of that name


def test_language_and_type_restrict_the_hits():
    assert lookup("Australia", lang="ja", types="country") == []
    assert top("Australia", lang="en", types="country") == JDXR + "country/AUS"
    with pytest.raises(QueryError, match="unknown type 'countries'"):
        lookup("豪", types="countries")
    offices = lookup("", types="office", limit=None)
    assert {h.code for h in offices} == {r["slug"] for r in rows("jp_offices.csv")}


def test_the_names_are_read_once_per_graph():
    from kg.sparql.run import default_graph

    assert names(default_graph()) is names(default_graph())


# ------------------------------------------------------------------------------------------
#  Names as parameter values
# ------------------------------------------------------------------------------------------


def test_an_office_named_any_way_gives_the_same_rows():
    office = row_with_alias("jp_offices.csv", "統幕長")
    expected = run_query("actor_counterparts", {"actor": office["slug"]}).rows
    assert expected
    for value in ("統幕長", office["name_ja"], office["name_en"], office["name_en"].lower()):
        assert run_query("actor_counterparts", {"actor": value}).rows == expected, value


def test_a_country_named_any_way_gives_the_same_rows():
    expected = run_query("country_timeline", {"country": "PHL"}).rows
    assert expected
    row = next(r for r in rows("countries.csv") if r["code"] == "PHL")
    values = ["phl", row["name_ja"], row["name_en"], *row["aliases"].split("|")]
    for value in values:
        assert run_query("country_timeline", {"country": value}).rows == expected, value


def test_resolved_values_are_the_codes():
    q = get_query("country_timeline")
    assert resolve_params(q, {"country": "フィリピン"}) == {"country": "PHL"}
    q = get_query("actor_counterparts")
    assert resolve_params(q, {"actor": "統合幕僚長"}) == {"actor": "chief_joint_staff"}
    assert resolve_params(q, {"actor": "minister"}) == {"actor": "minister"}  # a code stays


def test_an_ambiguous_name_lists_the_candidates():
    chiefs = sorted(r["slug"] for r in rows("jp_offices.csv") if r["name_ja"].endswith("幕僚長"))
    assert len(chiefs) == 4
    with pytest.raises(QueryError, match="ambiguous") as err:
        run_query("actor_counterparts", {"actor": "幕僚長"})  # part of four names
    assert all(c in str(err.value) for c in chiefs)
    with pytest.raises(QueryError, match="did you mean PHL"):
        run_query("country_timeline", {"country": "PH"})  # a part is not taken for the whole


def test_a_name_of_another_type_says_what_it_names():
    with pytest.raises(QueryError, match="フィリピン is a country, PHL"):
        run_query("actor_counterparts", {"actor": "フィリピン"})


def test_a_name_that_names_nothing_says_how_to_list_the_values():
    with pytest.raises(QueryError, match="kg lookup --type office"):
        run_query("actor_counterparts", {"actor": "存在しない役職"})
    with pytest.raises(QueryError, match="country"):
        run_query("country_timeline", {"country": "Atlantis"})


def test_param_help_gives_meaning_and_values():
    (fy,) = [h for h in param_help(get_query("new_partners")) if h.name == "fy"]
    assert fy.values == ("2019", "2020", "2021", "2022") and fy.meaning
    (actor,) = param_help(get_query("actor_counterparts"))
    assert actor.lister == "kg lookup --type office" and actor.names == "office"
    assert "jdx" not in actor.text() and "kg lookup --type office" in actor.text()
    (country,) = param_help(get_query("country_timeline"))
    assert country.names == "country" and country.lister == "kg lookup --type country"


def test_the_examples_of_the_docs_hold():
    import doctest

    from kg.sparql import lookup as module

    assert doctest.testmod(module).failed == 0


def test_an_edition_named_as_printed_gives_the_rows_of_its_iri():
    forum = row_with_alias("forums.csv", "SLD")
    iri = JDXR + "forum/" + forum["slug"] + "/19"
    expected = run_query("forum_edition_meetings", {"edition": iri}).rows
    assert expected
    printed = "第19回" + forum["name_ja"]  # as the document prints it
    assert run_query("forum_edition_meetings", {"edition": printed}).rows == expected
    with pytest.raises(QueryError, match="is a forum") as err:  # the series: which edition?
        run_query("forum_edition_meetings", {"edition": forum["name_ja"]})
    assert "pass one of" in str(err.value) and "jdxr:forum/shangri_la_dialogue/19" in str(err.value)


def test_a_pyoxigraph_store_is_searched_as_kg_serve_holds_it():
    from kg.store.local import memory_store

    store = memory_store(paths.data_dir() / "kg.nt")
    index = names(store)
    assert index is names(store)  # read once
    assert [h.iri for h in index.search("統幕長", limit=3)] == [
        h.iri for h in lookup("統幕長", limit=3)
    ]


def test_a_name_with_stray_syntax_is_not_taken_for_a_code():
    with pytest.raises(QueryError, match="bad value 'PHL } {'"):
        run_query("country_timeline", {"country": "PHL } {"})
    office = row_with_alias("jp_offices.csv", "統幕長")
    bare = office["name_en"].replace(",", "")  # its punctuation left out: still the office
    assert resolve_params(get_query("actor_counterparts"), {"actor": bare}) == {
        "actor": office["slug"]
    }
