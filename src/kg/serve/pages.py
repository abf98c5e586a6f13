"""Pages of the graph: every minted IRI (``https://w3id.org/jdx/id/…``) and the ontology.

:func:`render` makes the page of one IRI from a :class:`Site` (the graph in a pyoxigraph store,
the ontology's labels, the source text) in HTML (Japanese or English), Turtle, N-Triples or
JSON-LD; it knows nothing of HTTP, so ``kg serve`` (:func:`answer`, in its workers) and a static
publisher can call it alike. :func:`answer` adds what HTTP needs: the IRI from the path
(``/id/country/PHL``, ``/id/country/PHL.ttl``), the format from the suffix, ``?format=`` or
``Accept``, the language from ``?lang=`` or ``Accept-Language``, ``Link: rel="alternate"``.

Every text that reaches a page goes through :func:`esc` (labels and source text included); the
templates (``templates/``) are :class:`string.Template` files, so nothing in them is evaluated.
Pages load only ``/static/page.css`` and ``/static/page.js`` from the same server; links to
Wikidata and Wikipedia are plain ``<a>`` links.
"""

from __future__ import annotations

import hashlib
import html
import json
import string
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.formats import results, serialize
from kg.model import flags as glossary
from kg.model.vocab import KIND_CLASS, MODE, PREFIX_IRIS, compactor, page_href
from kg.sparql import lookup

TEMPLATES = Path(__file__).resolve().parent / "templates"
JDXR = PREFIX_IRIS["jdxr"]
JDX = PREFIX_IRIS["jdx"]
ONTOLOGY = JDX[:-1]
RDF_TYPE = PREFIX_IRIS["rdf"] + "type"
RDFS_LABEL = PREFIX_IRIS["rdfs"] + "label"
SKOS = PREFIX_IRIS["skos"]
LANGS = ("ja", "en")

#: Formats of a page: name -> media type; the suffix and ``?format=`` words for each.
MEDIA = {
    "html": "text/html",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
SUFFIXES = {".html": "html", ".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld"}
FORMAT_WORDS = {
    "html": "html",
    "turtle": "turtle",
    "ttl": "turtle",
    "ntriples": "ntriples",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
}
ACCEPT_MEDIA = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}
SUFFIX_OF = {v: k for k, v in SUFFIXES.items()}
#: Rows of an events table shown on a page (the downloads hold every row).
MAX_TABLE_ROWS = 100
#: Incoming links listed per predicate (the count is always the full count).
MAX_INCOMING = 50
#: Characters of source shown either side of an event's item.
EXCERPT_CONTEXT = 160

#: The events of an entity: predicates from an event to it, by the entity's class.
EVENT_LINKS = {
    JDX + "Country": (JDX + "counterpartCountry",),
    JDX + "InternationalOrganization": (JDX + "counterpartCountry",),
    JDX + "Position": (JDX + "japaneseParticipant", JDX + "counterpart"),
    JDX + "ForumEdition": (JDX + "atForum",),
    JDX + "Place": (JDX + "place",),
    JDX + "FiscalYear": (JDX + "fiscalYear",),
    JDX + "Indicator": (JDX + "indicator",),
    # a person: the events where they held the office (or may have: candidates, flagged)
    JDX + "Person": (
        JDX + "participantPerson",
        JDX + "candidateParticipant",
        JDX + "counterpartPerson",
        JDX + "counterpartCandidate",
    ),
}
#: ... and through one more resource: (predicate to the entity, predicates from events to it).
EVENT_HOPS = {
    JDX + "Organization": (
        JDX + "organization",
        (JDX + "japaneseParticipant", JDX + "counterpart"),
    ),
    JDX + "Forum": (JDX + "editionOf", (JDX + "atForum",)),
    JDX + "Indicator": (JDX + "broaderIndicator", (JDX + "indicator",)),
}
#: The events table's columns: (key, string id).
COLUMNS = (
    ("event", "col_event"),
    ("date", "col_date"),
    ("fy", "col_fy"),
    ("indicator", "col_indicator"),
    ("kind", "col_kind"),
    ("jp_office", "col_jp_office"),
    ("counterpart", "col_counterpart"),
    ("mode", "col_mode"),
    ("forum", "col_forum"),
    ("place", "col_place"),
    ("flags", "col_flags"),
)
KIND_IRIS = frozenset(KIND_CLASS.values())
MODE_IRIS = frozenset(MODE.values())


def esc(text: object) -> str:
    """``text`` safe in HTML text and in double- or single-quoted attributes."""
    return html.escape(str(text), quote=True)


@cache
def _template(name: str) -> string.Template:
    return string.Template((TEMPLATES / name).read_text(encoding="utf-8"))


@cache
def _strings() -> dict[str, dict[str, str]]:
    return json.loads((TEMPLATES / "strings.json").read_text(encoding="utf-8"))


def say(key: str, lang: str, **kw: object) -> str:
    """The page text ``key`` in ``lang`` (templates/strings.json), not yet escaped."""
    text = _strings()[key][lang]
    return text.format(**kw) if kw else text


