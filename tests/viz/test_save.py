"""kg.viz.save: one view to one file, every failure a KgError (what `kg viz` runs)."""

from __future__ import annotations

import json

import pytest

from kg.errors import KgError, QueryError
from kg.network import ViewError
from kg.viz.save import default_name, save_view


def test_default_name_spells_out_the_filters():
    assert default_name("office_country") == "office_country"
    assert default_name("copresence", "2022", "aus", "high_level") == (
        "copresence_fy2022_AUS_high_level"
    )


def test_a_suffix_it_cannot_write_is_refused_before_the_graph_is_opened(tmp_path):
    # tmp_path holds no kg.nt: had the graph been opened first, this would be "not found".
    with pytest.raises(ViewError, match=r"\.txt: use \.html"):
        save_view("full", tmp_path / "v.txt", data_dir=tmp_path)


def test_no_built_graph_is_a_query_error(tmp_path):
    with pytest.raises(QueryError, match="kg.nt not found"):
        save_view("full", data_dir=tmp_path)


def test_an_unknown_filter_is_a_kg_error_and_a_value_error(tmp_path):
    with pytest.raises(ViewError, match="unknown country") as info:
        save_view("office_country", tmp_path / "v.html", country="XXX", with_metrics=False)
    assert isinstance(info.value, KgError) and isinstance(info.value, ValueError)


def test_export_by_suffix(tmp_path):
    out, G = save_view("office_country", tmp_path / "oc.json", fy=2022, with_metrics=False)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == G.number_of_nodes() > 5
    assert len(data["edges"]) == G.number_of_edges()
