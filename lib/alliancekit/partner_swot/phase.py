"""The partner SWOT of one engagement: redact, split, classify, theme, count, log issues.

:func:`review` is the phase's entry point. It reads as the chain of steps the analysis is:
identities out of the interviews (:mod:`alliancekit.feedback.redact`), the redacted texts split into statements
(:mod:`.statements`), each statement placed in a quadrant (:mod:`alliancekit.feedback.classify`) and a theme
(:mod:`.themes`), reach counted in distinct respondents and partners, quotes chosen under
the anonymity threshold, and the weaknesses and threats turned into an issue log
(:mod:`.issues`). The returned :class:`SwotReview` holds the results, and only redacted
text; :class:`~.narrative.Narrative` says what they mean in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import vocabulary
from ..errors import InputError
from ..feedback.classify import (DATA, QUADRANTS, SwotClassifier, cross_validated_f1, decide, fit_classifier,
                                 held_out_f1, training_set)
from ..feedback.redact import redact_interviews
from .corrections import applied, correct_quadrants, correct_themes, correction_problems
from .declaration import Params
from .issues import issue_log
from .statements import split_statements
from .themes import assign_themes, partner_type_breakdown, representative_quotes, theme_table

#: Labelled statements the classifier never trains on, written in other styles (macro-F1 in the appendix).
HOLDOUT_PATH = DATA / "swot_holdout.csv"  # package data: ships with the kit (never read from tests/)
#: The sample engagement's own labelled statements (a second check, also never trained on).
SAMPLE_STATEMENTS_PATH = DATA / "sample_interview_statements.csv"

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
    """The results of one partner SWOT (all text redacted; :class:`~.narrative.Narrative` words them).

    Result tables: ``statements`` (``statements.csv``), ``themes`` (``themes.csv``) and ``issues``
    (``issue_log.csv``: the next review compares its issues with this one's). The
    quotes and the partner-type breakdown already keep to the anonymity threshold
    (:attr:`min_respondents`); ``redactions`` counts what was removed, never the values.
    """

    statements: pd.DataFrame          # every statement, including 'other'
    themes: pd.DataFrame
    quotes: pd.DataFrame              # only themes raised by the threshold's number of respondents
    issues: pd.DataFrame
    redactions: pd.DataFrame          # kind, removed
    breakdown: pd.DataFrame           # only partner types with the threshold's number of respondents
    params: dict[str, Any]
    n_interviews: int
    n_partners_interviewed: int
    respondents_not_broken_down: int  # respondents of partner types below the threshold, left out of the breakdown
    classifier_figures: dict[str, Any] = field(default_factory=dict)
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)  # the consultant's, as applied (corrections.applied)
    words: vocabulary.Vocabulary = vocabulary.EMPTY  # the client's partner-type labels

    @property
    def min_respondents(self) -> int:
        """The anonymity threshold: distinct respondents a theme or partner type needs to be shown."""
        return int(self.params["min_respondents_per_theme"])

    @property
    def swot_statements(self) -> pd.DataFrame:
        """The statements in the four quadrants (``other`` left out)."""
        return self.statements[self.statements["quadrant"].isin(QUADRANTS)]

    @property
    def missing_quadrants(self) -> list[str]:
        """The quadrants no statement was placed in, alphabetically."""
        return sorted(set(QUADRANTS) - set(self.swot_statements["quadrant"]))

    def statements_csv(self) -> pd.DataFrame:
        """``statements.csv``: statement_id, interview_id, quadrant, theme, text (redacted), confidence."""
        rows = self.statements if self.params["include_other"] else self.swot_statements
        return rows[["statement_id", "interview_id", "quadrant", "theme", "text", "confidence"]].reset_index(drop=True)

    def themes_csv(self) -> pd.DataFrame:
        """``themes.csv``: one row per theme with its reach."""
        return self.themes.reset_index(drop=True)

    def issue_log_csv(self) -> pd.DataFrame:
        """``issue_log.csv``: the issue log as :func:`~.issues.issue_log` returns it (counts and owners, no text)."""
        return self.issues.reset_index(drop=True)

    def results(self) -> dict[str, pd.DataFrame]:
        """The phase's result files (the session writes them)."""
        return {"statements.csv": self.statements_csv(), "themes.csv": self.themes_csv(),
                "issue_log.csv": self.issue_log_csv()}


def review(inputs: dict[str, pd.DataFrame], params: dict[str, Any] | None = None, client: str = "") -> SwotReview:
    """The partner SWOT of an engagement's ``inputs`` (interviews, partners; staff and swot_training if given)."""
    params = Params.complete(params)
    interviews, partners = inputs["interviews"], inputs["partners"]
    min_respondents = params["min_respondents_per_theme"]
    redacted, counts = redact_interviews(interviews, partners, inputs.get("staff"), client)
    own = inputs.get("swot_training")
    classifier = fit_classifier(own, seed=params["seed"])
    statements = classify_statements(split_statements(redacted), classifier)
    statements = statements.assign(quadrant=statements["quadrant"].astype(object))
    corrections = inputs.get("swot_corrections")
    if corrections is not None:
        problems = correction_problems(corrections, statements["statement_id"])
        if problems:
            raise InputError(problems)
    classified = _without_other_themes(assign_themes(statements))
    statements = _without_other_themes(correct_themes(assign_themes(correct_quadrants(statements, corrections)),
                                                      corrections)) if corrections is not None else classified
    swot = statements[statements["quadrant"].isin(QUADRANTS)]
    themes = theme_table(swot, partners, min_respondents)
    quotes = representative_quotes(swot, themes, int(params["max_quotes_per_theme"]))
    breakdown, not_broken_down = partner_type_breakdown(swot, partners, min_respondents)
    training = training_set(own)
    figures = {"training": len(training), "own": 0 if own is None else len(own),
               "cv_f1": cross_validated_f1(training, seed=params["seed"]),
               "holdout_f1": held_out_f1(classifier, HOLDOUT_PATH),
               "holdout_n": len(pd.read_csv(HOLDOUT_PATH)) if HOLDOUT_PATH.is_file() else 0,
               "sample_f1": held_out_f1(classifier, SAMPLE_STATEMENTS_PATH)}
    return SwotReview(statements=statements.reset_index(drop=True), themes=themes, quotes=quotes,
                      issues=issue_log(swot, themes, min_respondents), redactions=counts, breakdown=breakdown,
                      params=dict(params), n_interviews=len(interviews),
                      n_partners_interviewed=interviews["partner_id"].nunique(), classifier_figures=figures,
                      respondents_not_broken_down=not_broken_down,
                      corrections=applied(classified, statements), words=vocabulary.of(partners))


def _without_other_themes(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements that are not evaluative ('other') have no topic and no theme."""
    out = statements.copy()
    out.loc[out["quadrant"] == "other", ["topic", "theme"]] = ""
    return out
