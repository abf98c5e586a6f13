# ruff: noqa: E501 -- the cells' code is ruff-formatted for the notebooks (line length 100);
# indented inside this file's strings, some of its lines run longer.
"""Write the analyst notebooks (notebooks/NN_*.ipynb) from the cells listed in this file.

The notebooks are generated, not edited by hand, so that a review reads this file's diff and the
committed .ipynb files never carry outputs, execution counts or random cell ids:

    python notebooks/make_notebooks.py           # (re)write the notebooks
    python notebooks/make_notebooks.py --check   # exit 1 if a committed notebook differs

The code cells are kept as ``ruff format`` writes them, so ``ruff check`` and ``ruff format
--check`` pass on the .ipynb files too.

tests/test_notebooks.py runs the check and executes every notebook (nbclient, kernel python3,
working folder notebooks/); figures go to tests/artifacts/figures/ (git-ignored). Each notebook
opens with its question in Japanese and English, imports only ``kg.api`` and uses the named
queries in queries/ (SPARQL text inline, through ``api.sparql``, where no named query answers).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from textwrap import dedent

import nbformat

HERE = Path(__file__).resolve().parent

Cell = tuple[str, str]


# A line break between two Japanese characters would render as a space: join such lines.
_CJK = "\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")


def md(text: str) -> Cell:
    return ("markdown", _CJK_BREAK.sub("", dedent(text).strip("\n")))


def code(text: str) -> Cell:
    return ("code", dedent(text).strip("\n"))


SETUP = code(
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    from kg import api

    api.use_japanese_font()  # Noto Sans CJK JP, so Japanese labels render (fails if missing)
    pd.set_option("display.max_colwidth", 70)
    pd.set_option("display.width", 160)
    """
)

# --------------------------------------------------------------------------------------------
#  01 tour
# --------------------------------------------------------------------------------------------

