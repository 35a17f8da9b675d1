"""Redacted interview texts split into statements: one sentence, or a short one joined to the next.

The splitter copes with what notes and transcripts contain: abbreviations that end in a
full stop (``e.g.``, ``Inc.``, ``Dr.``, initials), bullets and numbered lists, line breaks,
and the redaction tokens (``[name] here, ...``). A fragment of fewer than
:data:`MIN_WORDS` words ("Honestly?", "Support is responsive.") is joined to the sentence
after it (or before it, at the end of an interview), so no opinion is lost and none is
split from its reason.
"""

from __future__ import annotations

import re

import pandas as pd

MIN_WORDS = 4

#: Words that end in a full stop without ending a sentence (lower case, without the stop).
ABBREVIATIONS = frozenset({
    "e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "esp", "inc", "ltd", "corp", "co", "llc", "plc", "bros",
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "no", "nos", "vol", "fig", "dept", "est", "a.m", "p.m",
    "u.s", "u.k", "e.u", "s.a", "n.v", "b.v", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "ca", "min", "max", "avg", "ext", "tel", "mob",
})
_BULLET = re.compile(r"^\s*(?:[-*•–·▪]|\d{1,2}[.)]|[a-z][.)])\s+", re.MULTILINE)
_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9\[À-Þ])")


def _ends_with_abbreviation(chunk: str) -> bool:
    last = chunk.rstrip().rsplit(None, 1)[-1] if chunk.strip() else ""
    word = last.rstrip(".").lower().lstrip("(\"'")
    return word in ABBREVIATIONS or bool(re.fullmatch(r"[A-Z]", last.rstrip(".")))


def split_sentences(text: str) -> list[str]:
    """``text`` as a list of sentences (bullets and line breaks end a sentence too)."""
    sentences: list[str] = []
    for block in re.split(r"\n\s*|\r", _BULLET.sub("\n", str(text))):
        block = " ".join(block.split())
        if not block:
            continue
        start = 0
        pending = ""
        for match in _END.finditer(block):
            chunk = pending + block[start:match.start()]
            if _ends_with_abbreviation(chunk):
                pending = chunk + block[match.start():match.end()]
            else:
                sentences.append(chunk.strip())
                pending = ""
            start = match.end()
        tail = (pending + block[start:]).strip()
        if tail:
            sentences.append(tail)
    return sentences


def word_count(text: str) -> int:
    """Words in ``text`` (redaction tokens count as one word)."""
    return len(re.findall(r"\[\w+\]|[^\W_]+(?:['’\-][^\W_]+)*", text))


def join_fragments(sentences: list[str], min_words: int = MIN_WORDS) -> list[str]:
    """Join every sentence shorter than ``min_words`` to the next one (the last to the previous)."""
    out: list[str] = []
    carry = ""
    for sentence in sentences:
        sentence = f"{carry} {sentence}".strip() if carry else sentence
        if word_count(sentence) < min_words:
            carry = sentence
        else:
            out.append(sentence)
            carry = ""
    if carry:
        if out:
            out[-1] = f"{out[-1]} {carry}"
        elif word_count(carry) > 0:
            out.append(carry)
    return out


def split_statements(interviews: pd.DataFrame) -> pd.DataFrame:
    """One row per statement of the (already redacted) ``interviews``.

    Columns: ``statement_id`` (``<interview_id>-NN``), ``interview_id``, ``partner_id``,
    ``respondent``, ``text``.
    """
    rows = []
    for interview in interviews.itertuples(index=False):
        for n, text in enumerate(join_fragments(split_sentences(interview.text)), 1):
            rows.append({"statement_id": f"{interview.interview_id}-{n:02d}", "interview_id": interview.interview_id,
                         "partner_id": interview.partner_id, "respondent": interview.respondent, "text": text})
    return pd.DataFrame(rows, columns=["statement_id", "interview_id", "partner_id", "respondent", "text"])
