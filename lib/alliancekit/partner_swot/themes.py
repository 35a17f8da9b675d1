"""Themes: what the statements of each quadrant are about, how many people raised them, and quotes.

A theme is a quadrant and a topic ("Weakness: MDF claims and reimbursement"). The topic
comes from a second classifier trained on the corpus's ``topic`` column, restricted to the
topics that belong to the statement's quadrant, and read through :data:`THEME_LABELS`: stable,
readable labels that mean the same thing in every engagement, unlike clusters whose names
change with the data. Reach is counted in distinct respondents and partners, never in
statements, so one talkative respondent cannot make a theme look common.

Anonymity rule: a theme's quotes are shown only when at least ``min_respondents``
distinct respondents raised it; a breakdown by partner type shows only groups of at least
that many respondents (survey tools suppress groups smaller than 4-5 for the same reason).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.svm import LinearSVC

from ..cache import cached, fingerprint
from ..feedback.classify import QUADRANTS, build_features, load_corpus, model_fingerprint

#: Readable theme label per (quadrant, topic). Topics absent for a quadrant are not predicted for it.
THEME_LABELS: dict[tuple[str, str], str] = {
    ("strength", "people"): "Quality of the alliance managers",
    ("strength", "support"): "Responsive partner support",
    ("strength", "field_engagement"): "Co-selling with the vendor's field",
    ("strength", "process"): "Efficient processes and approvals",
    ("strength", "commercial_terms"): "Fair margins, rebates and payment terms",
    ("strength", "communication"): "Open and timely communication",
    ("strength", "enablement"): "Training and certification",
    ("strength", "executive_sponsorship"): "Engaged executive sponsors",
    ("strength", "programme"): "A partner programme that rewards",
    ("strength", "trust"): "Trust in the vendor",
    ("strength", "product"): "Strength of the product and brand",
    ("strength", "funds"): "Marketing funds that work",
    ("strength", "culture"): "Cultural fit between the teams",
    ("strength", "marketing"): "Joint marketing",
    ("strength", "systems"): "Usable partner portal and tools",
    ("strength", "deal_registration"): "Deal registration that protects partners",
    ("strength", "legal"): "Pragmatic contracting",
    ("strength", "channel_conflict"): "Clear rules of engagement with direct sales",
    ("strength", "fairness"): "Even-handed treatment of partners",
    ("weakness", "process"): "Slow approvals and processes",
    ("weakness", "people"): "Alliance manager turnover and coverage",
    ("weakness", "support"): "Partner support falls short",
    ("weakness", "communication"): "Communication gaps",
    ("weakness", "commercial_terms"): "Margins, rebates and payment terms",
    ("weakness", "field_engagement"): "Vendor sellers do not engage partners",
    ("weakness", "systems"): "Partner portal and systems",
    ("weakness", "executive_sponsorship"): "Absent executive sponsorship",
    ("weakness", "programme"): "Programme and tier rules",
    ("weakness", "funds"): "MDF claims and reimbursement",
    ("weakness", "enablement"): "Gaps in training and certification",
    ("weakness", "channel_conflict"): "Channel conflict with direct sales",
    ("weakness", "fairness"): "Perceived favouritism",
    ("weakness", "deal_registration"): "Deal registration: slow or not honoured",
    ("weakness", "product"): "Product gaps and quality",
    ("weakness", "trust"): "Broken commitments and trust",
    ("weakness", "marketing"): "Little joint marketing",
    ("weakness", "legal"): "Slow or one-sided legal terms",
    ("weakness", "culture"): "Culture clash",
    ("opportunity", "market"): "Growing markets and segments",
    ("opportunity", "customers"): "Customers asking for joint offers",
    ("opportunity", "technology"): "Technology shifts (AI, cloud, migration)",
    ("opportunity", "regulation"): "Regulation creating demand",
    ("opportunity", "competition"): "Competitors' weaknesses to exploit",
    ("opportunity", "geography"): "New regions",
    ("opportunity", "economy"): "Economic tailwinds",
    ("opportunity", "talent"): "Talent available to hire",
    ("opportunity", "consolidation"): "Market consolidation",
    ("threat", "competition"): "Competitors courting partners and customers",
    ("threat", "economy"): "Budget cuts and economic pressure",
    ("threat", "technology"): "Disruptive technology and platform overlap",
    ("threat", "market"): "Price pressure and commoditisation",
    ("threat", "customers"): "Customer pressure and dependence",
    ("threat", "regulation"): "Regulatory risk",
    ("threat", "consolidation"): "Consolidation and acquisitions",
    ("threat", "talent"): "Skills shortage",
    ("threat", "geopolitics"): "Geopolitics, sanctions and trade",
}


class TopicClassifier:
    """Statement + quadrant -> topic, among the topics :data:`THEME_LABELS` gives that quadrant."""

    def __init__(self, C: float = 0.5, seed: int = 0):
        self.C = C
        self.seed = seed

    def fit(self, texts, quadrants, topics) -> "TopicClassifier":
        keep = [(t, q, p) for t, q, p in zip(texts, quadrants, topics) if (q, p) in THEME_LABELS]
        self.features_ = build_features()
        matrix = self.features_.fit_transform([t for t, _, _ in keep])
        self.model_ = LinearSVC(C=self.C, random_state=self.seed)
        self.model_.fit(matrix, [p for _, _, p in keep])
        self.classes_ = self.model_.classes_
        return self

    def predict(self, texts, quadrants) -> tuple[np.ndarray, np.ndarray]:
        """The most likely topic allowed for each statement's quadrant (empty for ``other``) and its score."""
        scores = self.model_.decision_function(self.features_.transform(list(map(str, texts))))
        topics, best = [], []
        for row, quadrant in zip(scores, quadrants):
            allowed = np.array([(quadrant, c) in THEME_LABELS for c in self.classes_])
            masked = np.where(allowed, row, -np.inf)
            topics.append(self.classes_[masked.argmax()] if allowed.any() else "")
            best.append(float(masked.max()) if allowed.any() else 0.0)
        return np.asarray(topics, dtype=object), np.asarray(best)


