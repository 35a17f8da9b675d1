"""The steering-committee deck (deck.pptx): built from the report page, 16:9, nothing off the slide,
charts as PNG, text that fits its boxes."""

from __future__ import annotations

import io
import subprocess
import sys
from types import SimpleNamespace

import matplotlib.pyplot as plt
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from alliancekit import report
from alliancekit.deck import build_deck, parse_report, text_height
from alliancekit.layout import client_dir
from alliancekit.paths import SAMPLE_ENGAGEMENT
from alliancekit.render import Cover, render_html

EMU_PER_INCH = 914400


def _page(findings: list[str], steps: list[str] | None = None) -> str:
    """A report page as the renderer makes it: key figures, findings, a chart, a recommendation."""
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([1, 2, 3], [2, 1, 3])
    outputs = [report.key_figures([("Alliances reviewed", "60", "as of 2026-09"), ("Revenue", "154.3M", None),
                                   ("Segments", "4", "stability 1.00")]).data,
               report.bullets(findings).data]
    cells = [new_markdown_cell("## Executive summary"), new_code_cell("x", execution_count=1),
             new_markdown_cell("## Revenue"), new_code_cell("y", execution_count=2)]
    cells[1].outputs = [new_output("display_data", data={"text/html": h}) for h in outputs]
    cells[3].outputs = [new_output("display_data", data={"text/html": report.figure(fig, caption="Revenue by month").data})]
    if steps is not None:
        cells += [new_markdown_cell("## Recommended organisation"), new_code_cell("z", execution_count=3)]
        cells[-1].outputs = [new_output("display_data", data={"text/html": report.callout("Build a hub team.").data}),
                             new_output("display_data", data={"text/html": report.bullets(steps).data})]
    cells += [new_markdown_cell("## Appendix: method and data"), new_code_cell("n", execution_count=4)]
    cells[-1].outputs = [new_output("display_data", data={"text/html": report.notes(["A data note."]).data})]
    cover = Cover(client="Northwind <Systems>", consultant="Jane Doe", title="Portfolio Health Review", number=5)
    return render_html(new_notebook(cells=cells), cover)


def _slides(deck: bytes):
    prs = Presentation(io.BytesIO(deck))
    return prs, list(prs.slides)


