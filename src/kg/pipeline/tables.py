"""The three CSV tables of the contract, written byte-for-byte deterministically."""

from __future__ import annotations

import csv
import io

from kg.model.records import BudgetLine, Event, StudentFlow

EVENT_COLUMNS = [
    "id",
    "indicator",
    "fiscal_year",
    "block",
    "seq",
    "date",
    "jp_actor",
    "countries",
    "counterpart",
    "kind",
    "mode",
    "forum",
    "forum_edition",
    "location",
    "source_text",
    "source_line",
    "flags",
]
STUDENT_COLUMNS = ["fiscal_year", "direction", "country", "count"]
BUDGET_COLUMNS = ["item_no", "name", "fiscal_year", "budget", "executed", "review_no"]


def _opt(v: object) -> str:
    return "" if v is None else str(v)


def event_rows(events: list[Event]) -> list[list[str]]:
    return [
        [
            e.id,
            e.indicator,
            str(e.fiscal_year),
            e.block,
            str(e.seq),
            e.date,
            e.jp_actor,
            "|".join(e.countries),
            "|".join(e.counterpart_labels),
            e.kind,
            e.mode,
            e.forum_label,
            _opt(e.forum_edition),
            e.location_label,
            e.source_text,
            str(e.source_line),
            ";".join(e.flags),
        ]
        for e in events
    ]


def student_rows(flows: list[StudentFlow]) -> list[list[str]]:
    return [[str(f.fiscal_year), f.direction, f.country, str(f.count)] for f in flows]


def budget_rows(lines: list[BudgetLine]) -> list[list[str]]:
    return [
        [b.item_no, b.name, str(f.fiscal_year), _opt(f.budget), _opt(f.executed), b.review_no]
        for b in lines
        for f in b.figures
    ]


def to_csv(columns: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue()
