"""Structure and reporting-line options scored against the client's priorities and its portfolio.

An option's **priority score** is the weighted mean of its criterion scores (1-5, from the
argument library ``structures.yml``) with the client's ``priorities`` as weights (normalised
to sum to 1). Facts from the client's data (:func:`portfolio_signals`) then add or subtract
``signal_step`` per signal that the library says favours or disfavours the option. The
option with the highest total is recommended; ties go to the earlier option in the library.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from ..fmt import split_ids

#: Thresholds of the portfolio signals (documented in structures.yml and the report).
MANY_REGIONS = 3
LARGE_PORTFOLIO = 40
CONCENTRATED_SHARE = 0.40
FEW_STRATEGIC = (1, 8)
MULTIWAY_SHARE = 0.15
CHANNEL_SHARE = 0.5
CHANNEL_TYPES = ("reseller", "distributor")


def portfolio_signals(effort: pd.DataFrame, strategic: pd.Series, opportunities: pd.DataFrame | None) -> pd.DataFrame:
    """The facts that make a structure fit better or worse: signal, present, evidence (one row each)."""
    n = len(effort)
    regions = effort["region"].nunique()
    revenue = effort["revenue_ttm"].clip(lower=0)
    total = revenue.sum()
    strat_share = revenue[strategic].sum() / total if total > 0 else 0.0
    n_strategic = int(strategic.sum())
    channel = effort["partner_type"].isin(CHANNEL_TYPES).mean() if n else 0.0
    rows = [
        ("many_regions", regions >= MANY_REGIONS, f"partners in {regions} region{'s' if regions != 1 else ''}"),
        ("large_portfolio", n >= LARGE_PORTFOLIO, f"{n} partners"),
        ("concentrated_value", strat_share >= CONCENTRATED_SHARE,
         f"strategic partners earn {strat_share:.0%} of partner revenue (last 12 months)"),
        ("few_strategic", FEW_STRATEGIC[0] <= n_strategic <= FEW_STRATEGIC[1], f"{n_strategic} strategic partners"),
    ]
    partners_per_deal = (opportunities["partner_ids"].map(lambda v: len(split_ids(v))) if opportunities is not None
                         else pd.Series(dtype=int))
    partner_deals = partners_per_deal[partners_per_deal > 0]  # direct deals (no partner) are not partner selling
    if len(partner_deals):
        multi = (partner_deals >= 2).mean()
        rows.append(("multiway_selling", multi >= MULTIWAY_SHARE,
                     f"{multi:.0%} of partner deals involve two or more partners"))
    else:
        rows.append(("multiway_selling", False, "no opportunity data: not assessed"))
    rows.append(("channel_heavy", channel >= CHANNEL_SHARE, f"resellers and distributors are {channel:.0%} of partners"))
    return pd.DataFrame(rows, columns=["signal", "present", "evidence"])


#: The signals in words (for the report).
SIGNAL_LABELS = {
    "many_regions": f"Partners spread over {MANY_REGIONS} or more regions",
    "large_portfolio": f"A large portfolio ({LARGE_PORTFOLIO} partners or more)",
    "concentrated_value": f"Strategic partners earn {CONCENTRATED_SHARE:.0%} or more of partner revenue",
    "few_strategic": f"{FEW_STRATEGIC[0]} to {FEW_STRATEGIC[1]} strategic partners",
    "multiway_selling": f"{MULTIWAY_SHARE:.0%} or more of partner deals involve several partners",
    "channel_heavy": f"Resellers and distributors are {CHANNEL_SHARE:.0%} or more of partners",
}


def normalise_priorities(priorities: Mapping[str, float], criteria: Sequence[str]) -> dict[str, float]:
    """Weights of ``criteria`` summing to 1 (criteria without a priority weigh 0; all zero -> equal)."""
    raw = {c: max(0.0, float(priorities.get(c, 0.0))) for c in criteria}
    total = sum(raw.values())
    return {c: (w / total if total > 0 else 1.0 / len(raw)) for c, w in raw.items()}


def score_options(options: Sequence[Mapping], weights: Mapping[str, float], signals: pd.DataFrame,
                  step: float = 0.25, kind: str = "structure") -> pd.DataFrame:
    """Every option with its criterion scores, priority score, portfolio adjustment, total and rank."""
    present = set(signals.loc[signals["present"], "signal"])
    rows = []
    for order, option in enumerate(options):
        crit = option["criteria"]
        priority = sum(weights[c] * float(crit[c]) for c in weights)
        plus = [s for s in option.get("favoured_by", []) if s in present]
        minus = [s for s in option.get("disfavoured_by", []) if s in present]
        rows.append({"kind": kind, "option_id": option["id"], "option": option["name"],
                     **{c: float(crit[c]) for c in weights}, "priority_score": priority,
                     "portfolio_adjustment": step * (len(plus) - len(minus)),
                     "favoured_by": "; ".join(plus), "disfavoured_by": "; ".join(minus), "_order": order})
    table = pd.DataFrame(rows)
    table["score"] = table["priority_score"] + table["portfolio_adjustment"]
    table = table.sort_values(["score", "_order"], ascending=[False, True], kind="stable").drop(columns="_order")
    table["rank"] = range(1, len(table) + 1)
    table["recommended"] = table["rank"] == 1
    return table.reset_index(drop=True)


def choose(table: pd.DataFrame, override: str = "auto") -> str:
    """The option id chosen: the top-ranked, unless the consultant named one (``override``)."""
    if override and override != "auto":
        return override
    return str(table.loc[table["rank"] == 1, "option_id"].iloc[0])


def options_csv(structures: pd.DataFrame, lines: pd.DataFrame, library: Mapping[tuple[str, str], Mapping],
                chosen: Mapping[str, str]) -> pd.DataFrame:
    """``structure_options.csv``: both option lists (``kind`` structure or reporting_line), scores,
    summary, pros, cons, friction (``|``-separated) and the option chosen of each kind.

    ``library`` maps ``(kind, option_id)`` to the option's entry in the argument library.
    """
    frame = pd.concat([structures, lines], ignore_index=True)
    frame["recommended"] = [chosen[k] == o for k, o in zip(frame["kind"], frame["option_id"])]
    entries = [library[(k, o)] for k, o in zip(frame["kind"], frame["option_id"])]
    frame["summary"] = [" ".join(str(e.get("summary", "")).split()) for e in entries]
    for key in ("pros", "cons", "friction"):
        frame[key] = [" | ".join(e.get(key, [])) for e in entries]
    for col in ("priority_score", "portfolio_adjustment", "score"):
        frame[col] = frame[col].round(3)
    return frame
