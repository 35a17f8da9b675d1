"""org_design compared: coverage, sponsors, headcount, structure and workload on hand-made deliveries
with planted changes; and org_design's ``partner_coverage.csv`` on a small hand-made input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancekit import org_design as od
from alliancekit.cycle import org
from alliancekit.cycle.delivery import read_delivery
from alliancekit.phases import PHASES
from alliancekit.session import write_results
from cycle_fakes import write_delivery

NAMES = {"P1": "Alpha", "P2": "Beta", "P3": "Gamma", "P4": "Delta", "P5": "Echo", "P6": "Foxtrot", "P7": "Golf",
         "P8": "Hotel", "P9": "India", "P10": "Juliet", "P11": "Kilo", "P13": "Mike"}


def coverage(rows) -> pd.DataFrame:
    """``partner_coverage.csv`` from (id, tier, strategic, covered_by, has_sponsor, revenue) tuples."""
    return pd.DataFrame([{"partner_id": p, "partner_name": NAMES[p], "tier": t, "strategic": s, "covered": bool(c),
                          "covered_by": c, "alliance_managers": c, "has_sponsor": h, "revenue_ttm": r}
                         for p, t, s, c, h, r in rows], columns=list(od.COVERAGE_COLUMNS))


THEN_COVERAGE = coverage([
    ("P1", "Platinum", True, "S1", True, 1000.0),
    ("P2", "Platinum", True, "S1", False, 500.0),
    ("P3", "Gold", False, "", True, 200.0),
    ("P4", "Gold", False, "", True, 100.0),
    ("P5", "Platinum", True, "S2", False, 50.0),     # no longer a partner: its missing sponsor resolves
    ("P6", "Gold", False, "S2", False, 100.0),       # becomes strategic without a sponsor
    ("P7", "Platinum", True, "S2", False, 50.0),     # gets a sponsor
    ("P11", "Platinum", True, "S1", False, 0.0),     # no longer strategic
])
NOW_COVERAGE = coverage([
    ("P1", "Platinum", True, "", False, 1000.0),     # loses its cover and its sponsor
    ("P2", "Platinum", True, "S1", False, 500.0),    # still without a sponsor
    ("P3", "Gold", False, "S3", True, 200.0),        # newly covered
    ("P4", "Gold", False, "", True, 100.0),          # still uncovered
    ("P6", "Platinum", True, "S2", False, 100.0),
    ("P7", "Platinum", True, "S2", True, 50.0),
    ("P8", "Platinum", True, "", False, 40.0),       # new, uncovered, no sponsor
    ("P9", "Gold", False, "S3", True, 10.0),         # new, covered
    ("P10", "Silver", False, "S3", True, 0.0),       # new, covered
    ("P11", "Gold", False, "S1", False, 0.0),
    ("P13", "Platinum", True, "S1", True, 0.0),      # new, covered, sponsored
])


def headcount(rows) -> pd.DataFrame:
    return pd.DataFrame([{"role": r, "current_fte": c, "required_fte": q, "gap": round(q - c, 2), "role_id": i}
                         for i, r, c, q in rows])


THEN_HEADCOUNT = headcount([("alliance_director", "Alliance Director", 1.0, 1.2),
                            ("alliance_manager", "Alliance Manager", 4.0, 6.0),
                            ("partner_marketing_manager", "Partner Marketing Manager", 1.0, 1.5)])
NOW_HEADCOUNT = headcount([("alliance_director", "Alliance Director", 1.0, 1.2),
                           ("alliance_manager", "Alliance Manager", 5.0, 6.5),
                           ("partner_enablement_lead", "Partner Enablement Lead", 0.5, 1.0)])


def options(rows) -> pd.DataFrame:
    return pd.DataFrame([{"kind": k, "option_id": i, "option": o, "score": s, "rank": r, "recommended": rec}
                         for k, i, o, s, r, rec in rows])


THEN_OPTIONS = options([("structure", "hub_and_spoke", "Hub and spoke", 4.3, 1, True),
                        ("structure", "centralised", "Centralised alliance function", 3.9, 2, False),
                        ("reporting_line", "coo", "Chief Operating Officer", 4.0, 1, True),
                        ("reporting_line", "ceo", "Chief Executive Officer", 3.5, 2, False)])
NOW_OPTIONS = options([("structure", "centralised", "Centralised alliance function", 4.4, 1, True),
                       ("structure", "hub_and_spoke", "Hub and spoke", 4.1, 2, False),
                       ("reporting_line", "coo", "Chief Operating Officer", 4.1, 1, True),
                       ("reporting_line", "ceo", "Chief Executive Officer", 3.2, 2, False)])


def load(statuses) -> pd.DataFrame:
    return pd.DataFrame({"staff_id": [f"S{i + 1}" for i in range(len(statuses))], "status": statuses})


def delivery(path, cover, heads, opts, statuses, with_coverage=True):
    files = {"headcount.csv": heads, "structure_options.csv": opts, "staff_load.csv": load(statuses),
             "roles.csv": pd.DataFrame({"role": heads["role"], "role_id": heads["role_id"]})}
    if with_coverage:
        files["partner_coverage.csv"] = cover
    return read_delivery(write_delivery(path, {"org_design": files}), "test")


@pytest.fixture
def pair(tmp_path):
    before = delivery(tmp_path / "then", THEN_COVERAGE, THEN_HEADCOUNT, THEN_OPTIONS,
                      ["overloaded", "within capacity", "under-loaded"])
    now = delivery(tmp_path / "now", NOW_COVERAGE, NOW_HEADCOUNT, NOW_OPTIONS,
                   ["overloaded", "overloaded", "within capacity", "within capacity"])
    return before, now


def test_planted_changes_are_reported_in_words(pair):
    changes = org.compare(*pair)
    assert changes.phase == "org_design"
    assert changes.summary == [
        "Partners covered by a named person: 8 of 11 (73%) now, 6 of 8 (75%) at the last review; the partners "
        "covered by nobody hold this share of partner revenue: 57.0% now, 15.0% at the last review.",
        "1 partner covered at the last review is covered by nobody now: Alpha.",
        "1 partner is newly covered: Gamma.",
        "1 partner is still covered by nobody: Delta.",
        "4 partners are new since the last review (Juliet, Mike, Hotel and India); 1 of them covered by nobody.",
        "1 partner of the last review is no longer in the partner list: Echo.",
        "Strategic alliances without an executive sponsor: 4 of 6 now, 4 of 5 at the last review.",
        "Still without a sponsor: Beta.",
        "Newly without a sponsor: Alpha (sponsor no longer named), Foxtrot (became strategic) and Hotel (new partner).",
        "No longer without a sponsor: Kilo (no longer strategic), Echo (no longer a partner) and Golf (sponsor named).",
        "The alliance team: 6.5 FTE against 8.7 required (2.2 short) now, 6.0 FTE against 8.7 required (2.7 short) "
        "at the last review.",
        "Alliance Manager: 5.0 FTE against 6.5 required now, 4.0 against 6.0 at the last review.",
        "New roles since the last review: Partner Enablement Lead.",
        "Roles no longer in the design: Partner Marketing Manager.",
        "The recommended structure changed: Centralised alliance function now (score 4.40, rank 1), Hub and spoke at "
        "the last review (score 4.30; it scores 4.10 now, rank 2).",
        "The recommended reporting line is still Chief Operating Officer (score 4.10 now, 4.00 at the last review).",
        "People overloaded: 2 of 4 now, 1 of 3 at the last review; under-loaded: 0 now, 1 at the last review.",
    ]


def test_coverage_and_sponsor_files_hold_every_partner_with_its_status(pair):
    files = org.compare(*pair).files
    assert sorted(files) == ["coverage_changes.csv", "headcount_changes.csv", "sponsor_changes.csv",
                             "structure_changes.csv"]
    cover = files["coverage_changes.csv"]
    assert list(cover.columns) == list(org.COVERAGE_COLUMNS)
    assert list(zip(cover["partner_id"], cover["status"])) == [
        ("P1", "no longer covered"), ("P4", "still uncovered"), ("P8", "new, uncovered"), ("P3", "newly covered"),
        ("P10", "new, covered"), ("P13", "new, covered"), ("P9", "new, covered"),
        ("P11", "still covered"), ("P2", "still covered"), ("P6", "still covered"), ("P7", "still covered"),
        ("P5", "no longer a partner")]
    row = cover.set_index("partner_id")
    assert (row.at["P1", "covered_then"], row.at["P1", "covered_now"]) == (True, False)
    assert row.at["P8", "covered_then"] is None and row.at["P5", "covered_now"] is None
    assert (row.at["P3", "covered_by_then"], row.at["P3", "covered_by_now"]) == ("", "S3")
    sponsors = files["sponsor_changes.csv"]
    assert list(sponsors.columns) == list(org.SPONSOR_COLUMNS)
    assert list(zip(sponsors["partner_id"], sponsors["status"], sponsors["why"])) == [
        ("P2", "still without a sponsor", ""), ("P1", "newly without a sponsor", "sponsor no longer named"),
        ("P6", "newly without a sponsor", "became strategic"), ("P8", "newly without a sponsor", "new partner"),
        ("P11", "resolved", "no longer strategic"), ("P5", "resolved", "no longer a partner"),
        ("P7", "resolved", "sponsor named")]


def test_headcount_and_structure_files_match_roles_and_options_by_id(pair):
    files = org.compare(*pair).files
    heads = files["headcount_changes.csv"]
    assert list(heads.columns) == list(org.HEADCOUNT_COLUMNS)
    assert list(zip(heads["role_id"], heads["change"])) == [
        ("alliance_director", "kept"), ("alliance_manager", "kept"), ("partner_enablement_lead", "new"),
        ("partner_marketing_manager", "dropped")]
    manager = heads.set_index("role_id").loc["alliance_manager"]
    assert (manager["current_fte_then"], manager["current_fte_now"], manager["gap_then"], manager["gap_now"]) == (
        4.0, 5.0, 2.0, 1.5)
    assert np.isnan(heads.set_index("role_id").at["partner_enablement_lead", "current_fte_then"])
    opts = files["structure_changes.csv"]
    assert list(zip(opts["kind"], opts["option_id"], opts["recommended_then"], opts["recommended_now"])) == [
        ("structure", "centralised", False, True), ("structure", "hub_and_spoke", True, False),
        ("reporting_line", "coo", True, True), ("reporting_line", "ceo", False, False)]


def test_the_same_delivery_twice_reports_no_change(pair):
    changes = org.compare(pair[1], pair[1])
    assert changes.summary == [
        "Partners covered by a named person: 8 of 11 (73%), now as at the last review; the partners covered by "
        "nobody hold this share of partner revenue: 57.0%, now as at the last review.",
        "3 partners are still covered by nobody: Alpha, Delta and Hotel.",
        "No partner gained or lost cover since the last review.",
        "Strategic alliances without an executive sponsor: 4 of 6, now as at the last review.",
        "Still without a sponsor: Alpha, Beta, Foxtrot and Hotel.",
        "The alliance team: 6.5 FTE against 8.7 required (2.2 short), now as at the last review.",
        "Every role has the current and required FTE it had at the last review.",
        "The recommended structure is still Centralised alliance function (score 4.40, now as at the last review).",
        "The recommended reporting line is still Chief Operating Officer (score 4.10, now as at the last review).",
        "People overloaded: 2 of 4, now as at the last review; under-loaded: 0, now as at the last review.",
    ]
    files = changes.files
    assert set(files["coverage_changes.csv"]["status"]) == {"still uncovered", "still covered"}
    assert set(files["sponsor_changes.csv"]["status"]) == {"still without a sponsor"}
    assert set(files["headcount_changes.csv"]["change"]) == {"kept"}


def test_a_delivery_without_partner_coverage_compares_the_rest(tmp_path, pair):
    old = delivery(tmp_path / "old", THEN_COVERAGE, THEN_HEADCOUNT, THEN_OPTIONS, ["overloaded"], with_coverage=False)
    changes = org.compare(old, pair[1])
    assert changes.summary[0] == (
        "Coverage and executive sponsors are not compared: the last review's delivery holds no partner_coverage.csv "
        "(made by an earlier version of the kit); re-run org_design with this version to compare them.")
    assert sorted(changes.files) == ["headcount_changes.csv", "structure_changes.csv"]
    assert any(s.startswith("The alliance team:") for s in changes.summary)


def test_sponsors_are_not_compared_when_a_partner_list_named_none(tmp_path, pair):
    unnamed = NOW_COVERAGE.assign(has_sponsor=None)
    now = delivery(tmp_path / "unnamed", unnamed, NOW_HEADCOUNT, NOW_OPTIONS, ["overloaded"])
    changes = org.compare(pair[0], now)
    assert "The partner list named no executive sponsors now, so sponsors are not compared." in changes.summary
    assert changes.files["sponsor_changes.csv"].empty
    assert not [s for s in changes.summary if "without a sponsor" in s]


def test_shown_tables_use_client_headings(pair):
    shown = {s.caption: s.table for s in org.compare(*pair).shown}
    cover = shown["Partners whose coverage changed, and those still covered by nobody"]
    assert list(cover.columns) == ["Partner", "Tier", "Last review", "Now", "Change", "Revenue, 12 months"]
    assert "Kilo" not in set(cover["Partner"])  # still covered: not a change
    assert cover.set_index("Partner").loc["Hotel", ["Last review", "Now"]].tolist() == ["not a partner",
                                                                                        "covered by nobody"]
    line = shown["Structures and reporting lines: score and rank"].set_index("Option")["Recommended"]
    assert line["Chief Operating Officer"] == "now and at the last review" and line["Hub and spoke"] == "at the last review"


# ---------------------------------------------------------------------------------------------- the result file


def _inputs(sponsors: bool = True) -> dict[str, pd.DataFrame]:
    partners = pd.DataFrame({"partner_id": ["P1", "P2", "P3", "P4"], "partner_name": ["Alpha", "Beta", "Gamma", "Delta"],
                             "tier": ["Platinum", "Gold", "Silver", "Platinum"],
                             "partner_type": ["ISV", "GSI", "reseller", "ISV"], "region": "EMEA",
                             "exec_sponsor": ["Sam Lee", " ", None, ""]})
    if not sponsors:
        partners = partners.drop(columns="exec_sponsor")
    staff = pd.DataFrame({"staff_id": ["S1", "S2", "S3"], "staff_name": ["Ann", "Bo", "Cy"],
                          "role": ["alliance manager", "partner marketing manager", "Partner Manager"],
                          "partners_covered": ["P1;P2", "P1", "P2"], "fte": [1.0, 1.0, 0.5]})
    metrics = pd.DataFrame({"partner_id": ["P1", "P2", "P3", "P4"], "month": "2025-01",
                            "revenue": [400.0, 300.0, 200.0, 100.0]})
    return {"partners": partners, "staff": staff, "partner_metrics": metrics}


def test_partner_coverage_says_who_covers_each_partner_and_whether_it_has_a_sponsor(tmp_path):
    review = od.review(_inputs(), {}, client="Acme")
    table = review.coverage
    assert list(table.columns) == list(od.COVERAGE_COLUMNS)
    assert table[["partner_id", "strategic", "covered", "covered_by", "alliance_managers", "has_sponsor"]
                 ].values.tolist() == [["P1", True, True, "S1; S2", "S1", True],
                                       ["P2", False, True, "S1; S3", "S1; S3", False],
                                       ["P3", False, False, "", "", False],
                                       ["P4", True, False, "", "", False]]
    assert table["revenue_ttm"].tolist() == [400.0, 300.0, 200.0, 100.0]
    # the same partners as the report's lists of uncovered partners and missing sponsors
    assert sorted(table.loc[~table["covered"], "partner_id"]) == sorted(review.uncovered["partner_id"])
    missing = table[table["strategic"] & table["has_sponsor"].eq(False)]
    assert sorted(missing["partner_id"]) == sorted(review.sponsors["partner_id"]) == ["P4"]
    assert "partner_coverage.csv" in PHASES["org_design"].results and "partner_coverage.csv" in review.results()
    write_results(PHASES["org_design"], {"partner_coverage.csv": table}, tmp_path)
    lines = (tmp_path / "partner_coverage.csv").read_text().splitlines()
    assert lines[0] == ("partner_id,partner_name,tier,strategic,covered,covered_by,alliance_managers,has_sponsor,"
                        "revenue_ttm")
    assert lines[2] == "P2,Beta,Gold,False,True,S1; S3,S1; S3,False,300.0"


def test_partner_coverage_leaves_has_sponsor_empty_without_a_sponsor_column(tmp_path):
    table = od.review(_inputs(sponsors=False), {}, client="Acme").coverage
    assert table["has_sponsor"].isna().all()
    write_results(PHASES["org_design"], {"partner_coverage.csv": table}, tmp_path)
    assert (tmp_path / "partner_coverage.csv").read_text().splitlines()[1] == "P1,Alpha,Platinum,True,True,S1; S2,S1,,400.0"
