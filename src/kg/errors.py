"""One error hierarchy: every failure the library reports on purpose is a :class:`KgError`.

The CLI catches ``KgError`` once (kg.cli.main): it prints the message, with the file and line
where there is one, and exits 2, never with a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AssetError",
    "BuildError",
    "DataError",
    "KgError",
    "NotebookError",
    "QueryError",
    "ServeError",
    "SourceError",
    "StoreError",
    "ViewError",
]


class KgError(Exception):
    """Base of the project's errors; ``file`` and ``line`` locate the cause when known."""

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class AssetError(KgError):
    """A browser library a page inlines (an npm package pinned in package.json) is missing."""


class SourceError(KgError):
    """The source document cannot be read: missing, empty, binary, not UTF-8, truncated."""


class BuildError(KgError):
    """The document was read but the build found errors (a truncated document, a missing
    section): nothing was written over the last good build. ``issues`` holds each error."""

    def __init__(
        self,
        message: str,
        issues: list | None = None,
        *,
        file: str | Path | None = None,
        line: int | None = None,
    ):
        super().__init__(message, file=file, line=line)
        self.issues = list(issues or [])


class DataError(KgError):
    """A table under data/ (gazetteer, rules) is missing or malformed."""


class QueryError(KgError):
    """A query cannot be found, read, parameterized, parsed or run; the message says why."""


class ViewError(QueryError, ValueError):
    """An unknown view, filter value or export format: a KgError, so `kg viz` reports it in one
    line, and a ValueError, as it was before the error hierarchy."""


class StoreError(KgError):
    """The store cannot be built or opened (missing graph file, unreadable folder)."""


class ServeError(KgError):
    """The endpoint cannot start, or an external endpoint refused what was sent."""


class NotebookError(KgError):
    """A notebook cannot be built, executed or rendered (a failing cell, a missing extra)."""
