"""Markers of the appendix lists: FY intros (●令和N年度…), ● headings, 【blocks】, ・ bullets, ①."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.pipeline.located import Located

_MARKERS = re.compile(
    r"(?P<fy_intro>●\s*令和(?P<era>元|\d+)年度(?:においては|は)[^。\n]*。?)"
    r"|(?P<heading>●)"
    r"|(?P<block>【[^】\n]*】)"
    r"|(?P<bullet>(?:^|(?<=\s))・)"
    r"|(?P<numbered>(?:^|(?<=\s))[①-⑳])"
)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class Token:
    kind: str  # fy_intro | heading | block | bullet | numbered | text
    marker: str  # the marker text (block name, circled number, FY era …)
    body: Located  # text up to the next marker or line end, stripped
    newline_before: bool
    raw: str = ""  # the marker as printed (the whole sentence for an FY intro)
    at: int = -1  # offset of the marker in the document (-1 for text, or where unknown)


def tokenize(stream: Located) -> list[Token]:
    tokens: list[Token] = []
    for line in stream.split_at("\n"):
        first_in_line = True
        matches = list(_MARKERS.finditer(line.text))
        cut = matches[0].start() if matches else len(line.text)
        lead = line[:cut].strip()
        if lead.text:
            tokens.append(Token("text", "", lead, True))
            first_in_line = False
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line.text)
            body = line[m.end() : end].strip()
            kind = m.lastgroup or "text"
            if kind == "era":
                kind = "fy_intro"
            if m.group("fy_intro"):
                kind, marker = "fy_intro", m.group("era")
            elif kind == "block":
                marker = m.group("block")[1:-1]
            elif kind == "numbered":
                marker = str(CIRCLED.index(m.group("numbered").strip()) + 1)
            else:
                marker = m.group(0).strip()
            at = line.pos[m.start()] if m.start() < len(line.pos) else -1
            tokens.append(Token(kind, marker, body, first_in_line, m.group(0), at))
            first_in_line = False
    return tokens
