"""Generation of the thirteen tables: parameters, order of the draws, assembly.

Examples
--------
>>> tables = build_arrow(seed=1, end="2026-10", leads=500)
>>> tables["leads"].num_rows, tables["reps"].num_rows
(500, 12)
"""

from __future__ import annotations

import numpy as np

from kit.contract import TABLE_NAMES
from kit.errors import ParameterError
from kit.sample.activities import simulate_activities
from kit.sample.columns import ids, to_pandas
from kit.sample.costs import costs_table, targets_table
from kit.sample.reference import LEADS_PER_MONTH, Products, Reps
from kit.sample.returns import returns_rng, simulate_returns
from kit.sample.simulate import (
    simulate_customers, simulate_leads, simulate_opportunities, simulate_orders, simulate_referrals,
)
from kit.sample.social import social_table
from kit.sample.surveys import surveys_table
from kit.sample.tables import (
    activities_table, customers_table, lead_ids, leads_table, opportunities_table, opportunity_ids,
    orders_table, referrals_table, stage_history_table,
)
from kit.sample.timeline import MONTHS, window

DEFAULT_SEED = 7
DEFAULT_END = "2026-10"
DEFAULT_LEADS = 5400
MIN_LEADS = 500


def generate(seed: int = DEFAULT_SEED, end: str = DEFAULT_END, leads: int | None = None) -> dict:
    """Generate the thirteen tables of the sample dataset.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed and ``end`` give the same tables.
    end : str
        Last month of the data, ``"YYYY-MM"``; the data covers the 36 months up to
        the end of that month (November 2023 to October 2026 by default, so that
        the calendar years 2024 and 2025 are complete). Four earlier months are
        simulated but not written, so that the pipeline is full from the first
        month: opportunities still open when the data starts are kept, created
        earlier and without a lead.
    leads : int, optional
        Number of leads (default 4,500, at least 500). Activities, opportunities,
        customers, orders and costs scale with it; reps, products and social posts
        do not.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per table of :data:`kit.contract.TABLE_NAMES`, with exactly the
        contract columns, sorted by key. Identifiers and labels are strings
        (``object``), times naive ``datetime64[ns]``, money ``float64`` rounded to
        the cent.

    Raises
    ------
    ParameterError
        On a seed that is not a non-negative integer, an ``end`` that is not
        ``YYYY-MM`` or fewer than 500 leads.

    Examples
    --------
    >>> import pandas as pd
    >>> t = generate(seed=3, end="2025-06", leads=600)
    >>> t["orders"]["ordered_at"].max() < pd.Timestamp("2025-07-01")
    True
    >>> sorted(t["opportunities"]["status"].unique())
    ['lost', 'open', 'won']
    """
    tables = build_arrow(seed, end, leads)
    return {name: to_pandas(name, tables.pop(name)) for name in TABLE_NAMES}


def build_arrow(seed: int = DEFAULT_SEED, end: str = DEFAULT_END, leads: int | None = None) -> dict:
    """The tables of :func:`generate` as :class:`pyarrow.Table` (same parameters and errors).

    Faster and lighter than pandas frames for large samples: strings stay in Arrow
    buffers. Times are ``timestamp[ns]``, text ``string``.
    """
    seed = check_seed(seed)
    w = window(end)
    n_leads = check_leads(leads)
    rng = np.random.default_rng(seed)
    scale = n_leads / (LEADS_PER_MONTH * MONTHS)
    reps = Reps(w)
    products = Products(w)
    lead = simulate_leads(rng, w, reps, n_leads)
    opp = simulate_opportunities(rng, w, reps, lead)
    cust = simulate_customers(rng, w, reps, lead, opp, scale)
    refs = simulate_referrals(rng, w, lead, cust)
    orders = simulate_orders(rng, w, products, opp, cust)
    acts = simulate_activities(rng, w, reps, lead, opp, cust)
    lead.ids = lead_ids(lead)
    opp.ids = opportunity_ids(opp)
    cust.ids = ids("C", cust.n, 5)
    tables = {
        "leads": leads_table(w, reps, lead, cust),
        "activities": activities_table(reps, lead, opp, cust, acts),
        "opportunities": opportunities_table(reps, products, lead, opp, cust),
        "stage_history": stage_history_table(opp),
        "orders": orders_table(reps, products, opp, cust, orders,
                               simulate_returns(returns_rng(seed), w, products, orders)),
        "customers": customers_table(cust),
        "surveys": surveys_table(rng, w, orders, cust),
        "costs": costs_table(rng, w, reps, lead, cust, refs, orders, acts, scale),
        "referrals": referrals_table(lead, cust, refs),
        "targets": targets_table(w, reps, opp, orders),
        "reps": reps.table(),
        "products": products.table(),
        "social": social_table(rng, w),
    }
    return {name: tables[name] for name in TABLE_NAMES}


def check_seed(seed) -> int:
    """The seed as an int, or a :class:`ParameterError`."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(
            f"seed must be a non-negative integer; received {seed!r}. Pass e.g. seed=7."
        )
    return int(seed)


def check_leads(leads) -> int:
    """The number of leads (default when ``None``), or a :class:`ParameterError`."""
    if leads is None:
        return DEFAULT_LEADS
    if isinstance(leads, (bool, np.bool_)) or not isinstance(leads, (int, np.integer)) or leads < MIN_LEADS:
        raise ParameterError(
            f"leads must be an integer of at least {MIN_LEADS}; received {leads!r}. "
            f"Leave it out for the default ({DEFAULT_LEADS}) or pass e.g. leads=100000."
        )
    return int(leads)


__all__ = ["generate", "build_arrow", "DEFAULT_SEED", "DEFAULT_END", "DEFAULT_LEADS", "MIN_LEADS"]
