"""The engagement file (``engagement.yml``): who the client is, where its data is, what to run.

:func:`load_engagement` reads the file and checks everything that can be checked without
opening the data: known keys, a safe engagement id, known phases and typed parameters,
paths that exist, a report date and a currency code of the right form. Every problem is collected and raised together as :class:`InputError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import InputError, Problem, did_you_mean
from .intake.mapping import VOCABULARY_KEYS, DataMapping, parse_mapping
from .params import resolve_params
from .phases import INPUT_NAMES, PHASES
from .vocabulary import EMPTY, Vocabulary, from_entry

ENGAGEMENT_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")  # an ISO 4217 code: USD, EUR, GBP
TOP_KEYS = ("engagement", "client", "consultant", "firm", "report_date", "currency", "data", "phases", "branding")
BRANDING_KEYS = ("primary_color", "logo", "firm_logo")
LOGO_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg")
DEFAULT_COLOR = "#0B3D91"


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, except that a date that does not exist (2026-02-30) stays text, so the
    problem names its key instead of failing the whole file."""


def _timestamp(loader: _Loader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


@dataclass(frozen=True)
class DataSource:
    """One input: its file (or, for interviews, folder of documents), the sheet of a workbook, and
    the mapping from the client's export to the kit's columns when the entry gives one."""

    path: Path
    sheet: str | None = None
    mapping: DataMapping | None = None
    #: how the client names and orders this input's categories (stage_order, tier_order, labels, outcomes)
    vocabulary: Vocabulary = EMPTY

    @property
    def label(self) -> str:
        """The name problems and notes give the input: the file's (or folder's) name."""
        return self.path.name + ("/" if self.mapping is not None and self.mapping.folder else "")


@dataclass(frozen=True)
class Engagement:
    """A validated engagement file."""

    file: Path
    id: str
    client: str
    consultant: str
    data: dict[str, DataSource]
    phases: dict[str, dict[str, Any]]
    primary_color: str = DEFAULT_COLOR
    logo: Path | None = None
    #: the consulting firm that signs the reports (cover, page footers, scorecards); optional
    firm: str | None = None
    firm_logo: Path | None = None
    #: the date on the covers; None: the day of the run
    report_date: date | None = None
    #: ISO 4217 code of the amounts (e.g. USD), said on covers and scorecards; optional
    currency: str | None = None
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Path:
        """Folder the data paths are relative to."""
        return self.file.parent


def load_engagement(path: str | Path, *, check_files: bool = True) -> Engagement:
    """Read and check ``path``; raise :class:`InputError` listing every problem found."""
    path = Path(path).resolve()
    name = path.name
    if not path.is_file():
        raise InputError(Problem(str(path), "engagement file not found"))
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(Problem(name, f"not valid YAML: {exc}")) from None
    if not isinstance(raw, dict):
        raise InputError(Problem(name, "expected a mapping with keys " + ", ".join(TOP_KEYS)))

    problems: list[Problem] = []
    for key in raw:
        if key not in TOP_KEYS:
            problems.append(Problem(name, f"unknown key '{key}'; {did_you_mean(key, TOP_KEYS)}"))

    eid = raw.get("engagement")
    if not isinstance(eid, str) or not ENGAGEMENT_ID.match(eid):
        problems.append(Problem(name, f"'engagement' must be an id of lowercase letters, digits and dashes "
                                      f"([a-z0-9-]+, it names the output folder); got {eid!r}"))
    for key in ("client", "consultant"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.append(Problem(name, f"'{key}' is required (text shown on report covers)"))

    data = _data_sources(raw.get("data"), path.parent, name, problems, check_files)
    phases = _phases(raw.get("phases"), name, problems)
    color, logo, firm_logo = _branding(raw.get("branding"), path.parent, name, problems)
    firm, report_date, currency = _identity(raw, name, problems)

    if problems:
        raise InputError(problems)
    return Engagement(file=path, id=eid, client=raw["client"].strip(), consultant=raw["consultant"].strip(),
                      data=data, phases=phases, primary_color=color, logo=logo, firm=firm, firm_logo=firm_logo,
                      report_date=report_date, currency=currency, raw=raw)


def _identity(raw: dict, name: str, problems: list[Problem]) -> tuple[str | None, date | None, str | None]:
    """The optional keys that sign the reports: ``firm``, ``report_date``, ``currency``."""
    firm = raw.get("firm")
    if firm is not None and (not isinstance(firm, str) or not firm.strip()):
        problems.append(Problem(name, f"'firm' must be the consulting firm's name (text), got {firm!r}"))
        firm = None
    firm = firm.strip() if isinstance(firm, str) else None

    value = raw.get("report_date")
    report_date = None
    if isinstance(value, date) and not isinstance(value, datetime):  # YAML reads 2026-12-03 as a date
        report_date = value
    elif isinstance(value, str):
        try:
            report_date = date.fromisoformat(value.strip()) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) else None
        except ValueError:
            report_date = None
    if value is not None and report_date is None:
        problems.append(Problem(name, f"'report_date' must be a date written YYYY-MM-DD (e.g. 2026-03-31), "
                                      f"got {value!r}"))

    currency = raw.get("currency")
    if currency is not None and (not isinstance(currency, str) or not CURRENCY.match(currency)):
        problems.append(Problem(name, f"'currency' must be an ISO 4217 code of three capital letters "
                                      f"(e.g. USD, EUR), got {currency!r}"))
        currency = None
    return firm, report_date, currency


def _data_sources(section: Any, root: Path, name: str, problems: list[Problem], check_files: bool) -> dict[str, DataSource]:
    if not isinstance(section, Mapping):
        problems.append(Problem(name, "'data' must map input names to file paths"))
        return {}
    out = {}
    for key, value in section.items():
        if key not in INPUT_NAMES:
            problems.append(Problem(name, f"data: unknown input '{key}'; {did_you_mean(key, INPUT_NAMES)}; "
                                          f"the inputs are {', '.join(INPUT_NAMES)}"))
            continue
        mapping = None
        if isinstance(value, Mapping):
            mapping, errs = parse_mapping(key, value, name)
            problems.extend(errs)
            if mapping is None or errs:
                continue
            value = mapping.file
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(name, f"data.{key}: expected a file path (.csv or .xlsx), got {value!r}"))
            continue
        file = (root / value).resolve()
        if mapping is not None and mapping.folder:
            if check_files and not file.is_dir():
                problems.append(Problem(name, f"data.{key}.folder: folder not found: {file}"))
        elif file.suffix.lower() not in (".csv", ".xlsx"):
            problems.append(Problem(name, f"data.{key}: '{value}' is neither .csv nor .xlsx"))
        elif check_files and not file.is_file():
            problems.append(Problem(name, f"data.{key}: file not found: {file}"))
        # {path, sheet} alone is the kit's own format in a workbook, and the client's vocabulary is not a
        # mapping either: nothing to map
        mapped = mapping if mapping is not None and mapping.model_fields_set - {"path", "sheet", *VOCABULARY_KEYS} else None
        words = EMPTY if mapping is None else from_entry(key, mapping.stage_order, mapping.tier_order, mapping.labels,
                                                         mapping.outcomes)
        out[key] = DataSource(file, mapping.sheet if mapping else None, mapped, words)
    return out


