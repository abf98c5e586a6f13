"""kg.model.gazetteer_names: the one reader of the gazetteers' names and aliases."""

from __future__ import annotations

from kg.model.gazetteer_names import row_names


def test_a_position_row_is_keyed_by_its_title_not_its_country():
    # positions.csv: AUS,chief_of_defence_force,…,国軍司令官 (FY2019 prints 国軍司令官訪日)
    rows = [r for r in row_names() if "国軍司令官" in r.aliases]
    assert [r.key for r in rows] == ["chief_of_defence_force"]
    assert ("Chief of the Defence Force (Australia)", "en") in rows[0].names


def test_a_country_row_carries_its_names_and_aliases():
    aus = next(r for r in row_names() if r.key == "AUS")
    assert ("オーストラリア", "ja") in aus.names and ("Australia", "en") in aus.names
    assert "国軍司令官" not in aus.aliases


def test_the_lookup_gives_a_country_no_office_alias(kg_graph):
    # 国軍司令官 names Australia's Chief of the Defence Force, never Australia itself.
    from kg.sparql.lookup import lookup

    hits = lookup("国軍司令官", graph=kg_graph, limit=None)
    assert hits and all("/country/" not in h.iri for h in hits)
    assert any(h.iri.endswith("/position/aus/chief_of_defence_force") for h in hits)
