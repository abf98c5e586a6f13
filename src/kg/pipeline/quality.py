"""Accounting: per section and FY, items seen, records made and items flagged; data/quality.json."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from kg.model.records import Event, Extraction, Issue, StudentFlow


def quality_report(
    ex: Extraction, events: list[Event], students: list[StudentFlow], issues: list[Issue]
) -> dict:
    per: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(Counter))
    for it in ex.items:
        c = per[it.indicator][str(it.fiscal_year)]
        c["items_seen"] += 1
    for e in events:
        c = per[e.indicator][str(e.fiscal_year)]
        c["records"] += 1
        if e.flags:
            c["records_flagged"] += 1
    for s in students:
        c = per["students"][str(s.fiscal_year)]
        c["items_seen"] += 1
        c["records"] += 1
        if s.flags:
            c["records_flagged"] += 1
    flags = Counter(f for e in events for f in e.flags)
    flags.update(f for s in students for f in s.flags)
    flags.update(f for b in ex.budget for f in b.flags)
    roles = Counter(ex.line_roles.values())
    leftovers = [
        {"line": i.line, "message": i.message, "text": i.text}
        for i in issues
        if i.code == "leftover"
    ]
    return {
        "sections": {
            k: {fy: dict(sorted(v.items())) for fy, v in sorted(fys.items())}
            for k, fys in sorted(per.items())
        },
        "totals": {
            "items_seen": sum(c["items_seen"] for fys in per.values() for c in fys.values()),
            "records": sum(c["records"] for fys in per.values() for c in fys.values()),
            "events": len(events),
            "student_rows": len(students),
            "budget_lines": len(ex.budget),
            "indicators": len(ex.indicators),
            "footnotes": len(ex.footnotes),
        },
        "flags": dict(sorted(flags.items())),
        "lines": {"total": len(ex.line_roles), "by_role": dict(sorted(roles.items()))},
        "leftovers": leftovers,
        "notes": [
            {"section": n.indicator, "fiscal_year": n.fiscal_year, "line": n.line, "text": n.text}
            for n in ex.notes
        ],
        # Each leftover (an item or a line no section read) is one issue with its line.
        "unexplained_items": len(leftovers),
        "issues": [
            {"line": i.line, "level": i.level, "code": i.code, "message": i.message, "text": i.text}
            for i in issues
        ],
    }


def to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def format_report(report: dict) -> str:
    """The accounting table `kg report` prints."""
    lines = [f"{'section':<14}{'FY':>6}{'items':>8}{'records':>9}{'flagged':>9}"]
    for sec, fys in report["sections"].items():
        for fy, c in fys.items():
            lines.append(
                f"{sec:<14}{fy:>6}{c.get('items_seen', 0):>8}{c.get('records', 0):>9}"
                f"{c.get('records_flagged', 0):>9}"
            )
    t = report["totals"]
    lines.append(f"{'total':<14}{'':>6}{t['items_seen']:>8}{t['records']:>9}")
    lines.append(
        f"budget lines {t['budget_lines']}, indicators {t['indicators']}, "
        f"footnotes {t['footnotes']}"
    )
    lines.append(
        "lines: "
        + ", ".join(f"{k} {v}" for k, v in report["lines"]["by_role"].items())
        + f" (of {report['lines']['total']})"
    )
    levels = Counter(i["level"] for i in report["issues"])
    lines.append("issues: " + ", ".join(f"{k} {v}" for k, v in sorted(levels.items())))
    lines.append(f"unexplained items: {report['unexplained_items']}")
    return "\n".join(lines)