@dataclass
class Page:
    """An answer: status, media type, body and headers (what an HTTP handler sends as is)."""

    status: int
    ctype: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Site:
    """What pages are made from: the graph, the ontology (for the labels of terms), the source.

    ``base`` is what links start with: ``"/"`` on a server, a relative path for static files.
    ``flag_notes`` explains quality flags (``{flag: {"ja": …, "en": …}}``; shown as tooltips).
    ``static`` names files of a published folder (kg.publish) instead of server paths: pages
    are ``….html`` (Japanese) and ``….en.html`` (English, when ``file_lang`` is "en"), and
    ``here`` is the file name of the page being rendered without ``.html`` (for the language
    switch); the publisher sets ``base``, ``file_lang`` and ``here`` per page.
    """

    store: ox.Store
    ontology: ox.Store
    source_text: str | None = None
    source_sha256: str = ""
    base: str = "/"
    flag_notes: dict[str, dict[str, str]] = field(default_factory=dict)
    static: bool = False
    file_lang: str = "ja"
    here: str = ""
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIX_IRIS))
    _labels: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _lines: list[int] | None = field(default=None, repr=False)

    @classmethod
    def from_files(
        cls,
        store: ox.Store,
        ontology_ttl: Path,
        source: Path | None = None,
        base: str = "/",
        flag_notes: dict[str, dict[str, str]] | None = None,
    ) -> Site:
        onto = ox.Store()
        onto.bulk_load(path=str(ontology_ttl), format=ox.RdfFormat.TURTLE)
        text, sha = None, ""
        if source is not None and source.is_file():
            data = source.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            text = data.decode("utf-8", errors="replace")
        return cls(store, onto, text, sha, base, flag_notes or {})

    # -- reading the graph -------------------------------------------------------------------
    def out(self, iri: str) -> dict[str, list[Any]]:
        """The resource's outgoing triples: predicate IRI -> objects (in the store's order)."""
        facts: dict[str, list[Any]] = defaultdict(list)
        for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None):
            facts[q.predicate.value].append(q.object)
        return facts

    def select(self, query: str) -> list[tuple]:
        """A SELECT's rows (tuples of pyoxigraph terms, None where unbound)."""
        solutions = self.store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        return [tuple(s) for s in solutions]

    def subjects(self, predicate: str, obj: str) -> list[str]:
        return [
            q.subject.value
            for q in self.store.quads_for_pattern(None, ox.NamedNode(predicate), ox.NamedNode(obj))
            if isinstance(q.subject, ox.NamedNode)
        ]

    def label(self, iri: str, lang: str) -> str:
        """The resource's or term's label in ``lang`` (else the other language, else its
        ``prefix:local`` name)."""
        key = (iri, lang)
        found = self._labels.get(key)
        if found is None:
            found = self._find_label(iri, lang)
            self._labels[key] = found
        return found

    def _find_label(self, iri: str, lang: str) -> str:
        node = ox.NamedNode(iri)
        for store in (self.store, self.ontology):
            labels = {
                q.object.language or "": q.object.value
                for q in store.quads_for_pattern(node, ox.NamedNode(RDFS_LABEL), None)
                if isinstance(q.object, ox.Literal)
            }
            if labels:
                return labels.get(lang) or labels.get(_other(lang)) or next(iter(labels.values()))
        fallback = _BUILTIN_LABELS.get(iri)
        if fallback:
            return fallback[lang]
        return compactor(self.prefixes)(iri)

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return any(True for _ in self.store.quads_for_pattern(node, None, None, None)) or any(
            True for _ in self.store.quads_for_pattern(None, None, node, None)
        )

    def href(self, iri: str) -> str | None:
        """Where this IRI's page is (:func:`kg.model.vocab.page_href` from :attr:`base`)."""
        href = page_href(iri, self.base, self.static)
        if href is not None and self.static and self.file_lang == "en":
            path, hash_, frag = href.partition("#")
            href = path.removesuffix(".html") + ".en.html" + hash_ + frag
        return href

    def file_href(self, iri: str, suffix: str) -> str:
        """Where this IRI's page is in another format (``suffix``: ``.ttl``, ``.nt``, …)."""
        href = page_href(iri, self.base, self.static) or ""
        return href.removesuffix(".html") + suffix

    def page_link(self, name: str, lang: str) -> str:
        """A page of the site that is not a resource (``search``, the home page ``""``)."""
        if not self.static:
            return self.base + name
        return self.base + (name or "index") + (".en.html" if lang == "en" else ".html")

    def line_start(self, line: int) -> int:
        """Offset in :attr:`source_text` of the start of 1-based ``line`` (-1 if none)."""
        if self.source_text is None:
            return -1
        if self._lines is None:
            starts = [0]
            starts.extend(i + 1 for i, ch in enumerate(self.source_text) if ch == "\n")
            self._lines = starts
        return self._lines[line - 1] if 1 <= line <= len(self._lines) else -1


_BUILTIN_LABELS = {  # the terms the data uses that jdx.ttl does not label itself
    RDF_TYPE: {"ja": "種類", "en": "type"},
    RDFS_LABEL: {"ja": "ラベル", "en": "label"},
    PREFIX_IRIS["rdfs"] + "comment": {"ja": "注記", "en": "comment"},
}


def _other(lang: str) -> str:
    return "en" if lang == "ja" else "ja"


def _quote_path(local: str) -> str:
    return urllib.parse.quote(local, safe="/-_.~")


# --------------------------------------------------------------------------------------------
#  Rendering one IRI
# --------------------------------------------------------------------------------------------


def render(site: Site, iri: str, fmt: str = "html", lang: str = "ja") -> Page:
    """The page of ``iri`` in ``fmt`` (html, turtle, ntriples, jsonld) and ``lang`` (ja, en);
    404 (an HTML page in ``lang`` for html) when the graph says nothing about it."""
    if fmt not in MEDIA:
        raise ValueError(f"unknown page format {fmt!r}; formats: {', '.join(MEDIA)}")
    lang = lang if lang in LANGS else "ja"
    if iri == ONTOLOGY:
        return render_ontology(site, fmt, lang)
    if not site.exists(iri):
        return not_found(site, iri, fmt, lang)
    headers = {"Link": alternates_header(site, iri)}
    if fmt != "html":
        body = serialize(fmt, resource_triples(site, iri), site.prefixes).encode()
        return Page(200, _ctype(fmt), body, headers)
    headers["Content-Language"] = lang
    return Page(200, _ctype("html"), entity_html(site, iri, lang).encode(), headers)


def _ctype(fmt: str) -> str:
    return MEDIA[fmt] + ("" if fmt == "jsonld" else "; charset=utf-8")


def resource_triples(site: Site, iri: str) -> list[ox.Triple]:
    """The triples of a resource's RDF: those it is the subject of, and those pointing at it."""
    node = ox.NamedNode(iri)
    out = [q.triple for q in site.store.quads_for_pattern(node, None, None)]
    out += [q.triple for q in site.store.quads_for_pattern(None, None, node) if q.subject != node]
    return out


def alternates_header(site: Site, iri: str) -> str:
    return ", ".join(
        f'<{site.file_href(iri, SUFFIX_OF[f])}>; rel="alternate"; type="{MEDIA[f]}"'
        for f in MEDIA
        if f != "html"
    )


def not_found(site: Site, iri: str, fmt: str, lang: str) -> Page:
    if fmt != "html":
        return Page(
            404, "text/plain; charset=utf-8", f"No resource {iri} in this graph.\n".encode()
        )
    main = _template("notfound.html").substitute(
        heading=esc(say("not_found", lang)),
        iri=esc(iri),
        explain=esc(say("not_found_explain", lang)),
        base=esc(site.base),
        query_page=esc(say("query_page", lang)),
        ontology=esc(say("ontology", lang)),
    )
    body = layout(site, say("not_found", lang), main, lang, alternates="", lang_links=True)
    return Page(404, _ctype("html"), body.encode(), {"Content-Language": lang})


def _lang_href(site: Site, code: str) -> str:
    if not site.static:
        return f"?lang={code}"
    return site.here + (".en.html" if code == "en" else ".html")


def layout(
    site: Site, title: str, main: str, lang: str, alternates: str, lang_links: bool = True
) -> str:
    switch = " · ".join(
        f'<a href="{esc(_lang_href(site, code))}" hreflang="{code}" lang="{code}" id="lang-{code}"'
        + (' aria-current="true"' if code == lang else "")
        + f">{name}</a>"
        for code, name in (("ja", "日本語"), ("en", "English"))
    )
    return _template("layout.html").substitute(
        lang=lang,
        title=esc(title),
        base=esc(site.base),
        home=esc(site.page_link("", lang)),
        alternates=alternates,
        site_name=esc(say("site_name", lang)),
        header_slot=search_form(site, lang),
        lang_switch=switch if lang_links else "",
        main=main,
        footer=esc(say("footer", lang)),
    )


