"""Maturity scoring: per dimension, per executive role, with spread, targets, gaps and priorities.

The unit is the respondent: each respondent's score on a dimension is the mean of the
questions they answered in it (blank answers are missing, not zero), so a respondent who
skipped one question still counts once. A dimension's score is the mean over respondents;
its spread is the standard deviation between them; a role's score is the mean over that
role's respondents. Where the roles' scores lie furthest apart (``role_gap``) is where the
executives see the organisation differently, and where the strategy conversation starts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from .declaration import DEFAULT
from .templates import Questionnaire

#: Role under which roles with too few respondents are pooled (parameter ``min_role_respondents``).
POOLED_ROLE = "Other roles"

#: Columns of ``maturity_scores.csv``: the contract's six first, then the evidence.
MATURITY_COLUMNS = ("dimension", "score", "spread", "n", "target", "gap", "name", "level", "rank", "role_gap",
                    "highest_role", "highest_role_score", "lowest_role", "lowest_role_score", "answers", "lens")


def target_levels(questionnaire: Questionnaire, levels: Mapping[str, float] | None, default: float = 4.0) -> dict[str, float]:
    """Target per dimension: ``levels[d]`` where it is set (> 0), else ``levels["default"]`` (else ``default``)."""
    levels = dict(levels or {})
    fallback = float(levels.get("default") or default)
    return {d.id: float(levels[d.id]) if levels.get(d.id) else fallback for d in questionnaire.dimensions}


def answers(survey: pd.DataFrame, questionnaire: Questionnaire,
            min_role_respondents: int = DEFAULT.min_role_respondents) -> pd.DataFrame:
    """The answered questions with their dimension: ``respondent_id, role, question_id, dimension, score``.

    Blank scores are dropped (missing, not zero); rows whose question is not in the
    questionnaire are dropped too (the input check refuses them before a run). Roles with
    fewer than ``min_role_respondents`` respondents are reported as :data:`POOLED_ROLE`.
    """
    frame = survey[["respondent_id", "role", "question_id", "score"]].copy()
    frame["respondent_id"] = frame["respondent_id"].astype(str)
    frame["role"] = frame["role"].astype(str).str.strip()
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    frame["dimension"] = frame["question_id"].astype(str).map(questionnaire.question_dimension)
    frame = frame[frame["score"].notna() & frame["dimension"].notna()]
    if min_role_respondents > 1:
        size = frame.groupby("role")["respondent_id"].nunique()
        small = set(size.index[size < min_role_respondents])
        frame["role"] = frame["role"].where(~frame["role"].isin(small), POOLED_ROLE)
    return frame[["respondent_id", "role", "question_id", "dimension", "score"]].reset_index(drop=True)


def respondent_scores(answered: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's score per dimension (mean of their answers): ``respondent_id, role, dimension, score``."""
    return (answered.groupby(["respondent_id", "role", "dimension"], sort=True)["score"].mean()
            .reset_index())


def role_order(questionnaire: Questionnaire, roles) -> list[str]:
    """Roles in the questionnaire's order, then any others alphabetically, pooled roles last."""
    present = set(roles)
    listed = [r for r in questionnaire.roles if r in present]
    others = sorted(present - set(listed) - {POOLED_ROLE})
    return listed + others + ([POOLED_ROLE] if POOLED_ROLE in present else [])


