"""What one partner's scorecard holds: a plain, picklable payload with that partner's data alone.

External reporting gives each partner its own progress against targets, so a
scorecard must never show another partner's name, id or figures. The guarantee is
structural: :func:`partner_payload` is handed one partner's rows (its status lines, its deals,
its monthly series, its funds) and *anonymous* benchmark numbers (its percentile among partners
of its tier, the tier average, the number of peers), never a frame with other partners in it.
:func:`partner_payloads` prepares those slices for every partner at once (vectorised: one
``groupby`` per source) and calls it; the renderer then sees one payload at a time.

Benchmarks are shown only when at least :data:`MIN_PEERS` partners of the tier have a value,
as survey tools suppress groups too small to stay anonymous. A direct deal (no partner on it) is
in no payload: :func:`~.attribution.attribute_deals` gives it no row, so it is no partner's deal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from hashlib import sha1

import numpy as np
import pandas as pd

from ..vocabulary import EMPTY, Vocabulary
from .attribution import ATTRIBUTION_RULES
from .executive import in_window
from .panel import BASIS_MONTHS, Panel
from .status import describe_rules, is_good_direction

#: Fewest partners of a tier (with a value) for an anonymous benchmark to be shown.
MIN_PEERS = 5
#: Months of revenue drawn on a scorecard.
CHART_MONTHS = 24
#: Open deals listed on a scorecard (largest first; all are counted in the totals).
DEALS_LISTED = 12
#: File names: a partner id made of these characters is used as is, anything else is slugged.
SAFE_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")


def file_stem(partner_id: str) -> str:
    """The file name (without extension) of a partner's scorecard: its id, or a safe slug of it plus a hash."""
    if SAFE_STEM.match(partner_id) and ".." not in partner_id:
        return partner_id
    slug = re.sub(r"[^A-Za-z0-9]+", "-", partner_id).strip("-")[:40] or "partner"
    return f"{slug}-{sha1(partner_id.encode('utf-8')).hexdigest()[:8]}"


def _f(value) -> float | None:
    """A plain float, or None for missing/infinite values (payloads are plain data)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def percentile_in_group(values: pd.Series, groups: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per row: percentile (0-100) of its value within its group, the group's mean and size (with values).

    The percentile is the share of the *other* members of the group with a strictly lower value
    (0: nobody lower; 100: every other member lower), so partners tied at zero all read 0; a
    group of one gets 50.
    """
    v = pd.to_numeric(values, errors="coerce")
    g = groups.astype(str)
    size = v.notna().groupby(g).transform("sum")
    rank = v.groupby(g).rank(method="min")
    pct = np.where(size > 1, (rank - 1) / (size - 1).where(size > 1) * 100, 50.0)
    pct = pd.Series(np.where(v.notna(), pct, np.nan), index=values.index)
    mean = v.groupby(g).transform("mean")
    return pct, mean, size


@dataclass(frozen=True)
class ScorecardContext:
    """What every scorecard shares: who sends it, the period, the rules (no partner data)."""

    client: str
    as_of: str
    months: int
    rule: str
    color: str = "#0B3D91"
    logo: str = ""          # data URI or empty
    consultant: str = ""
    firm: str = ""          # the consulting firm: named as sender when given
    currency: str = ""      # ISO 4217 code of the amounts: "Amounts in USD" in the header


def _line(r: dict) -> dict:
    return {
        "kpi": r["kpi"], "label": r["label"], "kind": r["kind"], "stage": r["stage"], "unit": r["unit"],
        "basis": r["basis"], "value": _f(r["value"]), "target": _f(r["target"]), "attainment": _f(r["attainment"]),
        "status": r["status"], "direction": r["direction"], "arrow": r["arrow"], "change": _f(r["change"]),
        "lag_months": _f(r["lag_months"]), "measure_direction": r["measure_direction"],
        "good": bool(is_good_direction([r["direction"]], [r["measure_direction"]])[0]),
        "target_source": r["target_source"],
    }


