"""The statement bank of the alliance health survey: the kit's template loads and follows its rules,
and every rule stops a broken copy with a sentence naming the file, the place and the fix."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from alliancekit.errors import InputError
from alliancekit.relationship_health.bank import (BANK_FILE, BANK_TEMPLATE, MIN_STATEMENTS, SIDES, StatementBank,
                                                  load_bank)

DIMENSIONS = ["strategic_fit", "mutual_value", "trust", "communication", "joint_planning", "conflict_resolution",
              "executive_sponsorship", "governance", "field_engagement", "operations"]
FUNCTIONS = ["sales", "presales", "marketing", "alliances", "delivery", "support", "executive", "other"]


@pytest.fixture(scope="module")
def bank() -> StatementBank:
    return load_bank(BANK_TEMPLATE)


# ----------------------------------------------------------------------------------------------
# The kit's template
# ----------------------------------------------------------------------------------------------

def test_template_has_the_ten_dimensions_each_saying_why_it_matters(bank):
    assert bank.dimension_ids() == DIMENSIONS
    for dimension in bank.dimensions:
        assert 2 <= len(dimension.statements) <= 4, dimension.id
        assert dimension.why.endswith(".") and dimension.why.count(". ") == 0, dimension.id  # one sentence
        assert len(dimension.name) <= 28, dimension.id  # labels a chart


def test_statement_ids_are_unique_and_every_pair_is_worded_for_both_sides(bank):
    ids = bank.statement_ids()
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[A-Z]{2}[0-9]", sid) for sid in ids)
    for sid in ids:
        statement = bank.statement(sid)
        assert "{client}" not in statement.us and "{partner}" not in statement.partner, sid
        assert statement.us != statement.partner, sid
        # mirrored: the same sentence with the other company's name
        assert statement.us.replace("{partner}", "X") == statement.partner.replace("{client}", "X"), sid


def test_functions_scale_and_the_mind_share_dimension(bank):
    assert bank.functions == FUNCTIONS
    assert bank.field_functions == ["sales", "presales", "support"]
    assert sorted(bank.scale) == [1, 2, 3, 4, 5]
    assert bank.scale[1] == "Strongly disagree" and bank.scale[5] == "Strongly agree"
    assert bank.mind_share_dimension.id == "field_engagement"
    assert [d.id for d in bank.dimensions if d.mind_share] == ["field_engagement"]
    assert (bank.wording("FE1", "partner", client="Northwind")
            == "Our sellers know what Northwind offers and when to bring it into a deal.")


def test_helpers_find_dimension_and_fill_names(bank):
    assert bank.dimension_of("CR2").id == "conflict_resolution"
    assert bank.dimension_of("JP1").name == "Joint planning"
    names = {"client": "Northwind", "partner": "Acme Cloud"}
    assert bank.wording("TR1", "us", **names) == "Acme Cloud does what it says it will do."
    assert bank.wording("TR1", "partner", **names) == "Northwind does what it says it will do."
    assert bank.wording("TR1", "us") == "The partner does what it says it will do."
    assert (bank.wording("TR2", "partner")
            == "I am comfortable sharing customer and pipeline information with the client.")
    with pytest.raises(KeyError, match="did you mean 'CR3'"):
        bank.dimension_of("CR9")
    with pytest.raises(ValueError, match="side must be one of us, partner"):
        bank.wording("TR1", "them")
    assert SIDES == ("us", "partner")


# ----------------------------------------------------------------------------------------------
# Broken copies
# ----------------------------------------------------------------------------------------------

@pytest.fixture
def copy(tmp_path):
    """The template copied to ``tmp_path``, with helpers to edit it as data or as text."""
    target = tmp_path / BANK_FILE
    shutil.copyfile(BANK_TEMPLATE, target)

    class Copy:
        path = target

        def data(self):
            return yaml.safe_load(target.read_text(encoding="utf-8"))

        def write(self, data):
            target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

        def problems(self) -> str:
            with pytest.raises(InputError) as caught:
                load_bank(target)
            return str(caught.value)

    return Copy()


def test_statement_ids_must_be_unique_across_the_bank(copy):
    lines = copy.path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "- id: ES2")
    lines[at] = lines[at].replace("ES2", "TR2")
    copy.path.write_text("".join(lines), encoding="utf-8")
    text = copy.problems()
    assert (f"statement_bank.yml: dimensions[7].statements[2].id (line {at + 1}): 'TR2' is also the id of "
            "dimensions[3].statements[2]; statement ids must be unique across the bank") in text


def test_statement_ids_are_upper_case_letters_and_a_number(copy):
    data = copy.data()
    data["dimensions"][0]["statements"][0]["id"] = "sf1"
    copy.write(data)
    assert ("dimensions[1].statements[1].id (line" in copy.problems()
            and "'sf1' is not a valid statement id; use upper-case letters followed by a number, e.g. CR1"
            in copy.problems())


def test_dimension_ids_are_unique_and_snake_case(copy):
    data = copy.data()
    data["dimensions"][4]["id"] = "trust"
    data["dimensions"][0]["id"] = "Strategic Fit"
    copy.write(data)
    text = copy.problems()
    assert "dimensions[5].id" in text
    assert "'trust' is also the id of dimensions[3]; dimension ids must be unique" in text
    assert "dimensions[1].id" in text and "'Strategic Fit' is not a valid id" in text


def test_every_statement_needs_both_wordings(copy):
    data = copy.data()
    del data["dimensions"][5]["statements"][1]["partner"]
    data["dimensions"][2]["statements"][0]["us"] = "  "
    copy.write(data)
    text = copy.problems()
    assert "dimensions[6].statements[2].partner (line" in text and "missing; add it" in text
    assert "dimensions[3].statements[1].us (line" in text and "is empty; write the text" in text


def test_each_side_names_only_the_other_company(copy):
    data = copy.data()
    statements = data["dimensions"][2]["statements"]
    statements[0]["us"], statements[0]["partner"] = statements[0]["partner"], statements[0]["us"]
    statements[1]["us"] = statements[1]["us"].replace("{partner}", "{partnr}")
    copy.write(data)
    text = copy.problems()
    assert ("dimensions[3].statements[1].us (line" in text and "'{client}' in the us wording: the client's people rate "
            "the partner; write '{partner}' for the partner and 'we'/'our' for their own company") in text
    assert "dimensions[3].statements[1].partner (line" in text and "'{partner}' in the partner wording" in text
    assert ("dimensions[3].statements[2].us (line" in text
            and "'{partnr}' is not a placeholder; did you mean 'partner'?" in text)


def test_a_dimension_needs_at_least_two_statements(copy):
    data = copy.data()
    data["dimensions"][1]["statements"] = data["dimensions"][1]["statements"][:MIN_STATEMENTS - 1]
    copy.write(data)
    assert ("dimensions[2].statements (line" in copy.problems()
            and "1 statement; a dimension needs at least 2" in copy.problems())


def test_exactly_one_dimension_measures_mind_share(copy):
    data = copy.data()
    data["dimensions"][8]["mind_share"] = False
    copy.write(data)
    assert "dimensions (line" in copy.problems() and "no dimension is marked 'mind_share: true'" in copy.problems()
    data["dimensions"][8]["mind_share"] = True
    data["dimensions"][9]["mind_share"] = True
    copy.write(data)
    assert ("dimensions[10].mind_share (line" in copy.problems()
            and "dimensions[9] is already the mind-share dimension; exactly one may be marked" in copy.problems())


def test_field_functions_must_be_among_the_functions(copy):
    data = copy.data()
    data["field_functions"] = ["sales", "pre_sales", "support"]
    data["functions"].append("sales")
    copy.write(data)
    text = copy.problems()
    assert "field_functions[2] (line" in text
    assert "'pre_sales' is not one of the functions; did you mean 'presales'?" in text
    assert "functions[9] (line" in text and "'sales' is listed twice" in text


def test_scale_has_exactly_five_labels(copy):
    data = copy.data()
    del data["scale"][3]
    copy.write(data)
    assert "scale (line" in copy.problems() and "scale must be exactly the levels 1 to 5 (missing 3)" in copy.problems()


def test_unknown_key_names_the_nearest_and_duplicate_key_is_caught(copy):
    data = copy.data()
    data["dimensions"][3]["wy"] = data["dimensions"][3].pop("why")
    copy.write(data)
    text = copy.problems()
    assert "dimensions[4].wy" in text and "unknown key 'wy'; did you mean 'why'?" in text
    assert "dimensions[4].why" in text and "missing; add it" in text

    copy.path.write_text(copy.path.read_text(encoding="utf-8") + "title: Twice\n", encoding="utf-8")
    assert "'title' appears twice" in copy.problems()


def test_every_problem_is_listed_at_once(copy):
    data = copy.data()
    data["dimensions"][0]["statements"][1]["id"] = "SF1"
    data["dimensions"][1]["statements"] = data["dimensions"][1]["statements"][:1]
    data["field_functions"].append("field")
    copy.write(data)
    text = copy.problems()
    assert text.startswith("3 problems found in the inputs:")
    assert all(line.lstrip(" -").startswith("statement_bank.yml: ") for line in text.splitlines()[1:])


def test_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match="statement_bank.yml: not found"):
        load_bank(tmp_path / BANK_FILE)
