"""Fixtures of the serve tests: a tiny graph whose texts are markup (payloads)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

JDXR = "https://w3id.org/jdx/id/"
JDX = "https://w3id.org/jdx/ontology#"
#: Texts that would run or break out of an attribute if a page wrote them as markup.
PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' onmouseover='x")


@pytest.fixture()
def payloads() -> tuple[str, ...]:
    return PAYLOADS


@pytest.fixture()
def payload_graph(tmp_path: Path) -> tuple[ox.Store, Path]:
    """A tiny graph in the build's shape: a country, an office, one event whose label, source
    text, block and flag are payloads, and a source document holding that text."""
    bad = " ".join(PAYLOADS)
    source = f"line one\n・{bad}(6月)\nline three\n"
    src = tmp_path / "source.txt"
    src.write_text(source, encoding="utf-8")
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    item = f"{bad}(6月)"
    start = source.split("\n")[1].index(item)
    nni = "<http://www.w3.org/2001/XMLSchema#integer>"  # as the build writes offsets
    wd = "<http://www.wikidata.org/entity/Q1>"
    nt = f"""
<{JDXR}country/XYZ> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{JDX}Country> .
<{JDXR}country/XYZ> <http://www.w3.org/2000/01/rdf-schema#label> {json.dumps(bad)}@en .
<{JDXR}country/XYZ> <http://www.w3.org/2000/01/rdf-schema#label> {json.dumps(bad)}@ja .
<{JDXR}country/XYZ> <http://www.w3.org/2004/02/skos/core#exactMatch> {wd} .
<{JDXR}event/e1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{JDX}HighLevelExchange> .
<{JDXR}event/e1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{JDX}Meeting> .
<{JDXR}event/e1> <http://www.w3.org/2000/01/rdf-schema#label> {json.dumps(item)}@ja .
<{JDXR}event/e1> <{JDX}counterpartCountry> <{JDXR}country/XYZ> .
<{JDXR}event/e1> <{JDX}indicator> <{JDXR}indicator/high_level> .
<{JDXR}event/e1> <{JDX}fiscalYear> <{JDXR}fy/2019> .
<{JDXR}event/e1> <{JDX}block> {json.dumps(bad)} .
<{JDXR}event/e1> <{JDX}qualityFlag> {json.dumps(PAYLOADS[1])} .
<{JDXR}event/e1> <{JDX}sourceText> {json.dumps(item)} .
<{JDXR}event/e1> <{JDX}sourceLine> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
<{JDXR}event/e1> <{JDX}sourceStart> "{start}"^^{nni} .
<{JDXR}event/e1> <{JDX}sourceEnd> "{start + len(item)}"^^{nni} .
<{JDXR}event/e1> <http://www.w3.org/ns/prov#wasDerivedFrom> <{JDXR}source/doc> .
<{JDXR}source/doc> <{JDX}sha256> "{sha}" .
<{JDXR}fy/2019> <http://www.w3.org/2000/01/rdf-schema#label> {json.dumps(bad)}@en .
"""
    path = tmp_path / "kg.nt"
    path.write_text(nt, encoding="utf-8")
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store, src
