"""The phase, end to end: :func:`design` runs every step and :class:`Design` is what the notebook shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any, Mapping

import pandas as pd

from ..fmt import DASH, plain_number, plural, signed_number
from .declaration import Params
from .funnel import GOAL_COLUMNS, OUTCOME, STAGES, label_of, matched_by_keyword, stage_of
from .lags import LagEstimates, estimate_lags, lower_label, verdict_text
from .panel import Panel, build_panel, candidate_columns, data_quality
from .scorecard import Scorecard, TargetRule, build_scorecard


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
    "too little data": "Have too little data to test",
}


def _threshold(value: float, unit: str, direction: str) -> str:
    text = plain_number(value, whole=unit == "currency", by_size=False)
    return text if text == DASH else f"{'≥' if direction == 'up' else '≤'} {text}"


@dataclass
class Design:
    """The results of one metric design, and what the report shows of them.

    ``effects`` is ``indicator_effects.csv``; ``scorecard`` becomes ``scorecard.yml``.
    """

    target: str
    estimates: LagEstimates
    scorecard: Scorecard
    panel: Panel
    quality_notes: list[str]
    facts: dict
    params: dict[str, Any]
    guessed_stages: dict[str, str] = field(default_factory=dict)

    # -- result files ---------------------------------------------------------------------------

    @property
    def effects(self) -> pd.DataFrame:
        """``indicator_effects.csv``: one row per candidate, strongest first."""
        return self.estimates.effects

    def results(self) -> dict[str, Any]:
        """The phase's result files (the session writes them; ecosystem_reporting reads them)."""
        return {"indicator_effects.csv": self.effects, "scorecard.yml": self.scorecard_yaml()}

    def scorecard_yaml(self) -> str:
        """``scorecard.yml`` as text."""
        return self.scorecard.to_yaml()

    @property
    def leading(self) -> pd.DataFrame:
        return self.effects[self.effects["leading"]]

    @property
    def target_label(self) -> str:
        return label_of(self.target).lower()

    # -- executive summary ----------------------------------------------------------------------

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Indicators tested, leading ones, the strongest lead, KPIs on the scorecard, what to stop measuring."""
        e, lead = self.effects, self.leading
        first = lead.iloc[0] if len(lead) else None
        goals = len(self.scorecard.goals)
        return [
            ("Indicators tested", f"{len(e)}", f"{self.panel.n_partners:,} partners x {self.panel.n_months} months"),
            ("Leading indicators", f"{len(lead)}",
             f"lead {self.target_label} by {_lag_range(lead)}" if len(lead) else "none passed every test"),
            ("Strongest leading indicator", plural(int(first["lag_months"]), "month") if first is not None else "none",
             f"{first['label']}, effect {_effect(first['effect'])}" if first is not None else None),
            ("Scorecard", f"{len(self.scorecard.kpis)} + {goals}",
             f"leading KPIs + lagging goal{'s' if goals != 1 else ''}"),
        ]

    def key_message(self) -> str:
        """The one-sentence answer."""
        lead, n = self.leading, len(self.effects)
        if lead.empty:
            return (f"None of the {n} indicators reported today reliably anticipates {self.target_label}; the scorecard "
                    "starts with the lagging goals, and new leading measures should be collected and tested.")
        names = ", ".join(f"{lower_label(r.label)} ({plural(int(r.lag_months), 'month')} ahead)" for r in lead.itertuples())
        count = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"}.get(len(lead), str(len(lead)))
        verb = "anticipates" if len(lead) == 1 else "anticipate"
        if len(lead) == 1:
            kept = "It becomes the scorecard's leading KPI"
        elif len(self.scorecard.kpis) == len(lead):
            kept = "They become the scorecard's leading KPIs"
        else:
            kept = f"The strongest {len(self.scorecard.kpis)} of them become the scorecard's leading KPIs"
        rest = n - len(lead)
        tail = (f"; the other {rest} should stop being reported as signs of future results." if rest > 1 else
                "; the other one should stop being reported as a sign of future results." if rest == 1 else ".")
        return f"{count} of the {n} indicators {verb} {self.target_label}: {names}. {kept}{tail}"

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        out = []
        for r in self.leading.itertuples():
            out.append(f"{r.label} ({r.funnel_stage}) leads {self.target_label} by {plural(int(r.lag_months), 'month')}: "
                       f"a change in it is followed by a change in {self.target_label} in the "
                       f"{'same' if r.effect > 0 else 'opposite'} direction "
                       f"{plural(int(r.lag_months), 'month')} later (effect {r.effect:+.2f}).")
        if self.leading.empty:
            out.append(f"None of the {len(self.effects)} indicators reliably leads {self.target_label}: the scorecard "
                       "keeps the lagging goals only until better leading measures are collected.")
        by_verdict = self.effects[~self.effects["leading"]].groupby("verdict", sort=False)["label"].apply(list)
        for verdict, labels in by_verdict.items():
            phrase = VERDICT_PHRASES.get(verdict, verdict).format(t=self.target_label)
            out.append(f"{phrase}, so not leading: {', '.join(labels)}.")
        for gap in self.scorecard.gaps:
            out.append(f"{gap['stage']} has no leading KPI in this data. Worth measuring: {gap['measure_next']}.")
        return out

    def question(self) -> str:
        """The question of this phase, with this engagement's numbers."""
        return (f"Which of the {len(self.effects)} activities that partners report every month move "
                f"{self.target_label} later, by how many months, and how sure can we be? The answer decides which "
                f"activities belong on the alliance scorecard as leading KPIs beside the lagging {self.target_label} "
                "goal, and which ones can stop being reported as signs of future results.")

    def method_steps(self) -> list[str]:
        """The method in plain words, with this run's settings."""
        p = self.params
        return [
            "Month-to-month changes, partner by partner. We compare each partner with itself, so a large partner "
            "and a small one count alike, and we take out each partner's own steady trend: an indicator that just "
            "keeps growing (such as a running total) cannot pass for a signal.",
            "The calendar taken out. Whatever moves every partner in the same month (quarter-end pushes, kick-off "
            "seasons, a market shock) is removed before any comparison, so a seasonal activity cannot pass either.",
            f"Leads of 1 to {p['max_lag']} months. For every indicator and every lead time we measure how well its "
            f"changes anticipate the changes of {self.target_label} that many months later, beyond what "
            f"{self.target_label}'s own movement at the time already tells (the effect, from -1 to +1; 0 means no "
            "link).",
            f"Which way it runs. We also test the reverse: does {self.target_label} move first and the indicator "
            "follow (as spend set from last month's results does)? An indicator that follows, or only moves in the "
            f"same month as {self.target_label}, is not leading however strong the link.",
            f"How sure. The whole analysis is repeated on {p['n_bootstrap']} re-drawn portfolios (partners drawn at "
            f"random with replacement). The intervals are widened for having searched {p['max_lag']} lead times of "
            f"{len(self.effects)} indicators, so a chance pattern has only about a {1 - p['confidence']:.0%} chance of "
            "passing for a real one anywhere in the table.",
            f"The verdict. An indicator is leading when its best lead is at least one month, its interval excludes "
            f"zero, its effect is at least {p['min_effect']:.2f} (smaller links are too weak to steer by) and it "
            "beats both the same-month link and the reverse direction.",
        ]

    # -- tables ---------------------------------------------------------------------------------

    def ranking_table(self) -> pd.DataFrame:
        """Every indicator, strongest first: rank, motion, lead, effect, interval, verdict."""
        e = self.effects
        interval = [f"{_effect(lo)} to {_effect(hi)}" if pd.notna(lo) else "–" for lo, hi in zip(e["ci_low"], e["ci_high"])]
        return pd.DataFrame({
            "Rank": e["rank"].astype(int), "Indicator": e["label"], "Motion": e["funnel_stage"],
            "Lead (months)": [str(int(v)) if pd.notna(v) else "–" for v in e["lag_months"]],
            "Effect": e["effect"], "Interval": interval, "Verdict": [verdict_text(v, self.target) for v in e["verdict"]]})

    def funnel_table(self) -> pd.DataFrame:
        """Per motion: what is measured, what leads, what the scorecard keeps."""
        rows = []
        stages = [*STAGES, *([OUTCOME] if (self.effects["funnel_stage"] == OUTCOME).any() else [])]
        kpis = self.scorecard.kpis
        for stage in stages:
            part = self.effects[self.effects["funnel_stage"] == stage]
            lead = part[part["leading"]]
            kept = kpis[kpis["stage"] == stage]["label"].tolist()
            rows.append({"Motion": stage, "Measured": ", ".join(part["label"]) or "nothing",
                         "Leading": ", ".join(f"{r.label} ({int(r.lag_months)} mo)" for r in lead.itertuples()) or "none",
                         "On the scorecard": ", ".join(kept) or "gap: no leading KPI"})
        return pd.DataFrame(rows)

    def goals_table(self) -> pd.DataFrame:
        """The lagging goals: per partner per month, with their thresholds."""
        g = self.scorecard.goals
        return pd.DataFrame({
            "Goal": g["label"], "Median partner": g["baseline"].astype(float),
            "Target (green)": [_threshold(v, u, "up") for v, u in zip(g["green"], g["unit"])],
            "Amber": [_threshold(v, u, "up") for v, u in zip(g["amber"], g["unit"])],
            "Active partners": g["partners"].astype(int)})

    def kpis_table(self) -> pd.DataFrame:
        """The leading KPIs: motion, lead, effect and status thresholds per partner per month."""
        k = self.scorecard.kpis
        return pd.DataFrame({
            "KPI": k["label"], "Motion": k["stage"], "Leads by": [plural(int(v), "month") for v in k["lag_months"]],
            "Effect": k["effect"].astype(float),
            "Median partner": k["baseline"].astype(float),
            "Target (green)": [_threshold(v, u, d) for v, u, d in zip(k["green"], k["unit"], k["direction"])],
            "Amber": [_threshold(v, u, d) for v, u, d in zip(k["amber"], k["unit"], k["direction"])]})

    def stop_table(self) -> pd.DataFrame:
        """Indicators that are not leading, and why, in the client's words."""
        e = self.effects[~self.effects["leading"]]
        return pd.DataFrame({"Indicator": e["label"], "Motion": e["funnel_stage"],
                             "Verdict": [verdict_text(v, self.target) for v in e["verdict"]], "Why": e["reason"]})

    def robustness_table(self) -> pd.DataFrame:
        """Appendix: the lead chosen across resamples, the same-month and reverse links, partners used."""
        e = self.effects
        lag_range = [f"{int(a)}-{int(b)}" if pd.notna(a) and a != b else (str(int(a)) if pd.notna(a) else "–")
                     for a, b in zip(e["lag_low"], e["lag_high"])]
        reverse = [f"{_effect(v)} ({int(k)} mo)" if pd.notna(v) else "–" for v, k in zip(e["reverse_effect"], e["reverse_lag"])]
        return pd.DataFrame({"Indicator": e["label"], "Lead chosen in resamples": lag_range,
                             "Same month": e["same_month_effect"], f"{label_of(self.target)} leads it": reverse,
                             "Partners": e["n_partners"].astype(int)})

    # -- sentences ------------------------------------------------------------------------------

    def scorecard_sentences(self) -> list[str]:
        """How the targets and the status colours were set."""
        rule = self.scorecard.rule
        return [
            f"Targets are per partner per month: {rule.describe()}. Active partners are those with a monthly "
            "average above zero over that year.",
            "A partner's status compares its latest three-month average with the target: green at or beyond the "
            "target, amber within the amber band, red below it.",
            "The leading KPIs are the strongest leading indicators of each motion "
            f"(at most {self.params['kpis_per_stage']} per motion); each is reviewed with its lead time in mind: "
            f"this month's KPI speaks about {self.target_label} that many months from now.",
        ]

    def gap_sentences(self) -> list[str]:
        """Motions without a leading KPI, and what to do about it."""
        return [f"{g['stage']}: {g['note']} Worth measuring: {g['measure_next']}." for g in self.scorecard.gaps]

    def stop_summary(self) -> str:
        """One paragraph introducing the stop list."""
        n = int((~self.effects["leading"]).sum())
        if n == 0:
            return "Every indicator tested leads revenue; nothing needs to come off the list."
        return (f"{n} of the {len(self.effects)} indicators do not anticipate {self.target_label}. They may still "
                "matter for running the partnership (compliance, fund utilisation, programme tiers), but they should "
                "stop being presented as signs of future results: reporting them as such invites the wrong "
                "conversations in the quarterly review.")

    def data_notes(self) -> list[str]:
        """What the reader should know about the data and the guesses made about it."""
        notes = list(self.quality_notes)
        if self.guessed_stages:
            guessed = ", ".join(f"{k} ({v})" for k, v in self.guessed_stages.items())
            notes.append(f"Columns the kit does not know were placed in a motion by their names: {guessed}; a column "
                         "whose name says nothing is placed in Sell-With. Check these placements.")
        return notes

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        lead = "|".join(f"{r.indicator}:{int(r.lag_months)}" for r in self.leading.itertuples()) or "-"
        verdicts = "|".join(f"{r.indicator}:{r.verdict}" for r in self.effects[~self.effects["leading"]].itertuples())
        return (f"candidates={len(self.effects)} leading={lead} kpis={len(self.scorecard.kpis)} "
                f"goals={'|'.join(self.scorecard.goals['kpi'])} gaps={'|'.join(g['stage'] for g in self.scorecard.gaps) or '-'} "
                f"not_leading={verdicts}")


