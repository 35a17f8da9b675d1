"""Reading client files (CSV or XLSX) into raw string tables, with clear errors.

Everything is read as text first: identifiers such as ``007`` keep their zeros, and the
schemas (:mod:`alliancekit.schemas`) decide what is a number, a month or a date, so a
typo becomes an error that names its row instead of a silently mixed column.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .engagement import DataSource
from .errors import Problem

#: Encodings tried in order. Excel on Windows saves "CSV" as cp1252; utf-8-sig also strips a BOM.
ENCODINGS = ("utf-8-sig", "cp1252")

#: Bytes read to find the header line's separator (even: whole UTF-16 code units).
HEADER_BYTES = 65_536


class ReadFailure(Exception):
    """A file could not be read at all; carries the :class:`Problem` (or several, for a folder)."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(map(str, self.problems)))


def read_table(source: DataSource, name: str) -> tuple[pd.DataFrame, list[str]]:
    """Read ``source`` as a table of strings; return it and notes (e.g. the encoding used).

    Empty cells become missing values; surrounding white space is stripped. Raises
    :class:`ReadFailure` for a file that cannot be read, is empty, has only a header, or
    (for a workbook) lacks the sheet to read. A mapped source's ``header_row`` skips the
    report title rows above the header; a ``folder`` of interview documents is read as one table.
    """
    path = source.path
    label = source.label
    skip = source.mapping.header_row - 1 if source.mapping is not None else 0
    notes: list[str] = []
    if source.mapping is not None and source.mapping.folder:
        from .intake.documents import read_interview_folder

        frame, problems, notes = read_interview_folder(path, label)
        if problems:
            raise ReadFailure(problems)
    elif not path.is_file():
        raise ReadFailure(Problem(label, f"file not found: {path}"))
    elif path.suffix.lower() == ".xlsx":
        frame = _read_xlsx(source, name, label, skip)
    else:
        frame, encoding = read_csv_file(path, label, skip)
        if encoding == "cp1252":
            notes.append(f"{label} is not UTF-8; it was read as cp1252 (Windows Western). "
                         "Save it as 'CSV UTF-8' to be sure accents are read as intended.")
        elif encoding == "utf-16":
            notes.append(f"{label} is UTF-16 (Excel 'Unicode text'); it was read as such.")
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in range(frame.shape[1]):  # one pass per column: strip, then blank -> missing
        text = frame.iloc[:, column].str.strip()
        frame.isetitem(column, text.mask(text == ""))
    if frame.empty:
        raise ReadFailure(Problem(label, "the file has a header but no data rows"))
    frame.attrs["source"] = label
    return frame, notes


def read_csv_file(path: Path, label: str, skip: int = 0) -> tuple[pd.DataFrame, str]:
    """The CSV as strings (cells as written), and the encoding it was read with; :class:`ReadFailure` if unreadable.

    pandas decodes the bytes itself (no decoded copy of the whole file in Python: at 100,000
    partners that copy and its ``StringIO`` cost more than the parsing); an encoding that
    fails to decode is followed by the next one. ``skip``: lines above the header (a report's
    title rows); the separator is read from the header line itself.
    """
    data = path.read_bytes()
    if not data.strip():
        raise ReadFailure(Problem(label, "the file is empty (expected a header row and data rows)"))
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ENCODINGS  # Excel "Unicode text"
    for encoding in encodings:
        try:
            header = data[:HEADER_BYTES].decode(encoding, errors="ignore")  # a bad byte is pandas' to report
            lines = header.splitlines()
            if skip and skip >= len(lines):
                raise ReadFailure(Problem(label, f"header_row {skip + 1} is past the end of the file's first "
                                                 f"{len(lines)} lines; give the row that holds the column names"))
            frame = pd.read_csv(io.BytesIO(data), sep=_delimiter("\n".join(lines[skip:skip + 1])), dtype=str,
                                keep_default_na=False, skipinitialspace=True, encoding=encoding, skiprows=skip)
            return frame, encoding
        except UnicodeDecodeError:
            continue
        except pd.errors.ParserError as exc:
            raise ReadFailure(Problem(label, f"not a well-formed CSV file: {exc}")) from None
        except pd.errors.EmptyDataError:
            raise ReadFailure(Problem(label, f"nothing to read from row {skip + 1} on (header_row)")) from None
    raise ReadFailure(Problem(label, "cannot decode the file as UTF-8, UTF-16 or cp1252; save it as 'CSV UTF-8'"))


def _delimiter(text: str) -> str:
    """The header line's separator: ``,`` or, as European Excel and "Unicode text" save, ``;`` or tab."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


def _read_xlsx(source: DataSource, name: str, label: str, skip: int = 0) -> pd.DataFrame:
    try:
        book = pd.ExcelFile(source.path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise ReadFailure(Problem(label, f"cannot open the workbook: {exc}")) from None
    sheets = book.sheet_names
    sheet = source.sheet
    if sheet is None:
        matches = [s for s in sheets if s.strip().lower() == name]
        if matches:
            sheet = matches[0]
        elif len(sheets) == 1:
            sheet = sheets[0]
        else:
            raise ReadFailure(Problem(label, f"the workbook has several sheets ({', '.join(sheets)}) and none is "
                                             f"named '{name}'; name it so, or give data.{name}: {{path: ..., sheet: ...}}"))
    elif sheet not in sheets:
        raise ReadFailure(Problem(label, f"no sheet named '{sheet}'; the workbook has: {', '.join(sheets)}"))
    rows = book.book[sheet].max_row if hasattr(book.book, "__getitem__") else None
    if skip and rows is not None and skip >= rows:
        raise ReadFailure(Problem(f"{label}[{sheet}]", f"header_row {skip + 1} is past the end of the sheet "
                                                       f"({rows} rows); give the row that holds the column names"))
    frame = book.parse(sheet, dtype=str, keep_default_na=False, header=skip)
    if frame.columns.empty:
        raise ReadFailure(Problem(f"{label}[{sheet}]", "the sheet is empty (expected a header row and data rows)"))
    # Excel stores dates as date-times; keep the calendar part so the schemas see YYYY-MM-DD.
    return frame.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1", regex=True)
