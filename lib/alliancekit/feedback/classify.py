"""Which SWOT quadrant a statement belongs to: a scikit-learn classifier trained on the kit's corpus.

A SWOT has two axes: **polarity** (praise or complaint) and **locus** (the relationship with
the vendor, or the market outside it). Strength = praise of the relationship, weakness = a
complaint about it, opportunity = good news in the market, threat = bad news there; ``other``
is small talk, biography and contact details, which say nothing about either axis.

The classifier reads a statement three ways and lets a linear support vector machine weigh
them (probabilities by sigmoid calibration over three folds):

- words and word pairs of the *normalised* text (lower case, spelling of chat and notes
  repaired: ``cant`` -> ``can not``, ``ppl`` -> ``people``; filler words and the "the
  respondent noted that" of reported speech dropped; words after a negation marked, so
  "not responsive" and "responsive" are different evidence);
- character n-grams (2-5 letters within words), which survive typos and word forms;
- cue counts from :file:`data/swot_cues.yml` (praise, complaint, market, relationship,
  looking-ahead words, negation-aware): knowledge the corpus cannot hold, so a statement
  in words the corpus never used is still read on both axes.

Training is deterministic (fixed folds, seeded solver) and takes a few seconds;
:func:`default_classifier` keeps the fitted model in the process and in the kit's disk cache
(:mod:`alliancekit.cache`), keyed by the corpus, the cues, this code and the library versions.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from ..cache import cached, fingerprint

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS_PATHS = (DATA / "swot_corpus.csv", DATA / "swot_corpus_additions.csv")
CUES_PATH = DATA / "swot_cues.yml"

QUADRANTS = ("strength", "weakness", "opportunity", "threat")
LABELS = (*QUADRANTS, "other")

# ------------------------------------------------------------------------------- normalising

#: Spellings of chat, notes and transcripts mapped to plain words (whole words, lower case).
_SPELLINGS = {
    "cant": "can not", "can't": "can not", "cannot": "can not", "wont": "will not", "won't": "will not",
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "werent": "were not", "havent": "have not", "hasnt": "has not", "hadnt": "had not",
    "couldnt": "could not", "wouldnt": "would not", "shouldnt": "should not", "aint": "is not",
    "ain't": "is not", "im": "i am", "ive": "i have", "theyre": "they are", "theyve": "they have",
    "thats": "that is", "theres": "there is", "whats": "what is", "youre": "you are", "u": "you", "ur": "your",
    "ppl": "people", "w/": "with", "w/o": "without", "b/c": "because", "bc": "because", "thru": "through",
    "tho": "though", "cuz": "because", "coz": "because", "pls": "please", "govt": "government", "gov": "government",
    "mgr": "manager", "mgmt": "management", "mktg": "marketing", "mkt": "market", "mktplace": "marketplace",
    "reimb": "reimbursement", "avg": "average", "approx": "approximately", "yr": "year", "yrs": "years",
    "hrs": "hours", "mins": "minutes", "wk": "week", "wks": "weeks", "mo": "month", "mos": "months",
    "info": "information", "biz": "business", "rel'ship": "relationship", "relship": "relationship",
    "comms": "communication", "exec": "executive", "execs": "executives", "reg": "registration",
    "regs": "regulations", "dept": "department", "certs": "certifications", "cert": "certification",
    "tbh": "", "imo": "", "imho": "", "lol": "", "fwiw": "", "btw": "", "fyi": "",
}
_NEGATIONS = {"not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without", "hardly",
              "barely", "lack", "lacks", "lacking", "zero"}
_FILLERS = re.compile(r"\b(?:um+|uh+|erm+|er|ah+|hmm+|you know|i mean|kind of|sort of|to be honest|"
                      r"honestly|frankly|basically|literally|actually|like i said)\b[,.]?")
_REPORTED = re.compile(r"\b(?:the\s+)?(?:respondent|interviewee|participant|partner|contact|speaker|"
                       r"he|she|they)\s+(?:\w+ly\s+)?(?:noted|observed|said|says|felt|feels|indicated|reported|"
                       r"stated|mentioned|commented|suggested|explained|described|characteri[sz]ed|acknowledged|"
                       r"disclosed|expressed|highlighted|raised|remarked|added|argued|claimed|confirmed|"
                       r"emphasi[sz]ed|stressed|pointed out|shared|told us|believes|thinks)\s+(?:that\s+)?")
_WORD = re.compile(r"[a-z0-9][a-z0-9'/&\-]*|[.!?;:,]")


def normalise(text: str) -> str:
    """``text`` in the classifier's spelling: lower case, chat spellings repaired, fillers dropped."""
    text = str(text).lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\[(name|email|phone|url|partner|handle)\]", r" \1token ", text)
    text = _REPORTED.sub(" ", text)
    text = _FILLERS.sub(" ", text)
    words = [_SPELLINGS.get(w, w) for w in _WORD.findall(text)]
    text = " ".join(w for w in words if w)
    return re.sub(r"n't\b", " not", text)


