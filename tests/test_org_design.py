"""Organisation design: headcount arithmetic by hand, coverage gaps in constructed staff tables,
options scoring, templates and RACI, the planted staffing problems of the sample, and the CLI."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from alliancekit import org_design as od
from alliancekit.layout import client_dir, working_dir
from alliancekit.phases import PHASES
from alliancekit.sample import generate_tables

DEFAULTS = PHASES["org_design"].defaults()
HOURS = 1800.0


def partners(rows) -> pd.DataFrame:
    """A partners table from (id, tier, type[, region[, exec_sponsor]]) tuples."""
    frame = pd.DataFrame([{"partner_id": r[0], "partner_name": f"Partner {r[0]}", "tier": r[1], "partner_type": r[2],
                           "region": r[3] if len(r) > 3 else "EMEA", "exec_sponsor": r[4] if len(r) > 4 else "Sam Lee"}
                          for r in rows])
    return frame


def metrics(revenue: dict[str, float], months=("2025-01", "2025-02")) -> pd.DataFrame:
    """Monthly metrics splitting each partner's revenue evenly over ``months``."""
    return pd.DataFrame([{"partner_id": p, "month": m, "revenue": v / len(months)}
                         for p, v in revenue.items() for m in months])


def opportunities(deals: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(len(deals))], "partner_ids": deals})


def staff(rows) -> pd.DataFrame:
    """A staff table from (id, role, partners_covered, fte) tuples."""
    return pd.DataFrame([{"staff_id": s, "staff_name": f"Person {s}", "role": r, "partners_covered": c, "fte": f}
                         for s, r, c, f in rows])


@pytest.fixture(scope="module")
def templates():
    return od.load_templates()


# ----------------------------------------------------------------------------------------------
# Headcount arithmetic against hand-computed cases
# ----------------------------------------------------------------------------------------------

FOUR = partners([("P1", "Platinum", "ISV"), ("P2", "Gold", "GSI"), ("P3", "Silver", "reseller"),
                 ("P4", "Registered", "ISV")])


def test_partner_hours_are_tier_times_type_without_revenue_or_deals():
    effort = od.partner_effort(FOUR, metrics({"P1": 10, "P2": 5, "P3": 1, "P4": 0}), None,
                               DEFAULTS["tier_hours"], DEFAULTS["type_factors"], revenue_weight=0.0)
    # 900 x 1.0, 180 x 1.2 (GSI), 120 x 0.8 (reseller), 45 x 1.0
    assert effort["hours"].tolist() == pytest.approx([900.0, 216.0, 96.0, 45.0])
    assert (effort["complexity_factor"] == 1.0).all() and (effort["revenue_factor"] == 1.0).all()


def test_required_fte_per_role_by_hand(templates):
    effort = od.partner_effort(FOUR, None, None, DEFAULTS["tier_hours"], DEFAULTS["type_factors"], revenue_weight=0.0)
    required = od.required_fte(effort, templates.roles, DEFAULTS["role_ratios"], HOURS, director_span=10)
    total = 900 + 216 + 96 + 45  # 1,257 hours of alliance management
    assert required["alliance_manager"] == pytest.approx(total / 1800)
    assert required["partner_marketing_manager"] == pytest.approx(0.30 * total / 1800)
    assert required["partner_solutions_architect"] == pytest.approx(0.25 * total / 1800)
    assert required["partner_enablement_lead"] == pytest.approx(0.15 * total / 1800)
    assert required["alliance_operations_analyst"] == pytest.approx(0.10 * total / 1800)
    assert required["alliance_director"] == 1.0  # 1.56 FTE of others / span 10 < 1: at least one


def test_director_follows_span_of_control(templates):
    many = partners([(f"P{i}", "Platinum", "ISV") for i in range(40)])  # 40 x 900 h = 20 manager FTE
    effort = od.partner_effort(many, None, None, DEFAULTS["tier_hours"], DEFAULTS["type_factors"], revenue_weight=0.0)
    required = od.required_fte(effort, templates.roles, DEFAULTS["role_ratios"], HOURS, director_span=10)
    others = 20.0 * (1 + 0.30 + 0.25 + 0.15 + 0.10)  # 36 FTE
    assert required["alliance_manager"] == pytest.approx(20.0)
    assert required["alliance_director"] == pytest.approx(others / 10)


