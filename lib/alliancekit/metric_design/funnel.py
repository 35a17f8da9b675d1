"""The alliance funnel: which motion each metric belongs to, its name for the reader, its unit.

Practitioners group alliance KPIs by motion (as one alliance practitioner put it, "starting
with Build-With, progressing to Market-With, and finally ending up at Sell-With"), with the
lagging outcomes after them. Known columns (the partner_metrics columns README, "Input files"
lists; :data:`KNOWN_STAGES`) have a fixed stage; any other column is staged by keywords in its
name, checked Sell-With first (the motion closest to revenue, so ``solution_demos`` is
selling, not building), then Market-With, Build-With and outcome words. A column no keyword
matches is placed in **Sell-With**: an activity a partner reports monthly is most often a
selling activity, and the report lists these columns so the consultant can check them.
"""

from __future__ import annotations

import re

import numpy as np

BUILD, MARKET, SELL, OUTCOME = "Build-With", "Market-With", "Sell-With", "outcome"
#: The three motions, in funnel order.
STAGES = (BUILD, MARKET, SELL)
#: Every value of ``funnel_stage``.
FUNNEL_STAGES = (*STAGES, OUTCOME)

#: Lagging outcomes: never candidates, they are what the scorecard's goals measure.
LAGGING_OUTCOMES = ("revenue", "bookings", "new_customers", "sourced_revenue", "influenced_revenue")
#: Outcomes that become goals of the scorecard when present (the target always is one).
GOAL_COLUMNS = ("revenue", "bookings", "new_customers")

KNOWN_STAGES = {
    "pipeline_created": SELL, "deal_registrations": SELL, "joint_accounts_nominated": SELL,
    "proposals_submitted": SELL, "certifications": BUILD, "enablement_sessions": BUILD,
    "joint_campaigns": MARKET, "mdf_allocated": MARKET, "mdf_spent": MARKET,
    **{name: OUTCOME for name in LAGGING_OUTCOMES},
}

#: Name keywords per stage, checked in this order (first match wins).
STAGE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (OUTCOME, ("revenue", "booking", "arr", "mrr", "customer", "income", "margin", "profit")),
    (SELL, ("sell", "sale", "deal", "opportunit", "pipeline", "proposal", "account", "registration", "demo",
            "poc", "quote", "bid", "meeting", "briefing", "play")),
    (MARKET, ("campaign", "mdf", "market", "event", "webinar", "lead", "coop", "co_op", "fund", "listing",
              "content", "launch", "press", "newsletter")),
    (BUILD, ("cert", "enablement", "training", "trained", "solution", "integration", "build", "workshop",
             "skill", "accredit", "lab", "connector", "api", "product", "hackathon")),
)

LABELS = {
    "revenue": "Revenue", "bookings": "Bookings", "new_customers": "New customers",
    "sourced_revenue": "Sourced revenue", "influenced_revenue": "Influenced revenue",
    "pipeline_created": "Pipeline created", "deal_registrations": "Deal registrations",
    "joint_accounts_nominated": "Joint accounts nominated", "proposals_submitted": "Proposals submitted",
    "certifications": "Certifications", "enablement_sessions": "Enablement sessions",
    "joint_campaigns": "Joint campaigns", "mdf_allocated": "MDF allocated", "mdf_spent": "MDF spent",
}
_ACRONYMS = {"mdf", "poc", "arr", "mrr", "qbr", "jbp", "api", "roi", "sla", "nps", "csat"}

#: Columns that hold money (targets are amounts per month, shown without decimals).
MONEY_COLUMNS = ("revenue", "bookings", "pipeline_created", "mdf_allocated", "mdf_spent",
                 "sourced_revenue", "influenced_revenue")
_MONEY_WORDS = ("revenue", "amount", "value", "spend", "spent", "budget", "cost", "fund", "arr", "mrr",
                "pipeline", "booking", "usd", "eur", "gbp")


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]


def _has_keyword(name: str, keyword: str) -> bool:
    """``keyword`` starts a word of ``name`` (``arr`` matches ``arr_growth``, not ``carrier``)."""
    return any(word.startswith(keyword) for word in _words(name)) or ("_" in keyword and keyword in name.lower())


def stage_of(name: str) -> tuple[str, bool]:
    """``(funnel stage, known)`` of column ``name``: known columns by :data:`KNOWN_STAGES`, others by keywords.

    ``known`` is False when the stage was guessed (keyword or the Sell-With default).
    """
    if name in KNOWN_STAGES:
        return KNOWN_STAGES[name], True
    for stage, keywords in STAGE_KEYWORDS:
        if any(_has_keyword(name, k) for k in keywords):
            return stage, False
    return SELL, False


def matched_by_keyword(name: str) -> bool:
    """True when an unknown column's stage came from a keyword (not the Sell-With default)."""
    return name in KNOWN_STAGES or any(_has_keyword(name, k) for _, ks in STAGE_KEYWORDS for k in ks)


def label_of(name: str) -> str:
    """The column's name for the reader: ``joint_accounts_nominated`` -> 'Joint accounts nominated'."""
    if name in LABELS:
        return LABELS[name]
    words = [w.upper() if w in _ACRONYMS else w for w in _words(name)] or [name]
    text = " ".join(words).replace("co ", "co-", 1) if words[0] == "co" else " ".join(words)
    return text[:1].upper() + text[1:]


def unit_of(name: str, values: np.ndarray | None = None) -> str:
    """``currency`` for money columns, ``count`` for whole numbers, else ``number``."""
    if name in MONEY_COLUMNS or (name not in KNOWN_STAGES and any(_has_keyword(name, w) for w in _MONEY_WORDS)):
        return "currency"
    if values is not None:
        finite = values[np.isfinite(values)]
        if len(finite) and np.all(finite == np.round(finite)):
            return "count"
        return "number"
    return "count"