@lru_cache(maxsize=1)
def default_topic_classifier() -> TopicClassifier:
    """The topic classifier fitted on the shipped corpus: once per process, and kept in the kit's
    disk cache between runs (keyed as the quadrant classifier, plus this module's code)."""
    def fit() -> TopicClassifier:
        corpus = load_corpus()
        return TopicClassifier().fit(corpus["text"], corpus["quadrant"], corpus["topic"])

    return cached("swot-topics", model_fingerprint("topic", fingerprint([Path(__file__)])), fit)


def theme_label(quadrant: str, topic: str) -> str:
    """'Weakness: MDF claims and reimbursement' for ('weakness', 'funds')."""
    return f"{quadrant.capitalize()}: {THEME_LABELS[(quadrant, topic)]}" if (quadrant, topic) in THEME_LABELS else ""


def assign_themes(statements: pd.DataFrame) -> pd.DataFrame:
    """``statements`` (with ``quadrant``) plus ``topic``, ``theme`` (empty for ``other``) and ``topic_fit``."""
    topics, scores = default_topic_classifier().predict(statements["text"], statements["quadrant"])
    themes = [theme_label(q, t) for q, t in zip(statements["quadrant"], topics)]
    fit = 1.0 / (1.0 + np.exp(-2.0 * scores))  # how clearly the statement is about its topic, 0-1
    return statements.assign(topic=topics, theme=themes, topic_fit=np.round(fit, 3))


