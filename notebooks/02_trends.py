# %% [markdown]
# # 02 年度ごとの推移 / Trends per fiscal year
#
# **問い**: 防衛交流は令和元年度から令和4年度にかけてどう変わったか。地域別・日本側の役職別・実施形態別に見ると、新型コロナ下の令和2年度に電話・テレビ会議へ移り、いつ対面に戻ったのか。令和元年度から令和4年度にかけて最も交流が増えた相手国はどこか。
#
# **Question**: How did Japan's defense exchanges change from FY2019 to FY2022, by
# region, by Japanese office and by mode? Did FY2020 shift to phone and video, and when
# did in-person meetings return? Which partners grew most between FY2019 and FY2022?

# %%
import matplotlib.pyplot as plt
import pandas as pd

from kg import api

api.use_japanese_font()  # Noto Sans CJK JP, so Japanese labels render (fails if missing)
pd.set_option("display.max_colwidth", 70)
pd.set_option("display.width", 160)

# %% [markdown]
# ## 1. 地域別 / By region
#
# Named query `regions_by_year`: distinct events and countries per region and FY, over
# every indicator (an event with partners in two regions counts in both; NATO, EU and
# ASEAN form the region *International*).

# %%
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

# %%
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

# %%
region_change = (regions[2022] - regions[2019]).sort_values(ascending=False)
print("FY2019 → FY2022, events per region:")
for region, d in region_change.items():
    before, after = regions.loc[region, 2019], regions.loc[region, 2022]
    print(f"  {region:32s} {before:>4} → {after:>4}  ({d:+})")

# %% [markdown]
# ## 2. 日本側の役職別 / By Japanese office
#
# Named query `events_by_actor_year`: events per Japanese office and FY (events whose
# Japanese participant the document does not state are not counted).

# %%
actors = api.query("events_by_actor_year")
offices = actors.pivot_table(
    index=["label_ja", "label_en"], columns="fy", values="events", aggfunc="sum", fill_value=0
)
offices = offices.loc[offices.sum(axis=1).sort_values(ascending=False).index]
offices

# %%
fig, ax = plt.subplots(figsize=(9, 5))
for office, row in offices.iterrows():
    ax.plot([f"FY{c}" for c in offices.columns], row.values, marker="o", label=" / ".join(office))
ax.set_title("日本側の役職別の交流件数 / Exchanges per Japanese office")
ax.set_xlabel("年度 / Fiscal year")
ax.set_ylabel("件数 / Events")
ax.legend(title="役職 / Office", bbox_to_anchor=(1.02, 1), loc="upper left")
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(api.figure_path("02_offices"), dpi=120)
plt.show()

# %% [markdown]
# ## 3. 実施形態 / Mode: the shift to phone and video, and the return to in-person
#
# Named query `mode_share_by_year` (a mode is stated or assumed for meetings and
# visits; exercises and multilateral meetings have none). The document never prints
# "in person": an unmarked meeting is taken as one (flag `mode_assumed`), and the
# columns `stated` / `assumed` keep those guesses apart from the printed 電話 and VTC.

# %%
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

# %%
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

# %% [markdown]
# Month by month (inline SPARQL over `jdx:date`, a year-month or a full date): when did
# remote meetings take over, and when did in-person meetings come back for good?

# %%
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

# %% [markdown]
# ## 4. 最も伸びた相手国 / Partners that grew most, FY2019 → FY2022
#
# Named query `events_by_country_year` (high-level exchanges per counterpart and FY),
# then `new_partners` for the countries first met in FY2022.

# %%
hl = api.query("events_by_country_year")
partners = hl.pivot_table(
    index="label_en", columns="fy", values="events", aggfunc="sum", fill_value=0
)
partners["change"] = partners[2022] - partners[2019]
growth = partners.sort_values(["change", 2022], ascending=False)
growth.head(12)

# %%
top = growth.head(12).iloc[::-1]
y = range(len(top))
fig, ax = plt.subplots(figsize=(8, 6))
ax.barh([i + 0.2 for i in y], top[2019], height=0.4, color="#aab7b8", label="FY2019 (令和元年度)")
ax.barh([i - 0.2 for i in y], top[2022], height=0.4, color="#2e86c1", label="FY2022 (令和4年度)")
ax.set_yticks(
    list(y), [f"{name}  (+{d})" for name, d in zip(top.index, top["change"], strict=True)]
)
ax.set_title(
    "ハイレベル交流が最も増えた相手国\n"
    "Partners whose high-level exchanges grew most, FY2019 → FY2022"
)
ax.set_xlabel("ハイレベル交流の件数 / High-level exchanges")
ax.legend(loc="lower right")
fig.tight_layout()
fig.savefig(api.figure_path("02_growth"), dpi=120)
plt.show()

# %%
declined = partners.sort_values("change").head(5)
print("largest declines:", ", ".join(f"{n} ({d:+})" for n, d in declined["change"].items()))
new_2022 = api.query("new_partners", fy=2022)
new_2022

# %% [markdown]
# ## まとめ / Summary

# %%
minister = offices.loc["防衛大臣"].sum()
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