TOUR: list[Cell] = [
    md(
        """
        # 01 知識グラフの一巡 / A tour of the knowledge graph

        **問い**: この知識グラフには何が、どのような形で入っているのか。
        最初の SPARQL クエリで何が分かるのか。

        **Question**: What does the knowledge graph hold, in what shape, and what does a
        first SPARQL query tell us?

        出典 / Source: 防衛省「令和5年度 事前分析表（防衛省05-①）
        ハイレベル交流・政策対話等の推進」, FY2019–FY2022 (令和元年度〜令和4年度).
        This notebook uses only `kg.api` and the named queries in `queries/`.
        """
    ),
    SETUP,
    md(
        """
        ## 1. グラフを読み込む / Build or load the graph

        `kg build` (or `api.build()`) turns `data/source.txt` into the tables and the graph;
        the committed `data/` already equals a fresh build. `api.load_graph()` loads the graph
        the build wrote into Oxigraph's in-memory store (building first when the graph is
        missing) and keeps it for the rest of the session; `api.load_graph("store")` opens the
        on-disk store instead, at once even for a very large graph.
        """
    ),
    code(
        """
        g = api.load_graph()
        print(f"{len(g):,} triples")
        """
    ),
    md(
        """
        ## 2. クラス別の大きさ / Size by class

        Every event is typed on two axes, by indicator (ハイレベル交流, 防衛当局間協議, …)
        and by kind (会談, 訪日, …), so the event classes overlap. Class labels come from the
        ontology (`ontology/jdx.ttl`), which `api.load_ontology()` loads as its own graph.
        """
    ),
    code(
        '''
        instances = api.sparql("""
            SELECT ?class (COUNT(DISTINCT ?s) AS ?instances)
            WHERE { ?s a ?class }
            GROUP BY ?class
        """)
        onto = api.load_ontology()
        classes = api.sparql(
            """
            SELECT ?class ?label_ja ?label_en (SAMPLE(?p) AS ?parent) WHERE {
              ?class a owl:Class ; rdfs:label ?label_ja , ?label_en .
              FILTER(LANG(?label_ja) = "ja" && LANG(?label_en) = "en")
              OPTIONAL { ?class rdfs:subClassOf ?sup .
                         BIND(REPLACE(STR(?sup), "^.*[/#]", "") AS ?p) }
            }
            GROUP BY ?class ?label_ja ?label_en
        """,
            graph=onto,
        )
        local = instances["class"].str.replace(r"^.*[/#]", "", regex=True)
        sizes = (
            instances.merge(classes, on="class", how="left")
            .assign(
                label_en=lambda d: d["label_en"].fillna(local), label_ja=lambda d: d["label_ja"].fillna("")
            )
            .sort_values("instances", ascending=False, ignore_index=True)
        )
        sizes[["label_ja", "label_en", "parent", "instances"]]
        '''
    ),
    code(
        """
        event_classes = set(classes.loc[classes["parent"].isin(["Event", "UnitExchange"]), "class"])
        shown = sizes.iloc[::-1]
        colors = ["#d35400" if c in event_classes else "#2e86c1" for c in shown["class"]]
        fig, ax = plt.subplots(figsize=(8, 7.5))
        ax.barh(shown["label_ja"] + " / " + shown["label_en"], shown["instances"], color=colors)
        for y, n in enumerate(shown["instances"]):
            ax.text(n + 5, y, str(n), va="center", fontsize=8)
        ax.set_title(
            "クラス別のインスタンス数 / Instances per class\\n（橙 = 出来事の種類 / orange = event classes）"
        )
        ax.set_xlabel("インスタンス数 / Instances")
        fig.tight_layout()
        fig.savefig(api.figure_path("01_class_sizes"), dpi=120)
        plt.show()
        """
    ),
    md(
        """
        ## 3. オントロジーの概観 / The ontology at a glance

        Each class is anchored in a standard vocabulary (SEM, schema.org, W3C ORG, OWL-Time,
        SKOS, RDF Data Cube, PROV-O): the `parent` column above. Below, the links between
        classes as the data actually use them: every `jdx:` property from one resource to
        another, counted by the classes at both ends (events of any type counted as `Event`;
        the modes and directions, SKOS concepts, folded into their scheme).
        """
    ),
    code(
        '''
        links = api.sparql("""
            SELECT ?domain ?property ?range (COUNT(*) AS ?links) WHERE {
              { SELECT DISTINCT ?s ?p ?o ?domain ?range WHERE {
                  ?s ?p ?o ; a ?sc .
                  FILTER(STRSTARTS(STR(?p), STR(jdx:)) && isIRI(?o))
                  OPTIONAL { ?o a ?oc }
                  BIND(IF(EXISTS { ?s jdx:indicator/a jdx:Indicator }, "Event",
                          REPLACE(STR(?sc), "^.*[/#]", "")) AS ?domain)
                  BIND(REPLACE(STR(COALESCE(?oc, ?o)), "^.*[/#]", "") AS ?range)
              } }
              BIND(REPLACE(STR(?p), "^.*[/#]", "") AS ?property)
            }
            GROUP BY ?domain ?property ?range
        """)
        terms = api.sparql(
            """
            SELECT ?name ?label_ja ?scheme WHERE {
              ?t rdfs:label ?label_ja .
              OPTIONAL { ?t a ?c . FILTER(?c IN (jdx:Mode, jdx:Direction)) }
              FILTER(STRSTARTS(STR(?t), STR(jdx:)) && LANG(?label_ja) = "ja")
              BIND(REPLACE(STR(?t), "^.*[/#]", "") AS ?name)
              BIND(REPLACE(STR(?c), "^.*[/#]", "") AS ?scheme)
            }
        """,
            graph=onto,
        )
        ja = dict(zip(terms["name"], terms["label_ja"], strict=True))
        scheme = terms.dropna(subset=["scheme"]).set_index("name")["scheme"].to_dict()
        links["range"] = links["range"].replace(scheme)
        links = links.groupby(["domain", "property", "range"], as_index=False)["links"].sum()
        links.sort_values(["domain", "links"], ascending=[True, False], ignore_index=True)
        '''
    ),
    code(
        """
        import networkx as nx

        # placed by hand so the picture reads: budget and indicators left, partners right
        POS = {
            "Event": (0, 0),
            "Mode": (-2.6, 0.6),
            "Indicator": (-1.2, 2.2),
            "Measure": (-3.6, 2.8),
            "BudgetLine": (-5.4, 1.6),
            "BudgetObservation": (-5.4, -1.6),
            "ForumEdition": (-2.2, -1.6),
            "Forum": (-4.4, -0.2),
            "FiscalYear": (-1.0, -3.4),
            "Position": (2.2, 1.8),
            "Organization": (6.6, 2.4),
            "InternationalOrganization": (4.4, 0.9),
            "Country": (4.8, -0.8),
            "Place": (2.2, -1.6),
            "StudentFlow": (2.4, -3.4),
            "Direction": (4.8, -3.4),
        }
        schema = nx.DiGraph()
        for r in links.itertuples():
            text = f"{r.property} {ja.get(r.property, '')} ({r.links:,})"
            if schema.has_edge(r.domain, r.range):
                schema[r.domain][r.range]["label"] += "\\n" + text
            else:
                schema.add_edge(r.domain, r.range, label=text)
        fixed = [n for n in schema if n in POS]  # a class added later is placed by the layout
        pos = nx.spring_layout(schema, pos={n: POS[n] for n in fixed}, fixed=fixed or None, seed=1)
        font = plt.rcParams["font.sans-serif"][0]
        fig, ax = plt.subplots(figsize=(15, 10))
        nx.draw_networkx_edges(schema, pos, arrowsize=14, node_size=3800, edge_color="#7f8c8d", ax=ax)
        nx.draw_networkx_nodes(
            schema, pos, node_color="#d6eaf8", node_size=3800, edgecolors="#2e86c1", ax=ax
        )
        nx.draw_networkx_labels(
            schema, pos, {n: f"{n}\\n{ja.get(n, '')}" for n in schema}, font_size=8, font_family=font, ax=ax
        )
        nx.draw_networkx_edge_labels(
            schema,
            pos,
            nx.get_edge_attributes(schema, "label"),
            font_size=7,
            font_family=font,
            ax=ax,
            bbox={"boxstyle": "round", "fc": "white", "ec": "none"},
        )
        ax.set_title(
            "データが使うクラスと関係（件数）/ Classes and the links between them, as the data use them"
        )
        ax.axis("off")
        fig.tight_layout()
        fig.savefig(api.figure_path("01_ontology"), dpi=110)
        plt.show()
        """
    ),
    md(
        """
        ## 4. 最初の SPARQL クエリ / A first SPARQL query

        The named queries (`queries/*.rq`) are the project's saved questions.
        `api.query(name, **params)` runs one and returns a pandas DataFrame whose columns are
        the query's variables; `api.query_text(name)` shows the SPARQL.
        """
    ),
    code(
        """
        api.queries()[["name", "question_ja", "question_en", "params"]]
        """
    ),
    code(
        """
        print(api.query_text("events_by_country_year"))
        """
    ),
    code(
        """
        hl = api.query("events_by_country_year")
        hl.head()
        """
    ),
    code(
        """
        per_fy = hl.pivot_table(
            index="label_en", columns="fy", values="events", aggfunc="sum", fill_value=0
        )
        per_fy["total"] = per_fy.sum(axis=1)
        per_fy.sort_values("total", ascending=False).head(10)
        """
    ),
    md(
        """
        A query with a parameter, and the way back to the source: every event keeps its
        verbatim text and its line in `data/source.txt` (`provenance`).
        """
    ),
    code(
        """
        tri = api.query("trilateral_events", country="AUS")
        print(f"{len(tri)} events with Australia and at least one more counterpart country")
        tri.head()
        """
    ),
    code(
        """
        first = tri.dropna(subset=["date"]).iloc[0]
        api.query("provenance", event=first["event"])
        """
    ),
    md(
        """
        ## 5. ネットワークを見る / A network view inline

        `api.show(view, **filters)` returns the interactive pyvis page as an
        `IPython.display.HTML` object, which renders in JupyterLab and VS Code alike. Drag
        nodes, zoom, hover for details, filter by year and indicator. Here: which Japanese
        office met which country in FY2022.
        """
    ),
    code(
        """
        api.show("office_country", fy=2022)
        """
    ),
    md(
        """
        ## まとめ / Summary
        """
    ),
    code(
        """
        n_events = api.sparql("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e jdx:indicator ?i }")
        n_events = int(n_events.loc[0, "n"])
        by_class = sizes.set_index("label_en")["instances"]
        top = per_fy.sort_values("total", ascending=False)
        print(
            f"- {len(g):,} triples: {n_events} events, {by_class.get('Country', 0)} countries, "
            f"{by_class.get('Position', 0)} offices, {by_class.get('Forum', 0)} forums "
            f"({by_class.get('Forum edition', 0)} editions), "
            f"{by_class.get('Student flow', 0)} student counts."
        )
        leaders = ", ".join(f"{n} ({t})" for n, t in top["total"].head(3).items())
        print(f"- Most high-level exchanges FY2019-FY2022: {leaders}.")
        print(f"- {top.index[0]}: {top.iloc[0][2019]} in FY2019, {top.iloc[0][2022]} in FY2022.")
        """
    ),
    md(
        """
        Next: `02_trends` (exchanges per FY), `03_networks` (hubs, centrality, communities),
        `04_people_and_money` (students and budget).
        """
    ),
]

