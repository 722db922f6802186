"""Dataset.filter: results, lazy per-table filtering, errors."""

import pandas as pd
import pytest

import kit
from kit.dataset import Dataset, FilteredTables
from kit.errors import DataError
from tests.kpis.golden import sample_dataset


@pytest.fixture()
def ds():
    leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "team": ["Nord", "Sud", None],
                          "created_at": pd.to_datetime(["2026-01-05", "2026-02-05", "2026-03-05"])})
    reps = pd.DataFrame({"rep_id": ["R1"], "team": ["Nord"]})
    return Dataset({"leads": leads, "reps": reps})


def test_filter_is_lazy_per_table(ds):
    f = ds.filter(team="Sud")
    assert isinstance(f.tables, FilteredTables) and f.tables.filtered == []
    assert f.leads["lead_id"].tolist() == ["L2"]
    assert f.tables.filtered == ["leads"]
    assert f.reps.empty and sorted(f.tables.filtered) == ["leads", "reps"]


def test_filter_of_filter_reads_only_what_is_asked(ds):
    f = ds.filter(start="2026-02-01").filter(team=["Sud", None])
    assert f.tables.filtered == [] and f.tables._source.filtered == []
    assert f.leads["lead_id"].tolist() == ["L2", "L3"]
    assert f.tables._source.filtered == ["leads"]


def test_filter_results_equal_eager_filter(ds):
    f = ds.filter(start="2026-02-01", end="2026-03-01", team="Sud")
    assert f.leads["lead_id"].tolist() == ["L2"]
    assert f.as_of == pd.Timestamp("2026-03-01") - pd.Timedelta(microseconds=1)
    assert set(f.tables) == {"leads", "reps"} and len(f.tables) == 2


def test_filter_unknown_column_message(ds):
    with pytest.raises(DataError, match=r"filter\(tem=\.\.\.\): no table has a column 'tem'.*team"):
        ds.filter(tem="Nord")


def test_compute_on_filtered_sample_reads_only_its_tables():
    f = sample_dataset().filter(team="Nord")
    kit.compute(f, "revenue")
    spec = kit.registry.get("revenue")
    assert set(f.tables.filtered) <= set(spec.tables) | {"reps"}
