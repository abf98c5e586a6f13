"""kg.viz.page: what the three self-contained pages inline, made safe one way."""

from __future__ import annotations

import doctest
import json

from kg import paths
from kg.viz import page


def _safe(text: str) -> bool:
    return text.isascii() and not set(text) & {"<", ">", "&"}


def test_the_examples_in_the_docstrings_hold():
    assert doctest.testmod(page).failed == 0


def test_json_text_is_made_safe_without_changing_its_value():
    text = '{"a": "</script><b>&amp;", "b": ["Côte", "😀", 1.5e3, null]}'
    safe = page.script_json_text(text)
    assert _safe(safe) and json.loads(safe) == json.loads(text)
    assert "\\ud83d\\ude00" in safe  # beyond U+FFFF: a surrogate pair, as JSON writes it


def test_the_world_map_inlined_is_the_npm_files_value():
    raw = paths.npm_file("world-atlas", "countries-50m.json").read_text(encoding="utf-8")
    safe = page.script_json_text(raw)
    assert _safe(safe) and json.loads(safe) == json.loads(raw)


def test_script_json_escapes_markup_and_keeps_utf8_when_asked():
    value = {"label": "<img src=x onerror=alert(1)> 防衛 & co"}
    for ascii in (True, False):
        text = page.script_json(value, ascii=ascii)
        assert not set(text) & {"<", ">", "&"} and json.loads(text) == value
    assert page.script_json(value).isascii() and "防衛" in page.script_json(value, ascii=False)