def theme_table(statements: pd.DataFrame, partners: pd.DataFrame, min_respondents: int) -> pd.DataFrame:
    """One row per theme: quadrant, topic, statements, respondents, partners, share of respondents.

    ``share`` is the theme's respondents over all respondents interviewed; ``quotable`` says
    whether it reaches ``min_respondents`` (only then are quotes and breakdowns shown).
    Sorted by quadrant, then respondents (most first), then label.
    """
    themed = statements[statements["theme"] != ""]
    total = max(statements["respondent"].nunique(), 1)
    table = themed.groupby("theme").agg(
        quadrant=("quadrant", "first"), topic=("topic", "first"), statements=("statement_id", "size"),
        respondents=("respondent", "nunique"), partners=("partner_id", "nunique")).reset_index()
    table["share"] = (table["respondents"] / total).round(4)
    table["quotable"] = table["respondents"] >= min_respondents
    order = {q: i for i, q in enumerate(QUADRANTS)}
    table = table.assign(_q=table["quadrant"].map(order)).sort_values(
        ["_q", "respondents", "statements", "theme"], ascending=[True, False, False, True])
    return table.drop(columns="_q").reset_index(drop=True)[
        ["theme", "quadrant", "topic", "respondents", "partners", "statements", "share", "quotable"]]


def representative_quotes(statements: pd.DataFrame, themes: pd.DataFrame, per_theme: int) -> pd.DataFrame:
    """Up to ``per_theme`` quotes per quotable theme, each from a different respondent.

    The statements of 6-45 words most clearly in their quadrant and topic come first (a clear, typical
    voice), one per respondent, in a stable order. Statements holding a redaction token are
    not quoted (they read as contact details more than opinions). Quotes are redacted text.
    """
    quotable = set(themes.loc[themes["quotable"], "theme"])
    pool = statements[statements["theme"].isin(quotable)].copy()
    words = pool["text"].str.split().str.len()
    pool = pool[(words >= 6) & (words <= 45) & ~pool["text"].str.contains(r"\[\w+\]", regex=True)]
    pool = pool.assign(_score=pool["confidence"] * pool["topic_fit"])
    pool = pool.sort_values(["theme", "_score", "statement_id"], ascending=[True, False, True])
    pool = pool.drop_duplicates(["theme", "respondent"])
    quotes = pool.groupby("theme", sort=False).head(per_theme)
    rank = {t: i for i, t in enumerate(themes["theme"])}
    quotes = quotes.assign(_r=quotes["theme"].map(rank)).sort_values(["_r", "_score"], ascending=[True, False])
    return quotes[["theme", "quadrant", "text"]].rename(columns={"text": "quote"}).reset_index(drop=True)


def partner_type_breakdown(statements: pd.DataFrame, partners: pd.DataFrame, min_respondents: int) -> tuple[pd.DataFrame, int]:
    """Share of each partner type's respondents who raised each quadrant, for groups of ``min_respondents`` or more.

    Returns the table (``partner_type``, ``respondents``, one share column per quadrant, the
    most raised theme) and how many respondents were left out (never which), for the report's
    data note.
    """
    types = partners.set_index("partner_id")["partner_type"]
    frame = statements.assign(partner_type=statements["partner_id"].map(types).fillna("unknown"))
    size = frame.groupby("partner_type")["respondent"].nunique()
    shown = sorted(size[size >= min_respondents].index)
    rows = []
    for kind in shown:
        group = frame[frame["partner_type"] == kind]
        row = {"partner_type": kind, "respondents": int(size[kind])}
        for quadrant in QUADRANTS:
            row[quadrant] = group.loc[group["quadrant"] == quadrant, "respondent"].nunique() / size[kind]
        themed = group[group["theme"] != ""].groupby("theme")["respondent"].nunique().sort_values(ascending=False)
        row["most raised theme"] = themed.index[0] if len(themed) and themed.iloc[0] >= min_respondents else "–"
        rows.append(row)
    hidden = int(size[~size.index.isin(shown)].sum())
    return pd.DataFrame(rows, columns=["partner_type", "respondents", *QUADRANTS, "most raised theme"]), hidden
