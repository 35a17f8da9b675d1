"""The executive tables: target attainment, attribution, pipeline, win rates with and without partners, funds, KPIs, movers.

Internal reporting gives management what it needs to judge target attainment and to see where
to exploit the unexpected. Every function here takes the prepared frames and returns
one table with the client's column headings, ready for the report and the Excel workbook.
Portfolio totals and group breakdowns always use the deals' ``counted`` shares (a deal counted
once; :mod:`.attribution`); per-partner figures use ``credit``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..fmt import DASH, plain_number
from ..vocabulary import EMPTY, Vocabulary
from ..months import month_label, month_numbers
from .panel import YEAR, Panel
from .status import ARROWS, STATUSES, direction_of_travel, window_means

#: How a grouping column is named in the tables.
GROUP_LABELS = {"partner_type": "Partner type", "tier": "Tier", "region": "Region"}
#: The total row of the grouped tables.
TOTAL = "All partners"
#: A partner whose revenue runs at least this share above target and rising is an outperformer.
OUTPERFORM = 1.2
#: Rows of the movers and exception tables.
TOP_N = 10


def in_window(values, as_of: str, months: int = YEAR, offset: int = 0) -> np.ndarray:
    """Whether each date falls in the ``months`` months ending ``offset`` months before ``as_of``."""
    end = float(month_numbers([as_of])[0]) - offset
    m = month_numbers(pd.to_datetime(pd.Series(values)))
    return (m > end - months) & (m <= end)


def _ratio(a: float, b: float) -> float:
    return float(a) / float(b) if b and np.isfinite(b) and b > 0 else float("nan")


# ----------------------------------------------------------------------------------------------
# Revenue against target
# ----------------------------------------------------------------------------------------------

def in_client_words(table: pd.DataFrame, by: str, words: Vocabulary, header: str | None = None) -> pd.DataFrame:
    """``table``'s groups of ``by`` (column ``header``, default the group's heading) in the client's
    order of ``by`` when it gives one (a total row stays last) and named with the client's labels."""
    header = header or GROUP_LABELS.get(by, by)
    total = table[header].astype(str) == TOTAL
    body = words.sort(table[~total], by, header)
    out = pd.concat([body, table[total]]) if total.any() else body
    return out.assign(**{header: words.labelled(by, out[header]).where(out[header].astype(str) != TOTAL, TOTAL)}
                      ).reset_index(drop=True)


def revenue_vs_target(partners: pd.DataFrame, status: pd.DataFrame, target_kpi: str, by: str,
                      words: Vocabulary = EMPTY) -> pd.DataFrame:
    """Revenue of the last 12 months against the annual targets, by ``by`` (plus a total row), largest
    revenue first or in the client's order (tiers)."""
    rev = status[status["kpi"] == target_kpi].set_index("partner_id")
    frame = pd.DataFrame({
        "group": partners[by].astype(str).to_numpy(),
        "revenue": rev["value"].reindex(partners["partner_id"].astype(str)).fillna(0.0).to_numpy(),
        "target": rev["target"].reindex(partners["partner_id"].astype(str)).to_numpy(),
        "green": (rev["status"].reindex(partners["partner_id"].astype(str)) == "green").to_numpy(),
    })
    grouped = frame.groupby("group", sort=True).agg(partners=("group", "size"), revenue=("revenue", "sum"),
                                                     target=("target", "sum"), on_target=("green", "sum"))
    grouped = grouped.sort_values("revenue", ascending=False, kind="stable")
    total = pd.DataFrame({"partners": [len(frame)], "revenue": [frame["revenue"].sum()],
                          "target": [frame["target"].sum()], "on_target": [frame["green"].sum()]}, index=[TOTAL])
    out = pd.concat([grouped, total])
    out["attainment"] = out["revenue"] / out["target"].where(out["target"] > 0)
    out["gap"] = (out["target"] - out["revenue"]).clip(lower=0)
    out["share_on_target"] = out["on_target"] / out["partners"]
    out = out.reset_index().rename(columns={"index": "group"})
    return in_client_words(pd.DataFrame({
        GROUP_LABELS.get(by, by): out["group"], "Alliances": out["partners"].astype(int),
        "Revenue (12 mo)": out["revenue"], "Target": out["target"], "Attainment": out["attainment"],
        "Gap to target": out["gap"], "On target": out["on_target"].astype(int),
    }), by, words)


