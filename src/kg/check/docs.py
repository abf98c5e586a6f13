"""HTML documentation of the JDX ontology, generated with pyLODE 3.4.1 (OntPub profile).

Why the wrapping instead of calling pyLODE directly (all measured with pyLODE 3.4.1 from PyPI):

- ``import pylode`` fails: ``pylode/version.py`` reads a ``pyproject.toml`` that the wheel does
  not ship. A stub ``pylode.version`` module is installed before the import.
- Importing pyLODE calls ``logging.basicConfig(level=DEBUG)`` (in its supermodel loader), which
  would make every library log DEBUG lines to stderr; the root logger is restored afterwards.
- ``load_ontology`` calls ``exit()`` on a parse error, so the ontology is parsed here with rdflib
  and handed over as a graph.
- OntPub treats every ``skos:ConceptScheme`` as a second ontology (its title replaces the page
  title), lists the declared external terms (``sem:Event``, ``schema:Event``...) as if they
  were ours, derives HTML anchors from labels with non-ASCII characters stripped (Japanese labels
  give empty anchors) and has no section for named individuals. The page is therefore built
  from a documentation view of the graph (only ``jdx:`` terms declared, one bilingual title per
  term), with anchors preset to the IRI fragments (``#HighLevelExchange`` for
  ``jdx:HighLevelExchange``), and a section for the SKOS concepts (modes, directions) is added.
- Members of ``owl:unionOf`` ranges are collected in a ``set`` of HTML elements (hashed by
  memory address), so their order changed from run to run; ``pylode.utils.set`` is replaced by
  an insertion-ordered set while the page is built (it is the module's only use of ``set``).
- pyLODE logs through the root logger with ``logging.info``, which calls ``basicConfig`` when no
  handler exists; the root logger's level and handlers are restored after the call.

No network access: pyLODE reads its background ontologies from files inside the package and the
stylesheet is inlined. (pyLODE may cache those background ontologies as pickle files inside its
own package folder.) Output is deterministic: subjects are sorted and no timestamp is written.
"""

from __future__ import annotations

import html
import importlib.metadata
import logging
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Literal, URIRef

from kg import paths
from kg.model.vocab import JDX as JDX_NS

__all__ = ["write_docs"]

JDX = str(JDX_NS)


@contextmanager
def _root_logger_preserved() -> Iterator[None]:
    """Undo pyLODE's changes to the root logger (basicConfig at import and on first log)."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    disabled = logging.root.manager.disable
    logging.disable(logging.INFO)  # pyLODE's INFO/DEBUG chatter would go to stderr
    try:
        yield
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
        logging.disable(disabled)


class _OrderedSet(list[Any]):
    """Stand-in for ``set`` in pylode.utils: keeps insertion order, so output is stable."""

    def add(self, item: Any) -> None:
        if not any(item is existing for existing in self):
            self.append(item)


@contextmanager
def _deterministic_pylode() -> Iterator[None]:
    """Make pyLODE's union-class rendering follow the RDF list order (see module docstring)."""
    import pylode.utils as pylode_utils

    had = "set" in vars(pylode_utils)
    previous = vars(pylode_utils).get("set")
    pylode_utils.set = _OrderedSet
    try:
        yield
    finally:
        if had:
            pylode_utils.set = previous
        else:
            del pylode_utils.set


def _import_ontpub() -> Any:
    """Import ``pylode.OntPub`` despite its broken version module."""
    if "pylode.version" not in sys.modules:
        stub = types.ModuleType("pylode.version")
        try:
            stub.__dict__["__version__"] = importlib.metadata.version("pylode")
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover - pylode missing
            stub.__dict__["__version__"] = "unknown"
        sys.modules["pylode.version"] = stub
    from pylode import OntPub

    return OntPub


def _lang_value(graph: rdflib.Graph, subject: URIRef, predicate: URIRef, lang: str) -> str | None:
    """The first (sorted) literal of ``predicate`` in language ``lang``, if any."""
    values = sorted(
        str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == lang
    )
    return values[0] if values else None


def _bilingual(
    graph: rdflib.Graph, subject: URIRef, predicate: URIRef, pattern: str = "{en} ({ja})"
) -> str | None:
    """'English (日本語)' from the @en and @ja values, or whichever exists."""
    en = _lang_value(graph, subject, predicate, "en")
    ja = _lang_value(graph, subject, predicate, "ja")
    if en and ja:
        return pattern.format(en=en, ja=ja)
    return en or ja


