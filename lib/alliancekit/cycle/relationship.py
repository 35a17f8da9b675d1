"""relationship_health compared: each alliance's health, perception gaps and mind-share, last review against now.

A delivery holds every survey wave run up to it; the comparison reads the **latest wave** of each
(:func:`latest_wave`): what the client was told at the last review against what it is told now.
When both deliveries' latest wave is the same wave, no new survey was run: the comparison says
so and reports no change.

Per alliance (:func:`alliance_changes`): overall health (each side, and both sides together),
the perception gaps flagged, the partner field teams' mind-share. A move is **called** only
when it is large and beyond its noise (:func:`called`):

- health and each side's score: at least :data:`HEALTH_CHANGE` points on the 1-5 scale and
  outside the 95% interval of the difference. A side's uncertainty is the mean of its
  dimensions' (each dimension group's interval, from ``relationship_scores.csv``): dimensions
  are answered by the same people, so their errors are treated as fully shared, which never
  understates the noise. Health is compared only when the same sides were shown both times
  (a one-sided health is not the two-sided one);
- mind-share: the phase's own rule (its ``change_threshold`` and a 99% interval,
  :data:`~alliancekit.relationship_health.analysis.CHANGE_ALPHA`), on the two waves' figures.

Gaps (:func:`gap_changes`): a gap flagged at the last review and now is *still flagged*; one
measured now but no longer flagged is *closed*; one not measured now (too few people on a side,
or the alliance not surveyed) is *not measured now*, never called closed; one flagged only now
is *new*.

Anonymity: the phase never delivers a group (alliance x side x wave) below its
``min_respondents``, so nothing here can show one. Where the two deliveries ran with different
minimums the larger applies to both (:func:`minimum`): a figure of the last review resting on a
group smaller than today's minimum is left out rather than shown beside today's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .. import report
from ..fmt import join_words, plural
from ..relationship_health.analysis import CHANGE_ALPHA, LEVEL, SIDES, Z
from ..relationship_health.declaration import DEFAULT
from .changes import PhaseChanges, Shown
from .delivery import Delivery

PHASE = "relationship_health"
#: Smallest move of health or of a side's score (points on the 1-5 scale) called a change.
HEALTH_CHANGE = 0.25
#: Direction of a called move, and of a move within the noise.
UP, DOWN, HELD = "up", "down", "no clear change"
#: An alliance, then against now.
BOTH, NEW, DROPPED = "surveyed both times", "new", "not surveyed now"
#: A perception gap, then against now.
STILL, CLOSED, NEW_GAP, UNMEASURED = "still flagged", "closed", "new", "not measured now"
MEASURES = ("health", "us", "partner")

CHANGE_COLUMNS = ("alliance", "partner_name", "status", "wave_then", "wave_now",
                  *(f"{m}_{c}" for m in MEASURES for c in ("then", "now", "change", "direction")),
                  "flagged_gaps_then", "flagged_gaps_now",
                  "mind_share_then", "mind_share_now", "mind_share_change", "mind_share_direction",
                  "nps_us_then", "nps_us_now", "nps_partner_then", "nps_partner_now")
GAP_COLUMNS = ("alliance", "partner_name", "dimension", "status", "gap_then", "gap_now")


# ---------------------------------------------------------------------------------------------- reading


def minimum(previous: Delivery, current: Delivery) -> int:
    """The fewest respondents behind any figure compared: the larger of the two deliveries' ``min_respondents``."""
    def of(d: Delivery) -> int:
        value = d.parameters(PHASE).get("min_respondents")
        return int(value) if value is not None else int(DEFAULT.min_respondents)
    return max(of(previous), of(current))


def change_threshold(delivery: Delivery) -> float:
    """The smallest mind-share change called, as the delivery ran (the phase's default when not recorded)."""
    value = delivery.parameters(PHASE).get("change_threshold")
    return float(value) if value is not None else float(DEFAULT.change_threshold)