# ----------------------------------------------------------------------------------------------
# Attribution: sourced and influenced, won and open
# ----------------------------------------------------------------------------------------------

def attribution_summary(attributed: pd.DataFrame, as_of: str, rule: str) -> pd.DataFrame:
    """Deals won in the last 12 months and open pipeline, sourced and influenced, each deal once.

    Under ``full_credit_reported_separately`` a last column gives what partners are credited
    with in total, including the overlap counted for more than one partner.
    """
    rows = []
    won = attributed["won"].fillna(False).astype(bool).to_numpy() & in_window(attributed["closed"], as_of)
    for label, mask in (("Sourced", attributed["attribution"] == "sourced"),
                        ("Influenced", attributed["attribution"] == "influenced"),
                        ("All partner deals", pd.Series(True, index=attributed.index))):
        mask = mask.to_numpy()
        w, o = attributed[mask & won], attributed[mask & attributed["is_open"].to_numpy()]
        multi = w.loc[w["n_partners"] > 1, "counted"].sum()
        rows.append({"Attribution": label, "Deals won (12 mo)": w["opportunity_id"].nunique(),
                     "Won amount": w["counted"].sum(), "Open deals": o["opportunity_id"].nunique(),
                     "Open pipeline": o["counted"].sum(),
                     "Multi-partner share of won": _ratio(multi, w["counted"].sum()),
                     "Credited to partners": w["credit"].sum() + o["credit"].sum()})
    out = pd.DataFrame(rows)
    if rule != "full_credit_reported_separately":
        out = out.drop(columns="Credited to partners")
    return out


def attribution_by_group(attributed: pd.DataFrame, partners: pd.DataFrame, as_of: str, by: str = "partner_type",
                         words: Vocabulary = EMPTY) -> pd.DataFrame:
    """Won amount (12 months) and open pipeline, sourced and influenced, by partner ``by`` (counted shares)."""
    group = attributed["partner_id"].map(dict(zip(partners["partner_id"].astype(str), partners[by].astype(str))))
    won = attributed["won"].fillna(False).astype(bool).to_numpy() & in_window(attributed["closed"], as_of)
    frame = pd.DataFrame({"group": group, "attribution": attributed["attribution"],
                          "won": np.where(won, attributed["counted"], 0.0),
                          "open": np.where(attributed["is_open"], attributed["counted"], 0.0)})
    table = frame.pivot_table(index="group", columns="attribution", values=["won", "open"], aggfunc="sum", fill_value=0.0)
    out = pd.DataFrame(index=table.index)
    for kind, label in (("won", "Won"), ("open", "Pipeline")):
        for attr in ("sourced", "influenced"):
            out[f"{label}, {attr}"] = table[(kind, attr)] if (kind, attr) in table.columns else 0.0
    out["Sourced share of won"] = out["Won, sourced"] / (out["Won, sourced"] + out["Won, influenced"]).where(
        lambda s: s > 0)
    out = out.sort_values("Won, sourced", ascending=False, kind="stable").reset_index()
    return in_client_words(out.rename(columns={"group": GROUP_LABELS.get(by, by)}), by, words)


def reported_revenue_split(panel: Panel) -> pd.DataFrame:
    """Revenue of the last 12 months as the partners report it: sourced, influenced (when the metrics have them)."""
    rows = []
    for column, label in (("sourced_revenue", "Sourced"), ("influenced_revenue", "Influenced")):
        if panel.has(column):
            rows.append({"Revenue": label, "Amount (12 mo)": float(np.nansum(panel.trailing_sum(column)))})
    out = pd.DataFrame(rows, columns=["Revenue", "Amount (12 mo)"])
    total = out["Amount (12 mo)"].sum()
    out["Share"] = out["Amount (12 mo)"] / total if total > 0 else np.nan
    return out


# ----------------------------------------------------------------------------------------------
# Pipeline, velocity and win rates
# ----------------------------------------------------------------------------------------------

