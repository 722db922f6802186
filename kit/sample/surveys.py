"""Survey answers: CSAT after about a third of the orders, NPS campaigns in March and September.

Satisfied customers (a high ``cust.sat``) give higher scores; a few answers are
anonymous and some carry a comment matching the score.

Examples
--------
>>> score_band(np.array([0, 0, 1, 1]), np.array([5, 2, 9, 7])).tolist()
[0, 2, 0, 1]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kit.sample.columns import arrow_table, ids, labels, take, times
from kit.sample.reference import COMMENTS
from kit.sample.timeline import DAY, HOUR, delay, office

KINDS = ("csat", "nps")
_COMMENT_LIST = tuple(c for key in ("good", "mixed", "bad") for c in COMMENTS[key])
_COMMENT_FIRST = np.cumsum([0] + [len(COMMENTS[k]) for k in ("good", "mixed")])
_COMMENT_COUNT = np.array([len(COMMENTS[k]) for k in ("good", "mixed", "bad")])


def score_band(kind, score):
    """0 good, 1 mixed, 2 bad: CSAT 4-5 / 3 / 1-2, NPS 9-10 / 7-8 / 0-6."""
    return np.where(kind == 0, np.select([score >= 4, score == 3], [0, 1], 2),
                    np.select([score >= 9, score >= 7], [0, 1], 2))


def surveys_table(rng, w, o, cust) -> pa.Table:
    """Answers sorted by time then customer."""
    asked = np.flatnonzero(rng.random(o.n) < 0.32)
    csat_at = o.at[asked] + delay(rng, len(asked), 3, 0.8, HOUR)
    csat_c = o.customer[asked]
    csat = np.clip(np.rint(3.75 + 0.85 * cust.sat[csat_c] + rng.normal(0, 0.8, len(asked))), 1, 5)
    nps_c, nps_at = [], []
    for m in np.flatnonzero(np.isin(w.cal, (3, 9))):
        ok = np.flatnonzero((cust.acq < w.starts[m]) & (cust.churn > w.starts[m])
                            & (rng.random(cust.n) < 0.22))
        nps_c.append(ok)
        nps_at.append(office(w.starts[m] + (rng.random(len(ok)) * 20 * DAY).astype(np.int64)))
    nps_c, nps_at = np.concatenate(nps_c), np.concatenate(nps_at)
    nps = np.clip(np.rint(7.7 + 1.9 * cust.sat[nps_c] + rng.normal(0, 1.2, len(nps_c))), 0, 10)
    at = np.concatenate([csat_at, nps_at])
    customer = np.concatenate([csat_c, nps_c])
    kind = np.concatenate([np.zeros(len(csat_c), dtype=np.int64), np.ones(len(nps_c), dtype=np.int64)])
    score = np.concatenate([csat, nps]).astype(np.int64)
    keep = np.flatnonzero(at <= w.end)
    keep = keep[np.lexsort((customer[keep], at[keep]))]
    at, customer, kind, score = at[keep], customer[keep], kind[keep], score[keep]
    n = len(at)
    band = score_band(kind, score)
    commented = rng.random(n) < 0.18
    comment = np.where(commented, _COMMENT_FIRST[band] + (rng.random(n) * _COMMENT_COUNT[band]).astype(np.int64), -1)
    anonymous = rng.random(n) < 0.01
    return arrow_table("surveys", {
        "response_id": ids("S", n, 6), "responded_at": times(at), "kind": labels(KINDS, kind),
        "score": score, "customer_id": take(cust.ids, np.where(anonymous, -1, customer)),
        "comment": labels(_COMMENT_LIST, comment),
    })