# --------------------------------------------------------------------------------------------
#  02 trends
# --------------------------------------------------------------------------------------------

TRENDS: list[Cell] = [
    md(
        """
        # 02 年度ごとの推移 / Trends per fiscal year

        **問い**: 防衛交流は令和元年度から令和4年度にかけてどう変わったか。地域別・日本側の
        役職別・実施形態別に見ると、新型コロナ下の令和2年度に電話・テレビ会議へ移り、
        いつ対面に戻ったのか。令和元年度から令和4年度にかけて最も交流が増えた相手国はどこか。

        **Question**: How did Japan's defense exchanges change from FY2019 to FY2022, by
        region, by Japanese office and by mode? Did FY2020 shift to phone and video, and when
        did in-person meetings return? Which partners grew most between FY2019 and FY2022?
        """
    ),
    SETUP,
    md(
        """
        ## 1. 地域別 / By region

        Named query `regions_by_year`: distinct events and countries per region and FY, over
        every indicator (an event with partners in two regions counts in both; NATO, EU and
        ASEAN form the region *International*).
        """
    ),
    code(
        """
        by_region = api.query("regions_by_year")
        REGION_JA = {
            "Southeast Asia": "東南アジア",
            "East Asia": "東アジア",
            "South Asia": "南アジア",
            "Central Asia": "中央アジア",
            "Oceania": "大洋州",
            "Pacific Islands": "太平洋島嶼国",
            "North America": "北米",
            "Latin America": "中南米",
            "Europe": "欧州",
            "Middle East": "中東",
            "Africa": "アフリカ",
            "International": "国際機関",
        }
        regions = by_region.pivot_table(
            index="region", columns="fy", values="events", aggfunc="sum", fill_value=0
        )
        regions = regions.loc[regions.sum(axis=1).sort_values(ascending=False).index]
        regions.index = [f"{REGION_JA.get(r, r)} / {r}" for r in regions.index]
        countries_per_fy = by_region.groupby("fy")["countries"].sum()
        print("distinct countries and organizations met per FY:", countries_per_fy.to_dict())
        regions
        """
    ),
    code(
        """
        fig, ax = plt.subplots(figsize=(8, 6))
        im = ax.imshow(regions.values, cmap="Blues", aspect="auto")
        ax.set_xticks(range(regions.shape[1]), [f"FY{c}" for c in regions.columns])
        ax.set_yticks(range(regions.shape[0]), regions.index)
        for (i, j), n in pd.DataFrame(regions.values).stack().items():
            ax.text(
                j,
                i,
                int(n),
                ha="center",
                va="center",
                color="white" if n > regions.values.max() / 2 else "black",
            )
        ax.set_title("地域別の交流件数 / Exchanges per region and fiscal year")
        ax.set_xlabel("年度 / Fiscal year")
        fig.colorbar(im, ax=ax, label="件数 / events")
        fig.tight_layout()
        fig.savefig(api.figure_path("02_regions"), dpi=120)
        plt.show()
        """
    ),
    code(
        """
        region_change = (regions[2022] - regions[2019]).sort_values(ascending=False)
        print("FY2019 → FY2022, events per region:")
        for region, d in region_change.items():
            before, after = regions.loc[region, 2019], regions.loc[region, 2022]
            print(f"  {region:32s} {before:>4} → {after:>4}  ({d:+})")
        """
    ),
    md(
        """
        ## 2. 日本側の役職別 / By Japanese office

        Named query `events_by_actor_year`: events per Japanese office and FY (events whose
        Japanese participant the document does not state are not counted).
        """
    ),
    code(
        """
        actors = api.query("events_by_actor_year")
        offices = actors.pivot_table(
            index="label_ja", columns="fy", values="events", aggfunc="sum", fill_value=0
        )
        offices = offices.loc[offices.sum(axis=1).sort_values(ascending=False).index]
        offices
        """
    ),
    code(
        """
        fig, ax = plt.subplots(figsize=(9, 5))
        for office, row in offices.iterrows():
            ax.plot([f"FY{c}" for c in offices.columns], row.values, marker="o", label=office)
        ax.set_title("日本側の役職別の交流件数 / Exchanges per Japanese office")
        ax.set_xlabel("年度 / Fiscal year")
        ax.set_ylabel("件数 / Events")
        ax.legend(title="役職 / Office", bbox_to_anchor=(1.02, 1), loc="upper left")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(api.figure_path("02_offices"), dpi=120)
        plt.show()
        """
    ),
    md(
        """
        ## 3. 実施形態 / Mode: the shift to phone and video, and the return to in-person

        Named query `mode_share_by_year` (a mode is stated or inferred for meetings and
        visits; exercises and multilateral meetings have none).
        """
    ),
    code(
        """
        modes = api.query("mode_share_by_year")
        MODE_LABEL = {
            "in_person": "対面 / in person",
            "phone": "電話 / phone",
            "video": "テレビ会議 / video",
            "hybrid": "ハイブリッド / hybrid",
        }
        mode_table = modes.pivot_table(
            index="fy", columns="mode", values="events", aggfunc="sum", fill_value=0
        )
        mode_table = mode_table[[m for m in MODE_LABEL if m in mode_table.columns]]
        share = mode_table.div(mode_table.sum(axis=1), axis=0)
        remote = share[["phone", "video"]].sum(axis=1)
        mode_table.assign(total=mode_table.sum(axis=1), remote_share=remote.round(3))
        """
    ),
    code(
        """
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
        colors = {"in_person": "#2e86c1", "phone": "#f5b041", "video": "#e74c3c", "hybrid": "#8e44ad"}
        years = [f"FY{y}" for y in share.index]
        bottom = pd.Series(0.0, index=share.index)
        for mode in share.columns:
            axes[0].bar(
                years, share[mode] * 100, bottom=bottom * 100, color=colors[mode], label=MODE_LABEL[mode]
            )
            bottom += share[mode]
        axes[0].set_title("実施形態の割合 / Share of each mode")
        axes[0].set_ylabel("割合 (%) / Share (%)")
        mode_table.rename(columns=MODE_LABEL).plot(
            kind="bar", ax=axes[1], color=[colors[m] for m in mode_table.columns], legend=False
        )
        axes[1].set_xticklabels(years, rotation=0)
        axes[1].set_title("実施形態別の件数 / Events per mode")
        axes[1].set_ylabel("件数 / Events")
        for ax in axes:
            ax.set_xlabel("年度 / Fiscal year")
        fig.suptitle(
            "新型コロナ下の電話・テレビ会議へのシフトと対面への回帰 / "
            "The FY2020 shift to phone and video, and the return to in-person"
        )
        fig.legend(
            *axes[0].get_legend_handles_labels(), loc="lower center", ncol=4, title="実施形態 / Mode"
        )
        fig.tight_layout(rect=(0, 0.12, 1, 1))
        fig.savefig(api.figure_path("02_modes"), dpi=120)
        plt.show()
        """
    ),
    md(
        """
        Month by month (inline SPARQL over `jdx:date`, a year-month or a full date): when did
        remote meetings take over, and when did in-person meetings come back for good?
        """
    ),
    code(
        '''
        monthly = api.sparql("""
            SELECT ?month ?mode (COUNT(DISTINCT ?event) AS ?events) WHERE {
              ?event jdx:mode ?m ; jdx:date ?date .
              BIND(SUBSTR(STR(?date), 1, 7) AS ?month)
              BIND(REPLACE(STR(?m), "^.*[/#]", "") AS ?mode)
            }
            GROUP BY ?month ?mode
        """)
        months = pd.period_range("2019-04", "2023-03", freq="M").astype(str)
        by_month = monthly.pivot_table(
            index="month", columns="mode", values="events", aggfunc="sum", fill_value=0
        ).reindex(months, fill_value=0)
        in_person_month = by_month.get("InPerson", 0)
        remote_month = by_month.get("Phone", 0) + by_month.get("Video", 0)
        remote_ahead = by_month.index[remote_month > in_person_month]
        after = by_month.index > remote_ahead.max()
        print(
            f"remote meetings outnumber in-person ones in {len(remote_ahead)} months, "
            f"first {remote_ahead.min()}, last {remote_ahead.max()}"
        )
        print(
            f"from {by_month.index[after].min()} on: {int(in_person_month[after].sum())} of "
            f"{int(by_month[after].sum().sum())} dated meetings in person"
        )

        fig, ax = plt.subplots(figsize=(12, 4))
        ax.bar(by_month.index, in_person_month, color="#2e86c1", label="対面 / in person")
        ax.bar(
            by_month.index,
            remote_month,
            bottom=in_person_month,
            color="#e74c3c",
            label="電話・テレビ会議 / phone or video",
        )
        ax.set_xticks(range(0, len(by_month), 3), by_month.index[::3], rotation=45)
        ax.set_title("月別の会談の実施形態 / Meetings per month, in person or remote")
        ax.set_xlabel("年月 / Month")
        ax.set_ylabel("件数 / Events")
        ax.legend()
        fig.tight_layout()
        fig.savefig(api.figure_path("02_modes_by_month"), dpi=120)
        plt.show()
        '''
    ),
    md(
        """
        ## 4. 最も伸びた相手国 / Partners that grew most, FY2019 → FY2022

        Named query `events_by_country_year` (high-level exchanges per counterpart and FY),
        then `new_partners` for the countries first met in FY2022.
        """
    ),
    code(
        """
        hl = api.query("events_by_country_year")
        partners = hl.pivot_table(
            index="label_en", columns="fy", values="events", aggfunc="sum", fill_value=0
        )
        partners["change"] = partners[2022] - partners[2019]
        growth = partners.sort_values(["change", 2022], ascending=False)
        growth.head(12)
        """
    ),
    code(
        """
        top = growth.head(12).iloc[::-1]
        y = range(len(top))
        fig, ax = plt.subplots(figsize=(8, 6))
        ax.barh([i + 0.2 for i in y], top[2019], height=0.4, color="#aab7b8", label="FY2019 (令和元年度)")
        ax.barh([i - 0.2 for i in y], top[2022], height=0.4, color="#2e86c1", label="FY2022 (令和4年度)")
        ax.set_yticks(
            list(y), [f"{name}  (+{d})" for name, d in zip(top.index, top["change"], strict=True)]
        )
        ax.set_title(
            "ハイレベル交流が最も増えた相手国\\n"
            "Partners whose high-level exchanges grew most, FY2019 → FY2022"
        )
        ax.set_xlabel("ハイレベル交流の件数 / High-level exchanges")
        ax.legend(loc="lower right")
        fig.tight_layout()
        fig.savefig(api.figure_path("02_growth"), dpi=120)
        plt.show()
        """
    ),
    code(
        """
        declined = partners.sort_values("change").head(5)
        print("largest declines:", ", ".join(f"{n} ({d:+})" for n, d in declined["change"].items()))
        new_2022 = api.query("new_partners", fy=2022)
        new_2022
        """
    ),
    md(
        """
        ## まとめ / Summary
        """
    ),
    code(
        """
        minister = offices.loc["防衛大臣"]
        chiefs = offices.loc[["統合幕僚長", "陸上幕僚長", "海上幕僚長", "航空幕僚長"]].sum()
        print(
            f"- Regions: {region_change.index[0]} {region_change.iloc[0]:+} and "
            f"{region_change.index[1]} {region_change.iloc[1]:+} events FY2019→FY2022; "
            f"{region_change.index[-1]} {region_change.iloc[-1]:+}."
        )
        print(
            f"- Modes: phone and video were {remote[2019]:.0%} of meetings in FY2019, "
            f"{remote[2020]:.0%} in FY2020, {remote[2021]:.0%} in FY2021, "
            f"{remote[2022]:.0%} in FY2022; remote led every month from "
            f"{remote_ahead.min()} to {remote_ahead.max()}."
        )
        print(
            f"- Offices: the Minister took part in {minister[2019]} events in FY2019 and "
            f"{minister[2021]} in FY2021; the four chiefs of staff together "
            f"{chiefs[2019]} → {chiefs[2022]} (FY2019 → FY2022)."
        )
        print(
            f"- Partners: {growth.index[0]} {growth.iloc[0][2019]} → {growth.iloc[0][2022]}, "
            f"{growth.index[1]} {growth.iloc[1][2019]} → {growth.iloc[1][2022]}, "
            f"{growth.index[2]} {growth.iloc[2][2019]} → {growth.iloc[2][2022]}; "
            f"{len(new_2022)} countries first met in FY2022."
        )
        """
    ),
]

