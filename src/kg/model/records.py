"""Typed records: what extraction reads off the page and what normalization makes of it."""

from __future__ import annotations

from dataclasses import dataclass, field

INDICATORS = ("high_level", "consultation", "unit_exchange", "students", "research", "multilateral")
EVENT_INDICATORS = ("high_level", "consultation", "unit_exchange", "research", "multilateral")


@dataclass(frozen=True)
class MonthDate:
    """A month as printed, resolved inside a fiscal year."""

    year: int
    month: int
    printed: str
    explicit_year: bool

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class DateSpec:
    """One date token of a date group: a month, or a period ``start～end``."""

    start: MonthDate
    end: MonthDate | None = None


@dataclass(frozen=True)
class Issue:
    """A warning or error tied to a line of the source."""

    line: int
    level: str  # "warning" | "error"
    code: str
    message: str
    text: str = ""

    def __str__(self) -> str:
        snippet = f": {self.text[:60]}" if self.text else ""
        return f"line {self.line}: {self.level}: {self.message}{snippet}"


@dataclass
class Item:
    """One item of a list as printed (before splitting by dates or resolving names)."""

    indicator: str
    fiscal_year: int
    block: str
    group: str  # sub-heading inside a block (e.g. 民間機関主催), or ""
    seq: int
    text: str  # folded for parsing, fixes applied
    source_text: str  # verbatim from the source
    line: int
    flags: list[str] = field(default_factory=list)
    dates: list[DateSpec] = field(default_factory=list)
    inherited_mode: str = ""  # e.g. a group printed "(オンライン形式)"
    number: int | None = None  # ①② numbering of research items
    country_count: int | None = None
    researcher_count: int | None = None
    # Where the verbatim text sits: character offsets from the start of ``line`` (0-based, end
    # exclusive; the end passes the line's end when the item runs on); -1 when not known.
    start: int = -1
    end: int = -1


@dataclass
class Event:
    """One event as the tables and the graph carry it (contract columns plus RDF detail)."""

    id: str
    indicator: str
    fiscal_year: int
    block: str
    seq: int
    date: str  # YYYY-MM or ""
    date_printed: str
    end_date: str
    jp_actor: str
    countries: list[str]
    counterparts: list[str]  # foreign position keys "ISO/slug"
    counterpart_labels: list[str]
    kind: str
    extra_kinds: list[str]
    mode: str
    forum: str  # forum slug
    forum_label: str
    forum_edition: int | None
    location: str  # place slug
    location_label: str
    ordinal: int | None
    source_text: str
    source_line: int
    flags: list[str]
    group: str = ""
    number: int | None = None
    country_count: int | None = None
    researcher_count: int | None = None
    source_start: int = -1  # offsets of source_text from the start of source_line (Item.start)
    source_end: int = -1
    counterparts_printed: list[str] = field(default_factory=list)  # each office as printed
    edition_key: str = ""  # the forum edition's IRI segment (19, 2022-06, fy2022), when at one


@dataclass
class StudentFlow:
    fiscal_year: int
    direction: str  # inbound | outbound
    country: str  # ISO3 or TOTAL
    country_label: str
    count: int
    line: int
    source_text: str
    flags: list[str] = field(default_factory=list)


@dataclass
class BudgetFigure:
    fiscal_year: int
    budget: int | None
    executed: int | None
    cell: str = ""  # the table cell as printed, e.g. "112 (89)"
    marks: list[str] = field(default_factory=list)  # footnote marks of its FY column (※1)
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why a flag was set (English)


@dataclass
class BudgetLine:
    item_no: str  # "1".."5" or "total"
    name: str
    figures: list[BudgetFigure]
    review_no: str
    related_indicator: str
    description: str
    line: int
    source_text: str
    flags: list[str] = field(default_factory=list)


@dataclass
class Footnote:
    mark: str
    text: str
    line: int


@dataclass
class IndicatorRecord:
    code: str
    number: str  # "①" for the measurement indicator, "" for sub-indicators
    name_ja: str
    line: int
    target: str = ""
    target_year: str = ""
    rationale: str = ""


@dataclass
class MeasureHeader:
    name: str = ""
    document_id: str = ""
    title: str = ""
    bureaus: list[str] = field(default_factory=list)
    overview: str = ""
    policy_position: str = ""
    goal: str = ""
    goal_rationale: str = ""
    evaluation_timing: str = ""
    cabinet_policy: str = ""
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    """A remark of the document that is not a record (a list's introduction, a caveat)."""

    indicator: str
    fiscal_year: int
    line: int
    text: str


@dataclass
class Extraction:
    """Everything read off the document, plus what could not be read."""

    header: MeasureHeader
    indicators: list[IndicatorRecord]
    budget: list[BudgetLine]
    footnotes: list[Footnote]
    items: list[Item]
    students: list[StudentFlow]
    issues: list[Issue]
    line_roles: dict[int, str]  # every source line -> what consumed it
    notes: list[Note] = field(default_factory=list)
