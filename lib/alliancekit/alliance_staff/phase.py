"""The alliance staff review as one computation: :func:`review` returns a :class:`StaffReview`.

Two deliverables share the phase because they share everything they stand on (the role
library, the competency model, the staff list, the partners' results): the staff
effectiveness review (:mod:`.effectiveness`, the team findings here) and the recruiting kit
(:mod:`.recruiting`). A phase of its own rather than a section of org_design: the review needs
portfolio_health's results, which come after the organisation design, and it is confidential
to leadership and HR, so it must never travel with the organisation report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import Problem
from .recruiting_bank import load_competencies, load_interview_guide
from ..org_design.staffing import staff_roles
from ..org_design.templates import find_template, load_templates, template_folders
from .declaration import Params
from .effectiveness import ManagerReview, coverage, partner_results, review_managers

#: A manager whose partners carry at least this share of the partners' 12-month revenue is a single point of failure.
CONCENTRATION = 0.25
#: The maturity questionnaire's dimensions about the team's skills and careers (when the survey is given).
TEAM_DIMENSIONS = ("team_capability", "professional_development")
#: Partner-feedback topic of the SWOT that is about the alliance managers.
PEOPLE_TOPIC = "people"
#: Competencies to develop when a result falls short of the mix (ids of the competency model).
DEVELOPMENT = {"health_score": ("relationship_building", "joint_planning"),
               "growth": ("partner_strategy", "joint_planning"),
               "attainment": ("joint_planning", "measurement"),
               "win_rate": ("negotiation", "influencing_without_authority"),
               "kpis_on_target": ("joint_planning", "measurement")}


@dataclass
class StaffReview:
    """Everything the staff review and the recruiting kit show."""

    client: str
    params: dict[str, Any]
    managers: ManagerReview
    role_ids: pd.Series                 # staff_id -> role id of the role library (None: not recognised)
    staff: pd.DataFrame
    uncovered: pd.DataFrame             # partners no alliance manager covers: partner_id, partner_name, tier, revenue_ttm
    revenue_total: float                # the partners' 12-month revenue
    load: pd.DataFrame | None           # org_design's staff_load.csv
    team_maturity: pd.DataFrame | None  # dimension, name, question, statement, score, respondents
    feedback: pd.DataFrame | None       # SWOT themes about the alliance managers (topic 'people')
    competencies: Any
    guide: Any
    titles: dict[str, str]              # role id -> title
    positions: list[str]                # role ids the recruiting kit covers
    shortlist: Any = None               # recruiting.Shortlist when hiring scores were given
    panels: dict[str, list[str]] = field(default_factory=dict)  # position -> its interviewers (hiring scores)
    partner_view: pd.DataFrame | None = None  # staff_id, surveyed partners, their teams' mean rating (latest wave)
    notes: list[str] = field(default_factory=list)

    def results(self) -> dict[str, pd.DataFrame]:
        """``manager_review.csv`` (one row per reviewed person) and ``shortlist.csv`` (empty without hiring scores)."""
        shortlist = self.shortlist.ranking if self.shortlist is not None else pd.DataFrame(columns=SHORTLIST_COLUMNS)
        return {"manager_review.csv": self.managers.managers, "shortlist.csv": shortlist}


#: Columns of ``shortlist.csv`` when no hiring scores were given (the same as a shortlist's).
SHORTLIST_COLUMNS = ("position", "candidate_id", "rank")


def _bank(root: Path | None):
    """The competency model, interview guide and roles: the engagement's own copies when it has them."""
    folders = template_folders(root / "engagement.yml" if root is not None else None)
    templates = load_templates(folders)
    titles = {r["id"]: r["title"] for r in templates.roles}
    competencies = load_competencies(find_template("competencies.yml", folders))
    guide = load_interview_guide(find_template("interview_guide.yml", folders), competencies, list(titles))
    return templates, titles, competencies, guide


def team_maturity(survey: pd.DataFrame | None, root: Path | None) -> pd.DataFrame | None:
    """Mean answer per question of :data:`TEAM_DIMENSIONS` in the maturity survey (None without it)."""
    if survey is None or survey.empty:
        return None
    from ..strategy_assessment.templates import QUESTIONNAIRE_FILE, load_questionnaire, template_path

    path = template_path("", QUESTIONNAIRE_FILE, root)
    questionnaire = load_questionnaire(path)[0] if path is not None else None
    if questionnaire is None:
        return None
    rows = []
    scores = survey.assign(score=pd.to_numeric(survey["score"], errors="coerce"))
    for dimension in questionnaire.dimensions:
        if dimension.id not in TEAM_DIMENSIONS:
            continue
        for qid, text in dimension.questions:
            answers = scores.loc[scores["question_id"].astype(str) == qid, "score"].dropna()
            rows.append({"dimension": dimension.id, "name": dimension.name, "question": qid, "statement": text,
                         "score": float(answers.mean()) if len(answers) else float("nan"),
                         "respondents": int(len(answers))})
    return pd.DataFrame(rows) if rows else None


