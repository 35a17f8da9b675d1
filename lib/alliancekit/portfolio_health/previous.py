"""The previous review: what this one keeps from it (reference level, segment names) and what changed since.

The annual review is a cycle. Given last review's delivery (``previous``), this review

- measures size and dormancy against the same reference level (:func:`~.rules.resolve_rules`),
  so a threshold does not move because the portfolio did;
- matches its segments to last review's by profile (:func:`match_segments`): a segment whose
  medians are close to one of last year's takes that segment's name;
- says per alliance what changed (:func:`compare_alliances`): last review's segment and action
  beside this one's.

It reads only what was delivered (``working/portfolio_health/segments.csv``), never re-runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ..errors import InputError, Problem
from ..layout import working_dir, working_root
from .actions import EXIT_REVIEW
from .rules import THRESHOLD_COLUMNS
from .segments import segment_matrix

#: The result file a previous review is read from.
RESULT = "segments.csv"
#: Columns a previous review's ``segments.csv`` must hold to be compared with (older deliveries lack some).
REQUIRED = ("partner_id", "partner_name", "segment", "action", "revenue_per_month", "revenue_growth",
            "joint_activities_per_month", "review_month", *THRESHOLD_COLUMNS)
#: Largest distance (in standard deviations of this portfolio's segment features) between a
#: segment's medians and last review's for the profile to "hold" and the name to be kept.
MATCH_DISTANCE = 0.75
#: ``change`` per alliance, when a previous review is given.
SAME, SEGMENT, ACTION, BOTH, NEW = ("same", "segment changed", "action changed", "segment and action changed",
                                     "new since last review")


@dataclass(frozen=True)
class PreviousReview:
    """Last review's delivered ``segments.csv`` (``table``, partner ids as text) and where it was read."""

    path: Path
    table: pd.DataFrame

    @property
    def reference_revenue(self) -> float:
        """Last review's reference level (monthly revenue of a typical alliance)."""
        return float(self.table["threshold_reference_revenue"].iloc[0]) if len(self.table) else 0.0

    @property
    def as_of(self) -> str:
        """Last review's month (YYYY-MM)."""
        return str(self.table["review_month"].iloc[0]) if len(self.table) else ""


def _results_file(path: Path) -> Path:
    """``segments.csv`` of a delivery given as its output folder, its ``working/``, the phase's folder or the file."""
    for candidate in (working_dir(path, "portfolio_health") / RESULT, path / "portfolio_health" / RESULT,
                      path / RESULT, path):
        if candidate.is_file():
            return candidate
    return working_dir(path, "portfolio_health") / RESULT


def read_previous(given: str, root: Path | None = None) -> PreviousReview | None:
    """The previous review named by the ``previous`` parameter (None when empty).

    A relative path is read from the engagement file's folder ``root``. Raises
    :class:`~.errors.InputError` (exit 2) when there is no delivered review there, or when it
    was made by an older version of the kit whose ``segments.csv`` lacks what a comparison needs.
    """
    if not str(given).strip():
        return None
    path = Path(given).expanduser()
    if not path.is_absolute() and root is not None:
        path = Path(root) / path
    file = _results_file(path)
    if not file.is_file():
        raise InputError(Problem("previous", f"no delivered portfolio health review at {path} (expected its output "
                                             f"folder, holding {working_root(Path('.')) / 'portfolio_health' / RESULT})"))
    table = pd.read_csv(file, dtype={"partner_id": str, "partner_name": str}, keep_default_na=False,
                        na_values=[""])
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise InputError(Problem(str(file), f"made by an older version of the kit: it lacks {', '.join(missing)}; "
                                            "re-run that review with this version, or leave previous empty"))
    return PreviousReview(file, table)


