"""Review cycles, relationship_health: the latest wave of each delivery compared per alliance (health of
each side and both, flagged perception gaps, mind-share), small groups never shown (hand-made deliveries)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alliancekit.cycle.delivery import read_delivery
from alliancekit.cycle.relationship import (BOTH, CLOSED, DOWN, DROPPED, HELD, NEW, NEW_GAP, STILL, UNMEASURED, UP,
                                            compare)
from alliancekit.layout import MANIFEST, working_dir
from alliancekit.relationship_health.phase import GAP_COLUMNS, MIND_SHARE_COLUMNS, SCORE_COLUMNS
from cycle_fakes import write_delivery

PHASE = "relationship_health"
DIMENSIONS = ("trust", "communication")
INTERVAL = 0.2  # every group's 95% half-width: health moves of 0.25 are beyond noise, side moves need 0.29
HEALTH_COLUMNS = ["alliance", "wave", "health", "us", "partner", "nps_us", "nps_partner"]
NAMES = {"P001": "Alpha Ltd", "P002": "Beta AG", "P003": "Gamma Inc", "P004": "Delta SA", "P005": "Epsilon BV",
         "P006": "Zeta KK", "P007": "Eta Oy", "007": "Seven Ltd"}


def A(us, partner, gaps=None, mind=None, n_us=8, n_partner=8):
    """One alliance in one wave: each side's score (None: too few respondents, not delivered), gaps
    {dimension: (gap, flagged)}, the field teams' mind-share score."""
    return {"us": us, "partner": partner, "gaps": gaps or {}, "mind": mind, "n": {"us": n_us, "partner": n_partner}}


def _files(waves: dict[str, dict[str, dict]]) -> dict[str, pd.DataFrame]:
    """The phase's four result files for ``waves``: wave -> {alliance: A(...)}, as the phase writes them
    (groups below the minimum absent, health the mean of the sides shown)."""
    scores, health, gaps, mind = [], [], [], []
    for wave, alliances in waves.items():
        for alliance, a in alliances.items():
            name = NAMES[alliance]
            for side in ("partner", "us"):
                if a[side] is None:
                    continue
                for dim in DIMENSIONS:
                    scores.append({"alliance": alliance, "partner_name": name, "dimension": dim, "side": side,
                                   "wave": wave, "score": a[side], "interval": INTERVAL, "low": a[side] - INTERVAL,
                                   "high": a[side] + INTERVAL, "respondents": a["n"][side]})
            sides = [v for v in (a["us"], a["partner"]) if v is not None]
            health.append({"alliance": alliance, "wave": wave, "health": float(np.mean(sides)), "us": a["us"],
                           "partner": a["partner"], "nps_us": 10.0, "nps_partner": -20.0})
            for dim, (gap, flagged) in a["gaps"].items():
                gaps.append({"alliance": alliance, "partner_name": name, "dimension": dim, "wave": wave,
                             "us": a["us"], "partner": a["partner"], "gap": gap, "interval": 0.4, "low": gap - 0.4,
                             "high": gap + 0.4, "combined_gap": gap, "p_value": 0.001 if flagged else 0.5,
                             "flagged": flagged})
            if a["mind"] is not None:
                mind.append({"alliance": alliance, "partner_name": name, "wave": wave, "score": a["mind"],
                             "interval": INTERVAL, "respondents": 6, "previous_wave": "", "change": None,
                             "change_interval": None, "p_value": None, "called": False})
    return {"relationship_scores.csv": pd.DataFrame(scores, columns=list(SCORE_COLUMNS)),
            "gaps.csv": pd.DataFrame(gaps, columns=list(GAP_COLUMNS)),
            "alliance_health.csv": pd.DataFrame(health, columns=HEALTH_COLUMNS),
            "mind_share.csv": pd.DataFrame(mind, columns=list(MIND_SHARE_COLUMNS))}


def _delivery(out: Path, waves, min_respondents: int = 4):
    write_delivery(out, {PHASE: _files(waves)})
    file = working_dir(out, PHASE) / MANIFEST
    manifest = json.loads(file.read_text(encoding="utf-8"))
    manifest["parameters"] = {"min_respondents": min_respondents, "gap_threshold": 0.5, "change_threshold": 0.5}
    file.write_text(json.dumps(manifest), encoding="utf-8")
    return read_delivery(out, "test")


