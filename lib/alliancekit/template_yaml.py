"""Reading an editable YAML template of the kit, and saying where each problem is.

The kit's editable templates (the recruiting bank's ``competencies.yml`` and
``interview_guide.yml``, the relationship health ``statement_bank.yml``, ...) are YAML files a
consultant edits with the client and checks into frozen pydantic models. This module holds what
they share:

- :func:`read_template`: the file's data and a :class:`LocatedReport` placed on its YAML nodes,
  with keys written twice in one mapping already reported (YAML keeps the last silently); a file
  missing, not valid YAML or not a mapping at the top level stops at once.
- :class:`LocatedReport`: collects every problem of the file, each named by its place in the YAML
  (``a.b[3].c``, list positions counting from 1 as a consultant reads the file) and its line;
  :meth:`LocatedReport.add_validation` words pydantic's errors for someone editing the YAML
  (unknown keys with a did-you-mean among the model's keys), and
  :meth:`LocatedReport.raise_if_any` raises :class:`~alliancekit.errors.InputError` listing them
  all at once::

      interview_guide.yml: alliance_manager.questions[6].competency (line 227): 'negotation' is not
      in the competency model; did you mean 'negotiation'?

- :func:`exact_levels`: a field validator's check that a mapping is keyed by exactly the
  anchored levels :data:`LEVELS` (1 to 5).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Mapping, Sequence, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem, did_you_mean

#: The anchored 1-5 scale of the templates (1 absent or counter-productive, 3 solid, 5 role model).
LEVELS = (1, 2, 3, 4, 5)


def exact_levels(value: Mapping[int, Any], what: str) -> Mapping[int, Any]:
    """``value`` when its keys are exactly the levels 1-5 (else a sentence saying which are missing or extra)."""
    missing = [level for level in LEVELS if level not in value]
    extra = [key for key in value if key not in LEVELS]
    if missing or extra:
        said = ([f"missing {', '.join(map(str, missing))}"] if missing else []) + \
               ([f"unexpected {', '.join(map(str, extra))}"] if extra else [])
        raise ValueError(f"{what} must be exactly the levels 1 to 5 ({'; '.join(said)})")
    return dict(sorted(value.items()))


# --- reading the YAML, and saying where a problem is -------------------------------------------

class LocatedReport:
    """The problems of one file, each placed by its YAML path and line."""

    def __init__(self, path: Path, root: yaml.Node | None):
        self.file, self.root, self.problems = path.name, root, []

    def locate(self, loc: Sequence[Any]) -> tuple[str, int | None]:
        """``loc`` (keys and 0-based list positions) as ``a.b[3].c`` (counting from 1) and its line."""
        text, node, line = "", self.root, None
        for part in loc:
            if part == "[key]":  # pydantic: the error is about the key itself
                break
            if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                text += f"[{part + 1}]"
                node = node.value[part] if 0 <= part < len(node.value) else None
                line = node.start_mark.line + 1 if node is not None else line
                continue
            text += ("." if text else "") + str(part)
            found = None
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            node = found[1] if found else None
            line = found[0].start_mark.line + 1 if found else line
        return text, line

    def add(self, loc: Sequence[Any], message: str) -> None:
        where, line = self.locate(loc)
        if where:
            message = f"{where}{f' (line {line})' if line else ''}: {message}"
        self.problems.append(Problem(self.file, message))

    def add_validation(self, exc: ValidationError, model: type[BaseModel], prefix: Sequence[Any] = ()) -> None:
        for error in exc.errors():
            loc = tuple(prefix) + tuple(error["loc"])
            self.add(loc, _say(error, _model_at(model, error["loc"][:-1])))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def read_template(path: str | Path) -> tuple[Any, LocatedReport]:
    """The file's data and a report placed on its YAML nodes (duplicate keys already reported)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(path.name, f"not found: {path}"))
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(Problem(path.name, f"not valid YAML ({exc})")) from None
    report = LocatedReport(path, root)
    if not isinstance(data, dict):
        report.add((), "expected a mapping at the top level (key: value lines)")
        report.raise_if_any()
    _duplicate_keys(root, (), report)
    return data, report


def _duplicate_keys(node: yaml.Node | None, loc: tuple, report: LocatedReport) -> None:
    """Report keys written twice in one mapping (YAML keeps the last silently)."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name, line = str(key.value), key.start_mark.line + 1
            if name in seen:
                report.add(loc, f"'{name}' appears twice (lines {seen[name]} and {line}); "
                                "the second replaces the first")
            seen.setdefault(name, line)
            _duplicate_keys(value, loc + (key.value,), report)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _duplicate_keys(item, loc + (i,), report)


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _model_at(model: type[BaseModel], loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model class that validates the value at ``loc`` (to name its valid keys)."""
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return None
            tp = field.annotation
        elif get_origin(tp) is list:
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _say(error: Mapping[str, Any], model: type[BaseModel] | None) -> str:
    """A pydantic error in the words of someone editing the YAML file."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "missing; add it"
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        return f"unknown key '{key}'; " + (did_you_mean(key, model.model_fields) if model else "remove it")
    if kind == "string_type":
        if isinstance(value, dict):
            return "expected text, found a mapping (quote a text that contains ': ')"
        return f"expected text, got {_show(value)}"
    if kind == "string_too_short":
        return "is empty; write the text"
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not a valid id; use lower-case letters, digits and underscores (snake_case)"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_show(value)}"
    if kind == "greater_than_equal":
        return f"{_show(value)} is below the minimum {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"{_show(value)} is above the maximum {ctx.get('le')}"
    if kind == "too_short":
        return "is empty; list at least one item"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {_show(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (key: value lines), got {_show(value)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']} (got {_show(value)})"
