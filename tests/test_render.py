"""Rendering: no code in the report, escaped client text, numbered sections, a real PDF."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from alliancekit import report
from alliancekit.render import Cover, layout, number_sections, render_html, render_pdf

import pandas as pd

COVER = Cover(client="Tiny <Client>", consultant="Jane Doe", title="Portfolio Health Review", number=5,
              engagement="tiny-test")


def executed_notebook(html_output: str) -> nbformat.NotebookNode:
    code = new_code_cell("secret_variable = 42\nreport.table(df)", execution_count=1)
    code.outputs = [new_output("display_data", data={"text/html": html_output}),
                    new_output("stream", name="stderr", text="UserWarning: noisy\n")]
    check = new_code_cell("# NBVAL_CHECK_OUTPUT\nprint('k=4')", execution_count=2)
    check.metadata["tags"] = ["remove_cell"]
    check.outputs = [new_output("stream", name="stdout", text="k=4\n")]
    return new_notebook(cells=[new_markdown_cell("## Summary\n\nText.\n\n### Detail"), code,
                               new_markdown_cell("## Method"), check])


def test_report_has_no_code_and_escapes_client_text():
    frame = pd.DataFrame({"partner_name": ["<script>alert('pwn')</script> Ltd"], "revenue": [1234.5]})
    page = render_html(executed_notebook(report.table(frame).data), COVER)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert('pwn')&lt;/script&gt; Ltd" in page
    assert "Tiny &lt;Client&gt;" in page
    for leak in ("secret_variable", "NBVAL_CHECK_OUTPUT", "k=4", "UserWarning", "In&nbsp;[", "highlight"):
        assert leak not in page
    assert "1,234.50" in page


def test_sections_are_numbered_and_listed_in_contents():
    page = render_html(executed_notebook("<p>x</p>"), COVER)
    assert '<span class="secnum">1</span>Summary' in page
    assert '<span class="secnum">1.1</span>Detail' in page
    assert '<span class="secnum">2</span>Method' in page
    assert 'href="#sec-1-1"' in page and "KIT-TOC" not in page


def test_wide_tables_are_split_never_clipped():
    frame = pd.DataFrame([range(16)], columns=[f"c{i}" for i in range(16)])
    html = report.table(frame, caption="Wide").data
    assert html.count("<table") == 2 and "part 2 of 2" in html
    assert all(f"<th class=\"num\">c{i}</th>" in html for i in range(16))
    assert 'class="table-wrap wide"' in html  # landscape page in the PDF


@pytest.mark.slow  # renders a PDF
def test_pdf_has_cover_and_body_pages():
    page = render_html(executed_notebook("<p>x</p>"), COVER)
    assert render_pdf(page).startswith(b"%PDF")
    pages = layout(page).pages
    assert len(pages) >= 3  # cover, contents, body


def test_number_sections_is_idempotent_on_plain_html():
    page = "<html><body><nav><!--KIT-TOC--></nav><main><h2>A</h2><h3>B</h3></main></body></html>"
    out = number_sections(page)
    assert out.count("secnum") == 2 and "sec-1-1" in out


def test_logo_and_brand_colour_are_embedded(tmp_path):
    import base64

    logo = tmp_path / "logo.png"
    logo.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))
    cover = Cover(client="C", consultant="D", title="T", number=5, engagement="e", color="#AA3300", logo=logo)
    page = render_html(executed_notebook("<p>x</p>"), cover)
    assert 'src="data:image/png;base64,iVBOR' in page and "--brand: #AA3300" in page


SIGNED = Cover(client="Northwind Systems", consultant="Jane Doe", title="Portfolio Health Review", number=5,
               engagement="northwind-2026", firm="Larkspur Alliance Advisory", date="31 March 2026", currency="USD")


def _cover(page: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(page, "html.parser").select_one("section.cover").get_text(" ", strip=True)


def test_cover_is_signed_by_the_consultant_and_firm_never_the_engagement_id_or_the_kit():
    page = render_html(executed_notebook("<p>x</p>"), SIGNED)
    cover = _cover(page)
    for text in ("Northwind Systems", "Portfolio Health Review", "Jane Doe", "Larkspur Alliance Advisory",
                 "31 March 2026", "Amounts in USD"):
        assert text in cover
    assert "northwind-2026" not in page.lower()
    assert "alliance-kit" not in page  # nor in the page footers (report.css is inlined) nor the closing line
    assert "string(sender)" in page and '<p class="running-sender">Larkspur Alliance Advisory</p>' in page


def test_without_a_firm_the_client_is_the_footer_sender_and_no_currency_is_claimed():
    page = render_html(executed_notebook("<p>x</p>"), COVER)
    assert '<p class="running-sender">Tiny &lt;Client&gt;</p>' in page
    assert "Amounts in" not in page and "alliance-kit" not in page


def test_cover_of_an_engagement_file(tmp_path):
    from conftest import write_engagement

    from alliancekit.engagement import load_engagement

    header = ("engagement: tiny-test\nclient: Tiny Client\nconsultant: Jane Doe\nfirm: Larkspur Alliance Advisory\n"
              "report_date: 2026-03-31\ncurrency: EUR\nphases: {portfolio_health: {}}\n")
    cover = Cover.of(load_engagement(write_engagement(tmp_path, header=header)), "Portfolio Health Review", 5)
    assert (cover.firm, cover.date, cover.currency) == ("Larkspur Alliance Advisory", "31 March 2026", "EUR")
    text = _cover(render_html(executed_notebook("<p>x</p>"), cover))
    assert "31 March 2026" in text and "Amounts in EUR" in text and "tiny-test" not in text


def test_scorecard_names_the_firm_as_sender_never_the_kit():
    from test_ecosystem_reporting import SCORECARD, _portfolio

    from alliancekit import ecosystem_reporting as er

    result = er.review(_portfolio(), {"direction_months": 3}, scorecard=SCORECARD)
    context = er.ScorecardContext(client="Tiny Client", as_of=result.as_of, months=3, rule="equal_split",
                                  consultant="Jane Doe", firm="Larkspur Alliance Advisory", currency="USD")
    payload = er.partner_payloads(result.partners, result.status, result.attributed, result.panel, result.mdf,
                                  context, only=["P1"])[0]
    page = er.render_scorecard_html(payload)
    assert "alliance-kit" not in page and "0.1.0" not in page
    assert "Amounts in USD" in page and "with Larkspur Alliance Advisory (Jane Doe)" in page
    assert '<p class="running-sender">Larkspur Alliance Advisory</p>' in page
