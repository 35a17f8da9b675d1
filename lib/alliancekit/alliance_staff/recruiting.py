"""Recruiting kit for alliance staff: interview guides, interviewers' scorecards and the shortlist.

Practitioners help clients identify, recruit and interview alliance and ecosystem staff. The
yardstick is the recruiting bank of ``engagement_templates/org_design/``
(:mod:`alliancekit.alliance_staff.recruiting_bank`): an anchored 1-5 competency model and, per
role, the competencies that matter with the level required and a weight, 6-10 behavioural
questions with what strong and weak answers sound like, and a work sample. This module turns
it into what a hiring panel uses, per position:

- :func:`interview_guide_html`: the interview guide as a client-ready HTML page (report CSS,
  autoescaped): competencies and required levels with their anchors, the questions with
  strong and weak answers, the work sample.
- :func:`interviewer_workbook`: the interviewers' scorecard, an ``.xlsx`` with one sheet per
  interviewer (anchored scales in cells, a score cell that accepts only a whole number 1-5,
  a notes cell, the questions under their competency), byte-stable.
- :func:`shortlist` of the optional input ``hiring_scores`` (``candidate_id, position,
  interviewer, competency, score, notes``): a ranked shortlist per position against the
  required levels, the panel's agreement per candidate and competency (a spread of
  :data:`SPLIT_POINTS` or more is flagged), the gaps a hire would need to close, and
  plain-English findings (:meth:`Shortlist.sentences`).

:func:`hiring_problems` checks a ``hiring_scores`` frame against the guide (row and column as
a spreadsheet counts them, with the nearest valid name); :func:`normalise_hiring_scores`
turns positions given by title and competencies given by name into ids.

**Confidential.** Candidate ids, names and interviewers' notes are internal to the client's
hiring panel: what this module produces is a deliverable of its own and is never mixed into a
report that goes to partners.

Every function is pure and deterministic; nothing here reads a file but the report CSS.
"""

from __future__ import annotations

import datetime
import io
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from jinja2 import TemplateError as JinjaError
from markupsafe import Markup

from ..deliverables import stable_zip
from ..errors import MAX_ROWS_PER_RULE, InputError, Problem, did_you_mean, spreadsheet_row
from ..fmt import join_words, plural
from ..org_design.documents import _HTML_ENV
from .recruiting_bank import LEVELS, CompetencyModel, InterviewGuide, RoleGuide
from ..org_design.templates import TemplateError
from ..paths import REPORT_TEMPLATE
from ..workbook import sheet_name

#: Columns of ``hiring_scores`` (``notes`` optional).
COLUMNS = ("candidate_id", "position", "interviewer", "competency", "score", "notes")
REQUIRED_COLUMNS = COLUMNS[:5]
#: Interviewers whose scores of one competency differ by this many points or more disagree.
SPLIT_POINTS = 2
#: The weight of a critical competency (a role cannot do without it on day one).
CRITICAL_WEIGHT = 3
#: What a weight means, in words.
WEIGHT_WORDS = {3: "critical", 2: "important", 1: "useful"}
#: Scorecard sheets when no interviewer is named.
DEFAULT_INTERVIEWERS = 3
#: The report's brand colour when the engagement names none (as :class:`alliancekit.render.Cover`).
DEFAULT_COLOR = "#0B3D91"

_RANKING_COLUMNS = ("position", "title", "rank", "candidate_id", "weighted_score", "meets", "competencies_met",
                    "competencies_required", "critical_gaps", "gaps", "interviewers", "split",
                    "split_competencies", "not_required")
_AGREEMENT_COLUMNS = ("position", "candidate_id", "competency", "name", "interviewers", "min", "max", "spread",
                      "split")
_LEVEL_COLUMNS = ("position", "candidate_id", "competency", "name", "required", "weight", "mean", "met",
                  "shortfall")


# ----------------------------------------------------------------------------------------------
# Names: positions and competencies as a consultant writes them
# ----------------------------------------------------------------------------------------------

def _key(value: Any) -> str:
    """A name compared without case and extra spaces."""
    return " ".join(str(value).split()).casefold()


def _blank(value: Any) -> bool:
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        return False
    return isinstance(value, str) and not value.strip()


def _position_lookup(guide: InterviewGuide, titles: Mapping[str, str] | None) -> dict[str, str]:
    """Role id and role title (case-insensitive) -> role id, for the roles of the guide."""
    out: dict[str, str] = {}
    for role_id in guide.roles:
        out[_key(role_id)] = role_id
    for role_id in guide.roles:
        title = (titles or {}).get(role_id)
        if title:
            out.setdefault(_key(title), role_id)
    return out


def _competency_lookup(competencies: CompetencyModel) -> dict[str, str]:
    """Competency id and name (case-insensitive) -> id."""
    out: dict[str, str] = {_key(c.id): c.id for c in competencies.competencies}
    for c in competencies.competencies:
        out.setdefault(_key(c.name), c.id)
    return out


def _whole_score(value: Any) -> int | None:
    """A score as a whole number 1-5 (``4``, ``4.0``, ``'4'``), else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number != round(number) or not min(LEVELS) <= number <= max(LEVELS):
        return None
    return int(number)


def _lower(name: str) -> str:
    """A competency name inside a sentence: ``Negotiation and ...`` -> ``negotiation and ...`` (``IT ...`` kept)."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def _level(value: float) -> str:
    """A mean score as said: ``2.5``, ``3``, ``3.7``."""
    return f"{round(float(value), 1):g}"


