"""Text the report shows as documents: position descriptions and the option write-ups.

Role texts are Jinja2 templates (sandboxed, strict about unknown placeholders) rendered to
plain text with the engagement's facts; the position-description layout is then rendered
with autoescaping, so a client name such as ``<b>Acme</b>`` appears as text. The HTML
helpers here are generic companions of :mod:`alliancekit.report` for this phase.
"""

from __future__ import annotations

import html
from typing import Any, Mapping, Sequence

import pandas as pd
from IPython.display import HTML
from jinja2 import StrictUndefined, TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment

from .templates import TemplateError

_TEXT_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_HTML_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
TEXT_FIELDS = ("purpose", "about")
LIST_FIELDS = ("responsibilities", "skills", "experience", "kpis")


def render_text(template: str, context: Mapping[str, Any], where: str = "template") -> str:
    """One template string rendered as plain text (whitespace collapsed)."""
    try:
        text = _TEXT_ENV.from_string(str(template)).render(**context)
    except JinjaError as exc:
        raise TemplateError(f"{where}: {exc}") from None
    return " ".join(text.split())


def reporting_line(role: Mapping, structure_id: str) -> str:
    """The template text of a role's reporting line under structure ``structure_id``."""
    lines = role["reports_to"]
    return lines.get(structure_id, lines["default"])


def render_role(role: Mapping, context: Mapping[str, Any], structure_id: str) -> dict[str, Any]:
    """A role of the library with every text rendered (title, purpose, lists, reports_to, ...)."""
    where = f"roles.yml, role '{role['id']}'"
    ctx = dict(context)
    ctx["reports_to"] = render_text(reporting_line(role, structure_id), ctx, where)
    out = {"id": role["id"], "title": render_text(role["title"], ctx, where), "reports_to": ctx["reports_to"]}
    for key in TEXT_FIELDS:
        out[key] = render_text(role[key], ctx, f"{where}, {key}")
    for key in LIST_FIELDS:
        out[key] = [render_text(item, ctx, f"{where}, {key}") for item in role[key]]
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def position_description_html(role: Mapping[str, Any], layout: str, client: str) -> str:
    """One position description as HTML (autoescaped) from the layout template."""
    try:
        return _HTML_ENV.from_string(layout).render(role=role, client=client, capital=_capital)
    except JinjaError as exc:
        raise TemplateError(f"position_description.html.j2: {exc}") from None


def position_descriptions(roles: Sequence[Mapping[str, Any]], layout: str, client: str) -> HTML:
    """Every position description, one after the other (each is a numbered sub-section)."""
    return HTML("".join(position_description_html(r, layout, client) for r in roles))


def roles_csv(roles: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """``roles.csv``: one row per role: role, purpose, reports_to, kpis (``; ``-separated), plus detail."""
    return pd.DataFrame({
        "role": [r["title"] for r in roles], "purpose": [r["purpose"] for r in roles],
        "reports_to": [_capital(r["reports_to"]) for r in roles], "kpis": ["; ".join(r["kpis"]) for r in roles],
        "role_id": [r["id"] for r in roles],
        "responsibilities": ["; ".join(r["responsibilities"]) for r in roles],
        "skills": ["; ".join(r["skills"]) for r in roles], "experience": ["; ".join(r["experience"]) for r in roles],
    })


def _list(title: str, items: Sequence[str]) -> str:
    if not items:
        return ""
    return (f"<p><strong>{html.escape(title)}</strong></p><ul>"
            + "".join(f"<li>{html.escape(str(i))}</li>" for i in items) + "</ul>")


def option_cards(table: pd.DataFrame, library: Sequence[Mapping], chosen: str) -> HTML:
    """Each option of ``table`` (ranked) as a short write-up: summary, pros, cons, friction."""
    by_id = {o["id"]: o for o in library}
    parts = []
    for option_id, rank, score in zip(table["option_id"], table["rank"], table["score"]):
        option = by_id[option_id]
        mark = " (recommended)" if option_id == chosen else ""
        parts.append(
            f'<div class="option-card"><h4>{int(rank)}. {html.escape(option["name"])}{html.escape(mark)}'
            f' · score {score:.2f}</h4><p>{html.escape(" ".join(str(option["summary"]).split()))}</p>'
            + _list("In favour", option["pros"]) + _list("Against", option["cons"])
            + _list("Where it causes friction", option["friction"]) + "</div>")
    return HTML("".join(parts))
