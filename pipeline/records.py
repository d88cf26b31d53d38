"""The records every stage reads and writes: the one place the schema lives.

CSV columns (and the data package) are derived from these dataclasses, so a
field is never typed twice. Fields whose name starts with ``_`` never exist;
internal-only fields are listed in ``INTERNAL_FIELDS`` and stay out of CSVs.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, Optional

SCHEMA_VERSION = "1"

MENTION_TYPES = ("COUNTRY", "REGION", "PROGRAM", "ORG", "MONEY", "PERCENT", "DATE", "SECTOR")
# COUNT is internal: counts of funded things ("about 200 universities") become
# measures but are not a mention type of the annotation guide.
INTERNAL_MENTION_TYPES = ("COUNT",)

INSTRUMENTS = (
    "rd_funding", "investment", "tax_incentive", "education_training",
    "technology_transfer", "partnership_cluster", "procurement",
    "regulation_standards", "trade_measure", "target", "condition", "indicator",
)
APPROX_VALUES = ("", "~", ">", "<")
# A measure read from an OCR page under this mean word confidence has its confidence
# multiplied by the page's OCR confidence (docs/DECISIONS.md, "OCR").
OCR_LOW_CONFIDENCE = 0.90


@dataclass
class Paragraph:
    """One paragraph of body text; start/end index the cleaned body text."""
    text: str
    page: int                 # 1-based page where the paragraph starts
    section: str = ""         # section path, " > " separated
    start: int = 0
    end: int = 0
    kind: str = "body"        # body | heading


@dataclass
class Reference:
    doc_id: str
    ref_id: str               # "1", "2", ... in order of the reference list
    text: str
    year: Optional[int] = None


@dataclass
class ParsedDoc:
    doc_id: str
    source_file: str
    format: str               # txt | md | html | pdf
    sha256: str = ""
    pages: int = 0
    words: int = 0
    title: str = ""
    authors: str = ""         # "; " separated
    year: Optional[int] = None
    status: str = "ok"        # ok | error
    error: str = ""
    text: str = ""            # cleaned body text: mention offsets index it
    paragraphs: list[Paragraph] = field(default_factory=list)
    # (offset, page): body text from offset on lies on page, sorted by offset
    page_starts: list[tuple[int, int]] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    # metadata lines removed from the body (authors, affiliations, e-mails...)
    metadata: dict[str, Any] = field(default_factory=dict)
    # pages read by OCR (no usable text layer): their count, and (page, mean word
    # confidence 0..1) for each
    ocr_pages: int = 0
    ocr_confidence: list[tuple[int, float]] = field(default_factory=list)

    def ocr_confidence_at(self, offset: int) -> Optional[float]:
        """The OCR confidence of the page holding ``offset``; None for text-layer pages."""
        if not self.ocr_confidence:
            return None
        page = self.page_at(offset)
        for number, confidence in self.ocr_confidence:
            if number == page:
                return confidence
        return None

    def page_at(self, offset: int) -> int:
        page = 1
        for start, p in self.page_starts:
            if start <= offset:
                page = p
            else:
                break
        return page

    def section_at(self, offset: int) -> str:
        for para in self.paragraphs:
            if para.start <= offset < para.end + 1:
                return para.section
        return ""


@dataclass
class Mention:
    doc_id: str
    mention_id: str           # "<doc_id>:m<start>-<end>-<TYPE>": stable across runs
    type: str
    text: str
    start: int
    end: int
    page: int = 1
    section: str = ""
    canonical: str = ""
    iso3: str = ""
    value: Optional[float] = None
    currency: str = ""
    low: Optional[float] = None
    high: Optional[float] = None
    from_value: Optional[float] = None
    approx: str = ""
    year: Optional[int] = None
    month: Optional[int] = None
    # why a value may be read otherwise ("separator: '48.700' read as
    # thousands; could be a decimal point"); empty when the reading is sure
    flags: str = ""
    # provenance: the OCR confidence (0..1) of the page the mention was read from by
    # OCR; empty for text from a text layer
    ocr_confidence: Optional[float] = None
    # internal: the sentence the mention stands in (offsets into body text)
    sent_start: int = 0
    sent_end: int = 0
    # internal: unit of a COUNT ("universities"), demonym/adjective use, etc.
    unit: str = ""
    # internal: a table cell (extract/tables.py) and the body offsets of its column's
    # name in the header (None when the name is unknown); False for running text
    table_cell: bool = False
    column_start: Optional[int] = None
    column_end: Optional[int] = None


@dataclass
class Measure:
    doc_id: str
    measure_id: str           # "<doc_id>:q<n>" in text order
    quantity_type: str        # money | percent | count
    value: Optional[float] = None
    currency: str = ""
    low: Optional[float] = None
    high: Optional[float] = None
    from_value: Optional[float] = None
    approx: str = ""
    # the quantity mention's flags: an analyst should check the value
    flags: str = ""
    # what the number counts: "percentage points" for a change in points,
    # the counted noun of a count ("universities"); for money read from a
    # table cell, "table: <column name>" ("table: Cohesion Fund EURbn");
    # else empty for money and "%"
    unit: str = ""
    country: str = ""
    region: str = ""
    program: str = ""
    org: str = ""
    # ids of program and org in the corpus registries (filled by collect)
    program_id: str = ""
    org_id: str = ""
    year: Optional[int] = None
    sector: str = ""
    instrument: str = ""
    beneficiary: str = ""
    confidence: float = 0.0
    page: int = 1
    section: str = ""
    evidence: str = ""
    # money in USD and EUR at the annual average rate of fx_year (the
    # measure's year, else the paper's): filled by collect (pipeline/fx.py);
    # empty with a reason in fx_note when there is no rate
    value_usd: Optional[Decimal] = None
    value_eur: Optional[Decimal] = None
    fx_rate: Optional[Decimal] = None     # USD per 1 unit of currency
    fx_year: Optional[int] = None
    fx_source: str = ""
    fx_note: str = ""
    # the OCR confidence (0..1) of the page the quantity was read from by OCR; empty
    # for text from a text layer
    ocr_confidence: Optional[float] = None
    # internal provenance: offsets of the quantity mention in the body text
    start: int = 0
    end: int = 0
    mention_id: str = ""


@dataclass
class ProgramRow:
    doc_id: str
    program: str
    iso3: str = ""
    year: Optional[int] = None
    mentions: int = 0
    program_id: str = ""      # id in program_registry.csv (filled by collect)


@dataclass
class RegistryRow:
    """Columns shared by the corpus registries (one program or body across all papers)."""
    name: str                 # the form used most across papers
    aliases: str = ""         # every other form seen, "; " separated
    iso3: str = ""
    papers: str = ""          # doc ids naming it, ";" separated (duplicates left out)
    n_papers: int = 0
    first_year: Optional[int] = None
    last_year: Optional[int] = None
    mentions: int = 0
    measures: int = 0
    value_usd: Optional[Decimal] = None   # sum of its measures' value_usd (those with a rate)
    note: str = ""            # e.g. an ambiguous merge left apart


@dataclass
class ProgramRegistryRow(RegistryRow):
    program_id: str = ""      # <slug of the name key>-<iso3 or xx>: stable as papers are added


@dataclass
class OrgRegistryRow(RegistryRow):
    org_id: str = ""


@dataclass
class DocumentRow:
    doc_id: str
    source_file: str
    format: str
    sha256: str = ""
    pages: int = 0
    ocr_pages: int = 0
    words: int = 0
    title: str = ""
    authors: str = ""
    year: Optional[int] = None
    status: str = "ok"
    error: str = ""
    # doc_id of the earlier copy of the same paper (same bytes, or the same
    # text under another format or name); its measures stay out of totals
    duplicate_of: str = ""
    duplicate_how: str = ""   # sha256 | text | similar text (Jaccard ...)


# Mention fields used between stages only (sentence bounds, counted unit).
INTERNAL_FIELDS = {"sent_start", "sent_end", "unit", "table_cell", "column_start", "column_end"}

# Output table -> (record class, columns). Measure's start/end/mention_id are
# provenance kept in JSONL; the CSV keeps the guide's columns.
TABLE_COLUMNS: dict[str, list[str]] = {
    "documents": [f.name for f in fields(DocumentRow)],
    "mentions": [f.name for f in fields(Mention) if f.name not in INTERNAL_FIELDS],
    "measures": [f.name for f in fields(Measure) if f.name not in {"start", "end", "mention_id"}],
    "programs": [f.name for f in fields(ProgramRow)],
    "references": [f.name for f in fields(Reference)],
    "program_registry": ["program_id"] + [f.name for f in fields(RegistryRow)],
    "org_registry": ["org_id"] + [f.name for f in fields(RegistryRow)],
}

# Columns holding numbers: never neutralized for spreadsheets (a negative
# number stays a number).
NUMERIC_COLUMNS = {
    "pages", "ocr_pages", "words", "year", "start", "end", "page", "value", "low", "high",
    "from_value", "month", "confidence", "mentions", "ocr_confidence",
    "value_usd", "value_eur", "fx_rate", "fx_year", "n_papers", "first_year", "last_year", "measures",
}


def to_dict(record: Any) -> dict[str, Any]:
    return dataclasses.asdict(record)


def _coerce(cls, data: dict[str, Any]):
    known = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in known}


def paragraph_from_dict(d: dict[str, Any]) -> Paragraph:
    return Paragraph(**_coerce(Paragraph, d))


def parsed_from_dict(d: dict[str, Any]) -> ParsedDoc:
    d = _coerce(ParsedDoc, dict(d))
    d["paragraphs"] = [paragraph_from_dict(p) for p in d.get("paragraphs", [])]
    d["references"] = [Reference(**_coerce(Reference, r)) for r in d.get("references", [])]
    d["page_starts"] = [tuple(x) for x in d.get("page_starts", [])]
    d["ocr_confidence"] = [tuple(x) for x in d.get("ocr_confidence", [])]
    return ParsedDoc(**d)


def mention_from_dict(d: dict[str, Any]) -> Mention:
    return Mention(**_coerce(Mention, d))


def measure_from_dict(d: dict[str, Any]) -> Measure:
    return Measure(**_coerce(Measure, d))


def document_row(doc: ParsedDoc) -> DocumentRow:
    return DocumentRow(
        doc_id=doc.doc_id, source_file=doc.source_file, format=doc.format,
        sha256=doc.sha256, pages=doc.pages, ocr_pages=doc.ocr_pages, words=doc.words, title=doc.title,
        authors=doc.authors, year=doc.year, status=doc.status, error=doc.error,
    )
