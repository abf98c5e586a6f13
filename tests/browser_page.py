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


#: Markup in a label: the page must show it as text and run none of it.
XSS = "<img src=x onerror=window.__pwned=1>"


def markup_graph():
    """A small graph whose labels, title and link label are markup that would run if a page
    put them in as HTML (window.__pwned would be set): the vis and WebGL pages' check."""
    import networkx as nx

    G = nx.Graph(title="XSS <b>check</b>")
    G.add_node(
        "x", label_ja=XSS, label_en="<script>window.__pwned=2</script>", type="country", count=2
    )
    G.add_node("y", label_ja="相手", label_en="other", type="forum", count=1)
    G.add_node("z", label_ja="</script><script>window.__pwned=3</script>", type="place")
    G.add_edge("x", "y", weight=2, label="<svg onload=window.__pwned=4>")
    G.add_edge("y", "z", weight=1)
    return G
