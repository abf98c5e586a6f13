"""The published folder's SPARQL page: the graph in Oxigraph compiled to WebAssembly, in the page.

Opened from disk (``file://``) Chromium refuses module script files and fetch() of files, so:
the graph is N-Triples text in a classic script (``sparql-graph.js``), the wasm bytes are base64
in another (``static/oxigraph-wasm.js``), and the ``oxigraph`` npm package's ``web.js`` (its
ES module, as published) is inlined in the page's one inline ``<script type="module">``, with
the page's own code after it (``assets/sparql.js``), which starts the engine from those bytes.
The editor is YASGUI's Yasqe (npm ``@zazuko/yasgui``'s one script and style sheet), with every
call it would make out of the page turned off (autocompletion from prefix.cc and LOV, shared
links, its HTTP query button); without it the page falls back to a plain text box.

The named queries come as data (:func:`catalogue`): each query's text cut where kg.sparql's
``prepare`` puts its ``VALUES`` blocks, the PREFIX lines it adds, and per parameter its kind,
meaning and the values its names stand for, so the page binds a parameter exactly as
``kg query -p`` does (the same text, so the same rows: tested).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg import paths
from kg.model.vocab import PREFIX_IRIS
from kg.serve import pages
from kg.serve.pages import Site, esc
from kg.sparql import lookup, policy
from kg.sparql.catalogue import NamedQuery, list_queries, param_specs
from kg.sparql.lookup import canonical
from kg.sparql.names import normalize
from kg.sparql.params import FY_RANGE, PARAM_KINDS

ASSETS = Path(__file__).resolve().parent / "assets"
JDXR = PREFIX_IRIS["jdxr"]
#: The editor (npm @zazuko/yasgui, MIT): its one script and style sheet, copied as published.
YASGUI = ("yasgui.min.js", "yasgui.min.css")


def _pieces(q: NamedQuery) -> list[Any]:
    """The query's text cut at each place ``prepare`` inserts ``VALUES`` blocks: text, then
    ``[variables…]`` bound there (in parameter order), text, … ."""
    shape = policy.check(q.text, syntax=True, where=str(q.path))
    order = [s.variable for s in param_specs(q)]
    at: dict[int, list[str]] = {}
    for var in order:
        for sc in shape.scopes:
            if var in sc.variables and sc.where_open is not None:
                at.setdefault(sc.where_open, []).append(var)
    out: list[Any] = []
    last = 0
    for offset in sorted(at):
        out += [q.text[last:offset], at[offset]]
        last = offset
    out.append(q.text[last:])
    return out


def _prefix_head(text: str) -> str:
    declared = policy.check(text).declared_prefixes
    missing = [p for p in PREFIX_IRIS if p not in declared]
    return " ".join(f"PREFIX {p}: <{PREFIX_IRIS[p]}>" for p in missing)


def catalogue(site: Site) -> dict[str, Any]:
    """The named queries as the page needs them (JSON-ready)."""
    index = lookup.names(site.store)
    by_iri = {e.iri: e for e in index.entities}
    queries = []
    for q in list_queries():
        params = []
        for s in param_specs(q):
            choices: list[list[str]] = []
            names: dict[str, list[str]] = {}
            if s.names:
                for h in index.search("", [s.names], limit=None):
                    value = canonical(s, h)  # the code kg query's resolve_params gives
                    if not value:
                        continue
                    choices.append([value, h.label_ja, h.label_en])
                    for name, _ in by_iri[h.iri].names:
                        key = normalize(name)
                        if key and value not in names.setdefault(key, []):
                            names[key].append(value)
            if s.kind == "fy":
                choices = [[str(y), "", ""] for y in range(FY_RANGE[0], FY_RANGE[1] + 1)]
            params.append(
                {
                    "name": s.name,
                    "kind": s.kind,
                    "optional": s.optional,
                    "variable": s.variable,
                    "meaning": s.description,
                    "looks": PARAM_KINDS[s.kind].looks,
                    "choices": choices,
                    "names": names,
                }
            )
        queries.append(
            {
                "name": q.name,
                "ja": q.question_ja,
                "en": q.question_en,
                "note": q.note,
                "example": q.example,
                "variables": q.variables,
                "text": q.text,
                "pieces": _pieces(q),
                "head": _prefix_head(q.text),
                "params": params,
            }
        )
    return {
        "queries": queries,
        "jdxr": JDXR,
        "jdx": PREFIX_IRIS["jdx"],
        "ontology": PREFIX_IRIS["jdx"][:-1],
        "prefixes": PREFIX_IRIS,
        "fy": list(FY_RANGE),
    }


def wasm_script() -> str:
    """``static/oxigraph-wasm.js``: the engine's bytes, base64, for a page opened from disk."""
    data = paths.npm_file("oxigraph", "web_bg.wasm").read_bytes()
    return f'window.JDX_OXIGRAPH_WASM="{base64.b64encode(data).decode("ascii")}";\n'


