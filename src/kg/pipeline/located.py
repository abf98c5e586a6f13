"""Text that remembers where each character came from, so that every record keeps its line."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Same-length folding of full-width forms: parsing sees one spelling, offsets stay valid.
_FOLD = str.maketrans(
    "（）［］０１２３４５６７８９　：，＋／－ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
    "()[]0123456789 :,+/-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
)


def fold(text: str) -> str:
    """Fold full-width parentheses, digits, spaces and letters to ASCII, keeping length."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Located:
    """A string plus, for each character, its offset in the source document."""

    text: str
    pos: tuple[int, ...]

    def __post_init__(self) -> None:
        assert len(self.text) == len(self.pos)

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, key: slice) -> Located:
        return Located(self.text[key], self.pos[key])

    def __add__(self, other: Located) -> Located:
        return Located(self.text + other.text, self.pos + other.pos)

    @property
    def start(self) -> int:
        return self.pos[0] if self.pos else -1

    def strip(self, chars: str | None = None) -> Located:
        s = self.text
        lead = len(s) - len(s.lstrip(chars))
        trail = len(s.rstrip(chars))
        return self[lead:trail] if trail > lead else self[0:0]

    def split_at(self, pattern: str) -> list[Located]:
        """Split where ``pattern`` matches; the matches are dropped."""
        out, last = [], 0
        for m in re.finditer(pattern, self.text):
            out.append(self[last : m.start()])
            last = m.end()
        out.append(self[last:])
        return out

    @staticmethod
    def of(text: str, start: int) -> Located:
        return Located(text, tuple(range(start, start + len(text))))

    @staticmethod
    def empty() -> Located:
        return Located("", ())
