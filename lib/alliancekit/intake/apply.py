"""Turn a client's table into the kit's input with its mapping, naming the client's own cells.

:func:`apply_mapping` takes the client's table as read (strings, the client's headers) and a
:class:`~.mapping.DataMapping` and returns the kit's table (kit column names, ISO dates, plain
numbers, ``won`` from the stage, ``;`` between partner ids) for the schemas to check. Every
problem names the client's column and the row a spreadsheet shows; the kit table remembers
which client header each kit column came from and where its first data row is
(``attrs["client_columns"]``, ``attrs["first_row"]``) so later checks do the same
(:func:`client_location`). Nothing is guessed: a date that is not ISO needs ``date_format``.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..errors import MAX_ROWS_PER_RULE, Problem, did_you_mean
from ..schemas import SPECS
from .mapping import PARTNER_COLUMNS, DataMapping, kit_columns

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
ISO_MONTH = r"^\d{4}-\d{2}$"
#: Day and month both written as numbers, order unknown (03/04/2026): never guessed.
NUMERIC_DATE = r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$"
#: Around a number in an export: currency signs and codes, spaces (also non-breaking), apostrophes (Swiss).
NUMBER_NOISE = r"[\s\u00a0\u202f'’$€£¥]|\b(?:USD|EUR|GBP|CHF|JPY|CAD|AUD)\b"
#: A number as written with decimal mark "." or ",": digits, or thousands groups (of three, or the
#: Indian 2-2-3 grouping) then an optional fraction.
GROUPED = {".": r"\d+(?:\.\d+)?|(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3})(?:\.\d+)?|\.\d+",
           ",": r"\d+(?:,\d+)?|(?:\d{1,3}(?:\.\d{3})+|\d{1,2}(?:\.\d{2})+\.\d{3})(?:,\d+)?|,\d+"}
#: YAML reads these unquoted words as booleans; a ``values:`` key written so still matches them.
YAML_BOOLEANS = {True: ("true", "yes", "y", "on"), False: ("false", "no", "n", "off")}
#: Columns whose values are kept as written (their kind is text); dates and numbers are normalised.
DATE_KINDS = ("date", "month")
NUMBER_KINDS = ("number", "count")
#: Inputs whose undeclared numeric columns are measures (cleaned like the declared ones).
MEASURE_INPUTS = ("partner_metrics", "macro", "candidates")


def first_row(frame: pd.DataFrame) -> int:
    """The spreadsheet row of ``frame``'s first data row (row 2 unless a mapping moved the header)."""
    return int(frame.attrs.get("first_row", 2))


def client_location(frame: pd.DataFrame, column: str | None, index: Any = None) -> tuple[str | None, int | None]:
    """``(client column, spreadsheet row)`` of a kit column and row label of a mapped table.

    Rows carry their own origin when the table was reshaped (a wide survey: ``source_row`` and
    ``source_column``); otherwise the row is the index plus the table's first data row.
    """
    names = frame.attrs.get("client_columns", {})
    row = None
    if index is not None and not pd.isna(index):
        if "source_row" in frame.columns and index in frame.index:
            row = int(frame.at[index, "source_row"])
            if column in ("score",) and "source_column" in frame.columns:
                return str(frame.at[index, "source_column"]), row
        else:
            row = int(index) + first_row(frame)
    return (names.get(column, column) if column else None), row


