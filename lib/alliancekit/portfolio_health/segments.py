"""Segmentation: k-means groups of alliances that behave alike, their stability and names (step 3)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from threadpoolctl import threadpool_limits

from .declaration import DEFAULT
from .features import WINDOW
from .scoring import health_score

#: Features the segmentation groups alliances by: size, direction and activity (the "revenue,
#: activity levels, trends" practitioners judge alliance health by). The monthly trend and the
#: win rate are deliberately left out: on small or lumpy partners a 12-month slope and a win
#: rate over a handful of deals are mostly noise, and on a planted portfolio they split the
#: weakest partners into spurious segments (silhouette then prefers 6-7 segments over the 4
#: planted ones). Growth over 12-month totals carries the direction robustly. Both still count
#: in the health score and in the reasons.
SEGMENT_FEATURES: tuple[str, ...] = ("revenue_ttm", "revenue_growth", "activity")

#: Largest sample used for the silhouette (O(n^2)) and for each bootstrap refit.
SILHOUETTE_SAMPLE = 5000
BOOTSTRAP_SAMPLE = 5000
#: Threads (OpenMP and BLAS) of the k-means fits and the silhouette. One: the fits are small (a few features), the result does
#: not depend on the machine's core count, and a busy machine does not slow down 5-10x from
#: OpenMP threads spinning for a core (measured: 100,000 partners take ~5 s single-threaded
#: against 30-45 s with two threads when other work runs on the same two cores).
CLUSTER_THREADS = 1

#: Segment naming thresholds: size against the portfolio median, growth (symmetric rate).
LARGE_RATIO = 1.5
SMALL_RATIO = 1 / 1.5
FAST_GROWTH = 0.35          # about +42 % year on year
GROWTH = 0.05               # about +5 %
DECLINE = -0.05
DORMANT_REVENUE_RATIO = 0.10
DORMANT_ACTIVITY = 0.35


@dataclass
class Segmentation:
    """The grouping of the portfolio into segments of alliances that behave alike.

    ``labels``: partner_id -> segment number (1 = healthiest segment by mean health score).
    ``k``: number of segments. ``scores``: silhouette (and inertia) per k tried, index k.
    ``centers``: the k-means centres in original units (segment rows, :data:`SEGMENT_FEATURES`
    columns). ``stability``: mean adjusted Rand index of bootstrap refits against the full fit
    (1 = identical grouping every time, 0 = chance; NaN when not measured). ``names``:
    segment number -> plain-language name. ``stability_runs``: the ARI of each refit.
    """

    labels: pd.Series
    k: int
    scores: pd.DataFrame
    centers: pd.DataFrame
    stability: float
    names: dict[int, str]
    stability_runs: list[float] = field(default_factory=list)
    features_used: tuple[str, ...] = SEGMENT_FEATURES
    seed: int = 0


def segment_matrix(features: pd.DataFrame) -> pd.DataFrame:
    """The prepared (not yet standardised) features the segmentation uses, one row per partner.

    - ``revenue_ttm`` as ``log(1 + revenue)`` (size spans orders of magnitude; negative -> 0);
      missing (no metrics) -> 0;
    - ``revenue_growth`` as is (already bounded in [-2, 2]); missing -> 0 (read as flat);
    - ``activity`` as is ([0, 1]); missing (no metrics) -> 0 (no activity).

    See :data:`SEGMENT_FEATURES` for why trend and win rate are not among them.
    """
    def col(name: str) -> pd.Series:
        return pd.to_numeric(features[name], errors="coerce").astype(float) if name in features \
            else pd.Series(np.nan, index=features.index)

    return pd.DataFrame({
        "revenue_ttm": np.log1p(col("revenue_ttm").clip(lower=0).fillna(0.0)),
        "revenue_growth": col("revenue_growth").fillna(0.0),
        "activity": col("activity").fillna(0.0),
    }, index=features.index)


def _standardise(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = frame.to_numpy(dtype=float)
    mean = x.mean(axis=0)
    sd = x.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    return np.ascontiguousarray((x - mean) / sd), mean, sd


def segment_portfolio(features: pd.DataFrame, k_min: int = DEFAULT.k_min, k_max: int = DEFAULT.k_max,
                      seed: int = DEFAULT.seed, n_bootstrap: int = DEFAULT.n_bootstrap,
                      health: pd.Series | None = None) -> Segmentation:
    """Group the portfolio into k segments of alliances that behave alike, k chosen from the data.

    Why: the review looks for patterns across the portfolio (Bamford & Ernst), not only at
    single alliances; segments give each group one treatment.

    Method: the features of :func:`segment_matrix` are standardised (z-scores) and k-means
    (``n_init=10``, ``random_state=seed``) is fitted for each k in ``[k_min, k_max]`` (capped at
    the number of partners minus one and at the number of distinct feature rows). The silhouette (on a fixed random sample of at
    most :data:`SILHOUETTE_SAMPLE` partners, ``random_state=seed``) picks k: the highest wins;
    ties (equal to 6 decimals) go to the smaller k (fewer segments are easier to act on).

    Stability: ``n_bootstrap`` times, a bootstrap resample (of at most :data:`BOOTSTRAP_SAMPLE`
    partners, seeded) is clustered again with the chosen k; the adjusted Rand index between the
    refit and the full fit on the resampled partners is averaged.

    Segments are numbered 1..k by descending mean health score (``health``, or
    :func:`health_score` with default weights), ties by size then centre, so numbers are stable.
    A portfolio with fewer than 3 distinct partners is one segment. The fits run on
    :data:`CLUSTER_THREADS` threads.
    """
    if k_min < 2 or k_max < k_min:
        raise ValueError(f"need 2 <= k_min <= k_max, got k_min={k_min}, k_max={k_max}")
    if health is None:
        health = health_score(features)
    health = health.reindex(features.index)
    prepared = segment_matrix(features)
    x, mean, sd = _standardise(prepared)
    n = len(x)
    distinct = len(np.unique(np.round(x, 12), axis=0)) if n else 0
    upper = min(k_max, n - 1, distinct)
    ks = [k for k in range(k_min, upper + 1)]
    rows = []
    fits: dict[int, np.ndarray] = {}
    centers_z: dict[int, np.ndarray] = {}
    sample = min(n, SILHOUETTE_SAMPLE)
    for k in ks:
        with threadpool_limits(limits=CLUSTER_THREADS):
            model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(x)
        labels = model.labels_
        used = len(np.unique(labels))
        if used < 2:
            continue
        with threadpool_limits(limits=CLUSTER_THREADS):
            sil = silhouette_score(x, labels, sample_size=sample if sample < n else None, random_state=seed)
        rows.append({"k": k, "silhouette": float(sil), "inertia": float(model.inertia_)})
        fits[k], centers_z[k] = labels, model.cluster_centers_
    scores = pd.DataFrame(rows, columns=["k", "silhouette", "inertia"]).set_index("k")

    if scores.empty:  # too few partners to compare groupings: one segment
        labels = pd.Series(1, index=features.index, name="segment_id", dtype=np.int64)
        centers = _centers_original(x.mean(axis=0, keepdims=True) if n else np.zeros((1, x.shape[1])), mean, sd, prepared.columns)
        centers.index = pd.Index([1], name="segment_id")
        names = name_segments(features, labels, health)
        return Segmentation(labels, 1, scores, centers, float("nan"), names, [], tuple(prepared.columns), seed)

    best = scores["silhouette"].round(6)
    k = int(best[best == best.max()].index.min())
    raw = fits[k]

    # Number segments 1..k by descending mean health, then size, then centre (deterministic).
    order_frame = pd.DataFrame({"raw": np.arange(k),
                                "health": pd.Series(health.to_numpy()).groupby(raw).mean().reindex(range(k)).fillna(-1).to_numpy(),
                                "size": np.bincount(raw, minlength=k),
                                "center": [tuple(c) for c in np.round(centers_z[k], 9)]})
    order_frame = order_frame.sort_values(["health", "size", "center"], ascending=[False, False, True], kind="stable")
    mapping = np.empty(k, dtype=np.int64)
    mapping[order_frame["raw"].to_numpy()] = np.arange(1, k + 1)
    labels = pd.Series(mapping[raw], index=features.index, name="segment_id")
    centers = _centers_original(centers_z[k][order_frame["raw"].to_numpy()], mean, sd, prepared.columns)
    centers.index = pd.Index(range(1, k + 1), name="segment_id")

    runs = _bootstrap_stability(x, raw, k, seed, n_bootstrap)
    stability = float(np.mean(runs)) if runs else float("nan")
    names = name_segments(features, labels, health)
    return Segmentation(labels, k, scores, centers, stability, names, runs, tuple(prepared.columns), seed)


def _centers_original(z: np.ndarray, mean: np.ndarray, sd: np.ndarray, columns: pd.Index) -> pd.DataFrame:
    """k-means centres back in the features' units (revenue from its log scale)."""
    values = z * sd + mean
    frame = pd.DataFrame(values, columns=columns)
    frame["revenue_ttm"] = np.expm1(frame["revenue_ttm"])
    return frame


