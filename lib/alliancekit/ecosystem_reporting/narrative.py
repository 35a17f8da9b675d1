"""What the executive report says of an ecosystem review: figures, sentences, display tables, notes.

:class:`Narrative` is built from the computed :class:`~.phase.Review` and gives the notebook
everything it shows in words or display form: the key figures and findings of the executive
summary, the attribution sentence, the report's versions of the velocity, KPI and top-mover
tables, the column formats (:data:`FORMATS`), the method and data notes of the appendix, the
sentence on the delivered scorecards and the checked summary line. It computes nothing the
result files hold.

Deals with and without partners: :meth:`Narrative.comparison_table` when the opportunities
hold a direct deal (no partner listed), else :data:`NO_DIRECT_DEALS` says why there is no
comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import report
from ..fmt import DASH, compact_number, join_words, percent, signed_percent
from .attribution import ATTRIBUTION_RULES, credit_overlap
from .executive import COMPARISON_ROWS
from .panel import YEAR, missing_measures
from .payload import MIN_PEERS
from .phase import Review
from .status import FLAT_BAND, describe_rules

if TYPE_CHECKING:
    from .delivery import Delivery

#: Report formats of the executive tables' columns.
FORMATS: dict[str, Any] = {
    **dict.fromkeys(("Revenue (12 mo)", "Target", "Gap to target", "Won amount", "Open pipeline", "Pipeline",
                     "Amount (12 mo)", "Allocated", "Spent", "Unused", "Credited to partners", "Before (per month)",
                     "Now (per month)", "Change", "Won, sourced", "Won, influenced", "Pipeline, sourced",
                     "Pipeline, influenced"), "{:,.0f}"),
    **dict.fromkeys(("Attainment", "Share", "Unused share", "Utilisation", "Win rate", "Multi-partner share of won",
                     "Sourced share of won", "Change %"), percent),
    "Median age (days)": "{:,.0f}", "Closed (12 mo)": "{:,.0f}", "Won": "{:,.0f}",
    **dict.fromkeys(("Won with amount", "Average won deal", "Won with created date", "Median days to close"), "{:,.0f}"),
    "Portfolio change": partial(signed_percent, decimals=1, infinite="from zero"),
}

#: How each row of the velocity table reads (its values mix counts, rates, money and days).
VELOCITY_FORMATS = {"Win rate": "{:.0%}", "Average won deal": "{:,.0f}", "Average days to win": "{:,.0f}",
                    "Pipeline velocity per month": "{:,.0f}"}


#: What the report says instead of the table "With and without partners" when no deal lacks a partner.
NO_DIRECT_DEALS = ("The opportunity data hold no deal without a partner, so partner deals cannot be compared with "
                   "direct ones; export every deal, not only partner deals, to compare.")

#: A win rate on fewer closed deals than this moves by ten points or more with a single deal (table
#: notes say which rows rest on so few). Groups of fewer alliances than :data:`MIN_PEERS` (the
#: benchmarks' threshold) show those few alliances' figures, not a pattern.
FEW_DEALS = 10

#: How the report names the groups of the executive tables in a sentence.
GROUP_WORDS = {"Partner type": "Partner types", "Tier": "Tiers", "Region": "Regions", "Segment": "Segments"}

#: The rows of the comparison table: all partner deals and direct deals.
_PARTNER_ROW, _DIRECT_ROW = COMPARISON_ROWS[0], COMPARISON_ROWS[-1]


def _deals(n: int, what: str = "deal") -> str:
    """``1 deal has``, ``3 deals have``: a count of deals and its verb."""
    return f"{n:,} {what}{'' if n == 1 else 's'} {'has' if n == 1 else 'have'}"


def _velocity_value(table: pd.DataFrame, measure: str, column: str = "Last 12 months") -> float:
    row = table[table["Measure"] == measure]
    return float(row[column].iloc[0]) if len(row) else float("nan")


def _total(table: pd.DataFrame, column: str) -> float:
    """The value of ``column`` in a table's last row (its total), NaN for an empty table."""
    return float(table[column].iloc[-1]) if len(table) else float("nan")