def _texts(slide) -> str:
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def check_layout(deck: bytes) -> None:
    """16:9; every shape inside the slide; every picture a PNG; every text fits its frame (estimate:
    wrapped lines x line height + space between paragraphs <= frame height)."""
    prs, slides = _slides(deck)
    assert prs.slide_width * 9 == prs.slide_height * 16
    for n, slide in enumerate(slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (n, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (n, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (n, shape.name)
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                assert shape.image.content_type == "image/png" and shape.image.blob[:8] == b"\x89PNG\r\n\x1a\n"
            if shape.has_text_frame and shape.text_frame.text.strip():
                frame = shape.text_frame
                assert frame.word_wrap is True
                paragraphs = frame.paragraphs
                sizes = {r.font.size.pt for p in paragraphs for r in p.runs}
                assert len(sizes) == 1, (n, shape.name, sizes)  # one size per box, set on every run
                gaps = {p.space_after.pt if p.space_after is not None else 0 for p in paragraphs}
                needed = text_height([p.text for p in paragraphs], shape.width / EMU_PER_INCH, sizes.pop(), max(gaps))
                assert needed <= shape.height / EMU_PER_INCH + 1e-6, (n, frame.text[:60])


def test_parse_report_reads_what_the_report_says():
    content = parse_report(_page(["Strong & growing: 15 alliances."], ["Hire two managers."]))
    assert content.key_figures[0] == ("60", "Alliances reviewed", "as of 2026-09")
    assert content.key_figures[1] == ("154.3M", "Revenue", "")
    assert content.findings == ["Strong & growing: 15 alliances."]
    assert content.next_steps == ["Build a hub team.", "Hire two managers."]
    assert [(h, c) for h, c, _ in content.charts] == [("Revenue", "Revenue by month")]
    svg = content.charts[0][2]
    assert "viewBox=" in svg and "<metadata>" not in svg  # SVG names restored for the renderer


def test_deck_slides_and_layout():
    deck = build_deck(_page(["Strong and growing: 15 alliances."], ["Hire two managers."]),
                      SimpleNamespace(client="Northwind <Systems>", consultant="Jane Doe",
                                      title="Portfolio Health Review"), "#0B3D91")
    _, slides = _slides(deck)
    titles = [slide.shapes[1].text_frame.text for slide in slides[1:]]
    assert titles == ["Key figures", "Revenue", "Findings", "Next steps"]
    assert "Northwind <Systems>" in _texts(slides[0]) and "Portfolio Health Review" in _texts(slides[0])
    assert "A data note." not in " ".join(_texts(s) for s in slides)  # the appendix's notes stay in the report
    check_layout(deck)


def test_long_findings_go_over_two_slides_and_no_next_steps_without_them():
    findings = [f"Finding {i}: " + "the alliance portfolio grew in every region and segment this year " * 3
                for i in range(14)]
    cover = SimpleNamespace(client="Northwind", consultant="Jane Doe", title="Portfolio Health Review",
                            firm="Larkspur Alliance Advisory", date="3 December 2026")
    deck = build_deck(_page(findings), cover, "#7A1F5C")
    _, slides = _slides(deck)
    titles = [slide.shapes[1].text_frame.text for slide in slides[1:]]
    assert titles == ["Key figures", "Revenue", "Findings (1 of 2)", "Findings (2 of 2)"]
    assert "Larkspur Alliance Advisory" in _texts(slides[0]) and "3 December 2026" in _texts(slides[0])
    shown = " ".join(_texts(s) for s in slides[3:])
    assert all(f"Finding {i}:" in shown for i in range(14))
    check_layout(deck)


def test_the_same_report_gives_the_same_deck_bytes(monkeypatch):
    import time
    import zipfile
    from datetime import date, datetime

    page = _page(["Strong and growing: 15 alliances."], ["Hire two managers."])
    cover = SimpleNamespace(client="Northwind", consultant="Jane Doe", title="Portfolio Health Review",
                            date="31 March 2026")  # the report's date (without one, the deck says today's)
    first, dated = build_deck(page, cover, "#0B3D91"), build_deck(page, cover, "#0B3D91", date(2026, 3, 31))
    later = time.time() + 86400 + 3 * 3600 + 7
    monkeypatch.setattr(time, "time", lambda: later)  # what zip entries are dated with
    assert build_deck(page, cover, "#0B3D91") == first
    assert build_deck(page, cover, "#0B3D91", date(2026, 3, 31)) == dated
    with zipfile.ZipFile(io.BytesIO(dated)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 3, 31, 0, 0, 0)}
    props = Presentation(io.BytesIO(dated)).core_properties
    assert props.created == props.modified == datetime(2026, 3, 31)
    assert props.author == props.last_modified_by == "Jane Doe" and not props.comments  # not the library's


def test_text_height_grows_with_wrapped_lines():
    assert text_height(["short"], 12, 20) < text_height(["word " * 200], 12, 20)
    assert text_height(["x" * 500], 2, 12) > 1  # a long word breaks over lines


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("deck")
    subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", str(SAMPLE_ENGAGEMENT / "engagement.yml"), "--phase", "portfolio_health",
                    "--format", "html,pptx", "--output-dir", str(out)], check=True, capture_output=True)
    return client_dir(out, "portfolio_health")


@pytest.mark.slow
def test_sample_phase_writes_a_deck(sample_run):
    assert not (sample_run / "report.pdf").exists()
    deck = (sample_run / "deck.pptx").read_bytes()
    _, slides = _slides(deck)
    assert len(slides) > 3
    assert "Northwind Systems" in _texts(slides[0]) and "Portfolio Health Review" in _texts(slides[0])
    assert sum(s.shape_type == MSO_SHAPE_TYPE.PICTURE for slide in slides for s in slide.shapes) == \
        (sample_run / "report.html").read_text(encoding="utf-8").count('<figure class="kit-figure')
    check_layout(deck)
