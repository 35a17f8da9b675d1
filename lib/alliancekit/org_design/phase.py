"""The phase, end to end: :func:`review` runs every step and returns the computed :class:`Review`.

:class:`Review` holds what was computed: the tables, the chosen options, the rendered roles and
the parameters. The report's sentences, key figures, display tables and notes are built from it
by :class:`~.narrative.Narrative`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .. import vocabulary
from ..errors import Problem, did_you_mean
from ..fmt import join_words
from . import documents, options, orgchart, raci, staffing, workload
from .declaration import Params
from .method import sensitivity
from .templates import TemplateError, Templates, load_templates


def possessive(name: str) -> str:
    """'Acme' -> "Acme's", 'Northwind Systems' -> "Northwind Systems'"."""
    name = str(name).strip()
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def check_inputs(tables: Mapping[str, pd.DataFrame], params: Mapping[str, Any], root=None) -> list:
    """Problems of the inputs for this phase's parameters: the strategic tiers must exist in ``partners``."""
    partners = tables.get("partners")
    if partners is None or "tier" not in partners:
        return []
    label = partners.attrs.get("source", "partners.csv")
    tiers = sorted({str(t).strip() for t in partners["tier"].dropna()})
    known = {t.lower() for t in tiers}
    problems = []
    for tier in staffing.parse_tiers(Params.complete(params)["strategic_tiers"]):
        if tier.lower() not in known:
            problems.append(Problem(label, f"org_design.strategic_tiers names tier '{tier}', which no partner has; "
                                           f"{did_you_mean(tier, tiers)}", column="tier"))
    return problems