def mark_negation(text: str, window: int = 3) -> str:
    """Prefix the ``window`` words after a negation (up to punctuation) with ``not_``."""
    out, left = [], 0
    for word in text.split():
        if word in ".!?;:,":
            left = 0
            out.append(word)
            continue
        out.append(f"not_{word}" if left else word)
        left = window if word in _NEGATIONS else max(0, left - 1)
    return " ".join(out)


# ------------------------------------------------------------------------------------- cues

@lru_cache(maxsize=1)
def load_cues() -> dict[str, frozenset[str]]:
    """Cue words and phrases of :file:`data/swot_cues.yml`, normalised like statements.

    Keys: positive, negative, external, internal, prospective (words) and the phrase lists
    praise, complaint, threat, opening.
    """
    raw = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    words = lambda *keys: frozenset(str(w).lower() for k in keys for w in raw.get(k, ()))  # noqa: E731
    phrases = lambda key: frozenset(normalise(p) for p in raw.get(key, ()))  # noqa: E731
    return {
        "positive": words("positive", "positive_more"), "negative": words("negative", "negative_more"),
        "external": words("external"), "internal": words("internal"), "prospective": words("prospective"),
        "praise": phrases("praise_phrases"), "complaint": phrases("complaint_phrases"),
        "threat": phrases("threat_phrases"), "opening": phrases("opening_phrases"),
    }


#: What each phrase list adds to the counts.
_PHRASE_EFFECTS = {"praise": ("positive",), "complaint": ("negative",),
                   "threat": ("negative", "external"), "opening": ("positive", "external", "prospective")}


def cue_counts(text: str, cues: dict[str, frozenset[str]]) -> dict[str, float]:
    """Counts of praise, complaint, market, relationship and looking-ahead cues in ``text``.

    A praise or complaint word within three words after a negation counts for the other side
    ("not responsive" is a complaint, "never had a problem" is praise).
    """
    plain = normalise(text)
    words = mark_negation(plain).split()
    counts = dict.fromkeys(("positive", "negative", "external", "internal", "prospective"), 0.0)
    for word in words:
        negated = word.startswith("not_")
        bare = word[4:] if negated else word
        for name in ("external", "internal", "prospective"):
            counts[name] += bare in cues[name]
        if bare in cues["positive"]:
            counts["negative" if negated else "positive"] += 1
        elif bare in cues["negative"]:
            counts["positive" if negated else "negative"] += 1
    padded = f" {plain} "
    for kind, effects in _PHRASE_EFFECTS.items():
        hits = sum(padded.count(f" {phrase} ") for phrase in cues[kind])
        for name in effects:
            counts[name] += 2 * hits
    counts["_length"] = float(len(words))
    return counts