# --------------------------------------------------------------------------------------------
#  03 networks
# --------------------------------------------------------------------------------------------

NETWORKS: list[Cell] = [
    md(
        """
        # 03 ネットワーク / Networks

        **問い**: 防衛交流のネットワークで、どの多国間会議がハブとなり、どの役職とどの国が
        中心にいて、どのような国のまとまり（コミュニティ）があるか。
        年度間でネットワークはどう変わったか。

        **Question**: In the network of Japan's defense exchanges, which forums act as hubs,
        which offices and countries are central, which groups of countries form communities,
        and how did the network change between fiscal years?
        """
    ),
    SETUP,
    code(
        """
        import networkx as nx
        """
    ),
    md(
        """
        ## 1. ハブとしての会議 / Forums as hubs

        Named query `forum_hubs`: forums by the number of distinct countries Japan met there.
        """
    ),
    code(
        """
        hubs = api.query("forum_hubs")
        hubs.head(15)
        """
    ),
    code(
        """
        top = hubs.head(15).iloc[::-1]
        fig, ax = plt.subplots(figsize=(8, 6))
        ax.barh(top["label_ja"], top["countries"], color="#27ae60")
        for i, (c, e) in enumerate(zip(top["countries"], top["events"], strict=True)):
            ax.text(c + 0.3, i, f"{c} か国 / {e} 件", va="center", fontsize=8)
        ax.set_title("ハブとしての会議: 会った国の数 / Forums as hubs: countries met there")
        ax.set_xlabel("国・機関の数（数字: 国数 / 件数）\\nDistinct countries (numbers: countries / events)")
        ax.set_xlim(0, top["countries"].max() * 1.25)
        fig.tight_layout()
        fig.savefig(api.figure_path("03_forum_hubs"), dpi=120)
        plt.show()
        """
    ),
    md(
        """
        ## 2. 役職–相手国ネットワーク / The office–country network

        `api.network("office_country")`: a bipartite graph of the nine Japanese offices and the
        countries (and NATO, EU, ASEAN) they met; edge weight = events. `api.metrics` adds
        weighted degree (events), degree (distinct neighbours), betweenness and Louvain
        communities.
        """
    ),
    code(
        """
        G = api.network("office_country")
        print(G.graph["title"])
        print(f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges, density {nx.density(G):.3f}")
        m = api.metrics(G)
        m.drop(columns="node").head(15)
        """
    ),
    md(
        """
        The same network as a matrix: events per office (rows) and partner (columns), for the
        30 partners with the most events. Then the interactive view (drag, zoom, hover).
        """
    ),
    code(
        """
        offices = m[m["type"] == "jp_office"]
        partners = m[m["type"] != "jp_office"].head(30)
        matrix = pd.DataFrame(
            [
                [G.edges[o, c]["weight"] if G.has_edge(o, c) else 0 for c in partners["node"]]
                for o in offices["node"]
            ],
            index=offices["label_ja"] + " / " + offices["label_en"].str.replace("Chief of Staff, ", ""),
            columns=partners["label_ja"],
        )
        fig, ax = plt.subplots(figsize=(15, 5.5))
        im = ax.imshow(matrix.values, cmap="Reds", aspect="auto")
        ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=60, ha="right")
        ax.set_yticks(range(matrix.shape[0]), matrix.index)
        for (i, j), n in pd.DataFrame(matrix.values).stack().items():
            if n:
                ax.text(
                    j,
                    i,
                    int(n),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if n > matrix.values.max() / 2 else "black",
                )
        ax.set_title(
            "役職–相手国ネットワーク（件数, FY2019–FY2022）/ "
            "Office–country network (events), top 30 partners"
        )
        ax.set_xlabel("相手国・機関 / Counterpart")
        fig.colorbar(im, ax=ax, label="件数 / events", fraction=0.02)
        fig.tight_layout()
        fig.savefig(api.figure_path("03_office_country"), dpi=120)
        plt.show()
        """
    ),
    code(
        """
        api.show(G)
        """
    ),
    md(
        """
        ## 3. 中心性とコミュニティ / Centrality and communities

        Betweenness uses distance = 1 / weight; Louvain runs with a fixed seed, so reruns
        agree. In the office–country graph the offices are the hubs by construction; among
        the countries, weighted degree says who was met most and degree by how many offices.
        """
    ),
    code(
        """
        show = ["label_ja", "label_en", "weighted_degree", "degree", "betweenness"]
        print("countries by weighted degree (events with any office):")
        print(m[m["type"] != "jp_office"].head(10)[show].to_string(index=False))
        print()
        print("offices by number of distinct partners:")
        print(offices.sort_values("degree", ascending=False)[show].to_string(index=False))
        """
    ),
    md(
        """
        Communities of countries: the `copresence` view links two countries when Japan met
        both at the same occasion (a forum edition, or one multi-country event).
        """
    ),
    code(
        """
        C = api.network("copresence")
        mc = api.metrics(C)
        print(
            f"{C.number_of_nodes()} countries, {C.number_of_edges()} ties, "
            f"{mc.attrs['communities']} communities, modularity {mc.attrs['modularity']:.2f}"
        )
        for k, members in mc.groupby("community"):
            print(f"community {k} ({len(members)}): {'、'.join(members['label_ja'])}")
        """
    ),
    code(
        """
        print("bridges between communities (highest betweenness):")
        mc.nlargest(8, "betweenness")[["label_ja", "label_en", "community", "degree", "betweenness"]]
        """
    ),
    code(
        """
        # each community on a ring of its own (largest node first), the rings around a circle
        community = mc.set_index("node")["community"]
        centers = nx.circular_layout(sorted(community.unique()), scale=2.6)
        pos = {}
        for k in sorted(community.unique()):
            ring = mc[mc["community"] == k]["node"].tolist()
            inner = nx.circular_layout(ring, scale=0.25 + 0.07 * len(ring))
            pos.update({n: centers[k] + inner[n] for n in ring})
        cmap = plt.get_cmap("tab10")
        fig, ax = plt.subplots(figsize=(12, 10))
        nx.draw_networkx_edges(
            C, pos, width=[0.2 + w / 3 for *_, w in C.edges(data="weight")], alpha=0.25, ax=ax
        )
        nx.draw_networkx_nodes(
            C,
            pos,
            node_size=[30 + 4 * C.degree(n, weight="weight") for n in C],
            node_color=[cmap(community[n] % 10) for n in C],
            ax=ax,
        )
        nx.draw_networkx_labels(
            C,
            {n: (x, y - 0.09) for n, (x, y) in pos.items()},
            {n: C.nodes[n]["label_ja"] for n in C},
            font_size=8,
            verticalalignment="top",
            ax=ax,
            font_family=plt.rcParams["font.sans-serif"][0],
        )
        ax.set_title(
            "同じ場で日本と会った国々とそのコミュニティ（Louvain）\\n"
            "Countries Japan met at the same occasion, by community (Louvain), "
            "FY2019–FY2022"
        )
        ax.axis("off")
        fig.tight_layout()
        fig.savefig(api.figure_path("03_copresence_communities"), dpi=120)
        plt.show()
        """
    ),
    md(
        """
        ## 4. 年度間の変化 / How the network changed between fiscal years
        """
    ),
    code(
        """
        rows = []
        for view in ("office_country", "country_forum", "copresence"):
            for fy in (2019, 2020, 2021, 2022):
                H = api.network(view, fy=fy)
                mh = api.metrics(H)
                rows.append(
                    {
                        "view": view,
                        "fy": fy,
                        "nodes": H.number_of_nodes(),
                        "edges": H.number_of_edges(),
                        "weight": int(sum(w for *_, w in H.edges(data="weight"))),
                        "density": round(nx.density(H), 3),
                        "communities": mh.attrs["communities"],
                        "modularity": round(mh.attrs["modularity"], 2),
                    }
                )
        per_fy = pd.DataFrame(rows)
        per_fy
        """
    ),
    code(
        """
        names = {
            "office_country": "役職–相手国 / office–country",
            "country_forum": "国–会議 / country–forum",
            "copresence": "同席国 / co-presence",
        }
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
        for view, part in per_fy.groupby("view"):
            years = [f"FY{y}" for y in part["fy"]]
            axes[0].plot(years, part["nodes"], marker="o", label=names[view])
            axes[1].plot(years, part["edges"], marker="o", label=names[view])
        axes[0].set_title("ノード数 / Nodes")
        axes[1].set_title("エッジ数 / Edges")
        for ax in axes:
            ax.set_xlabel("年度 / Fiscal year")
            ax.grid(alpha=0.3)
            ax.legend()
        fig.suptitle("年度ごとのネットワークの大きさ / Size of each network per fiscal year")
        fig.tight_layout()
        fig.savefig(api.figure_path("03_network_by_fy"), dpi=120)
        plt.show()
        """
    ),
    md(
        """
        Which nodes gained or lost most between FY2019 and FY2022 in the office–country
        network (`api.network_change`; weighted degree = events)?
        """
    ),
    code(
        """
        change = api.network_change("office_country", 2019, 2022)
        print(
            f"modularity FY2019 {change.attrs['modularity_a']:.2f} → "
            f"FY2022 {change.attrs['modularity_b']:.2f}"
        )
        change[
            [
                "label_ja",
                "label_en",
                "type",
                "weighted_degree_a",
                "weighted_degree_b",
                "weighted_degree_change",
                "degree_a",
                "degree_b",
            ]
        ].head(12)
        """
    ),
    code(
        """
        new = change[~change["in_a"] & change["in_b"]]
        gone = change[change["in_a"] & ~change["in_b"]]
        print(f"{len(new)} nodes in FY2022 but not FY2019: {'、'.join(new['label_ja'])}")
        print(f"{len(gone)} nodes in FY2019 but not FY2022: {'、'.join(gone['label_ja'])}")
        """
    ),
    md(
        """
        ## まとめ / Summary
        """
    ),
    code(
        """
        hub = hubs.iloc[0]
        country_top = m[m["type"] != "jp_office"].iloc[0]
        bridge = mc.nlargest(1, "betweenness").iloc[0]
        cop = per_fy[per_fy["view"] == "copresence"].set_index("fy")
        oc = change.set_index("label_ja")
        print(
            f"- Hub forum: {hub['label_ja']} ({hub['countries']} countries, {hub['events']} "
            f"events), then {hubs.iloc[1]['label_ja']} ({hubs.iloc[1]['countries']})."
        )
        print(
            f"- Most met partner: {country_top['label_en']} "
            f"({country_top['weighted_degree']:.0f} office-events, "
            f"{country_top['degree']} offices); widest office: "
            f"{offices.sort_values('degree').iloc[-1]['label_en']} "
            f"({offices['degree'].max()} partners)."
        )
        print(
            f"- Co-presence: {mc.attrs['communities']} communities "
            f"(modularity {mc.attrs['modularity']:.2f}); top bridge {bridge['label_en']}; "
            f"ties {cop.loc[2019, 'edges']} (FY2019) → {cop.loc[2020, 'edges']} (FY2020) → "
            f"{cop.loc[2022, 'edges']} (FY2022)."
        )
        print(
            f"- Office–country FY2019 → FY2022: 統合幕僚長 "
            f"{oc.loc['統合幕僚長', 'weighted_degree_a']:.0f} → "
            f"{oc.loc['統合幕僚長', 'weighted_degree_b']:.0f}, 防衛大臣 "
            f"{oc.loc['防衛大臣', 'weighted_degree_a']:.0f} → "
            f"{oc.loc['防衛大臣', 'weighted_degree_b']:.0f} office-events; "
            f"{len(new)} new nodes, {len(gone)} gone."
        )
        """
    ),
]