def test_revenue_moves_effort_within_a_tier_without_changing_its_total():
    three = partners([("A", "Gold", "ISV"), ("B", "Gold", "ISV"), ("C", "Gold", "ISV"), ("D", "Silver", "ISV")])
    effort = od.partner_effort(three, metrics({"A": 100, "B": 300, "C": 200, "D": 5}), None,
                               DEFAULTS["tier_hours"], DEFAULTS["type_factors"], revenue_weight=0.3)
    # ranks in Gold: A 0, C 0.5, B 1 -> factors 0.7, 1.0, 1.3; D alone in its tier -> 1.0
    assert effort["revenue_factor"].tolist() == pytest.approx([0.7, 1.3, 1.0, 1.0])
    assert effort["hours"].tolist() == pytest.approx([126.0, 234.0, 180.0, 120.0])
    assert effort.loc[["A", "B", "C"], "hours"].sum() == pytest.approx(3 * 180.0)


def test_revenue_counts_the_last_twelve_months_only():
    frame = partners([("A", "Gold", "ISV")])
    months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
    rows = pd.DataFrame({"partner_id": "A", "month": months, "revenue": [1.0] * 12 + [2.0] * 12})
    assert od.trailing_revenue(rows, pd.Index(["A"])).iloc[0] == 24.0
    assert od.partner_effort(frame, rows, None, DEFAULTS["tier_hours"], DEFAULTS["type_factors"])["revenue_ttm"].iloc[0] == 24.0


def test_multiway_deals_raise_effort():
    two = partners([("P1", "Silver", "ISV"), ("P2", "Silver", "ISV"), ("P3", "Silver", "ISV")])
    deals = opportunities(["P1", "P1;P2", "P2;P1;P3", "P3", "P3", "P3"])
    share, count = od.multiway_share(deals, pd.Index(["P1", "P2", "P3"]))
    assert count.tolist() == [3, 2, 4]
    assert share.tolist() == pytest.approx([2 / 3, 1.0, 1 / 4])
    effort = od.partner_effort(two, None, deals, DEFAULTS["tier_hours"], DEFAULTS["type_factors"],
                               revenue_weight=0.0, complexity_uplift=0.5)
    assert effort["hours"].tolist() == pytest.approx([120 * (1 + 0.5 * 2 / 3), 120 * 1.5, 120 * 1.125])


def test_unknown_tiers_use_the_other_hours_and_tier_names_ignore_case():
    odd = partners([("P1", "platinum", "ISV"), ("P2", "Diamond", "ISV")])
    effort = od.partner_effort(odd, None, None, DEFAULTS["tier_hours"], DEFAULTS["type_factors"], revenue_weight=0.0)
    assert effort["tier_key"].tolist() == ["Platinum", "other"]
    assert effort["hours"].tolist() == pytest.approx([900.0, 120.0])


def test_headcount_table_is_current_required_and_gap():
    required = pd.Series({"a": 2.346, "b": 0.5})
    table = od.headcount_table(required, pd.Series({"a": 1.0}), {"a": "Role A", "b": "Role B"})
    assert list(table.columns[:4]) == ["role", "current_fte", "required_fte", "gap"]
    assert table["current_fte"].tolist() == [1.0, 0.0]
    assert table["required_fte"].tolist() == [2.35, 0.5]
    assert (table["gap"] == (table["required_fte"] - table["current_fte"]).round(2)).all()


# ----------------------------------------------------------------------------------------------
# Coverage gaps in constructed staff tables
# ----------------------------------------------------------------------------------------------

@pytest.fixture
def covered(templates):
    """Five partners (P5 uncovered), managers sharing P2, a marketer, an unknown role, an analyst."""
    frame = partners([("P1", "Platinum", "ISV", "EMEA", "Ana Ruiz"), ("P2", "Gold", "ISV", "EMEA", ""),
                      ("P3", "Silver", "ISV"), ("P4", "Platinum", "OEM", "APAC", None), ("P5", "Registered", "ISV")])
    people = staff([
        ("S1", "Alliance Manager", "P1;P2", 1.0),
        ("S2", "partner manager", "P2; P3", 0.5),       # a synonym; shares P2 with S1
        ("S3", "Partner Marketing Manager", "P1", 1.0),
        ("S4", "Receptionist", "P4", 1.0),             # not an alliance role: covers, but is not sized
        ("S5", "alliance operations analyst", "", 1.0),
    ])
    effort = od.partner_effort(frame, None, None, DEFAULTS["tier_hours"], DEFAULTS["type_factors"], revenue_weight=0.0)
    role_of = od.staff_roles(people, templates.roles)
    demand = od.role_hours(effort, templates.roles, DEFAULTS["role_ratios"])
    required = od.required_fte(effort, templates.roles, DEFAULTS["role_ratios"], HOURS, 10)
    current = od.current_fte(people, role_of, templates.role_ids)
    load = od.staff_load(people, role_of, demand, templates.roles, required, current, HOURS, 1.2, 0.6).set_index("staff_id")
    return frame, people, effort, role_of, required, current, load


