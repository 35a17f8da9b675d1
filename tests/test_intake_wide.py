"""Wide survey exports (Google Forms, Microsoft Forms) into the long maturity_survey: exact long
tables, exact problems (client's rows and headers), notes without respondent data. Small frames
built here; the questionnaire's ids are the kit's template's."""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd
import pytest

from alliancekit.errors import Problem
from alliancekit.intake.mapping import DataMapping
from alliancekit.intake.wide import nearest_header, wide_to_long
from alliancekit.paths import TEMPLATES
from alliancekit.schemas import pandera_schema
from alliancekit.strategy_assessment.templates import QUESTIONNAIRE_FILE, load_questionnaire

QUESTIONNAIRE, _ = load_questionnaire(TEMPLATES / QUESTIONNAIRE_FILE)
IDS = list(QUESTIONNAIRE.question_dimension)
STATEMENTS = {q: text for d in QUESTIONNAIRE.dimensions for q, text in d.questions}

GRID = "How mature is our alliance practice today?"
ROLE = "What is your role?"
STRATEGY, REVENUE, OBJECTIVES, SPONSOR = (f"{GRID} [{item}]" for item in
                                          ("Strategy", "Revenue targets", "Non-revenue objectives", "Sponsorship"))
SCALE = {"Strongly disagree": 1, "Disagree": 2, "Neutral": 3, "Agree": 4, "Strongly agree": 5, "Not applicable": None}
LABEL = "forms.xlsx"
FIRST_ROW = 5  # header on row 4 (a title block above it)
COLUMNS = ["respondent_id", "role", "question_id", "score", "source_row", "source_column"]


def mapping(**changes) -> DataMapping:
    """The engagement file's mapping of the Google Forms export below."""
    keys = dict(path="exports/forms.xlsx", layout="wide", header_row=4, respondent="row", role=ROLE,
                questions={"AS1": STRATEGY, "AS2": REVENUE, "AS3": OBJECTIVES, "GS1": SPONSOR}, scale=SCALE)
    return DataMapping(**{**keys, **changes})


def google_export(*answers: tuple, extra: dict | None = None) -> pd.DataFrame:
    """A Google Forms export as read: timestamp, e-mail, role, the grid's four items, a comment box.

    ``answers``: (email, role, strategy, revenue, objectives, sponsorship) per respondent.
    """
    columns = ["Email Address", ROLE, STRATEGY, REVENUE, OBJECTIVES, SPONSOR]
    frame = pd.DataFrame(list(answers), columns=columns, dtype=object)
    frame.insert(0, "Timestamp", [f"2025/03/0{i + 1} 10:00:00 AM GMT" if row[0] else None
                                  for i, row in enumerate(answers)])
    frame["Anything else?"] = None
    for header, values in (extra or {}).items():
        frame[header] = values
    return frame.astype(object).where(frame.notna(), None)


CLEAN = google_export(
    ("ceo@client.com", "CEO", "Strongly agree", "  agree ", "Not Applicable", "4"),
    ("cfo@client.com", "CFO", "STRONGLY   disagree", None, "neutral", "Disagree"),
    (None, None, None, None, None, None),  # a blank line in the sheet
    ("vp.sales@client.com", "Sales", "5", "4.0", "", " not applicable "),
)


def long_rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame[COLUMNS].itertuples(index=False)]


# ----------------------------------------------------------------------------------------------
# A clean export
# ----------------------------------------------------------------------------------------------

def test_clean_export_becomes_the_long_survey_with_the_clients_cells():
    long, problems, notes = wide_to_long(CLEAN, mapping(), IDS, LABEL, FIRST_ROW)
    assert problems == []
    assert list(long.columns) == COLUMNS
    assert long_rows(long) == [
        ("R001", "CEO", "AS1", "5", 5, STRATEGY), ("R001", "CEO", "AS2", "4", 5, REVENUE),
        ("R001", "CEO", "AS3", None, 5, OBJECTIVES), ("R001", "CEO", "GS1", "4", 5, SPONSOR),
        ("R002", "CFO", "AS1", "1", 6, STRATEGY),  # AS2 left empty: not answered, no row
        ("R002", "CFO", "AS3", "3", 6, OBJECTIVES), ("R002", "CFO", "GS1", "2", 6, SPONSOR),
        ("R003", "Sales", "AS1", "5", 8, STRATEGY), ("R003", "Sales", "AS2", "4", 8, REVENUE),
        ("R003", "Sales", "GS1", None, 8, SPONSOR),  # AS3 empty (no row); GS1 "not applicable": no score
    ]
    assert long["score"].map(type).isin([str, type(None)]).all()  # text or None, never NaN
    assert long["source_row"].dtype.kind == "i"
    assert notes == [
        "maturity_survey: 3 respondents x 4 questions read from a wide export (forms.xlsx); "
        "2 answers 'Not applicable' counted as no basis to judge; 2 answers left blank (no basis to judge); "
        "3 columns of the file not used (Timestamp, Email Address, Anything else?).",
        "forms.xlsx: 1 empty row skipped (no cell filled).",
    ]
    assert "@" not in " ".join(notes)
    pandera_schema("maturity_survey").validate(long)  # the kit's schema takes it as it is


