"""The published folder's search: an index file the search page reads in the browser.

The names are those ``kg lookup`` and ``kg serve``'s search use (kg.sparql.lookup.names: ja/en
labels, aliases, codes, the gazetteers' names), each already in kg.sparql.names.normalize's
form, so the page only normalizes what is typed (NFKC, case-folded, punctuation and spaces
left out) and ranks as the index does: exact, then prefix, then part of a name (a
two-character Japanese word such as 防衛 or 会談 finds every name holding it). The index is a
classic script (``search-index.js``, assigning ``window.JDX_SEARCH``): pages opened from disk
may not fetch() files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.model.vocab import page_href
from kg.serve import pages
from kg.serve.pages import Site, esc
from kg.sparql import lookup
from kg.sparql.names import normalize

ASSETS = Path(__file__).resolve().parent / "assets"
#: The lists on the home page: (type of data/types.csv, heading).
INDEX_LISTS = (
    ("country", {"ja": "国・国際機関", "en": "Countries and organizations"}),
    ("office", {"ja": "日本側の役職", "en": "Japanese offices"}),
    ("forum", {"ja": "会議・枠組み", "en": "Forums and frameworks"}),
)


def _names(site: Site) -> lookup.Names:
    return lookup.names(site.store)


def entities_of(site: Site, kind: str) -> list[str]:
    """The IRIs of one type, in the index's order."""
    return [e.iri for e in _names(site).entities if e.type == kind]


def index_data(site: Site) -> dict:
    """The search index: types (ja/en names) and, per resource, its page, type, labels and
    normalized names (each once, in the index's order)."""
    kinds = {t.type: {"ja": t.name_ja, "en": t.name_en} for t in lookup.types()}
    order = list(kinds)
    rows = []
    for e in _names(site).entities:
        href = page_href(e.iri, "", static=True)
        if href is None:
            continue
        seen: list[str] = []
        for name, _ in e.names:
            n = normalize(name)
            if n and n not in seen:
                seen.append(n)
        ja, en = e.labels.get("ja", e.labels.get("", "")), e.labels.get("en", "")
        rows.append([href, order.index(e.type), ja, en, e.code, seen])
    return {"types": [kinds[k] for k in order], "entries": rows}


def script(name: str, value: object) -> str:
    """A classic script assigning ``value`` (JSON) to ``window[name]``: what a page opened
    from disk can load (``<script src>``), where fetch() of a file is refused."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.{name}={text};\n"


def page_html(site: Site, lang: str) -> str:
    en = lang == "en"
    main = (
        f"<h1>{esc('Search' if en else '検索')}</h1>"
        '<p id="search-status" class="note"></p>'
        '<ol id="search-hits" class="hits"></ol>'
        '<script src="search-index.js"></script>'
        '<script src="static/publish-search.js"></script>'
    )
    return pages.layout(site, "Search" if en else "検索", main, lang, alternates="")


def write(site: Site, store: ox.Store, write_text: Callable[[str, str], None]) -> None:
    """``search-index.js``, ``static/publish-search.js``, ``search.html``, ``search.en.html``."""
    del store
    write_text("search-index.js", script("JDX_SEARCH", index_data(site)))
    write_text("static/publish-search.js", (ASSETS / "search.js").read_text(encoding="utf-8"))
    for lang in pages.LANGS:
        site.base, site.file_lang, site.here = "", lang, "search"
        write_text("search.en.html" if lang == "en" else "search.html", page_html(site, lang))
