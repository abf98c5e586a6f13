"""Fixtures shared across the test tree (which mirrors src/kg: tests/pipeline, tests/sparql …)."""

from __future__ import annotations

import contextlib
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from kg import paths, pipeline

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def build() -> pipeline.BuildResult:
    """The normalized records of data/source.txt (pipeline.run), made once per session."""
    return pipeline.run()


@pytest.fixture(scope="session")
def kg_graph() -> Graph:
    """The committed graph, data/kg.nt, parsed by rdflib (do not modify it)."""
    nt = paths.data_dir() / "kg.nt"
    if not nt.exists():
        pytest.skip("data/kg.nt missing: run `kg build`")
    return Graph().parse(nt, format="nt")


@pytest.fixture(scope="session")
def facts(kg_graph: Graph) -> Any:
    """The network facts read from the committed graph (kg.network.read_facts)."""
    from kg import network as nw

    return nw.read_facts(kg_graph)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (as a person's browser would be)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield b
        b.close()


@contextlib.contextmanager
def recording_page(browser: Any, folder: Path | None = None, **context: Any) -> Iterator[Any]:
    """A Chromium page that records every request leaving 127.0.0.1 (``.outside``, and aborts
    it) and every console error (``.errors``). With ``folder``, ``file://`` URLs inside that
    folder are allowed too (a published folder opened from disk); every other file is not."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="ja-JP", **context)
    pg = ctx.new_page()
    pg.outside = []
    pg.errors = []
    inside = folder.resolve().as_uri() + "/" if folder is not None else None

    def route(route: Any) -> None:
        url = route.request.url
        parts = urllib.parse.urlsplit(url)
        ok = parts.hostname == "127.0.0.1" and parts.scheme in ("http", "https")
        if parts.scheme == "file":
            ok = inside is not None and url.startswith(inside) and ".." not in parts.path
        if ok:
            route.continue_()
        else:
            pg.outside.append(url)
            route.abort()

    pg.route("**/*", route)
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    try:
        yield pg
    finally:
        ctx.close()


@pytest.fixture()
def recording():
    """:func:`recording_page`, for the browser tests' ``page`` fixtures."""
    return recording_page
