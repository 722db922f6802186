"""The entity tables (leads, activities, opportunities, stage history, orders,
customers, referrals) as Arrow tables, built from the simulated arrays.

Identifiers are given in time order, so every table comes out sorted by its key.
Leads of the warm-up months and opportunities closed before the data are not
written; activities and orders may still point to them only through columns the
contract allows to be empty.

Examples
--------
>>> import numpy as np
>>> from kit.sample.columns import NEVER
>>> opp = Sim(created=np.array([10, 20]), qual=np.array([15, NEVER]), prop=np.array([NEVER, NEVER]),
...           nego=np.array([NEVER, NEVER]), status=np.array([2, 0]), closed=np.array([30, NEVER]))
>>> current_stage(opp).to_pylist()
['lost', 'new']
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kit.sample.columns import NEVER, Sim, arrow_table, ids, labels, money, take, times
from kit.sample.reference import (
    DIRECTIONS, LOST_REASONS, METHODS, OUTCOMES, PURPOSES, REGIONS, SEGMENTS, SOURCES, STAGES, STATUSES, TYPES,
)


def leads_table(w, reps, lead, cust) -> pa.Table:
    """Leads of the data (not those of the warm-up months)."""
    conv_cust = cust.by_lead
    converted = conv_cust >= 0
    converted_at = np.where(converted, cust.acq[np.maximum(conv_cust, 0)], NEVER)
    lost_at = np.where(converted, NEVER, lead.dropped)
    cens = lambda t: np.where(t <= w.end, t, NEVER)  # noqa: E731
    data = slice(lead.n_warm, None)  # the warm-up leads are not written
    return arrow_table("leads", {
        "lead_id": lead.ids.slice(lead.n_warm), "created_at": times(lead.created[data]),
        "source": labels(SOURCES, lead.src[data]), "rep_id": take(reps.ids, lead.rep[data]),
        "segment": labels(SEGMENTS, lead.seg[data]),
        "engaged_at": times(cens(lead.engaged_at[data])), "qualified_at": times(cens(lead.qualified_at[data])),
        "converted_at": times(converted_at[data]),
        "customer_id": take(cust.ids, conv_cust[data]),
        "lost_at": times(cens(lost_at[data])),
    })


def lead_ids(lead) -> pa.Array:
    """Identifiers of the leads, null for the warm-up leads (not written)."""
    return pa.concat_arrays([pa.nulls(lead.n_warm, pa.string()), ids("L", lead.n - lead.n_warm, 6)])


def opportunity_ids(opp) -> pa.Array:
    """Identifiers of the opportunities, null for those closed before the data (not written)."""
    rank = np.cumsum(opp.kept) - 1
    return take(ids("OP", int(opp.kept.sum()), 6), np.where(opp.kept, rank, -1))


def activities_table(reps, lead, opp, cust, a) -> pa.Table:
    """Activities, sorted by time."""
    purpose = np.where(a.no_purpose, -1, a.purpose)
    return arrow_table("activities", {
        "activity_id": ids("A", len(a.at), 7), "occurred_at": times(a.at), "rep_id": take(reps.ids, a.rep),
        "type": labels(TYPES, a.kind), "purpose": labels(PURPOSES, purpose),
        "lead_id": take(lead.ids, a.lead),
        "customer_id": take(cust.ids, a.customer),
        "opportunity_id": take(opp.ids, a.opp),
        "direction": labels(DIRECTIONS, a.inbound),
        "outcome": labels(OUTCOMES, a.outcome),
        "replied": pa.array(a.replied == 1, pa.bool_(), mask=a.replied < 0),
    })


def opportunities_table(reps, products, lead, opp, cust) -> pa.Table:
    """Opportunities still open or closed during the data."""
    return arrow_table("opportunities", {
        "opportunity_id": opp.ids, "created_at": times(opp.created), "rep_id": take(reps.ids, opp.rep),
        "status": labels(STATUSES, opp.status), "amount": money(opp.amount),
        "closed_at": times(opp.closed), "lead_id": take(lead.ids, opp.lead),
        "customer_id": take(cust.ids, np.where(opp.status == 1, cust.by_opp, -1)),
        "product_id": take(products.ids, opp.product), "qualified_at": times(opp.qual),
        "proposal_at": times(opp.prop), "stage": current_stage(opp),
        "method": labels(METHODS, opp.method),
        "lost_reason": labels(LOST_REASONS, np.where(opp.status == 2, opp.reason, -1)),
    }).filter(pa.array(opp.kept))


def _stage_times(opp):
    won_at = np.where(opp.status == 1, opp.closed, NEVER)
    lost_at = np.where(opp.status == 2, opp.closed, NEVER)
    return (opp.created, opp.qual, opp.prop, opp.nego, won_at, lost_at)


def current_stage(opp: Sim) -> pa.Array:
    """The latest stage entered by each opportunity (stages are entered in order)."""
    entered = np.stack(_stage_times(opp)) < NEVER
    return labels(STAGES, len(STAGES) - 1 - np.argmax(entered[::-1], axis=0))


def stage_history_table(opp) -> pa.Table:
    """One row per stage entered, by opportunity then time."""
    o, s, t = [], [], []
    for stage, when in enumerate(_stage_times(opp)):
        sel = np.flatnonzero((when < NEVER) & opp.kept)
        o.append(sel)
        s.append(np.full(len(sel), stage))
        t.append(when[sel])
    o, s, t = np.concatenate(o), np.concatenate(s), np.concatenate(t)
    order = np.lexsort((s, o))
    return arrow_table("stage_history", {
        "opportunity_id": take(opp.ids, o[order]), "stage": labels(STAGES, s[order]),
        "entered_at": times(t[order]),
    })


def orders_table(reps, products, opp, cust, o, r) -> pa.Table:
    """Order lines, grouped by order: the purchases ``o`` and the credit notes ``r``
    (:func:`kit.sample.returns.simulate_returns`), numbered together in time order."""
    at = np.concatenate([o.at, r.at])
    new = np.empty(len(at), dtype=np.int64)
    new[np.argsort(at, kind="stable")] = np.arange(len(at))  # old index -> position in time
    customer = np.concatenate([o.customer, r.customer])
    rep = np.concatenate([o.rep, r.rep])
    opp_idx = np.concatenate([o.opp, np.full(r.n, -1)])
    gives_back = np.concatenate([np.full(o.n, -1), new[r.of]])  # position of the order given back
    owner = np.concatenate([new[o.lines.order], new[o.n + r.lines.order]])
    rows = np.argsort(owner, kind="stable")
    line = owner[rows]
    old = np.argsort(new)  # position -> old index
    order_ids = ids("CMD", len(at), 6)
    credit = np.concatenate([np.zeros(o.n, bool), np.ones(r.n, bool)])[old[line]]
    return arrow_table("orders", {
        "order_id": take(order_ids, line), "ordered_at": times(at[old[line]]),
        "customer_id": take(cust.ids, customer[old[line]]),
        "amount": money(np.concatenate([o.lines.amount, r.lines.amount])[rows]),
        "cost": money(np.concatenate([o.lines.cost, r.lines.cost])[rows]),
        "product_id": take(products.ids, np.concatenate([o.lines.product, r.lines.product])[rows]),
        "quantity": np.concatenate([o.lines.qty, r.lines.qty])[rows].astype(np.int64),
        "rep_id": take(reps.ids, rep[old[line]]), "opportunity_id": take(opp.ids, opp_idx[old[line]]),
        "is_return": credit, "status": np.where(credit, "returned", "delivered").tolist(),
        "returned_order_id": take(order_ids, gives_back[old[line]]),
    })


def customers_table(cust) -> pa.Table:
    """Customers, by acquisition."""
    return arrow_table("customers", {
        "customer_id": cust.ids, "acquired_at": times(cust.acq), "source": labels(SOURCES, cust.src),
        "segment": labels(SEGMENTS, cust.seg), "region": labels(REGIONS, cust.region),
        "referred_by": take(cust.ids, cust.referred_by),
    })


def referrals_table(lead, cust, r) -> pa.Table:
    """Referrals made during the data."""
    return arrow_table("referrals", {
        "referral_id": ids("PAR", r.n, 5), "referrer_id": take(cust.ids, r.referrer),
        "referred_at": times(r.at), "valid": r.valid.astype(bool),
        "referred_lead_id": take(lead.ids, r.lead),
    })
