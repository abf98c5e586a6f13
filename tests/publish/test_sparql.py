"""kg.publish.sparql: the named queries as the page binds them (the text cut where kg.sparql's
prepare puts VALUES), the engine's bytes, the inline module that nothing can close early."""

from __future__ import annotations

import base64
import re

import pytest

from kg import paths
from kg.publish import sparql
from kg.publish.site import load
from kg.sparql.binding import bind, prepare
from kg.sparql.catalogue import get_query
from kg.sparql.params import nt


@pytest.fixture(scope="module")
def catalogue() -> dict:
    _, site = load(paths.data_dir())
    return sparql.catalogue(site)


def example(text: str) -> dict[str, str]:
    return dict(re.findall(r"--param\s+(\w+)=(\S+)", text))


def test_the_pieces_are_the_query_and_bind_as_prepare_does(catalogue: dict):
    assert len(catalogue["queries"]) > 20
    for q in catalogue["queries"]:
        assert "".join(p for p in q["pieces"] if isinstance(p, str)) == q["text"]
        named = get_query(q["name"])
        params = example(q["example"])
        terms = {var: nt(term) for var, term in bind(named, params)}
        text = ""
        for piece in q["pieces"]:  # what the page's prepare() does with the pieces
            if isinstance(piece, str):
                text += piece
            elif any(v in terms for v in piece):
                text += (
                    " "
                    + " ".join(f"VALUES ?{v} {{ {terms[v]} }}" for v in piece if v in terms)
                    + " "
                )
        text = (q["head"] + " " + text) if q["head"] else text
        assert text == prepare(named, params)[0], q["name"]


def test_a_parameter_offers_its_values_and_the_names_that_stand_for_them(catalogue: dict):
    q = next(q for q in catalogue["queries"] if q["name"] == "actor_counterparts")
    (actor,) = q["params"]
    assert ["chief_joint_staff", "統合幕僚長", "Chief of Staff, Joint Staff"] in actor["choices"]
    assert actor["names"]["統幕長"] == ["chief_joint_staff"]
    fy = next(p for q in catalogue["queries"] for p in q["params"] if p["kind"] == "fy")
    assert [c[0] for c in fy["choices"]] == ["2019", "2020", "2021", "2022"]


def test_the_engine_bytes_are_the_packages():
    text = sparql.wasm_script()
    b64 = text[len('window.JDX_OXIGRAPH_WASM="') : -3]
    assert base64.b64decode(b64) == paths.npm_file("oxigraph", "web_bg.wasm").read_bytes()


def test_nothing_closes_the_inline_module_early():
    code = 'const a = "</script><script>alert(1)</script>"; // <!-- x'
    safe = sparql._inline_module(code)
    assert "</script" not in safe.lower() and "<!--" not in safe
    _, site = load(paths.data_dir())
    page = sparql.page_html(site, "ja")
    assert page.count('<script type="module">') == 1
    inline = page.split('<script type="module">', 1)[1]
    assert inline.lower().count("</script") == 1  # its own end tag only
