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
from .rules import Rules, resolve_rules
from .scoring import health_score

#: Features the segmentation groups alliances by: size, direction and joint activity (the
#: "revenue, activity levels, trends" practitioners judge alliance health by), each the
#: alliance's own figure (monthly revenue, growth, joint activities a month), not a rank, so an
#: alliance's place does not move when others do. The monthly trend and the win rate are
#: deliberately left out: on small or lumpy partners a 12-month slope and a win rate over a
#: handful of deals are mostly noise, and on a planted portfolio they split the weakest
#: partners into spurious segments (silhouette then prefers 6-7 segments over the 4 planted
#: ones). Growth over 12-month totals carries the direction robustly. Both still count in the
#: health score and in the reasons.
SEGMENT_FEATURES: tuple[str, ...] = ("revenue_per_month", "revenue_growth", "joint_activities_per_month")

#: Largest sample used for the silhouette (O(n^2)) and for each bootstrap refit.
SILHOUETTE_SAMPLE = 5000
BOOTSTRAP_SAMPLE = 5000
#: Threads (OpenMP and BLAS) of the k-means fits and the silhouette. One: the fits are small (a few features), the result does
#: not depend on the machine's core count, and a busy machine does not slow down 5-10x from
#: OpenMP threads spinning for a core (measured: 100,000 partners take ~5 s single-threaded
#: against 30-45 s with two threads when other work runs on the same two cores).
CLUSTER_THREADS = 1

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

    - ``revenue_per_month`` as ``log(1 + revenue)`` (size spans orders of magnitude; negative
      -> 0); missing (no metrics) -> 0;
    - ``revenue_growth`` as is (already bounded in [-2, 2]); missing -> 0 (read as flat);
    - ``joint_activities_per_month`` as ``log(1 + count)`` (two activities a month against
      none matters more than 32 against 30); missing (no metrics or no activity columns) -> 0.

    See :data:`SEGMENT_FEATURES` for why trend and win rate are not among them.
    """
    def col(name: str) -> pd.Series:
        return pd.to_numeric(features[name], errors="coerce").astype(float) if name in features \
            else pd.Series(np.nan, index=features.index)

    return pd.DataFrame({
        "revenue_per_month": np.log1p(col("revenue_per_month").clip(lower=0).fillna(0.0)),
        "revenue_growth": col("revenue_growth").fillna(0.0),
        "joint_activities_per_month": np.log1p(col("joint_activities_per_month").clip(lower=0).fillna(0.0)),
    }, index=features.index)


def _standardise(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = frame.to_numpy(dtype=float)
    mean = x.mean(axis=0)
    sd = x.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    return np.ascontiguousarray((x - mean) / sd), mean, sd


def segment_portfolio(features: pd.DataFrame, k_min: int = DEFAULT.k_min, k_max: int = DEFAULT.k_max,
                      seed: int = DEFAULT.seed, n_bootstrap: int = DEFAULT.n_bootstrap,
                      health: pd.Series | None = None, rules: Rules | None = None) -> Segmentation:
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
        names = name_segments(features, labels, health, rules)
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
    names = name_segments(features, labels, health, rules)
    return Segmentation(labels, k, scores, centers, stability, names, runs, tuple(prepared.columns), seed)


def _centers_original(z: np.ndarray, mean: np.ndarray, sd: np.ndarray, columns: pd.Index) -> pd.DataFrame:
    """k-means centres back in the features' units (revenue and activities from their log scale)."""
    values = z * sd + mean
    frame = pd.DataFrame(values, columns=columns)
    for logged in ("revenue_per_month", "joint_activities_per_month"):
        frame[logged] = np.expm1(frame[logged])
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


