"""What the strategy assessment report says: sentences, key figures and display tables from an :class:`Assessment`.

:func:`~.phase.review` computes; :class:`Narrative` words the results for the executives
(client headings, report column names, the formats of the decision matrix), so that the
analysis can be used and tested without the report's wording, and the wording changed without
touching the analysis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import report, vocabulary
from ..fmt import DASH, is_missing, join_words
from .formation import overlap_keys, time_to_approval, workflow_table
from .maturity import POOLED_ROLE, role_order
from .options import TIE
from .phase import Assessment
from .targets import format_target
from .templates import Questionnaire


#: A dimension scored by fewer respondents than this rests on few people's views (a table note says so).
MIN_DIMENSION_RESPONDENTS = 3


def _level_name(questionnaire: Questionnaire, level) -> str:
    """A maturity level with its name on the questionnaire's scale: ``3 Defined``."""
    return DASH if is_missing(level) else f"{int(level)} {questionnaire.scale.get(int(level), '')}".strip()


def _score_text(value: float) -> str:
    """A criterion score in the decision matrix: whole scores as such (``4``), weighted ones to two decimals."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def _plain_words(text: str) -> str:
    """Column and phase names in an indicator list as words: ``sourced_revenue`` -> ``sourced revenue``."""
    text = text.replace("partner_swot", "partner SWOT")
    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", lambda m: m.group(0).replace("_", " "), text)


def _is_chief(role: str) -> bool:
    """A C-level title (CEO, CFO, CIO, CMO...), named as such; other roles are functions with a leader."""
    return re.fullmatch(r"C[A-Z]{1,3}O", role) is not None


def _lower_first(text: str) -> str:
    """'A few partners' -> 'a few partners'; acronyms ('PRM', 'ISV') stay as they are."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


