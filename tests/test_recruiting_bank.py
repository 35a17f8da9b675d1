"""The recruiting bank: the kit's competency model and interview guide load and follow their rules,
and every rule stops a broken copy with a sentence naming the file, the place and the fix."""

from __future__ import annotations

import shutil

import pytest
import yaml

from alliancekit.errors import InputError
from alliancekit.alliance_staff.recruiting_bank import (COMPETENCIES_FILE, INTERVIEW_GUIDE_FILE, LEVELS, MAX_QUESTIONS,
                                                    MIN_QUESTIONS, CompetencyModel, InterviewGuide,
                                                    load_competencies, load_interview_guide)
from alliancekit.org_design.templates import TEMPLATE_DIR, load_templates


@pytest.fixture(scope="module")
def role_ids() -> list[str]:
    return load_templates().role_ids


@pytest.fixture(scope="module")
def model() -> CompetencyModel:
    return load_competencies(TEMPLATE_DIR / COMPETENCIES_FILE)


@pytest.fixture(scope="module")
def guide(model, role_ids) -> InterviewGuide:
    return load_interview_guide(TEMPLATE_DIR / INTERVIEW_GUIDE_FILE, model, role_ids)


# ----------------------------------------------------------------------------------------------
# The kit's templates
# ----------------------------------------------------------------------------------------------

def test_competency_model_has_seven_or_eight_competencies_anchored_one_to_five(model):
    assert 7 <= len(model.competencies) <= 8
    assert len(set(model.ids)) == len(model.ids)
    assert sorted(model.levels) == list(LEVELS)
    for competency in model.competencies:
        assert sorted(competency.anchors) == list(LEVELS), competency.id
        assert len(set(competency.anchors.values())) == 5, competency.id
    assert model.competency("negotiation").name == "Negotiation and conflict resolution"


def test_every_role_of_the_library_has_a_guide_within_the_rules(model, guide, role_ids):
    assert list(guide.roles) == role_ids
    for role_id, role in guide.roles.items():
        assert 4 <= len(role.competencies) <= 6, role_id
        assert set(role.competencies) <= set(model.ids), role_id
        assert all(1 <= r.required <= 5 and 1 <= r.weight <= 3 for r in role.competencies.values()), role_id
        assert MIN_QUESTIONS <= len(role.questions) <= MAX_QUESTIONS, role_id
        assert {q.competency for q in role.questions} == set(role.competencies), role_id
        assert set(role.work_sample.competencies) <= set(role.competencies), role_id
        assert all(q.question.startswith(("Tell me", "Walk me")) for q in role.questions), role_id


def test_levels_follow_the_roles(guide):
    director = guide.role("alliance_director").competencies
    assert director["partner_strategy"].required >= 4 and director["negotiation"].required >= 4
    analyst = guide.role("alliance_operations_analyst").competencies
    assert analyst["measurement"].required == max(r.required for r in analyst.values())
    assert guide.role("partner_solutions_architect").competencies["joint_solution_design"].required == 5
    assert "quarterly business review" in guide.role("alliance_manager").work_sample.title.lower()


def test_no_question_is_copied_between_roles(guide):
    questions = [q.question for role in guide.roles.values() for q in role.questions]
    assert len(questions) == len(set(questions))


# ----------------------------------------------------------------------------------------------
# Broken copies
# ----------------------------------------------------------------------------------------------