def test_roles_are_matched_by_id_title_or_synonym(covered):
    *_, role_of, _, current, _ = covered
    assert role_of.dropna().to_dict() == {"S1": "alliance_manager", "S2": "alliance_manager",
                                          "S3": "partner_marketing_manager", "S5": "alliance_operations_analyst"}
    assert pd.isna(role_of["S4"])
    assert current["alliance_manager"] == 1.5 and current["partner_enablement_lead"] == 0.0


def test_partners_nobody_covers(covered):
    _, people, effort, *_ = covered
    assert od.uncovered_partners(effort, people)["partner_id"].tolist() == ["P5"]


def test_partners_without_an_alliance_manager(covered):
    _, people, effort, role_of, *_ = covered
    assert od.partners_without_role(effort, people, role_of, "alliance_manager")["partner_id"].tolist() == ["P4"]


def test_workload_per_person_splits_shared_partners(covered):
    *_, load = covered
    # S1: P1 900 h + half of P2's 180 h = 990 h of 1,800; S2: half of P2 + P3 120 h = 210 h of 900
    assert load.loc["S1", "hours"] == pytest.approx(990.0)
    assert load.loc["S1", "utilisation"] == pytest.approx(990 / 1800)
    assert load.loc["S2", "hours"] == pytest.approx(210.0) and load.loc["S2", "capacity"] == 900.0
    assert load.loc["S3", "hours"] == pytest.approx(0.30 * 900)
    assert load.loc["S1", "status"] == "under-loaded" and load.loc["S4", "status"] == "not sized"
    assert load.loc["S1", "partners"] == 2 and load.loc["S5", "partners"] == 0


def test_function_roles_carry_the_role_requirement(covered):
    *_, required, current, load = covered
    expected = required["alliance_operations_analyst"] / current["alliance_operations_analyst"]
    assert load.loc["S5", "utilisation"] == pytest.approx(expected)


def test_director_load_follows_todays_team_not_the_required_one(templates):
    required = pd.Series({"alliance_director": 2.0, "alliance_manager": 15.0, "partner_marketing_manager": 5.0})
    current = pd.Series({"alliance_director": 1.0, "alliance_manager": 9.0, "partner_marketing_manager": 3.0})
    need = od.need_today(required, current, templates.roles, director_span=10)
    assert need["alliance_director"] == pytest.approx(1.2) and need["alliance_manager"] == 15.0
    assert od.need_today(required, current * 0.5, templates.roles, 10)["alliance_director"] == 1.0


def test_overloaded_person_is_found(templates):
    frame = partners([(f"P{i}", "Gold", "ISV") for i in range(30)])  # 30 x 180 h = 5,400 h
    people = staff([("S1", "alliance manager", ";".join(f"P{i}" for i in range(25)), 1.0),
                    ("S2", "alliance manager", ";".join(f"P{i}" for i in range(25, 30)), 1.0)])
    effort = od.partner_effort(frame, None, None, DEFAULTS["tier_hours"], DEFAULTS["type_factors"], revenue_weight=0.0)
    role_of = od.staff_roles(people, templates.roles)
    load = od.staff_load(people, role_of, od.role_hours(effort, templates.roles, DEFAULTS["role_ratios"]),
                         templates.roles, pd.Series(dtype=float), pd.Series(dtype=float), HOURS, 1.2, 0.6)
    assert load.iloc[0]["staff_id"] == "S1" and load.iloc[0]["status"] == "overloaded"
    assert load.iloc[0]["utilisation"] == pytest.approx(25 * 180 / 1800)
    assert load.set_index("staff_id").loc["S2", "status"] == "under-loaded"  # 900 h = 50%


def test_strategic_partners_without_a_sponsor(covered):
    frame, _, effort, *_ = covered
    strategic = od.strategic_mask(effort, od.parse_tiers("Platinum"))
    assert od.missing_sponsors(frame, effort, strategic)["partner_id"].tolist() == ["P4"]
    both = od.strategic_mask(effort, od.parse_tiers("platinum, Gold"))
    assert sorted(od.missing_sponsors(frame, effort, both)["partner_id"]) == ["P2", "P4"]
    assert od.missing_sponsors(frame.drop(columns="exec_sponsor"), effort, strategic) is None