def _deal(d: dict) -> dict:
    created = d["created"]
    return {"label": str(d["opportunity_label"]), "stage": str(d["stage"]),
            "created": pd.Timestamp(created).strftime("%Y-%m-%d") if pd.notna(created) else "",
            "amount": _f(d["amount"]), "credit": _f(d["credit"]), "share": _f(d["share"]),
            "attribution": str(d["attribution"]), "joint": bool(d["n_partners"] > 1)}


def partner_payload(partner: dict, status: list[dict], deals: dict, series: dict, funds: dict | None,
                    benchmarks: list[dict], tier_peers: int, context: ScorecardContext,
                    relationship: dict | None = None) -> dict:
    """One partner's scorecard content from that partner's records alone (plus anonymous benchmarks).

    ``status``: the partner's rows of ``partner_status`` (records); ``deals``: its deal figures
    (``stages`` and ``listed`` records of its open deals, counts and credited sums, by the
    engagement's rule); ``series``: its monthly ``months``/``revenue``, ``monthly_target`` and
    ``deal_registrations_12m``; ``funds``: its MDF of the last 12 months; ``benchmarks``: rows of
    percentile and tier average; ``relationship``: its own alliance's relationship health (see
    :func:`~.upstream.read_relationship`), when the survey was delivered.
    """
    lines = [_line(r) for r in status]
    won, won_amount, closed = int(deals.get("won", 0)), float(deals.get("won_amount", 0.0)), int(deals.get("closed", 0))
    pipeline = {
        "open_deals": int(deals.get("open", 0)), "open_amount": float(deals.get("open_amount", 0.0)),
        "open_sourced": float(deals.get("open_sourced", 0.0)),
        "by_stage": [{"stage": str(s["stage"]), "deals": int(s["deals"]), "amount": _f(s["amount"])}
                     for s in deals.get("stages", [])],
        "deals": [_deal(d) for d in deals.get("listed", [])],
        "won_deals": won, "won_amount": won_amount, "won_sourced": float(deals.get("won_sourced", 0.0)),
        "closed_deals": closed, "win_rate": won / closed if closed else None,
        "joint_deals": int(deals.get("joint", 0)), "registrations": _f(series.get("deal_registrations_12m")),
    }
    return {
        "partner": dict(partner), "stem": file_stem(str(partner["id"])),
        "client": context.client, "consultant": context.consultant, "color": context.color, "logo": context.logo,
        "firm": context.firm, "currency": context.currency,
        "as_of": context.as_of, "months": context.months, "basis_months": BASIS_MONTHS,
        "goals": [x for x in lines if x["kind"] == "lagging"], "kpis": [x for x in lines if x["kind"] == "leading"],
        "revenue": {"months": list(series.get("months", [])), "values": list(series.get("revenue", [])),
                    "monthly_target": _f(series.get("monthly_target"))},
        "pipeline": pipeline, "funds": funds, "benchmarks": benchmarks, "tier_peers": int(tier_peers),
        "relationship": dict(relationship) if relationship else None,
        "min_peers": MIN_PEERS,
        "rules": {"status": describe_rules(context.months), "attribution": ATTRIBUTION_RULES[context.rule],
                  "attribution_name": context.rule},
    }


def deal_figures(attributed: pd.DataFrame, as_of: str, words: Vocabulary = EMPTY) -> dict[str, dict]:
    """Per partner (one ``groupby`` per figure): open, won and closed deals and credits, stages (in the
    client's stage order when given), listed deals."""
    a = attributed
    won = a["won"].fillna(False).astype(bool).to_numpy() & in_window(a["closed"], as_of)
    closed = a["closed"].notna().to_numpy() & ~a["ended"].to_numpy() & in_window(a["closed"], as_of)
    is_open = a["is_open"].to_numpy()
    sourced = (a["attribution"] == "sourced").to_numpy()
    frame = pd.DataFrame({"partner_id": a["partner_id"], "open": is_open, "open_amount": np.where(is_open, a["credit"], 0.0),
                          "open_sourced": np.where(is_open & sourced, a["credit"], 0.0), "won": won,
                          "won_amount": np.where(won, a["credit"], 0.0),
                          "won_sourced": np.where(won & sourced, a["credit"], 0.0), "closed": closed,
                          "joint": (a["n_partners"] > 1).to_numpy()})
    sums = frame.groupby("partner_id", sort=False).sum()
    figures = {pid: row for pid, row in zip(sums.index, sums.to_dict("records"))}
    open_deals = a[is_open]
    stages = (open_deals.groupby(["partner_id", "stage"], sort=False)
              .agg(deals=("credit", "size"), amount=("credit", "sum"), created=("created", "median")).reset_index()
              .sort_values(["partner_id", "created", "stage"], ascending=[True, False, True], kind="stable"))
    stages = words.sort(stages, "stage")
    for pid, part in stages.groupby("partner_id", sort=False):
        figures[pid]["stages"] = part[["stage", "deals", "amount"]].to_dict("records")
    listed = (open_deals.sort_values(["partner_id", "credit", "opportunity_id"], ascending=[True, False, True],
                                     kind="stable").groupby("partner_id", sort=False).head(DEALS_LISTED))
    for pid, part in listed.groupby("partner_id", sort=False):
        figures[pid]["listed"] = part.to_dict("records")
    return figures