class CueCounts(BaseEstimator, TransformerMixin):
    """Cue counts per statement (:func:`cue_counts`), scaled by the square root of its length.

    Columns: positive, negative, external, internal, prospective, and positive - negative.
    """

    def __init__(self, weight: float = 1.0):
        self.weight = weight

    def fit(self, X, y=None):
        self.cues_ = load_cues()
        return self

    def transform(self, X):
        rows = []
        for text in X:
            counts = cue_counts(text, self.cues_)
            scale = self.weight / np.sqrt(max(counts.pop("_length"), 1.0))
            values = [counts[k] * scale for k in ("positive", "negative", "external", "internal", "prospective")]
            rows.append([*values, values[0] - values[1]])
        return sparse.csr_matrix(np.asarray(rows, dtype=float).reshape(len(rows), 6))


# ------------------------------------------------------------------------------- classifier

def _words(texts):
    return [mark_negation(normalise(t)) for t in texts]


def _chars(texts):
    return [normalise(t) for t in texts]


def build_features(cue_weight: float = 1.0):
    """The feature union: words (negation-marked), characters, cue counts."""
    words = make_pipeline(FunctionTransformer(_words), TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"[^\s.!?;:,]+", min_df=1))
    chars = make_pipeline(FunctionTransformer(_chars), TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2))
    return make_union(words, chars, CueCounts(cue_weight))


