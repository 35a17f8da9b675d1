"""The disk cache of results that depend only on shipped files (partner_swot's fitted models)."""

from __future__ import annotations

import numpy as np
import pytest

from alliancekit import cache
from alliancekit.feedback import classify


@pytest.fixture
def cache_at(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCEKIT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_cached_value_is_computed_once_per_key(cache_at):
    calls = []
    compute = lambda: calls.append(1) or {"value": len(calls)}  # noqa: E731
    assert cache.cached("thing", "k1", compute) == {"value": 1}
    assert cache.cached("thing", "k1", compute) == {"value": 1}
    assert cache.cached("thing", "k2", compute) == {"value": 2}
    assert len(calls) == 2 and len(list(cache_at.glob("thing-*.pickle"))) == 2


def test_a_broken_entry_or_an_unwritable_folder_only_costs_a_recompute(cache_at, tmp_path, monkeypatch):
    cache.cached("thing", "k", lambda: 1)
    next(cache_at.glob("thing-*.pickle")).write_bytes(b"not a pickle")
    assert cache.cached("thing", "k", lambda: 2) == 2
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("ALLIANCEKIT_CACHE", str(blocker / "cache"))  # cannot be created
    assert cache.cached("thing", "k", lambda: 3) == 3


def test_off_turns_the_cache_off(monkeypatch, tmp_path):
    monkeypatch.setenv("ALLIANCEKIT_CACHE", "off")
    assert cache.cache_dir() is None
    calls = []
    for _ in range(2):
        cache.cached("thing", "k", lambda: calls.append(1))
    assert len(calls) == 2


def test_fingerprint_changes_with_file_content_and_parts(tmp_path):
    data = tmp_path / "corpus.csv"
    data.write_text("a")
    first = cache.fingerprint([data], ["1.0"])
    assert cache.fingerprint([data], ["1.0"]) == first
    assert cache.fingerprint([data], ["1.1"]) != first
    data.write_text("b")
    assert cache.fingerprint([data], ["1.0"]) != first


def test_cached_swot_classifier_predicts_as_a_fresh_fit(cache_at):
    classify.default_classifier.cache_clear()
    fitted = classify.default_classifier(0)  # fitted and written
    classify.default_classifier.cache_clear()
    loaded = classify.default_classifier(0)  # read back from disk
    assert loaded is not fitted and list(cache_at.glob("swot-classifier-*.pickle"))
    texts = ["Their field team never returns our calls.", "A new regulation opens the public sector to us."]
    np.testing.assert_allclose(loaded.predict_proba(texts), fitted.predict_proba(texts))
    assert list(loaded.predict(texts)) == list(fitted.predict(texts))
