"""A folder of interview documents (Word, text, Markdown) read into the kit's raw interviews table."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from alliancekit.intake.documents import COLUMNS, read_interview_folder


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None,
               after: list[str] = ()) -> Path:
    """A Word document: paragraphs, an optional table, more paragraphs."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, cells in enumerate(table):
            for c, text in enumerate(cells):
                grid.cell(r, c).text = text
    for text in after:
        document.add_paragraph(text)
    document.save(path)
    return path


def by_id(frame):
    return {row["interview_id"]: row for row in frame.to_dict("records")}


def messages(problems):
    return {p.file: p.message for p in problems}


@pytest.fixture
def folder(tmp_path):
    """Every kind of file a client's interview folder holds, good and bad."""
    root = tmp_path / "interviews"
    root.mkdir()
    # Word, header lines at the top, then two paragraphs
    write_docx(root / "acme_cto.docx", ["Partner: P1", "Respondent: Jane Roe", "Title: CTO", "Interview date: 2026-05-02",
                                        "", "They like the joint roadmap.", "Pricing is a concern."])
    # Word, headers in a two-column template table, then a table of notes and a paragraph
    document = docx.Document()
    fields = document.add_table(rows=2, cols=2)
    for r, (key, value) in enumerate([("Partner", "Birch Consulting"), ("Interviewee:", "Sam Poe")]):
        fields.cell(r, 0).text, fields.cell(r, 1).text = key, value
    document.add_paragraph("")
    document.add_paragraph("Notes below.")
    notes = document.add_table(rows=1, cols=3)
    for c, text in enumerate(["Topic", "Co-selling works", "Needs more leads"]):
        notes.cell(0, c).text = text
    document.add_paragraph("End of notes.")
    document.save(root / "birch_vp.docx")
    # text in cp1252 with accents; no partner line: index.csv gives it
    (root / "cobalt.txt").write_bytes("Role: Directrice\n\nRéunion très positive.\nBudget à revoir.\n".encode("cp1252"))
    # Markdown with emphasised headers, blank lines around the text
    (root / "delta.md").write_text("**Partner:** P3\n**Date:** 2 May 2026\n\n\n# Summary\n\n- Fast onboarding\n\n",
                                   encoding="utf-8")
    # no partner anywhere
    (root / "echo.txt").write_text("Respondent: Ann\n\nGood call.\n", encoding="utf-8")
    # headers only: an empty interview
    (root / "foxtrot.txt").write_text("Partner: P2\nRole: CEO\n\n\n", encoding="utf-8")
    # not a Word document at all
    (root / "broken.docx").write_bytes(b"this is not a zip package")
    # ignored: Word's lock file, a hidden file, a PDF
    (root / "~$acme_cto.docx").write_bytes(b"\x00lock")
    (root / ".DS_Store").write_bytes(b"\x00\x01")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")
    (root / "index.csv").write_text(
        "file,partner_id,respondent_name,respondent_role,date\n"
        "cobalt.txt,P3,Chloé Martin,,2026-04-30\n"
        "acme_cto.docx,P9,,,\n"  # the document's own 'Partner: P1' wins
        "missing.docx,P1,,,\n", encoding="utf-8")
    return root


def test_folder_becomes_the_interviews_table(folder):
    frame, problems, notes = read_interview_folder(folder, "interviews/")

    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["interview_id"]) == ["acme_cto", "birch_vp", "cobalt", "delta", "echo", "foxtrot"]
    rows = by_id(frame)
    assert rows["acme_cto"] == {
        "interview_id": "acme_cto", "partner_id": "P1", "respondent_name": "Jane Roe", "respondent_role": "CTO",
        "date": "2026-05-02", "text": "They like the joint roadmap.\nPricing is a concern.",
        "source_file": "acme_cto.docx"}
    assert rows["birch_vp"] == {
        "interview_id": "birch_vp", "partner_id": "Birch Consulting", "respondent_name": "Sam Poe",
        "respondent_role": None, "date": None,
        "text": "Notes below.\nTopic\nCo-selling works\nNeeds more leads\nEnd of notes.", "source_file": "birch_vp.docx"}
    assert rows["cobalt"] == {
        "interview_id": "cobalt", "partner_id": "P3", "respondent_name": "Chloé Martin",
        "respondent_role": "Directrice", "date": "2026-04-30", "text": "Réunion très positive.\nBudget à revoir.",
        "source_file": "cobalt.txt"}
    assert rows["delta"] == {
        "interview_id": "delta", "partner_id": "P3", "respondent_name": None, "respondent_role": None,
        "date": "2 May 2026", "text": "# Summary\n\n- Fast onboarding", "source_file": "delta.md"}
    assert rows["echo"]["partner_id"] is None and rows["echo"]["text"] == "Good call."
    assert rows["foxtrot"]["text"] is None and rows["foxtrot"]["respondent_role"] == "CEO"
    assert all(v is None or isinstance(v, str) for row in rows.values() for v in row.values())

    found = messages(problems)
    assert set(found) == {"interviews/broken.docx", "interviews/echo.txt", "interviews/foxtrot.txt",
                          "interviews/index.csv"}
    assert found["interviews/broken.docx"].startswith("cannot read the Word document: the file is not a .docx package")
    assert found["interviews/echo.txt"] == ("no partner: add a line 'Partner: <partner id or name>' at the top, "
                                            "or a row in index.csv")
    assert found["interviews/foxtrot.txt"] == "the interview is empty: no text after its header lines"
    index_problem = next(p for p in problems if p.file == "interviews/index.csv")
    assert (index_problem.column, index_problem.row) == ("file", 4)
    assert index_problem.message == "names 'missing.docx', which is not in interviews/"

    assert notes[0] == ("6 interview files read from interviews/ (3 .txt, 2 .docx, 1 .md); "
                        "1 file ignored: notes.pdf (not .txt, .md or .docx)")
    assert any("cobalt.txt is not UTF-8; read as cp1252" in note for note in notes)
    assert any("acme_cto.docx: the document says Partner 'P1', index.csv says 'P9'" in note for note in notes)
    assert any("lock file" in note for note in notes)
    assert not any("DS_Store" in note for note in notes)


