"""The formation process: candidates scored on weighted criteria, a qualification gate, overlap
with the current portfolio, and the approval workflow.

Practitioners report that where anyone could sponsor an alliance, companies ended up with
redundant and conflicting alliances. So every candidate is (1) scored on the same weighted 1-5 criteria,
(2) put through a gate (approve / review / decline, thresholds as parameters), and (3) checked
against the current portfolio:

- **redundant**: same partner type, region and offering as an existing partner (it would do
  what that partner already does);
- **conflicting**: same region and offering as an existing partner of another type (it would
  compete with that partner for the same customers by another route).

A candidate that overlaps is never approved by the gate alone: it goes to review, naming the
partner it overlaps. Without an ``offering`` column in both files the check falls back to type
and region (``possible overlap``), which flags more than it should; the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

GATES = ("approve", "review", "decline")
#: Columns of ``candidates`` that are never criteria, even when they hold numbers.
NOT_CRITERIA = ("candidate_id", "candidate_name", "partner_type", "region", "offering")
#: Columns of ``candidates_scored.csv`` before the candidate's criterion scores.
CANDIDATE_COLUMNS = ("candidate_id", "candidate_name", "partner_type", "region", "offering", "weighted_score", "rank",
                     "gate", "overlap", "overlaps_with", "overlaps_with_names", "criteria_scored", "reason")


def numeric_columns(candidates: pd.DataFrame) -> list[str]:
    """Candidate columns that hold numbers (possible criteria), in file order."""
    return [c for c in candidates.columns if c not in NOT_CRITERIA
            and pd.api.types.is_numeric_dtype(candidates[c]) and not pd.api.types.is_bool_dtype(candidates[c])]


def candidate_weights(weights: Mapping[str, float], candidates: pd.DataFrame) -> dict[str, float]:
    """Normalised weights of the criteria that carry weight and exist in ``candidates``."""
    used = {k: float(v) for k, v in weights.items() if v > 0 and k in candidates.columns}
    total = sum(used.values())
    return {k: v / total for k, v in used.items()} if total > 0 else {}


def weighted_scores(candidates: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """``weighted_score`` (weighted mean of the 1-5 criteria a candidate has) and ``criteria_scored``.

    A blank criterion is left out of that candidate's mean (the other weights are
    renormalised); ``criteria_scored`` says how many of the weighted criteria it has.
    """
    cols = list(weights)
    values = candidates[cols].apply(pd.to_numeric, errors="coerce").astype(float)
    w = pd.Series(weights, dtype=float)
    present = values.notna()
    weight_sum = present.mul(w, axis=1).sum(axis=1)
    total = values.fillna(0.0).mul(w, axis=1).sum(axis=1)
    score = (total / weight_sum).where(weight_sum > 0)
    return pd.DataFrame({"weighted_score": score.round(4), "criteria_scored": present.sum(axis=1).astype(int)},
                        index=candidates.index)


def overlap_keys(partners: pd.DataFrame, candidates: pd.DataFrame) -> tuple[str, ...]:
    """The columns the overlap check compares: type, region and offering, as far as both files have them."""
    return tuple(c for c in ("partner_type", "region", "offering") if c in partners.columns and c in candidates.columns)


def _norm(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else " ".join(str(value).lower().split())


def find_overlaps(candidates: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Per candidate: ``overlap`` (redundant / conflicting / possible overlap / empty) and the partners.

    ``overlaps_with`` and ``overlaps_with_names`` list the existing partners (``;``-separated,
    partner-id order). Redundant matches win over conflicting ones.
    """
    keys = overlap_keys(partners, candidates)
    out = pd.DataFrame({"overlap": "", "overlaps_with": "", "overlaps_with_names": ""}, index=candidates.index)
    if "partner_type" not in keys or "region" not in keys:
        return out
    full = "offering" in keys
    p = partners.assign(**{f"_{k}": partners[k].map(_norm) for k in keys}).sort_values("partner_id", kind="stable")
    for i, row in candidates.iterrows():
        mine = {k: _norm(row[k]) for k in keys}
        if not mine["region"] or not mine["partner_type"]:
            continue
        same_region = p["_region"] == mine["region"]
        if full and mine["offering"]:
            same_offer = same_region & (p["_offering"] == mine["offering"])
            redundant = p[same_offer & (p["_partner_type"] == mine["partner_type"])]
            conflicting = p[same_offer & (p["_partner_type"] != mine["partner_type"])]
            hit, kind = (redundant, "redundant") if len(redundant) else (conflicting, "conflicting")
        elif not full:
            hit, kind = p[same_region & (p["_partner_type"] == mine["partner_type"])], "possible overlap"
        else:
            continue
        if len(hit):
            out.loc[i] = [kind, ";".join(hit["partner_id"].astype(str)), ";".join(hit["partner_name"].astype(str))]
    return out


def gate(scores: pd.Series, approve_score: float, decline_score: float) -> pd.Series:
    """approve (score >= approve_score), decline (score < decline_score) or review (between, or no score)."""
    return pd.Series(np.select([scores >= approve_score, scores < decline_score], ["approve", "decline"], "review"),
                     index=scores.index)


