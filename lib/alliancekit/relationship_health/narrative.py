"""The relationship health review in words, tables and charts: ``Narrative(review)``.

Every figure shown is a group of at least ``min_respondents`` people (the review holds no
other); comments are redacted and quoted only from such groups; no respondent id is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import report
from ..fmt import join_words, plural
from .analysis import CHANGE_ALPHA, FDR, SIDES
from .phase import HealthReview


#: The dimensions alliance practitioners' surveys most often find weakest ("the biggest issues are
#: around conflict resolution and joint planning").
PRACTITIONERS_WEAKEST = ("conflict_resolution", "joint_planning")


def _score(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:.1f}"


@dataclass
class Narrative:
    """The report's words for one :class:`HealthReview`."""

    review: HealthReview

    def name(self, alliance: str) -> str:
        return self.review.names.get(alliance, alliance)

    def dimension_name(self, dimension: str) -> str:
        return self.review.bank.dimension(dimension).name

    # ------------------------------------------------------------------ summary
    def headline_figures(self) -> list[tuple[str, object, str | None]]:
        r = self.review
        flagged = r.gaps[(r.gaps["wave"] == r.latest) & r.gaps["flagged"]]
        calls = r.mind_share[r.mind_share["called"]]
        return [
            ("Alliances surveyed", f"{r.surveyed:,}", f"{plural(len(r.waves), 'wave')}: {join_words(r.waves)}"),
            ("Perception gaps", f"{len(flagged):,}", f"flagged in {r.latest}, in "
                                                     f"{plural(flagged['alliance'].nunique(), 'alliance')}"),
            ("Weakest dimension", self.dimension_name(r.weakest.iloc[0]["dimension"]) if len(r.weakest) else "–",
             f"{r.weakest.iloc[0]['score']:.1f} of 5 across the portfolio" if len(r.weakest) else None),
            ("Mind-share changes", f"{len(calls):,}", "beyond noise, partner field teams"),
        ]

    def findings(self) -> list[str]:
        r = self.review
        out = []
        if len(r.health):
            best, worst = r.health.iloc[0], r.health.iloc[-1]
            out.append(f"In {r.latest}, the healthiest relationship is with {self.name(best['alliance'])} "
                       f"({best['health']:.1f} of 5) and the weakest with {self.name(worst['alliance'])} "
                       f"({worst['health']:.1f}).")
        if len(r.weakest) >= 2:
            ids = list(r.weakest["dimension"].head(2))
            two = [self.dimension_name(d).lower() for d in ids]
            text = f"Across the portfolio the weakest dimensions are {join_words(two)}"
            if len(r.weakest) > 2:
                text += (f": {r.weakest.iloc[0]['score']:.1f} and {r.weakest.iloc[1]['score']:.1f} of 5, against "
                         f"{r.weakest['score'].iloc[2:].mean():.1f} on the others")
            if set(ids) == set(PRACTITIONERS_WEAKEST):
                text += ", the two that alliance surveys most often find weakest"
            out.append(text + ".")
        out.extend(self.gap_sentences())
        out.extend(self.mind_share_sentences())
        return out

    def gap_sentences(self, limit: int = 4) -> list[str]:
        """The largest flagged gaps of the latest wave, in words (our side against the partner's)."""
        r = self.review
        g = r.gaps[(r.gaps["wave"] == r.latest) & r.gaps["flagged"]]
        if g.empty:
            return [f"In {r.latest} no perception gap is both large and beyond its uncertainty: where the two sides "
                    "differ, they differ by little or on too few answers to say."]
        g = g.reindex(g["gap"].abs().sort_values(ascending=False, kind="stable").index).head(limit)
        out = []
        for row in g.itertuples(index=False):
            who = "we rate it higher than" if row.gap > 0 else "the partner rates it higher than"
            out.append(f"{self.name(row.alliance)}, {self.dimension_name(row.dimension).lower()}: {who} "
                       f"{'the partner does' if row.gap > 0 else 'we do'} ({_score(row.us)} against "
                       f"{_score(row.partner)}, a gap of {abs(row.gap):.1f} ± {row.interval:.1f}).")
        return out

    def mind_share_sentences(self) -> list[str]:
        r = self.review
        calls = r.mind_share[r.mind_share["called"]]
        dim = r.bank.mind_share_dimension.name.lower()
        if calls.empty:
            return [f"Between waves, the partners' field teams' {dim} moved nowhere beyond noise."]
        return [f"{self.name(c.alliance)}: the partner's field teams' {dim} {'rose' if c.change > 0 else 'fell'} "
                f"from {c.score - c.change:.1f} in {c.previous_wave} to {c.score:.1f} in {c.wave} "
                f"({c.change:+.1f} ± {c.change_interval:.1f})." for c in calls.itertuples(index=False)]

    # ------------------------------------------------------------------ portfolio
    def portfolio_table(self) -> pd.DataFrame:
        h = self.review.health
        table = pd.DataFrame({
            "Alliance": h["alliance"].map(self.name), "Health (1-5)": h["health"], "Our side": h["us"],
            "Partner side": h["partner"],
            "Largest gap": [f"{self.dimension_name(d)} {g:+.1f}" if isinstance(d, str) else "–"
                            for d, g in zip(h["largest_gap_dimension"], h["largest_gap"])],
            "Gaps flagged": h["flagged_gaps"].astype(int)})
        return report.annotate(table, [f"Wave {self.review.latest}. Health: the mean over dimensions of both "
                                       "sides' scores, each side counting once. A gap is our side minus the "
                                       "partner's."], {c: "{:.2f}" for c in ("Health (1-5)", "Our side", "Partner side")})

    def weakest_table(self) -> pd.DataFrame:
        w = self.review.weakest
        return report.annotate(pd.DataFrame({"Dimension": w["dimension"].map(self.dimension_name),
                                             "Score (1-5)": w["score"], "Alliances": w["alliances"].astype(int),
                                             "Why it matters": w["dimension"].map(
                                                 lambda d: self.review.bank.dimension(d).why)}),
                               [], {"Score (1-5)": "{:.2f}"})

    def gaps_table(self) -> pd.DataFrame:
        r = self.review
        g = r.gaps[r.gaps["flagged"]]
        return report.annotate(pd.DataFrame({
            "Alliance": g["alliance"].map(self.name), "Dimension": g["dimension"].map(self.dimension_name),
            "Wave": g["wave"], "Our side": g["us"], "Partner side": g["partner"],
            "Gap": [f"{v:+.1f} ± {i:.1f}" for v, i in zip(g["gap"], g["interval"])]}),
            [f"Flagged: at least {r.params['gap_threshold']:.1f} points apart and beyond the uncertainty of the "
             f"answers (false discovery rate {FDR:.0%} over every alliance and dimension tested)."],
            {"Our side": "{:.1f}", "Partner side": "{:.1f}"})

    def mind_share_table(self) -> pd.DataFrame:
        m = self.review.mind_share
        return report.annotate(pd.DataFrame({
            "Alliance": m["alliance"].map(self.name), "Wave": m["wave"], "Score (1-5)": m["score"],
            "Field respondents": m["respondents"].astype(int),
            "Change": [("–" if pd.isna(c) else f"{c:+.1f} ± {i:.1f}") for c, i in zip(m["change"], m["change_interval"])],
            "Beyond noise": np.where(m["called"], "yes", "")}),
            [f"The partner's field teams only. A change is beyond noise when it is at least "
             f"{self.review.params['change_threshold']:.1f} points and its {1 - CHANGE_ALPHA:.0%} interval excludes "
             "no change."], {"Score (1-5)": "{:.2f}"})

    def nps_table(self) -> pd.DataFrame:
        n = self.review.nps
        return report.annotate(pd.DataFrame({
            "Alliance": n["alliance"].map(self.name), "Side": n["side"].map(SIDES), "Wave": n["wave"],
            "NPS": n["nps"].astype(int), "Respondents": n["respondents"].astype(int)}),
            ["Net promoter score: the share answering 9 or 10 to 'how likely are you to recommend working with them' "
             "minus the share answering 0 to 6."])

    def chart_weakest(self, palette=None) -> Figure:
        w = self.review.weakest.iloc[::-1]
        fig = Figure(figsize=(6.5, 0.35 * max(len(w), 1) + 1.0))
        ax = fig.add_subplot()
        primary = (palette or ["#0B3D91"])[0]
        y = np.arange(len(w))
        ax.barh(y, w["score"], color=[primary] * (len(w) - 2) + ["#C44536"] * min(2, len(w)), height=0.6)
        ax.set_yticks(y, [self.dimension_name(d) for d in w["dimension"]], fontsize=8)
        ax.set_xlim(1, 5)
        ax.set_xlabel("Score across the portfolio (1-5)")
        ax.grid(axis="y", visible=False)
        return fig

    # ------------------------------------------------------------------ per alliance
    def alliances(self) -> list[str]:
        """The surveyed alliances, healthiest first (the order of the portfolio table)."""
        return self.review.health["alliance"].tolist()

    def alliance_chart(self, alliance: str, palette=None) -> Figure:
        """Both sides on every dimension (latest wave), joined by the gap; flagged gaps in red."""
        r = self.review
        g = r.groups[(r.groups["alliance"] == alliance) & (r.groups["wave"] == r.latest)]
        dims = [d for d in r.bank.dimension_ids() if d in set(g["dimension"])]
        fig = Figure(figsize=(6.5, 0.32 * max(len(dims), 1) + 1.1))
        ax = fig.add_subplot()
        primary = (palette or ["#0B3D91", "#E9A23B"])
        flags = r.gaps[(r.gaps["alliance"] == alliance) & (r.gaps["wave"] == r.latest)].set_index("dimension")["flagged"]
        for k, d in enumerate(dims[::-1]):
            rows = g[g["dimension"] == d].set_index("side")["score"]
            us, partner = rows.get("us", np.nan), rows.get("partner", np.nan)
            ax.plot([us, partner], [k, k], color="#C44536" if flags.get(d, False) else "#B8C0CC", lw=2, zorder=1)
            ax.scatter([us], [k], color=primary[0], zorder=2, s=28, label="Our side" if k == 0 else None)
            ax.scatter([partner], [k], color=primary[1] if len(primary) > 1 else "#E9A23B", zorder=2, s=28,
                       label="Partner side" if k == 0 else None)
        ax.set_yticks(range(len(dims)), [self.dimension_name(d) for d in dims[::-1]], fontsize=8)
        ax.set_xlim(1, 5)
        ax.set_xlabel(f"Score (1-5), {r.latest}; red: a gap beyond uncertainty")
        ax.legend(loc="lower right", frameon=False, fontsize=7.5)
        ax.grid(axis="y", visible=False)
        return fig

    def alliance_sentences(self, alliance: str) -> list[str]:
        """Trend across waves, largest gaps and what to raise at the next joint review."""
        r = self.review
        out = []
        g = r.groups[r.groups["alliance"] == alliance]
        by_wave = g.groupby("wave")["score"].mean()
        if len(by_wave) >= 2:
            first, last = by_wave.iloc[0], by_wave.iloc[-1]
            out.append(f"Overall the relationship scores {last:.1f} in {by_wave.index[-1]}, against {first:.1f} in "
                       f"{by_wave.index[0]}.")
        elif len(by_wave):
            out.append(f"Overall the relationship scores {by_wave.iloc[-1]:.1f} in {by_wave.index[-1]}.")
        gaps = r.gaps[(r.gaps["alliance"] == alliance) & (r.gaps["wave"] == r.latest)]
        flagged = gaps[gaps["flagged"]]
        raise_ = []
        for row in flagged.itertuples(index=False):
            who = "we see it more positively than the partner" if row.gap > 0 else "the partner sees it more positively than we do"
            raise_.append(f"{self.dimension_name(row.dimension).lower()} ({who}: {_score(row.us)} against "
                          f"{_score(row.partner)})")
        weakest = g[g["wave"] == r.latest].groupby("dimension")["score"].mean().sort_values(kind="stable")
        if len(weakest):
            raise_.append(f"{self.dimension_name(weakest.index[0]).lower()}, its weakest dimension "
                          f"({weakest.iloc[0]:.1f})")
        if raise_:
            out.append("To raise at the next joint review: " + join_words(raise_) + ".")
        hidden = r.groups.empty or not ((g["side"] == "us").any() and (g["side"] == "partner").any())
        if hidden:
            out.append(f"One side has fewer than {r.params['min_respondents']} respondents in a wave: its scores are "
                       "not shown, so its view stays anonymous.")
        return out

    def alliance_sections(self, palette=None):
        """One section per alliance, healthiest first: its heading, two-sided chart, trend, what to raise
        at the next joint review and its quotable comments (one HTML block for the report)."""
        from IPython.display import HTML

        parts = []
        for alliance in self.alliances():
            parts += [report.heading(self.name(alliance)),
                      report.figure(self.alliance_chart(alliance, palette=palette),
                                    caption=f"{self.name(alliance)}: our side and the partner side by dimension."),
                      report.bullets(self.alliance_sentences(alliance) + self.quotes(alliance))]
        return HTML("".join(part.data for part in parts))

    def quotes(self, alliance: str) -> list[str]:
        r = self.review
        c = r.comments[(r.comments["alliance"] == alliance) & (r.comments["wave"] == r.latest)
                       & (r.comments["quadrant"] != "other")]
        n = int(r.params["quotes_per_alliance"])
        # what to raise first: comments the classifier reads as weaknesses or threats, then the rest; the
        # label itself is not printed (a short survey comment is read less surely than an interview)
        order = c["quadrant"].map({"weakness": 0, "threat": 1, "opportunity": 2, "strength": 3}).fillna(4)
        c = c.assign(_order=order.to_numpy()).sort_values("_order", kind="stable")
        return [f"{SIDES[row.side].capitalize()}: “{row.comment}”" for row in c.head(n).itertuples(index=False)]

    # ------------------------------------------------------------------ appendix
    def method_notes(self) -> list[str]:
        r = self.review
        return [
            "Each person's answers to a dimension's statements are averaged into one score (a blank, no basis to "
            "judge, is left out); a group's score is the mean over its people, with a 95% interval. How much people "
            "differ is pooled over every alliance's group of the same dimension, side and wave, so a small group "
            "whose members happen to agree does not look certain.",
            f"A perception gap is our side minus the partner's. It is flagged when it is at least "
            f"{r.params['gap_threshold']:.1f} points and, combining every wave's answers for that alliance and "
            f"dimension, beyond chance at a false discovery rate of {FDR:.0%} over every alliance and dimension "
            "tested: with hundreds of comparisons, a plain 5% test would flag dozens of gaps by chance.",
            f"No figure rests on fewer than {r.params['min_respondents']} people (an alliance's side in a wave); "
            "smaller groups are left out, and comments are quoted only from groups above that size, with names, "
            "e-mail addresses and phone numbers removed.",
        ]

    def limits(self) -> list[str]:
        r = self.review
        out = []
        if r.hidden_groups:
            out.append(f"{plural(r.hidden_groups, 'group')} (an alliance's side in a wave) had fewer than "
                       f"{r.params['min_respondents']} respondents and {'is' if r.hidden_groups == 1 else 'are'} not "
                       "shown.")
        if len(r.waves) < 2:
            out.append("One wave only: no trend and no change of mind-share can be measured yet.")
        return out

    def check_summary(self) -> str:
        r = self.review
        flagged = r.gaps[(r.gaps["wave"] == r.latest) & r.gaps["flagged"]]
        items = sorted(f"{a}:{d}:{'+' if g > 0 else '-'}" for a, d, g in zip(flagged["alliance"], flagged["dimension"],
                                                                             flagged["gap"]))
        return (f"alliances={r.surveyed} waves={len(r.waves)} flagged={','.join(items)} "
                f"rises={','.join(r.mind_share.loc[r.mind_share['called'], 'alliance'])} "
                f"weakest={','.join(r.weakest['dimension'].head(2))}")
