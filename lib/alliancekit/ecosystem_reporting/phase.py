"""The phase, end to end: :func:`review` computes everything, :func:`deliver` writes the files.

:class:`Review` holds the executive tables, figures and sentences the notebook shows, and the
per-partner status lines (``partner_status.csv``). :func:`deliver` writes the Excel workbook
and every partner's scorecard into the session's results folder.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..errors import Problem
from ..fmt import compact_number, percent, signed_percent
from .attribution import ATTRIBUTION_RULES, attribute_deals, credit_overlap, deal_table
from .executive import (
    attribution_by_group, attribution_summary, course_corrections, kpi_status_summary, mdf_by_group, mdf_frame,
    mdf_unused_partners, pipeline_by_stage, pipeline_velocity, reported_revenue_split, revenue_movers,
    revenue_vs_target, segment_summary, top_movers, unexpected_upside, win_rates,
)
from .declaration import Params
from .panel import Panel, build_panel, missing_measures, partner_status
from .payload import MIN_PEERS, ScorecardContext, partner_payloads
from .scorecards import FanOut, write_partner_scorecards
from .status import FLAT_BAND, describe_rules
from .upstream import ScorecardSpec, parse_scorecard, read_scorecard, read_segments
from .workbook import executive_workbook

#: Report formats of the executive tables' columns.
FORMATS: dict[str, Any] = {
    **dict.fromkeys(("Revenue (12 mo)", "Target", "Gap to target", "Won amount", "Open pipeline", "Pipeline",
                     "Amount (12 mo)", "Allocated", "Spent", "Unused", "Credited to partners", "Before (per month)",
                     "Now (per month)", "Change", "Won, sourced", "Won, influenced", "Pipeline, sourced",
                     "Pipeline, influenced"), "{:,.0f}"),
    **dict.fromkeys(("Attainment", "Share", "Unused share", "Utilisation", "Win rate", "Multi-partner share of won",
                     "Sourced share of won", "Change %"), percent),
    "Median age (days)": "{:,.0f}", "Closed (12 mo)": "{:,.0f}", "Won": "{:,.0f}",
    "Portfolio change": partial(signed_percent, decimals=1, infinite="from zero"),
}

#: How each row of the velocity table reads (its values mix counts, rates, money and days).
VELOCITY_FORMATS = {"Win rate": "{:.0%}", "Average won deal": "{:,.0f}", "Average days to win": "{:,.0f}",
                    "Pipeline velocity per month": "{:,.0f}"}


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


def _velocity_value(table: pd.DataFrame, measure: str, column: str = "Last 12 months") -> float:
    row = table[table["Measure"] == measure]
    return float(row[column].iloc[0]) if len(row) else float("nan")


@dataclass
class Review:
    """The results of one ecosystem report, and what the executive report shows of them."""

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
    formats: dict[str, Any] = field(default_factory=lambda: dict(FORMATS))

    @property
    def as_of(self) -> str:
        """The last month of the data."""
        return self.panel.as_of

    @property
    def months(self) -> int:
        """Months compared for the direction of travel."""
        return self.params["direction_months"]

    @property
    def revenue_tables(self) -> dict[str, pd.DataFrame]:
        """Revenue against target by partner type, tier and region (title -> table)."""
        return {"By partner type": self.revenue_by_type, "By tier": self.revenue_by_tier,
                "By region": self.revenue_by_region}

    def velocity_table(self) -> pd.DataFrame:
        """The velocity table for the report, each row formatted by what it measures."""
        out = self.velocity.copy()
        for column in ("Last 12 months", "12 months before"):
            out[column] = [("–" if pd.isna(v) else VELOCITY_FORMATS.get(m, "{:,.0f}").format(v))
                           for m, v in zip(out["Measure"], out[column])]
        return out

    def kpi_table(self) -> pd.DataFrame:
        """The scorecard measures for the report: status counts and the portfolio's direction (arrow and change)."""
        k = self.kpi_summary
        out = k.drop(columns=["Kind", "Portfolio direction", "Portfolio change"])
        if "No data" in out and not out["No data"].any():
            out = out.drop(columns="No data")
        out["Portfolio direction"] = [f"{a} {FORMATS['Portfolio change'](c)}" for a, c in
                                      zip(k["Portfolio direction"], k["Portfolio change"])]
        return out

    def movers(self, up: bool) -> pd.DataFrame:
        """The top movers for the report (partner type left out to fit a portrait page)."""
        return (self.movers_up if up else self.movers_down).drop(columns="Type")

    def results(self) -> dict[str, pd.DataFrame]:
        """The phase's result tables the session writes (the workbook and scorecards: :func:`deliver`)."""
        return {"partner_status.csv": self.status}

    def executive_tables(self) -> dict[str, pd.DataFrame]:
        """Every executive table, by sheet title (the Excel workbook)."""
        return {
            "Revenue by partner type": self.revenue_by_type, "Revenue by tier": self.revenue_by_tier,
            "Revenue by region": self.revenue_by_region, "Sourced and influenced": self.attribution,
            "Attribution by partner type": self.attribution_by_type, "Reported revenue split": self.reported_split,
            "Pipeline by stage": self.stages, "Pipeline velocity": self.velocity, "Win rates": self.win_rates,
            "MDF by tier": self.mdf_by_tier, "MDF by partner type": self.mdf_by_type, "MDF unused": self.mdf_unused,
            "Scorecard KPIs": self.kpi_summary, "Segments": self.segment_table, "Top movers up": self.movers_up,
            "Top movers down": self.movers_down, "Course corrections": self.corrections,
            "Unexpected upside": self.upside,
            "Partner status": self.status,
        }

    # -- what the report says ------------------------------------------------------------------

    def _total(self, table: pd.DataFrame, column: str) -> float:
        return float(table[column].iloc[-1]) if len(table) else float("nan")

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Key figures of the executive summary."""
        t = self.revenue_by_type
        revenue, target = self._total(t, "Revenue (12 mo)"), self._total(t, "Target")
        on_target, n = int(t["On target"].iloc[-1]), int(t["Alliances"].iloc[-1])
        allp = self.attribution[self.attribution["Attribution"] == "All partner deals"].iloc[0]
        src = self.attribution[self.attribution["Attribution"] == "Sourced"].iloc[0]
        mdf = self.mdf_by_tier.iloc[-1]
        wr = self.win_rates.iloc[0]["Win rate"]
        return [
            ("Partner revenue, 12 months", compact_number(revenue),
             f"{revenue / target:.0%} of target ({compact_number(target)})" if target > 0 else None),
            ("Alliances on target", f"{on_target:,} of {n:,}", None),
            ("Won with partners, 12 months", compact_number(allp["Won amount"]),
             f"{src['Won amount'] / allp['Won amount']:.0%} partner-sourced" if allp["Won amount"] > 0 else None),
            ("Open partner pipeline", compact_number(allp["Open pipeline"]), f"{int(allp['Open deals']):,} deals"),
            ("Win rate with partners", percent(wr), "deals closed in 12 months"),
            ("MDF left unused", compact_number(mdf["Unused"]),
             f"{mdf['Unused share']:.0%} of {compact_number(mdf['Allocated'])} allocated" if mdf["Allocated"] > 0 else None),
            ("Need a course correction", f"{len(self.corrections):,}", "alliances"),
        ]

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        out = []
        t = self.revenue_by_type.iloc[:-1]
        revenue, target = self._total(self.revenue_by_type, "Revenue (12 mo)"), self._total(self.revenue_by_type, "Target")
        if target > 0:
            best = t.sort_values("Attainment", ascending=False, kind="stable").iloc[0]
            worst = t.sort_values("Attainment", ascending=True, kind="stable").iloc[0]
            out.append(f"Partner revenue over the 12 months to {self.as_of} reached {revenue / target:.0%} of the "
                       f"alliances' annual targets ({compact_number(revenue)} of {compact_number(target)}); {best.iloc[0]} partners "
                       f"are furthest ahead ({best['Attainment']:.0%}), {worst.iloc[0]} partners furthest behind "
                       f"({worst['Attainment']:.0%}).")
        a = self.attribution.set_index("Attribution")
        if a.at["All partner deals", "Won amount"] > 0:
            out.append(f"Deals won with partners: {compact_number(a.at['Sourced', 'Won amount'])} sourced by partners and "
                       f"{compact_number(a.at['Influenced', 'Won amount'])} influenced by them, each deal counted once "
                       f"({_rule_phrase(self.params['attribution'])}).")
        wr = self.win_rates.set_index("Deals")["Win rate"]
        direct = wr.get("Without partners (direct)", np.nan)
        if pd.notna(wr.get("With partners")):
            comparison = (f", against {direct:.0%} without partners" if pd.notna(direct)
                          else "; the win rate without partners was not provided for comparison")
            out.append(f"Deals with partners were won {wr['With partners']:.0%} of the time{comparison}; deals with "
                       f"several partners {percent(wr.get('Several partners'))}, with one partner "
                       f"{percent(wr.get('One partner'))}.")
        v_now = _velocity_value(self.velocity, "Pipeline velocity per month")
        v_before = _velocity_value(self.velocity, "Pipeline velocity per month", "12 months before")
        if np.isfinite(v_now) and np.isfinite(v_before) and v_before > 0:
            out.append(f"Pipeline velocity (what the open partner pipeline can be expected to turn into wins each "
                       f"month) is {compact_number(v_now)}, {v_now / v_before - 1:+.0%} on the year before.")
        mdf = self.mdf_by_tier.iloc[-1]
        if mdf["Allocated"] > 0:
            worst = self.mdf_by_tier.iloc[:-1].sort_values("Unused", ascending=False, kind="stable").iloc[0]
            out.append(f"{compact_number(mdf['Unused'])} of market development funds ({mdf['Unused share']:.0%} of those "
                       f"allocated) went unused in the last 12 months, most of it with {worst.iloc[0]} partners "
                       f"({compact_number(worst['Unused'])}).")
        lead = self.kpi_summary[self.kpi_summary["Kind"] == "leading"]
        if len(lead):
            worst = lead.sort_values("Red", ascending=False, kind="stable").iloc[0]
            out.append(f"Leading indicators: {worst['Measure'].lower()} is red for {int(worst['Red']):,} alliances; "
                       "across the portfolio " + "; ".join(f"{m.lower()} {d}" for m, d in
                                                          zip(lead["Measure"], lead["Portfolio direction"])) + ".")
        early = int((self.upside["Signal"] == "Early signal").sum()) if len(self.upside) else 0
        outp = int((self.upside["Signal"] == "Outperforming").sum()) if len(self.upside) else 0
        out.append(f"{len(self.corrections):,} alliances need a course correction; {outp:,} outperform their target "
                   f"and are still rising, and {early:,} show leading indicators rising ahead of revenue.")
        return out

    def attribution_sentence(self) -> str:
        """The attribution rule in use, and the overlap when partners get full credit."""
        rule = self.params["attribution"]
        text = f"Attribution rule '{rule}': {ATTRIBUTION_RULES[rule]}."
        multi = int((self.deals["n_partners"] > 1).sum())
        text += f" {multi:,} of {len(self.deals):,} opportunities involve more than one partner."
        if rule == "full_credit_reported_separately":
            text += (f" Partners are credited {compact_number(credit_overlap(self.attributed))} more than the deals are worth "
                     "(overlap), shown separately and never added to a total.")
        return text

    def method_notes(self) -> list[str]:
        """The rules behind the figures, for the appendix."""
        return [
            describe_rules(self.months),
            f"The direction of travel is flat within ±{FLAT_BAND:.0%}: smaller monthly movements are noise, not a trend.",
            "Revenue against target: revenue over the last 12 months against each alliance's annual target "
            "(partners' annual_target; an alliance without one gets 12 times the scorecard's monthly revenue target). "
            "Other measures: the average of the last 3 months against the scorecard's monthly target "
            f"({self.spec.rule or 'metric_design'}).",
            f"Attribution: {ATTRIBUTION_RULES[self.params['attribution']]}.",
            "Pipeline velocity = open deals x average won deal x win rate / average days to win, per month.",
            "Course correction: revenue red and not rising, or at least half of the leading indicators red and falling.",
            f"Partner benchmarks: the partner's percentile among partners of its tier and the tier average, shown only "
            f"when at least {MIN_PEERS} partners of the tier have a value.",
        ]

    def data_notes(self) -> list[str]:
        """What the reader should know about gaps in the data."""
        notes = []
        missing = missing_measures(self.panel, self.spec)
        if missing:
            notes.append(f"Scorecard measures the partner metrics do not report, left out: {', '.join(missing)}.")
        rev = self.status[self.status["kpi"] == self.spec.target]
        fallback = int((rev["target_source"] == "scorecard").sum())
        if fallback:
            notes.append(f"{fallback:,} alliances have no annual_target; their revenue target is 12 times the "
                         "scorecard's monthly target.")
        no_data = int((rev["status"] == "no data").sum())
        if no_data:
            notes.append(f"{no_data:,} alliances reported no revenue in the last 12 months.")
        if not self.panel.has("mdf_allocated"):
            notes.append("No MDF allocations are reported (mdf_allocated); the funds section is empty.")
        if self.segments is None:
            notes.append("No portfolio segments were available.")
        return notes

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        counts = self.status["status"].value_counts()
        t = self.revenue_by_type.iloc[-1]
        return (f"partners={len(self.partners)} measures={self.status['kpi'].nunique()} "
                f"attainment={t['Attainment']:.3f} "
                f"status={'|'.join(f'{s}:{int(counts.get(s, 0))}' for s in ('green', 'amber', 'red', 'no data'))} "
                f"deals={len(self.deals)} corrections={len(self.corrections)} upside={len(self.upside)}")


def _rule_phrase(rule: str) -> str:
    return {"equal_split": "multi-partner deals split equally", "first_listed": "multi-partner deals credited to the "
            "first partner listed", "full_credit_reported_separately": "multi-partner deals split equally for totals"}[rule]


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
    as_of = panel.as_of
    mdf = mdf_frame(partners, panel)
    movers = revenue_movers(partners, panel, months)
    return Review(
        partners=partners, spec=spec, panel=panel, status=status, attributed=attributed, deals=deals, segments=seg,
        params=params,
        revenue_by_type=revenue_vs_target(partners, status, spec.target, "partner_type"),
        revenue_by_tier=revenue_vs_target(partners, status, spec.target, "tier"),
        revenue_by_region=revenue_vs_target(partners, status, spec.target, "region"),
        attribution=attribution_summary(attributed, as_of, params["attribution"]),
        attribution_by_type=attribution_by_group(attributed, partners, as_of, "partner_type"),
        reported_split=reported_revenue_split(panel),
        stages=pipeline_by_stage(deals, as_of), velocity=pipeline_velocity(deals, as_of),
        win_rates=win_rates(inputs["opportunities"], attributed, as_of, float(params["direct_win_rate"])),
        mdf=mdf, mdf_by_tier=mdf_by_group(mdf, "tier"), mdf_by_type=mdf_by_group(mdf, "partner_type"),
        mdf_unused=mdf_unused_partners(mdf),
        kpi_summary=kpi_status_summary(status, panel, spec.measures, months, spec.target),
        segment_table=segment_summary(status, seg, spec.target),
        movers_up=top_movers(movers, up=True), movers_down=top_movers(movers, up=False),
        corrections=course_corrections(status, partners, seg, spec.target),
        upside=unexpected_upside(status, partners, spec.target),
    )


def _data_uri(path: Path | None) -> str:
    if not path:
        return ""
    mime = mimetypes.guess_type(Path(path).name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"


@dataclass(frozen=True)
class Delivery:
    """What :func:`deliver` wrote."""

    fanout: FanOut
    workbook: Path
    partners_dir: Path
    limited: bool

    def sentence(self) -> str:
        """What was delivered, in words, for the report."""
        n = self.fanout.partners
        kinds = "HTML" + (" and PDF" if self.fanout.files >= 2 * n and n else "")
        scope = " (the partners selected for this run)" if self.limited else ""
        return (f"{n:,} partner scorecard{'s' if n != 1 else ''} ({kinds}) were produced{scope}, one file per "
                "partner in the folder partners/, each holding that partner's data alone.")


def deliver(review_: Review, ctx) -> Delivery:
    """Write ``executive_tables.xlsx`` and every selected partner's scorecard into ``ctx.results_dir``.

    ``ctx``: the notebook's :class:`~alliancekit.session.PhaseSession` (engagement for the
    sender's name, colour and logo; parameters ``partners``, ``pdf``, ``qbr_decks``, ``jobs``).
    """
    params = Params.complete(ctx.params)
    workbook = Path(ctx.results_dir) / "executive_tables.xlsx"
    workbook.write_bytes(executive_workbook(review_.executive_tables()))
    engagement = ctx.engagement
    context = ScorecardContext(client=engagement.client, as_of=review_.as_of, months=review_.months,
                               rule=params["attribution"], color=engagement.primary_color,
                               logo=_data_uri(engagement.logo), consultant=engagement.consultant)
    only = selected_partners(params["partners"])
    payloads = partner_payloads(review_.partners, review_.status, review_.attributed, review_.panel, review_.mdf,
                                context, only or None)
    out = Path(ctx.results_dir) / "partners"
    fanout = write_partner_scorecards(payloads, out, pdf=bool(params["pdf"]), deck=bool(params["qbr_decks"]),
                                      jobs=int(params["jobs"]), color=engagement.primary_color)
    return Delivery(fanout, workbook, out, bool(only))
