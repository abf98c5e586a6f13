"""kg.publish.search: the index the search page reads holds the names kg lookup searches, in
their compared form, each linked to its static page."""

from __future__ import annotations

import json

import pytest

from kg import paths
from kg.publish import search
from kg.publish.site import load
from kg.sparql.names import normalize


@pytest.fixture(scope="module")
def data() -> dict:
    _, site = load(paths.data_dir())
    return search.index_data(site)


def test_the_short_names_of_the_document_are_in_the_index(data: dict):
    # the document writes 統幕長 for 統合幕僚長 (data/source.txt: 【…】統幕長インド訪問 …)
    assert "統幕長" in (paths.data_dir() / "source.txt").read_text(encoding="utf-8")
    by_href = {e[0]: e for e in data["entries"]}
    office = by_href["id/position/jp/chief_joint_staff.html"]
    assert office[2] == "統合幕僚長" and office[3] == "Chief of Staff, Joint Staff"
    assert "統幕長" in office[5] and normalize("Chief of Staff, Joint Staff") in office[5]
    assert data["types"][office[1]] == {"ja": "日本側の役職", "en": "Japanese office"}


def test_every_entry_links_a_static_page_and_holds_compared_forms(data: dict):
    assert len(data["entries"]) > 1000
    for href, kind, ja, en, _code, names in data["entries"]:
        assert href.startswith("id/") and href.endswith(".html")
        assert 0 <= kind < len(data["types"]) and (ja or en)
        assert names and all(n == normalize(n) for n in names)
        assert len(names) == len(set(names))


def test_the_index_is_a_classic_script_of_json():
    text = search.script("JDX_X", {"a": "</script><b>&", "ja": "統幕長"})
    assert text.startswith("window.JDX_X=") and text.endswith(";\n")
    assert json.loads(text[len("window.JDX_X=") : -2]) == {"a": "</script><b>&", "ja": "統幕長"}