def graph_script(nt_text: str) -> str:
    """``sparql-graph.js``: the N-Triples as base64 of their UTF-8 bytes, which the engine
    takes as they are. An ASCII literal: Chromium reads a 3.6 MB one of Japanese text in
    150-300 ms, this one in a few (and the page hands the engine bytes, not a string)."""
    data = base64.b64encode(nt_text.encode("utf-8")).decode("ascii")
    return f'window.JDX_GRAPH_NT="{data}";\n'


def _inline_module(code: str) -> str:
    """Code safe inside an inline ``<script>``: nothing in it may close the element."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def page_html(site: Site, lang: str) -> str:
    en = lang == "en"
    engine = paths.npm_file("oxigraph", "web.js").read_text(encoding="utf-8")
    app = (ASSETS / "sparql.js").read_text(encoding="utf-8")
    text = {
        "title": "SPARQL (in this browser)" if en else "SPARQL（このブラウザで実行）",
        "named": "Named queries" if en else "名前付きクエリ",
        "run": "Run" if en else "実行",
        "loading": "Loading the graph…" if en else "グラフを読み込んでいます…",
        "params": "Parameters" if en else "パラメーター",
        "editor": "Query" if en else "クエリ",
    }
    main = (
        '<link rel="stylesheet" href="static/yasgui.min.css">'
        '<link rel="stylesheet" href="static/publish.css">'
        f"<h1>{esc(text['title'])}</h1>"
        f'<p id="sparql-status" class="note">{esc(text["loading"])}</p>'
        '<div class="sparql">'
        f'<section id="named"><h2>{esc(text["named"])}</h2><ul id="query-list"></ul></section>'
        f'<section id="editor"><h2>{esc(text["editor"])}</h2>'
        '<p id="query-about" class="note"></p>'
        f'<fieldset id="params"><legend>{esc(text["params"])}</legend></fieldset>'
        '<textarea id="query-text" spellcheck="false" rows="18" cols="100"'
        ' aria-label="SPARQL"></textarea>'
        f'<p><button type="button" id="run" disabled>{esc(text["run"])}</button> '
        '<span id="run-status" class="note"></span> '
        '<a id="download-csv" hidden download="results.csv">CSV</a> '
        '<a id="download-json" hidden download="results.json">JSON</a></p>'
        '<p id="query-error" class="error" role="alert"></p>'
        '<div id="results"></div></section></div>'
        '<script src="sparql-graph.js"></script>'
        '<script src="sparql-queries.js"></script>'
        '<script src="static/oxigraph-wasm.js"></script>'
        f'<script type="module">{_inline_module(engine)}\n{_inline_module(app)}</script>'
    )
    return pages.layout(site, text["title"], main, lang, alternates="")


def write(
    site: Site,
    data: Path,
    write_text: Callable[[str, str], None],
    nt_text: str | None = None,
) -> None:
    """The SPARQL page and its scripts; ``nt_text`` (default ``data/kg.nt``) is the graph the
    page loads (the benchmark gives a bigger one)."""
    if nt_text is None:
        nt_text = (data / "kg.nt").read_text(encoding="utf-8")
    write_text("sparql-graph.js", graph_script(nt_text))
    from kg.publish.search import script

    write_text("sparql-queries.js", script("JDX_QUERIES", catalogue(site)))
    write_text("static/oxigraph-wasm.js", wasm_script())
    for name in YASGUI:
        text = paths.npm_file("@zazuko/yasgui", f"build/{name}").read_text(encoding="utf-8")
        write_text(f"static/{name}", text)
    css = (ASSETS / "publish.css").read_text(encoding="utf-8")
    write_text("static/publish.css", css)
    for lang in pages.LANGS:
        site.base, site.file_lang, site.here = "", lang, "sparql"
        write_text("sparql.en.html" if lang == "en" else "sparql.html", page_html(site, lang))
