"""Who gets credit for a deal: multi-partner opportunities attributed without double counting.

One opportunity may list several partners (``partner_ids``, ``;``-separated, the first listed
is the one who registered or leads it), or none: a *direct* deal, the vendor's own, which no
partner is credited with and which appears on no partner's figures or scorecard (it is compared
with the partner deals in :func:`every_deal` and the executive table "With and without partners").
:func:`attribute_deals` turns the opportunity records into one row per deal and partner (a
direct deal has no row) with two amounts:

- ``credit``: what the partner is credited with, by the engagement's rule (the ``attribution``
  parameter). Partner scorecards and per-partner tables show it.
- ``counted``: the partner's share of the deal for portfolio totals and group breakdowns (by
  type, tier, region). The ``counted`` shares of a deal always add up to its amount, so a total
  never counts a deal twice.

The rules (:data:`ATTRIBUTION_RULES`):

- ``equal_split`` (default): a deal with n partners credits amount / n to each; credit and
  counted are the same, and partner credits add up to the deal totals.
- ``first_listed``: the whole amount to the first listed partner, nothing to the others;
  credit and counted are the same.
- ``full_credit_reported_separately``: every partner on a deal is credited with its whole
  amount (each sees the full deal on its scorecard); portfolio totals still count each deal
  once (counted = equal split) and the excess, the *overlap* credited to more than one partner,
  is reported on its own line (:func:`credit_overlap`), never added to a total.

A deal without an ``amount`` (an open deal not yet sized) keeps its row with a missing amount,
credit and counted share: counts include it, sums and averages of amounts leave it out. A deal
without a ``created`` date (a prospect not yet engaged) has a missing ``created``: figures that
need it (days to close, deal ages, pipeline velocity) leave it out.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import vocabulary
from ..fmt import split_ids

#: The attribution rules and their description in the report.
ATTRIBUTION_RULES: dict[str, str] = {
    "equal_split": "a deal with several partners credits an equal share of its amount to each; partner credits add "
                   "up to the deal totals",
    "first_listed": "a deal's whole amount is credited to the first partner listed on it (the one who registered or "
                    "leads it); the other partners on it are credited nothing",
    "full_credit_reported_separately": "every partner on a deal is credited with its whole amount; portfolio totals "
                                       "still count each deal once (equal shares by partner type, tier and region) and "
                                       "the amount credited more than once is reported separately as overlap",
}

#: Columns of :func:`attribute_deals`.
DEAL_COLUMNS = ("opportunity_id", "opportunity_label", "partner_id", "position", "n_partners", "amount", "share",
                "credit", "counted", "stage", "attribution", "created", "closed", "won", "is_open", "ended")


def _mentions(text: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``text`` as a whole token (case-insensitive).

    A plain substring test first: almost no deal id contains a co-partner, and compiling a
    pattern per (deal, partner) pair cost 11 s of a 12 s review at 10,000 partners.
    """
    if not needle or needle.casefold() not in text.casefold():
        return False
    return re.search(r"(?<![0-9A-Za-z])" + re.escape(needle) + r"(?![0-9A-Za-z])", text, re.IGNORECASE) is not None


def _partner_lists(opportunities: pd.DataFrame) -> pd.Series:
    """Each opportunity's partners, each once, in the order listed (empty: a direct deal)."""
    if "partner_ids" not in opportunities:
        return pd.Series([[] for _ in range(len(opportunities))], index=opportunities.index, dtype=object)
    return opportunities["partner_ids"].map(lambda ids: split_ids(ids, unique=True))


def _deal_fields(base: pd.DataFrame) -> dict[str, np.ndarray]:
    """The per-deal columns of one row per deal (or per deal and partner): amount (NaN: unknown),
    stage, attribution (empty when not given), created and closed (NaT: not given), won, is_open, and
    ended (a stage the client says ends a deal without a win or a loss, and no outcome given)."""
    missing_dates = pd.Series(pd.NaT, index=base.index, dtype="datetime64[ns]")
    closed = base["closed"] if "closed" in base else missing_dates
    won = base["won"] if "won" in base else pd.Series(pd.NA, index=base.index, dtype="boolean")
    stage = base["stage"].astype(str)
    words = vocabulary.of(base)
    is_open = closed.isna().to_numpy() & won.isna().to_numpy() & ~words.closed(stage)
    attribution = base["attribution"] if "attribution" in base else pd.Series(None, index=base.index, dtype=object)
    return {
        "amount": pd.to_numeric(base["amount"], errors="coerce").to_numpy(dtype=float), "stage": stage.to_numpy(),
        "attribution": attribution.fillna("").astype(str).to_numpy(),
        "created": pd.to_datetime(base["created"] if "created" in base else missing_dates).to_numpy(),
        "closed": pd.to_datetime(closed).to_numpy(), "won": won.astype("boolean").to_numpy(), "is_open": is_open,
        "ended": won.isna().to_numpy() & words.ended(stage),
    }


