"""The phase, end to end: :func:`review` runs every step and :class:`Design` holds what it computed.

The report's words and display tables are built from a :class:`Design` by :class:`~.narrative.Narrative`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from .declaration import Params
from .funnel import GOAL_COLUMNS, stage_of
from .lags import LagEstimates, estimate_lags
from .panel import Panel, build_panel, candidate_columns, data_quality
from .scorecard import Scorecard, TargetRule, build_scorecard


@dataclass
class Design:
    """The results of one metric design.

    ``effects`` is ``indicator_effects.csv``; ``scorecard`` becomes ``scorecard.yml``; ``facts``
    are the counts behind the data notes (:func:`~.panel.data_quality`); ``params`` are the
    phase's parameters, every one completed; ``guessed_stages`` maps each column the kit does
    not know to the motion it was placed in by its name.
    """

    target: str
    estimates: LagEstimates
    scorecard: Scorecard
    panel: Panel
    facts: dict
    params: dict[str, Any]
    guessed_stages: dict[str, str] = field(default_factory=dict)

    @property
    def effects(self) -> pd.DataFrame:
        """``indicator_effects.csv``: one row per candidate, strongest first."""
        return self.estimates.effects

    def results(self) -> dict[str, Any]:
        """The phase's result files (the session writes them; ecosystem_reporting reads them)."""
        return {"indicator_effects.csv": self.effects, "scorecard.yml": self.scorecard_yaml()}

    def scorecard_yaml(self) -> str:
        """``scorecard.yml`` as text."""
        return self.scorecard.to_yaml()

    @property
    def leading(self) -> pd.DataFrame:
        """The rows of :attr:`effects` whose indicator leads the target."""
        return self.effects[self.effects["leading"]]


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None) -> Design:
    """Run the whole phase from validated inputs (``partner_metrics``, optionally ``partners``) and parameters."""
    p = Params.complete(params)
    metrics = inputs["partner_metrics"]
    target = str(p["target"])
    candidates = candidate_columns(metrics, target)
    goals = [c for c in GOAL_COLUMNS if c in metrics.columns and c != target]
    panel = build_panel(metrics, [target, *candidates, *goals])
    facts = data_quality(panel, target, candidates, int(p["max_lag"]), inputs.get("partners"))
    estimates = estimate_lags(panel, target, candidates, max_lag=int(p["max_lag"]), n_bootstrap=int(p["n_bootstrap"]),
                              seed=int(p["seed"]), confidence=float(p["confidence"]), min_effect=float(p["min_effect"]))
    rule = TargetRule(str(p["target_method"]), float(p["target_percentile"]), float(p["target_growth"]),
                      float(p["amber_share"]))
    scorecard = build_scorecard(estimates.effects, panel, target, rule, int(p["kpis_per_stage"]))
    guessed = {c: stage_of(c)[0] for c in candidates if not stage_of(c)[1]}
    return Design(target, estimates, scorecard, panel, facts, p, guessed)
