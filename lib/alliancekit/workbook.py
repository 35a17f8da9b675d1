"""Result tables as one Excel workbook that reads right: formats by column, safe to open.

:func:`tables_workbook` writes one sheet per table after a ``README`` sheet that says what each
sheet holds. Every sheet has a bold, frozen header row, an autofilter, column widths from the
content (10 to 60 characters) and a number format per column:

========================  ==============  ==================================================
column                    format          how it is recognised
========================  ==============  ==================================================
percentage / share        ``0.0%``        see *Percentages* below; ``0%`` when every value
                                          is a whole percent (0.25, 0.5)
money                     ``#,##0``       a word of the name: revenue, amount, pipeline,
                                          target, bookings, budget, spent, allocated; or a
                                          name starting ``mdf_`` or ``won_``; and whole
                                          values or a median of at least 100 (so
                                          ``revenue_trend`` 0.02 or ``pipeline_coverage``
                                          1.4 stay numbers with decimals)
count                     ``#,##0``       integers, and floats that are all whole numbers
other number              ``#,##0.00``    any other float (scores, effects, ratios such as
                                          pipeline coverage 1.4x)
date                      ``yyyy-mm-dd``  datetime columns, and text columns whose every
                                          value is an ISO date (``2026-03-31``)
text                      ``@``           text; a cell a spreadsheet would run as a formula
                                          (``=HYPERLINK(...)``) gets a leading ``'``
                                          (:func:`~alliancekit.deliverables.neutralise_formulas`)
========================  ==============  ==================================================

Only the format changes, never the value: an attainment of 0.805 is stored as the number
0.805 and shown as ``80.5%``.

**Percentages.** A float column is a percentage when a word of its name (split at ``_``,
spaces and punctuation, lower case) is one of :data:`PERCENT_WORDS` (attainment, share, rate,
utilisation, pct, percent, growth, yoy, ``%`` ...) **and** its values are stored as fractions:
the median of its absolute values is at most :data:`FRACTION_MEDIAN_MAX` (2, i.e. 200%). So
``revenue_growth`` holding 0.12 reads 12.0%; ``health_score`` (0-100) is not named like a
percentage and stays a number; ``attainment_pct`` holding 80.5 (already in percent) fails the
fraction test and stays a number rather than reading 8050%. Words are matched whole, so
``strategy`` (which contains "rate") or ``margin`` (a 1-5 criterion score in
strategy_options.csv) do not count. A table with a ``unit`` column (partner_status.csv,
value_targets.csv: one row per measure, each in its own unit) formats its money-named columns
(value, target, amber_threshold ...) row by row: ``currency`` rows as money, percent rows as
percentages, other rows (counts, scores) as numbers, so a target of 9.1 new customers does
not read 9.

**Large tables.** Written row by row in openpyxl's write-only mode, one shared style per
column; a table longer than a sheet holds (Excel: 1,048,576 rows with the header) continues on
sheets named ``<title> (2)``, ... Each column reuses one cell and one shared style. Measured:
100,000 rows x 10 columns (ids, names, counts, money, shares, scores, dates) in about 8.5 s on one
core (openpyxl's own cell writing is most of it; the former unformatted writer: 6.6 s).
"""

from __future__ import annotations

import datetime
import io
import math
import re
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from .deliverables import neutralise_formulas, stable_zip

#: Characters Excel forbids in sheet names.
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")

#: Rows of data per sheet: Excel's limit (1,048,576) less the header; longer tables continue on a next sheet.
MAX_ROWS = 1_048_575

#: Rows looked at to size a column.
WIDTH_SAMPLE = 200

#: Column widths, in characters.
MIN_WIDTH, MAX_WIDTH = 10, 60

#: Words of a column name that say "percentage" (with the fraction test of :func:`column_format`).
PERCENT_WORDS = frozenset({"attainment", "share", "shares", "rate", "rates", "utilisation", "utilization", "pct",
                           "percent", "percentage", "%", "growth", "yoy"})

#: Words of a column name that say "money".
MONEY_WORDS = frozenset({"revenue", "revenues", "amount", "pipeline", "target", "bookings", "budget", "spent",
                         "allocated"})

#: Name prefixes that say "money".
MONEY_PREFIXES = ("mdf", "won")

#: A money-named float column is shown in whole units when its values are whole or their median
#: absolute value is at least this; smaller (revenue_trend 0.02 a month, pipeline_coverage 1.4x) are ratios.
MONEY_MEDIAN_MIN = 100.0

