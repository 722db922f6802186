"""The scorecard rows shared by the processes of a report through ``KIT_LOAD_CACHE`` (kit.io.cache).

``kit report`` computes the scorecard of the month in its own process (kpis.json) and
every notebook's kernel computes the rows it shows: with the load cache on, a row
of the same load, month, language and team is computed once and read back after.
Data that may differ (a dataset filtered another way, built from frames, another
team or language) is never read back.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import kit
import kit.scorecard as sc_module
from kit.errors import KitWarning
from kit.io import cache
from kit.scorecard import report_dataset, scorecard

MONTH = "2026-02"
NAMES = ["win_rate", "offer_loss_rate", "sales_cycle"]


@pytest.fixture
def folder(tmp_path):
    """A dataset folder with 80 opportunities closed in January and February 2026, two teams."""
    n = 80
    data = tmp_path / "data"
    data.mkdir()
    pd.DataFrame({
        "opportunity_id": [f"O{i}" for i in range(n)],
        "rep_id": ["R1", "R2"] * (n // 2),
        "status": ["won"] * 10 + ["lost"] * 30 + ["won"] * 30 + ["lost"] * 10,
        "created_at": ["2025-12-01"] * n,
        "closed_at": ["2026-01-10"] * 40 + ["2026-02-10"] * 40,
        "amount": [100.0] * n,
    }).to_csv(data / "opportunities.csv", index=False)
    pd.DataFrame({"rep_id": ["R1", "R2"], "team": ["Nord", "Sud"]}).to_csv(data / "reps.csv", index=False)
    return data


@pytest.fixture
def load_cache(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(path))
    return path


@pytest.fixture
def rows_computed(monkeypatch):
    """The KPIs whose row was computed (not read back), in order."""
    seen = []
    real = sc_module._row

    def counting(ds, spec, *args, **kwargs):
        seen.append(spec.name)
        return real(ds, spec, *args, **kwargs)

    monkeypatch.setattr(sc_module, "_row", counting)
    return seen


def _scorecard(ds, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KitWarning)
        return scorecard(ds, MONTH, names=NAMES, **kw)


def test_a_row_computed_once_is_read_back_by_another_load_of_the_same_files(folder, load_cache, rows_computed):
    first = _scorecard(report_dataset(kit.load_dataset(folder), MONTH))
    assert rows_computed == NAMES
    # another process of the report: the same files, loaded back from the cache
    again = _scorecard(report_dataset(kit.load_dataset(folder), MONTH))
    assert rows_computed == NAMES  # nothing computed again
    pd.testing.assert_frame_equal(first, again)
    assert first.set_index("name").loc["win_rate", "value"] == pytest.approx(0.75)


def test_rows_read_back_are_those_computed_without_the_cache(folder, load_cache, monkeypatch):
    shared = _scorecard(report_dataset(kit.load_dataset(folder), MONTH))
    shared = _scorecard(report_dataset(kit.load_dataset(folder), MONTH))  # read back
    monkeypatch.delenv(cache.ENV)
    alone = _scorecard(report_dataset(kit.load_dataset(folder), MONTH))
    pd.testing.assert_frame_equal(shared, alone)


def test_other_language_team_or_month_is_computed_again(folder, load_cache, rows_computed):
    ds = kit.load_dataset(folder)
    english = _scorecard(report_dataset(ds, MONTH))
    french = _scorecard(report_dataset(ds, MONTH), lang="fr")
    assert rows_computed == NAMES * 2
    assert english.set_index("name").loc["win_rate", "label"] == "Win rate"
    assert french.set_index("name").loc["win_rate", "label"] == "Taux de réussite"
    _scorecard(report_dataset(ds, MONTH, team="Nord"))
    _scorecard(report_dataset(ds, MONTH), team="Sud")
    assert rows_computed == NAMES * 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KitWarning)
        scorecard(report_dataset(ds, "2026-01"), "2026-01", names=NAMES)
    assert rows_computed == NAMES * 5


def test_data_that_may_differ_is_never_read_back(folder, load_cache, rows_computed):
    ds = kit.load_dataset(folder)
    _scorecard(report_dataset(ds, MONTH))
    # filtered another way, another as_of, or frames: no key, computed each time
    _scorecard(ds.filter(end="2026-03-01"))
    _scorecard(kit.load_dataset(folder, as_of="2026-02-20"))
    frames = {"opportunities": ds.opportunities, "reps": ds.reps}
    _scorecard(kit.Dataset(frames))
    assert rows_computed == NAMES * 4
    assert cache.dataset_key(ds.filter(end="2026-03-01")) is None


def test_without_the_load_cache_nothing_is_written(folder, tmp_path, monkeypatch, rows_computed):
    monkeypatch.delenv(cache.ENV, raising=False)
    ds = kit.load_dataset(folder)
    assert cache.dataset_key(ds) is not None  # the load is known...
    _scorecard(report_dataset(ds, MONTH))
    _scorecard(report_dataset(ds, MONTH))
    assert rows_computed == NAMES * 2  # ...but rows are shared only through KIT_LOAD_CACHE


@pytest.fixture
def failing_kpi():
    """A KPI that fails on the data (DataError), registered for one test."""
    @kit.registry.kpi(name="t_fails", family="test", label={"en": "Fails", "fr": "Échoue"}, unit="count",
                      direction="higher", definition={"en": "Test.", "fr": "Test."},
                      tables=("opportunities",), date="opportunities.created_at", headline=False)
    def t_fails(opportunities, *, start=None, end=None):
        raise kit.errors.DataError("no usable rows")

    yield "t_fails"
    kit.registry.unregister("t_fails")


def test_a_kpi_that_failed_still_warns_when_read_back(folder, load_cache, failing_kpi, rows_computed):
    for _ in range(2):  # computed, then read back
        with pytest.warns(KitWarning, match=r"no value for t_fails \(no usable rows\)"):
            out = scorecard(report_dataset(kit.load_dataset(folder), MONTH), MONTH, names=[failing_kpi])
        assert out.attrs["skipped"] == {"t_fails": "no usable rows"}
        assert out.set_index("name").loc["t_fails", "status"] == "nodata"
    assert rows_computed == ["t_fails"]
