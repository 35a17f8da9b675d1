"""The executive tables as one Excel workbook, safe to open: client text never runs as a formula."""

from __future__ import annotations

import io
import re
from typing import Mapping

import numpy as np
import pandas as pd

from ..deliverables import neutralise_formulas

#: Characters Excel forbids in sheet names.
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters) for ``title``."""
    base = _BAD_SHEET.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


#: Rows of data per sheet: Excel's limit (1,048,576) less the header; longer tables continue on a next sheet.
MAX_ROWS = 1_048_575

#: Rows looked at to size a column.
WIDTH_SAMPLE = 200


def _cells(frame: pd.DataFrame):
    """Rows of plain values for openpyxl: missing values (NaN, NaT, NA) as empty cells, an
    infinite change (from zero) as the text ``inf``, as pandas' Excel writer does."""
    values = frame.astype(object).where(frame.notna(), None).replace({np.inf: "inf", -np.inf: "-inf"})
    return values.itertuples(index=False, name=None)


def _bold(sheet, text: str):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell


def executive_workbook(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """An ``.xlsx`` with one sheet per table (title -> frame), text cells neutralised against formulas.

    A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (a partner called
    ``=HYPERLINK(...)``) is written with a leading apostrophe, so Excel shows it as text.
    Written row by row in openpyxl's write-only mode (about twice as fast as going through
    pandas' Excel writer: the partner status sheet has one row per partner and measure);
    a table longer than a sheet can hold continues on sheets named ``<title> (2)``, ...
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    taken: set[str] = set()
    for title, frame in tables.items():
        safe = neutralise_formulas(frame.reset_index(drop=True))
        columns = [str(c) for c in safe.columns]
        for start in range(0, max(len(safe), 1), MAX_ROWS):
            part = safe.iloc[start:start + MAX_ROWS]
            sheet = book.create_sheet(sheet_name(title, taken))
            for i, column in enumerate(safe.columns, start=1):
                width = max([len(columns[i - 1])] + [len(str(v)) for v in part[column].head(WIDTH_SAMPLE)]) + 2
                sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 8), 60)
            sheet.freeze_panes = "A2"
            sheet.append([_bold(sheet, column) for column in columns])
            for row in _cells(part):
                sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
