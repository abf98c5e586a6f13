"""kg.model.flags: every flag the build puts on a record has a glossary row (data/flags.csv)."""

from __future__ import annotations

import csv
import json

import pytest

from kg import paths
from kg.errors import DataError
from kg.model.flags import KINDS, describe, glossary


def flags_in_table(name: str) -> set[str]:
    with (paths.data_dir() / name).open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if "flags" not in (reader.fieldnames or []):
            return set()
        return {f for row in reader for f in row["flags"].split(";") if f}


def test_every_flag_of_the_tables_the_graph_and_the_report_has_a_row(kg_graph):
    from rdflib import URIRef

    seen = set()
    for table in ("events.csv", "students.csv", "budget.csv"):
        seen |= flags_in_table(table)
    prop = URIRef("https://w3id.org/jdx/ontology#qualityFlag")
    in_graph = {str(o) for o in kg_graph.objects(None, prop)}
    report = json.loads((paths.data_dir() / "quality.json").read_text(encoding="utf-8"))
    assert seen and in_graph and seen <= in_graph  # the graph also flags budget and students
    seen |= in_graph | set(report["flags"])
    with (paths.data_dir() / "rules" / "fixes.csv").open(encoding="utf-8") as fh:
        seen |= {r["flag"] for r in csv.DictReader(fh)}  # the flags the source fixes set
    missing = sorted(f for f in seen if describe(f) is None)
    assert missing == []


def test_rows_are_complete_and_of_a_known_kind():
    rows = glossary()
    assert len({r.flag for r in rows}) == len(rows)
    for r in rows:
        assert r.kind in KINDS and r.meaning_ja and r.meaning_en
    assert {r.kind for r in rows} == set(KINDS)


def test_a_flag_with_a_fiscal_year_is_described_with_it():
    d = describe("executed_not_stated_2022")
    assert d is not None and d.row == "executed_not_stated_{fy}"
    assert "2022" in d.meaning_en and "2022" in d.meaning_ja and "{fy}" not in d.meaning_en
    assert describe("executed_not_stated_") is None and describe("executed_not_stated_22") is None


def test_a_broken_glossary_is_a_data_error(tmp_path):
    bad = tmp_path / "flags.csv"
    bad.write_text("flag,kind,meaning_ja,meaning_en\nx,maybe,意味,meaning\n", encoding="utf-8")
    with pytest.raises(DataError, match="kind must be one of") as err:
        glossary(bad)
    assert err.value.line == 2


def test_the_examples_of_the_docs_hold():
    import doctest

    from kg.model import flags

    assert doctest.testmod(flags).failed == 0
