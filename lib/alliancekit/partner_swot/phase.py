"""The partner SWOT of one engagement: redact, split, classify, theme, count, log issues.

:func:`review` is the phase's entry point. It reads as the chain of steps the analysis is:
identities out of the interviews (:mod:`.redact`), the redacted texts split into statements
(:mod:`.statements`), each statement placed in a quadrant (:mod:`.classify`) and a theme
(:mod:`.themes`), reach counted in distinct respondents and partners, quotes chosen under
the anonymity threshold, and the weaknesses and threats turned into an issue log
(:mod:`.issues`). The returned :class:`SwotReview` holds only redacted text.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from .. import report
from .classify import (DATA, QUADRANTS, SwotClassifier, cross_validated_f1, decide, fit_classifier, held_out_f1,
                       training_set)
from .declaration import Params
from .issues import issue_log
from .redact import redact_interviews
from .statements import split_statements
from .themes import assign_themes, partner_type_breakdown, representative_quotes, theme_table

#: Labelled statements the classifier never trains on, written in other styles (macro-F1 in the appendix).
HOLDOUT_PATH = DATA / "swot_holdout.csv"  # package data: ships with the kit (never read from tests/)
#: The sample engagement's own labelled statements (a second check, also never trained on).
SAMPLE_STATEMENTS_PATH = DATA / "sample_interview_statements.csv"

QUADRANT_TITLES = {"strength": "Strengths", "weakness": "Weaknesses", "opportunity": "Opportunities",
                   "threat": "Threats"}
KIND_LABELS = {"name": "person names", "email": "e-mail addresses", "phone": "phone numbers",
               "url": "web addresses", "partner": "partner company names"}
_CONTACT = re.compile(r"\[(?:email|phone)\]")
#: In an interview, a statement is set aside as ``other`` when that is its most probable class at all
#: (the command line and the classifier's own default are stricter: they never drop a statement that
#: may be evaluative). Small talk that slips into the SWOT would distort the counts.
OTHER_THRESHOLD_IN_INTERVIEWS = 0.0


def classify_statements(statements: pd.DataFrame, classifier: SwotClassifier) -> pd.DataFrame:
    """``statements`` plus ``quadrant`` and ``confidence`` (probability of that quadrant).

    A statement that gives an e-mail address or phone number, or has fewer than three words
    besides redaction tokens, is contact detail or small talk: ``other`` whatever the model says.
    """
    if statements.empty:
        return statements.assign(quadrant=pd.Series(dtype=object), confidence=pd.Series(dtype=float))
    proba = classifier.predict_proba(statements["text"])
    predicted = decide(proba, classifier.classes_, OTHER_THRESHOLD_IN_INTERVIEWS)
    classes = list(classifier.classes_)
    confidence = [float(row[classes.index(q)]) for row, q in zip(proba, predicted)]
    bare = statements["text"].str.replace(r"\[\w+\]", " ", regex=True).str.split().str.len()
    contact = statements["text"].str.contains(_CONTACT) | (bare < 3)
    quadrant = pd.Series(predicted, index=statements.index).where(~contact, "other")
    return statements.assign(quadrant=quadrant.to_numpy(), confidence=pd.Series(confidence, index=statements.index).round(3))


@dataclass
class SwotReview:
    """Everything the partner SWOT notebook shows (all text redacted)."""

    statements: pd.DataFrame          # every statement, including 'other'
    themes: pd.DataFrame
    quotes: pd.DataFrame
    issues: pd.DataFrame
    redactions: pd.DataFrame          # kind, removed
    breakdown: pd.DataFrame
    params: dict[str, Any]
    n_interviews: int
    n_partners_interviewed: int
    classifier_figures: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    # -- tables ------------------------------------------------------------------------------

    @property
    def min_respondents(self) -> int:
        return int(self.params["min_respondents_per_theme"])

    @property
    def swot_statements(self) -> pd.DataFrame:
        """The statements in the four quadrants (``other`` left out)."""
        return self.statements[self.statements["quadrant"].isin(QUADRANTS)]

    def statements_csv(self) -> pd.DataFrame:
        """``statements.csv``: statement_id, interview_id, quadrant, theme, text (redacted), confidence."""
        rows = self.statements if self.params["include_other"] else self.swot_statements
        return rows[["statement_id", "interview_id", "quadrant", "theme", "text", "confidence"]].reset_index(drop=True)

    def themes_csv(self) -> pd.DataFrame:
        """``themes.csv``: one row per theme with its reach."""
        return self.themes.reset_index(drop=True)

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        respondents = self.statements["respondent"].nunique()
        shown = int(self.themes["quotable"].sum())
        high = int((self.issues["severity"] == "High").sum())
        return [("interviews", f"{self.n_interviews}", f"{respondents} respondents"),
                ("partners heard", f"{self.n_partners_interviewed}", None),
                ("statements in the SWOT", f"{len(self.swot_statements)}", f"of {len(self.statements)}"),
                ("themes", f"{len(self.themes)}", f"{shown} raised by {self.min_respondents}+ people"),
                ("issues to run down", f"{len(self.issues)}", f"{high} high severity")]

    def findings(self) -> list[str]:
        """One sentence per quadrant on its most widely raised theme, then the issue count."""
        out = []
        respondents = max(self.statements["respondent"].nunique(), 1)
        for quadrant in QUADRANTS:
            top = self.themes[self.themes["quadrant"] == quadrant]
            if top.empty:
                out.append(f"{QUADRANT_TITLES[quadrant]}: none raised.")
                continue
            row = top.iloc[0]
            label = row["theme"].split(": ", 1)[1]
            out.append(f"{QUADRANT_TITLES[quadrant]}: most often \"{label}\", raised by {row['respondents']} of "
                       f"{respondents} respondents ({row['share']:.0%}) from {row['partners']} partner(s).")
        high = self.issues[self.issues["severity"] == "High"]
        if len(high):
            out.append(f"{len(high)} issue(s) rated high severity, led by \"{high.iloc[0]['issue']}\"; "
                       f"each has a suggested owner in the issue log.")
        return out

    def anonymity_table(self) -> pd.DataFrame:
        """How many identities of each kind were removed (counts only, never the values)."""
        table = self.redactions.assign(what=self.redactions["kind"].map(KIND_LABELS))
        return table[["what", "removed"]].rename(columns={"what": "identity removed"})

    def anonymity_sentence(self) -> str:
        total = int(self.redactions["removed"].sum())
        return (f"{total} identifying details were removed from {self.n_interviews} interviews before any "
                f"statement was stored, classified or shown. Quotes appear only for themes raised by at least "
                f"{self.min_respondents} different respondents, and partner types are broken down only where "
                f"{self.min_respondents} or more respondents share one.")

    def quotes_for(self, quadrant: str) -> pd.DataFrame:
        """The quotes of one quadrant's themes (theme without the quadrant prefix, quote)."""
        rows = self.quotes[self.quotes["quadrant"] == quadrant]
        return pd.DataFrame({"theme": rows["theme"].str.split(": ", n=1).str[1], "quote": rows["quote"]})

    def quote_block(self, quadrant: str):
        """The quotes of one quadrant as a table, or a sentence when no theme reaches the threshold."""
        quotes = self.quotes_for(quadrant)
        if quotes.empty:
            return report.paragraph(f"No {quadrant} theme was raised by {self.min_respondents} or more respondents, "
                                    f"so none is quoted.")
        return report.table(quotes, caption=f"{QUADRANT_TITLES[quadrant]}: representative quotes (redacted)")

    def breakdown_block(self):
        """The partner-type breakdown, or a sentence when no partner type has enough respondents."""
        if self.breakdown.empty:
            return report.paragraph(f"No partner type has {self.min_respondents} or more respondents, so results are "
                                    f"not broken down by type.")
        formats = {q: "{:.0%}" for q in QUADRANTS}
        return report.table(self.breakdown, caption="Share of each partner type's respondents raising each quadrant",
                            formats=formats, labels={"partner_type": "partner type"})

    def quote_note(self) -> str:
        hidden = int((~self.themes["quotable"]).sum())
        return (f"{hidden} theme(s) raised by fewer than {self.min_respondents} respondents are counted in the SWOT "
                f"and the issue log but shown without quotes.") if hidden else \
            f"Every theme was raised by at least {self.min_respondents} respondents."

    def theme_frequency_table(self) -> pd.DataFrame:
        return self.themes[["theme", "respondents", "partners", "statements", "share"]]

    def issue_table(self) -> pd.DataFrame:
        return self.issues[["issue", "respondents", "partners", "share", "severity", "owner"]]

    def method_table(self) -> pd.DataFrame:
        """The classifier's measured quality (appendix)."""
        f = self.classifier_figures
        rows = [("training statements (kit corpus + engagement's own)", f"{f['training']:,}"),
                ("of which coded by the engagement", f"{f['own']:,}"),
                ("cross-validated macro-F1 (5 folds, training statements)", f"{f['cv_f1']:.3f}")]
        if f.get("holdout_f1") is not None:
            rows.append((f"macro-F1 on {f['holdout_n']} held-out statements in other styles (never trained on)",
                         f"{f['holdout_f1']:.3f}"))
        if f.get("sample_f1") is not None:
            rows.append(("macro-F1 on the sample engagement's labelled statements (never trained on)",
                         f"{f['sample_f1']:.3f}"))
        return pd.DataFrame(rows, columns=["measure", "value"])

    def data_notes(self) -> list[str]:
        return list(self.notes)

    def check_summary(self) -> str:
        """Key figures for the notebook's checked cell (no text from interviews)."""
        counts = self.swot_statements["quadrant"].value_counts()
        return "\n".join([
            f"interviews {self.n_interviews}, statements {len(self.statements)}, in SWOT {len(self.swot_statements)}",
            "quadrants " + ", ".join(f"{q} {int(counts.get(q, 0))}" for q in QUADRANTS),
            f"themes {len(self.themes)}, quotable {int(self.themes['quotable'].sum())}, issues {len(self.issues)}",
            "redactions " + ", ".join(f"{k} {n}" for k, n in zip(self.redactions['kind'], self.redactions['removed'])),
        ])

    # -- figures -----------------------------------------------------------------------------

    def chart_swot(self, palette: list[str], top: int = 4):
        """The SWOT 2x2: each quadrant lists its most widely raised themes with their reach."""
        fig, axes = plt.subplots(2, 2, figsize=(9.5, 6.6))
        colors = {"strength": palette[2 % len(palette)], "weakness": palette[1 % len(palette)],
                  "opportunity": palette[0], "threat": palette[4 % len(palette)]}
        for ax, quadrant in zip(axes.flat, QUADRANTS):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            for side in ax.spines.values():
                side.set_visible(True)
                side.set_color(colors[quadrant])
                side.set_linewidth(2)
            ax.set_facecolor("#FAFBFC")
            rows = self.themes[(self.themes["quadrant"] == quadrant)].head(top)
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
        colors = {"strength": palette[2 % len(palette)], "weakness": palette[1 % len(palette)],
                  "opportunity": palette[0], "threat": palette[4 % len(palette)]}
        table = self.themes.iloc[::-1]
        fig, ax = plt.subplots(figsize=(9, min(9.0, max(2.5, 0.19 * len(table) + 0.8))))
        ax.barh(table["theme"], table["respondents"], color=table["quadrant"].map(colors), height=0.7)
        ax.tick_params(axis="y", labelsize=7.5)
        ax.axvline(self.min_respondents - 0.5, color="#7A869A", linestyle="--", linewidth=1)
        ax.text(self.min_respondents - 0.4, len(table) - 0.4, f"quotes shown from {self.min_respondents} respondents",
                fontsize=8, color="#7A869A", va="top")
        ax.set_xlabel("distinct respondents")
        ax.set_ylabel("")
        ax.xaxis.get_major_locator().set_params(integer=True)
        fig.tight_layout()
        return fig


