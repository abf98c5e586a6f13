"""Rule tables under data/rules: section headings, header labels, source fixes, keywords."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg import paths
from kg.paths import read_table as read_csv
from kg.pipeline.located import Located, fold


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
    d = (data_dir or paths.data_dir()) / "rules"
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
    """Replace each fix's text; replaced characters keep the offsets of what they replace.

    One pass per fix over the text (replacing one occurrence at a time copies the whole stream
    for each, which is quadratic on a large document).
    """
    applied: list[AppliedFix] = []
    for fix in fixes:
        if not fix.find or fix.find not in loc.text:
            continue
        texts: list[str] = []
        pos: list[int] = []
        last = 0
        for m in re.finditer(re.escape(fix.find), loc.text):
            i, j = m.start(), m.end()
            texts.append(loc.text[last:i])
            pos.extend(loc.pos[last:i])
            real = [p for p in loc.pos[i:j] if p >= 0]
            anchor = real[0] if real else -1
            texts.append(fix.replace)
            pos.extend(
                real[min(k, len(real) - 1)] if real else anchor for k in range(len(fix.replace))
            )
            applied.append(
                AppliedFix(fix, min(real) if real else -1, max(real) + 1 if real else -1)
            )
            last = j
        texts.append(loc.text[last:])
        pos.extend(loc.pos[last:])
        loc = Located("".join(texts), tuple(pos))
    return loc, applied