@dataclass
class Review:
    """An organisation design: options, headcount, roles, RACI and the staffing review.

    ``headcount`` is ``headcount.csv``; ``roles_table`` is ``roles.csv``; ``options_table`` is
    ``structure_options.csv``; ``load`` is ``staff_load.csv``; ``coverage`` is
    ``partner_coverage.csv`` (:meth:`results` gives them all). ``effort`` holds every
    partner's hours with each factor. ``sponsors`` is None when partners has no
    ``exec_sponsor`` column; ``opportunities_given`` says whether multi-way deals were counted.
    """

    client: str
    params: dict[str, Any]
    templates: Templates
    effort: pd.DataFrame
    strategic: pd.Series
    required: pd.Series
    current: pd.Series
    headcount: pd.DataFrame
    load: pd.DataFrame
    uncovered: pd.DataFrame
    no_manager: pd.DataFrame
    sponsors: pd.DataFrame | None
    coverage: pd.DataFrame
    signals: pd.DataFrame
    structures: pd.DataFrame
    lines: pd.DataFrame
    structure_id: str
    line_id: str
    roles: list[dict[str, Any]]
    raci: pd.DataFrame
    layout: orgchart.OrgLayout
    sensitivity: pd.DataFrame
    opportunities_given: bool
    #: the client's tier, type and region labels
    words: vocabulary.Vocabulary = vocabulary.EMPTY

    # -- the result files ------------------------------------------------------------------------
    def results(self) -> dict[str, pd.DataFrame]:
        """The phase's result files (the session writes them)."""
        return {"structure_options.csv": self.options_table, "headcount.csv": self.headcount,
                "roles.csv": self.roles_table, "staff_load.csv": self.load, "partner_coverage.csv": self.coverage}

    @property
    def roles_table(self) -> pd.DataFrame:
        """``roles.csv``: role, purpose, reports_to, kpis (+ role_id, responsibilities, skills, experience)."""
        return documents.roles_csv(self.roles)

    @property
    def options_table(self) -> pd.DataFrame:
        """``structure_options.csv``: structures and reporting lines, scored, with the arguments."""
        library = {**{("structure", o["id"]): o for o in self.templates.structures},
                   **{("reporting_line", o["id"]): o for o in self.templates.reporting_lines}}
        return options.options_csv(self.structures, self.lines, library,
                                   {"structure": self.structure_id, "reporting_line": self.line_id})


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None, client: str = "the client",
           templates: Templates | Sequence | None = None) -> Review:
    """Run the whole organisation design from validated inputs and the phase's parameters.

    ``inputs``: partners, staff, partner_metrics and optionally opportunities. ``templates``:
    loaded :class:`Templates` or folders to load them from (default: the kit's).
    """
    p = Params.complete(params)
    tpl = templates if isinstance(templates, Templates) else load_templates(templates)
    partners, staff = inputs["partners"], inputs["staff"]
    opportunities, metrics = inputs.get("opportunities"), inputs.get("partner_metrics")
    hours_per_fte = float(p["hours_per_fte"])

    effort = workload.partner_effort(partners, metrics, opportunities, p["tier_hours"], p["type_factors"],
                                     float(p["revenue_weight"]), float(p["complexity_uplift"]))
    strategic = staffing.strategic_mask(effort, staffing.parse_tiers(p["strategic_tiers"]))
    demand = workload.role_hours(effort, tpl.roles, p["role_ratios"])
    required = workload.required_fte(effort, tpl.roles, p["role_ratios"], hours_per_fte, float(p["director_span"]))
    role_of = staffing.staff_roles(staff, tpl.roles)
    current = staffing.current_fte(staff, role_of, tpl.role_ids)
    titles = {r["id"]: r["title"] for r in tpl.roles}
    headcount = workload.headcount_table(required, current, titles)
    load = staffing.staff_load(staff, role_of, demand, tpl.roles, workload.need_today(required, current, tpl.roles,
                                                                                     float(p["director_span"])),
                               current, hours_per_fte, float(p["overload_threshold"]), float(p["underload_threshold"]))
    manager_id = next(r["id"] for r in tpl.roles if r["sizing"] == "partners")

    signals = options.portfolio_signals(effort, strategic, opportunities)
    weights = options.normalise_priorities(p["priorities"], list(tpl.criteria))
    structures = options.score_options(tpl.structures, weights, signals, tpl.signal_step, "structure")
    lines = options.score_options(tpl.reporting_lines, weights, signals, tpl.signal_step, "reporting_line")
    structure_id = options.choose(structures, p["structure"])
    line_id = options.choose(lines, p["reporting_line"])
    for kind, chosen, table in (("structure", structure_id, structures), ("reporting line", line_id, lines)):
        if chosen not in set(table["option_id"]):
            raise TemplateError(f"the {kind} '{chosen}' is not in structures.yml")
    line = next(o for o in tpl.reporting_lines if o["id"] == line_id)
    structure = next(o for o in tpl.structures if o["id"] == structure_id)

    commercial = effort.loc[~strategic, "hours"]
    per_manager = hours_per_fte / commercial.mean() if len(commercial) and commercial.mean() > 0 else float("nan")
    regions = sorted(effort["region"].unique())
    context = {"client": client, "client_s": possessive(client), "n_partners": len(effort), "n_strategic": int(strategic.sum()),
               "strategic_label": join_words(staffing.parse_tiers(p["strategic_tiers"])), "regions": join_words(regions),
               "structure": structure["name"].lower(), "executive": line["name"],
               "partners_per_manager": f"{per_manager:.0f}" if np.isfinite(per_manager) else "15"}
    roles = []
    for role in tpl.roles:
        roles.append(documents.render_role(role, {**context, "required_fte": f"{required[role['id']]:.1f}"}, structure_id))
    matrix = raci.raci_matrix(tpl.raci, roles)
    problems = raci.raci_problems(matrix)
    if problems:
        raise TemplateError("raci.yml: " + "; ".join(problems))
    layout = orgchart.org_layout(structure_id, line["name"], required, titles, effort, strategic, p["role_ratios"],
                                 hours_per_fte, tpl.roles, list(tpl.raci["functions"].values()))
    scenarios = sensitivity(effort, tpl.roles, p["role_ratios"], hours_per_fte, float(p["director_span"]),
                            strategic, float(headcount["current_fte"].sum()))
    return Review(client=client, params=p, templates=tpl, effort=effort, strategic=strategic, required=required,
                  current=current, headcount=headcount, load=load,
                  uncovered=staffing.uncovered_partners(effort, staff),
                  no_manager=staffing.partners_without_role(effort, staff, role_of, manager_id),
                  sponsors=staffing.missing_sponsors(partners, effort, strategic),
                  coverage=staffing.partner_coverage(partners, effort, staff, role_of, manager_id, strategic),
                  signals=signals,
                  structures=structures, lines=lines, structure_id=structure_id, line_id=line_id, roles=roles,
                  raci=matrix, layout=layout, sensitivity=scenarios,
                  opportunities_given=opportunities is not None, words=vocabulary.of(partners))
