"""The build's first half: source -> records -> normalized events, and the report on them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg import paths
from kg.model.records import Event, Extraction, Issue, StudentFlow
from kg.pipeline.extract import extract
from kg.pipeline.gazetteer import Gazetteer, load_gazetteer
from kg.pipeline.holders import Holders, load_holders, resolve_events
from kg.pipeline.normalize import normalize
from kg.pipeline.quality import quality_report
from kg.pipeline.read import SourceDocument, read_source
from kg.pipeline.rules import Rules, load_rules


@dataclass
class BuildResult:
    doc: SourceDocument
    extraction: Extraction
    events: list[Event]
    students: list[StudentFlow]
    issues: list[Issue]
    gazetteer: Gazetteer
    rules: Rules
    holders: Holders | None = None  # who held each office; None when built without

    @property
    def report(self) -> dict:
        return quality_report(self.extraction, self.events, self.students, self.issues)


def run(source: str | Path | None = None, data_dir: Path | None = None) -> BuildResult:
    """Read and normalize one document (raises SourceError on unreadable input)."""
    data_dir = data_dir or paths.data_dir()
    doc = read_source(source or data_dir / "source.txt")
    rules = load_rules(data_dir)
    gz = load_gazetteer(data_dir)
    ex = extract(doc, rules)
    nz = normalize(ex, gz, rules)
    issues = sorted(ex.issues + nz.issues, key=lambda i: (i.line, i.code, i.text, i.message))
    offices = set(gz.jp_offices) | {f"{c}/{t}" for c in gz.countries for t in gz.titles}
    holders = resolve_events(
        nz.events, load_holders(data_dir, offices), rules.keywords_for("implied_counterpart")
    )
    return BuildResult(doc, ex, nz.events, nz.students, issues, gz, rules, holders)
