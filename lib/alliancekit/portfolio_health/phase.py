"""The phase, end to end: :func:`review` runs every step and :class:`Review` holds what it computed.

The report's words and display tables are built from a :class:`Review` by :class:`~.narrative.Narrative`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from .actions import exit_review_candidates, recommend_actions, segment_profile, segments_table
from .features import health_features
from .scoring import health_score, resolve_weights
from .declaration import Params
from .segments import Segmentation, segment_portfolio


@dataclass
class Review:
    """The results of one portfolio health review.

    ``table`` is ``segments.csv``; ``segment_profile`` and ``exit_candidates`` are the full
    tables; ``names`` maps partner_id to partner name; ``params`` are the phase's parameters,
    every one completed.
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

    def results(self) -> dict[str, pd.DataFrame]:
        """The phase's result files (the session writes them; later phases read them)."""
        return {"segments.csv": self.table}


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None) -> Review:
    """Run the whole review from validated inputs and the phase's parameters.

    ``inputs``: partners, partner_metrics, opportunities, and optionally macro. ``params``:
    any of the phase's parameters (:class:`~.declaration.Params`); the others keep their default.
    """
    params = Params.complete(params)
    partners = inputs["partners"]
    features = health_features(partners, inputs["partner_metrics"], inputs.get("opportunities"), inputs.get("macro"))
    weights = resolve_weights(features, params["weights"])
    scores = health_score(features, weights)
    seg = segment_portfolio(features, k_min=params["k_min"], k_max=params["k_max"], seed=params["seed"],
                            n_bootstrap=params["n_bootstrap"], health=scores)
    actions = recommend_actions(features, scores, seg.labels, seg.names)
    table = segments_table(partners, features, scores, seg, actions)
    profile = segment_profile(features, scores, seg, actions)
    exits = exit_review_candidates(table)
    names = dict(zip(partners["partner_id"].astype(str), partners["partner_name"].astype(str)))
    return Review(features, scores, weights, seg, actions, table, profile, exits, names, features.attrs.get("as_of"),
                  params)
