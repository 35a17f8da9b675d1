"""The executive tables as one Excel workbook, safe to open: client text never runs as a formula.

Written by the shared :func:`alliancekit.workbook.tables_workbook` (formats by column, long
tables split over sheets), without a README sheet: the sheets are the executive tables, in the
report's order.
"""

from __future__ import annotations

from datetime import date
from typing import Mapping

import pandas as pd

from ..workbook import MAX_ROWS, WIDTH_SAMPLE, sheet_name, tables_workbook

__all__ = ["executive_workbook", "sheet_name", "MAX_ROWS", "WIDTH_SAMPLE"]


def executive_workbook(tables: Mapping[str, pd.DataFrame], when: date | None = None) -> bytes:
    """An ``.xlsx`` with one sheet per table (title -> frame), formatted by column.

    A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (a partner called
    ``=HYPERLINK(...)``) is written with a leading apostrophe, so Excel shows it as text;
    a table longer than a sheet can hold continues on sheets named ``<title> (2)``, ...
    ``when``: the document's date (the engagement's report date), so the same tables give the
    same bytes.
    """
    return tables_workbook(tables, None, max_rows=MAX_ROWS, when=when)
