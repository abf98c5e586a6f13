"""Page layout of the PDF text: sections, page-break headers, HTML remnants, split lines.

Turns the lines of one section into a single located stream in which page-break headers and
HTML tags are gone, a line cut by a page break is joined to its continuation, and every other
line break is a newline.  Every source line gets a role so that nothing goes unaccounted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.model.records import Issue
from kg.pipeline.located import Located, fold
from kg.pipeline.read import SourceDocument

TAG_RE = re.compile(r"<[^>]+>")
# One line of a vertical page header: "3", "年", "度", "（", "続", "き", "）".
_VERTICAL_CELL = re.compile(r"^\s*[0-9元年度()（）続き]{1,2}\s*$")
# A running header printed on its own: "2年度(続き)", "3年度", "4 年 度".
_RUNNING_HEADER = re.compile(r"^\s*(元|\d)\s*年\s*度\s*(\(\s*続\s*き\s*\))?\s*$")
_FY_LABEL_SEGMENT = re.compile(r"^\s*(元|\d)\s*年\s*度\s*$")
_SEPARATOR = re.compile(r"^[\s\-]*$")
CONTINUES = re.compile(r"^\s*[【●]")


@dataclass
class Stream:
    """A section's text as one located string, ready for tokenizing."""

    loc: Located
    fragment_starts: set[int] = field(default_factory=set)  # doc offsets of lines after a lost head
    joined_at: set[int] = field(default_factory=set)  # doc offsets where a page-split item resumes


def classify_layout(doc: SourceDocument, first: int, last: int, roles: dict[int, str]) -> None:
    """Mark blank lines, separator rows and page-break headers between ``first`` and ``last``."""
    n = first
    while n <= last:
        raw = doc.lines[n - 1]
        if not raw.strip():
            roles.setdefault(n, "blank")
            n += 1
            continue
        run = n
        while run <= last and _VERTICAL_CELL.match(doc.lines[run - 1]):
            run += 1
        if run - n >= 3:
            for k in range(n, run):
                roles[k] = "page_header"
            n = run
            continue
        if _RUNNING_HEADER.match(fold(raw)):
            roles[n] = "page_header"
        elif is_separator(raw):
            roles[n] = "separator"
        n += 1


def is_separator(raw: str) -> bool:
    """A row of dashes (a table rule printed as text)."""
    return bool(_SEPARATOR.match(raw.replace("\t", " "))) and "-" in raw


def line_located(doc: SourceDocument, n: int) -> Located:
    return Located.of(fold(doc.lines[n - 1]), doc.line_starts[n - 1])


def segments(loc: Located) -> list[Located]:
    """Pieces of a line between HTML tags, stripped, without FY labels printed as page furniture."""
    out = []
    for piece in loc.split_at(TAG_RE.pattern):
        piece = piece.strip()
        if piece.text and not _FY_LABEL_SEGMENT.match(piece.text):
            out.append(piece)
    return out


def incomplete(text: str) -> bool:
    """A line that stops inside an item: open parenthesis, or no closing date or period."""
    t = text.rstrip()
    if not t:
        return False
    if t.count("(") > t.count(")"):
        return True
    return not t.endswith((")", "。", "】"))


NEWLINE = Located("\n", (-1,))


def build_stream(
    doc: SourceDocument, lines: list[int], roles: dict[int, str], issues: list[Issue]
) -> Stream:
    """Join the content lines of a section into one stream (see module docstring)."""
    stream = Stream(Located.empty())
    parts: list[Located] = []
    prev_incomplete = False
    after_break = False
    for n in lines:
        role = roles.get(n)
        if role in ("blank", "separator", "page_header"):
            if role == "page_header":
                after_break = True
            continue
        segs = segments(line_located(doc, n))
        if not segs:
            roles.setdefault(n, "layout")
            continue
        roles.setdefault(n, "content")
        first = segs[0]
        starts_marker = bool(CONTINUES.match(first.text))
        if parts and prev_incomplete and not starts_marker:
            stream.joined_at.add(first.start)
            issues.append(
                Issue(
                    n, "info", "page_join", "item continued from the previous page", first.text[:30]
                )
            )
        elif parts:
            parts.append(NEWLINE)
            if after_break and not starts_marker:
                stream.fragment_starts.add(first.start)
        for i, seg in enumerate(segs):
            if i:
                parts.append(NEWLINE)
            parts.append(seg)
        prev_incomplete = incomplete(segs[-1].text)
        after_break = False
    # One join: adding the pieces one by one copies the stream each time (quadratic).
    stream.loc = Located("".join(p.text for p in parts), tuple(x for p in parts for x in p.pos))
    return stream
