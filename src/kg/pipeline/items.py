"""Split a list of items at 、 outside parentheses and take one item apart into its groups."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.pipeline.located import Located

OPEN, CLOSE = "(", ")"


@dataclass(frozen=True)
class Group:
    """A top-level parenthesis of an item: its inner text and nesting as printed."""

    text: str  # without the outer parentheses
    start: int  # offset of "(" in the item text


@dataclass
class ItemShape:
    bare: str  # the item with every top-level parenthesis removed
    groups: list[Group] = field(default_factory=list)
    balanced: bool = True


def split_items(loc: Located, sep: str = "、") -> tuple[list[Located], bool]:
    """Split at ``sep`` outside parentheses.  Returns the parts and whether nesting balanced."""
    parts: list[Located] = []
    depth, last, balanced = 0, 0, True
    for i, ch in enumerate(loc.text):
        if ch == OPEN:
            depth += 1
        elif ch == CLOSE:
            depth -= 1
            if depth < 0:
                balanced, depth = False, 0
        elif ch == sep and depth == 0:
            parts.append(loc[last:i])
            last = i + 1
    parts.append(loc[last:])
    if depth != 0:
        balanced = False
    return parts, balanced


def unclosed_at(text: str) -> int | None:
    """Offset of the outermost "(" that is never closed, or None when every one is."""
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == OPEN:
            opened.append(i)
        elif ch == CLOSE and opened:
            opened.pop()
    return opened[0] if opened else None


def shape(text: str) -> ItemShape:
    """Separate the bare words of an item from its top-level parentheses."""
    bare: list[str] = []
    groups: list[Group] = []
    depth, start, balanced = 0, -1, True
    for i, ch in enumerate(text):
        if ch == OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch == CLOSE:
            if depth == 0:
                balanced = False
                continue
            depth -= 1
            if depth == 0:
                groups.append(Group(text[start + 1 : i], start))
        elif depth == 0:
            bare.append(ch)
    if depth > 0:
        balanced = False
        groups.append(Group(text[start + 1 :], start))
    return ItemShape("".join(bare).strip(), groups, balanced)
