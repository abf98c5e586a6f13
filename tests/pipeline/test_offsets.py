"""Every event keeps where its item sits on its line (Item.start/end, jdx:sourceStart/End)."""

from __future__ import annotations

from kg import paths


def _text_from(lines: list[str], line: int) -> str:
    return "\n".join(lines[line - 1 : line + 12])


def test_offsets_cut_the_verbatim_item_out_of_its_line(build):
    lines = (paths.data_dir() / "source.txt").read_text(encoding="utf-8").split("\n")
    exact = run_on = 0
    for e in build.events:
        assert 0 <= e.source_start < e.source_end, e.id
        got = _text_from(lines, e.source_line)[e.source_start : e.source_end]
        if "\n" not in got:
            assert got == e.source_text, (e.id, got)
            assert e.source_end <= len(lines[e.source_line - 1])
            exact += 1
        else:  # the item runs on past a page break: it starts and ends where the span does
            assert got[:6] == e.source_text[:6] and got[-3:] == e.source_text[-3:], (e.id, got)
            run_on += 1
    assert exact > 800 and run_on < 10


def test_the_events_of_a_multi_date_item_share_its_span(build):
    spans: dict[tuple[int, int, int], list[str]] = {}
    for e in build.events:
        spans.setdefault((e.source_line, e.source_start, e.source_end), []).append(e.source_text)
    multi = [e for e in build.events if "multi_date" in e.flags]
    assert multi
    for e in multi:  # the other dates of the item point at the same characters
        same = spans[(e.source_line, e.source_start, e.source_end)]
        assert len(same) >= 2 and set(same) == {e.source_text}, e.id


def test_the_graph_carries_the_offsets(kg_graph, build):
    from rdflib import URIRef

    from kg.model.vocab import JDX, JDXR

    e = build.events[0]
    iri = URIRef(JDXR + f"event/{e.id}")
    assert int(kg_graph.value(iri, JDX.sourceStart)) == e.source_start
    assert int(kg_graph.value(iri, JDX.sourceEnd)) == e.source_end