def test_index_unknown_column_and_duplicate_and_stem(tmp_path):
    root = tmp_path / "notes"
    root.mkdir()
    (root / "a.txt").write_text("Some text.", encoding="utf-8")
    (root / "b.txt").write_text("Other text.", encoding="utf-8")
    (root / "index.csv").write_text("file;partner;date\na;P1;2026-01-01\nb.txt;P2;\nb.txt;P3;\nb.tx;P4;\n", encoding="utf-8")
    frame, problems, notes = read_interview_folder(root, "notes")
    assert list(frame["partner_id"]) == [None, None]  # 'partner' is not an index column
    assert list(frame["date"]) == ["2026-01-01", None]  # 'a' names a.txt by its interview id
    unknown = next(p for p in problems if "unknown column" in p.message)
    assert unknown.file == "notes/index.csv"
    assert unknown.message == "unknown column 'partner'; did you mean 'partner_id'?"
    again = next(p for p in problems if "listed again" in p.message)
    assert (again.row, again.message) == (4, "b.txt is listed again (first on row 3); keep one row per file")
    typo = next(p for p in problems if p.row == 5)
    assert typo.message == "names 'b.tx', which is not in notes/; did you mean 'b.txt'?"
    assert {p.file for p in problems if p.message.startswith("no partner")} == {"notes/a.txt", "notes/b.txt"}


def test_partner_line_below_a_title_is_explained(tmp_path):
    root = tmp_path / "interviews"
    root.mkdir()
    write_docx(root / "x.docx", ["Interview with Acme", "Partner: P1", "Text."])
    frame, problems, _ = read_interview_folder(root, "interviews")
    assert frame.loc[0, "text"] == "Interview with Acme\nPartner: P1\nText."
    [problem] = problems
    assert "the line 'Partner: P1' is read as text: header lines come first" in problem.message


def test_word_tracked_changes_and_content_controls(tmp_path):
    """Inserted text is read, deleted text is not; a template's content control is read through."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    path = write_docx(tmp_path / "t.docx", ["Partner: P1", "", "Kept"])
    document = docx.Document(path)
    paragraph = document.paragraphs[2]._p
    paragraph.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t xml:space="preserve"> added'
                               '</w:t></w:r></w:ins>'))
    paragraph.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText> removed</w:delText>'
                               '</w:r></w:del>'))
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>In a field</w:t></w:r></w:p>'
                    '</w:sdtContent></w:sdt>')
    document.element.body.insert(3, sdt)
    document.save(tmp_path / "t.docx")
    frame, problems, _ = read_interview_folder(tmp_path, "t")
    assert problems == []
    assert frame.loc[0, "text"] == "Kept added\nIn a field"


def test_old_word_format_and_missing_or_empty_folder(tmp_path):
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    frame, problems, _ = read_interview_folder(tmp_path, "interviews/")
    assert frame.empty and list(frame.columns) == list(COLUMNS)
    assert [(p.file, p.message) for p in problems] == [(
        "interviews/old.docx", "cannot read the Word document: it is an old Word 97-2003 .doc or a "
                               "password-protected document; save it as .docx without a password")]

    _, problems, _ = read_interview_folder(tmp_path / "nowhere", "nowhere/")
    assert [p.file for p in problems] == ["nowhere/"] and problems[0].message.startswith("folder not found")

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.pdf").write_bytes(b"%PDF")
    _, problems, _ = read_interview_folder(empty, "empty")
    assert [(p.file, p.message) for p in problems] == [
        ("empty/", "no interview file (.txt, .md or .docx) in the folder; it holds only: readme.pdf")]


def test_corrupt_word_package(tmp_path):
    """A zip that is not a Word document (e.g. a renamed .xlsx) is a problem, not a crash."""
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.docx", "w") as package:
        package.writestr("hello.txt", "hi")
    _, problems, _ = read_interview_folder(tmp_path, "in")
    [problem] = problems
    assert problem.file == "in/x.docx" and problem.message.startswith("cannot read the Word document: ")
    assert str(tmp_path) not in problem.message


def test_same_id_twice(tmp_path):
    (tmp_path / "a.txt").write_text("Partner: P1\n\nx", encoding="utf-8")
    (tmp_path / "a.md").write_text("Partner: P1\n\ny", encoding="utf-8")
    _, problems, _ = read_interview_folder(tmp_path, "in")
    assert [(p.file, p.message) for p in problems] == [
        ("in/a.txt", "same interview id 'a' as a.md (the id is the file name without extension): rename one")]


def test_table_of_column_headings_is_text_not_headers(tmp_path):
    """A table whose first row is 'Name | Role' lists attendees: it is text, not the Respondent field."""
    write_docx(tmp_path / "x.docx", [], table=[["Name", "Role"], ["Jo", "CFO"]], after=["Partner: P1"])
    frame, problems, _ = read_interview_folder(tmp_path, "in")
    assert frame.loc[0, "respondent_name"] is None
    assert frame.loc[0, "text"] == "Name\nRole\nJo\nCFO\nPartner: P1"
    assert "is read as text" in problems[0].message
