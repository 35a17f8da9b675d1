"""Bad-input checks of the phase, run before any kernel starts (``Phase.input_check``).

The schemas already require ``partner_id``, ``month`` and ``revenue``; these checks are the
ones that depend on the phase's parameters: the ``target`` column, enough history for
``max_lag``, enough partners, and at least one candidate indicator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..errors import Problem, did_you_mean
from ..months import month_label, month_numbers
from .declaration import Params
from .panel import EXTRA_MONTHS, MIN_PARTNERS, candidate_columns, is_numeric


def check_inputs(tables: Mapping[str, pd.DataFrame], params: Mapping[str, Any], root: Path | None = None) -> list[Problem]:
    """Problems of ``partner_metrics`` for this phase's parameters (an empty list when it can run)."""
    metrics = tables.get("partner_metrics")
    if metrics is None:
        return []
    label = metrics.attrs.get("source", "partner_metrics.csv")
    params = Params.complete(params)
    target, max_lag = params["target"], params["max_lag"]
    problems: list[Problem] = []
    numeric = [c for c in metrics.columns if c not in ("partner_id", "month") and is_numeric(metrics[c])]
    if target not in metrics.columns:
        problems.append(Problem(label, f"metric_design.target is '{target}', but the file has no such column; "
                                       f"the target must be a numeric column ({did_you_mean(target, numeric)})"))
    elif not is_numeric(metrics[target]) or target in ("partner_id", "month"):
        example = metrics[target].dropna().astype(str).head(1).tolist()
        problems.append(Problem(label, f"metric_design.target must be a numeric column, but '{target}' holds text"
                                       + (f" (e.g. '{example[0]}')" if example else "")
                                       + (f"; numeric columns: {', '.join(numeric)}" if numeric else ""), column=target))
    elif not metrics[target].notna().any():
        problems.append(Problem(label, f"metric_design.target '{target}' has no values", column=target))
    months = month_numbers(metrics["month"]) if "month" in metrics else np.array([])
    months = months[np.isfinite(months)]
    need = max_lag + EXTRA_MONTHS
    if len(months):
        span = int(months.max() - months.min()) + 1
        if span < need:
            remedy = "add earlier months"
            if span > EXTRA_MONTHS:
                remedy += f", or test shorter leads: -p metric_design.max_lag={span - EXTRA_MONTHS}"
            problems.append(Problem(label, f"metric_design needs at least {need} months of history (max_lag {max_lag} "
                                           f"+ {EXTRA_MONTHS}); the file covers {span} "
                                           f"({month_label(months.min())} to {month_label(months.max())}): {remedy}",
                                    column="month"))
    if "partner_id" in metrics and target in metrics.columns and is_numeric(metrics[target]):
        partners = metrics.loc[metrics[target].notna(), "partner_id"].nunique()
        if partners < MIN_PARTNERS:
            problems.append(Problem(label, f"metric_design compares partners with one another and needs at least "
                                           f"{MIN_PARTNERS} partners with '{target}' values; the file has {partners}",
                                    column="partner_id"))
    if target in metrics.columns and not candidate_columns(metrics, target):
        problems.append(Problem(label, "metric_design needs at least one candidate indicator: a numeric column "
                                       "besides partner_id, month and the lagging outcomes (revenue, bookings, "
                                       "new_customers, sourced_revenue, influenced_revenue), e.g. deal_registrations "
                                       "or proposals_submitted"))
    return problems