def _flag(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.lower().isin(("true", "1", "yes"))


def read(delivery: Delivery, name: str, numbers: tuple[str, ...]) -> pd.DataFrame:
    """A result CSV of the phase: ids, names, sides, dimensions and waves as text (``007`` stays ``007``),
    ``numbers`` as numbers."""
    text = {c: str for c in ("alliance", "partner_name", "side", "dimension", "wave", "previous_wave")}
    frame = pd.read_csv(delivery.file(PHASE, name), dtype=text, keep_default_na=False, na_values=[""])
    return frame.assign(**{c: pd.to_numeric(frame[c], errors="coerce") for c in numbers if c in frame})


@dataclass(frozen=True)
class Wave:
    """One delivery's latest survey wave as the comparison reads it.

    ``health``: per alliance (index) health, us, partner, their standard errors (``se_*``) and
    NPS; ``gaps``: alliance, dimension, gap, flagged; ``mind_share``: per alliance score and its
    standard error (``se``); ``names``: partner id -> name.
    """

    wave: str
    health: pd.DataFrame
    gaps: pd.DataFrame
    mind_share: pd.DataFrame
    names: dict[str, str]


def _names(*tables: pd.DataFrame) -> dict[str, str]:
    """Partner id -> name, from the result files that carry names (the first name given wins)."""
    names: dict[str, str] = {}
    for table in tables:
        if "partner_name" in table:
            for alliance, name in zip(table["alliance"], table["partner_name"]):
                if isinstance(name, str) and name and alliance not in names:
                    names[alliance] = name
    return names


def latest_wave(delivery: Delivery, least: int) -> Wave:
    """The delivery's latest wave (the largest wave id), groups of at least ``least`` respondents only.

    A side of an alliance is left out when any of its dimension groups in that wave is smaller
    than ``least`` (its score is their mean; with the delivery's own minimum none is): health is
    then the other side's alone, as the phase computes it, and the alliance's gaps are left out
    (a gap needs both sides). A side's standard error is the mean of its dimension groups'.
    """
    scores = read(delivery, "relationship_scores.csv", ("score", "interval", "respondents"))
    health = read(delivery, "alliance_health.csv", ("health", "us", "partner", "nps_us", "nps_partner"))
    gaps = read(delivery, "gaps.csv", ("gap",))
    mind = read(delivery, "mind_share.csv", ("score", "interval", "respondents"))
    waves = sorted(set(scores["wave"].dropna()) | set(health["wave"].dropna()))
    wave = waves[-1] if waves else ""
    names = _names(scores, gaps, mind)

    scores = scores[scores["wave"] == wave]
    small = pd.MultiIndex.from_frame(scores.loc[scores["respondents"] < least, ["alliance", "side"]].drop_duplicates())
    kept = scores[~pd.MultiIndex.from_frame(scores[["alliance", "side"]]).isin(small)]
    se = (kept.assign(se=kept["interval"] / Z).groupby(["alliance", "side"])["se"].mean().unstack("side")
          .reindex(columns=list(SIDES)))

    h = health[health["wave"] == wave].drop_duplicates("alliance").set_index("alliance")
    h = h.reindex(columns=["health", "us", "partner", "nps_us", "nps_partner"])
    for side in SIDES:
        hidden = pd.MultiIndex.from_arrays([h.index, [side] * len(h)]).isin(small)
        h.loc[hidden, [side, f"nps_{side}"]] = np.nan
        h[f"se_{side}"] = se[side].reindex(h.index)
    one_side = h[["us", "partner"]].isna().any(axis=1)
    h["health"] = h["health"].where(~one_side, h[["us", "partner"]].mean(axis=1))
    h = h[h[["us", "partner"]].notna().any(axis=1)]
    both = h["us"].notna() & h["partner"].notna()
    h["se_health"] = np.where(both, np.sqrt(h["se_us"] ** 2 + h["se_partner"] ** 2) / 2,
                              h["se_us"].where(h["us"].notna(), h["se_partner"]))

    gaps = gaps[(gaps["wave"] == wave) & gaps["alliance"].isin(h.index[both])]
    gaps = pd.DataFrame({"alliance": gaps["alliance"], "dimension": gaps["dimension"], "gap": gaps["gap"],
                         "flagged": _flag(gaps["flagged"])}).reset_index(drop=True)

    mind = mind[(mind["wave"] == wave) & (mind["respondents"] >= least)].drop_duplicates("alliance")
    mind = pd.DataFrame({"score": mind["score"].to_numpy(), "se": (mind["interval"] / Z).to_numpy()},
                        index=pd.Index(mind["alliance"], name="alliance"))
    return Wave(wave, h, gaps, mind, names)


# ---------------------------------------------------------------------------------------------- changes


def called(change: pd.Series, se: pd.Series, least: float, alpha: float) -> np.ndarray:
    """Up, down or no clear change: a move of at least ``least`` outside its ``1 - alpha`` interval
    (``se``: standard error of the change); empty where either figure is missing, no clear change
    where the uncertainty is not known."""
    with np.errstate(invalid="ignore"):
        beyond = np.abs(change) >= np.maximum(least, stats.norm.ppf(1 - alpha / 2) * se.fillna(np.inf)) - 1e-9
    return np.select([change.isna(), beyond & (change > 0), beyond & (change < 0)], ["", UP, DOWN], default=HELD)


def _flagged(wave: Wave, ids: list[str]) -> pd.Series:
    """Flagged perception gaps per alliance of ``ids`` in ``wave``."""
    return wave.gaps[wave.gaps["flagged"]].groupby("alliance").size().reindex(ids).fillna(0).astype(int)


def alliance_changes(then: Wave, now: Wave, mind_share_threshold: float) -> pd.DataFrame:
    """One row per alliance of either latest wave: health, each side, gaps flagged, mind-share, NPS then and now.

    Sorted by alliance id.
    """
    ids = sorted(set(then.health.index) | set(now.health.index))
    a, b = then.health.reindex(ids), now.health.reindex(ids)
    out = pd.DataFrame({"alliance": ids}, index=ids)
    out["partner_name"] = [now.names.get(i) or then.names.get(i) or i for i in ids]
    was, is_ = a["us"].notna() | a["partner"].notna(), b["us"].notna() | b["partner"].notna()
    out["status"] = np.select([was & is_, was], [BOTH, DROPPED], default=NEW)
    out["wave_then"], out["wave_now"] = then.wave, now.wave
    same_sides = (a["us"].notna() == b["us"].notna()) & (a["partner"].notna() == b["partner"].notna())
    for m in MEASURES:
        out[f"{m}_then"], out[f"{m}_now"] = a[m], b[m]
        change = b[m] - a[m]
        if m == "health":
            change = change.where(same_sides)
        out[f"{m}_change"] = change.round(4)
        se = np.sqrt(a[f"se_{m}"] ** 2 + b[f"se_{m}"] ** 2)
        out[f"{m}_direction"] = called(change, se, HEALTH_CHANGE, 1 - LEVEL)
    out["flagged_gaps_then"] = _flagged(then, ids).where(a["us"].notna() & a["partner"].notna()).astype("Int64")
    out["flagged_gaps_now"] = _flagged(now, ids).where(b["us"].notna() & b["partner"].notna()).astype("Int64")
    ms_a, ms_b = then.mind_share.reindex(ids), now.mind_share.reindex(ids)
    out["mind_share_then"], out["mind_share_now"] = ms_a["score"], ms_b["score"]
    out["mind_share_change"] = (ms_b["score"] - ms_a["score"]).round(4)
    out["mind_share_direction"] = called(ms_b["score"] - ms_a["score"], np.sqrt(ms_a["se"] ** 2 + ms_b["se"] ** 2),
                                         mind_share_threshold, CHANGE_ALPHA)
    for side in SIDES:
        out[f"nps_{side}_then"], out[f"nps_{side}_now"] = a[f"nps_{side}"], b[f"nps_{side}"]
    return out[list(CHANGE_COLUMNS)].reset_index(drop=True)


def gap_changes(then: Wave, now: Wave, names: dict[str, str]) -> pd.DataFrame:
    """Every perception gap flagged in either latest wave: still flagged, closed, new or not measured now.

    Sorted by status (new, still flagged, closed, not measured now), then alliance and dimension.
    """
    key = ["alliance", "dimension"]
    both = then.gaps.merge(now.gaps, on=key, how="outer", suffixes=("_then", "_now"))
    was, is_ = both["flagged_then"].fillna(False).astype(bool), both["flagged_now"].fillna(False).astype(bool)
    both = both[was | is_]
    was, is_ = was[both.index], is_[both.index]
    status = np.select([was & is_, was & both["gap_now"].notna(), was], [STILL, CLOSED, UNMEASURED], default=NEW_GAP)
    out = pd.DataFrame({"alliance": both["alliance"], "partner_name": both["alliance"].map(names),
                        "dimension": both["dimension"], "status": status,
                        "gap_then": both["gap_then"].round(4), "gap_now": both["gap_now"].round(4)})
    order = {s: i for i, s in enumerate((NEW_GAP, STILL, CLOSED, UNMEASURED))}
    out = out.assign(_s=out["status"].map(order)).sort_values(["_s", *key], kind="stable").drop(columns="_s")
    return out[list(GAP_COLUMNS)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- words


def _dimension(dimension: str) -> str:
    """``executive_sponsorship`` -> ``executive sponsorship``."""
    return str(dimension).replace("_", " ")


def _score(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.1f}"


def _then_now(now: float, then: float, unit: str = " of 5") -> str:
    return f"{_score(now)}{unit} now, {_score(then)} at the last review"


def coverage_sentence(changes: pd.DataFrame, then: Wave, now: Wave) -> str:
    both, new, dropped = (changes[changes["status"] == s] for s in (BOTH, NEW, DROPPED))
    parts = [f"{plural(len(both), 'alliance')} surveyed both times"]
    if len(new):
        parts.append(f"{len(new)} new ({join_words(new['partner_name'])})")
    if len(dropped):
        parts.append(f"{len(dropped)} not surveyed now or with too few respondents "
                     f"({join_words(dropped['partner_name'])})")
    waves = [f"{w} {when}" for w, when in ((now.wave, "now"), (then.wave, "at the last review")) if w]
    missing = "" if then.wave and now.wave else (
        f" (no survey figure was delivered {'at the last review' if not then.wave else 'now'})")
    return f"The latest survey wave is {' and '.join(waves)}{missing}: {join_words(parts)}."


def health_sentences(changes: pd.DataFrame) -> list[str]:
    """Health that rose or fell beyond noise, each side's view that moved on its own; else that it held."""
    rows = changes[changes["status"] == BOTH]
    out = []
    for direction, verb in ((UP, "rose"), (DOWN, "fell")):
        moved = rows[rows["health_direction"] == direction].sort_values(["health_change", "alliance"],
                                                                        ascending=[direction == DOWN, True])
        if len(moved):
            out.append(f"Relationship health {verb} at {plural(len(moved), 'alliance')}: " + join_words(
                f"{r.partner_name} ({_then_now(r.health_now, r.health_then)}; "
                f"our side {_then_now(r.us_now, r.us_then, '')}"
                f", partner side {_then_now(r.partner_now, r.partner_then, '')})" for r in moved.itertuples()) + ".")
    sides = []
    for side in SIDES:
        alone = rows[rows[f"{side}_direction"].isin((UP, DOWN)) & ~rows["health_direction"].isin((UP, DOWN))]
        sides += [f"{SIDES[side]} {'up' if getattr(r, f'{side}_direction') == UP else 'down'} at {r.partner_name} "
                  f"({_then_now(getattr(r, f'{side}_now'), getattr(r, f'{side}_then'))})" for r in alone.itertuples()]
    if sides:
        out.append("One side's view moved while health as a whole did not: " + join_words(sides) + ".")
    if not out and len(rows):
        largest = rows.loc[rows["health_change"].abs().sort_values(ascending=False, kind="stable").index[:1]]
        tail = "".join(f" (largest move: {r.partner_name}, {r.health_change:+.2f})" for r in largest.itertuples()
                       if pd.notna(r.health_change))
        out.append(f"Relationship health held at the {plural(len(rows), 'alliance')} surveyed both times: no move of "
                   f"at least {HEALTH_CHANGE} points beyond its noise{tail}.")
    return out


def _gap_phrase(row) -> str:
    values = [f"{row.gap_now:+.1f} now" if pd.notna(row.gap_now) else "",
              f"{row.gap_then:+.1f} at the last review" if pd.notna(row.gap_then) else ""]
    return f"{_dimension(row.dimension)} at {row.partner_name} ({', '.join(v for v in values if v)})"


def gap_sentences(gaps: pd.DataFrame) -> list[str]:
    """The flagged perception gaps in words: still flagged, closed, new, not measured now."""
    if gaps.empty:
        return ["No perception gap was flagged at the last review or now."]
    words = {STILL: "still flagged", CLOSED: "closed since the last review", NEW_GAP: "flagged for the first time",
             UNMEASURED: "flagged at the last review and not measured now (too few respondents on a side, or not "
                         "surveyed)"}
    out = []
    for status in (STILL, NEW_GAP, CLOSED, UNMEASURED):
        rows = gaps[gaps["status"] == status]
        if len(rows):
            out.append(f"{plural(len(rows), 'perception gap')} {words[status]}: "
                       + join_words(_gap_phrase(r) for r in rows.itertuples()) + ".")
    if set(gaps["status"]) == {STILL}:
        out = [f"The same {plural(len(gaps), 'perception gap')} {'is' if len(gaps) == 1 else 'are'} flagged as at the "
               "last review: " + join_words(_gap_phrase(r) for r in gaps.itertuples()) + "."]
    out[0] = out[0] + " (Gap: our side's score minus the partner's, points on the 1-5 scale.)"
    return out


def mind_share_sentences(changes: pd.DataFrame, threshold: float) -> list[str]:
    rows = changes[changes["mind_share_direction"] != ""]
    out = []
    for direction, verb in ((UP, "rose"), (DOWN, "fell")):
        moved = rows[rows["mind_share_direction"] == direction]
        if len(moved):
            out.append(f"Mind-share with the partner field teams {verb} at " + join_words(
                f"{r.partner_name} ({_then_now(r.mind_share_now, r.mind_share_then)})"
                for r in moved.itertuples()) + ".")
    if not out and len(rows):
        out.append(f"Mind-share with the partner field teams held at the {plural(len(rows), 'alliance')} measured both "
                   f"times (no change of at least {threshold:g} points beyond noise).")
    return out


# ---------------------------------------------------------------------------------------------- tables


def change_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Per alliance, health and both sides then and now, largest falls first (client headings)."""
    rows = changes.assign(_c=changes["health_change"].fillna(np.inf)).sort_values(["_c", "alliance"], kind="stable")
    table = pd.DataFrame({
        "Alliance": rows["partner_name"], "Surveyed": rows["status"],
        "Health at the last review": rows["health_then"], "Health now": rows["health_now"],
        "Health change": rows["health_change"], "Health": rows["health_direction"],
        "Our side now": rows["us_now"], "Our side change": rows["us_change"],
        "Partner side now": rows["partner_now"], "Partner side change": rows["partner_change"],
        "Flagged gaps at the last review": rows["flagged_gaps_then"], "Flagged gaps now": rows["flagged_gaps_now"],
        "Mind-share change": rows["mind_share_change"]}).reset_index(drop=True)
    return report.annotate(table, [
        f"Scores on the 1-5 scale. A change is called (up or down) when it is at least {HEALTH_CHANGE} points and "
        "beyond its 95% interval; health is compared only when the same sides were shown both times.",
        "Only groups of the minimum number of respondents are shown; a blank is a group too small or not surveyed."])


def gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame({"Alliance": gaps["partner_name"], "Dimension": gaps["dimension"].map(_dimension),
                          "Gap": gaps["status"], "Gap at the last review": gaps["gap_then"],
                          "Gap now": gaps["gap_now"]})
    return report.annotate(table, ["Gap: our side's score minus the partner's (points on the 1-5 scale)."])


# ---------------------------------------------------------------------------------------------- compare


def compare(previous: Delivery, current: Delivery) -> PhaseChanges:
    """relationship_health's latest wave at the last review against the latest wave now."""
    least = minimum(previous, current)
    then, now = latest_wave(previous, least), latest_wave(current, least)
    if then.wave == now.wave:
        said = (f"The latest survey wave is {now.wave} in both deliveries: no survey was run since the last review, "
                "so there is no change to report." if now.wave else
                "Neither delivery holds a survey figure (no group of enough respondents): there is nothing to compare.")
        return PhaseChanges(PHASE, [said],
                            files={"relationship_changes.csv": pd.DataFrame(columns=list(CHANGE_COLUMNS)),
                                   "gap_changes.csv": pd.DataFrame(columns=list(GAP_COLUMNS))})
    threshold = change_threshold(current)
    changes = alliance_changes(then, now, threshold)
    names = dict(zip(changes["alliance"], changes["partner_name"]))
    gaps = gap_changes(then, now, names)
    summary = [coverage_sentence(changes, then, now), *health_sentences(changes), *gap_sentences(gaps),
               *mind_share_sentences(changes, threshold)]
    scores = {h: "{:.1f}" for h in ("Health at the last review", "Health now", "Our side now", "Partner side now")}
    moves = {h: "{:+.2f}" for h in ("Health change", "Our side change", "Partner side change", "Mind-share change")}
    shown = [Shown("Relationship health by alliance, at the last review and now", change_table(changes),
                   {**scores, **moves, "Flagged gaps at the last review": "{:.0f}", "Flagged gaps now": "{:.0f}"})]
    if len(gaps):
        shown.append(Shown("Perception gaps flagged at the last review or now", gap_table(gaps),
                           {"Gap at the last review": "{:+.1f}", "Gap now": "{:+.1f}"}))
    return PhaseChanges(PHASE, summary, files={"relationship_changes.csv": changes, "gap_changes.csv": gaps},
                        shown=shown)
