"""Money plans: monthly costs by category and channel, monthly targets per rep.

Acquisition costs carry the channel (``source``, the values of ``leads.source``)
so that the cost of acquiring a customer can be split by channel:

- ``marketing``: trade fairs (``salon``, expensive in March, June and October),
  the website, LinkedIn, e-mailing campaigns and a gift per valid referral
  (``recommandation``);
- ``outsourcing``: the partners' commission, 10 % of the first orders they bring;
- ``prospecting``: LinkedIn seats per rep and the e-mailing tool by channel, a
  shared phone and data budget without channel;
- ``sales``: the reps' monthly cost, split between the channels of the leads and
  opportunities each rep worked on that month (in proportion to their
  activities); the time spent on existing customers (and on the few leads
  without a source) stays without channel.

``retention``, ``recruitment`` and ``other`` costs have no channel. Channel
costs are the large majority of the total.

Examples
--------
>>> split_by_activity(np.array([[3, 1, 0]]), np.array([100.0])).tolist()
[[75.0, 25.0, 0.0]]
>>> split_by_activity(np.array([[0, 0, 0]]), np.array([100.0])).tolist()  # no activity: last column
[[0.0, 0.0, 100.0]]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kit.sample.columns import arrow_table, money, times
from kit.sample.reference import SALON_MONTHS, SEASON, SOURCES
from kit.sample.timeline import MONTHS

REP_MONTHLY_COST = 5400
CHANNELS = SOURCES[:-1]  # the six named channels; the last source (None) is "no channel"


def split_by_activity(counts, amount):
    """Split ``amount[i]`` over the columns of ``counts[i]`` in proportion to them.

    A row without any count goes entirely to the last column (the shared costs).
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=1, keepdims=True)
    share = np.where(total > 0, counts / np.where(total > 0, total, 1), 0.0)
    share[:, -1] = np.where(total[:, 0] > 0, share[:, -1], 1.0)
    return share * np.asarray(amount, dtype=float)[:, None]


def _sales_by_channel(w, reps, lead, acts):
    """``[month, channel]`` cost of the reps' time, the last column without channel."""
    month = w.month_of(acts.at)
    on_lead = acts.lead >= 0
    channel = np.where(on_lead, lead.src[np.maximum(acts.lead, 0)], len(CHANNELS))  # None source: shared
    channel = np.minimum(channel, len(CHANNELS))
    k = len(CHANNELS) + 1
    counts = np.bincount((acts.rep * MONTHS + month) * k + channel, minlength=reps.n * MONTHS * k)
    counts = counts.reshape(reps.n * MONTHS, k)
    active = (reps.hired[:, None] < w.starts[None, 1:]).reshape(-1)
    split = split_by_activity(counts, REP_MONTHLY_COST * active)
    return split.reshape(reps.n, MONTHS, k).sum(axis=0)


def costs_table(rng, w, reps, lead, cust, refs, orders, acts, scale) -> pa.Table:
    """Monthly costs by category, with the channel for acquisition costs."""
    month_of_lead = w.month_of(lead.created)
    ref_count = np.bincount(w.month_of(refs.at[refs.valid]), minlength=MONTHS)
    # partner commission: 10 % of the first orders of customers brought by partners
    first = orders.opp >= 0
    line_amount = np.bincount(orders.lines.order, weights=orders.lines.amount, minlength=orders.n)
    partner = first & (cust.src[orders.customer] == SOURCES.index("partenaire"))
    commission = np.bincount(w.month_of(orders.at[partner]), weights=line_amount[partner], minlength=MONTHS) * 0.10
    sales = _sales_by_channel(w, reps, lead, acts) / scale
    rows = []
    for m in range(MONTHS):
        cal = w.cal[m]
        active = int((reps.hired < w.starts[m + 1]).sum())
        leads_m = np.bincount(lead.src[month_of_lead == m], minlength=len(SOURCES))
        items = [
            ("marketing", "salon", 21000 if cal in SALON_MONTHS else 1500),
            ("marketing", "site_web", 2600 + 35 * leads_m[0] / scale),
            ("marketing", "linkedin", 3900),
            ("marketing", "emailing", 1100),
            ("marketing", "recommandation", 150 * ref_count[m] / scale),
            ("outsourcing", "partenaire", commission[m] / scale),
            ("prospecting", "linkedin", 95 * active),
            ("prospecting", "emailing", 420),
            ("prospecting", None, 850),
            ("retention", None, 2400),
            ("other", None, 1300),
        ]
        items += [("sales", c, sales[m, i]) for i, c in enumerate(CHANNELS + (None,))]
        if any(w.starts[m] <= h < w.starts[m + 1] for h in reps.hired) or cal == 1:
            items.append(("recruitment", None, 7500))
        items.sort(key=lambda it: (it[0], it[1] is not None, it[1] or ""))  # no channel first
        rows += [(w.starts[m], *it) for it in items]
    period = np.array([r[0] for r in rows], dtype=np.int64)
    category = np.array([r[1] for r in rows], dtype=object)
    source = [r[2] for r in rows]
    amount = np.array([r[3] for r in rows], dtype=float)
    exact = np.isin(category, ["sales", "outsourcing"]) | np.array([s == "recommandation" for s in source])
    noise = np.where(exact, 1.0, rng.lognormal(0, 0.08, len(rows)))
    return arrow_table("costs", {"period": times(period), "amount": money(amount * noise * scale),
                                 "category": category.tolist(), "source": source})


def targets_table(w, reps, opp, o) -> pa.Table:
    """Monthly targets per rep from a quota shared by the team: some reps miss it."""
    line_amount = np.bincount(o.lines.order, weights=o.lines.amount, minlength=o.n)
    month = w.month_of(o.at)
    revenue = np.zeros((reps.n, MONTHS))
    np.add.at(revenue, (o.rep, month), line_amount)
    won = np.flatnonzero((opp.status == 1) & (opp.closed >= w.start))
    new = np.zeros((reps.n, MONTHS))
    np.add.at(new, (opp.rep[won], w.month_of(opp.closed[won])), 1)
    active = reps.hired[:, None] < w.starts[None, 1:]
    months_active = np.maximum(active.sum(axis=1), 1)
    season = SEASON[w.cal - 1] / SEASON.mean()
    rows = []
    for r in range(reps.n):
        mates = reps.team == reps.team[r]
        team_rev = revenue[mates].sum() / np.maximum(active[mates].sum(), 1)
        team_new = new[mates].sum() / np.maximum(active[mates].sum(), 1)
        base_rev = 0.5 * revenue[r].sum() / months_active[r] + 0.5 * team_rev
        base_new = 0.5 * new[r].sum() / months_active[r] + 0.5 * team_new
        for m in np.flatnonzero(active[r]):
            target = round(base_rev * season[m], -2)
            rows.append((w.starts[m], r, reps.team_names[reps.team[r]], target,
                         round(target * 0.4, -2), int(round(base_new * season[m] * 1.1))))
    cols = list(zip(*rows))
    return arrow_table("targets", {
        "period": times(np.array(cols[0], dtype=np.int64)), "rep_id": reps.ids.take(list(cols[1])),
        "team": list(cols[2]), "revenue_target": money(cols[3]), "margin_target": money(cols[4]),
        "new_customers_target": np.array(cols[5], dtype=np.int64),
    })
