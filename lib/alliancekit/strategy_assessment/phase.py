"""The phase, end to end: :func:`review` runs every step and :class:`Assessment` is what the notebook shows."""

from __future__ import annotations

import filecmp
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import InputError
from ..fmt import join_words
from .declaration import Params
from .formation import (
    GATES, candidate_weights, numeric_columns, overlap_keys, score_candidates, time_to_approval,
    workflow_table,
)
from .inputs import check_inputs, resolve_templates
from .maturity import (
    POOLED_ROLE, Priority, answers, dimension_scores, disagreements, priorities, respondent_scores, role_order,
    role_scores, target_levels,
)
from .options import TIE, criteria_matrix, decision_matrix, option_weights, sensitivity
from .targets import format_target, value_targets
from .templates import ARGUMENTS_FILE, QUESTIONNAIRE_FILE, ArgumentLibrary, Questionnaire


def _level_name(questionnaire: Questionnaire, level) -> str:
    return "–" if level is None or pd.isna(level) else f"{int(level)} {questionnaire.scale.get(int(level), '')}".strip()


def _score_text(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def _lower_first(text: str) -> str:
    """'A few partners' -> 'a few partners'; acronyms ('PRM', 'ISV') stay as they are."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


@dataclass
class Assessment:
    """The results of one strategy assessment, and what the report shows of them.

    Result tables: ``maturity`` (``maturity_scores.csv``), ``options`` (``strategy_options.csv``),
    ``candidates`` (``candidates_scored.csv``) and ``targets`` (``value_targets.csv``, the
    hand-off to metric_design). The ``*_view`` methods are their report versions.
    """

    questionnaire: Questionnaire
    library: ArgumentLibrary
    params: dict[str, Any]
    answered: pd.DataFrame
    respondents: pd.DataFrame
    role_table: pd.DataFrame
    maturity: pd.DataFrame
    disagreement: pd.DataFrame
    priority_list: list[Priority]
    targets: pd.DataFrame
    matrix: pd.DataFrame
    weights: dict[str, float]
    options: pd.DataFrame
    sensitivity: pd.DataFrame
    candidate_weights: dict[str, float]
    candidates: pd.DataFrame
    partners: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ summary
    @property
    def recommended(self) -> pd.Series:
        """The first row of the decision matrix."""
        return self.options.iloc[0]

    @property
    def option_names(self) -> dict[str, str]:
        """Option id -> display name."""
        return {o.id: o.name for o in self.library.options}

    def gate_counts(self) -> dict[str, int]:
        """Candidates per gate outcome."""
        counts = self.candidates["gate"].value_counts()
        return {g: int(counts.get(g, 0)) for g in GATES}

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Key figures of the executive summary."""
        m = self.maturity.dropna(subset=["score"])
        n_resp = self.respondents["respondent_id"].nunique()
        n_roles = self.respondents["role"].nunique()
        below = int((m["gap"] > 0).sum())
        top = self.disagreement.iloc[0] if len(self.disagreement) else None
        gates = self.gate_counts()
        rec = self.recommended
        return [
            ("Executives surveyed", f"{n_resp:,}", f"{n_roles} roles"),
            ("Average maturity", f"{m['score'].mean():.1f}", f"of 5; target {m['target'].mean():.1f}"),
            ("Dimensions below target", f"{below} of {len(m)}", None),
            ("Widest disagreement", f"{top['role_gap']:.1f} pts" if top is not None else "–",
             top["name"] if top is not None else None),
            ("Recommended strategy", rec["option"], f"{rec['weighted_score']:.2f} of 5"),
            ("Candidates approved", f"{gates['approve']} of {len(self.candidates)}",
             f"{gates['review']} to review, {gates['decline']} declined"),
        ]

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        m = self.maturity.dropna(subset=["score"]).sort_values("rank")
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
        if len(self.disagreement):
            d = self.disagreement.iloc[0]
            out.append(f"The executives disagree most on {d['name']}: from {d['lowest_role_score']:.1f} ({d['lowest_role']}) "
                       f"to {d['highest_role_score']:.1f} ({d['highest_role']}). That is where the strategy "
                       "conversation should start.")
        if self.priority_list:
            names = self.questionnaire.names
            listed = [names[p.dimension] + (" (agree where it stands first)" if p.reason == "disagreement" else "")
                      for p in self.priority_list]
            out.append(f"The priorities that follow, in order: {join_words(listed)}.")
        out.append(self.recommendation_sentence())
        g = self.gate_counts()
        overlapping = int((self.candidates["overlap"] != "").sum())
        review = f"{g['review']} need{'s' if g['review'] == 1 else ''} a review"
        if overlapping:
            review += f" ({overlapping} because {'it overlaps' if overlapping == 1 else 'they overlap'} a current partner)"
        out.append(f"Of {len(self.candidates)} candidate partners, {g['approve']} pass{'es' if g['approve'] == 1 else ''} "
                   f"the qualification gate, {review} and {g['decline']} {'is' if g['decline'] == 1 else 'are'} declined.")
        revenue = self.targets.iloc[0]
        unset = int((self.targets["status"] == "to be agreed").sum())
        text = f"Revenue target: {format_target(revenue['target'], 'currency')}"
        text += f" ({revenue['status']})." if revenue["status"] != "to be agreed" else "."
        if unset:
            text += f" {unset} of {len(self.targets)} targets are still to be agreed with the executive team."
        out.append(text)
        return out

    def recommendation_sentence(self) -> str:
        """The recommended option, its lead and how robust it is."""
        rec = self.options.iloc[0]
        second = self.options.iloc[1]
        lead = rec["weighted_score"] - second["weighted_score"]
        text = (f"Recommended portfolio strategy: {rec['option']} ({rec['weighted_score']:.2f} of 5), "
                f"ahead of {second['option']} ({second['weighted_score']:.2f})")
        text += ": a near tie, so the executives' weighting decides." if lead < TIE else "."
        flips = self.sensitivity[~self.sensitivity["robust"]]
        if len(flips):
            text += f" Closest change: {flips.iloc[0]['sentence'][0].lower()}{flips.iloc[0]['sentence'][1:]}"
        else:
            text += " No single weight change alters it."
        return text

    # ------------------------------------------------------------------ maturity
    def maturity_view(self) -> pd.DataFrame:
        """Dimensions, highest score first: score, level reached, target, gap, spread, respondents."""
        m = self.maturity.sort_values("rank", na_position="last")
        return pd.DataFrame({
            "Dimension": m["name"], "Score": m["score"],
            "Level reached": [_level_name(self.questionnaire, v) for v in m["level"]],
            "Target": m["target"], "Gap": m["gap"], "Spread": m["spread"], "Respondents": m["n"],
        }).reset_index(drop=True)

    def disagreement_view(self) -> pd.DataFrame:
        """The largest differences between roles."""
        d = self.disagreement
        return pd.DataFrame({
            "Dimension": d["name"], "Lowest role": d["lowest_role"], "Its score": d["lowest_role_score"],
            "Highest role": d["highest_role"], "Its score ": d["highest_role_score"], "Difference": d["role_gap"],
        })

    def priority_sentences(self) -> list[str]:
        """The priorities that follow from the scores, in plain words."""
        return [p.text for p in self.priority_list]

    def maturity_method_sentence(self) -> str:
        """How targets were set for this report."""
        levels = self.params["target_levels"]
        default = float(levels.pop("default", 4.0) or 4.0)
        names = self.questionnaire.names
        per = {k: v for k, v in levels.items() if v and k in names}
        text = f"The target is level {default:g} for every dimension"
        if per:
            text += " except " + join_words([f"{names[k]} ({v:g})" for k, v in per.items()])
        return text + "."

    # ------------------------------------------------------------------ targets
    def targets_view(self) -> pd.DataFrame:
        """Targets with how each is measured."""
        t = self.targets
        shown = [format_target(v, u) + (" (from partners' targets)" if s.startswith("from") else "")
                 for v, u, s in zip(t["target"], t["unit"], t["status"])]
        return pd.DataFrame({"Value dimension": t["value_dimension"], "Target": t["target_name"], "Level": shown,
                             "How it is measured": t["measure"]})

    def indicators_view(self) -> pd.DataFrame:
        """What metric_design should track for each target."""
        t = self.targets
        return pd.DataFrame({"Target": t["target_name"], "Indicators for the scorecard": t["indicators"]})

    # ------------------------------------------------------------------ options
    def portfolio_sentence(self) -> str:
        """The current portfolio in one sentence: size, types, tiers, regions."""
        p = self.partners
        if p is None or not len(p):
            return "No current partners were given."
        types = p["partner_type"].value_counts()
        tiers = p["tier"].value_counts()
        top_types = join_words([f"{n} {t}" for t, n in types.head(3).items()])
        return (f"Today the portfolio holds {len(p):,} alliances of {len(types)} types ({top_types} the largest groups) "
                f"in {p['region'].nunique()} regions, managed in {len(tiers)} tiers. The question is not whether to "
                "partner but how to concentrate the company's attention: on a few key alliances, on as many as "
                "possible, or on a tiered mix of both.")

    def decision_view(self) -> pd.DataFrame:
        """The decision matrix: criteria (rows) with weight and each option's 1-5 score, then the weighted scores."""
        names = self.library.criterion_names
        order = list(self.options["option_id"])
        option_names = dict(zip(self.options["option_id"], self.options["option"]))
        body = self.matrix.T[order].rename(columns=option_names)
        body.insert(0, "Weight", [self.weights[c] for c in body.index])
        body.insert(0, "Criterion", [names.get(c, c) for c in body.index])
        total = pd.DataFrame([["Weighted score", 1.0, *self.options["weighted_score"]]], columns=body.columns)
        return pd.concat([body.reset_index(drop=True), total], ignore_index=True)

    def decision_formats(self) -> dict[str, Any]:
        """Formats of :meth:`decision_view`: whole criterion scores as such, weighted scores to two decimals."""
        fmt = {o: _score_text for o in self.options["option"]}
        fmt["Weight"] = "{:.0%}"
        return fmt

    def arguments_view(self) -> pd.DataFrame:
        """Arguments for and against each option, side by side (the argument library)."""
        rows = []
        for o in self.library.options:
            for k in range(max(len(o.pros), len(o.cons))):
                rows.append((o.name if k == 0 else "", o.pros[k] if k < len(o.pros) else "",
                             o.cons[k] if k < len(o.cons) else ""))
        return pd.DataFrame(rows, columns=["Option", "For", "Against"])

    def options_summary_view(self) -> pd.DataFrame:
        """What each option is and when it fits."""
        return pd.DataFrame({"Option": [o.name for o in self.library.options],
                             "What it means": [o.summary for o in self.library.options],
                             "Fits when": ["; ".join(_lower_first(f.rstrip(".")) for f in o.fits_when) + "."
                                           if o.fits_when else ""
                                           for o in self.library.options]})

    def recommended_fits(self) -> list[str]:
        """When the recommended option fits (the library's conditions), to test with the executives."""
        option = next(o for o in self.library.options if o.id == self.recommended["option_id"])
        return list(option.fits_when)

    def sensitivity_view(self) -> pd.DataFrame:
        """Per criterion: today's weight, the weight that would change the recommendation, and to what."""
        s = self.sensitivity
        flips = [("–" if r else f"{'above' if d == 'raise' else 'below'} {w:.0%}")
                 for r, d, w in zip(s["robust"], s["direction"], s["flip_weight"])]
        names = dict(zip(self.options["option_id"], self.options["option"]))
        return pd.DataFrame({"Criterion": s["name"], "Weight today": s["weight"], "Changes the recommendation": flips,
                             "New first choice": [names.get(o, "no change") if o else "no change"
                                                  for o in s["new_option"]]})

    # ------------------------------------------------------------------ formation
    def candidates_view(self) -> pd.DataFrame:
        """Every candidate, best first: type, region, score, gate and the reason."""
        c = self.candidates
        return pd.DataFrame({"Candidate": c["candidate_name"], "Type": c["partner_type"], "Region": c["region"],
                             "Score": c["weighted_score"], "Gate": c["gate"], "Reason": c["reason"]})

    def overlap_view(self) -> pd.DataFrame:
        """Candidates that overlap the current portfolio, with the partners they overlap."""
        c = self.candidates[self.candidates["overlap"] != ""]
        tiers = dict(zip(self.partners["partner_id"].astype(str), self.partners["tier"].astype(str)))
        with_tier = [", ".join(f"{n} ({i}, {tiers.get(i, '?')})" for i, n in zip(ids.split(";"), names.split(";")))
                     for ids, names in zip(c["overlaps_with"], c["overlaps_with_names"])]
        return pd.DataFrame({"Candidate": c["candidate_name"], "Overlap": c["overlap"],
                             "Current partner(s)": with_tier, "Score": c["weighted_score"], "Gate": c["gate"]})

    def overlap_sentence(self) -> str:
        """What the overlap check found, and on what basis."""
        c = self.candidates
        n = int((c["overlap"] != "").sum())
        keys = overlap_keys(self.partners, c)
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
        """Candidate criteria and their weights."""
        return pd.DataFrame({"Criterion": [k.replace("_", " ").capitalize() for k in self.candidate_weights],
                             "Column": list(self.candidate_weights), "Weight": list(self.candidate_weights.values())})

    def gate_sentence(self) -> str:
        """The gate's rule in words."""
        a, d = self.params["approve_score"], self.params["decline_score"]
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
        m = self.maturity.set_index("dimension")
        return pd.DataFrame({"Dimension": [d.name for d in self.questionnaire.dimensions],
                             "Lens": [d.lens for d in self.questionnaire.dimensions],
                             "Lifecycle stage": [d.lifecycle_stage for d in self.questionnaire.dimensions],
                             "Questions": [len(d.questions) for d in self.questionnaire.dimensions],
                             "Answers": [int(m.at[d.id, "answers"]) for d in self.questionnaire.dimensions]})

    def role_sentence(self) -> str:
        """Who answered, per role."""
        roles = self.role_view()
        parts = [f"{r} {n}" for r, n in zip(roles["Role"], roles["Respondents"])]
        return (f"{self.respondents['respondent_id'].nunique()} respondents answered {len(self.answered):,} statements. "
                f"Respondents per role: {', '.join(parts)}.")

    def role_view(self) -> pd.DataFrame:
        """Respondents per role."""
        counts = self.respondents.groupby("role")["respondent_id"].nunique()
        order = role_order(self.questionnaire, counts.index)
        return pd.DataFrame({"Role": order, "Respondents": [int(counts[r]) for r in order]})

    def criteria_view(self) -> pd.DataFrame:
        """The strategy options' criteria: what each measures and its weight."""
        return pd.DataFrame({"Criterion": [c.name for c in self.library.criteria],
                             "What 5 means": [c.description for c in self.library.criteria],
                             "Weight": [self.weights[c.id] for c in self.library.criteria],
                             "Parameter": [f"criteria_weights.{c.id}" for c in self.library.criteria]})

    def data_notes(self) -> list[str]:
        """What the reader should know about the data and the templates used."""
        return list(self.notes)

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        m = self.maturity.dropna(subset=["score"]).sort_values("rank")
        top = m.iloc[0]["dimension"] if len(m) else "-"
        split = self.disagreement.iloc[0]["dimension"] if len(self.disagreement) else "-"
        g = self.gate_counts()
        overlaps = ",".join(self.candidates.loc[self.candidates["overlap"] != "", "candidate_id"])
        return (f"respondents={self.respondents['respondent_id'].nunique()} answers={len(self.answered)} "
                f"top={top} split={split} priorities={'|'.join(p.dimension for p in self.priority_list)} "
                f"recommended={self.recommended['option_id']} ({self.recommended['weighted_score']:.2f}) "
                f"gates={'|'.join(f'{k}:{v}' for k, v in g.items())} overlaps={overlaps or '-'} "
                f"best={self.candidates.iloc[0]['candidate_id']}")


def _notes(survey: pd.DataFrame, answered: pd.DataFrame, questionnaire: Questionnaire, library: ArgumentLibrary,
           candidates: pd.DataFrame, partners: pd.DataFrame, weights: Mapping[str, float], params: Mapping[str, Any],
           root: Path | None) -> list[str]:
    notes = []
    n_resp = survey["respondent_id"].nunique()
    n_q = len(questionnaire.question_dimension)
    missing = n_resp * n_q - len(answered)
    if missing > 0:
        notes.append(f"{missing:,} of {n_resp * n_q:,} possible answers ({n_resp} respondents x {n_q} questions) are blank "
                     "or absent; they are left out of the scores, not counted as zero.")
    unlisted = sorted(set(survey["role"].astype(str).str.strip()) - set(questionnaire.roles))
    if unlisted:
        notes.append(f"Roles not listed in the questionnaire are reported as given: {', '.join(unlisted)}.")
    if (answered["role"] == POOLED_ROLE).any():
        notes.append(f"Roles with fewer than {params['min_role_respondents']} respondents are reported together as "
                     f"'{POOLED_ROLE}' to protect anonymity.")
    per_role = survey.groupby(survey["role"].astype(str).str.strip())["respondent_id"].nunique()
    single = sorted(per_role.index[per_role == 1])
    if single and (answered["role"] != POOLED_ROLE).all():
        notes.append(f"{join_words(single)} {'has one respondent' if len(single) == 1 else 'have one respondent each'}, so "
                     f"{'this role score is' if len(single) == 1 else 'these role scores are'} that person's own view.")
    unanswered = [d.name for d in questionnaire.dimensions if d.id not in set(answered["dimension"])]
    if unanswered:
        notes.append(f"No answers for: {', '.join(unanswered)}; these dimensions are not scored.")
    unweighted = [c for c in numeric_columns(candidates) if c not in weights]
    if unweighted:
        notes.append(f"Numeric candidate columns without a weight are shown but not scored: {', '.join(unweighted)}.")
    keys = overlap_keys(partners, candidates)
    if "offering" not in keys:
        notes.append("Without an 'offering' column in both partners and candidates, overlap is checked on partner "
                     "type and region only; it flags more candidates than a full check would.")
    extra = sorted(set(params["criteria_weights"]) - {c.id for c in library.criteria})
    if extra:
        notes.append(f"criteria_weights names criteria the argument library does not have; ignored: {', '.join(extra)}.")
    if root is not None:
        for param, name, used in (("questionnaire", QUESTIONNAIRE_FILE, questionnaire.path),
                                  ("arguments", ARGUMENTS_FILE, library.path)):
            copy = Path(root) / name
            if not params[param].strip() and copy.is_file() and not filecmp.cmp(copy, used, shallow=False):
                notes.append(f"The engagement folder holds an edited {name}, but the kit's template was used; "
                             f"set strategy_assessment.{param}: {name} to use the edited copy.")
    return notes


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None,
           root: str | Path | None = None) -> Assessment:
    """Run the whole assessment from validated inputs and the phase's parameters.

    ``inputs``: maturity_survey, partners, candidates. ``root``: the engagement file's folder
    (for a relative ``questionnaire`` or ``arguments`` path). Raises :class:`InputError` when the
    templates or inputs cannot be used (the runner checks the same before any kernel starts).
    """
    params = Params.complete(params)
    root = Path(root) if root else None
    problems = check_inputs(inputs, params, root)
    if problems:
        raise InputError(problems)
    questionnaire, library, _, _ = resolve_templates(params, root)
    survey, partners, candidates = inputs["maturity_survey"], inputs["partners"], inputs["candidates"]

    answered = answers(survey, questionnaire, params["min_role_respondents"])
    respondents = respondent_scores(answered)
    targets_by_dim = target_levels(questionnaire, params["target_levels"])
    maturity = dimension_scores(respondents, questionnaire, targets_by_dim, answered)
    roles = role_scores(respondents, questionnaire)
    split = disagreements(maturity, 5)
    chosen = priorities(maturity, questionnaire, params["n_priorities"], params["disagreement_threshold"])

    targets = value_targets(params, partners)

    matrix = criteria_matrix(library)
    weights = option_weights(library, params["criteria_weights"])
    names = {o.id: o.name for o in library.options}
    options = decision_matrix(matrix, weights, names)
    robust = sensitivity(matrix, weights, names, library.criterion_names)

    cand_weights = candidate_weights(params["candidate_weights"], candidates)
    scored = score_candidates(candidates, partners, cand_weights, params["approve_score"], params["decline_score"])
    notes = _notes(survey, answered, questionnaire, library, candidates, partners, cand_weights, params, root)
    return Assessment(questionnaire, library, params, answered, respondents, roles, maturity, split, chosen, targets,
                      matrix, weights, options, robust, cand_weights, scored, partners, notes)

