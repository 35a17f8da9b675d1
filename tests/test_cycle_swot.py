"""Review cycles, partner_swot: themes rising and falling in reach, the issue log still open, and no
statement text, quote or partner name in anything the comparison shows (hand-made deliveries)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from alliancekit.cycle.delivery import read_delivery
from alliancekit.cycle.swot import (FALLING, GONE, NEW, NEW_ISSUE, RESOLVED, RISING, STEADY, STILL_OPEN, compare,
                                    reach_status)
from alliancekit.layout import MANIFEST, working_dir
from alliancekit.report import table_notes
from cycle_fakes import write_delivery

PHASE = "partner_swot"
PLANTED = "Zebulon Quartermaine ruined our quarter"  # a statement's text in both deliveries
THEME_COLUMNS = ["theme", "quadrant", "topic", "respondents", "partners", "statements", "share", "quotable"]
LOG_COLUMNS = ["issue", "quadrant", "respondents", "partners", "share", "intensity", "severity", "owner"]

# theme, quadrant, topic, respondents, share (of 20 respondents at the last review, 25 now)
THEN = [("Strength: Responsive partner support", "strength", "support", 4, 0.20),     # -> 8 of 25: rising
        ("Strength: Joint marketing", "strength", "marketing", 6, 0.30),             # -> 2 of 25: falling
        ("Weakness: Partner portal and systems", "weakness", "systems", 5, 0.25),   # -> 6 of 25: steady
        ("Weakness: MDF claims and reimbursement", "weakness", "funds", 3, 0.15),   # -> gone
        ("Weakness: Communication gaps", "weakness", "communication", 2, 0.10),     # -> 2 of 25: steady, below 3
        ("Threat: Budget cuts and economic pressure", "threat", "economy", 4, 0.20),  # -> 9 of 25: rising (threat)
        ("Opportunity: New regions", "opportunity", "geography", 2, 0.10)]          # -> 5 of 25: +10 pts, +3: rising
NOW = [("Strength: Responsive partner support", "strength", "support", 8, 0.32),
       ("Strength: Joint marketing", "strength", "marketing", 2, 0.08),
       ("Weakness: Partner portal and systems", "weakness", "systems", 6, 0.24),
       ("Weakness: Communication gaps", "weakness", "communication", 2, 0.08),
       ("Weakness: Slow approvals and processes", "weakness", "process", 2, 0.08),  # new, below threshold
       ("Threat: Budget cuts and economic pressure", "threat", "economy", 9, 0.36),
       ("Opportunity: New regions", "opportunity", "geography", 5, 0.20)]
SEVERITY_THEN = {"Weakness: Partner portal and systems": "Medium", "Weakness: MDF claims and reimbursement": "Medium",
                 "Weakness: Communication gaps": "Low", "Threat: Budget cuts and economic pressure": "Medium"}
SEVERITY_NOW = {"Weakness: Partner portal and systems": "Medium", "Weakness: Communication gaps": "Low",
                "Weakness: Slow approvals and processes": "Low", "Threat: Budget cuts and economic pressure": "High"}


def _themes(rows, threshold: int = 3) -> pd.DataFrame:
    return pd.DataFrame([{"theme": t, "quadrant": q, "topic": topic, "respondents": n, "partners": n, "statements": n,
                          "share": s, "quotable": n >= threshold} for t, q, topic, n, s in rows], columns=THEME_COLUMNS)


def _log(rows, severity: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"issue": t, "quadrant": q, "respondents": n, "partners": n, "share": s, "intensity": 0.5,
                          "severity": severity[t], "owner": "Partner operations"}
                         for t, q, _, n, s in rows if q in ("weakness", "threat")], columns=LOG_COLUMNS)


def _statements(rows) -> pd.DataFrame:
    """One statement per theme, each carrying the planted phrase (the comparison must never read it)."""
    return pd.DataFrame([{"statement_id": f"INT-{i:02d}-01", "interview_id": f"INT-{i:02d}", "quadrant": q,
                          "theme": t, "text": f"{PLANTED}, said the partner about {t.lower()}.", "confidence": 0.9}
                         for i, (t, q, *_rest) in enumerate(rows)])


def _set_parameters(out: Path, parameters: dict) -> None:
    file = working_dir(out, PHASE) / MANIFEST
    manifest = json.loads(file.read_text(encoding="utf-8"))
    manifest["parameters"] = parameters
    file.write_text(json.dumps(manifest), encoding="utf-8")


def _delivery(out: Path, rows, severity, with_log: bool = True, threshold: int = 3, quotable_at: int = 3):
    files = {"statements.csv": _statements(rows), "themes.csv": _themes(rows, quotable_at)}
    if with_log:
        files["issue_log.csv"] = _log(rows, severity)
    write_delivery(out, {PHASE: files})
    _set_parameters(out, {"min_respondents_per_theme": threshold, "max_quotes_per_theme": 2})
    return read_delivery(out, "test")


@pytest.fixture()
def pair(tmp_path):
    return (_delivery(tmp_path / "then", THEN, SEVERITY_THEN), _delivery(tmp_path / "now", NOW, SEVERITY_NOW))


def _status(changes, file: str, key: str) -> dict[str, str]:
    table = changes.files[file]
    return dict(zip(table[key], table["status"]))


def test_themes_rise_fall_appear_and_disappear_by_both_rules(pair):
    changes = compare(*pair)
    assert _status(changes, "theme_reach.csv", "theme") == {
        "Strength: Responsive partner support": RISING, "Strength: Joint marketing": FALLING,
        "Weakness: Partner portal and systems": STEADY, "Weakness: MDF claims and reimbursement": GONE,
        "Weakness: Communication gaps": STEADY, "Weakness: Slow approvals and processes": NEW,
        "Threat: Budget cuts and economic pressure": RISING, "Opportunity: New regions": RISING}
    reach = changes.files["theme_reach.csv"].set_index("theme")
    gone = reach.loc["Weakness: MDF claims and reimbursement"]
    assert (gone["respondents_then"], gone["respondents_now"], gone["share_now"]) == (3, 0, 0.0)
    assert reach.loc["Opportunity: New regions", "share_change"] == pytest.approx(0.10)
    # by quadrant, in the SWOT's order; within a quadrant rising first
    assert changes.files["theme_reach.csv"]["theme"].tolist() == [
        "Strength: Responsive partner support", "Strength: Joint marketing",
        "Weakness: Slow approvals and processes", "Weakness: MDF claims and reimbursement",
        "Weakness: Communication gaps", "Weakness: Partner portal and systems",  # steady: larger change first
        "Opportunity: New regions", "Threat: Budget cuts and economic pressure"]


def test_reach_needs_ten_points_and_two_respondents():
    share = pd.Series([0.10, 0.10, 0.12, 0.09, -0.10, -0.25, 0.30])
    people = pd.Series([2, 1, 3, 5, -2, -1, 2])
    assert reach_status(share, people).tolist() == [RISING, STEADY, RISING, STEADY, FALLING, STEADY, RISING]


def test_issue_log_still_open_resolved_and_new(pair):
    changes = compare(*pair)
    assert _status(changes, "open_issues.csv", "issue") == {
        "Weakness: Partner portal and systems": STILL_OPEN, "Weakness: Communication gaps": STILL_OPEN,
        "Threat: Budget cuts and economic pressure": STILL_OPEN, "Weakness: MDF claims and reimbursement": RESOLVED,
        "Weakness: Slow approvals and processes": NEW_ISSUE}
    log = changes.files["open_issues.csv"]
    assert log["issue"].tolist() == ["Threat: Budget cuts and economic pressure",
                                     "Weakness: Partner portal and systems", "Weakness: Communication gaps",
                                     "Weakness: Slow approvals and processes", "Weakness: MDF claims and reimbursement"]
    budget = log.set_index("issue").loc["Threat: Budget cuts and economic pressure"]
    assert (budget["severity_then"], budget["severity_now"], budget["respondents_then"], budget["respondents_now"]) == \
        ("Medium", "High", 4, 9)


def test_sentences_state_each_change_with_numbers(pair):
    summary = compare(*pair).summary
    assert summary[0] == ("3 of the last review's 4 issues are still open (still raised now), 1 of them High "
                          "severity now: Threat: Budget cuts and economic pressure.")
    assert "1 issue resolved (no longer raised by anyone): Weakness: MDF claims and reimbursement." in summary
    assert ("1 new issue: Weakness: Slow approvals and processes (Low severity, 2 respondents).") in summary
    assert ("Severity rose for Threat: Budget cuts and economic pressure (Medium at the last review, High now).") \
        in summary
    rising = next(s for s in summary if "reach more respondents" in s)
    assert rising.startswith("3 themes reach more respondents now (at least 10 points of share and 2 respondents): ")
    assert ("Strength: Responsive partner support (32% of respondents now, 20% at the last review; 8 respondents, "
            "4 at the last review)") in rising
    assert "Threat: Budget cuts and economic pressure (36% of respondents now, 20% at the last review" in rising
    falling = next(s for s in summary if "fewer respondents" in s)
    assert falling.startswith("1 theme reaches fewer respondents now") and "Strength: Joint marketing (8%" in falling
    assert ("1 theme raised now that no one raised at the last review: Weakness: Slow approvals and processes "
            "(2 respondents).") in summary
    assert ("1 theme raised at the last review is no longer raised: Weakness: MDF claims and reimbursement "
            "(3 respondents at the last review).") in summary
    assert "The other 2 themes kept their reach." in summary


def test_the_same_delivery_against_itself_reports_no_change(tmp_path):
    d = _delivery(tmp_path / "d", NOW, SEVERITY_NOW)
    changes = compare(d, d)
    assert changes.summary == [
        "No change in the issue log: the same 4 issues as at the last review are all still open, at the same severity.",
        "No theme rose or fell in reach (at least 10 points of share and 2 respondents), none is new and none is no "
        "longer raised: the 7 themes kept their reach."]
    assert set(changes.files["theme_reach.csv"]["status"]) == {STEADY}
    assert set(changes.files["open_issues.csv"]["status"]) == {STILL_OPEN}
    assert [s.caption for s in changes.shown] == ["The issue log at the last review and now"]


def test_below_the_threshold_is_marked_from_the_manifest_parameter(tmp_path):
    # themes.csv says quotable from 2 respondents, but the phase ran with a threshold of 5: 4 respondents is below
    then = _delivery(tmp_path / "then", THEN, SEVERITY_THEN, threshold=5, quotable_at=2)
    now = _delivery(tmp_path / "now", NOW, SEVERITY_NOW, threshold=3, quotable_at=3)
    reach = compare(then, now).files["theme_reach.csv"].set_index("theme")
    support = reach.loc["Strength: Responsive partner support"]
    assert (support["below_threshold_then"], support["below_threshold_now"]) == (True, False)
    slow = reach.loc["Weakness: Slow approvals and processes"]
    assert (slow["below_threshold_then"], slow["below_threshold_now"]) == (False, True)
    table = next(s for s in compare(then, now).shown if s.caption.startswith("Themes")).table
    assert table.set_index("Theme").loc["Strength: Responsive partner support",
                                        "Below the anonymity threshold"] == "at the last review"
    assert any("fewer than 5 respondents at the last review, 3 now" in n for n in table_notes(table))


def test_a_delivery_without_an_issue_log_uses_its_weakness_and_threat_themes(tmp_path):
    then = _delivery(tmp_path / "then", THEN, SEVERITY_THEN, with_log=False)
    now = _delivery(tmp_path / "now", NOW, SEVERITY_NOW)
    changes = compare(then, now)
    log = changes.files["open_issues.csv"].set_index("issue")
    assert log.loc["Weakness: MDF claims and reimbursement", "status"] == RESOLVED
    assert log.loc["Threat: Budget cuts and economic pressure", "severity_then"] == ""
    assert not any(s.startswith("Severity rose") for s in changes.summary)
    assert any("older kit" in s for s in changes.summary)


def test_no_statement_text_reaches_any_file_sentence_or_table(pair, tmp_path):
    assert PLANTED in (working_dir(pair[0].path, PHASE) / "statements.csv").read_text()  # planted in both
    assert PLANTED in (working_dir(pair[1].path, PHASE) / "statements.csv").read_text()
    changes = compare(*pair)
    words = ["Zebulon", "Quartermaine", "ruined", "said the partner"]
    texts = list(changes.summary)
    for name, frame in changes.files.items():
        path = tmp_path / name
        frame.to_csv(path, index=False)
        texts.append(path.read_text(encoding="utf-8"))
    for shown in changes.shown:
        texts += [shown.caption, shown.table.to_csv(index=False), *table_notes(shown.table)]
    for text in texts:
        assert not [w for w in words if w in text], text
    # and what it shows: theme names, quadrants and counts, never a partner column
    for frame in [*changes.files.values(), *(s.table for s in changes.shown)]:
        assert not [c for c in frame.columns if "partner" in c.lower() or "quote" in c.lower()]
