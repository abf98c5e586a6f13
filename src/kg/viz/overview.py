"""The overview page: with whom, how much and when, as Vega-Lite charts and a world map.

One self-contained HTML file (``kg viz --view overview``, and beside the network views in
``kg build``): events per fiscal year by indicator and by kind, the mode shares per FY (stated
and assumed apart), a world map of partners shaded by their number of events with FY and
indicator selectors (NATO, EU and ASEAN as tiles beside it, and a ranking of partners), and a
month-by-month timeline. Every mark links to its country's, FY's or indicator's entity page
(:func:`kg.model.vocab.page_href`).

The numbers come from the built graph through SPARQL (the named query ``mode_share_by_year`` and
the queries below); the country shapes from world-atlas' ``countries-50m.json`` (ISO 3166-1
numeric ids, matched through the gazetteer's ``iso_numeric`` column). Vega, Vega-Lite,
vega-embed, the map and the data are inlined; the Content-Security-Policy allows no request and
only the page's scripts (by hash), so Vega evaluates its expressions with vega-interpreter
instead of ``new Function``, and every dataset is given inline (its loader never fetches).
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from kg import paths
from kg.errors import AssetError
from kg.model.vocab import INDICATOR_CLASS, KIND_CLASS, MODE, PREFIX_IRIS, page_href
from kg.viz.page import asset, csp_hash, script_json, script_json_text, script_text

__all__ = ["LANGS", "overview_data", "overview_html", "write_overview"]

LANGS = ("ja", "en")
#: The page's text in each language; chart titles say what a number counts.
TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "title": "防衛交流の概観",
        "subtitle": "相手・件数・時期（令和元年度〜令和4年度、事前分析表 防衛省05-①より）",
        "fy": "年度",
        "all_fy": "全年度",
        "indicator": "指標",
        "all_ind": "全指標",
        "kind": "種類",
        "mode": "形式",
        "events": "出来事の件数",
        "share": "割合",
        "partner": "相手国・機関",
        "month": "月",
        "map": "相手国・機関別の出来事の件数（地図。年度・指標を選べます）",
        "orgs": "国際機関",
        "ranking": "相手国・機関 上位20",
        "by_indicator": "年度・指標別の出来事の件数",
        "by_kind": "年度・種類別の出来事の件数",
        "by_mode": "年度別の形式の割合（記載と推定の別）",
        "timeline": "月別の出来事の件数",
        "stated": "記載",
        "assumed": "推定（形式の記載なし、対面とみなす）",
        "summary": "年度別の件数",
        "summary_row": "{fy}: 出来事 {events} 件（うち相手国・機関のあるもの {partnered} 件、"
        "相手 {partners} か国・機関）",
        "undated": "月の分からない出来事 {n} 件は月別の図に含まれない。",
        "note": "件数は出来事（会談・訪問・協議・行事など一件ずつ）の数。複数の相手国との出来事は"
        "地図と順位では相手ごとに一件と数える。会談を伴う訪問は訪問として数える。図の要素を押すと、その国・年度・指標のページへ。",
        "lang": "English",
    },
    "en": {
        "title": "Overview of Japan's defense exchanges",
        "subtitle": "With whom, how much, when (FY2019–FY2022, from MOD policy evaluation 05-①)",
        "fy": "Fiscal year",
        "all_fy": "All FYs",
        "indicator": "Indicator",
        "all_ind": "All indicators",
        "kind": "Kind",
        "mode": "Mode",
        "events": "Number of events",
        "share": "Share",
        "partner": "Partner",
        "month": "Month",
        "map": "Events per partner (map; choose an FY and an indicator)",
        "orgs": "Organizations",
        "ranking": "Top 20 partners",
        "by_indicator": "Events per FY, by indicator",
        "by_kind": "Events per FY, by kind",
        "by_mode": "Mode shares per FY (stated and assumed apart)",
        "timeline": "Events per month",
        "stated": "stated",
        "assumed": "assumed (no mode printed, taken as in person)",
        "summary": "Per fiscal year",
        "summary_row": "{fy}: {events} events ({partnered} with a partner country or "
        "organization; {partners} partners)",
        "undated": "{n} events without a month are not on the timeline.",
        "note": "Counts are events (each meeting, visit, consultation or activity once). An event "
        "with several partners counts once for each on the map and in the ranking; a visit with a "
        "meeting counts as a visit. Click a mark "
        "to open its country's, FY's or indicator's page.",
        "lang": "日本語",
    },
}

FONT = "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif"
_J = PREFIX_IRIS["jdx"]
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

#: Events per FY and indicator (every event has one of each).
Q_INDICATOR = """
SELECT ?fyIri ?fy ?ind ?code (COUNT(DISTINCT ?e) AS ?events)
WHERE {
  ?e a jdx:Event ; jdx:fiscalYear ?fyIri ; jdx:indicator ?ind .
  ?ind jdx:code ?code .
  ?fyIri jdx:startYear ?y .
  BIND(xsd:integer(STR(?y)) AS ?fy)
}
GROUP BY ?fyIri ?fy ?ind ?code
ORDER BY ?fy ?code
"""

#: The kind an event is counted under when the graph gives it two (a visit with a meeting,
#: 訪日…会談: typed jdx:VisitToJapan and jdx:Meeting): the first of these, so each event counts
#: once, under the kind data/events.csv gives it.
KIND_PRECEDENCE = ("visit_abroad", "visit_to_japan", "signing", "exercise", "meeting", "other")
_KIND_VALUES = " ".join(f"(<{KIND_CLASS[k]}> {i})" for i, k in enumerate(KIND_PRECEDENCE))

#: Events per FY and kind (the kind classes of kg.model.vocab.KIND_CLASS), each event once.
Q_KIND = """
SELECT ?fyIri ?fy ?kind (COUNT(DISTINCT ?e) AS ?events)
WHERE {
  ?e a ?kind ; jdx:fiscalYear ?fyIri .
  VALUES (?kind ?rank) { KINDS }
  FILTER NOT EXISTS {
    ?e a ?before .
    VALUES (?before ?earlier) { KINDS }
    FILTER(?earlier < ?rank)
  }
  ?fyIri jdx:startYear ?y .
  BIND(xsd:integer(STR(?y)) AS ?fy)
}
GROUP BY ?fyIri ?fy ?kind
ORDER BY ?fy ?kind
""".replace("KINDS", _KIND_VALUES)

#: Events per counterpart (country or organization), FY and indicator.
Q_PARTNER = """
SELECT ?c ?code ?fy ?ind (COUNT(DISTINCT ?e) AS ?events)
WHERE {
  ?e jdx:counterpartCountry ?c ; jdx:fiscalYear ?fyIri ; jdx:indicator ?i .
  ?i jdx:code ?ind .
  ?c skos:notation ?code .
  ?fyIri jdx:startYear ?y .
  BIND(xsd:integer(STR(?y)) AS ?fy)
}
GROUP BY ?c ?code ?fy ?ind
ORDER BY ?code ?fy ?ind
"""

#: Events per month (jdx:date, a gYearMonth) and indicator, with the FY that holds the month.
Q_MONTH = """
SELECT ?month ?fyIri ?fy ?ind (COUNT(DISTINCT ?e) AS ?events)
WHERE {
  ?e a jdx:Event ; jdx:date ?d ; jdx:fiscalYear ?fyIri ; jdx:indicator ?i .
  ?i jdx:code ?ind .
  ?fyIri jdx:startYear ?y .
  BIND(SUBSTR(STR(?d), 1, 7) AS ?month)
  BIND(xsd:integer(STR(?y)) AS ?fy)
}
GROUP BY ?month ?fyIri ?fy ?ind
ORDER BY ?month ?ind
"""

#: Per FY: every event, those with a counterpart, and the distinct counterparts.
Q_SUMMARY = """
SELECT ?fyIri ?fy (COUNT(DISTINCT ?e) AS ?events) (COUNT(DISTINCT ?p) AS ?partnered)
       (COUNT(DISTINCT ?c) AS ?partners) (COUNT(DISTINCT ?undated) AS ?no_month)
