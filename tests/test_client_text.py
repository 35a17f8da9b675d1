"""Client-facing text speaks the client's language (issue 16, item 2).

Reports and partner scorecards never show the kit's parameter names, command-line flags or
command syntax, nor the kit's file names; the tool's own name may appear only in a report's
method appendix. Sentences that name roles come from the data, not from fixed text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alliancekit.layout import client_dir, report_path
from alliancekit.phases import PHASES
from alliancekit.sample import SAMPLE_PHASES

# ---------------------------------------------------------------------------- the vocabulary


def _param_names() -> set[str]:
    return {name for phase in PHASES.values() for name in phase.params.model_fields}


def _patterns() -> list[tuple[str, re.Pattern]]:
    """(what, pattern) pairs for the kit's vocabulary in visible text.

    A parameter name with an underscore is matched as a whole word; a one-word name
    (``weights``, ``target``, ``partners``...) is ordinary English, so it is matched only in
    a dotted form (``weights.revenue_growth``, ``portfolio_health.weights``) or after the word
    "parameter". Any other snake_case identifier (a column or a setting's value such as
    ``equal_split``) is the kit's word too.
    """
    params = _param_names()
    underscored = sorted((p for p in params if "_" in p), key=len, reverse=True)
    dotted = sorted(params | set(PHASES), key=len, reverse=True)
    return [
        ("parameter name", re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, underscored)) + r")(?!\w)")),
        ("dotted parameter", re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, dotted)) + r")\.[A-Za-z_]\w*")),
        ("'parameter <name>'", re.compile(r"\bparameters?\s+['\"‘“]?[a-z]+[_.]?\w*", re.I)),
        ("snake_case identifier", re.compile(r"(?<![\w./-])[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9](?![\w/])")),
        ("option -p", re.compile(r"(?<![\w-])-p\s")),
        ("option --phase", re.compile(r"--phase")),
        ("option --output-dir", re.compile(r"--output-dir")),
        ("kit file name", re.compile(r"\.(yml|yaml|csv)\b", re.I)),
        ("engagement_params", re.compile(r"engagement_params")),
        ("upstream_dir", re.compile(r"upstream_dir")),
    ]


TOOL = re.compile(r"\balliance-?kit\b", re.I)


def _blocks(html: str) -> list[tuple[str, bool]]:
    """Visible text blocks of a page, each with whether it is in a method appendix."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "metadata", "title", "head"]):
        tag.decompose()
    out = []
    for node in soup.find_all(string=True):
        if isinstance(node, Comment):
            continue
        text = " ".join(node.split())
        if not text:
            continue
        heading = node.find_previous(["h1", "h2"]) if node.parent.name not in ("h1", "h2") else node.parent
        in_appendix = heading is not None and "appendix" in heading.get_text(" ").lower()
        block = node.find_parent(["p", "li", "td", "th", "h1", "h2", "h3", "h4", "figcaption", "caption", "div"])
        context = " ".join((block.get_text(" ") if block is not None else text).split())
        out.append((text, in_appendix, context))
    return out


def _sentence(context: str, start: int, end: int) -> str:
    left = max(context.rfind(". ", 0, start) + 2, 0) if ". " in context[:start] else 0
    right = context.find(". ", end)
    return context[left:(right + 1 if right >= 0 else len(context))][:300]


def jargon_hits(path: Path) -> list[str]:
    """Every use of the kit's vocabulary in a page's visible text: 'file: what 'match' in: sentence'."""
    hits = []
    for text, in_appendix, context in _blocks(path.read_text(encoding="utf-8")):
        for what, pattern in _patterns():
            for m in pattern.finditer(text):
                c = context.find(m.group(0))
                hits.append(f"{path}: {what} {m.group(0)!r} in: {_sentence(context, c, c + len(m.group(0))) if c >= 0 else text}")
        if not in_appendix:
            for m in TOOL.finditer(text):
                hits.append(f"{path}: tool name outside the method appendix {m.group(0)!r} in: {text[:300]}")
    return hits


