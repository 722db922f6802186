"""The sales process, simulated: leads, opportunities, customers, referrals, orders.

Each function draws one entity from the previous ones and returns a
:class:`~kit.sample.columns.Sim` of integer codes and ``int64`` seconds; the
tables are built from them in :mod:`kit.sample.tables`. Leads of the ``WARMUP``
months before the data are simulated too (index below ``lead.n_warm``) so that
the pipeline is already full when the data starts; they are not written.

Examples
--------
>>> from kit.sample.reference import Reps
>>> from kit.sample.timeline import window
>>> w = window("2026-10")
>>> lead = simulate_leads(np.random.default_rng(0), w, Reps(w), 1000)
>>> lead.n - lead.n_warm, bool((np.diff(lead.created) >= 0).all())
(1000, True)
"""

from __future__ import annotations

import numpy as np

from kit.sample.columns import NEVER, Sim
from kit.sample.reference import (
    ACCOUNT_WEIGHT, CATEGORY_FIRST, CATEGORY_QTY, CATEGORY_REPEAT, ENGAGE, LEAD_WEIGHT, LOST_EARLY,
    LOST_EARLY_SHARE, LOST_LATE_SHARE, METHOD_SHARE, METHOD_WIN, QUALIFY, REGIONS, SALON_MONTHS, SEASON,
    SEGMENT_REORDER, SEGMENT_SHARE, SEGMENT_SIZE, SEGMENT_WIN, SOURCE_SHARE, SOURCES, TEAMS, WIN,
)
from kit.sample.timeline import DAY, HOUR, MONTHS, WARMUP, delay, office, office_within, pick


def simulate_leads(rng, w, reps, n_data):
    """Leads of the warm-up months (index < ``n_warm``, not written) then ``n_data`` leads."""
    weight = SEASON[w.sim_cal - 1] * (1 + 0.12 * np.arange(-WARMUP, MONTHS) / MONTHS)
    n_warm = int(round(n_data * weight[:WARMUP].sum() / weight[WARMUP:].sum()))
    counts = np.concatenate([rng.multinomial(n_warm, weight[:WARMUP] / weight[:WARMUP].sum()),
                             rng.multinomial(n_data, weight[WARMUP:] / weight[WARMUP:].sum())])
    n = n_warm + n_data
    month = np.repeat(np.arange(WARMUP + MONTHS), counts)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    src = np.empty(n, dtype=np.int64)
    rep = np.empty(n, dtype=np.int64)
    for m in range(WARMUP + MONTHS):
        sl = slice(bounds[m], bounds[m + 1])
        share = SOURCE_SHARE.copy()
        share[SOURCES.index("salon")] *= 3.0 if w.sim_cal[m] in SALON_MONTHS else 0.45
        src[sl] = pick(rng, share, counts[m])
        hired = reps.hired <= w.sim_starts[m]
        rep[sl] = pick(rng, LEAD_WEIGHT[reps.profile] * hired, counts[m])
    lo, hi = w.sim_starts[month], w.sim_starts[month + 1]
    created = lo + (rng.random(n) * (hi - lo)).astype(np.int64)
    web = src == SOURCES.index("site_web")
    created = np.where(web, created, office_within(created, lo, hi - 1))
    order = np.argsort(created, kind="stable")
    created, src, rep = created[order], src[order], rep[order]
    seg = pick(rng, SEGMENT_SHARE, n)
    skill = reps.skill[rep]
    engaged = rng.random(n) < np.clip(ENGAGE[src] * (0.85 + 0.15 * skill), 0, 0.97)
    engaged_at = np.where(engaged, created + delay(rng, n, 1.5, 1.0, 900), NEVER)
    qualified = engaged & (rng.random(n) < np.clip(QUALIFY[src] * skill, 0, 0.95))
    qualified_at = np.where(qualified, np.maximum(office(engaged_at + delay(rng, n, 8, 0.7, HOUR)),
                                                  engaged_at + 600), NEVER)
    has_opp = qualified & (rng.random(n) < 0.85)
    # when an unconverted lead is given up (before the censoring at the end of the data)
    stale = created + delay(rng, n, 60, 0.3, 20 * DAY)
    dropped = np.where(engaged, office(engaged_at + delay(rng, n, 25, 0.6, DAY)),
                       np.where(rng.random(n) < 0.8, stale, NEVER))
    dropped = np.where(qualified, office(qualified_at + delay(rng, n, 15, 0.6, DAY)), dropped)
    last = np.where(qualified, qualified_at, np.where(engaged, engaged_at, created))
    dropped = np.where(dropped < NEVER, np.maximum(dropped, last + 600), NEVER)
    return Sim(n=n, n_warm=n_warm, created=created, src=src, rep=rep, seg=seg, engaged_at=engaged_at,
               qualified_at=qualified_at, has_opp=has_opp, dropped=dropped,
               qualified=qualified, engaged=engaged)