WHERE {
  ?e a jdx:Event ; jdx:fiscalYear ?fyIri .
  ?fyIri jdx:startYear ?y .
  OPTIONAL { ?e jdx:counterpartCountry ?c . BIND(?e AS ?p) }
  # ?none is never bound: an event with a date binds no ?undated
  BIND(IF(EXISTS { ?e jdx:date ?d }, ?none, ?e) AS ?undated)
  BIND(xsd:integer(STR(?y)) AS ?fy)
}
GROUP BY ?fyIri ?fy
ORDER BY ?fy
"""

#: Names of the counterparts and FYs, in both languages.
Q_LABELS = """
SELECT ?x ?ja ?en
WHERE {
  { ?x a jdx:FiscalYear } UNION { ?x a jdx:Country } UNION { ?x a jdx:InternationalOrganization }
  UNION { ?x a jdx:Indicator }
  ?x rdfs:label ?ja , ?en .
  FILTER(LANG(?ja) = "ja" && LANG(?en) = "en")
}
"""


def _prefixed(text: str) -> str:
    """``text`` with a PREFIX line for each of the project's prefixes it does not declare."""
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", text)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIX_IRIS.items() if p.lower() not in declared]
    return "\n".join([*lines, text])


def _records(store: Any, text: str) -> list[dict[str, str]]:
    """The rows of a SELECT on a pyoxigraph store, each term as its lexical value. Through
    pyoxigraph itself, not kg.sparql (rdflib): kg build draws the page without importing
    rdflib, a tenth of the build."""
    solutions = store.query(_prefixed(text))
    names = [v.value for v in solutions.variables]
    return [
        {n: row[n].value for n in names if row[n] is not None}  # unbound: left out
        for row in solutions
    ]


