"""The report's words and display tables, built from the computed :class:`~.phase.Design`.

:func:`~.phase.review` finds the leading indicators and builds the scorecard; :class:`Narrative`
says it to the client: headline figures, the key message, findings, the question and the method
in plain words, the tables with the client's headings, the scorecard and stop-list sentences and
the data notes. Keeping the wording here lets the computation be tested, reused and cached
without the report, and lets a sentence change without touching a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from .. import report
from ..fmt import DASH, join_words, plain_number, plural, signed_number
from .funnel import OUTCOME, STAGES, label_of, matched_by_keyword
from .lags import MIN_MONTHS_PER_LEAD, SEASONAL_CHANGES_NEEDED, lower_label, months_per_lead, verdict_text
from .panel import BASELINE_MONTHS, EXTRA_MONTHS, MIN_BASELINE_MONTHS, MIN_PARTNERS
from .phase import Design

#: An effect as +0.46 or -0.06; one that rounds to zero as 0.00 (never -0.00).
_effect = partial(signed_number, decimals=2, zero="0.00")

#: Report formats of the tables' columns.
FORMATS: dict[str, Any] = {
    "Effect": _effect, "Same month": _effect, "Median partner": plain_number, "Partners": "{:,}",
    "Active partners": "{:,}", "Rank": "{:d}",
}

#: How each verdict reads in a sentence about several indicators ("{t}": the target).
VERDICT_PHRASES = {
    "follows the target": "Follow {t} instead of leading it",
    "moves with the target": "Move with {t} in the same month",
    "only trends": "Only trend up (or down), whatever {t} does",
    "seasonal": "Follow the calendar, not {t}",
    "too weak": "Lead {t} too weakly to steer by",
    "no relation": "Show no reliable link with {t}",
    "does not vary": "Do not vary from month to month (their effect cannot be tested)",
    "too little data": "Have too little data to test",
}

#: A candidate empty in at least this share of reported partner-months gets a data note.
EMPTY_SHARE_NOTED = 0.05


def _threshold(value: float, unit: str, direction: str) -> str:
    text = plain_number(value, whole=unit == "currency", by_size=False)
    return text if text == DASH else f"{'≥' if direction == 'up' else '≤'} {text}"


def _lag_range(lead: pd.DataFrame) -> str:
    lags = lead["lag_months"].astype(int)
    return plural(int(lags.min()), "month") if lags.min() == lags.max() else f"{int(lags.min())} to {int(lags.max())} months"


@dataclass
class Narrative:
    """The metric design in words and display form, for the report (``Narrative(design)``)."""

    design: Design

    @property
    def target_label(self) -> str:
        """The target inside a sentence ('revenue')."""
        return label_of(self.design.target).lower()

    # -- executive summary ----------------------------------------------------------------------

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Indicators tested, leading ones, the strongest lead, KPIs on the scorecard, what to stop measuring."""
        d = self.design
        e, lead = d.effects, d.leading
        first = lead.iloc[0] if len(lead) else None
        goals = len(d.scorecard.goals)
        return [
            ("Indicators tested", f"{len(e)}", f"{d.panel.n_partners:,} partners x {d.panel.n_months} months"),
            ("Leading indicators", f"{len(lead)}",
             f"lead {self.target_label} by {_lag_range(lead)}" if len(lead) else "none passed every test"),
            ("Strongest leading indicator", plural(int(first["lag_months"]), "month") if first is not None else "none",
             f"{first['label']}, effect {_effect(first['effect'])}" if first is not None else None),
            ("Scorecard", f"{len(d.scorecard.kpis)} + {goals}",
             f"leading KPIs + lagging goal{'s' if goals != 1 else ''}"),
        ]

    def key_message(self) -> str:
        """The one-sentence answer."""
        d = self.design
        lead, n = d.leading, len(d.effects)
        if lead.empty:
            return (f"None of the {n} indicators reported today reliably anticipates {self.target_label}; the scorecard "
                    "starts with the lagging goals, and new leading measures should be collected and tested.")
        names = ", ".join(f"{lower_label(r.label)} ({plural(int(r.lag_months), 'month')} ahead)" for r in lead.itertuples())
        count = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"}.get(len(lead), str(len(lead)))
        verb = "anticipates" if len(lead) == 1 else "anticipate"
        if len(lead) == 1:
            kept = "It becomes the scorecard's leading KPI"
        elif len(d.scorecard.kpis) == len(lead):
            kept = "They become the scorecard's leading KPIs"
        else:
            kept = f"The strongest {len(d.scorecard.kpis)} of them become the scorecard's leading KPIs"
        rest = n - len(lead)
        tail = (f"; the other {rest} should stop being reported as signs of future results." if rest > 1 else
                "; the other one should stop being reported as a sign of future results." if rest == 1 else ".")
        return f"{count} of the {n} indicators {verb} {self.target_label}: {names}. {kept}{tail}"

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        d = self.design
        out = []
        for r in d.leading.itertuples():
            months = months_per_lead(d.panel.n_months, int(r.lag_months))
            few = (f"; tested on at most {plural(months, 'month')} of changes per partner, the data being "
                   f"{d.panel.n_months} months long" if months < MIN_MONTHS_PER_LEAD else "")
            out.append(f"{r.label} ({r.funnel_stage}) leads {self.target_label} by {plural(int(r.lag_months), 'month')}: "
                       f"a change in it is followed by a change in {self.target_label} in the "
                       f"{'same' if r.effect > 0 else 'opposite'} direction "
                       f"{plural(int(r.lag_months), 'month')} later (effect {r.effect:+.2f}{few}).")
        if d.leading.empty:
            out.append(f"None of the {len(d.effects)} indicators reliably leads {self.target_label}: the scorecard "
                       "keeps the lagging goals only until better leading measures are collected.")
        by_verdict = d.effects[~d.effects["leading"]].groupby("verdict", sort=False)["label"].apply(list)
        for verdict, labels in by_verdict.items():
            phrase = VERDICT_PHRASES.get(verdict, verdict).format(t=self.target_label)
            out.append(f"{phrase}, so not leading: {', '.join(labels)}.")
        for gap in d.scorecard.gaps:
            out.append(f"{gap['stage']} has no leading KPI in this data. Worth measuring: {gap['measure_next']}.")
        return out

    def question(self) -> str:
        """The question of this phase, with this engagement's numbers."""
        return (f"Which of the {len(self.design.effects)} activities that partners report every month move "
                f"{self.target_label} later, by how many months, and how sure can we be? The answer decides which "
                f"activities belong on the alliance scorecard as leading KPIs beside the lagging {self.target_label} "
                "goal, and which ones can stop being reported as signs of future results.")

    def method_steps(self) -> list[str]:
        """The method in plain words, with this run's settings."""
        p = self.design.params
        return [
            "Month-to-month changes, partner by partner. We compare each partner with itself, so a large partner "
            "and a small one count alike, and we take out each partner's own steady trend: an indicator that just "
            "keeps growing (such as a running total) cannot pass for a signal.",
            "The calendar taken out. Whatever moves every partner in the same month (quarter-end pushes, kick-off "
            "seasons, a market shock) is removed before any comparison, so a seasonal activity cannot pass either."
            + (f" {self.seasonal_sentence()}" if self.seasonal_sentence() else ""),
            f"Leads of 1 to {p['max_lag']} months. For every indicator and every lead time we measure how well its "
            f"changes anticipate the changes of {self.target_label} that many months later, beyond what "
            f"{self.target_label}'s own movement at the time already tells (the effect, from -1 to +1; 0 means no "
            "link)." + (f" {self.short_leads_sentence()}" if self.short_leads_sentence() else ""),
            f"Which way it runs. We also test the reverse: does {self.target_label} move first and the indicator "
            "follow (as spend set from last month's results does)? An indicator that follows, or only moves in the "
            f"same month as {self.target_label}, is not leading however strong the link.",
            f"How sure. The whole analysis is repeated on {p['n_bootstrap']} re-drawn portfolios (partners drawn at "
            f"random with replacement). The intervals are widened for having searched {p['max_lag']} lead times of "
            f"{len(self.design.effects)} indicators, so a chance pattern has only about a {1 - p['confidence']:.0%} chance of "
            "passing for a real one anywhere in the table.",
            f"The verdict. An indicator is leading when its best lead is at least one month, its interval excludes "
            f"zero, its effect is at least {p['min_effect']:.2f} (smaller links are too weak to steer by) and it "
            "beats both the same-month link and the reverse direction.",
        ]

    # -- tables ---------------------------------------------------------------------------------

    def ranking_table(self) -> pd.DataFrame:
        """Every indicator, strongest first: rank, motion, lead, effect, interval, verdict."""
        e = self.design.effects
        interval = [f"{_effect(lo)} to {_effect(hi)}" if pd.notna(lo) else "–" for lo, hi in zip(e["ci_low"], e["ci_high"])]
        return report.annotate(pd.DataFrame({
            "Rank": e["rank"].astype(int), "Indicator": e["label"], "Motion": e["funnel_stage"],
            "Lead (months)": [str(int(v)) if pd.notna(v) else "–" for v in e["lag_months"]],
            "Effect": e["effect"], "Interval": interval,
            "Verdict": [verdict_text(v, self.design.target) for v in e["verdict"]]}),
            [self.short_leads_sentence(), self.seasonal_sentence(), self.constant_sentence()])

    def funnel_table(self) -> pd.DataFrame:
        """Per motion: what is measured, what leads, what the scorecard keeps."""
        effects = self.design.effects
        rows = []
        stages = [*STAGES, *([OUTCOME] if (effects["funnel_stage"] == OUTCOME).any() else [])]
        kpis = self.design.scorecard.kpis
        for stage in stages:
            part = effects[effects["funnel_stage"] == stage]
            lead = part[part["leading"]]
            kept = kpis[kpis["stage"] == stage]["label"].tolist()
            rows.append({"Motion": stage, "Measured": ", ".join(part["label"]) or "nothing",
                         "Leading": ", ".join(f"{r.label} ({int(r.lag_months)} mo)" for r in lead.itertuples()) or "none",
                         "On the scorecard": ", ".join(kept) or "gap: no leading KPI"})
        return pd.DataFrame(rows)

    def goals_table(self) -> pd.DataFrame:
        """The lagging goals: per partner per month, with their thresholds."""
        g = self.design.scorecard.goals
        return report.annotate(pd.DataFrame({
            "Goal": g["label"], "Median partner": g["baseline"].astype(float),
            "Target (green)": [_threshold(v, u, "up") for v, u in zip(g["green"], g["unit"])],
            "Amber": [_threshold(v, u, "up") for v, u in zip(g["amber"], g["unit"])],
            "Active partners": g["partners"].astype(int)}), [self.baseline_sentence(), self.few_partners_sentence()])

    def kpis_table(self) -> pd.DataFrame:
        """The leading KPIs: motion, lead, effect and status thresholds per partner per month."""
        k = self.design.scorecard.kpis
        return report.annotate(pd.DataFrame({
            "KPI": k["label"], "Motion": k["stage"], "Leads by": [plural(int(v), "month") for v in k["lag_months"]],
            "Effect": k["effect"].astype(float),
            "Median partner": k["baseline"].astype(float),
            "Target (green)": [_threshold(v, u, d) for v, u, d in zip(k["green"], k["unit"], k["direction"])],
            "Amber": [_threshold(v, u, d) for v, u, d in zip(k["amber"], k["unit"], k["direction"])]}),
            [self.baseline_sentence(), self.few_partners_sentence()])

    def stop_table(self) -> pd.DataFrame:
        """Indicators that are not leading, and why, in the client's words."""
        e = self.design.effects[~self.design.effects["leading"]]
        return report.annotate(pd.DataFrame({"Indicator": e["label"], "Motion": e["funnel_stage"],
                                             "Verdict": [verdict_text(v, self.design.target) for v in e["verdict"]],
                                             "Why": e["reason"]}), [self.seasonal_sentence()])

    def robustness_table(self) -> pd.DataFrame:
        """Appendix: the lead chosen across resamples, the same-month and reverse links, partners used."""
        e = self.design.effects
        lag_range = [f"{int(a)}-{int(b)}" if pd.notna(a) and a != b else (str(int(a)) if pd.notna(a) else "–")
                     for a, b in zip(e["lag_low"], e["lag_high"])]
        reverse = [f"{_effect(v)} ({int(k)} mo)" if pd.notna(v) else "–" for v, k in zip(e["reverse_effect"], e["reverse_lag"])]
        return pd.DataFrame({"Indicator": e["label"], "Lead chosen in resamples": lag_range,
                             "Same month": e["same_month_effect"], f"{label_of(self.design.target)} leads it": reverse,
                             "Partners": e["n_partners"].astype(int)})

    # -- sentences ------------------------------------------------------------------------------

    def scorecard_sentences(self) -> list[str]:
        """How the targets and the status colours were set."""
        rule = self.design.scorecard.rule
        return [
            f"Targets are per partner per month: {rule.describe()}. Active partners are those with a monthly "
            "average above zero over that year." + (f" {self.baseline_sentence()}" if self.baseline_sentence() else ""),
            "A partner's status compares its latest three-month average with the target: green at or beyond the "
            "target, amber within the amber band, red below it.",
            "The leading KPIs are the strongest leading indicators of each motion "
            f"(at most {self.design.params['kpis_per_stage']} per motion); each is reviewed with its lead time in mind: "
            f"this month's KPI speaks about {self.target_label} that many months from now.",
        ]

    def gap_sentences(self) -> list[str]:
        """Motions without a leading KPI, and what to do about it."""
        return [f"{g['stage']}: {g['note']} Worth measuring: {g['measure_next']}." for g in self.design.scorecard.gaps]

    def stop_summary(self) -> str:
        """One paragraph introducing the stop list."""
        effects = self.design.effects
        n = int((~effects["leading"]).sum())
        if n == 0:
            return "Every indicator tested leads revenue; nothing needs to come off the list."
        return (f"{n} of the {len(effects)} indicators do not anticipate {self.target_label}. They may still "
                "matter for running the partnership (compliance, fund utilisation, programme tiers), but they should "
                "stop being presented as signs of future results: reporting them as such invites the wrong "
                "conversations in the quarterly review.")

    # -- what the figures rest on --------------------------------------------------------------------

    def short_leads(self) -> tuple[int, int] | None:
        """The leads tested on fewer than :data:`~.lags.MIN_MONTHS_PER_LEAD` months of changes per
        partner, as ``(shortest, longest)`` lead in months; ``None`` when every lead has enough."""
        n, max_lag = self.design.panel.n_months, int(self.design.params["max_lag"])
        short = [lag for lag in range(1, max_lag + 1) if months_per_lead(n, lag) < MIN_MONTHS_PER_LEAD]
        return (short[0], short[-1]) if short else None

    def short_leads_sentence(self) -> str:
        """'' unless some leads rest on few months; else which, and on how many, from the data's length."""
        leads = self.short_leads()
        if leads is None:
            return ""
        n, (low, high) = self.design.panel.n_months, leads
        most, least = months_per_lead(n, low), months_per_lead(n, high)
        span = (f"a lead of {plural(low, 'month')} rests on at most {plural(most, 'month')} of changes per partner"
                if low == high else f"leads of {low} to {high} months rest on at most {most} down to {least} months "
                                    "of changes per partner")
        return (f"With {n} months of data, {span}, fewer than {MIN_MONTHS_PER_LEAD}: their intervals are wider, so a "
                "long lead is harder to confirm.")

    def seasonal_sentence(self) -> str:
        """'' unless the data are too short to recognise an activity that follows the calendar."""
        n = self.design.panel.n_months
        if n - 1 >= SEASONAL_CHANGES_NEEDED:
            return ""
        return (f"With {n} months of data, an activity that follows the calendar cannot be recognised as such (that "
                f"needs {SEASONAL_CHANGES_NEEDED + 1} months, every month of the year seen twice): the movement shared "
                "by all partners in a month is still taken out, so it cannot pass as leading, but it is reported as "
                "having no relation rather than as seasonal.")

    def constant_sentence(self) -> str:
        """'' unless an indicator never changes; else which, and that it could not be tested."""
        e = self.design.effects
        flat = e[e["verdict"] == "does not vary"]
        if flat.empty:
            return ""
        one = len(flat) == 1
        return (f"{join_words(list(flat['label']))} {'does' if one else 'do'} not vary from month to month, so "
                f"whether {'it leads' if one else 'they lead'} {self.target_label} cannot be tested: "
                f"{'it is' if one else 'they are'} left off the scorecard for want of movement, not for want of data.")

    def baseline_sentence(self) -> str:
        """'' with a year of data; else what the targets' monthly averages rest on."""
        n = self.design.panel.n_months
        if n >= BASELINE_MONTHS:
            return ""
        return (f"The data hold {n} months, so the partners' monthly averages behind the targets cover those {n} "
                f"months, not the last {BASELINE_MONTHS}.")

    def few_partners_sentence(self) -> str:
        """'' unless a target rests on fewer than :data:`~.panel.MIN_PARTNERS` active partners."""
        sc = self.design.scorecard
        rows = [(label, int(n)) for frame in (sc.goals, sc.kpis) if "partners" in frame
                for label, n in zip(frame["label"], frame["partners"]) if 0 < int(n) < MIN_PARTNERS]
        if not rows:
            return ""
        listed = join_words([f"{lower_label(label)} ({plural(n, 'active partner')})" for label, n in rows])
        return (f"Some targets rest on fewer than {MIN_PARTNERS} active partners: {listed}; treat them as a first "
                "estimate.")

    def limits(self) -> list[str]:
        """The limits of this run's data, each a sentence also shown where it applies (empty when none)."""
        notes = [self.short_leads_sentence(), self.seasonal_sentence(), self.constant_sentence(),
                 self.baseline_sentence(), self.few_partners_sentence()]
        return [n for n in notes if n]

    def data_notes(self) -> list[str]:
        """What the reader should know about the data and the guesses made about it."""
        notes = self._quality_notes()
        guessed = self.design.guessed_stages
        if guessed:
            placed = ", ".join(f"{label_of(k)} ({v}{'' if matched_by_keyword(k) else ', by default'})"
                               for k, v in guessed.items())
            notes.append(f"Indicators outside the standard set were placed in a motion by their names: {placed}; one "
                         "whose name says nothing is placed in Sell-With. Check these placements.")
        return notes

    def _quality_notes(self) -> list[str]:
        """The gaps in the data (the design's ``facts``) in words."""
        d = self.design
        panel, facts, target = d.panel, d.facts, d.target
        notes = [f"The partner metrics cover {panel.n_partners:,} partners over {panel.n_months} months "
                 f"({panel.month(0)} to {panel.month(panel.n_months - 1)})."]
        if facts["missing_partner_months"]:
            notes.append(f"{facts['missing_partner_months']:,} partner-months are missing inside "
                         f"{facts['partners_with_gaps']:,} partners' reporting periods; changes across a missing month "
                         "are not used.")
        if facts["short_history"]:
            notes.append(f"{facts['short_history']:,} partners have fewer than {facts['history_needed']} months of history "
                         f"(the longest lag tested, {int(d.params['max_lag'])} months, plus {EXTRA_MONTHS}): they inform the "
                         "shorter lags only.")
        if facts["no_baseline"]:
            notes.append(f"{facts['no_baseline']:,} partners reported fewer than {MIN_BASELINE_MONTHS} of the last "
                         f"{BASELINE_MONTHS} months; they are left out when targets are derived.")
        if facts["missing_target"]:
            notes.append(f"{label_of(target)} is empty in {facts['missing_target']:,} reported partner-months; those "
                         "months are not used.")
        if facts["negative_target"]:
            notes.append(f"{label_of(target)} has negative values, so its changes are measured in its own units, not in "
                         "percent.")
        for name, share in facts["empty_shares"].items():
            if share >= EMPTY_SHARE_NOTED:
                notes.append(f"{label_of(name)} is empty in {share:.0%} of reported partner-months.")
        if facts["silent_partners"]:
            notes.append(f"{facts['silent_partners']:,} partners in the partner list report no monthly metrics.")
        return notes

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        d = self.design
        lead = "|".join(f"{r.indicator}:{int(r.lag_months)}" for r in d.leading.itertuples()) or "-"
        verdicts = "|".join(f"{r.indicator}:{r.verdict}" for r in d.effects[~d.effects["leading"]].itertuples())
        return (f"candidates={len(d.effects)} leading={lead} kpis={len(d.scorecard.kpis)} "
                f"goals={'|'.join(d.scorecard.goals['kpi'])} gaps={'|'.join(g['stage'] for g in d.scorecard.gaps) or '-'} "
                f"not_leading={verdicts}")
