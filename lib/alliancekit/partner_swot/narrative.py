"""What the partner SWOT report says: sentences, key figures, display tables and figures from a :class:`SwotReview`.

:func:`~.phase.review` computes; :class:`Narrative` words the results for the client, so that
the analysis can be used and tested without the report's wording, and the wording changed
without touching a number. The anonymity rules hold here too: quotes are shown only for the
themes :func:`~.themes.representative_quotes` let through (raised by at least
:attr:`~.phase.SwotReview.min_respondents` respondents) and a sentence says so when a field has
none; the partner-type breakdown likewise; identities appear as counts, never as values.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from .. import report
from ..fmt import percent
from ..feedback.classify import QUADRANTS
from .phase import SwotReview

#: The SWOT fields' headings in the report.
QUADRANT_TITLES = {"strength": "Strengths", "weakness": "Weaknesses", "opportunity": "Opportunities",
                   "threat": "Threats"}
#: Interviews from which new themes usually stop appearing (thematic saturation is often reached at
#: 12-16 interviews); with fewer, the report says some themes may not have surfaced yet.
SATURATION_INTERVIEWS = 12
#: A partner-type group shown in the breakdown with fewer respondents than this moves by a whole
#: person at a time (survey tools suppress groups smaller than 4-5); the table note says by how much.
SMALL_GROUP = 5

#: The kinds of identity removed (:func:`~alliancekit.feedback.redact.redact_interviews`), as the anonymity
#: table names them.
KIND_LABELS = {"name": "person names", "email": "e-mail addresses", "phone": "phone numbers",
               "url": "web addresses", "partner": "partner company names"}


def _quadrant_colors(palette: list[str]) -> dict[str, str]:
    """The colour of each SWOT field in the figures, from the report's palette."""
    return {"strength": palette[2 % len(palette)], "weakness": palette[1 % len(palette)],
            "opportunity": palette[0], "threat": palette[4 % len(palette)]}


