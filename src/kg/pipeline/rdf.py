"""Build the RDF graph from normalized records (kg.formats writes it).

IRIs are minted from content (codes, slugs, hashes of the source item), never from run order.
Nothing here reads the source or the CSV tables: it takes a BuildResult.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg import paths
from kg.model.records import Event
from kg.model.vocab import (
    DIRECTION,
    INDICATOR_CLASS,
    INDICATOR_EN,
    JDX,
    JDXR,
    KIND_CLASS,
    MODE,
    PREFIXES,
    QB,
    SCHEMA,
    WD,
)
from kg.pipeline.flow import BuildResult
from kg.pipeline.rules import read_csv

MOD = JDXR["org/jp/mod"]


def ja(text: str) -> Literal:
    return Literal(text, lang="ja")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


Triple = tuple[URIRef, URIRef, "URIRef | Literal"]


class TripleSet:
    """The triples being built, as a set: what the builder needs of a Graph (``add``, and
    ``(s, p, None) in``), at a fraction of the cost of rdflib's indexed store."""

    def __init__(self) -> None:
        self._triples: set[Triple] = set()
        self._pairs: set[tuple[URIRef, URIRef]] = set()

    def add(self, triple: Triple) -> None:
        self._triples.add(triple)
        self._pairs.add((triple[0], triple[1]))

    def __contains__(self, triple: tuple) -> bool:
        s, p, o = triple
        return (s, p) in self._pairs if o is None else triple in self._triples

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


