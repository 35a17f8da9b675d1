"""Interview notes as clients keep them: a folder of Word and text documents, one per interview.

Consultants and clients write interview notes in Word or a text editor, not in a spreadsheet.
:func:`read_interview_folder` turns such a folder into the kit's raw ``interviews`` table
(every cell a string or ``None``, as :func:`alliancekit.loading.read_table` returns), so the
same schemas, partner resolution and date normalisation apply as to a CSV. Nothing here
judges the values: a partner may be an id or a name, a date may be written any way; that is
resolved and checked later, with the other inputs.

Where each column comes from:

* ``interview_id``: the file name without its extension; ``source_file``: the file name (an
  extra column, so a later problem can name the document).
* ``partner_id``, ``respondent_name``, ``respondent_role``, ``date``: optional header lines at
  the top of the document (``Partner: P007``, ``Respondent: ...``, ``Role: ...``,
  ``Date: ...``; see :data:`HEADER_KEYS`), then an optional ``index.csv`` in the folder (one
  row per file: ``file, partner_id, respondent_name, respondent_role, date``). The document's
  own line wins and the index fills what the document leaves empty: the line sits next to the
  text it describes, so it is the likelier to be right when a file is renamed or copied; a
  disagreement is reported in a note.
* ``text``: everything after the header block.

Documents are only read for their text: no macro, field, link or embedded object is run,
followed or opened, and a ``.docx`` is parsed by python-docx (an XML parser that resolves no
external entity). Word's page headers and footers, footnotes, comments, text boxes and
deleted tracked changes are not read; inserted tracked changes and content controls are.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from ..errors import Problem, did_you_mean, spreadsheet_row
from ..loading import ReadFailure, read_csv_file

#: Extensions read as one interview each (compared in lower case).
INTERVIEW_SUFFIXES = (".txt", ".md", ".docx")
#: The optional table of per-file values (compared in lower case).
INDEX_NAME = "index.csv"
#: Kit columns the header lines and index.csv may fill.
FIELDS = ("partner_id", "respondent_name", "respondent_role", "date")
#: The columns of the returned table: the kit's ``interviews`` columns, then the file name.
COLUMNS = ("interview_id", *FIELDS, "text", "source_file")
#: Columns index.csv may have.
INDEX_COLUMNS = ("file", *FIELDS)

#: Header keys (lower case, single spaces) -> kit column. The kit's own column names are
#: accepted too, so a header line and an index.csv column can be spelled alike.
HEADER_KEYS = {
    "partner": "partner_id", "partner id": "partner_id", "partner name": "partner_id",
    "respondent": "respondent_name", "respondent name": "respondent_name",
    "interviewee": "respondent_name", "name": "respondent_name",
    "role": "respondent_role", "respondent role": "respondent_role", "title": "respondent_role",
    "job title": "respondent_role",
    "date": "date", "interview date": "date",
}
#: How each column is named in messages (the header line a user would write).
HEADER_WORD = {"partner_id": "Partner", "respondent_name": "Respondent", "respondent_role": "Role", "date": "Date"}

#: Files the operating system leaves in folders; skipped without a note.
SYSTEM_FILES = {"thumbs.db", "desktop.ini"}
#: Largest text file read (bytes): interview notes are kilobytes; a bigger file is a misplaced export.
MAX_TEXT_FILE_BYTES = 32 * 1024 * 1024
#: Largest .docx read (bytes, all parts uncompressed): python-docx holds every part (images
#: too) in memory, so this bounds the memory a broken or hostile document can take.
MAX_DOCX_BYTES = 256 * 1024 * 1024
#: Names listed in a note before the rest is counted.
MAX_LISTED = 10

#: ``Key: value`` with optional Markdown emphasis (``**Partner:** P007``); the key is looked up in HEADER_KEYS.
_HEADER_LINE = re.compile(r"^\s*[*_]*\s*([A-Za-z][A-Za-z _-]*?)\s*[*_]*\s*:[*_]*(.*)$")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Paragraph parts whose text is not the document's text: formatting (whose ``w:tab`` are tab
#: stops), deleted tracked changes, drawings and embedded objects (text boxes there, and their
#: duplicate in ``mc:AlternateContent``'s fallback).
_SKIPPED_IN_PARAGRAPH = {_W + "pPr", _W + "rPr", _W + "del", _W + "moveFrom", _W + "drawing", _W + "pict",
                         _W + "object", "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}


def read_interview_folder(folder: Path, label: str) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """The interviews in ``folder``: the kit's raw table, the problems found, and notes for the reader.

    ``label`` is how the folder is named in messages (e.g. ``interviews/`` as the engagement
    file writes it); each problem names ``<label>/<file name>``. One row per interview file
    read (``.txt``, ``.md``, ``.docx``, sorted by name), even one with a problem, so a reader
    sees every document; a ``.docx`` that cannot be opened has no row. Cells are stripped
    strings or ``None``. Hidden files, Word lock files (``~$...``) and ``index.csv`` are not
    interviews; any other file is listed in a note as ignored.
    """
    name = label.strip().rstrip("/\\") or folder.name
    problems: list[Problem] = []
    notes: list[str] = []
    empty = _table([])
    if not folder.exists():
        return empty, [Problem(f"{name}/", f"folder not found: {folder}")], notes
    if not folder.is_dir():
        return empty, [Problem(name, "expected a folder holding one .txt, .md or .docx file per interview, "
                                     "found a file")], notes
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        return empty, [Problem(f"{name}/", f"cannot list the folder: {exc.strerror or exc}")], notes

    interviews: list[Path] = []
    ignored: list[str] = []
    subfolders: list[str] = []
    special: list[str] = []
    index_path: Path | None = None
    lock_files = False
    for entry in entries:
        lower = entry.name.lower()
        if entry.name.startswith(".") or lower in SYSTEM_FILES:
            continue
        if entry.name.startswith("~$"):
            lock_files = True
        elif entry.is_dir():
            subfolders.append(entry.name + "/")
        elif not entry.is_file():  # a broken link, a pipe or a device: nothing to read (a pipe would block)
            special.append(entry.name)
        elif lower == INDEX_NAME:
            index_path = entry
        elif entry.suffix.lower() in INTERVIEW_SUFFIXES:
            interviews.append(entry)
        else:
            ignored.append(entry.name)

    if not interviews:
        others = ignored + subfolders + special
        holds = f"; it holds only: {_listing(others)}" if others else ""
        problems.append(Problem(f"{name}/", f"no interview file (.txt, .md or .docx) in the folder{holds}"))
        return empty, problems, notes

    rows: list[dict[str, str | None]] = []
    stranded: dict[str, str | None] = {}  # file -> a 'Partner:' line found in its text, for the problem below
    cp1252: list[str] = []
    utf16: list[str] = []
    for path in interviews:
        where = f"{name}/{path.name}"
        try:
            if path.suffix.lower() == ".docx":
                lines = _docx_lines(path)
            else:
                text, encoding = _decode_text_file(path)
                lines = text.splitlines()
                if encoding == "cp1252":
                    cp1252.append(path.name)
                elif encoding == "utf-16":
                    utf16.append(path.name)
        except _Unreadable as exc:
            problems.append(Problem(where, str(exc)))
            continue
        except OSError as exc:
            problems.append(Problem(where, f"cannot read the file: {exc.strerror or exc}"))
            continue
        headers, text, stranded[path.name] = _split_headers(lines)
        rows.append({"interview_id": path.stem, **headers, "text": text, "source_file": path.name})
        if text is None:
            what = "no text after its header lines" if any(headers.values()) else "no text"
            problems.append(Problem(where, f"the interview is empty: {what}"))

    if index_path is not None:
        _apply_index(index_path, name, rows, {e.name.casefold() for e in entries}, problems, notes)

    for row in rows:
        misplaced = stranded[row["source_file"]]
        if row["partner_id"] is None:
            message = ("no partner: add a line 'Partner: <partner id or name>' at the top, "
                       "or a row in index.csv")
            if misplaced:
                message += (f" (the line '{misplaced}' is read as text: header lines come first, "
                            "before any other line or blank line)")
            problems.append(Problem(f"{name}/{row['source_file']}", message))

    problems.extend(_duplicate_ids(rows, name))
    notes.insert(0, _summary(rows, name, ignored))
    if subfolders:
        notes.append(f"{_count(len(subfolders), 'subfolder')} not read (only files directly in {name}/ are): "
                     f"{_listing(subfolders)}")
    if special:
        notes.append(f"not read (not a regular file: a broken link, a pipe or a device): {_listing(special)}")
    if cp1252:
        notes.append(f"{_listing(cp1252)} {'is' if len(cp1252) == 1 else 'are'} not UTF-8; read as cp1252 "
                     "(Windows Western). Save as UTF-8 to be sure accents are read as intended.")
    if utf16:
        notes.append(f"{_listing(utf16)}: UTF-16 (Notepad 'Unicode'); read as such.")
    if lock_files:
        notes.append(f"a Word lock file (~$...) is in {name}/: a document may be open in Word; "
                     "save and close it so its latest text is read.")
    return _table(rows), problems, notes


class _Unreadable(Exception):
    """A document whose text cannot be read; the message says why, for the user."""


def _table(rows: list[dict[str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame([[row[c] for c in COLUMNS] for row in rows], columns=list(COLUMNS), dtype=object)


def _decode_text_file(path: Path) -> tuple[str, str]:
    """The file's text and encoding: UTF-16 when it has that BOM, else UTF-8 (BOM optional), else cp1252."""
    if path.stat().st_size > MAX_TEXT_FILE_BYTES:
        raise _Unreadable(f"the file is {path.stat().st_size // 2**20} MB, too large for interview notes "
                          f"(at most {MAX_TEXT_FILE_BYTES // 2**20} MB); is it the right file?")
    data = path.read_bytes()
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise _Unreadable("not a text file (it holds binary data); save the notes as .txt, .md or .docx")
        return text, encoding
    raise _Unreadable("cannot decode the file as UTF-8, UTF-16 or cp1252; save it as UTF-8 text")


