"""org_design compared: partner coverage, sponsorless strategic alliances, headcount and the recommended structure.

What a consultant checks a year on, from the delivered result files only:

- **Coverage** (:func:`coverage_changes`, ``partner_coverage.csv``): partners are matched by
  ``partner_id``; one covered at the last review and by nobody now is *no longer covered*, the
  reverse *newly covered*; one covered by nobody both times is *still uncovered*. Partners in
  one review only are *new* or *no longer a partner*.
- **Executive sponsors** (:func:`sponsor_changes`): the strategic alliances without a sponsor
  (strategic and ``has_sponsor`` False) then and now: *still without a sponsor*, *newly
  without a sponsor* (with why: the sponsor is no longer named, the alliance became strategic,
  it is a new partner) and *resolved* (a sponsor is named, it is no longer strategic, it is no
  longer a partner). Compared only when both partner lists named sponsors (``has_sponsor``
  not empty).
- **Headcount** (:func:`headcount_changes`, ``headcount.csv``): current and required FTE and
  the gap per role (matched by ``role_id``), and the team's totals; a role is said to have
  changed when a figure differs at one decimal, as the report shows them.
- **Structure** (:func:`structure_changes`, ``structure_options.csv``): each structure and
  reporting line's score and rank, and which one is recommended, then and now.
- **Workload** (``staff_load.csv``): how many people are overloaded and under-loaded (counts
  only).

A delivery made before ``partner_coverage.csv`` was a result file has no coverage to compare:
the summary says so and the other comparisons stand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import report
from ..fmt import join_words, percent, plural
from .changes import PhaseChanges, Shown, listed
from .delivery import Delivery

PHASE = "org_design"
COVERAGE = "partner_coverage.csv"
#: Smallest gap read as people missing or over (FTE figures are read at one decimal, as the report shows them).
FTE_STEP = 0.05

#: ``coverage_changes.csv``'s ``status``, in the order of the file (what needs attention first).
LOST, STILL_UNCOVERED, NEW_UNCOVERED, GAINED, NEW_COVERED, KEPT, DROPPED = (
    "no longer covered", "still uncovered", "new, uncovered", "newly covered", "new, covered", "still covered",
    "no longer a partner")
COVERAGE_STATUSES = (LOST, STILL_UNCOVERED, NEW_UNCOVERED, GAINED, NEW_COVERED, KEPT, DROPPED)
#: ``sponsor_changes.csv``'s ``status``.
STILL, NEW, RESOLVED = "still without a sponsor", "newly without a sponsor", "resolved"
SPONSOR_STATUSES = (STILL, NEW, RESOLVED)

#: Columns of the comparison's files.
COVERAGE_COLUMNS = ("partner_id", "partner_name", "tier", "strategic", "covered_then", "covered_now", "status",
                    "covered_by_then", "covered_by_now", "revenue_ttm")
SPONSOR_COLUMNS = ("partner_id", "partner_name", "tier", "strategic_then", "strategic_now", "has_sponsor_then",
                   "has_sponsor_now", "status", "why")
HEADCOUNT_COLUMNS = ("role_id", "role", "change", "current_fte_then", "current_fte_now", "required_fte_then",
                     "required_fte_now", "gap_then", "gap_now")
STRUCTURE_COLUMNS = ("kind", "option_id", "option", "change", "score_then", "score_now", "rank_then", "rank_now",
                     "recommended_then", "recommended_now")
#: How the kinds of option read.
KIND_WORDS = {"structure": "structure", "reporting_line": "reporting line"}


# ---------------------------------------------------------------------------------------------- reading


def _then_now(then: str, now: str) -> str:
    """'X now, Y at the last review'; 'X, now as at the last review' when both read alike."""
    return f"{now}, now as at the last review" if then == now else f"{now} now, {then} at the last review"


def _flag(values: pd.Series) -> pd.Series:
    """A True/False column as CSV text or booleans: True, False, or None where it is empty."""
    text = values.astype(str).str.strip().str.lower()
    return pd.Series(np.where(text.isin(("true", "1", "yes")), True,
                              np.where(text.isin(("false", "0", "no")), False, None)), index=values.index, dtype=object)


def has_coverage(delivery: Delivery) -> bool:
    """Whether the delivery holds ``partner_coverage.csv`` (made by a kit that writes it)."""
    return (delivery.folder(PHASE) / COVERAGE).is_file()


def coverage(delivery: Delivery) -> pd.DataFrame:
    """``partner_coverage.csv`` as the comparison needs it: ids and staff lists as text, flags as booleans.

    ``has_sponsor`` is None for every partner when the partner list named no sponsors.
    """
    table = pd.read_csv(delivery.file(PHASE, COVERAGE), dtype=str, keep_default_na=False)
    return pd.DataFrame({
        "partner_id": table["partner_id"], "partner_name": table["partner_name"], "tier": table["tier"],
        "strategic": _flag(table["strategic"]).fillna(False).astype(bool),
        "covered": _flag(table["covered"]).fillna(False).astype(bool), "covered_by": table["covered_by"],
        "has_sponsor": _flag(table["has_sponsor"]),
        "revenue_ttm": pd.to_numeric(table["revenue_ttm"], errors="coerce"),
    }).drop_duplicates("partner_id").reset_index(drop=True)


def sponsors_named(table: pd.DataFrame) -> bool:
    """Whether a delivery's partner list named executive sponsors (``has_sponsor`` filled in)."""
    return bool(table["has_sponsor"].notna().any()) or table.empty