# ----------------------------------------------------------------------------------------------
# Checking and normalising hiring_scores
# ----------------------------------------------------------------------------------------------

def _rule(problems: list[Problem], label: str, column: str, found: Sequence[tuple[Any, str]], what: str) -> None:
    """One problem per row of ``found`` ((index, message)), the first :data:`MAX_ROWS_PER_RULE` of them."""
    for index, message in found[:MAX_ROWS_PER_RULE]:
        problems.append(Problem(label, message, column=column, row=spreadsheet_row(index)))
    if len(found) > MAX_ROWS_PER_RULE:
        problems.append(Problem(label, f"... and {len(found) - MAX_ROWS_PER_RULE} more rows with {what}",
                                column=column))


def hiring_problems(scores: pd.DataFrame, guide: InterviewGuide, competencies: CompetencyModel,
                    role_titles: Mapping[str, str] | None, label: str = "hiring_scores.csv") -> list[Problem]:
    """What is wrong with a ``hiring_scores`` frame, one :class:`Problem` per row and rule.

    The rules: the columns ``candidate_id, position, interviewer, competency, score`` are
    there; candidate and interviewer are given; ``score`` is a whole number from 1 to 5;
    ``competency`` is a competency of the model (its id or its name, any case); ``position``
    is a role of the interview guide (its id or its title in ``role_titles``, any case). Rows
    are numbered as a spreadsheet shows them (the header is row 1); an unknown name comes with
    the nearest valid one.

    A competency of the model that the position does not require is allowed: the shortlist
    lists it as "not required for this position" and leaves it out of the ranking.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in scores.columns]
    if missing:
        return [Problem(label, f"column '{c}' is missing; the columns are {', '.join(COLUMNS)} (notes optional)",
                        column=c) for c in missing]
    problems: list[Problem] = []
    for column, who in (("candidate_id", "candidate"), ("interviewer", "interviewer")):
        empty = [(i, f"empty; say which {who} the score is for" if who == "candidate"
                  else "empty; name the interviewer who gave the score")
                 for i, v in scores[column].items() if _blank(v)]
        _rule(problems, label, column, empty, f"no {who}")
    bad_scores = [(i, "empty; give a whole number from 1 to 5" if _blank(v)
                   else f"'{v}' is not a whole number from 1 to 5")
                  for i, v in scores["score"].items() if _whole_score(v) is None]
    _rule(problems, label, "score", bad_scores, "scores that are not a whole number from 1 to 5")
    known = _competency_lookup(competencies)
    names = competencies.ids + [c.name for c in competencies.competencies]
    bad_competencies = [(i, "empty; name the competency scored (its id or name in competencies.yml)" if _blank(v)
                         else f"'{v}' is not in the competency model; {did_you_mean(str(v).strip(), names)}")
                        for i, v in scores["competency"].items() if _blank(v) or _key(v) not in known]
    _rule(problems, label, "competency", bad_competencies, "competencies not in the model")
    positions = _position_lookup(guide, role_titles)
    valid = list(guide.roles) + [t for r, t in (role_titles or {}).items() if r in guide.roles and t]
    bad_positions = [(i, "empty; name the position (a role id or title)" if _blank(v)
                      else f"'{v}' is not a position of the engagement (a role of the interview guide); "
                           f"{did_you_mean(str(v).strip(), valid)}")
                     for i, v in scores["position"].items() if _blank(v) or _key(v) not in positions]
    _rule(problems, label, "position", bad_positions, "unknown positions")
    return problems


def normalise_hiring_scores(scores: pd.DataFrame, guide: InterviewGuide, competencies: CompetencyModel,
                            titles: Mapping[str, str] | None, label: str = "hiring_scores.csv") -> pd.DataFrame:
    """``hiring_scores`` in ids: ``position`` a role id, ``competency`` a competency id, ``score`` an int.

    Positions may be given by role title and competencies by name (any case, extra spaces
    ignored); ids, interviewers and notes are stripped text (notes ``''`` when absent). The
    index is kept, so a row still names its line of the file. Idempotent. Raises
    :class:`InputError` with :func:`hiring_problems` when a row cannot be read.
    """
    problems = hiring_problems(scores, guide, competencies, titles, label)
    if problems:
        raise InputError(problems)
    positions, known = _position_lookup(guide, titles), _competency_lookup(competencies)
    out = scores.copy()
    if "notes" not in out.columns:
        out["notes"] = ""
    for column in ("candidate_id", "interviewer"):
        out[column] = [str(v).strip() for v in out[column]]
    out["position"] = [positions[_key(v)] for v in out["position"]]
    out["competency"] = [known[_key(v)] for v in out["competency"]]
    out["score"] = pd.Series([_whole_score(v) for v in out["score"]], index=out.index, dtype="int64")
    out["notes"] = ["" if _blank(v) else str(v).strip() for v in out["notes"]]
    return out[list(COLUMNS) + [c for c in out.columns if c not in COLUMNS]]


# ----------------------------------------------------------------------------------------------
# The shortlist
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shortlist:
    """The ranked candidates of every position, the panel's agreement and each candidate's levels.

    - ``ranking``: one row per position and candidate, positions in the order of the guide and
      candidates by rank: ``position`` (role id), ``title``, ``rank`` (1 = best),
      ``candidate_id``, ``weighted_score`` (1-5), ``meets`` (required levels met, ``5 of 6``) and
      the same as numbers ``competencies_met`` and ``competencies_required``, ``critical_gaps``,
      ``gaps`` (in words: ``negotiation and conflict resolution 2.5 of 4``; ``; ``-separated), ``interviewers``, ``split`` and
      ``split_competencies`` (with the scores' range), ``not_required`` (competencies scored
      that the position does not require, with their mean).
    - ``agreement``: one row per position, candidate and competency scored: ``interviewers``,
      ``min``, ``max``, ``spread`` and ``split`` (spread of :data:`SPLIT_POINTS` or more).
    - ``levels``: one row per position, candidate and competency (the position's, then any
      other scored): ``required`` and ``weight`` (missing when not required), ``mean`` (missing
      when not assessed), ``met`` and ``shortfall`` (required minus mean; the full level when
      not assessed).
    """

    ranking: pd.DataFrame
    agreement: pd.DataFrame
    levels: pd.DataFrame
    titles: Mapping[str, str] = field(default_factory=dict)

    def sentences(self) -> list[str]:
        """Plain-English findings, position by position.

        The recommended candidate and why; a candidate with a higher average who ranks lower
        for a critical gap; every candidate the panel splits on, with the competencies and the
        advice (a second interview on them); the gaps the recommended candidate would need to
        close once hired (the development plan).
        """
        out: list[str] = []
        for position, table in self.ranking.groupby("position", sort=False):
            out.extend(self._position_sentences(position, table.sort_values("rank", kind="stable")))
        return out

    def _strongest(self, position: str, candidate: str) -> list[str]:
        """The candidate's two best competencies of the position (by mean, then weight, then order)."""
        rows = self.levels[(self.levels["position"] == position) & (self.levels["candidate_id"] == candidate)
                           & self.levels["required"].notna() & self.levels["mean"].notna()]
        rows = rows.assign(order=range(len(rows))).sort_values(["mean", "weight", "order"],
                                                               ascending=[False, False, True], kind="stable")
        return [_lower(n) for n in rows["name"].head(2)]

    def _position_sentences(self, position: str, table: pd.DataFrame) -> list[str]:
        title = self.titles.get(position, position)
        top = table.iloc[0]
        n, required = len(table), int(top["competencies_required"])
        head = f"{title} ({plural(n, 'candidate')})"
        score = (f"weighted score {top['weighted_score']:.1f} of 5" if math.isfinite(top["weighted_score"])
                 else "no competency of the position scored")
        who = "the only candidate" if n == 1 else "recommended"
        out = []
        if top["critical_gaps"] > 0 and n == 1:
            out.append(f"{head}: {top['candidate_id']}, the only candidate, falls short of a critical level "
                       f"({score}, {plural(int(top['critical_gaps']), 'critical gap')}). Widen the search "
                       "before making an offer.")
        elif top["critical_gaps"] > 0:
            out.append(f"{head}: no candidate meets every critical level; {top['candidate_id']} comes closest "
                       f"({score}, {plural(int(top['critical_gaps']), 'critical gap')}). Widen the search "
                       "before making an offer.")
        else:
            met = (f"meets all {required} required levels" if top["competencies_met"] == required
                   else f"meets {int(top['competencies_met'])} of {required} required levels, every critical one")
            strongest = self._strongest(position, top["candidate_id"])
            why = f" and is strongest on {join_words(strongest)}" if strongest else ""
            out.append(f"{head}: {top['candidate_id']} is {who} ({score}); {top['candidate_id']} {met}{why}.")
        for _, other in table.iloc[1:].iterrows():
            above = table[(table["rank"] < other["rank"]) & (table["weighted_score"] < other["weighted_score"])]
            if other["critical_gaps"] > 0 and len(above):
                critical = self._gaps(position, other["candidate_id"], critical=True)
                out.append(f"{other['candidate_id']} has a higher weighted score ({other['weighted_score']:.1f}) than "
                           f"{join_words(above['candidate_id'])} but ranks {_ordinal(int(other['rank']))}: below the "
                           f"required level of a critical competency ({join_words(critical)}).")
        for _, row in table[table["split"]].iterrows():
            mine = self.agreement[(self.agreement["position"] == position)
                                  & (self.agreement["candidate_id"] == row["candidate_id"]) & self.agreement["split"]]
            names = [_lower(n) for n in mine["name"]]
            when = "before making an offer" if row["rank"] == 1 else "before deciding"
            out.append(f"The panel disagrees on {row['candidate_id']} ({title}) about {row['split_competencies']}: "
                       f"hold a second interview on {join_words(names)} {when}.")
        if top["gaps"]:
            gaps = self._gaps(position, top["candidate_id"])
            unseen = [g.split(" not assessed")[0] for g in gaps if " not assessed (" in g]
            close = [g for g in gaps if " not assessed (" not in g]
            if close:
                out.append(f"If {top['candidate_id']} is hired, the development plan should close: "
                           f"{join_words(close)}.")
            if unseen:
                out.append(f"Nobody scored {top['candidate_id']} on {join_words(unseen)}: score "
                           f"{'it' if len(unseen) == 1 else 'them'} before deciding.")
        else:
            out.append(f"{top['candidate_id']} meets every required level of the {title} position: "
                       "no gap to close on day one.")
        return out

    def _gaps(self, position: str, candidate: str, critical: bool = False) -> list[str]:
        """The candidate's gaps in words (only those of critical competencies when ``critical``)."""
        rows = self.levels[(self.levels["position"] == position) & (self.levels["candidate_id"] == candidate)
                           & self.levels["required"].notna() & ~self.levels["met"].fillna(True).astype(bool)]
        if critical:
            rows = rows[rows["weight"] >= CRITICAL_WEIGHT]
        return [_gap_words(n, m, int(r)) for n, m, r in zip(rows["name"], rows["mean"], rows["required"])]


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _gap_words(name: str, mean: float, required: int) -> str:
    if mean is None or not math.isfinite(mean):
        return f"{_lower(name)} not assessed (needs {required})"
    return f"{_lower(name)} {_level(mean)} of {required}"