@pytest.mark.slow
def test_reports_and_scorecards_speak_the_clients_language(sample_delivery):
    reports = [report_path(sample_delivery, p) for p in PHASES if client_dir(sample_delivery, p).is_dir()]
    assert len(reports) == len(SAMPLE_PHASES) and all(page.is_file() for page in reports)
    pages = reports + sorted(sample_delivery.glob("*/partners/*.html")) + sorted(sample_delivery.glob("*/recruiting/*.html"))
    hits = [h for page in pages for h in jargon_hits(page)]
    assert not hits, f"{len(hits)} uses of the kit's vocabulary in client text:\n" + "\n".join(hits)


@pytest.mark.slow
def test_the_tool_is_named_at_most_once_per_report(sample_delivery):
    for page in [report_path(sample_delivery, p) for p in SAMPLE_PHASES]:
        named = sum(len(TOOL.findall(text)) for text, _, _ in _blocks(page.read_text(encoding="utf-8")))
        assert named <= 1, f"{page}: the tool is named {named} times"


def test_the_scan_finds_the_kits_vocabulary(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(
        "<html><body><h2>Summary</h2><p>Run alliancekit run engagement.yml -p portfolio_health.weights.revenue_growth=0.3."
        "</p><p>The client's figure (parameter direct_win_rate).</p><p>Attribution rule 'equal_split'.</p>"
        "<p>hours_per_fte and min_respondents_per_theme; see segments.csv.</p><script>var upstream_dir;</script>"
        "<h2>Appendix: method</h2><p>Produced with alliancekit 1.0.</p></body></html>", encoding="utf-8")
    hits = "\n".join(jargon_hits(page))
    for word in ("portfolio_health.weights", "-p ", "engagement.yml", "direct_win_rate", "equal_split",
                 "hours_per_fte", "min_respondents_per_theme", "segments.csv", "outside the method appendix"):
        assert word in hits, word
    assert "upstream_dir" not in hits  # scripts are not visible text
    assert "1.0" not in hits  # the tool's name in the appendix is allowed


# ---------------------------------------------------------------------------- roles from the data


@pytest.fixture(scope="module")
def sample_tables():
    from alliancekit.engagement import load_engagement
    from alliancekit.paths import SAMPLE_ENGAGEMENT
    from alliancekit.validation import load_inputs

    engagement = load_engagement(SAMPLE_ENGAGEMENT / "engagement.yml")
    tables, _ = load_inputs(engagement, ["maturity_survey", "partners", "candidates"])
    return engagement, tables


def _assess(sample_tables, roles):
    from alliancekit.phases import PHASES
    from alliancekit.strategy_assessment import Narrative, review

    engagement, tables = sample_tables
    survey = tables["maturity_survey"]
    tables = {**tables, "maturity_survey": survey[survey["role"].isin(roles)].reset_index(drop=True)}
    return Narrative(review(tables, PHASES["strategy_assessment"].defaults(), root=engagement.root))


def test_strategy_summary_names_only_the_roles_that_answered(sample_tables):
    story = _assess(sample_tables, ["CEO", "CFO", "Sales"])
    intro = story.introduction()
    assert "The CEO, CFO and the leader of Sales rated" in intro
    for absent in ("Marketing", "Operations", "IT", "Alliances"):
        assert not re.search(rf"\b{absent}\b", intro), absent
    everyone = _assess(sample_tables, ["CEO", "CFO", "Sales", "Marketing", "Operations", "IT", "Alliances"])
    assert ("The CEO, CFO and the leaders of Sales, Marketing, Operations, IT and Alliances rated"
            in everyone.introduction())
    assert _assess(sample_tables, ["CEO", "CFO"]).respondents_phrase() == "The CEO and CFO"


def test_strategy_tables_show_no_parameter_names(sample_tables):
    story = _assess(sample_tables, ["CEO", "CFO", "Sales"])
    assert list(story.criteria_view().columns) == ["Criterion", "What 5 means", "Weight"]
    assert list(story.candidate_weights_view().columns) == ["Criterion", "Weight"]
    shown = " ".join(story.indicators_view()["Indicators for the scorecard"])
    assert "_" not in shown and "sourced revenue" in shown