def _docx_lines(path: Path) -> list[str]:
    """The Word document's lines: each paragraph of the body in order, table cells row by row.

    A table row of two cells whose first names a header (``Partner`` | ``P007``) becomes the
    line ``Partner: P007``: interview templates often put the header fields in such a table.
    """
    import docx  # python-docx: imported here, so reading CSV inputs does not load it

    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            head = handle.read(8)
        why = ("it is an old Word 97-2003 .doc or a password-protected document; save it as .docx without a password"
               if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" else "the file is not a .docx package (damaged or "
               "renamed); open it in Word and save it as .docx")
        raise _Unreadable(f"cannot read the Word document: {why}")
    try:
        with zipfile.ZipFile(path) as package:
            size = sum(info.file_size for info in package.infolist())
        if size > MAX_DOCX_BYTES:
            raise _Unreadable(f"cannot read the Word document: it expands to {size // 2**20} MB "
                              f"(at most {MAX_DOCX_BYTES // 2**20} MB); remove large images or save the text as .txt")
        document = docx.Document(str(path))
        return [line for text in _block_texts(document.element.body) for line in text.split("\n")]
    except _Unreadable:
        raise
    except Exception as exc:  # zipfile, lxml and python-docx raise many unrelated types for a broken file
        detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)  # KeyError's str() adds quotes
        detail = str(detail).replace(str(path), path.name) or type(exc).__name__
        raise _Unreadable(f"cannot read the Word document: {detail}") from None


