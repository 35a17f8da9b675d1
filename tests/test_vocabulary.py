"""The client's vocabulary: its stage order and closed stages, its tier order, its labels.

A fresh engagement (the sample's data with stages and tiers renamed to words the kit has never
seen, in an order that is neither alphabetical nor by deal age) must come out in the client's
order, in the client's words, with deals in a stage the client calls closed out of the
pipeline; an unlisted value is refused at its cell.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from alliancekit import ecosystem_reporting as er
from alliancekit import portfolio_health as ph
from alliancekit import vocabulary
from alliancekit.engagement import load_engagement
from alliancekit.errors import InputError
from alliancekit.paths import SAMPLE_ENGAGEMENT
from alliancekit.validation import load_inputs
from alliancekit.vocabulary import Vocabulary

#: The sample's open stages renamed, and the order the client gives (not alphabetical, not by age).
STAGES = {"Qualify": "Triage", "Develop": "Workshop", "Propose": "Offer", "Negotiate": "Contracting"}
STAGE_ORDER = ["Contracting", "Triage", "Offer", "Workshop", "Won", "Lost", "Parked"]
TIERS = {"Platinum": "Elite", "Gold": "Advanced", "Silver": "Member", "Registered": "Entry"}
TIER_ORDER = ["Entry", "Member", "Advanced", "Elite"]  # the client's programme lists its lowest tier first


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Path:
    """The sample with the client's stages (one open deal in five 'Parked', a closed stage without an
    outcome), tiers and a partner-type label; returns its engagement file."""
    root = tmp_path_factory.mktemp("vocabulary") / "engagement"
    shutil.copytree(SAMPLE_ENGAGEMENT, root)
    opportunities = pd.read_csv(root / "data/opportunities.csv", dtype=str, keep_default_na=False)
    opportunities["stage"] = opportunities["stage"].replace({**STAGES, "Closed Won": "Won", "Closed Lost": "Lost"})
    open_rows = opportunities.index[opportunities["stage"].isin(STAGES.values())]
    opportunities.loc[open_rows[::5], "stage"] = "Parked"
    lost_rows = opportunities.index[opportunities["stage"] == "Lost"]  # parked after a close date: no outcome
    opportunities.loc[lost_rows[::4], ["stage", "won"]] = ["Parked", ""]
    opportunities.to_csv(root / "data/opportunities.csv", index=False)
    partners = pd.read_csv(root / "data/partners.csv", dtype=str, keep_default_na=False)
    partners["tier"] = partners["tier"].replace(TIERS)
    partners.to_csv(root / "data/partners.csv", index=False)
    file = root / "engagement.yml"
    engagement = yaml.safe_load(file.read_text(encoding="utf-8"))
    engagement["data"]["opportunities"] = {"path": "data/opportunities.csv", "stage_order": STAGE_ORDER,
                                           "outcomes": {"won": ["Won"], "lost": ["Lost"], "closed": ["Parked"]}}
    engagement["data"]["partners"] = {"path": "data/partners.csv", "tier_order": TIER_ORDER,
                                      "labels": {"partner_type": {"GSI": "Consulting partner"},
                                                 "region": {"North America": "Americas"}}}
    file.write_text(yaml.safe_dump(engagement, sort_keys=False), encoding="utf-8")
    return file


@pytest.fixture(scope="module")
def inputs(client):
    tables, _ = load_inputs(load_engagement(client), ["partners", "partner_metrics", "opportunities"])
    return tables


@pytest.fixture(scope="module")
def review(inputs):
    return er.review(inputs, {})


def test_validation_attaches_the_vocabulary(inputs):
    words = vocabulary.of(inputs["partners"], inputs["opportunities"])
    assert words.stage_order == tuple(STAGE_ORDER)
    assert words.tier_order == tuple(TIER_ORDER)
    assert set(words.closed_stages) == {"Won", "Lost", "Parked"}
    assert words.label("partner_type", "GSI") == "Consulting partner"


def test_pipeline_stages_come_in_the_clients_order(review, inputs):
    shown = review.stages["Stage"].tolist()
    open_stages = [s for s in STAGE_ORDER if s in STAGES.values()]
    assert shown == open_stages  # every open stage, in the given order
    assert "Parked" not in shown  # a closed stage without an outcome is not pipeline
    parked = inputs["opportunities"]["stage"].eq("Parked").sum()
    assert parked > 0 and review.stages["Open deals"].sum() == review.deals["is_open"].sum()
    assert not review.deals.loc[review.deals["stage"] == "Parked", "is_open"].any()


def test_deals_ended_without_an_outcome_stay_out_of_win_rates(review, inputs):
    deals = review.all_deals
    ended = deals["stage"].eq("Parked") & deals["closed"].notna()
    assert ended.sum() > 10 and deals.loc[ended, "ended"].all()
    end = pd.Period(review.as_of, freq="M").to_timestamp(how="end")
    in_year = (deals["closed"] > end - pd.DateOffset(months=12)) & (deals["closed"] <= end)
    decided = deals["won"].notna() & in_year & (deals["n_partners"] > 0)
    assert (ended & in_year).any()
    assert review.win_rates.loc[0, "Closed (12 mo)"] == decided.sum()
    assert review.comparison.loc[0, "Closed (12 mo)"] == decided.sum()


def test_partner_scorecards_list_stages_in_the_clients_order(review):
    context = er.ScorecardContext("Client", review.as_of, review.months, "equal_split")
    payloads = er.partner_payloads(review.partners, review.status, review.attributed, review.panel, review.mdf,
                                   context, words=review.words)
    orders = [[s["stage"] for s in p["pipeline"]["by_stage"]] for p in payloads]
    assert sum(len(o) > 1 for o in orders) >= 5  # enough partners with several open stages to test the order
    for order in orders:
        assert order == sorted(order, key=STAGE_ORDER.index)


def test_tiers_come_in_the_clients_order_with_the_total_last(review):
    for table in (review.revenue_by_tier, review.mdf_by_tier):
        assert table["Tier"].tolist() == [*TIER_ORDER, "All partners"]


def test_labels_replace_the_kits_names_in_tables_and_scorecards(review):
    assert "Consulting partner" in review.revenue_by_type["Partner type"].tolist()
    assert "GSI" not in review.revenue_by_type["Partner type"].tolist()
    assert "Americas" in review.revenue_by_region["Region"].tolist()
    context = er.ScorecardContext("Client", review.as_of, review.months, "equal_split")
    gsi = review.partners.loc[review.partners["partner_type"] == "GSI", "partner_id"].iloc[0]
    [payload] = er.partner_payloads(review.partners, review.status, review.attributed, review.panel, review.mdf,
                                    context, only=[gsi], words=review.words)
    assert payload["partner"]["type"] == "Consulting partner"


def test_portfolio_health_counts_the_same_open_deals(inputs, review):
    """Both phases that count open pipeline leave the client's closed stages out."""
    features = ph.health_features(inputs["partners"], inputs["partner_metrics"], inputs["opportunities"])
    assert features["open_pipeline"].sum() == pytest.approx(review.deals.loc[review.deals["is_open"], "amount"].sum())


