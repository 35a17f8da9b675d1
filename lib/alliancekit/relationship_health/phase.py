"""The relationship health survey as one computation: :func:`review` returns a :class:`HealthReview`.

Analysis in :mod:`.analysis`, the statement bank in :mod:`.bank`; comments are redacted and
classified by :mod:`alliancekit.feedback`, the library package partner_swot uses too (phases
never import each other).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import MAX_ROWS_PER_RULE, InputError, Problem, did_you_mean, spreadsheet_row
from .analysis import (alliance_health, group_scores, mind_share, nps, perception_gaps, respondent_scores,
                       weakest_dimensions)
from .bank import BANK_FILE, BANK_TEMPLATE, StatementBank, load_bank
from .declaration import Params

#: Columns of ``relationship_scores.csv`` and ``gaps.csv`` (``alliance`` is the partner id).
SCORE_COLUMNS = ("alliance", "partner_name", "dimension", "side", "wave", "score", "interval", "low", "high",
                 "respondents")
MIND_SHARE_COLUMNS = ("alliance", "partner_name", "wave", "score", "interval", "respondents", "previous_wave", "change",
                      "change_interval", "p_value", "called")
GAP_COLUMNS = ("alliance", "partner_name", "dimension", "wave", "us", "partner", "gap", "interval", "low", "high",
               "combined_gap", "p_value", "flagged")


@dataclass
class HealthReview:
    """Everything the report shows, computed once."""

    params: dict[str, Any]
    bank: StatementBank
    names: dict[str, str]            # partner id -> partner name
    waves: list[str]
    groups: pd.DataFrame             # analysis.group_scores
    gaps: pd.DataFrame               # analysis.perception_gaps
    mind_share: pd.DataFrame         # analysis.mind_share
    nps: pd.DataFrame                # analysis.nps
    health: pd.DataFrame             # analysis.alliance_health of the latest wave
    weakest: pd.DataFrame            # analysis.weakest_dimensions of the latest wave
    comments: pd.DataFrame           # alliance, side, wave, quadrant, comment (redacted; quotable groups only)
    surveyed: int                    # alliances with at least one group shown
    hidden_groups: int               # alliance x side x wave groups below min_respondents (not shown)
    notes: list[str] = field(default_factory=list)

    @property
    def latest(self) -> str:
        return self.waves[-1] if self.waves else ""

    def results(self) -> dict[str, pd.DataFrame]:
        """``relationship_scores.csv``, ``gaps.csv``, ``alliance_health.csv`` (one row per alliance
        and wave: health, each side's score, each side's NPS; what a partner's scorecard shows) and
        ``mind_share.csv`` (the partner field teams' score per alliance and wave, the change from
        the wave before and whether it is called). Groups of at least ``min_respondents`` only."""
        scores = self.groups.assign(partner_name=self.groups["alliance"].map(self.names))
        gaps = self.gaps.assign(partner_name=self.gaps["alliance"].map(self.names))
        return {"relationship_scores.csv": scores[list(SCORE_COLUMNS)].round(4),
                "gaps.csv": gaps[list(GAP_COLUMNS)].round(6), "alliance_health.csv": self.by_wave(),
                "mind_share.csv": self.mind_share.assign(partner_name=self.mind_share["alliance"].map(self.names))[
                    list(MIND_SHARE_COLUMNS)].round(6)}

    def by_wave(self) -> pd.DataFrame:
        """Health and both sides' scores and NPS per alliance and wave."""
        frames = [alliance_health(self.groups, self.gaps, wave).assign(wave=wave) for wave in self.waves]
        health = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["alliance", "wave"])
        nps = self.nps.pivot_table(index=["alliance", "wave"], columns="side", values="nps").add_prefix("nps_")
        out = health.merge(nps.reset_index(), on=["alliance", "wave"], how="left") if len(nps) else health
        for column in ("nps_us", "nps_partner"):
            if column not in out:
                out[column] = float("nan")
        out = out.sort_values(["alliance", "wave"], kind="stable")
        return out[["alliance", "wave", "health", "us", "partner", "nps_us", "nps_partner"]].round(4).reset_index(drop=True)


