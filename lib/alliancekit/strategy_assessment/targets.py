"""Revenue and non-revenue targets across the five value dimensions of an ecosystem.

Alliances judged on revenue alone are one-dimensional; the five value dimensions are: new
customers and markets, time to market, a holistic product, revenue, and trust. Each target is
a parameter of the phase; next to it stands how it will be measured and which indicators
``metric_design`` should track for it (the hand-off, written as ``value_targets.csv``).
A target left at 0 is shown as "to be agreed": targets are set with the executives, never
invented by the kit. The revenue target defaults to the sum of the partners' annual targets
when the partners file gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from ..fmt import compact_number


@dataclass(frozen=True)
class ValueTarget:
    """One target: its value dimension, the parameter that sets it, its unit and how it is measured."""

    value_dimension: str
    param: str
    label: str
    unit: str          # currency | count | months | score
    measure: str
    indicators: str    # partner_metrics columns (or derivations) metric_design should track


VALUE_TARGETS: tuple[ValueTarget, ...] = (
    ValueTarget("Grow revenue", "revenue_target", "Partner revenue per year", "currency",
                "Partner-sourced plus partner-influenced revenue in the year, attributed by one rule that does not "
                "count a deal twice", "revenue, sourced_revenue, influenced_revenue; leading: pipeline_created, "
                "deal_registrations, proposals_submitted"),
    ValueTarget("Acquire new customers and markets", "new_customers_target", "New customers per year", "count",
                "Customers whose first purchase came through a deal a partner sourced or influenced",
                "new_customers; leading: joint_accounts_nominated"),
    ValueTarget("Acquire new customers and markets", "new_markets_target", "New markets entered", "count",
                "Regions, industries or segments where the first partner deal closed this year",
                "won opportunities by partner region and segment"),
    ValueTarget("Accelerate time to market", "time_to_market_months", "Months from approval to first joint deal",
                "months", "Median months from an alliance's approval to its first joint opportunity, over the year's "
                "new alliances", "partner start_date to first opportunity created; leading: enablement_sessions"),
    ValueTarget("Assemble a holistic product", "joint_solutions_target", "Joint solutions in market", "count",
                "Joint solutions listed, supported by both sides and sold at least once",
                "joint solutions launched; leading: certifications"),
    ValueTarget("Develop trust", "partner_trust_target", "Partner health-check score (1-5)", "score",
                "Average of the anonymous partner health check, both companies' respondents",
                "partner health check (partner_swot); leading: deal registrations honoured, issues resolved on time"),
)


def format_target(value: float | None, unit: str) -> str:
    """A target for the reader (``to be agreed`` when not set)."""
    if value is None or pd.isna(value) or value <= 0:
        return "to be agreed"
    if unit == "currency":
        return compact_number(value, thousands=True, fraction_below_ten=False)
    if unit == "months":
        return f"{value:g} months"
    if unit == "score":
        return f"{value:.1f} of 5"
    return f"{value:,.0f}"


def value_targets(params: Mapping[str, Any], partners: pd.DataFrame | None = None) -> pd.DataFrame:
    """``value_targets.csv``: one row per target with its status, measure and indicators.

    Columns: ``value_dimension, target_name, parameter, target, unit, status, measure, indicators``.
    ``status`` is ``set`` (given as a parameter), ``from partners' annual targets`` (revenue,
    when not given) or ``to be agreed``.
    """
    rows = []
    for t in VALUE_TARGETS:
        value = float(params[t.param])
        status = "set" if value > 0 else "to be agreed"
        if (t.param == "revenue_target" and value <= 0 and partners is not None and "annual_target" in partners
                and pd.to_numeric(partners["annual_target"], errors="coerce").sum() > 0):
            value = float(pd.to_numeric(partners["annual_target"], errors="coerce").sum())
            status = "from partners' annual targets"
        rows.append((t.value_dimension, t.label, t.param, value if value > 0 else None, t.unit, status, t.measure,
                     t.indicators))
    return pd.DataFrame(rows, columns=["value_dimension", "target_name", "parameter", "target", "unit", "status",
                                       "measure", "indicators"])