#: An earlier wave in the previous delivery, with values the comparison must not read (it reads the latest).
DECOY = {"P001": A(1.0, 1.0, {"communication": (2.0, True)}, mind=1.0), "P006": A(2.0, 2.0, {"trust": (1.0, True)})}
THEN = {"P001": A(3.5, 3.5, {"trust": (1.0, True)}, mind=3.0),
        "P002": A(4.0, 4.0, {"communication": (-1.0, True)}, mind=4.0),
        "P003": A(3.5, 3.5, {"trust": (0.3, False)}),
        "P004": A(3.0, 4.0),
        "P005": A(3.2, 3.2, {"trust": (0.8, True)}),
        "P007": A(3.4, 3.4, {"trust": (0.9, True)})}
NOW = {"P001": A(4.0, 3.8, {"trust": (1.2, True)}, mind=3.6),     # health +0.4 up, us +0.5 up, partner +0.3 up
       "P002": A(3.6, 3.6, {"communication": (-0.2, False)}, mind=3.7),  # health -0.4 down; gap closed
       "P003": A(3.6, 3.6, {"trust": (0.9, True)}, mind=3.0),     # held (+0.1); gap new
       "P004": A(3.5, 3.6),                                        # health held (+0.05); us up, partner down
       "P006": A(3.0, 3.1),                                        # new
       "P007": A(3.6, None)}                                       # partner side too small now: not comparable


@pytest.fixture()
def pair(tmp_path):
    return (_delivery(tmp_path / "then", {"2026-03": DECOY, "2026-09": THEN}),
            _delivery(tmp_path / "now", {"2026-09": THEN, "2027-03": NOW}))


