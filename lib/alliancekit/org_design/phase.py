"""The phase, end to end: :func:`review` runs every step and :class:`Review` is what the notebook shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from IPython.display import HTML

from ..errors import Problem, did_you_mean
from ..fmt import join_words as _join, signed_number
from . import documents, options, orgchart, raci, staffing, workload
from .declaration import Params
from .method import PARAMETER_SOURCES, data_notes, sensitivity
from .templates import TemplateError, Templates, load_templates

STATUS_WORDS = {"overloaded": "overloaded", "under-loaded": "under-loaded", "within capacity": "within capacity",
                "not sized": "role not recognised"}


def _fte(value: float) -> str:
    return f"{value:,.1f}"


#: A difference in FTE with its sign (+1.5, -0.5).
_signed = partial(signed_number, decimals=1, thousands=True)


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
    ``structure_options.csv``. ``effort`` holds every partner's hours with each factor.
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
    signals: pd.DataFrame
    structures: pd.DataFrame
    lines: pd.DataFrame
    structure_id: str
    line_id: str
    roles: list[dict[str, Any]]
    raci: pd.DataFrame
    layout: orgchart.OrgLayout
    sensitivity: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    # -- the result files ------------------------------------------------------------------------
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

    # -- names -----------------------------------------------------------------------------------
    def _option(self, kind: str, option_id: str) -> dict:
        library = self.templates.structures if kind == "structure" else self.templates.reporting_lines
        return next(o for o in library if o["id"] == option_id)

    @property
    def structure_name(self) -> str:
        """The chosen structure's name."""
        return self._option("structure", self.structure_id)["name"]

    @property
    def line_name(self) -> str:
        """The chosen reporting line's name."""
        return self._option("reporting_line", self.line_id)["name"]

    @property
    def strategic_label(self) -> str:
        """The strategic tiers in words ('Platinum', 'Platinum and Gold')."""
        return _join(staffing.parse_tiers(self.params["strategic_tiers"]))

    def _titles(self) -> dict[str, str]:
        return {r["id"]: r["title"] for r in self.roles}

    # -- executive summary -----------------------------------------------------------------------
    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Partners, current and required FTE, the gap, overloaded people, uncovered partners, missing sponsors."""
        now, need = self.headcount["current_fte"].sum(), self.headcount["required_fte"].sum()
        sized = self.load[self.load["status"] != "not sized"]
        over = int((self.load["status"] == "overloaded").sum())
        figures = [
            ("Partners", f"{len(self.effort):,}", f"{int(self.strategic.sum())} strategic ({self.strategic_label})"),
            ("Alliance staff today", f"{_fte(now)} FTE", f"{len(sized)} people in alliance roles"),
            ("Required by workload", f"{_fte(need)} FTE", f"at {self.params['hours_per_fte']:,.0f} hours per FTE"),
            ("Gap", f"{_signed(need - now)} FTE", "required minus current"),
            ("Overloaded people", f"{over}", f"above {self.params['overload_threshold']:.0%} of capacity"),
            ("Partners nobody covers", f"{len(self.uncovered)}", None),
        ]
        if self.sponsors is not None:
            figures.append(("Strategic partners without sponsor", f"{len(self.sponsors)}",
                            f"of {int(self.strategic.sum())}"))
        return figures

    def recommendation(self) -> str:
        """The recommendation in one paragraph."""
        gap = self.headcount["gap"].sum()
        biggest = self.headcount.sort_values("gap", ascending=False, kind="stable").iloc[0]
        hire = (f"Grow the team by about {_fte(gap)} FTE, most of it {biggest['role']} ({_signed(biggest['gap'])} FTE)"
                if gap > 0.05 else f"The team's size fits the workload ({_signed(gap)} FTE)")
        return (f"Organise the alliance function as a {self.structure_name.lower()}, with the alliance head reporting to "
                f"the {self.line_name}. {hire}; rebalance partner coverage so nobody carries more than "
                f"{self.params['overload_threshold']:.0%} of a full workload; and give every strategic partner a "
                f"named manager and an executive sponsor.")

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        hc = self.headcount
        now, need = hc["current_fte"].sum(), hc["required_fte"].sum()
        out = [f"The workload of {len(self.effort):,} partners needs about {_fte(need)} FTE of alliance staff "
               f"against {_fte(now)} today ({_signed(need - now)} FTE)."]
        short = hc[hc["gap"] > 0.05].sort_values("gap", ascending=False, kind="stable")
        if len(short):
            out.append("Largest shortfalls: " + _join([f"{r} {_signed(g)}" for r, g in zip(short["role"].head(3),
                                                                                           short["gap"].head(3))]) + " FTE.")
        out.append(self.coverage_sentence())
        over = self.load[self.load["status"] == "overloaded"]
        if len(over):
            out.append("Overloaded: " + "; ".join(
                f"{n} ({r}) carries {u:.0%} of a full workload across {p} partners"
                for n, r, u, p in zip(over["name"], over["role"], over["utilisation"], over["partners"])) + ".")
        under = self.load[self.load["status"] == "under-loaded"]
        if len(under):
            out.append(f"{len(under)} {'people have' if len(under) != 1 else 'person has'} room for more partners "
                       f"(below {self.params['underload_threshold']:.0%} of capacity): "
                       + _join([f"{n} ({u:.0%})" for n, u in zip(under["name"], under["utilisation"])]) + ".")
        if len(self.uncovered):
            share = self.uncovered["revenue_ttm"].sum() / max(self.effort["revenue_ttm"].sum(), 1e-9)
            out.append(f"{len(self.uncovered)} partners are covered by nobody ({share:.1%} of partner revenue): "
                       + _join(list(self.uncovered["partner_name"].head(8)))
                       + (" and others" if len(self.uncovered) > 8 else "") + ".")
        if self.sponsors is not None and len(self.sponsors):
            out.append(f"{len(self.sponsors)} of {int(self.strategic.sum())} strategic ({self.strategic_label}) partners "
                       "have no executive sponsor: " + _join(list(self.sponsors["partner_name"])) + ".")
        out.append(f"Recommended: {self.structure_name.lower()}, reporting to the {self.line_name}.")
        return out

    def coverage_sentence(self) -> str:
        """Partners per alliance manager today against published practice."""
        managers = [r["id"] for r in self.templates.roles if r["sizing"] == "partners"]
        people = self.load[self.load["role_id"].isin(managers)]
        if people.empty:
            return "Nobody in the staff list holds an alliance-manager role."
        per_fte = people["partners"].sum() / max(people["fte"].sum(), 1e-9)
        return (f"Alliance managers cover {per_fte:.1f} partners per FTE on average (from {people['partners'].min()} "
                f"to {people['partners'].max()} per person); published practice is 10-20 commercial partners per manager "
                "and one manager per strategic alliance.")

    # -- options ---------------------------------------------------------------------------------
    def priorities_table(self) -> pd.DataFrame:
        """The decision criteria, what they mean and the client's weights."""
        weights = options.normalise_priorities(self.params["priorities"], list(self.templates.criteria))
        return pd.DataFrame({"Criterion": [c.replace("_", " ").capitalize() for c in self.templates.criteria],
                             "What it means": list(self.templates.criteria.values()),
                             "Weight": [weights[c] for c in self.templates.criteria],
                             "Parameter": [f"priorities.{c}" for c in self.templates.criteria]})

    def signals_table(self) -> pd.DataFrame:
        """The portfolio facts that move options up or down."""
        s = self.signals
        return pd.DataFrame({"Signal": s["signal"].map(lambda k: options.SIGNAL_LABELS.get(k, k)),
                             "In the data": s["evidence"], "Present": s["present"].map({True: "yes", False: "no"})})

    @staticmethod
    def _scored(table: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"Rank": table["rank"], "Option": table["option"], "Priority score": table["priority_score"],
                             "Portfolio fit": table["portfolio_adjustment"], "Total": table["score"]})

    def structure_scores(self) -> pd.DataFrame:
        """Structures ranked: priority score (1-5), portfolio adjustment, total."""
        return self._scored(self.structures)

    def line_scores(self) -> pd.DataFrame:
        """Reporting lines ranked, as :meth:`structure_scores`."""
        return self._scored(self.lines)

    @property
    def criteria_formats(self) -> dict[str, str]:
        """Whole-number formats of the criterion columns of :meth:`criteria_scores`."""
        return {c.replace("_", " ").capitalize(): "{:.0f}" for c in self.templates.criteria}

    def criteria_scores(self, kind: str = "structure") -> pd.DataFrame:
        """Each option's score (1-5) on each criterion, from the argument library."""
        table = self.structures if kind == "structure" else self.lines
        crit = list(self.templates.criteria)
        shown = table[["option", *crit]].rename(columns={"option": "Option"})
        return shown.rename(columns={c: c.replace("_", " ").capitalize() for c in crit}).reset_index(drop=True)

    def structure_cards(self) -> HTML:
        """Each structure's summary, pros, cons and friction, best first."""
        return documents.option_cards(self.structures, self.templates.structures, self.structure_id)

    def line_cards(self) -> HTML:
        """Each reporting line's summary, pros, cons and friction, best first."""
        return documents.option_cards(self.lines, self.templates.reporting_lines, self.line_id)

    def choice_sentence(self, kind: str = "structure") -> str:
        """Why the recommended structure (or reporting line, ``kind="reporting_line"``) was chosen."""
        table, chosen, override = ((self.structures, self.structure_id, self.params["structure"]) if kind == "structure"
                                   else (self.lines, self.line_id, self.params["reporting_line"]))
        row = table[table["option_id"] == chosen].iloc[0]
        text = (f"{row['option']} ranks {int(row['rank'])} with {row['score']:.2f} points: "
                f"{row['priority_score']:.2f} of 5 on the client's priorities and {row['portfolio_adjustment']:+.2f} "
                "for the portfolio")
        if row["favoured_by"]:
            text += f" ({_join([options.SIGNAL_LABELS[s].lower() for s in row['favoured_by'].split('; ')])})"
        if override != "auto":
            text += "; it is the option the client chose"
        runner = table[table["option_id"] != chosen].iloc[0]
        return text + f". The next best is {runner['option'].lower()} with {runner['score']:.2f}."

    def org_caption(self) -> str:
        """Caption of the organisation chart."""
        return (f"Recommended organisation: {self.structure_name.lower()}, reporting to the {self.line_name}; "
                f"FTE as required by the workload model. {self.layout.note}").strip()

    def coverage_model(self) -> list[str]:
        """One person for several alliances, or several people for one: the answer by tier."""
        hours = self.params["hours_per_fte"]
        e = self.effort
        out = []
        strat = e[self.strategic]
        if len(strat):
            team = strat["hours"].mean() * (1 + sum(self.params["role_ratios"].get(r["id"], 0.0) for r in self.templates.roles
                                                   if r["sizing"] == "ratio" and r["workload"] == "partners")) / hours
            out.append(f"Strategic partners ({self.strategic_label}, {len(strat)}): several people for one alliance. Each "
                       f"gets a named alliance manager and an executive sponsor; on average its workload is "
                       f"{strat['hours'].mean() / hours:.1f} of a manager's year and {team:.1f} FTE with solutions and "
                       "marketing support.")
        rest = e[~self.strategic]
        mean = rest.groupby("tier")["hours"].mean().sort_values(ascending=False)
        size = rest.groupby("tier").size()
        for tier, avg in mean.items():
            per = f"about {hours / avg:.0f} per manager at their average workload" if avg > 0 else "no managed workload"
            out.append(f"{tier} partners ({int(size[tier])}): one manager for several alliances, {per}.")
        return out

    # -- headcount -------------------------------------------------------------------------------
    def tier_table(self) -> pd.DataFrame:
        """Hours per partner by tier, what they mean in partners per manager, and partners in each tier."""
        hours = self.params["hours_per_fte"]
        e = self.effort
        counts = e.groupby("tier_key").size()
        mean_hours = e.groupby("tier_key")["hours"].mean()
        rows = []
        for tier, base in self.params["tier_hours"].items():
            if tier == workload.OTHER_TIER and not counts.get(tier, 0):
                continue
            rows.append({"Tier": tier, "Partners": int(counts.get(tier, 0)), "Base hours a year": base,
                         "Partners per manager": hours / base if base > 0 else np.nan,
                         "Average hours after factors": mean_hours.get(tier, np.nan)})
        return pd.DataFrame(rows)

    def headcount_display(self) -> pd.DataFrame:
        """``headcount.csv`` for the report, with a total row."""
        hc = self.headcount[["role", "current_fte", "required_fte", "gap"]]
        total = pd.DataFrame([{"role": "Total", "current_fte": hc["current_fte"].sum(),
                               "required_fte": hc["required_fte"].sum(), "gap": hc["gap"].sum()}])
        return pd.concat([hc, total], ignore_index=True).rename(columns={
            "role": "Role", "current_fte": "Current FTE", "required_fte": "Required FTE", "gap": "Gap (FTE)"})

    def sizing_table(self) -> pd.DataFrame:
        """How each role is sized."""
        ratios, span = self.params["role_ratios"], self.params["director_span"]
        words = {"partners": "Sum of alliance-management hours of every partner / hours per FTE",
                 "span": f"One per {span} staff of the other roles, at least one"}
        rows = [{"Role": r["title"],
                 "Sized by": words.get(r["sizing"]) or f"{ratios.get(r['id'], 0.0):.2f} h per alliance-management hour"}
                for r in self.templates.roles]
        return pd.DataFrame(rows)

    def hours_sentence(self) -> str:
        """Total hours and the effect of the factors."""
        e = self.effort
        base = (e["base_hours"]).sum()
        return (f"The {len(e):,} partners need {e['hours'].sum():,.0f} hours of alliance management a year: "
                f"{base:,.0f} from their tiers, adjusted by type, revenue and multi-way deals "
                f"({e['multiway_share'].mean():.0%} of a partner's deals involve other partners on average).")

    # -- roles and RACI --------------------------------------------------------------------------
    def roles_overview(self) -> pd.DataFrame:
        """The roles with their reporting line and required FTE."""
        hc = self.headcount.set_index("role_id")
        return pd.DataFrame({"Role": [r["title"] for r in self.roles],
                             "Reports to": [documents._capital(r["reports_to"]) for r in self.roles],
                             "Required FTE": [hc.loc[r["id"], "required_fte"] for r in self.roles],
                             "Purpose": [r["purpose"] for r in self.roles]})

    def position_descriptions(self) -> HTML:
        """Every position description (one numbered sub-section each)."""
        return documents.position_descriptions(self.roles, self.templates.position_description, self.client)

    def raci_table(self) -> HTML:
        """The RACI matrix as a compact table with abbreviated role headings."""
        return raci.raci_html(self.raci)

    def raci_legend(self) -> str:
        """The RACI letters in one sentence."""
        return "; ".join(f"{k} = {v}" for k, v in raci.LEGEND.items()) + "."

    # -- staffing review -------------------------------------------------------------------------
    def load_display(self, statuses: Sequence[str] = ("overloaded", "under-loaded", "within capacity")) -> pd.DataFrame:
        """People with their partners, hours, capacity and utilisation (most loaded first)."""
        shown = self.load[self.load["status"].isin(statuses)]
        return pd.DataFrame({"Name": shown["name"], "Role": shown["role"], "FTE": shown["fte"],
                             "Partners": shown["partners"], "Hours needed": shown["hours"],
                             "Workload": shown["utilisation"],
                             "Status": shown["status"].map(STATUS_WORDS)}).reset_index(drop=True)

    def uncovered_display(self) -> pd.DataFrame:
        """Partners nobody covers."""
        return self._partners(self.uncovered)

    def sponsors_display(self) -> pd.DataFrame:
        """Strategic partners without an executive sponsor."""
        return self._partners(self.sponsors if self.sponsors is not None else self.uncovered.iloc[0:0])

    def no_manager_display(self) -> pd.DataFrame:
        """Partners covered by specialists only (no alliance manager)."""
        return self._partners(self.no_manager)

    @staticmethod
    def _partners(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"Partner": frame["partner_name"], "Tier": frame["tier"], "Type": frame["partner_type"],
                             "Region": frame["region"], "Revenue, 12 months": frame["revenue_ttm"]}).reset_index(drop=True)

    def staffing_sentences(self) -> list[str]:
        """The staffing review in sentences."""
        function_roles = [r["title"].lower() for r in self.templates.roles if r["workload"] == "function"]
        out = [self.coverage_sentence(),
               "Alliance managers and partner-facing specialists are measured on the partners they cover; "
               f"the {_join(function_roles)} roles serve the whole portfolio and are measured on the FTE the role needs "
               f"for today's workload against its current FTE (the director: one per {self.params['director_span']} "
               "staff of today's team)."]
        counts = self.load["status"].value_counts()
        out.append(", ".join(f"{int(counts.get(s, 0))} {STATUS_WORDS[s]}" for s in staffing.STATUSES if counts.get(s, 0))
                   .capitalize() + ".")
        n, m = len(self.uncovered), len(self.no_manager)
        text = f"{n} partner{'s are' if n != 1 else ' is'} covered by nobody"
        text += (f"; {m} more {'are' if m != 1 else 'is'} covered by other staff but {'have' if m != 1 else 'has'} "
                 "no alliance manager." if m else "; every other partner has an alliance manager.")
        out.append(text)
        if self.sponsors is None:
            out.append("The partner list has no exec_sponsor column, so sponsor coverage was not checked.")
        else:
            out.append(f"{len(self.sponsors)} of {int(self.strategic.sum())} strategic partners have no executive sponsor.")
        return out

    # -- method ----------------------------------------------------------------------------------
    def sensitivity_table(self) -> pd.DataFrame:
        """Required FTE under other readings of published practice."""
        return self.sensitivity

    def parameters_table(self) -> pd.DataFrame:
        """Every parameter of the run, its value and its source."""
        def show(value: object) -> str:
            if isinstance(value, dict):
                return ", ".join(f"{k} {v:g}" for k, v in value.items())
            if isinstance(value, float):
                return f"{value:g}"
            return str(value)
        return pd.DataFrame({"Parameter": list(self.params), "Value": [show(v) for v in self.params.values()],
                             "Source or rationale": [PARAMETER_SOURCES.get(k, "") for k in self.params]})

    def data_notes(self) -> list[str]:
        """What the reader should know about the data."""
        return list(self.notes)

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        hc = self.headcount
        over = "|".join(self.load.loc[self.load["status"] == "overloaded", "staff_id"])
        return (f"partners={len(self.effort)} roles={len(self.roles)} structure={self.structure_id} "
                f"line={self.line_id} current={hc['current_fte'].sum():.2f} required={hc['required_fte'].sum():.2f} "
                f"overloaded={over or '-'} uncovered={len(self.uncovered)} "
                f"no_sponsor={'-' if self.sponsors is None else len(self.sponsors)}")


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
               "strategic_label": _join(staffing.parse_tiers(p["strategic_tiers"])), "regions": _join(regions),
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
    notes = data_notes(effort, p["tier_hours"], load, opportunities, metrics, partners)
    return Review(client=client, params=p, templates=tpl, effort=effort, strategic=strategic, required=required,
                  current=current, headcount=headcount, load=load,
                  uncovered=staffing.uncovered_partners(effort, staff),
                  no_manager=staffing.partners_without_role(effort, staff, role_of, manager_id),
                  sponsors=staffing.missing_sponsors(partners, effort, strategic), signals=signals,
                  structures=structures, lines=lines, structure_id=structure_id, line_id=line_id, roles=roles,
                  raci=matrix, layout=layout, sensitivity=scenarios, notes=notes)
