"""The names the gazetteers give each resource: one reader for every search by name.

Each row of ``data/gazetteer/*.csv`` describes one resource: the one whose IRI ends with the row's
key and whose code is the key or whose label is one of the row's names. Its names are every
``name_*`` and ``title_*`` column and the ``|``-separated ``aliases``. ``kg lookup``
(kg.sparql.lookup) and the views' search (kg.viz.views) both read them here, so an alias added to
a table is found by both, and neither reads the tables in its own way.

The key is the first column, except in a table keyed by (``country``, ``title``) such as
positions.csv, whose rows describe offices (``position/AUS/chief_of_defence_force``): there the key
is the title, so a country never takes an office's alias (豪国防軍司令官's 国軍司令官 is not
Australia's).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg import paths

__all__ = ["RowNames", "row_names"]


@dataclass(frozen=True)
class RowNames:
    """One gazetteer row's names: ``key`` (the last segment of the described resource's IRI),
    ``names`` (``(name, lang)``: ``ja``/``en`` from the column's suffix, else ``""``) and
    ``aliases`` (no language)."""

    key: str
    names: tuple[tuple[str, str], ...]
    aliases: tuple[str, ...]


def row_names(data_dir: str | Path | None = None) -> tuple[RowNames, ...]:
    """Every gazetteer row with a key, in table then row order (data/ by default)."""
    folder = Path(data_dir) / "gazetteer" if data_dir is not None else None
    if folder is None or not folder.is_dir():
        folder = paths.data_dir() / "gazetteer"
    rows: list[RowNames] = []
    for table in sorted(folder.glob("*.csv")):
        for row in paths.read_table(table):
            cells = list(row.items())
            if not cells:
                continue
            by_title = cells[0][0] == "country" and bool(row.get("title"))
            key = row["title"] if by_title else cells[0][1]
            names = tuple(
                (v, c.rsplit("_", 1)[-1] if c.endswith(("_ja", "_en")) else "")
                for c, v in cells
                if c.startswith(("name_", "title_")) and v
            )
            aliases = tuple(a for a in row.get("aliases", "").split("|") if a)
            rows.append(RowNames(key, names, aliases))
    return tuple(rows)
