"""Activities of the reps: prospecting touches, sales conversations, account follow-up.

Examples
--------
>>> outcome = call_outcome(np.array([0.5]), np.array([0.3]))
>>> [OUTCOMES[int(o)] for o in outcome(np.array([0.2, 0.6, 0.99]), np.array([0, 0, 0]))]
['appointment_set', 'connected', 'no_answer']
"""

from __future__ import annotations

import numpy as np

from kit.sample.columns import NEVER, Sim
from kit.sample.reference import ACTIVITY_MIX, OUTCOMES, PURPOSES, REPLY, TYPES
from kit.sample.timeline import DAY, HOUR, MONTHS, pick, spread


def activity_fields(rng, reps, rep, purpose_code, inbound_p, call_outcome, reply_p):
    """Type, direction, outcome and replied for activities of one purpose."""
    n = len(rep)
    types_, share = ACTIVITY_MIX[PURPOSES[purpose_code]]
    kind = np.empty(n, dtype=np.int8)
    for r in range(reps.n):  # reps differ in their email / call balance
        sel = np.flatnonzero(rep == r)
        s = share.copy()
        if "email" in types_:
            s[types_.index("email")] *= 0.6 + 0.08 * ((5 * r) % 12)
        kind[sel] = pick(rng, s, len(sel))
    kind = np.array([TYPES.index(t) for t in types_], dtype=np.int8)[kind]
    inbound = rng.random(n) < inbound_p
    inbound &= np.isin(kind, (TYPES.index("call"), TYPES.index("email"), TYPES.index("social_message")))
    u = rng.random(n)
    outcome = np.full(n, OUTCOMES.index("sent"), dtype=np.int8)
    is_call = kind == TYPES.index("call")
    outcome[is_call] = call_outcome(u[is_call], np.flatnonzero(is_call))
    outcome[kind == TYPES.index("voicemail")] = OUTCOMES.index("voicemail")
    live = np.isin(kind, (TYPES.index("meeting"), TYPES.index("video_call")))
    outcome[live] = np.where(u[live] < 0.92, OUTCOMES.index("held"), OUTCOMES.index("no_show"))
    outcome[is_call & inbound] = OUTCOMES.index("connected")
    outcome[inbound & ~is_call] = OUTCOMES.index("received")
    replied = np.full(n, -1, dtype=np.int8)  # -1: not an email
    is_mail = kind == TYPES.index("email")
    replied[is_mail] = rng.random(int(is_mail.sum())) < reply_p[is_mail]
    return kind, inbound.astype(np.int8), outcome, replied


def call_outcome(p_appt, p_connected):
    """A function drawing call outcomes from uniforms, given per-call probabilities."""
    def outcome(u, idx):
        a, c = p_appt[idx], p_connected[idx]
        return np.select([u < a, u < a + c, u < a + c + 0.12, u < a + c + 0.15],
                         [OUTCOMES.index("appointment_set"), OUTCOMES.index("connected"),
                          OUTCOMES.index("voicemail"), OUTCOMES.index("wrong_number")],
                         OUTCOMES.index("no_answer"))
    return outcome


def simulate_activities(rng, w, reps, lead, opp, cust):
    """Every activity of the data, sorted by time; ``lead``, ``customer`` and ``opp`` are
    indexes into the simulated entities (-1 when not linked)."""
    parts = []
    # 1. prospecting: touches on a lead until it is qualified or dropped
    n_each = 1 + rng.poisson(2.3, lead.n) + lead.engaged * rng.poisson(1.3, lead.n) + lead.qualified
    hi = np.where(lead.qualified, lead.qualified_at, np.where(lead.dropped < NEVER, lead.dropped,
                                                               lead.created + 60 * DAY))
    n_each[:lead.n_warm] = 0
    owner, t = spread(rng, lead.created, hi, n_each)
    rep = lead.rep[owner]
    after = t >= lead.engaged_at[owner]
    p_appt = 0.14 * reps.skill[rep] * np.where(lead.qualified[owner], 1.6, 0.7)
    fields = activity_fields(rng, reps, rep, 0, np.where(after, 0.15, 0.02),
                             call_outcome(p_appt, np.full(len(owner), 0.33)),
                             REPLY[lead.src[owner]] * np.where(lead.engaged[owner], 2.0, 0.5))
    parts.append((t, rep, 0, owner, np.full(len(owner), -1), np.full(len(owner), -1), fields))
    # 2. sales: conversations on an opportunity until it closes
    n_each = 2 + rng.poisson(3.5, opp.n) + (opp.status == 1) * rng.poisson(1.0, opp.n)
    owner, t = spread(rng, opp.created, opp.closed_raw, n_each)
    fields = activity_fields(rng, reps, opp.rep[owner], 1, np.full(len(owner), 0.3),
                             call_outcome(np.full(len(owner), 0.05), np.full(len(owner), 0.67)),
                             np.full(len(owner), 0.45))
    parts.append((t, opp.rep[owner], 1, opp.lead[owner], np.full(len(owner), -1), owner, fields))
    # 3. account management: customer service and follow-ups, by month
    unhappy = cust.sat < -0.8
    rate = 0.32 * np.where(reps.farmer[cust.account], 1.35, 1.0) * np.where(unhappy, 1.4, 1.0)
    c_owner, c_t = [], []
    for m in range(MONTHS):
        lo = np.maximum(w.starts[m], cust.acq + HOUR)
        hi = np.minimum(w.starts[m + 1], cust.churn + 30 * DAY) - 1  # a last call after leaving
        ok = np.flatnonzero(lo < hi - HOUR)
        k = rng.poisson(rate[ok] * (hi[ok] - lo[ok]) / (30 * DAY))
        o, t = spread(rng, lo[ok], hi[ok], k)
        c_owner.append(ok[o])
        c_t.append(t)
    owner, t = np.concatenate(c_owner), np.concatenate(c_t)
    service = rng.random(len(owner)) < np.where(unhappy[owner], 0.75, 0.55)
    rep = cust.account[owner]
    for purpose, sel in ((2, np.flatnonzero(service)), (1, np.flatnonzero(~service))):
        fields = activity_fields(rng, reps, rep[sel], purpose, np.full(len(sel), 0.65 if purpose == 2 else 0.25),
                                 call_outcome(np.full(len(sel), 0.03), np.full(len(sel), 0.7)),
                                 np.full(len(sel), 0.6))
        parts.append((t[sel], rep[sel], purpose, np.full(len(sel), -1), owner[sel], np.full(len(sel), -1),
                      fields))
    t = np.concatenate([p[0] for p in parts])
    keep = np.flatnonzero((t >= w.start) & (t <= w.end))
    order = keep[np.argsort(t[keep], kind="stable")]
    columns = {
        "at": t, "rep": [p[1] for p in parts], "purpose": [np.full(len(p[0]), p[2], np.int8) for p in parts],
        "lead": [p[3] for p in parts], "customer": [p[4] for p in parts], "opp": [p[5] for p in parts],
        "kind": [p[6][0] for p in parts], "inbound": [p[6][1] for p in parts],
        "outcome": [p[6][2] for p in parts], "replied": [p[6][3] for p in parts],
    }
    out = Sim({k: (v if isinstance(v, np.ndarray) else np.concatenate(v))[order] for k, v in columns.items()})
    # a few prospecting activities carry no purpose (the contract's default rule applies)
    out.no_purpose = (out.purpose == 0) & (rng.random(len(order)) < 0.005)
    return out
