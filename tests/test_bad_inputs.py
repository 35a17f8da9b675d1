"""The bad-input catalogue (tests/bad_inputs/): each case exits as expected and names the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from alliancekit.layout import client_dir

CATALOGUE = Path(__file__).parent / "bad_inputs"
CASES = sorted(p for p in CATALOGUE.iterdir() if (p / "case.yml").is_file())
#: A file of an earlier delivery, put in the output folder before a run that must be refused.
SENTINEL, SENTINEL_BYTES = "report.html", b"<html>an earlier delivery of portfolio_health</html>\n"


def test_catalogue_has_at_least_twenty_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case_dir", CASES, ids=lambda p: p.name)
def test_case(case_dir, cli, tmp_path, monkeypatch):
    case = yaml.safe_load((case_dir / "case.yml").read_text(encoding="utf-8"))
    engagement = tmp_path / "eng"
    assert cli("new", engagement, "--client", "Example Client")[0] == 0
    if (case_dir / "data").is_dir():
        for src in (case_dir / "data").iterdir():
            if src.is_dir():  # e.g. a folder of interview documents
                shutil.copytree(src, engagement / "data" / src.name)
            else:
                shutil.copyfile(src, engagement / "data" / src.name)
    path = engagement / "engagement.yml"
    text = path.read_text(encoding="utf-8")
    for old, new in case["engagement_edits"]:
        assert old in text, f"{case_dir.name}: edit target {old!r} not in the template"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")

    monkeypatch.chdir(tmp_path)  # anything a case might create lands here, and is checked
    out_dir = tmp_path / "out"
    refused_run = case["command"] == "run" and case["exit"] == 2
    if refused_run:  # an earlier delivery in the output folder, which a refused run must leave as it is
        client_dir(out_dir, "portfolio_health").mkdir(parents=True)
        (client_dir(out_dir, "portfolio_health") / SENTINEL).write_bytes(SENTINEL_BYTES)
        before = sorted(out_dir.rglob("*"))
    args = [case["command"], path, *case["args"]]
    if case["command"] == "run":
        args += ["--output-dir", out_dir]
    code, out, err = cli(*args)
    printed = out + err
    assert code == case["exit"], f"{case_dir.name}: exit {code}\n{printed}"
    for phrase in case["message"]:
        assert phrase in printed, f"{case_dir.name}: {phrase!r} not in\n{printed}"
    for phrase in case.get("not_message", []):
        assert phrase not in printed, f"{case_dir.name}: {phrase!r} in\n{printed}"
    assert "Traceback" not in printed
    if refused_run:  # nothing may run or be written on bad input, and earlier deliverables stay as they were
        assert sorted(out_dir.rglob("*")) == before, f"{case_dir.name}: the output folder changed"
        assert (client_dir(out_dir, "portfolio_health") / SENTINEL).read_bytes() == SENTINEL_BYTES
    assert not (tmp_path / "pwned").exists()
