"""Read the source document: decode it, refuse what is not text, keep every line addressable."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import SourceError

__all__ = ["SourceDocument", "SourceError", "decode", "read_source"]


@dataclass(frozen=True)
class SourceDocument:
    path: str
    text: str
    sha256: str
    lines: tuple[str, ...] = field(repr=False)
    line_starts: tuple[int, ...] = field(repr=False)
    encoding: str = "utf-8"  # as read (UTF-16 with a BOM is read too)

    @property
    def line_count(self) -> int:
        return len(self.lines)

    @property
    def last_text_line(self) -> int:
        """The last line that holds text (where a truncated document stops)."""
        return max((i + 1 for i, line in enumerate(self.lines) if line.strip()), default=1)

    def line_of(self, offset: int) -> int:
        """1-based line number holding the character at ``offset``."""
        from bisect import bisect_right

        return bisect_right(self.line_starts, offset)


def _looks_like_utf16(data: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: it decodes as UTF-16 into lines of printable
    characters (a binary file practically never does)."""
    if len(data) % 2:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\n" in text and all(c.isprintable() or c in "\n\r\t" for c in text):
            return True
    return False


def decode(data: bytes, path: str = "<bytes>") -> SourceDocument:
    if not data.strip():
        raise SourceError(f"{path}: the file is empty (0 lines of text)")
    encoding = "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 byte-order mark: read it as such
        try:
            data = data.decode("utf-16").encode("utf-8")  # hashed as UTF-8: the same IRIs
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"{path}: starts as UTF-16 text (byte-order mark) but is not: {exc.reason} "
                f"at offset {exc.start}"
            ) from None
        encoding = "utf-16"
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        if _looks_like_utf16(data):
            raise SourceError(
                f"{path}:{line}: looks like UTF-16 text without a byte-order mark; "
                "save it as UTF-8 (or UTF-16 with a BOM)"
            )
        raise SourceError(f"{path}:{line}: binary data (NUL byte); expected UTF-8 text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = tuple(text.split("\n"))
    starts: list[int] = []
    pos = 0
    for text_line in lines:
        starts.append(pos)
        pos += len(text_line) + 1
    digest = hashlib.sha256(data).hexdigest()
    return SourceDocument(path, text, digest, lines, tuple(starts), encoding)


def read_source(path: str | Path) -> SourceDocument:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(f"{p}: cannot read ({exc.strerror})") from None
    return decode(data, str(p))