# -- HTML pieces ------------------------------------------------------------------------------


def link(site: Site, term: Any, lang: str) -> str:
    """A term as HTML: a resource as a link labelled with its name (its own page, or a plain
    link out), a literal as escaped text with its language or datatype."""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        href = site.href(iri)
        if href is not None:
            return f'<a href="{esc(href)}" title="{esc(iri)}">{esc(site.label(iri, lang))}</a>'
        if iri.startswith(("http://", "https://")):  # a plain link out: nothing is fetched
            name = site.label(iri, lang)
            return (
                f'<a class="out" href="{esc(iri)}" title="{esc(iri)}" '
                f'rel="noopener noreferrer">{esc(name)}</a>'
            )
        return f"<code>{esc(iri)}</code>"
    if isinstance(term, ox.Literal):
        extra = ""
        if term.language:
            extra = f' <span class="lang">@{esc(term.language)}</span>'
        elif term.datatype.value != PREFIX_IRIS["xsd"] + "string":
            short = compactor(site.prefixes)(term.datatype.value)
            extra = f' <span class="dt">{esc(short)}</span>'
        return f'<span class="lit">{esc(term.value)}</span>{extra}'
    return f"<code>{esc(term)}</code>"


def entity_html(site: Site, iri: str, lang: str) -> str:
    facts = site.out(iri)
    types = [t.value for t in facts.get(RDF_TYPE, []) if isinstance(t, ox.NamedNode)]
    label = site.label(iri, lang)
    formats = " · ".join(
        f'<a href="{esc(site.file_href(iri, SUFFIX_OF[f]))}" type="{MEDIA[f]}">{name}</a>'
        for f, name in (("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD"))
    )
    alternates = "\n".join(
        f'<link rel="alternate" type="{MEDIA[f]}" href="{esc(site.file_href(iri, SUFFIX_OF[f]))}">'
        for f in ("turtle", "ntriples", "jsonld")
    )
    special = ""
    if iri.startswith(JDXR + "event/"):
        special = event_source_html(site, iri, facts, lang)
    elif JDX + "BudgetObservation" in types or JDX + "StudentFlow" in types:
        special = observation_html(site, iri, facts, lang)
    elif JDX + "Person" in types:
        special = person_html(site, iri, lang)
    pattern = events_pattern(site, iri, types)
    main = _template("entity.html").substitute(
        label=esc(label),
        iri=esc(iri),
        types=" ".join(
            f'<span class="type">{link(site, ox.NamedNode(t), lang)}</span>' for t in types
        ),
        formats_label=esc(say("formats", lang)),
        formats=formats,
        other_labels=other_labels_html(site, facts, lang),
        special=special,
        facts_label=esc(say("facts", lang)),
        facts=facts_html(site, facts, lang),
        events=events_html(site, iri, pattern, lang) if pattern is not None else "",
        incoming_label=esc(say("incoming", lang)),
        incoming=incoming_html(site, iri, lang),
    )
    return layout(site, label, main, lang, alternates)


def other_labels_html(site: Site, facts: dict[str, list[Any]], lang: str) -> str:
    names = [
        o
        for p in (RDFS_LABEL, SKOS + "altLabel", SKOS + "prefLabel")
        for o in facts.get(p, [])
        if isinstance(o, ox.Literal)
    ]
    if len(names) < 2:
        return ""
    items = "".join(f"<li>{link(site, o, lang)}</li>" for o in names)
    summary = esc(say("other_labels", lang))
    return f'<details class="labels"><summary>{summary}</summary><ul>{items}</ul></details>'


def facts_html(site: Site, facts: dict[str, list[Any]], lang: str) -> str:
    rows = []
    for p in sorted(facts, key=lambda p: (p != RDF_TYPE, p != RDFS_LABEL, site.label(p, lang))):
        objects = sorted(facts[p], key=str)
        cells = "<br>".join(link(site, o, lang) for o in objects)
        rows.append(
            f'<tr><th scope="row">{link(site, ox.NamedNode(p), lang)}</th><td>{cells}</td></tr>'
        )
    return "\n".join(rows)


def incoming_html(site: Site, iri: str, lang: str) -> str:
    node = ox.NamedNode(iri)
    counts = site.select(
        f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p {node} FILTER(isIRI(?s)) }} "
        "GROUP BY ?p"
    )
    if not counts:
        return f'<p class="none">{esc(say("no_incoming", lang))}</p>'
    parts = []
    for p, n in sorted(counts, key=lambda r: site.label(r[0].value, lang)):
        total = int(n.value)
        # the first in the store's order (deterministic for a graph), then by IRI: sorting all
        # of a big country's events here would cost more than the rest of its page
        shown = sorted(
            site.select(
                f"SELECT DISTINCT ?s WHERE {{ ?s {p} {node} FILTER(isIRI(?s)) }} "
                f"LIMIT {MAX_INCOMING}"
            ),
            key=lambda r: r[0].value,
        )
        items = "".join(f"<li>{link(site, s, lang)}</li>" for (s,) in shown)
        if total > len(shown):
            items += f'<li class="more">{esc(say("more", lang, n=total - len(shown)))}</li>'
        opened = " open" if total <= 10 else ""
        parts.append(
            f'<details class="incoming"{opened}><summary>{link(site, p, lang)} '
            f'<span class="count">{total}</span></summary><ul>{items}</ul></details>'
        )
    return "\n".join(parts)


# -- events of an entity ----------------------------------------------------------------------


def events_pattern(site: Site, iri: str, types: list[str]) -> str | None:
    """A SPARQL group pattern binding ``?ev`` to the events of a country, office, forum, place,
    FY or indicator (None for other kinds of resource). Property-path alternatives, and a
    UNION only where two ways lead to events: Oxigraph plans those best."""
    node = str(ox.NamedNode(iri))
    direct = sorted({p for t in types for p in EVENT_LINKS.get(t, ())})
    branches = []
    if direct:
        branches.append(f"?ev {'|'.join(f'<{p}>' for p in direct)} {node} .")
    for t in types:
        if t in EVENT_HOPS:
            hop, preds = EVENT_HOPS[t]
            if site.subjects(hop, iri):
                alt = "|".join(f"<{p}>" for p in preds)
                branches.append(f"?mid <{hop}> {node} . ?ev {alt} ?mid .")
    if not branches and not any(t in EVENT_HOPS for t in types):
        return None
    if not branches:
        branches.append(f"?ev <{JDX}indicator> {node} .")  # a kind with no events yet
    if len(branches) == 1:
        return branches[0] + f" ?ev <{JDX}indicator> ?ind ."
    return " UNION ".join(f"{{ {b} }}" for b in branches) + f" ?ev <{JDX}indicator> ?ind ."