# --------------------------------------------------------------------------------------------
#  04 people and money
# --------------------------------------------------------------------------------------------

PEOPLE_MONEY: list[Cell] = [
    md(
        """
        # 04 人と予算 / People and money

        **問い**: 防衛省はどの国から留学生を受け入れ、どの国へ自衛隊員を留学させているか。
        交流・対話のための予算（達成手段）はどの程度執行されたか。

        **Question**: From which countries does Japan's Ministry of Defense receive students,
        and to which countries does it send its own? How much of the budget lines for
        exchanges and dialogue was actually executed?
        """
    ),
    SETUP,
    md(
        """
        ## 1. 留学生: 国別・方向別 / Students by country and direction

        Named query `students_by_country`: inbound = foreign students at Japan's defense
        schools, outbound = SDF personnel newly sent to study abroad. Country names come from
        the graph (inline SPARQL).
        """
    ),
    code(
        '''
        students = api.query("students_by_country")
        names = api.sparql("""
            SELECT ?country ?label_ja ?label_en WHERE {
              ?c jdx:iso3 ?country ; rdfs:label ?label_ja , ?label_en .
              FILTER(LANG(?label_ja) = "ja" && LANG(?label_en) = "en")
            }
        """)
        flows = students.merge(names, on="country", how="left")
        flows["name"] = flows["label_ja"] + " / " + flows["label_en"]
        flows.head()
        '''
    ),
    md(
        """
        The document also states a total per FY and direction; the graph keeps it as a
        `jdx:StudentFlow` with `jdx:isTotal true` (not a row of the named query). Do the
        per-country rows add up to it?
        """
    ),
    code(
        '''
        stated = api.sparql("""
            SELECT ?fy ?direction ?stated WHERE {
              ?flow a jdx:StudentFlow ; jdx:isTotal true ; jdx:count ?stated ;
                    jdx:direction ?d ; jdx:fiscalYear/jdx:startYear ?year .
              BIND(LCASE(REPLACE(STR(?d), "^.*#", "")) AS ?direction)
              BIND(xsd:integer(STR(?year)) AS ?fy)
            }
        """)
        summed = flows.groupby(["fy", "direction"])["count"].sum().rename("sum_of_countries")
        check = stated.set_index(["fy", "direction"]).join(summed).sort_index()
        check["difference"] = check["sum_of_countries"] - check["stated"]
        check.unstack("direction")
        '''
    ),
    code(
        """
        def by_country(direction):
            table = flows[flows["direction"] == direction].pivot_table(
                index="name", columns="fy", values="count", aggfunc="sum", fill_value=0
            )
            return table.loc[table.sum(axis=1).sort_values(ascending=False).index]


        inbound, outbound = by_country("inbound"), by_country("outbound")
        print("inbound, FY2019–FY2022 total:", inbound.sum(axis=1).head(8).to_dict())
        print("outbound, FY2019–FY2022 total:", outbound.sum(axis=1).head(5).to_dict())
        top_share = outbound.iloc[0] / outbound.sum()
        print(
            f"share of outbound students going to {outbound.index[0]}, per FY:",
            top_share.round(2).to_dict(),
        )
        print("countries sending students, per FY:", (inbound > 0).sum().to_dict())
        inbound.head(12)
        """
    ),
    code(
        """
        def stacked(ax, table, top, title):
            rest = table.iloc[top:].sum().to_frame("その他 / others").T
            data = pd.concat([table.head(top), rest])
            bottom = pd.Series(0, index=data.columns)
            cmap = plt.get_cmap("tab20")
            for i, (country, row) in enumerate(data.iterrows()):
                ax.bar(
                    [f"FY{y}" for y in data.columns], row, bottom=bottom, label=country, color=cmap(i % 20)
                )
                bottom += row
            ax.set_title(title)
            ax.set_xlabel("年度 / Fiscal year")
            ax.set_ylabel("人数 / Students")
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))


        fig, axes = plt.subplots(1, 2, figsize=(15, 6))
        stacked(axes[0], inbound, 12, "受入れ留学生（国別）/ Inbound students by country")
        stacked(axes[1], outbound, 6, "派遣留学生（留学先別）/ Outbound students by destination")
        fig.tight_layout()
        fig.savefig(api.figure_path("04_students"), dpi=120)
        plt.show()
        """
    ),
    md(
        """
        ## 2. 予算と執行率 / Budget lines and execution rates

        Named query `budget_execution` (millions of yen, as in the source; `rate` = executed /
        budget). FY2022 execution is not stated in the document, which was written before the
        year closed.
        """
    ),
    code(
        """
        budget = api.query("budget_execution")
        budget
        """
    ),
    code(
        """
        lines = budget[budget["line"] != "total"]
        lines.pivot_table(index="label_ja", columns="fy", values=["budget", "executed", "rate"])
        """
    ),
    code(
        """
        LINE_EN = {
            "1": "Education and training benefit",
            "2": "Disaster-response capacity, Djibouti",
            "3": "High-level policy exchange",
            "4": "Working-level policy exchange",
            "5": "Unit-level dialogue",
        }
        done = lines.dropna(subset=["executed"]).copy()
        done["name"] = done["label_ja"] + "\\n" + done["line"].map(LINE_EN).fillna("")
        names = done.drop_duplicates("line")["name"].tolist()[::-1]
        fig, axes = plt.subplots(1, 2, figsize=(14, 6), sharey=True, gridspec_kw={"width_ratios": [3, 2]})
        bars = [
            ("budget", 2020, "#aab7b8"),
            ("executed", 2020, "#566573"),
            ("budget", 2021, "#85c1e9"),
            ("executed", 2021, "#2e86c1"),
        ]
        h = 0.2
        for k, (col, fy, color) in enumerate(bars):
            part = done[done["fy"] == fy].set_index("name").reindex(names)
            what = "予算額 / budget" if col == "budget" else "執行額 / executed"
            axes[0].barh(
                [i + (1.5 - k) * h for i in range(len(names))],
                part[col],
                h,
                color=color,
                label=f"{what} FY{fy}",
            )
        axes[0].set_yticks(range(len(names)), names)
        axes[0].set_xlabel("百万円 / million yen")
        axes[0].set_title("達成手段ごとの予算額と執行額 / Budget and execution per line")
        axes[0].legend(fontsize=8, loc="lower right")
        for k, (fy, color) in enumerate([(2020, "#566573"), (2021, "#2e86c1")]):
            part = done[done["fy"] == fy].set_index("name").reindex(names)
            axes[1].barh(
                [i + (0.5 - k) * 2 * h for i in range(len(names))],
                part["rate"] * 100,
                2 * h,
                color=color,
                label=f"FY{fy}",
            )
        axes[1].axvline(100, color="grey", lw=0.8, ls="--")
        axes[1].set_xlabel("執行率 (%) / Execution rate (%)")
        axes[1].set_title("執行率 / Execution rate")
        axes[1].legend(loc="lower right")
        fig.tight_layout()
        fig.savefig(api.figure_path("04_budget"), dpi=120)
        plt.show()
        """
    ),
    md(
        """
        ## 3. 予算と活動を並べる / Money next to activity

        The line for high-level policy exchange (ハイレベル政策的交流, mostly travel) beside
        the high-level exchanges of the same year (inline SPARQL) and the in-person share of
        meetings (`mode_share_by_year`). Then the stated totals against the sum of the lines.
        """
    ),
    code(
        '''
        modes = api.query("mode_share_by_year")
        per_mode = modes.pivot_table(
            index="fy", columns="mode", values="events", aggfunc="sum", fill_value=0
        )
        in_person = (per_mode["in_person"] / per_mode.sum(axis=1)).rename("in_person_share")
        hl_events = api.sparql("""
            SELECT ?fy (COUNT(DISTINCT ?event) AS ?high_level_events) WHERE {
              ?event a jdx:HighLevelExchange ; jdx:fiscalYear/jdx:startYear ?year .
              BIND(xsd:integer(STR(?year)) AS ?fy)
            }
            GROUP BY ?fy
        """).set_index("fy")
        hl_line = lines[lines["line"] == "3"].set_index("fy")[["budget", "executed", "rate"]]
        side = hl_line.join([in_person.round(2), hl_events], how="outer")
        side
        '''
    ),
    code(
        """
        total = budget[budget["line"] == "total"].set_index("fy")[["budget", "executed"]]
        summed = lines.groupby("fy")[["budget", "executed"]].sum(min_count=1)
        totals = total.merge(
            summed, left_index=True, right_index=True, suffixes=("_stated", "_sum_of_lines")
        )
        totals
        """
    ),
    md(
        """
        FY2020's stated total execution equals its budget (613), while its lines add up to
        far less: the build reports this as a warning (`kg report`) and keeps the figure as
        printed. Read FY2020's total execution rate with care.
        """
    ),
    md(
        """
        ## まとめ / Summary
        """
    ),
    code(
        """
        rates = lines.pivot_table(index="line", columns="fy", values="rate")
        print(
            f"- Inbound students: {int(check.loc[(2019, 'inbound'), 'stated'])} (FY2019) → "
            f"{int(check.loc[(2020, 'inbound'), 'stated'])} (FY2020) → "
            f"{int(check.loc[(2022, 'inbound'), 'stated'])} (FY2022); most over four years: "
            f"{', '.join(f'{n} {v}' for n, v in inbound.sum(axis=1).head(3).items())}."
        )
        print(
            f"- Outbound: {outbound.index[0]} takes {top_share.min():.0%}–{top_share.max():.0%} "
            f"of the students sent abroad each year "
            f"({int(outbound.iloc[0].sum())} of {int(outbound.values.sum())} in four years)."
        )
        print(
            f"- High-level policy exchange line executed {rates.loc['3', 2020]:.0%} of its "
            f"budget in FY2020 and {rates.loc['3', 2021]:.0%} in FY2021, while meetings in "
            f"person were {in_person[2020]:.0%} and {in_person[2021]:.0%} of the total."
        )
        print(
            f"- Djibouti capacity building: {rates.loc['2', 2020]:.0%} executed in FY2020, "
            f"{rates.loc['2', 2021]:.0%} in FY2021; the education benefit "
            f"{rates.loc['1', 2020]:.0%} / {rates.loc['1', 2021]:.0%}."
        )
        """
    ),
]


NOTEBOOKS: dict[str, list[Cell]] = {
    "01_tour": TOUR,
    "02_trends": TRENDS,
    "03_networks": NETWORKS,
    "04_people_and_money": PEOPLE_MONEY,
}


def build_notebook(stem: str, cells: list[Cell]) -> nbformat.NotebookNode:
    """A notebook of ``cells`` with stable cell ids (``01-00``, ``01-01`` …) and no outputs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, (kind, source) in enumerate(cells):
        new = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = new(source)
        cell.id = f"{stem.split('_')[0]}-{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def render(stem: str) -> str:
    return nbformat.writes(build_notebook(stem, NOTEBOOKS[stem])) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks that differ")
    args = parser.parse_args(argv)
    stale = []
    for stem in NOTEBOOKS:
        path = HERE / f"{stem}.ipynb"
        text = render(stem)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print(f"out of date (run python notebooks/make_notebooks.py): {', '.join(stale)}")
        return 1
    if not args.check:
        print(f"wrote {', '.join(stale) or 'nothing (all up to date)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
