"""The pandas dtypes of the loaded tables (kit.dtypes): Arrow text, and categories for few values."""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from kit.dtypes import TEXT, conform
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample():
    return kit.load_dataset(SAMPLE)


def test_enums_and_added_columns_are_categories_of_text_in_sorted_order(sample):
    acts = sample.activities
    for c in ("type", "purpose", "direction", "team", "manager", "region"):
        dtype = acts[c].dtype
        assert isinstance(dtype, pd.CategoricalDtype), c
        cats = dtype.categories
        assert cats.dtype == TEXT and list(cats) == sorted(cats) and not dtype.ordered, c
    # identifiers and free text stay Arrow-backed text
    for c in ("activity_id", "rep_id", "lead_id", "outcome"):
        assert acts[c].dtype == TEXT, c
    assert isinstance(sample.orders["product_category"].dtype, pd.CategoricalDtype)


def test_categories_hold_the_same_values_and_missing_ones(sample):
    raw = pd.read_csv(SAMPLE / "activities.csv", dtype=str, keep_default_na=False, na_values=[""])
    got = sample.activities.set_index("activity_id")["type"]
    assert got.astype(object).tolist() == raw.set_index("activity_id")["type"].reindex(got.index).tolist()
    out = conform(pd.DataFrame({"activity_id": ["A1", "A2", "A3"], "direction": ["outbound", None, "inbound"]}),
                  "activities")
    assert out["direction"].isna().tolist() == [False, True, False]
    assert list(out["direction"].cat.categories) == ["inbound", "outbound"]
    # categories in any order, or none, come out sorted, of text
    unsorted = pd.Series(pd.Categorical(["b", None, "a"], categories=["b", "a"]))
    empty = pd.Series(pd.Categorical([None, None]))
    out = conform(pd.DataFrame({"type": unsorted, "direction": empty}), "activities")
    assert out["type"].tolist()[::2] == ["b", "a"] and list(out["type"].cat.categories) == ["a", "b"]
    assert out["type"].cat.categories.dtype == TEXT and out["direction"].isna().all()


def test_categories_shrink_a_long_table():
    n = 200_000
    df = pd.DataFrame({"activity_id": [f"A{i}" for i in range(n)],
                       "type": ["call", "email", "meeting", "visit"] * (n // 4)})
    out = conform(df, "activities")
    as_text = df["type"].astype(TEXT).memory_usage(deep=True)
    assert out["type"].memory_usage(deep=True) * 4 < as_text


def test_a_kpi_by_team_on_a_filtered_dataset_shows_only_the_teams_left(sample):
    # a category absent after a filter is no group (groupby observed=True everywhere)
    team = sorted(sample.activities["team"].dropna().unique())[0]
    one = sample.filter(team=team)
    assert len(one.activities["team"].cat.categories) > 1  # the filter keeps every category
    for name in ("call_to_meeting_rate", "win_rate", "revenue"):
        out = kit.compute(one, name, by="team")
        assert set(out["team"].dropna()) == {team}, name
        assert out["team"].dtype == object, name  # results hold Python text, on every engine
