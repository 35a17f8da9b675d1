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

from ..fmt import compact_number, signed_percent
from .actions import ACTIONS
from .features import MIN_MONTHS
from .phase import Review
from .scoring import COMPONENT_DESCRIPTIONS

#: Report formats of the delivered columns (see :mod:`alliancekit.report`).
FORMATS: dict[str, Any] = {
    "health_score": "{:.0f}", "revenue_ttm": "{:,.0f}", "revenue_prev_12m": "{:,.0f}", "open_pipeline": "{:,.0f}",
    "revenue_yoy": signed_percent, "revenue_growth": "{:+.2f}", "revenue_trend": "{:+.1%}", "activity": "{:.2f}",
    "win_rate": "{:.0%}", "pipeline_coverage": "{:.1f}x", "mdf_utilisation": "{:.0%}", "partners": "{:,}",
}

#: Column headings of the report's tables, in the client's language (segments.csv keeps the names).
DISPLAY_LABELS: dict[str, str] = {
    "partner_id": "Partner id", "partner_name": "Partner", "segment": "Segment", "health_score": "Score",
    "revenue_ttm": "12-mo revenue", "revenue_yoy": "Y/Y", "activity": "Activity",
    "action": "Action", "reason": "Reason", "partners": "Alliances", "actions": "Actions",
}
#: Macro factors as the report names them.
MACRO_NAMES: dict[str, str] = {"it_spend_growth": "IT spend growth", "gdp_growth": "GDP growth"}
FORMATS.update({DISPLAY_LABELS[k]: v for k, v in list(FORMATS.items()) if k in DISPLAY_LABELS})


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
        """Segment profiles for the report: name, size, median score, revenue, change, activity, actions."""
        return _labelled(self.review.segment_profile, ["segment", "partners", "health_score", "revenue_ttm",
                                                       "revenue_yoy", "activity", "actions"])

    @property
    def exits(self) -> pd.DataFrame:
        """Exit-review candidates for the report, weakest first."""
        return _labelled(self.review.exit_candidates, ["partner_name", "segment", "health_score", "revenue_ttm", "reason"])

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Key figures: alliances reviewed, revenue, segments, median health, exit-review count."""
        r = self.review
        n = len(r.features)
        revenue = pd.to_numeric(r.features["revenue_ttm"], errors="coerce").sum()
        exits = len(r.exit_candidates)
        stab = r.segmentation.stability
        return [
            ("Alliances reviewed", f"{n:,}", f"as of {r.as_of}" if r.as_of else None),
            ("Revenue, last 12 months", compact_number(revenue), None),
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
            growth_text = f", median change year on year {growth:+.0%}" if np.isfinite(growth) else ""
            share_text = f" and {share:.0%} of revenue" if np.isfinite(share) else ""
            out.append(f"{name}: {int(members.sum()):,} alliances{share_text}{growth_text}.")
        counts = r.actions["action"].value_counts()
        mix = ", ".join(f"{a} {int(counts.get(a, 0)):,}" for a in ACTIONS)
        out.append(f"Recommended actions: {mix}.")
        exit_ids = r.actions.index[r.actions["action"] == "exit review"]
        if len(exit_ids) and total > 0:
            out.append(f"The {len(exit_ids):,} exit-review candidates earned {revenue.loc[exit_ids].sum() / total:.1%} "
                       "of the portfolio's revenue over the last 12 months.")
        declining = int((pd.to_numeric(f["revenue_yoy"], errors="coerce") < 0).sum())
        out.append(f"{declining:,} of {len(f):,} alliances earned less than in the previous 12 months.")
        return out

    def weights_table(self) -> pd.DataFrame:
        """Components: what they measure and their weights."""
        weights = self.review.weights
        return pd.DataFrame({"What it measures": [COMPONENT_DESCRIPTIONS.get(k, f"{k.replace('_', ' ').capitalize()} "
                                                                          "(higher is healthier)") for k in weights],
                             "Weight": list(weights.values())})

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
        return _labelled(frame, ["partner_name", "segment", "health_score", "revenue_ttm", "action", "reason"])

    def top(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` healthiest alliances."""
        return self._display(self.review.table.head(n))

    def action_list(self) -> pd.DataFrame:
        """Every alliance with its segment, score, action and reason, healthiest first."""
        return self._display(self.review.table)

    def k_scores(self) -> pd.DataFrame:
        """Silhouette per number of segments, with the chosen one marked."""
        seg = self.review.segmentation
        s = seg.scores.reset_index()
        return pd.DataFrame({"segments": s["k"].astype(int), "silhouette": s["silhouette"],
                             "chosen": np.where(s["k"] == seg.k, "yes", "")})

    def data_notes(self) -> list[str]:
        """What the reader should know about gaps in the data."""
        f = self.review.features
        notes = []
        no_metrics = int(f["revenue_ttm"].isna().sum())
        if no_metrics:
            notes.append(f"{no_metrics:,} alliances have no monthly metrics; they score 0 on revenue and activity.")
        short = int((f["revenue_ttm"].notna() & f["revenue_growth"].isna()).sum())
        if short:
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
            names = [MACRO_NAMES.get(c[6:], c[6:].replace("_", " ")) for c in macro]
            notes.append(f"Macro factors ({', '.join(names)}) are for each partner's region, "
                         f"year {f.attrs.get('macro_year')} or the latest earlier year.")
        return notes

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        r = self.review
        counts = r.actions["action"].value_counts()
        top = r.table["partner_id"].iloc[0] if len(r.table) else "-"
        return (f"partners={len(r.features)} k={r.segmentation.k} "
                f"segments={'|'.join(r.segmentation.names[s] for s in sorted(r.segmentation.names))} "
                f"actions={'|'.join(f'{a}:{int(counts.get(a, 0))}' for a in ACTIONS)} top={top}")
