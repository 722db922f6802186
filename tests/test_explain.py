"""kit.explain: hand-computed splits on literal frames (every engine), properties, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kit
from kit.errors import DataError, KitError, ParameterError
from kit.explain import DECOMPOSABLE, decompose, decomposable, explain_change, waterfall_steps
from tests.kpis.helpers import assert_rows, convert

SEP, OCT = "2026-09-10", "2026-10-10"


def opportunities(rows):
    """``rows``: (group, month date, won?) -> an opportunities table."""
    return pd.DataFrame({
        "opportunity_id": [f"O{i:03d}" for i in range(len(rows))],
        "team": [g for g, _, _ in rows],
        "status": ["won" if w else "lost" for _, _, w in rows],
        "closed_at": pd.to_datetime([d for _, d, _ in rows]),
    })


def many(group, date, won, lost):
    return [(group, date, True)] * won + [(group, date, False)] * lost


def dataset(engine, **tables):
    return kit.Dataset(convert(engine, **tables), backend=engine)


# ---------------------------------------------------------------------------
# ratio KPI, by hand
# ---------------------------------------------------------------------------

def test_two_groups_by_hand(engine):
    # Sep: A 2/4 (w 0.4), B 1/6 (w 0.6) -> 0.3; Oct: A 2/2 (w 0.2), B 2/8 (w 0.8) -> 0.4
    opps = opportunities(many("A", SEP, 2, 2) + many("B", SEP, 1, 5) + many("A", OCT, 2, 0)
                         + many("B", OCT, 2, 6))
    out = explain_change(dataset(engine, opportunities=opps), "win_rate", by="team", month="2026-10",
                         n_boot=50)
    assert list(out.columns) == ["team", "denominator_previous", "denominator_current", "value_previous",
                                 "value_current", "rate_effect", "mix_effect", "contribution",
                                 "ci_low", "ci_high"]
    assert_rows(out, {
        "team": ["B", "A"],
        "denominator_previous": [6.0, 4.0], "denominator_current": [8.0, 2.0],
        "value_previous": [1 / 6, 0.5], "value_current": [0.25, 1.0],
        # B: (0.6 + 0.8) / 2 * (0.25 - 1/6) and (0.8 - 0.6) * (1/6 + 0.25) / 2
        "rate_effect": [0.7 / 12, 0.15], "mix_effect": [0.2 * 5 / 24, -0.15],
        "contribution": [0.1, 0.0],
    })
    assert out.attrs["total_previous"] == pytest.approx(0.3)
    assert out.attrs["total_current"] == pytest.approx(0.4)
    assert out.attrs["change"] == pytest.approx(0.1)
    assert out.attrs["rate_effect"] + out.attrs["mix_effect"] == pytest.approx(0.1)
    assert (out["ci_low"] <= out["contribution"]).all() and (out["contribution"] <= out["ci_high"]).all()


def test_three_groups_one_appears_one_disappears(engine):
    # Sep: A 1/2, B 2/2, C 1/1 -> 4/5; Oct: A 3/3, B 0/1, D 1/4 -> 4/8 (C gone, D new)
    opps = opportunities(many("A", SEP, 1, 1) + many("B", SEP, 2, 0) + many("C", SEP, 1, 0)
                         + many("A", OCT, 3, 0) + many("B", OCT, 0, 1) + many("D", OCT, 1, 3))
    out = explain_change(dataset(engine, opportunities=opps), "win_rate", by="team", month="2026-10",
                         n_boot=0)
    assert_rows(out, {
        "team": ["B", "C", "A", "D"],
        "denominator_previous": [2.0, 1.0, 2.0, 0.0], "denominator_current": [1.0, 0.0, 3.0, 4.0],
        "value_previous": [1.0, 1.0, 0.5, np.nan], "value_current": [0.0, np.nan, 1.0, 0.25],
        # A: (0.4 + 0.375) / 2 * 0.5 and -0.025 * 1.5 / 2; C, D: rate 0, mix w1 r1 - w0 r0
        "rate_effect": [-0.2625, 0.0, 0.19375, 0.0],
        "mix_effect": [-0.1375, -0.2, -0.01875, 0.125],
        "contribution": [-0.4, -0.2, 0.175, 0.125],
        "ci_low": [np.nan] * 4, "ci_high": [np.nan] * 4,
    })
    assert out["contribution"].sum() == pytest.approx(0.5 - 0.8)


def test_same_year_before(engine):
    opps = opportunities(many("A", "2025-10-03", 1, 1) + many("A", SEP, 5, 0) + many("A", OCT, 1, 0))
    out = explain_change(dataset(engine, opportunities=opps), "win_rate", by=["team"], month="2026-10",
                         against="last_year", n_boot=0)
    assert out.attrs["previous_month"] == pd.Timestamp("2025-10-01")
    assert_rows(out, {"team": ["A"], "value_previous": [0.5], "value_current": [1.0],
                      "rate_effect": [0.5], "mix_effect": [0.0]})


# ---------------------------------------------------------------------------
# revenue, by hand
# ---------------------------------------------------------------------------

def orders():
    rows = [("O1", SEP, "x", 100.0), ("O2", SEP, "x", 50.0), ("O3", SEP, "y", 60.0),
            ("O4", OCT, "x", 90.0), ("O5", OCT, "y", 40.0), ("O5", OCT, "x", 10.0),
            ("O6", OCT, "y", 80.0), ("O7", OCT, "z", 20.0)]
    return pd.DataFrame({"order_id": [r[0] for r in rows], "ordered_at": pd.to_datetime([r[1] for r in rows]),
                         "product_category": [r[2] for r in rows], "amount": [r[3] for r in rows]})


def test_revenue_by_hand(engine):
    # Sep: x 2 orders 150 (basket 75), y 1 order 60; Oct: x 2 orders 100 (O4, O5's line: basket 50),
    # y 2 orders 120 (basket 60), z 1 order 20 (new)
    out = explain_change(dataset(engine, orders=orders()), "revenue", by="product_category",
                         month="2026-10", n_boot=50)
    assert list(out.columns) == ["product_category", "orders_previous", "orders_current", "value_previous",
                                 "value_current", "volume_effect", "basket_effect", "contribution",
                                 "ci_low", "ci_high"]
    assert_rows(out, {
        "product_category": ["y", "x", "z"],
        "orders_previous": [1, 2, 0], "orders_current": [2, 2, 1],
        "value_previous": [60.0, 150.0, 0.0], "value_current": [120.0, 100.0, 20.0],
        # y: (2 - 1) * (60 + 60) / 2; x: (50 - 75) * (2 + 2) / 2; z appears: all volume
        "volume_effect": [60.0, 0.0, 20.0], "basket_effect": [0.0, -50.0, 0.0],
        "contribution": [60.0, -50.0, 20.0],
    })
    assert (out.attrs["total_previous"], out.attrs["total_current"], out.attrs["change"]) == (210.0, 240.0, 30.0)


def test_plain_sum_by_hand(engine):
    leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3", "L4", "L5"],
                          "source": ["web", "web", "salon", "web", "salon"],
                          "created_at": pd.to_datetime([SEP, SEP, SEP, OCT, "2026-10-20"])})
    out = explain_change(dataset(engine, leads=leads), "leads_generated", by="source", month="2026-10",
                         n_boot=0)
    assert list(out.columns) == ["source", "value_previous", "value_current", "contribution",
                                 "ci_low", "ci_high"]
    assert_rows(out, {"source": ["web", "salon"], "value_previous": [2.0, 1.0],
                      "value_current": [1.0, 1.0], "contribution": [-1.0, 0.0]})
    assert out.attrs["change"] == -1.0


def test_same_result_and_intervals_on_every_engine():
    opps = opportunities(many("A", SEP, 7, 5) + many("B", SEP, 3, 9) + many(None, SEP, 2, 2)
                         + many("A", OCT, 4, 8) + many("B", OCT, 6, 4) + many(None, OCT, 1, 0))
    got = {e: explain_change(dataset(e, opportunities=opps), "win_rate", by="team", month="2026-10",
                             n_boot=200, seed=3) for e in ("pandas", "polars", "duckdb")}
    for e in ("polars", "duckdb"):
        pd.testing.assert_frame_equal(got[e], got["pandas"], check_dtype=False)
    again = explain_change(dataset("pandas", opportunities=opps), "win_rate", by="team",
                           month="2026-10", n_boot=200, seed=3)
    pd.testing.assert_frame_equal(again, got["pandas"])
    other = explain_change(dataset("pandas", opportunities=opps), "win_rate", by="team",
                           month="2026-10", n_boot=200, seed=4)
    assert not np.allclose(other["ci_low"], got["pandas"]["ci_low"])
    assert got["pandas"]["team"].isna().sum() == 1  # the empty group is a group


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------

def test_kpis_that_do_not_decompose_say_so_and_list_those_that_do():
    ds = kit.Dataset({"opportunities": opportunities(many("A", OCT, 1, 1))})
    with pytest.raises(KitError, match=r"'sales_cycle' does not decompose.*median.*: .*win_rate"):
        explain_change(ds, "sales_cycle", by="team", month="2026-10")
    with pytest.raises(KitError, match=r"'pipeline_velocity' does not decompose.*composite.*revenue"):
        explain_change(ds, "pipeline_velocity", by="team", month="2026-10")
    assert set(decomposable()) == set(DECOMPOSABLE)
    for name in decomposable():  # every KPI listed is a registered sum or ratio
        assert kit.registry.get(name).unit in ("ratio", "currency", "count")


def test_overlapping_groups_of_a_ratio_are_refused():
    o = orders()
    with pytest.raises(KitError, match=r"groups overlap \(1 order_id in more than one group, e\.g\. 'O5'\)"):
        explain_change(kit.Dataset({"orders": o}), "average_basket", by="product_category", month="2026-10")


def test_month_without_units_is_unknown_not_zero():
    ds = kit.Dataset({"opportunities": opportunities(many("A", OCT, 1, 1))})
    with pytest.raises(DataError, match=r"no opportunity in 2026-09.*unknown, not zero"):
        explain_change(ds, "win_rate", by="team", month="2026-10")


def test_bad_parameters():
    ds = kit.Dataset({"opportunities": opportunities(many("A", SEP, 1, 1) + many("A", OCT, 1, 1))})
    with pytest.raises(ParameterError, match=r"against='year'.*'previous', 'last_year'"):
        explain_change(ds, "win_rate", by="team", month="2026-10", against="year")
    with pytest.raises(ParameterError, match=r"sets \['freq'\] itself"):
        explain_change(ds, "win_rate", by="team", month="2026-10", freq="M")
    with pytest.raises(ParameterError, match=r"month='octobre' is not a month"):
        explain_change(ds, "win_rate", by="team", month="octobre")
    with pytest.raises(ParameterError, match=r"by=None is not allowed"):
        explain_change(ds, "win_rate", by=None, month="2026-10")
    with pytest.raises(ParameterError, match=r"level=1.5"):
        explain_change(ds, "win_rate", by="team", month="2026-10", level=1.5)


# ---------------------------------------------------------------------------
# waterfall steps
# ---------------------------------------------------------------------------

def test_waterfall_steps_go_from_previous_to_current():
    opps = opportunities(many("A", SEP, 1, 1) + many("B", SEP, 2, 0) + many("C", SEP, 1, 0)
                         + many("A", OCT, 3, 0) + many("B", OCT, 0, 1) + many("D", OCT, 1, 3))
    out = explain_change(kit.Dataset({"opportunities": opps}), "win_rate", by="team", month="2026-10",
                         n_boot=0)
    steps = waterfall_steps(out, top=2)
    assert steps["step"].tolist() == ["previous", "group", "group", "others", "mix", "current"]
    assert steps["group"].tolist()[1:3] == ["B", "A"]  # largest rate effects
    assert steps["delta"].tolist()[1:5] == pytest.approx([-0.2625, 0.19375, 0.0, -0.23125])
    assert steps["end"].iloc[-2] == pytest.approx(steps["end"].iloc[-1]) == pytest.approx(0.5)
    assert (steps["start"].iloc[1:-1].to_numpy() == steps["end"].iloc[:-2].to_numpy()).all()
    with pytest.raises(ParameterError, match="top=0"):
        waterfall_steps(out, top=0)


# ---------------------------------------------------------------------------
# properties and coverage
# ---------------------------------------------------------------------------

unit_rows = st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 3),
                               st.integers(1, 4)), min_size=1, max_size=25)


def _frame(rows, offset):
    return pd.DataFrame({"g": [g for g, _, _ in rows], "u": [offset + i for i in range(len(rows))],
                         "numerator": [float(min(n, d)) for _, n, d in rows],
                         "denominator": [float(d) for _, _, d in rows],
                         "value": [float(n * d) for _, n, d in rows]})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit_rows, unit_rows)
def test_contributions_add_up_to_the_change(prev_rows, cur_rows):
    prev, cur = _frame(prev_rows, 0), _frame(cur_rows, 1000)
    r = decompose(prev, cur, by=["g"], unit="u", n_boot=20)
    change = cur["numerator"].sum() / cur["denominator"].sum() - prev["numerator"].sum() / prev["denominator"].sum()
    assert r["contribution"].sum() == pytest.approx(change, abs=1e-12)
    assert (r["rate_effect"] + r["mix_effect"]).to_numpy() == pytest.approx(r["contribution"].to_numpy())
    one_month = (r["denominator_previous"] == 0) | (r["denominator_current"] == 0)
    assert (r.loc[one_month, "rate_effect"] == 0).all()
    s = decompose(prev, cur, by=["g"], unit="u", kind="sum", volume=True, n_boot=20)
    assert s["contribution"].sum() == pytest.approx(cur["value"].sum() - prev["value"].sum(), abs=1e-9)
    assert (s["volume_effect"] + s["basket_effect"]).to_numpy() == pytest.approx(s["contribution"].to_numpy())


def test_bootstrap_interval_covers_the_true_effect_at_its_nominal_rate():
    """100 simulated month pairs: Poisson numbers of units per group, Bernoulli outcomes.

    The true contribution of a group is ``w1 p1 - w0 p0`` with ``w`` its expected
    share and ``p`` its rate. A 90 % interval should cover it about 90 % of the time.
    """
    rng = np.random.default_rng(20261203)
    lam = {"prev": np.array([120.0, 60.0, 40.0]), "cur": np.array([80.0, 90.0, 40.0])}
    p = {"prev": np.array([0.30, 0.15, 0.50]), "cur": np.array([0.25, 0.15, 0.55])}
    truth = lam["cur"] / lam["cur"].sum() * p["cur"] - lam["prev"] / lam["prev"].sum() * p["prev"]
    covered, n = 0, 0
    for sim in range(100):
        frames = []
        for k, offset in (("prev", 0), ("cur", 10_000)):
            sizes = rng.poisson(lam[k])
            g = np.repeat(np.array(["a", "b", "c"]), sizes)
            won = rng.random(len(g)) < np.repeat(p[k], sizes)
            frames.append(pd.DataFrame({"g": g, "u": offset + np.arange(len(g)),
                                        "numerator": won.astype(float), "denominator": 1.0}))
        r = decompose(*frames, by=["g"], unit="u", n_boot=150, level=0.9, seed=sim)
        r = r.set_index("g").reindex(["a", "b", "c"])
        t = pd.Series(truth, index=["a", "b", "c"])
        covered += int(((r["ci_low"] <= t) & (t <= r["ci_high"])).sum())
        n += 3
    print(f"coverage of the 90% intervals: {covered / n:.3f} over {n}")
    assert 0.84 <= covered / n <= 0.96, covered / n


# ---------------------------------------------------------------------------
# every KPI that decomposes, on the sample: the split agrees with the KPI itself
# ---------------------------------------------------------------------------

#: ``(by, month)`` where ``team`` is not a column or the month has no complete cohort.
SAMPLE_CASE = {"social_engagement_rate": ("network", "2026-10"), "csat": ("kind", "2026-10"),
               "referral_rate": ("source", "2026-03")}


@pytest.mark.parametrize("name", sorted(DECOMPOSABLE))
def test_split_agrees_with_the_kpi_on_the_sample(name):
    from tests.kpis.golden import sample_dataset

    by, month = SAMPLE_CASE.get(name, ("team", "2026-10"))
    ds = sample_dataset()
    out = explain_change(ds, name, by=by, month=month, n_boot=20)
    current = pd.Timestamp(month)
    for start, total in ((current - pd.DateOffset(months=1), "total_previous"), (current, "total_current")):
        value = kit.compute(ds, name, start=start, end=start + pd.DateOffset(months=1))["value"].iloc[0]
        assert out.attrs[total] == pytest.approx(float(value), rel=1e-9), (name, start)
    assert out["contribution"].sum() == pytest.approx(out.attrs["change"], abs=1e-9)