def attribute_deals(opportunities: pd.DataFrame, rule: str = "equal_split",
                    names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per opportunity and partner on it, with ``credit`` and ``counted`` by ``rule``.

    A direct deal (no partner listed) has no row: no partner is credited with it.
    ``is_open``: no close date, no won flag and a stage that does not say closed.
    ``opportunity_label`` is the opportunity id as a partner may see it: replaced by
    ``"joint deal"`` when the id itself names another partner on the deal (its id or, with
    ``names``, its name), so a scorecard never shows a co-partner through a deal id. A missing
    amount stays missing (so do ``credit`` and ``counted``): sums leave the deal out.
    """
    if rule not in ATTRIBUTION_RULES:
        raise ValueError(f"unknown attribution rule {rule!r}; valid: {', '.join(ATTRIBUTION_RULES)}")
    opps = opportunities.reset_index(drop=True)
    lists = _partner_lists(opps)
    n = lists.map(len).to_numpy(dtype=int)
    rows = np.repeat(np.arange(len(opps)), n)
    position = np.concatenate([np.arange(k) for k in n]) if len(n) and n.sum() else np.array([], dtype=int)
    ids = [pid for ps in lists for pid in ps]
    base = opps.iloc[rows].reset_index(drop=True)
    fields = _deal_fields(base)
    amount = fields["amount"]
    n_rows = n[rows]
    equal = 1.0 / np.maximum(n_rows, 1)
    if rule == "first_listed":
        share = (position == 0).astype(float)
        counted_share = share
    elif rule == "full_credit_reported_separately":
        share = np.ones(len(rows))
        counted_share = equal
    else:
        share = equal
        counted_share = equal
    opp_ids = base["opportunity_id"].astype(str).to_numpy()
    labels = opp_ids.copy().astype(object)
    multi = np.flatnonzero(n_rows > 1)
    names = names or {}
    for i in multi:  # only multi-partner deals can name a co-partner
        others = [p for p in lists.iloc[rows[i]] if p != ids[i]]
        if any(_mentions(opp_ids[i], p) or _mentions(opp_ids[i], names.get(p, "")) for p in others):
            labels[i] = "joint deal"
    return pd.DataFrame({
        "opportunity_id": opp_ids, "opportunity_label": labels, "partner_id": np.array(ids, dtype=object),
        "position": position.astype(int), "n_partners": n_rows.astype(int), "amount": amount, "share": share,
        "credit": amount * share, "counted": amount * counted_share, "stage": fields["stage"],
        "attribution": fields["attribution"], "created": fields["created"], "closed": fields["closed"],
        "won": fields["won"], "is_open": fields["is_open"], "ended": fields["ended"],
    }, columns=list(DEAL_COLUMNS))


#: Columns of :func:`deal_table` and :func:`every_deal`.
DEAL_TABLE_COLUMNS = ("opportunity_id", "n_partners", "amount", "stage", "attribution", "created", "closed", "won",
                      "is_open", "ended")


def deal_table(attributed: pd.DataFrame) -> pd.DataFrame:
    """One row per partner deal again (amount once), with its number of partners."""
    first = attributed.drop_duplicates("opportunity_id", keep="first")
    return first[list(DEAL_TABLE_COLUMNS)].reset_index(drop=True)


def every_deal(opportunities: pd.DataFrame) -> pd.DataFrame:
    """One row per opportunity, with or without partners (columns :data:`DEAL_TABLE_COLUMNS`).

    ``n_partners`` is 0 for a direct deal; a partner deal has the values :func:`deal_table`
    gives it. A direct deal's ``attribution`` is empty (sourced or influenced by no partner).
    """
    opps = opportunities.reset_index(drop=True)
    n = _partner_lists(opps).map(len).to_numpy(dtype=int)
    fields = _deal_fields(opps)
    fields["attribution"] = np.where(n > 0, fields["attribution"], "").astype(object)
    return pd.DataFrame({"opportunity_id": opps["opportunity_id"].astype(str).to_numpy(), "n_partners": n, **fields},
                        columns=list(DEAL_TABLE_COLUMNS))


def credit_overlap(attributed: pd.DataFrame) -> float:
    """Amount credited to partners beyond the deals' own amounts (0 unless the rule gives full credit)."""
    return float(attributed["credit"].sum() - attributed["counted"].sum())
