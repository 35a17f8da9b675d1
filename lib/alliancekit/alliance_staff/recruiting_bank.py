"""The recruiting bank: a competency model for alliance roles and an interview guide per role.

Practitioners offer clients "assistance with identifying, recruiting and interviewing Alliance
and Ecosystem staff" and "an external review of existing staff effectiveness". Both need one
yardstick, so the content lives in two editable templates of ``engagement_templates/org_design/``
(copied into an engagement by ``alliancekit new``, edited there with the client):

- ``competencies.yml``: the competencies of alliance work (partner strategy, relationships
  across both organisations, influencing without authority, ...), each with a definition and
  behavioural anchors for the levels 1 to 5 (1 absent or counter-productive, 3 solid
  professional, 5 role model who shapes the organisation).
- ``interview_guide.yml``: for every role of ``roles.yml``, the competencies that matter most
  with the level required and a weight, 6-10 behavioural questions tagged with the competency
  they probe (with what a strong and a weak answer sound like), and a work-sample exercise.

A candidate and a person in post are scored on the same anchored scales. This module reads
and checks both files into frozen pydantic models (unknown keys refused). A broken edit stops
with :class:`~alliancekit.errors.InputError` listing every problem at once, each naming the
file, the place in the YAML and its line; positions in a list count from 1, as a consultant
reads the file::

    interview_guide.yml: alliance_manager.questions[6].competency (line 227): 'negotation' is not
    in the competency model; did you mean 'negotiation'?

The checks: anchors and level names exactly 1-5; unique snake_case competency ids; per role,
4-6 competencies of the model with ``required`` 1-5 and ``weight`` 1-3, 6-10 questions, each
question and the work sample probing one of the role's competencies and every one of those
probed; a guide for every role of ``roles.yml`` and for no other; no key written twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from ..errors import did_you_mean
from ..template_yaml import LEVELS, LocatedReport, exact_levels, read_template

COMPETENCIES_FILE = "competencies.yml"
INTERVIEW_GUIDE_FILE = "interview_guide.yml"

# The anchored scale is template_yaml.LEVELS (1-5): every competency describes each of its levels.
#: How much a competency counts in a role's overall score: 3 critical, 2 important, 1 useful.
WEIGHTS = (1, 2, 3)
#: Behavioural questions per role, and competencies per role (enough to decide, few enough to ask).
MIN_QUESTIONS, MAX_QUESTIONS = 6, 10
MIN_ROLE_COMPETENCIES, MAX_ROLE_COMPETENCIES = 4, 6

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
CompetencyId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class _Template(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Competency(_Template):
    """One competency of the model: what it is, and what each level looks like."""

    id: CompetencyId
    name: Text
    definition: Text
    anchors: dict[int, Text] = Field(description="level (1-5) -> observable behaviour at that level")

    @field_validator("anchors")
    @classmethod
    def _five_anchors(cls, value: dict[int, str]) -> dict[int, str]:
        return exact_levels(value, "anchors")


class CompetencyModel(_Template):
    """``competencies.yml``: the names of the scale's levels and the competencies."""

    levels: dict[int, Text] = Field(description="level (1-5) -> its short name on the scorecards")
    competencies: list[Competency] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _five_levels(cls, value: dict[int, str]) -> dict[int, str]:
        return exact_levels(value, "levels")

    @property
    def ids(self) -> list[str]:
        """Competency ids in the order of the file."""
        return [c.id for c in self.competencies]

    def competency(self, competency_id: str) -> Competency:
        """The competency ``competency_id`` (KeyError if the model has none of that id)."""
        for competency in self.competencies:
            if competency.id == competency_id:
                return competency
        raise KeyError(competency_id)


class Requirement(_Template):
    """How much of a competency a role needs, and how much it counts."""

    required: int = Field(strict=True, ge=min(LEVELS), le=max(LEVELS), description="level needed on day one")
    weight: int = Field(strict=True, ge=min(WEIGHTS), le=max(WEIGHTS), description="3 critical, 2 important, 1 useful")


class Question(_Template):
    """A behavioural interview question and what strong and weak answers sound like."""

    competency: str
    question: Text
    strong: Text
    weak: Text


class WorkSample(_Template):
    """The exercise a short-listed candidate does, and what the panel looks for."""

    title: Text
    brief: Text
    materials: list[Text] = Field(min_length=1)
    time_allowed: Text
    competencies: list[str] = Field(min_length=1)
    looks_for: list[Text] = Field(min_length=1)
    warning_signs: list[Text] = Field(default_factory=list)


class RoleGuide(_Template):
    """The interview guide of one role."""

    competencies: dict[str, Requirement]
    questions: list[Question]
    work_sample: WorkSample

    def questions_for(self, competency_id: str) -> list[Question]:
        """The questions that probe ``competency_id``, in the order of the file."""
        return [q for q in self.questions if q.competency == competency_id]