def pipeline_by_stage(deals: pd.DataFrame, as_of: str, words: Vocabulary = EMPTY) -> pd.DataFrame:
    """Open deals by stage (each deal once), in the client's stage order when given, otherwise
    earliest stage first by the median age of its deals.

    A deal without an amount counts among the open deals but not in the pipeline amounts; one
    without a created date is left out of the median age.
    """
    end = pd.Period(as_of, freq="M").to_timestamp(how="end").normalize()
    open_deals = deals[deals["is_open"]].copy()
    open_deals["age"] = (end - pd.to_datetime(open_deals["created"])).dt.days
    total = open_deals["amount"].sum()
    grouped = open_deals.groupby("stage", sort=True).agg(deals=("amount", "size"), amount=("amount", "sum"),
                                                         age=("age", "median"))
    grouped = grouped.sort_values(["age", "amount"], ascending=[True, False], kind="stable").reset_index()
    grouped = words.sort(grouped, "stage")
    return pd.DataFrame({"Stage": grouped["stage"], "Open deals": grouped["deals"].astype(int),
                         "Pipeline": grouped["amount"], "Share": grouped["amount"] / total if total > 0 else np.nan,
                         "Median age (days)": grouped["age"].round(0)})


def _velocity_row(deals: pd.DataFrame, as_of: str, offset: int) -> dict:
    closed_in = in_window(deals["closed"], as_of, YEAR, offset) & deals["closed"].notna().to_numpy() & ~deals["ended"].to_numpy()
    closed = deals[closed_in]
    won = closed[closed["won"].fillna(False).astype(bool)]
    end = pd.Period(month_label(month_numbers([as_of])[0] - offset), freq="M").to_timestamp(how="end").normalize()
    created = pd.to_datetime(deals["created"])
    closed_at = pd.to_datetime(deals["closed"])
    open_then = (created <= end) & (closed_at.isna() | (closed_at > end))
    cycle = (pd.to_datetime(won["closed"]) - pd.to_datetime(won["created"])).dt.days
    win_rate = _ratio(len(won), len(closed))
    size = won["amount"].mean() if len(won) else np.nan
    days = float(cycle.mean()) if len(cycle) else np.nan
    velocity = int(open_then.sum()) * size * win_rate / days * (365.25 / 12) if days and np.isfinite(days) and days > 0 else np.nan
    return {"Deals closed": len(closed), "Deals won": len(won), "Win rate": win_rate, "Average won deal": size,
            "Average days to win": days, "Open deals at period end": int(open_then.sum()),
            "Pipeline velocity per month": velocity}


