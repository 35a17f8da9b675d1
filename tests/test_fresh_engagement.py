"""A fresh engagement, not the sample: other roles, months, stages, client and partners (issue 16).

The generator writes a different client (another seed: other partners, other names) with 20
months of metrics instead of 36; the survey is answered by four roles, one of them named in
the client's own way ("Ecosystem"); the CRM uses its own stage names in its own order. Every
phase runs through ``alliancekit run``. No report or scorecard may then carry the kit's
vocabulary, the engagement id, a role that did not answer, a month outside the data, a stage
order of its own, or anything of the sample's partners: fixed text written for the sample
shows up here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from alliancekit.layout import client_dir, report_path
from alliancekit.paths import SAMPLE_ENGAGEMENT
from alliancekit.sample import SAMPLE_PHASES, write_engagement
from test_client_text import jargon_hits

pytestmark = pytest.mark.slow

ENGAGEMENT_ID = "halcyon-review-2027"
MONTHS = 20
ROLES = {"CEO": "CEO", "Sales": "Sales", "Marketing": "Marketing", "Alliances": "Ecosystem"}
ABSENT_ROLES = ("CFO", "IT", "Operations", "Alliances")
STAGES = {"Qualify": "Discover", "Develop": "Scope", "Propose": "Solution", "Negotiate": "Commit"}
STAGE_ORDER = ["Discover", "Scope", "Solution", "Commit", "Closed Won", "Closed Lost"]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> tuple[Path, Path]:
    """The fresh engagement's folder and its delivered output folder."""
    root = tmp_path_factory.mktemp("fresh") / "halcyon"
    write_engagement(root, seed=29, n_partners=18, months=MONTHS, client="Halcyon Freight",
                     engagement=ENGAGEMENT_ID, consultant="Ada Quist")
    survey = pd.read_csv(root / "data/maturity_survey.csv", dtype=str, keep_default_na=False)
    survey = survey[survey["role"].isin(ROLES)].assign(role=lambda s: s["role"].map(ROLES))
    survey.to_csv(root / "data/maturity_survey.csv", index=False)
    deals = pd.read_csv(root / "data/opportunities.csv", dtype=str, keep_default_na=False)
    deals["stage"] = deals["stage"].replace(STAGES)
    deals.to_csv(root / "data/opportunities.csv", index=False)
    file = root / "engagement.yml"
    engagement = yaml.safe_load(file.read_text(encoding="utf-8"))
    engagement["data"]["opportunities"] = {"path": "data/opportunities.csv", "stage_order": STAGE_ORDER}
    engagement.update(firm="Quist & Partners", currency="EUR", report_date="2027-01-15")
    file.write_text(yaml.safe_dump(engagement, sort_keys=False), encoding="utf-8")
    out = root.parent / "out"
    proc = subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", str(file), "--output-dir", str(out),
                           "--format", "html", "-p", "ecosystem_reporting.pdf=false"],
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return root, out


def visible_text(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style", "head"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def reports(out: Path) -> dict[str, str]:
    return {phase: visible_text(report_path(out, phase)) for phase in SAMPLE_PHASES}


def test_every_phase_delivers_and_speaks_the_clients_language(fresh):
    _, out = fresh
    pages = [report_path(out, p) for p in SAMPLE_PHASES]
    pages += sorted(client_dir(out, "ecosystem_reporting").glob("partners/*.html"))
    assert len(pages) == len(SAMPLE_PHASES) + 18
    hits = [h for page in pages for h in jargon_hits(page)]
    assert not hits, "\n".join(hits)
    for page in pages:
        text = visible_text(page)
        assert ENGAGEMENT_ID not in text, page
        assert "Halcyon Freight" in text or page.parent.name == "partners", page


def test_nothing_of_the_sample_shows_in_a_fresh_engagement(fresh):
    """Partner names, the client's name and the sample's figures are data: a fresh engagement's
    reports never show the sample's."""
    root, out = fresh
    sample = pd.read_csv(SAMPLE_ENGAGEMENT / "data/partners.csv")["partner_name"]
    own = set(pd.read_csv(root / "data/partners.csv")["partner_name"])
    foreign = [n for n in sample if n not in own]
    for phase, text in reports(out).items():
        assert "Northwind Systems" not in text, phase
        leaked = [n for n in foreign if n in text]
        assert not leaked, (phase, leaked)


def test_strategy_names_only_the_roles_that_answered(fresh):
    _, out = fresh
    text = reports(out)["strategy_assessment"]
    start = text.find("Executive summary", text.find("Executive summary") + 1)  # the section, not the contents
    summary = text[start:start + 3000]
    assert "rated" in summary
    assert "Ecosystem" in summary and "Sales" in summary
    for role in ABSENT_ROLES:
        assert not re.search(rf"\b{role}\b", summary), role


def test_months_named_in_reports_lie_within_the_data(fresh):
    """Every month a report names ('March 2026', '2026-03') is a month of the data (or the report
    date), and the short history is said where growth is reported."""
    root, out = fresh
    months = pd.read_csv(root / "data/partner_metrics.csv", usecols=["month"])["month"]
    first, last = pd.Period(months.min(), "M"), pd.Period(months.max(), "M")
    allowed = {pd.Period("2027-01", "M")}
    names = "January|February|March|April|May|June|July|August|September|October|November|December"
    for phase, text in reports(out).items():
        found = {pd.Period(m, "M") for m in re.findall(r"\b(20\d\d-[01]\d)\b", text)}
        found |= {pd.Period(pd.Timestamp(f"{m} 1, {y}"), "M") for m, y in re.findall(rf"\b({names}) (20\d\d)\b", text)}
        if phase in ("metric_design", "portfolio_health", "ecosystem_reporting"):
            assert found, phase  # the period is named
        outside = sorted(str(m) for m in found if not first <= m <= last and m not in allowed)
        # opportunities and interviews may be dated before the metrics start: not a month of a metric
        assert not outside or phase in ("partner_swot",), (phase, outside)
    health = reports(out)["portfolio_health"]
    assert f"the {MONTHS - 12} months before" in health


def test_pipeline_stages_in_the_clients_order(fresh):
    _, out = fresh
    stages = pd.read_excel(client_dir(out, "ecosystem_reporting") / "executive_tables.xlsx", sheet_name=None)
    [table] = [t for name, t in stages.items() if name.lower().startswith("pipeline by stage")]
    shown = table["Stage"].astype(str).tolist()
    assert shown == [s for s in STAGE_ORDER if s in shown] and len(shown) >= 3
    text = reports(out)["ecosystem_reporting"]
    positions = [text.find(s) for s in shown]
    assert all(p >= 0 for p in positions)


def test_each_report_counts_what_the_data_hold(fresh):
    """A figure per phase that the data decide: interviews, partners, respondents."""
    root, out = fresh
    text = reports(out)
    interviews = pd.read_csv(root / "data/interviews.csv")
    assert f"{len(interviews)} interviews" in text["partner_swot"]
    assert "The 18 partners need" in text["org_design"]
    respondents = pd.read_csv(root / "data/maturity_survey.csv")["respondent_id"].nunique()
    assert f"{respondents} executives" in text["strategy_assessment"] or f"{respondents} respondents" in \
        text["strategy_assessment"]
    assert "18 alliances" in text["portfolio_health"] or "18 partners" in text["portfolio_health"]