# ----------------------------------------------------------------------------------------------
# Options, templates, RACI, org chart
# ----------------------------------------------------------------------------------------------

def test_priorities_decide_between_structures(templates):
    signals = pd.DataFrame({"signal": ["many_regions"], "present": [False], "evidence": [""]})
    cheap = od.normalise_priorities({"cost": 1.0}, list(templates.criteria))
    deep = od.normalise_priorities({"strategic_depth": 1.0}, list(templates.criteria))
    reach = od.normalise_priorities({"field_reach": 1.0}, list(templates.criteria))
    assert od.choose(od.score_options(templates.structures, deep, signals)) == "strategic_teams"
    assert od.choose(od.score_options(templates.structures, reach, signals)) == "hub_and_spoke"
    table = od.score_options(templates.structures, cheap, signals)
    assert table["score"].is_monotonic_decreasing and table.loc[0, "priority_score"] == 4.0
    assert od.choose(table, "embedded") == "embedded"


def test_portfolio_signals_adjust_scores(templates):
    weights = od.normalise_priorities(DEFAULTS["priorities"], list(templates.criteria))
    none = pd.DataFrame({"signal": ["many_regions"], "present": [False], "evidence": [""]})
    some = pd.DataFrame({"signal": ["many_regions"], "present": [True], "evidence": [""]})
    before = od.score_options(templates.structures, weights, none).set_index("option_id")["score"]
    after = od.score_options(templates.structures, weights, some, step=0.25).set_index("option_id")["score"]
    assert after["hub_and_spoke"] - before["hub_and_spoke"] == pytest.approx(0.25)
    assert after["centralised"] - before["centralised"] == pytest.approx(-0.25)
    assert after["embedded"] == pytest.approx(before["embedded"])


def test_signals_are_computed_from_the_portfolio():
    frame = partners([("P1", "Platinum", "reseller", "EMEA"), ("P2", "Gold", "distributor", "APAC"),
                      ("P3", "Gold", "ISV", "LATAM")])
    effort = od.partner_effort(frame, metrics({"P1": 90, "P2": 5, "P3": 5}), None,
                               DEFAULTS["tier_hours"], DEFAULTS["type_factors"])
    strategic = od.strategic_mask(effort, ["Platinum"])
    signals = od.portfolio_signals(effort, strategic, opportunities(["P1;P2", "P1", "P3"])).set_index("signal")
    assert signals["present"].to_dict() == {"many_regions": True, "large_portfolio": False, "concentrated_value": True,
                                            "few_strategic": True, "multiway_selling": True, "channel_heavy": True}


def test_role_library_has_four_to_six_complete_roles(templates):
    assert 4 <= len(templates.roles) <= 6
    for role in templates.roles:
        for key in ("purpose", "responsibilities", "skills", "experience", "reports_to", "kpis"):
            assert role[key], (role["id"], key)
    assert set(DEFAULTS["role_ratios"]) == {r["id"] for r in templates.roles if r["sizing"] == "ratio"}
    assert set(DEFAULTS["priorities"]) == set(templates.criteria)


def test_default_raci_has_one_accountable_and_a_responsible_per_activity(templates):
    matrix = od.raci_matrix(templates.raci, templates.roles)
    assert od.raci_problems(matrix) == []
    for activity in ("Partner qualification", "Joint business plan", "Quarterly business review", "Co-selling", "MDF",
                     "enablement", "reporting"):
        assert matrix["Activity"].str.contains(activity).any(), activity
    assert {"Sales", "Marketing", "Legal", "Finance"} <= set(matrix.columns)


def test_raci_problems_are_found():
    matrix = pd.DataFrame({"Activity": ["Two owners", "Nobody does it"], "X": ["A", "A"], "Y": ["A", "C"]})
    problems = od.raci_problems(matrix)
    assert any("2 accountable" in p for p in problems) and any("nobody responsible" in p for p in problems)


