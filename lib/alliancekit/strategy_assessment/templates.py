"""The two templates the phase reads: the maturity questionnaire and the argument library.

Both are YAML files a consultant may edit per client (``engagement_templates/``, copied into
every engagement by ``alliancekit new``). Each loader returns the parsed template and the
problems found in it, as sentences that name the file and the entry, so an edited copy with
a typo stops the run with exit 2 instead of failing inside the notebook.

Which file is used is a parameter (``questionnaire``, ``arguments``): empty means the kit's
template; a relative path is relative to the engagement file's folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from ..paths import TEMPLATES

QUESTIONNAIRE_FILE = "maturity_questionnaire.yml"
ARGUMENTS_FILE = "strategy_arguments.yml"
LEVELS = (1, 2, 3, 4, 5)


def template_path(value: str, default_name: str, root: Path | None) -> Path | None:
    """The file a ``questionnaire``/``arguments`` parameter names.

    ``""`` is the kit's template; an absolute path is itself; a relative path is relative to
    ``root`` (the engagement file's folder), or ``None`` when ``root`` is not known.
    """
    if not str(value).strip():
        return TEMPLATES / default_name
    path = Path(str(value)).expanduser()
    if path.is_absolute():
        return path
    return None if root is None else (Path(root) / path).resolve()


def _read_yaml(path: Path, label: str) -> tuple[Any, list[Problem]]:
    if not path.is_file():
        return None, [Problem(label, f"file not found: {path}")]
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return None, [Problem(label, f"not valid YAML: {exc}")]


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _score(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= 5


# ----------------------------------------------------------------------------------------------
# Maturity questionnaire
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Dimension:
    """One maturity dimension: its five behaviourally anchored levels and its questions."""

    id: str
    name: str
    lens: str
    lifecycle_stage: str
    why_it_matters: str
    levels: dict[int, str]
    questions: tuple[tuple[str, str], ...]  # (question id, statement)


@dataclass(frozen=True)
class Questionnaire:
    """The maturity questionnaire: roles, the 1-5 scale's names and the dimensions."""

    path: Path
    title: str
    roles: tuple[str, ...]
    scale: dict[int, str]
    dimensions: tuple[Dimension, ...]

    @property
    def question_dimension(self) -> dict[str, str]:
        """Question id -> dimension id."""
        return {q: d.id for d in self.dimensions for q, _ in d.questions}

    @property
    def names(self) -> dict[str, str]:
        """Dimension id -> display name."""
        return {d.id: d.name for d in self.dimensions}

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with id ``dimension_id``."""
        return next(d for d in self.dimensions if d.id == dimension_id)


def load_questionnaire(path: Path) -> tuple[Questionnaire | None, list[Problem]]:
    """Read and check a questionnaire file; ``(None, problems)`` when it cannot be used."""
    label = Path(path).name
    raw, problems = _read_yaml(Path(path), label)
    if problems:
        return None, problems
    if not isinstance(raw, dict) or not isinstance(raw.get("dimensions"), list) or not raw["dimensions"]:
        return None, [Problem(label, "expected a mapping with a non-empty list 'dimensions' (see the kit's template)")]
    scale_raw = raw.get("scale") or {}
    scale = {int(k): str(v) for k, v in scale_raw.items() if str(k).isdigit()} if isinstance(scale_raw, dict) else {}
    if set(scale) != set(LEVELS):
        problems.append(Problem(label, "'scale' must name the levels 1 to 5 (e.g. 1: Ad hoc ... 5: Optimised)"))
    roles = raw.get("roles") or []
    if not isinstance(roles, list) or not all(_text(r) for r in roles):
        problems.append(Problem(label, "'roles' must be a list of role names (e.g. [CEO, CFO, Sales])"))
        roles = []
    dimensions, seen_dims, seen_questions = [], set(), set()
    for n, d in enumerate(raw["dimensions"], 1):
        where = f"dimension {n}"
        if not isinstance(d, dict) or not _text(d.get("id")):
            problems.append(Problem(label, f"{where}: needs an 'id'"))
            continue
        did = str(d["id"]).strip()
        where = f"dimension '{did}'"
        if did in seen_dims:
            problems.append(Problem(label, f"{where}: the id is used twice"))
        seen_dims.add(did)
        for key in ("name", "why_it_matters"):
            if not _text(d.get(key)):
                problems.append(Problem(label, f"{where}: '{key}' is missing"))
        levels_raw = d.get("levels") if isinstance(d.get("levels"), dict) else {}
        levels = {int(k): str(v).strip() for k, v in levels_raw.items() if str(k).isdigit() and _text(v)}
        if set(levels) != set(LEVELS):
            missing = [str(k) for k in LEVELS if k not in levels]
            problems.append(Problem(label, f"{where}: every level 1-5 needs a description (missing: {', '.join(missing)})"))
        questions = []
        for q in d.get("questions") or []:
            if not isinstance(q, dict) or not _text(q.get("id")) or not _text(q.get("text")):
                problems.append(Problem(label, f"{where}: every question needs an 'id' and a 'text'"))
                continue
            qid = str(q["id"]).strip()
            if qid in seen_questions:
                problems.append(Problem(label, f"{where}: question id '{qid}' is used twice in the questionnaire"))
            seen_questions.add(qid)
            questions.append((qid, " ".join(str(q["text"]).split())))
        if not questions:
            problems.append(Problem(label, f"{where}: has no questions"))
        dimensions.append(Dimension(did, str(d.get("name", did)).strip(), str(d.get("lens", "")).strip(),
                                    str(d.get("lifecycle_stage", "")).strip(),
                                    " ".join(str(d.get("why_it_matters", "")).split()), levels, tuple(questions)))
    if problems:
        return None, problems
    return Questionnaire(Path(path), str(raw.get("title", "Alliance maturity questionnaire")), tuple(map(str, roles)),
                         scale, tuple(dimensions)), []


# ----------------------------------------------------------------------------------------------
# Argument library
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """One portfolio strategy option with its arguments and its 1-5 score per criterion."""

    id: str
    name: str
    summary: str
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    fits_when: tuple[str, ...]
    criteria: dict[str, float]


@dataclass(frozen=True)
class Criterion:
    """One decision criterion of the strategy options."""

    id: str
    name: str
    description: str
    default_weight: float


@dataclass(frozen=True)
class ArgumentLibrary:
    """The strategy options and the criteria they are scored on."""

    path: Path
    options: tuple[Option, ...]
    criteria: tuple[Criterion, ...]

    @property
    def criterion_names(self) -> dict[str, str]:
        """Criterion id -> display name."""
        return {c.id: c.name for c in self.criteria}


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(" ".join(str(v).split()) for v in value) if isinstance(value, list) else ()


def load_arguments(path: Path) -> tuple[ArgumentLibrary | None, list[Problem]]:
    """Read and check an argument library; ``(None, problems)`` when it cannot be used."""
    label = Path(path).name
    raw, problems = _read_yaml(Path(path), label)
    if problems:
        return None, problems
    if not isinstance(raw, dict) or not isinstance(raw.get("options"), list) or not isinstance(raw.get("criteria"), list):
        return None, [Problem(label, "expected a mapping with lists 'options' and 'criteria' (see the kit's template)")]
    criteria = []
    for n, c in enumerate(raw["criteria"], 1):
        if not isinstance(c, dict) or not _text(c.get("id")):
            problems.append(Problem(label, f"criterion {n}: needs an 'id'"))
            continue
        weight = c.get("default_weight", 0)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not weight >= 0:
            problems.append(Problem(label, f"criterion '{c['id']}': default_weight must be a number >= 0, got {weight!r}"))
            weight = 0
        criteria.append(Criterion(str(c["id"]), str(c.get("name", c["id"])),
                                  " ".join(str(c.get("description", "")).split()), float(weight)))
    ids = [c.id for c in criteria]
    if len(set(ids)) != len(ids):
        problems.append(Problem(label, "criterion ids must be unique"))
    if criteria and sum(c.default_weight for c in criteria) <= 0:
        problems.append(Problem(label, "the criteria's default weights must not all be zero"))
    options = []
    for n, o in enumerate(raw["options"], 1):
        if not isinstance(o, dict) or not _text(o.get("id")):
            problems.append(Problem(label, f"option {n}: needs an 'id'"))
            continue
        where = f"option '{o['id']}'"
        scores = o.get("criteria") if isinstance(o.get("criteria"), dict) else {}
        for cid in ids:
            if cid not in scores:
                problems.append(Problem(label, f"{where}: no score for criterion '{cid}' (expected 1-5)"))
            elif not _score(scores[cid]):
                problems.append(Problem(label, f"{where}: score of '{cid}' must be a number from 1 to 5, got {scores[cid]!r}"))
        for cid in scores:
            if cid not in ids:
                problems.append(Problem(label, f"{where}: criterion '{cid}' is not in the list of criteria"))
        if not _strings(o.get("pros")) or not _strings(o.get("cons")):
            problems.append(Problem(label, f"{where}: needs a list of 'pros' and a list of 'cons'"))
        options.append(Option(str(o["id"]), str(o.get("name", o["id"])), " ".join(str(o.get("summary", "")).split()),
                              _strings(o.get("pros")), _strings(o.get("cons")), _strings(o.get("fits_when")),
                              {k: float(v) for k, v in scores.items() if _score(v)}))
    if len(options) < 2:
        problems.append(Problem(label, "at least two options are needed to compare"))
    if len({o.id for o in options}) != len(options):
        problems.append(Problem(label, "option ids must be unique"))
    if problems:
        return None, problems
    return ArgumentLibrary(Path(path), tuple(options), tuple(criteria)), []