def apply_mapping(name: str, frame: pd.DataFrame, mapping: DataMapping, label: str
                  ) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """The kit's table of input ``name`` from the client's ``frame``; problems name the client's cells."""
    out = frame.copy()
    out.attrs = {**frame.attrs, "source": label, "first_row": mapping.header_row + 1}
    problems: list[Problem] = []
    notes: list[str] = []
    headers = [str(c) for c in frame.columns]

    duplicated = sorted({re.sub(r"\.\d+$", "", h) for h in headers if re.search(r"\.\d+$", h)
                         and re.sub(r"\.\d+$", "", h) in headers})
    for header in duplicated:
        if header in mapping.columns.values():
            problems.append(Problem(label, f"the header '{header}' appears more than once in the file, so the kit "
                                           "cannot tell which column to use; rename one in the export", column=header))

    rename: dict[str, str] = {}
    for kit, header in mapping.columns.items():
        if header not in frame.columns:
            problems.append(Problem(label, f"data.{name}.columns.{kit} names the header '{header}', which is not in "
                                           f"the file (header row {mapping.header_row}); {did_you_mean(header, headers)}"))
        elif header in rename:  # a renamed column is one column: the second kit column would silently get none
            problems.append(Problem(label, f"data.{name}.columns: '{rename[header]}' and '{kit}' both name the header "
                                           f"'{header}'; map each kit column to a column of its own", column=header))
        else:
            rename[header] = kit
    clashing = [kit for header, kit in rename.items() if kit in frame.columns and header != kit]
    out = out.rename(columns={kit: f"{kit} (unmapped)" for kit in clashing}).rename(columns=rename)
    out.attrs["client_columns"] = {kit: header for header, kit in rename.items()}

    if mapping.outcomes:
        _derive_won(out, mapping)
    problems += _missing_columns(name, out, mapping, headers, label)
    for kit, table in mapping.values.items():
        if kit in out.columns:
            out[kit] = _map_values(out[kit], table)
    column = PARTNER_COLUMNS.get(name)
    if column in out.columns and mapping.separator != ";":
        out[column] = _resplit(out[column], mapping.separator)

    kinds = {s.name: s.kind for s in SPECS[name]}
    for kit in out.columns:
        kind = kinds.get(kit)
        if kind in DATE_KINDS:
            out[kit], bad = normalise_dates(out[kit], kind, mapping.date_format)
            problems += _date_problems(name, out, kit, bad, mapping, label)
        elif kind in NUMBER_KINDS or (kind is None and name in MEASURE_INPUTS and kit not in kit_columns(name)):
            cleaned = normalise_numbers(out[kit], mapping.decimal)
            if kind is not None or _mostly_numbers(cleaned):
                out[kit] = cleaned
    known = [c for c in kit_columns(name) if c in out.columns]  # the kit's order first, as its own files have it
    out = out[known + [c for c in out.columns if c not in known]]
    return out, problems, notes


def _located(out: pd.DataFrame, label: str, kit: str, rows: Iterable, message) -> list[Problem]:
    """One problem per row (at most :data:`MAX_ROWS_PER_RULE`, then a count), at the client's cell."""
    rows = list(rows)
    problems = []
    for index in rows[:MAX_ROWS_PER_RULE]:
        column, row = client_location(out, kit, index)
        problems.append(Problem(label, message(index), column=column, row=row))
    if len(rows) > MAX_ROWS_PER_RULE:
        column, _ = client_location(out, kit)
        problems.append(Problem(label, f"... and {len(rows) - MAX_ROWS_PER_RULE} more rows with the same problem",
                                column=column))
    return problems


def _missing_columns(name: str, out: pd.DataFrame, mapping: DataMapping, headers: list[str], label: str) -> list[Problem]:
    """Required kit columns neither in the file nor mapped: the client's headers and the nearest one."""
    problems = []
    for spec in SPECS[name]:
        if not spec.required or spec.name in out.columns or spec.name in mapping.columns:
            continue
        problems.append(Problem(label, f"no column for the kit's '{spec.name}': add it to data.{name}.columns "
                                       f"({spec.name}: <the file's header>); {did_you_mean(spec.name, headers)}; "
                                       f"the file's headers: {', '.join(headers)}"))
    return problems


def _derive_won(out: pd.DataFrame, mapping: DataMapping) -> None:
    """``won`` from ``stage`` with ``outcomes`` (case and surrounding blanks ignored); open stages leave it empty.

    A ``won`` column of the file is kept as ``won (file)``, for the check that the two agree."""
    if "stage" not in out.columns:
        return
    stage = out["stage"].astype("string").str.strip().str.casefold()
    won = {s.strip().casefold() for s in mapping.outcomes.get("won", [])}
    lost = {s.strip().casefold() for s in mapping.outcomes.get("lost", [])}
    derived = pd.Series(np.where(stage.isin(won), "true", np.where(stage.isin(lost), "false", None)),
                        index=out.index, dtype=object)
    if "won" in out.columns:
        out["won (file)"] = out["won"]
    out["won"] = derived


def _map_values(series: pd.Series, table: dict) -> pd.Series:
    """Client values replaced by kit values, matched without regard to case or surrounding blanks."""
    lookup: dict[str, Any] = {}
    for key, value in table.items():
        spellings = YAML_BOOLEANS.get(key, (str(key),)) if isinstance(key, bool) else (str(key),)
        for spelling in spellings:
            lookup[spelling.strip().casefold()] = value if value is None else str(value).lower() \
                if isinstance(value, bool) else str(value)
    keys = series.astype("string").str.strip().str.casefold()
    mapped = keys.map(lookup)
    hit = keys.isin(list(lookup)).fillna(False).astype(bool)
    return series.astype(object).where(~hit, mapped.astype(object))