def benchmark_frame(partners: pd.DataFrame, status: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Per partner and benchmark measure: value, percentile in its tier, tier average, tier size.

    Measures: every status line's value (revenue, the goals, the leading KPIs), revenue
    attainment, and the columns of ``extra`` (win rate, open pipeline, MDF utilisation).
    """
    ids = partners["partner_id"].astype(str)
    tiers = pd.Series(partners["tier"].astype(str).to_numpy(), index=ids.to_numpy())
    wide = status.pivot_table(index="partner_id", columns="label", values="value", aggfunc="first", sort=False)
    labels = list(dict.fromkeys(status["label"]))
    att = status[status["kind"] == "lagging"].drop_duplicates("partner_id").set_index("partner_id")["attainment"]
    columns = {label: wide[label] for label in labels if label in wide}
    columns["Revenue against target"] = att
    for c in extra.columns:
        columns[c] = extra[c]
    frames = []
    for measure, values in columns.items():
        v = pd.to_numeric(values, errors="coerce").reindex(ids.to_numpy())
        pct, mean, size = percentile_in_group(v, tiers)
        frames.append(pd.DataFrame({"partner_id": ids.to_numpy(), "measure": measure, "value": v.to_numpy(),
                                    "percentile": pct.to_numpy(), "tier_average": mean.to_numpy(),
                                    "tier_size": size.to_numpy()}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["partner_id", "measure", "value", "percentile", "tier_average", "tier_size"])


def partner_payloads(partners: pd.DataFrame, status: pd.DataFrame, attributed: pd.DataFrame, panel: Panel,
                     mdf: pd.DataFrame, context: ScorecardContext, only: list[str] | None = None,
                     words: Vocabulary = EMPTY, relationship: dict[str, dict] | None = None) -> list[dict]:
    """Every partner's payload (or those in ``only``), in the order of ``partners``; its type, tier,
    region and stages in the client's words (``words``).

    Every source is split by partner once (``groupby``) into plain records; each payload is
    then built from its own partner's records alone.
    """
    ids = partners["partner_id"].astype(str)
    wanted = ids if not only else ids[ids.isin(set(only))]
    by_status: dict[str, list[dict]] = {pid: part.to_dict("records") for pid, part in status.groupby("partner_id", sort=False)}
    figures = deal_figures(attributed, context.as_of, words)
    # anonymous benchmarks: percentile within the tier; only aggregates of other partners leave this function
    per_partner = pd.DataFrame(index=ids.to_numpy())
    fig_frame = pd.DataFrame.from_dict({k: {"open_amount": v["open_amount"], "won": v["won"], "closed": v["closed"]}
                                        for k, v in figures.items()}, orient="index")
    fig_frame = fig_frame.reindex(per_partner.index) if len(fig_frame) else pd.DataFrame(
        {"open_amount": np.nan, "won": np.nan, "closed": np.nan}, index=per_partner.index)
    per_partner["Open pipeline"] = fig_frame["open_amount"].fillna(0.0)
    per_partner["Win rate (12 months)"] = fig_frame["won"] / fig_frame["closed"].where(fig_frame["closed"] > 0)
    mdf_i = mdf.set_index("partner_id")
    if float(mdf_i["allocated"].sum()) > 0:
        per_partner["MDF utilisation"] = mdf_i["utilisation"].reindex(per_partner.index)
    bench = benchmark_frame(partners, status, per_partner)
    units = {**dict(zip(status["label"], status["unit"])), "Revenue against target": "share", "Open pipeline": "currency",
             "Win rate (12 months)": "share", "MDF utilisation": "share"}
    bench = bench[np.isfinite(bench["value"].to_numpy(dtype=float)) & (bench["tier_size"] >= MIN_PEERS)]
    by_bench: dict[str, list[dict]] = {
        pid: [{"measure": r["measure"], "value": _f(r["value"]), "percentile": _f(r["percentile"]),
               "tier_average": _f(r["tier_average"]), "unit": units.get(r["measure"], "number")}
              for r in part.to_dict("records")] for pid, part in bench.groupby("partner_id", sort=False)}
    revenue = panel.values.get("revenue")
    registrations = panel.trailing_sum("deal_registrations") if panel.has("deal_registrations") else None
    row_of = {pid: i for i, pid in enumerate(panel.partner_ids)}
    months = panel.months[-CHART_MONTHS:]
    annual = status[status["kind"] == "lagging"].drop_duplicates("partner_id").set_index("partner_id")["target"]
    annual = annual.reindex(ids.to_numpy()).to_dict()
    tier_counts = partners["tier"].astype(str).value_counts().to_dict()
    funds_of = mdf_i[["allocated", "spent", "unused", "utilisation"]].to_dict("index")
    info = partners.assign(partner_id=ids).set_index("partner_id").to_dict("index")
    payloads = []
    for pid in wanted:
        p = info[pid]
        i = row_of[pid]
        target = annual.get(pid, np.nan)
        series = {"months": months,
                  "revenue": [_f(x) for x in (revenue[i, -CHART_MONTHS:] if revenue is not None else [])],
                  "monthly_target": target / 12.0 if target is not None and np.isfinite(target) else None,
                  "deal_registrations_12m": registrations[i] if registrations is not None else None}
        m = funds_of.get(pid, {})
        funds = ({k: _f(m[k]) for k in ("allocated", "spent", "unused", "utilisation")}
                 if m and m["allocated"] > 0 else None)
        manager = p.get("alliance_manager")
        partner = {"id": pid, "name": str(p["partner_name"]), "type": words.label("partner_type", p["partner_type"]),
                   "tier": words.label("tier", p["tier"]), "region": words.label("region", p["region"]), "manager": "" if manager is None or pd.isna(manager) else str(manager),
                   "annual_target": _f(p.get("annual_target"))}
        payloads.append(partner_payload(partner, by_status.get(pid, []), figures.get(pid, {}), series, funds,
                                        by_bench.get(pid, []), int(tier_counts.get(str(p["tier"]), 0)), context,
                                        (relationship or {}).get(pid)))
    return payloads


def payload_leaks(payload: dict, others: dict[str, str]) -> list[str]:
    """Other partners' ids or names (``id -> name``) that occur anywhere in ``payload`` (whole tokens).

    A self-check for tests and for the fan-out's guard: a payload built by :func:`partner_payloads`
    holds none. The partner's own name is removed from the text first, so "Acme" may still be
    a part of "Acme Cloud"'s own name.
    """
    text = repr(payload)
    own = str(payload["partner"]["name"])
    if own:
        text = text.replace(own, " ")
        text = text.replace(repr(own)[1:-1], " ")
    found = []
    for pid, name in others.items():
        for needle in (pid, name):
            if needle and re.search(r"(?<![0-9A-Za-z])" + re.escape(needle) + r"(?![0-9A-Za-z])", text):
                found.append(needle)
    return found


def tier_note(payload: dict) -> str:
    """Why benchmarks are (not) shown, in a sentence for the scorecard."""
    tier = payload["partner"]["tier"]
    if payload["benchmarks"]:
        return (f"Compared with the other {tier} partners: the percentile is the share of {tier} partners with a "
                f"lower value (100 = the highest). Only anonymous figures of at least {MIN_PEERS} partners are shown.")
    return (f"Benchmarks need at least {MIN_PEERS} {tier} partners with data to stay anonymous; there are too few "
            "this period.")

