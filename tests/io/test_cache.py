"""KIT_LOAD_CACHE: a second load of the same files reads the first one back."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

import kit
from kit.io import cache
from tests.conftest import SAMPLE


@pytest.fixture()
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


def _no_reading(monkeypatch):
    """Make any real load fail: a load that still succeeds came from the cache."""
    def boom(*a, **k):
        raise AssertionError("the files were read again")
    monkeypatch.setattr("kit.io.load.discover", boom)


def test_second_load_reads_the_cache_and_applies_as_of(data, cache_dir, monkeypatch):
    first = kit.load_dataset(data)
    assert len(list(cache_dir.glob("*.pkl"))) == 1
    _no_reading(monkeypatch)
    again = kit.load_dataset(data, as_of="2026-06-30 23:59")
    assert again.as_of == pd.Timestamp("2026-06-30 23:59")
    for name in first.tables:
        pd.testing.assert_frame_equal(again.tables[name], first.tables[name])
    # the same issues, plus the note of the rows after the as_of given (applied after the cache)
    late = again.issues["rule"] == "after_as_of"
    assert late.any() and not (first.issues["rule"] == "after_as_of").any()
    pd.testing.assert_frame_equal(again.issues[~late].reset_index(drop=True), first.issues)
    assert kit.load_dataset(data).as_of == first.as_of


def test_a_changed_file_or_option_is_loaded_again(data, cache_dir, monkeypatch):
    kit.load_dataset(data)
    key = cache.cache_key(data, {"preset": None, "mapping": None, "backend": "pandas", "strict": False,
                                 "locale": "auto", "timezone": "Europe/Paris", "currency": "EUR"})
    assert (cache_dir / f"{key}.pkl").exists()
    with open(data / "reps.csv", "a", encoding="utf-8") as f:
        f.write("R999,Zoé Nouvelle,Nord,,,\n")
    assert cache.cache_key(data, {"backend": "pandas"}) != cache.cache_key(data, {"backend": "polars"})
    reloaded = kit.load_dataset(data)
    assert "R999" in set(reloaded.reps["rep_id"])
    assert len(list(cache_dir.glob("*.pkl"))) == 2
    kit.load_dataset(data, locale="fr")
    assert len(list(cache_dir.glob("*.pkl"))) == 3


def test_duckdb_backend_dicts_and_urls_are_not_cached(data, cache_dir):
    kit.load_dataset(data, backend="duckdb")
    frames = {"leads": pd.DataFrame({"lead_id": ["L1"], "created_at": ["2026-01-05"]})}
    kit.load_dataset(frames)
    assert not cache_dir.exists() or not list(cache_dir.glob("*.pkl"))
    assert cache.cache_key("sqlite:///crm.db", {}) is None
    assert cache.cache_key(data / "nope", {}) is None


def test_without_the_variable_nothing_is_written(data, monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENV, raising=False)
    assert cache.cache_dir() is None
    kit.load_dataset(data)
    assert cache.read("anything") is None and cache.write("anything", None) is None


def test_an_unreadable_cache_file_is_ignored(data, cache_dir):
    kit.load_dataset(data)
    (pkl,) = cache_dir.glob("*.pkl")
    pkl.write_bytes(b"not a pickle")
    ds = kit.load_dataset(data)
    assert len(ds.leads) > 0
    assert os.path.getsize(pkl) > 100  # rewritten by the real load


def test_the_key_holds_the_mapping_file_currency_and_locale(tmp_path, cache_dir, monkeypatch):
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "leads.csv").write_text("Lead,Created\nL1,2026-01-05\nL2,2026-01-07\n")
    mapping = tmp_path / "crm.yaml"
    mapping.write_text("leads: {columns: {Lead: lead_id, Created: created_at}}\n")
    base = {"preset": None, "backend": "pandas", "strict": False, "locale": "auto",
            "timezone": "Europe/Paris", "currency": "EUR"}
    key = cache.cache_key(folder, {**base, "mapping": str(mapping)})
    assert key != cache.cache_key(folder, {**base, "mapping": str(mapping), "currency": "USD"})
    assert key != cache.cache_key(folder, {**base, "mapping": str(mapping), "locale": "en"})
    first = kit.load_dataset(folder, mapping=mapping, currency="USD")
    _no_reading(monkeypatch)
    again = kit.load_dataset(folder, mapping=mapping, currency="USD", as_of="2026-01-06")
    assert (again.currency, list(again.leads["lead_id"])) == ("USD", ["L1", "L2"])
    assert again.as_of == pd.Timestamp("2026-01-06") and first.as_of == pd.Timestamp("2026-01-07")
    # the mapping file changed: its key changed, the files are read again
    mapping.write_text("leads: {columns: {Lead: lead_id, Created: created_at}}\n# edited\n")
    assert cache.cache_key(folder, {**base, "mapping": str(mapping)}) != key
    with pytest.raises(AssertionError, match="the files were read again"):
        kit.load_dataset(folder, mapping=mapping, currency="USD")
