"""Which indicators lead the target, by how many months, and how sure we are.

The method, step by step (the report explains it in plain words, :mod:`.phase`):

1. **Within-partner changes.** Each column is put on a log scale when it is never negative
   (``log1p``: changes read as percentages, so a large and a small partner count alike),
   then differenced month to month. A change across a missing month is not used.
2. **Two-way demeaning.** Each partner's average change is removed (its own trend: a growing
   partner's steady growth, a cumulative count's steady rise), each change is divided by the
   partner's own spread (every partner counts equally, big or small), and each month's
   average change across partners is removed (month fixed effects: seasonality, quarter-end
   pushes, market shocks that hit everyone). Extreme changes are capped at 4 spreads.
3. **Lagged partial correlation.** For each lag L = 1..``max_lag`` the effect is the partial
   correlation, pooled over partners and months, between the indicator's change in month
   t - L and the target's change in month t, *controlling for the target's own changes in
   months t - L and t - L - 1*. The control is what separates a leading indicator from a
   column that merely copies revenue: a same-month copy of revenue (bookings, pipeline
   booked on revenue) or a spend set from last month's revenue adds nothing once revenue's
   own movement at that time is known. Lag 0 (the plain same-month correlation) is computed
   too, for the diagnosis, never as a lead.
4. **Direction test (Granger-style).** The same partial correlation with the roles swapped:
   does the target's change in month t - k predict the indicator's change in month t, given
   the indicator's own recent changes? An indicator whose strongest relation runs from the
   target to it (or sits in the same month) is not leading, however strong it is.
5. **Uncertainty.** Partners are resampled with replacement ``n_bootstrap`` times and every
   lag of every indicator is re-estimated on each resample (the lag choice included). The
   interval is a *simultaneous* band: its half-width is the bootstrap standard error times
   the ``confidence`` quantile of the largest standardised deviation over all lags and all
   indicators. Searching 12 lags of 12 indicators for the best one therefore does not make
   chance findings look real: the chance that any indicator without a relation gets an
   interval that excludes zero stays at about 1 - ``confidence``.
6. **Verdict.** ``leading`` is true only when the best lag is >= 1, its interval excludes
   zero, its size is at least ``min_effect`` (a link too small to steer by is not a KPI), and
   it beats both the same-month relation and the reverse direction.

Month effects are estimated once on all partners (not per resample): with the many partners
of a portfolio they are stable, and it keeps the resampling a single matrix product.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from ..fmt import plain_number, plural
from .declaration import DEFAULT
from .funnel import label_of, stage_of
from .panel import Panel, seasonal_strength, trend_strength

#: Standardised changes beyond this many spreads are capped (robust to one-off spikes).
WINSOR = 4.0
#: A partner needs this many valid changes to be standardised (else it is left out).
MIN_CHANGES = 3
#: An indicator whose partners mostly only rise (or fall), or follow time this closely, "only trends".
TREND_THRESHOLD = 0.8
#: Share of an indicator's movement the calendar explains from which it is called "seasonal".
SEASONAL_THRESHOLD = 0.10

#: Month-to-month changes the seasonality check needs (two years: every month of the year seen at
#: least twice); with fewer, :func:`~.panel.seasonal_strength` returns 0 and no indicator can be
#: called seasonal (the report says so).
SEASONAL_CHANGES_NEEDED = 24
#: A lead tested on fewer months of changes per partner than this rests on few months (the
#: report says which leads, from the data's length).
MIN_MONTHS_PER_LEAD = 12

VERDICTS = ("leading", "follows the target", "moves with the target", "only trends", "seasonal",
            "too weak", "no relation", "does not vary", "too little data")

_PAIRS = [(i, j) for i in range(4) for j in range(i, 4)]  # the 10 cross-products of (lead, follow, c1, c2)


# ----------------------------------------------------------------------------------------------
# Changes
# ----------------------------------------------------------------------------------------------

@dataclass
class Changes:
    """A column's standardised within-partner changes (``partners x months - 1``).

    ``values`` are zero where ``mask`` is 0; ``before_month_effects`` keeps the changes before
    the common month effect was removed (for the seasonality diagnosis); ``log_scale`` says
    whether the column was put on a log scale.
    """

    values: np.ndarray
    mask: np.ndarray
    before_month_effects: np.ndarray
    log_scale: bool


def _partner_standardise(d: np.ndarray) -> np.ndarray:
    d = d - np.nanmean(d, axis=1, keepdims=True)
    sd = np.nanstd(d, axis=1, keepdims=True)
    sd[~(sd > 0)] = np.nan  # a partner without variation contributes nothing
    return d / sd


def standardised_changes(values: np.ndarray) -> Changes:
    """Steps 1-2 of the method for one ``partners x months`` column (see the module docstring)."""
    finite = values[np.isfinite(values)]
    log_scale = bool(len(finite)) and float(finite.min()) >= 0
    x = np.log1p(values) if log_scale else values
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        d = np.diff(x, axis=1)
        few = np.isfinite(d).sum(axis=1) < MIN_CHANGES
        d[few] = np.nan
        d = _partner_standardise(d)
        before = np.clip(d, -WINSOR, WINSOR)
        d = d - np.nanmean(d, axis=0, keepdims=True)
        d = _partner_standardise(d)
        d = np.clip(d, -WINSOR, WINSOR)
    mask = np.isfinite(d)
    return Changes(np.where(mask, d, 0.0), mask.astype(float), np.where(np.isfinite(before), before, 0.0), log_scale)


# ----------------------------------------------------------------------------------------------
# Pooled moments and partial correlations
# ----------------------------------------------------------------------------------------------

def pair_moments(lead: Changes, follow: Changes, lag: int) -> np.ndarray:
    """Per-partner sums (``partners x 11``) for lag ``lag``: the 10 cross-products of
    (lead at t - lag, follow at t, follow at t - lag, follow at t - lag - 1) and the pair count."""
    n, t_len = lead.values.shape
    t = np.arange(lag + 1, t_len)
    if len(t) == 0:
        return np.zeros((n, 11))
    w = lead.mask[:, t - lag] * follow.mask[:, t] * follow.mask[:, t - lag] * follow.mask[:, t - lag - 1]
    v = [lead.values[:, t - lag] * w, follow.values[:, t] * w, follow.values[:, t - lag] * w,
         follow.values[:, t - lag - 1] * w]
    return np.stack([(v[i] * v[j]).sum(axis=1) for i, j in _PAIRS] + [w.sum(axis=1)], axis=1)


def same_month_moments(a: Changes, b: Changes) -> np.ndarray:
    """Per-partner sums (``partners x 4``): aa, ab, bb and the pair count, same month."""
    w = a.mask * b.mask
    return np.stack([(a.values ** 2 * w).sum(1), (a.values * b.values * w).sum(1),
                     (b.values ** 2 * w).sum(1), w.sum(1)], axis=1)


def partial_correlation(sums: np.ndarray) -> np.ndarray:
    """Partial correlation of variables 0 and 1 given 2 and 3, from cross-product sums (``..., 11``)."""
    m = np.zeros(sums.shape[:-1] + (4, 4))
    for k, (i, j) in enumerate(_PAIRS):
        m[..., i, j] = sums[..., k]
        m[..., j, i] = sums[..., k]
    scale = np.trace(m, axis1=-2, axis2=-1)
    m = m + np.eye(4) * (1e-9 * np.maximum(scale, 1.0))[..., None, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.linalg.inv(m)
        r = -p[..., 0, 1] / np.sqrt(p[..., 0, 0] * p[..., 1, 1])
    return np.where(sums[..., 10] > 3, r, np.nan)


def bootstrap_weights(n_partners: int, n_bootstrap: int, seed: int) -> np.ndarray:
    """``(n_bootstrap + 1) x partners`` resampling counts; row 0 is the data itself (all ones)."""
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n_partners, np.full(n_partners, 1.0 / n_partners), size=n_bootstrap)
    return np.vstack([np.ones((1, n_partners)), draws]).astype(float)


@dataclass
class LagProfile:
    """One indicator's effects, on the data (row 0) and on every resample (rows 1..).

    ``forward[:, L-1]``: indicator leads the target by L months; ``reverse[:, k-1]``: the
    target leads the indicator by k months; ``same_month``: the plain same-month correlation.
    """

    forward: np.ndarray
    reverse: np.ndarray
    same_month: np.ndarray
    pairs: np.ndarray      # pairs used per forward lag (on the data)
    partners: np.ndarray   # partners contributing per forward lag


def lag_profile(x: Changes, y: Changes, max_lag: int, weights: np.ndarray) -> LagProfile:
    """Steps 3-4 of the method for one indicator ``x`` against target ``y``, on every resample."""
    n = x.values.shape[0]
    fwd = np.stack([pair_moments(x, y, lag) for lag in range(1, max_lag + 1)], axis=1)
    rev = np.stack([pair_moments(y, x, lag) for lag in range(1, max_lag + 1)], axis=1)
    same = same_month_moments(x, y)
    fwd_b = (weights @ fwd.reshape(n, -1)).reshape(len(weights), max_lag, 11)
    rev_b = (weights @ rev.reshape(n, -1)).reshape(len(weights), max_lag, 11)
    same_b = weights @ same
    with np.errstate(invalid="ignore", divide="ignore"):
        same_r = np.where(same_b[:, 3] > 3, same_b[:, 1] / np.sqrt(same_b[:, 0] * same_b[:, 2]), np.nan)
    return LagProfile(partial_correlation(fwd_b), partial_correlation(rev_b), same_r,
                      fwd[:, :, 10].sum(axis=0), (fwd[:, :, 10] > 0).sum(axis=0))


# ----------------------------------------------------------------------------------------------
# The estimation over every candidate
# ----------------------------------------------------------------------------------------------

def _nan_std(a: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanstd(a, axis=0, ddof=1)


def critical_value(profiles: dict[str, LagProfile], confidence: float) -> float:
    """The ``confidence`` quantile over resamples of the largest |deviation| / standard error
    over every forward lag of every indicator (the simultaneous band's multiplier)."""
    worst = []
    for prof in profiles.values():
        se = _nan_std(prof.forward[1:])
        ok = np.isfinite(prof.forward[0]) & (se > 0)
        if ok.any():
            z = np.abs(prof.forward[1:, ok] - prof.forward[0, ok]) / se[ok]
            worst.append(np.nan_to_num(z, nan=0.0).max(axis=1))
    if not worst or len(worst[0]) < 10:
        count = sum(int(np.isfinite(p.forward[0]).sum()) for p in profiles.values()) or 1
        return NormalDist().inv_cdf(1 - (1 - confidence) / (2 * count))  # Bonferroni without resamples
    return float(np.quantile(np.max(np.stack(worst, axis=1), axis=1), confidence))


@dataclass
class LagEstimates:
    """Everything the lag analysis found.

    ``effects``: one row per candidate, ranked (the columns of ``indicator_effects.csv`` first);
    ``profiles``: effect and band per indicator and lag, negative lags being the reverse
    direction and 0 the same month (the report's chart).
    """

    effects: pd.DataFrame
    profiles: pd.DataFrame
    critical_value: float
    n_bootstrap: int
    confidence: float
    max_lag: int
    min_effect: float
    target: str


def verdict_text(verdict: str, target: str) -> str:
    """A verdict for the reader: 'follows the target' -> 'follows revenue'."""
    return str(verdict).replace("the target", label_of(target).lower())


def lower_label(label: str) -> str:
    """A label inside a sentence: 'Pipeline created' -> 'pipeline created', 'MDF spent' stays."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def months_per_lead(n_months: int, lag: int) -> int:
    """The most months of changes a partner can give a lead of ``lag`` months with ``n_months`` of data.

    A pair needs the indicator's change ``lag`` months before the target's, and the target's own
    changes then and one month before that (the control): ``n_months - 2 - lag``.
    """
    return max(int(n_months) - 2 - int(lag), 0)


def variation(values: np.ndarray) -> str:
    """Whether a ``partners x months`` column varies: ``"varies"``; ``"constant"`` (one value every
    month for every partner); ``"constant per partner"`` (each partner's value never changes);
    ``"empty"`` (no value at all)."""
    finite = np.isfinite(values)
    if not finite.any():
        return "empty"
    if np.nanmax(values) == np.nanmin(values):
        return "constant"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmax(values, axis=1) - np.nanmin(values, axis=1)
    return "constant per partner" if not np.any(spread > 0) else "varies"


def _verdict(row: dict, target: str, max_lag: int, min_effect: float, confidence: float,
             varies: str = "varies", value: float = float("nan")) -> tuple[str, str]:
    """``(verdict, reason)`` of one indicator, in the client's words.

    An indicator that never changes (``varies`` from :func:`variation`; ``value`` its one value)
    "does not vary": its effect cannot be tested, which is not the same as too few observations.
    Not leading, the first that applies: the reverse direction or the same month explains it
    better (whichever is stronger, when it is significant and at least ``min_effect``), it
    only trends, it is seasonal, its lead is real but too small, or there is no relation.
    """
    label, t = lower_label(row["label"]), label_of(target).lower()
    e, lag = row["effect"], row["lag_months"]
    if varies == "constant":
        shown = f" ({plain_number(value)})" if np.isfinite(value) else ""
        return "does not vary", (f"Does not vary: the same value{shown} every month for every partner, so its effect "
                                 "cannot be tested.")
    if varies == "constant per partner":
        return "does not vary", ("Does not vary over time: each partner reports the same value every month (values "
                                 "differ only between partners), so its effect cannot be tested.")
    if not np.isfinite(e):
        if varies == "empty":
            return "too little data", "No values reported, so it cannot be tested."
        return "too little data", "Too few partner-months with changes to test it."
    if row["leading"]:
        return "leading", (f"Changes in {label} are followed by {t} changes {plural(lag, 'month')} later (effect {e:+.2f}; "
                           f"{confidence:.0%} interval {row['ci_low']:+.2f} to {row['ci_high']:+.2f}).")
    rev, same = row["reverse_effect"], row["same_month_effect"]
    rev_ok = row["reverse_significant"] and abs(rev) >= max(abs(e), min_effect)
    same_ok = row["same_month_significant"] and abs(same) >= max(abs(e), min_effect)
    if rev_ok and (not same_ok or abs(rev) >= abs(same)):
        return "follows the target", (f"Follows {t} instead of leading it: {t} changes are followed by changes in "
                                      f"{label} {plural(row['reverse_lag'], 'month')} later (effect {rev:+.2f}), a stronger "
                                      f"relation than any lead ({e:+.2f}).")
    if same_ok:
        return "moves with the target", (f"Moves with {t} in the same month (effect {same:+.2f}): another view of the "
                                         "result, not an early signal.")
    if row["trend_strength"] >= TREND_THRESHOLD:
        return "only trends", (f"Only trends: it keeps rising (or falling) for most partners; once that trend is "
                               f"taken out, its changes say nothing about {t} to come.")
    if row["seasonal_strength"] >= SEASONAL_THRESHOLD:
        return "seasonal", (f"Seasonal: it rises and falls with the calendar for all partners at once "
                            f"({row['seasonal_strength']:.0%} of its movement); once the calendar is taken out, "
                            f"it does not lead {t}.")
    if row["ci_low"] > 0 or row["ci_high"] < 0:
        return "too weak", (f"A small but real link at {plural(lag, 'month')} (effect {e:+.2f}), below the {min_effect:.2f} "
                            "needed to steer by.")
    return "no relation", (f"No reliable link with {t} at any lag up to {plural(max_lag, 'month')} (strongest {e:+.2f} at "
                           f"{plural(lag, 'month')}; the interval includes zero).")


def estimate_lags(panel: Panel, target: str, candidates: list[str], max_lag: int = DEFAULT.max_lag,
                  n_bootstrap: int = DEFAULT.n_bootstrap, seed: int = DEFAULT.seed, confidence: float = DEFAULT.confidence,
                  min_effect: float = DEFAULT.min_effect) -> LagEstimates:
    """Run steps 1-6 for every candidate against ``target``; see the module docstring."""
    y = standardised_changes(panel.values[target])
    weights = bootstrap_weights(panel.n_partners, n_bootstrap, seed)
    changes = {c: standardised_changes(panel.values[c]) for c in candidates}
    profiles = {c: lag_profile(changes[c], y, max_lag, weights) for c in candidates}
    crit = critical_value(profiles, confidence)
    tail = (1 - confidence) / 2
    rows, curves = [], []
    for c in candidates:
        prof = profiles[c]
        fwd, rev, same = prof.forward[0], prof.reverse[0], prof.same_month[0]
        se_f, se_r, se_s = _nan_std(prof.forward[1:]), _nan_std(prof.reverse[1:]), float(_nan_std(prof.same_month[1:, None])[0])
        stage, _ = stage_of(c)
        row = {"indicator": c, "label": label_of(c), "funnel_stage": stage}
        if np.isfinite(fwd).any():
            best = int(np.nanargmax(np.abs(fwd)))
            picks = np.nanargmax(np.nan_to_num(np.abs(prof.forward[1:]), nan=-1.0), axis=1) + 1
            k = int(np.nanargmax(np.abs(rev))) if np.isfinite(rev).any() else 0
            e, half = float(fwd[best]), float(crit * se_f[best])
            row.update(lag_months=best + 1, effect=e, ci_low=max(-1.0, e - half), ci_high=min(1.0, e + half),
                       lag_low=int(np.quantile(picks, tail, method="lower")) if len(picks) else best + 1,
                       lag_high=int(np.quantile(picks, 1 - tail, method="higher")) if len(picks) else best + 1,
                       same_month_effect=float(same), reverse_effect=float(rev[k]), reverse_lag=k + 1,
                       reverse_significant=bool(abs(rev[k]) > crit * se_r[k]) if np.isfinite(se_r[k]) else False,
                       same_month_significant=bool(abs(same) > crit * se_s) if np.isfinite(se_s) else False,
                       n_partners=int(prof.partners[best]), n_pairs=int(prof.pairs[best]))
        else:
            row.update(lag_months=np.nan, effect=np.nan, ci_low=np.nan, ci_high=np.nan, lag_low=np.nan,
                       lag_high=np.nan, same_month_effect=np.nan, reverse_effect=np.nan, reverse_lag=np.nan,
                       reverse_significant=False, same_month_significant=False, n_partners=0, n_pairs=0)
        e = row["effect"]
        row["leading"] = bool(np.isfinite(e) and row["lag_months"] >= 1 and (row["ci_low"] > 0 or row["ci_high"] < 0)
                              and abs(e) >= min_effect and abs(e) > abs(np.nan_to_num(row["reverse_effect"]))
                              and abs(e) > abs(np.nan_to_num(row["same_month_effect"])))
        row["trend_strength"] = trend_strength(panel.values[c])
        row["seasonal_strength"] = seasonal_strength(changes[c].before_month_effects, changes[c].mask,
                                                     panel.calendar_month)
        values = panel.values[c]
        varies = variation(values)
        row["verdict"], row["reason"] = _verdict(row, target, max_lag, min_effect, confidence, varies,
                                                 float(np.nanmin(values)) if varies == "constant" else float("nan"))
        rows.append(row)
        lags = np.arange(-max_lag, max_lag + 1)
        eff = np.concatenate([rev[::-1], [same], fwd])
        se = np.concatenate([se_r[::-1], [se_s], se_f])
        curves.append(pd.DataFrame({"indicator": c, "lag": lags, "effect": eff,
                                    "low": np.clip(eff - crit * se, -1, 1), "high": np.clip(eff + crit * se, -1, 1)}))
    effects = rank_effects(pd.DataFrame(rows))
    profiles_frame = pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(
        columns=["indicator", "lag", "effect", "low", "high"])
    return LagEstimates(effects, profiles_frame, crit, n_bootstrap, confidence, max_lag, min_effect, target)


#: Columns of ``indicator_effects.csv``: the contract's first, then the evidence behind each verdict.
EFFECT_COLUMNS = ("indicator", "lag_months", "effect", "ci_low", "ci_high", "leading", "rank", "funnel_stage",
                  "label", "verdict", "reason", "lag_low", "lag_high", "same_month_effect", "reverse_effect",
                  "reverse_lag", "trend_strength", "seasonal_strength", "n_partners", "n_pairs")


def rank_effects(rows: pd.DataFrame) -> pd.DataFrame:
    """Strongest first: leading indicators by effect size, then the others by effect size (ties by name)."""
    if rows.empty:
        return pd.DataFrame(columns=list(EFFECT_COLUMNS))
    order = rows.assign(_lead=~rows["leading"], _size=-rows["effect"].abs().fillna(-1.0))
    order = order.sort_values(["_lead", "_size", "indicator"], kind="stable").drop(columns=["_lead", "_size"])
    order["rank"] = np.arange(1, len(order) + 1)
    for col in ("lag_months", "lag_low", "lag_high", "reverse_lag"):
        order[col] = order[col].astype("Int64")
    for col in ("effect", "ci_low", "ci_high", "same_month_effect", "reverse_effect", "trend_strength",
                "seasonal_strength"):
        order[col] = order[col].astype(float).round(4)
    return order[list(EFFECT_COLUMNS)].reset_index(drop=True)