def named_query(name: str) -> str:
    """The text of the named query ``queries/NAME.rq`` (kg query NAME runs the same text)."""
    return (paths.queries_dir() / f"{name}.rq").read_text(encoding="utf-8")


@cache
def _ontology_labels() -> dict[str, dict[str, str]]:
    """rdfs:label of the ontology's terms by language (the kind, mode and indicator classes):
    jdx.ttl is their one source, the graph does not repeat them."""
    import pyoxigraph as ox

    labels: dict[str, dict[str, str]] = defaultdict(dict)
    path = paths.ontology_dir() / "jdx.ttl"
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        o, subject = t.object, t.subject
        if t.predicate.value != _RDFS_LABEL or not isinstance(subject, ox.NamedNode):
            continue
        if isinstance(o, ox.Literal) and o.language in LANGS:
            labels[subject.value][str(o.language)] = o.value
    return dict(labels)


def iso_numeric() -> dict[str, str]:
    """ISO3 -> ISO 3166-1 numeric code (world-atlas' feature ids), from the gazetteer."""
    table = paths.read_table(paths.data_dir() / "gazetteer" / "countries.csv")
    return {r["code"]: r["iso_numeric"] for r in table if r.get("iso_numeric")}


def overview_data(
    store: Any, *, link_base: str = "/", static_links: bool = False
) -> dict[str, Any]:
    """The page's numbers, read from ``store`` (a pyoxigraph Store of the built graph,
    :func:`kg.store.local.open_store`): one list of rows per chart, each row with its labels in
    ja and en and the link of its page."""

    def href(iri: str) -> str:
        return page_href(iri, link_base, static_links) or ""

    names = {r["x"]: {"ja": r["ja"], "en": r["en"]} for r in _records(store, Q_LABELS)}
    onto = _ontology_labels()
    ind_class = {code: onto.get(iri, {}) for code, iri in INDICATOR_CLASS.items()}

    def fy_row(r: dict[str, Any]) -> dict[str, Any]:
        iri = str(r["fyIri"])
        return {
            "fy": int(r["fy"]),
            "fy_ja": names.get(iri, {}).get("ja", str(r["fy"])),
            "fy_en": names.get(iri, {}).get("en", f"FY{r['fy']}"),
            "fy_href": href(iri),
        }

    def ind_names(code: str) -> dict[str, str]:
        got = ind_class.get(code, {})
        return {"ind_ja": got.get("ja", code), "ind_en": got.get("en", code)}

    per_fy = _records(store, Q_SUMMARY)
    fys = {int(r["fy"]): fy_row(r) for r in per_fy}
    summary = [
        {**fy_row(r), **{k: int(r[k]) for k in ("events", "partnered", "partners", "no_month")}}
        for r in per_fy
    ]
    by_indicator = [
        {
            **fy_row(r),
            "ind": r["code"],
            **ind_names(str(r["code"])),
            "events": int(r["events"]),
            "href": href(str(r["ind"])),
        }
        for r in _records(store, Q_INDICATOR)
    ]
    kinds = {iri: code for code, iri in KIND_CLASS.items()}
    by_kind = [
        {
            **fy_row(r),
            "kind": kinds[str(r["kind"])],
            "kind_ja": onto.get(str(r["kind"]), {}).get("ja", kinds[str(r["kind"])]),
            "kind_en": onto.get(str(r["kind"]), {}).get("en", kinds[str(r["kind"])]),
            "events": int(r["events"]),
        }
        for r in _records(store, Q_KIND)
    ]
    by_mode = []
    for r in _records(store, named_query("mode_share_by_year")):
        mode = str(r["mode"])
        label = onto.get(MODE[mode], {})
        for basis in ("stated", "assumed"):
            if int(r[basis]):
                fy = int(r["fy"])
                by_mode.append(
                    {
                        **fys[fy],
                        "mode": mode,
                        "basis": basis,
                        "mode_ja": label.get("ja", mode),
                        "mode_en": label.get("en", mode),
                        "events": int(r[basis]),
                        "mode_events": int(r["events"]),
                    }
                )
    numeric = iso_numeric()
    partners = []
    for r in _records(store, Q_PARTNER):
        iri, code = str(r["c"]), str(r["code"])
        partners.append(
            {
                "code": code,
                "num": numeric.get(code, ""),
                "name_ja": names.get(iri, {}).get("ja", code),
                "name_en": names.get(iri, {}).get("en", code),
                "fy": int(r["fy"]),
                "ind": r["ind"],
                "events": int(r["events"]),
                "href": href(iri),
            }
        )
    months = [
        {
            **fy_row(r),
            "month": r["month"],
            "ind": r["ind"],
            **ind_names(str(r["ind"])),
            "events": int(r["events"]),
        }
        for r in _records(store, Q_MONTH)
    ]
    indicators = sorted({r["ind"] for r in by_indicator}, key=list(INDICATOR_CLASS).index)
    return {
        "fys": [fys[k] for k in sorted(fys)],
        "indicators": [{"ind": c, **ind_names(c)} for c in indicators],
        "summary": summary,
        "by_indicator": by_indicator,
        "by_kind": by_kind,
        "by_mode": by_mode,
        "partners": partners,
        "months": months,
    }