def _names(ids: str, names: str) -> str:
    pairs = list(zip(ids.split(";"), names.split(";")))
    shown = ", ".join(f"{n}, {i}" for i, n in pairs[:3])
    return shown + (f" and {len(pairs) - 3} more" if len(pairs) > 3 else "")


def score_candidates(candidates: pd.DataFrame, partners: pd.DataFrame, weights: Mapping[str, float],
                     approve_score: float, decline_score: float) -> pd.DataFrame:
    """``candidates_scored.csv``: every candidate, its weighted score, gate, overlap and the reason, best first.

    ``weights`` are normalised criterion weights (:func:`candidate_weights`). Columns:
    :data:`CANDIDATE_COLUMNS` then the candidate's criterion scores (every numeric column).
    """
    scored = weighted_scores(candidates, weights)
    overlaps = find_overlaps(candidates, partners)
    decision = gate(scored["weighted_score"], approve_score, decline_score)
    n_weighted = len(weights)
    reasons = []
    for i in candidates.index:
        s, kind = scored.at[i, "weighted_score"], overlaps.at[i, "overlap"]
        partial = scored.at[i, "criteria_scored"] < n_weighted
        if pd.isna(s):
            reasons.append("No criterion is scored; score it before the gate.")
            continue
        if decision[i] == "approve":
            text = f"Weighted score {s:.2f} meets the approval threshold ({approve_score:.2f})"
        elif decision[i] == "decline":
            text = f"Weighted score {s:.2f} is below the decline threshold ({decline_score:.2f})"
        else:
            text = f"Weighted score {s:.2f} lies between the thresholds ({decline_score:.2f}-{approve_score:.2f})"
        if kind and decision[i] != "decline":
            who = _names(overlaps.at[i, "overlaps_with"], overlaps.at[i, "overlaps_with_names"])
            what, basis = {"redundant": ("is redundant with", "same type, region and offering"),
                           "conflicting": ("would compete with", "same region and offering, another type"),
                           "possible overlap": ("may overlap", "same type and region")}[kind]
            text += f", but it {what} {who} ({basis}): review whether it should replace, complement or stay out."
            decision[i] = "review"
        elif partial and decision[i] == "approve":
            text += f", but only {scored.at[i, 'criteria_scored']} of {n_weighted} criteria are scored: complete them before approval."
            decision[i] = "review"
        else:
            text += "."
        reasons.append(text)
    base = candidates.reindex(columns=["candidate_id", "candidate_name", "partner_type", "region", "offering"])
    out = pd.concat([base, scored, overlaps], axis=1)
    out["gate"] = decision
    out["reason"] = reasons
    out = out.sort_values(["weighted_score", "candidate_id"], ascending=[False, True], na_position="last", kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    extra = candidates.loc[out.index, numeric_columns(candidates)]
    return pd.concat([out[list(CANDIDATE_COLUMNS)], extra], axis=1).reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# The approval workflow
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stage:
    """One stage of the approval workflow."""

    name: str
    owner: str
    weeks_min: float
    weeks_max: float
    output: str


#: The proposed formation process: who decides what, in which order, and how long it takes.
#: Legal review is the longest and least predictable stage (as one alliance practitioner put
#: it, "the elapsed time might be significantly longer than the level of effort would
#: suggest"). A named sales executive sponsor is required from the start: practitioners name
#: lack of sales sponsorship as the first reason partner initiatives fail.
WORKFLOW: tuple[Stage, ...] = (
    Stage("Proposal", "Sales executive sponsor", 1, 1,
          "Candidate named, with the business reason and a sales executive who sponsors it"),
    Stage("Qualification", "Alliance office", 1, 2,
          "Scored on the weighted criteria; overlap check against the portfolio; gate decision"),
    Stage("Business case", "VP Alliances", 2, 3,
          "Targets, resources, investment and expected return, agreed with Finance"),
    Stage("Legal review", "Corporate Counsel", 4, 8,
          "Agreement terms, competition law, IP and data protection"),
    Stage("Approval", "COO", 1, 1,
          "Decision recorded, resources committed, internal owner named"),
    Stage("Launch", "Alliance manager", 12, 12,
          "Launch and joint business plan; review after 90 days against its targets"),
)
#: Where a candidate the gate sends to review goes (and how long that takes).
REVIEW_STAGE = Stage("Gate review", "VP Alliances", 1, 2,
                     "Sponsor and alliance office resolve the open point (overlap, missing scores, borderline score)")


def workflow_table(stages: tuple[Stage, ...] = WORKFLOW) -> pd.DataFrame:
    """The workflow's stages with owner, duration and output (the review path last)."""
    rows = [*stages[:2], REVIEW_STAGE, *stages[2:]]
    weeks = [f"{s.weeks_min:g}" if s.weeks_min == s.weeks_max else f"{s.weeks_min:g}-{s.weeks_max:g}" for s in rows]
    return pd.DataFrame({"Stage": [s.name for s in rows], "Owner": [s.owner for s in rows], "Weeks": weeks,
                         "What it produces": [s.output for s in rows]})


def time_to_approval(stages: tuple[Stage, ...] = WORKFLOW) -> tuple[float, float]:
    """Weeks from proposal to approval (every stage before launch), shortest and longest."""
    before = [s for s in stages if s.name != "Launch"]
    return sum(s.weeks_min for s in before), sum(s.weeks_max for s in before)
