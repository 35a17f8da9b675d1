"""Identities out of interview text, before anything is split, classified, stored or shown.

Partners speak freely only when nothing they say can be traced back to them, so every
interview text passes through :class:`Redactor` first and only its output leaves the library.
No language model is downloaded; the rules are explicit and tested against adversarial cases:

- **e-mail addresses** (also spelled out: ``jane dot doe at acme dot com``) -> ``[email]``;
- **URLs** with or without a scheme, ``www.`` or a bare ``domain.tld/path`` -> ``[url]``;
- **phone numbers** in international and national formats, with extensions: a run of
  digit groups holding 7-15 digits that is not a date, a year range or a plain amount -> ``[phone]``;
- **partner companies** (``partners.partner_name``, the name without its legal form, and
  its distinctive first word): a named company identifies the speaker -> ``[partner]``;
- **people** -> ``[name]``: every person named in the engagement's tables (respondents,
  alliance managers, sponsors, staff) as a full name, and each part of three letters or more
  alone (case-insensitive; possessives too); then, in the text, a given name from the
  shipped gazetteer (:file:`data/given_names.txt`, ~2,800 names across cultures) with the
  capitalised surname next to it; titles (``Dr``, ``Ms`` ...) followed by a name;
  self-introductions ("my name is", "this is", "I'm ... from"); and two capitalised words
  in a row that are neither common words nor the client's name. Every name part found
  anywhere is then removed everywhere, so a colleague named once in full is also caught
  when mentioned by first name elsewhere.

Given names that are also common words ("May", "Will", "Grace") or places ("Sofia") count
only with a surname; words of the kit's corpus, months, places and brands
(:file:`data/not_names.txt`) are never surnames; the client's own name is never redacted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data"

#: Kinds of identity removed, in the order they are looked for, and their replacement tokens.
KINDS = ("email", "url", "phone", "partner", "name")
TOKENS = {kind: f"[{kind}]" for kind in KINDS}

# ------------------------------------------------------------------------------- patterns

_TLDS = ("com|org|net|edu|gov|io|ai|co|biz|info|app|dev|tech|cloud|online|site|eu|uk|de|fr|nl|be|lu|ch|at|"
         "it|es|pt|ie|se|no|dk|fi|is|pl|cz|sk|hu|ro|bg|gr|tr|ru|ua|ee|lv|lt|us|ca|mx|br|ar|cl|pe|uy|au|nz|"
         "sg|my|id|ph|th|vn|jp|kr|cn|hk|tw|in|pk|ae|sa|qa|il|za|ng|ke|eg|ma")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_DOT = r"\s*(?:\.|\(dot\)|\[dot\]|\{dot\}|\sdot\s)\s*"
EMAIL_SPELLED = re.compile(
    rf"(?<![\w.])[\w+-]+(?:{_DOT}[\w+-]+)*\s*(?:\(at\)|\[at\]|\{{at\}}|\sat\s)\s*[\w-]+(?:{_DOT}[\w-]+)*{_DOT}(?:{_TLDS})\b",
    re.IGNORECASE)
_SPELLED = re.compile(r"\(at\)|\[at\]|\{at\}|\(dot\)|\[dot\]|\{dot\}|\sdot\s", re.IGNORECASE)
URL = re.compile(rf"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']+"
                 rf"|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"']*)?", re.IGNORECASE)
PHONE = re.compile(r"(?<![\w/+.-])(?:\+|\b00)?\(?\d[\d \t().\-/]{4,}\d"
                   r"(?:\s*(?:x|ext\.?|extension|#)\s*\d{1,6})?(?![\w])", re.IGNORECASE)
_DATE = re.compile(r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$")
_YEARS = re.compile(r"^(?:(?:19|20)\d\d)(?:\s*[-/–]\s*|\s+)(?:(?:19|20)\d\d)$")
_AMOUNT = re.compile(r"^\d{1,3}(?:\.\d{3}){2,}$")
_TRAILING = ".,;:!?)]}'\""

#: A word: letters with inner apostrophes or hyphens (O'Brien, Ruiz-Tagle, Priya's).
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
                    "herr", "frau", "mme", "mlle", "monsieur", "madame", "señor", "señora", "sr", "sra", "dott",
                    "ing", "mister"})
PARTICLES = frozenset({"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
                       "ter", "ten", "bin", "binti", "bint", "ibn", "al", "el", "ben", "st", "y", "e", "mac", "ap"})
_PLACE_PREFIXES = frozenset({"san", "santa", "santo", "são", "saint", "st", "los", "las", "el", "port", "fort"})
LEGAL_FORMS = frozenset({"inc", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh",
                         "ag", "kg", "se", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "ab", "as", "asa", "oy",
                         "oyj", "aps", "kk", "pte", "pty", "plc", "ltda", "cv", "de", "s", "a", "the", "group",
                         "holdings", "holding"})
_INTRO = re.compile(r"\b(my name is|my name's|name:|call me|this is|it's|it is|i'm|i am|im)\s+(?=[^\W\d_])",
                    re.IGNORECASE)
_STRONG_INTROS = {"my name is", "my name's", "name:", "call me"}


def fold(text: str) -> str:
    """Lower case without accents: 'Müller' -> 'muller', 'Lucía' -> 'lucia'."""
    decomposed = unicodedata.normalize("NFKD", str(text).replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _base(word: str) -> str:
    """A word without a possessive ending ('Priya's' -> 'Priya')."""
    return word[:-2] if len(word) > 3 and word[-2:] in ("'s", "’s") else word


# ------------------------------------------------------------------------------ word lists

def _read_list(path: Path) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            words += line.split()
    return words


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """The shipped gazetteer of given names, folded (lower case, no accents)."""
    names = set()
    for name in _read_list(DATA / "given_names.txt"):
        names.add(fold(name))
    return frozenset(names)


@lru_cache(maxsize=1)
def not_names() -> frozenset[str]:
    """Capitalised words that are never part of a person's name (months, places, brands, titles of roles)."""
    return frozenset(fold(w) for w in _read_list(DATA / "not_names.txt")) | PARTICLES


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary words: every word of the kit's statement corpora that is not a given name when capitalised.

    The corpora hold no person names, so their vocabulary (``Honestly``, ``park``, ``young``)
    is the kit's dictionary of words that are not names by themselves.
    """
    words = set(not_names())
    given = given_names()
    for name in ("swot_corpus.csv", "swot_corpus_additions.csv", "sample_interview_statements.csv"):
        path = DATA / name
        if path.is_file():
            text = " ".join(pd.read_csv(path, usecols=["text"], dtype=str, keep_default_na=False)["text"])
            for word in WORD.findall(text):
                key = fold(_base(word))
                if word[0].islower() or key not in given:
                    words.add(key)
    return frozenset(words)


# ------------------------------------------------------------------------------ the redactor

@dataclass
class Redaction:
    """A redacted text and how many identities of each kind were removed from it."""

    text: str
    counts: Counter = field(default_factory=Counter)


class _PhraseIndex:
    """Fast look-up of multi-word phrases (names) by their first folded word."""

    def __init__(self, phrases: Iterable[str]):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(fold(_base(w)) for w in WORD.findall(str(phrase)))
            if words:
                self.by_first.setdefault(words[0], []).append(words)
        for options in self.by_first.values():
            options.sort(key=len, reverse=True)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of every phrase occurrence (longest first, words separated by spaces or dots)."""
        words = list(WORD.finditer(text))
        keys = [fold(_base(m.group())) for m in words]
        out, i = [], 0
        while i < len(words):
            hit = None
            for phrase in self.by_first.get(keys[i], ()):
                n = len(phrase)
                if tuple(keys[i:i + n]) == phrase and all(
                        re.fullmatch(r"[\s.,]*", text[words[j].end():words[j + 1].start()]) for j in range(i, i + n - 1)):
                    hit = n
                    break
            if hit:
                end_word = words[i + hit - 1]
                out.append((words[i].start(), end_word.start() + len(_base(end_word.group()))))
                i += hit
            else:
                i += 1
        return out


def _name_parts(name: str) -> list[str]:
    """Parts of a person's name worth matching alone: three letters or more, no particles or initials."""
    return [w for w in WORD.findall(str(name)) if len(w) >= 3 and fold(w) not in PARTICLES]


def _partner_variants(name: str, protected: frozenset[str]) -> list[str]:
    """How a partner company may be named: in full, without its legal form, by its distinctive first word."""
    words = WORD.findall(str(name))
    variants = [str(name)]
    core = list(words)
    while core and fold(core[-1]) in LEGAL_FORMS:
        core.pop()
    if core and len(core) < len(words):
        variants.append(" ".join(core))
    if words:
        first = fold(words[0])
        if len(first) >= 4 and first not in common_words() and first not in protected:
            variants.append(words[0])
    return variants


class Redactor:
    """Removes the identities of one engagement's interviews (see the module docstring).

    ``people``: every person name known from the engagement's tables; ``partners``: partner
    company names; ``protected``: names never redacted (the client, i.e. the vendor).
    :meth:`learn` reads all interviews first so a name found in one is removed from all.
    """

    def __init__(self, people: Iterable[str] = (), partners: Iterable[str] = (), protected: Iterable[str] = ()):
        self.protected = frozenset(fold(w) for p in protected for w in WORD.findall(str(p)))
        people = sorted({str(p).strip() for p in people if isinstance(p, str) and p.strip()})
        partners = sorted({str(p).strip() for p in partners if isinstance(p, str) and p.strip()})
        self._people = _PhraseIndex(people)
        self._partners = _PhraseIndex(v for p in partners for v in _partner_variants(p, self.protected))
        self.known: set[str] = {fold(part) for p in people for part in _name_parts(p)} - self.protected

    # -- stages --------------------------------------------------------------------------

    @staticmethod
    def _sub(pattern: re.Pattern, kind: str, text: str, counts: Counter, keep=lambda s: True) -> str:
        def replace(match: re.Match) -> str:
            value = match.group()
            tail = ""
            while value and value[-1] in _TRAILING:
                tail = value[-1] + tail
                value = value[:-1]
            if not value or not keep(value):
                return match.group()
            counts[kind] += 1
            return TOKENS[kind] + tail
        return pattern.sub(replace, text)

    @staticmethod
    def _is_phone(value: str) -> bool:
        digits = sum(c.isdigit() for c in re.split(r"(?i)\s*(?:x|ext\.?|extension|#)\s*\d+$", value)[0])
        core = value.strip("()")
        return 7 <= digits <= 15 and not (_DATE.match(core) or _YEARS.match(core) or _AMOUNT.match(core))

    def _replace_spans(self, text: str, spans: list[tuple[int, int]], kind: str, counts: Counter) -> str:
        for start, end in sorted(set(spans), reverse=True):
            text = text[:start] + TOKENS[kind] + text[end:]
            counts[kind] += 1
        return text

    def _contact_details(self, text: str, counts: Counter) -> str:
        text = self._sub(EMAIL, "email", text, counts)
        text = self._sub(EMAIL_SPELLED, "email", text, counts, keep=lambda v: _SPELLED.search(v) is not None)
        text = self._sub(URL, "url", text, counts)
        return self._sub(PHONE, "phone", text, counts, keep=self._is_phone)

    # -- people ----------------------------------------------------------------------------

    def _surname_like(self, word: str, loose: bool = False) -> bool:
        """A capitalised word that can be a surname; ``loose`` also accepts ordinary words ('Park', 'Young')."""
        key = fold(_base(word))
        vocabulary = not_names() if loose else common_words()
        return (word[:1].isupper() and not word.isupper() and key not in vocabulary
                and key not in self.protected and len(key) >= 2)

    def _detect(self, text: str) -> list[tuple[int, int]]:
        """Spans of person names found by the gazetteer, title, introduction and capitalisation rules."""
        words = list(WORD.finditer(text))
        gaps = [text[words[i].end():words[i + 1].start()] for i in range(len(words) - 1)]
        adjacent = lambda i: i < len(gaps) and re.fullmatch(r"[ \t]+|[ \t]*\.[ \t]+", gaps[i]) is not None  # noqa: E731
        given, common = given_names(), common_words()
        marked: set[int] = set()

        def extend_right(i: int, loose: bool = False) -> None:
            """Mark the surname(s) after word ``i``: capitalised words, particles ('van der'), initials."""
            j = i
            while adjacent(j) and j + 1 < len(words):
                k = j + 1
                while k < len(words) - 1 and k - j <= 3 and adjacent(k) and words[k].group()[:1].islower() \
                        and fold(words[k].group()) in PARTICLES:
                    k += 1  # particles before a surname: 'van der Berg', 'de la Cruz'
                nxt = words[k].group()
                if self._surname_like(nxt, loose) and (k == j + 1 or adjacent(k - 1)):
                    marked.update(range(j + 1, k + 1))
                    j = k
                elif k == j + 1 and len(nxt) == 1 and nxt.isupper() and adjacent(k):  # a middle initial: 'K.'
                    marked.add(k)
                    j = k
                else:
                    break

        for i, match in enumerate(words):
            word = match.group()
            key = fold(_base(word))
            if not word[:1].isupper() or key in self.protected:
                continue
            if key in TITLES and adjacent(i) and i + 1 < len(words) and words[i + 1].group()[:1].isupper():
                marked.update({i, i + 1})
                extend_right(i + 1)
                continue
            hyphenated = "-" in key and key.split("-")[0] in given and key.split("-")[0] not in common
            if key in given or key in self.known or hyphenated:
                if i > 0 and adjacent(i - 1) and fold(words[i - 1].group()) in _PLACE_PREFIXES:
                    continue
                if key not in common and not word.isupper():
                    marked.add(i)
                    extend_right(i, loose=True)
                    if i > 0 and adjacent(i - 1) and self._surname_like(words[i - 1].group()):
                        marked.add(i - 1)  # family name first: 'Tanaka Kenji'
                elif adjacent(i) and i + 1 < len(words) and self._surname_like(words[i + 1].group()):
                    marked.update({i, i + 1})
                    extend_right(i + 1)
                continue
            if self._surname_like(word) and adjacent(i) and i + 1 < len(words) \
                    and self._surname_like(words[i + 1].group()):
                marked.update({i, i + 1})  # two unknown capitalised words in a row: 'Siobhan Ní Bhriain'
        for intro in _INTRO.finditer(text):
            start = intro.end()
            i = next((k for k, m in enumerate(words) if m.start() == start), None)
            if i is None or not words[i].group()[:1].isupper():
                continue
            strong = intro.group(1).lower() in _STRONG_INTROS
            if strong or self._surname_like(words[i].group()) or fold(words[i].group()) in given:
                if fold(_base(words[i].group())) not in self.protected:
                    marked.add(i)
                    extend_right(i)
        for _ in range(2):  # names listed together: 'Oluwadamilare and [Thandiwe]', 'Nadia, Tomasz or [Ana]'
            for i in range(len(words) - 2):
                for a, b in ((i, i + 2), (i + 2, i)):
                    link = text[words[min(a, b)].end():words[max(a, b)].start()].strip().lower()
                    if a in marked and b not in marked and link in ("and", "or", "&", ",", ", and", ", or") \
                            and self._surname_like(words[b].group()):
                        marked.add(b)
        return self._merge(words, sorted(marked), text)

    @staticmethod
    def _merge(words, marked: list[int], text: str) -> list[tuple[int, int]]:
        spans: list[list[int]] = []
        for i in marked:
            start, end = words[i].start(), words[i].start() + len(_base(words[i].group()))
            if spans and re.fullmatch(r"[\s.\-]*", text[spans[-1][1]:start]):
                spans[-1][1] = end
            else:
                spans.append([start, end])
        return [tuple(s) for s in spans]

    def _known_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of name parts already known (tables, or found anywhere in the interviews)."""
        spans = []
        for match in WORD.finditer(text):
            word = _base(match.group())
            key = fold(word)
            if key in self.known and (key not in common_words() or word[:1].isupper()):
                spans.append((match.start(), match.start() + len(word)))
        return spans

    # -- public ----------------------------------------------------------------------------

    def learn(self, texts: Iterable[str]) -> "Redactor":
        """Add every name part found in ``texts`` to the names removed everywhere."""
        for text in texts:
            text = self._contact_details(str(text), Counter())
            text = self._replace_spans(text, self._partners.spans(text), "partner", Counter())
            for start, end in self._detect(text):
                for word in WORD.findall(text[start:end]):
                    key = fold(_base(word))
                    if len(key) >= 3 and key not in not_names() and key not in TITLES and key not in self.protected:
                        self.known.add(key)
        return self

    def redact(self, text: str) -> Redaction:
        """``text`` with every identity replaced by its token, and the counts by kind."""
        counts: Counter = Counter()
        text = self._contact_details(str(text), counts)
        text = self._replace_spans(text, self._partners.spans(text), "partner", counts)
        text = self._replace_spans(text, self._people.spans(text), "name", counts)
        spans = self._detect(text)
        text = self._replace_spans(text, spans, "name", counts)
        text = self._replace_spans(text, self._known_spans(text), "name", counts)
        text = re.sub(r"\[name\](?:[\s\-]+\[name\])+", "[name]", text)
        return Redaction(text, counts)


# ------------------------------------------------------------------------------ tables

def people_in_tables(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Every person name in the engagement's tables: respondents, alliance managers, sponsors, staff."""
    columns = {"interviews": ("respondent_name",), "partners": ("alliance_manager", "exec_sponsor"),
               "staff": ("staff_name", "name")}
    names: list[str] = []
    for table, cols in columns.items():
        frame = tables.get(table)
        if frame is None:
            continue
        for col in cols:
            if col in frame:
                names += [str(v) for v in frame[col].dropna() if str(v).strip()]
    return names


def redact_interviews(interviews: pd.DataFrame, partners: pd.DataFrame, staff: pd.DataFrame | None = None,
                      client: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The interviews with identities removed, and the number of removals by kind.

    Returns ``(redacted, counts)``: ``redacted`` keeps ``interview_id``, ``partner_id``, a pseudonymous ``respondent`` key (``R01``...; the same person
    interviewed twice gets one key; an interview without a name is its own respondent) and
    the redacted ``text``; the respondent's name and role are dropped. ``counts`` has columns
    ``kind`` and ``removed``.
    """
    tables = {"interviews": interviews, "partners": partners, "staff": staff}
    tables = {k: v for k, v in tables.items() if v is not None}
    redactor = Redactor(people_in_tables(tables), partners["partner_name"].tolist(), [client] if client else [])
    redactor.learn(interviews["text"].fillna(""))
    results = [redactor.redact(t) for t in interviews["text"].fillna("")]
    names = interviews["respondent_name"].fillna("").map(lambda s: fold(" ".join(str(s).split())))
    who = names.where(names != "", "interview:" + interviews["interview_id"].astype(str))
    keys = {w: f"R{i:02d}" for i, w in enumerate(dict.fromkeys(who), 1)}
    redacted = pd.DataFrame({
        "interview_id": interviews["interview_id"].astype(str).to_numpy(),
        "partner_id": interviews["partner_id"].astype(str).to_numpy(),
        "respondent": who.map(keys).to_numpy(),
        "text": [r.text for r in results],
    })
    total = sum((r.counts for r in results), Counter())
    counts = pd.DataFrame({"kind": list(KINDS), "removed": [int(total[k]) for k in KINDS]})
    return redacted, counts