def test_respondent_ids_are_padded_to_the_count_and_in_file_order():
    n = 1200
    frame = pd.DataFrame({ROLE: ["IT"] * n, STRATEGY: ["Agree"] * n}, dtype=object)
    long, problems, notes = wide_to_long(frame, mapping(questions={"AS1": STRATEGY}), IDS, "big.csv", 2)
    assert problems == []
    assert list(long["respondent_id"].iloc[[0, 8, 999, -1]]) == ["R0001", "R0009", "R1000", "R1200"]
    assert list(long["source_row"].iloc[[0, -1]]) == [2, n + 1]
    assert notes == ["maturity_survey: 1200 respondents x 1 question read from a wide export (big.csv)."]


def test_numbers_and_a_decimal_comma_are_taken_as_scores():
    frame = pd.DataFrame({ROLE: ["IT", "IT", "IT"], STRATEGY: ["3", "4,0", "2.0"]}, dtype=object)
    long, problems, _ = wide_to_long(frame, mapping(questions={"AS1": STRATEGY}, decimal=","), IDS, LABEL, 2)
    assert problems == []
    assert list(long["score"]) == ["3", "4", "2"]


def test_a_label_of_the_scale_wins_over_a_number():
    frame = pd.DataFrame({ROLE: ["IT", "IT"], STRATEGY: ["0", "3"]}, dtype=object)
    long, problems, notes = wide_to_long(frame, mapping(questions={"AS1": STRATEGY}, scale={"0": None}),
                                         IDS, LABEL, 2)
    assert problems == []
    assert list(long["score"]) == [None, "3"]
    assert "1 answer '0' counted as no basis to judge" in notes[0]


# ----------------------------------------------------------------------------------------------
# Problems, named as the consultant sees the client's file
# ----------------------------------------------------------------------------------------------

def test_unknown_labels_name_row_column_value_and_the_expected_labels():
    answers = [(f"e{i}@client.com", "Sales", "Somewhat agree" if i != 3 else "Agree", "Agree", "Agree", "7")
               for i in range(8)]
    long, problems, _ = wide_to_long(google_export(*answers), mapping(), IDS, LABEL, FIRST_ROW)
    expected = ("is not on the scale; expected one of the scale's labels (Strongly disagree, Disagree, Neutral, "
                "Agree, Strongly agree, Not applicable) or a score from 1 to 5. "
                "Add the label to the mapping's 'scale' if it is a valid answer")
    assert problems == [
        *(Problem(LABEL, f"answer 'Somewhat agree' {expected}", column=STRATEGY, row=r) for r in (5, 6, 7, 9, 10)),
        Problem(LABEL, "... and 2 more rows with the same problem", column=STRATEGY),
        *(Problem(LABEL, f"answer '7' {expected}", column=SPONSOR, row=r) for r in (5, 6, 7, 8, 9)),
        Problem(LABEL, "... and 3 more rows with the same problem", column=SPONSOR),
    ]
    assert long.loc[long["source_row"].eq(5), "score"].tolist() == ["Somewhat agree", "4", "4", "7"]  # never "no answer"


def test_without_a_scale_only_scores_are_expected():
    frame = pd.DataFrame({ROLE: ["IT"], STRATEGY: ["Agree"]}, dtype=object)
    _, problems, _ = wide_to_long(frame, mapping(questions={"AS1": STRATEGY}, scale={}), IDS, LABEL, 2)
    assert problems == [Problem(LABEL, "answer 'Agree' is not on the scale; expected a score from 1 to 5 (the mapping "
                                       "has no 'scale' for labels). Add the label to the mapping's 'scale' if it is a "
                                       "valid answer", column=STRATEGY, row=2)]