def test_position_descriptions_escape_client_text_and_read_as_job_ads(templates):
    client = "<b>Acme</b> & Sons"
    context = {"client": client, "client_s": client + "'", "n_partners": 12, "n_strategic": 2,
               "strategic_label": "Platinum", "regions": "EMEA and APAC", "structure": "hub and spoke",
               "executive": "Chief Operating Officer", "partners_per_manager": "15", "required_fte": "2.0"}
    roles = [od.render_role(r, context, "hub_and_spoke") for r in templates.roles]
    page = od.position_descriptions(roles, templates.position_description, client).data
    assert "<b>Acme</b>" not in page and "&lt;b&gt;Acme&lt;/b&gt; &amp; Sons" in page
    for heading in ("Purpose of the role", "What you will do", "What you will bring", "Experience", "Reporting line",
                    "How success is measured"):
        assert page.count(f"<h4>{heading}</h4>") == len(roles), heading
    manager = next(r for r in roles if r["id"] == "alliance_manager")
    assert manager["reports_to"] == "Alliance Director (dotted line to the regional sales leader)"
    assert "{{" not in page and "{'" not in page


def test_template_errors_name_the_file(tmp_path):
    own = tmp_path / "org_design"
    own.mkdir()
    (own / "roles.yml").write_text(textwrap.dedent("""\
        roles:
          - id: only_one
            title: Lonely Role
        """))
    with pytest.raises(od.TemplateError, match="roles.yml"):
        od.load_templates([own, od.TEMPLATE_DIR])
    (tmp_path / "engagement.yml").write_text("engagement: x\n")
    assert od.template_folders(tmp_path / "engagement.yml")[0] == own


@pytest.mark.parametrize("structure", ["centralised", "hub_and_spoke", "embedded", "strategic_teams"])
def test_every_structure_has_an_org_chart(structure):
    tables, _ = generate_tables(seed=3, n_partners=30)
    review = od.review(tables, {"structure": structure}, client="Acme")
    assert review.structure_id == structure and review.layout.groups
    assert all(g.members for g in review.layout.groups)
    fig = od.chart_org(review.layout)
    assert fig.get_axes()


def test_hub_and_spoke_field_managers_add_up_to_the_requirement():
    tables, _ = generate_tables(seed=3, n_partners=30)
    review = od.review(tables, {"structure": "hub_and_spoke"}, client="Acme")
    spokes = next(g for g in review.layout.groups if "spokes" in g.title)
    total = sum(float(m.split("\n")[0].split(": ")[-1].split()[0]) if ": " in m.split("\n")[0]
                else float(m.split("\n")[1].split()[0]) for m in spokes.members)
    assert total == pytest.approx(review.required["alliance_manager"], abs=0.05 * len(spokes.members))


# ----------------------------------------------------------------------------------------------
# The sample: planted staffing problems are recovered
# ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample():
    tables, truth = generate_tables()
    return od.review(tables, {}, client="Northwind Systems"), truth


def test_sample_overloaded_manager_is_the_most_loaded(sample):
    review, truth = sample
    assert review.load.iloc[0]["staff_id"] == truth.overloaded_staff[0]
    assert review.load.iloc[0]["status"] == "overloaded" and review.load.iloc[0]["utilisation"] > 2
    assert review.load.loc[review.load["status"] == "overloaded", "staff_id"].tolist() == truth.overloaded_staff


def test_sample_coverage_gaps_are_found(sample):
    review, truth = sample
    assert sorted(review.uncovered["partner_id"]) == sorted(truth.uncovered_partners)
    assert sorted(review.sponsors["partner_id"]) == sorted(truth.missing_sponsor)


def test_sample_results_have_the_contract_columns(sample):
    review, _ = sample
    assert list(review.headcount.columns[:4]) == ["role", "current_fte", "required_fte", "gap"]
    assert list(review.roles_table.columns[:4]) == ["role", "purpose", "reports_to", "kpis"]
    assert 4 <= len(review.roles_table) <= 6
    options = review.options_table
    assert options["recommended"].sum() == 2 and set(options["kind"]) == {"structure", "reporting_line"}
    assert review.headcount["current_fte"].sum() == pytest.approx(10.3)
    assert list(review.results()) == list(PHASES["org_design"].results)


def test_review_is_deterministic(sample):
    review, _ = sample
    again = od.review(generate_tables()[0], {}, client="Northwind Systems")
    pd.testing.assert_frame_equal(review.headcount, again.headcount)
    pd.testing.assert_frame_equal(review.options_table, again.options_table)
    assert od.Narrative(review).check_summary() == od.Narrative(again).check_summary()


