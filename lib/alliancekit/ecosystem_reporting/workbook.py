"""The executive tables as one Excel workbook, safe to open: client text never runs as a formula.

Written by the shared :func:`alliancekit.workbook.tables_workbook` (formats by column, long
tables split over sheets), without a README sheet: the sheets are the executive tables, in the
report's order.

At scale the workbook is the phase's longest single step (100,000 partners: a partner-status
sheet of 600,000 rows, about a minute and a half of openpyxl's cell writing), so under
``alliancekit run`` the notebook does not write it: it hands the tables to the runner
(:func:`plan_workbook`), which writes the workbook as a task on one of its local workers
(:func:`write_pending_workbook`) while the other workers render the partner scorecards. The
content is the same either way; a notebook run on its own writes it in its kernel.
"""

from __future__ import annotations

import os
import pickle
from datetime import date
from pathlib import Path
from typing import Mapping

import pandas as pd

from ..workbook import MAX_ROWS, WIDTH_SAMPLE, sheet_name, tables_workbook

__all__ = ["executive_workbook", "sheet_name", "MAX_ROWS", "WIDTH_SAMPLE", "WORKBOOK", "plan_workbook",
           "has_pending_workbook", "write_pending_workbook"]

#: The workbook's file name in the phase's results folder.
WORKBOOK = "executive_tables.xlsx"
#: The file in a phase's staging folder that holds the tables the runner writes as the workbook (removed once written).
PENDING = ".executive_tables.pkl"


def executive_workbook(tables: Mapping[str, pd.DataFrame], when: date | None = None) -> bytes:
    """An ``.xlsx`` with one sheet per table (title -> frame), formatted by column.

    A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (a partner called
    ``=HYPERLINK(...)``) is written with a leading apostrophe, so Excel shows it as text;
    a table longer than a sheet can hold continues on sheets named ``<title> (2)``, ...
    ``when``: the document's date (the engagement's report date), so the same tables give the
    same bytes.
    """
    return tables_workbook(tables, None, max_rows=MAX_ROWS, when=when)


def plan_workbook(tables: Mapping[str, pd.DataFrame], folder: Path, when: date | None = None) -> Path:
    """Hand the executive tables to the runner: ``folder/PENDING`` (the phase's staging folder)."""
    path = Path(folder) / PENDING
    with open(path, "wb") as handle:
        pickle.dump({"tables": dict(tables), "when": when}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def has_pending_workbook(folder: Path) -> bool:
    """Whether a phase's staging folder holds executive tables for the runner to write."""
    return (Path(folder) / PENDING).is_file()


def write_pending_workbook(folder: Path) -> Path:
    """Write the workbook of the tables pending in ``folder`` there (a task on a local worker:
    the staging folder is on its machine), under a temporary name, then renamed; the pending
    file is removed once the workbook is in place (so a task run again, after its worker died
    between the two, finds the workbook written)."""
    folder = Path(folder)
    if not (folder / PENDING).is_file() and (folder / WORKBOOK).is_file():
        return folder / WORKBOOK
    with open(folder / PENDING, "rb") as handle:
        pending = pickle.load(handle)
    target = folder / WORKBOOK
    tmp = folder / f".{WORKBOOK}.part"
    tmp.write_bytes(executive_workbook(pending["tables"], when=pending["when"]))
    os.replace(tmp, target)
    (folder / PENDING).unlink()
    return target
