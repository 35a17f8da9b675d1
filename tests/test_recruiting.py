"""Recruiting kit (issue 20): planted hiring scores give the best candidate first, the split candidate
flagged with the competency the panel disagrees on, and the gaps a hire would close; bad rows are named
by row and column; the interviewers' workbook and the interview guide page are usable and safe."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from alliancekit.alliance_staff.recruiting import (SPLIT_POINTS, hiring_problems, interview_guide_html,
                                                   interviewer_workbook, normalise_hiring_scores, shortlist)
from alliancekit.errors import InputError
from alliancekit.alliance_staff.recruiting_bank import (COMPETENCIES_FILE, INTERVIEW_GUIDE_FILE, InterviewGuide,
                                                    load_competencies, load_interview_guide)
from alliancekit.org_design.templates import TEMPLATE_DIR, load_templates

AM, PSA = "alliance_manager", "partner_solutions_architect"


@pytest.fixture(scope="module")
def library():
    templates = load_templates()
    model = load_competencies(TEMPLATE_DIR / COMPETENCIES_FILE)
    guide = load_interview_guide(TEMPLATE_DIR / INTERVIEW_GUIDE_FILE, model, templates.role_ids)
    titles = {r["id"]: r["title"] for r in templates.roles}
    return model, guide, titles


def _rows(candidate: str, position: str, panel: dict[str, dict[str, int]]) -> list[dict]:
    return [{"candidate_id": candidate, "position": position, "interviewer": who, "competency": cid, "score": score,
             "notes": ""} for who, scores in panel.items() for cid, score in scores.items()]


def planted_scores() -> pd.DataFrame:
    """Alliance Manager (required: relationship_building 4 w3, influencing 4 w3, joint_planning 4 w2,
    negotiation 3 w2, measurement 3 w1, communication 3 w1), three interviewers:

    - AM-01, the best: 5 nearly everywhere, every level met (weighted about 4.9);
    - AM-02, split: 4 everywhere but negotiation, where Ana gives 5, Ben 2 and Chen 4 (spread 3);
    - AM-03, a critical gap: relationship building 2 against 4, 5 everywhere else: a higher weighted
      score (4.5) than AM-02 (about 3.9), yet ranked below it.

    Partner Solutions Architect (joint_solution_design 5 w3, communication 4 w2, relationship_building 3 w2,
    influencing 3 w2, joint_planning 3 w1), two interviewers, given by title and competency names:
    PSA-01 meets everything (and is also scored on negotiation, which the position does not require);
    PSA-02 is short of communication (3 of 4).
    """
    am_all = ("relationship_building", "influencing_without_authority", "joint_planning", "negotiation",
              "measurement", "communication")
    rows = []
    best = {c: 5 for c in am_all}
    rows += _rows("AM-01", AM, {"Ana": best, "Ben": {**best, "measurement": 4, "negotiation": 4},
                                "Chen": best})
    solid = {c: 4 for c in am_all}
    rows += _rows("AM-02", AM, {"Ana": {**solid, "negotiation": 5}, "Ben": {**solid, "negotiation": 2},
                                "Chen": solid})
    gap = {**{c: 5 for c in am_all}, "relationship_building": 2}
    rows += _rows("AM-03", AM, {"Ana": gap, "Ben": gap, "Chen": gap})
    psa = {"Joint solution design (Build-With)": 5, "communication": 4, "Relationship building across both "
           "organisations": 4, "influencing_without_authority": 3, "joint_planning": 4}
    rows += _rows("PSA-01", "partner solutions architect",
                  {"Dee": {**psa, "negotiation": 4}, "Eli": psa})
    rows += _rows("PSA-02", "Partner Solutions Architect", {"Dee": {**psa, "communication": 3},
                                                              "Eli": {**psa, "communication": 3}})
    frame = pd.DataFrame(rows)
    frame["score"] = frame["score"].astype("Int64")  # as validation types a count column
    return frame


@pytest.fixture(scope="module")
def result(library):
    model, guide, titles = library
    return shortlist(planted_scores(), guide, model, titles)


# ----------------------------------------------------------------------------------------------
# The shortlist
# ----------------------------------------------------------------------------------------------

def test_best_candidate_first_and_a_critical_gap_ranks_below_a_lower_average(result):
    am = result.ranking[result.ranking["position"] == AM].set_index("candidate_id")
    assert list(result.ranking["position"].unique()) == [AM, PSA]  # the guide's order
    assert am["rank"].to_dict() == {"AM-01": 1, "AM-02": 2, "AM-03": 3}
    assert am.loc["AM-01", "competencies_met"] == am.loc["AM-01", "competencies_required"] == 6
    assert am.loc["AM-01", "gaps"] == "" and am.loc["AM-01", "interviewers"] == 3
    # AM-03 averages higher than AM-02 but falls short of a critical level.
    assert am.loc["AM-03", "weighted_score"] > am.loc["AM-02", "weighted_score"]
    assert am.loc["AM-03", "critical_gaps"] == 1 and am.loc["AM-03", "meets"] == "5 of 6"
    assert am.loc["AM-03", "gaps"] == "relationship building across both organisations 2 of 4"
    assert am.loc["AM-01", "weighted_score"] == pytest.approx((5 * 9 + 14 / 3 * 3) / 12, abs=0.01)


def test_split_candidate_flagged_with_the_competency(result):
    ranking = result.ranking.set_index("candidate_id")
    assert ranking["split"].to_dict() == {"AM-01": False, "AM-02": True, "AM-03": False,
                                          "PSA-01": False, "PSA-02": False}
    assert ranking.loc["AM-02", "split_competencies"] == "negotiation and conflict resolution (2 to 5)"
    row = result.agreement[(result.agreement["candidate_id"] == "AM-02")
                           & (result.agreement["competency"] == "negotiation")].iloc[0]
    assert (row["min"], row["max"], row["spread"], row["interviewers"], row["split"]) == (2, 5, 3, 3, True)
    others = result.agreement[result.agreement["candidate_id"] != "AM-02"]
    assert (others["spread"] < SPLIT_POINTS).all()
    # AM-01's one-point difference on measurement is not a split.
    am01 = result.agreement[(result.agreement["candidate_id"] == "AM-01")
                            & (result.agreement["competency"] == "measurement")].iloc[0]
    assert am01["spread"] == 1 and not am01["split"]


def test_gaps_and_competencies_not_required(result):
    psa = result.ranking[result.ranking["position"] == PSA].set_index("candidate_id")
    assert psa["rank"].to_dict() == {"PSA-01": 1, "PSA-02": 2}
    assert psa.loc["PSA-02", "gaps"] == "communication 3 of 4" and psa.loc["PSA-02", "critical_gaps"] == 0
    assert psa.loc["PSA-01", "not_required"] == "negotiation and conflict resolution 4 (not required for this position)"
    assert psa.loc["PSA-01", "competencies_met"] == 5 and psa.loc["PSA-01", "gaps"] == ""
    levels = result.levels.set_index(["candidate_id", "competency"])
    assert levels.loc[("PSA-02", "communication"), "shortfall"] == 1
    assert not levels.loc[("PSA-02", "communication"), "met"]
    assert pd.isna(levels.loc[("PSA-01", "negotiation"), "required"])


def test_sentences_recommend_name_the_split_and_the_development_plan(result):
    text = result.sentences()
    assert text[0].startswith("Alliance Manager (3 candidates): AM-01 is recommended (weighted score 4.9 of 5)")
    assert "meets all 6 required levels" in text[0]
    assert any(s.startswith("AM-03 has a higher weighted score") and "relationship building across both "
               "organisations 2 of 4" in s for s in text)
    split = [s for s in text if "disagrees" in s]
    assert split == ["The panel disagrees on AM-02 (Alliance Manager) about negotiation and conflict resolution "
                     "(2 to 5): hold a second interview on negotiation and conflict resolution before deciding."]
    assert "AM-01 meets every required level of the Alliance Manager position: no gap to close on day one." in text
    assert any(s.startswith("Partner Solutions Architect (2 candidates): PSA-01 is recommended") for s in text)


def test_development_plan_of_a_top_candidate_with_gaps(library):
    model, guide, titles = library
    scores = planted_scores()
    scores = scores[scores["candidate_id"] == "PSA-02"]
    text = shortlist(scores, guide, model, titles).sentences()
    assert "PSA-02 is the only candidate" in text[0] and "meets 4 of 5 required levels, every critical one" in text[0]
    assert text[-1] == "If PSA-02 is hired, the development plan should close: communication 3 of 4."


def test_a_competency_nobody_scored_is_a_gap(library):
    model, guide, titles = library
    scores = planted_scores()
    scores = scores[(scores["candidate_id"] == "AM-01") & (scores["competency"] != "influencing_without_authority")]
    row = shortlist(scores, guide, model, titles).ranking.iloc[0]
    assert row["critical_gaps"] == 1
    assert row["gaps"] == "influencing without authority through virtual teams not assessed (needs 4)"


def test_no_scores_no_shortlist(library):
    model, guide, titles = library
    empty = planted_scores().iloc[0:0]
    result = shortlist(empty, guide, model, titles)
    assert result.ranking.empty and result.agreement.empty and result.sentences() == []


def test_normalise_maps_titles_and_names_to_ids(library):
    model, guide, titles = library
    clean = normalise_hiring_scores(planted_scores(), guide, model, titles)
    assert set(clean["position"]) == {AM, PSA}
    assert set(clean["competency"]) <= set(model.ids)
    assert clean["score"].dtype == "int64"
    again = normalise_hiring_scores(clean, guide, model, titles)
    pd.testing.assert_frame_equal(again, clean)


# ----------------------------------------------------------------------------------------------
# Bad rows
# ----------------------------------------------------------------------------------------------

def test_hiring_problems_name_row_column_and_nearest_name(library):
    model, guide, titles = library
    scores = pd.DataFrame([
        {"candidate_id": "C1", "position": AM, "interviewer": "Ana", "competency": "negotiation", "score": 4},
        {"candidate_id": "C1", "position": AM, "interviewer": "Ana", "competency": "measurement", "score": 4.5},
        {"candidate_id": "C1", "position": AM, "interviewer": "Ana", "competency": "communication", "score": 7},
        {"candidate_id": "C1", "position": AM, "interviewer": "Ana", "competency": "joint_planning", "score": "x"},
        {"candidate_id": "C1", "position": AM, "interviewer": "Ana", "competency": "negotation", "score": 3},
        {"candidate_id": "C1", "position": "Alliance Manger", "interviewer": "Ana", "competency": "Negotiation and "
         "conflict resolution", "score": 3},
        {"candidate_id": "C1", "position": "chief_partner_officer", "interviewer": "Ana",
         "competency": "NEGOTIATION", "score": "5"},
    ])
    problems = hiring_problems(scores, guide, model, titles, "hiring_scores.csv")
    found = {(p.column, p.row): p.message for p in problems}
    assert set(found) == {("score", 3), ("score", 4), ("score", 5), ("competency", 6), ("position", 7),
                          ("position", 8)}
    assert found[("score", 3)] == "'4.5' is not a whole number from 1 to 5"
    assert found[("score", 4)] == "'7' is not a whole number from 1 to 5"
    assert "did you mean 'negotiation'?" in found[("competency", 6)]
    assert "did you mean 'Alliance Manager'?" in found[("position", 7)]
    assert "not a position of the engagement" in found[("position", 8)]
    assert all(p.file == "hiring_scores.csv" for p in problems)
    with pytest.raises(InputError, match="row 6"):
        normalise_hiring_scores(scores, guide, model, titles)


def test_hiring_problems_missing_column_and_many_rows(library):
    model, guide, titles = library
    problems = hiring_problems(pd.DataFrame({"candidate_id": ["C1"]}), guide, model, titles, "hiring_scores.csv")
    assert {p.column for p in problems} == {"position", "interviewer", "competency", "score"}
    many = pd.DataFrame({"candidate_id": ["C1"] * 8, "position": [AM] * 8, "interviewer": ["Ana"] * 8,
                         "competency": ["negotiation"] * 8, "score": [0] * 8})
    problems = hiring_problems(many, guide, model, titles, "hiring_scores.csv")
    assert [p.row for p in problems] == [2, 3, 4, 5, 6, None]
    assert problems[-1].message.startswith("... and 3 more rows")


def test_clean_planted_scores_have_no_problems(library):
    model, guide, titles = library
    assert hiring_problems(planted_scores(), guide, model, titles, "hiring_scores.csv") == []


# ----------------------------------------------------------------------------------------------
# The interviewers' workbook
# ----------------------------------------------------------------------------------------------

def _score_cells(sheet) -> list[str]:
    header = next(r for r in range(1, 20) if sheet.cell(r, 8).value == "Score (1-5)")
    return [sheet.cell(r, 8).coordinate for r in range(header + 1, sheet.max_row + 1)
            if sheet.cell(r, 3).value and sheet.cell(r, 4).value and not str(sheet.cell(r, 3).value).startswith("Strong")]


def test_workbook_one_sheet_per_interviewer_with_validated_scores(library):
    model, guide, titles = library
    data = interviewer_workbook(AM, guide, model, titles, ["Ana Lopez", "Ben", "Chen"])
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["README", "Ana Lopez", "Ben", "Chen"]
    role = guide.role(AM)
    for name in book.sheetnames[1:]:
        sheet = book[name]
        assert sheet["B3"].value == name and sheet.freeze_panes == "B9"
        cells = _score_cells(sheet)
        assert len(cells) == len(role.competencies)
        [validation] = sheet.data_validations.dataValidation
        assert (validation.type, validation.operator, validation.formula1, validation.formula2) == \
               ("whole", "between", "1", "5")
        assert set(str(validation.sqref).split()) == set(cells)
        # The anchors in cells, the required level shaded, the questions under their competency.
        first = int(cells[0][1:])
        relationship = model.competency("relationship_building")
        assert [sheet.cell(first, c).value for c in range(3, 8)] == [relationship.anchors[k] for k in range(1, 6)]
        assert sheet.cell(first, 2).value.startswith("4 Strong")
        asked = [sheet.cell(r, 1).value for r in range(first + 1, int(cells[1][1:]))]
        assert [a.split(". ", 1)[1] for a in asked] == [q.question for q in role.questions_for("relationship_building")]
        assert sheet.cell(first, 1).alignment.wrap_text and sheet.column_dimensions["C"].width == 30
    readme = book["README"]
    assert "hiring_scores.csv" in " ".join(str(c.value) for row in readme.iter_rows() for c in row if c.value)


def test_workbook_default_interviewers_and_identical_bytes(library):
    model, guide, titles = library
    first = interviewer_workbook(PSA, guide, model, titles)
    assert first == interviewer_workbook(PSA, guide, model, titles)
    book = load_workbook(io.BytesIO(first))
    assert book.sheetnames == ["README", "Interviewer 1", "Interviewer 2", "Interviewer 3"]
    assert book["Interviewer 1"]["B3"].value is None
    named = interviewer_workbook(PSA, guide, model, titles, ["Dee", "Eli"])
    assert named == interviewer_workbook(PSA, guide, model, titles, ["Dee", "Eli"])


# ----------------------------------------------------------------------------------------------
# The interview guide page
# ----------------------------------------------------------------------------------------------

def test_interview_guide_html_has_everything_and_escapes_text(library):
    model, guide, titles = library
    data = guide.model_dump()
    data["roles"][AM]["questions"][0]["question"] = "Tell me about <script>alert('x')</script> a partner."
    hostile = InterviewGuide.model_validate(data)
    page = interview_guide_html(AM, hostile, model, titles, "<b>Acme</b> & Co")
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "<b>Acme</b>" not in page and "&lt;b&gt;Acme&lt;/b&gt; &amp; Co" in page
    assert page.startswith("<!DOCTYPE html>") and "--brand: #0B3D91" in page and ".kit-table" in page
    role = guide.role(AM)
    for question in role.questions[1:]:
        assert question.strong.replace("'", "&#39;").replace('"', "&#34;") in page
    assert role.work_sample.title in page and page.count('class="ig-bar"') == len(role.competencies)
    assert "Alliance Manager" in page


def test_competencies_nobody_scored_are_asked_for_not_planned(library):
    model, guide, titles = library
    scores = planted_scores()
    scores = scores[(scores["candidate_id"] == "AM-03") & (scores["competency"] != "communication")]
    text = shortlist(scores, guide, model, titles).sentences()
    assert text[0].startswith("Alliance Manager (1 candidate): AM-03, the only candidate, falls short of a critical level")
    assert text[-2] == ("If AM-03 is hired, the development plan should close: relationship building across both "
                        "organisations 2 of 4.")
    assert text[-1] == "Nobody scored AM-03 on communication: score it before deciding."