@dataclass
class Narrative:
    """The report's words, display tables and figures for one :class:`SwotReview`: ``Narrative(review)``."""

    review: SwotReview

    # ------------------------------------------------------------------ summary
    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Key figures of the executive summary."""
        r = self.review
        respondents = r.statements["respondent"].nunique()
        shown = int(r.themes["quotable"].sum())
        high = int((r.issues["severity"] == "High").sum())
        return [("interviews", f"{r.n_interviews}", f"{respondents} respondents"),
                ("partners heard", f"{r.n_partners_interviewed}", None),
                ("statements in the SWOT", f"{len(r.swot_statements)}", f"of {len(r.statements)}"),
                ("themes", f"{len(r.themes)}", f"{shown} raised by {r.min_respondents}+ people"),
                ("issues to run down", f"{len(r.issues)}", f"{high} high severity")]

    def findings(self) -> list[str]:
        """One sentence per quadrant on its most widely raised theme, then the issue count."""
        r = self.review
        out = []
        respondents = max(r.statements["respondent"].nunique(), 1)
        for quadrant in QUADRANTS:
            top = r.themes[r.themes["quadrant"] == quadrant]
            if top.empty:
                out.append(f"{QUADRANT_TITLES[quadrant]}: none raised.")
                continue
            row = top.iloc[0]
            label = row["theme"].split(": ", 1)[1]
            few = (f"; fewer than {r.min_respondents} people, so a few voices rather than a pattern"
                   if row["respondents"] < r.min_respondents else "")
            out.append(f"{QUADRANT_TITLES[quadrant]}: most often \"{label}\", raised by {row['respondents']} of "
                       f"{respondents} respondents ({percent(row['share'])}) from {row['partners']} partner(s){few}.")
        high = r.issues[r.issues["severity"] == "High"]
        if len(high):
            out.append(f"{len(high)} issue(s) rated high severity, led by \"{high.iloc[0]['issue']}\"; "
                       f"each has a suggested owner in the issue log.")
        return out

    # ------------------------------------------------------------------ anonymity
    def anonymity_table(self) -> pd.DataFrame:
        """How many identities of each kind were removed (counts only, never the values)."""
        redactions = self.review.redactions
        table = redactions.assign(what=redactions["kind"].map(KIND_LABELS))
        return table[["what", "removed"]].rename(columns={"what": "identity removed"})

    def anonymity_sentence(self) -> str:
        """What was removed before analysis, and the two rules that keep respondents from being recognised."""
        r = self.review
        total = int(r.redactions["removed"].sum())
        saturation = self.saturation_sentence()
        return (f"{total} identifying details were removed from {r.n_interviews} interviews before any "
                f"statement was stored, classified or shown. Quotes appear only for themes raised by at least "
                f"{r.min_respondents} different respondents, and partner types are broken down only where "
                f"{r.min_respondents} or more respondents share one." + (f" {saturation}" if saturation else ""))

    # ------------------------------------------------------------------ quotes and breakdown
    def quotes_for(self, quadrant: str) -> pd.DataFrame:
        """The quotes of one quadrant's themes (theme without the quadrant prefix, quote)."""
        quotes = self.review.quotes
        rows = quotes[quotes["quadrant"] == quadrant]
        return pd.DataFrame({"theme": rows["theme"].str.split(": ", n=1).str[1], "quote": rows["quote"]})

    def quote_block(self, quadrant: str):
        """The quotes of one quadrant as a table, or a sentence when no theme reaches the threshold."""
        quotes = self.quotes_for(quadrant)
        if quotes.empty:
            return report.paragraph(f"No {quadrant} theme was raised by {self.review.min_respondents} or more "
                                    f"respondents, so none is quoted.")
        return report.table(quotes, caption=f"{QUADRANT_TITLES[quadrant]}: representative quotes (redacted)")

    def quote_note(self) -> str:
        """How many themes are counted but not quoted, being raised by too few respondents."""
        r = self.review
        hidden = int((~r.themes["quotable"]).sum())
        return (f"{hidden} theme(s) raised by fewer than {r.min_respondents} respondents are counted in the SWOT "
                f"and the issue log but shown without quotes.") if hidden else \
            f"Every theme was raised by at least {r.min_respondents} respondents."

    def breakdown_block(self):
        """The partner-type breakdown, or a sentence when no partner type has enough respondents."""
        r = self.review
        if r.breakdown.empty:
            return report.paragraph(f"No partner type has {r.min_respondents} or more respondents, so results are "
                                    f"not broken down by type.")
        formats = {q: "{:.0%}" for q in QUADRANTS}
        shown = r.breakdown.assign(partner_type=r.words.labelled("partner_type", r.breakdown["partner_type"]))
        shown = report.annotate(shown, [self.small_group_sentence()])
        return report.table(shown, caption="Share of each partner type's respondents raising each quadrant",
                            formats=formats, labels={"partner_type": "partner type"})

    # ------------------------------------------------------------------ tables
    def theme_frequency_table(self) -> pd.DataFrame:
        """Every theme with its reach, as the report lists them (a note on the themes few people raised)."""
        return report.annotate(self.review.themes[["theme", "respondents", "partners", "statements", "share"]].copy(),
                               [self.few_voices_sentence()])

    def issue_table(self) -> pd.DataFrame:
        """The issue log as the report shows it, most severe first (a note on the issues few people raised)."""
        issues = self.review.issues
        return report.annotate(issues[["issue", "respondents", "partners", "share", "severity", "owner"]].copy(),
                               [self.few_voices_sentence(issues["respondents"], "issue")])

    # ------------------------------------------------------------------ what the figures rest on
    def few_voices_sentence(self, respondents: pd.Series | None = None, what: str = "theme") -> str:
        """'' unless some themes (or issues) were raised by fewer respondents than the anonymity threshold."""
        r = self.review
        counts = r.themes["respondents"] if respondents is None else respondents
        few = int((counts < r.min_respondents).sum())
        if not few:
            return ""
        ones = int((counts == 1).sum())
        single = f", {ones} of them by one person" if ones and r.min_respondents > 2 else ""
        return (f"{few} of {len(counts)} {what}s {'was' if few == 1 else 'were'} raised by fewer than "
                f"{r.min_respondents} respondents{single}: {'it rests' if few == 1 else 'they rest'} on few voices, "
                "so read them as signals to test, not as patterns.")

    def saturation_sentence(self) -> str:
        """'' from :data:`SATURATION_INTERVIEWS` interviews on; else that themes may still be missing."""
        n = self.review.n_interviews
        if n >= SATURATION_INTERVIEWS:
            return ""
        return (f"The SWOT rests on {n} interview{'s' if n != 1 else ''}; new themes usually stop appearing only after "
                f"{SATURATION_INTERVIEWS} or more, so some may not have surfaced yet.")

    def small_group_sentence(self) -> str:
        """'' unless a partner type in the breakdown has fewer than :data:`SMALL_GROUP` respondents."""
        b = self.review.breakdown
        if b.empty or b["respondents"].min() >= SMALL_GROUP:
            return ""
        row = b.sort_values(["respondents", "partner_type"], kind="stable").iloc[0]
        n = int(row["respondents"])
        kind = self.review.words.label("partner_type", row["partner_type"])
        return f"The smallest partner type shown, {kind}, has {n} respondents: one person moves its shares by {1 / n:.0%}."

    def classifier_sentence(self) -> str:
        """What placed the statements, when the engagement gave no coded statements or corrections of its own."""
        r = self.review
        parts = []
        if not r.classifier_figures.get("own"):
            parts.append("no statements coded for this engagement were given, so the classifier learned from a "
                         "general set of partner interview statements only")
        if not len(r.corrections):
            parts.append("no statement was re-placed by the consultant, so every field and theme is the classifier's")
        if not parts:
            return ""
        text = "; ".join(parts)
        return f"{text[:1].upper()}{text[1:]}: its measured accuracy is in the method table."

    def limits(self) -> list[str]:
        """The limits of this run's data, each a sentence also shown where it applies (empty when none)."""
        notes = [self.saturation_sentence(), self.few_voices_sentence(), self.small_group_sentence(),
                 self.classifier_sentence()]
        return [n for n in notes if n]

    # ------------------------------------------------------------------ appendix
    def method_table(self) -> pd.DataFrame:
        """The classifier's measured quality (appendix)."""
        f = self.review.classifier_figures
        rows = [("training statements (kit corpus + engagement's own)", f"{f['training']:,}"),
                ("of which coded by the engagement", f"{f['own']:,}"),
                ("cross-validated macro-F1 (5 folds, training statements)", f"{f['cv_f1']:.3f}")]
        if f.get("holdout_f1") is not None:
            rows.append((f"macro-F1 on {f['holdout_n']} held-out statements in other styles (never trained on)",
                         f"{f['holdout_f1']:.3f}"))
        if f.get("sample_f1") is not None:
            rows.append(("macro-F1 on the sample engagement's labelled statements (never trained on)",
                         f"{f['sample_f1']:.3f}"))
        return report.annotate(pd.DataFrame(rows, columns=["measure", "value"]), [self.classifier_sentence()])

    def data_notes(self) -> list[str]:
        """What the reader should know about the data: respondents left out of the breakdown, empty fields."""
        r = self.review
        notes = []
        if r.respondents_not_broken_down:
            notes.append(f"{r.respondents_not_broken_down} respondent(s) from partner types with fewer than "
                         f"{r.min_respondents} respondents are not broken down, so no small group can be recognised.")
        if r.missing_quadrants:
            notes.append("No statement was placed in: " + ", ".join(r.missing_quadrants) + ".")
        if len(r.corrections):
            listed = "; ".join(f"{c.statement_id}: {c.theme_classified or c.quadrant_classified} -> "
                               f"{c.theme_corrected or c.quadrant_corrected}" for c in r.corrections.itertuples())
            notes.append(f"{len(r.corrections)} statement{'s' if len(r.corrections) != 1 else ''} "
                         f"{'were' if len(r.corrections) != 1 else 'was'} placed by the consultant rather than by "
                         f"the classifier, before themes were counted: {listed}.")
        return notes

    def check_summary(self) -> str:
        """Key figures for the notebook's checked cell (no text from interviews)."""
        r = self.review
        counts = r.swot_statements["quadrant"].value_counts()
        return "\n".join([
            f"interviews {r.n_interviews}, statements {len(r.statements)}, in SWOT {len(r.swot_statements)}",
            "quadrants " + ", ".join(f"{q} {int(counts.get(q, 0))}" for q in QUADRANTS),
            f"themes {len(r.themes)}, quotable {int(r.themes['quotable'].sum())}, issues {len(r.issues)}",
            "redactions " + ", ".join(f"{k} {n}" for k, n in zip(r.redactions['kind'], r.redactions['removed'])),
        ])

    # ------------------------------------------------------------------ figures
    def chart_swot(self, palette: list[str], top: int = 4):
        """The SWOT 2x2: each quadrant lists its most widely raised themes with their reach."""
        themes = self.review.themes
        fig, axes = plt.subplots(2, 2, figsize=(9.5, 6.6))
        colors = _quadrant_colors(palette)
        for ax, quadrant in zip(axes.flat, QUADRANTS):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            for side in ax.spines.values():
                side.set_visible(True)
                side.set_color(colors[quadrant])
                side.set_linewidth(2)
            ax.set_facecolor("#FAFBFC")
            rows = themes[(themes["quadrant"] == quadrant)].head(top)
            ax.text(0.04, 0.93, QUADRANT_TITLES[quadrant], transform=ax.transAxes, fontsize=12.5, fontweight="bold",
                    color=colors[quadrant], va="top")
            y = 0.76
            if rows.empty:
                ax.text(0.04, y, "No theme raised", transform=ax.transAxes, fontsize=9, color="#7A869A", va="top")
            for row in rows.itertuples(index=False):
                label = textwrap.fill(row.theme.split(": ", 1)[1], 38)
                ax.text(0.04, y, label, transform=ax.transAxes, fontsize=9, va="top", color="#1F2933")
                ax.text(0.96, y, f"{row.respondents}", transform=ax.transAxes, fontsize=10, va="top", ha="right",
                        fontweight="bold", color=colors[quadrant])
                y -= 0.085 * (label.count("\n") + 1) + 0.07
            ax.text(0.96, 0.93, "respondents", transform=ax.transAxes, fontsize=7.5, va="top", ha="right",
                    color="#7A869A")
        axes[0, 0].set_ylabel("Inside the relationship", fontsize=9.5)
        axes[1, 0].set_ylabel("Out in the market", fontsize=9.5)
        axes[1, 0].set_xlabel("Praise", fontsize=9.5)
        axes[1, 1].set_xlabel("Complaint", fontsize=9.5)
        fig.tight_layout(h_pad=1.2, w_pad=1.2)
        return fig

    def chart_theme_frequency(self, palette: list[str]):
        """Respondents per theme, coloured by quadrant, with the anonymity threshold marked."""
        threshold = self.review.min_respondents
        colors = _quadrant_colors(palette)
        table = self.review.themes.iloc[::-1]
        fig, ax = plt.subplots(figsize=(9, min(9.0, max(2.5, 0.19 * len(table) + 0.8))))
        ax.barh(table["theme"], table["respondents"], color=table["quadrant"].map(colors), height=0.7)
        ax.tick_params(axis="y", labelsize=7.5)
        ax.axvline(threshold - 0.5, color="#7A869A", linestyle="--", linewidth=1)
        ax.text(threshold - 0.4, len(table) - 0.4, f"quotes shown from {threshold} respondents",
                fontsize=8, color="#7A869A", va="top")
        ax.set_xlabel("distinct respondents")
        ax.set_ylabel("")
        ax.xaxis.get_major_locator().set_params(integer=True)
        fig.tight_layout()
        return fig
