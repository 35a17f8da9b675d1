"""The staff review in words and display tables: ``Narrative(review)``.

Every sentence is built from the :class:`~.phase.StaffReview` it describes. Candidate names and
staff names appear only here, in a report marked strictly confidential; partner feedback on
alliance managers appears as respondent counts of a theme, never as a quote, and only when at
least ``min_respondents_per_theme`` partner respondents raised it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import report
from ..fmt import compact_number, join_words, percent, plural
from .effectiveness import MEASURES, MIN_CLOSED, RIDGE_ALPHA
from .phase import CONCENTRATION, DEVELOPMENT, StaffReview

#: A result this many standard deviations from what the mix predicts is a strength or a risk.
NOTABLE = 0.4
#: Display formats of the manager table.
FORMATS = {"Revenue, 12 months": compact_number, "Against the mix": lambda v: f"{v:+.2f}" if pd.notna(v) else "–",
           "Workload": lambda v: percent(v)}


def _signed(value: float, unit: str) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:+.0f} points" if unit == "points" else f"{value * 100:+.0f} pp"


def _value(value: float, unit: str) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:.0f}" if unit == "points" else percent(value)


@dataclass
class Narrative:
    """The report's words for one :class:`StaffReview`."""

    review: StaffReview

    # ------------------------------------------------------------------ summary
    @property
    def managers(self) -> pd.DataFrame:
        return self.review.managers.managers

    def judged(self) -> pd.DataFrame:
        """The people ranked against the mix (enough partners), best first."""
        m = self.managers
        return m[m["rank_vs_mix"].notna()] if len(m) else m

    def headline_figures(self) -> list[tuple[str, object, str | None]]:
        r = self.review
        m = self.managers
        n_partners = int(r.managers.partners["partner_id"].nunique()) if len(r.managers.partners) else 0
        over = int((r.load["status"] == "overloaded").sum()) if r.load is not None and "status" in r.load else 0
        return [
            ("Alliance managers reviewed", f"{len(m):,}", f"{len(self.judged()):,} with enough partners to rank"),
            ("Partners with a manager", f"{n_partners:,}", f"of {n_partners + len(r.uncovered):,}"),
            ("Partners nobody manages", f"{len(r.uncovered):,}",
             f"{percent(r.uncovered['revenue_ttm'].sum() / r.revenue_total)} of partner revenue" if r.revenue_total > 0 else None),
            ("People overloaded", f"{over:,}", "workload above capacity" if r.load is not None else "no workload data"),
        ]

    def findings(self) -> list[str]:
        """The summary's sentences: the ranking against the mix and where it differs from raw totals."""
        out = []
        judged = self.judged()
        if len(judged):
            best, worst = judged.iloc[0], judged.iloc[-1]
            out.append(f"Against what their partner mix predicts, {best['name']}'s partners do best "
                       f"({best['vs_mix']:+.2f}) and {worst['name']}'s least well ({worst['vs_mix']:+.2f}); "
                       "0 means exactly what partners of the same segment, tier and type achieve elsewhere.")
        flip = self.reversal()
        if flip:
            out.append(flip)
        r = self.review
        if len(r.uncovered):
            top = join_words(r.uncovered["partner_name"].head(3).tolist())
            out.append(f"{plural(len(r.uncovered), 'partner')} have no alliance manager, including {top}.")
        out.extend(self.concentration_sentences())
        if r.shortlist is not None:
            out.extend(r.shortlist.sentences()[:2])
        return out

    def reversal(self) -> str:
        """The pair where raw totals and the mix-adjusted ranking disagree most, in one sentence."""
        judged = self.judged()
        if len(judged) < 2:
            return ""
        best_pair, best_gap = None, 0
        rows = judged.to_dict("records")
        for a in rows:  # a ranks above b against the mix, below b on raw totals
            for b in rows:
                if a["rank_vs_mix"] < b["rank_vs_mix"] and a["rank_raw"] > b["rank_raw"]:
                    gap = (b["revenue_ttm"] - a["revenue_ttm"])
                    if gap > best_gap:
                        best_pair, best_gap = (a, b), gap
        if best_pair is None:
            return "Raw totals and the comparison with the mix rank the managers the same way."
        a, b = best_pair
        ratio = b["revenue_ttm"] / a["revenue_ttm"] if a["revenue_ttm"] > 0 else np.inf
        times = f"{ratio:.1f} times" if np.isfinite(ratio) else "far"
        return (f"{a['name']} ranks above {b['name']} although {b['name']}'s partners earn {times} as much: "
                f"{b['name']}'s partners are of segments, tiers and types that earn more anyway and do "
                f"{'worse than' if b['vs_mix'] < 0 else 'about as well as'} their peers ({b['vs_mix']:+.2f}), while "
                f"{a['name']}'s do better than theirs ({a['vs_mix']:+.2f}).")

    def concentration_sentences(self) -> list[str]:
        """Single points of failure: one person carrying a large share of partner revenue, a role held by one person."""
        r = self.review
        out = []
        if r.revenue_total > 0:
            for m in self.managers.itertuples(index=False):
                share = m.revenue_ttm / r.revenue_total
                if share >= CONCENTRATION:
                    out.append(f"{m.name} manages partners that bring {percent(share)} of partner revenue: "
                               "a single point of failure if they leave; name a deputy for the largest of them.")
        held = r.role_ids.dropna().value_counts()
        single = [r.titles[role] for role in r.titles if held.get(role, 0) == 1 and role != "alliance_director"]
        if single:
            out.append(f"One person each holds the role of {join_words(single)}: no cover for absence or departure.")
        return out

    # ------------------------------------------------------------------ managers
    def method_sentence(self) -> str:
        r = self.review
        return (f"Each manager's partners are compared with partners of the same segment, tier and type covered by "
                f"someone else: a regression on those three characteristics, fitted on the other partners, predicts "
                f"what each partner would achieve under an average manager. The difference is measured in "
                f"standard deviations of the result across the portfolio and averaged over the manager's partners "
                f"and the results available: health score, revenue growth, target attainment and win rate (partners "
                f"with at least {MIN_CLOSED} closed deals). The share of scorecard measures on target is shown "
                "against the mix too, but not added: its goal is the revenue target, already counted, and its "
                f"leading indicators measure activity rather than results. Managers with fewer than "
                f"{r.managers.min_partners} partners are shown but not ranked.")

    def manager_table(self) -> pd.DataFrame:
        """Per manager: partners, the revenue they bring, the result against the mix, both ranks and the workload."""
        m = self.managers
        if m.empty:
            return pd.DataFrame(columns=["Manager"])
        out = pd.DataFrame({"Manager": m["name"], "Partners": m["partners"].astype(int),
                            "Partner mix": [self.mix_text(sid) for sid in m["staff_id"]],
                            "Revenue, 12 months": m["revenue_ttm"], "Against the mix": m["vs_mix"],
                            "Rank, raw totals": m["rank_raw"].astype(int),
                            "Rank, against the mix": m["rank_vs_mix"].map(lambda v: "–" if pd.isna(v) else str(int(v))),
                            "Workload": m["utilisation"]})
        view = self.review.partner_view
        if view is not None:
            by = view.set_index("staff_id")
            out["Partners' rating (survey)"] = [
                f"{by.at[s, 'partner_rating']:.1f} ({int(by.at[s, 'surveyed'])})"
                if s in by.index and by.at[s, "surveyed"] else "–" for s in m["staff_id"]]
        few = m.loc[m["partners"] < self.review.managers.min_partners, "name"].tolist()
        notes = ["Raw totals rank by the revenue of the partners managed; against the mix, by how much better or "
                 "worse those partners do than partners of the same segment, tier and type elsewhere (0: the same)."]
        if view is not None:
            notes.append("Partners' rating: how the partners' own teams rate the relationship (1-5) in the latest "
                         "relationship health survey, on average over the manager's surveyed partners (how many in "
                         "brackets); not part of the ranking.")
        if few:
            notes.append(f"Not ranked, too few partners to judge: {join_words(few)}.")
        return report.annotate(out, notes, FORMATS)

    def mix_text(self, staff_id: str) -> str:
        """A manager's partners by segment, largest group first: '3 Dormant, 2 Large, declining'."""
        partners = self.review.managers.partners
        counts = partners.loc[partners["staff_id"] == staff_id, "segment"].value_counts(sort=False)
        counts = counts.sort_values(ascending=False, kind="stable")
        return ", ".join(f"{n} {segment}" for segment, n in counts.items())

    def results_table(self) -> pd.DataFrame:
        """Per manager and result: the partners' average, and in brackets what their mix predicts."""
        m = self.managers
        if m.empty:
            return pd.DataFrame(columns=["Manager"])
        out = pd.DataFrame({"Manager": m["name"]})
        for measure, (label, unit) in MEASURES.items():
            out[label] = [f"{_value(a, unit)} ({_value(e, unit)})" for a, e in zip(m[measure], m[f"expected_{measure}"])]
        return report.annotate(out, ["Each result: the manager's partners on average, and in brackets what the mix "
                                     f"predicts for them. Win rate: partners with at least {MIN_CLOSED} closed deals."])

    def person_findings(self) -> list[str]:
        """Per person: strengths, risks and a development focus against the competency model."""
        r = self.review
        names = {c.id: c.name for c in r.competencies.competencies}
        spread = r.managers.spread
        out = []
        for m in self.managers.to_dict("records"):
            strong, weak = [], []
            for measure, (label, unit) in MEASURES.items():
                gap = m[f"gap_{measure}"]
                if not np.isfinite(gap) or spread[measure] <= 0:
                    continue
                text = f"{label.lower()} {_signed(gap, unit)} against the mix"
                if gap / spread[measure] >= NOTABLE:
                    strong.append(text)
                elif gap / spread[measure] <= -NOTABLE:
                    weak.append((gap / spread[measure], measure, text))
            parts = [f"{m['name']} ({plural(int(m['partners']), 'partner')})"]
            parts.append("strengths: " + join_words(strong) if strong else "no result clearly above the mix")
            if weak:
                parts.append("risks: " + join_words([t for _, _, t in sorted(weak)]))
            util = m.get("utilisation", np.nan)
            if np.isfinite(util) and r.load is not None and util > 1.0:
                parts.append(f"workload at {percent(util)} of capacity")
            if weak:
                focus = [names[c] for c in DEVELOPMENT[sorted(weak)[0][1]] if c in names]
                if focus:
                    parts.append("development focus: " + join_words(focus).lower())
            elif m["partners"] < r.managers.min_partners:
                parts.append("too few partners to judge")
            out.append("; ".join(parts) + ".")
        return out

    def chart(self, palette=None) -> Figure:
        """Each manager's result against the mix (bars), with the raw revenue they manage (labels)."""
        m = self.managers.iloc[::-1].reset_index(drop=True)
        fig = Figure(figsize=(7, 0.45 * max(len(m), 1) + 1.2))
        ax = fig.add_subplot()
        if m.empty:
            ax.axis("off")
            return fig
        values = m["vs_mix"].fillna(0).to_numpy(dtype=float)
        primary = (palette or ["#0B3D91"])[0]
        colors = np.where(values >= 0, primary, "#C44536")
        y = np.arange(len(m))
        ax.barh(y, values, color=colors, height=0.6)
        ax.axvline(0, color="#7A869A", lw=1)
        for yi, v, rev in zip(y, values, m["revenue_ttm"]):
            ax.text(v + (0.02 if v >= 0 else -0.02), yi, f"{v:+.2f}  ({compact_number(rev)} revenue)",
                    va="center", ha="left" if v >= 0 else "right", fontsize=7.5, color="#1F2733")
        ax.set_yticks(y, m["name"], fontsize=8)
        lim = max(0.5, float(np.abs(values).max()) * 1.9)
        ax.set_xlim(-lim, lim)
        ax.set_xlabel("Result against what the partner mix predicts (standard deviations)")
        ax.grid(axis="y", visible=False)
        return fig

    # ------------------------------------------------------------------ team
    def uncovered_table(self) -> pd.DataFrame:
        u = self.review.uncovered.head(10)
        return report.annotate(pd.DataFrame({"Partner": u["partner_name"], "Tier": u["tier"],
                                             "Revenue, 12 months": u["revenue_ttm"]}), [], FORMATS)

    def team_maturity_table(self) -> pd.DataFrame | None:
        t = self.review.team_maturity
        if t is None:
            return None
        return pd.DataFrame({"Area": t["name"], "Statement": t["statement"], "Average answer (1-5)": t["score"].round(1),
                             "Executives answering": t["respondents"].astype(int)})

    def team_maturity_sentence(self) -> str:
        t = self.review.team_maturity
        if t is None:
            return ("The maturity survey was not given with this engagement, so the team's career paths and "
                    "certifications are not assessed here.")
        by_area = t.groupby("name", sort=False)["score"].mean()
        low = t.sort_values("score", kind="stable").iloc[0]
        return (f"The executives rate {join_words([f'{n.lower()} at {v:.1f}' for n, v in by_area.items()])} of 5. "
                f"Lowest: \"{low['statement']}\" ({low['score']:.1f}).")

    def feedback_sentence(self) -> str:
        """Partner feedback on the alliance managers, in aggregate and above the group size only."""
        r = self.review
        minimum = int(r.params["min_respondents_per_theme"])
        if r.feedback is None:
            return ("No partner interviews were given with this engagement, so partner feedback on the alliance "
                    "managers is not part of this review.")
        if r.feedback.empty:
            return "In the partner interviews, no theme was about the alliance managers."
        shown = r.feedback[r.feedback["respondents"] >= minimum]
        hidden = len(r.feedback) - len(shown)
        parts = [f"{int(t.respondents)} partner respondents ({plural(int(t.partners), 'partner')}) raised "
                 f"\"{t.theme.split(': ', 1)[-1].lower()}\" as a {t.quadrant}" for t in shown.itertuples(index=False)]
        sentences = ["In the partner interviews, " + join_words(parts) + "."] if parts else []
        if hidden:
            sentences.append(f"{plural(hidden, 'theme')} about the alliance managers {'was' if hidden == 1 else 'were'} "
                             f"raised by fewer than {minimum} respondents and {'is' if hidden == 1 else 'are'} not "
                             "reported, to keep respondents anonymous.")
        return " ".join(sentences)

    # ------------------------------------------------------------------ recruiting
    def kit_sentence(self, kit) -> str:
        """What the recruiting kit holds, for the report."""
        if not kit.positions:
            return "No position was selected for the recruiting kit."
        return (f"The kit covers {plural(len(kit.positions), 'position')}: {join_words(kit.positions)}. For each: an "
                "interview guide (HTML and PDF) and a workbook of interviewer scorecards, one sheet per interviewer, "
                "in the folder recruiting/ beside this report.")

    def no_scores_sentence(self) -> str:
        return ("No interview scores were given with this engagement; once the panel has scored the candidates on "
                "the interviewer scorecards, the review ranks them against the required levels.")

    def shortlist_table(self) -> pd.DataFrame:
        """The shortlist as shown: position title, rank, candidate, score, required levels met, gaps, panel split."""
        r = self.review
        s = r.shortlist.ranking
        table = pd.DataFrame({"Position": s["position"].map(lambda p: r.titles.get(p, p)), "Rank": s["rank"],
                              "Candidate": s["candidate_id"], "Score (1-5)": s["weighted_score"],
                              "Levels met": s["meets"], "Gaps to close": s["gaps"],
                              "Panel split on": s["split_competencies"]})
        return report.annotate(table, ["Score: the panel's mean per competency, weighted as the position's interview "
                                       "guide weighs them. A candidate with a gap on a critical competency ranks "
                                       "below one without, whatever the averages."], {"Score (1-5)": "{:.2f}"})

    # ------------------------------------------------------------------ appendix
    def method_notes(self) -> list[str]:
        return [self.method_sentence(),
                f"The regression is a ridge regression (penalty {RIDGE_ALPHA:g}): a segment, tier or type seen on "
                "few partners stays close to the portfolio average instead of being fitted exactly.",
                "Revenue growth is the symmetric change of the last 12 months against the 12 before (bounded at "
                "±200%), so one very small partner's jump does not decide a comparison.",
                f"A single point of failure: one person managing partners with {percent(CONCENTRATION)} or more of "
                "partner revenue, or a role held by one person."]

    def limits(self) -> list[str]:
        r = self.review
        out = []
        few = self.managers.loc[self.managers["partners"] < r.managers.min_partners, "name"].tolist() \
            if len(self.managers) else []
        if few:
            out.append(f"{join_words(few)} {'manages' if len(few) == 1 else 'manage'} fewer than "
                       f"{r.managers.min_partners} partners: shown, not ranked.")
        judged = self.judged()
        if 0 < len(judged) < 4:
            out.append(f"Only {len(judged)} managers are ranked: differences between them rest on few partners each.")
        if r.load is None:
            out.append("No workload figures: the organisation design's staff workload was not available.")
        return out

    def data_notes(self) -> list[str]:
        r = self.review
        notes = []
        unknown = r.role_ids[r.role_ids.isna()].index.tolist()
        if unknown:
            n = len(unknown)
            notes.append(f"{n} {'person' if n == 1 else 'people'} of the staff list {'has' if n == 1 else 'have'} a role "
                         f"the role library does not recognise and {'is' if n == 1 else 'are'} not reviewed.")
        if r.team_maturity is not None and (r.team_maturity["respondents"] == 0).any():
            notes.append("Some career-path and skills statements were not answered by any executive.")
        return notes

    def check_summary(self) -> str:
        m = self.managers
        order = ",".join(m["staff_id"].astype(str)) if len(m) else ""
        text = f"managers={len(m)} ranked={len(self.judged())} order={order} uncovered={len(self.review.uncovered)}"
        s = self.review.shortlist
        if s is not None:
            first = s.ranking[s.ranking["rank"] == 1]
            text += (f" best={','.join(first['candidate_id'].astype(str))}"
                     f" split={','.join(s.ranking.loc[s.ranking['split'], 'candidate_id'].astype(str))}")
        return text