#: A percentage column's median absolute value is at most this (a fraction, not 0-100).
FRACTION_MEDIAN_MAX = 2.0

#: Values of a ``unit`` column, lower case, that mark a row's money and percentage cells.
CURRENCY_UNITS = frozenset({"currency", "money", "eur", "usd", "gbp"})
PERCENT_UNITS = frozenset({"percent", "percentage", "share", "rate", "ratio_percent", "%"})

PERCENT, PERCENT_WHOLE, MONEY, COUNT, NUMBER, DATE, TEXT, GENERAL = (
    "0.0%", "0%", "#,##0", "#,##0", "#,##0.00", "yyyy-mm-dd", "@", "General")

#: One line per result file of the phases: the README sheet of each phase's ``tables.xlsx``.
DESCRIPTIONS: dict[str, str] = {
    "segments.csv": "portfolio_health: one row per partner: health score, segment, action and the measures behind them",
    "indicator_effects.csv": "metric_design: each candidate indicator's effect on revenue, its lag, interval and verdict",
    "statements.csv": "partner_swot: every classified interview statement with its quadrant, theme and confidence",
    "themes.csv": "partner_swot: the SWOT themes with respondents, partners, statements and share of respondents",
    "issue_log.csv": "partner_swot: the issue log: each weakness and threat theme's reach, intensity, severity and owner",
    "structure_options.csv": "org_design: the alliance structure and team options, scored and ranked, with pros and cons",
    "headcount.csv": "org_design: current and required full-time equivalents per role, and the gap",
    "roles.csv": "org_design: the role profiles: purpose, reporting line, KPIs, responsibilities, skills",
    "maturity_scores.csv": "strategy_assessment: maturity score per dimension with target, gap and spread by role",
    "strategy_options.csv": "strategy_assessment: the partnering strategy options, scored per criterion and ranked",
    "candidates_scored.csv": "strategy_assessment: candidate partners with weighted score, rank, gate and overlaps",
    "value_targets.csv": "strategy_assessment: the value targets per dimension with their unit and measure",
    "partner_status.csv": "ecosystem_reporting: every partner's scorecard measures: value, target, attainment, status",
    "programme_summary.csv": "ecosystem_reporting: headline figures per measure: revenue against target, sourced mix, direct deals",
    "staff_load.csv": "org_design: every person's partners, workload hours against capacity, and status",
    "partner_coverage.csv": "org_design: every partner: strategic or not, who covers it, and whether it has an executive sponsor",
    "manager_review.csv": "alliance_staff: each alliance manager's partners' results, what their mix predicts, and the ranks",
    "shortlist.csv": "alliance_staff: candidates per position, ranked against the required levels, with gaps and panel splits",
    "relationship_scores.csv": "relationship_health: score per alliance, dimension, side and wave, with its interval and respondents",
    "gaps.csv": "relationship_health: our side minus the partner's per alliance, dimension and wave, and whether it is flagged",
    "alliance_health.csv": "relationship_health: each alliance's health, each side's score and NPS per wave",
    "mind_share.csv": "relationship_health: the partner field teams' score per alliance and wave, its change and whether it is called",
}

_TIMES = (datetime.date, datetime.time, datetime.timedelta)
_WORD = re.compile(r"%|[a-z0-9]+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$")
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters) for ``title``; ``taken`` holds lower-case names."""
    base = _BAD_SHEET.sub(" ", str(title)).strip().strip("'")[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _words(name) -> list[str]:
    return _WORD.findall(str(name).lower())


def _is_money_name(name) -> bool:
    words = _words(name)
    return bool(words) and (bool(MONEY_WORDS & set(words)) or words[0] in MONEY_PREFIXES)


def _whole(values: pd.Series) -> bool:
    v = values.to_numpy(dtype=float)
    v = v[np.isfinite(v)]
    return bool(np.all(v == np.round(v)))


def _percent_format(values: pd.Series) -> str:
    v = values.to_numpy(dtype=float)
    v = v[np.isfinite(v)] * 100
    return PERCENT_WHOLE if len(v) and np.all(np.abs(v - np.round(v)) < 1e-9) else PERCENT


def column_format(name, values: pd.Series) -> str:
    """The number format of a column (module docstring: the rules)."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return GENERAL
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return DATE
    if pd.api.types.is_numeric_dtype(dtype):
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
        finite = numbers[np.isfinite(numbers)]
        if pd.api.types.is_float_dtype(dtype) and PERCENT_WORDS & set(_words(name)) and len(finite) \
                and float(np.median(np.abs(finite))) <= FRACTION_MEDIAN_MAX:
            return _percent_format(finite)
        if _is_money_name(name) and (_whole(finite) or float(np.median(np.abs(finite))) >= MONEY_MEDIAN_MIN):
            return MONEY
        if pd.api.types.is_integer_dtype(dtype) or _whole(finite):
            return COUNT
        return NUMBER
    return TEXT


