"""The results of other phases this phase reads: metric_design's scorecard, portfolio_health's
segments, relationship_health's alliance health.

Phases do not import one another: they pass results through files. :func:`read_scorecard`
reads ``scorecard.yml`` (schema in :mod:`alliancekit.metric_design`) into the measures a
scorecard line is built from; :func:`read_segments` reads ``segments.csv``;
:func:`read_relationship` reads ``alliance_health.csv`` into what each partner's scorecard shows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

#: Columns of :attr:`ScorecardSpec.measures`.
MEASURE_COLUMNS = ("kpi", "label", "kind", "stage", "direction", "unit", "lag_months", "target", "green", "amber")


def _num(value) -> float:
    try:
        return float(value) if value is not None else float("nan")
    except (TypeError, ValueError):
        return float("nan")


@dataclass
class ScorecardSpec:
    """What ``scorecard.yml`` says: lagging goals and leading KPIs, per partner per month.

    ``measures`` has one row per goal (``kind`` lagging, first) and KPI (``kind`` leading),
    in the file's order, with columns :data:`MEASURE_COLUMNS`.
    """

    measures: pd.DataFrame
    amber_share: float = 0.8
    as_of: str = ""
    target: str = "revenue"
    rule: str = ""
    gaps: list[dict] = field(default_factory=list)

    def with_target_goal(self) -> "ScorecardSpec":
        """This scorecard, with a revenue (``target``) goal first if it has none.

        The goal then has no monthly target of its own: alliances are measured against their
        ``annual_target`` and show ``no target`` without one.
        """
        if (self.measures["kpi"] == self.target).any():
            return self
        goal = pd.DataFrame([{"kpi": self.target, "label": self.target.replace("_", " ").capitalize(),
                              "kind": "lagging", "stage": "outcome", "direction": "up", "unit": "currency",
                              "lag_months": float("nan"), "target": float("nan"), "green": float("nan"),
                              "amber": float("nan")}], columns=list(MEASURE_COLUMNS))
        measures = pd.concat([goal, self.measures], ignore_index=True) if len(self.measures) else goal
        return ScorecardSpec(measures, self.amber_share, self.as_of, self.target, self.rule, list(self.gaps))

    @property
    def goals(self) -> pd.DataFrame:
        """The lagging goals."""
        return self.measures[self.measures["kind"] == "lagging"].reset_index(drop=True)

    @property
    def kpis(self) -> pd.DataFrame:
        """The leading KPIs."""
        return self.measures[self.measures["kind"] == "leading"].reset_index(drop=True)


def parse_scorecard(text: str) -> ScorecardSpec:
    """A :class:`ScorecardSpec` from the text of ``scorecard.yml``."""
    data = yaml.safe_load(text) or {}
    rows = []
    for kind, key in (("lagging", "goals"), ("leading", "kpis")):
        for item in data.get(key) or []:
            thresholds = item.get("thresholds") or {}
            rows.append({
                "kpi": str(item["kpi"]), "label": str(item.get("label") or item["kpi"]), "kind": kind,
                "stage": str(item.get("stage") or ("outcome" if kind == "lagging" else "")),
                "direction": "down" if item.get("direction") == "down" else "up",
                "unit": str(item.get("unit") or "number"), "lag_months": _num(item.get("lag_months")),
                "target": _num(item.get("target")), "green": _num(thresholds.get("green", item.get("target"))),
                "amber": _num(thresholds.get("amber")),
            })
    measures = pd.DataFrame(rows, columns=list(MEASURE_COLUMNS)).drop_duplicates("kpi").reset_index(drop=True)
    rule = data.get("target_rule") or {}
    amber_share = _num(rule.get("amber_share"))
    return ScorecardSpec(measures, amber_share if np.isfinite(amber_share) else 0.8, str(data.get("as_of") or ""),
                         str(data.get("target") or "revenue"), str(rule.get("description") or ""),
                         list(data.get("gaps") or []))


def read_scorecard(source: str | Path) -> ScorecardSpec:
    """:func:`parse_scorecard` of a ``scorecard.yml`` file."""
    return parse_scorecard(Path(source).read_text(encoding="utf-8"))


def read_relationship(folder: str | Path | None) -> dict[str, dict]:
    """Per partner id: its relationship health in the latest wave it was surveyed, the wave before
    (when there is one) and both sides' NPS, from relationship_health's ``alliance_health.csv``
    (empty without it: the scorecards then say nothing of it)."""
    if folder is None or not (Path(folder) / "alliance_health.csv").is_file():
        return {}
    table = pd.read_csv(Path(folder) / "alliance_health.csv", dtype={"alliance": str, "wave": str})
    out = {}
    for alliance, rows in table.sort_values(["alliance", "wave"], kind="stable").groupby("alliance", sort=True):
        last = rows.iloc[-1]
        before = rows.iloc[-2] if len(rows) > 1 else None
        value = lambda v: None if pd.isna(v) else float(v)  # noqa: E731
        out[str(alliance)] = {
            "wave": str(last["wave"]), "score": value(last["health"]), "us": value(last["us"]),
            "partner": value(last["partner"]), "nps_partner": value(last["nps_partner"]),
            "previous_wave": None if before is None else str(before["wave"]),
            "previous": None if before is None else value(before["health"])}
    return out


def read_segments(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """``segments.csv`` of portfolio_health (partner ids kept as text), or the frame itself."""
    if isinstance(source, pd.DataFrame):
        return source
    text = Path(source).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype={"partner_id": str, "partner_name": str})
