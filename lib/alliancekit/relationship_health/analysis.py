"""The two-sided health survey, computed: scores, perception gaps, mind-share, NPS.

The unit is the respondent: each person's answers to a dimension's statements are averaged
into one dimension score (blank = no basis to judge, left out), so a group's uncertainty comes
from how many people answered and how much they differ, never from the number of statements.

- **Scores** per alliance, dimension, side and wave: the mean over respondents with a 95%
  interval. The spread of answers is pooled over every alliance's group of the same dimension,
  side and wave (the analysis of variance's within-group spread): a group of six people says
  little about how much people differ, the whole portfolio's groups say it well, and a group
  whose six people happen to agree must not look certain.
- **Perception gap** (our side minus the partner's) per alliance, dimension and wave, with its
  95% interval. A gap is *flagged* only when it is both large (``|gap| >= gap_threshold``)
  and beyond its uncertainty after the many comparisons a portfolio makes: the evidence of
  every wave for that alliance and dimension is combined (inverse-variance weighted: how two
  groups see a relationship persists from wave to wave, and each wave's answers are evidence
  of it), and the combined gap must be a discovery at false discovery rate :data:`FDR`
  (Benjamini-Hochberg over every alliance and dimension) with the wave's gap on the same side.
  Forty alliances and ten dimensions are 400 comparisons; at a plain 5% level some twenty
  would look "significant" by chance.
- **Mind-share**: the partner side's field functions on the mind-share dimension, wave over
  wave; a change is called when it is large (``change_threshold``) and its 99% interval
  excludes no change (:data:`CHANGE_ALPHA`): over forty alliances that leaves about 0.4 false
  calls, where a 95% interval would leave two.
- **NPS** per alliance, side and wave when ``recommend`` is given (promoters 9-10 minus
  detractors 0-6, one answer per respondent and wave).

Anonymity: no figure of a group of fewer than ``min_respondents`` people is kept (the group
is alliance x side x wave; for mind-share, the field functions pooled); respondent ids never
leave :func:`respondent_scores`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: False discovery rate of the gap flags (Benjamini-Hochberg).
FDR = 0.05
#: Two-sided level at which a wave-over-wave mind-share change is beyond noise.
CHANGE_ALPHA = 0.01
#: Coverage of the intervals shown.
LEVEL = 0.95
#: Sides as the report names them.
SIDES = {"us": "our side", "partner": "partner side"}


def respondent_scores(survey: pd.DataFrame, dimension_of: dict[str, str]) -> pd.DataFrame:
    """One row per respondent, wave and dimension: the mean of the statements answered.

    Columns: alliance, side, function, wave, respondent, dimension, score. Statements not in
    ``dimension_of`` are ignored (validation refuses them).
    """
    s = survey.assign(dimension=survey["statement_id"].astype(str).map(dimension_of),
                      score=pd.to_numeric(survey["score"], errors="coerce"))
    s = s[s["dimension"].notna() & s["score"].notna()]
    grouped = s.groupby(["partner_id", "side", "function", "wave", "respondent_id", "dimension"], sort=True,
                        observed=True)["score"].mean().reset_index()
    return grouped.rename(columns={"partner_id": "alliance", "respondent_id": "respondent"}).astype(
        {"alliance": str, "side": str, "function": str, "wave": str, "dimension": str})


#: The normal quantile of the intervals shown.
Z = float(stats.norm.ppf(0.5 + LEVEL / 2))


def pooled_sd(groups: pd.DataFrame, by: list[str]) -> pd.Series:
    """Within-group standard deviation pooled over the groups sharing ``by`` (each group's variance
    weighted by its degrees of freedom), aligned with ``groups``' rows."""
    dof = (groups["respondents"] - 1).clip(lower=0)
    ss = (groups["sd"].fillna(0.0) ** 2) * dof
    totals = groups.assign(_ss=ss, _dof=dof).groupby(by, sort=False)[["_ss", "_dof"]].transform("sum")
    return np.sqrt(totals["_ss"] / totals["_dof"].where(totals["_dof"] > 0))


def group_scores(scores: pd.DataFrame, min_respondents: int) -> pd.DataFrame:
    """Score per alliance, dimension, side and wave (groups of at least ``min_respondents`` only).

    Columns: alliance, dimension, side, wave, score, interval (half-width), low, high,
    respondents, sd (the pooled spread of answers, see the module docstring).
    """
    g = scores.groupby(["alliance", "dimension", "side", "wave"], sort=True)["score"]
    out = g.agg(score="mean", sd="std", respondents="size").reset_index()
    out = out[out["respondents"] >= min_respondents].reset_index(drop=True)
    out["sd"] = pooled_sd(out, ["dimension", "side", "wave"]).fillna(0.0)
    out["interval"] = Z * out["sd"] / np.sqrt(out["respondents"])
    out["low"], out["high"] = out["score"] - out["interval"], out["score"] + out["interval"]
    return out[["alliance", "dimension", "side", "wave", "score", "interval", "low", "high", "respondents", "sd"]]


