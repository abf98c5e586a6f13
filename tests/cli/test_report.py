"""`kg report --flags`: the flag glossary with each flag's count in the build."""

from __future__ import annotations

import json

from kg import paths
from kg.cli import main
from kg.model.flags import glossary


def test_report_flags_prints_every_glossary_row_with_its_count(capsys):
    code = main(["report", "--flags"])
    out, _ = capsys.readouterr()
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()[2:] if line.strip()}
    for row in glossary():
        assert row.flag in lines and row.kind in lines[row.flag]
        assert row.meaning_en[:30] in lines[row.flag]
    report = json.loads((paths.data_dir() / "quality.json").read_text(encoding="utf-8"))
    assert lines["multi_date"].split()[2] == str(report["flags"]["multi_date"])
    fy_rows = [f for f in report["flags"] if f.startswith("executed_not_stated_")]
    total = sum(report["flags"][f] for f in fy_rows)
    assert lines["executed_not_stated_{fy}"].split()[2] == str(total) and total > 0
