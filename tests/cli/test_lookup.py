"""`kg lookup`: hits with their type, code, labels, IRI and page, in three formats."""

from __future__ import annotations

import csv
import io
import json

from kg import paths
from kg.cli import main


def kg(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def offices() -> list[dict[str, str]]:
    with (paths.data_dir() / "gazetteer" / "jp_offices.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_an_alias_finds_the_office_with_its_iri_and_page(capsys):
    code, out, _ = kg(capsys, "lookup", "統幕長", "--limit", "3")
    assert code == 0
    first = out.splitlines()[2]  # after the header and its rule
    assert "office" in first and "chief_joint_staff" in first and "exact" in first
    assert "jdxr:position/jp/chief_joint_staff" in first
    assert "/id/position/jp/chief_joint_staff" in first


def test_json_and_csv_carry_the_same_hits(capsys):
    code, out, _ = kg(capsys, "lookup", "Chief of Staff, Joint Staff", "-f", "json", "-n", "5")
    hits = json.loads(out)
    assert code == 0 and hits[0]["code"] == "chief_joint_staff" and hits[0]["score"] == 1.0
    assert hits[0]["page"] == "/id/" + hits[0]["iri"].split("/id/", 1)[1]
    code, out, _ = kg(capsys, "lookup", "Chief of Staff, Joint Staff", "-f", "csv", "-n", "5")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["iri"] for r in rows] == [h["iri"] for h in hits]


def test_a_type_alone_lists_every_value_a_parameter_takes(capsys):
    code, out, _ = kg(capsys, "lookup", "--type", "office", "-f", "json", "-n", "0")
    assert code == 0
    assert sorted(h["code"] for h in json.loads(out)) == sorted(r["slug"] for r in offices())


def test_nothing_to_look_up_is_an_error(capsys):
    code, _, err = kg(capsys, "lookup")
    assert code == 2 and "--type" in err
    code, _, err = kg(capsys, "lookup", "豪", "--type", "nation")
    assert code == 2 and "unknown type 'nation'" in err
