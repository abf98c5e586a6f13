"""Rule tables under data/rules: section headings, header labels, source fixes, keywords."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .located import Located, fold


def default_data_dir() -> Path:
    """data/ of the repository (override with KG_DATA_DIR)."""
    env = os.environ.get("KG_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@dataclass(frozen=True)
class SectionRule:
    code: str
    pattern: re.Pattern[str]
    name_ja: str
    name_en: str


@dataclass(frozen=True)
class Fix:
    find: str
    replace: str
    flag: str
    note: str


@dataclass(frozen=True)
class AppliedFix:
    fix: Fix
    orig_start: int  # document offsets of the replaced text
    orig_end: int


@dataclass(frozen=True)
class Keyword:
    keyword: str
    field: str
    value: str


@dataclass(frozen=True)
class Rules:
    sections: tuple[SectionRule, ...]
    header_fields: dict[str, str]
    fixes: tuple[Fix, ...]
    keywords: tuple[Keyword, ...]

    def keywords_for(self, field: str) -> list[Keyword]:
        """Keywords of one field, longest first so that 電話会談 wins over 会談."""
        return sorted(
            (k for k in self.keywords if k.field == field),
            key=lambda k: (-len(k.keyword), k.keyword),
        )


def load_rules(data_dir: Path | None = None) -> Rules:
    d = (data_dir or default_data_dir()) / "rules"
    sections = tuple(
        SectionRule(r["code"], re.compile(r["pattern"]), r["name_ja"], r["name_en"])
        for r in read_csv(d / "sections.csv")
    )
    header = {fold(r["label"]): r["field"] for r in read_csv(d / "header_fields.csv")}
    fixes = tuple(
        Fix(fold(r["find"]), fold(r["replace"]), r["flag"], r["note"])
        for r in read_csv(d / "fixes.csv")
    )
    keywords = tuple(
        Keyword(fold(r["keyword"]), r["field"], r["value"]) for r in read_csv(d / "keywords.csv")
    )
    return Rules(sections, header, fixes, keywords)


def apply_fixes(loc: Located, fixes: tuple[Fix, ...]) -> tuple[Located, list[AppliedFix]]:
    """Replace each fix's text; replaced characters keep the offsets of what they replace."""
    applied: list[AppliedFix] = []
    for fix in fixes:
        while True:
            i = loc.text.find(fix.find)
            if i < 0 or not fix.find:
                break
            span = loc.pos[i : i + len(fix.find)]
            real = [p for p in span if p >= 0]
            o_start, o_end = (min(real), max(real) + 1) if real else (-1, -1)
            anchor = real[0] if real else -1
            new_pos = tuple(
                real[min(k, len(real) - 1)] if real else anchor for k in range(len(fix.replace))
            )
            loc = Located(
                loc.text[:i] + fix.replace + loc.text[i + len(fix.find) :],
                loc.pos[:i] + new_pos + loc.pos[i + len(fix.find) :],
            )
            applied.append(AppliedFix(fix, o_start, o_end))
    return loc, applied