# ---------------------------------------------------------------------------------------------- coverage


def coverage_changes(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Every partner of either review with its coverage then and now (``coverage_changes.csv``).

    ``covered_then`` / ``covered_now`` are empty for a partner not in that review; ``strategic``,
    ``tier`` and ``revenue_ttm`` are the latest known (now, else then). Sorted by
    :data:`COVERAGE_STATUSES`, then ``partner_id``.
    """
    before, after = then.set_index("partner_id"), now.set_index("partner_id")
    ids = list(after.index) + [p for p in before.index if p not in after.index]
    latest = pd.concat([after, before[~before.index.isin(after.index)]]).reindex(ids)
    in_then, in_now = pd.Index(ids).isin(before.index), pd.Index(ids).isin(after.index)
    was = before["covered"].reindex(ids).fillna(False).to_numpy(dtype=bool)
    is_ = after["covered"].reindex(ids).fillna(False).to_numpy(dtype=bool)
    status = np.select(
        [~in_now, ~in_then & is_, ~in_then, was & is_, was, is_],
        [DROPPED, NEW_COVERED, NEW_UNCOVERED, KEPT, LOST, GAINED], default=STILL_UNCOVERED)
    out = pd.DataFrame({
        "partner_id": ids, "partner_name": latest["partner_name"].to_numpy(), "tier": latest["tier"].to_numpy(),
        "strategic": latest["strategic"].to_numpy(dtype=bool),
        "covered_then": np.where(in_then, was, None), "covered_now": np.where(in_now, is_, None), "status": status,
        "covered_by_then": before["covered_by"].reindex(ids).fillna("").to_numpy(),
        "covered_by_now": after["covered_by"].reindex(ids).fillna("").to_numpy(),
        "revenue_ttm": latest["revenue_ttm"].to_numpy(dtype=float),
    }, columns=list(COVERAGE_COLUMNS))
    order = out["status"].map({s: i for i, s in enumerate(COVERAGE_STATUSES)})
    return (out.assign(_o=order).sort_values(["_o", "partner_id"], kind="stable").drop(columns="_o")
            .reset_index(drop=True))


def _coverage_line(table: pd.DataFrame) -> tuple[int, int, float, float]:
    """Covered partners, partners, the covered share and the uncovered partners' share of partner revenue."""
    n, covered = len(table), int(table["covered"].sum())
    revenue = table["revenue_ttm"].fillna(0.0)
    total = float(revenue.sum())
    return covered, n, covered / n if n else float("nan"), (
        float(revenue[~table["covered"]].sum()) / total if total > 0 else float("nan"))


def coverage_sentences(then: pd.DataFrame, now: pd.DataFrame, changes: pd.DataFrame) -> list[str]:
    """What changed in coverage, in sentences (counts and shares first, then the partners by name)."""
    (c0, n0, s0, r0), (c1, n1, s1, r1) = _coverage_line(then), _coverage_line(now)
    uncovered = ("; the partners covered by nobody hold this share of partner revenue: "
                 + _then_now(percent(r0, 1), percent(r1, 1))
                 if np.isfinite(r0) and np.isfinite(r1) and (c0 < n0 or c1 < n1) else "")
    out = ["Partners covered by a named person: " + _then_now(f"{c0:,} of {n0:,} ({percent(s0)})",
                                                              f"{c1:,} of {n1:,} ({percent(s1)})") + uncovered + "."]
    by = {s: changes[changes["status"] == s] for s in COVERAGE_STATUSES}
    if len(by[LOST]):
        out.append(f"{plural(len(by[LOST]), 'partner')} covered at the last review {'is' if len(by[LOST]) == 1 else 'are'} "
                   f"covered by nobody now: {listed(by[LOST]['partner_name'])}.")
    if len(by[GAINED]):
        out.append(f"{plural(len(by[GAINED]), 'partner')} {'is' if len(by[GAINED]) == 1 else 'are'} newly covered: "
                   f"{listed(by[GAINED]['partner_name'])}.")
    if len(by[STILL_UNCOVERED]):
        out.append(f"{plural(len(by[STILL_UNCOVERED]), 'partner')} {'is' if len(by[STILL_UNCOVERED]) == 1 else 'are'} "
                   f"still covered by nobody: {listed(by[STILL_UNCOVERED]['partner_name'])}.")
    new = pd.concat([by[NEW_UNCOVERED], by[NEW_COVERED]]).sort_values("partner_id", kind="stable")
    if len(new):
        gap = f"; {len(by[NEW_UNCOVERED]):,} of them covered by nobody" if len(by[NEW_UNCOVERED]) else ", all covered"
        out.append(f"{plural(len(new), 'partner')} {'is' if len(new) == 1 else 'are'} new since the last review "
                   f"({listed(new['partner_name'])}){gap}.")
    if len(by[DROPPED]):
        out.append(f"{plural(len(by[DROPPED]), 'partner')} of the last review {'is' if len(by[DROPPED]) == 1 else 'are'} "
                   f"no longer in the partner list: {listed(by[DROPPED]['partner_name'])}.")
    if not any(len(by[s]) for s in (LOST, GAINED, NEW_UNCOVERED, NEW_COVERED, DROPPED)):
        out.append("No partner gained or lost cover since the last review.")
    return out


# ---------------------------------------------------------------------------------------------- sponsors


def sponsor_changes(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Strategic alliances without an executive sponsor in either review (``sponsor_changes.csv``).

    ``status``: :data:`SPONSOR_STATUSES`; ``why`` says what changed for a new or resolved one.
    Sorted by status, then ``partner_id``. Both tables must have sponsors named (:func:`sponsors_named`).
    """
    before, after = then.set_index("partner_id"), now.set_index("partner_id")
    gap_then = before.index[before["strategic"] & before["has_sponsor"].eq(False)]
    gap_now = after.index[after["strategic"] & after["has_sponsor"].eq(False)]
    rows = []
    for pid in sorted(set(gap_then) | set(gap_now)):  # the strategic alliances: a handful
        was, is_ = pid in gap_then, pid in gap_now
        present, known = pid in after.index, pid in before.index
        if was and is_:
            status, why = STILL, ""
        elif is_:
            status = NEW
            why = ("new partner" if not known else "became strategic" if not before.at[pid, "strategic"]
                   else "sponsor no longer named")
        else:
            status = RESOLVED
            why = ("no longer a partner" if not present else "no longer strategic" if not after.at[pid, "strategic"]
                   else "sponsor named")
        source = after if present else before
        rows.append({"partner_id": pid, "partner_name": source.at[pid, "partner_name"], "tier": source.at[pid, "tier"],
                     "strategic_then": bool(before.at[pid, "strategic"]) if known else None,
                     "strategic_now": bool(after.at[pid, "strategic"]) if present else None,
                     "has_sponsor_then": before.at[pid, "has_sponsor"] if known else None,
                     "has_sponsor_now": after.at[pid, "has_sponsor"] if present else None,
                     "status": status, "why": why})
    out = pd.DataFrame(rows, columns=list(SPONSOR_COLUMNS))
    order = out["status"].map({s: i for i, s in enumerate(SPONSOR_STATUSES)})
    return (out.assign(_o=order).sort_values(["_o", "partner_id"], kind="stable").drop(columns="_o")
            .reset_index(drop=True))


def sponsor_sentences(then: pd.DataFrame, now: pd.DataFrame, changes: pd.DataFrame) -> list[str]:
    """Sponsorless strategic alliances then and now, in sentences."""
    def line(table: pd.DataFrame) -> tuple[int, int]:
        return int((table["strategic"] & table["has_sponsor"].eq(False)).sum()), int(table["strategic"].sum())

    (g0, s0), (g1, s1) = line(then), line(now)
    if not g0 and not g1:
        return [f"Every strategic alliance has an executive sponsor ({_then_now(f'{s0:,}', f'{s1:,}')})."]
    out = ["Strategic alliances without an executive sponsor: " + _then_now(f"{g0:,} of {s0:,}", f"{g1:,} of {s1:,}")
           + "."]
    still, new, resolved = (changes[changes["status"] == s] for s in SPONSOR_STATUSES)
    if len(still):
        out.append(f"Still without a sponsor: {listed(still['partner_name'])}.")
    if len(new):
        out.append("Newly without a sponsor: " + listed(f"{n} ({w})" for n, w in zip(new["partner_name"], new["why"]))
                   + ".")
    if len(resolved):
        out.append("No longer without a sponsor: "
                   + listed(f"{n} ({w})" for n, w in zip(resolved["partner_name"], resolved["why"])) + ".")
    return out


# ---------------------------------------------------------------------------------------------- headcount


def _headcount(delivery: Delivery) -> pd.DataFrame:
    table = delivery.csv(PHASE, "headcount.csv")
    ids = table["role_id"].astype(str) if "role_id" in table else table["role"].astype(str)
    out = pd.DataFrame({"role_id": ids, "role": table["role"].astype(str)})
    for column in ("current_fte", "required_fte", "gap"):
        out[column] = pd.to_numeric(table[column], errors="coerce")
    return out.drop_duplicates("role_id").set_index("role_id")


def headcount_changes(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Per role of either review (by ``role_id``): current and required FTE and the gap then and now
    (``headcount_changes.csv``); ``change``: kept, new (now only) or dropped (then only). In the
    order of the current headcount table, dropped roles last."""
    ids = list(now.index) + [r for r in then.index if r not in now.index]
    change = np.where(~pd.Index(ids).isin(then.index), "new", np.where(~pd.Index(ids).isin(now.index), "dropped", "kept"))
    role = now["role"].reindex(ids).fillna(then["role"].reindex(ids))
    out = pd.DataFrame({"role_id": ids, "role": role.to_numpy(), "change": change})
    for column in ("current_fte", "required_fte", "gap"):
        out[f"{column}_then"] = then[column].reindex(ids).to_numpy(dtype=float)
        out[f"{column}_now"] = now[column].reindex(ids).to_numpy(dtype=float)
    return out[list(HEADCOUNT_COLUMNS)]


def _gap_words(gap: float) -> str:
    return f"{gap:.1f} short" if gap >= FTE_STEP else f"{-gap:.1f} over" if gap <= -FTE_STEP else "no gap"


def headcount_sentences(changes: pd.DataFrame) -> list[str]:
    """The team's FTE against need then and now, then every role whose figures moved."""
    sums = changes[["current_fte_then", "current_fte_now", "required_fte_then", "required_fte_now"]].sum()

    def team(s: str) -> str:
        have, need = sums[f"current_fte_{s}"], sums[f"required_fte_{s}"]
        return f"{have:.1f} FTE against {need:.1f} required ({_gap_words(need - have)})"

    out = [f"The alliance team: {_then_now(team('then'), team('now'))}."]
    kept = changes[changes["change"] == "kept"]
    moved = kept[(kept["current_fte_now"].round(1) != kept["current_fte_then"].round(1))
                 | (kept["required_fte_now"].round(1) != kept["required_fte_then"].round(1))]
    for r in moved.itertuples(index=False):
        out.append(f"{r.role}: {r.current_fte_now:.1f} FTE against {r.required_fte_now:.1f} required now, "
                   f"{r.current_fte_then:.1f} against {r.required_fte_then:.1f} at the last review.")
    if len(kept) and not len(moved):
        out.append("Every role has the current and required FTE it had at the last review.")
    for change, words in (("new", "New roles since the last review"), ("dropped", "Roles no longer in the design")):
        part = changes[changes["change"] == change]
        if len(part):
            out.append(f"{words}: {listed(part['role'])}.")
    return out


# ---------------------------------------------------------------------------------------------- structure


def _options(delivery: Delivery) -> pd.DataFrame:
    table = delivery.csv(PHASE, "structure_options.csv")
    return pd.DataFrame({"kind": table["kind"].astype(str), "option_id": table["option_id"].astype(str),
                         "option": table["option"].astype(str),
                         "score": pd.to_numeric(table["score"], errors="coerce"),
                         "rank": pd.to_numeric(table["rank"], errors="coerce"),
                         "recommended": _flag(table["recommended"]).fillna(False).astype(bool)}
                        ).drop_duplicates(["kind", "option_id"]).set_index(["kind", "option_id"])


def structure_changes(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Every structure and reporting line of either review: score, rank and recommended then and now
    (``structure_changes.csv``; ``change`` kept, new or dropped). Structures first, then by rank now."""
    keys = list(now.index) + [k for k in then.index if k not in now.index]
    index = pd.MultiIndex.from_tuples(keys, names=["kind", "option_id"])
    out = pd.DataFrame({"kind": [k for k, _ in keys], "option_id": [o for _, o in keys],
                        "option": now["option"].reindex(index).fillna(then["option"].reindex(index)).to_numpy(),
                        "change": np.where(~index.isin(then.index), "new",
                                           np.where(~index.isin(now.index), "dropped", "kept"))})
    for column in ("score", "rank", "recommended"):
        out[f"{column}_then"] = then[column].reindex(index).to_numpy()
        out[f"{column}_now"] = now[column].reindex(index).to_numpy()
    for column in ("recommended_then", "recommended_now"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
        out[column] = out[column].map(lambda v: bool(v) if v is not None else None)
    kind = out["kind"].map({"structure": 0, "reporting_line": 1}).fillna(2)
    return (out.assign(_k=kind, _r=out["rank_now"].fillna(np.inf))
            .sort_values(["_k", "_r", "option_id"], kind="stable").drop(columns=["_k", "_r"])
            .reset_index(drop=True)[list(STRUCTURE_COLUMNS)])


def structure_sentences(changes: pd.DataFrame) -> list[str]:
    """The recommended structure and reporting line then and now."""
    out = []
    for kind, words in KIND_WORDS.items():
        part = changes[changes["kind"] == kind]
        then = part[part["recommended_then"].eq(True)]
        now = part[part["recommended_now"].eq(True)]
        if not len(now) or not len(then):
            continue
        a, b = then.iloc[0], now.iloc[0]
        if a["option_id"] == b["option_id"]:
            out.append(f"The recommended {words} is still {b['option']} (score "
                       f"{_then_now(f'{b.score_then:.2f}', f'{b.score_now:.2f}')}).")
        else:
            was_now = (f"; it scores {a['score_now']:.2f} now, rank {int(a['rank_now'])}"
                       if np.isfinite(a["score_now"]) and np.isfinite(a["rank_now"]) else "")
            rank = (f", rank {int(b['rank_now'])}" + ("" if b["rank_now"] == 1 else ": chosen for the engagement "
                                                      "rather than by score") if np.isfinite(b["rank_now"]) else "")
            out.append(f"The recommended {words} changed: {b['option']} now (score {b['score_now']:.2f}{rank}), "
                       f"{a['option']} at the last review (score {a['score_then']:.2f}{was_now}).")
    return out


# ---------------------------------------------------------------------------------------------- workload


def load_sentence(previous: Delivery, current: Delivery) -> str:
    """People overloaded and under-loaded now and at the last review (counts only)."""
    def counts(delivery: Delivery) -> tuple[int, int, int]:
        status = delivery.csv(PHASE, "staff_load.csv")["status"].astype(str)
        return int((status == "overloaded").sum()), int((status == "under-loaded").sum()), len(status)

    (o0, u0, n0), (o1, u1, n1) = counts(previous), counts(current)
    return (f"People overloaded: {_then_now(f'{o0:,} of {n0:,}', f'{o1:,} of {n1:,}')}; under-loaded: "
            f"{_then_now(f'{u0:,}', f'{u1:,}')}.")


# ---------------------------------------------------------------------------------------------- together


def _yes(value: object, yes: str, no: str, absent: str = "not a partner") -> str:
    return absent if value is None or (isinstance(value, float) and np.isnan(value)) else yes if value else no


def compare(previous: Delivery, current: Delivery) -> PhaseChanges:
    """What changed in the organisation design (see the module docstring)."""
    summary: list[str] = []
    files: dict[str, pd.DataFrame] = {}
    shown: list[Shown] = []

    if has_coverage(previous) and has_coverage(current):
        then, now = coverage(previous), coverage(current)
        cover = coverage_changes(then, now)
        summary += coverage_sentences(then, now, cover)
        files["coverage_changes.csv"] = cover
        moved = cover[cover["status"] != KEPT]
        if len(moved):
            shown.append(Shown("Partners whose coverage changed, and those still covered by nobody", report.annotate(
                pd.DataFrame({"Partner": moved["partner_name"], "Tier": moved["tier"],
                              "Last review": [_yes(v, "covered", "covered by nobody") for v in moved["covered_then"]],
                              "Now": [_yes(v, "covered", "covered by nobody") for v in moved["covered_now"]],
                              "Change": moved["status"], "Revenue, 12 months": moved["revenue_ttm"]}
                             ).reset_index(drop=True),
                ["Covered: someone in the staff list names the partner among the partners they cover."]),
                {"Revenue, 12 months": "{:,.0f}"}))
        if sponsors_named(then) and sponsors_named(now):
            sponsors = sponsor_changes(then, now)
            summary += sponsor_sentences(then, now, sponsors)
            if len(sponsors):
                shown.append(Shown("Strategic alliances without an executive sponsor", report.annotate(
                    pd.DataFrame({"Partner": sponsors["partner_name"], "Tier": sponsors["tier"],
                                  "Status": sponsors["status"], "Why": sponsors["why"]}).reset_index(drop=True))))
        else:
            which = join_words([w for w, t in (("at the last review", then), ("now", now)) if not sponsors_named(t)])
            summary.append(f"The partner list named no executive sponsors {which}, so sponsors are not compared.")
            sponsors = pd.DataFrame(columns=list(SPONSOR_COLUMNS))
        files["sponsor_changes.csv"] = sponsors
    else:
        which = ("neither delivery holds" if not has_coverage(previous) and not has_coverage(current) else
                 "the last review's delivery holds" if not has_coverage(previous) else "the current delivery holds")
        summary.append(f"Coverage and executive sponsors are not compared: {which} no {COVERAGE} (made by an "
                       "earlier version of the kit); re-run org_design with this version to compare them.")

    heads = headcount_changes(_headcount(previous), _headcount(current))
    summary += headcount_sentences(heads)
    files["headcount_changes.csv"] = heads
    shown.append(Shown("Headcount by role: current and required FTE", report.annotate(pd.DataFrame({
        "Role": heads["role"], "Current, last review": heads["current_fte_then"], "Current, now": heads["current_fte_now"],
        "Required, last review": heads["required_fte_then"], "Required, now": heads["required_fte_now"],
        "Gap, last review": heads["gap_then"], "Gap, now": heads["gap_now"]}),
        ["Gap: required minus current FTE; above zero, people are missing."]),
        dict.fromkeys(("Current, last review", "Current, now", "Required, last review", "Required, now",
                       "Gap, last review", "Gap, now"), "{:.1f}")))

    options = structure_changes(_options(previous), _options(current))
    summary += structure_sentences(options)
    files["structure_changes.csv"] = options
    shown.append(Shown("Structures and reporting lines: score and rank", pd.DataFrame({
        "Kind": options["kind"].map(KIND_WORDS).fillna(options["kind"]), "Option": options["option"],
        "Score, last review": options["score_then"], "Score, now": options["score_now"],
        "Rank, last review": options["rank_then"], "Rank, now": options["rank_now"],
        "Recommended": [("now" if n else "") + (" and at the last review" if t and n else "at the last review" if t else "")
                        for t, n in zip(options["recommended_then"].eq(True), options["recommended_now"].eq(True))]}),
        {"Score, last review": "{:.2f}", "Score, now": "{:.2f}", "Rank, last review": "{:.0f}", "Rank, now": "{:.0f}"}))

    summary.append(load_sentence(previous, current))
    return PhaseChanges(PHASE, summary, files=files, shown=shown)
