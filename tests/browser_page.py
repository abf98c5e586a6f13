"""A page of the project's opened offline in headless Chromium, for the views' browser tests
(tests/viz: the vis-network and the WebGL pages share it). On sys.path through pytest's
``pythonpath`` (pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["Opened", "node_index"]


class Opened:
    """A page opened offline from disk, with its console errors and requests recorded."""

    def __init__(self, browser, path: Path, bypass_csp: bool = False, query: str = "") -> None:
        self.ctx = browser.new_context(
            viewport={"width": 1400, "height": 900}, offline=True, bypass_csp=bypass_csp
        )
        self.page = self.ctx.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri() + query
        self.page.goto(self.url)
        self.page.wait_for_selector("html[data-kg-stable]", state="attached", timeout=60_000)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def shown(self) -> tuple[int, int]:
        c = self.js("() => kg.counts()")
        return c["shownNodes"], c["shownEdges"]

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    def close(self) -> None:
        self.ctx.close()


def node_index(o: Opened, compact_iri: str) -> int:
    return o.js("(r) => kg.data.nodes.findIndex(n => n.r === r)", compact_iri)