def _medians(table: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Per segment label: the medians of the segmentation's prepared features."""
    return segment_matrix(table).groupby(labels.to_numpy()).median()


def match_segments(features: pd.DataFrame, labels: pd.Series, previous: PreviousReview) -> dict[int, str]:
    """This review's segments whose profile holds from last review: segment id -> last review's name.

    Profiles are the medians of the segmentation's features (:func:`~.segments.segment_matrix`:
    log monthly revenue, growth, log joint activities a month), in standard deviations of this
    portfolio's features. Segments are paired one to one with last review's by the smallest total
    distance (Hungarian algorithm); a pair closer than :data:`MATCH_DISTANCE` keeps the name.
    """
    current = _medians(features.reindex(labels.index), labels)
    before = _medians(previous.table, previous.table["segment"].astype(str))
    sd = segment_matrix(features).std(ddof=0).replace(0.0, 1.0)
    a, b = (current / sd).to_numpy(), (before / sd).to_numpy()
    if not len(a) or not len(b):
        return {}
    distance = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2))
    rows, cols = linear_sum_assignment(distance)
    return {int(current.index[r]): str(before.index[c]) for r, c in zip(rows, cols)
            if distance[r, c] <= MATCH_DISTANCE}


def keep_names(names: dict[int, str], kept: dict[int, str]) -> dict[int, str]:
    """``names`` with last review's name on every matched segment; a new name equal to a kept one is numbered."""
    out = {s: kept.get(s, n) for s, n in names.items()}
    taken = set(kept.values())
    for s in sorted(out):
        if s in kept or out[s] not in taken:
            continue
        i = 2
        while f"{out[s]} ({i})" in taken or f"{out[s]} ({i})" in out.values():
            i += 1
        out[s] = f"{out[s]} ({i})"
    return out


def exit_reviews_in_a_row(before: pd.DataFrame, ids, exit_now) -> np.ndarray:
    """How many reviews in a row each alliance of ``ids`` has been an exit-review candidate (the
    "roach motel" count): for a candidate now (``exit_now``), 1 + its count last review when it was
    a candidate then (that review's ``exit_reviews_in_a_row``, 1 when it did not count), else 1;
    0 for an alliance that is not a candidate now. ``before``: last review's ``segments.csv``
    indexed by ``partner_id``. The one rule of ``segments.csv`` and of the review-cycle comparison.
    """
    counted = (pd.to_numeric(before["exit_reviews_in_a_row"], errors="coerce") if "exit_reviews_in_a_row" in before
               else pd.Series(1.0, index=before.index))
    then = counted.fillna(1).where(before["action"] == EXIT_REVIEW, 0).reindex(list(ids)).fillna(0).to_numpy()
    return np.where(np.asarray(exit_now, dtype=bool), 1 + then, 0).astype(np.int64)


def compare_alliances(table: pd.DataFrame, previous: PreviousReview) -> pd.DataFrame:
    """``table`` (``segments.csv``) with last review's ``previous_segment`` and ``previous_action``, the
    ``change``, and ``exit_reviews_in_a_row`` counted on: an exit-review candidate now that was one
    last time has one more review in a row than it had then (the "roach motel" count)."""
    before = previous.table.drop_duplicates("partner_id").set_index("partner_id")
    ids = table["partner_id"].astype(str)
    seg = before["segment"].reindex(ids).to_numpy(dtype=object)
    act = before["action"].reindex(ids).to_numpy(dtype=object)
    streak = exit_reviews_in_a_row(before, ids, table["action"] == EXIT_REVIEW)
    known = pd.notna(seg)
    moved = known & (seg != table["segment"].to_numpy(dtype=object))
    acted = known & (act != table["action"].to_numpy(dtype=object))
    change = np.select([~known, moved & acted, moved, acted], [NEW, BOTH, SEGMENT, ACTION], default=SAME)
    return table.assign(previous_segment=np.where(known, seg, ""), previous_action=np.where(known, act, ""),
                        change=change, exit_reviews_in_a_row=streak)


def ended(table: pd.DataFrame, previous: PreviousReview) -> pd.DataFrame:
    """Last review's alliances no longer in this one (partner_id, partner_name, segment, action then)."""
    gone = ~previous.table["partner_id"].astype(str).isin(table["partner_id"].astype(str))
    return previous.table.loc[gone, ["partner_id", "partner_name", "segment", "action"]].reset_index(drop=True)
