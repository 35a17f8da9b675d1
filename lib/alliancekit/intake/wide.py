"""A wide survey export (Microsoft Forms, Google Forms) as the kit's long ``maturity_survey``.

Forms tools export one row per respondent and one column per question, headed by the
question's text (Google grid questions as ``Question [item]``), with the answers as the
labels the respondent clicked ("Strongly agree", "Not Applicable"). The kit reads one row
per respondent and question with a 1-5 score (see ``SPECS["maturity_survey"]``). Asking the
consultant to reshape the export by hand would have to be redone for every new export and
is where answers get shifted between columns; so the engagement file's mapping
(:class:`~.mapping.DataMapping`: ``respondent``, ``role``, ``questions``, ``scale``) says
once which header holds which question and what each label scores, and
:func:`wide_to_long` does the rest every time.

Every answer keeps the spreadsheet row and the client's header it came from
(``source_row``, ``source_column``), so a later error names the cell the consultant sees
in the client's file, not a row of a table the kit made.
"""

from __future__ import annotations

import difflib
import re
from typing import Collection, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import MAX_ROWS_PER_RULE, Problem, did_you_mean
from .mapping import DataMapping

#: The kit input a wide export becomes.
NAME = "maturity_survey"
#: Columns of the long table: the kit's, then where each answer came from in the client's file.
LONG_COLUMNS = ("respondent_id", "role", "question_id", "score")
SOURCE_COLUMNS = ("source_row", "source_column")
#: Respondent ids made up when ``respondent: row``: ``R`` + the file-order number, at least this wide.
ROW_ID_PREFIX, ROW_ID_WIDTH = "R", 3
#: Similarity from which a header or a statement counts as the one meant (difflib's default cutoff).
CLOSE = 0.6
#: Unused headers named in the summary note, each cut to this many characters.
UNUSED_SHOWN, UNUSED_CHARS = 3, 40


