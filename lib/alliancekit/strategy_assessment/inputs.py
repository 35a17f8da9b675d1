"""Bad-input checks of the phase, run before any kernel starts (``Phase.input_check``).

The schemas already check each file on its own (a score outside 1-5, a missing column).
These are the checks that need the parameters or the templates: the questionnaire and the
argument library must be usable, every question id in the survey must be in the
questionnaire, weighted candidate criteria must exist and hold 1-5 scores, target levels must
lie on the scale, and the gate's thresholds must be in order. Criterion weights below zero
are refused where parameters are converted (:mod:`alliancekit.params`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import MAX_ROWS_PER_RULE, Problem, did_you_mean, spreadsheet_row
from .declaration import Params
from .formation import numeric_columns
from .templates import (
    ARGUMENTS_FILE, QUESTIONNAIRE_FILE, ArgumentLibrary, Questionnaire, load_arguments, load_questionnaire,
    template_path,
)

PARAMS_LABEL = "parameters of strategy_assessment"


def resolve_templates(params: Mapping[str, Any], root: Path | None = None
                      ) -> tuple[Questionnaire | None, ArgumentLibrary | None, list[Problem], list[str]]:
    """Load the questionnaire and the argument library the parameters name.

    Returns both (None where unusable or, for a relative path, when ``root`` is unknown), the
    problems, and the parameters whose relative path could not be resolved without ``root``.
    """
    loaded, problems, deferred = [], [], []
    for param, default, loader in (("questionnaire", QUESTIONNAIRE_FILE, load_questionnaire),
                                   ("arguments", ARGUMENTS_FILE, load_arguments)):
        path = template_path(params[param], default, root)
        if path is None:
            loaded.append(None)
            deferred.append(param)
            continue
        template, errs = loader(path)
        problems += [Problem(e.file, f"{e.message} (strategy_assessment.{param}: {path})" if "not found" in e.message
                             else e.message, e.column, e.row) for e in errs]
        loaded.append(template)
    return loaded[0], loaded[1], problems, deferred


def _rows(frame: pd.DataFrame, mask: pd.Series, label: str, column: str, message) -> list[Problem]:
    hits = frame.index[mask.fillna(False).to_numpy(dtype=bool)]
    out = [Problem(label, message(frame.at[i, column]), column=column, row=spreadsheet_row(i))
           for i in hits[:MAX_ROWS_PER_RULE]]
    if len(hits) > MAX_ROWS_PER_RULE:
        out.append(Problem(label, f"... and {len(hits) - MAX_ROWS_PER_RULE} more rows with the same problem", column=column))
    return out


def survey_problems(survey: pd.DataFrame, questionnaire: Questionnaire) -> list[Problem]:
    """Question ids the questionnaire does not define; a survey without a single answer."""
    label = survey.attrs.get("source", "maturity_survey.csv")
    known = questionnaire.question_dimension
    qid = survey["question_id"].astype(str).str.strip()
    problems = _rows(survey, ~qid.isin(known), label, "question_id",
                     lambda v: f"unknown question '{v}' (not in {questionnaire.path.name}; "
                               f"{did_you_mean(str(v), known)})")
    if not problems and not pd.to_numeric(survey["score"], errors="coerce").notna().any():
        problems.append(Problem(label, "no question is answered: every score is blank", column="score"))
    return problems


def candidate_problems(candidates: pd.DataFrame, weights: Mapping[str, float]) -> list[Problem]:
    """Weighted criteria that are missing from ``candidates``, hold text, or lie outside 1-5."""
    label = candidates.attrs.get("source", "candidates.csv")
    numeric = numeric_columns(candidates)
    problems = []
    for name, weight in weights.items():
        if weight <= 0:
            continue
        if name not in candidates.columns:
            problems.append(Problem(label, f"criterion '{name}' (weight {weight:g} in strategy_assessment.candidate_weights) "
                                           f"has no column; add it, or set its weight to 0 "
                                           f"({did_you_mean(name, numeric) if numeric else 'the file has no numeric columns'})"))
        elif name not in numeric:
            problems.append(Problem(label, f"criterion '{name}' must hold scores from 1 to 5, but it holds text",
                                    column=name))
        else:
            values = pd.to_numeric(candidates[name], errors="coerce")
            problems += _rows(candidates, (values < 1) | (values > 5), label, name,
                              lambda v: f"got '{v:g}' (expected a criterion score from 1 to 5)")
    if not any(w > 0 for w in weights.values()):
        problems.append(Problem(PARAMS_LABEL, "candidate_weights: at least one criterion needs a weight above 0"))
    return problems


def parameter_problems(params: Mapping[str, Any], questionnaire: Questionnaire | None,
                       library: ArgumentLibrary | None) -> list[Problem]:
    """Target levels off the 1-5 scale, gate thresholds out of order, all option weights zero."""
    problems = []
    levels = params["target_levels"]
    if "default" in levels and not 1 <= levels["default"] <= 5:
        problems.append(Problem(PARAMS_LABEL, f"target_levels.default: {levels['default']:g} is off the scale; "
                                              "use a level from 1 to 5"))
    for dim, level in levels.items():
        if dim != "default" and level and not 1 <= level <= 5:
            problems.append(Problem(PARAMS_LABEL, f"target_levels.{dim}: {level:g} is off the scale; use a level from "
                                                  "1 to 5, or 0 for target_levels.default"))
    approve, decline = params["approve_score"], params["decline_score"]
    if decline > approve:
        problems.append(Problem(PARAMS_LABEL, f"decline_score ({decline:g}) is above approve_score ({approve:g}); "
                                              "a candidate is declined below decline_score and approved from approve_score"))
    if library is not None:
        weights = params["criteria_weights"]
        effective = [float(weights.get(c.id, c.default_weight)) for c in library.criteria]
        if sum(effective) <= 0:
            problems.append(Problem(PARAMS_LABEL, "criteria_weights: the strategy options' criteria must not all weigh 0"))
    return problems


def check_inputs(tables: Mapping[str, pd.DataFrame], params: Mapping[str, Any], root: Path | None = None) -> list[Problem]:
    """Every problem of the phase's inputs and templates for these parameters (empty: it can run).

    ``root`` is the engagement file's folder, needed only for a relative ``questionnaire`` or
    ``arguments`` path; without it, those templates are checked when the notebook opens them.
    """
    params = Params.complete(params)
    questionnaire, library, problems, _ = resolve_templates(params, root)
    survey = tables.get("maturity_survey")
    if survey is not None and questionnaire is not None:
        problems += survey_problems(survey, questionnaire)
    candidates = tables.get("candidates")
    if candidates is not None:
        problems += candidate_problems(candidates, params["candidate_weights"])
    problems += parameter_problems(params, questionnaire, library)
    return problems
