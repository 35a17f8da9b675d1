"""Review cycles, portfolio health: migrations, movers, the roach-motel list, added and ended, on hand-made deliveries."""

from __future__ import annotations

import pandas as pd
import pytest

from alliancekit.cycle import portfolio
from alliancekit.cycle.delivery import read_delivery
from cycle_fakes import write_delivery


def segments(rows, month):
    """A segments.csv: rows of (partner_id, segment, action, health, exit reviews in a row)."""
    frame = pd.DataFrame(rows, columns=["partner_id", "segment", "action", "health_score", "exit_reviews_in_a_row"])
    return frame.assign(partner_name=[f"Partner {p}" for p in frame["partner_id"]], reason="why",
                        review_month=month)


THEN = [("P1", "Small, growing fast", "invest", 60, 0), ("P2", "Small, growing fast", "invest", 55, 0),
        ("P3", "Dormant", "exit review", 10, 2), ("P4", "Dormant", "exit review", 12, 1),
        ("P5", "Dormant", "exit review", 15, 1), ("P6", "Steady core", "grow", 70, 0),
        ("P7", "Steady core", "grow", 50, 0), ("P8", "Dormant", "exit review", 5, 1)]
NOW = [("P1", "Strong and growing", "invest", 80, 0), ("P2", "Strong and growing", "invest", 75, 0),
       ("P3", "Dormant", "exit review", 8, 3), ("P4", "Dormant", "exit review", 9, 2),
       ("P5", "Small, growing fast", "invest", 50, 0), ("P6", "Steady core", "grow", 71, 0),
       ("P7", "Large, declining", "exit review", 20, 1), ("P9", "New, ramping up", "grow", 40, 0)]


@pytest.fixture
def pair(tmp_path):
    before = write_delivery(tmp_path / "acme-2025", {"portfolio_health": {"segments.csv": segments(THEN, "2025-09")}})
    now = write_delivery(tmp_path / "acme-2026", {"portfolio_health": {"segments.csv": segments(NOW, "2026-09")}})
    return read_delivery(before, "PREVIOUS"), read_delivery(now, "CURRENT")


def test_migrations_are_reported_by_alliance_and_in_words(pair):
    changes = portfolio.compare(*pair)
    moves = changes.files["segment_migration.csv"].set_index("partner_id")
    assert set(moves.index[moves["moved"]]) == {"P1", "P2", "P5", "P7"}
    assert moves.loc["P1", ["segment_then", "segment_now"]].tolist() == ["Small, growing fast", "Strong and growing"]
    assert moves.loc["P1", "health_change"] == 20
    flows = changes.files["segment_flows.csv"]
    top = flows.iloc[0]
    assert (top["segment_then"], top["segment_now"], top["alliances"]) == ("Small, growing fast", "Strong and growing", 2)
    assert "2 alliances moved from Small, growing fast to Strong and growing: Partner P1 and Partner P2." in changes.summary
    assert "7 alliances are in both reviews; 3 kept their segment and 4 moved." in changes.summary
    assert changes.figures


def test_the_roach_motel_list_counts_reviews_in_a_row(pair):
    exits = portfolio.compare(*pair).files["exit_candidates.csv"].set_index("partner_id")
    assert exits.loc["P3", "status"] == portfolio.STILL and exits.loc["P3", "reviews_in_a_row"] == 3
    assert exits.loc["P4", "status"] == portfolio.STILL and exits.loc["P4", "reviews_in_a_row"] == 2
    assert exits.loc["P5", "status"] == portfolio.RESOLVED and exits.loc["P5", "reviews_in_a_row"] == 0
    assert exits.loc["P7", "status"] == portfolio.NEW and exits.loc["P7", "reviews_in_a_row"] == 1
    assert exits.loc["P8", "status"] == portfolio.ENDED
    assert list(exits.index[:2]) == ["P3", "P4"]  # the longest-standing first


def test_added_and_ended_alliances(pair):
    changes = portfolio.compare(*pair)
    edges = changes.files["alliances_added_ended.csv"]
    assert edges[["partner_id", "change"]].values.tolist() == [["P9", "added"], ["P8", "ended"]]
    assert "Alliances added since the last review: Partner P9; ended: Partner P8." in changes.summary


def test_a_delivery_against_itself_reports_no_move(pair):
    changes = portfolio.compare(pair[1], pair[1])
    assert not changes.files["segment_migration.csv"]["moved"].any()
    assert changes.files["alliances_added_ended.csv"].empty
    assert changes.summary[0] == "8 alliances are in both reviews; 8 kept their segment; none moved."
    assert (changes.files["exit_candidates.csv"]["status"] == portfolio.STILL).all()


def test_last_reviews_without_a_count_start_it_at_one(tmp_path):
    old = segments(THEN, "2025-09").drop(columns="exit_reviews_in_a_row")
    before = read_delivery(write_delivery(tmp_path / "a", {"portfolio_health": {"segments.csv": old}}), "PREVIOUS")
    now = read_delivery(write_delivery(tmp_path / "b", {"portfolio_health": {"segments.csv": segments(NOW, "2026-09")}}),
                        "CURRENT")
    exits = portfolio.compare(before, now).files["exit_candidates.csv"].set_index("partner_id")
    assert exits.loc["P3", "reviews_in_a_row"] == 2