def shortlist(scores: pd.DataFrame, guide: InterviewGuide, competencies: CompetencyModel,
              titles: Mapping[str, str] | None = None) -> Shortlist:
    """The ranked shortlist of every position with scores (:class:`Shortlist`).

    Per candidate and competency, each interviewer's score counts once (an interviewer who
    scored a competency twice counts with the mean of the two), then the interviewers' scores
    are averaged; the weighted score is the mean over the position's competencies assessed,
    weighted by the guide's weights. A competency of the position nobody scored is a gap
    ("not assessed"); a competency the position does not require is listed in
    ``not_required`` and counts for nothing.

    **Ranking.** First by the number of *critical* gaps (competencies of weight
    :data:`CRITICAL_WEIGHT` below the required level), fewest first; then by weighted score,
    highest first; then by the number of gaps, fewest first; then by candidate id. A critical
    competency is one the position cannot do without on day one: a higher average bought with
    strength in useful competencies does not make up for it, so a candidate who meets every
    critical level ranks above a slightly higher average with a critical gap. The table shows
    both numbers, and :meth:`Shortlist.sentences` says when the order differs from the averages.

    ``scores``: ``hiring_scores`` (as validated, or already through
    :func:`normalise_hiring_scores`); ``titles``: role id -> title (positions may then be given
    by title, and the findings name positions by title).
    """
    titles = dict(titles or {})
    names = {c.id: c.name for c in competencies.competencies}
    order = {cid: i for i, cid in enumerate(competencies.ids)}
    s = normalise_hiring_scores(scores, guide, competencies, titles)
    # One score per interviewer and competency, then the panel's view.
    per = (s.groupby(["position", "candidate_id", "competency", "interviewer"], sort=True)["score"].mean()
           .reset_index())
    ranking, agreement, levels = [], [], []
    for position in guide.roles:
        mine = per[per["position"] == position]
        if mine.empty:
            continue
        role: RoleGuide = guide.role(position)
        rows = []
        for candidate in sorted(mine["candidate_id"].unique()):
            own = mine[mine["candidate_id"] == candidate]
            scored = set(own["competency"])
            extra = sorted(scored - set(role.competencies), key=lambda c: order[c])
            weighted, weights, gaps, critical, met, splits, not_required = 0.0, 0, [], [], 0, [], []
            for cid in list(role.competencies) + extra:
                values = own.loc[own["competency"] == cid, "score"]
                mean = float(values.mean()) if len(values) else float("nan")
                requirement = role.competencies.get(cid)
                if len(values):
                    low, high = float(values.min()), float(values.max())
                    split = len(values) >= 2 and high - low >= SPLIT_POINTS
                    agreement.append((position, candidate, cid, names[cid], len(values), low, high, high - low,
                                      split))
                    if split:
                        splits.append(f"{_lower(names[cid])} ({_level(low)} to {_level(high)})")
                if requirement is None:
                    not_required.append(f"{_lower(names[cid])} {_level(mean)} (not required for this position)")
                    levels.append((position, candidate, cid, names[cid], np.nan, np.nan, mean, pd.NA, np.nan))
                    continue
                ok = bool(len(values)) and mean >= requirement.required
                shortfall = requirement.required - (mean if len(values) else 0.0)
                levels.append((position, candidate, cid, names[cid], requirement.required, requirement.weight,
                               mean, ok, 0.0 if ok else shortfall))
                if len(values):
                    weighted += requirement.weight * mean
                    weights += requirement.weight
                if ok:
                    met += 1
                    continue
                words = _gap_words(names[cid], mean, requirement.required)
                gaps.append(words)
                if requirement.weight >= CRITICAL_WEIGHT:
                    critical.append(words)
            score = weighted / weights if weights else float("nan")
            rows.append({
                "position": position, "title": titles.get(position, position), "candidate_id": candidate,
                "weighted_score": score, "meets": f"{met} of {len(role.competencies)}", "competencies_met": met,
                "competencies_required": len(role.competencies),
                "critical_gaps": len(critical), "gaps": "; ".join(gaps),
                "interviewers": int(own["interviewer"].nunique()), "split": bool(splits),
                "split_competencies": "; ".join(splits), "not_required": "; ".join(not_required), "_n_gaps": len(gaps),
            })
        rows.sort(key=lambda r: (r["critical_gaps"],
                                 -round(r["weighted_score"], 9) if math.isfinite(r["weighted_score"]) else math.inf,
                                 r["_n_gaps"], r["candidate_id"]))
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank
        ranking.extend(rows)
    if ranking:
        frame = pd.DataFrame(ranking)
        frame = frame[list(_RANKING_COLUMNS)]
        frame["weighted_score"] = frame["weighted_score"].astype(float).round(2)
    else:
        frame = _empty(_RANKING_COLUMNS)
    agree = pd.DataFrame(agreement, columns=list(_AGREEMENT_COLUMNS)) if agreement else _empty(_AGREEMENT_COLUMNS)
    level = pd.DataFrame(levels, columns=list(_LEVEL_COLUMNS)) if levels else _empty(_LEVEL_COLUMNS)
    if levels:
        level["mean"] = level["mean"].astype(float).round(2)
        level["shortfall"] = level["shortfall"].astype(float).round(2)
        level["met"] = level["met"].astype("boolean")
    return Shortlist(ranking=frame, agreement=agree, levels=level, titles=titles)