def test_mapping_errors_name_the_nearest_header_and_question():
    bad = mapping(role="what is your  ROLE?",
                  questions={"AS1": STRATEGY, "AS2": f"{GRID} [Revenue-targets]", "AS9": OBJECTIVES,
                             "AS5": "Anything else?", "Q1": "The company has a written alliance strategy",
                             "GS1": f"{GRID} [Sponsor ship]"})
    frame = google_export(("a@client.com", "CEO", "Agree", "Agree", "Agree", "Agree"),
                          extra={"The company has a written alliance strategy": ["Agree"]})
    long, problems, notes = wide_to_long(frame, bad, STATEMENTS, LABEL, FIRST_ROW)
    assert problems == [
        Problem(LABEL, f"role: no column headed 'what is your  ROLE?' in the file; the file has '{ROLE}', "
                       "which differs only in case or spacing (copy the header exactly)"),
        Problem(LABEL, f"questions.AS2: no column headed '{GRID} [Revenue-targets]' in the file; "
                       f"did you mean '{REVENUE}'? (it differs only in punctuation or spacing)"),
        Problem(LABEL, "questions: 'AS9' is not a question of the questionnaire; its column "
                       f"'{OBJECTIVES}' reads like AS3's statement: did you mean 'AS3'?"),
        Problem(LABEL, "questions: 'AS5' is not a question of the questionnaire; did you mean 'AS4'?"),
        Problem(LABEL, "questions: 'Q1' is not a question of the questionnaire; its column 'The company has a written "
                       "alliance strategy' reads like AS1's statement: did you mean 'AS1'?"),
        Problem(LABEL, f"questions.GS1: no column headed '{GRID} [Sponsor ship]' in the file; "
                       f"did you mean '{SPONSOR}'? (it differs only in punctuation or spacing)"),
    ]
    assert long_rows(long) == [("R001", None, "AS1", "4", 5, STRATEGY)]  # only what the mapping reads right
    assert notes[0].startswith("maturity_survey: 1 respondent x 1 question read")


def test_a_long_header_with_a_typo_is_still_found():
    header = ("Thinking about the last twelve months, how far do you agree that our company has a written alliance "
              "strategy that explains why we partner, which kinds of partners we need, what each partner type is "
              "expected to contribute and how success is measured? [Strategy]")
    typo = header.replace("how far do you agree", "do you agree").replace("is measured", "is overall measured")
    assert len(header) > 200 and not difflib.get_close_matches(typo, [header, "Timestamp"])  # difflib alone misses it
    assert nearest_header(typo, ["Timestamp", header, ROLE], ["Timestamp", header]) == f"did you mean '{header}'?"
    statement = STATEMENTS["AS1"]  # the mapping names the statement; the grid header holds it
    grid = [f"How far do you agree with each statement? [{STATEMENTS[q]}]" for q in ("AS1", "AS2")]
    assert nearest_header(statement, grid) == f"did you mean '{grid[0]}'?"
    assert nearest_header("What is your role in the company?", ["ID", "Role", "Start time"]) == (
        "valid: ID, Role, Start time")  # a short header inside a long one is chance, not a match
    assert nearest_header("Your role", ["ID", "What is your role?"]) == "did you mean 'What is your role?'?"
    assert nearest_header("Zzz", ["Timestamp", "Email Address"], ["Timestamp", "Email Address"]) == (
        "valid: Email Address, Timestamp")


def test_missing_roles_are_problems_of_the_role_column():
    frame = google_export(("a@client.com", "CEO", "Agree", "Agree", "Agree", "Agree"),
                          ("b@client.com", None, "Agree", "Agree", "Agree", "Agree"))
    _, problems, _ = wide_to_long(frame, mapping(), IDS, LABEL, FIRST_ROW)
    assert problems == [Problem(LABEL, "no role given (expected the respondent's role, e.g. CEO)", column=ROLE, row=6)]


def test_a_named_respondent_column_duplicates_and_gaps_without_naming_anyone():
    frame = google_export(("ann@client.com", "CEO", "Agree", "Agree", "Agree", "Agree"),
                          ("bob@client.com", "CFO", "Agree", "Agree", "Agree", "Agree"),
                          ("ann@client.com", "CEO", "Neutral", "Agree", "Agree", "Agree"),
                          (None, "IT", "Agree", "Agree", "Agree", "Agree"))
    frame.loc[3, "Timestamp"] = "2025/03/04 10:00:00 AM GMT"
    long, problems, notes = wide_to_long(frame, mapping(respondent="Email Address"), IDS, LABEL, FIRST_ROW)
    assert problems == [
        Problem(LABEL, "no respondent given (expected a value in every row)", column="Email Address", row=8),
        Problem(LABEL, "the same respondent as row 5 (expected one response per respondent; delete the response "
                       "that should not count)", column="Email Address", row=7),
    ]
    assert "ann@" not in " ".join(p.message for p in problems)
    assert list(long["respondent_id"].iloc[::4]) == ["ann@client.com", "bob@client.com", "ann@client.com", None]
    assert notes == ["maturity_survey: 4 respondents x 4 questions read from a wide export (forms.xlsx); "
                     "2 columns of the file not used (Timestamp, Anything else?)."]
    _, problems, _ = wide_to_long(frame, mapping(respondent="E-mail address"), IDS, LABEL, FIRST_ROW)
    assert problems[0] == Problem(LABEL, "respondent: no column headed 'E-mail address' in the file; "
                                         "did you mean 'Email Address'? (it differs only in punctuation or spacing)")