def bank_path(params: Mapping[str, Any], root: Path | None) -> Path:
    """The statement bank: the parameter's file, else the engagement's own copy, else the kit's template."""
    given = str(params.get("statement_bank") or "")
    if given:
        return (Path(root) / given) if root is not None else Path(given)
    own = Path(root) / "relationship_health" / BANK_FILE if root is not None else None
    return own if own is not None and own.is_file() else BANK_TEMPLATE


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None,
           root: Path | None = None) -> HealthReview:
    """The relationship health review of validated inputs (``partners``, ``health_survey``)."""
    params = Params.complete(params)
    bank = load_bank(bank_path(params, root))
    survey = inputs["health_survey"]
    partners = inputs["partners"]
    names = dict(zip(partners["partner_id"].astype(str), partners["partner_name"].astype(str)))
    minimum = int(params["min_respondents"])
    dimension_of = {sid: bank.dimension_of(sid).id for sid in bank.statement_ids()}
    scores = respondent_scores(survey, dimension_of)
    groups = group_scores(scores, minimum)
    gaps = perception_gaps(groups, float(params["gap_threshold"]))
    waves = sorted(survey["wave"].astype(str).unique())
    latest = waves[-1] if waves else ""
    sizes = survey.groupby(["partner_id", "side", "wave"])["respondent_id"].nunique()
    return HealthReview(
        params=dict(params), bank=bank, names=names, waves=waves, groups=groups, gaps=gaps,
        mind_share=mind_share(scores, bank.mind_share_dimension.id, list(bank.field_functions), minimum,
                              float(params["change_threshold"])),
        nps=nps(survey, minimum), health=alliance_health(groups, gaps, latest),
        weakest=weakest_dimensions(groups, latest),
        comments=quotable_comments(survey, sizes, minimum),
        surveyed=int(groups["alliance"].nunique()), hidden_groups=int((sizes < minimum).sum()))


def quotable_comments(survey: pd.DataFrame, sizes: pd.Series, minimum: int) -> pd.DataFrame:
    """Comments of groups of at least ``minimum`` people, redacted and classified (one per respondent
    and wave, in file order); nothing that could identify a respondent is kept."""
    columns = ["alliance", "side", "wave", "quadrant", "comment"]
    if "comment" not in survey:
        return pd.DataFrame(columns=columns)
    c = survey[survey["comment"].notna() & (survey["comment"].astype(str).str.strip() != "")]
    c = c.drop_duplicates(["respondent_id", "wave"])
    size = sizes.reindex(pd.MultiIndex.from_frame(c[["partner_id", "side", "wave"]])).to_numpy()
    c = c[size >= minimum]
    if c.empty:
        return pd.DataFrame(columns=columns)
    from ..feedback import classify_texts, redact_texts

    texts, _ = redact_texts(c["comment"].astype(str).tolist())
    return pd.DataFrame({"alliance": c["partner_id"].astype(str).to_numpy(), "side": c["side"].astype(str).to_numpy(),
                         "wave": c["wave"].astype(str).to_numpy(), "quadrant": classify_texts(texts), "comment": texts})


def check_inputs(tables: Mapping[str, pd.DataFrame], params: Mapping[str, Any], root=None) -> list[Problem]:
    """Before any kernel starts: the statement bank reads, and every statement answered is in it."""
    try:
        bank = load_bank(bank_path(params, Path(root) if root is not None else None))
    except InputError as exc:
        return list(exc.problems)
    survey = tables.get("health_survey")
    if survey is None or "statement_id" not in survey:
        return []
    label = survey.attrs.get("source", "health_survey.csv")
    known = set(bank.statement_ids())
    ids = survey["statement_id"].astype(str)
    unknown = ids[~ids.isin(known)]
    problems = [Problem(label, f"statement '{value}' is not in the statement bank; {did_you_mean(value, known)}",
                        column="statement_id", row=spreadsheet_row(index))
                for index, value in list(unknown.items())[:MAX_ROWS_PER_RULE]]
    if len(unknown) > MAX_ROWS_PER_RULE:
        problems.append(Problem(label, f"... and {len(unknown) - MAX_ROWS_PER_RULE} more rows with statements not "
                                       "in the bank", column="statement_id"))
    return problems