# ----------------------------------------------------------------------------------------------
# The interviewers' scorecard workbook
# ----------------------------------------------------------------------------------------------

#: Scorecard columns: competency and questions, required level, the five anchors, score, notes.
_SCORE_COL, _NOTES_COL = 8, 9
_WIDTHS = {"A": 44, "B": 15, "C": 30, "D": 30, "E": 30, "F": 30, "G": 30, "H": 11, "I": 44}
_HEADER_ROW = 8
_LINE_HEIGHT = 12.75  # points per line of 10-point text


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a wrapped cell ``width`` characters wide."""
    per_line = max(int(width * 1.15), 1)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in str(text).split("\n"))


def _fit_row(sheet, row: int, cells: Mapping[str, tuple[float, str]]) -> None:
    """Set the row's height to show every wrapped text (``cells``: column -> (width, text); a merged
    cell's width is its columns' sum): Excel does not grow a row for wrapped text on opening."""
    lines = max([_lines(text, width) for width, text in cells.values()] + [1])
    sheet.row_dimensions[row].height = max(lines, 1) * _LINE_HEIGHT + 4


def _title(titles: Mapping[str, str] | None, role_id: str) -> str:
    return (titles or {}).get(role_id) or role_id


def _interviewer_names(interviewers: Sequence[str]) -> list[str | None]:
    """The interviewers named (blank names dropped), else :data:`DEFAULT_INTERVIEWERS` unnamed sheets."""
    names = [" ".join(str(n).split()) for n in interviewers if not _blank(n)]
    return names or [None] * DEFAULT_INTERVIEWERS


def interviewer_workbook(role_id: str, guide: InterviewGuide, competencies: CompetencyModel,
                         titles: Mapping[str, str] | None, interviewers: Sequence[str] = (), *,
                         when: datetime.date | None = None) -> bytes:
    """The interviewers' scorecard of one position: an ``.xlsx`` with a ``README`` sheet, then one
    sheet per interviewer (named by the interviewer, else ``Interviewer 1`` to ``Interviewer 3``).

    Each interviewer's sheet: interviewer, candidate and date fields; per competency of the
    position its name and definition, the required level and weight, the five anchors of the
    scale in cells (the required level's anchor shaded), a score cell that accepts only a
    whole number from 1 to 5, and a notes cell; under each competency the questions that probe
    it, with what a strong and a weak answer sound like; the work sample; an overall view.
    Wrapped text, fixed column widths, bold headers, the header row and first column frozen,
    printed landscape one page wide. The same inputs give the same bytes
    (:func:`~alliancekit.deliverables.stable_zip`; ``when``: the document's date).
    """
    from openpyxl import Workbook

    role = guide.role(role_id)
    title = _title(titles, role_id)
    names = _interviewer_names(interviewers)
    book = Workbook()
    readme = book.active
    readme.title = "README"
    taken = {"readme"}
    sheets = [sheet_name(name or f"Interviewer {i}", taken) for i, name in enumerate(names, start=1)]
    _readme_sheet(readme, role_id, role, title, competencies, sheets)
    for name, sheet_title in zip(names, sheets):
        _scorecard_sheet(book.create_sheet(sheet_title), role, title, competencies, name)
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue(), when)


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A0A8B4")
    return {
        "title": Font(bold=True, size=14), "bold": Font(bold=True), "note": Font(italic=True, color="6B7685"),
        "header_font": Font(bold=True, color="FFFFFF"), "header_fill": PatternFill("solid", fgColor="0B3D91"),
        "input": PatternFill("solid", fgColor="FFF8DC"), "bar": PatternFill("solid", fgColor="DCE6F2"),
        "block": PatternFill("solid", fgColor="F2F5FA"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "centre": Alignment(horizontal="center", vertical="top", wrap_text=True),
        "box": Border(left=thin, right=thin, top=thin, bottom=thin),
    }


def _readme_sheet(sheet, role_id: str, role: RoleGuide, title: str, competencies: CompetencyModel,
                  sheets: Sequence[str]) -> None:
    st = _styles()
    levels = competencies.levels
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90
    sheet.column_dimensions["C"].width = 16
    sheet.column_dimensions["D"].width = 12
    sheet["A1"] = f"Interview scorecards: {title}"
    sheet["A1"].font = st["title"]
    scale = ", ".join(f"{level} {levels[level]}" for level in LEVELS)
    lines = [
        ("Who fills it in", f"One sheet per interviewer ({', '.join(sheets)}). Each interviewer scores alone, "
                            "during or straight after the interview and before the panel's debrief."),
        ("How to score", f"Score every competency as a whole number from 1 to 5 against the anchors on the sheet "
                         f"({scale}). Ask for one real, recent example per question; probe what the candidate "
                         "did (not 'we'), what the partner did and what happened. Write the evidence in the notes."),
        ("Required level", "The level the position needs on day one. Weight: how much the competency counts "
                           "(3 critical, 2 important, 1 useful). A candidate short of a critical level ranks "
                           "below every candidate who meets them all."),
        ("Disagreement", f"Where two interviewers' scores of a competency differ by {SPLIT_POINTS} points or more, "
                         "the shortlist flags the candidate: hold a second interview on that competency."),
        ("Returning the scores", "One row per candidate, interviewer and competency in hiring_scores.csv: "
                                 f"candidate_id, position ('{role_id}' or '{title}'), interviewer, competency "
                                 "(the id or the name below), score (1-5), notes."),
        ("Confidential", "Candidate names, scores and notes stay within the client's hiring panel; they never "
                         "go into a report shared with partners."),
    ]
    row = 3
    for head, text in lines:
        sheet.cell(row, 1, head).font = st["bold"]
        cell = sheet.cell(row, 2, text)
        cell.alignment = st["wrap"]
        sheet.cell(row, 1).alignment = st["wrap"]
        _fit_row(sheet, row, {"B": (90, text)})
        row += 1
    row += 1
    for col, head in enumerate(("competency id", "competency", "required level", "weight"), start=1):
        cell = sheet.cell(row, col, head)
        cell.font, cell.fill = st["header_font"], st["header_fill"]
    header = row
    for cid, requirement in role.competencies.items():
        row += 1
        sheet.cell(row, 1, cid)
        sheet.cell(row, 2, competencies.competency(cid).name)
        sheet.cell(row, 3, f"{requirement.required} {levels[requirement.required]}")
        sheet.cell(row, 4, f"{requirement.weight} {WEIGHT_WORDS[requirement.weight]}")
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = f"{header}:{header}"


def _scorecard_sheet(sheet, role: RoleGuide, title: str, competencies: CompetencyModel,
                     interviewer: str | None) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    st = _styles()
    levels = competencies.levels
    last = get_column_letter(_NOTES_COL)
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet["A1"] = f"Interview scorecard: {title}"
    sheet["A1"].font = st["title"]
    sheet["A2"] = "Confidential: candidate names, scores and notes stay within the hiring panel."
    sheet["A2"].font = st["note"]
    for row, label, value in ((3, "Interviewer", interviewer or ""), (4, "Candidate", ""), (5, "Date", "")):
        sheet.cell(row, 1, label).font = st["bold"]
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        cell = sheet.cell(row, 2, value)
        cell.fill, cell.border = st["input"], st["box"]
        sheet.cell(row, 3).border = st["box"]
    sheet.cell(4, 2).number_format = "@"
    sheet.cell(5, 2).number_format = "yyyy-mm-dd"
    how = ("Ask the questions under each competency. Score each competency from 1 to 5 against the anchors "
           "(whole numbers; the shaded anchor is the level the position requires) in the yellow Score cell, and "
           "write what the candidate did in the notes. Score before the panel's debrief.")
    sheet.cell(6, 1, "How to score").font = st["bold"]
    sheet.merge_cells(start_row=6, start_column=2, end_row=6, end_column=_NOTES_COL)
    sheet.cell(6, 2, how).alignment = st["wrap"]
    _fit_row(sheet, 6, {"B": (sum(_WIDTHS[c] for c in "BCDEFGHI"), how)})
    heads = (["Competency and questions", "Required level"] + [f"{level} {levels[level]}" for level in LEVELS]
             + ["Score (1-5)", "Evidence and notes"])
    for col, head in enumerate(heads, start=1):
        cell = sheet.cell(_HEADER_ROW, col, head)
        cell.font, cell.fill, cell.alignment, cell.border = st["header_font"], st["header_fill"], st["wrap"], st["box"]
    sheet.freeze_panes = f"B{_HEADER_ROW + 1}"
    validation = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True,
                                showErrorMessage=True, errorTitle="Score from 1 to 5",
                                error="Enter a whole number from 1 to 5 (see the anchors on this row).",
                                showInputMessage=True, promptTitle="Score", prompt="A whole number from 1 to 5")
    sheet.add_data_validation(validation)
    row, number = _HEADER_ROW, 0
    for cid, requirement in role.competencies.items():
        competency = competencies.competency(cid)
        row += 1
        head = f"{competency.name}\n{competency.definition}"
        sheet.cell(row, 1, CellRichText(TextBlock(InlineFont(b=True), competency.name), f"\n{competency.definition}"))
        need = f"{requirement.required} {levels[requirement.required]}\n({WEIGHT_WORDS[requirement.weight]})"
        sheet.cell(row, 2, need)
        texts = {"A": (_WIDTHS["A"], head), "B": (_WIDTHS["B"], need)}
        for level in LEVELS:
            column = 2 + level
            text = competency.anchors[level]
            cell = sheet.cell(row, column, text)
            if level == requirement.required:
                cell.fill = st["bar"]
            texts[get_column_letter(column)] = (_WIDTHS[get_column_letter(column)], text)
        for col in range(1, _NOTES_COL + 1):
            cell = sheet.cell(row, col)
            cell.alignment, cell.border = st["wrap"], st["box"]
            if col in (1, 2):
                cell.fill = st["block"]
        score = sheet.cell(row, _SCORE_COL)
        score.fill, score.alignment = st["input"], st["centre"]
        sheet.cell(row, _NOTES_COL).fill = st["input"]
        validation.add(score.coordinate)
        _fit_row(sheet, row, texts)
        for question in role.questions_for(cid):
            number += 1
            row += 1
            ask = f"Q{number}. {question.question}"
            strong, weak = f"Strong answer: {question.strong}", f"Weak answer: {question.weak}"
            sheet.cell(row, 1, ask)
            sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
            sheet.merge_cells(start_row=row, start_column=6, end_row=row, end_column=7)
            sheet.cell(row, 3, strong)
            sheet.cell(row, 6, weak)
            for col in (1, 3, 6, _NOTES_COL):
                sheet.cell(row, col).alignment = st["wrap"]
            sheet.cell(row, _NOTES_COL).border = st["box"]
            _fit_row(sheet, row, {"A": (_WIDTHS["A"], ask), "C": (_WIDTHS["C"] * 3, strong),
                                  "F": (_WIDTHS["F"] * 2, weak)})
    sample = role.work_sample
    row += 2
    sheet.cell(row, 1, f"Work sample: {sample.title}").font = st["bold"]
    wide = sum(_WIDTHS[c] for c in "BCDEFGHI")
    details = [
        ("Brief", sample.brief), ("Time allowed", sample.time_allowed),
        ("Evidences", join_words([competencies.competency(c).name for c in sample.competencies])),
        ("Looks for", "\n".join(f"• {item}" for item in sample.looks_for)),
    ] + ([("Warning signs", "\n".join(f"• {item}" for item in sample.warning_signs))] if sample.warning_signs else [])
    for label, text in details:
        row += 1
        sheet.cell(row, 1, label).font = st["bold"]
        sheet.cell(row, 1).alignment = st["wrap"]
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=_NOTES_COL)
        sheet.cell(row, 2, text).alignment = st["wrap"]
        _fit_row(sheet, row, {"B": (wide, text)})
    row += 2
    sheet.cell(row, 1, "Overall view and why (hire, do not hire, second interview on ...)").font = st["bold"]
    sheet.cell(row, 1).alignment = st["wrap"]
    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=_NOTES_COL)
    sheet.cell(row, 2).fill, sheet.cell(row, 2).alignment = st["input"], st["wrap"]
    for col in range(2, _NOTES_COL + 1):
        sheet.cell(row, col).border = st["box"]
    sheet.row_dimensions[row].height = 5 * _LINE_HEIGHT
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    sheet.print_area = f"A1:{last}{row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# ----------------------------------------------------------------------------------------------
# The interview guide as a client-ready page
# ----------------------------------------------------------------------------------------------

#: Styles of the guide on top of the report's stylesheet.
_GUIDE_CSS = """
.ig-required { color: #44505F; font-weight: bold; margin: 0 0 6px; }
.ig-definition { margin: 0 0 8px; }
table.kit-table tr.ig-bar td { background: #E4ECF7; font-weight: bold; }
ol.ig-questions { padding-left: 1.6em; }
ol.ig-questions li { margin: 0 0 10px; break-inside: avoid; }
.ig-question { margin: 0 0 4px; font-weight: bold; }
.ig-strong, .ig-weak { margin: 2px 0; padding-left: 8px; font-size: 9pt; }
.ig-strong { border-left: 3px solid #2E7D32; }
.ig-weak { border-left: 3px solid #C44536; }
.ig-sample dt { font-weight: bold; margin-top: 8px; } .ig-sample dd { margin: 2px 0 0 0; }
"""

_GUIDE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="author" content="{{ client }}">
<title>{{ title }} · Interview guide · {{ client }}</title>
<style>
:root { --brand: {{ color }}; }
{{ css }}
</style>
</head>
<body>
<section class="cover">
  <div class="cover-band"></div>
  <p class="cover-kicker">Interview guide</p>
  <h1 class="cover-title">{{ title }}</h1>
  <p class="cover-client">Prepared for {{ client }}</p>
  <dl class="cover-meta">
    <dt>Competencies</dt><dd>{{ rows | length }}, scored 1 to 5 against anchored levels</dd>
    <dt>Questions</dt><dd>{{ questions }} behavioural questions and a work sample</dd>
    <dt>Classification</dt><dd>Confidential: for the hiring panel of {{ client }} only</dd>
  </dl>
  <p class="running-title">{{ title }} · Interview guide</p>
  <p class="running-sender">{{ client }}</p>
</section>
<main class="report">
<h2 class="first">What the position needs</h2>
<p>The competencies that matter most in the position of {{ title }}, the level a person needs on day one
and how much each counts (critical, important, useful). Every interviewer scores every competency from
1 to 5 against the anchors below: {{ scale }}.</p>
<div class="table-wrap"><table class="kit-table">
<thead><tr><th>Competency</th><th class="num">Required level</th><th>Weight</th></tr></thead>
<tbody>
{%- for c in rows %}
<tr><td>{{ c.name }}</td><td class="num">{{ c.required }} ({{ c.level_name }})</td><td>{{ c.weight_word }}</td></tr>
{%- endfor %}
</tbody></table></div>
<h3>How to run the interview</h3>
<ul>
<li>Ask each question for one real, recent example; probe what the candidate did (not "we"), what the partner did and what happened.</li>
<li>Score alone, before the panel's debrief, against the anchors; write the evidence beside the score.</li>
<li>Where two interviewers' scores of a competency differ by {{ split }} points or more, hold a second interview on that competency before deciding.</li>
<li>A candidate short of the required level of a critical competency ranks below every candidate who meets them all.</li>
</ul>
<h2>Competencies and questions</h2>
{%- for c in rows %}
<section class="ig-competency">
<h3>{{ c.name }}</h3>
<p class="ig-required">Required: level {{ c.required }} ({{ c.level_name }}) · {{ c.weight_word }}</p>
<p class="ig-definition">{{ c.definition }}</p>
<div class="table-wrap"><table class="kit-table ig-scale">
<thead><tr><th class="num">Level</th><th>What it looks like</th></tr></thead>
<tbody>
{%- for a in c.anchors %}
<tr{% if a.required %} class="ig-bar"{% endif %}><td class="num">{{ a.level }}</td><td><strong>{{ a.name }}</strong>{% if a.required %} (required){% endif %}: {{ a.text }}</td></tr>
{%- endfor %}
</tbody></table></div>
{%- if c.questions %}
<h4>Questions</h4>
<ol class="ig-questions">
{%- for q in c.questions %}
<li value="{{ q.number }}"><p class="ig-question">{{ q.question }}</p>
<p class="ig-strong"><strong>A strong answer:</strong> {{ q.strong }}</p>
<p class="ig-weak"><strong>A weak answer:</strong> {{ q.weak }}</p></li>
{%- endfor %}
</ol>
{%- endif %}
{%- if c.in_sample %}<p class="table-note">The work sample also shows this competency.</p>{% endif %}
</section>
{%- endfor %}
<h2>Work sample: {{ sample.title }}</h2>
<p>{{ sample.brief }}</p>
<dl class="ig-sample">
<dt>Materials</dt><dd><ul>{% for m in sample.materials %}<li>{{ m }}</li>{% endfor %}</ul></dd>
<dt>Time allowed</dt><dd>{{ sample.time_allowed }}</dd>
<dt>What it shows</dt><dd>{{ sample_competencies }}</dd>
<dt>What the panel looks for</dt><dd><ul>{% for m in sample.looks_for %}<li>{{ m }}</li>{% endfor %}</ul></dd>
{%- if sample.warning_signs %}
<dt>Warning signs</dt><dd><ul>{% for m in sample.warning_signs %}<li>{{ m }}</li>{% endfor %}</ul></dd>
{%- endif %}
</dl>
</main>
<footer class="report-end"><p>Interview guide for the position of {{ title }}, prepared for {{ client }}. Confidential.</p></footer>
</body>
</html>
"""


def _report_css() -> str:
    return (REPORT_TEMPLATE / "report.css").read_text(encoding="utf-8")


def interview_guide_html(role_id: str, guide: InterviewGuide, competencies: CompetencyModel,
                         titles: Mapping[str, str] | None, client: str, *, color: str = DEFAULT_COLOR) -> str:
    """The interview guide of one position as a self-contained HTML page for the client's panel.

    A cover (position, client, classification), then what the position needs (competencies,
    required levels, weights), how to run the interview, each competency with its definition,
    its anchored scale (the required level marked) and the questions that probe it with what
    a strong and a weak answer sound like, and the work sample. The report's stylesheet
    (``engagement_templates/report/report.css``, brand colour ``color``) makes it look like the
    engagement's reports on screen and in a PDF. Rendered with the sandboxed, autoescaping
    environment of the position descriptions (:mod:`alliancekit.org_design.documents`): every
    text of the templates, the titles and the client name is shown as text, never as markup.
    """
    role = guide.role(role_id)
    levels = competencies.levels
    sample = role.work_sample
    rows, number = [], 0
    for cid, requirement in role.competencies.items():
        competency = competencies.competency(cid)
        questions = []
        for q in role.questions_for(cid):
            number += 1
            questions.append({"number": number, "question": q.question, "strong": q.strong, "weak": q.weak})
        rows.append({
            "name": competency.name, "definition": competency.definition, "required": requirement.required,
            "level_name": levels[requirement.required], "weight_word": WEIGHT_WORDS[requirement.weight],
            "anchors": [{"level": level, "name": levels[level], "text": competency.anchors[level],
                         "required": level == requirement.required} for level in LEVELS],
            "questions": questions, "in_sample": cid in sample.competencies,
        })
    context = {
        "title": _title(titles, role_id), "client": client, "color": color, "rows": rows, "questions": number,
        "css": Markup(_report_css() + _GUIDE_CSS), "split": SPLIT_POINTS, "sample": sample,
        "sample_competencies": join_words([competencies.competency(c).name for c in sample.competencies]),
        "scale": ", ".join(f"{level} {levels[level]}" for level in LEVELS),
    }
    try:
        return _HTML_ENV.from_string(_GUIDE_PAGE).render(**context)
    except JinjaError as exc:
        raise TemplateError(f"interview guide of {role_id}: {exc}") from None