def pipeline_velocity(deals: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Sales velocity of partner deals, last 12 months against the 12 before, with its direction.

    Velocity = open deals x average won deal x win rate / average days to win, expressed per
    month: the amount the partner pipeline can be expected to turn into wins each month. A deal
    without a created date is left out of the days to win and of the open deals at period end
    (when it opened is unknown); a won deal without an amount is left out of the average won deal.
    """
    now, before = _velocity_row(deals, as_of, 0), _velocity_row(deals, as_of, YEAR)
    rows = []
    for key in now:
        a, b = now[key], before[key]
        direction, _ = direction_of_travel(np.array([[b, a]], dtype=float), 1)
        rows.append({"Measure": key, "Last 12 months": a, "12 months before": b, "Direction": ARROWS[direction[0]]})
    return pd.DataFrame(rows)


def win_rates(attributed: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Win rate of partner deals closed in the last 12 months: all, by kind and by number of partners.

    Direct deals (no partner) are compared with partner deals in :func:`partner_comparison`.
    """
    deals = attributed.drop_duplicates("opportunity_id")
    closed = deals[deals["closed"].notna() & ~deals["ended"] & in_window(deals["closed"], as_of)]

    def row(label: str, part: pd.DataFrame) -> dict:
        won = int(part["won"].fillna(False).astype(bool).sum())
        return {"Deals": label, "Closed (12 mo)": len(part), "Won": won, "Win rate": _ratio(won, len(part))}

    return pd.DataFrame([row("With partners", closed),
                         row("Partner-sourced", closed[closed["attribution"] == "sourced"]),
                         row("Partner-influenced", closed[closed["attribution"] == "influenced"]),
                         row("One partner", closed[closed["n_partners"] == 1]),
                         row("Several partners", closed[closed["n_partners"] > 1])])


#: Rows of :func:`partner_comparison`: label and which deals (every deal once).
COMPARISON_ROWS = ("All partner deals", "Partner-sourced", "Partner-influenced", "Direct deals (no partner)")
#: Columns of :func:`partner_comparison`: each rate or average follows the count it is taken over.
COMPARISON_COLUMNS = ("Deals", "Closed (12 mo)", "Won", "Win rate", "Won with amount", "Average won deal",
                      "Won with created date", "Median days to close")


def partner_comparison(deals: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Deals with and without partners closed in the last 12 months to ``as_of`` (the period of :func:`win_rates`).

    ``deals``: every opportunity once (:func:`~.attribution.every_deal`; ``n_partners`` 0 = a
    direct deal). Rows :data:`COMPARISON_ROWS`: all partner deals, those sourced and those
    influenced by partners, and direct deals. Per row: deals closed in the period, won, the win
    rate (won / closed); the average amount of the won deals that have one (``Won with amount``
    of them); the median days from created to closed of the won deals with a created date
    (``Won with created date`` of them). A rate or average over no deal is missing.
    """
    closed = deals[deals["closed"].notna().to_numpy() & ~deals["ended"].to_numpy() & in_window(deals["closed"], as_of)]
    partner = closed["n_partners"].to_numpy() > 0
    attribution = closed["attribution"].to_numpy()
    masks = (partner, partner & (attribution == "sourced"), partner & (attribution == "influenced"), ~partner)
    rows = []
    for label, mask in zip(COMPARISON_ROWS, masks):
        part = closed[mask]
        won = part[part["won"].fillna(False).astype(bool).to_numpy()]
        amounts = pd.to_numeric(won["amount"], errors="coerce").dropna()
        days = (pd.to_datetime(won["closed"]) - pd.to_datetime(won["created"])).dt.days.dropna()
        rows.append({"Deals": label, "Closed (12 mo)": len(part), "Won": len(won), "Win rate": _ratio(len(won), len(part)),
                     "Won with amount": len(amounts), "Average won deal": float(amounts.mean()) if len(amounts) else np.nan,
                     "Won with created date": len(days), "Median days to close": float(days.median()) if len(days) else np.nan})
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


# ----------------------------------------------------------------------------------------------
# The programme in one table: what a later review compares
# ----------------------------------------------------------------------------------------------

#: Columns of :func:`programme_summary` (``programme_summary.csv``).
SUMMARY_COLUMNS = ("section", "measure", "label", "value", "unit")
#: Rows of the attribution summary and of the comparison: measure suffix and how a label names them.
_ATTRIBUTION_ROWS = {"Sourced": ("sourced", "partner-sourced"), "Influenced": ("influenced", "partner-influenced"),
                     "All partner deals": ("partner", "all partner deals")}
_COMPARISON_KEYS = dict(zip(COMPARISON_ROWS, (("partner", "all partner deals"), ("sourced", "partner-sourced"),
                                               ("influenced", "partner-influenced"), ("direct", "direct deals"))))


def _total_row(table: pd.DataFrame, column: str) -> float:
    """``column`` of a revenue table's total row (its last), NaN when the table is empty."""
    return float(table[column].iloc[-1]) if len(table) else float("nan")


def programme_summary(revenue: pd.DataFrame, attribution: pd.DataFrame, reported: pd.DataFrame,
                      comparison: pd.DataFrame | None) -> pd.DataFrame:
    """``programme_summary.csv``: the programme's headline figures, one row per measure (:data:`SUMMARY_COLUMNS`).

    The executive workbook formats these figures for the client; this table holds them as plain
    numbers under stable measure ids, so a later review compares them without reading a
    workbook. Sections: ``revenue`` (the total row of :func:`revenue_vs_target`: alliances,
    revenue of the last 12 months, the annual targets, attainment, alliances on target);
    ``mix`` (:func:`attribution_summary`: deals won in the last 12 months and open pipeline,
    partner-sourced, partner-influenced and all partner deals, each deal once; the sourced share
    of won and of open amounts; and the revenue the partners report as sourced and influenced
    when the metrics hold it, :func:`reported_revenue_split`); ``deals``
    (:func:`partner_comparison`, only when the opportunities hold a direct deal: closed, won,
    win rate, average won deal and median days to close of partner, sourced, influenced and
    direct deals). ``unit``: currency, share, count or days. Values rounded to 4 decimals (as
    ``partner_status.csv``), so a re-run writes the same bytes. No partner's own figures: totals only.
    """
    rows: list[tuple] = []

    def add(section: str, measure: str, label: str, value: object, unit: str) -> None:
        rows.append((section, measure, label, round(float(value), 4) if value is not None else np.nan, unit))

    add("revenue", "alliances", "Alliances", _total_row(revenue, "Alliances"), "count")
    add("revenue", "revenue_12m", "Partner revenue, last 12 months", _total_row(revenue, "Revenue (12 mo)"), "currency")
    add("revenue", "revenue_target", "Annual revenue targets", _total_row(revenue, "Target"), "currency")
    add("revenue", "revenue_attainment", "Revenue against target", _total_row(revenue, "Attainment"), "share")
    add("revenue", "alliances_on_target", "Alliances on revenue target", _total_row(revenue, "On target"), "count")

    by = attribution.set_index("Attribution")
    for row, (key, words) in _ATTRIBUTION_ROWS.items():
        if row not in by.index:
            continue
        add("mix", f"won_deals_{key}", f"Deals won (12 mo), {words}", by.at[row, "Deals won (12 mo)"], "count")
        add("mix", f"won_amount_{key}", f"Won amount (12 mo), {words}", by.at[row, "Won amount"], "currency")
        add("mix", f"open_deals_{key}", f"Open deals, {words}", by.at[row, "Open deals"], "count")
        add("mix", f"open_pipeline_{key}", f"Open pipeline, {words}", by.at[row, "Open pipeline"], "currency")
    for column, measure, label in (("Won amount", "sourced_share_won", "Sourced share of won amount"),
                                   ("Open pipeline", "sourced_share_pipeline", "Sourced share of open pipeline")):
        if {"Sourced", "Influenced"} <= set(by.index):
            add("mix", measure, label, _ratio(by.at["Sourced", column],
                                              by.at["Sourced", column] + by.at["Influenced", column]), "share")
    split = reported.set_index("Revenue")["Amount (12 mo)"] if len(reported) else pd.Series(dtype=float)
    for row, key in (("Sourced", "sourced"), ("Influenced", "influenced")):
        if row in split.index:
            add("mix", f"reported_{key}_revenue", f"{row} revenue as partners report it (12 mo)", split[row], "currency")
    if {"Sourced", "Influenced"} <= set(split.index):
        add("mix", "reported_sourced_share", "Sourced share of reported revenue",
            _ratio(split["Sourced"], split["Sourced"] + split["Influenced"]), "share")

    if comparison is not None and len(comparison):
        for r in comparison.itertuples(index=False):
            key, words = _COMPARISON_KEYS[r[0]]
            add("deals", f"closed_{key}", f"Deals closed (12 mo), {words}", r[1], "count")
            add("deals", f"won_{key}", f"Deals won (12 mo), {words}", r[2], "count")
            add("deals", f"win_rate_{key}", f"Win rate, {words}", r[3], "share")
            add("deals", f"average_won_deal_{key}", f"Average won deal, {words}", r[5], "currency")
            add("deals", f"median_days_to_close_{key}", f"Median days to close a won deal, {words}", r[7], "days")
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


# ----------------------------------------------------------------------------------------------
# Market development funds
# ----------------------------------------------------------------------------------------------

def mdf_frame(partners: pd.DataFrame, panel: Panel) -> pd.DataFrame:
    """Per partner: MDF allocated, spent and unused over the last 12 months (unused never negative)."""
    allocated = panel.trailing_sum("mdf_allocated")
    spent = panel.trailing_sum("mdf_spent")
    frame = pd.DataFrame({"partner_id": partners["partner_id"].astype(str).to_numpy(),
                          "partner_name": partners["partner_name"].astype(str).to_numpy(),
                          "tier": partners["tier"].astype(str).to_numpy(),
                          "partner_type": partners["partner_type"].astype(str).to_numpy(),
                          "allocated": np.nan_to_num(allocated), "spent": np.nan_to_num(spent)})
    frame["unused"] = (frame["allocated"] - frame["spent"]).clip(lower=0)
    frame["utilisation"] = frame["spent"] / frame["allocated"].where(frame["allocated"] > 0)
    return frame


def mdf_by_group(mdf: pd.DataFrame, by: str = "tier", words: Vocabulary = EMPTY) -> pd.DataFrame:
    """MDF allocated, spent, left unused and utilisation over the last 12 months, by ``by`` plus a total;
    largest allocation first, or in the client's order (tiers)."""
    grouped = mdf.groupby(by, sort=True)[["allocated", "spent", "unused"]].sum()
    grouped = grouped.sort_values("allocated", ascending=False, kind="stable")
    grouped.loc[TOTAL] = mdf[["allocated", "spent", "unused"]].sum()
    grouped = grouped.reset_index()
    return in_client_words(pd.DataFrame({
        GROUP_LABELS.get(by, by): grouped[by], "Allocated": grouped["allocated"],
        "Spent": grouped["spent"], "Unused": grouped["unused"],
        "Unused share": grouped["unused"] / grouped["allocated"].where(grouped["allocated"] > 0),
        "Utilisation": grouped["spent"] / grouped["allocated"].where(grouped["allocated"] > 0)}), by, words)


def mdf_unused_partners(mdf: pd.DataFrame, n: int = TOP_N, words: Vocabulary = EMPTY) -> pd.DataFrame:
    """The ``n`` alliances with the most MDF left unused over the last 12 months."""
    top = mdf[mdf["unused"] > 0].sort_values(["unused", "partner_id"], ascending=[False, True], kind="stable").head(n)
    return pd.DataFrame({"Partner": top["partner_name"], "Tier": words.labelled("tier", top["tier"]), "Allocated": top["allocated"],
                         "Spent": top["spent"], "Unused": top["unused"], "Utilisation": top["utilisation"]})


# ----------------------------------------------------------------------------------------------
# Scorecard KPIs, segments, movers, exceptions
# ----------------------------------------------------------------------------------------------

def kpi_status_summary(status: pd.DataFrame, panel: Panel, measures: pd.DataFrame, months: int,
                       target_kpi: str = "revenue") -> pd.DataFrame:
    """Per scorecard measure: partners by status and the portfolio's direction of travel.

    The portfolio direction compares the sum over all partners of the last ``months`` months
    with the months before (the same rule as a partner's arrow).
    """
    counts = status.pivot_table(index="kpi", columns="status", values="partner_id", aggfunc="count", fill_value=0)
    rows = []
    for m in measures.itertuples(index=False):
        if m.kpi not in counts.index:
            continue
        total = np.nansum(panel.values[m.kpi], axis=0, where=np.isfinite(panel.values[m.kpi]))[None, :]
        direction, change = direction_of_travel(total, months)
        row = {"Measure": m.label, "Kind": m.kind, "Motion": m.stage if m.kind == "leading" else "goal",
               "Target per partner": "annual target" if m.kpi == target_kpi else _target_text(m.target, m.unit, m.direction)}
        for s in STATUSES[:3] + ("no data",):
            row[s.capitalize()] = int(counts.loc[m.kpi].get(s, 0))
        row["Portfolio direction"] = ARROWS[direction[0]]
        row["Portfolio change"] = change[0]
        rows.append(row)
    return pd.DataFrame(rows)


def _target_text(value: float, unit: str, direction: str) -> str:
    text = plain_number(value, whole=unit == "currency")
    return text if text == DASH else f"{'≥' if direction != 'down' else '≤'} {text} a month"


def segment_summary(status: pd.DataFrame, segments: pd.DataFrame, target_kpi: str) -> pd.DataFrame:
    """Portfolio health segments (portfolio_health's ``segments.csv``) with their target attainment."""
    if segments is None or segments.empty or "segment" not in segments:
        return pd.DataFrame(columns=["Segment", "Alliances", "Revenue (12 mo)", "Attainment", "On target", "Actions"])
    rev = status[status["kpi"] == target_kpi].set_index("partner_id")
    seg = segments.assign(partner_id=segments["partner_id"].astype(str))
    seg = seg.assign(revenue=rev["value"].reindex(seg["partner_id"]).fillna(0.0).to_numpy(),
                     target=rev["target"].reindex(seg["partner_id"]).to_numpy(),
                     green=(rev["status"].reindex(seg["partner_id"]) == "green").to_numpy())
    grouped = seg.groupby("segment", sort=False).agg(partners=("partner_id", "size"), revenue=("revenue", "sum"),
                                                     target=("target", "sum"), on_target=("green", "sum"))
    if "action" in seg:
        mix = seg.groupby("segment", sort=False)["action"].agg(
            lambda a: ", ".join(f"{k} {v}" for k, v in a.value_counts().sort_index().items()))
        grouped["actions"] = mix
    else:
        grouped["actions"] = ""
    grouped = grouped.sort_values("revenue", ascending=False, kind="stable").reset_index()
    return pd.DataFrame({"Segment": grouped["segment"], "Alliances": grouped["partners"].astype(int),
                         "Revenue (12 mo)": grouped["revenue"],
                         "Attainment": grouped["revenue"] / grouped["target"].where(grouped["target"] > 0),
                         "On target": grouped["on_target"].astype(int), "Actions": grouped["actions"]})


def revenue_movers(partners: pd.DataFrame, panel: Panel, months: int, words: Vocabulary = EMPTY) -> pd.DataFrame:
    """Per partner: average monthly revenue of the last ``months`` months against the months before."""

    matrix = panel.values.get("revenue", np.full((len(partners), 0), np.nan))
    last, previous = window_means(matrix, months)
    frame = pd.DataFrame({"partner_id": partners["partner_id"].astype(str).to_numpy(),
                          "Partner": partners["partner_name"].astype(str).to_numpy(),
                          "Type": words.labelled("partner_type", partners["partner_type"]).to_numpy(),
                          "Tier": words.labelled("tier", partners["tier"]).to_numpy(),
                          "Before (per month)": previous, "Now (per month)": last})
    frame["Change"] = frame["Now (per month)"] - frame["Before (per month)"]
    frame["Change %"] = frame["Change"] / frame["Before (per month)"].abs().where(frame["Before (per month)"] != 0)
    return frame


def top_movers(movers: pd.DataFrame, up: bool, n: int = TOP_N) -> pd.DataFrame:
    """The ``n`` largest rises (``up``) or falls of monthly revenue, in money."""
    part = movers[movers["Change"] > 0] if up else movers[movers["Change"] < 0]
    part = part.sort_values(["Change", "partner_id"], ascending=[not up, True], kind="stable").head(n)
    return part.drop(columns="partner_id").reset_index(drop=True)


def course_corrections(status: pd.DataFrame, partners: pd.DataFrame, segments: pd.DataFrame | None,
                       target_kpi: str, words: Vocabulary = EMPTY) -> pd.DataFrame:
    """Alliances that need a course correction, largest gap to target first.

    Rule: the revenue goal is red and not rising (→ or ↓), or at least half of the partner's
    leading KPIs (and at least one) are red and falling. The reason names what triggered it;
    portfolio_health's recommended action is shown beside it.
    """
    rev = status[status["kpi"] == target_kpi].set_index("partner_id")
    lead = status[status["kind"] == "leading"]
    red_falling = lead[(lead["status"] == "red") & (lead["direction"] == "down")]
    n_lead = lead.groupby("partner_id").size()
    bad_lead = red_falling.groupby("partner_id")["label"].agg(lambda s: ", ".join(s.str.lower()))
    n_bad = red_falling.groupby("partner_id").size()
    ids = pd.Index(partners["partner_id"].astype(str))
    rev_red = ((rev["status"].reindex(ids) == "red") & rev["direction"].reindex(ids).isin(["flat", "down"])).to_numpy()
    bad = n_bad.reindex(ids).fillna(0).to_numpy()
    lead_bad = (bad >= np.maximum(1, n_lead.reindex(ids).fillna(0).to_numpy() / 2))
    keep = rev_red | lead_bad
    flagged = ids[keep]
    if not len(flagged):
        return pd.DataFrame(columns=["Partner", "Tier", "Revenue (12 mo)", "Attainment", "Direction", "Reason", "Portfolio action"])
    p = partners.assign(partner_id=ids).set_index("partner_id").loc[flagged]
    r = rev.reindex(flagged)
    reasons = []
    for pid, red, lead_flag in zip(flagged, rev_red[keep], lead_bad[keep]):
        parts = []
        if red:
            parts.append(f"revenue at {r.at[pid, 'attainment']:.0%} of target and not rising")
        if lead_flag:
            parts.append(f"leading indicators red and falling: {bad_lead[pid]}")
        reasons.append("; ".join(parts))
    action = pd.Series("", index=flagged)
    if segments is not None and "action" in segments:
        action = segments.assign(partner_id=segments["partner_id"].astype(str)).set_index("partner_id")["action"].reindex(flagged).fillna("")
    out = pd.DataFrame({"Partner": p["partner_name"].astype(str).to_numpy(), "Tier": words.labelled("tier", p["tier"]).to_numpy(),
                        "Revenue (12 mo)": r["value"].to_numpy(), "Attainment": r["attainment"].to_numpy(),
                        "Direction": r["arrow"].fillna("–").to_numpy(), "Reason": reasons,
                        "Portfolio action": action.to_numpy(), "_gap": (r["target"] - r["value"]).to_numpy()})
    return out.sort_values("_gap", ascending=False, kind="stable").drop(columns="_gap").reset_index(drop=True)


def unexpected_upside(status: pd.DataFrame, partners: pd.DataFrame, target_kpi: str, n: int = TOP_N,
                      words: Vocabulary = EMPTY) -> pd.DataFrame:
    """Where to exploit the unexpected: outperformers, and leading indicators rising ahead of revenue.

    - *Outperforming*: revenue at least :data:`OUTPERFORM` times its target and rising.
    - *Early signal*: revenue below target while at least half of the leading KPIs (and at
      least one) rise: revenue should follow, so the alliance deserves attention now.
    """
    ids = partners["partner_id"].astype(str)
    rev = status[status["kpi"] == target_kpi].set_index("partner_id").reindex(ids)
    lead = status[status["kind"] == "leading"]
    n_lead = lead.groupby("partner_id").size().reindex(ids).fillna(0)
    rising = lead[lead["direction"] == "up"]
    n_up = rising.groupby("partner_id").size().reindex(ids).fillna(0)
    names_up = rising.groupby("partner_id")["label"].agg(lambda s: ", ".join(s.str.lower())).reindex(ids).fillna("")
    out_mask = (rev["attainment"] >= OUTPERFORM) & (rev["direction"] == "up")
    early = (rev["attainment"] < 1) & (n_up >= np.maximum(1, n_lead / 2)) & (n_lead > 0)
    rows = []
    for pid, kind, why in ([(pid, "Outperforming", f"revenue at {rev.at[pid, 'attainment']:.0%} of target and rising")
                            for pid in ids[out_mask.to_numpy()]]
                           + [(pid, "Early signal", f"rising ahead of revenue: {names_up[pid]}")
                              for pid in ids[early.to_numpy()]]):
        rows.append({"partner_id": pid, "Signal": kind, "Why": why, "Revenue (12 mo)": rev.at[pid, "value"],
                     "Attainment": rev.at[pid, "attainment"]})
    if not rows:
        return pd.DataFrame(columns=["Partner", "Tier", "Signal", "Revenue (12 mo)", "Attainment", "Why"])
    frame = pd.DataFrame(rows)
    info = partners.assign(partner_id=ids).set_index("partner_id")
    frame["Partner"] = frame["partner_id"].map(info["partner_name"].astype(str))
    frame["Tier"] = frame["partner_id"].map(words.labelled("tier", info["tier"]))
    frame = frame.sort_values(["Signal", "Revenue (12 mo)", "partner_id"], ascending=[False, False, True], kind="stable")
    frame = frame.groupby("Signal", sort=False).head(n)
    return frame[["Partner", "Tier", "Signal", "Revenue (12 mo)", "Attainment", "Why"]].reset_index(drop=True)