@dataclass
class EventRow:
    iri: str
    cells: dict[str, list[Any]]  # column -> terms
    line: Any  # jdx:sourceLine


def event_rows(site: Site, events: Iterable[str]) -> list[EventRow]:
    """The table's cells of each event, in the order given."""
    rows = []
    for ev in events:
        f = site.out(ev)
        types = [t for t in f.get(RDF_TYPE, []) if t.value in KIND_IRIS]
        cells = {
            "event": [ox.NamedNode(ev)],
            "date": f.get(JDX + "date", []),
            "fy": f.get(JDX + "fiscalYear", []),
            "indicator": f.get(JDX + "indicator", []),
            "kind": types,
            "jp_office": f.get(JDX + "japaneseParticipant", []),
            "counterpart": f.get(JDX + "counterpart", []) or f.get(JDX + "counterpartCountry", []),
            "mode": f.get(JDX + "mode", []),
            "forum": f.get(JDX + "atForum", []),
            "place": f.get(JDX + "place", []),
            "flags": sorted(f.get(JDX + "qualityFlag", []), key=str),
        }
        rows.append(EventRow(ev, cells, _one(f, JDX + "sourceLine")))
    return rows


def ordered_events(
    site: Site, pattern: str, limit: int | None = None, fys: list[str] | None = None
) -> list[str]:
    """The events ``pattern`` binds, by FY, date, line in the source, IRI; with ``limit`` and
    the ``fys`` that hold them (in order), FY by FY until there are enough: Oxigraph sorts the
    events of one FY much faster than all of a big country's."""
    where = f"?ev <{JDX}sourceLine> ?line . OPTIONAL {{ ?ev <{JDX}date> ?date }}"
    if limit is None or fys is None:
        cut = f" LIMIT {limit}" if limit is not None else ""
        rows = site.select(
            f"SELECT DISTINCT ?ev ?fy ?date ?line WHERE {{ {pattern} "
            f"?ev <{JDX}fiscalYear> ?fy . {where} }} ORDER BY ?fy ?date ?line ?ev{cut}"
        )
        return [r[0].value for r in rows]
    out: list[str] = []
    for fy in fys:
        if len(out) >= limit:
            break
        rows = site.select(
            f"SELECT DISTINCT ?ev ?date ?line WHERE {{ {pattern} "
            f"?ev <{JDX}fiscalYear> {ox.NamedNode(fy)} . {where} }} "
            f"ORDER BY ?date ?line ?ev LIMIT {limit - len(out)}"
        )
        out.extend(r[0].value for r in rows)
    return out


def events_table(site: Site, rows: list[EventRow], lang: str) -> tuple[list[str], list[tuple]]:
    """The rows as the downloads carry them: variables and terms (labels as literals, the event
    IRI as an IRI), written by kg.formats' SPARQL results writers."""
    variables = [key for key, _ in COLUMNS] + ["event_label", "source_line"]
    out = []
    for r in rows:
        row: list[Any] = []
        for key, _ in COLUMNS:
            terms = r.cells[key]
            if key == "event":
                row.append(terms[0])
            elif key == "date":
                row.append(terms[0] if terms else None)
            elif key == "flags":
                row.append(ox.Literal(";".join(t.value for t in terms)) if terms else None)
            else:
                names = " | ".join(site.label(t.value, lang) for t in terms)
                row.append(ox.Literal(names) if names else None)
        row.append(ox.Literal(site.label(r.iri, lang)))
        row.append(r.line)
        out.append(tuple(row))
    return variables, out


