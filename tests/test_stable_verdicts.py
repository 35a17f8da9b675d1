"""Portfolio health across two reviews a year apart: the same behaviour keeps its segment and action.

The portfolio is planted here, independently of the sample generator: seven behaviours, 48
months, the first review at month 36 and the second at month 48 on the same months (the
overlapping months are identical). Between the reviews some alliances change behaviour, some
end and new large ones join, so the portfolio's median moves: verdicts read from the rest of
the portfolio would move with it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancekit import portfolio_health as ph
from alliancekit.layout import working_dir

#: behaviour -> (monthly revenue at month 0, growth a year, joint activities a month, count)
BEHAVIOURS = {
    "star": (200_000, 0.25, 20.0, 20),
    "core": (120_000, 0.00, 10.0, 20),
    "small_flat": (8_000, 0.00, 5.0, 15),
    "emerging": (12_000, 0.60, 12.0, 15),
    "declining": (300_000, -0.30, 8.0, 15),
    "dormant": (1_500, 0.00, 0.5, 15),
}
#: behaviour changes after the first review: (behaviour, how many) -> (new level factor, new growth, new activities)
CHANGES = {
    ("star", 5): (1.0, -0.40, 6.0),          # stars that start to decline
    ("dormant", 5): (6.0, 0.90, 12.0),      # dormant alliances revived
    ("declining", 5): (1.6, 0.40, 14.0),    # declining alliances that recover
}
ENDED = {"small_flat": 5, "core": 3}        # end before the second review
ADDED = 30                                  # large new alliances in the second year
MONTHS = 48
FIRST, SECOND = 36, 48


def review_pair(seed: int = 3) -> tuple[dict, dict, pd.DataFrame]:
    """Inputs of the two reviews and the truth (index partner_id: behaviour, changed, ended, added)."""
    rng = np.random.default_rng(seed)
    months = pd.period_range("2022-10", periods=MONTHS, freq="M").strftime("%Y-%m")
    rows, truth = [], []
    t = np.arange(MONTHS)

    def add(pid, level, growth, acts, start=0, change=None):
        yearly = np.full(MONTHS, np.log1p(growth) / 12)
        act = np.full(MONTHS, acts)
        lift = np.ones(MONTHS)
        if change is not None:
            factor, new_growth, new_acts = change
            yearly[FIRST:] = np.log1p(new_growth) / 12
            act[FIRST:] = new_acts
            lift[FIRST:] = factor
        path = level * np.exp(np.cumsum(yearly) - yearly[0]) * lift * rng.lognormal(0, 0.05, MONTHS)
        for j in range(start, MONTHS):
            counts = rng.poisson(act[j] / 5, 5)
            rows.append({"partner_id": pid, "month": months[j], "revenue": round(float(path[j]), 2),
                         "deal_registrations": counts[0], "joint_accounts_nominated": counts[1],
                         "proposals_submitted": counts[2], "joint_campaigns": counts[3],
                         "enablement_sessions": counts[4]})

    for behaviour, (level, growth, acts, count) in BEHAVIOURS.items():
        changing = next((n for (b, n) in CHANGES if b == behaviour), 0)
        for i in range(count):
            pid = f"{behaviour[:3].upper()}{i:02d}"
            change = CHANGES[(behaviour, changing)] if i < changing else None
            add(pid, level * rng.lognormal(0, 0.25), growth, acts * rng.lognormal(0, 0.15), change=change)
            truth.append({"partner_id": pid, "behaviour": behaviour, "changed": change is not None,
                          "ended": count - ENDED.get(behaviour, 0) <= i, "added": False})
    for i in range(ADDED):
        pid = f"NEW{i:02d}"
        add(pid, 900_000 * rng.lognormal(0, 0.2), 0.2, 25.0, start=FIRST)
        truth.append({"partner_id": pid, "behaviour": "added", "changed": False, "ended": False, "added": True})
    truth = pd.DataFrame(truth).set_index("partner_id")
    metrics = pd.DataFrame(rows)
    partners = pd.DataFrame({"partner_id": truth.index, "partner_name": [f"Partner {p}" for p in truth.index],
                             "partner_type": "ISV", "tier": "Gold", "region": "EMEA"})
    first_ids = truth.index[~truth["added"]]
    second_ids = truth.index[~truth["ended"]]
    first = {"partners": partners[partners["partner_id"].isin(first_ids)].reset_index(drop=True),
             "partner_metrics": metrics[metrics["month"] <= months[FIRST - 1]].reset_index(drop=True)}
    second = {"partners": partners[partners["partner_id"].isin(second_ids)].reset_index(drop=True),
              "partner_metrics": metrics[metrics["partner_id"].isin(second_ids)].reset_index(drop=True)}
    return first, second, truth


def _deliver(review: ph.Review, out) -> None:
    """A delivered review, as ``alliancekit run`` leaves it (only what ``previous`` reads)."""
    folder = working_dir(out, "portfolio_health")
    folder.mkdir(parents=True)
    review.table.to_csv(folder / "segments.csv", index=False)


@pytest.fixture(scope="module")
def reviews(tmp_path_factory):
    first_inputs, second_inputs, truth = review_pair()
    params = {"n_bootstrap": 0}
    first = ph.review(first_inputs, params)
    out = tmp_path_factory.mktemp("acme-2025")
    _deliver(first, out)
    second = ph.review(second_inputs, {**params, "previous": str(out)})
    alone = ph.review(second_inputs, params)
    return truth, first, second, alone


def _by_partner(review: ph.Review) -> pd.DataFrame:
    return review.table.set_index("partner_id")


def test_unchanged_alliances_keep_segment_and_action(reviews):
    truth, first, second, _ = reviews
    a, b = _by_partner(first), _by_partner(second)
    unchanged = truth.index[~truth["changed"] & ~truth["ended"] & ~truth["added"]]
    assert len(unchanged) == 77
    kept = (a.loc[unchanged, ["segment", "action"]] == b.loc[unchanged, ["segment", "action"]]).all(axis=1)
    assert kept.all(), b.loc[unchanged[~kept], ["segment", "action", "previous_segment", "previous_action"]]
    assert (b.loc[unchanged, "change"] == ph.previous.SAME).all()
    # The portfolio did move: the large newcomers lift its median month well above last year's.
    median_now = b["revenue_per_month"].median()
    assert median_now > 1.3 * first.rules.reference_revenue
    assert second.rules.reference_revenue == pytest.approx(first.rules.reference_revenue, rel=1e-4)
    assert second.rules.reference_from == "previous review"


def test_changed_alliances_are_reported_changed(reviews):
    truth, first, second, _ = reviews
    b = _by_partner(second)
    changed = truth.index[truth["changed"]]
    assert (b.loc[changed, "change"] != ph.previous.SAME).all()
    assert (b.loc[truth.index[truth["added"]], "change"] == ph.previous.NEW).all()
    declined = [p for p in changed if truth.loc[p, "behaviour"] == "star"]
    assert (b.loc[declined, "action"] == "fix").all()
    revived = [p for p in changed if truth.loc[p, "behaviour"] == "dormant"]
    assert (_by_partner(first).loc[revived, "action"] == "exit review").all()
    assert (b.loc[revived, "action"] == "invest").all()
    gone = ph.ended(second.table, second.previous)
    assert set(gone["partner_id"]) == set(truth.index[truth["ended"]])


def test_dormant_alliances_are_exit_reviews_in_both_years_whatever_the_portfolio(reviews):
    truth, first, second, alone = reviews
    dormant = truth.index[(truth["behaviour"] == "dormant") & ~truth["changed"]]
    for review in (first, second, alone):
        table = _by_partner(review)
        assert (table.loc[dormant, "action"] == "exit review").all()
        assert (table.loc[dormant, "rule"] == "dormant").all()
        assert (table.loc[dormant, "segment"] == "Dormant").all()
    # the roach-motel count: candidates in both reviews have been candidates two reviews in a row
    assert (_by_partner(second).loc[dormant, "exit_reviews_in_a_row"] == 2).all()
    assert (_by_partner(alone).loc[dormant, "exit_reviews_in_a_row"] == 1).all()
    # Nothing but the alliance's own figures decides the action: the second review without the
    # first gives every alliance the same action as with it.
    assert (_by_partner(alone)["action"] == _by_partner(second)["action"]).all()


def test_the_result_file_holds_the_thresholds_and_each_alliances_values(reviews):
    _, first, second, _ = reviews
    table = second.table
    for column in (*ph.THRESHOLD_COLUMNS, "revenue_per_month", "joint_activities_per_month", "dormant", "size",
                   "direction", "rule", "review_month", "reference_from"):
        assert column in table.columns
    assert table["threshold_reference_revenue"].nunique() == 1
    assert table["threshold_dormant_revenue"].iloc[0] == pytest.approx(0.1 * table["threshold_reference_revenue"].iloc[0],
                                                                        rel=1e-3)
    assert set(first.table["review_month"]) == {"2025-09"} and set(table["review_month"]) == {"2026-09"}


def test_segments_keep_their_names_when_the_profile_holds(reviews):
    _, first, second, _ = reviews
    assert second.kept and set(second.kept.values()) <= set(first.segmentation.names.values())
    assert set(second.kept) <= set(second.segmentation.names)


def test_a_set_reference_level_and_dormant_floor_move_the_verdicts(reviews):
    truth, first, *_ = reviews
    first_inputs, _, _ = review_pair()
    # A dormant floor above the small, flat alliances' months makes the quiet ones among them dormant.
    raised = ph.review(first_inputs, {"n_bootstrap": 0, "dormant_revenue": 20_000, "dormant_activities": 6})
    table = _by_partner(raised)
    small = truth.index[(truth["behaviour"] == "small_flat") & ~truth["added"]]
    quiet = table.loc[small, "joint_activities_per_month"] <= 6
    assert quiet.any()
    assert (table.loc[small[quiet], "action"] == "exit review").all()
    assert raised.rules.dormant_revenue == 20_000
    assert ph.review(first_inputs, {"n_bootstrap": 0, "reference_revenue": 50_000}).rules.reference_from \
        == "set for the engagement"


def test_a_previous_delivery_that_is_missing_or_too_old_is_refused(tmp_path):
    with pytest.raises(ph.phase.InputError, match="no delivered portfolio health review"):
        ph.read_previous(str(tmp_path / "nowhere"))
    old = working_dir(tmp_path / "old", "portfolio_health")
    old.mkdir(parents=True)
    pd.DataFrame({"partner_id": ["P1"], "partner_name": ["A"], "segment": ["Dormant"], "action": ["exit review"]}) \
        .to_csv(old / "segments.csv", index=False)
    with pytest.raises(ph.phase.InputError, match="older version of the kit"):
        ph.read_previous(str(tmp_path / "old"))
    assert ph.check_inputs({}, ph.Params.complete({"previous": str(tmp_path / "old")}), None)