def _row_format(unit, value) -> str:
    """A money-named cell's format in a table with a ``unit`` column."""
    unit = str(unit).strip().lower() if isinstance(unit, str) else ""
    if unit in CURRENCY_UNITS:
        return MONEY
    if unit in PERCENT_UNITS:
        return PERCENT
    if isinstance(value, (int, float, np.integer, np.floating)) and math.isfinite(value) and value != round(value):
        return NUMBER
    return COUNT


def _prepared(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates from ISO text, time zones dropped, control characters removed, formulas neutralised."""
    out = frame.reset_index(drop=True).copy()
    out.columns = [str(c) for c in out.columns]
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            if getattr(values.dt, "tz", None) is not None:
                out[column] = values.dt.tz_localize(None)
        elif values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            # each distinct value tested once (a long table repeats its labels on every row); the
            # date test stops at the first value that is not one
            distinct = values.dropna().unique()
            if len(distinct) and all(isinstance(v, str) and _ISO_DATE.match(v) for v in distinct):
                out[column] = pd.to_datetime(values, errors="coerce")
                continue
            if any(isinstance(v, str) and _ILLEGAL.search(v) for v in distinct):
                out[column] = values.map(lambda v: _ILLEGAL.sub("", v) if isinstance(v, str) else v)
    return neutralise_formulas(out)


def _cells(frame: pd.DataFrame):
    """Rows of plain values for openpyxl: missing values (NaN, NaT, NA) as empty cells, an
    infinite change (from zero) as the text ``inf``, as pandas' Excel writer does."""
    values = frame.astype(object).where(frame.notna(), None).replace({np.inf: "inf", -np.inf: "-inf"})
    return values.itertuples(index=False, name=None)


def _shown(value, fmt: str) -> str:
    """About what Excel shows, to size a column."""
    try:
        if fmt in (PERCENT, PERCENT_WHOLE):
            return f"{float(value):.1%}"
        if fmt == MONEY:
            return f"{float(value):,.0f}"
        if fmt == NUMBER:
            return f"{float(value):,.2f}"
        if fmt == DATE:
            return "yyyy-mm-dd"
    except (TypeError, ValueError):
        pass
    return str(value)


class _Styles:
    """One shared openpyxl style per (number format, bold): cells copy no style objects."""

    def __init__(self, sheet):
        self.sheet, self.cache = sheet, {}

    def __call__(self, fmt: str, bold: bool = False):
        key = (fmt, bold)
        if key not in self.cache:
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Font

            cell = WriteOnlyCell(self.sheet)
            cell.number_format = fmt
            if bold:
                cell.font = Font(bold=True)
            self.cache[key] = cell._style
        return self.cache[key]

    def cell(self, value, fmt: str, bold: bool = False):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.sheet, value=value)
        cell._style = self(fmt, bold)
        return cell


def _placed(cells, row_idx: int):
    """The non-empty cells of a row, numbered."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column, cell.row = col_idx, row_idx
            yield cell


def _write_sheet(book, name: str, header: list[str], rows: Iterable[tuple], formats: list, widths: list[int]):
    """One sheet: bold frozen header, autofilter, widths; ``formats[i]`` a format or a per-row function."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name)
    # The cells come styled: hand them to the writer as they are (openpyxl would first try each
    # as a value and build a second cell); without this private hook the output is the same, slower.
    sheet._values_to_row = _placed
    styles = _Styles(sheet)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([styles.cell(h, GENERAL, bold=True) for h in header])
    # One cell per column, reused row after row: the writer writes each row as it is appended.
    # A time value outside a date column gets a cell of its own, shown as a date (setting it on
    # the reused cell would change the number format of the style the column's cells share).
    from openpyxl.cell import WriteOnlyCell

    reused = [WriteOnlyCell(sheet) for _ in header]
    n = 0
    for n, row in enumerate(rows, start=1):
        cells = []
        for value, f, cell in zip(row, formats, reused):
            if value is None:
                cells.append(None)
                continue
            fmt = f if isinstance(f, str) else f(row, value)
            if fmt != DATE and isinstance(value, _TIMES):
                cells.append(styles.cell(value, DATE))
                continue
            cell.value = value
            cell._style = styles(fmt)
            cells.append(cell)
        sheet.append(cells)
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n + 1}"
    return sheet


