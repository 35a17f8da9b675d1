"""The consultant's corrections to partner_swot: a statement's quadrant and/or theme, applied before themes are counted."""

import pandas as pd
import pytest

from alliancekit import partner_swot as ps
from alliancekit.engagement import load_engagement
from alliancekit.errors import InputError
from alliancekit.partner_swot.corrections import THEMES, check_inputs
from alliancekit.paths import SAMPLE_ENGAGEMENT
from alliancekit.validation import load_inputs


@pytest.fixture(scope="module")
def sample():
    tables, _ = load_inputs(load_engagement(SAMPLE_ENGAGEMENT / "engagement.yml"), ["interviews", "partners", "staff"])
    return tables, ps.review(tables)


def test_corrections_move_a_statement_and_change_a_theme(sample):
    tables, before = sample
    swot = before.statements[before.statements["quadrant"].isin(["strength", "weakness"])]
    moved = swot[swot["quadrant"] == "strength"].iloc[0]
    retheme = swot[swot["quadrant"] == "weakness"].iloc[0]
    other = next(t for t, (q, _) in THEMES.items() if q == "weakness" and t != retheme["theme"])
    corrections = pd.DataFrame({"statement_id": [moved["statement_id"], retheme["statement_id"]],
                                "quadrant": ["threat", None], "theme": [None, other]})
    after = ps.review({**tables, "swot_corrections": corrections})
    row = after.statements.set_index("statement_id")
    assert row.at[moved["statement_id"], "quadrant"] == "threat" and row.at[moved["statement_id"], "theme"].startswith("Threat: ")
    assert row.at[retheme["statement_id"], "theme"] == other
    assert list(after.corrections["statement_id"]) == sorted([moved["statement_id"], retheme["statement_id"]])
    counted = after.themes.set_index("theme")["statements"]
    assert counted.get(other, 0) == before.themes.set_index("theme")["statements"].get(other, 0) + 1
    note = ps.Narrative(after).data_notes()[-1]
    assert note.startswith("2 statements were placed by the consultant") and other in note


def test_a_correction_naming_no_statement_or_theme_is_refused_before_anything_runs(sample):
    tables, before = sample
    first = before.statements["statement_id"].iloc[0]
    corrections = pd.DataFrame({"statement_id": ["INT-99-99", first], "quadrant": [None, "weakness"],
                                "theme": [None, "Strength: Quality of the alliance managers"]})
    corrections.attrs["source"] = "corrections.csv"
    problems = [str(p) for p in check_inputs({**tables, "swot_corrections": corrections}, {})]
    assert problems[0].startswith("corrections.csv, column 'statement_id', row 2: no statement")
    assert "is a strength theme, but the row sets the quadrant weakness" in problems[1]
    with pytest.raises(InputError):
        ps.review({**tables, "swot_corrections": corrections})
