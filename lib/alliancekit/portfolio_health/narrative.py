"""The report's words and display tables, built from the computed :class:`~.phase.Review`.

:func:`~.phase.review` computes the health of every alliance; :class:`Narrative` says it to the
client: headline figures, findings, the stability of the segments in words, the tables under
the client's headings with their formats, and the data notes. Keeping the wording here lets the
computation be tested, reused and cached without the report, and lets a sentence change
without touching a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .. import report
from ..fmt import compact_number, join_words, plural, signed_percent
from .actions import ACTIONS, EXIT_REVIEW
from .features import MIN_MONTHS, WINDOW, macro_name
from .phase import Review
from .previous import SAME, NEW, ended
from .scoring import COMPONENT_DESCRIPTIONS, WIN_RATE_PRIOR_DEALS, ZERO_WHEN_MISSING

#: A segment with fewer alliances than this is described by those alliances' own figures, not a
#: pattern: the report says so beside the segment profiles.
MIN_SEGMENT_SIZE = 3

#: Report formats of the delivered columns (see :mod:`alliancekit.report`).
FORMATS: dict[str, Any] = {
    "health_score": "{:.0f}", "revenue_ttm": "{:,.0f}", "revenue_prev_12m": "{:,.0f}", "open_pipeline": "{:,.0f}",
    "revenue_yoy": signed_percent, "revenue_growth": "{:+.2f}", "revenue_trend": "{:+.1%}", "activity": "{:.2f}",
    "win_rate": "{:.0%}", "pipeline_coverage": "{:.1f}x", "mdf_utilisation": "{:.0%}", "partners": "{:,}",
    "joint_activities_per_month": "{:.1f}",
}

#: Column headings of the report's tables, in the client's language (segments.csv keeps the names).
DISPLAY_LABELS: dict[str, str] = {
    "partner_id": "Partner id", "partner_name": "Partner", "segment": "Segment", "health_score": "Score",
    "revenue_ttm": "12-mo revenue", "revenue_yoy": "Y/Y", "activity": "Activity",
    "action": "Action", "reason": "Reason", "partners": "Alliances", "actions": "Actions",
    "joint_activities_per_month": "Joint activities a month", "previous_segment": "Segment then",
    "previous_action": "Action then",
}
FORMATS.update({DISPLAY_LABELS[k]: v for k, v in list(FORMATS.items()) if k in DISPLAY_LABELS})


def _component_name(name: str) -> str:
    """A score component inside a sentence: 'win rate', 'MDF utilisation'."""
    words = {"revenue_ttm": "revenue size", "revenue_growth": "growth", "revenue_trend": "the monthly trend",
             "pipeline_coverage": "pipeline coverage", "win_rate": "win rate", "mdf_utilisation": "MDF utilisation",
             "activity": "activity"}
    return words.get(name, name.replace("_", " "))


def _capital(text: str) -> str:
    """The first letter upper case, the rest as written ('MDF utilisation' stays)."""
    return text[:1].upper() + text[1:]


def _labelled(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The given columns (those present) under their client headings, index dropped."""
    shown = frame[[c for c in columns if c in frame.columns]].reset_index(drop=True)
    return shown.rename(columns=DISPLAY_LABELS)