def _lag_range(lead: pd.DataFrame) -> str:
    lags = lead["lag_months"].astype(int)
    return plural(int(lags.min()), "month") if lags.min() == lags.max() else f"{int(lags.min())} to {int(lags.max())} months"


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None) -> Design:
    """Run the whole phase from validated inputs (``partner_metrics``, optionally ``partners``) and parameters."""
    p = Params.complete(params)
    metrics = inputs["partner_metrics"]
    target = str(p["target"])
    candidates = candidate_columns(metrics, target)
    goals = [c for c in GOAL_COLUMNS if c in metrics.columns and c != target]
    panel = build_panel(metrics, [target, *candidates, *goals])
    notes, facts = data_quality(panel, target, candidates, int(p["max_lag"]), inputs.get("partners"))
    estimates = estimate_lags(panel, target, candidates, max_lag=int(p["max_lag"]), n_bootstrap=int(p["n_bootstrap"]),
                              seed=int(p["seed"]), confidence=float(p["confidence"]), min_effect=float(p["min_effect"]))
    rule = TargetRule(str(p["target_method"]), float(p["target_percentile"]), float(p["target_growth"]),
                      float(p["amber_share"]))
    scorecard = build_scorecard(estimates.effects, panel, target, rule, int(p["kpis_per_stage"]))
    guessed = {c: stage_of(c)[0] + ("" if matched_by_keyword(c) else ", by default")
               for c in candidates if not stage_of(c)[1]}
    return Design(target, estimates, scorecard, panel, notes, facts, p, guessed)
