"""The graph files (kg.formats.gexf, graphml, node_link, graph_data): written from plain data,
without networkx, escaped, typed, and read back by networkx's own readers."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from kg.errors import ViewError
from kg.formats.graph_data import GraphData, write_files


def _data() -> GraphData:
    """Two nodes and an edge, with markup and a line break in the texts."""
    return GraphData(
        graph={"name": "t <&>"},
        nodes=[
            ("a", {"label": 'A "1" <b>', "count": 2, "share": 0.5, "hub": True}),
            ("b&c", {"label": "B\nC", "count": 1, "share": 1.5, "hub": False}),
        ],
        edges=[("a", "b&c", None, {"weight": 3, "kind": "x<y"})],
        directed=False,
        multigraph=False,
        viz=[
            {"color": {"r": 1, "g": 2, "b": 3, "a": 1.0}, "size": 5.0},
            {"color": {"r": 4, "g": 5, "b": 6, "a": 1.0}, "size": 7.0},
        ],
    )


def test_the_files_read_back_with_their_texts_and_types(tmp_path):
    gexf, graphml, js = write_files(
        _data(), [tmp_path / f"g{s}" for s in (".gexf", ".graphml", ".json")]
    )
    for path in (gexf, graphml):
        ET.parse(path)  # well-formed despite the markup in the labels
    G = nx.read_graphml(graphml)
    assert G.nodes["a"]["label"] == 'A "1" <b>' and G.nodes["b&c"]["label"] == "B\nC"
    assert G.nodes["a"]["count"] == 2 and G.nodes["a"]["hub"] is True
    assert G["a"]["b&c"]["kind"] == "x<y" and G.graph["name"] == "t <&>"
    X = nx.read_gexf(gexf)
    assert X.nodes["a"]["label"] == 'A "1" <b>' and X.nodes["b&c"]["share"] == 1.5
    assert X.nodes["a"]["viz"]["color"] == {"r": 1, "g": 2, "b": 3, "a": 1.0}
    assert X["a"]["b&c"]["weight"] == 3
    J = nx.node_link_graph(json.loads(js.read_text(encoding="utf-8")), edges="edges")
    assert dict(J.nodes(data=True)) == dict(_data().nodes)


def test_an_unknown_suffix_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ViewError, match=r"g\.png: export to \.gexf, \.graphml or \.json"):
        write_files(_data(), [tmp_path / "g.gexf", tmp_path / "g.png"])
    assert not list(tmp_path.iterdir())


def test_the_writers_need_no_networkx(tmp_path):
    """kg build writes the full view's files in the process that never imports networkx."""
    code = (
        "import sys, pickle; from kg.formats.graph_data import write_files; "
        "data = pickle.loads(sys.stdin.buffer.read()); "
        "write_files(data, [sys.argv[1] + s for s in ('.gexf', '.graphml', '.json')]); "
        "print('networkx' in sys.modules)"
    )
    import pickle

    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "g")],
        input=pickle.dumps(_data()),
        capture_output=True,
        check=True,
    )
    assert done.stdout.split() == [b"False"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.gexf", "g.graphml", "g.json"]
