"""A first mapping for a client's file, as the client exported it (``alliancekit intake``).

The consultant who just received a Salesforce report, a HubSpot export or a Forms download
wants to know which of its columns is which of the kit's, how its dates and numbers are
written and which stage means won. This module reads the file as it is (:func:`read_raw`:
every cell as text, no header assumed), finds the header under any report title rows
(:func:`find_header_row`) and proposes a :class:`~.mapping.DataMapping` (:func:`propose`):

- headers are matched to kit columns by name (rapidfuzz, on normalised text), by a table of
  the names CRM exports use (Salesforce, HubSpot), and by what the column holds (dates,
  numbers, a vocabulary);
- the content decides ``date_format`` (a day above 12 tells ``%d/%m`` from ``%m/%d``),
  ``decimal``, ``outcomes`` (the stages that mean won and lost), ``separator`` and
  ``partners_by`` (partner cells holding names rather than ids) and ``values``;
- a wide survey export (one column per question) gets ``layout: wide``, its role column, each
  question column matched to the questionnaire's statements and a ``scale`` for the answer labels.

Everything here is pure: nothing is printed. :meth:`Proposal.yaml` writes the ready-to-paste
block with ``# comments`` on whatever is uncertain; :meth:`Proposal.columns_table` lists the
client's columns with sample values and the kit column each became.
"""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd
import yaml
from rapidfuzz import fuzz

from ..errors import InputError, Problem, did_you_mean
from ..loading import ENCODINGS, ReadFailure
from ..schemas import KNOWN_METRICS, SPECS, ColumnSpec, spec as column_spec
from ..validation import CATEGORIES, CATEGORY_SYNONYMS, category_key
from .mapping import PARTNER_COLUMNS, WIDE_INPUTS, DataMapping, kit_columns

#: A proposed column at or above this score is used; below :data:`SURE` it carries a "check" comment.
ACCEPT = 75
SURE = 90
#: A question column is matched to a statement at or above this score (statements are long texts).
QUESTION_ACCEPT = 60
QUESTION_SURE = 85
#: Rows looked at to find the header; data rows profiled per column (vocabularies use every row).
HEADER_SCAN = 50
PROFILE_ROWS = 300

# ----------------------------------------------------------------------------------------------
# Reading the file as it is
# ----------------------------------------------------------------------------------------------


