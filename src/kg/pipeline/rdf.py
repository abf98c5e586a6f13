"""Build the RDF graph from normalized records (kg.formats writes it).

IRIs are minted from content (codes, slugs, hashes of the source item), never from run order.
Nothing here reads the source or the CSV tables: it takes a BuildResult. The triples are made
as N-Triples term strings (:class:`kg.formats.triples.Terms`), not rdflib or pyoxigraph
objects: a term object per triple was most of the build's graph time, and rdflib's import
alone 0.3 s of a cold ``kg build``. :func:`build_graph` still gives an rdflib Graph.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import paths
from kg.formats.triples import NTriplesGraph, Terms
from kg.model.records import Event
from kg.model.vocab import (
    DIRECTION,
    INDICATOR_CLASS,
    JDX_NAMES,
    KIND_CLASS,
    MODE,
    PREFIX_IRIS,
    UNIT_MEASURE,
    Names,
)
from kg.pipeline.english import EventLabels, load_phrases, ordinal
from kg.pipeline.flow import BuildResult
from kg.pipeline.holders import add_to_graph as add_holders
from kg.pipeline.rules import read_csv

if TYPE_CHECKING:
    from rdflib import Graph


class _Rendered:
    """A namespace's terms as N-Triples IRIs: ``RDF.type == "<...#type>"``."""

    def __init__(self, names: Names) -> None:
        self._names = names

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        iri = str(ox.NamedNode(getattr(self._names, name)))
        setattr(self, name, iri)
        return iri

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)


JDX = _Rendered(JDX_NAMES)
RDF, RDFS, SKOS, DCTERMS, PROV, QB, SCHEMA = (
    _Rendered(Names(PREFIX_IRIS[p]))
    for p in ("rdf", "rdfs", "skos", "dcterms", "prov", "qb", "schema")
)
JDXR = PREFIX_IRIS["jdxr"]
WD = PREFIX_IRIS["wd"]
XSD = Names(PREFIX_IRIS["xsd"])  # datatypes: plain IRIs, as Terms.literal takes them
MOD = str(ox.NamedNode(JDXR + "org/jp/mod"))
SDMX_UNIT = str(ox.NamedNode(UNIT_MEASURE))
#: The components both data cubes share: (kind, property, ja, en).
FY_DIMENSION = ("dimension", JDX.fiscalYear, "会計年度", "fiscal year")
UNIT_ATTRIBUTE = ("attribute", SDMX_UNIT, "単位", "unit")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")

#: A triple as N-Triples term strings (subject, predicate, object).
Triple = tuple[str, str, str]
#: A component of a data structure: kind (dimension, measure, attribute), property, ja, en.
Component = tuple[str, str, str, str]