def _block_texts(container) -> Iterator[str]:
    """Texts of the paragraphs in a body, table cell or content control, in document order."""
    for child in container:
        tag = child.tag
        if tag == _W + "p":
            yield _paragraph_text(child)
        elif tag == _W + "tbl":
            for row in _unwrapped(child, "tr"):
                yield from _row_texts(list(_unwrapped(row, "tc")))
        elif tag == _W + "sdt":  # content control (template field) around paragraphs or tables
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _block_texts(content)
        elif tag in (_W + "customXml", _W + "ins"):
            yield from _block_texts(child)


def _unwrapped(element, tag: str) -> Iterator:
    """The ``w:<tag>`` children of a table or row, also those inside content controls or custom XML."""
    for child in element:
        if child.tag == _W + tag:
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _unwrapped(child, tag)


def _row_texts(cells: list) -> Iterator[str]:
    """A table row's lines: ``Key: value`` for a header row of two cells, else each cell's paragraphs."""
    if len(cells) == 2:
        key, value = (" ".join(" ".join(_block_texts(cell)).split()) for cell in cells)
        key = key.rstrip(":").strip()
        # "Name | Role" is a table's column headings, not the field Name holding "Role"
        if _normal_key(key) in HEADER_KEYS and _normal_key(value.rstrip(":")) not in HEADER_KEYS:
            yield f"{key}: {value}"
            return
    for cell in cells:
        yield from _block_texts(cell)