def map_counts(partners: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per partner: its events per ``"FY|indicator"`` selection (``all`` for either),
    so the map looks a country up once and reads the selected count in an expression."""
    rows: dict[str, dict[str, Any]] = {}
    for p in partners:
        row = rows.setdefault(
            p["code"],
            {k: p[k] for k in ("code", "num", "name_ja", "name_en", "href")} | {"n": {}},
        )
        for fy in (str(p["fy"]), "all"):
            for ind in (str(p["ind"]), "all"):
                key = f"{fy}|{ind}"
                row["n"][key] = row["n"].get(key, 0) + p["events"]
    return [rows[k] for k in sorted(rows)]


# -- Vega-Lite specs ---------------------------------------------------------------------------

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier: never fetched
WORLD = "kg:world"  # the placeholder overview.js replaces with the inlined countries-50m.json
JAPAN = "392"  # ISO 3166-1 numeric


def _config() -> dict[str, Any]:
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelFont": FONT, "titleFont": FONT},
        "legend": {"labelFont": FONT, "titleFont": FONT, "labelLimit": 320},
        "title": {"font": FONT, "anchor": "start", "fontSize": 14},
    }


def _base(title: str, values: list[dict[str, Any]], **rest: Any) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "title": title,
        "data": {"values": values},
        "config": _config(),
        **rest,
    }


def _fy_x(lang: str, t: dict[str, str]) -> dict[str, Any]:
    return {
        "field": f"fy_{lang}",
        "type": "ordinal",
        "title": t["fy"],
        "sort": {"field": "fy"},
        "axis": {"labelAngle": 0},
    }


#: One color per category, the same in both languages and in every chart (codes in order).
COLORS: dict[str, dict[str, str]] = {
    "ind": {
        "high_level": "#4c78a8",
        "consultation": "#f58518",
        "unit_exchange": "#54a24b",
        "research": "#b279a2",
        "multilateral": "#e45756",
    },
    "kind": {
        "meeting": "#4c78a8",
        "visit_abroad": "#72b7b2",
        "visit_to_japan": "#eeca3b",
        "signing": "#9d755d",
        "exercise": "#54a24b",
        "other": "#bab0ac",
    },
    "mb": {
        "in_person/stated": "#4c78a8",
        "in_person/assumed": "#9ecae9",
        "phone": "#f58518",
        "video": "#54a24b",
        "hybrid": "#b279a2",
    },
}


def _colored(
    rows: list[dict[str, Any]], key: str, label: str, title: str
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """The rows with their category's rank (``o``), the color encoding (legend and colors in
    the category's order) and the order encoding (stacks in that order too)."""
    colors = COLORS[key]
    rank = {c: i for i, c in enumerate(colors)}
    names = {r[key]: r[label] for r in rows}
    codes = sorted(names, key=rank.__getitem__)
    color = {
        "field": label,
        "type": "nominal",
        "title": title,
        "scale": {"domain": [names[c] for c in codes], "range": [colors[c] for c in codes]},
    }
    return [r | {"o": rank[r[key]]} for r in rows], color, {"field": "o"}


def _bars(
    lang: str, title: str, values: list[dict[str, Any]], color: str, color_title: str, href: str
) -> dict[str, Any]:
    t = TEXT[lang]
    values, color_enc, order = _colored(values, color, f"{color}_{lang}", color_title)
    return _base(
        title,
        values,
        width=360,
        height=240,
        mark={"type": "bar", "cursor": "pointer"},
        encoding={
            "x": _fy_x(lang, t),
            "y": {"field": "events", "type": "quantitative", "title": t["events"]},
            "color": color_enc,
            "order": order,
            "href": {"field": href},
            "tooltip": [
                {"field": f"fy_{lang}", "title": t["fy"]},
                {"field": f"{color}_{lang}", "title": color_title},
                {"field": "events", "title": t["events"]},
            ],
        },
    )


def specs(data: dict[str, Any], lang: str) -> dict[str, dict[str, Any]]:
    """The page's Vega-Lite specs in ``lang``, data inline (the map's shapes by placeholder)."""
    t = TEXT[lang]
    by_mode, mode_color, mode_order = _colored(
        [
            {
                **r,
                "label": f"{r[f'mode_{lang}']} ({t[r['basis']]})",
                "mb": r["mode"] + ("/" + r["basis"] if r["mode"] == "in_person" else ""),
            }
            for r in data["by_mode"]
        ],
        "mb",
        "label",
        t["mode"],
    )
    months, month_color, month_order = _colored(
        data["months"], "ind", f"ind_{lang}", t["indicator"]
    )
    fy_options = ["all"] + [str(f["fy"]) for f in data["fys"]]
    ind_options = ["all"] + [i["ind"] for i in data["indicators"]]
    params = [
        {
            "name": "fy_sel",
            "value": "all",
            "bind": {
                "input": "select",
                "options": fy_options,
                "labels": [t["all_fy"]] + [f[f"fy_{lang}"] for f in data["fys"]],
                "name": t["fy"] + " ",
            },
        },
        {
            "name": "ind_sel",
            "value": "all",
            "bind": {
                "input": "select",
                "options": ind_options,
                "labels": [t["all_ind"]] + [i[f"ind_{lang}"] for i in data["indicators"]],
                "name": t["indicator"] + " ",
            },
        },
    ]
    counts = map_counts(data["partners"])
    selected = "datum.n[fy_sel + '|' + ind_sel] || 0"
    name = f"name_{lang}"
    tooltip = [{"field": name, "title": t["partner"]}, {"field": "events", "title": t["events"]}]
    color = {
        "field": "events",
        "type": "quantitative",
        "title": t["events"],
        "scale": {"scheme": "blues", "type": "sqrt", "domainMin": 0},
        # below the map: at the right of the ranking it fell outside a 1,400-pixel window
        "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 240},
    }
    world_format = {"type": "topojson", "feature": "countries"}
    map_view = {
        "width": 760,
        "height": 400,
        # Japan near the middle: the cut runs through the Atlantic, not through the Pacific.
        "projection": {"type": "equalEarth", "rotate": [-150, 0, 0]},
        "layer": [
            {
                "data": {"values": WORLD, "format": world_format},
                "mark": {
                    "type": "geoshape",
                    "fill": "#e6e6e6",
                    "stroke": "#fff",
                    "strokeWidth": 0.3,
                },
            },
            {  # Japan, the other side of every exchange
                "data": {"values": WORLD, "format": world_format},
                "transform": [{"filter": f"datum.id == '{JAPAN}'"}],
                "mark": {
                    "type": "geoshape",
                    "fill": "#c0392b",
                    "stroke": "#fff",
                    "strokeWidth": 0.3,
                },
            },
            {
                "data": {"values": WORLD, "format": world_format},
                "transform": [
                    {
                        "lookup": "id",
                        "from": {
                            "data": {"values": [c for c in counts if c["num"]]},
                            "key": "num",
                            "fields": ["code", "name_ja", "name_en", "href", "n"],
                        },
                    },
                    {"filter": "isValid(datum.code)"},
                    {"calculate": selected, "as": "events"},
                    {"filter": "datum.events > 0"},
                    {
                        "calculate": f"datum.code + ' ' + datum.{name} + ': ' + datum.events",
                        "as": "desc",
                    },
                ],
                "mark": {
                    "type": "geoshape",
                    "stroke": "#555",
                    "strokeWidth": 0.4,
                    "cursor": "pointer",
                },
                "encoding": {
                    "color": color,
                    "href": {"field": "href"},
                    "description": {"field": "desc"},
                    "tooltip": tooltip,
                },
            },
        ],
    }
    orgs = [c for c in counts if not c["num"]]
    tiles = {
        "title": t["orgs"],
        "data": {"values": orgs},
        "width": 90,
        "height": {"step": 44},
        "transform": [
            {"calculate": selected, "as": "events"},
            {"calculate": f"datum.code + ' ' + datum.{name} + ': ' + datum.events", "as": "desc"},
        ],
        "encoding": {
            "y": {"field": "code", "type": "nominal", "axis": None, "sort": {"field": "code"}},
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#555", "cursor": "pointer"},
                "encoding": {
                    "color": color,
                    "href": {"field": "href"},
                    "description": {"field": "desc"},
                    "tooltip": tooltip,
                },
            },
            {
                "mark": {"type": "text", "fontSize": 13, "fontWeight": "bold", "cursor": "pointer"},
                "encoding": {  # the link and tooltip too: the text covers the tile's middle
                    "text": {"field": "label"},
                    "href": {"field": "href"},
                    "tooltip": tooltip,
                    "color": {
                        "condition": {"test": "datum.events > 8", "value": "#fff"},
                        "value": "#111",
                    },
                },
                "transform": [{"calculate": "datum.code + ' ' + datum.events", "as": "label"}],
            },
        ],
    }
    ranking = {
        "title": t["ranking"],
        "data": {"values": counts},
        "transform": [
            {"calculate": selected, "as": "events"},
            {"filter": "datum.events > 0"},
            {
                "window": [{"op": "row_number", "as": "rank"}],
                "sort": [{"field": "events", "order": "descending"}, {"field": "code"}],
            },
            {"filter": "datum.rank <= 20"},
        ],
        "width": 220,
        "height": {"step": 16},
        "mark": {"type": "bar", "cursor": "pointer"},
        "encoding": {
            "y": {
                "field": name,
                "type": "nominal",
                "title": None,
                "sort": {"field": "rank", "order": "ascending"},
            },
            "x": {"field": "events", "type": "quantitative", "title": t["events"]},
            "color": color,
            "href": {"field": "href"},
            "tooltip": tooltip,
        },
    }
    world = {
        "$schema": SCHEMA,
        "title": t["map"],
        "params": params,
        "hconcat": [map_view, tiles, ranking],
        "resolve": {"scale": {"color": "shared"}},
        "config": _config(),
    }
    undated = sum(r["no_month"] for r in data["summary"])
    month_x = {
        "field": "month",
        "timeUnit": "utcyearmonth",
        "type": "temporal",
        "title": t["month"],
        "axis": {"format": "%Y-%m", "labelAngle": -60, "tickCount": 48},
    }
    # Each FY starts in April: a rule and the FY's name there, linked to its page.
    starts = [f | {"month": f"{f['fy']}-04"} for f in data["fys"]]
    timeline = {
        "$schema": SCHEMA,
        "title": t["timeline"],
        "width": 1100,
        "height": 220,
        "config": _config(),
        "layer": [
            {
                "data": {"values": months},
                "mark": {"type": "bar", "cursor": "pointer"},
                "encoding": {
                    "x": month_x,
                    "y": {
                        "field": "events",
                        "type": "quantitative",
                        "title": t["events"],
                        "stack": True,
                    },
                    "color": month_color,
                    "order": month_order,
                    "href": {"field": "fy_href"},
                    "tooltip": [
                        {"field": "month", "title": t["month"]},
                        {"field": f"fy_{lang}", "title": t["fy"]},
                        {"field": f"ind_{lang}", "title": t["indicator"]},
                        {"field": "events", "title": t["events"]},
                    ],
                },
            },
            {
                "data": {"values": starts},
                "mark": {"type": "rule", "color": "#333", "strokeDash": [4, 3]},
                "encoding": {"x": month_x},
            },
            {
                "data": {"values": starts},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "top",
                    "dx": 4,
                    "y": 2,
                    "fontSize": 12,
                    "fontWeight": "bold",
                    "cursor": "pointer",
                },
                "encoding": {
                    "x": month_x,
                    "text": {"field": f"fy_{lang}"},
                    "href": {"field": "fy_href"},
                },
            },
        ],
    }
    timeline["description"] = t["undated"].format(n=undated)
    return {
        "world": world,
        "by_indicator": _bars(
            lang, t["by_indicator"], data["by_indicator"], "ind", t["indicator"], "href"
        ),
        "by_kind": _bars(lang, t["by_kind"], data["by_kind"], "kind", t["kind"], "fy_href"),
        "by_mode": _base(
            t["by_mode"],
            by_mode,
            width=360,
            height=240,
            mark={"type": "bar", "cursor": "pointer"},
            encoding={
                "x": _fy_x(lang, t),
                "y": {
                    "field": "events",
                    "type": "quantitative",
                    "stack": "normalize",
                    "title": t["share"],
                    "axis": {"format": "%"},
                },
                "color": mode_color,
                "order": mode_order,
                "href": {"field": "fy_href"},
                "tooltip": [
                    {"field": f"fy_{lang}", "title": t["fy"]},
                    {"field": "label", "title": t["mode"]},
                    {"field": "events", "title": t["events"]},
                ],
            },
        ),
        "timeline": timeline,
    }