def _difference(m1, s1, n1, m2, s2, n2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference m1 - m2 of two groups' means (pooled spreads ``s``), the half-width of its
    ``LEVEL`` interval, and its two-sided p-value (normal: the spreads rest on the whole portfolio)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(s1 ** 2 / n1 + s2 ** 2 / n2)
        diff = m1 - m2
        p = np.where(se > 0, 2 * stats.norm.sf(np.abs(diff) / np.where(se > 0, se, 1)), np.where(diff != 0, 0.0, 1.0))
    return diff, Z * se, p


def bh_flags(p: np.ndarray, q: float = FDR) -> np.ndarray:
    """Benjamini-Hochberg: which of the p-values are discoveries at false discovery rate ``q``."""
    p = np.asarray(p, dtype=float)
    ok = np.isfinite(p)
    out = np.zeros(len(p), dtype=bool)
    if not ok.any():
        return out
    values = p[ok]
    order = np.argsort(values, kind="stable")
    ranked = values[order] * len(values) / (np.arange(len(values)) + 1)
    passed = np.nonzero(ranked <= q)[0]
    if len(passed):
        cutoff = values[order][passed.max()]
        out[np.flatnonzero(ok)] = values <= cutoff
    return out


def perception_gaps(groups: pd.DataFrame, gap_threshold: float) -> pd.DataFrame:
    """Our side minus the partner's per alliance, dimension and wave (both sides measured).

    Columns: alliance, dimension, wave, us, partner, gap, interval, low, high, combined_gap (over
    the waves), p_value (of the combined gap), flagged.
    """
    key = ["alliance", "dimension", "wave"]
    us = groups[groups["side"] == "us"].set_index(key)
    partner = groups[groups["side"] == "partner"].set_index(key)
    both = us.join(partner, how="inner", lsuffix="_us", rsuffix="_partner").reset_index()
    if both.empty:
        return pd.DataFrame(columns=[*key, "us", "partner", "gap", "interval", "low", "high", "combined_gap",
                                     "p_value", "flagged"])
    diff, half, p = _difference(both["score_us"].to_numpy(), both["sd_us"].to_numpy(), both["respondents_us"].to_numpy(),
                           both["score_partner"].to_numpy(), both["sd_partner"].to_numpy(),
                           both["respondents_partner"].to_numpy())
    out = pd.DataFrame({"alliance": both["alliance"], "dimension": both["dimension"], "wave": both["wave"],
                        "us": both["score_us"], "partner": both["score_partner"], "gap": diff, "interval": half,
                        "low": diff - half, "high": diff + half})
    weight = 1.0 / (half / Z) ** 2
    pair = ["alliance", "dimension"]
    sums = out.assign(_w=weight, _wd=weight * diff).groupby(pair, sort=False)[["_w", "_wd"]].transform("sum")
    out["combined_gap"] = sums["_wd"] / sums["_w"]
    combined_se = 1.0 / np.sqrt(sums["_w"])
    out["p_value"] = 2 * stats.norm.sf(np.abs(out["combined_gap"]) / combined_se)
    tests = out.drop_duplicates(pair)
    discovered = pd.Series(bh_flags(tests["p_value"].to_numpy()), index=pd.MultiIndex.from_frame(tests[pair]))
    found = discovered.reindex(pd.MultiIndex.from_frame(out[pair])).to_numpy(dtype=bool)
    out["flagged"] = found & (np.abs(out["gap"]) >= gap_threshold) & (np.sign(out["gap"]) == np.sign(out["combined_gap"]))
    return out.sort_values(key, kind="stable").reset_index(drop=True)


def mind_share(scores: pd.DataFrame, dimension: str, field_functions: list[str], min_respondents: int,
               change_threshold: float) -> pd.DataFrame:
    """The partner side's field functions on ``dimension``, per alliance and wave, and the change
    from each wave to the next (called when large and beyond noise, see the module docstring).

    Columns: alliance, wave, score, interval, respondents, previous_wave, change, change_interval,
    p_value, called (the change columns empty for an alliance's first wave).
    """
    field = scores[(scores["side"] == "partner") & (scores["dimension"] == dimension)
                   & scores["function"].isin(field_functions)]
    g = field.groupby(["alliance", "wave"], sort=True)["score"].agg(score="mean", sd="std", respondents="size").reset_index()
    g = g[g["respondents"] >= min_respondents].reset_index(drop=True)
    g["sd"] = pooled_sd(g, ["wave"]).fillna(0.0)
    g["interval"] = Z * g["sd"] / np.sqrt(g["respondents"])
    prev = g.groupby("alliance", sort=False).shift(1)
    g["previous_wave"] = prev["wave"]
    diff, half, p = _difference(g["score"].to_numpy(), g["sd"].to_numpy(), g["respondents"].to_numpy(dtype=float),
                           prev["score"].to_numpy(dtype=float), prev["sd"].to_numpy(dtype=float),
                           prev["respondents"].to_numpy(dtype=float))
    has_prev = g["previous_wave"].notna().to_numpy()
    g["change"] = np.where(has_prev, diff, np.nan)
    g["change_interval"] = np.where(has_prev, half, np.nan)
    g["p_value"] = np.where(has_prev, p, np.nan)
    g["called"] = has_prev & (np.abs(g["change"].fillna(0)) >= change_threshold) & (g["p_value"].fillna(1) < CHANGE_ALPHA)
    return g.drop(columns="sd")


def nps(survey: pd.DataFrame, min_respondents: int) -> pd.DataFrame:
    """Net promoter score per alliance, side and wave (one answer per respondent and wave).

    Columns: alliance, side, wave, nps, promoters, detractors, respondents.
    """
    if "recommend" not in survey:
        return pd.DataFrame(columns=["alliance", "side", "wave", "nps", "promoters", "detractors", "respondents"])
    r = survey.assign(recommend=pd.to_numeric(survey["recommend"], errors="coerce")).dropna(subset=["recommend"])
    r = r.drop_duplicates(["respondent_id", "wave"])
    r = r.assign(promoter=r["recommend"] >= 9, detractor=r["recommend"] <= 6)
    g = r.groupby(["partner_id", "side", "wave"], sort=True).agg(
        promoters=("promoter", "mean"), detractors=("detractor", "mean"), respondents=("respondent_id", "size")
    ).reset_index().rename(columns={"partner_id": "alliance"})
    g = g[g["respondents"] >= min_respondents].reset_index(drop=True)
    g["nps"] = (100 * (g["promoters"] - g["detractors"])).round(0)
    return g[["alliance", "side", "wave", "nps", "promoters", "detractors", "respondents"]].astype(
        {"alliance": str, "side": str, "wave": str})


def alliance_health(groups: pd.DataFrame, gaps: pd.DataFrame, wave: str) -> pd.DataFrame:
    """Every alliance of ``wave`` ranked by relationship health (the mean over dimensions of both
    sides' scores, each side counting once), with its largest gap.

    Columns: alliance, health, us, partner, dimensions, largest_gap_dimension, largest_gap, flagged_gaps.
    """
    w = groups[groups["wave"] == wave]
    if w.empty:
        return pd.DataFrame(columns=["alliance", "health", "us", "partner", "dimensions", "largest_gap_dimension",
                                     "largest_gap", "flagged_gaps"])
    sides = w.pivot_table(index="alliance", columns="side", values="score", aggfunc="mean")
    out = pd.DataFrame({"us": sides.get("us"), "partner": sides.get("partner")})
    out["health"] = out[["us", "partner"]].mean(axis=1)
    out["dimensions"] = w.groupby("alliance")["dimension"].nunique()
    g = gaps[gaps["wave"] == wave]
    if len(g):
        largest = g.loc[g["gap"].abs().groupby(g["alliance"]).idxmax()]
        out["largest_gap_dimension"] = largest.set_index("alliance")["dimension"]
        out["largest_gap"] = largest.set_index("alliance")["gap"]
        out["flagged_gaps"] = g.groupby("alliance")["flagged"].sum().astype(int)
    else:
        out["largest_gap_dimension"], out["largest_gap"], out["flagged_gaps"] = None, np.nan, 0
    out = out.reset_index().rename(columns={"index": "alliance"})
    out["flagged_gaps"] = out["flagged_gaps"].fillna(0).astype(int)
    return out.sort_values(["health", "alliance"], ascending=[False, True], kind="stable").reset_index(drop=True)


def weakest_dimensions(groups: pd.DataFrame, wave: str) -> pd.DataFrame:
    """Dimensions across the portfolio in ``wave``, weakest first: the mean over alliances of
    both sides' scores (each alliance and side counts once), and how many alliances measured it."""
    w = groups[groups["wave"] == wave]
    per_alliance = w.groupby(["dimension", "alliance"])["score"].mean()
    out = per_alliance.groupby("dimension").agg(score="mean", alliances="size").reset_index()
    return out.sort_values(["score", "dimension"], kind="stable").reset_index(drop=True)
