"""Namespaces and the class and code tables shared by the graph build and its readers."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

JDX = Namespace("https://w3id.org/jdx/ontology#")
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