def _paragraph_text(paragraph) -> str:
    """A paragraph's visible text, with tracked insertions and without deletions; tabs and breaks as ``\\t`` and ``\\n``."""
    parts: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED_IN_PARAGRAPH:
                continue  # comments and processing instructions have a non-string tag
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            else:
                walk(child)  # runs, hyperlinks, inserted changes, inline content controls, smart tags

    walk(paragraph)
    return "".join(parts)


def _normal_key(key: str) -> str:
    return " ".join(key.replace("_", " ").replace("-", " ").lower().split())


def _header(line: str) -> tuple[str, str | None] | None:
    """``(kit column, value or None)`` when ``line`` is a known ``Key: value`` header, else None."""
    match = _HEADER_LINE.match(line)
    if not match:
        return None
    column = HEADER_KEYS.get(_normal_key(match.group(1)))
    if column is None:
        return None
    value = match.group(2).strip().lstrip("*").strip()
    return column, value or None


def _split_headers(lines: list[str]) -> tuple[dict[str, str | None], str | None, str | None]:
    """The header values, the text after them (None if empty), and a partner header line stranded in the text.

    Leading blank lines are skipped; then each known ``Key: value`` line is a header, until a
    blank line or the first other line. A key given twice keeps its first value.
    """
    lines = [line.rstrip() for line in lines]
    headers: dict[str, str | None] = dict.fromkeys(FIELDS)
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    while start < len(lines) and lines[start].strip():
        found = _header(lines[start])
        if found is None:
            break
        column, value = found
        if headers[column] is None:
            headers[column] = value
        start += 1
    body = lines[start:]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    text = "\n".join(body).strip() or None
    misplaced = next((line.strip() for line in body
                      if (found := _header(line)) and found[0] == "partner_id" and found[1]), None)
    return headers, text, misplaced


