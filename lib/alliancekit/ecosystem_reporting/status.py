"""Status against target and direction of travel: the two signs every scorecard line carries.

**Status** (the scorecard's thresholds, ``scorecard.yml`` of metric_design): for a measure where
more is better (``direction: up``) a value is ``green`` from the green threshold (the target),
``amber`` from the amber threshold, ``red`` below it; where less is better (``down``) green up
to the green threshold, amber up to the amber one, red above. No value: ``no data``; no target:
``no target``. **Attainment** is value / target (target / value where less is better), the
share of the target reached; the status wheel shows it capped at 100 %.

**Direction of travel** over ``months`` months (3 by default): the mean of the last ``months``
months against the mean of the ``months`` months before them. The relative change
(last - previous) / |previous| is ``up`` (arrow ↑) above +:data:`FLAT_BAND`, ``down`` (↓) below
-:data:`FLAT_BAND`, and ``flat`` (→) in between: a change of less than 5 % either way is noise
in monthly alliance figures, not a trend. A previous mean of zero gives ``up`` when the last
mean is positive and ``flat`` when it is zero too. Months a partner did not report are left
out of each mean; a window with no reported month gives ``no data``. Whether a direction is
good depends on the measure: ↑ is good where more is better, ↓ where less is better.
"""

from __future__ import annotations

import numpy as np

#: Relative change of the mean within which the direction of travel is "flat".
FLAT_BAND = 0.05
#: Arrows of the directions.
ARROWS = {"up": "↑", "flat": "→", "down": "↓", "no data": "–"}
#: Status names, best first.
STATUSES = ("green", "amber", "red", "no target", "no data")
#: Colours of the statuses (print-safe; the same in HTML, PDF and slides).
STATUS_COLORS = {"green": "#2E8B57", "amber": "#E0A100", "red": "#C44536", "no target": "#A0A8B4",
                 "no data": "#A0A8B4"}


def status_of(value, green, amber, direction="up") -> np.ndarray:
    """Status of each value against its thresholds (arrays broadcast; see the module docstring)."""
    v, g, a = (np.asarray(x, dtype=float) for x in (value, green, amber))
    v, g, a = np.broadcast_arrays(v, g, a)
    down = np.broadcast_to(np.asarray(direction) == "down", v.shape)
    with np.errstate(invalid="ignore"):
        is_green = np.where(down, v <= g, v >= g)
        is_amber = np.where(down, v <= a, v >= a)
    out = np.where(is_green, "green", np.where(is_amber, "amber", "red")).astype(object)
    out[~np.isfinite(g)] = "no target"
    out[~np.isfinite(v)] = "no data"
    return out


def attainment(value, target, direction="up") -> np.ndarray:
    """Share of the target reached (value / target; target / value where less is better), uncapped."""
    v, t = (np.asarray(x, dtype=float) for x in (value, target))
    v, t = np.broadcast_arrays(v, t)
    down = np.broadcast_to(np.asarray(direction) == "down", v.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        up_ratio = np.where(t > 0, v / t, np.where(v > 0, np.inf, np.nan))
        down_ratio = np.where(v > 0, t / v, np.where(t >= 0, np.inf, np.nan))
    out = np.where(down, down_ratio, up_ratio)
    out[~np.isfinite(v) | ~np.isfinite(t)] = np.nan
    return out


def window_means(matrix: np.ndarray, months: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: mean of the last ``months`` columns and of the ``months`` before (NaN-aware)."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim == 1:
        matrix = matrix[None, :]

    def mean(block: np.ndarray) -> np.ndarray:
        counts = np.isfinite(block).sum(axis=1)
        return np.where(counts > 0, np.nansum(block, axis=1) / np.maximum(counts, 1), np.nan)

    last = matrix[:, -months:] if matrix.shape[1] else np.full((matrix.shape[0], 0), np.nan)
    previous = matrix[:, -2 * months:-months] if matrix.shape[1] > months else np.full((matrix.shape[0], 0), np.nan)
    return mean(last), mean(previous)


def direction_of_travel(matrix, months: int = 3, flat_band: float = FLAT_BAND) -> tuple[np.ndarray, np.ndarray]:
    """``(direction, relative change)`` per row of a months-in-columns matrix (oldest first)."""
    last, previous = window_means(matrix, months)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(previous != 0, (last - previous) / np.abs(previous),
                          np.where(last > 0, np.inf, np.where(last < 0, -np.inf, 0.0)))
    change = np.where(np.isfinite(last) & np.isfinite(previous), change, np.nan)
    direction = np.where(change > flat_band, "up", np.where(change < -flat_band, "down", "flat")).astype(object)
    direction[np.isnan(change)] = "no data"
    return direction, change


def is_good_direction(direction, measure_direction) -> np.ndarray:
    """True where the movement helps (↑ where more is better, ↓ where less is better); flat is neither."""
    d, m = np.broadcast_arrays(np.asarray(direction, dtype=object), np.asarray(measure_direction, dtype=object))
    return ((d == "up") & (m != "down")) | ((d == "down") & (m == "down"))


def describe_rules(months: int) -> str:
    """The status and direction rules in words, for reports and scorecards."""
    return (f"Status compares a value with its target: green from the target, amber from the scorecard's amber "
            f"threshold, red below it (mirrored where less is better). The arrow compares the average of the last "
            f"{months} months with the {months} months before: ↑ more than {FLAT_BAND:.0%} higher, ↓ more than "
            f"{FLAT_BAND:.0%} lower, → within {FLAT_BAND:.0%} either way.")
