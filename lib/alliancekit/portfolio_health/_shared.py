"""Small helpers several modules of the portfolio health review share (ranks, numeric columns).

Months are read by :mod:`alliancekit.months`, numbers written by :mod:`alliancekit.fmt`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _pct_rank(values: pd.Series) -> pd.Series:
    """Percentile rank in [0, 1] among the non-missing values (ties share their mean rank).

    The lowest value gets 0 and the highest 1; a single value (or all equal) gets 0.5.
    Missing values stay missing.
    """
    x = pd.to_numeric(values, errors="coerce").astype(float)
    valid = int(x.notna().sum())
    if valid <= 1:
        return pd.Series(np.where(x.notna(), 0.5, np.nan), index=x.index)
    return (x.rank(method="average") - 1.0) / (valid - 1.0)


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