def test_narrative_words_the_sample_and_says_what_the_data_lacks(sample):
    review, _ = sample
    story = od.Narrative(review)
    assert [label for label, *_ in story.headline_figures()][0] == "Partners"
    assert story.findings()[-1] == f"Recommended: {story.structure_name.lower()}, reporting to the {story.line_name}."
    assert story.data_notes() == []
    tables, _ = generate_tables(seed=3, n_partners=30)
    lacking = {"partners": tables["partners"].drop(columns="exec_sponsor"), "staff": tables["staff"],
               "partner_metrics": tables["partner_metrics"]}
    notes = od.Narrative(od.review(lacking, {}, client="Acme")).data_notes()
    assert notes == ["No opportunity data was given: the complexity of multi-way deals is not counted.",
                     "The partner list names no executive sponsors: strategic partners without a sponsor are not checked."]


def test_check_inputs_rejects_a_strategic_tier_nobody_has():
    tables = {"partners": partners([("P1", "Gold", "ISV")])}
    problems = od.check_inputs(tables, {"strategic_tiers": "Platnum"})
    assert len(problems) == 1 and "'Platnum'" in str(problems[0]) and "Gold" in str(problems[0])
    assert od.check_inputs(tables, {"strategic_tiers": "gold"}) == []


# ----------------------------------------------------------------------------------------------
# Through the CLI
# ----------------------------------------------------------------------------------------------

STAFF_UNKNOWN = "staff_id,role,partners_covered,fte\nS1,alliance manager,P1;P99,1.0\n"


def test_unknown_partner_in_partners_covered_is_a_validation_error(cli, tmp_path):
    from conftest import write_engagement as tiny_engagement

    header = "engagement: tiny-org\nclient: Tiny\nconsultant: Test\nphases:\n  org_design: {}\n"
    path = tiny_engagement(tmp_path, {"staff": STAFF_UNKNOWN}, header=header)
    code, _, err = cli("validate", path)
    assert code == 2
    assert "staff.csv, column 'partners_covered', row 2: unknown partner 'P99'" in err and "Traceback" not in err
    code, _, err = cli("run", path, "--output-dir", tmp_path / "out")
    assert code == 2 and "unknown partner 'P99'" in err and not (tmp_path / "out").exists()


def test_strategic_tier_nobody_has_stops_the_run(cli, tmp_path):
    from conftest import write_engagement as tiny_engagement

    header = "engagement: tiny-org\nclient: Tiny\nconsultant: Test\nphases:\n  org_design: {}\n"
    good = "staff_id,role,partners_covered,fte\nS1,alliance manager,P1;P2,1.0\n"
    path = tiny_engagement(tmp_path, {"staff": good}, header=header)
    code, _, err = cli("run", path, "--output-dir", tmp_path / "out", "-p", "org_design.strategic_tiers=Diamond")
    assert code == 2 and "strategic_tiers names tier 'Diamond'" in err and not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def cli_run(sample_delivery):
    """org_design's deliverables of the committed sample engagement run through the real CLI (its
    client folder)."""
    return client_dir(sample_delivery, "org_design")


@pytest.mark.slow
def test_cli_run_delivers_the_report_and_the_three_tables(cli_run):
    working = working_dir(cli_run.parent, "org_design")
    for name in ("report.html", "report.pdf", "tables.xlsx"):
        assert (cli_run / name).is_file(), name
    for name in ("manifest.json", "executed.ipynb", "structure_options.csv", "headcount.csv", "roles.csv"):
        assert (working / name).is_file(), name
    assert len(PdfReader(cli_run / "report.pdf").pages) >= 2
    roles = pd.read_csv(working / "roles.csv")
    assert 4 <= len(roles) <= 6 and list(roles.columns[:4]) == ["role", "purpose", "reports_to", "kpis"]
    headcount = pd.read_csv(working / "headcount.csv")
    assert list(headcount.columns[:4]) == ["role", "current_fte", "required_fte", "gap"]
    assert np.allclose(headcount["gap"], headcount["required_fte"] - headcount["current_fte"], atol=0.011)
    manifest = json.loads((working / "manifest.json").read_text())
    assert manifest["phase"] == "org_design" and manifest["parameters"]["hours_per_fte"] == 1800.0


@pytest.mark.slow
def test_cli_report_has_no_code_and_shows_every_part(cli_run):
    page = (cli_run / "report.html").read_text()
    for leak in ("start_phase", "import ", "ctx.", "report.table", "NBVAL", "Traceback", "<script"):
        assert leak not in page, leak
    for part in ("Alliance Organisation Design", "Roles and position descriptions", "RACI", "Staffing review",
                 "Kale, Dyer and Singh", "Partners nobody covers", "How success is measured", "<svg"):
        assert part in page, part