def wide_to_long(frame: pd.DataFrame, mapping: DataMapping, question_ids: Collection[str], label: str,
                 first_row: int) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """The long ``maturity_survey`` table of a wide export, its problems, and notes for the reader.

    ``frame`` is the client's table as read (cells text or missing, headers as in the file);
    ``first_row`` the spreadsheet row of its first data row, so problems name the rows the
    consultant sees; ``label`` the file name the problems carry. ``question_ids`` are the
    questionnaire's ids (empty: not known, not checked); a mapping ``{id: statement}`` also
    lets an unknown id be matched to the statement its header reads like.

    The table has ``respondent_id, role, question_id, score`` (text; score ``"1"``-``"5"`` or
    missing for no basis to judge) plus ``source_row`` and ``source_column`` (the client's
    header), one row per respondent and read question, respondents in file order, questions
    in the mapping's order. Rows of the file with no cell filled are skipped. An answer the
    scale does not know is a problem and keeps its text in ``score``: a caller that went on
    regardless could not mistake it for no answer, the schema refuses it.
    """
    problems: list[Problem] = []
    notes: list[str] = []
    frame = frame.reset_index(drop=True)
    headers = [str(c) for c in frame.columns]
    present = set(headers)
    mapped = {h for h in (mapping.role, mapping.respondent, *mapping.questions.values()) if h}
    spare = [h for h in headers if h not in mapped]  # where a mistyped header most likely is

    def missing_header(what: str, header: str) -> None:
        problems.append(Problem(label, f"{what}: no column headed '{header}' in the file; "
                                       f"{nearest_header(header, headers, spare)}"))

    role = mapping.role if mapping.role in present else None
    if mapping.role and role is None:
        missing_header("role", mapping.role)
    by_row = mapping.respondent == "row"
    respondent = None if by_row or mapping.respondent not in present else mapping.respondent
    if not by_row and respondent is None:
        missing_header("respondent", mapping.respondent)

    read: list[tuple[str, str]] = []  # (question id, client's header), mapping order
    reader: dict[str, str] = {}       # header -> the first question id reading it
    known = set(question_ids)
    for qid, header in mapping.questions.items():
        unknown_id = bool(known) and qid not in known
        if unknown_id:  # reported with the header's problem, if any: every problem in one run
            problems.append(Problem(label, f"questions: '{qid}' is not a question of the questionnaire; "
                                           f"{_nearest_id(qid, header if header in present else None, question_ids)}"))
        if header not in present:
            missing_header(f"questions.{qid}", header)
        elif unknown_id:
            continue
        elif header in reader:
            problems.append(Problem(label, f"questions: {reader[header]} and {qid} both read the column "
                                           f"'{header}'; each question has its own column"))
        else:
            reader[header] = qid
            read.append((qid, header))
    problems += _scale_problems(mapping.scale, label)
    for header, user in [(h, q) for q, h in read] + [(role, "role"), (respondent, "respondent")]:
        twins = _twins(header, headers) if header else []
        if twins:
            notes.append(f"{label}: {len(twins) + 1} columns are headed '{header}' (the others are read as "
                         f"{', '.join(repr(t) for t in twins)}); {user} reads the first; map another to read it.")

    cells = frame.apply(_clean) if len(frame.columns) else frame
    filled = cells.notna().any(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), bool)
    rows = (first_row + np.arange(len(frame)))[filled]
    cells = cells[filled]
    n = len(cells)
    if n == 0:
        problems.append(Problem(label, "no responses: every row of the file is empty"))
    if (~filled).any():
        skipped = int((~filled).sum())
        notes.append(f"{label}: {skipped} empty row{'s' * (skipped != 1)} skipped (no cell filled).")

    if by_row:
        width = max(ROW_ID_WIDTH, len(str(n)))
        ids = np.array([f"{ROW_ID_PREFIX}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    elif respondent is not None:
        ids = _objects(cells[respondent])
        problems += _respondent_problems(ids, rows, label, respondent)
    else:
        ids = np.full(n, None, dtype=object)
    roles = _objects(cells[role]) if role is not None else np.full(n, None, dtype=object)
    if role is not None:
        gaps = np.flatnonzero(pd.isna(roles))
        problems += _listed(label, role, rows[gaps],
                            ["no role given (expected the respondent's role, e.g. CEO)"] * len(gaps))

    qids = [q for q, _ in read]
    columns = [h for _, h in read]
    raw = _objects(pd.Series(cells[columns].to_numpy(dtype=object).ravel(), dtype=object)) if read else \
        np.array([], dtype=object)  # row-major: respondent, then question in mapping order
    score, unknown, no_basis = _scores(raw, mapping)
    for k, header in enumerate(columns):
        hits = np.flatnonzero(unknown[k::len(columns)])  # respondents whose answer to question k is unknown
        shown = hits[:MAX_ROWS_PER_RULE]
        problems += _listed(label, header, rows[hits],
                            [_unknown_message(raw[i * len(columns) + k], mapping.scale) for i in shown], total=len(hits))

    text = lambda values: pd.Series(np.asarray(values, dtype=object), dtype=object)  # noqa: E731 (keeps None)
    long = pd.DataFrame({
        "respondent_id": text(np.repeat(ids, len(columns))),
        "role": text(np.repeat(roles, len(columns))),
        "question_id": text(np.tile(np.array(qids, dtype=object), n)),
        "score": text(score),
        "source_row": pd.Series(np.repeat(rows, len(columns)), dtype=int),
        "source_column": text(np.tile(np.array(columns, dtype=object), n)),
    }, columns=[*LONG_COLUMNS, *SOURCE_COLUMNS])
    # a cell left empty was not answered: no row, as the kit's own long files leave it out (an
    # answer the scale maps to null stays, as a row with no score: an explicit "no basis to judge")
    long = long[~pd.isna(raw)] if len(long) else long
    long.attrs["source"] = label

    used = set(columns) | {h for h in (role, respondent) if h}
    notes.insert(0, _summary(label, n, len(columns), no_basis, int(pd.isna(raw).sum()),
                             [h for h in headers if h not in used]))
    return long, problems, notes


# ----------------------------------------------------------------------------------------------
# Cells
# ----------------------------------------------------------------------------------------------

def _clean(column: pd.Series) -> pd.Series:
    """Text without surrounding white space; empty and blank cells missing (as the reader leaves them)."""
    text = column.astype("string").str.strip()
    return text.mask(text == "")


def _objects(values: pd.Series) -> np.ndarray:
    """``values`` as an object array of ``str`` and ``None``."""
    out = values.astype(object).to_numpy(dtype=object, copy=True)
    out[pd.isna(out)] = None
    return out


def _canon(text: str) -> str:
    """A label or header as compared: case folded, inner runs of white space collapsed."""
    return " ".join(str(text).split()).casefold()


def _scores(raw: np.ndarray, mapping: DataMapping) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Each answer's score (``"1"``-``"5"``, ``None``, or its own text when unknown), which answers
    are unknown, and how many answers each label mapped to null had.

    A label of the scale wins over a number (a client's scale may have a label ``"0"``); a
    number 1-5 written as ``4`` or ``4.0`` is taken as is (Google's linear-scale questions).
    """
    text = pd.Series(raw, dtype="string")
    canon = text.str.replace(r"\s+", " ", regex=True).str.casefold()
    scale = {_canon(k): (None if v is None else str(int(v))) for k, v in mapping.scale.items()}
    in_scale = canon.isin(list(scale)).fillna(False).to_numpy(dtype=bool)
    number_text = text.str.replace(",", ".", regex=False) if mapping.decimal == "," else text
    number = pd.to_numeric(number_text.astype(object), errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        whole = ~in_scale & (number >= 1) & (number <= 5) & (number == np.round(number))
    score = np.full(len(raw), None, dtype=object)
    score[in_scale] = canon[in_scale].map(scale).astype(object).to_numpy()
    score[whole] = np.array(["1", "2", "3", "4", "5"], dtype=object)[number[whole].astype(int) - 1]
    unknown = ~pd.isna(raw) & ~in_scale & ~whole
    score[unknown] = raw[unknown]
    score[pd.isna(score)] = None
    counts = canon[in_scale].value_counts()
    no_basis: dict[str, int] = {}  # the scale's spelling -> answers; labels alike in case or spacing once
    for label, value in mapping.scale.items():
        key = _canon(label)
        if value is None and counts.get(key, 0) and key not in map(_canon, no_basis):
            no_basis[label] = int(counts[key])
    return score, unknown, no_basis


def _unknown_message(value: str, scale: Mapping[str, int | None]) -> str:
    """What an answer off the scale is, and what was expected: the scale's own labels, as the mapping spells them."""
    expected = (f"one of the scale's labels ({', '.join(scale)}) or a score from 1 to 5" if scale
                else "a score from 1 to 5 (the mapping has no 'scale' for labels)")
    return (f"answer '{value}' is not on the scale; expected {expected}. "
            "Add the label to the mapping's 'scale' if it is a valid answer")


# ----------------------------------------------------------------------------------------------
# Problems
# ----------------------------------------------------------------------------------------------

def _listed(label: str, column: str, rows: Sequence[int], messages: Sequence[str],
            total: int | None = None) -> list[Problem]:
    """The first :data:`MAX_ROWS_PER_RULE` rows of one rule on one column, then how many more."""
    total = len(rows) if total is None else total
    out = [Problem(label, m, column=column, row=int(r)) for r, m in zip(rows[:MAX_ROWS_PER_RULE], messages)]
    if total > MAX_ROWS_PER_RULE:
        out.append(Problem(label, f"... and {total - MAX_ROWS_PER_RULE} more rows with the same problem", column=column))
    return out


def _respondent_problems(ids: np.ndarray, rows: np.ndarray, label: str, column: str) -> list[Problem]:
    """Rows without a respondent; rows naming a respondent seen before (a second response).

    The messages name the earlier row, never the respondent: the column may hold names or e-mails.
    """
    series = pd.Series(ids, dtype=object)
    gaps = np.flatnonzero(series.isna().to_numpy())
    problems = _listed(label, column, rows[gaps], ["no respondent given (expected a value in every row)"] * len(gaps))
    given = series.notna().to_numpy()
    again = np.flatnonzero(given & series.duplicated(keep="first").to_numpy())
    first = pd.Series(rows[given], index=series[given]).groupby(level=0, sort=False).first()
    messages = [f"the same respondent as row {int(first[ids[i]])} (expected one response per respondent; "
                "delete the response that should not count)" for i in again[:MAX_ROWS_PER_RULE]]
    return problems + _listed(label, column, rows[again], messages, total=len(again))


def _scale_problems(scale: Mapping[str, int | None], label: str) -> list[Problem]:
    """Labels that read alike (case, spacing) but score differently: which one an answer gets would be chance."""
    seen: dict[str, str] = {}
    problems = []
    for key, value in scale.items():
        other = seen.setdefault(_canon(key), key)
        if other != key and scale[other] != value:
            problems.append(Problem(label, f"scale: '{other}' ({scale[other]}) and '{key}' ({value}) differ only in "
                                           "case or spacing, which answers are matched regardless of; "
                                           "give them the same score"))
    return problems


def _twins(header: str, headers: Iterable[str]) -> list[str]:
    """Headers pandas made of the same header repeated in the file (``X.1``, ``X.2``)."""
    pattern = re.compile(re.escape(header) + r"\.\d+")
    return [h for h in headers if pattern.fullmatch(h)]


def nearest_header(wanted: str, headers: Sequence[str], spare: Sequence[str] = ()) -> str:
    """How to fix a header the file does not have: the header it most likely means, else the unused headers.

    Survey headers are long sentences, where difflib's default matcher can miss (over 200
    characters it ignores the frequent characters, so a header with a few words dropped may
    score 0.4 instead of 0.97), so the same header in another case or spacing, then without
    punctuation, then the one header holding the text (or held in it) are tried first, then
    difflib, then difflib without that heuristic. ``spare`` (headers no other key of the
    mapping reads) is searched first.
    """
    pools = [list(spare), list(headers)] if spare else [list(headers)]
    for pool in pools:
        for h in pool:
            if _canon(h) == _canon(wanted):
                return f"the file has '{h}', which differs only in case or spacing (copy the header exactly)"
        for h in pool:
            if _bare(h) == _bare(wanted):
                return f"did you mean '{h}'? (it differs only in punctuation or spacing)"
        holding = [h for h in pool if _holds(h, wanted) or _holds(wanted, h)]
        if len(holding) == 1:  # e.g. the statement alone, for a grid header 'Question [statement]'
            return f"did you mean '{holding[0]}'?"
        hint = did_you_mean(wanted, pool)
        if hint.startswith("did you mean"):
            return hint
        best = _closest(wanted, {h: h for h in pool})
        if best:
            return f"did you mean '{best}'?"
    return did_you_mean(wanted, pools[0])


def _holds(text: str, part: str) -> bool:
    """``part`` (two words or more: not a stray 'ID') appears in ``text`` as whole words."""
    words = lambda value: " ".join(re.findall(r"\w+", value.casefold()))  # noqa: E731
    inner = words(part)
    return " " in inner and f" {inner} " in f" {words(text)} "


def _bare(text: str) -> str:
    """Letters and digits only, case folded: ``"Strategy:  (written)"`` reads as ``"strategywritten"``."""
    return re.sub(r"[\W_]+", "", str(text).casefold())


def _closest(text: str, candidates: Mapping[str, str]) -> str | None:
    """The key of the candidate text most like ``text`` (at least :data:`CLOSE`), without difflib's junk heuristic."""
    scored = [(difflib.SequenceMatcher(None, _canon(text), _canon(c), autojunk=False).ratio(), k)
              for k, c in candidates.items()]
    ratio, key = max(scored, default=(0.0, None))
    return key if ratio >= CLOSE else None


def _nearest_id(qid: str, header: str | None, question_ids: Collection[str]) -> str:
    """The id meant: the one whose statement the column's header reads like, else the nearest spelling."""
    if header is not None and isinstance(question_ids, Mapping):
        item = re.search(r"\[([^\]]+)\]\s*$", header)  # a Google grid header: the statement may be the item
        for text in ([header, item.group(1)] if item else [header]):
            match = _statement_like(text, {k: str(v) for k, v in question_ids.items()})
            if match:
                return f"its column '{header}' reads like {match}'s statement: did you mean '{match}'?"
    return did_you_mean(qid, question_ids)


def _words(text: str) -> set[str]:
    """The words of four letters or more (roughly: the words that carry meaning), case folded."""
    return {w for w in re.findall(r"\w+", str(text).casefold()) if len(w) >= 4}


def _statement_like(text: str, statements: Mapping[str, str]) -> str | None:
    """The id of the one statement ``text`` reads like: a rewording of it (most of the shorter
    text's words in the other) or a near copy (difflib), and clearly closer than any other.

    A client's form often rewords the questionnaire ("The company has a written alliance
    strategy"), which character similarity alone misses.
    """
    mine = _words(text)
    scored = []
    for key, statement in statements.items():
        theirs = _words(statement)
        shared = len(mine & theirs)
        overlap = shared / min(len(mine), len(theirs)) if shared >= 2 else 0.0  # one common word is chance
        ratio = difflib.SequenceMatcher(None, _canon(text), _canon(statement), autojunk=False).ratio()
        scored.append((max(overlap, ratio), key))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < CLOSE or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _summary(label: str, respondents: int, questions: int, no_basis: Mapping[str, int], blank: int,
             unused: Sequence[str]) -> str:
    """One sentence: what was read, what counts as no basis to judge, what was left out. No respondent data."""
    parts = [f"{NAME}: {respondents} respondent{'s' * (respondents != 1)} x {questions} "
             f"question{'s' * (questions != 1)} read from a wide export ({label})"]
    parts += [f"{count} answer{'s' * (count != 1)} '{name}' counted as no basis to judge"
              for name, count in no_basis.items()]
    if blank:
        parts.append(f"{blank} answer{'s' * (blank != 1)} left blank (no basis to judge)")
    if unused:
        shown = [h if len(h) <= UNUSED_CHARS else h[:UNUSED_CHARS - 1] + "…" for h in unused[:UNUSED_SHOWN]]
        more = ", ..." if len(unused) > UNUSED_SHOWN else ""
        parts.append(f"{len(unused)} column{'s' * (len(unused) != 1)} of the file not used ({', '.join(shown)}{more})")
    return "; ".join(parts) + "."
