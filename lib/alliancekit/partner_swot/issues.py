"""The issue log: the weaknesses and threats to run down, with reach, severity and a suggested owner.

The consultant's role as the client's counsellor ends in action: every weakness and threat theme
becomes an issue. The rules are simple enough to explain to the client:

- **Reach**: distinct respondents and partners who raised it, and the share of all respondents.
- **Intensity**: the share of the theme's statements that use strong words
  (:data:`INTENSE_WORDS`: "never", "nightmare", "walk away" ...).
- **Severity**: *High* when at least a quarter of respondents raised it, or when it reaches
  the anonymity threshold and at least half of its statements are intense; *Medium* when it
  reaches the threshold; *Low* otherwise (raised by too few people to generalise: check it
  in the follow-up conversations).
- **Owner**: the function that can act on the topic (:data:`OWNERS`), e.g. funds ->
  Partner marketing, deal registration -> Sales operations, people -> Alliance leadership.
"""

from __future__ import annotations

import re

import pandas as pd

#: Who can act on a topic.
OWNERS = {
    "funds": "Partner marketing", "marketing": "Partner marketing",
    "deal_registration": "Sales operations", "channel_conflict": "Sales leadership",
    "field_engagement": "Sales leadership",
    "people": "Alliance leadership", "executive_sponsorship": "Alliance leadership (executive sponsor)",
    "trust": "Alliance leadership", "culture": "Alliance leadership", "fairness": "Alliance leadership",
    "communication": "Partner programme office", "programme": "Partner programme office",
    "commercial_terms": "Partner programme office with Finance",
    "support": "Partner support", "enablement": "Partner enablement",
    "systems": "Partner operations (portal and tools)", "process": "Partner operations",
    "legal": "Legal and contracts", "product": "Product management",
    "competition": "Alliance strategy with Product marketing", "market": "Alliance strategy",
    "customers": "Alliance strategy with Sales leadership", "technology": "Product management",
    "economy": "Alliance leadership", "regulation": "Legal and compliance with Product management",
    "consolidation": "Corporate strategy", "talent": "Alliance leadership with Partner enablement",
    "geopolitics": "Corporate strategy", "geography": "Alliance strategy",
}

INTENSE_WORDS = re.compile(
    r"\b(?:never|always|every (?:single )?time|nobody|no one|nothing|worst|terrible|awful|nightmare|disaster|"
    r"impossible|unacceptable|joke|furious|fed up|sick of|biggest|serious|critical|killing|walk(?:ed)? away|"
    r"leav(?:e|ing) (?:the|this) (?:programme|program|partnership)|switch(?:ing)?|lost|losing|huge|"
    r"massive|constantly|again and again|embarrass\w*)\b", re.IGNORECASE)


def intensity(texts: pd.Series) -> float:
    """Share of ``texts`` that use at least one strong word."""
    return float(texts.str.contains(INTENSE_WORDS).mean()) if len(texts) else 0.0


def severity(share: float, respondents: int, intense: float, min_respondents: int) -> str:
    """High / Medium / Low by the rule in the module docstring."""
    if respondents >= min_respondents and (share >= 0.25 or intense >= 0.5):
        return "High"
    return "Medium" if respondents >= min_respondents else "Low"


def issue_log(statements: pd.DataFrame, themes: pd.DataFrame, min_respondents: int) -> pd.DataFrame:
    """One row per weakness or threat theme, most severe and widest-reaching first.

    Columns: ``issue`` (theme), ``quadrant``, ``respondents``, ``partners``, ``share``,
    ``intensity``, ``severity``, ``owner``.
    """
    rows = []
    for theme in themes[themes["quadrant"].isin(("weakness", "threat"))].itertuples(index=False):
        intense = intensity(statements.loc[statements["theme"] == theme.theme, "text"])
        rows.append({"issue": theme.theme, "quadrant": theme.quadrant, "respondents": int(theme.respondents),
                     "partners": int(theme.partners), "share": float(theme.share), "intensity": round(intense, 2),
                     "severity": severity(theme.share, theme.respondents, intense, min_respondents),
                     "owner": OWNERS.get(theme.topic, "Alliance leadership")})
    log = pd.DataFrame(rows, columns=["issue", "quadrant", "respondents", "partners", "share", "intensity",
                                      "severity", "owner"])
    rank = log["severity"].map({"High": 0, "Medium": 1, "Low": 2})
    return log.assign(_r=rank).sort_values(["_r", "respondents", "intensity", "issue"],
                                           ascending=[True, False, False, True]).drop(columns="_r").reset_index(drop=True)
