"""Splitting a list at 、 outside parentheses, and the shape of one item (kg.items).

Parsing sees folded text (kg.located.fold turns full-width parentheses into ASCII ones without
changing the length), so the splitter only needs to know "(" and ")".
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg.pipeline.items import shape, split_items
from kg.pipeline.located import Located, fold


def texts(text: str, start: int = 0) -> tuple[list[str], bool]:
    parts, balanced = split_items(Located.of(text, start))
    return [p.text for p in parts], balanced


# -- split_items -------------------------------------------------------------------------------


def test_comma_inside_parentheses_does_not_split() -> None:
    assert texts("防衛相会談(6月、11月)") == (["防衛相会談(6月、11月)"], True)
    assert texts("防衛相電話会談(10月、10月、12月)") == (["防衛相電話会談(10月、10月、12月)"], True)


def test_comma_outside_parentheses_splits() -> None:
    parts, balanced = texts(
        "防衛相会談(6月、11月)、第6回日米豪シニア・レベル・セミナー(8月)(統幕長)"
    )
    assert balanced
    assert parts == ["防衛相会談(6月、11月)", "第6回日米豪シニア・レベル・セミナー(8月)(統幕長)"]


def test_nested_parentheses() -> None:
    text = (
        "海幕長とインド海軍後部コマンド司令官との会談((シドニー・豪州)IP22)(5月)、"
        "日米韓防衛相会談(シンガポール(第19回シャングリラ会合))(6月)、"
        "専門家会合(EWG)(対テロEWG(6月、12月)、HA/DR-EWG(4月、11月))"
    )
    parts, balanced = texts(text)
    assert balanced
    assert parts == [
        "海幕長とインド海軍後部コマンド司令官との会談((シドニー・豪州)IP22)(5月)",
        "日米韓防衛相会談(シンガポール(第19回シャングリラ会合))(6月)",
        "専門家会合(EWG)(対テロEWG(6月、12月)、HA/DR-EWG(4月、11月))",
    ]


def test_full_width_parentheses_after_fold() -> None:
    raw = "日伊防衛相会談（東京）（4月）、防衛相会談（６月、１１月）"
    folded = fold(raw)
    assert len(folded) == len(raw)
    parts, balanced = texts(folded)
    assert balanced
    assert parts == ["日伊防衛相会談(東京)(4月)", "防衛相会談(6月、11月)"]


def test_full_width_parentheses_are_not_parentheses_before_fold() -> None:
    # The splitter relies on fold(): unfolded full-width parentheses are ordinary characters.
    parts, balanced = texts("会談（6月、11月）")
    assert balanced
    assert parts == ["会談（6月", "11月）"]


def test_every_part_keeps_its_offsets() -> None:
    text = "A(1、2)、B、C(3)"
    parts, _ = split_items(Located.of(text, 100))
    assert [p.text for p in parts] == ["A(1、2)", "B", "C(3)"]
    for p in parts:
        assert p.pos == tuple(range(p.pos[0], p.pos[0] + len(p.text)))
        assert text[p.pos[0] - 100 : p.pos[0] - 100 + len(p.text)] == p.text


def test_empty_parts_are_kept() -> None:
    # 【インドネシア】陸幕長とインドネシア陸軍参謀長との電話会談(8月)、 ends with a comma.
    assert texts("会談(8月)、") == (["会談(8月)", ""], True)
    assert texts("") == ([""], True)
    assert texts("、") == (["", ""], True)


def test_other_separator() -> None:
    parts, balanced = split_items(Located.of("A(1,2),B", 0), sep=",")
    assert [p.text for p in parts] == ["A(1,2)", "B"]
    assert balanced


def test_unclosed_parenthesis_is_reported() -> None:
    parts, balanced = texts(
        "日スペイン副大臣会談(マドリッド(令和5年1月)、日英伊防衛相会談(令和5年3月)"
    )
    assert balanced is False
    # everything after the open parenthesis stays in one part
    assert parts == ["日スペイン副大臣会談(マドリッド(令和5年1月)、日英伊防衛相会談(令和5年3月)"]


def test_stray_closing_parenthesis_is_reported() -> None:
    # 海幕長とサウジアラビア海軍司令官との会談(シドニー・豪州)IP22)(5月): one ")" too many
    parts, balanced = texts("会談(シドニー・豪州)IP22)(5月)、B(6月)")
    assert balanced is False
    assert parts == ["会談(シドニー・豪州)IP22)(5月)", "B(6月)"]


# -- shape -------------------------------------------------------------------------------------


def test_shape_separates_bare_words_and_groups() -> None:
    sh = shape("第6回日米豪シニア・レベル・セミナー(8月)(統幕長)")
    assert sh.balanced
    assert sh.bare == "第6回日米豪シニア・レベル・セミナー"
    assert [g.text for g in sh.groups] == ["8月", "統幕長"]
    text = "第6回日米豪シニア・レベル・セミナー(8月)(統幕長)"
    assert [g.start for g in sh.groups] == [text.index("(8月"), text.index("(統幕長")]


def test_shape_keeps_nested_groups_whole() -> None:
    sh = shape("日米韓防衛相会談(シンガポール(第19回シャングリラ会合))(6月)")
    assert sh.bare == "日米韓防衛相会談"
    assert [g.text for g in sh.groups] == ["シンガポール(第19回シャングリラ会合)", "6月"]
    sh = shape("会談((シドニー・豪州)IP22)(5月)")
    assert [g.text for g in sh.groups] == ["(シドニー・豪州)IP22", "5月"]


def test_shape_of_text_between_groups() -> None:
    sh = shape("日ベトナム防衛相会談(東京)及びベトナム国防次官訪日(11月)")
    assert sh.bare == "日ベトナム防衛相会談及びベトナム国防次官訪日"
    assert [g.text for g in sh.groups] == ["東京", "11月"]


def test_shape_unbalanced() -> None:
    sh = shape("会談(マドリッド(令和5年1月)")
    assert sh.balanced is False
    assert [g.text for g in sh.groups] == ["マドリッド(令和5年1月)"]
    sh = shape("会談)(5月)")
    assert sh.balanced is False
    assert sh.bare == "会談"
    assert [g.text for g in sh.groups] == ["5月"]


# -- properties --------------------------------------------------------------------------------

# Item-like text: words, 、 and both widths of parentheses, folded as the pipeline does.
PIECES = ["会談", "6月", "東京", "・", "IP22", "、", "(", ")", "（", "）"]
RAW = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def well_formed(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def top_level_commas(text: str) -> int:
    """Commas at depth 0, reading the text alone (a stray ")" does not go below 0)."""
    depth, n = 0, 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch == "、" and depth == 0:
            n += 1
    return n


@given(RAW)
def test_joining_the_parts_gives_back_the_input(raw: str) -> None:
    text = fold(raw)
    parts, _ = texts(text)
    assert "、".join(parts) == text


@given(RAW)
def test_no_part_holds_a_top_level_comma(raw: str) -> None:
    text = fold(raw)
    parts, _ = texts(text)
    assert all(top_level_commas(p) == 0 for p in parts)
    # and the input had exactly one top-level comma per cut
    assert top_level_commas(text) == len(parts) - 1


@given(RAW, st.integers(min_value=0, max_value=10_000))
def test_parts_are_slices_of_the_input(raw: str, start: int) -> None:
    text = fold(raw)
    parts, _ = split_items(Located.of(text, start))
    for p in parts:
        assert len(p.text) == len(p.pos)
        for ch, pos in zip(p.text, p.pos, strict=True):
            assert text[pos - start] == ch


@given(RAW)
def test_balance_is_reported_never_raised(raw: str) -> None:
    text = fold(raw)
    _, balanced = texts(text)
    assert balanced is well_formed(text)
    assert shape(text).balanced is well_formed(text)


@given(RAW)
def test_balanced_parts_stay_balanced(raw: str) -> None:
    text = fold(raw)
    parts, balanced = texts(text)
    if balanced:
        assert all(well_formed(p) for p in parts)


@given(RAW)
def test_shape_accounts_for_every_character(raw: str) -> None:
    text = fold(raw)
    sh = shape(text)
    if sh.balanced:
        grouped = sum(len(g.text) + 2 for g in sh.groups)
        inside = {i for g in sh.groups for i in range(g.start, g.start + len(g.text) + 2)}
        outside = "".join(ch for i, ch in enumerate(text) if i not in inside)
        assert outside.strip() == sh.bare
        assert grouped + len(outside) == len(text)
        for g in sh.groups:
            assert text[g.start] == "(" and text[g.start + len(g.text) + 1] == ")"
