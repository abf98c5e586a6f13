"""kg publish (the thin command): its errors reach kg.cli.main's one handler (exit 2, one
line, no traceback), and nothing is written over a folder it did not write."""

from __future__ import annotations

from kg.cli import main


def test_publish_refuses_a_folder_it_did_not_write(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["publish", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: ") and "Traceback" not in err
    assert "not empty" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_publish_without_a_graph_says_to_build(tmp_path, capsys):
    assert main(["publish", "--out", str(tmp_path / "site"), "--data", str(tmp_path)]) == 2
    assert "kg build" in capsys.readouterr().err