def _resplit(series: pd.Series, separator: str) -> pd.Series:
    """Several partners in one cell written with ``separator``: joined with ``;`` (each trimmed)."""
    parts = series.astype("string").str.split(re.escape(separator), regex=True)
    joined = parts.map(lambda items: ";".join(i.strip() for i in items if i and i.strip()) if isinstance(items, list)
                       else None)
    return joined.astype(object).where(series.notna(), None)


def normalise_dates(series: pd.Series, kind: str, date_format: str | None) -> tuple[pd.Series, pd.Series]:
    """ISO text (YYYY-MM-DD, or YYYY-MM for a month) and a mask of the values that could not be read.

    ISO values (as Excel date cells are read) are accepted whatever ``date_format`` says; a
    full date in a month column is read as its month. Without ``date_format``, anything else
    is not read: a date such as 03/04/2026 is ambiguous, and the kit never guesses.
    """
    text = series.astype("string").str.strip()
    present = text.notna() & (text != "")
    iso_date = text.str.fullmatch(ISO_DATE).fillna(False)
    iso_month = text.str.fullmatch(ISO_MONTH).fillna(False)
    parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    parsed[iso_date] = pd.to_datetime(text[iso_date], format="%Y-%m-%d", errors="coerce")
    parsed[iso_month] = pd.to_datetime(text[iso_month], format="%Y-%m", errors="coerce")
    rest = present & parsed.isna()
    if date_format and rest.any():
        parsed[rest] = pd.to_datetime(text[rest], format=date_format, errors="coerce")
    bad = present & parsed.isna()
    shown = parsed.dt.strftime("%Y-%m" if kind == "month" else "%Y-%m-%d")
    out = shown.where(~bad, text).astype(object).where(present, None)  # None, not NaN: pandera sees it missing
    if kind == "date":  # a month alone is not a date: leave it for the schema to refuse
        out = out.where(~(iso_month & present), text)
    return out, bad


def _date_problems(name: str, out: pd.DataFrame, kit: str, bad: pd.Series, mapping: DataMapping,
                   label: str) -> list[Problem]:
    if not bad.any():
        return []
    values = out[kit]
    fmt = mapping.date_format
    if fmt:
        return _located(out, label, kit, bad[bad].index,
                        lambda i: f"'{values[i]}' does not match date_format \"{fmt}\" (the file's dates must all be "
                                  f"written one way; Excel date cells are read whatever the format)")

    def message(i) -> str:
        value = values[i]
        if re.fullmatch(NUMERIC_DATE, str(value)):
            return (f"'{value}' is ambiguous (day and month are both numbers); set data.{name}.date_format, "
                    "e.g. \"%m/%d/%Y\" for US or \"%d/%m/%Y\" for European dates")
        return (f"'{value}' is not a date as YYYY-MM-DD; set data.{name}.date_format to the way the file writes "
                "dates (e.g. \"%d %b %Y\")")
    return _located(out, label, kit, bad[bad].index, message)


def normalise_numbers(series: pd.Series, decimal: str = ".") -> pd.Series:
    """Numbers as plain text ('1234.5'): currency signs, spaces and thousands separators removed,
    ``decimal`` read as the decimal mark, ``(1,234)`` as negative. Other text is left as it is, for
    the schema to refuse with the client's row."""
    text = series.astype("string").str.strip()
    clean = text.str.replace(NUMBER_NOISE, "", regex=True)
    negative = clean.str.fullmatch(r"\(.*\)").fillna(False)
    clean = clean.str.strip("()")
    if decimal == ",":
        clean = clean.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        clean = clean.str.replace(",", "", regex=False)
    clean = clean.where(~negative, "-" + clean)
    # separators that contradict the decimal mark ("1.234,50" with decimal "."; "1,5") are not
    # read: they would turn into another number without a word. Groups of three, or the Indian
    # lakh grouping (1,00,000), are thousands separators.
    grouping = GROUPED[decimal]
    unsigned = text.str.replace(NUMBER_NOISE, "", regex=True).str.strip("()").str.lstrip("-")
    readable = pd.to_numeric(clean, errors="coerce").notna() & unsigned.str.fullmatch(grouping).fillna(False)
    return text.where(~readable, clean).astype(object).where(series.notna(), None)  # None, not pd.NA: pandera coerces it


def _mostly_numbers(series: pd.Series) -> bool:
    """Whether at least half the filled cells of a cleaned column are numbers (a measure, not a note)."""
    present = series.notna()
    return bool(present.any()) and pd.to_numeric(series[present], errors="coerce").notna().mean() >= 0.5
