"""The phase's engagement templates: role library, structure arguments, RACI defaults, PD layout.

They live in ``engagement_templates/org_design/`` so a consultant can edit them as files. An
engagement may carry its own copy in ``<engagement folder>/org_design/``; any file found there
replaces the kit's (file by file). :func:`load_templates` reads and checks them, so a broken
edit stops the phase with a sentence naming the file and the entry, not a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import yaml

from ..paths import TEMPLATES

#: The kit's own templates of this phase.
TEMPLATE_DIR = TEMPLATES / "org_design"
ROLES_FILE = "roles.yml"
STRUCTURES_FILE = "structures.yml"
RACI_FILE = "raci.yml"
PD_FILE = "position_description.html.j2"

#: How many roles an organisation design holds (practitioners deliver 4-6 position descriptions).
MIN_ROLES, MAX_ROLES = 4, 6
SIZINGS = ("partners", "ratio", "span")
WORKLOADS = ("partners", "function")
ROLE_FIELDS = ("id", "title", "sizing", "workload", "purpose", "about", "responsibilities", "skills",
               "experience", "reports_to", "kpis")
OPTION_FIELDS = ("id", "name", "summary", "pros", "cons", "friction", "criteria")
RACI_LETTERS = ("R", "A", "C", "I")


class TemplateError(ValueError):
    """A template file of the phase is malformed (names the file and what is wrong)."""


@dataclass(frozen=True)
class Templates:
    """The parsed templates and the files they came from."""

    roles: list[dict[str, Any]]
    criteria: dict[str, str]
    signal_step: float
    structures: list[dict[str, Any]]
    reporting_lines: list[dict[str, Any]]
    raci: dict[str, Any]
    position_description: str
    sources: dict[str, Path]

    @property
    def role_ids(self) -> list[str]:
        """Role ids in the order of the role library."""
        return [r["id"] for r in self.roles]

    def role(self, role_id: str) -> dict[str, Any]:
        """The library entry of ``role_id``."""
        return next(r for r in self.roles if r["id"] == role_id)


def template_folders(engagement_file: str | Path | None = None) -> tuple[Path, ...]:
    """Folders searched for templates: the engagement's ``org_design/`` (when present), then the kit's."""
    folders = []
    if engagement_file:
        own = Path(engagement_file).resolve().parent / "org_design"
        if own.is_dir():
            folders.append(own)
    folders.append(TEMPLATE_DIR)
    return tuple(folders)


def find_template(name: str, folders: Sequence[Path]) -> Path:
    """The first of ``folders`` holding template ``name`` (the engagement's own copy wins over the kit's)."""
    for folder in folders:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    raise TemplateError(f"template {name} not found in {', '.join(map(str, folders))}")


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path.name}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise TemplateError(f"{path.name}: expected a mapping at the top level")
    return data


def _check_texts(items: Any, where: str) -> None:
    """A list of sentences (a ': ' inside an unquoted YAML item turns it into a mapping: quote it)."""
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise TemplateError(f"{where}: expected a list of sentences (quote an item that contains ': ')")


def _check_roles(roles: Any, path: Path) -> list[dict]:
    if not isinstance(roles, list) or not (MIN_ROLES <= len(roles) <= MAX_ROLES):
        raise TemplateError(f"{path.name}: 'roles' must list {MIN_ROLES} to {MAX_ROLES} roles")
    seen = set()
    for i, role in enumerate(roles, 1):
        missing = [f for f in ROLE_FIELDS if not role.get(f)]
        if missing:
            raise TemplateError(f"{path.name}: role {i} ({role.get('id', '?')}) lacks {', '.join(missing)}")
        for key in ("responsibilities", "skills", "experience", "kpis"):
            _check_texts(role[key], f"{path.name}: role '{role['id']}', {key}")
        if role["id"] in seen:
            raise TemplateError(f"{path.name}: role id '{role['id']}' appears twice")
        seen.add(role["id"])
        if role["sizing"] not in SIZINGS or role["workload"] not in WORKLOADS:
            raise TemplateError(f"{path.name}: role '{role['id']}': sizing must be one of {', '.join(SIZINGS)} "
                                f"and workload one of {', '.join(WORKLOADS)}")
        if isinstance(role["reports_to"], str):
            role["reports_to"] = {"default": role["reports_to"]}
        if "default" not in role["reports_to"]:
            raise TemplateError(f"{path.name}: role '{role['id']}': reports_to needs a 'default'")
    if not any(r["sizing"] == "partners" for r in roles):
        raise TemplateError(f"{path.name}: at least one role must be sized by 'partners' (the alliance managers)")
    return roles


def _check_options(options: Any, criteria: dict, key: str, path: Path) -> list[dict]:
    if not isinstance(options, list) or len(options) < 2:
        raise TemplateError(f"{path.name}: '{key}' must list at least two options")
    for option in options:
        missing = [f for f in OPTION_FIELDS if not option.get(f)]
        if missing:
            raise TemplateError(f"{path.name}: {key} option '{option.get('id', '?')}' lacks {', '.join(missing)}")
        for key in ("pros", "cons", "friction"):
            _check_texts(option[key], f"{path.name}: option '{option['id']}', {key}")
        scores = option["criteria"]
        unknown = set(scores) - set(criteria)
        absent = set(criteria) - set(scores)
        if unknown or absent:
            raise TemplateError(f"{path.name}: option '{option['id']}': criteria must be exactly "
                                f"{', '.join(criteria)}")
        if not all(isinstance(v, (int, float)) and 1 <= v <= 5 for v in scores.values()):
            raise TemplateError(f"{path.name}: option '{option['id']}': criterion scores must be 1 to 5")
        option.setdefault("favoured_by", [])
        option.setdefault("disfavoured_by", [])
    return options


def _check_raci(raci: dict, role_ids: Sequence[str], path: Path) -> dict:
    functions = raci.get("functions") or {}
    activities = raci.get("activities") or []
    if not activities:
        raise TemplateError(f"{path.name}: 'activities' is empty")
    columns = set(role_ids) | set(functions)
    for entry in activities:
        name = entry.get("activity")
        if not name:
            raise TemplateError(f"{path.name}: an activity has no name")
        for key, value in entry.items():
            if key == "activity":
                continue
            if key not in columns:
                raise TemplateError(f"{path.name}: activity '{name}': '{key}' is neither a role of "
                                    f"{ROLES_FILE} nor a function")
            if value not in RACI_LETTERS:
                raise TemplateError(f"{path.name}: activity '{name}', {key}: '{value}' is not one of R, A, C, I")
    return {"functions": dict(functions), "activities": activities}


def load_templates(folders: Sequence[Path] | None = None) -> Templates:
    """Read and check every template of the phase (raises :class:`TemplateError`)."""
    folders = tuple(folders or (TEMPLATE_DIR,))
    sources = {name: find_template(name, folders) for name in (ROLES_FILE, STRUCTURES_FILE, RACI_FILE, PD_FILE)}
    roles = _check_roles(_read_yaml(sources[ROLES_FILE]).get("roles"), sources[ROLES_FILE])
    structures = _read_yaml(sources[STRUCTURES_FILE])
    criteria = structures.get("criteria") or {}
    if not criteria:
        raise TemplateError(f"{STRUCTURES_FILE}: 'criteria' is empty")
    structure_options = _check_options(structures.get("structures"), criteria, "structures", sources[STRUCTURES_FILE])
    lines = _check_options(structures.get("reporting_lines"), criteria, "reporting_lines", sources[STRUCTURES_FILE])
    raci = _check_raci(_read_yaml(sources[RACI_FILE]), [r["id"] for r in roles], sources[RACI_FILE])
    return Templates(roles=roles, criteria=dict(criteria), signal_step=float(structures.get("signal_step", 0.25)),
                     structures=structure_options, reporting_lines=lines, raci=raci,
                     position_description=sources[PD_FILE].read_text(encoding="utf-8"), sources=sources)
