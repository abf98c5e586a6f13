"""A small analyst API: the few calls the notebooks (and a Python user) need.

Everything here is a thin, documented layer over the package's public modules
(:mod:`kg.sparql`, :mod:`kg.network`, :mod:`kg.viz`); nothing re-implements them.

>>> from kg import api
>>> g = api.load_graph()                          # the graph `kg build` wrote (data/)
>>> api.query("mode_share_by_year").head(3)       # a named query as a pandas DataFrame
>>> api.query("country_timeline", country="AUS")  # with a parameter (or country="豪")
>>> api.lookup("統幕長")                          # find a thing by name: IRI, type, code
>>> api.holders("minister", date="2021-01")       # who held an office then (岸信夫)
>>> api.meetings("岸信夫")                        # the events a person took part in
>>> api.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?e jdx:indicator ?i }")  # SPARQL inline
>>> G = api.network("office_country", fy=2022)    # a networkx view of the graph
>>> api.show("country_forum", fy=2022)            # an interactive pyvis view, inline
>>> api.use_japanese_font()                       # matplotlib draws Japanese labels
>>> fig.savefig(api.figure_path("02_mode_share")) # where notebooks save their PNGs

The graph is loaded once per backend and data folder and then reused, so the calls
above do not re-read the data.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import paths

if TYPE_CHECKING:  # imported lazily: `import kg.api` stays cheap
    import networkx as nx
    import pandas as pd
    import rdflib
    from IPython.display import HTML

__all__ = [
    "JAPANESE_FONT",
    "build",
    "figure_path",
    "holders",
    "load_graph",
    "load_ontology",
    "lookup",
    "meetings",
    "metrics",
    "network",
    "network_change",
    "publish",
    "queries",
    "query",
    "query_text",
    "show",
    "sparql",
    "use_japanese_font",
]

#: The font family :func:`use_japanese_font` selects (Debian package ``fonts-noto-cjk``,
#: installed by ``./setup.sh``).
JAPANESE_FONT = "Noto Sans CJK JP"


# --------------------------------------------------------------------------------------
#  The graph
# --------------------------------------------------------------------------------------


def build(quiet: bool = True) -> int:
    """Run the main job (:func:`kg.build`: extract, normalize, write ``data/`` and the graph);
    return 0, or 1 when the build reported an error.

    The committed ``data/`` already equals a fresh build, so this is only needed after the
    source, gazetteers or rules change. :func:`load_graph` calls it when the graph is missing.
    ``quiet=False`` prints the quality report.

    >>> api.build()
    0
    """
    from kg.job import build as run_build

    summary = run_build()
    if not quiet:
        print(summary.report_text())
    _load.cache_clear()
    return 0 if summary.ok else 1


def publish(out: str | Path, data_dir: str | Path | None = None) -> Path:
    """Write the graph as a static site to the folder ``out`` (:func:`kg.publish.site.publish`,
    what ``kg publish --out`` runs): entity pages, search, views, downloads and a SPARQL page
    that runs in the browser. Returns the folder; open its ``index.html``.

    >>> api.publish("site")
    PosixPath('site')
    """
    from kg.publish.site import publish as run_publish

    return run_publish(out, data=data_dir).out


def load_graph(backend: str = "store-memory", data_dir: str | Path | None = None) -> rdflib.Graph:
    """Return the knowledge graph as an :class:`rdflib.Graph`, loaded once and then reused.

    ``backend`` is passed to :func:`kg.sparql.run.open_graph`: ``"store-memory"`` (default: the
    Oxigraph engine with the graph held in memory, the fastest for the many queries of a
    notebook), ``"store"`` (the on-disk Oxigraph store, opens at once even for a very large
    graph) or ``"memory"`` (rdflib's own engine). ``data_dir`` defaults
    to the repository's ``data/``. When the built graph is missing (``data/kg.nt``), the
    build runs first, so a fresh clone works without a separate step.

    >>> g = api.load_graph()
    >>> len(g) > 10_000
    True
    """
    return _load(backend, str(data_dir) if data_dir is not None else None)


@cache
def _load(backend: str, data_dir: str | None) -> rdflib.Graph:
    from kg import paths
    from kg.sparql.run import open_graph

    folder = Path(data_dir) if data_dir else paths.data_dir()
    if not (folder / "kg.nt").exists() and data_dir is None:
        build()
    return open_graph(backend, data_dir=folder)


def load_ontology() -> rdflib.Graph:
    """Return the ontology (``ontology/jdx.ttl``: classes, properties, labels) as a graph.

    The data graph holds instances only; query this graph for the vocabulary itself.

    >>> onto = api.load_ontology()
    >>> api.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }", graph=onto)
    """
    return _load_ontology()


@cache
def _load_ontology() -> rdflib.Graph:
    import rdflib

    from kg import paths

    g = rdflib.Graph()
    g.parse(paths.ontology_dir() / "jdx.ttl", format="turtle")
    return g


# --------------------------------------------------------------------------------------
#  Queries
# --------------------------------------------------------------------------------------


def queries() -> pd.DataFrame:
    """List the named queries (``queries/*.rq``): name, question (ja/en), parameters, columns.

    >>> api.queries()[["name", "question_en"]]
    """
    import pandas as pd

    from kg.sparql.catalogue import list_queries

    rows = [
        {
            "name": q.name,
            "question_ja": q.question_ja,
            "question_en": q.question_en,
            "params": ", ".join(q.params),
            "variables": " ".join(f"?{v}" for v in q.variables),
        }
        for q in list_queries()
    ]
    return pd.DataFrame(rows, columns=["name", "question_ja", "question_en", "params", "variables"])


def query_text(name: str) -> str:
    """Return the SPARQL text of the named query ``name`` (to read, copy or adapt).

    >>> print(api.query_text("mode_share_by_year"))
    """
    return _named(name).text


def _named(name: str):
    from kg.sparql.catalogue import get_query

    return get_query(name)  # QueryError naming the known queries when there is none


def query(name: str, graph: rdflib.Graph | None = None, **params: Any) -> pd.DataFrame:
    """Run the named query ``queries/<name>.rq`` and return its rows as a DataFrame.

    Parameters are given as keywords (values are turned into strings and checked against
    the parameter's kind); the columns are the query's variables, in the contract's order,
    holding plain values (str, int, float; None where unbound). An unknown name or a bad
    parameter raises :class:`kg.errors.QueryError` saying why. The question the query
    answers is kept in ``df.attrs["question_ja"]`` and ``df.attrs["question_en"]``, its caveats
    (the query's ``# note:``, e.g. units, what "first" means) in ``df.attrs["note"]``.

    >>> api.query("events_by_actor_year").columns.tolist()
    ['actor', 'label_ja', 'fy', 'events']
    >>> api.query("actor_counterparts", actor="minister").head()
    """
    named = _named(name)
    df = _run(named, params, graph)
    df.attrs.update(
        name=named.name,
        question_ja=named.question_ja,
        question_en=named.question_en,
        note=named.note,
    )
    return df


def holders(
    office: str, date: str | None = None, graph: rdflib.Graph | None = None
) -> pd.DataFrame:
    """Who held a Japanese office (a code such as ``minister`` or a name such as 防衛大臣),
    from when to when, with each bound's precision: the named query ``holders_of``. Given a
    ``date`` (YYYY-MM-DD, or a month YYYY-MM), only the holders who may have held it then (both
    in a handover month; two for the two-seat 防衛大臣政務官). The holders and the pages that
    confirm them are data/gazetteer/office_holders.csv.

    >>> api.holders("minister", date="2021-01").name_ja.tolist()
    ['岸信夫']
    """
    params = {"office": office} | ({"date": date} if date else {})
    return query("holders_of", graph=graph, **params)


def meetings(person: str, graph: rdflib.Graph | None = None) -> pd.DataFrame:
    """The events a person took part in for Japan, in date order (the named query
    ``meetings_by_person``): ``person`` is a name (岸信夫, Kishi Nobuo) or an IRI
    (``jdxr:person/kishi_nobuo``); ``certain`` is False where the person is one of the
    candidates of a handover month (the event carries the flag ``holder_ambiguous``).

    >>> api.meetings("岸信夫").groupby("fy").size()
    """
    return query("meetings_by_person", graph=graph, person=person)


def sparql(text: str, graph: rdflib.Graph | None = None, **params: Any) -> pd.DataFrame:
    """Run SPARQL text (a SELECT) on the graph and return its rows as a DataFrame.

    For questions no named query answers. The project's prefixes (``jdx:``, ``jdxr:``,
    ``rdfs:``, ``skos:`` …) are known to :func:`kg.sparql.run.run_query`, so the text can use
    them without ``PREFIX`` lines.

    >>> api.sparql("SELECT ?c ?label WHERE { ?c a jdx:Country ; rdfs:label ?label }")
    """
    return _run(text, params, graph)


def _run(q, params: dict[str, Any], graph) -> pd.DataFrame:
    from kg.sparql.run import run_query

    str_params = {k: str(v) for k, v in params.items()} or None
    g = graph if graph is not None else load_graph()
    result = run_query(q, str_params, graph=g)
    if not result.rows and str_params and not isinstance(q, str):  # a value naming nothing?
        from kg.errors import QueryError
        from kg.sparql.lookup import unknown_values

        problems = unknown_values(q, str_params, g)
        if problems:
            raise QueryError("; ".join(problems))
    return result.to_dataframe()


def lookup(
    text: str = "",
    type: str | list[str] | None = None,  # noqa: A002 -- the word the CLI uses (--type)
    lang: str | None = None,
    limit: int | None = 20,
    graph: rdflib.Graph | None = None,
) -> pd.DataFrame:
    """Find resources by name (labels, aliases, codes; ja or en; parts of names), best first.

    One row per hit: ``iri``, ``type`` (office, country, forum, edition, event … of
    ``data/types.csv``), ``label_ja``, ``label_en``, ``code`` (what a query parameter takes),
    ``score`` (1.0 exact; prefix 0.8-0.95; substring 0.6-0.75; bigram overlap below 0.5),
    ``level``, ``matched`` (the name that matched) and ``page`` (its page in kg serve).
    ``type`` restricts the hits (a type or a list), ``lang`` the names matched ("ja", "en");
    ``text`` left empty lists every resource of ``type``. See :func:`kg.sparql.lookup.lookup`.

    >>> api.lookup("統合幕僚長").iloc[0][["code", "type", "level"]].tolist()
    ['chief_joint_staff', 'office', 'exact']
    >>> api.lookup("Philippines", type="country").code.tolist()
    ['PHL']
    """
    import pandas as pd

    from kg.sparql.lookup import names

    g = graph if graph is not None else load_graph()
    hits = names(g).search(text, type, lang, limit)
    columns = ["iri", "type", "label_ja", "label_en", "code", "score", "level", "matched", "page"]
    return pd.DataFrame([h.as_dict() for h in hits], columns=columns)


# --------------------------------------------------------------------------------------
#  Networks
# --------------------------------------------------------------------------------------


def network(
    view: str,
    fy: int | str | None = None,
    indicator: str | None = None,
    country: str | None = None,
    graph: rdflib.Graph | None = None,
) -> nx.Graph:
    """Return a networkx view of the graph (see :func:`kg.network.projection`).

    Views: ``office_country`` (Japanese office — counterpart country), ``country_forum``
    (country — forum it attended), ``copresence`` (countries met at the same event),
    ``country_channel`` (country — indicator), ``person_country`` (the Japanese office
    holder — the countries of their events, confirmed and candidate links apart; see
    docs/holders.md), ``full`` (every resource and link).
    ``fy`` (e.g. ``2022``), ``indicator`` (e.g. ``"high_level"``) and ``country`` (ISO3)
    restrict the events the view is built from.

    >>> G = api.network("office_country", fy=2022)
    >>> G.number_of_nodes() > 0
    True
    """
    from kg.network import projection

    g = graph if graph is not None else load_graph()
    return projection(g, view, fy=fy, indicator=indicator, country=country)


def show(
    view_or_graph: str | nx.Graph,
    title: str | None = None,
    graph: rdflib.Graph | None = None,
    **filters: Any,
) -> HTML:
    """Return an interactive pyvis view as an ``IPython.display.HTML`` object.

    Give a view name (with the filters :func:`network` takes) or a networkx graph; the
    title defaults to the view's bilingual title. The page is built with ``notebook=True``
    (a sandboxed ``<iframe srcdoc>``) and returned for display, which renders in JupyterLab
    and VS Code alike (``pyvis``'s own ``net.show()`` does not).

    >>> api.show("office_country", fy=2020)            # last expression of a cell: displayed
    >>> api.show(api.network("copresence"), title="Co-presence")
    """
    from IPython.display import HTML

    from kg.viz.views import view_html

    if isinstance(view_or_graph, str):
        G = network(view_or_graph, graph=graph, **filters)
    else:
        if filters:
            raise TypeError("filters apply to a view name, not to a networkx graph")
        G = view_or_graph
    # the view's own bilingual title, with its filters ("… / … (FY2022)")
    title = title or G.graph.get("title") or G.graph.get("name") or "network"
    # view_html(notebook=True) is a sandboxed <iframe srcdoc>; the <div> keeps IPython from
    # warning "Consider using IPython.display.IFrame" (an IFrame would need a URL).
    return HTML(f"<div>{view_html(G, title, notebook=True)}</div>")


def metrics(view_or_graph: str | nx.Graph, **filters: Any) -> pd.DataFrame:
    """Node metrics of a view (or a networkx graph) as a DataFrame, by weighted degree.

    Columns: ``node`` (IRI), ``label_ja``, ``label_en``, ``type``, ``weighted_degree``
    (events), ``degree`` (distinct neighbours), ``betweenness`` (normalized, distance =
    1 / weight) and ``community`` (Louvain, fixed seed; 0 = largest), as computed by
    :func:`kg.network.metrics`. ``df.attrs`` holds ``modularity`` and ``communities``.

    >>> api.metrics("copresence", fy=2022).head()
    """
    import pandas as pd

    from kg.network import metrics as node_metrics

    G = network(view_or_graph, **filters) if isinstance(view_or_graph, str) else view_or_graph
    if filters and not isinstance(view_or_graph, str):
        raise TypeError("filters apply to a view name, not to a networkx graph")
    m = node_metrics(G)
    rows = [
        {
            "node": n,
            "label_ja": G.nodes[n].get("label_ja", ""),
            "label_en": G.nodes[n].get("label_en", ""),
            "type": G.nodes[n].get("type", ""),
            **vals,
        }
        for n, vals in m["nodes"].items()
    ]
    columns = ["node", "label_ja", "label_en", "type", "weighted_degree", "degree"]
    columns += ["betweenness", "community"]
    df = pd.DataFrame(rows, columns=columns)
    df = df.sort_values(["weighted_degree", "node"], ascending=[False, True], ignore_index=True)
    df.attrs.update(modularity=m["modularity"], communities=len(m["communities"]))
    return df


def network_change(
    view: str,
    fy_a: int | str,
    fy_b: int | str,
    indicator: str | None = None,
    country: str | None = None,
    graph: rdflib.Graph | None = None,
) -> pd.DataFrame:
    """How each node's metrics changed between two fiscal years (see
    :func:`kg.network.metrics_change`): one row per node, ``*_a`` / ``*_b`` / ``*_change``
    columns, largest weighted-degree change first; ``df.attrs`` keeps the modularities.

    >>> api.network_change("office_country", 2019, 2022).head()
    """
    from kg.network import metrics_change

    g = graph if graph is not None else load_graph()
    return metrics_change(g, view, fy_a, fy_b, indicator=indicator, country=country)


# --------------------------------------------------------------------------------------
#  Plots
# --------------------------------------------------------------------------------------


def use_japanese_font(family: str = JAPANESE_FONT) -> str:
    """Make matplotlib draw with a CJK font so Japanese labels never show as empty boxes.

    Looks the font up through :mod:`matplotlib.font_manager` (registering the system's
    Noto CJK files if matplotlib's cache predates their installation), checks that it has
    glyphs for Japanese, and sets it as the default family. Returns the path of the font
    file. Raises :class:`RuntimeError` when no such font is installed (``./setup.sh``
    installs ``fonts-noto-cjk``).

    >>> api.use_japanese_font()
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
    """
    import matplotlib as mpl
    from matplotlib import font_manager as fm

    path = _find_font(family)
    if path is None:
        for file in fm.findSystemFonts():
            if "notosanscjk" in Path(file).name.lower().replace("-", ""):
                fm.fontManager.addfont(file)
        path = _find_font(family)
    if path is None:
        raise RuntimeError(
            f"no {family!r} font found by matplotlib; install it with ./setup.sh "
            "(apt-get install fonts-noto-cjk), then restart the kernel"
        )
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    missing = [ch for ch in "防衛交流日本語" if font.get_char_index(ord(ch)) == 0]
    if missing:
        raise RuntimeError(f"font {path} has no glyph for {''.join(missing)!r}")
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [family, *mpl.rcParams["font.sans-serif"]]
    mpl.rcParams["axes.unicode_minus"] = False
    return path


def _find_font(family: str) -> str | None:
    from matplotlib import font_manager as fm

    for entry in fm.fontManager.ttflist:
        if entry.name == family and entry.style == "normal" and entry.weight in (400, "normal"):
            return entry.fname
    for entry in fm.fontManager.ttflist:
        if entry.name == family:
            return entry.fname
    return None


def figure_path(name: str) -> Path:
    """Return the path a notebook saves a figure to, creating its folder.

    Figures go to ``data/notebooks/figures/`` in the repository (git-ignored; beside the
    notebooks' HTML copies that ``kg notebooks`` writes), or to ``$KG_FIGURE_DIR`` when set.
    ``.png`` is added when ``name`` has no suffix.

    >>> fig.savefig(api.figure_path("02_mode_share"), dpi=120, bbox_inches="tight")
    """
    env = os.environ.get("KG_FIGURE_DIR")
    if env:
        folder = Path(env)
    elif (paths.REPO / "pyproject.toml").exists():
        from kg.notebooks import figure_dir

        folder = figure_dir()
    else:  # installed without the repository: next to the notebook
        folder = Path.cwd() / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    return path if path.suffix else path.with_suffix(".png")