class GraphBuilder:
    def __init__(self, result: BuildResult, data_dir: Path | None = None) -> None:
        self.r = result
        self.t = Terms()
        self.g: set[Triple] = set()
        self._typed: set[str] = set()  # subjects with an rdf:type: made already
        self.services = {
            row["service"]: row
            for row in read_csv((data_dir or paths.data_dir()) / "rules" / "services.csv")
        }
        self.doc_iri = self.res(f"source/{result.doc.sha256[:16]}")
        self.english = EventLabels(result.gazetteer, load_phrases(data_dir))
        # (forum, edition key) -> the months and places its mentions print
        self.edition_facts: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
        for e in result.events:
            if e.forum:
                dates, places = self.edition_facts.setdefault(
                    (e.forum, e.edition_key), (set(), set())
                )
                dates.update([e.date] if e.date else [])
                places.update([e.location] if e.location else [])

    # -- terms ----------------------------------------------------------------------------------
    def res(self, path: str) -> str:
        """The resource IRI ``jdxr:path``."""
        return self.t.iri(JDXR + path)

    def iri(self, value: str) -> str:
        return self.t.iri(value)

    def lit(self, value: str | int | bool, datatype: str | None = None) -> str:
        """A literal as rdflib's ``Literal(value)`` writes it: str plain, int xsd:integer,
        bool xsd:boolean; ``datatype`` for a str or int value's lexical form."""
        if isinstance(value, bool):
            return self.t.literal("true" if value else "false", datatype=XSD.boolean)
        if isinstance(value, int):
            return self.t.literal(str(value), datatype=datatype or XSD.integer)
        return self.t.literal(value, datatype=datatype)

    def ja(self, text: str) -> str:
        return self.t.literal(text, language="ja")

    def en(self, text: str) -> str:
        return self.t.literal(text, language="en")

    def alt(self, text: str) -> str:
        """An alternative label, tagged by its script: @ja when it holds kana or kanji, else
        @en (an English name or acronym such as "International Maritime Security Conference")."""
        return self.ja(text) if _JAPANESE.search(text) else self.en(text)

    # -- triples --------------------------------------------------------------------------------
    def add(self, s: str, p: str, o: str | None) -> None:
        """Add the triple unless ``o`` is None (an optional value that is absent)."""
        if o is not None:
            self.triple(s, p, o)

    def triple(self, s: str, p: str, o: str) -> None:
        self.g.add((s, p, o))
        if p == RDF.type:
            self._typed.add(s)

    def made(self, iri: str) -> bool:
        """True once ``iri`` has a type (its description has been added)."""
        return iri in self._typed

    def labels(self, s: str, label_ja: str, label_en: str) -> None:
        self.triple(s, RDFS.label, self.ja(label_ja))
        self.triple(s, RDFS.label, self.en(label_en))

    # -- reference resources ------------------------------------------------------------------
    def country(self, code: str) -> str:
        iri = self.res(f"country/{code}")
        if self.made(iri):
            return iri
        c = self.r.gazetteer.countries[code]
        cls = JDX.Country if c.kind == "country" else JDX.InternationalOrganization
        self.triple(iri, RDF.type, cls)
        self.labels(iri, c.name_ja, c.name_en)
        self.triple(iri, SKOS.notation, self.lit(code))
        if c.kind == "country":
            self.triple(iri, JDX.iso3, self.lit(code))
        self.add(iri, JDX.region, self.lit(c.region) if c.region else None)
        if c.wikidata:
            self.triple(iri, SKOS.exactMatch, self.iri(WD + c.wikidata))
        return iri

    def fiscal_year(self, fy: int) -> str:
        iri = self.res(f"fy/{fy}")
        if not self.made(iri):
            self.triple(iri, RDF.type, JDX.FiscalYear)
            era = "元" if fy == 2019 else str(fy - 2018)
            self.labels(iri, f"令和{era}年度", f"FY{fy}")
            self.triple(iri, JDX.startYear, self.lit(str(fy), XSD.gYear))
            self.triple(iri, JDX.fyStart, self.lit(f"{fy}-04-01", XSD.date))
            self.triple(iri, JDX.fyEnd, self.lit(f"{fy + 1}-03-31", XSD.date))
        return iri

    def jp_position(self, slug: str) -> str:
        iri = self.res(f"position/jp/{slug}")
        if not self.made(iri):
            o = self.r.gazetteer.jp_offices[slug]
            self.triple(iri, RDF.type, JDX.Position)
            self.labels(iri, o.name_ja, o.name_en)
            self.triple(iri, JDX.code, self.lit(slug))
            self.triple(iri, JDX.country, self.country("JPN"))
            self.triple(iri, JDX.organization, MOD)
            for alias in o.aliases[1:]:
                self.triple(iri, SKOS.altLabel, self.alt(alias))
            self.ministry()
        return iri

    def ministry(self) -> str:
        if not self.made(MOD):
            self.triple(MOD, RDF.type, JDX.Organization)
            self.labels(MOD, "防衛省", "Ministry of Defense (Japan)")
            self.triple(MOD, JDX.country, self.country("JPN"))
        return MOD

    def foreign_position_names(self, key: str) -> tuple[str, str]:
        """A counterpart office's Japanese and English names: the country's name and the
        title; in English the position's own name where positions.csv gives one."""
        code, slug = key.split("/")
        gz = self.r.gazetteer
        c, t, p = gz.countries[code], gz.titles[slug], gz.positions.get((code, slug))
        return c.name_ja + t.title_ja, p.name_en if p else f"{t.title_en} ({c.name_en})"

    def foreign_position(self, key: str) -> str:
        code, slug = key.split("/")
        iri = self.res(f"position/{code.lower()}/{slug}")
        if not self.made(iri):
            gz = self.r.gazetteer
            c, t, p = gz.countries[code], gz.titles[slug], gz.positions.get((code, slug))
            self.triple(iri, RDF.type, JDX.Position)
            self.labels(iri, *self.foreign_position_names(key))
            for alias in p.aliases if p else ():  # the office's other printed titles
                self.triple(iri, SKOS.altLabel, self.ja(c.name_ja + alias))
            self.triple(iri, JDX.code, self.lit(slug))
            self.triple(iri, JDX.country, self.country(code))
            self.add(iri, JDX.service, self.lit(t.service) if t.service else None)
            org = self.organization(code, t.service or "other")
            self.triple(iri, JDX.organization, org)
        return iri

    def organization(self, code: str, service: str) -> str:
        c = self.r.gazetteer.countries[code]
        if c.kind != "country":
            return self.country(code)
        iri = self.res(f"org/{code.lower()}/{service}")
        if not self.made(iri):
            s = self.services.get(service) or self.services["other"]
            self.triple(iri, RDF.type, JDX.Organization)
            self.labels(iri, f"{c.name_ja}{s['name_ja']}", f"{c.name_en} {s['name_en']}")
            self.triple(iri, JDX.country, self.country(code))
            self.triple(iri, JDX.service, self.lit(service))
        return iri

    def forum_edition(self, e: Event) -> str:
        f = self.r.gazetteer.forums[e.forum]
        forum = self.res(f"forum/{f.slug}")
        if not self.made(forum):
            self.triple(forum, RDF.type, JDX.Forum)
            self.labels(forum, f.name_ja, f.name_en)
            self.triple(forum, JDX.code, self.lit(f.slug))
            self.add(forum, JDX.organizer, self.lit(f.organizer) if f.organizer else None)
            if f.wikipedia_en:  # schema:sameAs: "e.g. the URL of the item's Wikipedia page"
                self.triple(forum, SCHEMA.sameAs, self.iri(f.wikipedia_en))
            for alias in f.aliases[1:]:
                self.triple(forum, SKOS.altLabel, self.alt(alias))
        key = e.edition_key or f"fy{e.fiscal_year}"
        iri = self.res(f"forum/{f.slug}/{key}")
        if not self.made(iri):
            self.triple(iri, RDF.type, JDX.ForumEdition)
            self.triple(iri, JDX.editionOf, forum)
            self.triple(iri, JDX.fiscalYear, self.fiscal_year(e.fiscal_year))
            # its month and place, where its mentions agree on one
            dates, places = self.edition_facts.get((f.slug, key), (set(), set()))
            if len(dates) == 1:
                self.triple(iri, JDX.date, self.lit(next(iter(dates)), XSD.gYearMonth))
            if len(places) == 1:
                self.triple(iri, JDX.heldAt, self.place(next(iter(places))))
            if e.forum_edition:
                self.triple(iri, JDX.ordinal, self.lit(e.forum_edition))
                self.labels(
                    iri,
                    f"第{e.forum_edition}回{f.name_ja}",
                    f"{ordinal(e.forum_edition)} {f.name_en}",
                )
            elif key.startswith("fy"):
                self.labels(
                    iri, f"{f.name_ja}({e.fiscal_year}年度)", f"{f.name_en} (FY{e.fiscal_year})"
                )
            else:
                year, month = key.split("-")
                month_en, _ = self.english.month(key)
                self.labels(
                    iri, f"{f.name_ja}({year}年{int(month)}月)", f"{f.name_en} ({month_en} {year})"
                )
        return iri

    def place(self, slug: str) -> str:
        iri = self.res(f"place/{slug}")
        if not self.made(iri):
            p = self.r.gazetteer.places[slug]
            self.triple(iri, RDF.type, JDX.Place)
            self.labels(iri, p.name_ja, p.name_en)
            self.add(iri, JDX.country, self.country(p.country) if p.country else None)
            if p.wikidata:
                self.triple(iri, SKOS.exactMatch, self.iri(WD + p.wikidata))
        return iri

    def indicator(self, code: str) -> str:
        return self.res(f"indicator/{code}")

    # -- the document, measure and indicators --------------------------------------------------
    def document(self) -> None:
        d, h = self.r.doc, self.r.extraction.header
        doc = self.doc_iri
        self.triple(doc, RDF.type, JDX.SourceDocument)
        self.labels(
            doc,
            f"{h.title}({h.document_id})",
            "Pre-analysis table of policy evaluation FY2023, Ministry of Defense 05-1",
        )
        self.triple(doc, JDX.sha256, self.lit(d.sha256))
        self.triple(doc, DCTERMS.title, self.ja(h.title))
        self.triple(doc, DCTERMS.identifier, self.lit(h.document_id))
        if h.document_id.startswith("防衛省"):  # its identifier (防衛省05-①) names its publisher
            self.triple(doc, DCTERMS.publisher, self.ministry())
        measure = self.res("measure/mod-05-1")
        self.triple(measure, RDF.type, JDX.Measure)
        self.labels(measure, h.name, "Promotion of high-level exchanges and policy dialogues")
        self.triple(measure, PROV.wasDerivedFrom, doc)
        for attr, prop in (
            ("overview", JDX.overview),
            ("goal", JDX.goal),
            ("goal_rationale", JDX.goalRationale),
            ("policy_position", JDX.policyPosition),
            ("evaluation_timing", JDX.evaluationTiming),
        ):
            self.add(measure, prop, self.ja(getattr(h, attr)) if getattr(h, attr) else None)
        for b in h.bureaus:
            self.triple(measure, JDX.bureau, self.ja(b))
        rules = {s.code: s for s in self.r.rules.sections}
        scheme = self.res("scheme/indicators")
        self.triple(scheme, RDF.type, SKOS.ConceptScheme)
        self.labels(scheme, "測定指標の体系", "Indicators")
        for ind in self.r.extraction.indicators:
            iri = self.indicator(ind.code)
            self.triple(iri, RDF.type, JDX.Indicator)
            self.triple(iri, RDF.type, SKOS.Concept)
            self.triple(iri, SKOS.inScheme, scheme)
            self.triple(iri, JDX.code, self.lit(ind.code))
            self.triple(iri, JDX.measure, measure)
            self.triple(iri, JDX.sourceText, self.lit(ind.name_ja))
            self.triple(iri, PROV.wasDerivedFrom, doc)
            if ind.code in rules:
                self.labels(iri, ind.name_ja, rules[ind.code].name_en)
                self.triple(iri, JDX.broaderIndicator, self.indicator("measure_1"))
            else:
                self.triple(iri, SKOS.topConceptOf, scheme)
                self.triple(scheme, SKOS.hasTopConcept, iri)
                self.labels(
                    iri,
                    ind.name_ja,
                    "Measurement indicator 1: multi-layered defense "
                    "cooperation and exchanges at every level",
                )
                rationale = self.ja(ind.rationale) if ind.rationale else None
                self.add(iri, JDX.indicatorRationale, rationale)
            self.triple(iri, JDX.sourceLine, self.lit(ind.line))
        for note in self.r.extraction.notes:
            text = f"FY{note.fiscal_year} (line {note.line}): {note.text}"
            self.triple(self.indicator(note.indicator), RDFS.comment, self.ja(text))

    # -- events ---------------------------------------------------------------------------------
    def event(self, e: Event) -> None:
        iri = self.res(f"event/{e.id}")
        add, lit = self.triple, self.lit
        add(iri, RDF.type, JDX.Event)  # typed directly: the shapes bite without the ontology
        add(iri, RDF.type, self.iri(INDICATOR_CLASS[e.indicator]))
        if e.indicator == "unit_exchange":
            add(
                iri,
                RDF.type,
                JDX.GoodwillExercise if e.kind == "exercise" else JDX.CapacityBuilding,
            )
        for k in [e.kind, *e.extra_kinds]:
            add(iri, RDF.type, self.iri(KIND_CLASS[k]))
        add(iri, RDFS.label, self.ja(e.source_text))
        add(iri, RDFS.label, self.en(self.english.label(e)))
        add(iri, JDX.indicator, self.indicator(e.indicator))
        add(iri, JDX.fiscalYear, self.fiscal_year(e.fiscal_year))
        if e.date:
            add(iri, JDX.date, lit(e.date, XSD.gYearMonth))
            add(iri, JDX.dateAsPrinted, lit(e.date_printed))
            add(iri, JDX.datePrecision, lit("month"))
        if e.end_date:
            add(iri, JDX.endDate, lit(e.end_date, XSD.gYearMonth))
        if e.jp_actor:
            add(iri, JDX.japaneseParticipant, self.jp_position(e.jp_actor))
        for key in e.counterparts:
            add(iri, JDX.counterpart, self.foreign_position(key))
        for printed in e.counterparts_printed:
            add(iri, JDX.counterpartAsPrinted, lit(printed))
        for code in e.countries:
            add(iri, JDX.counterpartCountry, self.country(code))
        if e.mode:
            add(iri, JDX.mode, self.iri(MODE[e.mode]))
        if e.forum:
            add(iri, JDX.atForum, self.forum_edition(e))
        if e.location:
            add(iri, JDX.place, self.place(e.location))
        if e.ordinal:
            add(iri, JDX.ordinal, lit(e.ordinal))
        add(iri, JDX.block, lit(e.block))
        add(iri, JDX.seq, lit(e.seq))
        if e.group:
            add(iri, JDX.group, lit(e.group))
        if e.country_count is not None:
            add(iri, JDX.participantCountryCount, lit(e.country_count))
        if e.researcher_count is not None:
            add(iri, JDX.researcherCount, lit(e.researcher_count))
        add(iri, JDX.sourceText, lit(e.source_text))
        add(iri, JDX.sourceLine, lit(e.source_line))
        if e.source_start >= 0 and e.source_end > e.source_start:
            add(iri, JDX.sourceStart, lit(e.source_start, XSD.integer))
            add(iri, JDX.sourceEnd, lit(e.source_end, XSD.integer))
        add(iri, PROV.wasDerivedFrom, self.doc_iri)
        for f in e.flags:
            add(iri, JDX.qualityFlag, lit(f))

    # -- observations (RDF Data Cube) -----------------------------------------------------------
    def fy_ja(self, fy: int) -> str:
        return f"令和{'元' if fy == 2019 else fy - 2018}年度"

    def structure(self, key: str, label_ja: str, label_en: str, components: list[Component]) -> str:
        """The data structure definition ``jdxr:structure/KEY`` (qb:DataStructureDefinition),
        in normalized form: each component spec names its property both by its kind
        (qb:dimension, qb:measure, qb:attribute) and by qb:componentProperty."""
        dsd = self.res(f"structure/{key}")
        add, lit = self.triple, self.lit
        add(dsd, RDF.type, QB.DataStructureDefinition)
        self.labels(dsd, f"{label_ja}のデータ構造", f"Structure of {label_en}")
        for order, (kind, prop, name_ja, name_en) in enumerate(components, 1):
            spec = self.res(f"structure/{key}/{prop.rsplit('#', 1)[-1].rstrip('>')}")
            add(dsd, QB.component, spec)
            add(spec, RDF.type, QB.ComponentSpecification)
            add(spec, QB[kind], prop)
            add(spec, QB.componentProperty, prop)
            add(spec, QB.order, lit(order))
            if kind == "attribute":
                add(spec, QB.componentRequired, lit(True))
            self.labels(spec, f"{label_ja}の{name_ja}", f"{name_en} of {label_en}")
        return dsd

    def dataset(self, key: str, label_ja: str, label_en: str, components: list[Component]) -> str:
        ds = self.res(f"dataset/{key}")
        self.triple(ds, RDF.type, QB.DataSet)
        self.labels(ds, label_ja, label_en)
        self.triple(ds, QB.structure, self.structure(key, label_ja, label_en, components))
        self.triple(ds, PROV.wasDerivedFrom, self.doc_iri)
        return ds

    def unit(self, key: str, label_ja: str, label_en: str) -> str:
        iri = self.res(f"unit/{key}")
        if not self.made(iri):
            self.triple(iri, RDF.type, SKOS.Concept)
            self.labels(iri, label_ja, label_en)
        return iri

    def students(self) -> None:
        add, lit = self.triple, self.lit
        fy = FY_DIMENSION
        direction = ("dimension", JDX.direction, "方向", "direction")
        country = ("dimension", JDX.country, "国", "country")
        count = ("measure", JDX["count"], "人数", "count")
        unit = UNIT_ATTRIBUTE
        # The totals as stated are a data set of their own: they have no country dimension.
        ds = self.dataset(
            "students", "留学生の交換", "Student exchanges", [fy, direction, country, count, unit]
        )
        ds_total = self.dataset(
            "students_total",
            "留学生の交換(記載された合計)",
            "Student exchanges, totals as stated",
            [fy, direction, count, unit],
        )
        persons = self.unit("person", "人", "persons")
        gz = self.r.gazetteer
        for s in self.r.students:
            key = s.country or "UNKNOWN"
            iri = self.res(f"students/{s.fiscal_year}/{s.direction}/{key}")
            total = s.country == "TOTAL"
            add(iri, RDF.type, JDX.StudentFlow)
            add(iri, RDF.type, QB.Observation)
            add(iri, QB.dataSet, ds_total if total else ds)
            add(iri, JDX.fiscalYear, self.fiscal_year(s.fiscal_year))
            add(iri, JDX.direction, self.iri(DIRECTION[s.direction]))
            add(iri, JDX["count"], lit(s.count))
            add(iri, SDMX_UNIT, persons)
            c = gz.countries.get(s.country)
            where_ja = "合計" if total else (c.name_ja if c else s.country_label)
            where_en = "total" if total else (c.name_en if c else s.country_label)
            if s.direction == "inbound":
                ja, en = f"留学生の受入れ({where_ja})", f"students received from {where_en}"
            else:
                ja, en = f"諸外国への留学({where_ja})", f"students sent to {where_en}"
            if total:
                en = f"students {'received' if s.direction == 'inbound' else 'sent'}, total"
            self.labels(
                iri,
                f"{self.fy_ja(s.fiscal_year)}の{ja}: {s.count}名",
                f"FY{s.fiscal_year} {en}: {s.count}",
            )
            if total:
                add(iri, JDX.isTotal, lit(True))
            elif s.country:
                add(iri, JDX.country, self.country(s.country))
            add(iri, JDX.sourceText, lit(s.source_text))
            add(iri, JDX.sourceLine, lit(s.line))
            add(iri, PROV.wasDerivedFrom, self.doc_iri)
            for f in s.flags:
                add(iri, JDX.qualityFlag, lit(f))

    def budget(self) -> None:
        measure = self.res("measure/mod-05-1")
        add, lit = self.triple, self.lit
        line_dim = ("dimension", JDX.budgetLine, "達成手段", "budget line")
        fy = FY_DIMENSION
        budget = ("measure", JDX.budgetAmount, "予算額", "budget amount")
        executed = ("measure", JDX.executedAmount, "執行額", "executed amount")
        unit = UNIT_ATTRIBUTE
        # A cube's observations have every measure (W3C Data Cube IC-14): the figures whose
        # execution the document leaves out (※1) are a data set without that measure.
        ds = self.dataset(
            "budget",
            "達成手段の予算額・執行額",
            "Budget and execution of the means",
            [line_dim, fy, budget, executed, unit],
        )
        ds_budget_only = self.dataset(
            "budget_without_execution",
            "達成手段の予算額(執行額の記載なし)",
            "Budget of the means, execution not stated",
            [line_dim, fy, budget, unit],
        )
        yen = self.unit("million_yen", "百万円", "million yen")
        footnotes = {f.mark: f for f in self.r.extraction.footnotes}
        for b in self.r.extraction.budget:
            line = self.res(f"budget/{b.item_no}")
            add(line, RDF.type, JDX.BudgetLine)
            # the line's English name (data/rules/english.csv), else its number
            fallback = f"Budget line {b.item_no}" if b.item_no != "total" else "Measure total"
            name_en = self.english.say.words.get(("budget_line", b.item_no), fallback)
            self.labels(line, b.name, name_en)
            add(line, JDX.itemNumber, lit(b.item_no))
            add(line, JDX.measure, measure)
            self.add(line, JDX.reviewNumber, lit(b.review_no) if b.review_no else None)
            self.add(line, DCTERMS.description, self.ja(b.description) if b.description else None)
            add(line, JDX.sourceText, lit(b.source_text))
            add(line, JDX.sourceLine, lit(b.line))
            add(line, PROV.wasDerivedFrom, self.doc_iri)
            for f in b.flags:
                add(line, JDX.qualityFlag, lit(f))
            for fig in b.figures:
                obs = self.res(f"budget/{b.item_no}/{fig.fiscal_year}")
                add(obs, RDF.type, JDX.BudgetObservation)
                add(obs, RDF.type, QB.Observation)
                add(obs, QB.dataSet, ds if fig.executed is not None else ds_budget_only)
                add(obs, JDX.budgetLine, line)
                add(obs, JDX.fiscalYear, self.fiscal_year(fig.fiscal_year))
                amounts_ja, amounts_en = f"予算額{fig.budget}", f"budget {fig.budget}"
                if fig.budget is not None:
                    add(obs, JDX.budgetAmount, lit(fig.budget, XSD.decimal))
                if fig.executed is not None:
                    add(obs, JDX.executedAmount, lit(fig.executed, XSD.decimal))
                    amounts_ja += f"(執行額{fig.executed})"
                    amounts_en += f", executed {fig.executed}"
                add(obs, SDMX_UNIT, yen)
                self.labels(
                    obs,
                    f"{b.name}({self.fy_ja(fig.fiscal_year)}): {amounts_ja}百万円",
                    f"{name_en}, FY{fig.fiscal_year}: {amounts_en} (million yen)",
                )
                add(obs, JDX.sourceText, lit(fig.cell))
                add(obs, JDX.sourceLine, lit(b.line))
                add(obs, PROV.wasDerivedFrom, self.doc_iri)
                for f in fig.flags:
                    add(obs, JDX.qualityFlag, lit(f))
                for note in fig.notes:
                    add(obs, RDFS.comment, self.en(note))
                if fig.executed is None:
                    for mark in fig.marks:
                        if mark in footnotes:
                            fn = footnotes[mark]
                            add(obs, RDFS.comment, self.ja(f"line {fn.line}: {fn.text}"))

    def build(self) -> NTriplesGraph:
        self.document()
        for e in self.r.events:
            self.event(e)
        self.students()
        self.budget()
        if self.r.holders is not None:
            gz = self.r.gazetteer
            offices = {k: (o.name_ja, o.name_en) for k, o in gz.jp_offices.items()}
            for key in {a.office for a in self.r.holders.appointments if "/" in a.office}:
                offices[key] = self.foreign_position_names(key)  # as the position's labels
            add_holders(self, self.r.holders, offices)
        return NTriplesGraph(self.g, self.t.literals)