# -- the page ----------------------------------------------------------------------------------

#: Inlined scripts in load order: (npm package, file).
LIBRARIES = (
    ("vega", "build/vega.min.js"),
    ("vega-lite", "build/vega-lite.min.js"),
    ("vega-embed", "build/vega-embed.min.js"),
)
#: vega-interpreter ships only as an ES module importing vega-util; vega.min.js exports the
#: same functions, so its two module lines become a global (a CSP without 'unsafe-eval').
_INTERPRETER_IMPORT = "import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
_INTERPRETER_EXPORT = "export { expression as expressionInterpreter };"


@cache
def _libraries() -> tuple[str, ...]:
    scripts = [script_text(paths.npm_file(p, f).read_text(encoding="utf-8")) for p, f in LIBRARIES]
    path = paths.npm_file("vega-interpreter", "build/vega-interpreter.js")
    text = path.read_text(encoding="utf-8")
    if _INTERPRETER_IMPORT not in text or _INTERPRETER_EXPORT not in text:
        raise AssetError(f"{path}: not the vega-interpreter build this page adapts", file=path)
    text = text.replace(
        _INTERPRETER_IMPORT, "const { ascending, isString, DisallowedObjectProperties } = vega;"
    ).replace(_INTERPRETER_EXPORT, "window.vegaExpressionInterpreter = expression;")
    scripts.append(script_text(f"(function () {{\n{text}\n}})();\n"))
    return tuple(scripts)