def simulate_opportunities(rng, w, reps, lead):
    """One opportunity for most qualified leads, through the stages to won, lost or open."""
    li = np.flatnonzero(lead.has_opp)
    created = np.maximum(office(lead.qualified_at[li] + delay(rng, len(li), 3, 0.7, HOUR)),
                         lead.qualified_at[li] + 600)
    keep = created <= w.end
    li, created = li[keep], created[keep]
    order = np.argsort(created, kind="stable")
    li, created = li[order], created[order]
    n = len(li)
    rep, src, seg = lead.rep[li], lead.src[li], lead.seg[li]
    method = pick(rng, METHOD_SHARE, n)
    qual_ok = rng.random(n) < 0.92
    qual = np.where(qual_ok, np.maximum(office(created + delay(rng, n, 2, 0.7, 1800)), created + 600), NEVER)
    prop_ok = qual_ok & (rng.random(n) < 0.80)
    prop = np.where(prop_ok, np.maximum(office(qual + delay(rng, n, 9, 0.6, DAY)), qual + 600), NEVER)
    progress = (created - w.start) / (w.end - w.start)
    prop_cal = _calendar_month(np.where(prop_ok, prop, created))
    p_win = (WIN[src] * reps.skill[rep] * METHOD_WIN[method] * SEGMENT_WIN[seg]
             * (0.9 + 0.2 * progress) * np.where(np.isin(prop_cal, (10, 11, 12)), 1.15, 1.0))
    won = prop_ok & (rng.random(n) < np.clip(p_win, 0.05, 0.9))
    nego_ok = prop_ok & (rng.random(n) < np.where(won, 0.8, 0.35))
    nego = np.where(nego_ok, np.maximum(office(prop + delay(rng, n, 6, 0.6, HOUR)), prop + 600), NEVER)
    last = np.where(nego_ok, nego, np.where(prop_ok, prop, np.where(qual_ok, qual, created)))
    closed = np.maximum(office(last + delay(rng, n, 13, 0.7, HOUR)), last + 600)
    # summer holidays: most decisions due in July or August wait for September
    summer = np.isin(_calendar_month(closed), (7, 8)) & (rng.random(n) < 0.75)
    september = closed.astype("datetime64[s]").astype("datetime64[Y]").astype("datetime64[M]") \
        + np.timedelta64(8, "M")
    september = september.astype("datetime64[s]").astype(np.int64)
    closed = np.where(summer, office(september + delay(rng, n, 8, 0.6, DAY)), closed)
    done = closed <= w.end
    status = np.where(done, np.where(won, 1, 2), 0)  # 0 open, 1 won, 2 lost
    # reason codes index reference.LOST_REASONS: early reasons without a proposal, late ones after it
    reason = np.where(prop_ok, len(LOST_EARLY) + pick(rng, LOST_LATE_SHARE, n), pick(rng, LOST_EARLY_SHARE, n))
    cens = lambda t: np.where(t <= w.end, t, NEVER)  # noqa: E731
    # a lead with an opportunity is lost when the opportunity is lost, else not lost
    lead.dropped[lead.has_opp] = NEVER
    lost = status == 2
    lead.dropped[li[lost]] = closed[lost]
    # opportunities closed before the data starts are history: not written
    kept = closed >= w.start
    return Sim(n=n, kept=kept, lead=li, created=created, rep=rep, src=src, seg=seg, method=method,
               qual=cens(qual), prop=cens(prop), nego=cens(nego), closed=cens(closed),
               closed_raw=closed, status=status, won=won, reason=reason)


