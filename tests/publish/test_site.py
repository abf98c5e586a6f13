"""kg.publish.site: the folder holds a page (ja, en) and the RDF of every resource, its links
are relative and lead to files of the folder, it keeps its size budget, and the same graph
gives the same bytes."""

from __future__ import annotations

import csv
import filecmp
import re
import urllib.parse
from pathlib import Path

import pytest

from kg import paths
from kg.publish import site
from kg.publish.site import Published, PublishError, publish

JDXR = "https://w3id.org/jdx/id/"
SCRIPT = re.compile(r"(<script\b[^>]*>).*?</script>", re.S)  # keeps the tag (its src)
LINK = re.compile(r'(?:href|src)="([^"]*)"')


def minted(nt: Path) -> set[str]:
    """Every jdxr: IRI of the graph file, read from its text (not from kg.publish)."""
    found = set()
    for iri in re.findall(r"<(https://w3id\.org/jdx/id/[^>]+)>", nt.read_text(encoding="utf-8")):
        found.add(iri[len(JDXR) :])
    return found


def test_every_resource_has_its_pages_and_rdf(published: Published):
    locals_ = minted(paths.data_dir() / "kg.nt")
    assert len(locals_) > 1500
    files = set(published.files)
    for local in locals_:
        stem = "id/" + local
        for suffix in (".html", ".en.html", ".ttl", ".nt", ".jsonld"):
            assert stem + suffix in files, stem + suffix
    page = (published.out / "id/position/jp/chief_joint_staff.html").read_text(encoding="utf-8")
    assert "<h1>統合幕僚長</h1>" in page or ">統合幕僚長<" in page
    en = (published.out / "id/position/jp/chief_joint_staff.en.html").read_text(encoding="utf-8")
    assert 'lang="en"' in en and "Chief of Staff, Joint Staff" in en
    # the switch links the two files; the events' downloads are files beside the page
    assert 'href="chief_joint_staff.en.html"' in page
    assert 'href="chief_joint_staff.html"' in en
    dl = published.out / "id/position/jp/chief_joint_staff.events.csv"
    rows = list(csv.DictReader(dl.open(encoding="utf-8")))
    assert rows and all(r["event"].startswith(JDXR + "event/") for r in rows)


def test_the_index_counts_every_event_of_the_contract_table(published: Published):
    """The home page's total is the number of rows of data/events.csv (a different writer)."""
    with (paths.data_dir() / "events.csv").open(encoding="utf-8") as fh:
        events = {r["id"] for r in csv.DictReader(fh)}
    page = (published.out / "index.html").read_text(encoding="utf-8")
    total = re.search(r'<section id="counts"><h2>[^<]*\((\d+)\)</h2>', page)
    assert total is not None
    assert int(total.group(1)) == len(events)
    for kind in ("country", "office", "forum"):
        assert f'id="list-{kind}"' in page


def test_links_are_relative_and_lead_into_the_folder(published: Published):
    checked = 0
    for rel in published.files:
        if not rel.endswith(".html"):
            continue
        # the markup's links (an inlined library's code is not markup: Vega's has href="${…}")
        text = SCRIPT.sub(r"\1</script>", (published.out / rel).read_text(encoding="utf-8"))
        for href in LINK.findall(text):
            if href.startswith(("http://", "https://", "data:", "mailto:")):
                continue  # plain links out (Wikidata) and inline images: nothing fetched
            assert not href.startswith(("/", "file:")), (rel, href)
            path = urllib.parse.unquote(urllib.parse.urlsplit(href).path)
            if not path:  # "#anchor" or "?q"
                continue
            target = (published.out / rel).parent / path
            assert target.resolve().is_relative_to(published.out.resolve()), (rel, href)
            assert target.is_file(), (rel, href)
            checked += 1
    assert checked > 50_000
    # no page loads a script or style from outside the folder
    for rel in published.files:
        if rel.endswith(".html"):
            text = (published.out / rel).read_text(encoding="utf-8")
            assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?:', text), rel


def test_the_size_budget(published: Published):
    """README "Publishing": the folder under BUDGET_TOTAL, every entity page under BUDGET_PAGE."""
    assert published.total_bytes <= site.BUDGET_TOTAL
    name, size = published.largest()
    assert size <= site.BUDGET_PAGE, name


def test_the_same_graph_gives_the_same_bytes(published: Published, tmp_path: Path):
    again = publish(tmp_path / "again")
    assert again.files == published.files
    match, mismatch, errors = filecmp.cmpfiles(
        published.out, again.out, published.files, shallow=False
    )
    assert mismatch == [] and errors == []
    assert len(match) == len(published.files)
    # a second run over its own folder removes what it no longer writes
    (again.out / "id/country/stale.html").write_text("old", encoding="utf-8")
    (again.out / "gone").mkdir()
    (again.out / "gone/x.txt").write_text("old", encoding="utf-8")
    third = publish(again.out)
    assert third.files == published.files
    assert not (again.out / "id/country/stale.html").exists() and not (again.out / "gone").exists()


def test_a_folder_it_did_not_write_is_refused_and_its_own_is_replaced(tmp_path: Path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(PublishError, match="not empty"):
        publish(other)
    assert (other / "keep.txt").read_text() == "mine"
    with pytest.raises(PublishError, match="kg build"):
        publish(tmp_path / "x", data=tmp_path / "no-data")


def test_the_overview_is_written_in_both_languages_and_linked(published: Published):
    assert {"overview.html", "overview.en.html"} <= set(published.files)
    index = (published.out / "index.html").read_text(encoding="utf-8")
    assert 'href="overview.html"' in index
    # its marks link to the folder's own pages, relative (the folder can move)
    page = (published.out / "overview.html").read_text(encoding="utf-8")
    assert '"href":"id/country/AUS.html"' in page