def events_html(site: Site, iri: str, pattern: str, lang: str) -> str:
    counts = site.select(
        f"SELECT ?fy ?ind (COUNT(DISTINCT ?ev) AS ?n) WHERE {{ {pattern} "
        f"?ev <{JDX}fiscalYear> ?fy }} GROUP BY ?fy ?ind"
    )
    total = sum(int(n.value) for *_, n in counts)  # an event has one FY and one indicator
    fys = sorted({fy.value for fy, *_ in counts})
    rows = event_rows(site, ordered_events(site, pattern, MAX_TABLE_ROWS, fys))
    head = "".join(
        f'<th scope="col" data-key="{key}">'
        f'<button type="button">{esc(say(sid, lang))}</button></th>'
        for key, sid in COLUMNS
    )
    body = []
    for r in rows:
        tds = []
        for key, _ in COLUMNS:
            terms = r.cells[key]
            if key == "event":
                ev = terms[0].value
                text = esc(ev.rsplit("/", 1)[-1])
                cell = f'<a href="{esc(site.href(ev) or "")}">{text}</a>'
                if r.line is not None:
                    cell += f' <span class="line">L{esc(r.line.value)}</span>'
                tds.append(f"<td>{cell}</td>")
            elif key == "date":
                tds.append(f"<td>{esc(terms[0].value) if terms else ''}</td>")
            elif key == "flags":
                tds.append(
                    "<td>" + " ".join(flag_html(site, t.value, lang) for t in terms) + "</td>"
                )
            else:
                tds.append("<td>" + "<br>".join(link(site, t, lang) for t in terms) + "</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    note = ""
    if total > len(rows):
        note = f'<p class="note" id="rows-cut">{esc(say("rows_cut", lang, n=len(rows)))}</p>'
    slug = iri[len(JDXR) :].replace("/", "_") if iri.startswith(JDXR) else "events"
    return _template("events.html").substitute(
        heading=esc(say("events", lang)),
        count=total,
        summary=summary_html(site, counts, total, lang),
        download_label=esc(say("download", lang)),
        csv=esc(_download_href(site, iri, "events.csv", lang)),
        json=esc(_download_href(site, iri, "events.json", lang)),
        csv_name=esc(f"{slug}_events.csv"),
        json_name=esc(f"{slug}_events.json"),
        note=note,
        head=head,
        rows="\n".join(body),
    )


def _download_href(site: Site, iri: str, what: str, lang: str) -> str:
    """A page's download: ``?download=`` on a server, a file beside the page when static
    (``X.events.csv``, ``X.en.events.csv``: kg.publish writes them with :func:`download`)."""
    if not site.static:
        return f"{site.href(iri) or ''}?download={what}&lang={lang}"
    return site.file_href(iri, (".en." if lang == "en" else ".") + what)


def summary_html(site: Site, counts: list[tuple], total: int, lang: str) -> str:
    """Events per FY (rows) and indicator (columns), with totals; none for a single cell."""
    if len(counts) < 2:
        return ""
    cell: Counter[tuple[str, str]] = Counter()
    for fy, ind, n in counts:
        cell[(fy.value, ind.value)] += int(n.value)
    fys = sorted({k[0] for k in cell})
    inds = sorted({k[1] for k in cell})
    head = "".join(f'<th scope="col">{link(site, ox.NamedNode(i), lang)}</th>' for i in inds)
    lines = []
    for fy in fys:
        cells = "".join(f'<td class="n">{cell[(fy, i)] or ""}</td>' for i in inds)
        n = sum(cell[(fy, i)] for i in inds)
        lines.append(
            f'<tr><th scope="row">{link(site, ox.NamedNode(fy), lang)}</th>{cells}'
            f'<td class="n total">{n}</td></tr>'
        )
    foot = "".join(f'<td class="n total">{sum(cell[(fy, i)] for fy in fys)}</td>' for i in inds)
    name = esc(say("summary", lang))
    tot = esc(say("total", lang))
    return (
        f'<table class="summary"><caption>{name}</caption>'
        f'<thead><tr><th></th>{head}<th scope="col">{tot}</th></tr></thead>'
        f"<tbody>{''.join(lines)}</tbody>"
        f'<tfoot><tr><th scope="row">{tot}</th>{foot}<td class="n total">{total}</td></tr>'
        "</tfoot></table>"
    )


def flag_note(site: Site, code: str, lang: str) -> str:
    """The flag's meaning in words: the site's own notes, else the glossary (data/flags.csv)."""
    note = site.flag_notes.get(code, {}).get(lang, "")
    if note:
        return note
    found = glossary.describe(code)
    if found is None:
        return ""
    return found.meaning_ja if lang == "ja" else found.meaning_en


def flag_html(site: Site, code: str, lang: str) -> str:
    note = flag_note(site, code, lang)
    title = f' title="{esc(note)}"' if note else ""
    return f'<code class="flag" data-flag="{esc(code)}"{title}>{esc(code)}</code>'


def download(site: Site, iri: str, what: str, lang: str) -> Page:
    """``events.csv`` / ``events.json``: the rows of the page's events table, all of them."""
    facts = site.out(iri)
    types = [t.value for t in facts.get(RDF_TYPE, [])]
    pattern = events_pattern(site, iri, types) if facts else None
    if pattern is None or what not in ("events.csv", "events.json"):
        return Page(404, "text/plain; charset=utf-8", b"No such download for this resource.\n")
    variables, rows = events_table(site, event_rows(site, ordered_events(site, pattern)), lang)
    fmt = what.rsplit(".", 1)[1]
    body = results.write(fmt, variables, rows).encode()
    ctype = results.MEDIA_TYPES[fmt] + ("; charset=utf-8" if fmt == "csv" else "")
    name = iri[len(JDXR) :].replace("/", "_") + "_" + what
    return Page(200, ctype, body, {"Content-Disposition": f'attachment; filename="{name}"'})


# -- a person: appointments, events per FY, whom they met ------------------------------------

ORG = PREFIX_IRIS["org"]
TIME = PREFIX_IRIS["time"]
#: A person's links from events, by side; the first of each pair is the certain one.
JP_SIDE = (JDX + "participantPerson", JDX + "candidateParticipant")
OTHER_SIDE = (JDX + "counterpartPerson", JDX + "counterpartCandidate")
CERTAIN = frozenset((JP_SIDE[0], OTHER_SIDE[0]))


@dataclass
class Bound:
    value: str  # YYYY-MM-DD or YYYY-MM; "" when no page confirmed one
    precision: str  # day, month, by ("" with no value)


@dataclass
class Tenure:
    """One appointment as a person's page shows it."""

    iri: str
    position: Any  # the jdx:Position
    start: Bound
    end: Bound
    sources: list[Any]  # prov:wasDerivedFrom pages, in IRI order


def tenures(site: Site, person: str) -> list[Tenure]:
    """The person's appointments, by start. A bound no page dates (``by``) is the first or last
    day a page shows them in office (``jdx:inOfficeOn``)."""
    out = []
    for a in site.subjects(ORG + "member", person):
        f = site.out(a)
        interval = _one(f, ORG + "memberDuring")
        spans = site.out(interval.value) if interval is not None else {}
        seen = sorted(o.value for o in f.get(JDX + "inOfficeOn", []))
        bounds = []
        for prop, fallback in (
            (TIME + "hasBeginning", seen[0] if seen else ""),
            (TIME + "hasEnd", seen[-1] if seen else ""),
        ):
            instant = _one(spans, prop)
            if instant is None:
                bounds.append(Bound(fallback, "by" if fallback else ""))
                continue
            i = site.out(instant.value)
            value = _one(i, TIME + "inXSDDate") or _one(i, TIME + "inXSDgYearMonth")
            precision = _one(i, JDX + "datePrecision")
            bounds.append(Bound(value.value if value else "", precision.value if precision else ""))
        sources = sorted(f.get(PREFIX_IRIS["prov"] + "wasDerivedFrom", []), key=lambda t: t.value)
        out.append(Tenure(a, _one(f, JDX + "position"), bounds[0], bounds[1], sources))
    return sorted(out, key=lambda t: (t.start.value, t.iri))


def bound_html(b: Bound, lang: str) -> str:
    if not b.value:
        return f'<span class="none">{esc(say("precision_none", lang))}</span>'
    note = esc(say(f"precision_{b.precision}", lang))
    return (
        f'<time datetime="{esc(b.value)}">{esc(b.value)}</time> '
        f'<span class="precision" data-precision="{esc(b.precision)}">({note})</span>'
    )


def _persons_values(preds: Iterable[str]) -> str:
    return " ".join(f"<{p}>" for p in preds)


def person_html(site: Site, iri: str, lang: str) -> str:
    """The person's appointments (office, interval and each bound's precision, the pages that
    confirm them), their events per FY as confirmed (they held the office all that month) or
    candidate (flagged holder_ambiguous), and whom they met: the people on the other side of
    those events and the offices met, counted the same way."""
    rows = []
    for t in tenures(site, iri):
        position = link(site, t.position, lang) if t.position is not None else ""
        sources = "<br>".join(link(site, s, lang) for s in t.sources)
        rows.append(
            f"<tr><td>{position}</td><td>{bound_html(t.start, lang)}</td>"
            f"<td>{bound_html(t.end, lang)}</td>"
            f'<td class="sources">{sources}</td></tr>'
        )
    head = "".join(
        f'<th scope="col">{esc(say(k, lang))}</th>'
        for k in ("appt_office", "appt_start", "appt_end", "appt_sources")
    )
    appointments = (
        f'<section id="appointments"><h2>{esc(say("appointments", lang))}</h2>'
        '<table class="summary appointments" id="appointments-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="note">{esc(say("appointments_note", lang))}</p></section>'
    )
    return appointments + person_fy_html(site, iri, lang) + person_met_html(site, iri, lang)


def _line(cell: str, counts: list[int]) -> tuple[str, int, int]:
    return cell, counts[0], counts[1]


def _certainty_table(
    table_id: str, caption: str, first_col: str, lines: list[tuple[str, int, int]], lang: str
) -> str:
    """Rows of (cell HTML, confirmed, candidate) with their totals."""
    head = "".join(
        f'<th scope="col">{esc(say(k, lang))}</th>'
        for k in (first_col, "col_confirmed", "col_candidate", "total")
    )
    body = "".join(
        f'<tr><th scope="row">{cell}</th><td class="n confirmed">{sure or ""}</td>'
        f'<td class="n candidate">{maybe or ""}</td><td class="n total">{sure + maybe}</td></tr>'
        for cell, sure, maybe in lines
    )
    sure_all = sum(r[1] for r in lines)
    maybe_all = sum(r[2] for r in lines)
    foot = (
        f'<tr><th scope="row">{esc(say("total", lang))}</th><td class="n">{sure_all}</td>'
        f'<td class="n">{maybe_all}</td><td class="n total">{sure_all + maybe_all}</td></tr>'
    )
    return (
        f'<table class="summary certainty" id="{table_id}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody><tfoot>{foot}</tfoot></table>"
    )


def person_fy_html(site: Site, iri: str, lang: str) -> str:
    node = ox.NamedNode(iri)
    counts = site.select(
        f"SELECT ?fy ?link (COUNT(DISTINCT ?ev) AS ?n) WHERE {{ "
        f"VALUES ?link {{ {_persons_values(JP_SIDE + OTHER_SIDE)} }} "
        f"?ev ?link {node} ; <{JDX}fiscalYear> ?fy }} GROUP BY ?fy ?link"
    )
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fy, pred, n in counts:
        per[fy.value][0 if pred.value in CERTAIN else 1] += int(n.value)
    lines = [_line(link(site, ox.NamedNode(fy), lang), per[fy]) for fy in sorted(per)]
    if not lines:
        return ""
    table = _certainty_table("person-fy", say("by_fy", lang), "col_fy", lines, lang)
    return (
        f'<section id="person-events"><h2>{esc(say("person_events", lang))}</h2>{table}'
        f'<p class="note">{esc(say("certainty_note", lang))}</p></section>'
    )


def person_met_html(site: Site, iri: str, lang: str) -> str:
    """Whom the person met: each person on the other side of their events, and each office
    (a counterpart's office for a Japanese person, the Japanese office for a counterpart)."""
    node = ox.NamedNode(iri)
    pairs = " ".join(
        f"(<{mine}> <{theirs}>)"
        for side, other in ((JP_SIDE, OTHER_SIDE), (OTHER_SIDE, JP_SIDE))
        for mine in side
        for theirs in other
    )
    people = site.select(
        f"SELECT ?other ?mine ?theirs (COUNT(DISTINCT ?ev) AS ?n) WHERE {{ "
        f"VALUES (?mine ?theirs) {{ {pairs} }} ?ev ?mine {node} . ?ev ?theirs ?other }} "
        "GROUP BY ?other ?mine ?theirs"
    )
    met: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for other, mine, theirs, n in people:
        sure = mine.value in CERTAIN and theirs.value in CERTAIN
        met[other.value][0 if sure else 1] += int(n.value)
    offices = site.select(
        f"SELECT ?office ?mine (COUNT(DISTINCT ?ev) AS ?n) WHERE {{ {{ "
        f"VALUES ?mine {{ {_persons_values(JP_SIDE)} }} ?ev ?mine {node} ; "
        f"<{JDX}counterpart> ?office }} UNION {{ "
        f"VALUES ?mine {{ {_persons_values(OTHER_SIDE)} }} ?ev ?mine {node} ; "
        f"<{JDX}japaneseParticipant> ?office }} }} GROUP BY ?office ?mine"
    )
    posts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for office, mine, n in offices:
        posts[office.value][0 if mine.value in CERTAIN else 1] += int(n.value)
    if not met and not posts:
        return ""

    def order(counts: dict[str, list[int]]) -> list[str]:
        return sorted(counts, key=lambda k: (-sum(counts[k]), site.label(k, lang), k))

    parts = []
    if met:
        lines = []
        for other in order(met):
            held = sorted(site.out(other).get(ORG + "holds", []), key=lambda t: t.value)
            where = ", ".join(link(site, h, lang) for h in held)
            cell = link(site, ox.NamedNode(other), lang) + (
                f' <span class="held">({where})</span>' if where else ""
            )
            lines.append(_line(cell, met[other]))
        parts.append(
            _certainty_table("met-people", say("met_people", lang), "col_person", lines, lang)
        )
    if posts:
        lines = [_line(link(site, ox.NamedNode(o), lang), posts[o]) for o in order(posts)]
        parts.append(
            _certainty_table("met-offices", say("met_offices", lang), "col_office", lines, lang)
        )
    return (
        f'<section id="met"><h2>{esc(say("met", lang))}</h2>{"".join(parts)}'
        f'<p class="note">{esc(say("met_note", lang))}</p></section>'
    )


# -- an event's source, an observation's figures -----------------------------------------------


def _one(facts: dict[str, list[Any]], prop: str) -> Any:
    values = facts.get(prop, [])
    return values[0] if values else None


def event_source_html(site: Site, iri: str, facts: dict[str, list[Any]], lang: str) -> str:
    text, line = _one(facts, JDX + "sourceText"), _one(facts, JDX + "sourceLine")
    start, end = _one(facts, JDX + "sourceStart"), _one(facts, JDX + "sourceEnd")
    fy, block = _one(facts, JDX + "fiscalYear"), _one(facts, JDX + "block")
    where = []
    if line is not None:
        where.append(f'{esc(say("line", lang))} <span id="source-line">{esc(line.value)}</span>')
    if start is not None and end is not None:
        where.append(f"{esc(say('chars', lang))} {esc(start.value)}–{esc(end.value)}")
    if fy is not None:
        where.append(link(site, fy, lang))
    if block is not None:
        where.append(f'{esc(say("block", lang))} <span class="block">【{esc(block.value)}】</span>')
    excerpt = f'<p class="note">{esc(say("no_source", lang))}</p>'
    doc_sha = ""
    for d in facts.get(PREFIX_IRIS["prov"] + "wasDerivedFrom", []):
        sha = _one(site.out(d.value), JDX + "sha256")
        doc_sha = sha.value if sha is not None else ""
    if (
        site.source_text is not None
        and doc_sha
        and doc_sha == site.source_sha256
        and line is not None
        and start is not None
        and end is not None
    ):
        base = site.line_start(int(line.value))
        if base >= 0:
            excerpt = excerpt_html(site.source_text, base + int(start.value), base + int(end.value))
    flags = sorted(o.value for o in facts.get(JDX + "qualityFlag", []))
    flags_html = ""
    if flags:
        items = "".join(
            f"<li>{flag_html(site, f, lang)}"
            + (f" — {esc(note)}" if (note := flag_note(site, f, lang)) else "")
            + "</li>"
            for f in flags
        )
        flags_html = f'<h3>{esc(say("flags", lang))}</h3><ul class="flags">{items}</ul>'
    siblings = ""
    if text is not None:
        same = []
        for q in site.store.quads_for_pattern(None, ox.NamedNode(JDX + "sourceText"), text):
            other = q.subject.value if isinstance(q.subject, ox.NamedNode) else iri
            there = site.out(other)
            if other != iri and (
                _one(there, JDX + "sourceLine"),
                _one(there, JDX + "sourceStart"),
            ) == (
                line,
                start,
            ):
                same.append(other)
        if same:
            items = "".join(f"<li>{link(site, ox.NamedNode(s), lang)}</li>" for s in sorted(same))
            siblings = f'<h3>{esc(say("siblings", lang))}</h3><ul class="siblings">{items}</ul>'
    return _template("source.html").substitute(
        heading=esc(say("source", lang)),
        text_label=esc(say("source_text", lang)),
        text=esc(text.value) if text is not None else "",
        where_label=esc(say("source_where", lang)),
        where=" · ".join(where),
        excerpt_label=esc(say("excerpt", lang)),
        excerpt=excerpt,
        flags=flags_html,
        siblings=siblings,
    )


def excerpt_html(source: str, start: int, end: int) -> str:
    """The source around ``[start, end)``, escaped, that span in a ``<mark>``."""
    lo = max(0, start - EXCERPT_CONTEXT)
    hi = min(len(source), end + EXCERPT_CONTEXT)
    before, item, after = source[lo:start], source[start:end], source[end:hi]
    return (
        f'<pre class="excerpt" id="excerpt">{"…" if lo else ""}{esc(before)}'
        f'<mark id="highlight">{esc(item)}</mark>{esc(after)}'
        f"{'…' if hi < len(source) else ''}</pre>"
    )


def observation_html(site: Site, iri: str, facts: dict[str, list[Any]], lang: str) -> str:
    budget = JDX + "budgetAmount" in facts or JDX + "executedAmount" in facts
    unit = say("unit_million_yen" if budget else "unit_persons", lang)
    line = _one(facts, JDX + "sourceLine")
    if line is None and budget:
        owner = _one(facts, JDX + "budgetLine")
        line = _one(site.out(owner.value), JDX + "sourceLine") if owner is not None else None
    figures = [
        f'<tr><th scope="row">{link(site, ox.NamedNode(p), lang)}</th>'
        f'<td class="n">{esc(o.value)}</td></tr>'
        for p in (JDX + "budgetAmount", JDX + "executedAmount", JDX + "count")
        for o in facts.get(p, [])
    ]
    where = (
        f"<p>{esc(say('source_line_of', lang))}: "
        f'<span id="source-line">{esc(line.value)}</span></p>'
        if line is not None
        else ""
    )
    return (
        f'<section id="figures"><table class="figures"><tbody>{"".join(figures)}</tbody></table>'
        f'<p class="unit">{esc(unit)}</p>{where}</section>'
    )


# --------------------------------------------------------------------------------------------
#  The ontology
# --------------------------------------------------------------------------------------------


def render_ontology(site: Site, fmt: str, lang: str) -> Page:
    headers = {"Link": alternates_header(site, ONTOLOGY)}
    triples = [q.triple for q in site.ontology]
    if fmt != "html":
        return Page(200, _ctype(fmt), serialize(fmt, triples, site.prefixes).encode(), headers)
    terms: dict[str, list[str]] = defaultdict(list)
    owl = PREFIX_IRIS["owl"]
    for q in site.ontology.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None):
        s = q.subject
        if isinstance(s, ox.NamedNode) and s.value.startswith(JDX) and len(s.value) > len(JDX):
            t = q.object.value if isinstance(q.object, ox.NamedNode) else ""
            group = (
                "classes"
                if t == owl + "Class"
                else "properties"
                if t.endswith("Property")
                else "individuals"
            )
            if s.value not in terms[group]:
                terms[group].append(s.value)
    sections = []
    for group in ("classes", "properties", "individuals"):
        items = []
        for term in sorted(terms[group]):
            local = term[len(JDX) :]
            facts = defaultdict(list)
            for q in site.ontology.quads_for_pattern(ox.NamedNode(term), None, None):
                facts[q.predicate.value].append(q.object)
            rows = "\n".join(
                f'<tr><th scope="row">{link(site, ox.NamedNode(p), lang)}</th><td>'
                + "<br>".join(link(site, o, lang) for o in sorted(facts[p], key=str))
                + "</td></tr>"
                for p in sorted(facts, key=lambda p: site.label(p, lang))
                if p != RDFS_LABEL
            )
            items.append(
                f'<article class="term" id="{esc(local)}">'
                f'<h3><a href="#{esc(local)}">jdx:{esc(local)}</a> '
                f"{esc(site.label(term, lang))}</h3>"
                f'<table class="facts"><tbody>{rows}</tbody></table></article>'
            )
        sections.append(
            f'<section id="{group}"><h2>{esc(say(group, lang))}</h2>{"".join(items)}</section>'
        )
    formats = " · ".join(
        f'<a href="{esc(site.file_href(ONTOLOGY, SUFFIX_OF[f]))}" type="{MEDIA[f]}">{name}</a>'
        for f, name in (("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD"))
    )
    main = _template("ontology.html").substitute(
        title=esc(say("ontology", lang)),
        iri=esc(ONTOLOGY),
        formats_label=esc(say("formats", lang)),
        formats=formats,
        intro=esc(say("ontology_intro", lang)),
        sections="\n".join(sections),
    )
    body = layout(site, say("ontology", lang), main, lang, alternates="")
    return Page(200, _ctype("html"), body.encode(), {**headers, "Content-Language": lang})