def _apply_index(path: Path, name: str, rows: list[dict[str, str | None]], present: set[str],
                 problems: list[Problem], notes: list[str]) -> None:
    """Fill what the documents leave empty from index.csv; report its unknown columns and unmatched rows."""
    where = f"{name}/{path.name}"
    try:
        frame, encoding = read_csv_file(path, where)
    except ReadFailure as exc:
        problems.extend(exc.problems)
        return
    if encoding == "cp1252":
        notes.append(f"{where} is not UTF-8; it was read as cp1252 (Windows Western). "
                     "Save it as 'CSV UTF-8' to be sure accents are read as intended.")
    columns: dict[str, str] = {}  # kit column -> the index's header
    for header in frame.columns:
        key = str(header).strip()
        if key.lower() in INDEX_COLUMNS:
            columns[key.lower()] = header
        else:
            problems.append(Problem(where, f"unknown column '{key}'; {did_you_mean(key, INDEX_COLUMNS)}", column=key))
    if "file" not in columns:
        problems.append(Problem(where, "no 'file' column: index.csv needs a 'file' column naming each interview "
                                       f"file, then any of {', '.join(FIELDS)}"))
        return

    by_name = {row["source_file"]: row for row in rows}
    stems: dict[str, list[dict]] = {}
    folded: dict[str, list[dict]] = {}
    for row in rows:
        stems.setdefault(row["interview_id"], []).append(row)
        folded.setdefault(row["source_file"].casefold(), []).append(row)
        folded.setdefault(row["interview_id"].casefold(), []).append(row)
    first_row: dict[str, int] = {}
    used = 0
    conflicts: list[str] = []
    for index, record in enumerate(frame.to_dict("records")):
        cells = {column: _cell(record[header]) for column, header in columns.items()}
        line = spreadsheet_row(index)
        named = cells["file"]
        if named is None:
            if any(cells.values()):
                problems.append(Problem(where, "the 'file' cell is empty: name the interview file this row is for",
                                        column="file", row=line))
            continue
        matches = [by_name[named]] if named in by_name else stems.get(named) or folded.get(named.casefold(), [])
        matches = list({id(m): m for m in matches}.values())
        if not matches:
            if named.casefold() in present:
                why = "which is not an interview file (.txt, .md or .docx)"
            else:
                hint = did_you_mean(named, by_name)
                why = f"which is not in {name}/" + (f"; {hint}" if hint.startswith("did you mean") else "")
            problems.append(Problem(where, f"names '{named}', {why}", column="file", row=line))
            continue
        if len(matches) > 1:
            problems.append(Problem(where, f"'{named}' matches {_listing([m['source_file'] for m in matches])}; "
                                           "give the full file name", column="file", row=line))
            continue
        row = matches[0]
        if row["source_file"] in first_row:
            problems.append(Problem(where, f"{row['source_file']} is listed again (first on row "
                                           f"{first_row[row['source_file']]}); keep one row per file",
                                    column="file", row=line))
            continue
        first_row[row["source_file"]] = line
        filled = False
        for column in FIELDS:
            value = cells.get(column)
            if value is None:
                continue
            if row[column] is None:
                row[column] = value
                filled = True
            elif row[column] != value:
                conflicts.append(f"{row['source_file']}: the document says {HEADER_WORD[column]} '{row[column]}', "
                                 f"index.csv says '{value}'; the document's is used")
        used += filled
    if used:
        notes.append(f"{path.name} filled values the documents leave empty for {_count(used, 'file')}.")
    notes.extend(conflicts)


def _cell(value) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _duplicate_ids(rows: list[dict[str, str | None]], name: str) -> Iterable[Problem]:
    """Files that give the same interview id (``acme.txt`` and ``acme.docx``): the id must be unique."""
    seen: dict[str, str] = {}
    for row in rows:
        first = seen.setdefault(row["interview_id"], row["source_file"])
        if first != row["source_file"]:
            yield Problem(f"{name}/{row['source_file']}", f"same interview id '{row['interview_id']}' as {first} "
                                                            "(the id is the file name without extension): rename one")


def _summary(rows: list[dict[str, str | None]], name: str, ignored: list[str]) -> str:
    kinds = Counter(Path(row["source_file"]).suffix.lower() for row in rows)
    split = ", ".join(f"{n} {suffix}" for suffix, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    text = f"{_count(len(rows), 'interview file')} read from {name}/" + (f" ({split})" if split else "")
    if ignored:
        text += f"; {_count(len(ignored), 'file')} ignored: {_listing(ignored)} (not .txt, .md or .docx)"
    return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else "")