def _bootstrap_stability(x: np.ndarray, full: np.ndarray, k: int, seed: int, n_bootstrap: int) -> list[float]:
    """ARI between refits on bootstrap resamples and the full fit, on the resampled partners."""
    n = len(x)
    if n_bootstrap <= 0 or n < 3:
        return []
    rng = np.random.default_rng(seed)
    size = min(n, BOOTSTRAP_SAMPLE)
    runs = []
    for b in range(n_bootstrap):
        idx = rng.integers(0, n, size=size)
        if len(np.unique(np.round(x[idx], 12), axis=0)) < k:
            continue
        with threadpool_limits(limits=CLUSTER_THREADS):
            model = KMeans(n_clusters=k, n_init=10, random_state=seed + 1 + b).fit(x[idx])
        shared = np.unique(idx)
        runs.append(float(adjusted_rand_score(full[shared], model.predict(x[shared]))))
    return runs


def _segment_profile_raw(features: pd.DataFrame, labels: pd.Series, health: pd.Series | None) -> pd.DataFrame:
    """Per segment: the medians the names are derived from."""
    f = features.reindex(labels.index)
    frame = pd.DataFrame({
        "segment_id": labels.to_numpy(),
        "revenue": pd.to_numeric(f["revenue_ttm"], errors="coerce").fillna(0.0).clip(lower=0).to_numpy()
        if "revenue_ttm" in f else 0.0,
        "growth": pd.to_numeric(f["revenue_growth"], errors="coerce").to_numpy() if "revenue_growth" in f else np.nan,
        "activity": pd.to_numeric(f["activity"], errors="coerce").fillna(0.0).to_numpy() if "activity" in f else 0.0,
        "months": pd.to_numeric(f["months_of_data"], errors="coerce").to_numpy() if "months_of_data" in f else np.nan,
        "health": health.reindex(labels.index).to_numpy() if health is not None else np.nan,
    })
    frame["zero"] = frame["revenue"] <= 0
    prof = frame.groupby("segment_id", sort=True).agg(
        n=("revenue", "size"), revenue=("revenue", "median"), growth=("growth", "median"),
        activity=("activity", "median"), months=("months", "median"), health=("health", "mean"),
        zero_share=("zero", "mean"))
    return prof


