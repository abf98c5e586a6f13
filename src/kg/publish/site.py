"""The published folder: every entity page of ``kg serve`` as files, the downloads, an index.

:func:`publish` renders each resource with :func:`kg.serve.pages.render` (the same templates) in
Japanese (``X.html``) and English (``X.en.html``), its RDF beside it (``X.ttl``, ``X.nt``,
``X.jsonld``) and its events table's downloads (``X.events.csv`` …); every link is relative
(``Site.base`` is the page's depth, ``../../``), so the folder works wherever it is put, from
disk (``file://``) or any static host. The search (kg.publish.search), the SPARQL page
(kg.publish.sparql) and the network views (kg.viz) complete it. Files are written with
:func:`kg.paths.write_text` in a fixed order from sorted inputs: the same graph gives the same
bytes.
"""

from __future__ import annotations

import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import paths
from kg.errors import KgError
from kg.model.vocab import PREFIX_IRIS, page_href
from kg.publish import search, sparql
from kg.serve import pages
from kg.serve.pages import Site, esc

JDXR = PREFIX_IRIS["jdxr"]
JDX = PREFIX_IRIS["jdx"]
#: Marks a folder kg publish wrote, so a second run may replace what it holds.
MARKER = ".jdx-publish"
#: What ``downloads/`` holds: (file under data/ or ontology/, name in the folder).
DOWNLOADS = (
    ("data", "events.csv"),
    ("data", "students.csv"),
    ("data", "budget.csv"),
    ("data", "kg.ttl"),
    ("data", "kg.nt"),
    ("data", "kg.jsonld"),
    ("data", "context.jsonld"),
    ("ontology", "jdx.ttl"),
    ("ontology", "shapes.ttl"),
    ("ontology", "jdx.html"),
)
STATIC = ("page.css", "page.js", "favicon.svg")
RDF_SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld"}
#: The budget the folder is held to (README "Publishing"; tests/publish/test_site.py).
#: 96.9 MiB on 2026-12-02 (session 6), 90 MiB before the office holders grew from 61 to 121
#: rows: the pages of 2,217 resources in two languages are 43 MiB of it. The budget guards
#: against a blow-up (a page per resource is the design), with room for the data to grow.
BUDGET_TOTAL = 112 * 2**20
BUDGET_PAGE = 160 * 2**10  # the largest, a person's page (events, whom he met), is 150 KiB


class PublishError(KgError):
    """The folder cannot be written (not empty and not a published folder, a missing input)."""


@dataclass
class Published:
    """What :func:`publish` wrote: every file (relative to ``out``), and their sizes."""

    out: Path
    files: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum((self.out / f).stat().st_size for f in self.files)

    def largest(self, suffix: str = ".html", under: str = "id/") -> tuple[str, int]:
        sizes = [(f, (self.out / f).stat().st_size) for f in self.files if f.startswith(under)]
        return max(((f, n) for f, n in sizes if f.endswith(suffix)), key=lambda x: x[1])


class _Writer:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: list[str] = []

    def text(self, rel: str, text: str) -> None:
        paths.write_text(self.out / rel, text)
        self.files.append(rel)

    def copy(self, src: Path, rel: str) -> None:
        if not src.is_file():
            raise PublishError(f"missing input {src}", file=src)
        self.text(rel, src.read_text(encoding="utf-8"))


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise PublishError(
            f"{out} is not empty and is not a folder kg publish wrote; give an empty or new folder"
        )
    out.mkdir(parents=True, exist_ok=True)


def _clean(out: Path, written: list[str]) -> None:
    """Remove what an earlier publish left that this one did not write."""
    keep = set(written) | {MARKER}
    for p in sorted(out.rglob("*"), reverse=True):
        rel = p.relative_to(out).as_posix()
        if p.is_file() and rel not in keep:
            p.unlink()
        elif p.is_dir() and not any(p.iterdir()):
            p.rmdir()


def resources(store: ox.Store) -> list[str]:
    """Every minted IRI the graph mentions (subject or object), sorted."""
    found: set[str] = set()
    for q in store:
        for t in (q.subject, q.object):
            if isinstance(t, ox.NamedNode) and t.value.startswith(JDXR) and t.value != JDXR:
                found.add(t.value)
    return sorted(found)


def _file_of(iri: str) -> str:
    """The page's file in the folder, ``id/country/PHL.html`` (the link, unquoted)."""
    href = page_href(iri, "", static=True)
    assert href is not None
    return urllib.parse.unquote(href)


