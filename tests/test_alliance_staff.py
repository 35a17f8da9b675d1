"""The alliance staff review: a fair comparison of alliance managers, on planted portfolios.

Planted: manager A covers four "stars" (the segment that earns and grows most) that do worse
than the other stars; manager B covers four "dormant" partners that do better than the other
dormant ones. Raw totals put A far ahead; against the mix B must rank above A, and the report
must say why. Partner feedback shows as counts above the group size only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancekit.alliance_staff import Narrative, expected_results, partner_results, review_managers
from alliancekit.alliance_staff.effectiveness import coverage

SEGMENTS = {"Stars": (120.0, 0.30, 80.0), "Dormant": (2.0, -0.10, 25.0)}  # revenue (k), growth, health


def planted(seed: int = 3):
    """Partners in two segments; A's stars and B's dormant partners shifted against their peers."""
    rng = np.random.default_rng(seed)
    rows = []
    for segment, (revenue, growth, health) in SEGMENTS.items():
        for i in range(12):
            rows.append({"partner_id": f"{segment[0]}{i:02d}", "segment": segment, "revenue": revenue * (1 + 0.1 * rng.normal()),
                         "growth": growth + 0.03 * rng.normal(), "health": health + 3 * rng.normal()})
    frame = pd.DataFrame(rows)
    a = frame.index[(frame["segment"] == "Stars")][:4]
    b = frame.index[(frame["segment"] == "Dormant")][:4]
    frame.loc[a, ["growth", "health"]] -= [0.12, 12.0]   # inherited stars, doing worse than their peers
    frame.loc[b, ["growth", "health"]] += [0.12, 12.0]   # dormant partners lifted above theirs
    partners = pd.DataFrame({"partner_id": frame["partner_id"], "partner_name": "Partner " + frame["partner_id"],
                             "partner_type": "ISV", "tier": np.where(frame["segment"] == "Stars", "Gold", "Silver"),
                             "region": "EMEA", "annual_target": frame["revenue"] * 1000})
    segments = pd.DataFrame({"partner_id": frame["partner_id"], "segment": frame["segment"],
                             "health_score": frame["health"], "revenue_ttm": frame["revenue"] * 1000,
                             "revenue_growth": frame["growth"], "win_rate": np.nan, "deals_closed": 0})
    ids = frame["partner_id"]
    staff = pd.DataFrame({
        "staff_id": ["A", "B", "C", "D"], "staff_name": ["Ann Star", "Ben Lift", "Cy Mid", "Di Few"],
        "role": ["alliance manager"] * 4,
        "partners_covered": [";".join(ids[a]), ";".join(ids[b]), ";".join(ids[[4, 5, 16, 17]]), ids[6]],
        "fte": 1.0})
    role_ids = pd.Series("alliance_manager", index=staff["staff_id"])
    return partners, segments, staff, role_ids


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_the_manager_who_beats_the_mix_ranks_above_the_one_who_inherited_stars(seed):
    partners, segments, staff, role_ids = planted(seed)
    result = review_managers(partner_results(segments, partners), staff, role_ids, None, min_partners=3)
    m = result.managers.set_index("staff_id")
    assert m.at["A", "revenue_ttm"] > 20 * m.at["B", "revenue_ttm"]
    assert m.at["A", "rank_raw"] < m.at["B", "rank_raw"]          # raw totals: the stars' manager first
    assert m.at["B", "rank_vs_mix"] < m.at["A", "rank_vs_mix"]    # against the mix: the lifter first
    assert m.at["B", "vs_mix"] > 0 > m.at["A", "vs_mix"]
    assert pd.isna(m.at["D", "rank_vs_mix"])                      # one partner: shown, not ranked


def test_expectations_leave_the_managers_own_partners_out():
    """A manager's partners are predicted from the other partners only: if A's own (weak) stars were
    in the fit, A's bar would be lower than the other stars' average."""
    partners, segments, staff, role_ids = planted()
    results = partner_results(segments, partners)
    covered = coverage(staff, role_ids)
    expected = expected_results(results, covered, alpha=1e-6)  # (almost) no shrinkage: the peers' mean
    a = covered.loc[covered["staff_id"] == "A", "partner_id"]
    others = results[(results["segment"] == "Stars") & ~results.index.isin(a)]
    assert expected.loc[a, "expected_health_score"].to_numpy() == pytest.approx(others["health_score"].mean(), rel=1e-4)


def test_the_report_says_why_the_rankings_differ():
    partners, segments, staff, role_ids = planted()
    review = _staff_review(partners, segments, staff, role_ids)
    story = Narrative(review)
    why = story.reversal()
    assert why.startswith("Ben Lift ranks above Ann Star although Ann Star's partners earn")
    assert "do worse than their peers" in why
    assert any("Ben Lift" in line and "strengths" in line for line in story.person_findings())
    ann = next(line for line in story.person_findings() if line.startswith("Ann Star"))
    assert "risks:" in ann and "development focus:" in ann


def test_partner_feedback_only_in_aggregate_and_above_the_group_size():
    partners, segments, staff, role_ids = planted()
    themes = pd.DataFrame({"theme": ["Strength: Quality of the alliance managers",
                                     "Weakness: Alliance manager turnover and coverage", "Strength: Funds"],
                           "quadrant": ["strength", "weakness", "strength"], "topic": ["people", "people", "funds"],
                           "respondents": [5, 2, 9], "partners": [4, 2, 7], "statements": [6, 3, 9],
                           "share": [0.2, 0.1, 0.4], "quotable": [True, False, True]})
    story = Narrative(_staff_review(partners, segments, staff, role_ids, themes=themes))
    text = story.feedback_sentence()
    assert "5 partner respondents (4 partners) raised \"quality of the alliance managers\"" in text
    assert "turnover" not in text and "1 theme about the alliance managers was raised by fewer than 3" in text


def _staff_review(partners, segments, staff, role_ids, themes=None):
    from alliancekit.alliance_staff.phase import review

    return review({"partners": partners, "staff": staff}, {}, segments=segments, themes=themes, client="Client")


@pytest.mark.slow
def test_bad_hiring_scores_stop_the_run_at_their_cells(tmp_path):
    """A score outside 1-5, a competency not in the model, a position the engagement does not have:
    exit 2 before anything runs, each at its row and column."""
    import shutil

    from conftest import run_phases_only

    from alliancekit.paths import SAMPLE_ENGAGEMENT

    root = tmp_path / "engagement"
    shutil.copytree(SAMPLE_ENGAGEMENT, root)
    rows = [("C1", "alliance_manager", "Ann", "negotiation", "4"), ("C1", "alliance_manager", "Ann", "communication", "7"),
            ("C2", "alliance_manager", "Ann", "negotation", "3"), ("C3", "sales_engineer", "Bo", "negotiation", "4")]
    pd.DataFrame(rows, columns=["candidate_id", "position", "interviewer", "competency", "score"]).to_csv(
        root / "data/panel_scores.csv", index=False)
    file = root / "engagement.yml"
    file.write_text(file.read_text(encoding="utf-8").replace("data/hiring_scores.csv", "data/panel_scores.csv"),
                    encoding="utf-8")
    out = tmp_path / "out"
    proc = run_phases_only(file, ["alliance_staff"], out)
    assert proc.returncode == 2, proc.stderr[-2000:]
    err = proc.stderr
    assert "panel_scores.csv, column 'score', row 3" in err
    assert "panel_scores.csv, column 'competency', row 4" in err and "negotiation" in err
    assert "panel_scores.csv, column 'position', row 5" in err and "sales_engineer" in err
    assert not out.exists() or not any(out.glob("*/staff_review.html"))


def test_a_manager_holding_every_star_is_measured_against_stars():
    """When one manager covers a whole segment, no peer says what it achieves: his stars doing as
    stars do must not count as beating the mix (they would against the rest of the portfolio)."""
    partners, segments, staff, role_ids = planted()
    stars = segments.loc[segments["segment"] == "Stars", "partner_id"]
    segments.loc[segments["partner_id"].isin(stars), ["health_score", "revenue_growth"]] = [80.0, 0.30]
    staff.loc[0, "partners_covered"] = ";".join(stars)                       # Ann holds every star
    staff.loc[2, "partners_covered"] = ";".join(segments["partner_id"][[16, 17, 18]])
    result = review_managers(partner_results(segments, partners), staff, role_ids, None, min_partners=3)
    m = result.managers.set_index("staff_id")
    assert abs(m.at["A", "vs_mix"]) < m.at["B", "vs_mix"] / 3  # about what stars achieve; ridge shrinks a little
    assert m.at["B", "rank_vs_mix"] < m.at["A", "rank_vs_mix"] and m.at["A", "rank_raw"] == 1


@pytest.mark.parametrize("seed", [7, 3])
def test_the_sample_generators_planted_staff_and_candidates_are_recovered(tmp_path, seed):
    """On generated engagements (the sample's seed and another): the best candidate first and the
    split candidate flagged per position; the manager who beats the mix above the one who inherited stars."""
    from alliancekit.alliance_staff.phase import review
    from alliancekit.engagement import load_engagement
    from alliancekit.sample import write_engagement
    from alliancekit.validation import load_inputs

    truth = write_engagement(tmp_path, seed=seed)
    engagement = load_engagement(tmp_path / "engagement.yml")
    inputs, _ = load_inputs(engagement, ["partners", "staff", "partner_metrics", "opportunities", "hiring_scores"])
    from alliancekit import metric_design

    from alliancekit import portfolio_health

    (tmp_path / "scorecard.yml").write_text(metric_design.review(inputs, {}).results()["scorecard.yml"], encoding="utf-8")
    segments = portfolio_health.review(inputs, {}).results()["segments.csv"]
    result = review(inputs, {}, segments=segments, root=tmp_path, client="Client", scorecard=tmp_path / "scorecard.yml")
    assert result.managers.managers["kpis_on_target"].notna().all()  # the scorecard's status, shown
    ranking = result.shortlist.ranking
    for position, best in truth.best_candidates.items():
        assert ranking.loc[(ranking["position"] == position) & (ranking["rank"] == 1), "candidate_id"].item() == best
    flagged = set(ranking.loc[ranking["split"], "candidate_id"])
    assert set(truth.split_candidates.values()) <= flagged
    m = result.managers.managers.set_index("staff_id")
    stars, lifter = truth.inherited_stars_manager, truth.beats_mix_manager
    assert m.at[stars, "revenue_ttm"] > m.at[lifter, "revenue_ttm"]
    assert m.at[lifter, "rank_vs_mix"] < m.at[stars, "rank_vs_mix"]
    why = Narrative(result).reversal()
    assert result.managers.managers.set_index("staff_id").at[lifter, "name"] in why


@pytest.mark.slow
def test_nothing_of_the_staff_review_or_hiring_reaches_a_partner(sample_delivery):
    """Partner scorecards carry no candidate, interviewer, competency or staff-review content, and the
    staff review quotes no partner respondent (feedback on managers is counts only)."""
    import re

    from alliancekit.layout import client_dir, report_path
    from alliancekit.paths import SAMPLE_ENGAGEMENT

    scores = pd.read_csv(SAMPLE_ENGAGEMENT / "data/hiring_scores.csv")
    needles = {*scores["candidate_id"].astype(str), *scores["interviewer"].astype(str),
               "Staff Review", "staff review", "interview guide", "Influencing without authority"}
    scorecards = sorted(client_dir(sample_delivery, "ecosystem_reporting").glob("partners/*.html"))
    assert len(scorecards) == 60
    for page in scorecards:
        text = page.read_text(encoding="utf-8")
        found = [n for n in needles if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)]
        assert not found, (page.name, found)
    review_page = report_path(sample_delivery, "alliance_staff").read_text(encoding="utf-8")
    assert "Strictly confidential" in review_page
    interviews = pd.read_csv(SAMPLE_ENGAGEMENT / "data/interviews.csv")["text"].astype(str)
    fragments = {f.strip() for t in interviews for f in re.split(r"(?<=[.!?])\s+", t) if len(f.strip()) > 40}
    assert not [f for f in fragments if f in review_page]
    kit = sorted(client_dir(sample_delivery, "alliance_staff").glob("recruiting/*"))
    assert {p.suffix for p in kit} == {".html", ".pdf", ".xlsx"} and len(kit) >= 6


def test_every_interview_guide_speaks_the_clients_language(tmp_path):
    """The kit's interview guides (every position, not only the sample's) carry no kit vocabulary."""
    from test_client_text import jargon_hits

    from alliancekit.alliance_staff import interview_guide_html
    from alliancekit.alliance_staff.phase import _bank

    _, titles, competencies, guide = _bank(None)
    hits = []
    for role in titles:
        page = tmp_path / f"{role}.html"
        page.write_text(interview_guide_html(role, guide, competencies, titles, "Acme Corp"), encoding="utf-8")
        hits += jargon_hits(page)
    assert not hits, "\n".join(hits)


def test_the_partner_teams_rating_per_manager_comes_from_the_latest_survey_wave():
    from alliancekit.alliance_staff.phase import partner_side_view

    partners, segments, staff, role_ids = planted()
    result = review_managers(partner_results(segments, partners), staff, role_ids, None, min_partners=3)
    stars = result.partners.loc[result.partners["staff_id"] == "A", "partner_id"].tolist()
    health = pd.DataFrame({"alliance": [stars[0], stars[0], stars[1]], "wave": ["2026-03", "2026-09", "2026-09"],
                           "partner": [2.0, 3.0, 4.0]})
    view = partner_side_view(health, result).set_index("staff_id")
    assert view.at["A", "surveyed"] == 2 and view.at["A", "partner_rating"] == pytest.approx(3.5)
    assert view.at["B", "surveyed"] == 0
    story = Narrative(_staff_review(partners, segments, staff, role_ids))
    assert "Partners' rating (survey)" not in story.manager_table().columns  # no survey: no column
