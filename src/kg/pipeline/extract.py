"""Read every record off the document: header, indicators, budget, and the appendix lists.

Extraction knows the document's layout and grammar, not the world: it yields items as printed
(with their dates resolved by the FY rule) and leaves names to ``normalize``.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from kg.model.records import (
    BudgetFigure,
    BudgetLine,
    Extraction,
    Footnote,
    IndicatorRecord,
    Issue,
    Item,
    MeasureHeader,
    Note,
    StudentFlow,
)
from kg.pipeline import dates as D
from kg.pipeline.items import shape, split_items, unclosed_at
from kg.pipeline.layout import Stream, build_stream, classify_layout, is_separator
from kg.pipeline.located import Located, fold
from kg.pipeline.read import SourceDocument
from kg.pipeline.rules import AppliedFix, Rules, apply_fixes
from kg.pipeline.tokens import Token, tokenize

APPENDIX_TITLE = re.compile(r"\(別紙\)")
FOOTER = re.compile(r"^<p>担当部局名</p>")
_TITLE = re.compile(r"令和(?:元|\d+)年度\S*事前分析表")  # the document's title line
FY_ROW = re.compile(r"^\s*(元|\d)\s*年\s*度\s*(?=\t|<|●|$)")
_AMOUNT = re.compile(r"^\s*(\d+)\s*(?:\(\s*(\d+)\s*\))?\s*$")
_TRAILING_MONTH = re.compile(rf"(?P<date>{D.MONTH})\s*$")
_INTRO_SUBJECT = re.compile(r"以下のとおり(?P<what>.+?)を実施")
_STUDENT_LIST = re.compile(r"\(([^()]*\d+\s*名[^()]*)\)")
_STUDENT_ENTRY = re.compile(r"^\s*(?P<name>[^\d、]+?)\s*(?P<n>\d+)\s*名\s*$")
_STATED_TOTAL = re.compile(r"合計\s*(\d+)\s*名")
_CONFERENCE = re.compile(
    r"^(?P<name>[^:：]+)[:：]\s*(?:.*?(?P<countries>\d+)\s*カ国)?.*?(?P<people>\d+)\s*名"
)


class Extractor:
    """One pass over one document; collects records, issues and the role of every line."""

    def __init__(self, doc: SourceDocument, rules: Rules) -> None:
        self.doc = doc
        self.rules = rules
        self.issues: list[Issue] = []
        self.roles: dict[int, str] = {}
        self.items: list[Item] = []
        self.students: list[StudentFlow] = []
        self.content = bytearray(len(doc.text))
        self.notes: list[Note] = []
        self.fy_inferred_lines: set[int] = set()
        self.applied_fixes: list[AppliedFix] = []
        # id(a row's applied fixes) -> (them, their starts); holding them keeps the id theirs
        self.fix_starts: dict[int, tuple[list[AppliedFix], list[int]]] = {}
        self.fy_headings: list[tuple[int, int]] = []  # high-level ●令和N年度 headings: (FY, line)
        self.row_fys: set[int] = set()  # FYs of the other sections' rows
        self.blocks_seen: dict[tuple[str, int], dict[str, int]] = {}  # 【block】 -> first line
        self.block_again: dict[tuple[str, int], tuple[str, int, int]] = {}  # first repeat
        self.longest_fix = (
            max((len(f.find) for f in rules.fixes), default=0) + 1
        )  # 1 where a character belongs to list content

    # -- helpers -----------------------------------------------------------------------------
    def warn(
        self, line: int, code: str, message: str, text: str = "", level: str = "warning"
    ) -> None:
        self.issues.append(Issue(line, level, code, message, text))

    def line_at(self, loc: Located) -> int:
        real = [p for p in loc.pos if p >= 0]
        return self.doc.line_of(real[0]) if real else 0

    def verbatim(self, loc: Located, fixes: list[AppliedFix]) -> str:
        return self.verbatim_span(loc, fixes)[0]

    def verbatim_span(self, loc: Located, fixes: list[AppliedFix]) -> tuple[str, int, int]:
        """The item's verbatim text and where it sits in the document: the offsets of its first
        character and one past its last (-1, -1 when it has no source characters)."""
        real = [p for p in loc.pos if p >= 0]
        if not real:
            return loc.text, -1, -1
        lo, hi = min(real), max(real)
        for f in fixes:
            if f.orig_start >= 0 and f.orig_start <= hi + 1 and f.orig_end >= lo:
                lo, hi = min(lo, f.orig_start), max(hi, f.orig_end - 1)
        kept = [i for i in range(lo, hi + 1) if self.content[i]]
        text = self.doc.text
        while kept and text[kept[0]].isspace():
            kept.pop(0)
        while kept and text[kept[-1]].isspace():
            kept.pop()
        if not kept:
            return "", -1, -1
        return "".join(text[i] for i in kept), kept[0], kept[-1] + 1

    def line_offsets(self, line: int, start: int, end: int) -> tuple[int, int]:
        """``start``/``end`` (document offsets) as offsets from the start of ``line``."""
        if start < 0 or line < 1:
            return -1, -1
        base = self.doc.line_starts[line - 1]
        return start - base, end - base

    def fixes_touching(self, loc: Located, fixes: list[AppliedFix]) -> list[AppliedFix]:
        real = [p for p in loc.pos if p >= 0]
        if not real or not fixes:
            return []
        lo, hi = min(real), max(real)
        # fixes are sorted by orig_start (see read_section): look only near the item; their
        # starts are listed once per section (once per item made the build quadratic)
        held = self.fix_starts.get(id(fixes))
        if held is None or held[0] is not fixes:
            held = self.fix_starts[id(fixes)] = (fixes, [f.orig_start for f in fixes])
        starts = held[1]
        k = bisect_left(starts, lo - self.longest_fix)
        out = []
        for f in fixes[k:]:
            if f.orig_start > hi + 1:
                break
            if f.orig_start >= 0 and f.orig_end >= lo:
                out.append(f)
        return out

    # -- the whole document ------------------------------------------------------------------
    def run(self) -> Extraction:
        doc = self.doc
        appendix = next(
            (i + 1 for i, line in enumerate(doc.lines) if APPENDIX_TITLE.search(fold(line))), None
        )
        if appendix is None:
            self.warn(
                doc.last_text_line,
                "truncated",
                "the appendix (別紙) is missing: the document "
                "looks truncated; only the analysis table is read",
                level="error",
            )
            appendix = doc.line_count + 1
        header, indicators, budget, footnotes = self.read_table(1, appendix - 1)
        bounds = self.find_sections(appendix)
        for code, first, last in bounds:
            self.read_section(code, first, last)
        self.check_fy_headings()
        self.flag_repeats()
        for n in range(1, doc.line_count + 1):
            if n not in self.roles:
                if doc.lines[n - 1].strip():
                    self.roles[n] = "leftover"
                    self.warn(n, "leftover", "line not read by any section", doc.lines[n - 1][:60])
                else:
                    self.roles[n] = "blank"
        return Extraction(
            header,
            indicators,
            budget,
            footnotes,
            self.items,
            self.students,
            sorted(self.issues, key=lambda i: (i.line, i.code, i.text)),
            dict(sorted(self.roles.items())),
            self.notes,
        )

    def find_sections(self, appendix: int) -> list[tuple[str, int, int]]:
        doc = self.doc
        found: list[tuple[str, int]] = []
        start = appendix
        for rule in self.rules.sections:
            hit = next(
                (
                    n
                    for n in range(start, doc.line_count + 1)
                    if rule.pattern.search(doc.lines[n - 1])
                ),
                None,
            )
            if hit is None:
                self.warn(
                    doc.last_text_line,
                    "missing_section",
                    f"section {rule.code} ({rule.name_ja}) not found after line {start}: "
                    "document truncated?",
                    level="error",
                )
                continue
            found.append((rule.code, hit))
            start = hit + 1
        footer = next(
            (n for n in range(start, doc.line_count + 1) if FOOTER.search(doc.lines[n - 1])),
            doc.line_count + 1,
        )
        for n in range(appendix, (found[0][1] if found else footer)):
            self.roles[n] = "appendix_header" if doc.lines[n - 1].strip() else "blank"
        self.read_after_footer(footer)
        out = []
        for i, (code, first) in enumerate(found):
            last = found[i + 1][1] - 1 if i + 1 < len(found) else footer - 1
            out.append((code, first, last))
        return out

    def read_after_footer(self, footer: int) -> None:
        """The footer is the document's last row: text after it is no part of the document as
        read (a second copy, an item added at the end), so each such line is a leftover with its
        line, and a second copy of the document is an error."""
        doc = self.doc
        if footer > doc.line_count:
            return
        self.roles[footer] = "footer"
        restart = None
        for n in range(footer + 1, doc.line_count + 1):
            text = doc.lines[n - 1]
            if not text.strip() or is_separator(text):
                self.roles[n] = "separator" if text.strip() else "blank"
                continue
            self.roles[n] = "leftover"
            self.warn(n, "leftover", f"text after the document's footer (line {footer})", text[:60])
            if restart is None and _TITLE.search(fold(text)):
                restart = n
        if restart is not None:
            self.warn(
                restart,
                "document_repeated",
                f"the document starts again at line {restart}, after its footer at line "
                f"{footer}: one document per file (lines {restart}-{doc.line_count} are not read)",
                doc.lines[restart - 1][:60],
                level="error",
            )

    # -- the analysis table (lines before the appendix) ---------------------------------------
    def read_table(
        self, first: int, last: int
    ) -> tuple[MeasureHeader, list[IndicatorRecord], list[BudgetLine], list[Footnote]]:
        doc, rules = self.doc, self.rules
        header = MeasureHeader()
        indicators: list[IndicatorRecord] = []
        budget: list[BudgetLine] = []
        footnotes: list[Footnote] = []
        fiscal_years: list[int] = []
        column_marks: dict[int, list[str]] = {}
        sub_rules = list(rules.sections)
        for n in range(first, last + 1):
            raw = doc.lines[n - 1]
            text = fold(raw)
            cells = [c.strip() for c in text.split("\t")]
            if not text.strip():
                self.roles[n] = "blank"
                continue
            self.roles[n] = "table"
            if _TITLE.match(text.strip()):
                header.title = raw.strip()
                header.lines["title"] = n
                continue
            if re.match(r"^\((防衛省[^)]*)\)$", text.strip()):
                header.document_id = text.strip()[1:-1]
                continue
            if text.startswith("※"):
                footnotes.append(Footnote(text[:2], raw.strip(), n))
                continue
            labels = [i for i, c in enumerate(cells) if c in rules.header_fields]
            for i in labels:
                value = next(
                    (raw.split("\t")[j].strip() for j in range(i + 1, len(cells)) if cells[j]), ""
                )
                fieldname = rules.header_fields[cells[i]]
                if fieldname == "bureaus":
                    header.bureaus = [b for b in re.split(r"[、,]", value) if b]
                else:
                    setattr(header, fieldname, value)
                header.lines[fieldname] = n
            if cells and cells[0] == "①":
                indicators.append(
                    IndicatorRecord(
                        "measure_1",
                        "①",
                        raw.split("\t")[1].strip(),
                        n,
                        target="別紙",
                        target_year=cells[4] if len(cells) > 4 else "",
                        rationale=raw.split("\t")[5].strip() if len(cells) > 5 else "",
                    )
                )
            for rule in sub_rules:
                if any(rule.pattern.search(c) for c in cells):
                    sub = next(c for c in raw.split("\t") if rule.pattern.search(fold(c)))
                    if not any(i.code == rule.code for i in indicators):
                        indicators.append(IndicatorRecord(rule.code, "", sub.strip(), n))
            if re.search(r"令和\d+年度\t", text + "\t") and re.match(r"^\s*\t令和", text):
                fiscal_years = [
                    D.reiwa_year(m.group(1)) for m in re.finditer(r"(?:令和)?(元|\d+)年度", text)
                ]
                column_marks = {
                    D.reiwa_year(m.group(1)): re.findall(r"※\d+", m.group(2))
                    for m in re.finditer(r"(?:令和)?(元|\d+)年度([^\t]*)", text)
                }
                continue
            m = re.match(r"^\((\d+)\)\s*(.*)$", cells[0]) if cells else None
            if m or (cells and cells[0] == "施策の予算額・執行額"):
                row = self.read_budget_row(n, raw, cells, m, fiscal_years)
                for f in row.figures:
                    f.marks = list(column_marks.get(f.fiscal_year, []))
                budget.append(row)
        if len(indicators) < 1 + len(sub_rules):
            self.warn(
                last,
                "indicators",
                f"{len(indicators)} indicators found, expected "
                f"{1 + len(sub_rules)}: table truncated?",
                level="error",
            )
        self.check_budget_total(budget)
        return header, indicators, budget, footnotes

    def read_budget_row(
        self, n: int, raw: str, cells: list[str], m: re.Match[str] | None, fys: list[int]
    ) -> BudgetLine:
        if m:
            item_no = m.group(1)
            name = m.group(2).strip()
            rest = cells[1:]
            if not name:
                name, rest = rest[0], rest[1:]
        else:
            item_no, name, rest = "total", cells[0], cells[1:]
        amounts: list[tuple[int, int | None, str]] = []
        others: list[str] = []
        for c in rest:
            a = _AMOUNT.match(c)
            if a and len(amounts) < len(fys):
                amounts.append((int(a.group(1)), int(a.group(2)) if a.group(2) else None, c))
            elif c:
                others.append(c)
        flags: list[str] = []
        if len(amounts) < len(fys):
            self.warn(n, "budget", f"{len(amounts)} amounts for {len(fys)} fiscal years", raw[:40])
            flags.append("amounts_missing")
        figures = [
            BudgetFigure(fy, b, e, cell.strip())
            for fy, (b, e, cell) in zip(fys, amounts, strict=False)
        ]
        for f in figures:
            if f.executed is None:
                flags.append(f"executed_not_stated_{f.fiscal_year}")
                f.flags.append(f"executed_not_stated_{f.fiscal_year}")
        review = next((c for c in reversed(others) if re.fullmatch(r"\d{4}", c)), "")
        related = next((c for c in others if re.fullmatch(r"\d", c)), "")
        desc = (
            max((c for c in others if len(c) > 20), key=len, default="")
            if item_no != "total"
            else ""
        )
        self.roles[n] = "budget"
        return BudgetLine(item_no, name, figures, review, related, desc, n, raw.strip(), flags)

    def check_budget_total(self, budget: list[BudgetLine]) -> None:
        lines = [b for b in budget if b.item_no != "total"]
        for total in (b for b in budget if b.item_no == "total"):
            for f in total.figures:
                parts = [x for b in lines for x in b.figures if x.fiscal_year == f.fiscal_year]
                for attr in ("budget", "executed"):
                    stated = getattr(f, attr)
                    values = [getattr(p, attr) for p in parts]
                    if stated is None or any(v is None for v in values):
                        continue
                    if sum(values) != stated:
                        flag = f"{attr}_sum_mismatch_{f.fiscal_year}"
                        message = (
                            f"FY{f.fiscal_year} {attr}: lines sum to {sum(values)}, "
                            f"total states {stated}"
                        )
                        total.flags.append(flag)
                        f.flags.append(flag)
                        f.notes.append(message)
                        self.warn(total.line, "sum_mismatch", message, total.name)

    # -- the appendix --------------------------------------------------------------------------
    def read_section(self, code: str, first: int, last: int) -> None:
        doc = self.doc
        classify_layout(doc, first, last, self.roles)
        if code != "high_level" and not FY_ROW.match(fold(doc.lines[first - 1])):
            self.roles[first] = "section_heading"
        # Rows led by an FY label (元 年 度 …); the high-level list states its FY in ● sentences.
        rows: list[tuple[int | None, list[int]]] = []
        current: list[int] = []
        fy: int | None = None
        for n in range(first, last + 1):
            if self.roles.get(n) == "section_heading":
                continue
            m = FY_ROW.match(fold(doc.lines[n - 1]))
            if m and code != "high_level":
                if current:
                    rows.append((fy, current))
                fy, current = D.reiwa_year(m.group(1)), [n]
            elif (
                code != "high_level"
                and doc.lines[n - 1].startswith("\t")
                and doc.lines[n - 1].strip()
                and current
                and self.roles.get(n) not in ("separator", "page_header")
            ):
                # A row whose FY label was lost at a page break: the next FY in sequence.
                rows.append((fy, current))
                fy, current = (fy + 1 if fy else None), [n]
                self.warn(
                    n,
                    "fy_inferred",
                    f"row without its FY label; read as FY{fy} (the FY after the previous row)",
                )
                self.fy_inferred_lines.add(n)
            else:
                current.append(n)
        if current:
            rows.append((fy, current))
        reader = getattr(self, f"read_{code}")
        self.row_fys.update(f for f, _ in rows if f is not None and code != "high_level")
        for row_fy, lines in rows:
            if row_fy is None and code != "high_level":
                for n in lines:
                    if doc.lines[n - 1].strip() and n not in self.roles:
                        self.warn(
                            n,
                            "leftover",
                            f"{code}: text before the first FY row",
                            doc.lines[n - 1][:40],
                        )
                continue
            stream = build_stream(doc, lines, self.roles, self.issues)
            for p in stream.loc.pos:
                if p >= 0:
                    self.content[p] = 1
            fixed, applied = apply_fixes(stream.loc, self.rules.fixes)
            applied.sort(key=lambda f: (f.orig_start, f.orig_end))
            self.fix_starts[id(applied)] = (applied, [f.orig_start for f in applied])
            self.applied_fixes.extend(applied)
            reader(row_fy, tokenize(fixed), stream, applied)

    # Items ------------------------------------------------------------------------------------
    def make_items(
        self,
        indicator: str,
        fy: int,
        block: str,
        group: str,
        body: Located,
        stream: Stream,
        applied: list[AppliedFix],
        seq_start: int,
        split: bool = True,
        extra: list[str] | None = None,
    ) -> list[Item]:
        parts, balanced = split_items(body) if split else ([body], True)
        if not balanced:
            self.check_unclosed(indicator, body)
        out: list[Item] = []
        seq = seq_start
        for part in parts:
            loc = part.strip()
            if not loc.text:
                continue
            seq += 1
            line = self.line_at(loc)
            fixes = self.fixes_touching(loc, applied)
            flags = sorted({f.fix.flag for f in fixes}) + list(extra or [])
            if loc.start in stream.fragment_starts:
                flags.append("fragment")
                self.warn(line, "fragment", "item whose head was lost at a page break", loc.text)
            real = [p for p in loc.pos if p >= 0]
            if any(j in stream.joined_at for j in real):
                flags.append("page_joined")
            if line in self.fy_inferred_lines or any(
                self.doc.line_of(p) in self.fy_inferred_lines for p in real[:1]
            ):
                flags.append("fy_inferred")
            verbatim, start, end = self.verbatim_span(loc, fixes)
            item = Item(indicator, fy, block, group, seq, loc.text, verbatim, line, flags)
            item.start, item.end = self.line_offsets(line, start, end)
            self.read_dates(item)
            if not shape(loc.text).balanced:
                item.flags.append("unbalanced_parens")
                self.warn(line, "unbalanced_parens", "unbalanced parentheses", loc.text)
            out.append(item)
        return out

    def check_unclosed(self, indicator: str, body: Located) -> None:
        """An unclosed "(" in a list swallows the items after it into one: an error with the
        line (the fix goes in data/rules/fixes.csv), unless only dates follow it."""
        at = unclosed_at(body.text)
        if at is None:
            return
        inside = [p.strip() for p in split_items(body[at + 1 :])[0]]
        swallowed = [p for p in inside[1:] if p.text and not D.is_date_group(p.text)]
        if swallowed:
            head = body[: at + 1].text.rsplit("、", 1)[-1]
            self.warn(
                self.line_at(body[at:]),
                "unclosed_paren",
                f"{indicator}: unclosed '(' in {head!r}: the {len(inside)} parts after it "
                "would be read as one item; close it in the source or add a fix to "
                "data/rules/fixes.csv",
                body[at:].text[:60],
                level="error",
            )

    def check_fy_headings(self) -> None:
        """The high-level list states its FYs in ●令和N年度 headings, one a year in order: a
        lost heading would move a whole FY's items into the FY before, so it is an error."""
        heads = self.fy_headings
        if not heads:
            return
        for (prev, prev_line), (fy, line) in zip(heads, heads[1:], strict=False):
            if fy == prev + 1:
                continue
            if fy <= prev:
                msg = f"FY{fy} heading after FY{prev}'s (line {prev_line}): out of order"
            else:
                msg = (
                    f"no ●{_reiwa(prev + 1)}年度 heading between FY{prev}'s (line {prev_line}) "
                    f"and FY{fy}'s: the FY{prev + 1} items would be read as FY{prev}"
                )
                again = self.block_again.get(("high_level", prev))
                if again:
                    msg += (
                        f"; 【{again[0]}】 starts again at line {again[1]} (first at line "
                        f"{again[2]}), where FY{prev + 1} probably begins"
                    )
            self.warn(line, "fy_heading_missing", msg, level="error")
        expected = sorted(self.row_fys)
        if expected and heads[0][0] > expected[0]:
            self.warn(
                heads[0][1],
                "fy_heading_missing",
                f"the first FY heading is FY{heads[0][0]}'s, and the other sections start at "
                f"FY{expected[0]}: no ●{_reiwa(expected[0])}年度 heading",
                level="error",
            )
        if expected and heads[-1][0] < expected[-1]:
            self.warn(
                heads[-1][1],
                "fy_heading_missing",
                f"the last FY heading is FY{heads[-1][0]}'s, and the other sections go on to "
                f"FY{expected[-1]}: no ●{_reiwa(heads[-1][0] + 1)}年度 heading (its items "
                f"would be read as FY{heads[-1][0]})",
                level="error",
            )

    def flag_repeats(self) -> None:
        """An item printed twice in one block of one FY (a duplicated block or line) is flagged
        ``repeated_item``, with one warning per run of repeats; the document itself has none."""
        first: dict[tuple[str, int, str, str, str], int] = {}
        run: list[Item] = []

        def report() -> None:
            if run:
                it = run[0]
                key = (it.indicator, it.fiscal_year, it.block, it.group, it.text)
                self.warn(
                    it.line,
                    "repeated_item",
                    f"{len(run)} item(s) of {it.indicator} FY{it.fiscal_year} 【{it.block}】 "
                    f"printed again (first at line {first[key]})",
                    it.text,
                )
                run.clear()

        for it in self.items:
            key = (it.indicator, it.fiscal_year, it.block, it.group, it.text)
            if key in first:
                it.flags.append("repeated_item")
                if run and (run[-1].indicator, run[-1].fiscal_year, run[-1].block) != key[:3]:
                    report()
                run.append(it)
            else:
                report()
                first[key] = it.line
        report()

    def read_dates(self, item: Item) -> None:
        sh = shape(item.text)
        groups = [g for g in sh.groups if D.is_date_group(g.text)]
        if len(groups) > 1:
            item.flags.append("several_date_groups")
        for g in groups:
            try:
                item.dates.extend(D.parse_date_group(g.text, item.fiscal_year))
            except D.DateError as exc:
                item.flags.append("bad_date")
                self.warn(item.line, "bad_date", str(exc), item.text)
        if not groups:
            m = _TRAILING_MONTH.search(sh.bare)
            if m:
                try:
                    item.dates.append(D.parse_date_token(m.group("date"), item.fiscal_year))
                    item.flags.append("date_unparenthesized")
                except D.DateError as exc:
                    item.flags.append("bad_date")
                    self.warn(item.line, "bad_date", str(exc), item.text)
        if any(g.text.strip() == "中止" for g in sh.groups):
            item.flags.append("cancelled")
        for spec in item.dates:
            if spec.end and not D.in_fiscal_year(spec.end, item.fiscal_year):
                item.flags.append("period_beyond_fy")
            for d in (spec.start, spec.end):
                if (
                    d
                    and not D.in_fiscal_year(d, item.fiscal_year)
                    and not (d is spec.end and spec.end is not None)
                ):
                    item.flags.append("date_outside_fy")
                    self.warn(
                        item.line,
                        "date_outside_fy",
                        f"{d.printed} is outside FY{item.fiscal_year}",
                        item.text,
                    )

    def add(self, items: list[Item]) -> int:
        self.items.extend(items)
        return items[-1].seq if items else 0

    # Section readers --------------------------------------------------------------------------
    def read_high_level(
        self, _fy: int | None, tokens: list[Token], stream: Stream, applied: list[AppliedFix]
    ) -> None:
        self.read_blocks("high_level", None, tokens, stream, applied)

    def read_consultation(
        self, fy: int | None, tokens: list[Token], stream: Stream, applied: list[AppliedFix]
    ) -> None:
        self.read_blocks("consultation", fy, tokens, stream, applied)

    def read_blocks(
        self,
        indicator: str,
        fy: int | None,
        tokens: list[Token],
        stream: Stream,
        applied: list[AppliedFix],
    ) -> None:
        block, seq, row_fy = "", 0, fy
        for t in tokens:
            if t.kind == "fy_intro":
                intro_fy = D.reiwa_year(t.marker)
                if row_fy is None:
                    self.fy_headings.append((intro_fy, self.doc.line_of(t.at)))
                if row_fy is not None and intro_fy != row_fy:
                    self.warn(
                        self.line_at(t.body) or 0,
                        "fy_conflict",
                        f"row labelled FY{fy} says FY{intro_fy}",
                    )
                fy, block, seq = intro_fy, "", 0
            elif fy is None and (t.kind == "block" or block):
                # A list before any ●令和N年度 heading (the heading lost): no FY to read it in.
                block = t.marker if t.kind == "block" else block
                for part in split_items(t.body)[0]:
                    if part.strip().text:
                        self.warn(
                            self.line_at(part.strip()),
                            "leftover",
                            f"{indicator}: item of 【{block}】 before any ●令和N年度 heading, "
                            "so in no fiscal year",
                            part.strip().text,
                        )
            elif t.kind == "block":
                block, seq = t.marker, 0
                if fy is not None:
                    seen = self.blocks_seen.setdefault((indicator, fy), {})
                    line = self.doc.line_of(t.at)
                    if block in seen:
                        self.block_again.setdefault((indicator, fy), (block, line, seen[block]))
                    else:
                        seen[block] = line
                if t.body.text and fy is not None:
                    seq = (
                        self.add(
                            self.make_items(indicator, fy, block, "", t.body, stream, applied, seq)
                        )
                        or seq
                    )
            elif t.kind == "text" and fy is not None and block:
                seq = (
                    self.add(
                        self.make_items(indicator, fy, block, "", t.body, stream, applied, seq)
                    )
                    or seq
                )
            elif fy is None:
                continue  # the table row's label and the indicator's name, before the lists
            elif t.body.text or t.kind != "text":
                self.warn(
                    self.line_at(t.body),
                    "leftover",
                    f"unexpected {t.kind} in {indicator}",
                    t.body.text,
                )

    def read_unit_exchange(
        self, fy: int | None, tokens: list[Token], stream: Stream, applied: list[AppliedFix]
    ) -> None:
        assert fy is not None
        block, seq = "", 0
        for t in tokens:
            if t.kind == "fy_intro":
                m = _INTRO_SUBJECT.search(t.raw)
                block, seq = (m.group("what") if m else ""), 0
            elif t.kind == "bullet":
                seq = (
                    self.add(
                        self.make_items(
                            "unit_exchange",
                            fy,
                            block,
                            "",
                            t.body,
                            stream,
                            applied,
                            seq,
                            split=False,
                        )
                    )
                    or seq
                )
            elif t.kind == "heading":
                name = shape(t.body.text).bare
                self.add(
                    self.make_items(
                        "unit_exchange", fy, name, "", t.body, stream, applied, 0, split=False
                    )
                )
            elif t.body.text:
                self.warn(
                    self.line_at(t.body),
                    "leftover",
                    "unexpected text in unit exchanges",
                    t.body.text,
                )

    def read_multilateral(
        self, fy: int | None, tokens: list[Token], stream: Stream, applied: list[AppliedFix]
    ) -> None:
        assert fy is not None
        block, group, seq = "", "", 0
        prev_bare = ""
        for t in tokens:
            body = t.body
            if t.kind == "heading":
                dated = any(D.is_date_group(g.text) for g in shape(body.text).groups)
                if dated:
                    name = shape(body.text).bare
                    self.add(
                        self.make_items(
                            "multilateral", fy, name, "", body, stream, applied, 0, split=False
                        )
                    )
                    block, group, seq = name, "", 1
                else:
                    block, group, seq = body.text.rstrip(":："), "", 0
                continue
            if t.kind not in ("bullet", "text"):
                if body.text:
                    self.warn(
                        self.line_at(body),
                        "leftover",
                        f"unexpected {t.kind} in multilateral",
                        body.text,
                    )
                continue
            parts, _ = split_items(body)
            dated = any(
                shape(p.text).groups and any(D.is_date_group(g.text) for g in shape(p.text).groups)
                for p in parts
            )
            if not dated and t.kind == "bullet" and len(parts) == 1:
                group = body.text  # a sub-heading such as ・専門家会合(EWG)
                continue
            extra = [] if block else ["heading_lost"]
            if not block:
                self.warn(
                    self.line_at(body),
                    "heading_lost",
                    "multilateral item printed before any ● heading (heading lost at a page break)",
                    body.text,
                )
            for part in parts:
                for sub, nested in self.expand_nested(part):
                    items = self.make_items(
                        "multilateral",
                        fy,
                        block,
                        group,
                        sub,
                        stream,
                        applied,
                        seq,
                        split=False,
                        extra=extra + (["nested_list"] if nested else []),
                    )
                    for it in items:
                        bare = shape(it.text).bare
                        if not bare and prev_bare:
                            it.text = prev_bare + it.text
                            it.flags.append("name_shared")
                        else:
                            prev_bare = bare
                    seq = self.add(items) or seq

    def expand_nested(self, part: Located) -> list[tuple[Located, bool]]:
        """専門家会合(EWG)(対テロEWG(6月、12月)、HA/DR-EWG(4月)) lists its meetings inside."""
        text = part.text
        sh = shape(text)
        for g in sh.groups:
            inner_start = g.start + 1
            inner = part[inner_start : inner_start + len(g.text)]
            subs, _ = split_items(inner)
            if len(subs) > 1 and all(
                any(D.is_date_group(x.text) for x in shape(s.text).groups) for s in subs
            ):
                return [(s.strip(), True) for s in subs]
        return [(part, False)]

    def read_research(
        self, fy: int | None, tokens: list[Token], stream: Stream, applied: list[AppliedFix]
    ) -> None:
        assert fy is not None
        group, online, seq = "", False, 0
        for t in tokens:
            if t.kind == "heading":
                group = "conferences" if "国際会議" in t.body.text else "activities"
                online = "オンライン形式" in t.body.text
                seq = 0 if group == "activities" else seq
                self.notes.append(Note("research", fy, self.line_at(t.body), t.body.text))
                continue
            if t.kind == "numbered":
                block = "防研主催の国際会議" if group == "conferences" else "研究交流"
                items = self.make_items(
                    "research", fy, block, group, t.body, stream, applied, seq, split=False
                )
                for it in items:
                    it.number = int(t.marker)
                    if online:
                        it.inherited_mode = "video"
                    if group == "conferences":
                        m = _CONFERENCE.search(it.text)
                        if m:
                            if m.group("countries"):
                                it.country_count = int(m.group("countries"))
                            it.researcher_count = int(m.group("people"))
                        else:
                            self.warn(
                                it.line, "conference", "conference without its numbers", it.text
                            )
                seq = self.add(items) or seq
            elif t.body.text:
                self.warn(
                    self.line_at(t.body), "leftover", "unexpected text in research", t.body.text
                )

    def read_students(
        self, fy: int | None, tokens: list[Token], stream: Stream, applied: list[AppliedFix]
    ) -> None:
        assert fy is not None
        for t in tokens:
            if t.kind == "fy_intro":
                if t.body.text:
                    self.notes.append(Note("students", fy, self.line_at(t.body), t.body.text))
                continue
            if t.kind != "heading":
                if t.body.text:
                    self.warn(
                        self.line_at(t.body), "leftover", "unexpected text in students", t.body.text
                    )
                continue
            text = t.body.text
            if "受け入れ" in text or "受入" in text:
                direction = "inbound"
            elif "留学" in text:
                direction = "outbound"
            else:
                self.notes.append(Note("students", fy, self.line_at(t.body), text))
                continue
            line = self.line_at(t.body)
            flags: list[str] = []
            era = re.search(r"令和(元|\d+)年度", text)
            if era and D.reiwa_year(era.group(1)) != fy:
                flags.append("fy_label_conflict")
                self.warn(
                    line,
                    "fy_label_conflict",
                    f"row FY{fy} says 令和{era.group(1)}年度 (FY{D.reiwa_year(era.group(1))}); "
                    f"kept in FY{fy}",
                    text[:40],
                )
            lst = _STUDENT_LIST.search(text)
            total_m = _STATED_TOTAL.search(text)
            entries: list[StudentFlow] = []
            if lst:
                for entry in lst.group(1).split("、"):
                    m = _STUDENT_ENTRY.match(entry)
                    if not m:
                        self.warn(line, "student_entry", "cannot read student entry", entry)
                        continue
                    entries.append(
                        StudentFlow(
                            fy,
                            direction,
                            "",
                            m.group("name").strip(),
                            int(m.group("n")),
                            line,
                            entry.strip(),
                            list(flags),
                        )
                    )
            else:
                self.warn(line, "student_list", "no list of countries", text[:40])
            if total_m:
                stated = int(total_m.group(1))
                tflags = list(flags)
                listed = sum(e.count for e in entries)
                if listed != stated:
                    tflags.append("sum_mismatch")
                    self.warn(
                        line,
                        "sum_mismatch",
                        f"FY{fy} {direction}: countries sum to {listed}, total states {stated}",
                    )
                entries.append(
                    StudentFlow(
                        fy, direction, "TOTAL", "合計", stated, line, total_m.group(0), tflags
                    )
                )
            self.students.extend(entries)


def _reiwa(fy: int) -> str:
    """令和N as printed for FY ``fy`` (令和元 for 2019)."""
    return "令和元" if fy == 2019 else f"令和{fy - 2018}"


def extract(doc: SourceDocument, rules: Rules) -> Extraction:
    ex = Extractor(doc, rules)
    result = ex.run()
    used = {a.fix for a in ex.applied_fixes}
    for fix in rules.fixes:
        if fix not in used:
            result.issues.append(Issue(0, "info", "fix_unused", f"fix never applied: {fix.find}"))
    return result


__all__ = ["extract", "Extractor"]