def read_raw(path: str | Path, sheet: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """The file's cells as strings (``""`` when empty), no header assumed; and the sheet read.

    ``.csv``: the encodings and separators the kit's reader accepts (UTF-8, UTF-16, cp1252;
    comma, semicolon or tab), with blank lines kept so row numbers are the file's.
    ``.xlsx``: the sheet named, else the workbook's only (or first non-empty) sheet; Excel
    date cells become ISO dates (``2025-03-15``, with the time when it is not midnight).
    ``rows.attrs`` holds ``source``, ``sheets`` (workbook), ``encoding`` and ``separator``
    (CSV), and ``date_cells``: column number -> how many cells were Excel dates.
    Raises :class:`~alliancekit.loading.ReadFailure` for a file that cannot be read.
    """
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise ReadFailure(Problem(label, f"file not found: {path}"))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        table, attrs = _read_xlsx_raw(path, sheet, label)
    elif suffix in (".xls", ".xlsm", ".xlsb", ".ods"):  # the kit reads .xlsx workbooks only
        raise ReadFailure(Problem(label, f"the kit reads .xlsx workbooks and CSV files, not {suffix}: "
                                         "open it and save it as .xlsx (Excel Workbook) or CSV UTF-8"))
    else:
        if sheet:
            raise ReadFailure(Problem(label, "--sheet is for .xlsx workbooks only"))
        table, attrs = _read_csv_raw(path, label)
    width = max((len(r) for r in table), default=0)
    rows = pd.DataFrame([r + [""] * (width - len(r)) for r in table], columns=range(width), dtype=object)
    filled = rows.ne("").any(axis=0) if width else pd.Series(dtype=bool)
    last = max((i for i, f in enumerate(filled) if f), default=-1)  # trailing empty columns: Excel's ",,,,"
    rows = rows.iloc[:, : last + 1]
    if rows.empty or not rows.ne("").any().any():
        raise ReadFailure(Problem(label, "the file is empty (expected a header row and data rows)"))
    rows.attrs.update(attrs, source=label)
    return rows, attrs.get("sheet")


def _read_csv_raw(path: Path, label: str) -> tuple[list[list[str]], dict]:
    """Records of a CSV file, as the kit's reader decodes it (``loading.read_csv_file``).

    Written beside that reader rather than through it: pandas needs the header on line 1 and
    one field count for the whole file, which a report with title lines above its header has not.
    """
    data = path.read_bytes()
    if not data.strip():
        raise ReadFailure(Problem(label, "the file is empty (expected a header row and data rows)"))
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ENCODINGS
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadFailure(Problem(label, "cannot decode the file as UTF-8, UTF-16 or cp1252; save it as 'CSV UTF-8'"))
    separator = _separator(text[:65_536])
    try:
        records = [[cell.strip() for cell in record]
                   for record in csv.reader(io.StringIO(text, newline=""), delimiter=separator, skipinitialspace=True)]
    except csv.Error as exc:
        raise ReadFailure(Problem(label, f"not a well-formed CSV file: {exc}")) from None
    return records, {"encoding": encoding, "separator": separator}


def _separator(sample: str) -> str:
    """``,``, ``;`` or tab: the one that splits most lines into the same number of fields.

    Unlike the kit's reader (header line only), every line of the sample counts: a report's
    title lines above the header have no separator at all.
    """
    lines = [line for line in sample.splitlines()[:HEADER_SCAN] if line.strip()]
    best, best_score = ",", 0
    for sep in (",", ";", "\t"):
        counts = [len(r) for r in csv.reader(lines, delimiter=sep) if len(r) > 1]
        if not counts:
            continue
        mode = statistics.mode(counts)
        score = mode * counts.count(mode)
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_xlsx_raw(path: Path, sheet: str | None, label: str) -> tuple[list[list[str]], dict]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise ReadFailure(Problem(label, f"cannot open the workbook: {exc}")) from None
    try:
        sheets = list(book.sheetnames)
        if sheet is not None and sheet not in sheets:
            raise ReadFailure(Problem(label, f"no sheet named '{sheet}'; the workbook has: {', '.join(sheets)}"))
        for name in [sheet] if sheet is not None else sheets:
            worksheet = book[name]
            worksheet.reset_dimensions()  # some exports declare a wrong size; read every row
            table, date_cells = [], {}
            for values in worksheet.iter_rows(values_only=True):
                row = []
                for col, value in enumerate(values):
                    if isinstance(value, (datetime, date)):
                        date_cells[col] = date_cells.get(col, 0) + 1
                    row.append(_cell_text(value))
                table.append(row)
            if any(any(row) for row in table):
                return table, {"sheet": name, "sheets": sheets, "date_cells": date_cells}
        raise ReadFailure(Problem(f"{label}[{sheet}]" if sheet else label,
                                  "the sheet is empty (expected a header row and data rows)"))
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    """A workbook cell as the kit's reader sees it (pandas ``dtype=str``), dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ----------------------------------------------------------------------------------------------
# What cells hold: dates, numbers, ids
# ----------------------------------------------------------------------------------------------

#: Date and month formats recognised, in order of preference when several fit.
DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d",
    "%m/%d/%Y", "%d/%m/%Y", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%y", "%d/%m/%y",
    "%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%y", "%d-%m-%Y", "%d %b %Y", "%b %d, %Y",
    "%Y-%m", "%m/%Y", "%m.%Y", "%b %Y", "%B %Y", "%b-%y",
)
_ISO = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_US_DAY_MONTH = {("%m/%d/%Y", "%d/%m/%Y"), ("%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M"), ("%m/%d/%y", "%d/%m/%y")}


def _parses(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
        return True
    except ValueError:
        return False


_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}|^[A-Za-z]{3,9}[ -]\d|^\d{1,2} [A-Za-z]{3}")  # before trying formats


def _is_date(value: str) -> bool:
    return bool(_DATE_LIKE.match(value)) and any(_parses(value, f) for f in DATE_FORMATS)


def fitting_formats(values: Iterable[str]) -> list[str]:
    """The formats of :data:`DATE_FORMATS` that read every value (in preference order)."""
    values = list(dict.fromkeys(v for v in values if v))[:PROFILE_ROWS]
    return [f for f in DATE_FORMATS if values and all(_parses(v, f) for v in values)]


_CURRENCY = re.compile(r"[$€£¥]|\b(?:USD|EUR|GBP|CHF|JPY|AUD|CAD|SEK|NOK|DKK)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,3}(?:([.,'\u00a0 ])\d{3})*(?:[.,]\d+)?$|^\d+(?:[.,]\d+)?$")


def _number_core(value: str) -> str | None:
    """The digits and marks of a number cell (``$1,234.50`` -> ``1,234.50``), or None if not a number."""
    text = _CURRENCY.sub("", value).replace("%", "").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = text.lstrip("+-−").strip()
    return text if text and _NUMBER.match(text) else None


def _decimal_vote(core: str) -> str | None:
    """``.`` or ``,`` when the number shows its decimal mark, else None (``1,234`` could be either)."""
    if re.match(r"^\d{1,3}(,\d{3})+\.\d+$", core) or re.match(r"^\d{1,3}(,\d{3}){2,}$", core):
        return "."
    if re.match(r"^\d{1,3}(\.\d{3})+,\d+$", core) or re.match(r"^\d{1,3}(\.\d{3}){2,}$", core):
        return ","
    if re.match(r"^\d+,(\d{1,2}|\d{4,})$", core):
        return ","
    if re.match(r"^\d+\.(\d{1,2}|\d{4,})$", core):
        return "."
    return None


def _id_like(value: str) -> bool:
    """A code rather than a name: no spaces and at least one digit (``P001``, ``0061t00000AbCdE``)."""
    return bool(value) and not re.search(r"\s", value) and bool(re.search(r"\d", value))


@dataclass
class _Column:
    """One client column: its header, position and non-empty values."""

    index: int
    header: str
    values: list[str]
    date_cells: int = 0

    @cached_property
    def distinct(self) -> list[str]:
        return list(dict.fromkeys(self.values))

    @property
    def sample(self) -> list[str]:
        """Distinct values, at most :data:`PROFILE_ROWS` (what a column holds, not how often)."""
        return self.distinct[:PROFILE_ROWS]

    def share(self, test) -> float:
        sample = self.sample
        return sum(1 for v in sample if test(v)) / len(sample) if sample else 0.0

    @cached_property
    def numbers(self) -> float:
        return self.share(lambda v: _number_core(v) is not None and not _is_date(v))

    @cached_property
    def dates(self) -> float:
        return self.share(_is_date)


# ----------------------------------------------------------------------------------------------
# The header row
# ----------------------------------------------------------------------------------------------


def find_header_row(rows: pd.DataFrame) -> int:
    """The 1-based row holding the column names.

    Report title rows above it ("Opportunity report", "Generated by ...", blank rows) are
    skipped: the header is the first row whose filled cells are mostly distinct short texts
    (not numbers or dates), about as many as the table's rows fill, and that is followed by
    rows filling a similar number of cells.
    """
    head = rows.iloc[: HEADER_SCAN * 4]
    filled = [[c for c in row if c] for row in head.itertuples(index=False)]
    counts = [len(cells) for cells in filled if cells]
    if not counts:
        return 1
    width = statistics.median(counts)
    for i, cells in enumerate(filled[:HEADER_SCAN]):
        n = len(cells)
        if not n or n < max(min(2, width), 0.6 * width):
            continue
        texts = [c for c in cells if _number_core(c) is None and not _is_date(c) and len(c) <= 250]
        if len(set(cells)) < 0.9 * n or len(texts) < 0.8 * n:
            continue
        following = [len(c) for c in filled[i + 1:] if c][:3]
        if not following or all(f >= 0.5 * n for f in following):
            return i + 1
    return next(i for i, cells in enumerate(filled) if cells) + 1


# ----------------------------------------------------------------------------------------------
# Names: the kit's columns as CRM exports call them
# ----------------------------------------------------------------------------------------------

#: kit column -> names it has in Salesforce and HubSpot exports and in common spreadsheets.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "opportunity_id": ("Opportunity ID", "Opportunity Number", "Opp ID", "Record ID", "Deal ID", "Opportunity 18 ID"),
    "partner_ids": ("Partner Account", "Partner Accounts", "Partner", "Partners", "Partner Account Name",
                    "Partner Name", "Partner Names", "Associated Company", "Partner ID", "Partner IDs"),
    "amount": ("Amount", "Deal Amount", "Close Value", "Opportunity Amount", "Deal Value", "Total Contract Value",
               "Amount (converted)", "Value"),
    "stage": ("Stage", "Deal Stage", "Opportunity Stage", "Sales Stage", "Pipeline Stage"),
    "created": ("Created Date", "Create Date", "Engage Date", "Created On", "Date Created", "Opened Date", "Created"),
    "closed": ("Close Date", "Closed Date", "Date Closed", "Closed On", "Actual Close Date"),
    "won": ("Won", "Is Won", "Is Closed Won"),
    "attribution": ("Partner Role", "Source", "Attribution", "Partner Involvement", "Deal Source", "Partner Source"),
    "partner_id": ("Partner ID", "Account ID", "Company ID", "Record ID", "Partner Number", "Partner Account ID"),
    "partner_name": ("Account Name", "Partner Name", "Company Name", "Company", "Partner Account", "Name"),
    "partner_type": ("Type", "Partner Type", "Account Type", "Partner Category", "Company Type"),
    "tier": ("Tier", "Partner Level", "Partner Tier", "Level", "Program Level"),
    "region": ("Region", "Territory", "Geo", "Geography", "Sales Region", "Theater"),
    "start_date": ("Start Date", "Partner Since", "Contract Start Date", "Onboarding Date", "Join Date"),
    "alliance_manager": ("Alliance Manager", "Partner Manager", "Channel Manager", "Partner Account Manager",
                         "Account Owner", "Owner"),
    "exec_sponsor": ("Executive Sponsor", "Exec Sponsor", "Sponsor"),
    "annual_target": ("Annual Target", "Target", "Quota", "Revenue Target"),
    "month": ("Month", "Period", "Fiscal Period", "Reporting Month", "Date"),
    "revenue": ("Revenue", "Bookings", "Total Revenue", "Partner Revenue", "Sales"),
    "pipeline_created": ("Pipeline Created", "Pipeline", "New Pipeline"),
    "deal_registrations": ("Deal Registrations", "Deal Regs", "Registered Deals"),
    "certifications": ("Certifications", "Certified Staff", "Certified Consultants"),
    "enablement_sessions": ("Enablement Sessions", "Trainings", "Training Sessions"),
    "new_customers": ("New Customers", "New Logos"),
    "mdf_allocated": ("MDF Allocated", "MDF Budget"),
    "mdf_spent": ("MDF Spent", "MDF Used", "MDF Claimed"),
    "sourced_revenue": ("Sourced Revenue", "Partner Sourced Revenue"),
    "influenced_revenue": ("Influenced Revenue", "Partner Influenced Revenue"),
    "joint_campaigns": ("Joint Campaigns", "Campaigns"),
    "interview_id": ("Interview ID", "ID"),
    "respondent_name": ("Respondent Name", "Interviewee", "Name"),
    "respondent_role": ("Respondent Role", "Job Title", "Title", "Role"),
    "text": ("Text", "Notes", "Transcript", "Statement", "Comment"),
    "respondent_id": ("Respondent ID", "Response ID", "Respondent", "ID"),
    "role": ("Role", "Job Title", "Function", "Position", "Department", "Title"),
    "question_id": ("Question ID", "Question", "Item"),
    "score": ("Score", "Rating", "Answer", "Response"),
    "staff_id": ("Staff ID", "Employee ID", "Employee Number", "Employee"),
    "partners_covered": ("Partners Covered", "Partners", "Partner Accounts", "Assigned Partners"),
    "fte": ("FTE", "Allocation", "Time Allocation"),
    "candidate_id": ("Candidate ID", "ID"),
    "candidate_name": ("Candidate Name", "Candidate", "Company Name", "Company", "Name"),
    "year": ("Year", "Fiscal Year"),
    "quadrant": ("Quadrant", "Label", "Category"),
}
#: In a file with one row per partner (and no ``partner_name``), the partner column may be a name column.
#: Not for opportunities: there "Account Name" is the customer.
_PARTNER_BY_NAME = ("Partner Name", "Partner", "Account Name", "Company Name", "Partner Account", "Account", "Company")

_STOPWORDS = frozenset("a an the of is are your you what which who my our do does for please select enter this".split())


def normalise(text: str) -> str:
    """Lower-case words without accents, punctuation or question words ("What is your role?" -> "role")."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("#", " number ")
    words = re.sub(r"[^A-Za-z0-9%]+", " ", text).lower().split()
    return " ".join(w for w in words if w not in _STOPWORDS)


def similarity(a: str, b: str) -> float:
    """0-100: rapidfuzz's ``token_set_ratio`` (word order and containment do not matter), averaged with
    ``token_sort_ratio`` so that extra words count ("Date" is not as good a name for "closed" as "Close Date")."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def _names(input_name: str, column: str) -> tuple[str, ...]:
    names = (column.replace("_", " "), *SYNONYMS.get(column, ()))
    if column == "partner_id" and "partner_name" not in kit_columns(input_name):
        names += _PARTNER_BY_NAME
    return names


def _name_score(input_name: str, column: str, header: str) -> tuple[float, str]:
    """How well ``header`` names kit ``column``, and why."""
    if header == column or normalise(header) == normalise(column):
        return 100.0, "same name"
    target = normalise(header)
    for name in _names(input_name, column)[1:]:
        if normalise(name) == target:
            return 100.0, f"'{name}' is a usual name of {column} in CRM exports"
    score, name = max((similarity(header, n), n) for n in _names(input_name, column))
    return score, f"similar name ({score:.0f} for '{name}')"


# ----------------------------------------------------------------------------------------------
# Vocabularies: stages, attributions, partner types, booleans, answer scales
# ----------------------------------------------------------------------------------------------

_ATTRIBUTION_WORDS = {"sourced": ("sourc", "referr", "referral", "originat", "registered", "generated"),
                      "influenced": ("influenc", "assist", "cosell", "co sell", "support", "touch")}
_PARTNER_TYPE_WORDS = {
    "ISV": ("isv", "software", "technology", "tech partner", "saas"),
    "GSI": ("gsi", "system integrator", "systems integrator", "integrator", "consult", "services partner"),
    "cloud": ("cloud", "hyperscaler", "marketplace"),
    "IHV": ("ihv", "hardware"),
    "reseller": ("reseller", "var", "solution provider"),
    "distributor": ("distribut", "disti"),
    "OEM": ("oem", "embedded", "white label"),
    "other": ("other",),
}
_TRUE = {"true", "yes", "y", "1", "won", "x", "wahr", "ja"}
_FALSE = {"false", "no", "n", "0", "lost", "falsch", "nein"}

#: Answer labels and their score on the kit's 1-5 scale; longest phrase first wins.
SCALE_LEXICON: dict[str, int | None] = {
    "not applicable": None, "n a": None, "na": None, "don t know": None, "dont know": None, "do not know": None,
    "no basis to judge": None, "prefer not to say": None, "not sure": None, "unsure": None, "no opinion": None,
    "strongly disagree": 1, "somewhat disagree": 2, "disagree": 2, "neither agree nor disagree": 3, "neutral": 3,
    "somewhat agree": 4, "agree": 4, "strongly agree": 5,
    "never": 1, "rarely": 2, "seldom": 2, "sometimes": 3, "occasionally": 3, "often": 4, "usually": 4,
    "most of the time": 4, "always": 5,
    "not at all": 1, "not": 1, "none": 1, "no": 1, "slightly": 2, "a little": 2, "small extent": 2, "barely": 2,
    "partially": 3, "partly": 3, "somewhat": 3, "some extent": 3, "moderately": 3, "in part": 3,
    "largely": 4, "mostly": 4, "large extent": 4, "great extent": 5, "fully": 5, "completely": 5, "entirely": 5,
    "little": 2, "poor": 1, "fair": 2, "good": 3, "very good": 4, "excellent": 5,
}
_LEXICON = {normalise(phrase): score for phrase, score in SCALE_LEXICON.items()}


def _scale_score(label: str, questionnaire_scale: dict[int, str]) -> tuple[bool, int | None]:
    """(known, score) of one answer label: the questionnaire's own level names, a leading digit, the lexicon."""
    text = normalise(label)
    for level, name in questionnaire_scale.items():
        if normalise(name) == text or re.fullmatch(rf"{level}\W+{re.escape(normalise(name))}", text):
            return True, level
    digit = re.match(r"^([1-5])(?:\s|$)", text)
    if digit:
        return True, int(digit.group(1))
    if re.sub(r"\W", "", label.lower()) in ("na", "dk"):
        return True, None
    padded = f" {text} "
    for phrase in sorted(_LEXICON, key=len, reverse=True):
        if f" {phrase} " in padded:
            return True, _LEXICON[phrase]
    return False, None


def _compact(text: str) -> str:
    return re.sub(r"[^a-z]", "", str(text).lower())


def _outcome(stage: str) -> str | None:
    compact = _compact(stage)
    if "won" in compact or compact in ("win", "booked"):
        return "won"
    if "lost" in compact or compact in ("lose", "dead", "closedlose"):
        return "lost"
    return None


def _vocabulary(labels: Iterable[str], words: dict[str, tuple[str, ...]], valid: Sequence[str]) -> tuple[dict, list]:
    """client label -> kit value for the labels the word lists recognise; the labels they do not."""
    mapped, unknown = {}, []
    for label in labels:
        if label in valid:
            continue
        text = f" {normalise(label)} "
        compact = _compact(label)
        hit = next((kit for kit, stems in words.items() for stem in stems
                    if (f" {stem}" in text if len(stem) <= 3 else stem.replace(" ", "") in compact)), None)
        if hit is None:
            hit = next((v for v in valid if v.lower() == label.strip().lower()), None)
        if hit is None:
            unknown.append(label)
        else:
            mapped[label] = hit
    return mapped, unknown


# ----------------------------------------------------------------------------------------------
# The proposal
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    """One proposed column: the kit column (or question id), the client's header, a 0-100 score and why."""

    target: str
    header: str
    score: float
    reason: str

    @property
    def sure(self) -> bool:
        return self.score >= (QUESTION_SURE if re.fullmatch(r"[A-Z]+\d", self.target) else SURE)


#: The contract's keys in its order (the YAML block follows it).
FIELDS = tuple(DataMapping.model_fields)


@dataclass
class Proposal:
    """A proposed mapping of one client file to kit input ``input_name``.

    ``mapping``: the keys of :class:`~.mapping.DataMapping` that differ from the defaults
    (without ``path``); ``matches``: kit column (or, for a wide survey, question id) -> the
    :class:`Match` chosen; ``unmapped``: kit columns (or question ids) no client column was
    found for; ``comments``: key of the mapping -> lines saying what is uncertain, and
    ``entry_comments``: ``(key, entry)`` -> a short remark on one entry; ``notes``: about the file.
    """

    input_name: str
    header_row: int
    headers: list[str]
    samples: list[list[str]]
    mapping: dict[str, Any]
    matches: dict[str, Match]
    unmapped: list[str]
    comments: dict[str, list[str]] = field(default_factory=dict)
    entry_comments: dict[tuple[str, str], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def kit_column_of(self, header: str) -> str:
        """What the client's column ``header`` becomes ("" when nothing)."""
        if self.mapping.get("layout") == "wide":
            if header == self.mapping.get("role"):
                return "role"
            if header == self.mapping.get("respondent"):
                return "respondent_id"
            return next((f"question {q}" for q, h in self.mapping.get("questions", {}).items() if h == header), "")
        return next((m.target for m in self.matches.values() if m.header == header), "")

    def columns_table(self) -> pd.DataFrame:
        """Every client column with up to 3 distinct sample values (30 characters at most) and its kit column."""
        return pd.DataFrame({
            "column": self.headers,
            "samples": [" | ".join(_truncate(v, 30) for v in values[:3]) for values in self.samples],
            "kit column": [self.kit_column_of(h) for h in self.headers],
        })

    def yaml(self, input_name: str | None = None, path: str | Path = "") -> str:
        """The ready-to-paste block: ``data:`` then ``  <input>:`` and the mapping, keys in the contract's
        order, ``# comments`` on anything uncertain, values quoted where YAML would misread them."""
        name = input_name or self.input_name
        lines = ["data:", f"  {name}:"]
        for line in self.comments.get("", []):
            lines.extend(_comment(line))
        body = {"path": str(path), **self.mapping} if str(path) else dict(self.mapping)
        for key in FIELDS:
            for line in self.comments.get(key, []):
                lines.extend(_comment(line))
            if key not in body:
                continue
            value = body[key]
            if isinstance(value, dict):
                lines.append(f"    {key}:")
                for entry, item in value.items():
                    note = self.entry_comments.get((key, str(entry)))
                    tail = f"  # {note}" if note else ""
                    if isinstance(item, dict):
                        lines.append(f"      {_yaml_scalar(entry)}:{tail}")
                        lines.extend(f"        {_yaml_scalar(k)}: {_yaml_scalar(v)}" for k, v in item.items())
                    elif isinstance(item, list):
                        lines.append(f"      {_yaml_scalar(entry)}: [{', '.join(_yaml_scalar(v) for v in item)}]{tail}")
                    else:
                        lines.append(f"      {_yaml_scalar(entry)}: {_yaml_scalar(item)}{tail}")
            else:
                note = self.entry_comments.get((key, ""))
                text = f"[{', '.join(_yaml_scalar(v) for v in value)}]" if isinstance(value, list) else _yaml_scalar(value)
                lines.append(f"    {key}: {text}" + (f"  # {note}" if note else ""))
        return "\n".join(lines) + "\n"


def _comment(text: str, indent: str = "    ", width: int = 100) -> list[str]:
    """A ``# comment`` wrapped at ``width``, continuation lines indented under its text."""
    import textwrap

    return textwrap.wrap(text, width, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}#   ",
                         break_long_words=False, break_on_hyphens=False)


def _truncate(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


_PLAIN = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_ ./()&+'?!-]*$")


def _yaml_scalar(value: Any) -> str:
    """``value`` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text == text.strip():
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text} and yaml.safe_load(f"[{text}]") == [text]:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _load_questionnaire(questionnaire):
    from ..paths import TEMPLATES
    from ..strategy_assessment.templates import QUESTIONNAIRE_FILE, Questionnaire, load_questionnaire

    if isinstance(questionnaire, Questionnaire):
        return questionnaire
    loaded, problems = load_questionnaire(Path(questionnaire) if questionnaire else TEMPLATES / QUESTIONNAIRE_FILE)
    if problems:
        raise InputError(problems)
    return loaded


def propose(rows: pd.DataFrame, input_name: str, questionnaire=None) -> Proposal:
    """A proposed mapping of the raw table ``rows`` (:func:`read_raw`) to kit input ``input_name``.

    ``questionnaire``: for a wide ``maturity_survey`` export, the questionnaire whose
    statements the question columns are matched to (a loaded questionnaire or a path;
    default: the kit's template). Raises :class:`~alliancekit.errors.InputError` for an
    unknown input name or an unreadable questionnaire.
    """
    if input_name not in SPECS:
        raise InputError(Problem("--as", f"unknown input '{input_name}'; {did_you_mean(input_name, SPECS)}"))
    header_row = find_header_row(rows)
    header_cells = [str(c) for c in rows.iloc[header_row - 1]]
    data = rows.iloc[header_row:]
    data = data[data.ne("").any(axis=1)]
    date_cells = rows.attrs.get("date_cells", {})
    columns = [_Column(i, h, [v for v in data.iloc[:, i] if v], date_cells.get(i, 0))
               for i, h in enumerate(header_cells) if h]
    mapping: dict[str, Any] = {}
    notes = []
    sheets = rows.attrs.get("sheets") or []
    if len(sheets) > 1:
        mapping["sheet"] = rows.attrs.get("sheet")
        notes.append(f"sheet '{rows.attrs.get('sheet')}' of {len(sheets)} ({', '.join(sheets)})")
    if header_row != 1:
        mapping["header_row"] = header_row
        notes.append(f"rows 1-{header_row - 1} above the header are skipped" if header_row > 2
                     else "row 1 above the header is skipped")
    if rows.attrs.get("encoding") == "cp1252":
        notes.append("not UTF-8: read as cp1252 (Windows Western)")
    proposal = Proposal(input_name, header_row, [c.header for c in columns], [c.distinct[:3] for c in columns],
                        mapping, {}, [], notes=notes)
    if input_name in WIDE_INPUTS and _looks_wide(columns):
        _propose_wide(proposal, columns, _load_questionnaire(questionnaire))
    else:
        _propose_long(proposal, columns)
    return proposal


# ----------------------------------------------------------------------------------------------
# Long tables: one kit column per client column
# ----------------------------------------------------------------------------------------------

def _spec(input_name: str, column: str) -> ColumnSpec:
    return column_spec(input_name, column) or ColumnSpec(column, "number", required=False)


def _content(spec: ColumnSpec, column: _Column) -> tuple[float, str]:
    """A bonus or penalty for what the client's column holds, given what kit column ``spec`` must hold."""
    if not column.values:
        return 0.0, "the column is empty"
    kind = spec.kind
    if kind in ("date", "month", "number", "count"):
        share, what = (column.dates, "dates") if kind in ("date", "month") else (column.numbers, "numbers")
        if share >= 0.8:
            return 10.0, f"values are {what}"
        return (-40.0, f"values are not {what}") if share < 0.2 else (0.0, "")
    if kind == "bool":
        share = column.share(lambda v: v.strip().lower() in _TRUE | _FALSE)
        return (10.0, "values are yes/no") if share >= 0.8 else (-30.0, "values are not yes/no")
    if kind == "choice":
        words = {"partner_type": _PARTNER_TYPE_WORDS, "attribution": _ATTRIBUTION_WORDS}.get(spec.name)
        distinct = column.distinct[:50]
        read = {category_key(v) for v in spec.choices} | set(CATEGORY_SYNONYMS.get(spec.name, ()))
        known = [d for d in distinct if category_key(d) in read]
        if words:
            known += list(_vocabulary([d for d in distinct if d not in known], words, spec.choices)[0])
        if len(known) >= 0.5 * len(distinct):
            return 10.0, f"values are {spec.name} labels"
        return 0.0, ""
    if column.dates >= 0.8 or (column.numbers >= 0.8 and kind != "id"):
        return -20.0, "values are " + ("dates" if column.dates >= 0.8 else "numbers")
    if kind == "id" and spec.unique:
        return (5.0, "values are unique") if len(set(column.values)) == len(column.values) else (-15.0, "values repeat")
    return 0.0, ""


def _propose_long(proposal: Proposal, columns: list[_Column]) -> None:
    name = proposal.input_name
    kit = tuple(dict.fromkeys(kit_columns(name)))  # partner_metrics' known metrics are also in its specs
    candidates = []
    for order, col in enumerate(kit):
        spec = _spec(name, col)
        for column in columns:
            score, reason = _name_score(name, col, column.header)
            if score < 50:
                continue
            bonus, why = _content(spec, column)
            total = max(0.0, min(100.0, score + bonus))
            candidates.append((total, spec.required, -order, col, column, reason + (f"; {why}" if why else "")))
    taken_kit, taken_client = set(), set()
    for total, _, _, col, column, reason in sorted(candidates, key=lambda c: c[:3], reverse=True):
        if total < ACCEPT or col in taken_kit or column.index in taken_client:
            continue
        taken_kit.add(col)
        taken_client.add(column.index)
        proposal.matches[col] = Match(col, column.header, round(total, 1), reason)
    by_header = {c.header: c for c in columns}
    matches = dict(sorted(proposal.matches.items(), key=lambda kv: kit.index(kv[0])))
    proposal.matches.clear()
    proposal.matches.update(matches)
    mapping = proposal.mapping
    column_map = {col: m.header for col, m in matches.items() if m.header != col}
    if column_map:
        mapping["columns"] = column_map
    for col, m in matches.items():
        if not m.sure:
            proposal.entry_comments[("columns", col)] = f"check: {m.reason} (score {m.score:.0f})"
    column_of = {col: by_header[m.header] for col, m in matches.items()}

    if name == "opportunities" and "stage" in column_of:
        _outcomes(proposal, column_of["stage"])
    values: dict[str, dict] = {}
    for col, column in column_of.items():
        _values(proposal, _spec(name, col), column, values)
    if values:
        mapping["values"] = values
    _dates(proposal, column_of)
    _decimal(proposal, column_of, columns)
    partner_col = PARTNER_COLUMNS.get(name)
    if partner_col in column_of:
        _partners(proposal, partner_col, column_of[partner_col])

    covered = {"won"} if "outcomes" in mapping else set()
    proposal.unmapped[:] = [c for c in kit if c not in matches and c not in covered]
    required = [c for c in proposal.unmapped if _spec(name, c).required]
    optional = [c for c in proposal.unmapped if not _spec(name, c).required and c not in KNOWN_METRICS]
    lines = []
    if required:
        lines.append(f"not found (required): {', '.join(required)}: add  <kit column>: <client header>  under columns")
    if optional:
        lines.append(f"not found (optional): {', '.join(optional)}")
    if name == "partner_metrics":
        extra = [c.header for c in columns if c.index not in taken_client and c.numbers >= 0.8]
        if extra:
            lines.append(f"other numeric columns are kept as indicators: {', '.join(extra)}")
    proposal.comments.setdefault("columns", []).extend(lines)


def _outcomes(proposal: Proposal, column: _Column) -> None:
    stages = column.distinct
    won = [s for s in stages if _outcome(s) == "won"]
    lost = [s for s in stages if _outcome(s) == "lost"]
    open_ = [s for s in stages if _outcome(s) is None]
    if not won and not lost:
        proposal.comments["outcomes"] = [f"no stage says won or lost ({', '.join(stages[:10])}): "
                                         "give  outcomes: {won: [...], lost: [...]}"]
        return
    proposal.mapping["outcomes"] = {k: v for k, v in (("won", won), ("lost", lost)) if v}
    lines = []
    if open_:
        lines.append(f"open stages (neither won nor lost): {', '.join(open_)}")
    closed_open = [s for s in open_ if "closed" in s.lower()]
    if closed_open:
        lines.append(f"check: {', '.join(closed_open)} say closed but neither won nor lost: list them under "
                     "outcomes.closed if they end a deal")
    if not won or not lost:
        lines.append(f"check: no stage found that means {'won' if not won else 'lost'}")
    proposal.comments["outcomes"] = lines
    proposal.mapping["stage_order"] = [*open_, *won, *lost]
    proposal.comments["stage_order"] = ["the stages found; put them in the order of the client's sales process, "
                                        "earliest first: reports list the pipeline in this order"]


def _values(proposal: Proposal, spec: ColumnSpec, column: _Column, values: dict) -> None:
    """``values`` entries for choice and yes/no columns whose labels are not the kit's."""
    distinct = column.distinct[:200]
    if spec.name in CATEGORY_SYNONYMS:  # labels validation reads anyway need no entry
        read = {category_key(v) for v in CATEGORIES[spec.name]} | set(CATEGORY_SYNONYMS[spec.name])
        distinct = [v for v in distinct if category_key(v) not in read]
    if spec.kind == "choice" and spec.name in ("attribution", "partner_type"):
        words = _ATTRIBUTION_WORDS if spec.name == "attribution" else _PARTNER_TYPE_WORDS
        mapped, unknown = _vocabulary(distinct, words, spec.choices)
    elif spec.kind == "bool":
        mapped = {v: "true" for v in distinct if v.strip().lower() in _TRUE}
        mapped |= {v: "false" for v in distinct if v.strip().lower() in _FALSE}
        unknown = [v for v in distinct if v not in mapped]
    else:
        return
    if mapped:
        values[spec.name] = mapped
    if unknown:
        proposal.entry_comments[("values", spec.name)] = "not recognised: " + ", ".join(unknown[:10])
        choices = ", ".join(spec.choices or ("true", "false"))
        proposal.comments.setdefault("values", []).append(
            f"{spec.name}: labels not recognised: {', '.join(unknown[:10])}: map each to one of {choices}")


def _dates(proposal: Proposal, column_of: dict[str, _Column]) -> None:
    """``date_format``: one format for every date and month column (the contract's rule)."""
    name = proposal.input_name
    date_columns = {col: c for col, c in column_of.items() if _spec(name, col).kind in ("date", "month") and c.values}
    if not date_columns:
        return
    fits: dict[str, list[str]] = {}
    mixed = []
    for col, column in date_columns.items():
        # ISO dates are read whatever date_format says (Excel date cells come as ISO dates; a full
        # date in a month column is its month): only the other values need a format
        text = [v for v in column.sample if not _ISO.match(v)]
        if not text:
            continue
        if column.date_cells:
            mixed.append(column.header)
        fits[col] = fitting_formats(text)
    if not fits:
        return
    common = [f for f in DATE_FORMATS if all(f in formats for formats in fits.values())]
    lines = []
    if mixed:
        lines.append(f"{', '.join(mixed)}: some cells are Excel dates, the others text; the format is the text's")
    if not common:
        described = "; ".join(f"{date_columns[col].header}: {', '.join(f[:2]) or 'no known format'}"
                              for col, f in fits.items())
        lines.append(f"check: no one date format reads every date column ({described}); "
                     "give date_format, or have the client export dates as YYYY-MM-DD")
        proposal.comments["date_format"] = lines
        return
    chosen = common[0]
    pair = next((p for p in _US_DAY_MONTH if set(p) <= set(common)), None)
    if pair:
        us, eu = pair
        if _looks_us(column_of):
            chosen = us
            proposal.entry_comments[("date_format", "")] = (
                f"check: every date also reads as {eu}; {us} chosen because amounts are in $")
        else:
            lines.append(f'date_format: "{eu}"  or  "{us}"?  every date reads either way '
                         "(no day above 12): ask the client, then uncomment one")
            proposal.comments["date_format"] = lines
            return
    proposal.mapping["date_format"] = chosen
    if lines:
        proposal.comments["date_format"] = lines


def _looks_us(column_of: dict[str, _Column]) -> bool:
    return any("$" in v or "USD" in v for column in column_of.values() for v in column.sample[:200])


def _decimal(proposal: Proposal, column_of: dict[str, _Column], columns: list[_Column]) -> None:
    name = proposal.input_name
    numeric = [c for col, c in column_of.items() if _spec(name, col).kind in ("number", "count")]
    if name == "partner_metrics":  # every numeric column is an indicator
        numeric += [c for c in columns if c not in numeric and c.numbers >= 0.8]
    votes = {".": 0, ",": 0}
    currency, cores = set(), []
    for column in numeric:
        for v in column.sample:
            core = _number_core(v)
            if core is None:
                continue
            cores.append(core)
            vote = _decimal_vote(core)
            if vote:
                votes[vote] += 1
            currency.update(m.group(0) for m in _CURRENCY.finditer(v))
    decimal = "," if votes[","] > votes["."] else "."
    if decimal == ",":
        proposal.mapping["decimal"] = ","
        if votes["."]:
            proposal.entry_comments[("decimal", "")] = f"check: {votes['.']} numbers read as decimal points"
    groups = [re.match(r"^\d{1,3}([.,'\u00a0 ])\d{3}(?!\d)", core) for core in cores]
    thousands = any(g and g.group(1) != decimal for g in groups)
    marks = []
    if currency:
        marks.append("currency symbols (" + ", ".join(sorted(currency)) + ")")
    if thousands:
        marks.append("thousands separators")
    if marks:
        proposal.notes.append(f"numbers carry {' and '.join(marks)}")


def _partners(proposal: Proposal, col: str, column: _Column) -> None:
    cells = column.sample
    shares = {sep: sum(1 for v in cells if sep in v) for sep in (";", ",", "|")}
    sep = max(shares, key=lambda s: (shares[s], s == ";"))
    separator = sep if shares[sep] else None
    if separator and separator != DataMapping.model_fields["separator"].default:
        proposal.mapping["separator"] = separator
        proposal.entry_comments[("separator", "")] = f"{shares[sep]} {col} cells name several partners"
    pieces = [p.strip() for v in cells for p in (v.split(separator) if separator else [v]) if p.strip()]
    if pieces and sum(1 for p in pieces if not _id_like(p)) > 0.5 * len(pieces):
        proposal.mapping["partners_by"] = "name"
        proposal.entry_comments[("partners_by", "")] = "cells hold names (matched to partners.partner_name)"


# ----------------------------------------------------------------------------------------------
# Wide survey exports: one row per respondent, one column per question
# ----------------------------------------------------------------------------------------------

_GRID = re.compile(r"^(?P<question>.*?)\s*\[(?P<item>[^\]]+)\]\s*$")
_ROLE_NAMES = ("Role", "Your role", "Job Title", "Function", "Position", "Department", "Business Function")
_RESPONDENT_NAMES = ("Respondent ID", "Response ID", "Respondent", "ID", "Respondent Number", "Respondent Code",
                     "Participant ID")


def _looks_wide(columns: list[_Column]) -> bool:
    long = [c for c in columns if len(c.header) >= 40 or _GRID.match(c.header)]
    names = {normalise(c.header) for c in columns}
    return len(long) >= 3 and not {"question id", "score"} <= names


def _question_score(header: str, dimension: str, statement: str) -> float:
    grid = _GRID.match(header)
    if grid:  # Google Forms grid: "Question [item]": the item is the statement, the question may name the dimension
        item = similarity(grid["item"], statement)
        both = similarity(f"{grid['question']} {grid['item']}", f"{dimension} {statement}")
        return max(item, both)
    return similarity(header, statement)


def _propose_wide(proposal: Proposal, columns: list[_Column], questionnaire) -> None:
    mapping = proposal.mapping
    mapping["layout"] = "wide"
    statements = [(qid, d.name, text) for d in questionnaire.dimensions for qid, text in d.questions]
    ids = {qid for qid, _, _ in statements}
    candidates = []
    for column in columns:
        named = [t for t in re.findall(r"\b([A-Z]{2,4}\d)\b", column.header) if t in ids]
        if named:
            candidates.append((100.0, named[0], column, "question id in the header"))
            continue
        if len(column.header) < 25 and not _GRID.match(column.header):
            continue
        for qid, dimension, text in statements:
            score = _question_score(column.header, dimension, text)
            if score >= QUESTION_ACCEPT - 10:
                candidates.append((score, qid, column, f"statement similarity {score:.0f}"))
    taken_q, taken_c = set(), set()
    found = {}
    for score, qid, column, reason in sorted(candidates, key=lambda c: c[0], reverse=True):
        if score < QUESTION_ACCEPT or qid in taken_q or column.index in taken_c:
            continue
        taken_q.add(qid)
        taken_c.add(column.index)
        found[qid] = Match(qid, column.header, round(score, 1), reason)
    order = [qid for qid, _, _ in statements]
    questions = {qid: found[qid].header for qid in order if qid in found}
    for qid in questions:
        proposal.matches[qid] = found[qid]
        if not found[qid].sure:
            proposal.entry_comments[("questions", qid)] = f"check ({found[qid].reason})"
    rest = [c for c in columns if c.index not in taken_c]

    roles = {r.lower() for r in questionnaire.roles}
    best = None
    for column in rest:
        score, name = max((similarity(column.header, n), n) for n in _ROLE_NAMES)
        share = column.share(lambda v: v.strip().lower() in roles)
        total = min(100.0, score + (20 if share >= 0.5 else 0))
        reason = f"similar name ({score:.0f} for '{name}')"
        if share >= 0.5:
            reason += f"; {share:.0%} of values are questionnaire roles"
        if total >= ACCEPT and (best is None or total > best.score):
            best = Match("role", column.header, round(total, 1), reason)
    if best:
        mapping["role"] = best.header
        proposal.matches["role"] = best
        if not best.sure:
            proposal.entry_comments[("role", "")] = f"check: {best.reason}"
    else:
        proposal.comments["role"] = ["role: ?  no column of roles found: give the header of each respondent's role"]
    # a column of respondent codes, else respondents are numbered by row: never e-mail addresses or names
    for column in rest:
        if column.header == mapping.get("role") or not column.values:
            continue
        score = max(similarity(column.header, n) for n in _RESPONDENT_NAMES)
        codes = column.share(lambda v: len(v) <= 40 and "@" not in v and not re.search(r"\s", v))
        if score >= ACCEPT and codes == 1 and len(set(column.values)) == len(column.values):
            mapping["respondent"] = column.header
            proposal.matches["respondent_id"] = Match("respondent_id", column.header, round(score, 1),
                                                      f"similar name ({score:.0f}); unique codes")
            if score < SURE:
                proposal.entry_comments[("respondent", "")] = f"check: {score:.0f} for a respondent id"
            break
    if questions:
        mapping["questions"] = questions
    used = (mapping.get("role"), mapping.get("respondent"))
    unmatched = [c.header for c in rest if c.header not in used and (len(c.header) >= 40 or _GRID.match(c.header))]
    lines = [f"{len(questions)} of {len(statements)} questions matched to {Path(questionnaire.path).name}"]
    missing = [qid for qid in order if qid not in questions]
    if missing:
        lines.append(f"no column for: {', '.join(missing)} (left out, as not asked)")
    if unmatched:
        lines.append("columns not matched to a question: " + "; ".join(_truncate(h, 60) for h in unmatched))
    proposal.comments["questions"] = lines
    proposal.unmapped[:] = missing + ([] if best else ["role"])

    labels = list(dict.fromkeys(v for qid, header in questions.items()
                                for v in next(c for c in columns if c.header == header).values))
    words = [label for label in labels if not re.fullmatch(r"[1-5](\.0)?", label.strip())]
    if not words:
        return
    scale, unknown = {}, []
    for label in words:
        known, score = _scale_score(label, questionnaire.scale)
        if known:
            scale[label] = score
        else:
            unknown.append(label)
    if scale:
        mapping["scale"] = dict(sorted(scale.items(), key=lambda kv: (kv[1] is None, kv[1] or 0)))
    lines = []
    if unknown:
        lines.append(f"labels not recognised: {', '.join(unknown)}: give each a score 1-5, or null for no answer")
    if len({s for s in scale.values() if s is not None}) < len([s for s in scale.values() if s is not None]):
        lines.append("check: several labels share a score")
    if lines:
        proposal.comments["scale"] = lines
