"""The health score: weights, 0-100 component sub-scores and their weighted mean (step 2)."""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import did_you_mean
from ._shared import _is_numeric, _pct_rank
from .declaration import HEALTH_WEIGHTS as DEFAULT_WEIGHTS

#: What each score component measures, in the client's words (report's method table).
COMPONENT_DESCRIPTIONS: dict[str, str] = {
    "revenue_ttm": "Revenue over the last 12 months (size)",
    "revenue_growth": "Revenue growth, last 12 months against the previous 12",
    "revenue_trend": "Monthly revenue trend over the last 12 months",
    "activity": "Joint activity: registrations, joint accounts, proposals, campaigns, enablement",
    "pipeline_coverage": "Open pipeline against annual revenue",
    "win_rate": "Share of closed deals won (deals the partner took part in)",
    "mdf_utilisation": "Market development funds spent against allocated",
}

#: Components whose absence means "nothing to show" (no metrics reported): sub-score 0.
#: Every other missing component is left out and the partner's weights renormalised.
ZERO_WHEN_MISSING = frozenset({"revenue_ttm", "activity"})

#: Pseudo-deals at the portfolio's overall win rate added to every partner's record before its
#: win rate is ranked for the score (empirical-Bayes shrinkage): one won deal out of one is weak
#: evidence and should not outrank 30 won out of 50.
WIN_RATE_PRIOR_DEALS = 5


def valid_weight_names(features: pd.DataFrame) -> list[str]:
    """Names a weight may use: the default components plus any numeric feature column."""
    numeric = [c for c in features.columns if _is_numeric(features[c])]
    return sorted(set(DEFAULT_WEIGHTS) | set(numeric))


def resolve_weights(features: pd.DataFrame, weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """``weights`` merged into :data:`DEFAULT_WEIGHTS` and renormalised to sum 1.

    Raises ``ValueError`` for an unknown name (naming the valid ones), a negative or
    non-numeric weight, or weights that are all zero. A weight on a feature other than the
    defaults (e.g. ``bookings_ttm``) means "higher is healthier".
    """
    merged = dict(DEFAULT_WEIGHTS)
    valid = valid_weight_names(features)
    unknown = [k for k in (weights or {}) if k not in valid]
    if unknown:
        hints = "; ".join(f"'{k}': {did_you_mean(k, valid)}" for k in unknown)
        raise ValueError(f"unknown health-score weight{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                         f"({hints}); valid weights: {', '.join(valid)}")
    for k, w in (weights or {}).items():
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
            raise ValueError(f"health-score weight '{k}' must be a number >= 0, got {w!r}")
        merged[k] = float(w)
    total = sum(merged.values())
    if total <= 0:
        raise ValueError("health-score weights must not all be zero")
    return {k: w / total for k, w in merged.items()}  # zeros kept, so resolving twice changes nothing


def component_scores(features: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The 0-100 sub-score of each weighted component (missing where the feature is missing).

    Each component is ranked across the portfolio (percentile rank: 0 = lowest, 100 = highest,
    ties share their mean rank), so currency, scale and a few huge partners do not matter.
    MDF utilisation is capped at 100 % first (overspending is not healthier than spending all).
    The win rate is ranked after shrinking it toward the portfolio's overall rate by
    :data:`WIN_RATE_PRIOR_DEALS` pseudo-deals (when ``deals_won``/``deals_closed`` are present).
    """
    w = {k: v for k, v in resolve_weights(features, weights).items() if v > 0}
    parts = {}
    for name in w:
        x = pd.to_numeric(features[name], errors="coerce").astype(float) if name in features \
            else pd.Series(np.nan, index=features.index)
        if name == "mdf_utilisation":
            x = x.clip(upper=1.0)
        elif name == "win_rate" and {"deals_won", "deals_closed"} <= set(features.columns):
            x = _shrunk_win_rate(features).where(x.notna())
        parts[name] = _pct_rank(x) * 100.0
    return pd.DataFrame(parts, index=features.index)


def _shrunk_win_rate(features: pd.DataFrame) -> pd.Series:
    won = pd.to_numeric(features["deals_won"], errors="coerce").fillna(0.0)
    closed = pd.to_numeric(features["deals_closed"], errors="coerce").fillna(0.0)
    pooled = won.sum() / closed.sum() if closed.sum() > 0 else 0.5
    return (won + WIN_RATE_PRIOR_DEALS * pooled) / (closed + WIN_RATE_PRIOR_DEALS)


def health_score(features: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.Series:
    """Health score 0-100 per partner: the weighted mean of the components' 0-100 sub-scores.

    Why percentile ranks: the portfolio mixes partners whose revenue differs by orders of
    magnitude; ranks make every component comparable and robust to outliers. The score is
    therefore relative: 50 is the middle of this portfolio, not an absolute standard.

    ``weights`` are merged into :data:`DEFAULT_WEIGHTS` (set one to 0 to drop a component) and
    renormalised; unknown names raise ``ValueError`` naming the valid ones.

    Missing components: ``revenue_ttm`` and ``activity`` are missing only when a partner
    reported no metrics; they then score 0 (nothing to show). Any other missing component
    (no closed deals, no MDF allocated, too little history for growth) is left out and the
    partner's remaining weights are renormalised, so a partner is judged on the evidence that
    exists. A partner with no evidence at all scores 0.
    """
    w = {k: v for k, v in resolve_weights(features, weights).items() if v > 0}
    parts = component_scores(features, w)
    for name in ZERO_WHEN_MISSING & set(parts.columns):
        parts[name] = parts[name].fillna(0.0)
    weight = pd.Series(w)
    present = parts.notna().mul(weight, axis=1)
    total = present.sum(axis=1)
    weighted = parts.fillna(0.0).mul(weight, axis=1).sum(axis=1)
    score = (weighted / total.where(total > 0)).fillna(0.0).clip(0.0, 100.0)
    return score.rename("health_score")