def _calendar_month(t):
    """Calendar month (1-12) of int64 seconds."""
    return t.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def simulate_customers(rng, w, reps, lead, opp, scale):
    """Customers acquired before the data plus those converted from leads, by acquisition."""
    wi = np.flatnonzero(opp.status == 1)
    n_new, n_old = len(wi), int(round(800 * scale))
    old_acq = office(w.start - (rng.random(n_old) * 6 * 365 * DAY).astype(np.int64) - 30 * DAY)
    old_src = pick(rng, SOURCE_SHARE[:-1], n_old)
    old_seg = pick(rng, SEGMENT_SHARE[:-1], n_old)
    senior = reps.hired <= w.start
    old_rep = pick(rng, ACCOUNT_WEIGHT[reps.profile] * senior, n_old)
    acq = np.concatenate([old_acq, opp.closed[wi]])
    lead_idx = np.concatenate([np.full(n_old, -1), opp.lead[wi]])
    opp_idx = np.concatenate([np.full(n_old, -1), wi])
    src = np.concatenate([old_src, opp.src[wi]])
    seg = np.concatenate([old_seg, opp.seg[wi]])
    seller = np.concatenate([old_rep, opp.rep[wi]])
    # accounts won by a rep go to a farmer of the team seven times out of ten
    account = seller.copy()
    handover = np.zeros(len(acq), dtype=bool)
    handover[n_old:] = rng.random(n_new) < 0.7
    for team in range(len(TEAMS)):
        farmers = np.flatnonzero(reps.farmer & (reps.team == team))
        sel = np.flatnonzero(handover & (reps.team[seller] == team))
        account[sel] = farmers[rng.integers(0, len(farmers), len(sel))]
    order = np.argsort(acq, kind="stable")
    acq, lead_idx, opp_idx, src, seg, seller, account = (
        a[order] for a in (acq, lead_idx, opp_idx, src, seg, seller, account))
    n = len(acq)
    team = reps.team[seller]
    region = np.empty(n, dtype=np.int64)  # codes of reference.REGIONS
    first_region = 0
    for t, (_, regions) in enumerate(TEAMS.values()):
        sel = np.flatnonzero(team == t)
        share = np.array([3.0] + [1.0] * (len(regions) - 1))
        region[sel] = first_region + pick(rng, share, len(sel))
        first_region += len(regions)
    assert first_region == len(REGIONS)
    sat = rng.normal(0, 1, n)
    # customers leave after about three years on average, satisfied ones later
    churn = acq + (rng.exponential(40 * 30.4 * DAY, n) * np.exp(0.45 * sat)).astype(np.int64)
    # an older customer referred by an even older one (index = acquisition rank)
    referred_by = np.full(n, -1)
    old_reco = np.flatnonzero((lead_idx < 0) & (src == SOURCES.index("recommandation")))
    referred_by[old_reco] = np.where(old_reco > 0, (rng.random(len(old_reco)) * old_reco).astype(np.int64), -1)
    by_lead = np.full(lead.n, -1)
    by_lead[lead_idx[lead_idx >= 0]] = np.flatnonzero(lead_idx >= 0)
    by_opp = np.full(opp.n, -1)
    by_opp[opp_idx[opp_idx >= 0]] = np.flatnonzero(opp_idx >= 0)
    return Sim(n=n, acq=acq, churn=churn, lead=lead_idx, opp=opp_idx, src=src, seg=seg, seller=seller,
               account=account, region=region, sat=sat, referred_by=referred_by,
               by_lead=by_lead, by_opp=by_opp)


def simulate_referrals(rng, w, lead, cust):
    """Referrals behind 'recommandation' leads, plus some that led nowhere (invalid)."""
    reco = np.flatnonzero(lead.src == SOURCES.index("recommandation"))
    n_extra = int(round(0.15 * len(reco)))
    extra_at = w.start + (rng.random(n_extra) * (w.end - w.start)).astype(np.int64)
    at = np.concatenate([office(lead.created[reco] - (rng.random(len(reco)) * 3 * DAY).astype(np.int64)),
                         office(extra_at)])
    lead_idx = np.concatenate([reco, np.full(n_extra, -1)])
    month = np.searchsorted(w.sim_starts, np.concatenate([lead.created[reco], extra_at]), side="right") - 1
    referrer = np.empty(len(at), dtype=np.int64)
    for m in range(WARMUP + MONTHS):
        sel = np.flatnonzero(month == m)
        start = w.sim_starts[m]
        eligible = int(np.searchsorted(cust.acq, start, side="left"))
        recent = cust.acq[:eligible] >= start - 182 * DAY
        weight = (np.exp(0.9 * cust.sat[:eligible]) * np.where(recent, 3.5, 1.0)
                  * np.where(cust.churn[:eligible] > start, 1.0, 0.1))
        referrer[sel] = pick(rng, weight, len(sel))
    at = np.minimum(np.maximum(at, cust.acq[referrer] + HOUR),
                    np.where(lead_idx >= 0, lead.created[np.maximum(lead_idx, 0)], w.end))
    valid = np.where(lead_idx >= 0, rng.random(len(at)) < np.where(lead.engaged[np.maximum(lead_idx, 0)],
                                                                     0.92, 0.55),
                     rng.random(len(at)) < 0.1)
    order = np.argsort(at, kind="stable")
    at, lead_idx, referrer, valid = at[order], lead_idx[order], referrer[order], valid[order]
    has = lead_idx >= 0
    conv = np.full(len(at), -1)
    conv[has] = cust.by_lead[lead_idx[has]]
    cust.referred_by[conv[conv >= 0]] = referrer[conv >= 0]
    keep = (at >= w.start) & ((lead_idx < 0) | (lead_idx >= lead.n_warm))
    return Sim(n=int(keep.sum()), at=at[keep], lead=lead_idx[keep], referrer=referrer[keep], valid=valid[keep])