def role_scores(respondents: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Mean score per role (rows, questionnaire order) and dimension (columns, questionnaire order)."""
    table = respondents.pivot_table(index="role", columns="dimension", values="score", aggfunc="mean")
    dims = [d.id for d in questionnaire.dimensions]
    return table.reindex(index=role_order(questionnaire, table.index), columns=dims)


def level_of(score: float) -> int | None:
    """The level a score has fully reached (2.7 -> 2), or None for a missing score."""
    if score is None or not np.isfinite(score):
        return None
    return int(min(5, max(1, math.floor(score + 1e-9))))


def dimension_scores(respondents: pd.DataFrame, questionnaire: Questionnaire, targets: Mapping[str, float],
                     answered: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per dimension (questionnaire order): the :data:`MATURITY_COLUMNS`.

    ``score``: mean over respondents; ``spread``: their standard deviation (missing below two
    respondents); ``n``: respondents who answered the dimension; ``gap``: target minus score
    (positive: below target); ``rank``: 1 for the highest score; ``role_gap``: highest minus
    lowest role score, with both roles named; ``answers``: answered questions.
    """
    dims = [d.id for d in questionnaire.dimensions]
    grouped = respondents.groupby("dimension")["score"]
    out = pd.DataFrame(index=pd.Index(dims, name="dimension"))
    out["score"] = grouped.mean().reindex(dims)
    out["spread"] = grouped.std(ddof=1).reindex(dims)
    out["n"] = grouped.size().reindex(dims).fillna(0).astype(int)
    out["target"] = pd.Series(targets, dtype=float).reindex(dims)
    out["gap"] = out["target"] - out["score"]
    out["name"] = [questionnaire.names[d] for d in dims]
    out["level"] = [level_of(s) for s in out["score"]]
    order = out["score"].rank(method="first", ascending=False)
    out["rank"] = order.astype("Int64")
    roles = role_scores(respondents, questionnaire)
    answered_roles = {d: roles[d].dropna() for d in dims}
    out["highest_role"] = [answered_roles[d].idxmax() if len(answered_roles[d]) else None for d in dims]
    out["highest_role_score"] = [answered_roles[d].max() if len(answered_roles[d]) else np.nan for d in dims]
    out["lowest_role"] = [answered_roles[d].idxmin() if len(answered_roles[d]) else None for d in dims]
    out["lowest_role_score"] = [answered_roles[d].min() if len(answered_roles[d]) else np.nan for d in dims]
    out["role_gap"] = out["highest_role_score"] - out["lowest_role_score"]
    counts = answered.groupby("dimension").size() if answered is not None else pd.Series(dtype=int)
    out["answers"] = counts.reindex(dims).fillna(0).astype(int)
    out["lens"] = [questionnaire.dimension(d).lens for d in dims]
    decimals = ["score", "spread", "gap", "role_gap", "highest_role_score", "lowest_role_score"]
    out[decimals] = out[decimals].round(4)
    return out.reset_index()[list(MATURITY_COLUMNS)]


def disagreements(scores: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` dimensions whose role scores lie furthest apart, largest first."""
    ranked = scores.dropna(subset=["role_gap"]).sort_values(["role_gap", "dimension"], ascending=[False, True],
                                                             kind="stable")
    return ranked.head(n).reset_index(drop=True)


@dataclass(frozen=True)
class Priority:
    """One priority: the dimension, why it was chosen (``gap`` or ``disagreement``) and the sentence."""

    dimension: str
    reason: str
    text: str


def _first_sentence(text: str) -> str:
    cut = text.find(". ")
    return text if cut < 0 else text[:cut + 1]


def _next_level_text(dimension, score: float) -> str:
    level = level_of(score) or 1
    nxt = min(5, level + 1)
    description = dimension.levels[nxt].rstrip(".")
    return f"To reach level {nxt}: {description[0].lower()}{description[1:]}."


def priorities(scores: pd.DataFrame, questionnaire: Questionnaire, n: int = DEFAULT.n_priorities,
               disagreement_threshold: float = DEFAULT.disagreement_threshold, max_disagreements: int = 2) -> list[Priority]:
    """The ``n`` priorities that follow from the scores, in plain words.

    First the dimensions on which the roles disagree by at least ``disagreement_threshold``
    points (at most ``max_disagreements``, largest first): the gap cannot be closed before
    the executives agree where the company stands. Then the largest gaps to target (ties: the
    lower score first). Each sentence draws on the dimension's ``why_it_matters`` and the
    description of the next level up.
    """
    rows = scores.dropna(subset=["score"]).set_index("dimension")
    chosen: list[Priority] = []
    split = rows[rows["role_gap"] >= disagreement_threshold].sort_values(["role_gap", "score"], ascending=[False, True],
                                                                         kind="stable")
    for did, row in split.head(max_disagreements).iterrows():
        if len(chosen) >= n:
            break
        dim = questionnaire.dimension(did)
        chosen.append(Priority(did, "disagreement", (
            f"{dim.name}: agree first where the company stands. Role scores range from {row['lowest_role_score']:.1f} "
            f"({row['lowest_role']}) to {row['highest_role_score']:.1f} ({row['highest_role']}): the average of "
            f"{row['score']:.1f} hides two different views of the same organisation. "
            f"{_first_sentence(dim.why_it_matters)} {_next_level_text(dim, row['score'])}")))
    gaps = rows[(rows["gap"] > 0) & ~rows.index.isin([p.dimension for p in chosen])]
    gaps = gaps.assign(_d=gaps.index).sort_values(["gap", "score", "_d"], ascending=[False, True, True], kind="stable")
    for did, row in gaps.iterrows():
        if len(chosen) >= n:
            break
        dim = questionnaire.dimension(did)
        chosen.append(Priority(did, "gap", (
            f"{dim.name}: raise it from {row['score']:.1f} to {row['target']:.1f}. "
            f"{_first_sentence(dim.why_it_matters)} {_next_level_text(dim, row['score'])}")))
    return chosen