def _by(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame.set_index(key)


def test_health_of_each_side_and_both_then_and_now(pair):
    changes = compare(*pair).files["relationship_changes.csv"]
    assert changes["alliance"].tolist() == ["P001", "P002", "P003", "P004", "P005", "P006", "P007"]
    c = _by(changes, "alliance")
    assert dict(c["status"]) == {"P001": BOTH, "P002": BOTH, "P003": BOTH, "P004": BOTH, "P005": DROPPED,
                                 "P006": NEW, "P007": BOTH}
    assert set(c["wave_then"]) == {"2026-09"} and set(c["wave_now"]) == {"2027-03"}
    assert (c.loc["P001", "health_then"], c.loc["P001", "health_now"]) == (3.5, 3.9)
    assert c.loc["P001", "health_change"] == pytest.approx(0.4)
    assert dict(c["health_direction"]) == {"P001": UP, "P002": DOWN, "P003": HELD, "P004": HELD, "P005": "",
                                           "P006": "", "P007": ""}
    assert dict(c["us_direction"]) == {"P001": UP, "P002": DOWN, "P003": HELD, "P004": UP, "P005": "", "P006": "",
                                       "P007": HELD}
    assert dict(c["partner_direction"]) == {"P001": UP, "P002": DOWN, "P003": HELD, "P004": DOWN, "P005": "",
                                            "P006": "", "P007": ""}
    # P007's partner side is too small now: health now is our side alone, and is not compared with a two-sided one
    assert np.isnan(c.loc["P007", "partner_now"]) and c.loc["P007", "health_now"] == 3.6
    assert np.isnan(c.loc["P007", "health_change"])
    assert dict(c["mind_share_direction"]) == {"P001": UP, "P002": HELD, "P003": "", "P004": "", "P005": "",
                                               "P006": "", "P007": ""}
    assert c.loc["P001", "flagged_gaps_then"] == 1 and c.loc["P002", "flagged_gaps_now"] == 0
    assert pd.isna(c.loc["P007", "flagged_gaps_now"])  # no gap without both sides


def test_flagged_gaps_still_closed_new_and_not_measured(pair):
    gaps = compare(*pair).files["gap_changes.csv"]
    assert list(zip(gaps["alliance"], gaps["dimension"], gaps["status"])) == [
        ("P003", "trust", NEW_GAP), ("P001", "trust", STILL), ("P002", "communication", CLOSED),
        ("P005", "trust", UNMEASURED), ("P007", "trust", UNMEASURED)]
    g = gaps.set_index("alliance")
    assert (g.loc["P002", "gap_then"], g.loc["P002", "gap_now"]) == (-1.0, -0.2)
    assert g.loc["P003", "partner_name"] == "Gamma Inc"


def test_sentences_state_the_changes_with_numbers(pair):
    summary = compare(*pair).summary
    assert summary[0] == ("The latest survey wave is 2027-03 now and 2026-09 at the last review: 5 alliances "
                          "surveyed both times, 1 new (Zeta KK) and 1 not surveyed now or with too few respondents "
                          "(Epsilon BV).")
    assert ("Relationship health rose at 1 alliance: Alpha Ltd (3.9 of 5 now, 3.5 at the last review; our side 4.0 "
            "now, 3.5 at the last review, partner side 3.8 now, 3.5 at the last review).") in summary
    assert any(s.startswith("Relationship health fell at 1 alliance: Beta AG (3.6 of 5 now, 4.0 at the last review")
               for s in summary)
    assert ("One side's view moved while health as a whole did not: our side up at Delta SA (3.5 of 5 now, 3.0 at "
            "the last review) and partner side down at Delta SA (3.6 of 5 now, 4.0 at the last review).") in summary
    assert ("1 perception gap still flagged: trust at Alpha Ltd (+1.2 now, +1.0 at the last review). (Gap: our "
            "side's score minus the partner's, points on the 1-5 scale.)") in summary
    assert "1 perception gap flagged for the first time: trust at Gamma Inc (+0.9 now, +0.3 at the last review)." \
        in summary
    assert "1 perception gap closed since the last review: communication at Beta AG (-0.2 now, -1.0 at the last " \
           "review)." in summary
    assert any(s.startswith("2 perception gaps flagged at the last review and not measured now") and
               "trust at Epsilon BV (+0.8 at the last review) and trust at Eta Oy (+0.9 at the last review)" in s
               for s in summary)
    assert "Mind-share with the partner field teams rose at Alpha Ltd (3.6 of 5 now, 3.0 at the last review)." \
        in summary


def test_the_same_latest_wave_reports_no_change(tmp_path):
    d = _delivery(tmp_path / "d", {"2026-09": THEN, "2027-03": NOW})
    for previous in (d, _delivery(tmp_path / "other", {"2027-03": NOW})):
        changes = compare(previous, d)
        assert changes.summary == ["The latest survey wave is 2027-03 in both deliveries: no survey was run since the "
                                   "last review, so there is no change to report."]
        assert all(f.empty for f in changes.files.values()) and not changes.shown
        assert set(changes.files) == {"relationship_changes.csv", "gap_changes.csv"}


def test_nothing_moved_is_said_in_words(tmp_path):
    then = _delivery(tmp_path / "then", {"2026-09": {"P001": A(3.5, 3.5, mind=3.5)}})
    now = _delivery(tmp_path / "now", {"2027-03": {"P001": A(3.6, 3.5, mind=3.6)}})
    assert compare(then, now).summary == [
        "The latest survey wave is 2027-03 now and 2026-09 at the last review: 1 alliance surveyed both times.",
        "Relationship health held at the 1 alliance surveyed both times: no move of at least 0.25 points beyond its "
        "noise (largest move: Alpha Ltd, +0.05).",
        "No perception gap was flagged at the last review or now.",
        "Mind-share with the partner field teams held at the 1 alliance measured both times (no change of at least "
        "0.5 points beyond noise)."]


def test_a_group_below_the_stricter_minimum_is_never_shown(tmp_path):
    # the last review ran with a minimum of 4 and showed P003's side of 5 people; today's minimum is 6
    then = _delivery(tmp_path / "then", {"2026-09": {**THEN, "P003": A(3.5, 3.1, {"trust": (0.4, True)}, n_us=5)}},
                     min_respondents=4)
    now = _delivery(tmp_path / "now", {"2027-03": NOW}, min_respondents=6)
    result = compare(then, now)
    c = _by(result.files["relationship_changes.csv"], "alliance")
    assert np.isnan(c.loc["P003", "us_then"]) and c.loc["P003", "partner_then"] == 3.1
    assert c.loc["P003", "health_then"] == 3.1 and np.isnan(c.loc["P003", "health_change"])
    gaps = result.files["gap_changes.csv"].set_index(["alliance", "dimension"])
    assert np.isnan(gaps.loc[("P003", "trust"), "gap_then"])  # the gap rests on the small group: not shown
    assert gaps.loc[("P003", "trust"), "status"] == NEW_GAP
    assert not [s for s in result.summary if "Gamma" in s and "0.4" in s]


def test_ids_stay_text_and_tables_carry_client_headings(tmp_path):
    then = _delivery(tmp_path / "then", {"2026-09": {"007": A(3.0, 3.0)}})
    now = _delivery(tmp_path / "now", {"2027-03": {"007": A(3.5, 3.5)}})
    result = compare(then, now)
    assert result.files["relationship_changes.csv"]["alliance"].tolist() == ["007"]
    table = result.shown[0].table
    assert table["Alliance"].tolist() == ["Seven Ltd"] and "Health now" in table.columns
    assert table.loc[0, "Health"] == UP
