"""Strategy assessment: maturity scoring on constructed answers, a hand-computed decision matrix and
its flip point, overlap on a constructed portfolio, the gate, the planted sample, bad inputs, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.figure import Figure
from pypdf import PdfReader

from alliancekit import strategy_assessment as sa
from alliancekit.layout import client_dir, working_dir
from alliancekit.params import resolve_params
from alliancekit.paths import TEMPLATES
from alliancekit.phases import PHASES
from alliancekit.sample import generate_tables, write_engagement
from alliancekit.strategy_assessment.templates import Criterion, Option

KIT = [sys.executable, "-m", "alliancekit.cli"]
PHASE = PHASES["strategy_assessment"]
QUESTIONNAIRE, _ = sa.load_questionnaire(TEMPLATES / sa.QUESTIONNAIRE_FILE)
LIBRARY, _ = sa.load_arguments(TEMPLATES / sa.ARGUMENTS_FILE)


def kit(*args) -> subprocess.CompletedProcess:
    """Run the CLI as a user would."""
    return subprocess.run([*KIT, *map(str, args)], capture_output=True, text=True, timeout=600)


def survey(scores: dict[tuple[str, str], float], roles: dict[str, str]) -> pd.DataFrame:
    """A maturity survey from ``{(respondent, dimension): score}``: that score on every question of the dimension;
    dimensions not given are answered 3."""
    rows = []
    for respondent, role in roles.items():
        for dim in QUESTIONNAIRE.dimensions:
            for qid, _ in dim.questions:
                rows.append((respondent, role, qid, scores.get((respondent, dim.id), 3)))
    frame = pd.DataFrame(rows, columns=["respondent_id", "role", "question_id", "score"])
    frame.attrs["source"] = "maturity_survey.csv"
    return frame


def score(frame: pd.DataFrame, **params) -> pd.DataFrame:
    answered = sa.answers(frame, QUESTIONNAIRE)
    resp = sa.respondent_scores(answered)
    targets = sa.target_levels(QUESTIONNAIRE, params.get("target_levels"))
    return sa.dimension_scores(resp, QUESTIONNAIRE, targets, answered).set_index("dimension")


ROLES = {"R1": "CEO", "R2": "CFO", "R3": "Sales", "R4": "Sales", "R5": "Marketing", "R6": "IT"}


# ----------------------------------------------------------------------------------------------
# Templates and declarations
# ----------------------------------------------------------------------------------------------

def test_questionnaire_template_covers_the_issue():
    assert len(QUESTIONNAIRE.dimensions) >= 12
    ids = {d.id for d in QUESTIONNAIRE.dimensions}
    assert {"partner_qualification", "approval_formation", "roles_responsibilities", "professional_development",
            "team_capability", "measurement_reporting", "partner_expectations", "joint_planning",
            "portfolio_management", "governance_sponsorship", "field_engagement", "joint_marketing",
            "systems_of_record"} <= ids
    for d in QUESTIONNAIRE.dimensions:
        assert 3 <= len(d.questions) <= 5, d.id
        assert set(d.levels) == {1, 2, 3, 4, 5} and all(len(t) > 40 for t in d.levels.values()), d.id
        assert len(d.name) <= 28 and d.why_it_matters
    assert set(QUESTIONNAIRE.roles) >= {"CEO", "CFO", "Sales", "Marketing", "Operations", "IT"}


def test_declared_weights_equal_the_argument_library_defaults():
    declared = PHASE.defaults()["criteria_weights"]
    assert declared == {c.id: c.default_weight for c in LIBRARY.criteria}
    assert sum(declared.values()) == pytest.approx(1.0)
    assert sum(PHASE.defaults()["candidate_weights"].values()) == pytest.approx(1.0)
    assert {o.id for o in LIBRARY.options} >= {"few_key_alliances", "broad_ecosystem", "tiered_hybrid"}


def test_target_levels_name_every_template_dimension():
    levels = PHASE.defaults()["target_levels"]
    assert set(levels) == {"default"} | {d.id for d in QUESTIONNAIRE.dimensions}
    assert levels["default"] == 4.0


def test_sample_candidates_use_the_declared_criteria():
    tables, _ = generate_tables()
    assert set(PHASE.defaults()["candidate_weights"]) <= set(tables["candidates"].columns)


# ----------------------------------------------------------------------------------------------
# Maturity on constructed answers
# ----------------------------------------------------------------------------------------------

def test_dimension_answered_5_by_everyone_scores_5_and_ranks_first():
    frame = survey({(r, "systems_of_record"): 5 for r in ROLES} | {("R1", "joint_planning"): 4}, ROLES)
    table = score(frame)
    row = table.loc["systems_of_record"]
    assert row["score"] == 5 and row["spread"] == 0 and row["n"] == len(ROLES) and row["rank"] == 1
    assert row["gap"] == -1.0 and row["target"] == 4.0 and row["level"] == 5
    assert table.loc["joint_planning", "rank"] == 2
    assert table["score"].drop(["systems_of_record", "joint_planning"]).eq(3).all()


def test_role_split_1_vs_5_is_the_top_disagreement():
    split = {(r, "field_engagement"): (1 if ROLES[r] in ("Sales", "Marketing") else 5) for r in ROLES}
    noise = {("R1", "joint_marketing"): 4, ("R3", "joint_marketing"): 2}
    table = score(survey(split | noise, ROLES))
    top = sa.disagreements(table.reset_index(), 3)
    assert top.iloc[0]["dimension"] == "field_engagement"
    assert top.iloc[0]["role_gap"] == 4.0
    assert top.iloc[0]["lowest_role"] in ("Sales", "Marketing") and top.iloc[0]["lowest_role_score"] == 1
    assert top.iloc[0]["highest_role"] in ("CEO", "CFO", "IT") and top.iloc[0]["highest_role_score"] == 5
    assert top.iloc[1]["role_gap"] < 4.0


def test_blank_answers_are_missing_not_zero():
    frame = survey({}, {"R1": "CEO", "R2": "CFO"})
    frame.loc[(frame["respondent_id"] == "R1") & (frame["question_id"] == "AS1"), "score"] = np.nan
    frame.loc[(frame["respondent_id"] == "R1") & (frame["question_id"] == "AS2"), "score"] = 5
    frame = frame[~((frame["respondent_id"] == "R2") & (frame["question_id"] == "AS3"))]  # absent row
    table = score(frame)
    # R1: AS2..AS4 = 5, 3, 3 -> 11/3; R2: AS1, AS2, AS4 = 3 -> 3; mean of respondents
    assert table.loc["alliance_strategy", "score"] == pytest.approx((11 / 3 + 3) / 2, abs=1e-4)  # 4 decimals
    assert table.loc["alliance_strategy", "n"] == 2 and table.loc["alliance_strategy", "answers"] == 6


def test_each_respondent_counts_once_per_dimension():
    frame = survey({("R1", "team_capability"): 5}, {"R1": "CEO", "R2": "CFO"})
    drop = (frame["respondent_id"] == "R1") & frame["question_id"].isin(["TC2", "TC3"])
    table = score(frame[~drop])
    assert table.loc["team_capability", "score"] == pytest.approx(4.0)  # (5 + 3) / 2, not (5 + 3 + 3 + 3) / 4


def test_targets_default_and_per_dimension():
    table = score(survey({}, ROLES), target_levels={"default": 3.5, "systems_of_record": 3.0, "joint_planning": 0.0})
    assert table.loc["systems_of_record", "target"] == 3.0 and table.loc["joint_planning", "target"] == 3.5
    assert table.loc["systems_of_record", "gap"] == 0.0 and table.loc["alliance_strategy", "gap"] == 0.5


def test_priorities_start_with_the_disagreement_then_the_largest_gaps():
    split = {(r, "field_engagement"): (1 if ROLES[r] in ("Sales", "Marketing") else 5) for r in ROLES}
    low = {(r, "joint_marketing"): 1 for r in ROLES} | {(r, "systems_of_record"): 2 for r in ROLES}
    table = score(survey(split | low, ROLES)).reset_index()
    chosen = sa.priorities(table, QUESTIONNAIRE, n=3, disagreement_threshold=2.0)
    assert [p.dimension for p in chosen] == ["field_engagement", "joint_marketing", "systems_of_record"]
    assert [p.reason for p in chosen] == ["disagreement", "gap", "gap"]
    marketing = QUESTIONNAIRE.dimension("joint_marketing")
    assert marketing.why_it_matters.split(". ")[0] in chosen[1].text
    assert "To reach level 2:" in chosen[1].text and marketing.levels[2][:40].lower() in chosen[1].text.lower()
    assert "1.0 (Sales" in chosen[0].text or "1.0 (Marketing" in chosen[0].text
    assert len(sa.priorities(table, QUESTIONNAIRE, n=5)) == 5


def test_small_roles_can_be_pooled():
    answered = sa.answers(survey({}, ROLES), QUESTIONNAIRE, min_role_respondents=2)
    assert set(answered["role"]) == {"Sales", sa.POOLED_ROLE}


# ----------------------------------------------------------------------------------------------
# Decision matrix and sensitivity, by hand
# ----------------------------------------------------------------------------------------------

def _library(options: dict[str, dict[str, float]], weights: dict[str, float]) -> sa.ArgumentLibrary:
    return sa.ArgumentLibrary(Path("lib.yml"),
                              tuple(Option(k, k.upper(), "", ("pro",), ("con",), (), v) for k, v in options.items()),
                              tuple(Criterion(c, c, "", w) for c, w in weights.items()))


def test_hand_computed_decision_matrix_and_its_flip_point():
    lib = _library({"a": {"c1": 5, "c2": 1}, "b": {"c1": 1, "c2": 5}}, {"c1": 0.6, "c2": 0.4})
    matrix = sa.criteria_matrix(lib)
    weights = sa.option_weights(lib, {})
    table = sa.decision_matrix(matrix, weights)
    assert table["option_id"].tolist() == ["a", "b"]
    assert table["weighted_score"].tolist() == pytest.approx([0.6 * 5 + 0.4 * 1, 0.6 * 1 + 0.4 * 5])  # 3.4, 2.6
    assert table["recommended"].tolist() == [True, False] and table["margin"].tolist() == pytest.approx([0, 0.8])
    flips = sa.sensitivity(matrix, weights).set_index("criterion")
    # a = 5t + (1 - t), b = t + 5(1 - t): equal at t = 0.5 for c1 (lowered from 0.6) and c2 (raised from 0.4)
    assert flips.loc["c1", "flip_weight"] == pytest.approx(0.5) and flips.loc["c1", "direction"] == "lower"
    assert flips.loc["c2", "flip_weight"] == pytest.approx(0.5) and flips.loc["c2", "direction"] == "raise"
    assert flips.loc["c1", "new_option"] == "b"
    after = sa.scores_at(matrix, weights, "c1", np.array([0.49, 0.51]))
    assert after.loc[0.49, "b"] > after.loc[0.49, "a"] and after.loc[0.51, "a"] > after.loc[0.51, "b"]


def test_a_dominant_option_is_robust_to_every_weight():
    lib = _library({"a": {"c1": 5, "c2": 4}, "b": {"c1": 3, "c2": 3}}, {"c1": 0.5, "c2": 0.5})
    flips = sa.sensitivity(sa.criteria_matrix(lib), sa.option_weights(lib, {}))
    assert flips["robust"].all() and flips["flip_weight"].isna().all()


def test_template_matrix_by_hand():
    weights = sa.option_weights(LIBRARY, PHASE.defaults()["criteria_weights"])
    table = sa.decision_matrix(sa.criteria_matrix(LIBRARY), weights).set_index("option_id")
    assert table.loc["tiered_hybrid", "weighted_score"] == pytest.approx(
        0.25 * 5 + 0.15 * 3 + 0.15 * 2 + 0.15 * 4 + 0.20 * 4 + 0.10 * 3)  # 3.70
    assert table.loc["few_key_alliances", "weighted_score"] == pytest.approx(3.45)
    assert table.loc["broad_ecosystem", "weighted_score"] == pytest.approx(3.25)
    flips = sa.sensitivity(sa.criteria_matrix(LIBRARY), weights).set_index("criterion")
    # management cost: tiered 4 - 2t, few 3.35294 + 0.64706t (others renormalised over 0.85) -> t = 0.6471 / 2.6471
    assert flips.loc["management_cost", "flip_weight"] == pytest.approx((4 - 2.85 / 0.85) / (2 + 4 - 2.85 / 0.85))
    assert flips.index[0] == "management_cost"
    # a heavier management-cost weight beyond the flip changes the recommendation
    heavier = sa.option_weights(LIBRARY, {**PHASE.defaults()["criteria_weights"], "management_cost": 0.30})
    assert sa.decision_matrix(sa.criteria_matrix(LIBRARY), heavier).iloc[0]["option_id"] == "few_key_alliances"


def test_weights_merge_renormalise_and_take_library_defaults_for_new_criteria():
    lib = _library({"a": {"c1": 5, "c2": 1, "c3": 3}, "b": {"c1": 1, "c2": 5, "c3": 3}}, {"c1": 1, "c2": 1, "c3": 2})
    weights = sa.option_weights(lib, {"c1": 2, "c2": 2})
    assert weights == pytest.approx({"c1": 1 / 3, "c2": 1 / 3, "c3": 1 / 3})


# ----------------------------------------------------------------------------------------------
# Formation: overlap, gate
# ----------------------------------------------------------------------------------------------

PORTFOLIO = pd.DataFrame({
    "partner_id": ["P1", "P2", "P3", "P4"], "partner_name": ["Alpha Soft", "Beta GSI", "Gamma Resale", "Delta Soft"],
    "partner_type": ["ISV", "GSI", "reseller", "ISV"], "tier": ["Gold", "Platinum", "Silver", "Silver"],
    "region": ["EMEA", "EMEA", "APAC", "EMEA"], "offering": ["security", "cloud migration", "licensing", "security"],
})


def _candidates(rows: list[tuple], columns=("candidate_id", "candidate_name", "partner_type", "region", "offering",
                                             "strategic_fit", "market_access")) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    frame.attrs["source"] = "candidates.csv"
    return frame


def test_overlap_detection_on_a_constructed_portfolio():
    cands = _candidates([
        ("C1", "Twin Security", "ISV", "EMEA", "Security", 5, 5),       # redundant with P1 and P4 (case-insensitive)
        ("C2", "Rival Resale", "reseller", "EMEA", "security", 4, 4),   # conflicting: same region and offering, other type
        ("C3", "Far Security", "ISV", "APAC", "security", 4, 4),        # other region: no overlap
        ("C4", "New Analytics", "ISV", "EMEA", "analytics", 4, 4),      # other offering: no overlap
        ("C5", "Migrate Co", "GSI", "EMEA", "cloud migration", 2, 2),   # redundant with P2
    ])
    found = sa.find_overlaps(cands, PORTFOLIO).set_index(cands["candidate_id"])
    assert found.loc["C1", "overlap"] == "redundant" and found.loc["C1", "overlaps_with"] == "P1;P4"
    assert found.loc["C1", "overlaps_with_names"] == "Alpha Soft;Delta Soft"
    assert found.loc["C2", "overlap"] == "conflicting" and found.loc["C2", "overlaps_with"] == "P1;P4"
    assert found.loc[["C3", "C4"], "overlap"].tolist() == ["", ""]
    assert found.loc["C5", "overlap"] == "redundant" and found.loc["C5", "overlaps_with"] == "P2"


def test_overlap_without_offering_falls_back_to_type_and_region():
    cands = _candidates([("C1", "X", "ISV", "EMEA", 5, 5), ("C2", "Y", "cloud", "EMEA", 5, 5)],
                        ("candidate_id", "candidate_name", "partner_type", "region", "strategic_fit", "market_access"))
    found = sa.find_overlaps(cands, PORTFOLIO.drop(columns="offering"))
    assert found["overlap"].tolist() == ["possible overlap", ""]


def test_gate_thresholds_overlap_and_missing_scores():
    cands = _candidates([
        ("C1", "Twin Security", "ISV", "EMEA", "security", 5, 5),     # 5.0 but redundant -> review
        ("C2", "Fresh Data", "ISV", "LATAM", "data", 4, 4),           # 4.0 -> approve
        ("C3", "Half Scored", "ISV", "LATAM", "edge", 5, np.nan),     # 5.0 on one criterion -> review
        ("C4", "Middling", "GSI", "APAC", "ERP", 3, 3),               # 3.0 -> review
        ("C5", "Weak", "GSI", "APAC", "ERP", 2, 3),                   # 0.5*2 + 0.5*3 = 2.5 -> decline
        ("C6", "Weak twin", "ISV", "EMEA", "security", 1, 1),         # decline stays decline
    ])
    weights = sa.candidate_weights({"strategic_fit": 1, "market_access": 1, "cultural_fit": 0}, cands)
    assert weights == {"strategic_fit": 0.5, "market_access": 0.5}
    scored = sa.score_candidates(cands, PORTFOLIO, weights, 3.75, 2.75).set_index("candidate_id")
    assert scored["gate"].to_dict() == {"C1": "review", "C2": "approve", "C3": "review", "C4": "review",
                                        "C5": "decline", "C6": "decline"}
    assert scored.loc["C1", "weighted_score"] == 5 and "Alpha Soft, P1" in scored.loc["C1", "reason"]
    assert "redundant" in scored.loc["C1", "reason"] and scored.loc["C6", "overlap"] == "redundant"
    assert scored.loc["C3", "criteria_scored"] == 1 and "only 1 of 2 criteria" in scored.loc["C3", "reason"]
    assert scored.loc["C5", "weighted_score"] == pytest.approx(2.5)
    assert list(scored.columns[:12]) == list(sa.CANDIDATE_COLUMNS[1:])
    assert scored["rank"].tolist() == sorted(scored["rank"].tolist())


def test_workflow_has_owners_and_durations():
    table = sa.workflow_table()
    assert {"VP Alliances", "COO", "Corporate Counsel"} <= set(table["Owner"])
    assert sa.time_to_approval() == (9, 15)
    assert isinstance(sa.chart_workflow(), Figure)


# ----------------------------------------------------------------------------------------------
# The planted sample, end to end in process
# ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def planted():
    tables, truth = generate_tables(seed=11)
    for name, frame in tables.items():
        frame.attrs["source"] = f"{name}.csv"
    return sa.review(tables, PHASE.defaults()), truth


def test_sample_recovers_the_planted_maturity(planted):
    assessment, truth = planted
    m = assessment.maturity.set_index("dimension")
    assert m["rank"].idxmin() == truth.maturity_high_dimension
    assert assessment.disagreement.iloc[0]["dimension"] == truth.maturity_split_dimension
    split = assessment.disagreement.iloc[0]
    assert split["lowest_role"] in truth.maturity_low_roles and split["highest_role"] in truth.maturity_high_roles
    assert assessment.priority_list[0].dimension == truth.maturity_split_dimension
    assert 3 <= len(assessment.priority_list) <= 5
    assert list(assessment.maturity.columns[:6]) == ["dimension", "score", "spread", "n", "target", "gap"]


def test_sample_recovers_the_planted_candidates(planted):
    assessment, truth = planted
    c = assessment.candidates.set_index("candidate_id")
    assert c.index[0] == truth.best_candidate and c.loc[truth.best_candidate, "gate"] == "approve"
    flagged = c[c["overlap"] != ""]
    assert set(flagged.index) == set(truth.overlapping_candidates)
    for cand, partner in truth.overlapping_candidates.items():
        assert c.loc[cand, "overlap"] == "redundant" and partner in c.loc[cand, "overlaps_with"].split(";")
        assert c.loc[cand, "gate"] != "approve"


def test_report_views_and_sentences(planted):
    assessment, truth = planted
    story = sa.Narrative(assessment)
    assert len(story.headline_figures()) == 6
    text = " ".join(story.findings())
    assert "Tiered hybrid" in text and "candidate partners" in text
    assert story.decision_view()["Criterion"].iloc[-1] == "Weighted score"
    assert set(story.overlap_view()["Overlap"]) == {"redundant"}
    assert len(assessment.targets) == 6 and assessment.targets.iloc[0]["status"] == "from partners' annual targets"
    assert story.arguments_view()["Option"].replace("", np.nan).dropna().tolist() == [o.name for o in LIBRARY.options]
    assert story.maturity_method_sentence() == story.maturity_method_sentence()  # wording leaves the results as they are
    for chart in (sa.chart_radar(assessment.maturity),
                  sa.chart_role_heatmap(assessment.role_table, assessment.maturity, assessment.questionnaire.names),
                  sa.chart_sensitivity(assessment.matrix, assessment.weights, assessment.sensitivity,
                                       assessment.option_names, LIBRARY.criterion_names),
                  sa.chart_candidates(assessment.candidates, 3.75, 2.75)):
        assert isinstance(chart, Figure)


def test_results_are_the_declared_files(planted):
    assessment, _ = planted
    results = assessment.results()
    assert tuple(results) == PHASE.results
    assert results["maturity_scores.csv"] is assessment.maturity and results["value_targets.csv"] is assessment.targets


def test_same_inputs_same_tables(planted):
    assessment, _ = planted
    tables, _ = generate_tables(seed=11)
    again = sa.review(tables, PHASE.defaults())
    for name in ("maturity", "options", "candidates", "targets", "sensitivity"):
        pd.testing.assert_frame_equal(getattr(assessment, name), getattr(again, name))


def test_targets_from_parameters():
    params = {**PHASE.defaults(), "revenue_target": 5e6, "new_customers_target": 40, "partner_trust_target": 4.0}
    targets = sa.value_targets(params).set_index("parameter")
    assert targets.loc["revenue_target", "status"] == "set" and targets.loc["revenue_target", "target"] == 5e6
    assert targets.loc["joint_solutions_target", "status"] == "to be agreed"
    assert sa.format_target(5e6, "currency") == "5M" and sa.format_target(4.0, "score") == "4.0 of 5"
    assert len(set(targets["measure"])) == len(targets) and targets["indicators"].str.len().gt(0).all()


# ----------------------------------------------------------------------------------------------
# Bad inputs: check_inputs messages
# ----------------------------------------------------------------------------------------------

def _tables():
    tables, _ = generate_tables(seed=3, n_partners=12, months=12)
    for name, frame in tables.items():
        frame.attrs["source"] = f"{name}.csv"
    return tables


def _problems(tables=None, root=None, **params) -> list[str]:
    return [str(p) for p in sa.check_inputs(tables or _tables(), {**PHASE.defaults(), **params}, root)]


def test_good_inputs_have_no_problems():
    assert _problems() == []


def test_unknown_question_id_is_named_with_its_row():
    tables = _tables()
    tables["maturity_survey"].loc[4, "question_id"] = "AS9"
    (problem,) = _problems(tables)
    assert "maturity_survey.csv" in problem and "column 'question_id', row 6" in problem
    assert "unknown question 'AS9'" in problem and "maturity_questionnaire.yml" in problem


def test_negative_weights_are_refused_where_parameters_are_converted():
    _, problems = resolve_params(PHASE.params, {"criteria_weights": {"market_coverage": -0.2}}, "engagement.yml")
    assert "criteria_weights.market_coverage" in str(problems[0]) and ">= 0" in str(problems[0])
    _, problems = resolve_params(PHASE.params, {"candidate_weights": {"cultural_fit": -1}}, "engagement.yml")
    assert "candidate_weights.cultural_fit" in str(problems[0])


def test_candidate_criteria_must_exist_and_lie_on_the_scale():
    tables = _tables()
    tables["candidates"].loc[2, "market_access"] = 7
    tables["candidates"] = tables["candidates"].rename(columns={"cultural_fit": "culture_fit"})
    problems = _problems(tables)
    assert any("column 'market_access', row 4" in p and "got '7'" in p for p in problems)
    assert any("criterion 'cultural_fit'" in p and "did you mean 'culture_fit'" in p for p in problems)
    assert _problems(tables, candidate_weights={**PHASE.defaults()["candidate_weights"], "cultural_fit": 0.0,
                                                "market_access": 0.0}) == []


def test_parameters_out_of_order_or_off_the_scale():
    problems = _problems(approve_score=2.5, decline_score=3.0,
                         target_levels={**PHASE.defaults()["target_levels"], "joint_planning": 7.0})
    assert any("decline_score (3) is above approve_score (2.5)" in p for p in problems)
    assert any("target_levels.joint_planning: 7 is off the scale" in p for p in problems)


def test_edited_templates_are_checked(tmp_path):
    raw = yaml.safe_load((TEMPLATES / sa.QUESTIONNAIRE_FILE).read_text())
    del raw["dimensions"][0]["levels"][3]
    (tmp_path / "q.yml").write_text(yaml.safe_dump(raw))
    lib = yaml.safe_load((TEMPLATES / sa.ARGUMENTS_FILE).read_text())
    lib["criteria"][1]["default_weight"] = -0.1
    (tmp_path / "a.yml").write_text(yaml.safe_dump(lib))
    problems = _problems(root=tmp_path, questionnaire="q.yml", arguments="a.yml")
    assert any("q.yml" in p and "dimension 'alliance_strategy'" in p and "missing: 3" in p for p in problems)
    assert any("a.yml" in p and "criterion 'time_to_value': default_weight must be a number >= 0" in p for p in problems)
    (missing,) = _problems(questionnaire=str(tmp_path / "nowhere.yml"))
    assert "file not found" in missing and "strategy_assessment.questionnaire" in missing


def test_an_edited_questionnaire_is_used(tmp_path):
    raw = yaml.safe_load((TEMPLATES / sa.QUESTIONNAIRE_FILE).read_text())
    raw["dimensions"][0]["questions"].append({"id": "AS9", "text": "A question added for this client."})
    (tmp_path / "q.yml").write_text(yaml.safe_dump(raw))
    tables = _tables()
    tables["maturity_survey"].loc[4, "question_id"] = "AS9"
    assert _problems(tables, root=tmp_path, questionnaire="q.yml") == []
    result = sa.review(tables, {**PHASE.defaults(), "questionnaire": "q.yml"}, root=tmp_path)
    assert "AS9" in set(result.answered["question_id"])


def test_blank_scores_pass_validation(tmp_path):
    from alliancekit.engagement import load_engagement
    from alliancekit.validation import load_inputs

    write_engagement(tmp_path / "eng", n_partners=12, months=12, phases=("strategy_assessment",))
    path = tmp_path / "eng" / "data" / "maturity_survey.csv"
    frame = pd.read_csv(path, dtype=str)
    frame.loc[3, "score"] = ""
    frame.to_csv(path, index=False)
    tables, _ = load_inputs(load_engagement(tmp_path / "eng" / "engagement.yml"), ["maturity_survey"])
    assert tables["maturity_survey"]["score"].isna().sum() == 1


# ----------------------------------------------------------------------------------------------
# The real CLI
# ----------------------------------------------------------------------------------------------

def test_cli_bad_inputs_exit_2_and_name_the_problem(tmp_path, cli):
    write_engagement(tmp_path / "eng", n_partners=12, months=12, phases=("strategy_assessment",))
    path, data = tmp_path / "eng" / "engagement.yml", tmp_path / "eng" / "data"
    survey_file = data / "maturity_survey.csv"
    original = survey_file.read_text()
    survey_file.write_text(original.replace(",AS2,", ",XX2,", 1))
    code, _, err = cli("run", path, "--output-dir", tmp_path / "out")
    assert code == 2 and "unknown question 'XX2'" in err and "maturity_survey.csv" in err
    frame = pd.read_csv(survey_file, dtype=str)
    frame.loc[1, "score"] = "7"
    frame.to_csv(survey_file, index=False)
    code, _, err = cli("run", path, "--output-dir", tmp_path / "out")
    assert code == 2 and "column 'score', row 3" in err and "got '7'" in err and "from 1 to 5" in err
    survey_file.write_text(original)
    code, _, err = cli("run", path, "--output-dir", tmp_path / "out", "-p",
                       "strategy_assessment.criteria_weights.strategic_control=-0.5")
    assert code == 2 and "criteria_weights.strategic_control" in err and ">= 0" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_cli_run_delivers_the_report_and_results(tmp_path):
    truth = write_engagement(tmp_path / "eng", phases=("strategy_assessment",))
    out = tmp_path / "out"
    proc = kit("run", tmp_path / "eng" / "engagement.yml", "--output-dir", out,
               "-p", "strategy_assessment.revenue_target=25000000")
    assert proc.returncode == 0, proc.stderr
    client, folder = client_dir(out, "strategy_assessment"), working_dir(out, "strategy_assessment")
    assert sorted(p.name for p in client.iterdir()) == ["report.html", "report.pdf", "tables.xlsx"]
    for name in ("manifest.json", "executed.ipynb", "maturity_scores.csv",
                 "strategy_options.csv", "candidates_scored.csv", "value_targets.csv"):
        assert (folder / name).is_file(), name
    assert len(PdfReader(client / "report.pdf").pages) >= 2
    maturity = pd.read_csv(folder / "maturity_scores.csv")
    assert list(maturity.columns[:6]) == ["dimension", "score", "spread", "n", "target", "gap"]
    assert maturity.loc[maturity["score"].idxmax(), "dimension"] == truth.maturity_high_dimension
    options = pd.read_csv(folder / "strategy_options.csv")
    assert options.loc[0, "option_id"] == "tiered_hybrid" and options["recommended"].sum() == 1
    candidates = pd.read_csv(folder / "candidates_scored.csv", keep_default_na=False)
    assert candidates.loc[0, "candidate_id"] == truth.best_candidate
    assert set(candidates.loc[candidates["overlap"] != "", "candidate_id"]) == set(truth.overlapping_candidates)
    targets = pd.read_csv(folder / "value_targets.csv").set_index("parameter")
    assert targets.loc["revenue_target", "target"] == 25_000_000
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["inputs"]) == {"maturity_survey", "partners", "candidates"}
    page = (client / "report.html").read_text()
    for leak in ("start_phase", "import ", "ctx.", "NBVAL", "Traceback"):
        assert leak not in page, leak
    assert "Alliance Strategy Assessment" in page and page.count("<svg") >= 5


def test_the_scaffolded_engagement_runs_on_its_example_rows(tmp_path, cli):
    from alliancekit.engagement import load_engagement
    from alliancekit.validation import load_inputs

    assert cli("new", tmp_path / "eng", "--client", "Example Client")[0] == 0
    engagement = load_engagement(tmp_path / "eng" / "engagement.yml")
    tables, _ = load_inputs(engagement, ["maturity_survey", "partners", "candidates"])
    assert PHASE.check_inputs(tables, PHASE.defaults()) == []
    result = sa.review(tables, PHASE.defaults(), root=engagement.root)
    assert result.maturity["score"].notna().sum() == 1 and len(result.priority_list) == 1
    assert any("No answers for" in n for n in sa.Narrative(result).data_notes())
    for chart in (sa.chart_radar(result.maturity), sa.chart_disagreement(result.role_table, result.disagreement),
                  sa.chart_role_heatmap(result.role_table, result.maturity, result.questionnaire.names)):
        assert isinstance(chart, Figure)