@pytest.fixture
def copy(tmp_path):
    """The two templates copied to ``tmp_path``, with helpers to edit them as data."""
    for name in (COMPETENCIES_FILE, INTERVIEW_GUIDE_FILE):
        shutil.copyfile(TEMPLATE_DIR / name, tmp_path / name)

    class Copy:
        folder = tmp_path

        def data(self, name):
            return yaml.safe_load((tmp_path / name).read_text(encoding="utf-8"))

        def write(self, name, data):
            (tmp_path / name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    return Copy()


def problems_of(call) -> str:
    with pytest.raises(InputError) as caught:
        call()
    return str(caught.value)


def competency_problems(copy) -> str:
    return problems_of(lambda: load_competencies(copy.folder / COMPETENCIES_FILE))


def guide_problems(copy, model, role_ids) -> str:
    return problems_of(lambda: load_interview_guide(copy.folder / INTERVIEW_GUIDE_FILE, model, role_ids))


def test_anchors_must_be_exactly_one_to_five(copy):
    data = copy.data(COMPETENCIES_FILE)
    del data["competencies"][1]["anchors"][5]
    data["competencies"][1]["anchors"][6] = "Walks on water."
    copy.write(COMPETENCIES_FILE, data)
    text = competency_problems(copy)
    assert "competencies.yml: competencies[2].anchors" in text
    assert "anchors must be exactly the levels 1 to 5 (missing 5; unexpected 6)" in text


def test_competency_ids_are_unique_and_snake_case(copy):
    data = copy.data(COMPETENCIES_FILE)
    data["competencies"][6]["id"] = data["competencies"][3]["id"]
    data["competencies"][0]["id"] = "Partner Strategy"
    copy.write(COMPETENCIES_FILE, data)
    text = competency_problems(copy)
    assert "competencies[7].id" in text and "is also the id of competencies[4]; ids must be unique" in text
    assert "'Partner Strategy' is not a valid id" in text


def test_unknown_key_in_the_model_names_the_nearest(copy):
    data = copy.data(COMPETENCIES_FILE)
    data["competencies"][0]["defintion"] = data["competencies"][0].pop("definition")
    copy.write(COMPETENCIES_FILE, data)
    text = competency_problems(copy)
    assert "competencies[1].defintion" in text and "unknown key 'defintion'; did you mean 'definition'?" in text
    assert "competencies[1].definition" in text and "missing" in text


def test_required_level_must_be_one_to_five(copy, model, role_ids):
    data = copy.data(INTERVIEW_GUIDE_FILE)
    data["alliance_director"]["competencies"]["negotiation"]["required"] = 6
    data["alliance_manager"]["competencies"]["negotiation"]["required"] = 0
    copy.write(INTERVIEW_GUIDE_FILE, data)
    text = guide_problems(copy, model, role_ids)
    assert "alliance_director.competencies.negotiation.required" in text and "6 is above the maximum 5" in text
    assert "alliance_manager.competencies.negotiation.required" in text and "0 is below the minimum 1" in text


@pytest.mark.parametrize("count", [MIN_QUESTIONS - 1, MAX_QUESTIONS + 1])
def test_a_role_needs_six_to_ten_questions(copy, model, role_ids, count):
    data = copy.data(INTERVIEW_GUIDE_FILE)
    questions = data["partner_enablement_lead"]["questions"]
    data["partner_enablement_lead"]["questions"] = (questions * 2)[:count]
    copy.write(INTERVIEW_GUIDE_FILE, data)
    text = guide_problems(copy, model, role_ids)
    assert "partner_enablement_lead.questions (line " in text
    assert f"{count} questions; a role needs {MIN_QUESTIONS} to {MAX_QUESTIONS}" in text


def test_question_competency_misspelt_names_place_and_nearest(copy, model, role_ids):
    lines = (copy.folder / INTERVIEW_GUIDE_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("alliance_manager:"))
    at = next(i for i in range(start, len(lines)) if lines[i].strip() == "- competency: negotiation")
    lines[at] = lines[at].replace("negotiation", "negotation")
    (copy.folder / INTERVIEW_GUIDE_FILE).write_text("".join(lines), encoding="utf-8")
    position = [q["competency"] for q in copy.data(INTERVIEW_GUIDE_FILE)["alliance_manager"]["questions"]].index(
        "negotation") + 1
    text = guide_problems(copy, model, role_ids)
    assert (f"interview_guide.yml: alliance_manager.questions[{position}].competency (line {at + 1}): "
            "'negotation' is not in the competency model; did you mean 'negotiation'?") in text


def test_question_must_probe_one_of_the_roles_competencies(copy, model, role_ids):
    data = copy.data(INTERVIEW_GUIDE_FILE)
    data["alliance_operations_analyst"]["questions"][0]["competency"] = "joint_solution_design"
    data["alliance_operations_analyst"]["work_sample"]["competencies"].append("partner_strategy")
    copy.write(INTERVIEW_GUIDE_FILE, data)
    text = guide_problems(copy, model, role_ids)
    assert ("alliance_operations_analyst.questions[1].competency (line" in text
            and "'joint_solution_design' is not one of alliance_operations_analyst's competencies" in text)
    assert "alliance_operations_analyst.work_sample.competencies[4]" in text and "'partner_strategy'" in text


def test_role_competency_must_be_in_the_model_and_probed(copy, model, role_ids):
    data = copy.data(INTERVIEW_GUIDE_FILE)
    role = data["partner_marketing_manager"]
    role["competencies"]["negotiaton"] = {"required": 3, "weight": 1}
    role["questions"] = [q for q in role["questions"] if q["competency"] != "relationship_building"]
    copy.write(INTERVIEW_GUIDE_FILE, data)
    text = guide_problems(copy, model, role_ids)
    assert ("partner_marketing_manager.competencies.negotiaton" in text
            and "not in the competency model; did you mean 'negotiation'?" in text)
    assert ("partner_marketing_manager.competencies.relationship_building" in text
            and "no question or work sample probes it" in text)


def test_a_role_needs_four_to_six_competencies(copy, model, role_ids):
    data = copy.data(INTERVIEW_GUIDE_FILE)
    data["alliance_director"]["competencies"]["joint_planning"] = {"required": 3, "weight": 1}
    copy.write(INTERVIEW_GUIDE_FILE, data)
    text = guide_problems(copy, model, role_ids)
    assert "alliance_director.competencies (line" in text
    assert "7 competencies; a role needs 4 to 6" in text


def test_every_role_of_roles_yml_needs_a_guide_and_no_other(copy, model, role_ids):
    data = copy.data(INTERVIEW_GUIDE_FILE)
    data["partner_enablment_lead"] = data.pop("partner_enablement_lead")
    copy.write(INTERVIEW_GUIDE_FILE, data)
    text = guide_problems(copy, model, role_ids)
    assert "no guide for role 'partner_enablement_lead' of roles.yml" in text
    assert "'partner_enablment_lead' is not a role of roles.yml; did you mean 'partner_enablement_lead'?" in text


def test_unknown_key_and_unquoted_colon_in_the_guide(copy, model, role_ids):
    data = copy.data(INTERVIEW_GUIDE_FILE)
    data["alliance_manager"]["competencies"]["negotiation"]["wieght"] = 2
    data["alliance_manager"]["questions"][0]["strong"] = {"Maps the partner": "down to the field."}
    copy.write(INTERVIEW_GUIDE_FILE, data)
    text = guide_problems(copy, model, role_ids)
    assert "unknown key 'wieght'; did you mean 'weight'?" in text
    assert "alliance_manager.questions[1].strong" in text and "quote a text that contains ': '" in text


def test_every_problem_is_listed_at_once(copy, model, role_ids):
    data = copy.data(INTERVIEW_GUIDE_FILE)
    data["alliance_director"]["competencies"]["measurement"]["weight"] = 4
    data["alliance_manager"]["questions"][2]["competency"] = "influence"
    del data["partner_solutions_architect"]["work_sample"]["title"]
    del data["alliance_operations_analyst"]
    copy.write(INTERVIEW_GUIDE_FILE, data)
    with pytest.raises(InputError) as caught:
        load_interview_guide(copy.folder / INTERVIEW_GUIDE_FILE, model, role_ids)
    assert len(caught.value.problems) == 4
    assert all(p.file == INTERVIEW_GUIDE_FILE for p in caught.value.problems)


def test_duplicate_key_and_invalid_yaml(copy, model, role_ids):
    path = copy.folder / INTERVIEW_GUIDE_FILE
    text = path.read_text(encoding="utf-8")
    once = "    measurement: {required: 5, weight: 3}\n"
    path.write_text(text.replace(once, once + once.replace("5", "4")), encoding="utf-8")
    assert "'measurement' appears twice" in guide_problems(copy, model, role_ids)
    path.write_text("alliance_director: [unclosed\n", encoding="utf-8")
    assert "interview_guide.yml: not valid YAML" in guide_problems(copy, model, role_ids)
