"""The phase, end to end: :func:`review` runs every step and returns the results, an :class:`Assessment`."""

from __future__ import annotations

import filecmp
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import InputError
from .declaration import Params
from .formation import GATES, candidate_weights, numeric_columns, overlap_keys, score_candidates
from .inputs import check_inputs, resolve_templates
from .maturity import (
    POOLED_ROLE, Priority, answers, dimension_scores, disagreements, priorities, respondent_scores, role_scores,
    target_levels,
)
from .options import criteria_matrix, decision_matrix, option_weights, sensitivity
from .targets import value_targets
from .templates import ARGUMENTS_FILE, QUESTIONNAIRE_FILE, ArgumentLibrary, Questionnaire


@dataclass(frozen=True)
class DataChecks:
    """What :func:`review` found about the data and the templates that the reader should know.

    Facts only; :meth:`~alliancekit.strategy_assessment.narrative.Narrative.data_notes` words them.
    """

    surveyed: int  # respondents in the survey, whether they answered anything or not
    blank_answers: int  # possible answers (respondents x questions) left blank or absent
    unlisted_roles: list[str]  # roles the questionnaire does not list, reported as given
    pooled: bool  # whether roles with too few respondents were pooled
    single_roles: list[str]  # roles with one respondent
    unanswered: list[str]  # names of the dimensions without answers (not scored)
    unweighted_columns: list[str]  # numeric candidate columns without a weight (shown, not scored)
    overlap_keys: tuple[str, ...]  # the columns the overlap check compared
    unknown_criteria: list[str]  # criteria_weights names the argument library does not have (ignored)
    ignored_templates: list[tuple[str, str]]  # (parameter, file): edited copies in the engagement folder, not used


@dataclass
class Assessment:
    """The results of one strategy assessment (:class:`~.narrative.Narrative` says what they mean).

    Result tables: ``maturity`` (``maturity_scores.csv``), ``options`` (``strategy_options.csv``),
    ``candidates`` (``candidates_scored.csv``) and ``targets`` (``value_targets.csv``, the
    hand-off to metric_design).
    """

    questionnaire: Questionnaire
    library: ArgumentLibrary
    params: dict[str, Any]
    answered: pd.DataFrame
    respondents: pd.DataFrame
    role_table: pd.DataFrame
    maturity: pd.DataFrame
    disagreement: pd.DataFrame
    priority_list: list[Priority]
    targets: pd.DataFrame
    matrix: pd.DataFrame
    weights: dict[str, float]
    options: pd.DataFrame
    sensitivity: pd.DataFrame
    candidate_weights: dict[str, float]
    candidates: pd.DataFrame
    partners: pd.DataFrame
    checks: DataChecks

    def results(self) -> dict[str, pd.DataFrame]:
        """The phase's result files (the session writes them)."""
        return {"maturity_scores.csv": self.maturity, "strategy_options.csv": self.options,
                "candidates_scored.csv": self.candidates, "value_targets.csv": self.targets}

    @property
    def recommended(self) -> pd.Series:
        """The first row of the decision matrix."""
        return self.options.iloc[0]

    @property
    def option_names(self) -> dict[str, str]:
        """Option id -> display name."""
        return {o.id: o.name for o in self.library.options}

    def gate_counts(self) -> dict[str, int]:
        """Candidates per gate outcome."""
        counts = self.candidates["gate"].value_counts()
        return {g: int(counts.get(g, 0)) for g in GATES}


def _checks(survey: pd.DataFrame, answered: pd.DataFrame, questionnaire: Questionnaire, library: ArgumentLibrary,
            candidates: pd.DataFrame, partners: pd.DataFrame, weights: Mapping[str, float], params: Mapping[str, Any],
            root: Path | None) -> DataChecks:
    """The facts behind the report's data notes, gathered while the inputs are at hand."""
    roles = survey["role"].astype(str).str.strip()
    per_role = survey.groupby(roles)["respondent_id"].nunique()
    surveyed = survey["respondent_id"].nunique()
    ignored: list[tuple[str, str]] = []
    if root is not None:
        for param, name, used in (("questionnaire", QUESTIONNAIRE_FILE, questionnaire.path),
                                  ("arguments", ARGUMENTS_FILE, library.path)):
            copy = Path(root) / name
            if not params[param].strip() and copy.is_file() and not filecmp.cmp(copy, used, shallow=False):
                ignored.append((param, name))
    return DataChecks(
        surveyed=surveyed,
        blank_answers=surveyed * len(questionnaire.question_dimension) - len(answered),
        unlisted_roles=sorted(set(roles) - set(questionnaire.roles)),
        pooled=bool((answered["role"] == POOLED_ROLE).any()),
        single_roles=sorted(per_role.index[per_role == 1]),
        unanswered=[d.name for d in questionnaire.dimensions if d.id not in set(answered["dimension"])],
        unweighted_columns=[c for c in numeric_columns(candidates) if c not in weights],
        overlap_keys=overlap_keys(partners, candidates),
        unknown_criteria=sorted(set(params["criteria_weights"]) - {c.id for c in library.criteria}),
        ignored_templates=ignored,
    )


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None,
           root: str | Path | None = None) -> Assessment:
    """Run the whole assessment from validated inputs and the phase's parameters.

    ``inputs``: maturity_survey, partners, candidates. ``root``: the engagement file's folder
    (for a relative ``questionnaire`` or ``arguments`` path). Raises :class:`InputError` when the
    templates or inputs cannot be used (the runner checks the same before any kernel starts).
    """
    params = Params.complete(params)
    root = Path(root) if root else None
    problems = check_inputs(inputs, params, root)
    if problems:
        raise InputError(problems)
    questionnaire, library, _, _ = resolve_templates(params, root)
    survey, partners, candidates = inputs["maturity_survey"], inputs["partners"], inputs["candidates"]

    answered = answers(survey, questionnaire, params["min_role_respondents"])
    respondents = respondent_scores(answered)
    targets_by_dim = target_levels(questionnaire, params["target_levels"])
    maturity = dimension_scores(respondents, questionnaire, targets_by_dim, answered)
    roles = role_scores(respondents, questionnaire)
    split = disagreements(maturity, 5)
    chosen = priorities(maturity, questionnaire, params["n_priorities"], params["disagreement_threshold"])

    targets = value_targets(params, partners)

    matrix = criteria_matrix(library)
    weights = option_weights(library, params["criteria_weights"])
    names = {o.id: o.name for o in library.options}
    options = decision_matrix(matrix, weights, names)
    robust = sensitivity(matrix, weights, names, library.criterion_names)

    cand_weights = candidate_weights(params["candidate_weights"], candidates)
    scored = score_candidates(candidates, partners, cand_weights, params["approve_score"], params["decline_score"])
    checks = _checks(survey, answered, questionnaire, library, candidates, partners, cand_weights, params, root)
    return Assessment(questionnaire, library, params, answered, respondents, roles, maturity, split, chosen, targets,
                      matrix, weights, options, robust, cand_weights, scored, partners, checks)

