"""partner_swot compared: which themes partners raise more or less widely, and which issues are still open.

Two questions a consultant asks at the next review:

- **Reach** (:func:`theme_reach`): per theme, the share of respondents who raised it at the
  last review and now. A theme is *rising* or *falling* when its share moved by at least
  :data:`REACH_POINTS` (10 points) **and** its respondents by at least
  :data:`REACH_RESPONDENTS` (2), see :func:`reach_status`; a theme nobody raised before is
  *new*, one nobody raises now is *no longer raised*.
- **The issue log** (:func:`issue_changes`): every weakness or threat issue of the last review
  that is still raised now is *still open*; one no longer raised is *resolved*; one raised only
  now is *new*. Read from ``issue_log.csv``; a delivery made before the issue log was a result
  file has its weakness and threat themes as issues (the same rows, without severity or owner).

Identity rules: interviews are anonymous, so the comparison reads ``themes.csv`` and
``issue_log.csv`` only, never ``statements.csv`` (whose text could carry a quote into a
sentence or table). It shows theme names (the kit's fixed labels), quadrants and counts: no
statement, no quote, no partner name. A theme raised by fewer respondents than the delivery's
anonymity threshold (``quotable`` False, or respondents below ``min_respondents_per_theme``
as that delivery ran) is marked as such and shown only as counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import report
from ..fmt import join_words, percent, plural
from ..partner_swot.declaration import DEFAULT
from .changes import PhaseChanges, Shown
from .delivery import Delivery

PHASE = "partner_swot"
#: The quadrants in the SWOT's order (the order of every table).
QUADRANTS = ("strength", "weakness", "opportunity", "threat")
#: Smallest change of a theme's share of respondents (0-1) read as rising or falling.
REACH_POINTS = 0.10
#: Smallest change of a theme's respondents read as rising or falling.
REACH_RESPONDENTS = 2
#: A theme's reach, then against now.
RISING, FALLING, NEW, GONE, STEADY = "rising", "falling", "new", "no longer raised", "steady"
#: An issue of the log, then against now.
STILL_OPEN, NEW_ISSUE, RESOLVED = "still open", "new", "resolved"
#: Severity, most severe first (the issue log's own words).
SEVERITIES = ("High", "Medium", "Low")

#: Columns of ``theme_reach.csv`` and ``open_issues.csv``.
REACH_COLUMNS = ("theme", "quadrant", "status", "respondents_then", "respondents_now", "share_then", "share_now",
                 "share_change", "respondents_change", "below_threshold_then", "below_threshold_now")
ISSUE_COLUMNS = ("issue", "quadrant", "status", "severity_then", "severity_now", "respondents_then",
                 "respondents_now", "share_then", "share_now", "owner")


# ---------------------------------------------------------------------------------------------- reading


def min_respondents(delivery: Delivery) -> int:
    """The anonymity threshold the delivery's SWOT ran with (the phase's default when its manifest lacks it)."""
    value = delivery.parameters(PHASE).get("min_respondents_per_theme")
    return int(value) if value is not None else int(DEFAULT.min_respondents_per_theme)


def _flag(values: pd.Series) -> pd.Series:
    """A True/False column as CSV text or booleans, read as booleans (missing: False)."""
    return values.astype(str).str.strip().str.lower().isin(("true", "1", "yes"))


def themes(delivery: Delivery) -> pd.DataFrame:
    """``themes.csv`` as the comparison needs it: theme, quadrant, respondents, share, below_threshold.

    ``below_threshold``: fewer respondents than the delivery's anonymity threshold, or not quotable.
    """
    table = delivery.csv(PHASE, "themes.csv")
    respondents = pd.to_numeric(table["respondents"], errors="coerce").fillna(0).astype(int)
    quotable = _flag(table["quotable"]) if "quotable" in table else pd.Series(True, index=table.index)
    return pd.DataFrame({"theme": table["theme"].astype(str), "quadrant": table["quadrant"].astype(str),
                         "respondents": respondents,
                         "share": pd.to_numeric(table["share"], errors="coerce").fillna(0.0),
                         "below_threshold": ~quotable | (respondents < min_respondents(delivery))})


def issues(delivery: Delivery) -> pd.DataFrame:
    """The delivery's issue log: issue, quadrant, respondents, share, severity, owner.

    ``issue_log.csv`` when delivered; otherwise (a delivery made before it was a result file) the
    weakness and threat themes of ``themes.csv``, which are the log's issues, with severity and
    owner empty (severity rests on the statements' wording, which the comparison never reads).
    """
    if (delivery.folder(PHASE) / "issue_log.csv").is_file():
        log = delivery.csv(PHASE, "issue_log.csv")
        return pd.DataFrame({"issue": log["issue"].astype(str), "quadrant": log["quadrant"].astype(str),
                             "respondents": pd.to_numeric(log["respondents"], errors="coerce").fillna(0).astype(int),
                             "share": pd.to_numeric(log["share"], errors="coerce").fillna(0.0),
                             "severity": log["severity"].fillna("").astype(str),
                             "owner": log["owner"].fillna("").astype(str)})
    t = themes(delivery)
    t = t[t["quadrant"].isin(("weakness", "threat"))]
    return pd.DataFrame({"issue": t["theme"], "quadrant": t["quadrant"], "respondents": t["respondents"],
                         "share": t["share"], "severity": "", "owner": ""}).reset_index(drop=True)


def has_issue_log(delivery: Delivery) -> bool:
    return (delivery.folder(PHASE) / "issue_log.csv").is_file()


# ---------------------------------------------------------------------------------------------- reach


def reach_status(share_change: pd.Series, respondents_change: pd.Series) -> np.ndarray:
    """Rising, falling or steady, by both a share and a count rule.

    Why both: a share alone misleads at either end. With 8 respondents one person is 12.5
    points of share, so a single respondent more would read as a rising theme; the count rule
    (at least :data:`REACH_RESPONDENTS` people) stops that. With 60 respondents two people are
    3 points, a move inside the noise of who happened to be interviewed; the share rule (at
    least :data:`REACH_POINTS`) stops that. Shares are compared as delivered (4 decimals), so a
    change of exactly 10 points counts.
    """
    change = share_change.round(4)
    rising = (change >= REACH_POINTS) & (respondents_change >= REACH_RESPONDENTS)
    falling = (change <= -REACH_POINTS) & (respondents_change <= -REACH_RESPONDENTS)
    return np.select([rising, falling], [RISING, FALLING], default=STEADY)


def theme_reach(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Every theme of either delivery (:func:`themes`), its reach then and now, and its status.

    A theme missing from one delivery had no respondent there (``themes.csv`` lists every theme
    raised at all): 0 respondents, share 0, and its status is new or no longer raised. Sorted by
    quadrant (SWOT order), status (rising, falling, new, no longer raised, steady), the largest
    change of share first, then theme.
    """
    both = before.merge(now, on="theme", how="outer", suffixes=("_then", "_now"), indicator=True)
    out = pd.DataFrame({"theme": both["theme"], "quadrant": both["quadrant_now"].fillna(both["quadrant_then"])})
    for column in ("respondents", "share"):
        for when in ("then", "now"):
            out[f"{column}_{when}"] = both[f"{column}_{when}"].fillna(0)
    out["respondents_then"] = out["respondents_then"].astype(int)
    out["respondents_now"] = out["respondents_now"].astype(int)
    out["share_change"] = (out["share_now"] - out["share_then"]).round(4)
    out["respondents_change"] = out["respondents_now"] - out["respondents_then"]
    out["below_threshold_then"] = both["below_threshold_then"].fillna(False).astype(bool)
    out["below_threshold_now"] = both["below_threshold_now"].fillna(False).astype(bool)
    status = reach_status(out["share_change"], out["respondents_change"])
    out["status"] = np.select([both["_merge"] == "right_only", both["_merge"] == "left_only"], [NEW, GONE],
                              default=status)
    order = {s: i for i, s in enumerate((RISING, FALLING, NEW, GONE, STEADY))}
    quadrant = out["quadrant"].map({q: i for i, q in enumerate(QUADRANTS)}).fillna(len(QUADRANTS))
    out = out.assign(_q=quadrant, _s=out["status"].map(order), _a=-out["share_change"].abs())
    out = out.sort_values(["_q", "_s", "_a", "theme"], kind="stable").drop(columns=["_q", "_s", "_a"])
    return out[list(REACH_COLUMNS)].reset_index(drop=True)


def _reach_phrase(row) -> str:
    return (f"{row.theme} ({percent(row.share_now)} of respondents now, {percent(row.share_then)} at the last "
            f"review; {plural(row.respondents_now, 'respondent')}, {row.respondents_then} at the last review)")


def reach_sentences(reach: pd.DataFrame) -> list[str]:
    """The changes of reach in words: rising, falling, new, no longer raised; else that nothing moved."""
    out = []
    rising, falling = reach[reach["status"] == RISING], reach[reach["status"] == FALLING]
    new, gone = reach[reach["status"] == NEW], reach[reach["status"] == GONE]
    rule = f"at least {REACH_POINTS * 100:.0f} points of share and {REACH_RESPONDENTS} respondents"
    if len(rising):
        out.append(f"{plural(len(rising), 'theme')} reach{'es' if len(rising) == 1 else ''} more respondents "
                   f"now ({rule}): {join_words(_reach_phrase(r) for r in rising.itertuples())}.")
    if len(falling):
        out.append(f"{plural(len(falling), 'theme')} reach{'es' if len(falling) == 1 else ''} fewer respondents "
                   f"now ({rule}): {join_words(_reach_phrase(r) for r in falling.itertuples())}.")
    if len(new):
        out.append(f"{plural(len(new), 'theme')} raised now that no one raised at the last review: "
                   + join_words(f"{r.theme} ({plural(r.respondents_now, 'respondent')})" for r in new.itertuples())
                   + ".")
    if len(gone):
        out.append(f"{plural(len(gone), 'theme')} raised at the last review {'is' if len(gone) == 1 else 'are'} no "
                   "longer raised: " + join_words(f"{r.theme} ({plural(r.respondents_then, 'respondent')} at the "
                                                  "last review)" for r in gone.itertuples()) + ".")
    steady = int((reach["status"] == STEADY).sum())
    if not out:
        out.append(f"No theme rose or fell in reach ({rule}), none is new and none is no longer raised"
                   + (f": the {plural(steady, 'theme')} kept their reach." if steady else "."))
    elif steady:
        out.append(f"The other {plural(steady, 'theme')} kept their reach.")
    return out


# ---------------------------------------------------------------------------------------------- issues


def issue_changes(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Every issue of either issue log (:func:`issues`): still open, new or resolved, severity and reach then and now.

    Sorted by status (still open, new, resolved), severity now (then, for a resolved issue),
    respondents now, then issue.
    """
    both = before.merge(now, on="issue", how="outer", suffixes=("_then", "_now"), indicator=True)
    status = np.select([both["_merge"] == "both", both["_merge"] == "right_only"], [STILL_OPEN, NEW_ISSUE],
                       default=RESOLVED)
    out = pd.DataFrame({"issue": both["issue"], "quadrant": both["quadrant_now"].fillna(both["quadrant_then"]),
                        "status": status,
                        "severity_then": both["severity_then"].fillna(""),
                        "severity_now": both["severity_now"].fillna(""),
                        "respondents_then": both["respondents_then"].fillna(0).astype(int),
                        "respondents_now": both["respondents_now"].fillna(0).astype(int),
                        "share_then": both["share_then"].fillna(0.0), "share_now": both["share_now"].fillna(0.0),
                        "owner": both["owner_now"].fillna("").where(both["owner_now"].fillna("") != "",
                                                                     both["owner_then"].fillna(""))})
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    severity = out["severity_now"].where(out["status"] != RESOLVED, out["severity_then"]).map(rank).fillna(len(rank))
    order = {s: i for i, s in enumerate((STILL_OPEN, NEW_ISSUE, RESOLVED))}
    out = out.assign(_s=out["status"].map(order), _v=severity, _r=-out["respondents_now"])
    out = out.sort_values(["_s", "_v", "_r", "issue"], kind="stable").drop(columns=["_s", "_v", "_r"])
    return out[list(ISSUE_COLUMNS)].reset_index(drop=True)


def issue_sentences(log: pd.DataFrame, severity_known: bool) -> list[str]:
    """The issue log in words: how many of the last review's issues are still open, resolved, new."""
    open_, new = log[log["status"] == STILL_OPEN], log[log["status"] == NEW_ISSUE]
    resolved = log[log["status"] == RESOLVED]
    before = len(open_) + len(resolved)
    moved = open_[open_["severity_then"] != open_["severity_now"]] if severity_known else open_.iloc[:0]
    if not len(new) and not len(resolved) and not len(moved):
        if not before:
            return ["No weakness or threat was raised at the last review or now: the issue log is empty both times."]
        return [f"No change in the issue log: the same {plural(before, 'issue')} as at the last review "
                f"{'is' if before == 1 else 'are'} all still open" + (", at the same severity." if severity_known
                                                                       else ".")]
    out = []
    if before:
        high = open_[open_["severity_now"] == "High"]["issue"].tolist()
        out.append(f"{len(open_)} of the last review's {plural(before, 'issue')} {'is' if len(open_) == 1 else 'are'} "
                   "still open (still raised now)"
                   + (f", {len(high)} of them High severity now: {join_words(high)}." if high else "."))
    if len(resolved):
        out.append(f"{plural(len(resolved), 'issue')} resolved (no longer raised by anyone): "
                   f"{join_words(resolved['issue'])}.")
    if len(new):
        out.append(f"{plural(len(new), 'new issue')}: " + join_words(
            f"{r.issue} ({r.severity_now} severity, {plural(r.respondents_now, 'respondent')})" if r.severity_now
            else f"{r.issue} ({plural(r.respondents_now, 'respondent')})" for r in new.itertuples()) + ".")
    if len(moved):
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        up = moved[moved["severity_now"].map(rank) < moved["severity_then"].map(rank)]
        down = moved.drop(up.index)
        parts = []
        if len(up):
            parts.append("rose for " + join_words(f"{r.issue} ({r.severity_then} at the last review, "
                                                  f"{r.severity_now} now)" for r in up.itertuples()))
        if len(down):
            parts.append("fell for " + join_words(f"{r.issue} ({r.severity_then} at the last review, "
                                                  f"{r.severity_now} now)" for r in down.itertuples()))
        out.append("Severity " + "; it ".join(parts) + ".")
    return out


# ---------------------------------------------------------------------------------------------- tables


def _threshold_words(then: pd.Series, now: pd.Series) -> pd.Series:
    return pd.Series(np.select([then & now, then, now], ["then and now", "at the last review", "now"], default=""),
                     index=then.index)


def reach_table(reach: pd.DataFrame, thresholds: tuple[int, int]) -> pd.DataFrame:
    """The themes whose reach changed, with client headings (counts and shares only)."""
    changed = reach[reach["status"] != STEADY]
    table = pd.DataFrame({
        "Theme": changed["theme"], "Quadrant": changed["quadrant"].str.capitalize(), "Reach": changed["status"],
        "Share at the last review": changed["share_then"], "Share now": changed["share_now"],
        "Change (points)": (changed["share_change"] * 100).round(1),
        "Respondents at the last review": changed["respondents_then"], "Respondents now": changed["respondents_now"],
        "Below the anonymity threshold": _threshold_words(changed["below_threshold_then"],
                                                          changed["below_threshold_now"])}).reset_index(drop=True)
    then, now = thresholds
    limit = f"{then} respondents" if then == now else f"{then} respondents at the last review, {now} now"
    return report.annotate(table, [
        f"Rising or falling: a change of at least {REACH_POINTS * 100:.0f} points of share and "
        f"{REACH_RESPONDENTS} respondents. Share: of all respondents interviewed.",
        f"A theme below the anonymity threshold (fewer than {limit}) is shown as counts only: no quotes, no "
        "partner names."])


def issue_table(log: pd.DataFrame) -> pd.DataFrame:
    """The issue log then and now, with client headings."""
    table = pd.DataFrame({
        "Issue": log["issue"], "Quadrant": log["quadrant"].str.capitalize(), "Status": log["status"],
        "Severity at the last review": log["severity_then"].replace("", "–"),
        "Severity now": log["severity_now"].replace("", "–"),
        "Respondents at the last review": log["respondents_then"], "Respondents now": log["respondents_now"],
        "Owner": log["owner"]}).reset_index(drop=True)
    return report.annotate(table, ["Still open: raised at the last review and still raised now. Resolved: no "
                                   "longer raised by any respondent."])


# ---------------------------------------------------------------------------------------------- compare


def compare(previous: Delivery, current: Delivery) -> PhaseChanges:
    """partner_swot at the last review against now: reach of themes by quadrant, and the issue log."""
    reach = theme_reach(themes(previous), themes(current))
    log = issue_changes(issues(previous), issues(current))
    known = has_issue_log(previous) and has_issue_log(current)
    summary = [*issue_sentences(log, known), *reach_sentences(reach)]
    if not known:
        summary.append("Severity is compared only where both reviews delivered their issue log (issue_log.csv); "
                       "a review made with an older kit has its weakness and threat themes as issues, without "
                       "severity.")
    shown = []
    if len(log):
        shown.append(Shown("The issue log at the last review and now", issue_table(log)))
    if (reach["status"] != STEADY).any():
        shown.append(Shown("Themes whose reach changed, by quadrant (every theme: theme_reach.csv)",
                           reach_table(reach, (min_respondents(previous), min_respondents(current))),
                           {"Share at the last review": "{:.0%}", "Share now": "{:.0%}",
                            "Change (points)": "{:+.0f}"}))
    return PhaseChanges(PHASE, summary, files={"theme_reach.csv": reach, "open_issues.csv": log}, shown=shown)