# --------------------------------------------------------------------------------------------
#  HTTP: from a request's path, query string and headers to a page
# --------------------------------------------------------------------------------------------


def _best(header: str, choices: dict[str, str]) -> str | None:
    """The choice for the highest-q range of an Accept(-Language) header that names one."""
    ranked = []
    for n, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if bits[0] and q > 0:
            ranked.append((-q, n, bits[0].lower()))
    for _, _, want in sorted(ranked):
        if want in choices:
            return choices[want]
        if want in ("*/*", "*"):
            return None
        major = want.split("-")[0] if "/" not in want else ""
        if major in choices:
            return choices[major]
    return None


def negotiate(accept: str) -> str:
    """The page format an Accept header asks for (HTML when it names none of ours)."""
    return _best(accept or "", ACCEPT_MEDIA) or "html"


def language(accept_language: str) -> str:
    return _best(accept_language or "", {"ja": "ja", "en": "en"}) or "ja"


def _language_of(
    params: dict[str, list[str]],
    allowed: tuple[str, ...],
    accept_language: str,
    what: str,
    repeatable: tuple[str, ...] = (),
) -> str | Page:
    """The page's language (``lang=``, else Accept-Language), or the 400 that an unknown or
    repeated parameter, or an unknown language, gets."""
    unknown = sorted(set(params) - set(allowed))
    if unknown or any(len(v) > 1 for k, v in params.items() if k not in repeatable):
        names = ", ".join(unknown) or "a repeated parameter"
        takes = ", ".join(f"{a}=" for a in allowed[:-1]) + f" and {allowed[-1]}="
        return Page(
            400,
            "text/plain; charset=utf-8",
            f"Unknown parameter: {names}. {what} {takes}.\n".encode(),
        )
    lang = params.get("lang", [""])[0] or language(accept_language)
    if lang not in LANGS:
        return Page(400, "text/plain; charset=utf-8", b"lang= takes ja or en.\n")
    return lang


