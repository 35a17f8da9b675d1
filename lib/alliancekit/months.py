"""Calendar months as integers, shared by every phase that reads the monthly panel.

``YYYY-MM`` becomes ``year * 12 + month - 1`` so month arithmetic (lags, windows, gaps) is
integer arithmetic; each distinct value is parsed once, which matters at millions of rows.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd


def month_numbers(values: pd.Series | Sequence[object]) -> np.ndarray:
    """``YYYY-MM`` strings (or dates) as month counts ``year * 12 + month - 1`` (NaN when unreadable).

    The one parser of months in the kit: panels, deal dates and ``as_of`` all go through it,
    so a month is read the same way everywhere. A date reads as its month (``2024-03-05`` ->
    March 2024); text needs ``YYYY-MM`` at its start.
    """
    if not isinstance(values, (pd.Series, pd.Index, np.ndarray)):
        values = pd.Series(values, dtype=object)  # a list, e.g. ``[as_of]``
    codes, uniques = pd.factorize(values, sort=False)
    text = pd.Series(uniques).astype(str).str.strip()
    numbers = (pd.to_numeric(text.str[:4], errors="coerce") * 12
               + pd.to_numeric(text.str[5:7], errors="coerce") - 1).to_numpy(dtype=float)
    out = np.full(len(values), np.nan)
    ok = codes >= 0
    out[ok] = numbers[codes[ok]]
    return out


def month_label(number: float) -> str:
    """A month count back as ``YYYY-MM`` (``month_label(month_numbers([m])[0] + k)``: the month ``k`` after ``m``)."""
    number = int(number)
    return f"{number // 12:04d}-{number % 12 + 1:02d}"
