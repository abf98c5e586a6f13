# %% [markdown]
# # 03 ネットワーク / Networks
#
# **問い**: 防衛交流のネットワークで、どの多国間会議がハブとなり、どの役職とどの国が中心にいて、どのような国のまとまり（コミュニティ）があるか。年度間でネットワークはどう変わったか。
#
# **Question**: In the network of Japan's defense exchanges, which forums act as hubs,
# which offices and countries are central, which groups of countries form communities,
# and how did the network change between fiscal years?

# %%
import matplotlib.pyplot as plt
import pandas as pd

from kg import api

api.use_japanese_font()  # Noto Sans CJK JP, so Japanese labels render (fails if missing)
pd.set_option("display.max_colwidth", 70)
pd.set_option("display.width", 160)

# %%
import networkx as nx

# %% [markdown]
# ## 1. ハブとしての会議 / Forums as hubs
#
# Named query `forum_hubs`: forums by the number of distinct countries Japan met there.

# %%
hubs = api.query("forum_hubs")
hubs.head(15)

# %% [markdown]
# **注意 / Caveat: forum hubs grow because the FY2022 list names forums.** The document's
# style drives these numbers: the FY2022 list of high-level
# exchanges names the forum where a meeting took place (シンガポール(第19回シャングリラ会合)…);
# the lists of FY2019-FY2021 almost never do. Named query `forum_naming_by_year` gives the
# share per year: forum hubs, the country–forum network and co-presence grow in FY2022
# because that year's list says where its meetings were, not necessarily because Japan
# went to more forums. `forum_hubs` prints the same caveat under its answer.

# %%
naming = api.query("forum_naming_by_year", indicator="high_level")
print(hubs.attrs["note"])
naming

# %%
top = hubs.head(15).iloc[::-1]
fig, ax = plt.subplots(figsize=(9, 8))
ax.barh(top["label_ja"] + "\n" + top["label_en"], top["countries"], color="#27ae60")
ax.tick_params(axis="y", labelsize=8)
for i, (c, e) in enumerate(zip(top["countries"], top["events"], strict=True)):
    ax.text(c + 0.3, i, f"{c} か国 / {e} 件", va="center", fontsize=8)
ax.set_title("ハブとしての会議: 会った国の数 / Forums as hubs: countries met there")
ax.set_xlabel("国・機関の数（数字: 国数 / 件数）\nDistinct countries (numbers: countries / events)")
ax.set_xlim(0, top["countries"].max() * 1.25)
fig.tight_layout()
fig.savefig(api.figure_path("03_forum_hubs"), dpi=120)
plt.show()

# %%
# the caveat's numbers, from forum_naming_by_year above
named = naming.set_index("fy").rename(columns={"atForum": "naming_a_forum"})

# %%
print(
    "high-level exchanges naming a forum: "
    + ", ".join(
        f"FY{fy} {n}/{total}"
        for fy, n, total in zip(named.index, named["naming_a_forum"], named["events"], strict=True)
    )
)

# %% [markdown]
# So a forum's rise between FY2021 and FY2022 (and every count of "countries met at a
# forum") mostly measures how the list was written, not a change in where Japan met its
# partners: compare forums within FY2022, or across years only with this in mind.
# 会議の名前が書かれるのは主に令和4年度の一覧であり、会議ハブの伸びは記載の仕方の違いを反映している。

# %% [markdown]
# ## 2. 役職–相手国ネットワーク / The office–country network
#
# `api.network("office_country")`: a bipartite graph of the nine Japanese offices and the
# countries (and NATO, EU, ASEAN) they met; edge weight = events. `api.metrics` adds
# weighted degree (events), degree (distinct neighbours), betweenness and Louvain
# communities.