def answer(
    site: Site, path: str, query: str = "", accept: str = "", accept_language: str = ""
) -> Page:
    """The answer to ``GET path?query`` for ``/id/…`` and ``/ontology`` (404 otherwise)."""
    params = urllib.parse.parse_qs(query, keep_blank_values=True)
    if urllib.parse.unquote(path) in ("/search", "/search/"):
        return search(site, params, accept_language)
    lang = _language_of(params, ("format", "lang", "download"), accept_language, "Pages take")
    if isinstance(lang, Page):
        return lang
    fmt = None
    local = urllib.parse.unquote(path)
    for suffix, f in SUFFIXES.items():
        if local.endswith(suffix):
            local, fmt = local[: -len(suffix)], f
            break
    if "format" in params:
        word = params["format"][0].strip().lower()
        if word not in FORMAT_WORDS:
            return Page(
                400,
                "text/plain; charset=utf-8",
                f"format= takes one of: {', '.join(sorted(FORMAT_WORDS))}.\n".encode(),
            )
        fmt = FORMAT_WORDS[word]
    fmt = fmt or negotiate(accept)
    if local in ("/ontology", "/ontology/"):
        iri = ONTOLOGY
    elif local.startswith("/id/") and len(local) > len("/id/"):
        iri = JDXR + local[len("/id/") :]
    else:
        return not_found(site, local, fmt, lang)
    try:
        ox.NamedNode(iri)
    except ValueError:
        return not_found(site, local, fmt, lang)
    if "download" in params:
        return download(site, iri, params["download"][0], lang)
    page = render(site, iri, fmt, lang)
    page.headers["Vary"] = "Accept-Language"
    return page