class InterviewGuide(_Template):
    """``interview_guide.yml``: one guide per role, in the order of ``roles.yml``."""

    roles: dict[str, RoleGuide]

    def role(self, role_id: str) -> RoleGuide:
        """The guide of ``role_id``."""
        return self.roles[role_id]


# --- competencies.yml -------------------------------------------------------------------------

def load_competencies(path: str | Path) -> CompetencyModel:
    """Read and check ``competencies.yml`` (raises :class:`InputError` listing every problem)."""
    data, report = read_template(path)
    model = None
    try:
        model = CompetencyModel.model_validate(data)
    except ValidationError as exc:
        report.add_validation(exc, CompetencyModel)
    entries = data.get("competencies")
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        cid = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(cid, str) and cid in seen:
            report.add(("competencies", i, "id"), f"'{cid}' is also the id of competencies[{seen[cid] + 1}]; "
                                                  "ids must be unique")
        elif isinstance(cid, str):
            seen[cid] = i
    report.raise_if_any()
    return model


# --- interview_guide.yml ----------------------------------------------------------------------

def _tagged(loc: tuple, tag: Any, role_id: str, role_ids: list[str], model_ids: list[str], report: LocatedReport) -> None:
    """Report a question's or work sample's competency that is not one of the role's."""
    if not isinstance(tag, str) or tag in role_ids:
        return
    if tag in model_ids:
        report.add(loc, f"'{tag}' is not one of {role_id}'s competencies ({', '.join(role_ids)}); "
                        f"add it to {role_id}.competencies or probe one of those")
    else:
        report.add(loc, f"'{tag}' is not in the competency model; {did_you_mean(tag, role_ids or model_ids)}")


def _role_problems(role_id: str, raw: Any, model_ids: list[str], report: LocatedReport) -> None:
    """What the role's guide asks that the competency model and the rules do not allow."""
    if not isinstance(raw, dict):
        return  # pydantic said what it expected
    wanted = raw.get("competencies")
    role_comps: list[str] = []
    if isinstance(wanted, dict):
        if not MIN_ROLE_COMPETENCIES <= len(wanted) <= MAX_ROLE_COMPETENCIES:
            report.add((role_id, "competencies"), f"{len(wanted)} competencies; a role needs "
                                                  f"{MIN_ROLE_COMPETENCIES} to {MAX_ROLE_COMPETENCIES}")
        for cid in wanted:
            if cid in model_ids:
                role_comps.append(cid)
            else:
                report.add((role_id, "competencies", cid), f"'{cid}' is not in the competency model; "
                                                           f"{did_you_mean(cid, model_ids)}")
    probed: set[str] = set()
    questions = raw.get("questions")
    if isinstance(questions, list):
        if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
            report.add((role_id, "questions"), f"{len(questions)} question{'s' if len(questions) != 1 else ''}; "
                                               f"a role needs {MIN_QUESTIONS} to {MAX_QUESTIONS}")
        for i, question in enumerate(questions):
            tag = question.get("competency") if isinstance(question, dict) else None
            _tagged((role_id, "questions", i, "competency"), tag, role_id, role_comps, model_ids, report)
            probed.add(tag)
    sample = raw.get("work_sample")
    tags = sample.get("competencies") if isinstance(sample, dict) else None
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        _tagged((role_id, "work_sample", "competencies", i), tag, role_id, role_comps, model_ids, report)
        probed.add(tag)
    if isinstance(questions, list):
        for cid in role_comps:
            if cid not in probed:
                report.add((role_id, "competencies", cid), "no question or work sample probes it; "
                                                           f"tag a question '{cid}' or remove it from the role")


def load_interview_guide(path: str | Path, competencies: CompetencyModel | Iterable[str],
                         role_ids: Sequence[str]) -> InterviewGuide:
    """Read and check ``interview_guide.yml`` against the competency model and the roles of ``roles.yml``.

    ``competencies``: the :class:`CompetencyModel` (or its ids); ``role_ids``: the role library's
    ids (``Templates.role_ids``), every one of which needs a guide. Raises :class:`InputError`
    listing every problem.
    """
    model_ids = competencies.ids if isinstance(competencies, CompetencyModel) else list(competencies)
    role_ids = list(role_ids)
    data, report = read_template(path)
    guides: dict[str, RoleGuide] = {}
    for role_id, raw in data.items():
        if role_id not in role_ids:
            report.add((role_id,), f"'{role_id}' is not a role of roles.yml; {did_you_mean(role_id, role_ids)}")
            continue
        try:
            guides[role_id] = RoleGuide.model_validate(raw)
        except ValidationError as exc:
            report.add_validation(exc, RoleGuide, prefix=(role_id,))
        _role_problems(role_id, raw, model_ids, report)
    for role_id in role_ids:
        if role_id not in data:
            report.add((), f"no guide for role '{role_id}' of roles.yml; every role needs one (add '{role_id}:')")
    report.raise_if_any()
    return InterviewGuide(roles={role_id: guides[role_id] for role_id in role_ids})
