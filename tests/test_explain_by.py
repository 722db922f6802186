"""Default groupings of the "why it moved" explanations (kit.explain_by)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import kit
from kit import registry
from kit.explain import DECOMPOSABLE, decompose, explain_change
from kit.explain_by import WHY_BY, default_grouping, groupings, largest_contributions
from tests.conftest import SAMPLE, to_engine


def test_every_decomposable_kpi_declares_its_groupings_once():
    assert set(WHY_BY) == set(DECOMPOSABLE)
    for name, columns in WHY_BY.items():
        assert columns and len(set(columns)) == len(columns), name
        assert registry.get(name).tables, name


def opps() -> pd.DataFrame:
    return pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
                         "team": ["Nord", "Nord", "Nord"], "method": ["démo", None, "démo"],
                         "region": ["Est", "Ouest", "Est"],
                         "closed_at": pd.to_datetime(["2026-09-03", "2026-10-04", "2026-10-05"])})


@pytest.mark.parametrize("engine", ["pandas", "polars", "duckdb"])
def test_groupings_keep_the_columns_of_the_kpis_table_with_two_values_or_more(engine):
    ds = kit.Dataset({"opportunities": to_engine(opps(), engine)})
    # no source column; one team only (a team's report); a missing method is a value of its own
    assert groupings(ds, "win_rate") == ["method", "region"]
    assert default_grouping(ds, "win_rate") == "method"


def test_no_grouping_for_a_kpi_that_does_not_split_or_whose_table_is_missing():
    ds = kit.Dataset({"opportunities": opps()})
    assert groupings(ds, "sales_cycle") == [] and default_grouping(ds, "sales_cycle") is None
    assert groupings(ds, "revenue") == [] and default_grouping(ds, "leads_generated") is None


@pytest.fixture(scope="module")
def sample():
    return kit.load_dataset(SAMPLE)


def test_the_default_grouping_of_every_headline_kpi_splits_the_sample(sample):
    """A ratio over orders grouped by product category would overlap (an order holds lines of
    several categories): the defaults avoid it, and every split adds up to the change."""
    for spec in registry.specs():
        if not spec.headline or spec.name not in DECOMPOSABLE:
            continue
        by = default_grouping(sample, spec.name)
        if spec.name == "csat":  # surveys have no grouping column in the sample
            assert by is None
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = explain_change(sample, spec.name, by=by, month="2026-10", n_boot=0)
        assert res["contribution"].sum() == pytest.approx(res.attrs["change"], abs=1e-6), spec.name
    with pytest.raises(kit.KitError, match="the groups overlap"):
        explain_change(sample, "average_basket", by="product_category", month="2026-10", n_boot=0)


def test_largest_contributions_keeps_the_three_largest_that_moved():
    prev = pd.DataFrame({"g": ["a", "b", "c", "d", None], "u": [1, 2, 3, 4, 5],
                         "value": [5.0, 1.0, 2.0, 4.0, 1.0]})
    cur = pd.DataFrame({"g": ["a", "b", "c", "d", None], "u": [6, 7, 8, 9, 10],
                        "value": [1.0, 3.0, 2.0, 4.0, 0.5]})
    res = decompose(prev, cur, by=["g"], unit="u", kind="sum", n_boot=0)
    out = largest_contributions(res, missing="(vide)")
    assert [(c["group"], c["contribution"]) for c in out] == [("a", -4.0), ("b", 2.0), ("(vide)", -0.5)]
    assert {c["by"] for c in out} == {"g"} and out[0]["ci_low"] is None
    assert largest_contributions(res, top=1) == out[:1]
    same = decompose(prev, prev.assign(u=prev["u"] + 5), by=["g"], unit="u", kind="sum", n_boot=0)
    assert largest_contributions(same) == []  # nothing moved