def test_repeated_headers_and_a_column_read_twice():
    frame = google_export(("a@client.com", "CEO", "Agree", "Agree", "Agree", "Agree"),
                          extra={f"{STRATEGY}.1": ["Neutral"]})  # pandas' name for the second 'Strategy' column
    twice = mapping(questions={"AS1": STRATEGY, "AS2": STRATEGY, "GS1": SPONSOR})
    long, problems, notes = wide_to_long(frame, twice, IDS, LABEL, FIRST_ROW)
    assert problems == [Problem(LABEL, f"questions: AS1 and AS2 both read the column '{STRATEGY}'; "
                                       "each question has its own column")]
    assert notes[1] == (f"forms.xlsx: 2 columns are headed '{STRATEGY}' (the others are read as '{STRATEGY}.1'); "
                        "AS1 reads the first; map another to read it.")
    assert list(long["question_id"]) == ["AS1", "GS1"]


def test_scale_labels_that_differ_only_in_case_must_agree():
    bad = {**SCALE, "AGREE": 5}
    frame = pd.DataFrame({ROLE: ["IT"], STRATEGY: ["Agree"]}, dtype=object)
    _, problems, _ = wide_to_long(frame, mapping(questions={"AS1": STRATEGY}, scale=bad), IDS, LABEL, 2)
    assert problems == [Problem(LABEL, "scale: 'Agree' (4) and 'AGREE' (5) differ only in case or spacing, which "
                                       "answers are matched regardless of; give them the same score")]


def test_an_export_with_only_empty_rows():
    frame = pd.DataFrame({ROLE: [None, None], STRATEGY: [None, "  "]}, dtype=object)
    long, problems, notes = wide_to_long(frame, mapping(questions={"AS1": STRATEGY}), IDS, LABEL, 2)
    assert long.empty and list(long.columns) == COLUMNS
    assert problems == [Problem(LABEL, "no responses: every row of the file is empty")]
    assert notes[1] == "forms.xlsx: 2 empty rows skipped (no cell filled)."


@pytest.mark.parametrize("ids", [[], STATEMENTS])
def test_question_ids_unknown_or_given_as_statements(ids):
    frame = pd.DataFrame({ROLE: ["IT"], "Q": ["5"]}, dtype=object)
    long, problems, _ = wide_to_long(frame, mapping(questions={"AS1": "Q"}), ids, LABEL, 2)
    assert problems == [] and list(long["score"]) == ["5"]


def test_many_respondents_are_read_at_once():
    rng = np.random.default_rng(7)
    n = 5000
    labels = np.array(["Agree", " strongly agree", "Not applicable", None, "2"], dtype=object)
    questions = {q: f"{GRID} [{q}]" for q in IDS[:30]}
    frame = pd.DataFrame({ROLE: ["Sales"] * n, **{h: rng.choice(labels, n) for h in questions.values()}})
    long, problems, _ = wide_to_long(frame, mapping(questions=questions), IDS, LABEL, 2)
    answered = frame[list(questions.values())].notna()
    assert problems == [] and len(long) == int(answered.to_numpy().sum())  # empty cells: not answered, no row
    column = frame[questions["AS2"]]
    expected = column[column.notna()].map({"Agree": "4", " strongly agree": "5", "2": "2"}).reset_index(drop=True)
    got = long.loc[long["question_id"].eq("AS2"), "score"].reset_index(drop=True)
    assert got.fillna("-").tolist() == expected.fillna("-").tolist()


def test_an_unknown_id_with_a_missing_header_reports_both():
    frame = pd.DataFrame({ROLE: ["IT"], STRATEGY: ["Agree"]}, dtype=object)
    bad = mapping(questions={"AS1": STRATEGY, "AS8": f"{GRID} [Stratgy]"})
    long, problems, _ = wide_to_long(frame, bad, IDS, LABEL, 2)
    assert problems == [
        Problem(LABEL, "questions: 'AS8' is not a question of the questionnaire; did you mean 'AS4'?"),
        Problem(LABEL, f"questions.AS8: no column headed '{GRID} [Stratgy]' in the file; "
                       f"did you mean '{STRATEGY}'?"),
    ]
    assert list(long["question_id"]) == ["AS1"]
