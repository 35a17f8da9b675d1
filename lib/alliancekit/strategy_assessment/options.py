"""Portfolio strategy options: a weighted decision matrix, the recommendation, and its sensitivity.

Each option (few key alliances, broad ecosystem, tiered hybrid, or any option a consultant
adds to the argument library) is scored 1-5 on each criterion (5 is always the favourable
end); its weighted score is the weights-weighted mean of those scores. The recommendation is
the highest weighted score.

Sensitivity: one criterion's weight ``w`` is moved to ``t`` while the others keep their
proportions (scaled by ``(1 - t) / (1 - w)``, so the weights still sum to 1). Every option's
score is then linear in ``t``: ``S(t) = R + t * (s_c - R)``, with ``s_c`` its score on the
criterion and ``R`` its weighted mean on the other criteria. The *flip point* of a criterion
is the nearest ``t`` (above or below the current weight, within 0-100%) at which another
option's line crosses the recommended one's; beyond it the recommendation changes.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from .templates import ArgumentLibrary

#: Two options whose weighted scores differ by less than this are treated as a tie in the text.
TIE = 0.05


def option_weights(library: ArgumentLibrary, weights: Mapping[str, float] | None) -> dict[str, float]:
    """Normalised weight per criterion of the library.

    A criterion named in ``weights`` (the ``criteria_weights`` parameter) takes that weight;
    one the parameter does not know (a criterion a consultant added to the library) takes its
    ``default_weight`` from the library. The result sums to 1.
    """
    weights = dict(weights or {})
    raw = {c.id: float(weights.get(c.id, c.default_weight)) for c in library.criteria}
    total = sum(raw.values())
    if total <= 0:
        raise ValueError("the criteria weights must not all be zero")
    return {k: v / total for k, v in raw.items()}


def criteria_matrix(library: ArgumentLibrary) -> pd.DataFrame:
    """Options (rows, library order) x criteria (columns): the 1-5 scores."""
    return pd.DataFrame([[o.criteria[c.id] for c in library.criteria] for o in library.options],
                        index=pd.Index([o.id for o in library.options], name="option_id"),
                        columns=[c.id for c in library.criteria], dtype=float)


def decision_matrix(scores: pd.DataFrame, weights: Mapping[str, float], names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``strategy_options.csv``: one row per option, best first.

    Columns: ``option_id, option, weighted_score, rank, recommended, margin`` (behind the
    first, 0 for it) and then the option's 1-5 score per criterion.
    """
    w = pd.Series(weights, dtype=float).reindex(scores.columns).fillna(0.0)
    total = scores.mul(w, axis=1).sum(axis=1) / w.sum()
    out = pd.DataFrame({"option_id": scores.index,
                        "option": [(names or {}).get(i, i) for i in scores.index],
                        "weighted_score": total.round(4).to_numpy()})
    out["_order"] = np.arange(len(out))
    out = out.sort_values(["weighted_score", "_order"], ascending=[False, True], kind="stable").drop(columns="_order")
    out["rank"] = np.arange(1, len(out) + 1)
    out["recommended"] = out["rank"] == 1
    out["margin"] = (out["weighted_score"].iloc[0] - out["weighted_score"]).round(4)
    out = out.reset_index(drop=True)
    return pd.concat([out, scores.reindex(out["option_id"]).reset_index(drop=True)], axis=1)


def score_lines(scores: pd.DataFrame, weights: Mapping[str, float], criterion: str) -> tuple[pd.Series, pd.Series]:
    """``(R, s_c)`` per option: the score is ``R + t * (s_c - R)`` when the criterion weighs ``t``."""
    w = pd.Series(weights, dtype=float).reindex(scores.columns).fillna(0.0)
    w = w / w.sum()
    others = w.drop(criterion)
    if others.sum() > 0:
        rest = scores[others.index].mul(others, axis=1).sum(axis=1) / others.sum()
    else:  # the criterion carried all the weight: the others share the rest equally
        rest = scores[others.index].mean(axis=1)
    return rest, scores[criterion]


def scores_at(scores: pd.DataFrame, weights: Mapping[str, float], criterion: str, t: np.ndarray) -> pd.DataFrame:
    """Every option's weighted score when ``criterion`` weighs each value of ``t`` (rows: t, columns: options)."""
    rest, own = score_lines(scores, weights, criterion)
    t = np.asarray(t, dtype=float)
    return pd.DataFrame(rest.to_numpy()[None, :] + t[:, None] * (own - rest).to_numpy()[None, :],
                        index=pd.Index(t, name="weight"), columns=scores.index)


def _crossings(scores: pd.DataFrame, weights: Mapping[str, float], criterion: str, best: str) -> list[tuple[float, str]]:
    """Weights in [0, 1] at which another option's line meets the recommended one's."""
    rest, own = score_lines(scores, weights, criterion)
    out = []
    for other in scores.index:
        if other == best:
            continue
        a = rest[best] - rest[other]
        k = (own[best] - rest[best]) - (own[other] - rest[other])
        if abs(k) < 1e-12:
            continue
        t = -a / k
        if -1e-12 <= t <= 1 + 1e-12:
            out.append((float(min(1.0, max(0.0, t))), str(other)))
    return out


def sensitivity(scores: pd.DataFrame, weights: Mapping[str, float], names: Mapping[str, str] | None = None,
                criterion_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Per criterion: the weight at which the recommendation would change, and to what.

    Columns: ``criterion, name, weight, flip_weight, direction`` (``raise``/``lower``/empty),
    ``change`` (flip_weight minus weight), ``new_option``, ``robust`` (no weight from 0 to
    100% changes it), and ``sentence``. Rows: the closest flip first, robust criteria last.
    """
    names, criterion_names = dict(names or {}), dict(criterion_names or {})
    w = pd.Series(weights, dtype=float).reindex(scores.columns).fillna(0.0)
    w = w / w.sum()
    total = scores.mul(w, axis=1).sum(axis=1)
    best = str(total.idxmax())
    rows = []
    for c in scores.columns:
        current = float(w[c])
        candidates = []
        for t, other in _crossings(scores, w.to_dict(), c, best):
            after = min(1.0, t + 1e-6) if t >= current else max(0.0, t - 1e-6)
            beyond = scores_at(scores, w.to_dict(), c, np.array([after])).iloc[0]
            if beyond[other] > beyond[best] + 1e-12 or abs(t - current) < 1e-9:
                candidates.append((abs(t - current), t, other))
        label = criterion_names.get(c, c)
        if candidates:
            _, t, other = min(candidates, key=lambda x: (round(x[0], 12), x[2]))
            direction = "raise" if t > current else "lower"
            sentence = (f"{'Raising' if direction == 'raise' else 'Lowering'} the weight of {label} from {current:.0%} "
                        f"to {t:.0%} or {'more' if direction == 'raise' else 'less'} would make "
                        f"{names.get(other, other)} the first choice.")
            rows.append((c, label, current, t, direction, t - current, other, False, sentence))
        else:
            rows.append((c, label, current, np.nan, "", np.nan, "", True,
                         f"No weight of {label} from 0% to 100% changes the recommendation."))
    out = pd.DataFrame(rows, columns=["criterion", "name", "weight", "flip_weight", "direction", "change", "new_option",
                                      "robust", "sentence"])
    out["_abs"] = out["change"].abs()
    out = out.sort_values(["robust", "_abs", "criterion"], kind="stable").drop(columns="_abs")
    return out.reset_index(drop=True)