def review(inputs: dict[str, pd.DataFrame], params: dict[str, Any] | None = None, client: str = "") -> SwotReview:
    """The partner SWOT of an engagement's ``inputs`` (interviews, partners; staff and swot_training if given)."""
    params = Params.complete(params)
    interviews, partners = inputs["interviews"], inputs["partners"]
    min_respondents = params["min_respondents_per_theme"]
    redacted, counts = redact_interviews(interviews, partners, inputs.get("staff"), client)
    own = inputs.get("swot_training")
    classifier = fit_classifier(own, seed=params["seed"])
    statements = classify_statements(split_statements(redacted), classifier)
    statements = assign_themes(statements.assign(quadrant=statements["quadrant"].astype(object)))
    statements.loc[statements["quadrant"] == "other", ["topic", "theme"]] = ""
    swot = statements[statements["quadrant"].isin(QUADRANTS)]
    themes = theme_table(swot, partners, min_respondents)
    quotes = representative_quotes(swot, themes, int(params["max_quotes_per_theme"]))
    breakdown, notes = partner_type_breakdown(swot, partners, min_respondents)
    training = training_set(own)
    figures = {"training": len(training), "own": 0 if own is None else len(own),
               "cv_f1": cross_validated_f1(training, seed=params["seed"]),
               "holdout_f1": held_out_f1(classifier, HOLDOUT_PATH),
               "holdout_n": len(pd.read_csv(HOLDOUT_PATH)) if HOLDOUT_PATH.is_file() else 0,
               "sample_f1": held_out_f1(classifier, SAMPLE_STATEMENTS_PATH)}
    missing = sorted(set(QUADRANTS) - set(swot["quadrant"]))
    if missing:
        notes.append("No statement was placed in: " + ", ".join(missing) + ".")
    return SwotReview(statements=statements.reset_index(drop=True), themes=themes, quotes=quotes,
                      issues=issue_log(swot, themes, min_respondents), redactions=counts, breakdown=breakdown,
                      params=dict(params), n_interviews=len(interviews),
                      n_partners_interviewed=interviews["partner_id"].nunique(), classifier_figures=figures,
                      notes=notes)
