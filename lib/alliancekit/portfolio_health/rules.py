"""The verdict rules: absolute thresholds on each alliance's own figures (what decides names and actions).

The health score ranks alliances against each other, so it moves when *other* alliances move.
A verdict ("dormant", "declining", "exit review") must not: an alliance that behaves the same
next year gets the same verdict, whatever the rest of the portfolio does. So verdicts read only
the alliance's own figures against thresholds a consultant can read and set
(:class:`~.declaration.Params`):

- **the reference level**: the monthly revenue of a typical alliance, in the client's
  currency. Set for the engagement (``reference_revenue``), or kept from the previous review
  (``previous``), or else this portfolio's median month. It is the one relative yardstick and
  it is written into ``segments.csv`` so the next review reuses it.
- **quiet**: at most ``dormant_activities`` joint activities a month (counts, not ranks);
- **dormant**: quiet, monthly revenue at most the larger of ``dormant_revenue`` and
  ``dormant_share`` of the reference, not growing fast (a few percent up on a tiny base is
  still dormant; a genuine ramp-up is not), with a year of history;
- **direction** from revenue growth a year: growing fast (+40 %), growing (+10 %), declining
  (-10 %), else steady: month-to-month noise alone moves a year's average by a few percent, so
  a change inside +-10 % is not read as a direction;
- **size**: large from 1.5 times the reference, small up to 1/1.5 of it, else mid-sized.

Why these defaults: practitioners judge an alliance's health on "revenue, activity levels,
trends" (seed 000); an alliance with hardly any joint work and hardly any revenue is the
"roach motel" case that should get an exit decision rather than linger (seed 003). Ten percent
of a typical alliance's month and two joint activities a month (one registration and one
proposal) mark an alliance nobody works on; a fall of 10 % a year or 2 % a month is the decline
that warrants a repair plan before it becomes an exit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .features import WINDOW

#: Size words against the reference level: large from 1.5x, small up to 1/1.5.
LARGE_RATIO = 1.5
SMALL_RATIO = 1 / 1.5

#: Where the reference level came from (``segments.csv``'s ``reference_from``).
REFERENCE_SET = "set for the engagement"
REFERENCE_PREVIOUS = "previous review"
REFERENCE_MEDIAN = "this portfolio's median month"

#: The columns of ``segments.csv`` that hold the thresholds (one value, on every row).
THRESHOLD_COLUMNS = ("threshold_reference_revenue", "threshold_large_revenue", "threshold_small_revenue",
                     "threshold_dormant_revenue", "threshold_dormant_activities", "threshold_fast_growth",
                     "threshold_growth", "threshold_decline", "threshold_fix_trend")


def symmetric(yearly: float) -> float:
    """A change a year (``0.40`` = +40 %) as the symmetric growth rate the features hold.

    ``g = 2 r / (2 + r)``: the symmetric rate of ordinary growth ``r`` (both compare the
    average month of the last 12 months with the average month of the 12 before).
    """
    return 2.0 * yearly / (2.0 + yearly)


@dataclass(frozen=True)
class Rules:
    """The thresholds of one review (money per month in the client's currency; changes a year as fractions)."""

    reference_revenue: float
    reference_from: str
    dormant_revenue: float
    dormant_activities: float
    fast_growth: float
    growth: float
    decline: float
    fix_trend: float

    @property
    def large_revenue(self) -> float:
        return LARGE_RATIO * self.reference_revenue

    @property
    def small_revenue(self) -> float:
        return SMALL_RATIO * self.reference_revenue

    def thresholds(self) -> dict[str, float]:
        """The thresholds as ``segments.csv`` holds them (:data:`THRESHOLD_COLUMNS`)."""
        values = (self.reference_revenue, self.large_revenue, self.small_revenue, self.dormant_revenue,
                  self.dormant_activities, self.fast_growth, self.growth, self.decline, self.fix_trend)
        return {c: round(float(v), 4) for c, v in zip(THRESHOLD_COLUMNS, values)}

    # -- per alliance ------------------------------------------------------------------------------

    def size_of(self, per_month: np.ndarray) -> np.ndarray:
        """``large``, ``small`` or ``mid`` for monthly revenues against the reference (missing reads as none)."""
        per_month = np.asarray(per_month, dtype=float)
        return np.where(per_month >= self.large_revenue, "large",
                        np.where(np.nan_to_num(per_month) <= self.small_revenue, "small", "mid"))

    def direction_of(self, growth: np.ndarray) -> np.ndarray:
        """``growing fast``, ``growing``, ``declining`` or ``steady`` (also when missing) for symmetric growth rates."""
        growth = np.asarray(growth, dtype=float)
        return np.select([growth >= symmetric(self.fast_growth), growth >= symmetric(self.growth),
                          growth <= symmetric(self.decline)], ["growing fast", "growing", "declining"], default="steady")

    def verdicts(self, features: pd.DataFrame, current_months: int | None = None) -> pd.DataFrame:
        """Per alliance (index of ``features``): ``quiet``, ``dormant``, ``size``, ``direction``, ``declining``.

        ``direction`` is ``growing fast``, ``growing``, ``steady`` or ``declining`` (``steady``
        when growth cannot be measured); ``declining`` (the action's test) is a fall of at least
        ``decline`` a year or a monthly trend at or below ``fix_trend``. ``current_months``:
        the months of the current window the data hold; dormancy needs that much history (a
        year at most), so an alliance that has just started is not called dormant.
        """
        def col(name: str) -> np.ndarray:
            return pd.to_numeric(features[name], errors="coerce").to_numpy(dtype=float) if name in features \
                else np.full(len(features), np.nan)

        per_month, acts, growth = col("revenue_per_month"), col("joint_activities_per_month"), col("revenue_growth")
        trend, months = col("revenue_trend"), col("months_of_data")
        history = min(WINDOW, current_months) if current_months else WINDOW
        quiet = ~(acts > self.dormant_activities)  # no activity columns at all: revenue decides alone
        size, direction = self.size_of(per_month), self.direction_of(growth)
        dormant = (np.isfinite(per_month) & (per_month <= self.dormant_revenue) & quiet & (direction != "growing fast")
                   & (np.nan_to_num(months) >= history))
        declining = (direction == "declining") | (trend <= self.fix_trend)
        return pd.DataFrame({"quiet": quiet, "dormant": dormant, "size": size, "direction": direction,
                             "declining": declining}, index=features.index)


def resolve_rules(features: pd.DataFrame, params: Mapping[str, Any], previous_reference: float | None = None) -> Rules:
    """The review's rules from its parameters (:meth:`Params.complete` output).

    The reference level: ``reference_revenue`` when set (> 0); else ``previous_reference``
    (the previous review's, when one is given); else the median monthly revenue of this
    portfolio's established alliances (revenue, and a year of history or all the data hold):
    alliances that joined this year do not move the yardstick of the others (0 when none has
    revenue).
    """
    if params["reference_revenue"] > 0:
        reference, source = float(params["reference_revenue"]), REFERENCE_SET
    elif previous_reference is not None and previous_reference > 0:
        reference, source = float(previous_reference), REFERENCE_PREVIOUS
    else:
        per_month = pd.to_numeric(features["revenue_per_month"], errors="coerce") \
            if "revenue_per_month" in features else pd.Series(dtype=float)
        months = pd.to_numeric(features["months_of_data"], errors="coerce") \
            if "months_of_data" in features else pd.Series(WINDOW, index=per_month.index)
        history = min(WINDOW, int(features.attrs.get("current_months") or WINDOW))
        positive = per_month[(per_month > 0) & (months >= history)]
        if positive.empty:
            positive = per_month[per_month > 0]
        reference, source = (float(positive.median()) if len(positive) else 0.0), REFERENCE_MEDIAN
    return Rules(reference_revenue=reference, reference_from=source,
                 dormant_revenue=max(float(params["dormant_revenue"]), params["dormant_share"] * reference),
                 dormant_activities=float(params["dormant_activities"]), fast_growth=float(params["fast_growth"]),
                 growth=float(params["growth"]), decline=float(params["decline"]),
                 fix_trend=float(params["fix_trend"]))