def segment_medians(features: pd.DataFrame, labels: pd.Series, rules: Rules,
                    health: pd.Series | None = None) -> pd.DataFrame:
    """Per segment (index segment_id): what its name is decided from.

    ``n``; the medians of monthly revenue, growth, joint activities a month and months of
    history; the mean health (to order duplicates); ``dormant_share``, the share of its
    alliances the rules call dormant (:meth:`Rules.verdicts`).
    """
    f = features.reindex(labels.index)

    def col(name: str, fill: float = np.nan) -> np.ndarray:
        values = pd.to_numeric(f[name], errors="coerce") if name in f else pd.Series(np.nan, index=f.index)
        return values.fillna(fill).to_numpy(dtype=float)

    frame = pd.DataFrame({
        "segment_id": labels.to_numpy(),
        "revenue": np.clip(col("revenue_per_month", 0.0), 0, None),
        "growth": col("revenue_growth"),
        "activities": col("joint_activities_per_month", 0.0),
        "months": col("months_of_data"),
        "health": health.reindex(labels.index).to_numpy() if health is not None else np.nan,
        "dormant": rules.verdicts(f, features.attrs.get("current_months"))["dormant"].to_numpy(),
    })
    return frame.groupby("segment_id", sort=True).agg(
        n=("revenue", "size"), revenue=("revenue", "median"), growth=("growth", "median"),
        activities=("activities", "median"), months=("months", "median"), health=("health", "mean"),
        dormant_share=("dormant", "mean"))


#: Segment names by size and direction (:meth:`Rules.verdicts`' words).
NAME_GRID: dict[tuple[str, str], str] = {
    ("large", "growing fast"): "Large, growing fast", ("large", "growing"): "Strong and growing",
    ("large", "steady"): "Steady core", ("large", "declining"): "Large, declining",
    ("mid", "growing fast"): "Growing fast", ("mid", "growing"): "Mid-sized, growing",
    ("mid", "steady"): "Mid-sized, steady", ("mid", "declining"): "Mid-sized, declining",
    ("small", "growing fast"): "Small, growing fast", ("small", "growing"): "Small, growing",
    ("small", "steady"): "Small and flat", ("small", "declining"): "Small, declining",
}
DORMANT = "Dormant"
NEW = "New, ramping up"


def name_segments(features: pd.DataFrame, labels: pd.Series, scores: pd.Series | None = None,
                  rules: Rules | None = None) -> dict[int, str]:
    """A plain-language, unique name per segment, from its own figures against the rules' thresholds.

    The names read absolute thresholds (:class:`~.rules.Rules`), not the rest of the
    portfolio, so a segment that behaves the same gets the same name next year:

    - **Dormant**: at least half of its alliances are dormant by the rules (quiet, revenue at
      or below the dormant level, not growing fast).
    - **New, ramping up**: median history shorter than 12 months.
    - Otherwise size x direction of the segment's medians: size *large* (monthly revenue at least
      1.5x the reference level), *small* (at most 1/1.5 of it) or *mid-sized*; direction *growing
      fast*, *growing*, *declining* or *steady* by the growth thresholds. E.g. large + growing =
      "Strong and growing", large + steady = "Steady core", small + growing fast = "Small, growing
      fast" (:data:`NAME_GRID`).

    Two segments with the same name are told apart by joint activity ("more active" / "less
    active"), then by letters in descending health order (``scores``), so names are unique.
    ``rules`` default: :func:`~.rules.resolve_rules` at the default parameters.
    """
    if rules is None:
        rules = resolve_rules(features, DEFAULT.model_dump())
    prof = segment_medians(features, labels, rules, scores)
    base: dict[int, str] = {}
    for seg, p in prof.iterrows():  # one iteration per segment (at most a dozen), not per partner
        if p["dormant_share"] >= 0.5:
            base[int(seg)] = DORMANT
        elif np.isfinite(p["months"]) and p["months"] < WINDOW:
            base[int(seg)] = NEW
        else:
            base[int(seg)] = NAME_GRID[(str(rules.size_of([p["revenue"]])[0]), str(rules.direction_of([p["growth"]])[0]))]
    return unique_names(base, prof)


def unique_names(base: dict[int, str], prof: pd.DataFrame) -> dict[int, str]:
    """``base`` names made unique: two alike by activity ("more/less active"), more by letters in health order."""
    names = dict(base)
    for name in sorted(set(base.values())):
        segs = [s for s in sorted(base) if base[s] == name]
        if len(segs) < 2:
            continue
        acts = prof.loc[segs, "activities"]
        if len(segs) == 2 and acts.iloc[0] != acts.iloc[1]:
            more = int(acts.idxmax())
            for s in segs:
                names[s] = f"{name}, {'more' if s == more else 'less'} active"
        else:
            ranked = prof.loc[segs].assign(seg=segs).sort_values(["health", "seg"], ascending=[False, True])
            for i, s in enumerate(ranked["seg"]):
                names[int(s)] = f"{name} ({chr(ord('A') + i)})"
    return names