def _docs_view(ontology: rdflib.Graph) -> rdflib.Graph:
    """Copy of the ontology shaped for OntPub (see the module docstring for why)."""
    view = rdflib.Graph()
    for prefix, namespace in ontology.namespaces():
        view.bind(prefix, namespace, override=True)
    ours = {
        s
        for s in ontology.subjects(RDFS.isDefinedBy, None)
        if isinstance(s, URIRef) and str(s).startswith(JDX)
    }
    ontologies = set(ontology.subjects(RDF.type, OWL.Ontology))
    for s, p, o in ontology:
        if s in ontologies and p == DCTERMS.title:
            continue  # OntPub runs several titles together in the page heading
        if isinstance(s, URIRef) and not str(s).startswith(JDX) and s not in ontologies:
            continue  # external term, declared (and labelled) for reasoners and other tools
        if p == RDF.type and o == SKOS.ConceptScheme:
            continue  # OntPub would take the scheme for the ontology itself
        if s in ours and p == RDFS.label:
            continue  # replaced by one bilingual title below
        view.add((s, p, o))
    for onto_iri in ontologies:
        if isinstance(onto_iri, URIRef):
            title = _bilingual(ontology, onto_iri, DCTERMS.title, "{en} / {ja}")
            if title:
                view.add((onto_iri, DCTERMS.title, Literal(title)))
    for term in ours:
        title = _bilingual(ontology, term, RDFS.label)
        if title:
            view.add((term, DCTERMS.title, Literal(title)))
    return view


def _concepts_section(ontology: rdflib.Graph) -> str:
    """HTML section listing the jdx: SKOS concepts (modes, directions) that OntPub omits."""
    concepts = sorted(
        s
        for s in ontology.subjects(RDF.type, SKOS.Concept)
        if isinstance(s, URIRef) and str(s).startswith(JDX)
    )
    if not concepts:
        return ""
    parts = ['<div id="individuals">', "<h2>Named Individuals (SKOS concepts)</h2>"]
    for concept in concepts:
        local = str(concept)[len(JDX) :]
        title = _bilingual(ontology, concept, SKOS.prefLabel) or local
        schemes = sorted(str(o)[len(JDX) :] for o in ontology.objects(concept, SKOS.inScheme))
        types_ = sorted(
            str(o)[len(JDX) :]
            for o in ontology.objects(concept, RDF.type)
            if str(o).startswith(JDX)
        )
        definitions = [
            d
            for d in (
                _lang_value(ontology, concept, SKOS.definition, "ja"),
                _lang_value(ontology, concept, SKOS.definition, "en"),
            )
            if d
        ]
        rows = [
            ("IRI", f"<code>{html.escape(str(concept))}</code>"),
            (
                "Type",
                ", ".join(f'<a href="#{html.escape(t)}">jdx:{html.escape(t)}</a>' for t in types_),
            ),
            ("In Scheme", ", ".join(f"<code>jdx:{html.escape(s)}</code>" for s in schemes)),
            (
                "Definition",
                "<ul>"
                + "".join(f"<li><p>{html.escape(d)}</p></li>" for d in definitions)
                + "</ul>",
            ),
        ]
        parts.append(f'<div class="property entity" id="{html.escape(local)}">')
        parts.append(f"<h3>{html.escape(title)}</h3><table>")
        parts.extend(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows if v)
        parts.append("</table></div>")
    parts.append("</div>")
    return "\n".join(parts) + "\n"


def write_docs(ontology_path: Path, out_path: Path) -> Path:
    """Write the HTML documentation of ``ontology_path`` to ``out_path`` and return the path.

    The page title is the ontology's English ``dcterms:title``; every ``jdx:`` term is
    reachable at ``out_path#<local name>``.
    """
    ontology = rdflib.Graph().parse(str(ontology_path), format="turtle")
    view = _docs_view(ontology)
    with _root_logger_preserved():
        ontpub_cls = _import_ontpub()
        with _deterministic_pylode():
            doc = ontpub_cls(ontology=view, sort_subjects=True)
            # Preset anchors so that OntPub does not derive them from (Japanese) titles.
            for term in sorted(str(s) for s in set(view.subjects()) if isinstance(s, URIRef)):
                if term.startswith(JDX):
                    doc.fids[term] = term[len(JDX) :]
            for onto_iri in ontology.subjects(RDF.type, OWL.Ontology):
                if not isinstance(onto_iri, URIRef):
                    continue
                title = _lang_value(ontology, onto_iri, DCTERMS.title, "en")
                if title:
                    doc.doc.set_title(title)
            page: str = doc.make_html()
    marker = '<div id="namespaces">'
    section = _concepts_section(ontology)
    if section and marker in page:
        page = page.replace(marker, section + marker, 1)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    paths.write_text(out_path, page)
    return out_path
