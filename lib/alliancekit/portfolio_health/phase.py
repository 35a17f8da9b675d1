"""The phase, end to end: :func:`review` runs every step and :class:`Review` holds what it computed.

The report's words and display tables are built from a :class:`Review` by :class:`~.narrative.Narrative`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import InputError, Problem
from .actions import exit_review_candidates, recommend_actions, segment_profile, segments_table
from .declaration import Params
from .features import health_features
from .previous import PreviousReview, compare_alliances, keep_names, match_segments, read_previous
from .rules import Rules, resolve_rules
from .scoring import health_score, resolve_weights
from .segments import Segmentation, segment_portfolio


@dataclass
class Review:
    """The results of one portfolio health review.

    ``table`` is ``segments.csv``; ``segment_profile`` and ``exit_candidates`` are the full
    tables; ``names`` maps partner_id to partner name; ``params`` are the phase's parameters,
    every one completed; ``rules`` the verdict thresholds used. With a previous review:
    ``previous`` (what was read) and ``kept``, this review's segments that kept last review's
    name (segment id -> name).
    """

    features: pd.DataFrame
    scores: pd.Series
    weights: dict[str, float]
    segmentation: Segmentation
    actions: pd.DataFrame
    table: pd.DataFrame
    segment_profile: pd.DataFrame
    exit_candidates: pd.DataFrame
    names: dict[str, str]
    as_of: str | None
    params: dict[str, Any]
    rules: Rules
    previous: PreviousReview | None = None
    kept: dict[int, str] = field(default_factory=dict)

    def results(self) -> dict[str, pd.DataFrame]:
        """The phase's result files (the session writes them; later phases read them)."""
        return {"segments.csv": self.table}


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None,
           root: Path | None = None) -> Review:
    """Run the whole review from validated inputs and the phase's parameters.

    ``inputs``: partners, partner_metrics, opportunities, and optionally macro. ``params``:
    any of the phase's parameters (:class:`~.declaration.Params`); the others keep their default.
    ``root``: the engagement file's folder, against which a relative ``previous`` is read.
    """
    params = Params.complete(params)
    previous = read_previous(params["previous"], root)
    partners = inputs["partners"]
    features = health_features(partners, inputs["partner_metrics"], inputs.get("opportunities"), inputs.get("macro"))
    weights = resolve_weights(features, params["weights"])
    scores = health_score(features, weights)
    rules = resolve_rules(features, params, previous.reference_revenue if previous else None)
    seg = segment_portfolio(features, k_min=params["k_min"], k_max=params["k_max"], seed=params["seed"],
                            n_bootstrap=params["n_bootstrap"], health=scores, rules=rules)
    kept = match_segments(features, seg.labels, previous) if previous else {}
    seg = replace(seg, names=keep_names(seg.names, kept))
    actions = recommend_actions(features, scores, seg.labels, seg.names, rules)
    table = segments_table(partners, features, scores, seg, actions, rules)
    if previous:
        table = compare_alliances(table, previous)
    profile = segment_profile(features, scores, seg, actions)
    exits = exit_review_candidates(table)
    names = dict(zip(partners["partner_id"].astype(str), partners["partner_name"].astype(str)))
    return Review(features, scores, weights, seg, actions, table, profile, exits, names, features.attrs.get("as_of"),
                  params, rules, previous, kept)


def check_inputs(tables: Mapping[str, pd.DataFrame], params: Mapping[str, Any], root=None) -> list[Problem]:
    """Before any kernel starts: a ``previous`` review given reads (see :func:`~.previous.read_previous`)."""
    try:
        read_previous(params["previous"], Path(root) if root is not None else None)
    except InputError as exc:
        return list(exc.problems)
    return []
