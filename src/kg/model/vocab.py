"""Namespaces and the class and code tables shared by the graph build and its readers.

Everything here is plain strings (:data:`PREFIX_IRIS`, :class:`Names`, the class tables), so
that ``kg build`` runs without importing rdflib (about 0.3 s of a cold start). The rdflib
namespaces (:data:`JDX`, :data:`JDXR`, :data:`PREFIXES`, ...) are made on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Namespace
    from rdflib.namespace import ClosedNamespace

#: The ontology's IRI (the named graph ``kg push`` puts it in); its terms are ``JDX``'s.
ONTOLOGY_IRI = "https://w3id.org/jdx/ontology"

#: The project's own vocabulary, closed: a term not defined in ontology/jdx.ttl raises
#: AttributeError instead of minting a wrong IRI (tests keep this list equal to the ontology's).
JDX_TERMS = (
    "AgreementSigning",
    "Appointment",
    "BudgetLine",
    "BudgetObservation",
    "CapacityBuilding",
    "Country",
    "DefenseConsultation",
    "Direction",
    "DirectionScheme",
    "Event",
    "Exercise",
    "FiscalYear",
    "Forum",
    "ForumEdition",
    "GoodwillExercise",
    "HighLevelExchange",
    "Hybrid",
    "InPerson",
    "Inbound",
    "Indicator",
    "InternationalOrganization",
    "Measure",
    "Meeting",
    "Mode",
    "ModeScheme",
    "MultilateralDialogue",
    "Organization",
    "OtherActivity",
    "Outbound",
    "Person",
    "Phone",
    "Place",
    "Position",
    "ResearchExchange",
    "SourceDocument",
    "StudentFlow",
    "UnitExchange",
    "Video",
    "VisitAbroad",
    "VisitToJapan",
    "atForum",
    "block",
    "broaderIndicator",
    "budgetAmount",
    "budgetLine",
    "bureau",
    "candidateParticipant",
    "code",
    "count",
    "counterpart",
    "counterpartAsPrinted",
    "counterpartCandidate",
    "counterpartCountry",
    "counterpartPerson",
    "country",
    "date",
    "dateAsPrinted",
    "datePrecision",
    "direction",
    "editionOf",
    "endDate",
    "evaluationTiming",
    "executedAmount",
    "fiscalYear",
    "fyEnd",
    "fyStart",
    "goal",
    "goalRationale",
    "group",
    "heldAt",
    "inOfficeOn",
    "indicator",
    "indicatorRationale",
    "isTotal",
    "iso3",
    "itemNumber",
    "japaneseParticipant",
    "measure",
    "mode",
    "ordinal",
    "organization",
    "organizer",
    "overview",
    "participantCountryCount",
    "participantPerson",
    "place",
    "policyPosition",
    "position",
    "qualityFlag",
    "region",
    "researcherCount",
    "reviewNumber",
    "seats",
    "seq",
    "service",
    "sha256",
    "sourceEnd",
    "sourceLine",
    "sourceStart",
    "sourceText",
    "startYear",
)

#: The SDMX unit-of-measure attribute, the unit of every Data Cube observation (RDF Data Cube
#: recommends the SDMX content-oriented guidelines' terms).
UNIT_MEASURE = "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"

#: The prefixes and their namespace IRIs, in the order files declare them (SPARQL PREFIX
#: lines, JSON-LD contexts, pages).
PREFIX_IRIS: dict[str, str] = {
    "jdx": ONTOLOGY_IRI + "#",
    "jdxr": "https://w3id.org/jdx/id/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "qb": "http://purl.org/linked-data/cube#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}


class Names:
    """A namespace's IRIs as plain strings (``Names(ns).label == ns + "label"``, also
    ``names["count"]``); closed when given its ``terms``: a name outside them raises
    AttributeError instead of minting a wrong IRI (as rdflib's ClosedNamespace does)."""

    def __init__(self, namespace: str, terms: tuple[str, ...] | None = None) -> None:
        self._ns = namespace
        self._terms = frozenset(terms) if terms is not None else None

    def __getitem__(self, name: str) -> str:
        if self._terms is not None and name not in self._terms:
            raise AttributeError(f"{name!r} is not a term of {self._ns}")
        return self._ns + name

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        iri = self[name]
        setattr(self, name, iri)  # next time a plain attribute
        return iri

    def __str__(self) -> str:
        return self._ns


#: The project's vocabulary as strings, closed over the ontology's terms like :data:`JDX`.
JDX_NAMES = Names(PREFIX_IRIS["jdx"], JDX_TERMS)

_J = JDX_NAMES
#: Class IRIs (strings) per indicator, kind, mode and direction code.
INDICATOR_CLASS = {
    "high_level": _J.HighLevelExchange,
    "consultation": _J.DefenseConsultation,
    "unit_exchange": _J.UnitExchange,
    "research": _J.ResearchExchange,
    "multilateral": _J.MultilateralDialogue,
}
KIND_CLASS = {
    "meeting": _J.Meeting,
    "visit_abroad": _J.VisitAbroad,
    "visit_to_japan": _J.VisitToJapan,
    "signing": _J.AgreementSigning,
    "exercise": _J.Exercise,
    "other": _J.OtherActivity,
}
MODE = {"in_person": _J.InPerson, "phone": _J.Phone, "video": _J.Video, "hybrid": _J.Hybrid}
DIRECTION = {"inbound": _J.Inbound, "outbound": _J.Outbound}
INDICATOR_EN = {
    "high_level": "High-level exchange",
    "consultation": "Defense consultation",
    "unit_exchange": "Unit-level exchange",
    "research": "Research exchange",
    "multilateral": "Multilateral dialogue",
}

_LONGEST_FIRST = sorted(PREFIX_IRIS.items(), key=lambda kv: -len(kv[1]))


def compact(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``prefix:local`` for the longest namespace of ``prefixes`` (default the project's) that
    ``iri`` starts with and leaves a non-empty local part; the IRI itself when none does.

    >>> compact("https://w3id.org/jdx/id/country/PHL")
    'jdxr:country/PHL'
    >>> compact("https://w3id.org/jdx/ontology#Meeting")
    'jdx:Meeting'
    >>> compact("http://example.org/x")
    'http://example.org/x'
    """
    return compactor(prefixes)(iri)


def compactor(prefixes: dict[str, str] | None = None) -> Callable[[str], str]:
    """:func:`compact` with ``prefixes`` ordered once, for writers that compact many IRIs."""
    pairs = (
        _LONGEST_FIRST if prefixes is None else sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    )

    def short(iri: str) -> str:
        for prefix, ns in pairs:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    return short


def page_href(iri: str, base: str = "/", static: bool = False) -> str | None:
    """Where the page of ``iri`` is, for every page that links to one (entity pages, network
    views, the overview, the published site): ``{base}id/…`` for a minted IRI,
    ``{base}ontology#Term`` for an ontology term; None for the rest of the web. ``static`` names
    the files of a published folder (``id/….html``, ``ontology.html#Term``), where no server
    negotiates. ``base`` is ``"/"`` on ``kg serve`` and a relative prefix (``"../../"``) in a
    folder that must work wherever it is put.

    >>> page_href("https://w3id.org/jdx/id/country/PHL")
    '/id/country/PHL'
    >>> page_href("https://w3id.org/jdx/id/country/PHL", "../", static=True)
    '../id/country/PHL.html'
    >>> page_href("https://w3id.org/jdx/ontology#Meeting", "", static=True)
    'ontology.html#Meeting'
    >>> page_href("http://example.org/x") is None
    True
    """
    import urllib.parse

    minted, terms = PREFIX_IRIS["jdxr"], PREFIX_IRIS["jdx"]
    ontology = "ontology.html" if static else "ontology"
    if iri.startswith(minted) and len(iri) > len(minted):
        local = urllib.parse.quote(iri[len(minted) :], safe="/-_.~")
        return f"{base}id/{local}{'.html' if static else ''}"
    if iri.startswith(terms) and len(iri) > len(terms):
        return f"{base}{ontology}#{urllib.parse.quote(iri[len(terms) :], safe='')}"
    if iri == ONTOLOGY_IRI:
        return base + ontology
    return None


if TYPE_CHECKING:
    JDX: ClosedNamespace
    JDXR: Namespace
    SEM: Namespace
    SCHEMA: Namespace
    ORG: Namespace
    TIME: Namespace
    QB: Namespace
    WD: Namespace
    PREFIXES: dict[str, Any]

_RDFLIB_NAMES = ("JDX", "JDXR", "SEM", "SCHEMA", "ORG", "TIME", "QB", "WD", "PREFIXES")


def _rdflib_namespaces() -> dict[str, Any]:
    from rdflib import Namespace
    from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

    made: dict[str, Any] = {"JDX": ClosedNamespace(PREFIX_IRIS["jdx"], list(JDX_TERMS))}
    for name in ("jdxr", "sem", "schema", "org", "time", "qb", "wd"):
        made[name.upper()] = Namespace(PREFIX_IRIS[name])
    own = {"prov": PROV, "skos": SKOS, "dcterms": DCTERMS, "owl": OWL, "rdf": RDF}
    own |= {"rdfs": RDFS, "xsd": XSD}
    made["PREFIXES"] = {k: made.get(k.upper()) or own[k] for k in PREFIX_IRIS}
    return made


def __getattr__(name: str) -> Any:
    """The rdflib namespaces, made (and rdflib imported) when first asked for."""
    if name in _RDFLIB_NAMES:
        globals().update(_rdflib_namespaces())
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
