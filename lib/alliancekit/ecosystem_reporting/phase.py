"""The phase's computation: :func:`review` turns the validated inputs into :class:`Review`.

:class:`Review` holds what was computed: the per-partner status lines (``partner_status.csv``),
the executive tables (``executive_tables.xlsx``) and their headline figures as plain numbers
(``programme_summary.csv``), with the inputs and parameters they came from. What the report
says of them is :class:`~.narrative.Narrative`; writing the workbook and the partner scorecards
is :func:`~.delivery.deliver`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from .. import vocabulary
from ..errors import Problem
from .attribution import attribute_deals, deal_table, every_deal
from .declaration import Params
from .executive import (
    attribution_by_group, attribution_summary, course_corrections, kpi_status_summary, mdf_by_group, mdf_frame,
    mdf_unused_partners, partner_comparison, pipeline_by_stage, pipeline_velocity, programme_summary,
    reported_revenue_split, revenue_movers, revenue_vs_target, segment_summary, top_movers, unexpected_upside,
    win_rates,
)
from .panel import Panel, build_panel, partner_status
from .upstream import ScorecardSpec, parse_scorecard, read_scorecard, read_segments


def selected_partners(text: str) -> list[str]:
    """The ``partners`` parameter (``"P001, P002"``) as a list of ids; empty: every partner."""
    return [p.strip() for p in str(text or "").split(",") if p.strip()]


def check_inputs(tables: Mapping[str, pd.DataFrame], params: Mapping[str, Any], root=None) -> list[Problem]:
    """Problems of the parameters against the data before any kernel starts: unknown partner ids."""
    partners = tables.get("partners")
    wanted = selected_partners(Params.complete(params)["partners"])
    if partners is None or not wanted:
        return []
    known = set(partners["partner_id"].astype(str))
    unknown = [p for p in wanted if p not in known]
    if not unknown:
        return []
    from ..errors import did_you_mean

    label = partners.attrs.get("source", "partners.csv")
    return [Problem(label, f"ecosystem_reporting.partners names partner '{p}', which is not in {label}; "
                           f"{did_you_mean(p, known)}", column="partner_id") for p in unknown]


@dataclass
class Review:
    """The results of one ecosystem report: the partner status lines and the executive tables.

    ``attributed`` and ``deals``: the partner deals (per partner, and once each); ``all_deals``:
    every opportunity once, direct deals (``n_partners`` 0) included; ``comparison``: deals with
    and without partners (:func:`~.executive.partner_comparison`).
    """

    partners: pd.DataFrame
    spec: ScorecardSpec
    panel: Panel
    status: pd.DataFrame
    attributed: pd.DataFrame
    deals: pd.DataFrame
    segments: pd.DataFrame | None
    params: dict[str, Any]
    revenue_by_type: pd.DataFrame
    revenue_by_tier: pd.DataFrame
    revenue_by_region: pd.DataFrame
    attribution: pd.DataFrame
    attribution_by_type: pd.DataFrame
    reported_split: pd.DataFrame
    stages: pd.DataFrame
    velocity: pd.DataFrame
    win_rates: pd.DataFrame
    all_deals: pd.DataFrame
    comparison: pd.DataFrame
    mdf: pd.DataFrame
    mdf_by_tier: pd.DataFrame
    mdf_by_type: pd.DataFrame
    mdf_unused: pd.DataFrame
    kpi_summary: pd.DataFrame
    segment_table: pd.DataFrame
    movers_up: pd.DataFrame
    movers_down: pd.DataFrame
    corrections: pd.DataFrame
    upside: pd.DataFrame
    #: the client's stage and tier order and labels (scorecards speak them too)
    words: vocabulary.Vocabulary = vocabulary.EMPTY

    @property
    def as_of(self) -> str:
        """The last month of the data."""
        return self.panel.as_of

    @property
    def direct_deals(self) -> int:
        """Opportunities without a partner (direct deals) in the data, over every period."""
        return int((self.all_deals["n_partners"] == 0).sum())

    @property
    def months(self) -> int:
        """Months compared for the direction of travel."""
        return self.params["direction_months"]

    def results(self) -> dict[str, pd.DataFrame]:
        """The phase's result tables the session writes (the workbook and scorecards: :func:`~.delivery.deliver`)."""
        return {"partner_status.csv": self.status, "programme_summary.csv": self.programme}

    @property
    def programme(self) -> pd.DataFrame:
        """``programme_summary.csv``: the headline figures of the executive tables as plain numbers
        (:func:`~.executive.programme_summary`; partner and direct deals only when a direct deal exists)."""
        return programme_summary(self.revenue_by_type, self.attribution, self.reported_split,
                                 self.comparison if self.direct_deals else None)

    def executive_tables(self) -> dict[str, pd.DataFrame]:
        """Every executive table, by sheet title: the content of ``executive_tables.xlsx``.

        "With and without partners" only when the data hold a direct deal (else there is nothing
        to compare partner deals with, and the report says so).
        """
        comparison = {"With and without partners": self.comparison} if self.direct_deals else {}
        return {
            "Revenue by partner type": self.revenue_by_type, "Revenue by tier": self.revenue_by_tier,
            "Revenue by region": self.revenue_by_region, "Sourced and influenced": self.attribution,
            "Attribution by partner type": self.attribution_by_type, "Reported revenue split": self.reported_split,
            "Pipeline by stage": self.stages, "Pipeline velocity": self.velocity, "Win rates": self.win_rates,
            **comparison,
            "MDF by tier": self.mdf_by_tier, "MDF by partner type": self.mdf_by_type, "MDF unused": self.mdf_unused,
            "Scorecard KPIs": self.kpi_summary, "Segments": self.segment_table, "Top movers up": self.movers_up,
            "Top movers down": self.movers_down, "Course corrections": self.corrections,
            "Unexpected upside": self.upside,
            "Partner status": self.status,
        }


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None,
           scorecard: ScorecardSpec | str | Path | None = None,
           segments: pd.DataFrame | str | Path | None = None) -> Review:
    """Compute the whole executive report from validated inputs, the scorecard and the segments.

    ``scorecard``: metric_design's ``scorecard.yml`` (path, text or parsed); ``segments``:
    portfolio_health's ``segments.csv`` (path or frame; optional).
    """
    params = Params.complete(params)
    if isinstance(scorecard, ScorecardSpec):
        spec = scorecard
    elif isinstance(scorecard, Path) or (isinstance(scorecard, str) and "\n" not in scorecard):
        spec = read_scorecard(scorecard)
    else:
        spec = parse_scorecard(scorecard or "")
    spec = spec.with_target_goal()
    seg = read_segments(segments) if segments is not None else None
    partners = inputs["partners"].reset_index(drop=True)
    months = int(params["direction_months"])
    panel = build_panel(partners, inputs["partner_metrics"])
    status = partner_status(partners, panel, spec, months)
    names = dict(zip(partners["partner_id"].astype(str), partners["partner_name"].astype(str)))
    attributed = attribute_deals(inputs["opportunities"], params["attribution"], names)
    deals = deal_table(attributed)
    every = every_deal(inputs["opportunities"])
    as_of = panel.as_of
    mdf = mdf_frame(partners, panel)
    words = vocabulary.of(inputs["partners"], inputs["opportunities"])
    movers = revenue_movers(partners, panel, months, words)
    return Review(
        partners=partners, spec=spec, panel=panel, status=status, attributed=attributed, deals=deals, segments=seg,
        params=params,
        revenue_by_type=revenue_vs_target(partners, status, spec.target, "partner_type", words),
        revenue_by_tier=revenue_vs_target(partners, status, spec.target, "tier", words),
        revenue_by_region=revenue_vs_target(partners, status, spec.target, "region", words),
        attribution=attribution_summary(attributed, as_of, params["attribution"]),
        attribution_by_type=attribution_by_group(attributed, partners, as_of, "partner_type", words),
        reported_split=reported_revenue_split(panel),
        stages=pipeline_by_stage(deals, as_of, words), velocity=pipeline_velocity(deals, as_of),
        win_rates=win_rates(attributed, as_of), all_deals=every, comparison=partner_comparison(every, as_of),
        mdf=mdf, mdf_by_tier=mdf_by_group(mdf, "tier", words), mdf_by_type=mdf_by_group(mdf, "partner_type", words),
        mdf_unused=mdf_unused_partners(mdf, words=words),
        kpi_summary=kpi_status_summary(status, panel, spec.measures, months, spec.target),
        segment_table=segment_summary(status, seg, spec.target),
        movers_up=top_movers(movers, up=True), movers_down=top_movers(movers, up=False),
        corrections=course_corrections(status, partners, seg, spec.target, words),
        upside=unexpected_upside(status, partners, spec.target, words=words), words=words,
    )
