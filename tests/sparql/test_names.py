"""kg.sparql.names: the one normalisation and ranking of names (search and "did you mean")."""

from __future__ import annotations

from kg.sparql.names import LEVELS, NameIndex, closest, grams, normalize, score


def test_normalisation_folds_width_case_punctuation_and_spaces():
    assert normalize("Chief of Staff, Joint Staff") == normalize("chief of staff joint staff")
    assert normalize("chief_joint_staff") == "chiefjointstaff"
    assert normalize("ＡＳＥＡＮ") == normalize("asean") == "asean"  # full-width letters
    assert normalize("ソウル・ディフェンス・ダイアログ") == "ソウルディフェンスダイアログ"
    assert normalize("ｶﾀｶﾅ") == "カタカナ"  # half-width kana (NFKC)
    assert normalize(" 、。") == ""


def test_one_character_names_are_their_own_gram_and_longer_ones_bigrams():
    assert grams("豪") == {"豪"}
    assert grams("防衛") == {"防衛"}
    assert grams("防衛省") == {"防衛", "衛省"}
    assert grams("") == frozenset()


def test_levels_rank_exact_over_prefix_over_substring_over_overlap():
    exact, prefix, sub, over = (
        score("防衛大臣", "防衛大臣"),
        score("防衛", "防衛大臣政務官"),
        score("大臣", "防衛大臣政務官"),
        score("philipines", "philippines"),
    )
    assert [x[1] for x in (exact, prefix, sub, over)] == list(LEVELS)
    assert exact[0] > prefix[0] > sub[0] > over[0]
    for value, level in (exact, prefix, sub, over):
        low, high = LEVELS[level]
        assert low <= value <= high
    assert score("xyz", "防衛省") is None
    assert score("ab", "ba") is None  # two characters: only exact, prefix or substring


def test_two_character_words_are_found_inside_unspaced_japanese():
    index = NameIndex([(1, "日米防衛相会談"), (2, "防衛省"), (3, "会議"), (4, "防衛大臣")])
    assert {m.key for m in index.search("防衛")} == {1, 2, 4}
    assert [m.key for m in index.search("会談")] == [1]
    assert [m.key for m in index.search("防衛")][:2] == [2, 4]  # prefixes first, shorter first


def test_a_one_character_alias_is_found_exactly_and_inside_names():
    index = NameIndex([("AUS", "オーストラリア"), ("AUS", "豪"), ("EVT", "豪海軍本部長訪日")])
    hits = index.search("豪")
    assert [(m.key, m.level, m.name) for m in hits] == [
        ("AUS", "exact", "豪"),
        ("EVT", "prefix", "豪海軍本部長訪日"),
    ]


def test_a_key_comes_once_with_its_best_name_and_filters_apply():
    index = NameIndex([("a", "Chief of Staff"), ("a", "chief"), ("b", "chief of army")])
    hits = index.search("chief")
    assert [(m.key, m.level) for m in hits] == [("a", "exact"), ("b", "prefix")]
    assert [m.key for m in index.search("chief", accept=lambda k: k == "b")] == ["b"]
    assert len(index.search("chief", limit=1)) == 1
    assert index.search("") == []


def test_closest_offers_near_codes_and_nothing_for_nonsense():
    assert closest("PHI", ["PHL", "AUS", "IND"]) == ["PHL"]
    assert closest("chief_joint_staf", ["chief_joint_staff", "chief_gsdf", "minister"])[0] == (
        "chief_joint_staff"
    )
    assert closest("zzzz", ["PHL", "AUS"]) == []


def test_the_examples_of_the_docs_hold():
    import doctest

    from kg.sparql import names

    assert doctest.testmod(names).failed == 0


def test_a_given_name_may_leave_out_punctuation_not_add_its_own():
    from kg.sparql.names import fits

    assert fits("Chief of Staff Joint Staff", "Chief of Staff, Joint Staff")
    assert fits("ｃｈｉｅｆ　ＯＦ staff, joint staff", "Chief of Staff, Joint Staff")
    assert not fits("PHL } {", "PHL") and not fits('AUS" } ?s ?p ?o {', "AUS")
    assert not fits("Chief of Staff", "Chief of Staff, Joint Staff")  # equal names only