def _few(alliances: object) -> str:
    """', one alliance only' for a group too small to show a pattern (fewer than :data:`MIN_PEERS`), else ''."""
    n = int(alliances)
    return f", {'one alliance' if n == 1 else f'{n} alliances'} only" if 0 < n < MIN_PEERS else ""


def _rule_phrase(rule: str) -> str:
    return {"equal_split": "multi-partner deals split equally", "first_listed": "multi-partner deals credited to the "
            "first partner listed", "full_credit_reported_separately": "multi-partner deals split equally for totals"}[rule]


@dataclass
class Narrative:
    """What the executive report shows of ``review``, in words and display form.

    ``formats``: the report formats of the tables' columns (a copy of :data:`FORMATS` the
    notebook may adjust).
    """

    review: Review
    formats: dict[str, Any] = field(default_factory=lambda: dict(FORMATS))

    def __post_init__(self) -> None:
        self._annotate_tables()

    # -- what the figures rest on ------------------------------------------------------------------

    def _annotate_tables(self) -> None:
        """Table notes on the review's executive tables the report shows as they are (attrs only, values untouched)."""
        r = self.review
        for table in (r.revenue_by_type, r.revenue_by_tier, r.revenue_by_region):
            report.annotate(table, [self.year_sentence(), self.small_groups_sentence(table), self.fallback_sentence()])
        for table in (r.mdf_by_tier, r.mdf_by_type):
            report.annotate(table, [self.year_sentence(), self.small_groups_sentence(table)])
        report.annotate(r.segment_table, [self.year_sentence(), self.small_groups_sentence(r.segment_table)])
        report.annotate(r.win_rates, [self.few_deals_sentence(r.win_rates)])
        report.annotate(r.movers_up, [self.direction_sentence()])
        report.annotate(r.movers_down, [self.direction_sentence()])

    @property
    def months_in_data(self) -> int:
        """Months the partner metrics cover."""
        return len(self.review.panel.months)

    def year_sentence(self) -> str:
        """'' with a year of metrics; else what the 12-month figures compare."""
        n = self.months_in_data
        if not n or n >= YEAR:
            return ""
        return (f"The partner metrics hold {n} months, so revenue and funds 'over the last 12 months' cover those {n} "
                f"months and revenue is compared with a full year's target: at the same monthly pace a full year "
                f"would bring {YEAR / n:.2f} times as much.")

    def direction_sentence(self) -> str:
        """'' when the metrics hold both windows of the direction of travel; else what it compares."""
        n, m = self.months_in_data, int(self.review.months)
        if not n or n >= 2 * m:
            return ""
        before = max(0, n - m)
        if not before:
            return (f"The partner metrics hold {n} month{'s' if n != 1 else ''}, too few to compare the last {m} "
                    f"months with the {m} before: no direction of travel is shown.")
        return (f"The partner metrics hold {n} months, so the direction of travel compares the last {m} months with "
                f"the {before} before them, not {m}.")

    def small_groups_sentence(self, table: pd.DataFrame) -> str:
        """'' unless a group of ``table`` (partner type, tier, region, segment) has fewer than :data:`MIN_PEERS` alliances."""
        if not len(table.columns) or table.empty:
            return ""
        column = table.columns[0]
        if "Alliances" in table.columns:
            body = table if column == "Segment" else table.iloc[:-1]  # the other tables end with their total
            sizes = dict(zip(body[column], body["Alliances"]))
        else:
            sizes = self._group_sizes(column)
        shown = set(table[column])
        small = [(g, int(n)) for g, n in sizes.items() if g in shown and 0 < n < MIN_PEERS]
        if not small:
            return ""
        listed = join_words([f"{g} {n}" for g, n in small])
        what = GROUP_WORDS.get(column, "Groups")
        return (f"{what} of fewer than {MIN_PEERS} alliances ({listed}) show those few alliances' own figures, not a "
                "pattern.")

    def _group_sizes(self, column: str) -> dict:
        """Alliances per group of the revenue table grouped by ``column`` (its total row left out)."""
        for table in self.revenue_tables.values():
            if len(table.columns) and table.columns[0] == column:
                return dict(zip(table.iloc[:-1, 0], table["Alliances"].iloc[:-1]))
        return {}

    def few_deals_sentence(self, table: pd.DataFrame) -> str:
        """'' unless a win rate of ``table`` rests on fewer than :data:`FEW_DEALS` closed deals."""
        if "Closed (12 mo)" not in table.columns or "Deals" not in table.columns:
            return ""
        closed = pd.to_numeric(table["Closed (12 mo)"], errors="coerce")
        few = table[(closed > 0) & (closed < FEW_DEALS)]
        if few.empty:
            return ""
        listed = join_words([f"{d.lower()} ({int(c)})" for d, c in zip(few["Deals"], few["Closed (12 mo)"])])
        return (f"Some win rates rest on fewer than {FEW_DEALS} closed deals: {listed}; one deal more or less moves "
                "such a rate by ten points or more.")

    def fallback_sentence(self) -> str:
        """'' unless some alliances have no annual target in the partner list (their target is the scorecard's)."""
        rev = self.review.status[self.review.status["kpi"] == self.review.spec.target]
        fallback = int((rev["target_source"] == "scorecard").sum())
        if not fallback:
            return ""
        if fallback == 1:
            return ("1 alliance has no annual target in the partner list; its revenue target is 12 times the "
                    "scorecard's monthly target.")
        return (f"{fallback:,} alliances have no annual target in the partner list; their revenue target is 12 times "
                "the scorecard's monthly target.")

    def velocity_sentence(self) -> str:
        """'' unless no partner deal closed in the 12 months before (velocity then has nothing to compare with)."""
        before = _velocity_value(self.review.velocity, "Deals closed", "12 months before")
        if np.isfinite(before) and before > 0:
            return ""
        return ("The opportunity data hold no partner deal closed in the 12 months before the last 12, so velocity "
                "is not compared with the year before.")

    def limits(self) -> list[str]:
        """The limits of this run's data, each a sentence also shown where it applies (empty when none)."""
        r = self.review
        notes = [self.year_sentence(), self.direction_sentence(),
                 *(self.small_groups_sentence(t) for t in (r.revenue_by_type, r.revenue_by_tier, r.revenue_by_region,
                                                           r.segment_table)),
                 self.few_deals_sentence(r.win_rates), self.few_deals_sentence(r.comparison) if r.direct_deals else "",
                 self.velocity_sentence(), self.fallback_sentence(),
                 "" if r.segments is not None else "No portfolio segments were available."]
        return list(dict.fromkeys(n for n in notes if n))

    @property
    def revenue_tables(self) -> dict[str, pd.DataFrame]:
        """Revenue against target by partner type, tier and region (title -> table)."""
        r = self.review
        return {"By partner type": r.revenue_by_type, "By tier": r.revenue_by_tier, "By region": r.revenue_by_region}

    def velocity_table(self) -> pd.DataFrame:
        """The velocity table for the report, each row formatted by what it measures."""
        out = self.review.velocity.copy()
        for column in ("Last 12 months", "12 months before"):
            out[column] = [(DASH if pd.isna(v) else VELOCITY_FORMATS.get(m, "{:,.0f}").format(v))
                           for m, v in zip(out["Measure"], out[column])]
        return report.annotate(out, [self.velocity_sentence()])

    def comparison_table(self) -> pd.DataFrame:
        """Deals with and without partners for the report: the counts behind the average won deal and the
        median days to close are shown only where they differ from the deals won (some lack an amount or
        a created date); the workbook always has them."""
        out = self.review.comparison.copy()
        for column in ("Won with amount", "Won with created date"):
            if (out[column] == out["Won"]).all():
                out = out.drop(columns=column)
        return report.annotate(out, [self.few_deals_sentence(out)])

    def kpi_table(self) -> pd.DataFrame:
        """The scorecard measures for the report: status counts and the portfolio's direction (arrow and change)."""
        k = self.review.kpi_summary
        out = k.drop(columns=["Kind", "Portfolio direction", "Portfolio change"])
        if "No data" in out and not out["No data"].any():
            out = out.drop(columns="No data")
        out["Portfolio direction"] = [f"{a} {FORMATS['Portfolio change'](c)}" for a, c in
                                      zip(k["Portfolio direction"], k["Portfolio change"])]
        return report.annotate(out, [self.year_sentence(), self.direction_sentence()])

    def movers(self, up: bool) -> pd.DataFrame:
        """The top movers for the report (partner type left out to fit a portrait page)."""
        return report.annotate((self.review.movers_up if up else self.review.movers_down).drop(columns="Type"),
                               [self.direction_sentence()])

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Key figures of the executive summary."""
        r = self.review
        t = r.revenue_by_type
        revenue, target = _total(t, "Revenue (12 mo)"), _total(t, "Target")
        on_target, n = int(t["On target"].iloc[-1]), int(t["Alliances"].iloc[-1])
        allp = r.attribution[r.attribution["Attribution"] == "All partner deals"].iloc[0]
        src = r.attribution[r.attribution["Attribution"] == "Sourced"].iloc[0]
        mdf = r.mdf_by_tier.iloc[-1]
        wr = r.win_rates.iloc[0]["Win rate"]
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
            ("Need a course correction", f"{len(r.corrections):,}", "alliances"),
        ]

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        r = self.review
        out = []
        t = r.revenue_by_type.iloc[:-1]
        revenue, target = _total(r.revenue_by_type, "Revenue (12 mo)"), _total(r.revenue_by_type, "Target")
        if target > 0:
            best = t.sort_values("Attainment", ascending=False, kind="stable").iloc[0]
            worst = t.sort_values("Attainment", ascending=True, kind="stable").iloc[0]
            months = self.months_in_data
            period = (f"the 12 months to {r.as_of}" if months >= YEAR
                      else f"the {months} months to {r.as_of} (all the months in the data)")
            out.append(f"Partner revenue over {period} reached {revenue / target:.0%} of the "
                       f"alliances' annual targets ({compact_number(revenue)} of {compact_number(target)}); {best.iloc[0]} partners "
                       f"are furthest ahead ({best['Attainment']:.0%}{_few(best['Alliances'])}), {worst.iloc[0]} partners "
                       f"furthest behind ({worst['Attainment']:.0%}{_few(worst['Alliances'])}).")
        a = r.attribution.set_index("Attribution")
        if a.at["All partner deals", "Won amount"] > 0:
            out.append(f"Deals won with partners: {compact_number(a.at['Sourced', 'Won amount'])} sourced by partners and "
                       f"{compact_number(a.at['Influenced', 'Won amount'])} influenced by them, each deal counted once "
                       f"({_rule_phrase(r.params['attribution'])}).")
        win_rate = self.win_rate_sentence()
        if win_rate:
            out.append(win_rate)
        v_now = _velocity_value(r.velocity, "Pipeline velocity per month")
        v_before = _velocity_value(r.velocity, "Pipeline velocity per month", "12 months before")
        if np.isfinite(v_now) and np.isfinite(v_before) and v_before > 0:
            out.append(f"Pipeline velocity (what the open partner pipeline can be expected to turn into wins each "
                       f"month) is {compact_number(v_now)}, {v_now / v_before - 1:+.0%} on the year before.")
        mdf = r.mdf_by_tier.iloc[-1]
        if mdf["Allocated"] > 0:
            worst = r.mdf_by_tier.iloc[:-1].sort_values("Unused", ascending=False, kind="stable").iloc[0]
            out.append(f"{compact_number(mdf['Unused'])} of market development funds ({mdf['Unused share']:.0%} of those "
                       f"allocated) went unused in the last 12 months, most of it with {worst.iloc[0]} partners "
                       f"({compact_number(worst['Unused'])}).")
        lead = r.kpi_summary[r.kpi_summary["Kind"] == "leading"]
        if len(lead):
            worst = lead.sort_values("Red", ascending=False, kind="stable").iloc[0]
            out.append(f"Leading indicators: {worst['Measure'].lower()} is red for {int(worst['Red']):,} alliances; "
                       "across the portfolio " + "; ".join(f"{m.lower()} {d}" for m, d in
                                                          zip(lead["Measure"], lead["Portfolio direction"])) + ".")
        early = int((r.upside["Signal"] == "Early signal").sum()) if len(r.upside) else 0
        outp = int((r.upside["Signal"] == "Outperforming").sum()) if len(r.upside) else 0
        out.append(f"{len(r.corrections):,} alliances need a course correction; {outp:,} outperform their target "
                   f"and are still rising, and {early:,} show leading indicators rising ahead of revenue.")
        return out

    def win_rate_sentence(self) -> str:
        """Win rates of the last 12 months with partners against direct deals, with the counts behind them,
        and the size and speed of won deals when both sides have them ('' when no deal closed)."""
        r = self.review
        c = r.comparison.set_index("Deals")
        p, d = c.loc[_PARTNER_ROW], c.loc[_DIRECT_ROW]
        p_closed, d_closed = int(p["Closed (12 mo)"]), int(d["Closed (12 mo)"])
        if not p_closed:
            if not d_closed:
                return ""
            return (f"No deal with partners closed in the 12 months to {r.as_of}; direct deals were won "
                    f"{d['Win rate']:.0%} of the time ({int(d['Won']):,} of {d_closed:,}).")
        wr = r.win_rates.set_index("Deals")["Win rate"]
        by_count = (f"deals with several partners {percent(wr.get('Several partners'))}, with one partner "
                    f"{percent(wr.get('One partner'))}")
        text = (f"Deals with partners were won {p['Win rate']:.0%} of the time ({int(p['Won']):,} of {p_closed:,} "
                f"closed in the 12 months to {r.as_of})")
        if not r.direct_deals:
            return f"{text}; {by_count}; the opportunity data hold no deal without a partner to compare with."
        if not d_closed:
            return f"{text}; {by_count}; no direct deal closed in the period to compare with."
        text += f", against {d['Win rate']:.0%} for direct deals ({int(d['Won']):,} of {d_closed:,}); {by_count}."
        parts = []
        if pd.notna(p["Average won deal"]) and pd.notna(d["Average won deal"]):
            parts.append(f"averaged {compact_number(p['Average won deal'])} against "
                         f"{compact_number(d['Average won deal'])} direct")
        if pd.notna(p["Median days to close"]) and pd.notna(d["Median days to close"]):
            parts.append(f"took a median of {p['Median days to close']:,.0f} days from created to closed against "
                         f"{d['Median days to close']:,.0f}")
        return text + (" A won partner deal " + " and ".join(parts) + "." if parts else "")

    def attribution_sentence(self) -> str:
        """The attribution rule in use, and the overlap when partners get full credit."""
        r = self.review
        rule = r.params["attribution"]
        text = f"The attribution rule: {ATTRIBUTION_RULES[rule]}."
        multi = int((r.deals["n_partners"] > 1).sum())
        text += f" {multi:,} of {len(r.deals):,} opportunities involve more than one partner."
        if r.direct_deals:
            n = r.direct_deals
            text += (f" {n:,} other opportunit{'y lists' if n == 1 else 'ies list'} no partner (direct deals): "
                     "credited to no partner, they are compared with partner deals under 'With and without partners'.")
        if rule == "full_credit_reported_separately":
            text += (f" Partners are credited {compact_number(credit_overlap(r.attributed))} more than the deals are worth "
                     "(overlap), shown separately and never added to a total.")
        return text

    def method_notes(self) -> list[str]:
        """The rules behind the figures, for the appendix."""
        r = self.review
        return [
            describe_rules(r.months),
            f"The direction of travel is flat within ±{FLAT_BAND:.0%}: smaller monthly movements are noise, not a trend.",
            "Revenue against target: revenue over the last 12 months against each alliance's annual target "
            "(the annual target in the partner list; an alliance without one gets 12 times the scorecard's monthly "
            "revenue target). "
            "Other measures: the average of the last 3 months against the scorecard's monthly target "
            f"({r.spec.rule or 'as set in the metric design'}).",
            f"Attribution: {ATTRIBUTION_RULES[r.params['attribution']]}.",
            "Pipeline velocity = open deals x average won deal x win rate / average days to win, per month.",
            "Course correction: revenue red and not rising, or at least half of the leading indicators red and falling.",
            f"Partner benchmarks: the partner's percentile among partners of its tier and the tier average, shown only "
            f"when at least {MIN_PEERS} partners of the tier have a value.",
        ] + ([
            "With and without partners: a direct deal is an opportunity with no partner listed, credited to no partner "
            "and shown on no scorecard; the comparison takes the deals closed in the last 12 months, the average won "
            "deal over the won deals with an amount and the median days to close over the won deals with a created "
            "date.",
        ] if r.direct_deals else [])

    def data_notes(self) -> list[str]:
        """What the reader should know about gaps in the data."""
        r = self.review
        notes = []
        missing = missing_measures(r.panel, r.spec)
        if missing:
            notes.append("Scorecard measures the partner metrics do not report, left out: "
                         f"{', '.join(str(m).replace('_', ' ') for m in missing)}.")
        rev = r.status[r.status["kpi"] == r.spec.target]
        if self.fallback_sentence():
            notes.append(self.fallback_sentence())
        no_data = int((rev["status"] == "no data").sum())
        if no_data:
            notes.append(f"{no_data:,} alliances reported no revenue in the last 12 months.")
        if not r.panel.has("mdf_allocated"):
            notes.append("No MDF allocations are reported; the funds section is empty.")
        if r.segments is None:
            notes.append("No portfolio segments were available.")
        return notes + self.deal_notes()

    def deal_notes(self) -> list[str]:
        """Deals kept with a missing value, and what they are left out of (nothing when none)."""
        deals = self.review.all_deals
        partner = (deals["n_partners"] > 0).to_numpy()
        no_amount = deals["amount"].isna().to_numpy()
        won = deals["won"].fillna(False).astype(bool).to_numpy()
        open_no_amount = int((partner & deals["is_open"].to_numpy() & no_amount).sum())
        won_no_amount = int((won & no_amount).sum())
        no_created = int(deals["created"].isna().sum())
        no_attribution = int((partner & (deals["attribution"] == "").to_numpy()).sum())
        notes = []
        if open_no_amount:
            notes.append(f"{_deals(open_no_amount, 'open partner deal')} no amount and "
                         f"{'is' if open_no_amount == 1 else 'are'} left out of pipeline values.")
        if won_no_amount:
            notes.append(f"{_deals(won_no_amount, 'won deal')} no amount: left out of won amounts and the average "
                         "won deal.")
        if no_created:
            notes.append(f"{_deals(no_created)} no created date: left out of days to close, deal ages and "
                         "pipeline velocity.")
        if no_attribution:
            notes.append(f"{_deals(no_attribution, 'partner deal')} no attribution: counted among all partner "
                         "deals, neither as sourced nor as influenced.")
        return notes

    def delivery_sentence(self, delivery: Delivery) -> str:
        """What :func:`~.delivery.deliver` produced, in words, for the report."""
        n = delivery.fanout.partners
        kinds = join_words(delivery.fanout.formats)
        scope = " (the partners selected for this run)" if delivery.limited else ""
        return (f"{n:,} partner scorecard{'' if n == 1 else 's'} ({kinds}) {'was' if n == 1 else 'were'} produced{scope}, "
                f"{'one file per format' if len(delivery.fanout.formats) > 1 else 'one file'} per partner in the "
                "folder partners/, each holding that partner's data alone.")

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        r = self.review
        counts = r.status["status"].value_counts()
        t = r.revenue_by_type.iloc[-1]
        return (f"partners={len(r.partners)} measures={r.status['kpi'].nunique()} "
                f"attainment={t['Attainment']:.3f} "
                f"status={'|'.join(f'{s}:{int(counts.get(s, 0))}' for s in ('green', 'amber', 'red', 'no data'))} "
                f"deals={len(r.deals)}{f' direct={r.direct_deals}' if r.direct_deals else ''} "
                f"corrections={len(r.corrections)} upside={len(r.upside)}")