def people_feedback(themes: pd.DataFrame | None) -> pd.DataFrame | None:
    """The SWOT's themes about the alliance managers (respondent counts only: never a quote)."""
    if themes is None or "topic" not in themes:
        return None
    return themes.loc[themes["topic"].astype(str) == PEOPLE_TOPIC,
                      ["theme", "quadrant", "respondents", "partners"]].reset_index(drop=True)


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None,
           *, segments: pd.DataFrame | str | Path, load: pd.DataFrame | str | Path | None = None,
           themes: pd.DataFrame | str | Path | None = None, root: Path | None = None, client: str = "",
           scorecard: str | Path | None = None, relationship: str | Path | None = None) -> StaffReview:
    """The staff review and the recruiting kit from validated inputs and earlier phases' results.

    ``segments``: portfolio_health's ``segments.csv`` (required: phases pass results through files);
    ``load``: org_design's ``staff_load.csv``;
    ``themes``: partner_swot's ``themes.csv`` (optional); ``scorecard``: metric_design's
    ``scorecard.yml`` (optional: the partners' scorecard statuses, computed as the ecosystem
    report does, need ``partner_metrics``); ``relationship``: relationship_health's
    ``alliance_health.csv`` (optional: the partner side's rating of each surveyed alliance in the
    latest wave); ``root``: the engagement's folder (its own copies of
    the templates).
    """
    params = Params.complete(params)
    read = lambda x: pd.read_csv(x) if isinstance(x, (str, Path)) else x  # noqa: E731
    segments, load, themes = read(segments), read(load), read(themes)
    partners, staff = inputs["partners"], inputs["staff"]
    templates, titles, competencies, guide = _bank(root)
    role_ids = staff_roles(staff, templates.roles)
    results = partner_results(segments, partners, scorecard_status(inputs, scorecard))
    managers = review_managers(results, staff, role_ids, load, int(params["min_partners"]))
    partner_view = partner_side_view(read(relationship), managers)
    covered = set(coverage(staff, role_ids)["partner_id"])
    uncovered = results.loc[~results.index.isin(covered), ["partner_name", "tier", "revenue_ttm"]].reset_index()
    uncovered = uncovered.sort_values(["revenue_ttm", "partner_id"], ascending=[False, True], kind="stable")
    from .recruiting import normalise_hiring_scores, shortlist

    scores = inputs.get("hiring_scores")
    ranked, panels = None, {}
    if scores is not None and len(scores):
        normalised = normalise_hiring_scores(scores, guide, competencies, titles)
        ranked = shortlist(normalised, guide, competencies, titles)
        panels = {str(p): list(dict.fromkeys(g["interviewer"].astype(str)))
                  for p, g in normalised.groupby("position", sort=False)}
    return StaffReview(
        client=client, params=dict(params), managers=managers, role_ids=role_ids, staff=staff,
        uncovered=uncovered.reset_index(drop=True), revenue_total=float(results["revenue_ttm"].sum()), load=load,
        team_maturity=team_maturity(inputs.get("maturity_survey"), root), feedback=people_feedback(themes),
        competencies=competencies, guide=guide, titles=titles,
        positions=chosen_positions(params["positions"], titles, ranked), shortlist=ranked, panels=panels,
        partner_view=partner_view)


def scorecard_status(inputs: Mapping[str, pd.DataFrame], scorecard: str | Path | None) -> pd.DataFrame | None:
    """Every partner's scorecard statuses, as the ecosystem report computes them (None without a
    scorecard or monthly metrics)."""
    if scorecard is None or inputs.get("partner_metrics") is None:
        return None
    from ..ecosystem_reporting.declaration import DEFAULT as REPORTING
    from ..ecosystem_reporting.panel import build_panel, partner_status
    from ..ecosystem_reporting.upstream import read_scorecard

    partners = inputs["partners"].reset_index(drop=True)
    spec = read_scorecard(scorecard).with_target_goal()
    return partner_status(partners, build_panel(partners, inputs["partner_metrics"]), spec,
                          int(REPORTING.direction_months))


def partner_side_view(health: pd.DataFrame | None, managers: ManagerReview) -> pd.DataFrame | None:
    """Per reviewed person: how many of the partners covered were surveyed in the latest wave, and
    the partner teams' mean rating of the relationship there (None without the survey)."""
    if health is None or health.empty:
        return None
    latest = health[health["wave"].astype(str) == health["wave"].astype(str).max()]
    rating = latest.set_index(latest["alliance"].astype(str))["partner"]
    covered = managers.partners.assign(rating=managers.partners["partner_id"].map(rating))
    out = covered.groupby("staff_id", sort=False)["rating"].agg(surveyed="count", partner_rating="mean").reset_index()
    return out


def chosen_positions(given: str, titles: Mapping[str, str], ranked=None) -> list[str]:
    """The role ids the recruiting kit covers: ``given`` (comma-separated), else the hiring scores'
    positions, else every role of the library, in the library's order."""
    wanted = [p.strip() for p in str(given or "").split(",") if p.strip()]
    if not wanted and ranked is not None:
        wanted = list(dict.fromkeys(ranked.ranking["position"].astype(str)))
    return [r for r in titles if r in wanted] if wanted else list(titles)


def check_inputs(tables: Mapping[str, pd.DataFrame], params: Mapping[str, Any], root=None) -> list[Problem]:
    """Before any kernel starts: the positions asked for exist, and the hiring scores name positions,
    competencies and scores the kit knows (row and column of the client's file)."""
    from .recruiting import hiring_problems

    try:
        _, titles, competencies, guide = _bank(Path(root) if root is not None else None)
    except Exception as exc:  # a broken template copy is reported by its own loader's message
        return [Problem("interview_guide.yml", str(exc))]
    problems = []
    for wanted in (p.strip() for p in str(params.get("positions") or "").split(",") if p.strip()):
        if wanted not in titles:
            from ..errors import did_you_mean

            problems.append(Problem("engagement.yml", f"phases.alliance_staff.positions: '{wanted}' is not a role of the "
                                                      f"role library; {did_you_mean(wanted, titles)}"))
    scores = tables.get("hiring_scores")
    if scores is not None:
        problems += hiring_problems(scores, guide, competencies, titles, scores.attrs.get("source", "hiring_scores.csv"))
    return problems