# %%
G = api.network("office_country")
print(G.graph["title"])
print(f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges, density {nx.density(G):.3f}")
m = api.metrics(G)
m.drop(columns="node").head(15)

# %% [markdown]
# The same network as a matrix: events per office (rows) and partner (columns), for the
# 30 partners with the most events. Then the interactive view (drag, zoom, hover).

# %%
offices = m[m["type"] == "jp_office"]
partners = m[m["type"] != "jp_office"].head(30)
matrix = pd.DataFrame(
    [
        [G.edges[o, c]["weight"] if G.has_edge(o, c) else 0 for c in partners["node"]]
        for o in offices["node"]
    ],
    index=offices["label_ja"] + " / " + offices["label_en"].str.replace("Chief of Staff, ", ""),
    columns=partners["label_ja"] + " " + partners["label_en"],
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

# %%
api.show(G)

# %% [markdown]
# ## 3. 中心性とコミュニティ / Centrality and communities
#
# Betweenness uses distance = 1 / weight; Louvain runs with a fixed seed, so reruns
# agree. In the office–country graph the offices are the hubs by construction; among
# the countries, weighted degree says who was met most and degree by how many offices.

# %%
show = ["label_ja", "label_en", "weighted_degree", "degree", "betweenness"]
print("countries by weighted degree (events with any office):")
print(m[m["type"] != "jp_office"].head(10)[show].to_string(index=False))
print()
print("offices by number of distinct partners:")
print(offices.sort_values("degree", ascending=False)[show].to_string(index=False))

# %% [markdown]
# Communities of countries: the `copresence` view links two countries when Japan met
# both at the same occasion (a forum edition, or one multi-country event).

# %%
C = api.network("copresence")
mc = api.metrics(C)
print(
    f"{C.number_of_nodes()} countries, {C.number_of_edges()} ties, "
    f"{mc.attrs['communities']} communities, modularity {mc.attrs['modularity']:.2f}"
)
for k, members in mc.groupby("community"):
    print(f"community {k} ({len(members)}): {', '.join(members['label_en'])}")
    print(f"    {'、'.join(members['label_ja'])}")

# %%
print("bridges between communities (highest betweenness):")
mc.nlargest(8, "betweenness")[["label_ja", "label_en", "community", "degree", "betweenness"]]

# %%
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
    {n: f"{C.nodes[n]['label_ja']}\n{C.nodes[n]['label_en']}" for n in C},
    font_size=7,
    verticalalignment="top",
    ax=ax,
    font_family=plt.rcParams["font.sans-serif"][0],
)
ax.set_title(
    "同じ場で日本と会った国々とそのコミュニティ（Louvain）\n"
    "Countries Japan met at the same occasion, by community (Louvain), "
    "FY2019–FY2022"
)
ax.axis("off")
fig.tight_layout()
fig.savefig(api.figure_path("03_copresence_communities"), dpi=120)
plt.show()

# %% [markdown]
# ## 4. 年度間の変化 / How the network changed between fiscal years

# %%
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

# %% [markdown]
# Read the FY2022 rise of `country_forum` and `copresence` beside the share of high-level
# events that name a forum (the caveat of section 1): it rises with the document's style.

# %%
naming.set_index("fy")[["events", "atForum", "share"]]

# %%
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

# %% [markdown]
# Which nodes gained or lost most between FY2019 and FY2022 in the office–country
# network (`api.network_change`; weighted degree = events)?

# %%
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

# %%
new = change[~change["in_a"] & change["in_b"]]
gone = change[change["in_a"] & ~change["in_b"]]
print(f"{len(new)} nodes in FY2022 but not FY2019: {', '.join(new['label_en'])}")
print(f"{len(gone)} nodes in FY2019 but not FY2022: {', '.join(gone['label_en'])}")

# %% [markdown]
# ## まとめ / Summary

# %%
hub = hubs.iloc[0]
country_top = m[m["type"] != "jp_office"].iloc[0]
bridge = mc.nlargest(1, "betweenness").iloc[0]
cop = per_fy[per_fy["view"] == "copresence"].set_index("fy")
oc = change.set_index("label_ja")
print(
    f"- Hub forum: {hub['label_en']} ({hub['countries']} countries, {hub['events']} "
    f"events), then {hubs.iloc[1]['label_en']} ({hubs.iloc[1]['countries']}); "
    f"high-level exchanges naming a forum: FY2021 {named.loc[2021, 'naming_a_forum']}/"
    f"{named.loc[2021, 'events']}, FY2022 {named.loc[2022, 'naming_a_forum']}/"
    f"{named.loc[2022, 'events']} (the caveat above)."
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
    f"- Office–country FY2019 → FY2022: Chief of Staff, Joint Staff (統合幕僚長) "
    f"{oc.loc['統合幕僚長', 'weighted_degree_a']:.0f} → "
    f"{oc.loc['統合幕僚長', 'weighted_degree_b']:.0f}, Minister of Defense (防衛大臣) "
    f"{oc.loc['防衛大臣', 'weighted_degree_a']:.0f} → "
    f"{oc.loc['防衛大臣', 'weighted_degree_b']:.0f} office-events; "
    f"{len(new)} new nodes, {len(gone)} gone."
)
