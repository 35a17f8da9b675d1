"""The report's words and display tables, built from the computed :class:`~.phase.Review`.

:func:`~.phase.review` computes the organisation design; :class:`Narrative` says it to the
client: headline figures, the recommendation, findings and the other sentences, the tables
with the client's headings, the option cards, position descriptions and RACI as HTML, the
method tables and the data notes. Keeping the wording here lets the computation be tested,
reused and cached without the report, and lets a sentence change without touching a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Sequence

import numpy as np
import pandas as pd
from IPython.display import HTML

from .. import report
from ..fmt import join_words, signed_number
from . import documents, method, options, raci, staffing, workload
from .phase import Review

#: How each workload status reads in the staffing review.
STATUS_WORDS = {"overloaded": "overloaded", "under-loaded": "under-loaded", "within capacity": "within capacity",
                "not sized": "role not recognised"}


def _fte(value: float) -> str:
    """An FTE figure with one decimal (``10.3``)."""
    return f"{value:,.1f}"


#: A difference in FTE with its sign (+1.5, -0.5).
_signed = partial(signed_number, decimals=1, thousands=True)


#: A tier with fewer partners than this has an average workload that is those partners' own, not a
#: tier's pattern (the tier table says so).
MIN_TIER_PARTNERS = 3
#: What the report says when no opportunity data were given (the data note's words, so the
#: appendix says it once).
NO_OPPORTUNITIES = "No opportunity data was given: the complexity of multi-way deals is not counted."
#: What the report says when the partner list names no executive sponsors (the data note's words).
NO_SPONSORS = ("The partner list names no executive sponsors: strategic partners without a sponsor are not "
               "checked.")

#: The assumptions of the analysis as the report names them (never the parameter names).
PARAMETER_LABELS = {
    "hours_per_fte": "Productive hours per person and year",
    "tier_hours": "Hours of alliance management per partner and year, by tier",
    "type_factors": "Time factor by partner type",
    "revenue_weight": "Weight of a partner's size within its tier",
    "complexity_uplift": "Extra time for a partner whose every deal involves other partners",
    "role_ratios": "Specialist hours per hour of alliance management",
    "director_span": "Staff per alliance director",
    "strategic_tiers": "Tiers managed as strategic alliances",
    "priorities": "The client's priorities (weights of the criteria)",
    "overload_threshold": "Overloaded above this share of capacity",
    "underload_threshold": "Room for more partners below this share of capacity",
    "structure": "Organisation structure",
    "reporting_line": "Reporting line",
}


@dataclass
class Narrative:
    """The organisation design in words and display form, for the report (``Narrative(review)``)."""

    review: Review

    # -- names -----------------------------------------------------------------------------------
    def _option(self, kind: str, option_id: str) -> dict:
        templates = self.review.templates
        library = templates.structures if kind == "structure" else templates.reporting_lines
        return next(o for o in library if o["id"] == option_id)

    @property
    def structure_name(self) -> str:
        """The chosen structure's name."""
        return self._option("structure", self.review.structure_id)["name"]

    @property
    def line_name(self) -> str:
        """The chosen reporting line's name."""
        return self._option("reporting_line", self.review.line_id)["name"]

    @property
    def strategic_label(self) -> str:
        """The strategic tiers in words ('Platinum', 'Platinum and Gold')."""
        return join_words(staffing.parse_tiers(self.review.params["strategic_tiers"]))

    # -- executive summary -----------------------------------------------------------------------
    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Partners, current and required FTE, the gap, overloaded people, uncovered partners, missing sponsors."""
        r = self.review
        now, need = r.headcount["current_fte"].sum(), r.headcount["required_fte"].sum()
        sized = r.load[r.load["status"] != "not sized"]
        over = int((r.load["status"] == "overloaded").sum())
        figures = [
            ("Partners", f"{len(r.effort):,}", f"{int(r.strategic.sum())} strategic ({self.strategic_label})"),
            ("Alliance staff today", f"{_fte(now)} FTE", f"{len(sized)} people in alliance roles"),
            ("Required by workload", f"{_fte(need)} FTE", f"at {r.params['hours_per_fte']:,.0f} hours per FTE"),
            ("Gap", f"{_signed(need - now)} FTE", "required minus current"),
            ("Overloaded people", f"{over}", f"above {r.params['overload_threshold']:.0%} of capacity"),
            ("Partners nobody covers", f"{len(r.uncovered)}", None),
        ]
        if r.sponsors is not None:
            figures.append(("Strategic partners without sponsor", f"{len(r.sponsors)}",
                            f"of {int(r.strategic.sum())}"))
        return figures

    def recommendation(self) -> str:
        """The recommendation in one paragraph."""
        r = self.review
        gap = r.headcount["gap"].sum()
        biggest = r.headcount.sort_values("gap", ascending=False, kind="stable").iloc[0]
        hire = (f"Grow the team by about {_fte(gap)} FTE, most of it {biggest['role']} ({_signed(biggest['gap'])} FTE)"
                if gap > 0.05 else f"The team's size fits the workload ({_signed(gap)} FTE)")
        return (f"Organise the alliance function as a {self.structure_name.lower()}, with the alliance head reporting to "
                f"the {self.line_name}. {hire}; rebalance partner coverage so nobody carries more than "
                f"{r.params['overload_threshold']:.0%} of a full workload; and give every strategic partner a "
                f"named manager and an executive sponsor.")

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        r = self.review
        hc = r.headcount
        now, need = hc["current_fte"].sum(), hc["required_fte"].sum()
        out = [f"The workload of {len(r.effort):,} partners needs about {_fte(need)} FTE of alliance staff "
               f"against {_fte(now)} today ({_signed(need - now)} FTE)."]
        short = hc[hc["gap"] > 0.05].sort_values("gap", ascending=False, kind="stable")
        if len(short):
            out.append("Largest shortfalls: " + join_words([f"{role} {_signed(g)}" for role, g in
                                                           zip(short["role"].head(3), short["gap"].head(3))]) + " FTE.")
        out.append(self.coverage_sentence())
        over = r.load[r.load["status"] == "overloaded"]
        if len(over):
            out.append("Overloaded: " + "; ".join(
                f"{n} ({role}) carries {u:.0%} of a full workload across {p} partners"
                for n, role, u, p in zip(over["name"], over["role"], over["utilisation"], over["partners"])) + ".")
        under = r.load[r.load["status"] == "under-loaded"]
        if len(under):
            out.append(f"{len(under)} {'people have' if len(under) != 1 else 'person has'} room for more partners "
                       f"(below {r.params['underload_threshold']:.0%} of capacity): "
                       + join_words([f"{n} ({u:.0%})" for n, u in zip(under["name"], under["utilisation"])]) + ".")
        if len(r.uncovered):
            share = r.uncovered["revenue_ttm"].sum() / max(r.effort["revenue_ttm"].sum(), 1e-9)
            out.append(f"{len(r.uncovered)} partners are covered by nobody ({share:.1%} of partner revenue): "
                       + join_words(list(r.uncovered["partner_name"].head(8)))
                       + (" and others" if len(r.uncovered) > 8 else "") + ".")
        if r.sponsors is not None and len(r.sponsors):
            out.append(f"{len(r.sponsors)} of {int(r.strategic.sum())} strategic ({self.strategic_label}) partners "
                       "have no executive sponsor: " + join_words(list(r.sponsors["partner_name"])) + ".")
        out.append(f"Recommended: {self.structure_name.lower()}, reporting to the {self.line_name}.")
        return out

    def coverage_sentence(self) -> str:
        """Partners per alliance manager today against published practice."""
        r = self.review
        managers = [role["id"] for role in r.templates.roles if role["sizing"] == "partners"]
        people = r.load[r.load["role_id"].isin(managers)]
        if people.empty:
            return "Nobody in the staff list holds an alliance-manager role."
        per_fte = people["partners"].sum() / max(people["fte"].sum(), 1e-9)
        return (f"Alliance managers cover {per_fte:.1f} partners per FTE on average (from {people['partners'].min()} "
                f"to {people['partners'].max()} per person); published practice is 10-20 commercial partners per manager "
                "and one manager per strategic alliance.")

    # -- options ---------------------------------------------------------------------------------
    def priorities_table(self) -> pd.DataFrame:
        """The decision criteria, what they mean and the client's weights."""
        criteria = self.review.templates.criteria
        given, used = self._priority_weights()
        return report.weights_view(pd.DataFrame({"Criterion": [c.replace("_", " ").capitalize() for c in criteria],
                                                 "What it means": list(criteria.values())}), given, used, "priorities")

    def _priority_weights(self) -> tuple[list[float], list[float]]:
        criteria = list(self.review.templates.criteria)
        priorities = self.review.params["priorities"]
        weights = options.normalise_priorities(priorities, criteria)
        return [max(0.0, float(priorities.get(c, 0.0))) for c in criteria], [weights[c] for c in criteria]

    # -- what the figures rest on ------------------------------------------------------------------
    def priorities_sentence(self) -> str:
        """'' unless the priorities given were rescaled to add up to 100%."""
        given, used = self._priority_weights()
        if not sum(given):
            return "No priority was given a weight, so every criterion counts equally."
        return report.rescaled_sentence(given, used, "priorities")

    def small_tiers_sentence(self) -> str:
        """'' unless a tier has fewer than :data:`MIN_TIER_PARTNERS` partners."""
        counts = self.review.effort.groupby("tier").size()
        small = [(t, int(n)) for t, n in counts.items() if n < MIN_TIER_PARTNERS]
        if not small:
            return ""
        listed = join_words([f"{t} ({n} partner{'s' if n != 1 else ''})" for t, n in small])
        one = len(small) == 1
        return (f"{listed} {'is' if one else 'are'} too small for an average to mean much: the hours shown for "
                f"{'it are' if one else 'them are'} those partners' own.")

    def opportunities_sentence(self) -> str:
        """'' when opportunity data were given; else that multi-way deals are not counted."""
        return "" if self.review.opportunities_given else NO_OPPORTUNITIES

    def limits(self) -> list[str]:
        """The limits of this run's data, each a sentence also shown where it applies (empty when none)."""
        notes = [self.priorities_sentence(), self.small_tiers_sentence(), self.opportunities_sentence(),
                 "" if self.review.sponsors is not None else NO_SPONSORS]
        return [n for n in notes if n]

    def signals_table(self) -> pd.DataFrame:
        """The portfolio facts that move options up or down."""
        s = self.review.signals
        return pd.DataFrame({"Signal": s["signal"].map(lambda k: options.SIGNAL_LABELS.get(k, k)),
                             "In the data": s["evidence"], "Present": s["present"].map({True: "yes", False: "no"})})

    @staticmethod
    def _scored(table: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"Rank": table["rank"], "Option": table["option"], "Priority score": table["priority_score"],
                             "Portfolio fit": table["portfolio_adjustment"], "Total": table["score"]})

    def structure_scores(self) -> pd.DataFrame:
        """Structures ranked: priority score (1-5), portfolio adjustment, total."""
        return self._scored(self.review.structures)

    def line_scores(self) -> pd.DataFrame:
        """Reporting lines ranked, as :meth:`structure_scores`."""
        return self._scored(self.review.lines)

    @property
    def criteria_formats(self) -> dict[str, str]:
        """Whole-number formats of the criterion columns of :meth:`criteria_scores`."""
        return {c.replace("_", " ").capitalize(): "{:.0f}" for c in self.review.templates.criteria}

    def criteria_scores(self, kind: str = "structure") -> pd.DataFrame:
        """Each option's score (1-5) on each criterion, from the argument library."""
        table = self.review.structures if kind == "structure" else self.review.lines
        crit = list(self.review.templates.criteria)
        shown = table[["option", *crit]].rename(columns={"option": "Option"})
        return shown.rename(columns={c: c.replace("_", " ").capitalize() for c in crit}).reset_index(drop=True)

    def structure_cards(self) -> HTML:
        """Each structure's summary, pros, cons and friction, best first."""
        r = self.review
        return documents.option_cards(r.structures, r.templates.structures, r.structure_id)

    def line_cards(self) -> HTML:
        """Each reporting line's summary, pros, cons and friction, best first."""
        r = self.review
        return documents.option_cards(r.lines, r.templates.reporting_lines, r.line_id)

    def choice_sentence(self, kind: str = "structure") -> str:
        """Why the recommended structure (or reporting line, ``kind="reporting_line"``) was chosen."""
        r = self.review
        table, chosen, override = ((r.structures, r.structure_id, r.params["structure"]) if kind == "structure"
                                   else (r.lines, r.line_id, r.params["reporting_line"]))
        row = table[table["option_id"] == chosen].iloc[0]
        text = (f"{row['option']} ranks {int(row['rank'])} with {row['score']:.2f} points: "
                f"{row['priority_score']:.2f} of 5 on the client's priorities and {row['portfolio_adjustment']:+.2f} "
                "for the portfolio")
        if row["favoured_by"]:
            text += f" ({join_words([options.SIGNAL_LABELS[s].lower() for s in row['favoured_by'].split('; ')])})"
        if override != "auto":
            text += "; it is the option the client chose"
        runner = table[table["option_id"] != chosen].iloc[0]
        return text + f". The next best is {runner['option'].lower()} with {runner['score']:.2f}."

    def org_caption(self) -> str:
        """Caption of the organisation chart."""
        return (f"Recommended organisation: {self.structure_name.lower()}, reporting to the {self.line_name}; "
                f"FTE as required by the workload model. {self.review.layout.note}").strip()

    def coverage_model(self) -> list[str]:
        """One person for several alliances, or several people for one: the answer by tier."""
        r = self.review
        hours = r.params["hours_per_fte"]
        e = r.effort
        out = []
        strat = e[r.strategic]
        if len(strat):
            support = sum(r.params["role_ratios"].get(role["id"], 0.0) for role in r.templates.roles
                          if role["sizing"] == "ratio" and role["workload"] == "partners")
            team = strat["hours"].mean() * (1 + support) / hours
            out.append(f"Strategic partners ({self.strategic_label}, {len(strat)}): several people for one alliance. Each "
                       f"gets a named alliance manager and an executive sponsor; on average its workload is "
                       f"{strat['hours'].mean() / hours:.1f} of a manager's year and {team:.1f} FTE with solutions and "
                       "marketing support.")
        rest = e[~r.strategic]
        mean = rest.groupby("tier")["hours"].mean().sort_values(ascending=False)
        size = rest.groupby("tier").size()
        for tier, avg in mean.items():
            per = f"about {hours / avg:.0f} per manager at their average workload" if avg > 0 else "no managed workload"
            out.append(f"{tier} partners ({int(size[tier])}): one manager for several alliances, {per}.")
        return out

    # -- headcount -------------------------------------------------------------------------------
    def tier_table(self) -> pd.DataFrame:
        """Hours per partner by tier, what they mean in partners per manager, and partners in each tier."""
        hours = self.review.params["hours_per_fte"]
        e = self.review.effort
        counts = e.groupby("tier_key").size()
        mean_hours = e.groupby("tier_key")["hours"].mean()
        rows = []
        for tier, base in self.review.params["tier_hours"].items():
            if tier == workload.OTHER_TIER and not counts.get(tier, 0):
                continue
            rows.append({"Tier": tier, "Partners": int(counts.get(tier, 0)), "Base hours a year": base,
                         "Partners per manager": hours / base if base > 0 else np.nan,
                         "Average hours after factors": mean_hours.get(tier, np.nan)})
        return report.annotate(pd.DataFrame(rows), [self.small_tiers_sentence()])

    def headcount_display(self) -> pd.DataFrame:
        """``headcount.csv`` for the report, with a total row."""
        hc = self.review.headcount[["role", "current_fte", "required_fte", "gap"]]
        total = pd.DataFrame([{"role": "Total", "current_fte": hc["current_fte"].sum(),
                               "required_fte": hc["required_fte"].sum(), "gap": hc["gap"].sum()}])
        return pd.concat([hc, total], ignore_index=True).rename(columns={
            "role": "Role", "current_fte": "Current FTE", "required_fte": "Required FTE", "gap": "Gap (FTE)"})

    def sizing_table(self) -> pd.DataFrame:
        """How each role is sized."""
        ratios, span = self.review.params["role_ratios"], self.review.params["director_span"]
        words = {"partners": "Sum of alliance-management hours of every partner / hours per FTE",
                 "span": f"One per {span} staff of the other roles, at least one"}
        rows = [{"Role": r["title"],
                 "Sized by": words.get(r["sizing"]) or f"{ratios.get(r['id'], 0.0):.2f} h per alliance-management hour"}
                for r in self.review.templates.roles]
        return pd.DataFrame(rows)

    def hours_sentence(self) -> str:
        """Total hours and the effect of the factors."""
        e = self.review.effort
        base = (e["base_hours"]).sum()
        if not self.review.opportunities_given:
            return (f"The {len(e):,} partners need {e['hours'].sum():,.0f} hours of alliance management a year: "
                    f"{base:,.0f} from their tiers, adjusted by type and revenue. {NO_OPPORTUNITIES}")
        return (f"The {len(e):,} partners need {e['hours'].sum():,.0f} hours of alliance management a year: "
                f"{base:,.0f} from their tiers, adjusted by type, revenue and multi-way deals "
                f"({e['multiway_share'].mean():.0%} of a partner's deals involve other partners on average).")

    # -- roles and RACI --------------------------------------------------------------------------
    def roles_overview(self) -> pd.DataFrame:
        """The roles with their reporting line and required FTE."""
        roles = self.review.roles
        hc = self.review.headcount.set_index("role_id")
        return pd.DataFrame({"Role": [r["title"] for r in roles],
                             "Reports to": [documents._capital(r["reports_to"]) for r in roles],
                             "Required FTE": [hc.loc[r["id"], "required_fte"] for r in roles],
                             "Purpose": [r["purpose"] for r in roles]})

    def position_descriptions(self) -> HTML:
        """Every position description (one numbered sub-section each)."""
        r = self.review
        return documents.position_descriptions(r.roles, r.templates.position_description, r.client)

    def raci_table(self) -> HTML:
        """The RACI matrix as a compact table with abbreviated role headings."""
        return raci.raci_html(self.review.raci)

    def raci_legend(self) -> str:
        """The RACI letters in one sentence."""
        return "; ".join(f"{k} = {v}" for k, v in raci.LEGEND.items()) + "."

    # -- staffing review -------------------------------------------------------------------------
    def load_display(self, statuses: Sequence[str] = ("overloaded", "under-loaded", "within capacity")) -> pd.DataFrame:
        """People with their partners, hours, capacity and utilisation (most loaded first)."""
        load = self.review.load
        shown = load[load["status"].isin(statuses)]
        return pd.DataFrame({"Name": shown["name"], "Role": shown["role"], "FTE": shown["fte"],
                             "Partners": shown["partners"], "Hours needed": shown["hours"],
                             "Workload": shown["utilisation"],
                             "Status": shown["status"].map(STATUS_WORDS)}).reset_index(drop=True)

    def uncovered_display(self) -> pd.DataFrame:
        """Partners nobody covers."""
        return self._partners(self.review.uncovered)

    def sponsors_display(self) -> pd.DataFrame:
        """Strategic partners without an executive sponsor."""
        r = self.review
        return self._partners(r.sponsors if r.sponsors is not None else r.uncovered.iloc[0:0])

    def _partners(self, frame: pd.DataFrame) -> pd.DataFrame:
        words = self.review.words
        return pd.DataFrame({"Partner": frame["partner_name"], "Tier": words.labelled("tier", frame["tier"]),
                             "Type": words.labelled("partner_type", frame["partner_type"]),
                             "Region": words.labelled("region", frame["region"]),
                             "Revenue, 12 months": frame["revenue_ttm"]}).reset_index(drop=True)

    def staffing_sentences(self) -> list[str]:
        """The staffing review in sentences."""
        r = self.review
        function_roles = [role["title"].lower() for role in r.templates.roles if role["workload"] == "function"]
        out = [self.coverage_sentence(),
               "Alliance managers and partner-facing specialists are measured on the partners they cover; "
               f"the {join_words(function_roles)} roles serve the whole portfolio and are measured on the FTE the role "
               f"needs for today's workload against its current FTE (the director: one per {r.params['director_span']} "
               "staff of today's team)."]
        counts = r.load["status"].value_counts()
        out.append(", ".join(f"{int(counts.get(s, 0))} {STATUS_WORDS[s]}" for s in staffing.STATUSES if counts.get(s, 0))
                   .capitalize() + ".")
        n, m = len(r.uncovered), len(r.no_manager)
        text = f"{n} partner{'s are' if n != 1 else ' is'} covered by nobody"
        text += (f"; {m} more {'are' if m != 1 else 'is'} covered by other staff but {'have' if m != 1 else 'has'} "
                 "no alliance manager." if m else "; every other partner has an alliance manager.")
        out.append(text)
        if r.sponsors is None:
            out.append("The partner list names no executive sponsors, so sponsor coverage was not checked.")
        else:
            out.append(f"{len(r.sponsors)} of {int(r.strategic.sum())} strategic partners have no executive sponsor.")
        return out

    # -- method ----------------------------------------------------------------------------------
    def sensitivity_table(self) -> pd.DataFrame:
        """Required FTE under other readings of published practice."""
        return self.review.sensitivity

    def parameters_table(self) -> pd.DataFrame:
        """Every assumption of the analysis in the client's words, its value and its source."""
        params = self.review.params
        roles = {r["id"]: r["title"] for r in self.review.templates.roles}
        criteria = self.review.templates.criteria

        def key(k: object) -> str:
            k = str(k)
            if k in roles:
                return roles[k]
            if k in criteria:
                return k.replace("_", " ").capitalize()
            return k.replace("_", " ")

        def show(value: object) -> str:
            if isinstance(value, dict):
                return ", ".join(f"{key(k)} {v:g}" for k, v in value.items())
            if isinstance(value, (list, tuple)):
                return ", ".join(map(str, value))
            if isinstance(value, float):
                return f"{value:g}"
            if value == "auto":
                return "the best-scoring option"
            return str(value)
        return pd.DataFrame({"Assumption": [PARAMETER_LABELS.get(k, k.replace("_", " ").capitalize()) for k in params],
                             "Value": [show(v) for v in params.values()],
                             "Source or rationale": [method.PARAMETER_SOURCES.get(k, "") for k in params]})

    def data_notes(self) -> list[str]:
        """What the reader should know about the data."""
        r = self.review
        return method.data_notes(r.effort, r.params["tier_hours"], r.load, r.opportunities_given, r.sponsors is not None)

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        r = self.review
        hc = r.headcount
        over = "|".join(r.load.loc[r.load["status"] == "overloaded", "staff_id"])
        return (f"partners={len(r.effort)} roles={len(r.roles)} structure={r.structure_id} "
                f"line={r.line_id} current={hc['current_fte'].sum():.2f} required={hc['required_fte'].sum():.2f} "
                f"overloaded={over or '-'} uncovered={len(r.uncovered)} "
                f"no_sponsor={'-' if r.sponsors is None else len(r.sponsors)}")