class GraphBuilder:
    def __init__(self, result: BuildResult, data_dir: Path | None = None) -> None:
        self.r = result
        self.g = TripleSet()
        self.services = {
            row["service"]: row
            for row in read_csv((data_dir or paths.data_dir()) / "rules" / "services.csv")
        }
        self.doc_iri = JDXR[f"source/{result.doc.sha256[:16]}"]

    def add(self, s: URIRef, p: URIRef, o) -> None:  # noqa: ANN001
        if o is not None and o != "":
            self.g.add((s, p, o))

    def labels(self, s: URIRef, label_ja: str, label_en: str) -> None:
        self.g.add((s, RDFS.label, ja(label_ja)))
        self.g.add((s, RDFS.label, en(label_en)))

    # -- reference resources ------------------------------------------------------------------
    def country(self, code: str) -> URIRef:
        iri = JDXR[f"country/{code}"]
        if (iri, RDF.type, None) in self.g:
            return iri
        c = self.r.gazetteer.countries[code]
        cls = JDX.Country if c.kind == "country" else JDX.InternationalOrganization
        self.g.add((iri, RDF.type, cls))
        self.labels(iri, c.name_ja, c.name_en)
        self.g.add((iri, SKOS.notation, Literal(code)))
        if c.kind == "country":
            self.g.add((iri, JDX.iso3, Literal(code)))
        self.add(iri, JDX.region, Literal(c.region) if c.region else None)
        if c.wikidata:
            self.g.add((iri, SKOS.exactMatch, WD[c.wikidata]))
        return iri

    def fiscal_year(self, fy: int) -> URIRef:
        iri = JDXR[f"fy/{fy}"]
        if (iri, RDF.type, None) not in self.g:
            self.g.add((iri, RDF.type, JDX.FiscalYear))
            era = "元" if fy == 2019 else str(fy - 2018)
            self.labels(iri, f"令和{era}年度", f"FY{fy}")
            self.g.add((iri, JDX.startYear, Literal(str(fy), datatype=XSD.gYear)))
            self.g.add((iri, JDX.fyStart, Literal(f"{fy}-04-01", datatype=XSD.date)))
            self.g.add((iri, JDX.fyEnd, Literal(f"{fy + 1}-03-31", datatype=XSD.date)))
        return iri

    def jp_position(self, slug: str) -> URIRef:
        iri = JDXR[f"position/jp/{slug}"]
        if (iri, RDF.type, None) not in self.g:
            o = self.r.gazetteer.jp_offices[slug]
            self.g.add((iri, RDF.type, JDX.Position))
            self.labels(iri, o.name_ja, o.name_en)
            self.g.add((iri, JDX.code, Literal(slug)))
            self.g.add((iri, JDX.country, self.country("JPN")))
            self.g.add((iri, JDX.organization, MOD))
            for alias in o.aliases[1:]:
                self.g.add((iri, SKOS.altLabel, ja(alias)))
            if (MOD, RDF.type, None) not in self.g:
                self.g.add((MOD, RDF.type, JDX.Organization))
                self.labels(MOD, "防衛省", "Ministry of Defense (Japan)")
                self.g.add((MOD, JDX.country, self.country("JPN")))
        return iri

    def foreign_position(self, key: str) -> URIRef:
        code, slug = key.split("/")
        iri = JDXR[f"position/{code.lower()}/{slug}"]
        if (iri, RDF.type, None) not in self.g:
            gz = self.r.gazetteer
            c, t = gz.countries[code], gz.titles[slug]
            self.g.add((iri, RDF.type, JDX.Position))
            self.labels(iri, c.name_ja + t.title_ja, f"{t.title_en} ({c.name_en})")
            self.g.add((iri, JDX.code, Literal(slug)))
            self.g.add((iri, JDX.country, self.country(code)))
            self.add(iri, JDX.service, Literal(t.service) if t.service else None)
            org = self.organization(code, t.service or "other")
            self.g.add((iri, JDX.organization, org))
        return iri

    def organization(self, code: str, service: str) -> URIRef:
        c = self.r.gazetteer.countries[code]
        if c.kind != "country":
            return self.country(code)
        iri = JDXR[f"org/{code.lower()}/{service}"]
        if (iri, RDF.type, None) not in self.g:
            s = self.services.get(service) or self.services["other"]
            self.g.add((iri, RDF.type, JDX.Organization))
            self.labels(iri, f"{c.name_ja}{s['name_ja']}", f"{c.name_en} {s['name_en']}")
            self.g.add((iri, JDX.country, self.country(code)))
            self.g.add((iri, JDX.service, Literal(service)))
        return iri

    def forum_edition(self, e: Event) -> URIRef:
        f = self.r.gazetteer.forums[e.forum]
        forum = JDXR[f"forum/{f.slug}"]
        if (forum, RDF.type, None) not in self.g:
            self.g.add((forum, RDF.type, JDX.Forum))
            self.labels(forum, f.name_ja, f.name_en)
            self.g.add((forum, JDX.code, Literal(f.slug)))
            self.add(forum, JDX.organizer, Literal(f.organizer) if f.organizer else None)
            if f.wikipedia_en:  # schema:sameAs: "e.g. the URL of the item's Wikipedia page"
                self.g.add((forum, SCHEMA.sameAs, URIRef(f.wikipedia_en)))
            for alias in f.aliases[1:]:
                self.g.add((forum, SKOS.altLabel, ja(alias)))
        key = str(e.forum_edition) if e.forum_edition else f"fy{e.fiscal_year}"
        iri = JDXR[f"forum/{f.slug}/{key}"]
        if (iri, RDF.type, None) not in self.g:
            self.g.add((iri, RDF.type, JDX.ForumEdition))
            self.g.add((iri, JDX.editionOf, forum))
            self.g.add((iri, JDX.fiscalYear, self.fiscal_year(e.fiscal_year)))
            if e.forum_edition:
                self.g.add((iri, JDX.ordinal, Literal(e.forum_edition)))
                self.labels(
                    iri, f"第{e.forum_edition}回{f.name_ja}", f"{f.name_en} ({e.forum_edition})"
                )
            else:
                self.labels(
                    iri, f"{f.name_ja}({e.fiscal_year}年度)", f"{f.name_en} (FY{e.fiscal_year})"
                )
        return iri

    def place(self, slug: str) -> URIRef:
        iri = JDXR[f"place/{slug}"]
        if (iri, RDF.type, None) not in self.g:
            p = self.r.gazetteer.places[slug]
            self.g.add((iri, RDF.type, JDX.Place))
            self.labels(iri, p.name_ja, p.name_en)
            self.add(iri, JDX.country, self.country(p.country) if p.country else None)
            if p.wikidata:
                self.g.add((iri, SKOS.exactMatch, WD[p.wikidata]))
        return iri

    def indicator(self, code: str) -> URIRef:
        return JDXR[f"indicator/{code}"]

    # -- the document, measure and indicators --------------------------------------------------
    def document(self) -> None:
        d, h = self.r.doc, self.r.extraction.header
        self.g.add((self.doc_iri, RDF.type, JDX.SourceDocument))
        self.labels(
            self.doc_iri,
            f"{h.title}({h.document_id})",
            "Pre-analysis table of policy evaluation FY2023, Ministry of Defense 05-1",
        )
        self.g.add((self.doc_iri, JDX.sha256, Literal(d.sha256)))
        self.g.add((self.doc_iri, DCTERMS.title, ja(h.title)))
        self.g.add((self.doc_iri, DCTERMS.identifier, Literal(h.document_id)))
        measure = JDXR["measure/mod-05-1"]
        self.g.add((measure, RDF.type, JDX.Measure))
        self.labels(measure, h.name, "Promotion of high-level exchanges and policy dialogues")
        self.g.add((measure, PROV.wasDerivedFrom, self.doc_iri))
        for attr, prop in (
            ("overview", JDX.overview),
            ("goal", JDX.goal),
            ("goal_rationale", JDX.goalRationale),
            ("policy_position", JDX.policyPosition),
            ("evaluation_timing", JDX.evaluationTiming),
        ):
            self.add(measure, prop, ja(getattr(h, attr)) if getattr(h, attr) else None)
        for b in h.bureaus:
            self.g.add((measure, JDX.bureau, ja(b)))
        rules = {s.code: s for s in self.r.rules.sections}
        for ind in self.r.extraction.indicators:
            iri = self.indicator(ind.code)
            self.g.add((iri, RDF.type, JDX.Indicator))
            self.g.add((iri, JDX.code, Literal(ind.code)))
            self.g.add((iri, JDX.measure, measure))
            if ind.code in rules:
                self.labels(iri, ind.name_ja, rules[ind.code].name_en)
                self.g.add((iri, JDX.broaderIndicator, self.indicator("measure_1")))
            else:
                self.labels(
                    iri,
                    ind.name_ja,
                    "Measurement indicator 1: multi-layered defense "
                    "cooperation and exchanges at every level",
                )
                self.add(iri, JDX.indicatorRationale, ja(ind.rationale) if ind.rationale else None)
            self.g.add((iri, JDX.sourceLine, Literal(ind.line)))
        for note in self.r.extraction.notes:
            text = f"FY{note.fiscal_year} (line {note.line}): {note.text}"
            self.g.add((self.indicator(note.indicator), RDFS.comment, ja(text)))

    # -- events ---------------------------------------------------------------------------------
    def event(self, e: Event) -> None:
        iri = JDXR[f"event/{e.id}"]
        g = self.g
        g.add((iri, RDF.type, INDICATOR_CLASS[e.indicator]))
        if e.indicator == "unit_exchange":
            g.add(
                (
                    iri,
                    RDF.type,
                    JDX.GoodwillExercise if e.kind == "exercise" else JDX.CapacityBuilding,
                )
            )
        for k in [e.kind, *e.extra_kinds]:
            g.add((iri, RDF.type, KIND_CLASS[k]))
        g.add((iri, RDFS.label, ja(e.source_text)))
        where = ", ".join(e.countries) or "multilateral"
        g.add(
            (
                iri,
                RDFS.label,
                en(
                    f"{INDICATOR_EN[e.indicator]}: {where}, {e.date or f'FY{e.fiscal_year}'}"
                    f" ({e.kind})"
                ),
            )
        )
        g.add((iri, JDX.indicator, self.indicator(e.indicator)))
        g.add((iri, JDX.fiscalYear, self.fiscal_year(e.fiscal_year)))
        if e.date:
            g.add((iri, JDX.date, Literal(e.date, datatype=XSD.gYearMonth)))
            g.add((iri, JDX.dateAsPrinted, Literal(e.date_printed)))
            g.add((iri, JDX.datePrecision, Literal("month")))
        if e.end_date:
            g.add((iri, JDX.endDate, Literal(e.end_date, datatype=XSD.gYearMonth)))
        if e.jp_actor:
            g.add((iri, JDX.japaneseParticipant, self.jp_position(e.jp_actor)))
        for key in e.counterparts:
            g.add((iri, JDX.counterpart, self.foreign_position(key)))
        for code in e.countries:
            g.add((iri, JDX.counterpartCountry, self.country(code)))
        if e.mode:
            g.add((iri, JDX.mode, MODE[e.mode]))
        if e.forum:
            g.add((iri, JDX.atForum, self.forum_edition(e)))
        if e.location:
            g.add((iri, JDX.place, self.place(e.location)))
        if e.ordinal:
            g.add((iri, JDX.ordinal, Literal(e.ordinal)))
        g.add((iri, JDX.block, Literal(e.block)))
        g.add((iri, JDX.seq, Literal(e.seq)))
        if e.group:
            g.add((iri, JDX.group, Literal(e.group)))
        if e.country_count is not None:
            g.add(
                (
                    iri,
                    JDX.participantCountryCount,
                    Literal(e.country_count, datatype=XSD.nonNegativeInteger),
                )
            )
        if e.researcher_count is not None:
            g.add(
                (
                    iri,
                    JDX.researcherCount,
                    Literal(e.researcher_count, datatype=XSD.nonNegativeInteger),
                )
            )
        g.add((iri, JDX.sourceText, Literal(e.source_text)))
        g.add((iri, JDX.sourceLine, Literal(e.source_line)))
        g.add((iri, PROV.wasDerivedFrom, self.doc_iri))
        for f in e.flags:
            g.add((iri, JDX.qualityFlag, Literal(f)))

    # -- observations ---------------------------------------------------------------------------
    def students(self) -> None:
        ds = JDXR["dataset/students"]
        self.g.add((ds, RDF.type, QB.DataSet))
        self.labels(ds, "留学生の交換", "Student exchanges")
        for s in self.r.students:
            key = s.country or "UNKNOWN"
            iri = JDXR[f"students/{s.fiscal_year}/{s.direction}/{key}"]
            g = self.g
            g.add((iri, RDF.type, JDX.StudentFlow))
            g.add((iri, QB.dataSet, ds))
            g.add((iri, JDX.fiscalYear, self.fiscal_year(s.fiscal_year)))
            g.add((iri, JDX.direction, DIRECTION[s.direction]))
            g.add((iri, JDX["count"], Literal(s.count, datatype=XSD.nonNegativeInteger)))
            if s.country == "TOTAL":
                g.add((iri, JDX.isTotal, Literal(True)))
            elif s.country:
                g.add((iri, JDX.country, self.country(s.country)))
            g.add((iri, JDX.sourceText, Literal(s.source_text)))
            g.add((iri, JDX.sourceLine, Literal(s.line)))
            g.add((iri, PROV.wasDerivedFrom, self.doc_iri))
            for f in s.flags:
                g.add((iri, JDX.qualityFlag, Literal(f)))

    def budget(self) -> None:
        ds = JDXR["dataset/budget"]
        measure = JDXR["measure/mod-05-1"]
        self.g.add((ds, RDF.type, QB.DataSet))
        self.labels(ds, "達成手段の予算額・執行額", "Budget and execution of the means")
        for b in self.r.extraction.budget:
            line = JDXR[f"budget/{b.item_no}"]
            g = self.g
            g.add((line, RDF.type, JDX.BudgetLine))
            self.labels(
                line,
                b.name,
                f"Budget line {b.item_no}" if b.item_no != "total" else "Measure total",
            )
            g.add((line, JDX.itemNumber, Literal(b.item_no)))
            g.add((line, JDX.measure, measure))
            self.add(line, JDX.reviewNumber, Literal(b.review_no) if b.review_no else None)
            self.add(line, DCTERMS.description, ja(b.description) if b.description else None)
            g.add((line, JDX.sourceLine, Literal(b.line)))
            for f in b.flags:
                g.add((line, JDX.qualityFlag, Literal(f)))
            for fig in b.figures:
                obs = JDXR[f"budget/{b.item_no}/{fig.fiscal_year}"]
                g.add((obs, RDF.type, JDX.BudgetObservation))
                g.add((obs, QB.dataSet, ds))
                g.add((obs, JDX.budgetLine, line))
                g.add((obs, JDX.fiscalYear, self.fiscal_year(fig.fiscal_year)))
                if fig.budget is not None:
                    g.add((obs, JDX.budgetAmount, Literal(fig.budget, datatype=XSD.decimal)))
                if fig.executed is not None:
                    g.add((obs, JDX.executedAmount, Literal(fig.executed, datatype=XSD.decimal)))
                g.add((obs, PROV.wasDerivedFrom, self.doc_iri))

    def build(self) -> TripleSet:
        self.document()
        for e in self.r.events:
            self.event(e)
        self.students()
        self.budget()
        assert not any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in self.g)
        return self.g


def graph_triples(result: BuildResult, data_dir: Path | None = None) -> TripleSet:
    """The graph's triples (rdflib terms) without an rdflib Graph: what kg build writes."""
    return GraphBuilder(result, data_dir).build()


def build_graph(result: BuildResult, data_dir: Path | None = None) -> Graph:
    """The graph as an rdflib Graph with the project's prefixes bound (for queries in Python)."""
    g = Graph()
    for k, v in PREFIXES.items():
        g.bind(k, v)
    for t in graph_triples(result, data_dir):
        g.add(t)
    return g