SEARCH_LIMIT = 50  # hits a search page shows (a common word has thousands at 100x)


def search_form(site: Site, lang: str, text: str = "") -> str:
    """The search box every page carries (GET /search?q=…: kg.sparql.lookup)."""
    return (
        f'<form class="search" role="search" action="{esc(site.page_link("search", lang))}" '
        'method="get">'
        f'<input type="search" name="q" value="{esc(text)}" '
        f'placeholder="{esc(say("search_placeholder", lang))}" '
        f'aria-label="{esc(say("search", lang))}" maxlength="200">'
        f'<input type="hidden" name="lang" value="{esc(lang)}">'
        f'<button type="submit">{esc(say("search", lang))}</button></form>'
    )


def search(site: Site, params: dict[str, list[str]], accept_language: str = "") -> Page:
    """``/search?q=TEXT[&type=T][&lang=ja|en]``: the resources whose names match, ranked, each
    a link to its page (the ranking of ``kg lookup``)."""
    lang = _language_of(params, ("q", "type", "lang"), accept_language, "Search takes", ("type",))
    if isinstance(lang, Page):
        return lang
    text = params.get("q", [""])[0][:200]
    wanted = [t for t in params.get("type", []) if t] or None
    kinds = {t.type: t for t in lookup.types()}
    if wanted and any(t not in kinds for t in wanted):
        return Page(
            400,
            "text/plain; charset=utf-8",
            f"type= takes one of: {', '.join(kinds)}.\n".encode(),
        )
    hits = lookup.names(site.store).search(text, wanted, None, SEARCH_LIMIT) if text else []
    rows = []
    for h in hits:
        kind = kinds.get(h.type)
        kind_name = (kind.name_ja if lang == "ja" else kind.name_en) if kind else h.type
        first, second = (h.label_ja, h.label_en) if lang == "ja" else (h.label_en, h.label_ja)
        name = first or second or h.curie
        other = f' <span class="lang">{esc(second)}</span>' if second and second != name else ""
        href = site.href(h.iri) or h.iri
        rows.append(
            f"<tr><td>{esc(kind_name)}</td>"
            f'<td><a href="{esc(href)}">{esc(name)}</a>{other}</td>'
            f"<td><code>{esc(h.code or h.curie)}</code></td>"
            f'<td class="lang">{esc(h.level)}</td></tr>'
        )
    head = "".join(
        f'<th scope="col">{esc(say(k, lang))}</th>'
        for k in ("col_type", "col_name", "col_code", "col_match")
    )
    if not text:
        body = f"<p>{esc(say('search_hint', lang))}</p>"
    elif not rows:
        body = f'<p class="none">{esc(say("search_none", lang))}</p>'
    else:
        body = (
            f'<table class="events sortable" id="search-results"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    title = say("search_results", lang, q=text) if text else say("search", lang)
    main = f"<h1>{esc(title)}</h1>{search_form(site, lang, text)}{body}"
    html = layout(site, title, main, lang, alternates="", lang_links=False)
    return Page(200, _ctype("html"), html.encode(), {"Content-Language": lang})


_SITES: dict[str, Site] = {}


def worker_answer(
    store: ox.Store, nt_path: str, msg: dict[str, Any], source: str | None = None
) -> dict[str, Any]:
    """In a ``kg serve`` worker: the page ``msg`` asks for, from the graph the worker holds
    (the ontology and the source document, ``source`` or the one beside ``nt_path``, read
    once)."""
    from kg import paths

    site = _SITES.get(nt_path)
    if site is None:
        doc = Path(source) if source else Path(nt_path).parent / "source.txt"
        site = Site.from_files(store, paths.ontology_dir() / "jdx.ttl", doc)
        _SITES[nt_path] = site
    page = answer(
        site,
        msg["page"],
        msg.get("query", ""),
        msg.get("accept", ""),
        msg.get("accept_language", ""),
    )
    return {"status": page.status, "type": page.ctype, "body": page.body, "headers": page.headers}
