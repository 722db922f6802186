"""Returns: credit notes giving back some lines of the orders, days after delivery.

About 3 % of the orders are sent back in part or in full: consumables and hardware
come back most (wrong cartridges, a faulty printer), maintenance contracts and
software hardly ever. A credit note is an order of its own (negative amounts,
quantities and costs, ``returned_order_id`` set), dated 2 to about 40 days after the
order it gives back. The draws use their own random generator, so the other tables
of a seed are the same with or without returns.
"""

from __future__ import annotations

import numpy as np

from kit.sample.columns import Sim
from kit.sample.reference import CATEGORIES
from kit.sample.timeline import DAY, office

#: Chance that an order line is returned, by product category (CATEGORIES order).
LINE_RETURN = dict(zip(CATEGORIES, (0.030, 0.006, 0.004, 0.012, 0.045)))
#: Chance that a whole order is sent back (a cancelled delivery).
FULL_RETURN = 0.008
#: Entropy added to the seed for the returns' own random generator.
STREAM = 19


def returns_rng(seed: int) -> np.random.Generator:
    """The random generator of the returns of ``seed`` (independent of the other draws)."""
    return np.random.default_rng([int(seed), STREAM])


def simulate_returns(rng, w, products, o) -> Sim:
    """Credit notes for the orders ``o`` (see the module docstring).

    Returns a :class:`Sim` with ``n`` credit notes, ``at``, ``customer``, ``rep``,
    ``of`` (index of the order given back) and ``lines`` (``order``, ``product``,
    ``qty``, ``amount``, ``cost``, all negative but the indexes).
    """
    ln = o.lines
    share = np.array([LINE_RETURN[c] for c in CATEGORIES])
    full = rng.random(o.n) < FULL_RETURN
    picked = full[ln.order] | (rng.random(len(ln.order)) < share[products.category[ln.product]])
    at = office(o.at + ((2 + rng.gamma(2.0, 8.0, o.n)) * DAY).astype(np.int64))
    picked &= (at[ln.order] <= w.end) & (products.retire[ln.product] > at[ln.order])
    # a partial return gives back part of the quantity of a line; a full one all of it
    part = rng.random(len(ln.order))
    qty = np.where(full[ln.order], ln.qty, 1 + np.floor(part * ln.qty).astype(np.int64))
    share_back = qty / ln.qty
    idx = np.flatnonzero(picked)
    of, credit = np.unique(ln.order[idx], return_inverse=True)
    return Sim(
        n=len(of), at=at[of], customer=o.customer[of], rep=o.rep[of], of=of,
        lines=Sim(order=credit, product=ln.product[idx], qty=-qty[idx],
                  amount=-np.round(ln.amount[idx] * share_back[idx], 2),
                  cost=-np.round(ln.cost[idx] * share_back[idx], 2)),
    )


__all__ = ["FULL_RETURN", "LINE_RETURN", "returns_rng", "simulate_returns"]