def graph_triples(result: BuildResult, data_dir: Path | None = None) -> NTriplesGraph:
    """The graph's triples, sorted, as N-Triples terms: what kg build writes (kg.formats)."""
    return GraphBuilder(result, data_dir).build()


def build_graph(result: BuildResult, data_dir: Path | None = None) -> Graph:
    """The graph as an rdflib Graph with the project's prefixes bound (for queries in Python)."""
    from rdflib import Graph, Literal, URIRef

    from kg.formats.triples import XSD_STRING
    from kg.model.vocab import PREFIXES

    g = Graph()
    for k, v in PREFIXES.items():
        g.bind(k, v)
    iris: dict[str, URIRef] = {}

    def iri(value: str) -> URIRef:
        found = iris.get(value)
        if found is None:
            found = iris[value] = URIRef(value)
        return found

    for t in graph_triples(result, data_dir):
        o, subject = t.object, t.subject
        assert not isinstance(o, ox.Triple) and not isinstance(subject, ox.Triple)
        if isinstance(o, ox.Literal):
            dt = o.datatype.value
            obj: URIRef | Literal = Literal(
                o.value,
                lang=o.language or None,
                datatype=None if o.language or dt == XSD_STRING else iri(dt),
            )
        else:
            obj = iri(o.value)
        g.add((iri(subject.value), iri(t.predicate.value), obj))
    return g