@cache
def _world_script() -> str:
    """world-atlas' country shapes (TopoJSON) as the page inlines them."""
    path = paths.npm_file("world-atlas", "countries-50m.json")
    return script_json_text(path.read_text(encoding="utf-8"))


def overview_html(data: dict[str, Any], lang: str = "ja") -> str:
    """The page for ``data`` (:func:`overview_data`), opening in ``lang`` (ja or en; the page
    switches between them)."""
    if lang not in LANGS:
        from kg.network import ViewError

        raise ViewError(f"unknown language {lang!r}: use ja or en")
    libs, app = _libraries(), asset("overview.js")
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(csp_hash(s) for s in (*libs, app))}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
    page = {
        "lang": lang,
        "text": TEXT,
        "summary": data["summary"],
        "specs": {k: specs(data, k) for k in LANGS},
        "world": WORLD,
    }
    scripts = "".join(f"<script>{s}</script>\n" for s in libs)
    return asset("overview.html").format(
        lang=lang,
        csp=csp,
        title=html.escape(TEXT[lang]["title"]),
        css=asset("overview.css"),
        data=script_json(page),
        world=_world_script(),
        libs=scripts,
        app=app,
    )


def write_overview(
    out: Path,
    *,
    data: Path | None = None,
    link_base: str = "/",
    static_links: bool = False,
    lang: str = "ja",
) -> Path:
    """Write the overview of the graph built in ``data`` (default data/) to ``out``; links go
    to ``{link_base}id/…`` (``static_links``: the ``….html`` files of a published folder)."""
    from kg.store.local import open_store

    folder = Path(data) if data is not None else paths.data_dir()
    store = open_store(folder)
    text = overview_html(overview_data(store, link_base=link_base, static_links=static_links), lang)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    paths.write_text(out, text)
    return out