@dataclass
class Narrative:
    """The portfolio health review in words and display form, for the report (``Narrative(review)``).

    ``profile`` and ``exits`` are the report versions of the review's segment profile and
    exit candidates (client headings, at most seven columns so they fit a portrait page; the
    year-on-year change of a single alliance is in its reason); ``formats`` are the report
    formats of every table's columns.
    """

    review: Review
    formats: dict[str, Any] = field(default_factory=lambda: dict(FORMATS))

    @property
    def profile(self) -> pd.DataFrame:
        """Segment profiles for the report: name, size, median score, revenue, change, activity, actions.

        Table notes: what the change compares with when the data hold less than two years, and
        the segments too small to show a pattern.
        """
        shown = self._relabel(_labelled(self.review.segment_profile, ["segment", "partners", "health_score", "revenue_ttm",
                                                                      "revenue_yoy", "joint_activities_per_month",
                                                                      "actions"]))
        if MIN_MONTHS <= self.previous_months < WINDOW:  # not a year on year change: the note says what it is
            shown = report.annotate(shown.rename(columns={DISPLAY_LABELS["revenue_yoy"]: "Change"}),
                                    formats={"Change": FORMATS["revenue_yoy"]})
        return report.annotate(shown, [self._ttm_sentence(), self._new_segment_sentence(), self._growth_sentence(),
                                       self._small_segments_sentence()])

    @property
    def exits(self) -> pd.DataFrame:
        """Exit-review candidates for the report, weakest first."""
        shown = _labelled(self.review.exit_candidates, ["partner_name", "segment", "health_score", "revenue_ttm", "reason"])
        return report.annotate(self._relabel(shown), self._reason_notes())

    # -- what the figures rest on ------------------------------------------------------------------

    @property
    def _attrs(self) -> dict:
        return self.review.features.attrs

    @property
    def current_months(self) -> int:
        """Months of the last 12 the data cover (12 with a year or more of data)."""
        return int(self._attrs.get("current_months", WINDOW) or 0)

    @property
    def previous_months(self) -> int:
        """Months of the 12 before the last 12 the data cover."""
        return int(self._attrs.get("previous_months", WINDOW) or 0)

    @property
    def ttm_label(self) -> str:
        """The period of the revenue figures: 'last 12 months', or 'last 9 months' when the data hold only 9."""
        return f"last {min(self.current_months or WINDOW, WINDOW)} months"

    def _ttm_sentence(self) -> str:
        """'' with a year of data; else what the 12-month revenue, the trend and the activity rest on."""
        cur = self.current_months
        if not cur or cur >= WINDOW:
            return ""
        return (f"The data hold {cur} months, so revenue, activity and the monthly trend cover those {cur} months, "
                f"not a full 12.")

    def _new_segment_sentence(self) -> str:
        """'' unless a segment is named new only because the data hold less than a year."""
        cur = self.current_months
        if not 0 < cur < WINDOW or "New, ramping up" not in " ".join(self.review.segmentation.names.values()):
            return ""
        return (f"With {cur} months in the data, every alliance shows less than a year of history, so a segment "
                "named new may hold established alliances: check their start dates.")

    def _growth_sentence(self) -> str:
        """'' when growth compares two full years; else what it compares, from the data."""
        cur, prev = self.current_months, self.previous_months
        if not cur:
            return ""
        if prev < MIN_MONTHS:
            if cur < WINDOW:
                return (f"With {cur} months of data there is no earlier period to compare with: growth is left out "
                        "of every score and no change is shown.")
            return (f"The data hold only {prev} month{'s' if prev != 1 else ''} before the last 12, fewer than the "
                    f"{MIN_MONTHS} a comparison needs: growth is left out of every score and no change is shown.")
        if prev < WINDOW:
            return (f"Growth compares the average month of the last 12 months with the average month of the {prev} "
                    f"months before them, the only earlier months in the data, not with a full previous year.")
        short = self._attrs.get("short_previous") or {}
        k = int(short.get("partners", 0))
        if k:
            span = (f"{short['fewest']}" if short["fewest"] == short["most"]
                    else f"{short['fewest']} to {short['most']}")
            return (f"For {k:,} alliance{'s' if k != 1 else ''} that started during the previous year, growth compares "
                    f"the average month of the last 12 months with the average month of the {span} months "
                    f"{'it' if k == 1 else 'they'} reported before them.")
        return ""

    @property
    def _change_phrase(self) -> str:
        """How a change of revenue is named: 'year on year', or against the months the data hold."""
        prev = self.previous_months
        if MIN_MONTHS <= prev < WINDOW:
            return f"against the {prev} months before"
        return "year on year"

    def _small_segments_sentence(self) -> str:
        """'' unless a segment has fewer than :data:`MIN_SEGMENT_SIZE` alliances."""
        seg = self.review.segmentation
        counts = seg.labels.value_counts()
        small = [(seg.names[s], int(counts.get(s, 0))) for s in sorted(seg.names) if counts.get(s, 0) < MIN_SEGMENT_SIZE]
        if not small:
            return ""
        listed = join_words([f"{name} ({n} alliance{'s' if n != 1 else ''})" for name, n in small])
        one = len(small) == 1
        return (f"{listed} {'is' if one else 'are'} too small to show a pattern: {'its' if one else 'their'} medians "
                f"are the figures of {'its' if one else 'their'} own alliances.")

    def _macro_sentence(self) -> str:
        """'' when regional economic data were given; else what the reasons leave out."""
        if any(c.startswith("macro_") for c in self.review.features.columns):
            return ""
        return ("No regional economic data were given, so the reasons do not weigh market headwinds in the "
                "alliances' regions.")

    def _reason_notes(self) -> list[str]:
        """Notes under the tables whose reasons speak of change year on year."""
        notes = [self._ttm_sentence()]
        if MIN_MONTHS <= self.previous_months < WINDOW:
            notes.append(f"In the reasons, a change 'year on year' compares the average month of the last 12 months "
                         f"with the average month of the {self.previous_months} months before them, the only earlier "
                         "months in the data.")
        else:
            notes.append(self._growth_sentence())
        notes.append(self._macro_sentence())
        return [n for n in notes if n]

    def _few_deals_sentence(self) -> str:
        """'' unless some alliances' win rates rest on fewer closed deals than the score's pretend deals."""
        closed = pd.to_numeric(self.review.features["deals_closed"], errors="coerce")
        few = int(((closed > 0) & (closed < WIN_RATE_PRIOR_DEALS)).sum())
        if not few or self.review.weights.get("win_rate", 0) <= 0:
            return ""
        return (f"{few:,} alliance{'s have' if few != 1 else ' has'} fewer than {WIN_RATE_PRIOR_DEALS} closed deals; "
                f"before ranking, {'their win rates are' if few != 1 else 'its win rate is'} pulled toward the "
                f"portfolio's overall rate as if {WIN_RATE_PRIOR_DEALS} more deals had closed at that rate, so a win "
                "rate on a handful of deals does not outrank a proven one.")

    def _missing_components_sentences(self) -> list[str]:
        """Components that count for no alliance or only for some, and where their weight went."""
        f = self.review.features
        out = []
        missing_everywhere, missing_some = [], []
        for name, w in self.review.weights.items():
            if w <= 0 or name in ZERO_WHEN_MISSING:
                continue
            values = pd.to_numeric(f[name], errors="coerce") if name in f else pd.Series(np.nan, index=f.index)
            absent = int(values.isna().sum())
            if absent == len(f) and len(f):
                missing_everywhere.append(_component_name(name))
            elif absent:
                missing_some.append((_component_name(name), absent))
        if missing_everywhere:
            one = len(missing_everywhere) == 1
            out.append(f"{_capital(join_words(missing_everywhere))} {'counts' if one else 'count'} for no alliance "
                       f"(nothing in the data to measure {'it' if one else 'them'}), so {'its weight was' if one else 'their weights were'} "
                       "shared among the other components in proportion.")
        for name, absent in missing_some:
            out.append(f"{_capital(name)} is missing for {absent:,} of {len(f):,} alliances; their scores rest on "
                       "the other components, weighted in proportion.")
        return out

    def limits(self) -> list[str]:
        """The limits of this run's data, each a sentence also shown where it applies (empty when none).

        Components missing for some alliances are in the data notes and under the weights table.
        """
        notes = [self._ttm_sentence(), self._new_segment_sentence(), self._growth_sentence(), self._weights_sentence(),
                 self._few_deals_sentence(), self._small_segments_sentence(), self._macro_sentence()]
        return list(dict.fromkeys(n for n in notes if n))

    def _weights_sentence(self) -> str:
        """'' unless the weights given were rescaled to add up to 100%."""
        given, used = self._given_weights()
        return report.rescaled_sentence(given, used, "health-score weights")

    def _given_weights(self) -> tuple[list[float], list[float]]:
        r = self.review
        given = dict(r.params.get("weights") or {})
        names = list(r.weights)
        return [float(given.get(k, r.weights[k])) for k in names], [float(r.weights[k]) for k in names]

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Key figures: alliances reviewed, revenue, segments, median health, exit-review count."""
        r = self.review
        n = len(r.features)
        revenue = pd.to_numeric(r.features["revenue_ttm"], errors="coerce").sum()
        exits = len(r.exit_candidates)
        stab = r.segmentation.stability
        return [
            ("Alliances reviewed", f"{n:,}", f"as of {r.as_of}" if r.as_of else None),
            (f"Revenue, {self.ttm_label}", compact_number(revenue),
             "all the months in the data" if 0 < self.current_months < WINDOW else None),
            ("Segments", f"{r.segmentation.k}", f"stability {stab:.2f}" if np.isfinite(stab) else None),
            ("Median health score", f"{r.scores.median():.0f}", "0-100, relative to the portfolio"),
            ("Exit-review candidates", f"{exits:,}", f"{exits / n:.0%} of alliances" if n else None),
        ]

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        r = self.review
        f = r.features
        revenue = pd.to_numeric(f["revenue_ttm"], errors="coerce").fillna(0.0)
        total = revenue.sum()
        out = []
        by_seg = revenue.groupby(r.segmentation.labels.reindex(f.index)).sum()
        for s, name in sorted(r.segmentation.names.items()):
            members = r.segmentation.labels == s
            growth = pd.to_numeric(f.loc[members, "revenue_yoy"], errors="coerce").median()
            share = by_seg.get(s, 0.0) / total if total > 0 else float("nan")
            growth_text = f", median change {self._change_phrase} {growth:+.0%}" if np.isfinite(growth) else ""
            share_text = f" and {share:.0%} of revenue" if np.isfinite(share) else ""
            out.append(f"{name}: {int(members.sum()):,} alliances{share_text}{growth_text}.")
        counts = r.actions["action"].value_counts()
        mix = ", ".join(f"{a} {int(counts.get(a, 0)):,}" for a in ACTIONS)
        out.append(f"Recommended actions: {mix}.")
        exit_ids = r.actions.index[r.actions["action"] == EXIT_REVIEW]
        if len(exit_ids) and total > 0:
            out.append(f"The {len(exit_ids):,} exit-review candidates earned {revenue.loc[exit_ids].sum() / total:.1%} "
                       f"of the portfolio's revenue over the {self.ttm_label}.")
        yoy = pd.to_numeric(f["revenue_yoy"], errors="coerce")
        declining, compared = int((yoy < 0).sum()), int(yoy.notna().sum())
        prev = self.previous_months
        if MIN_MONTHS <= prev < WINDOW:
            out.append(f"{declining:,} of {compared:,} alliances earned less in an average month of the last 12 months "
                       f"than in an average month of the {prev} months before them, the only earlier months in the data.")
        elif compared:
            of = f"{compared:,}" + (f" alliances compared (of {len(f):,})" if compared < len(f) else " alliances")
            out.append(f"{declining:,} of {of} earned less than in the previous 12 months.")
        else:
            out.append(self._growth_sentence() or "No alliance has revenue in both years to compare.")
        return out

    def weights_table(self) -> pd.DataFrame:
        """Components: what they measure and their weights.

        One "Weight" column when the weights used are the ones given; "Weight given" and "Weight
        used" when the given ones were scaled to add up to 100%. Table notes: the rescaling, what
        growth and the trend rest on when the data hold less than two years, components that
        count for no alliance or only some, win rates on few deals.
        """
        weights = self.review.weights
        descriptions = [self._description(k) for k in weights]
        given, used = self._given_weights()
        table = report.weights_view(pd.DataFrame({"What it measures": descriptions}), given, used,
                                    "health-score weights")
        return report.annotate(table, [self._ttm_sentence(), self._growth_sentence(),
                                       *self._missing_components_sentences(), self._few_deals_sentence()])

    def _description(self, name: str) -> str:
        """What a component measures, with the periods the data hold."""
        prev, cur = self.previous_months, self.current_months
        if name == "revenue_growth" and MIN_MONTHS <= prev < WINDOW:
            return f"Revenue growth, average month of the last 12 months against the {prev} months before"
        if name in ("revenue_ttm", "revenue_trend") and 0 < cur < WINDOW:
            return COMPONENT_DESCRIPTIONS[name].replace("last 12 months", f"{cur} months in the data")
        return COMPONENT_DESCRIPTIONS.get(name, f"{name.replace('_', ' ').capitalize()} (higher is healthier)")

    def stability_sentence(self) -> str:
        """The stability of the segments in words."""
        seg = self.review.segmentation
        if not np.isfinite(seg.stability):
            return (f"The portfolio is described by {seg.k} segment{'s' if seg.k != 1 else ''}; "
                    "it is too small to measure how stable the grouping is.")
        word = ("very stable" if seg.stability >= 0.85 else "stable" if seg.stability >= 0.75
                else "moderately stable" if seg.stability >= 0.6 else "unstable: treat the boundaries as indicative")
        return (f"Re-running the grouping on {len(seg.stability_runs)} resampled portfolios reproduced it with an "
                f"average adjusted Rand index of {seg.stability:.2f} (1 = identical): the segments are {word}.")

    def _display(self, frame: pd.DataFrame) -> pd.DataFrame:
        return self._relabel(_labelled(frame, ["partner_name", "segment", "health_score", "revenue_ttm", "action", "reason"]))

    def _relabel(self, shown: pd.DataFrame) -> pd.DataFrame:
        """The revenue heading with the months the data hold, when fewer than 12."""
        cur, label = self.current_months, DISPLAY_LABELS["revenue_ttm"]
        if not 0 < cur < WINDOW or label not in shown.columns:
            return shown
        return report.annotate(shown.rename(columns={label: f"{cur}-mo revenue"}),
                               formats={f"{cur}-mo revenue": FORMATS["revenue_ttm"]})

    def top(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` healthiest alliances."""
        return report.annotate(self._display(self.review.table.head(n)), self._reason_notes())

    def action_list(self) -> pd.DataFrame:
        """Every alliance with its segment, score, action and reason, healthiest first."""
        return report.annotate(self._display(self.review.table), self._reason_notes())

    def k_scores(self) -> pd.DataFrame:
        """Silhouette per number of segments, with the chosen one marked."""
        seg = self.review.segmentation
        s = seg.scores.reset_index()
        return pd.DataFrame({"Segments": s["k"].astype(int), "Silhouette": s["silhouette"],
                             "Chosen": np.where(s["k"] == seg.k, "yes", "")})

    def data_notes(self) -> list[str]:
        """What the reader should know about gaps in the data."""
        f = self.review.features
        notes = []
        no_metrics = int(f["revenue_ttm"].isna().sum())
        if no_metrics:
            notes.append(f"{no_metrics:,} alliances have no monthly metrics; they score 0 on revenue and activity.")
        short = int((f["revenue_ttm"].notna() & f["revenue_growth"].isna()).sum())
        if short and self.previous_months >= MIN_MONTHS:
            notes.append(f"{short:,} alliances lack a year-on-year comparison (less than {MIN_MONTHS} months of history "
                         "in the previous 12 months, or no revenue in either year); growth is left out of their score.")
        no_deals = int((f["deals_closed"] == 0).sum())
        if no_deals:
            notes.append(f"{no_deals:,} alliances have no closed deals; win rate is left out of their score.")
        if f["mdf_utilisation"].isna().all():
            notes.append("No MDF allocations were reported; MDF utilisation is left out of every score.")
        acts = f.attrs.get("activity_columns")
        if acts is not None and not acts:
            notes.append("No activity columns were reported; activity is left out.")
        macro = [c for c in f.columns if c.startswith("macro_")]
        if macro:
            names = [macro_name(c) for c in macro]
            notes.append(f"Macro factors ({', '.join(names)}) are for each partner's region, "
                         f"year {f.attrs.get('macro_year')} or the latest earlier year.")
        return notes

    # -- the verdict rules and the previous review ------------------------------------------------

    def rules_table(self) -> pd.DataFrame:
        """The thresholds that decided every segment name and action, with this review's values."""
        rules = self.review.rules

        def money(v: float) -> str:
            return f"{compact_number(v)} a month"

        rows = [
            ("Reference level", f"Monthly revenue of a typical alliance ({rules.reference_from})",
             money(rules.reference_revenue)),
            ("Quiet", "Joint activities a month (registrations, joint accounts, proposals, campaigns, enablement) "
                      "at or below", f"{rules.dormant_activities:g}"),
            ("Dormant: exit review", "Quiet, with monthly revenue at or below this level (a share of the reference "
                                     "or a set floor, the larger), not growing fast, a year of history",
             money(rules.dormant_revenue)),
            ("Declining: fix", "Revenue change a year at or below, or a monthly trend at or below",
             f"{rules.decline:+.0%}; {rules.fix_trend:+.0%} a month"),
            ("Growing: invest when not quiet", "Revenue change a year at least", f"{rules.growth:+.0%}"),
            ("Growing fast", "Revenue change a year at least", f"{rules.fast_growth:+.0%}"),
            ("Large / small", "Monthly revenue at least / at most (1.5 times the reference / the reference over 1.5)",
             f"{compact_number(rules.large_revenue)} / {compact_number(rules.small_revenue)}"),
        ]
        return report.annotate(pd.DataFrame(rows, columns=["Verdict", "Rule", "Threshold"]), [
            "Each alliance is judged on its own figures against these thresholds: its verdict does not change "
            "because other alliances changed. Growth compares the average month of the last 12 months with the "
            "average month of the 12 before."])

    def since_last_review(self) -> list[str]:
        """What changed since the previous review, in sentences (empty without one)."""
        r = self.review
        prev = r.previous
        if prev is None:
            return []
        table = r.table
        before_names = sorted(set(prev.table["segment"].astype(str)))
        kept = [r.segmentation.names[s] for s in sorted(r.kept)]
        new = [n for s, n in sorted(r.segmentation.names.items()) if s not in r.kept]
        gone = [n for n in before_names if n not in set(r.kept.values())]
        k_then, k_now = len(before_names), r.segmentation.k
        out = [f"Compared with the review of {prev.as_of}: {plural(k_then, 'segment')} then, {k_now} now"
               + (" (the same number)" if k_then == k_now else "") + "."]
        if kept and not new and not gone:
            out.append("Every segment kept its profile and its name.")
        else:
            parts = []
            if kept:
                parts.append(f"kept their profile and name: {join_words(kept)}")
            if new:
                parts.append(f"new or changed: {join_words(new)}")
            if gone:
                parts.append(f"no longer seen: {join_words(gone)}")
            out.append(_capital("; ".join(parts)) + ".")
        if r.rules.reference_from == "previous review":
            out.append(f"Size and dormancy are measured against the same reference level as then: "
                       f"{compact_number(r.rules.reference_revenue)} a month.")
        both = table[table["change"] != NEW]
        same = int((both["change"] == SAME).sum())
        moved = int(both["previous_segment"].ne(both["segment"]).sum())
        acted = int(both["previous_action"].ne(both["action"]).sum())
        out.append(f"Of the {len(both):,} alliances in both reviews, {same:,} kept their segment and action; "
                   f"{moved:,} changed segment and {acted:,} changed action.")
        exits_now = both["action"] == EXIT_REVIEW
        still = int((exits_now & (both["previous_action"] == EXIT_REVIEW)).sum())
        then = prev.table["action"] == EXIT_REVIEW
        out.append(f"Exit-review candidates: {int((table['action'] == EXIT_REVIEW).sum()):,} now; {still:,} of them "
                   f"were candidates last time too; {int(then.sum()) - still:,} of last review's "
                   f"{int(then.sum()):,} are no longer.")
        added, gone_ids = int((table["change"] == NEW).sum()), ended(table, prev)
        if added or len(gone_ids):
            out.append(f"{plural(added, 'alliance')} new since the last review; {plural(len(gone_ids), 'alliance')} "
                       "of the last review no longer in the data"
                       + (f" ({join_words(gone_ids['partner_name'].astype(str).head(10).tolist())}"
                          + (", ..." if len(gone_ids) > 10 else "") + ")" if len(gone_ids) else "") + ".")
        return out

    def changes(self) -> pd.DataFrame:
        """Alliances whose segment or action changed since the previous review, then the new ones."""
        t = self.review.table
        if "change" not in t:
            return pd.DataFrame()
        changed = t[t["change"] != SAME].assign(_new=lambda x: x["change"] == NEW)
        changed = changed.sort_values(["_new", "health_score", "partner_id"], ascending=[True, False, True],
                                      kind="stable")
        changed = changed.assign(previous_segment=changed["previous_segment"].where(~changed["_new"], "new"),
                                 previous_action=changed["previous_action"].where(~changed["_new"], "new"))
        shown = _labelled(changed, ["partner_name", "previous_segment", "segment", "previous_action", "action", "reason"])
        return report.annotate(shown, self._reason_notes())

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        r = self.review
        counts = r.actions["action"].value_counts()
        top = r.table["partner_id"].iloc[0] if len(r.table) else "-"
        return (f"partners={len(r.features)} k={r.segmentation.k} "
                f"segments={'|'.join(r.segmentation.names[s] for s in sorted(r.segmentation.names))} "
                f"actions={'|'.join(f'{a}:{int(counts.get(a, 0))}' for a in ACTIONS)} top={top}")
