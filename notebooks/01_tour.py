# %% [markdown]
# # 01 知識グラフの一巡 / A tour of the knowledge graph
#
# **問い**: この知識グラフには何が、どのような形で入っているのか。最初の SPARQL クエリで何が分かるのか。
#
# **Question**: What does the knowledge graph hold, in what shape, and what does a
# first SPARQL query tell us?
#
# 出典 / Source: 防衛省「令和5年度 事前分析表（防衛省05-①）ハイレベル交流・政策対話等の推進」, FY2019–FY2022 (令和元年度〜令和4年度).
# This notebook uses only `kg.api` and the named queries in `queries/`.

# %%
import matplotlib.pyplot as plt
import pandas as pd

from kg import api

api.use_japanese_font()  # Noto Sans CJK JP, so Japanese labels render (fails if missing)
pd.set_option("display.max_colwidth", 70)
pd.set_option("display.width", 160)

# %% [markdown]
# ## 1. グラフを読み込む / Build or load the graph
#
# `kg build` (or `api.build()`) turns `data/source.txt` into the tables and the graph;
# the committed `data/` already equals a fresh build. `api.load_graph()` loads the graph
# the build wrote into Oxigraph's in-memory store (building first when the graph is
# missing) and keeps it for the rest of the session; `api.load_graph("store")` opens the
# on-disk store instead, at once even for a very large graph.

# %%
g = api.load_graph()
print(f"{len(g):,} triples")

# %% [markdown]
# ## 2. クラス別の大きさ / Size by class
#
# Every event is typed on two axes, by indicator (ハイレベル交流, 防衛当局間協議, …)
# and by kind (会談, 訪日, …), so the event classes overlap. Class labels come from the
# ontology (`ontology/jdx.ttl`), which `api.load_ontology()` loads as its own graph.

# %%
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

# %%
event_classes = set(classes.loc[classes["parent"].isin(["Event", "UnitExchange"]), "class"])
shown = sizes.iloc[::-1]
colors = ["#d35400" if c in event_classes else "#2e86c1" for c in shown["class"]]
fig, ax = plt.subplots(figsize=(8, 7.5))
ax.barh(shown["label_ja"] + " / " + shown["label_en"], shown["instances"], color=colors)
for y, n in enumerate(shown["instances"]):
    ax.text(n + 5, y, str(n), va="center", fontsize=8)
ax.set_title(
    "クラス別のインスタンス数 / Instances per class\n（橙 = 出来事の種類 / orange = event classes）"
)
ax.set_xlabel("インスタンス数 / Instances")
fig.tight_layout()
fig.savefig(api.figure_path("01_class_sizes"), dpi=120)
plt.show()

# %% [markdown]
# ## 3. オントロジーの概観 / The ontology at a glance
#
# Each class is anchored in a standard vocabulary (SEM, schema.org, W3C ORG, OWL-Time,
# SKOS, RDF Data Cube, PROV-O): the `parent` column above. Below, the links between
# classes as the data actually use them: every `jdx:` property from one resource to
# another, counted by the classes at both ends (events of any type counted as `Event`;
# the modes and directions, SKOS concepts, folded into their scheme).

# %%
links = api.sparql("""
    SELECT ?domain ?property ?range (COUNT(*) AS ?links) WHERE {
      { SELECT DISTINCT ?s ?p ?o ?domain ?range WHERE {
          ?s ?p ?o ; a ?sc .
          FILTER(STRSTARTS(STR(?p), STR(jdx:)) && isIRI(?o) && STRSTARTS(STR(?sc), STR(jdx:)))
          OPTIONAL { ?o a ?oc FILTER(STRSTARTS(STR(?oc), STR(jdx:))) }
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

# %%
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
        schema[r.domain][r.range]["label"] += "\n" + text
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
    schema, pos, {n: f"{n}\n{ja.get(n, '')}" for n in schema}, font_size=8, font_family=font, ax=ax
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

# %% [markdown]
# ## 4. 最初の SPARQL クエリ / A first SPARQL query
#
# The named queries (`queries/*.rq`) are the project's saved questions.
# `api.query(name, **params)` runs one and returns a pandas DataFrame whose columns are
# the query's variables; `api.query_text(name)` shows the SPARQL.

# %%
api.queries()[["name", "question_ja", "question_en", "params"]]

# %%
print(api.query_text("events_by_country_year"))

# %%
hl = api.query("events_by_country_year")
hl.head()

# %%
per_fy = hl.pivot_table(
    index="label_en", columns="fy", values="events", aggfunc="sum", fill_value=0
)
per_fy["total"] = per_fy.sum(axis=1)
per_fy.sort_values("total", ascending=False).head(10)

# %% [markdown]
# A query with a parameter, and the way back to the source: every event keeps its
# verbatim text and its line in `data/source.txt` (`provenance`).

# %%
tri = api.query("trilateral_events", country="AUS")
print(f"{len(tri)} events with Australia and at least one more counterpart country")
tri.head()

# %%
first = tri.dropna(subset=["date"]).iloc[0]
api.query("provenance", event=first["event"])

# %% [markdown]
# ## 5. ネットワークを見る / A network view inline
#
# `api.show(view, **filters)` returns the interactive pyvis page as an
# `IPython.display.HTML` object, which renders in JupyterLab and VS Code alike. Drag
# nodes, zoom, hover for details, filter by year and indicator. Here: which Japanese
# office met which country in FY2022.

# %%
api.show("office_country", fy=2022)

# %% [markdown]
# ## まとめ / Summary

# %%
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

# %% [markdown]
# Next: `02_trends` (exchanges per FY), `03_networks` (hubs, centrality, communities),
# `04_people_and_money` (students and budget).