def name_segments(features: pd.DataFrame, labels: pd.Series, scores: pd.Series | None = None) -> dict[int, str]:
    """A plain-language, unique name per segment, from where the segment sits, not from its number.

    Rules (on the segment's medians; ``scores`` = health scores, used only to order duplicates):

    - **Dormant**: median revenue at most 10 % of the portfolio median (or half the segment without
      revenue) and median activity at most 0.35.
    - **New, ramping up**: median history shorter than 12 months.
    - Otherwise size x direction. Size: *large* (median revenue >= 1.5x the portfolio median),
      *small* (<= 1/1.5 of it) or *mid-sized*. Direction from median symmetric growth:
      *growing fast* (>= 0.35, about +42 % a year), *growing* (>= 0.05), *declining* (<= -0.05),
      else *steady*. E.g. large + growing = "Strong and growing", large + steady = "Steady core",
      small + growing fast = "Small, growing fast", large + declining = "Large, declining".

    Two segments with the same name are told apart by activity ("more active" / "less active"),
    then by letters in descending health order, so names are always unique.
    """
    prof = _segment_profile_raw(features, labels, scores)
    revenue_all = pd.to_numeric(features["revenue_ttm"], errors="coerce").fillna(0.0).clip(lower=0) \
        if "revenue_ttm" in features else pd.Series(0.0, index=features.index)
    portfolio = float(revenue_all.median())
    if portfolio <= 0:
        positive = revenue_all[revenue_all > 0]
        portfolio = float(positive.median()) if len(positive) else 0.0

    grid = {
        ("large", "fast"): "Large, growing fast", ("large", "growing"): "Strong and growing",
        ("large", "steady"): "Steady core", ("large", "declining"): "Large, declining",
        ("mid", "fast"): "Growing fast", ("mid", "growing"): "Mid-sized, growing",
        ("mid", "steady"): "Mid-sized, steady", ("mid", "declining"): "Mid-sized, declining",
        ("small", "fast"): "Small, growing fast", ("small", "growing"): "Small, growing",
        ("small", "steady"): "Small and flat", ("small", "declining"): "Small, declining",
    }
    base: dict[int, str] = {}
    for seg, p in prof.iterrows():  # one iteration per segment (at most a dozen), not per partner
        ratio = p["revenue"] / portfolio if portfolio > 0 else 0.0
        if (ratio <= DORMANT_REVENUE_RATIO or p["zero_share"] >= 0.5) and p["activity"] <= DORMANT_ACTIVITY:
            base[int(seg)] = "Dormant"
            continue
        if np.isfinite(p["months"]) and p["months"] < WINDOW:
            base[int(seg)] = "New, ramping up"
            continue
        size = "large" if ratio >= LARGE_RATIO else "small" if ratio <= SMALL_RATIO else "mid"
        g = p["growth"]
        direction = ("steady" if not np.isfinite(g) else "fast" if g >= FAST_GROWTH else "growing" if g >= GROWTH
                     else "declining" if g <= DECLINE else "steady")
        base[int(seg)] = grid[(size, direction)]

    names = dict(base)
    for name in sorted(set(base.values())):
        segs = [s for s in sorted(base) if base[s] == name]
        if len(segs) < 2:
            continue
        acts = prof.loc[segs, "activity"]
        if len(segs) == 2 and acts.iloc[0] != acts.iloc[1]:
            more = int(acts.idxmax())
            for s in segs:
                names[s] = f"{name}, {'more' if s == more else 'less'} active"
        else:
            ranked = prof.loc[segs].assign(seg=segs).sort_values(["health", "seg"], ascending=[False, True])
            for i, s in enumerate(ranked["seg"]):
                names[int(s)] = f"{name} ({chr(ord('A') + i)})"
    return names