def _formats(frame: pd.DataFrame) -> list:
    """A format per column; money-named columns of a table with a ``unit`` column: a function of the row."""
    formats = [column_format(c, frame[c]) for c in frame.columns]
    if "unit" in frame.columns:
        at = list(frame.columns).index("unit")
        for i, column in enumerate(frame.columns):
            if formats[i] in (MONEY, COUNT, NUMBER) and (_is_money_name(column) or column in ("value", "amber_threshold")):
                formats[i] = lambda row, v, at=at: _row_format(row[at], v)
    return formats


def _widths(frame: pd.DataFrame, formats: list) -> list[int]:
    widths = []
    for column, fmt in zip(frame.columns, formats):
        sample = frame[column].head(WIDTH_SAMPLE).dropna()
        shown = [_shown(v, fmt if isinstance(fmt, str) else NUMBER) for v in sample]
        widths.append(min(max([len(column)] + [len(s) for s in shown]) + 2, MAX_WIDTH))
    return [max(w, MIN_WIDTH) for w in widths]


def tables_workbook(tables: Mapping[str, pd.DataFrame], readme: Mapping[str, str] | None, *,
                    max_rows: int = MAX_ROWS, when: datetime.date | None = None) -> bytes:
    """An ``.xlsx``: a ``README`` sheet, then one sheet per table (title -> frame), formatted by column.

    ``readme``: one line per table title (a title without one is described by the title itself);
    ``None``: no README sheet (the executive workbook keeps its sheets as they were).
    A table longer than ``max_rows`` continues on sheets ``<title> (2)``, ...; the README says so.
    The same tables give the same bytes: the document's created and modified dates are ``when``
    (the engagement's report date; a fixed date when none), not the time of writing
    (:func:`~alliancekit.deliverables.stable_zip`).
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    taken: set[str] = {"readme"} if readme is not None else set()
    readme_given = readme is not None
    readme = readme or {}
    lines: list[tuple[str, str, int]] = []
    sheets = []
    for title, frame in tables.items():
        safe = _prepared(frame)
        formats = _formats(safe)
        widths = _widths(safe, formats)
        parts = range(0, max(len(safe), 1), max_rows)
        for k, start in enumerate(parts):
            part = safe.iloc[start:start + max_rows]
            name = sheet_name(title, taken)
            what = readme.get(title) or str(title)
            if len(parts) > 1:
                what += f" (rows {start + 1:,} to {start + len(part):,} of {len(safe):,}" + (
                    ", continued on the next sheet)" if k < len(parts) - 1 else ")")
            lines.append((name, what, len(part)))
            sheets.append((name, list(safe.columns), part, formats, widths))
    if readme_given:
        width = min(max([len("what it holds")] + [len(w) for _, w, _ in lines]) + 2, MAX_WIDTH * 2)
        _write_sheet(book, "README", ["sheet", "what it holds", "rows"], lines, [TEXT, TEXT, COUNT],
                     [max([MIN_WIDTH] + [len(n) + 2 for n, _, _ in lines]), width, MIN_WIDTH])
    for name, header, part, formats, widths in sheets:
        _write_sheet(book, name, header, _cells(part), formats, widths)
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue(), when)


def read_result(path: Path) -> pd.DataFrame:
    """A result CSV as written by the session: numbers and True/False back as such, ids with
    leading zeros (``007``) and other text kept as text, empty cells missing."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for column in frame.columns:
        present = frame[column].dropna()
        if not len(present):
            frame[column] = frame[column].astype(float)
        elif present.isin(["True", "False"]).all():
            frame[column] = frame[column].map({"True": True, "False": False})
            if frame[column].isna().any():
                frame[column] = frame[column].astype(object)
        elif not present.str.match(r"^[+-]?0\d").any():
            numbers = pd.to_numeric(frame[column], errors="coerce")
            if numbers[present.index].notna().all():
                frame[column] = numbers
    return frame


def results_workbook(folder: Path, results: Iterable[str], when: datetime.date | None = None) -> bytes | None:
    """``tables.xlsx`` of a phase: its CSV results in ``folder``, one sheet each (None when it has none);
    ``when``: the document's date (see :func:`tables_workbook`)."""
    names = [r for r in results if r.endswith(".csv")]
    if not names:
        return None
    tables = {Path(r).stem: read_result(Path(folder) / r) for r in names}
    return tables_workbook(tables, {Path(r).stem: DESCRIPTIONS.get(Path(r).name, "") for r in names}, when=when)