def _lines(rng, products, month, n_orders, seg, share, extra_lines, qty_scale, max_discount):
    """Order lines: ``(order index, product, quantity, amount, cost)`` sorted by order."""
    n_lines = 1 + np.minimum(rng.poisson(extra_lines, n_orders), 5)
    owner = np.repeat(np.arange(n_orders), n_lines)
    prod = products.draw(rng, month[owner], share)
    lam = CATEGORY_QTY[products.category[prod]] * SEGMENT_SIZE[seg[owner]] * qty_scale
    qty = 1 + rng.poisson(lam)
    discount = rng.random(len(owner)) * max_discount
    amount = np.round(qty * products.price[prod] * (1 - discount), 2)
    cost = np.round(qty * products.cost[prod], 2)
    return owner, prod, qty, amount, cost


def simulate_orders(rng, w, products, opp, cust):
    """First orders of won opportunities (their quote) and reorders of customers, with lines.

    Also sets ``opp.amount`` and ``opp.product`` (the quote's total and first product).
    """
    # every opportunity gets a quote; a won one becomes the customer's first order
    first_at = np.where(opp.status == 1, office(opp.closed + (rng.random(opp.n) * 2 * DAY).astype(np.int64)),
                        NEVER)
    first_at = np.where(first_at > w.end, opp.closed, np.maximum(first_at, opp.closed))
    q_month = np.clip(w.month_of(np.where(opp.status == 1, first_at, opp.created)), 0, MONTHS - 1)
    q_owner, q_prod, q_qty, q_amount, q_cost = _lines(rng, products, q_month, opp.n, opp.seg,
                                                      CATEGORY_FIRST, 1.6, 1.0, 0.12)
    opp.amount = np.round(np.bincount(q_owner, weights=q_amount, minlength=opp.n), 2)
    first_line = np.concatenate([[0], np.cumsum(np.bincount(q_owner, minlength=opp.n))[:-1]])
    opp.product = q_prod[first_line]
    # reorders: a Poisson number per customer and month, more for satisfied customers
    rate = SEGMENT_REORDER[cust.seg] * np.exp(0.55 * cust.sat)
    growth = 1 - 0.1 * np.arange(MONTHS) / MONTHS  # the base grows: keep revenue growth moderate
    r_cust, r_at = [], []
    for m in range(MONTHS):
        lo = np.maximum(w.starts[m], cust.acq + DAY)
        hi = np.minimum(w.starts[m + 1], cust.churn)
        ok = np.flatnonzero(lo < hi - HOUR)
        k = rng.poisson(rate[ok] * SEASON[w.cal[m] - 1] * growth[m] * (hi[ok] - lo[ok]) / (30 * DAY))
        c = np.repeat(ok, k)
        t = lo[c] + (rng.random(len(c)) * (hi[c] - lo[c])).astype(np.int64)
        t = office_within(t, lo[c], hi[c] - 1)
        r_cust.append(c)
        r_at.append(t)
    r_cust, r_at = np.concatenate(r_cust), np.concatenate(r_at)
    won = np.flatnonzero((opp.status == 1) & (first_at >= w.start))
    at = np.concatenate([first_at[won], r_at])
    customer = np.concatenate([cust.by_opp[won], r_cust])
    opp_idx = np.concatenate([won, np.full(len(r_cust), -1)])
    rep = np.concatenate([opp.rep[won], cust.account[r_cust]])
    order = np.lexsort((customer, at))
    at, customer, opp_idx, rep = at[order], customer[order], opp_idx[order], rep[order]
    n = len(at)
    # lines: the quote of a won opportunity, or a drawn reorder basket
    is_first = opp_idx >= 0
    pos = np.full(opp.n, -1)
    pos[opp_idx[is_first]] = np.flatnonzero(is_first)
    from_quote = pos[q_owner] >= 0
    reo = np.flatnonzero(~is_first)
    r_owner, r_prod, r_qty, r_amount, r_cost = _lines(
        rng, products, np.clip(w.month_of(at[reo]), 0, MONTHS - 1), len(reo), cust.seg[customer[reo]],
        CATEGORY_REPEAT, 0.7, 0.6, 0.08)
    owner = np.concatenate([pos[q_owner[from_quote]], reo[r_owner]])
    line_order = np.argsort(owner, kind="stable")
    lines = Sim(
        order=owner[line_order],
        product=np.concatenate([q_prod[from_quote], r_prod])[line_order],
        qty=np.concatenate([q_qty[from_quote], r_qty])[line_order],
        amount=np.concatenate([q_amount[from_quote], r_amount])[line_order],
        cost=np.concatenate([q_cost[from_quote], r_cost])[line_order],
    )
    return Sim(n=n, at=at, customer=customer, opp=opp_idx, rep=rep, lines=lines)