def _at(site: Site, rel: str, lang: str) -> None:
    """Point the site's links at the page ``rel`` (its depth, language and own name)."""
    site.base = "../" * rel.count("/")
    site.file_lang = lang
    site.here = rel.rsplit("/", 1)[-1].removesuffix(".html")


def _lang_name(rel: str, lang: str) -> str:
    return rel.removesuffix(".html") + ".en.html" if lang == "en" else rel


def load(data: Path) -> tuple[ox.Store, Site]:
    nt = data / "kg.nt"
    if not nt.is_file():
        raise PublishError(f"no graph {nt}; run kg build first", file=nt)
    store = ox.Store()
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    site = Site.from_files(store, paths.ontology_dir() / "jdx.ttl", data / "source.txt")
    site.ontology = _stable_blank_nodes(paths.ontology_dir() / "jdx.ttl")
    site.static = True
    return store, site


def _stable_blank_nodes(ttl: Path) -> ox.Store:
    """The ontology with its blank nodes named in the order the file gives them (a parser
    names them at random, and the ontology's pages and RDF files must be the same each time)."""
    names: dict[str, ox.BlankNode] = {}

    def stable(t: Any) -> Any:
        if isinstance(t, ox.BlankNode):
            return names.setdefault(t.value, ox.BlankNode(f"b{len(names)}"))
        return t

    onto = ox.Store()
    for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE):
        onto.add(ox.Quad(stable(q.subject), q.predicate, stable(q.object), q.graph_name))
    return onto


def publish(out: str | Path, data: str | Path | None = None) -> Published:
    """Write the static site of the graph in ``data`` (default data/) to the folder ``out``."""
    out = Path(out)
    data = Path(data) if data is not None else paths.data_dir()
    _prepare(out)
    store, site = load(data)
    w = _Writer(out)
    w.text(MARKER, "written by kg publish; the folder is replaced on the next run\n")
    _entity_pages(site, store, w)
    _ontology(site, w)
    for name in STATIC:
        w.copy(Path(pages.__file__).parent / "static" / name, f"static/{name}")
    for where, name in DOWNLOADS:
        folder = data if where == "data" else paths.ontology_dir()
        w.copy(folder / name, f"downloads/{name}")
    for lang in pages.LANGS:
        _at(site, "index.html", lang)
        w.text(_lang_name("index.html", lang), index_html(site, lang))
    search.write(site, store, w.text)
    sparql.write(site, data, w.text)
    _write_views(store, out, w.files)
    _write_overview(data, out, w.files)
    _clean(out, w.files)
    return Published(out, sorted(w.files))


def _entity_pages(site: Site, store: ox.Store, w: _Writer) -> None:
    for iri in resources(store):
        rel = _file_of(iri)
        stem = rel.removesuffix(".html")
        for lang in pages.LANGS:
            _at(site, rel, lang)
            body = pages.render(site, iri, "html", lang).body.decode()
            w.text(_lang_name(rel, lang), body)
            if ".events.csv" in body:  # the page links its events' downloads
                infix = ".en." if lang == "en" else "."
                for what in ("events.csv", "events.json"):
                    got = pages.download(site, iri, what, lang)
                    w.text(stem + infix + what, got.body.decode())
        for fmt, suffix in RDF_SUFFIXES.items():
            w.text(stem + suffix, pages.render(site, iri, fmt).body.decode())


def _ontology(site: Site, w: _Writer) -> None:
    for lang in pages.LANGS:
        _at(site, "ontology.html", lang)
        w.text(
            _lang_name("ontology.html", lang),
            pages.render(site, pages.ONTOLOGY, "html", lang).body.decode(),
        )
    for fmt, suffix in RDF_SUFFIXES.items():
        w.text("ontology" + suffix, pages.render(site, pages.ONTOLOGY, fmt).body.decode())


def _write_views(store: ox.Store, out: Path, files: list[str]) -> None:
    """The default network views into ``views/``, their node links to the static pages
    (``../id/….html``), and their index; no GEXF/GraphML/JSON exports (8.6 MB: the folder's
    size budget; kg build writes them into data/views/)."""
    from kg import network as nw
    from kg.viz import views

    shown = views.write_views(
        store, out, nw.VIEWS, link_base="../", static_links=True, exports=False
    )
    index = views.write_views_index(out, shown, home="../index.html", overview="../overview.html")
    files += [p.relative_to(out).as_posix() for v in shown for p in v.paths]
    files.append(index.relative_to(out).as_posix())