def test_a_stage_or_tier_the_order_does_not_list_is_refused_at_its_cell(client, tmp_path):
    root = tmp_path / "typo"
    shutil.copytree(client.parent, root)
    opportunities = pd.read_csv(root / "data/opportunities.csv", dtype=str, keep_default_na=False)
    opportunities.loc[7, "stage"] = "Ofer"
    opportunities.to_csv(root / "data/opportunities.csv", index=False)
    with pytest.raises(InputError) as caught:
        load_inputs(load_engagement(root / "engagement.yml"), ["opportunities"])
    [problem] = [p for p in caught.value.problems if "Ofer" in p.message]
    assert (problem.file, problem.column, problem.row) == ("opportunities.csv", "stage", 9)
    assert "stage_order" in problem.message and "Offer" in problem.message


def test_the_exports_sample_speaks_the_clients_words():
    """The exports sample writes partner types its own way ("Systems Integrator") and gives its
    stage and tier order: its reports say them, without a labels entry."""
    tables, _ = load_inputs(load_engagement(SAMPLE_ENGAGEMENT.parent / "northwind-exports" / "engagement.yml"),
                            ["partners", "partner_metrics", "opportunities"])
    words = vocabulary.of(tables["partners"], tables["opportunities"])
    assert words.label("partner_type", "GSI") == "Systems Integrator"
    assert words.label("partner_type", "ISV") == "ISV"
    result = er.review(tables, {})
    assert result.revenue_by_tier["Tier"].tolist() == ["Platinum", "Gold", "Silver", "Registered", "All partners"]
    assert result.stages["Stage"].tolist() == ["Qualify", "Develop", "Propose", "Negotiate"]


@pytest.mark.parametrize("entry, expected", [
    ({"partners": {"path": "p.csv", "stage_order": ["A"]}}, "'stage_order' is for opportunities only"),
    ({"opportunities": {"path": "o.csv", "tier_order": ["A"]}}, "'tier_order' is for partners only"),
    ({"opportunities": {"path": "o.csv", "stage_order": ["Won", "won "]}}, "listed twice"),
    ({"opportunities": {"path": "o.csv", "stage_order": ["Open"], "outcomes": {"won": ["Won"]}}},
     "outcomes name stages that stage_order does not list: Won"),
    ({"partners": {"path": "p.csv", "labels": {"segment": {"a": "b"}}}}, "labels"),
])
def test_vocabulary_keys_are_checked_in_the_engagement_file(tmp_path, entry, expected):
    file = tmp_path / "engagement.yml"
    file.write_text(yaml.safe_dump({"engagement": "x", "client": "C", "consultant": "D", "data": entry,
                                    "phases": {"portfolio_health": {}}}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_engagement(file, check_files=False)
    assert any(expected in p.message for p in caught.value.problems), caught.value.problems


def test_without_a_vocabulary_nothing_changes():
    words = Vocabulary()
    frame = pd.DataFrame({"stage": ["b", "a"], "n": [1, 2]})
    assert words.sort(frame, "stage") is frame
    assert words.labelled("partner_type", pd.Series(["GSI"])).tolist() == ["GSI"]
    assert words.rank("stage", frame["stage"]) is None


def test_client_labels_only_when_the_client_wrote_one_spelling():
    kit = pd.Series(["GSI", "GSI", "ISV", "ISV", "cloud"])
    written = pd.Series(["Systems Integrator", "Systems Integrator", "ISV", "Software vendor", "Cloud"])
    assert vocabulary.client_labels(kit, written) == {"GSI": "Systems Integrator", "cloud": "Cloud"}
    assert vocabulary.client_labels(kit, written, {"partner_type": {"ISV": "Tech partner"}})["ISV"] == "Tech partner"
