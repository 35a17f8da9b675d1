"""The two-sided relationship health survey, on surveys written here (not the sample generator's).

A simulator independent of ``alliancekit.sample`` writes about forty alliances over two waves:
respondent-level noise, alliance-level noise, small functions, blanks; three planted gaps (two
of one sign, one of the other), one planted rise of partner-field mind-share, two dimensions
weaker everywhere. The review must flag the planted gaps with the right alliance, dimension and
sign, at most one false flag among the other alliances, and call the rise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancekit.relationship_health import Narrative, review
from alliancekit.relationship_health.bank import BANK_TEMPLATE, load_bank

BANK = load_bank(BANK_TEMPLATE)
WAVES = ("2025-10", "2026-04")
FUNCTIONS = ("sales", "presales", "support", "sales", "marketing", "presales", "support", "alliances", "executive",
             "delivery")


def simulate(seed: int, n_alliances: int = 40, gap: float = 1.2, rise: float = 1.2):
    """A survey with known answers: (partners, survey, planted gaps {alliance: (dimension, sign)}, rise alliance)."""
    rng = np.random.default_rng(seed)
    dims = BANK.dimension_ids()
    weak = {"conflict_resolution", "joint_planning"}
    others = [d for d in dims if d not in weak and d != BANK.mind_share_dimension.id]
    picked = rng.choice(others, size=3, replace=False)
    planted = {f"A{k:02d}": (str(picked[k]), sign) for k, sign in zip(range(3), (1, -1, 1))}
    riser = "A07"
    rows, rid = [], 0
    for a in range(n_alliances):
        aid = f"A{a:02d}"
        level = 3.6 + rng.normal(0, 0.2)
        dim_noise = {d: rng.normal(0, 0.12) for d in dims}
        for w, wave in enumerate(WAVES):
            for side in ("us", "partner"):
                for r in range(int(rng.integers(7, 12))):
                    rid += 1
                    function = FUNCTIONS[(r + a) % len(FUNCTIONS)]
                    person = rng.normal(0, 0.35)  # a generous or a severe respondent
                    for sid in BANK.statement_ids():
                        d = BANK.dimension_of(sid).id
                        mu = level + dim_noise[d] + person - (0.6 if d in weak else 0.0)
                        if aid in planted and planted[aid][0] == d:
                            mu += planted[aid][1] * gap / 2 * (1 if side == "us" else -1)
                        if aid == riser and side == "partner" and d == BANK.mind_share_dimension.id \
                                and function in BANK.field_functions:
                            mu += rise * (w - 0.5)
                        score = float(np.clip(np.round(mu + rng.normal(0, 0.75)), 1, 5))
                        rows.append((f"X{rid:05d}", aid, side, function, wave, sid,
                                     np.nan if rng.random() < 0.06 else score))
    survey = pd.DataFrame(rows, columns=["respondent_id", "partner_id", "side", "function", "wave", "statement_id",
                                         "score"])
    partners = pd.DataFrame({"partner_id": [f"A{a:02d}" for a in range(n_alliances)],
                             "partner_name": [f"Partner {a}" for a in range(n_alliances)]})
    return partners, survey, planted, riser


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_gaps_and_the_mind_share_rise_are_found_on_a_survey_never_seen(seed):
    partners, survey, planted, riser = simulate(seed)
    result = review({"partners": partners, "health_survey": survey}, {})
    flagged = result.gaps[result.gaps["flagged"]]
    for alliance, (dimension, sign) in planted.items():
        hit = flagged[(flagged["alliance"] == alliance) & (flagged["dimension"] == dimension)]
        assert len(hit) and (np.sign(hit["gap"]) == sign).all(), (alliance, dimension, sign)
    false = set(flagged["alliance"]) - set(planted)
    assert len(false) <= 1, false
    called = result.mind_share[result.mind_share["called"]]
    assert riser in set(called["alliance"]) and (called.loc[called["alliance"] == riser, "change"] > 0).all()
    delivered = result.results()["mind_share.csv"]  # what a later comparison or a consultant reads
    assert set(delivered.loc[delivered["called"], "alliance"]) == set(called["alliance"])
    assert set(result.weakest["dimension"].head(2)) == {"conflict_resolution", "joint_planning"}


def test_without_planted_structure_nothing_is_flagged():
    partners, survey, _, _ = simulate(4, gap=0.0, rise=0.0)
    result = review({"partners": partners, "health_survey": survey}, {})
    assert result.gaps["flagged"].sum() <= 1
    assert result.mind_share["called"].sum() <= 1


def test_no_figure_rests_on_fewer_than_min_respondents():
    partners, survey, _, _ = simulate(5, n_alliances=6)
    small = survey[(survey["partner_id"] == "A03") & (survey["side"] == "partner")]
    keep = small["respondent_id"].drop_duplicates().head(3)  # the partner side of A03: three people
    survey = survey[~survey.index.isin(small.index) | survey["respondent_id"].isin(keep)]
    result = review({"partners": partners, "health_survey": survey}, {"min_respondents": 4})
    assert (result.groups["respondents"] >= 4).all()
    a03 = result.groups[result.groups["alliance"] == "A03"]
    assert set(a03["side"]) == {"us"}  # the three are never shown
    assert "A03" not in set(result.gaps["alliance"])
    story = Narrative(result)
    assert any("fewer than 4 respondents" in line for line in story.limits())
    tables = result.results()
    assert not any(tables[name].astype(str).apply(lambda c: c.str.contains("X0")).any().any() for name in tables)


@pytest.mark.slow
def test_no_respondent_id_in_any_output_and_small_groups_never_shown(sample_delivery):
    from alliancekit.layout import client_dir, working_dir
    from alliancekit.paths import SAMPLE_ENGAGEMENT

    from alliancekit.sample import generate_tables

    survey = pd.read_csv(SAMPLE_ENGAGEMENT / "data/health_survey.csv")
    _, truth = generate_tables()  # the committed sample's: its comments name people and e-mail addresses
    assert truth.health_identities
    ids = set(survey["respondent_id"].astype(str)) | set(truth.health_identities)
    files = [*client_dir(sample_delivery, "relationship_health").iterdir(),
             *working_dir(sample_delivery, "relationship_health").iterdir()]
    assert any(f.name == "report.pdf" for f in files) and any(f.name == "executed.ipynb" for f in files)
    for f in files:
        if f.suffix == ".pdf":
            from pypdf import PdfReader

            text = " ".join(page.extract_text() or "" for page in PdfReader(f).pages)
        elif f.suffix in (".html", ".csv", ".ipynb", ".json"):
            text = f.read_text(encoding="utf-8")
        else:
            continue
        leaked = [i for i in ids if i in text]
        assert not leaked, (f.name, leaked[:3])
    scores = pd.read_csv(working_dir(sample_delivery, "relationship_health") / "relationship_scores.csv")
    assert (scores["respondents"] >= 4).all()


@pytest.mark.slow
def test_bad_survey_rows_stop_the_run_at_their_cells(tmp_path):
    """A score outside 1-5, an unknown side, a statement not in the bank, an unknown partner, a
    malformed wave: exit 2, each at its row and column, nothing run."""
    import shutil

    from conftest import run_phases_only

    from alliancekit.paths import SAMPLE_ENGAGEMENT

    root = tmp_path / "engagement"
    shutil.copytree(SAMPLE_ENGAGEMENT, root)
    survey = pd.read_csv(root / "data/health_survey.csv", dtype=str, keep_default_na=False)
    survey.loc[0, "score"] = "7"
    survey.loc[1, "side"] = "them"
    survey.loc[2, "statement_id"] = "XX9"
    survey.loc[3, "partner_id"] = "P999"
    survey.loc[4, "wave"] = "2026-13"
    survey.to_csv(root / "data/health_survey.csv", index=False)
    out = tmp_path / "out"
    proc = run_phases_only(root / "engagement.yml", ["relationship_health"], out)
    assert proc.returncode == 2, proc.stderr[-2000:]
    err = proc.stderr
    for column, row in (("score", 2), ("side", 3), ("statement_id", 4), ("partner_id", 5), ("wave", 6)):
        assert f"health_survey.csv, column '{column}', row {row}" in err, (column, err[-3000:])
    assert not (out / "relationship_health").exists()


@pytest.mark.slow
def test_a_surveyed_partners_scorecard_shows_its_own_relationship_health(sample_delivery):
    """The ecosystem report's partner scorecards show the relationship score, trend and NPS of that
    partner's own alliance, and only where it was surveyed."""
    from alliancekit.layout import client_dir, working_dir

    health = pd.read_csv(working_dir(sample_delivery, "relationship_health") / "alliance_health.csv",
                         dtype={"alliance": str, "wave": str})
    surveyed = set(health["alliance"])
    pages = sorted(client_dir(sample_delivery, "ecosystem_reporting").glob("partners/*.html"))
    shown = {p.stem for p in pages if "Relationship health</h2>" in p.read_text(encoding="utf-8")}
    assert shown == surveyed
    latest = health[health["wave"] == health["wave"].max()].set_index("alliance")
    some = sorted(surveyed)[0]
    text = (client_dir(sample_delivery, "ecosystem_reporting") / "partners" / f"{some}.html").read_text(encoding="utf-8")
    assert f"{latest.at[some, 'health']:.1f}" in text and "since" in text


def test_sides_and_functions_written_the_clients_way_are_read():
    from alliancekit.validation import check_table

    rows = pd.DataFrame({"respondent_id": ["R1", "R2", "R3"], "partner_id": ["P1"] * 3,
                         "side": ["Us", "Partner side", "them"], "function": ["Sales", "Pre-Sales", "Customer Success"],
                         "wave": ["2026-03"] * 3, "statement_id": ["CR1"] * 3, "score": ["3", "4", "5"]})
    table, problems, notes = check_table("health_survey", rows, "survey.csv")
    assert table["side"].tolist() == ["us", "partner"] and table["function"].tolist() == ["sales", "presales"]
    assert [(p.column, p.row) for p in problems] == [("side", 4)]
    assert any("'Customer Success' read as support" in n for n in notes)