class SwotClassifier(ClassifierMixin, BaseEstimator):
    """Statement -> SWOT quadrant (or ``other``), with probabilities.

    Parameters
    ----------
    C : inverse regularisation strength of the linear support vector machine.
    cue_weight : scale of the cue-count features against the TF-IDF features.
    other_threshold : ``predict`` answers ``other`` only when its probability is the highest
        *and* at least this; a statement that might be evaluative is kept in the SWOT.
    seed : random state of the solver (training is deterministic for a given seed).
    """

    def __init__(self, C: float = 1.0, cue_weight: float = 1.0, other_threshold: float = 0.7, seed: int = 0):
        self.C = C
        self.cue_weight = cue_weight
        self.other_threshold = other_threshold
        self.seed = seed

    def fit(self, X, y):
        """Fit on statements ``X`` and labels ``y`` (quadrants, optionally ``other``)."""
        X, y = list(map(str, X)), np.asarray(y, dtype=object)
        self.features_ = build_features(self.cue_weight)
        matrix = self.features_.fit_transform(X)
        svm = LinearSVC(C=self.C, random_state=self.seed)
        self.model_ = CalibratedClassifierCV(svm, cv=StratifiedKFold(3), method="sigmoid")
        self.model_.fit(matrix, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Probability of each class in :attr:`classes_` (rows sum to 1)."""
        return self.model_.predict_proba(self.features_.transform(list(map(str, X))))

    def predict(self, X) -> np.ndarray:
        """The most probable class; ``other`` only when sure enough (see ``other_threshold``)."""
        return decide(self.predict_proba(X), self.classes_, self.other_threshold)


def decide(proba: np.ndarray, classes, other_threshold: float) -> np.ndarray:
    """Labels from probabilities: the most probable, except that ``other`` needs ``other_threshold``."""
    classes = list(classes)
    proba = np.array(proba, dtype=float)
    if "other" in classes:
        k = classes.index("other")
        unsure = (proba.argmax(axis=1) == k) & (proba[:, k] < other_threshold)
        proba[unsure, k] = -1.0
    return np.asarray(classes, dtype=object)[proba.argmax(axis=1)]


# ---------------------------------------------------------------------------------- corpus

def load_corpus() -> pd.DataFrame:
    """The labelled corpus shipped with the kit (text, quadrant, polarity, locus, topic, ...)."""
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in CORPUS_PATHS if p.is_file()]
    corpus = pd.concat(frames, ignore_index=True)
    return corpus[corpus["text"].str.strip() != ""].reset_index(drop=True)


def training_set(extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The corpus plus a consultant's own coded statements (columns ``text``, ``quadrant``)."""
    corpus = load_corpus()[["text", "quadrant"]].assign(source="kit corpus")
    if extra is None or extra.empty:
        return corpus
    own = extra[["text", "quadrant"]].assign(source="engagement")
    own = own.assign(quadrant=own["quadrant"].str.strip().str.lower())
    return pd.concat([corpus, own], ignore_index=True)


def model_fingerprint(*parts: object) -> str:
    """What a model fitted on the shipped corpus depends on: corpus, cues, this code, scikit-learn, the kit."""
    import sklearn

    from .. import __version__

    return fingerprint([*CORPUS_PATHS, CUES_PATH, Path(__file__)], [sklearn.__version__, __version__, *parts])


@lru_cache(maxsize=4)
def default_classifier(seed: int = 0) -> SwotClassifier:
    """The classifier fitted on the shipped corpus: once per process, kept in the kit's disk cache
    between runs (:mod:`alliancekit.cache`; deterministic training, so a cached model is the model)."""
    def fit() -> SwotClassifier:
        corpus = training_set()
        return SwotClassifier(seed=seed).fit(corpus["text"], corpus["quadrant"])

    return cached("swot-classifier", model_fingerprint("quadrant", seed), fit)


def fit_classifier(extra: pd.DataFrame | None = None, seed: int = 0) -> SwotClassifier:
    """The default classifier, or one refitted with the engagement's own coded statements."""
    if extra is None or extra.empty:
        return default_classifier(seed)
    data = training_set(extra)
    return SwotClassifier(seed=seed).fit(data["text"], data["quadrant"])


def macro_f1(truth, predicted) -> float:
    """Macro-F1 over the four quadrants (``other`` answers count as misses)."""
    return float(f1_score(list(truth), list(predicted), labels=list(QUADRANTS), average="macro"))


def cross_validated_f1(data: pd.DataFrame, folds: int = 5, seed: int = 0) -> float:
    """Macro-F1 over the four quadrants of ``folds``-fold stratified cross-validation on ``data``.

    Kept in the kit's disk cache by the content of ``data``: the figure depends only on the
    training statements, the model code and the seed, and costs about 4 s to recompute.
    """
    def score() -> float:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        predicted = cross_val_predict(SwotClassifier(seed=seed), data["text"].tolist(), data["quadrant"].to_numpy(),
                                      cv=splitter)
        return macro_f1(data["quadrant"], predicted)

    content = "\x1f".join(f"{t}\x1e{q}" for t, q in zip(data["text"], data["quadrant"]))
    return cached("swot-cv-f1", model_fingerprint("cv", folds, seed, hashlib.sha256(content.encode()).hexdigest()), score)


def held_out_f1(classifier: SwotClassifier, path: Path) -> float | None:
    """Macro-F1 of ``classifier`` on the SWOT rows of a labelled file (text, quadrant) it never saw; None if absent."""
    if not Path(path).is_file():
        return None
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    data = data[data["quadrant"].isin(QUADRANTS)]
    return macro_f1(data["quadrant"], classifier.predict(data["text"]))


def classify_table(table: pd.DataFrame, text_column: str, classifier: SwotClassifier) -> pd.DataFrame:
    """``table`` with two columns added: ``quadrant`` and ``confidence`` (probability of that quadrant).

    Columns of ``table`` already called ``quadrant`` or ``confidence`` are kept as
    ``quadrant_input`` / ``confidence_input`` (e.g. the labels of a test set).
    """
    table = table.rename(columns={c: f"{c}_input" for c in ("quadrant", "confidence") if c in table.columns})
    texts = table[text_column].fillna("").astype(str)
    proba = classifier.predict_proba(texts)
    predicted = classifier.predict(texts)
    classes = list(classifier.classes_)
    confidence = [round(float(row[classes.index(q)]), 3) for row, q in zip(proba, predicted)]
    return table.assign(quadrant=predicted, confidence=confidence)
