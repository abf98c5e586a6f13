"""The thin commands: what they hand to the library, and that its errors reach kg.cli.main's one
handler (`kg: error: …`, exit 2, no traceback) without a try/except of their own."""

from __future__ import annotations

import importlib.util
import shutil
import socket

import pytest

from kg import paths
from kg.cli import main
from kg.cli.viz import VIEWS
from kg.network import VIEWS as NETWORK_VIEWS

TRIPLE = '<https://w3id.org/jdx/id/a> <https://w3id.org/jdx/id/p> "1" .\n'


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("kg: error: ") and "Traceback" not in err
    return err


def test_viz_offers_the_views_the_library_has():
    assert VIEWS == NETWORK_VIEWS


@pytest.mark.parametrize(
    "content, message",
    [(None, "not found"), (TRIPLE + "<https://w3", "line 2"), (b"\xff\xfe\x00", "UTF-8")],
)
def test_validate_refuses_a_missing_or_broken_graph(tmp_path, capsys, content, message):
    f = tmp_path / "kg.nt"
    if isinstance(content, bytes):
        f.write_bytes(content)
    elif content is not None:
        f.write_text(content, encoding="utf-8")
    assert main(["validate", "--graph", str(f)]) == 2
    err = _error(capsys)
    assert str(f) in err and message in err


def test_validate_reads_turtle_by_its_suffix(tmp_path):
    from kg.check.validate import read_graph

    f = tmp_path / "g.ttl"
    f.write_text("@prefix j: <https://w3id.org/jdx/id/> .\nj:a j:p 1, 2 .\n", encoding="utf-8")
    assert len(read_graph(f)) == 2


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--workers", "0"], "must be positive"),
        (["--timeout", "-1"], "must be positive"),
        (["--port", "70000"], "port 70000"),
    ],
)
def test_serve_refuses_bad_settings_before_starting(tmp_path, capsys, argv, message):
    assert main(["serve", "--data", str(tmp_path), "--quiet", *argv]) == 2
    assert message in _error(capsys)


def test_serve_on_a_port_in_use_says_so(tmp_path, capsys):
    (tmp_path / "kg.nt").write_text(TRIPLE, encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = main(["serve", "--data", str(tmp_path), "--port", str(port), "--workers", "1"])
    assert code == 2
    assert f"cannot bind 127.0.0.1:{port}" in _error(capsys)


def test_docs_default_to_the_ontology_folder(tmp_path, monkeypatch, capsys):
    """Not the working directory's ontology/: the folder kg.paths says (KG_ONTOLOGY_DIR)."""
    if importlib.util.find_spec("pylode") is None:  # importing it needs kg.check.docs' stub
        pytest.skip("pyLODE is not installed (the docs extra)")
    shutil.copy(paths.ontology_dir() / "jdx.ttl", tmp_path / "jdx.ttl")
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path.parent)
    assert main(["docs"]) == 0
    assert f"wrote {tmp_path / 'jdx.html'}" in capsys.readouterr().out
    assert "HighLevelExchange" in (tmp_path / "jdx.html").read_text(encoding="utf-8")


def test_the_program_is_console_which_runs_main_and_freezes_what_is_left(monkeypatch, capsys):
    import gc
    import tomllib

    from kg.cli import console

    project = tomllib.loads((paths.REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["kg"] == "kg.cli:console"
    assert "console()" in (paths.REPO / "src" / "kg" / "__main__.py").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["kg", "query", "--nonsense-option"])
    with pytest.raises(SystemExit) as bad:  # argparse's own exit: main's, through console
        console()
    assert bad.value.code == 2 and "usage: kg" in capsys.readouterr().err
    monkeypatch.setattr("sys.argv", ["kg", "validate", "--graph", "/nonexistent/kg.nt"])
    gc.unfreeze()
    try:
        assert console() == 2 and "not found" in _error(capsys)
        assert gc.get_freeze_count() > 0  # left for the exit, not collected
    finally:
        gc.unfreeze()  # this process goes on
