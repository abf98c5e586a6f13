"""The network page's HTML, CSS and JavaScript are package data (kg/viz/assets/), inlined whole.

The page must work from a wheel as well as from the source tree, and its Content-Security-Policy
admits scripts by hash only: an asset that is missing from the build, a script that does not
parse, or a hash over other text than the one inlined would each leave a blank page.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import shutil
import string
import subprocess
import sys
from importlib import resources

import networkx as nx
import pytest

from kg import paths
from kg.viz import views as viz

NAMES = ("view.html", "panel.css", "view.css", "panel.js", "view.js")
APP = ("panel.js", "view.js")  # inlined as one script: the shared helpers, then the page's own
SOURCE = paths.REPO / "src" / "kg" / "viz" / "assets"


def stored(name: str) -> str:
    """An asset as importlib.resources finds it (the way an installed package is read)."""
    return (resources.files("kg.viz") / "assets" / name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """A CSP source expression for an inline script (CSP Level 2: sha256 of its UTF-8 text)."""
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


@pytest.fixture(scope="module")
def page() -> str:
    G = nx.Graph(title="資料 & <test>")
    G.add_node("a", label_ja="防衛省", type="jp_office", count=3)
    G.add_node("b", label_ja="米国", label_en="United States", type="country", count=2)
    G.add_edge("a", "b", weight=2)
    return viz.view_html(G)


def test_the_module_names_the_files_that_exist():
    assert viz.ASSETS == NAMES
    for name in NAMES:
        res = resources.files("kg.viz") / "assets" / name
        assert res.is_file(), name
        assert stored(name) == (SOURCE / name).read_text(encoding="utf-8")
        assert stored(name).strip(), name


def test_the_build_ships_the_assets(tmp_path):
    """setuptools' build_py (what a wheel is made of) copies every asset, byte for byte."""
    shutil.copy(paths.REPO / "pyproject.toml", tmp_path)
    shutil.copy(paths.REPO / "README.md", tmp_path)
    shutil.copytree(
        paths.REPO / "src" / "kg",
        tmp_path / "src" / "kg",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    run = subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py"]
        + ["-d", str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    for name in NAMES:
        built = tmp_path / "out" / "kg" / "viz" / "assets" / name
        assert built.read_bytes() == (SOURCE / name).read_bytes(), name


@pytest.mark.skipif(not shutil.which("node"), reason="node not installed")
@pytest.mark.parametrize("name", APP)
def test_the_script_parses(name, tmp_path):
    run = subprocess.run(
        ["node", "--check", str(SOURCE / name)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    both = tmp_path / "app.js"  # and as inlined, one after the other
    both.write_text("".join(stored(n) for n in APP), encoding="utf-8")
    run = subprocess.run(["node", "--check", str(both)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_the_script_and_style_cannot_close_their_element():
    assert "</script" not in "".join(stored(n) for n in APP).lower()
    assert "</style" not in (stored("panel.css") + stored("view.css")).lower()


def test_the_template_has_exactly_the_page_fields():
    fields = [f for _, f, _, _ in string.Formatter().parse(stored("view.html")) if f is not None]
    assert sorted(fields) == sorted(
        ["csp", "pyvis_version", "title", "title", "caveat", "css", "data", "vis", "app"]
    )


def test_the_page_inlines_the_assets_exactly(page):
    # the panel's rules, shared with the WebGL page, then the vis page's own
    assert "<style>" + stored("panel.css") + stored("view.css") + "</style>" in page
    assert "<script>" + stored("panel.js") + stored("view.js") + "</script>" in page
    # The template's own text, in order, with the values between its pieces.
    pieces = [lit for lit, _, _, _ in string.Formatter().parse(stored("view.html"))]
    at = 0
    for lit in pieces:
        found = page.find(lit, at)
        assert found >= at, lit[:60]
        at = found + len(lit)
    assert page.endswith(pieces[-1])


def test_the_policy_admits_exactly_the_inlined_scripts(page):
    csp = html.unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)[1]
    )
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src")).split()[1:]
    inline = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(inline) == 2 and inline[1] == stored("panel.js") + stored("view.js")
    assert sorted(script_src) == sorted(csp_hash(s) for s in inline)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_a_value_is_substituted_once():
    """A title that looks like a placeholder stays text: no second pass fills it in."""
    G = nx.Graph(title="{app} {css} {{title}} $csp")
    G.add_node("a", label_ja="{data}", type="country")
    page = viz.view_html(G)
    assert "<title>{app} {css} {{title}} $csp</title>" in page
    assert "<h1>{app} {css} {{title}} $csp</h1>" in page
    assert page.count(stored("view.js")) == 1 and page.count(stored("view.css")) == 1
    assert page.count(stored("panel.js")) == 1