@dataclass
class Narrative:
    """The report's words and display tables for one :class:`Assessment`: ``Narrative(assessment)``."""

    assessment: Assessment

    @property
    def words(self) -> vocabulary.Vocabulary:
        """The client's labels of partner types and regions (validation attaches them to the partners)."""
        return vocabulary.of(self.assessment.partners)

    # ------------------------------------------------------------------ summary
    def respondents_phrase(self) -> str:
        """Who answered, from the survey: 'The CEO, CFO and the leaders of Sales and Marketing'."""
        roles = list(self.role_view()["Role"])
        chiefs = [r for r in roles if _is_chief(r)]
        others = [r for r in roles if not _is_chief(r) and r != POOLED_ROLE]
        parts = []
        if chiefs:  # 'the CEO, CFO and the leaders of ...', or 'the CEO and CFO' alone
            parts.append("the " + (", ".join(chiefs) if others or POOLED_ROLE in roles else join_words(chiefs)))
        if others:
            parts.append(f"the leader{'s' if len(others) > 1 else ''} of {join_words(others)}")
        if POOLED_ROLE in roles:
            parts.append("other executives")
        if not parts:
            return "The executives"
        text = join_words(parts)
        return text[0].upper() + text[1:]

    def introduction(self) -> str:
        """The executive summary's opening paragraph; the roles named are those that answered."""
        return ("Every company knows it should have alliances; fewer can say why, what they should deliver, and how "
                "many it should have. This assessment starts from the executives' own view. "
                f"{self.respondents_phrase()} rated the alliance organisation against a maturity questionnaire whose "
                "levels describe what each score looks like in practice. From their answers follow the priorities, "
                "the targets alliances should be held to, the portfolio strategy that fits, and a conscious process "
                "for forming new alliances.")

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Key figures of the executive summary."""
        a = self.assessment
        m = a.maturity.dropna(subset=["score"])
        n_resp = a.respondents["respondent_id"].nunique()
        n_roles = a.respondents["role"].nunique()
        below = int((m["gap"] > 0).sum())
        top = a.disagreement.iloc[0] if len(a.disagreement) else None
        gates = a.gate_counts()
        rec = a.recommended
        return [
            ("Executives surveyed", f"{n_resp:,}", f"{n_roles} roles"),
            ("Average maturity", f"{m['score'].mean():.1f}", f"of 5; target {m['target'].mean():.1f}"),
            ("Dimensions below target", f"{below} of {len(m)}", None),
            ("Widest disagreement", f"{top['role_gap']:.1f} pts" if top is not None else DASH,
             top["name"] if top is not None else None),
            ("Recommended strategy", rec["option"], f"{rec['weighted_score']:.2f} of 5"),
            ("Candidates approved", f"{gates['approve']} of {len(a.candidates)}",
             f"{gates['review']} to review, {gates['decline']} declined"),
        ]

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        a = self.assessment
        m = a.maturity.dropna(subset=["score"]).sort_values("rank")
        out = []
        if len(m):
            hi, lo = m.iloc[0], m.iloc[-1]
            out.append(f"The executives rate {hi['name']} highest ({hi['score']:.1f} of 5) and {lo['name']} lowest "
                       f"({lo['score']:.1f}); the average across the {len(m)} dimensions is {m['score'].mean():.1f}.")
            below = m[m["gap"] > 0].sort_values("gap", ascending=False)
            if len(below):
                largest = join_words([f"{r['name']} ({r['gap']:.1f} points)" for _, r in below.head(3).iterrows()])
                out.append(f"{len(below)} of {len(m)} dimensions are below their target; the largest gaps: {largest}.")
            else:
                out.append("Every dimension meets its target.")
        if len(a.disagreement):
            d = a.disagreement.iloc[0]
            out.append(f"The executives disagree most on {d['name']}: from {d['lowest_role_score']:.1f} "
                       f"({self._role_with_count(d['lowest_role'])}) to {d['highest_role_score']:.1f} "
                       f"({self._role_with_count(d['highest_role'])}). That is where the strategy conversation should "
                       "start.")
        if a.priority_list:
            names = a.questionnaire.names
            listed = [names[p.dimension] + (" (agree where it stands first)" if p.reason == "disagreement" else "")
                      for p in a.priority_list]
            out.append(f"The priorities that follow, in order: {join_words(listed)}.")
        out.append(self.recommendation_sentence())
        g = a.gate_counts()
        overlapping = int((a.candidates["overlap"] != "").sum())
        review = f"{g['review']} need{'s' if g['review'] == 1 else ''} a review"
        if overlapping:
            review += f" ({overlapping} because {'it overlaps' if overlapping == 1 else 'they overlap'} a current partner)"
        out.append(f"Of {len(a.candidates)} candidate partners, {g['approve']} pass{'es' if g['approve'] == 1 else ''} "
                   f"the qualification gate, {review} and {g['decline']} {'is' if g['decline'] == 1 else 'are'} declined.")
        revenue = a.targets.iloc[0]
        unset = int((a.targets["status"] == "to be agreed").sum())
        text = f"Revenue target: {format_target(revenue['target'], 'currency')}"
        text += f" ({revenue['status']})." if revenue["status"] != "to be agreed" else "."
        if unset:
            text += f" {unset} of {len(a.targets)} targets are still to be agreed with the executive team."
        out.append(text)
        return out

    def recommendation_sentence(self) -> str:
        """The recommended option, its lead and how robust it is."""
        a = self.assessment
        rec = a.options.iloc[0]
        second = a.options.iloc[1]
        lead = rec["weighted_score"] - second["weighted_score"]
        text = (f"Recommended portfolio strategy: {rec['option']} ({rec['weighted_score']:.2f} of 5), "
                f"ahead of {second['option']} ({second['weighted_score']:.2f})")
        text += ": a near tie, so the executives' weighting decides." if lead < TIE else "."
        flips = a.sensitivity[~a.sensitivity["robust"]]
        if len(flips):
            text += f" Closest change: {flips.iloc[0]['sentence'][0].lower()}{flips.iloc[0]['sentence'][1:]}"
        else:
            text += " No single weight change alters it."
        return text

    # ------------------------------------------------------------------ maturity
    def maturity_view(self) -> pd.DataFrame:
        """Dimensions, highest score first: score, level reached, target, gap, spread, respondents."""
        a = self.assessment
        m = a.maturity.sort_values("rank", na_position="last")
        return report.annotate(pd.DataFrame({
            "Dimension": m["name"], "Score": m["score"],
            "Level reached": [_level_name(a.questionnaire, v) for v in m["level"]],
            "Target": m["target"], "Gap": m["gap"], "Spread": m["spread"], "Respondents": m["n"],
        }).reset_index(drop=True), [self.few_respondents_sentence()])

    def disagreement_view(self) -> pd.DataFrame:
        """The largest differences between roles."""
        d = self.assessment.disagreement
        table = pd.DataFrame({
            "Dimension": d["name"], "Lowest role": d["lowest_role"], "Its score": d["lowest_role_score"],
            "Highest role": d["highest_role"], "Its score ": d["highest_role_score"], "Difference": d["role_gap"],
        })
        return report.annotate(table, [self.single_role_sentence(set(d["lowest_role"]) | set(d["highest_role"]))])

    # ------------------------------------------------------------------ what the figures rest on
    def _respondents_per_role(self) -> dict[str, int]:
        roles = self.role_view()
        return dict(zip(roles["Role"], roles["Respondents"]))

    def _role_with_count(self, role: str) -> str:
        """A role in a sentence, with 'one respondent' when one person speaks for it."""
        return f"{role}, one respondent" if self._respondents_per_role().get(role) == 1 else role

    def single_role_sentence(self, roles: set[str] | None = None) -> str:
        """'' unless a role shown (``roles``; every role when None) rests on one respondent."""
        counts = self._respondents_per_role()
        single = [r for r, n in counts.items() if n == 1 and (roles is None or r in roles)]
        if not single:
            return ""
        one = len(single) == 1
        return (f"{join_words(single)} {'has' if one else 'have'} one respondent{'' if one else ' each'}: "
                f"{'that role score is' if one else 'those role scores are'} one person's view, not a group's.")

    def few_respondents_sentence(self) -> str:
        """'' unless a dimension was scored by fewer than :data:`MIN_DIMENSION_RESPONDENTS` respondents."""
        m = self.assessment.maturity.dropna(subset=["score"])
        few = m[m["n"] < MIN_DIMENSION_RESPONDENTS]
        if few.empty:
            return ""
        listed = join_words([f"{r['name']} ({int(r['n'])})" for _, r in few.iterrows()])
        return (f"Some dimensions were scored by fewer than {MIN_DIMENSION_RESPONDENTS} respondents: {listed}; "
                "their scores rest on very few views.")

    def _criteria_weights(self) -> tuple[list[float], list[float]]:
        a = self.assessment
        given = a.params["criteria_weights"]
        criteria = a.library.criteria
        return ([float(given.get(c.id, c.default_weight)) for c in criteria], [float(a.weights[c.id]) for c in criteria])

    def _candidate_weight_names(self) -> list[str]:
        a = self.assessment
        given = a.params["candidate_weights"]
        return [k for k in dict.fromkeys([*given, *a.candidate_weights]) if given.get(k, 0) > 0 or k in a.candidate_weights]

    def _candidate_weights(self) -> tuple[list[float], list[float]]:
        a = self.assessment
        names = self._candidate_weight_names()
        return ([float(a.params["candidate_weights"].get(k, 0.0)) for k in names],
                [float(a.candidate_weights.get(k, 0.0)) for k in names])

    def criteria_weights_sentence(self) -> str:
        """'' unless the criteria weights given were rescaled."""
        return report.rescaled_sentence(*self._criteria_weights(), "criteria weights")

    def candidate_weights_sentence(self) -> str:
        """'' unless the candidate weights given were rescaled."""
        return report.rescaled_sentence(*self._candidate_weights(), "candidate criteria weights")

    def revenue_target_sentence(self) -> str:
        """'' unless the revenue target is the sum of partners' annual targets and some partners lack one."""
        a = self.assessment
        revenue = a.targets.iloc[0]
        partners = a.partners
        if partners is None or not len(partners) or float(a.params["revenue_target"]) > 0:
            return ""
        if "annual_target" not in partners:
            return ("The partner list gives no annual targets, so the revenue target is to be agreed rather than "
                    "added up from them.")
        values = pd.to_numeric(partners["annual_target"], errors="coerce")
        missing = int((~(values > 0)).sum())
        if not missing or not str(revenue["status"]).startswith("from"):
            return ""
        return (f"{missing:,} of {len(partners):,} partners have no annual target in the partner list, so the revenue "
                "target, the sum of the others' targets, leaves them out.")

    def limits(self) -> list[str]:
        """The limits of this run's data, each a sentence also shown where it applies (empty when none)."""
        notes = [self.single_role_sentence(), self.few_respondents_sentence(), self.criteria_weights_sentence(),
                 self.candidate_weights_sentence(), self.revenue_target_sentence()]
        return [n for n in notes if n]

    def priority_sentences(self) -> list[str]:
        """The priorities that follow from the scores, in plain words."""
        return [p.text for p in self.assessment.priority_list]

    def maturity_method_sentence(self) -> str:
        """How targets were set for this report."""
        levels = dict(self.assessment.params["target_levels"])  # a copy: the results keep their parameters
        default = float(levels.pop("default", 4.0) or 4.0)
        names = self.assessment.questionnaire.names
        per = {k: v for k, v in levels.items() if v and k in names}
        text = f"The target is level {default:g} for every dimension"
        if per:
            text += " except " + join_words([f"{names[k]} ({v:g})" for k, v in per.items()])
        return text + "."

    # ------------------------------------------------------------------ targets
    def targets_view(self) -> pd.DataFrame:
        """Targets with how each is measured."""
        t = self.assessment.targets
        shown = [format_target(v, u) + (" (from partners' targets)" if s.startswith("from") else "")
                 for v, u, s in zip(t["target"], t["unit"], t["status"])]
        return report.annotate(pd.DataFrame({"Value dimension": t["value_dimension"], "Target": t["target_name"],
                                             "Level": shown, "How it is measured": t["measure"]}),
                               [self.revenue_target_sentence()])

    def indicators_view(self) -> pd.DataFrame:
        """What metric_design should track for each target."""
        t = self.assessment.targets
        return pd.DataFrame({"Target": t["target_name"],
                             "Indicators for the scorecard": [_plain_words(str(i)) for i in t["indicators"]]})

    # ------------------------------------------------------------------ options
    def portfolio_sentence(self) -> str:
        """The current portfolio in one sentence: size, types, tiers, regions."""
        p = self.assessment.partners
        if p is None or not len(p):
            return "No current partners were given."
        types = p["partner_type"].value_counts()
        tiers = p["tier"].value_counts()
        top_types = join_words([f"{n} {self.words.label('partner_type', t)}" for t, n in types.head(3).items()])
        return (f"Today the portfolio holds {len(p):,} alliances of {len(types)} types ({top_types} the largest groups) "
                f"in {p['region'].nunique()} regions, managed in {len(tiers)} tiers. The question is not whether to "
                "partner but how to concentrate the company's attention: on a few key alliances, on as many as "
                "possible, or on a tiered mix of both.")

    def decision_view(self) -> pd.DataFrame:
        """The decision matrix: criteria (rows) with weight and each option's 1-5 score, then the weighted scores."""
        a = self.assessment
        names = a.library.criterion_names
        order = list(a.options["option_id"])
        option_names = dict(zip(a.options["option_id"], a.options["option"]))
        body = a.matrix.T[order].rename(columns=option_names)
        given, used = self._criteria_weights()
        by_id = {c.id: (g, u) for c, g, u in zip(a.library.criteria, given, used)}
        rescaled = report.weights_rescaled(given, used)
        body.insert(0, "Weight used" if rescaled else "Weight", [a.weights[c] for c in body.index])
        if rescaled:
            body.insert(0, "Weight given", [by_id[c][0] for c in body.index])
        body.insert(0, "Criterion", [names.get(c, c) for c in body.index])
        weights_total = [sum(given), 1.0] if rescaled else [1.0]
        total = pd.DataFrame([["Weighted score", *weights_total, *a.options["weighted_score"]]], columns=body.columns)
        table = pd.concat([body.reset_index(drop=True), total], ignore_index=True)
        return report.annotate(table, [self.criteria_weights_sentence()])

    def decision_formats(self) -> dict[str, Any]:
        """Formats of :meth:`decision_view`: whole criterion scores as such, weighted scores to two decimals."""
        fmt = {o: _score_text for o in self.assessment.options["option"]}
        fmt["Weight"] = fmt["Weight given"] = fmt["Weight used"] = "{:.0%}"
        return fmt

    def arguments_view(self) -> pd.DataFrame:
        """Arguments for and against each option, side by side (the argument library)."""
        rows = []
        for o in self.assessment.library.options:
            for k in range(max(len(o.pros), len(o.cons))):
                rows.append((o.name if k == 0 else "", o.pros[k] if k < len(o.pros) else "",
                             o.cons[k] if k < len(o.cons) else ""))
        return pd.DataFrame(rows, columns=["Option", "For", "Against"])

    def options_summary_view(self) -> pd.DataFrame:
        """What each option is and when it fits."""
        options = self.assessment.library.options
        return pd.DataFrame({"Option": [o.name for o in options],
                             "What it means": [o.summary for o in options],
                             "Fits when": ["; ".join(_lower_first(f.rstrip(".")) for f in o.fits_when) + "."
                                           if o.fits_when else ""
                                           for o in options]})

    def recommended_fits(self) -> list[str]:
        """When the recommended option fits (the library's conditions), to test with the executives."""
        a = self.assessment
        option = next(o for o in a.library.options if o.id == a.recommended["option_id"])
        return list(option.fits_when)

    def sensitivity_view(self) -> pd.DataFrame:
        """Per criterion: today's weight, the weight that would change the recommendation, and to what."""
        a = self.assessment
        s = a.sensitivity
        flips = [(DASH if r else f"{'above' if d == 'raise' else 'below'} {w:.0%}")
                 for r, d, w in zip(s["robust"], s["direction"], s["flip_weight"])]
        names = dict(zip(a.options["option_id"], a.options["option"]))
        return pd.DataFrame({"Criterion": s["name"], "Weight today": s["weight"], "Changes the recommendation": flips,
                             "New first choice": [names.get(o, "no change") if o else "no change"
                                                  for o in s["new_option"]]})

    # ------------------------------------------------------------------ formation
    def candidates_view(self) -> pd.DataFrame:
        """Every candidate, best first: type, region, score, gate and the reason."""
        c = self.assessment.candidates
        return pd.DataFrame({"Candidate": c["candidate_name"], "Type": self.words.labelled("partner_type", c["partner_type"]),
                             "Region": self.words.labelled("region", c["region"]),
                             "Score": c["weighted_score"], "Gate": c["gate"], "Reason": c["reason"]})

    def overlap_view(self) -> pd.DataFrame:
        """Candidates that overlap the current portfolio, with the partners they overlap."""
        a = self.assessment
        c = a.candidates[a.candidates["overlap"] != ""]
        tiers = dict(zip(a.partners["partner_id"].astype(str), a.partners["tier"].astype(str)))
        with_tier = [", ".join(f"{n} ({i}, {tiers.get(i, '?')})" for i, n in zip(ids.split(";"), names.split(";")))
                     for ids, names in zip(c["overlaps_with"], c["overlaps_with_names"])]
        return pd.DataFrame({"Candidate": c["candidate_name"], "Overlap": c["overlap"],
                             "Current partner(s)": with_tier, "Score": c["weighted_score"], "Gate": c["gate"]})

    def overlap_sentence(self) -> str:
        """What the overlap check found, and on what basis."""
        a = self.assessment
        c = a.candidates
        n = int((c["overlap"] != "").sum())
        keys = overlap_keys(a.partners, c)
        basis = ("type, region and offering" if "offering" in keys else "type and region")
        if not n:
            return f"No candidate overlaps a current partner (compared on {basis})."
        red = int((c["overlap"] == "redundant").sum())
        con = int((c["overlap"] == "conflicting").sum())
        parts = []
        if red:
            parts.append(f"{red} would be redundant (same type, region and offering as a current partner)")
        if con:
            parts.append(f"{con} would compete with a current partner of another type (same region and offering)")
        if not parts:
            parts.append(f"{n} may overlap a current partner (same type and region)")
        return (f"Of {len(c)} candidates, {join_words(parts)}. None of them is approved by the gate alone: each goes to "
                "review, where the sponsor and the alliance office decide whether it replaces, complements or "
                "duplicates the current partner.")

    def candidate_weights_view(self) -> pd.DataFrame:
        """Candidate criteria and their weights (given and used when the given ones were rescaled)."""
        names = self._candidate_weight_names()
        return report.weights_view(pd.DataFrame({"Criterion": [k.replace("_", " ").capitalize() for k in names]}),
                                   *self._candidate_weights(), "candidate criteria weights")

    def gate_sentence(self) -> str:
        """The gate's rule in words."""
        a, d = self.assessment.params["approve_score"], self.assessment.params["decline_score"]
        return (f"The gate approves a candidate with a weighted score of {a:.2f} or more, declines one below {d:.2f} "
                "and sends the rest to review. A candidate that overlaps a current partner, or lacks a score on a "
                "weighted criterion, goes to review even when its score would pass.")

    def workflow_view(self) -> pd.DataFrame:
        """Stages of the approval workflow."""
        return workflow_table()

    def workflow_sentence(self) -> str:
        """The workflow's length in words."""
        low, high = time_to_approval()
        return (f"From proposal to approval takes {low:g} to {high:g} weeks, most of it legal review; launch follows "
                "with a review after 90 days. Finalising and embedding such a process typically takes three to six "
                "months, because legal requirements differ by company and jurisdiction.")

    # ------------------------------------------------------------------ appendix
    def questionnaire_view(self) -> pd.DataFrame:
        """The questionnaire's dimensions: lens, lifecycle stage, number of questions and answers."""
        a = self.assessment
        m = a.maturity.set_index("dimension")
        dimensions = a.questionnaire.dimensions
        return pd.DataFrame({"Dimension": [d.name for d in dimensions],
                             "Lens": [d.lens for d in dimensions],
                             "Lifecycle stage": [d.lifecycle_stage for d in dimensions],
                             "Questions": [len(d.questions) for d in dimensions],
                             "Answers": [int(m.at[d.id, "answers"]) for d in dimensions]})

    def role_sentence(self) -> str:
        """Who answered, per role."""
        a = self.assessment
        roles = self.role_view()
        parts = [f"{r} {n}" for r, n in zip(roles["Role"], roles["Respondents"])]
        return (f"{a.respondents['respondent_id'].nunique()} respondents answered {len(a.answered):,} statements. "
                f"Respondents per role: {', '.join(parts)}.")

    def role_view(self) -> pd.DataFrame:
        """Respondents per role."""
        a = self.assessment
        counts = a.respondents.groupby("role")["respondent_id"].nunique()
        order = role_order(a.questionnaire, counts.index)
        return pd.DataFrame({"Role": order, "Respondents": [int(counts[r]) for r in order]})

    def criteria_view(self) -> pd.DataFrame:
        """The strategy options' criteria: what each measures and its weight."""
        a = self.assessment
        criteria = a.library.criteria
        return report.weights_view(pd.DataFrame({"Criterion": [c.name for c in criteria],
                                                 "What 5 means": [c.description for c in criteria]}),
                                   *self._criteria_weights(), "criteria weights")

    def data_notes(self) -> list[str]:
        """What the reader should know about the data and the templates used (from :attr:`Assessment.checks`)."""
        a = self.assessment
        checks = a.checks
        notes = []
        n_resp, n_q = checks.surveyed, len(a.questionnaire.question_dimension)
        if checks.blank_answers > 0:
            notes.append(f"{checks.blank_answers:,} of {n_resp * n_q:,} possible answers ({n_resp} respondents x {n_q} "
                         "questions) are blank or absent; they are left out of the scores, not counted as zero.")
        if checks.unlisted_roles:
            notes.append(f"Roles not listed in the questionnaire are reported as given: {', '.join(checks.unlisted_roles)}.")
        if checks.pooled:
            notes.append(f"Roles with fewer than {a.params['min_role_respondents']} respondents are reported together as "
                         f"'{POOLED_ROLE}' to protect anonymity.")
        # roles with one respondent: a limit (single_role_sentence), said beside the role scores
        if checks.unanswered:
            notes.append(f"No answers for: {', '.join(checks.unanswered)}; these dimensions are not scored.")
        if checks.unweighted_columns:
            notes.append("Numeric candidate columns without a weight are shown but not scored: "
                         f"{', '.join(_plain_words(c) for c in checks.unweighted_columns)}.")
        if "offering" not in checks.overlap_keys:
            notes.append("Without an 'offering' column in both partners and candidates, overlap is checked on partner "
                         "type and region only; it flags more candidates than a full check would.")
        if checks.unknown_criteria:
            notes.append("Weights were given for criteria the argument library does not have; they are ignored: "
                         f"{', '.join(_plain_words(c) for c in checks.unknown_criteria)}.")
        for param, name in checks.ignored_templates:
            kind = {"questionnaire": "maturity questionnaire", "arguments": "argument library"}.get(param, "template")
            notes.append(f"An edited copy of the {kind} came with the engagement's data but was not used; this "
                         f"report uses the standard {kind}.")
        return notes

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        a = self.assessment
        m = a.maturity.dropna(subset=["score"]).sort_values("rank")
        top = m.iloc[0]["dimension"] if len(m) else "-"
        split = a.disagreement.iloc[0]["dimension"] if len(a.disagreement) else "-"
        g = a.gate_counts()
        overlaps = ",".join(a.candidates.loc[a.candidates["overlap"] != "", "candidate_id"])
        return (f"respondents={a.respondents['respondent_id'].nunique()} answers={len(a.answered)} "
                f"top={top} split={split} priorities={'|'.join(p.dimension for p in a.priority_list)} "
                f"recommended={a.recommended['option_id']} ({a.recommended['weighted_score']:.2f}) "
                f"gates={'|'.join(f'{k}:{v}' for k, v in g.items())} overlaps={overlaps or '-'} "
                f"best={a.candidates.iloc[0]['candidate_id']}")
