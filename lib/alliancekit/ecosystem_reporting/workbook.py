"""The executive tables as one Excel workbook, safe to open: client text never runs as a formula."""

from __future__ import annotations

import io
import re
from typing import Mapping

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


def executive_workbook(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """An ``.xlsx`` with one sheet per table (title -> frame), text cells neutralised against formulas.

    A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (a partner called
    ``=HYPERLINK(...)``) is written with a leading apostrophe, so Excel shows it as text.
    """
    buffer = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for title, frame in tables.items():
            name = sheet_name(title, taken)
            safe = neutralise_formulas(frame.reset_index(drop=True))
            safe.columns = [str(c) for c in safe.columns]
            safe.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for i, column in enumerate(safe.columns, start=1):
                width = max([len(column)] + [len(str(v)) for v in safe[column].head(200)]) + 2
                sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(max(width, 8), 60)
            sheet.freeze_panes = "A2"
    return buffer.getvalue()
