"""Namespaces and the class and code tables shared by the graph build and its readers."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

#: The ontology's IRI (the named graph ``kg push`` puts it in); its terms are ``JDX``'s.
ONTOLOGY_IRI = "https://w3id.org/jdx/ontology"

#: The project's own vocabulary, closed: a term not defined in ontology/jdx.ttl raises
#: AttributeError instead of minting a wrong IRI (tests keep this list equal to the ontology's).
JDX_TERMS = (
    "AgreementSigning",
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
    "code",
    "count",
    "counterpart",
    "counterpartCountry",
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
    "place",
    "policyPosition",
    "qualityFlag",
    "region",
    "researcherCount",
    "reviewNumber",
    "seq",
    "service",
    "sha256",
    "sourceLine",
    "sourceText",
    "startYear",
)
JDX = ClosedNamespace(ONTOLOGY_IRI + "#", list(JDX_TERMS))
JDXR = Namespace("https://w3id.org/jdx/id/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
QB = Namespace("http://purl.org/linked-data/cube#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "jdx": JDX,
    "jdxr": JDXR,
    "sem": SEM,
    "schema": SCHEMA,
    "org": ORG,
    "time": TIME,
    "qb": QB,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "wd": WD,
}

INDICATOR_CLASS = {
    "high_level": JDX.HighLevelExchange,
    "consultation": JDX.DefenseConsultation,
    "unit_exchange": JDX.UnitExchange,
    "research": JDX.ResearchExchange,
    "multilateral": JDX.MultilateralDialogue,
}
KIND_CLASS = {
    "meeting": JDX.Meeting,
    "visit_abroad": JDX.VisitAbroad,
    "visit_to_japan": JDX.VisitToJapan,
    "signing": JDX.AgreementSigning,
    "exercise": JDX.Exercise,
    "other": JDX.OtherActivity,
}
MODE = {"in_person": JDX.InPerson, "phone": JDX.Phone, "video": JDX.Video, "hybrid": JDX.Hybrid}
DIRECTION = {"inbound": JDX.Inbound, "outbound": JDX.Outbound}
INDICATOR_EN = {
    "high_level": "High-level exchange",
    "consultation": "Defense consultation",
    "unit_exchange": "Unit-level exchange",
    "research": "Research exchange",
    "multilateral": "Multilateral dialogue",
}


#: The prefixes as plain strings (SPARQL PREFIX lines, JSON-LD contexts, pages).
PREFIX_IRIS: dict[str, str] = {k: str(v) for k, v in PREFIXES.items()}
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
    pairs = (
        _LONGEST_FIRST if prefixes is None else sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    )
    for prefix, ns in pairs:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