def _phases(section: Any, name: str, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    if section is None:
        problems.append(Problem(name, "'phases' is required: which phases to run, e.g. {portfolio_health: {}}"))
        return {}
    if not isinstance(section, Mapping):
        problems.append(Problem(name, "'phases' must map phase names to parameter overrides"))
        return {}
    out = {}
    for phase, overrides in section.items():
        if phase not in PHASES:
            problems.append(Problem(name, unknown_phase_message(phase)))
            continue
        if overrides is None:
            overrides = {}
        if not isinstance(overrides, Mapping):
            problems.append(Problem(name, f"phases.{phase}: expected a mapping of parameters, got {overrides!r}"))
            continue
        _, errs = resolve_params(PHASES[phase].params, overrides, f"{name}, phases.{phase}")
        problems.extend(errs)
        out[phase] = dict(overrides)
    return out


def unknown_phase_message(phase: Any) -> str:
    """Why ``phase`` cannot run: the nearest real phase name."""
    return f"unknown phase '{phase}'; {did_you_mean(phase, PHASES)}"


def _branding(section: Any, root: Path, name: str,
              problems: list[Problem]) -> tuple[str, Path | None, Path | None]:
    if section is None:
        return DEFAULT_COLOR, None, None
    if not isinstance(section, Mapping):
        problems.append(Problem(name, "'branding' must be a mapping (" + ", ".join(BRANDING_KEYS) + ")"))
        return DEFAULT_COLOR, None, None
    for key in section:
        if key not in BRANDING_KEYS:
            problems.append(Problem(name, f"branding: unknown key '{key}'; {did_you_mean(key, BRANDING_KEYS)}"))
    color = section.get("primary_color", DEFAULT_COLOR)
    if not isinstance(color, str) or not HEX_COLOR.match(color):
        problems.append(Problem(name, f"branding.primary_color: expected a colour like '#0B3D91', got {color!r}"))
        color = DEFAULT_COLOR
    return color, _logo(section, "logo", root, name, problems), _logo(section, "firm_logo", root, name, problems)


def _logo(section: Mapping, key: str, root: Path, name: str, problems: list[Problem]) -> Path | None:
    logo = section.get(key)
    if logo is None:
        return None
    logo = (root / str(logo)).resolve()
    if logo.suffix.lower() not in LOGO_SUFFIXES:
        problems.append(Problem(name, f"branding.{key}: expected a .png, .svg or .jpg file, got '{logo.name}'"))
    elif not logo.is_file():
        problems.append(Problem(name, f"branding.{key}: file not found: {logo}"))
    return logo


#: Words of engagement_templates/engagement.yml that a consultant replaces (``alliancekit new``).
PLACEHOLDERS = {"client": "Client Name", "consultant": "Your Name"}


def template_leftovers(engagement: Engagement) -> list[str]:
    """What ``alliancekit new`` wrote that is still there: placeholder names on the covers, and
    input files that are still the template's example rows. Warnings, not errors: a dry run on
    the examples is allowed, a report for a client with them is not."""
    from .paths import TEMPLATES

    found = [f"{key} is still the template's placeholder '{text}': reports would carry it on their cover"
             for key, text in PLACEHOLDERS.items() if getattr(engagement, key) == text]
    for name, source in engagement.data.items():
        example = TEMPLATES / "inputs" / f"{name}.csv"
        if source.path.is_file() and example.is_file() and source.path.read_bytes() == example.read_bytes():
            found.append(f"data.{name} ({source.path.name}) still holds the template's example rows; "
                         "replace them with the client's data")
    return found