def _write_overview(data: Path, out: Path, files: list[str]) -> None:
    """``overview.html`` and ``overview.en.html`` (kg.viz.overview), linked to the static pages."""
    from kg.viz import overview

    for lang in pages.LANGS:
        rel = _lang_name("overview.html", lang)
        overview.write_overview(out / rel, data=data, link_base="", static_links=True, lang=lang)
        files.append(rel)


def _counts(site: Site) -> tuple[list[str], list[tuple[str, str]], Counter[tuple[str, str]]]:
    rows = site.select(
        f"SELECT ?fy ?ind (COUNT(DISTINCT ?ev) AS ?n) WHERE {{ ?ev <{JDX}fiscalYear> ?fy ; "
        f"<{JDX}indicator> ?ind }} GROUP BY ?fy ?ind"
    )
    n: Counter[tuple[str, str]] = Counter()
    for fy, ind, c in rows:
        n[(fy.value, ind.value)] = int(c.value)
    fys = sorted({fy for fy, _ in n})
    inds = sorted({ind for _, ind in n})
    return fys, [(i, i) for i in inds], n


def index_html(site: Site, lang: str) -> str:
    """The home page: what the graph holds (events per FY and indicator), where to go next."""
    en = lang == "en"
    fys, inds, n = _counts(site)
    head = "".join(f'<th scope="col">{pages.link(site, ox.NamedNode(fy), lang)}</th>' for fy in fys)
    body = []
    for ind, _ in inds:
        cells = "".join(f"<td>{n[(fy, ind)]}</td>" for fy in fys)
        total = sum(n[(fy, ind)] for fy in fys)
        body.append(
            f'<tr><th scope="row">{pages.link(site, ox.NamedNode(ind), lang)}</th>{cells}'
            f"<td>{total}</td></tr>"
        )
    foot = "".join(f"<td>{sum(n[(fy, i)] for i, _ in inds)}</td>" for fy in fys)
    grand = sum(n.values())
    lists = []
    for kind, heading in search.INDEX_LISTS:
        items = search.entities_of(site, kind)
        links = " · ".join(pages.link(site, ox.NamedNode(iri), lang) for iri in items)
        lists.append(
            f'<section id="list-{esc(kind)}"><h2>{esc(heading[lang])} ({len(items)})</h2>'
            f'<p class="links">{links}</p></section>'
        )
    counts_title = "Events per fiscal year and indicator" if en else "年度・指標ごとの出来事"
    sfx = ".en.html" if en else ".html"
    nav = [
        ("sparql" + sfx, "SPARQL (in this browser)" if en else "SPARQL（このブラウザで実行）"),
        ("search" + sfx, "Search" if en else "検索"),
        ("views/index.html", "Network views" if en else "ネットワーク図"),
        ("ontology" + sfx, "Ontology" if en else "オントロジー"),
    ]
    nav.insert(2, ("overview" + sfx, "Overview" if en else "概観"))
    downloads = " · ".join(
        f'<a href="downloads/{esc(name)}">{esc(name)}</a>' for _, name in DOWNLOADS
    )
    title = (
        "Japan's defense exchanges, FY2019–FY2022"
        if en
        else "防衛交流の知識グラフ（2019〜2022年度）"
    )
    main = (
        f"<h1>{esc(title)}</h1>"
        f'<nav class="publish"><ul>'
        + "".join(f'<li><a href="{esc(h)}">{esc(t)}</a></li>' for h, t in nav)
        + "</ul></nav>"
        f'<section id="counts"><h2>{esc(counts_title)}'
        f' ({grand})</h2><table class="summary"><thead><tr><th></th>{head}'
        f"<th>{esc('total' if en else '計')}</th></tr></thead><tbody>{''.join(body)}</tbody>"
        f'<tfoot><tr><th scope="row">{esc("total" if en else "計")}</th>{foot}<td>{grand}</td>'
        f"</tr></tfoot></table></section>"
        + "".join(lists)
        + f'<section id="downloads"><h2>{esc("Downloads" if en else "ダウンロード")}</h2>'
        f"<p>{downloads}</p></section>"
    )
    return pages.layout(site, title, main, lang, alternates="")
