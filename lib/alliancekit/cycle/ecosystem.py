"""ecosystem_reporting compared: attainment per KPI, partners' status changes, the sourced mix, partner against direct deals.

Read from the delivered result files only: ``partner_status.csv`` (one row per partner and
scorecard measure) and ``programme_summary.csv`` (the executive tables' headline figures as
plain numbers); never the client workbook ``executive_tables.xlsx`` nor a partner scorecard.

- **Attainment** (:func:`kpi_attainment`, ``kpi_attainment.csv``): per KPI (matched by ``kpi``),
  the partners green, amber and red and the median attainment then and now. A KPI on one
  scorecard only is *new* or *dropped*.
- **Status transitions** (:func:`status_changes`, ``kpi_status_changes.csv``): every partner and
  KPI in both reviews whose status changed (green to red and back), *worse* or *better* along
  green, amber, red; a change to or from "no data" or "no target" is *other* (not comparable).
- **The programme** (:func:`programme_changes`, ``programme_changes.csv``): the portfolio's
  revenue against its targets, the sourced and influenced mix (deals won, open pipeline, and the
  revenue partners report), and partner against direct deals: the last only when both reviews'
  opportunity data held direct deals (else there is nothing to compare partner deals with).

The executive report is the client's internal view and names partners; the partner scorecards
(one partner's data each) are not read or touched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import report
from ..fmt import amount, compact_number, join_words, percent, plain_number, plural
from .changes import PhaseChanges, Shown, listed
from .delivery import Delivery

PHASE = "ecosystem_reporting"
STATUS, SUMMARY = "partner_status.csv", "programme_summary.csv"
#: Partner KPI changes the report's table lists each way, worse and better (the CSV holds them all).
SHOWN_CHANGES = 25
#: The statuses compared as better or worse, best first.
RANKED = ("green", "amber", "red")
#: A status change's direction (``kpi_status_changes.csv``'s ``direction``), in the file's order.
WORSE, BETTER, OTHER = "worse", "better", "other"
#: Columns of the comparison's files.
ATTAINMENT_COLUMNS = ("kpi", "label", "kind", "unit", "change", "partners_then", "partners_now", "green_then",
                      "green_now", "amber_then", "amber_now", "red_then", "red_now", "median_attainment_then",
                      "median_attainment_now")
STATUS_CHANGE_COLUMNS = ("partner_id", "partner_name", "kpi", "label", "status_then", "status_now", "transition",
                         "direction", "attainment_then", "attainment_now")
PROGRAMME_COLUMNS = ("section", "measure", "label", "unit", "value_then", "value_now", "change")


# ---------------------------------------------------------------------------------------------- reading


def status(delivery: Delivery) -> pd.DataFrame:
    """``partner_status.csv``: one row per partner and KPI (the first when repeated), attainment as a number."""
    table = delivery.csv(PHASE, STATUS)
    table["attainment"] = pd.to_numeric(table["attainment"], errors="coerce")
    table["status"] = table["status"].fillna("no data").astype(str)
    return table.drop_duplicates(["partner_id", "kpi"]).reset_index(drop=True)


def has_summary(delivery: Delivery) -> bool:
    """Whether the delivery holds ``programme_summary.csv`` (made by a kit that writes it)."""
    return (delivery.folder(PHASE) / SUMMARY).is_file()


def programme(delivery: Delivery) -> pd.DataFrame:
    """``programme_summary.csv`` indexed by ``measure`` (section, label, value, unit)."""
    table = delivery.csv(PHASE, SUMMARY)
    table["value"] = pd.to_numeric(table["value"], errors="coerce")
    return table.drop_duplicates("measure").set_index("measure")


# ---------------------------------------------------------------------------------------------- attainment


def _per_kpi(table: pd.DataFrame) -> pd.DataFrame:
    """Per KPI (in the table's order): label, kind, unit, partners, green / amber / red and the median attainment.

    The median is over the partners with a finite attainment (a partner without data or target
    has none; a target of zero gives an infinite one, left out).
    """
    order = pd.unique(table["kpi"])
    finite = table["attainment"].where(np.isfinite(table["attainment"]))
    counts = pd.crosstab(table["kpi"], table["status"]).reindex(index=order, columns=list(RANKED), fill_value=0)
    first = table.drop_duplicates("kpi").set_index("kpi")
    return pd.DataFrame({
        "label": first["label"].reindex(order), "kind": first["kind"].reindex(order),
        "unit": first["unit"].reindex(order), "partners": table.groupby("kpi").size().reindex(order),
        **{s: counts[s] for s in RANKED}, "median_attainment": finite.groupby(table["kpi"]).median().reindex(order),
    }, index=pd.Index(order, name="kpi"))


def kpi_attainment(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Per KPI of either scorecard: partners green, amber, red and the median attainment then and now
    (``kpi_attainment.csv``). ``change``: kept, new (now only) or dropped (then only). In the
    current scorecard's order, dropped KPIs last; label, kind and unit the latest known."""
    a, b = _per_kpi(then), _per_kpi(now)
    ids = list(b.index) + [k for k in a.index if k not in b.index]
    latest = pd.concat([b, a[~a.index.isin(b.index)]]).reindex(ids)
    index = pd.Index(ids)
    out = pd.DataFrame({"kpi": ids, "label": latest["label"].to_numpy(), "kind": latest["kind"].to_numpy(),
                        "unit": latest["unit"].to_numpy(),
                        "change": np.where(~index.isin(a.index), "new", np.where(~index.isin(b.index), "dropped", "kept"))})
    for column in ("partners", *RANKED, "median_attainment"):
        out[f"{column}_then"] = a[column].reindex(ids).to_numpy()
        out[f"{column}_now"] = b[column].reindex(ids).to_numpy()
    for column in ("partners", *RANKED):
        for side in ("then", "now"):
            out[f"{column}_{side}"] = pd.array(out[f"{column}_{side}"], dtype="Int64")
    return out[list(ATTAINMENT_COLUMNS)]


def _same(a: object, b: object) -> bool:
    """Two figures read alike: equal, or both missing."""
    if pd.isna(a) and pd.isna(b):
        return True
    return not pd.isna(a) and not pd.isna(b) and round(float(a), 4) == round(float(b), 4)


def attainment_sentences(table: pd.DataFrame) -> list[str]:
    """Per KPI whose status counts or median attainment moved: both reviews' figures; then KPIs new and dropped."""
    out = []
    kept = table[table["change"] == "kept"]
    moved = 0
    for r in kept.itertuples(index=False):
        if all(_same(getattr(r, f"{c}_then"), getattr(r, f"{c}_now"))
               for c in ("partners", *RANKED, "median_attainment")):
            continue
        moved += 1
        out.append(f"{r.label}: {r.green_now:,} of {r.partners_now:,} partners green now, {r.green_then:,} of "
                   f"{r.partners_then:,} at the last review; red {r.red_now:,} now, {r.red_then:,} at the last review; "
                   f"median attainment {percent(r.median_attainment_now)} now, {percent(r.median_attainment_then)} "
                   "at the last review.")
    if len(kept) and not moved:
        out.append("Every scorecard KPI has as many partners green, amber and red as at the last review, at the same "
                   "median attainment.")
    for change, words in (("new", "New on the scorecard since the last review"),
                          ("dropped", "No longer on the scorecard")):
        part = table[table["change"] == change]
        if len(part):
            out.append(f"{words}: {listed(part['label'].astype(str).tolist())}.")
    return out


# ---------------------------------------------------------------------------------------------- transitions


def status_changes(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Every partner and KPI in both reviews whose status changed (``kpi_status_changes.csv``).

    ``transition``: "green to red"; ``direction``: worse or better along green, amber, red,
    other when either status is "no data" or "no target". Sorted worse, better, other; within
    each, swings between green and red first, then by the KPI's place on the current
    scorecard, then ``partner_id``.
    """
    cols = ["partner_id", "kpi", "status", "attainment"]
    both = now[["partner_name", "label", *cols]].merge(then[cols], on=["partner_id", "kpi"], suffixes=("_now", "_then"))
    both = both[both["status_then"] != both["status_now"]]
    rank = {s: i for i, s in enumerate(RANKED)}
    r0, r1 = both["status_then"].map(rank), both["status_now"].map(rank)
    direction = np.select([r0.isna() | r1.isna(), r1 > r0], [OTHER, WORSE], default=BETTER)
    out = pd.DataFrame({"partner_id": both["partner_id"], "partner_name": both["partner_name"], "kpi": both["kpi"],
                        "label": both["label"], "status_then": both["status_then"], "status_now": both["status_now"],
                        "transition": both["status_then"] + " to " + both["status_now"], "direction": direction,
                        "attainment_then": both["attainment_then"], "attainment_now": both["attainment_now"]},
                       columns=list(STATUS_CHANGE_COLUMNS))
    kpi_order = {k: i for i, k in enumerate(pd.unique(now["kpi"]))}
    steps = (r1 - r0).abs().fillna(0).to_numpy()
    return (out.assign(_d=out["direction"].map({WORSE: 0, BETTER: 1, OTHER: 2}), _s=-steps, _k=out["kpi"].map(kpi_order))
            .sort_values(["_d", "_s", "_k", "partner_id"], kind="stable").drop(columns=["_d", "_s", "_k"])
            .reset_index(drop=True))


def transition_counts(changes: pd.DataFrame) -> pd.DataFrame:
    """Partner KPIs per transition: worse first, then better, then other; most frequent first within each."""
    counts = changes.groupby(["direction", "transition"], sort=True).size().rename("partner_kpis").reset_index()
    order = counts["direction"].map({WORSE: 0, BETTER: 1, OTHER: 2})
    return (counts.assign(_d=order).sort_values(["_d", "partner_kpis", "transition"], ascending=[True, False, True],
                                                kind="stable").drop(columns="_d").reset_index(drop=True))


def _pairs(part: pd.DataFrame) -> str:
    """'Acme (Revenue), Birch (Proposals)': partners with the KPI, up to :data:`~.changes.NAMES_IN_SENTENCE`."""
    return listed([f"{p} ({k})" for p, k in zip(part["partner_name"].astype(str), part["label"].astype(str))])


def transition_sentences(changes: pd.DataFrame, counts: pd.DataFrame) -> list[str]:
    """How many partner KPIs got worse and better, by transition; the swings between green and red by name."""
    if changes.empty:
        return ["No partner's KPI changed status since the last review."]
    parts = []
    for direction in (WORSE, BETTER):
        part = counts[counts["direction"] == direction]
        if len(part):
            detail = join_words(f"{int(n):,} {t}" for t, n in zip(part["transition"], part["partner_kpis"]))
            parts.append(f"{int(part['partner_kpis'].sum()):,} {direction} ({detail})")
    other = int(counts.loc[counts["direction"] == OTHER, "partner_kpis"].sum())
    if other:
        parts.append(f"{other:,} to or from no data or no target")
    out = [f"{plural(len(changes), 'partner KPI')} changed status since the last review: {join_words(parts)}."]
    for then, now, words in (("green", "red", "From green to red"), ("red", "green", "From red to green")):
        part = changes[(changes["status_then"] == then) & (changes["status_now"] == now)]
        if len(part):
            out.append(f"{words}: {_pairs(part)}.")
    return out


# ---------------------------------------------------------------------------------------------- the programme


def programme_changes(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Every measure of either ``programme_summary.csv`` then and now (``programme_changes.csv``).

    Partner against direct deals (section ``deals``) only when both reviews hold it. In the
    current summary's order, measures of the last review only last; ``change`` = now - then.
    """
    if not ((then["section"] == "deals").any() and (now["section"] == "deals").any()):
        then, now = then[then["section"] != "deals"], now[now["section"] != "deals"]
    ids = list(now.index) + [m for m in then.index if m not in now.index]
    latest = pd.concat([now, then[~then.index.isin(now.index)]]).reindex(ids)
    out = pd.DataFrame({"section": latest["section"].to_numpy(), "measure": ids, "label": latest["label"].to_numpy(),
                        "unit": latest["unit"].to_numpy(),
                        "value_then": then["value"].reindex(ids).to_numpy(dtype=float),
                        "value_now": now["value"].reindex(ids).to_numpy(dtype=float)})
    out["change"] = out["value_now"] - out["value_then"]
    return out[list(PROGRAMME_COLUMNS)]


def _then_now(then: str, now: str) -> str:
    """'X now, Y at the last review'; 'X, now as at the last review' when both read alike."""
    return f"{now}, now as at the last review" if then == now else f"{now} now, {then} at the last review"


def _value(table: pd.DataFrame, measure: str, side: str) -> float:
    row = table[table["measure"] == measure]
    return float(row[f"value_{side}"].iloc[0]) if len(row) else float("nan")


def _has(table: pd.DataFrame, *measures: str) -> bool:
    return all(np.isfinite(_value(table, m, s)) for m in measures for s in ("then", "now"))


def revenue_sentence(table: pd.DataFrame) -> list[str]:
    """The portfolio's revenue of the last 12 months against its targets then and now."""
    if not _has(table, "revenue_12m", "revenue_target"):
        return []

    def side(s: str) -> str:
        att = _value(table, "revenue_attainment", s)
        return (f"{compact_number(_value(table, 'revenue_12m', s))} against targets of "
                f"{compact_number(_value(table, 'revenue_target', s))}" + (f" ({percent(att)})" if np.isfinite(att) else ""))

    out = f"Partner revenue over the last 12 months is {_then_now(side('then'), side('now'))}"
    if _has(table, "alliances_on_target", "alliances"):
        def on(s: str) -> str:
            return f"{int(_value(table, 'alliances_on_target', s)):,} of {int(_value(table, 'alliances', s)):,}"
        out += f"; alliances on target: {_then_now(on('then'), on('now'))}"
    return [out + "."]


def mix_sentences(table: pd.DataFrame) -> list[str]:
    """The sourced share of won deals and open pipeline, and of the revenue the partners report, then and now."""
    out = []
    if _has(table, "sourced_share_won", "won_amount_sourced", "won_amount_influenced"):
        def won(s: str) -> str:
            total = _value(table, "won_amount_sourced", s) + _value(table, "won_amount_influenced", s)
            return (f"{percent(_value(table, 'sourced_share_won', s))} "
                    f"({compact_number(_value(table, 'won_amount_sourced', s))} of {compact_number(total)})")

        text = ("Partner-sourced deals bring this share of the amount won with partners in the last 12 months: "
                + _then_now(won("then"), won("now")))
        if _has(table, "sourced_share_pipeline"):
            text += "; of the open partner pipeline: " + _then_now(
                *(percent(_value(table, "sourced_share_pipeline", s)) for s in ("then", "now")))
        out.append(text + ".")
    if _has(table, "reported_sourced_share"):
        out.append("Sourced share of the revenue the partners report: " + _then_now(
            *(percent(_value(table, "reported_sourced_share", s)) for s in ("then", "now"))) + ".")
    return out


def direct_sentences(table: pd.DataFrame, held: tuple[bool, bool]) -> list[str]:
    """Partner against direct deals then and now, or why they are not compared (``held``: direct deals then, now)."""
    if not all(held):
        if not any(held):
            return ["Neither review's opportunity data hold deals without a partner, so partner deals are not "
                    "compared with direct ones."]
        which = "the last review's" if held[0] else "the current"
        return [f"Only {which} opportunity data hold deals without a partner, so partner and direct deals are not "
                "compared across the two reviews."]

    def rate(key: str, s: str) -> str:
        return (f"{percent(_value(table, f'win_rate_{key}', s))} ({plain_number(_value(table, f'won_{key}', s))} of "
                f"{plain_number(_value(table, f'closed_{key}', s))})")

    out = [f"Win rate of deals with partners: {_then_now(rate('partner', 'then'), rate('partner', 'now'))}; of "
           f"direct deals: {_then_now(rate('direct', 'then'), rate('direct', 'now'))}."]
    if _has(table, "average_won_deal_partner", "average_won_deal_direct"):
        def avg(s: str) -> str:
            return (f"{compact_number(_value(table, 'average_won_deal_partner', s))} with partners against "
                    f"{compact_number(_value(table, 'average_won_deal_direct', s))} direct")
        out.append(f"Average won deal: {_then_now(avg('then'), avg('now'))}.")
    return out


# ---------------------------------------------------------------------------------------------- together


def _summary_partners(then: pd.DataFrame, now: pd.DataFrame) -> str:
    """Partners on the scorecards in both reviews, new and no longer."""
    a = then.drop_duplicates("partner_id").set_index("partner_id")["partner_name"]
    b = now.drop_duplicates("partner_id").set_index("partner_id")["partner_name"]
    new, gone = b[~b.index.isin(a.index)], a[~a.index.isin(b.index)]
    if not len(new) and not len(gone):
        return f"The same {len(b):,} partners are on the scorecards now as at the last review."
    return (f"{len(b):,} partners are on the scorecards now, {len(a):,} at the last review: "
            f"new {listed(new.sort_index().tolist()) if len(new) else 'none'}; "
            f"no longer {listed(gone.sort_index().tolist()) if len(gone) else 'none'}.")


def _programme_shown(table: pd.DataFrame) -> pd.DataFrame:
    """The programme's figures as the report shows them: each in its own unit."""
    def fmt(value: float, unit: str) -> str:
        if unit == "days":
            return plain_number(value)
        return amount(value, "currency" if unit == "currency" else "share" if unit == "share" else "number")

    return pd.DataFrame({"Measure": table["label"],
                         "Last review": [fmt(v, u) for v, u in zip(table["value_then"], table["unit"])],
                         "Now": [fmt(v, u) for v, u in zip(table["value_now"], table["unit"])]}).reset_index(drop=True)


def compare(previous: Delivery, current: Delivery) -> PhaseChanges:
    """What changed in the ecosystem report (see the module docstring)."""
    then, now = status(previous), status(current)
    attainment = kpi_attainment(then, now)
    changes = status_changes(then, now)
    counts = transition_counts(changes)
    summary: list[str] = []

    files: dict[str, pd.DataFrame] = {}
    prog = None
    if has_summary(previous) and has_summary(current):
        p0, p1 = programme(previous), programme(current)
        prog = programme_changes(p0, p1)
        summary += revenue_sentence(prog)
    summary += attainment_sentences(attainment) + transition_sentences(changes, counts)
    if prog is not None:
        summary += mix_sentences(prog)
        summary += direct_sentences(prog, (bool((p0["section"] == "deals").any()), bool((p1["section"] == "deals").any())))
    else:
        which = ("neither delivery holds" if not has_summary(previous) and not has_summary(current) else
                 "the last review's delivery holds" if not has_summary(previous) else "the current delivery holds")
        summary.append(f"Revenue against target, the sourced and influenced mix and partner against direct deals are "
                       f"not compared: {which} no {SUMMARY} (made by an earlier version of the kit); re-run "
                       "ecosystem_reporting with this version to compare them.")
    summary.append(_summary_partners(then, now))

    files["kpi_attainment.csv"] = attainment
    files["kpi_status_changes.csv"] = changes
    if prog is not None:
        files["programme_changes.csv"] = prog

    shown = [Shown("Scorecard KPIs: partners by status and median attainment", report.annotate(pd.DataFrame({
        "KPI": attainment["label"], "Green, last review": attainment["green_then"], "Green, now": attainment["green_now"],
        "Amber, last review": attainment["amber_then"], "Amber, now": attainment["amber_now"],
        "Red, last review": attainment["red_then"], "Red, now": attainment["red_now"],
        "Median attainment, last review": attainment["median_attainment_then"],
        "Median attainment, now": attainment["median_attainment_now"],
        "Change": attainment["change"].map({"kept": "", "new": "new", "dropped": "dropped"})}),
        ["Attainment: value against target (target against value where less is better); the median is over the "
         "partners with data and a target."]),
        {"Median attainment, last review": percent, "Median attainment, now": percent})]
    if len(counts):
        shown.append(Shown("Partner KPIs that changed status, by change", pd.DataFrame({
            "Change": counts["transition"], "Direction": counts["direction"], "Partner KPIs": counts["partner_kpis"]})))
        listed = changes[changes["direction"] != OTHER]
        head = listed.groupby("direction", sort=False).head(SHOWN_CHANGES)
        notes = []
        if len(head) < len(listed):
            notes.append(f"The largest {SHOWN_CHANGES} changes each way, swings between green and red first, of "
                         f"{len(listed):,}; kpi_status_changes.csv lists them all.")
        if (changes["direction"] == OTHER).any():
            notes.append("Changes to or from no data or no target are in kpi_status_changes.csv only.")
        if len(listed):
            shown.append(Shown("Partner KPIs that got worse or better", report.annotate(pd.DataFrame({
                "Partner": head["partner_name"], "KPI": head["label"], "Last review": head["status_then"],
                "Now": head["status_now"], "Attainment, last review": head["attainment_then"],
                "Attainment, now": head["attainment_now"]}).reset_index(drop=True), notes),
                {"Attainment, last review": percent, "Attainment, now": percent}))
    if prog is not None and len(prog):
        shown.append(Shown("The programme: revenue, sourced and influenced mix, partner and direct deals",
                           report.annotate(_programme_shown(prog), [
                               "Deals won and open pipeline count each deal once, however many partners it lists; "
                               "amounts over the 12 months to each review's last month."])))
    return PhaseChanges(PHASE, summary, files=files, shown=shown)
