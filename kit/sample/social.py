"""Social-network posts of the company page, with their reach and engagement.

Examples
--------
>>> from kit.sample.timeline import window
>>> t = social_table(np.random.default_rng(0), window("2026-10"))
>>> t.num_rows > 300, t.column_names[:3]
(True, ['post_id', 'published_at', 'impressions'])
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kit.sample.columns import arrow_table, ids, labels, times
from kit.sample.reference import NETWORK_RATES, NETWORK_REACH, NETWORK_SHARE, NETWORKS
from kit.sample.timeline import DAY, HOUR, pick


def social_table(rng, w) -> pa.Table:
    """About one post every other working day, rarely at the weekend."""
    days = np.arange(w.start // DAY, w.end // DAY + 1)
    weekday = (days + 3) % 7 < 5
    posted = days[rng.random(len(days)) < np.where(weekday, 0.5, 0.04)]
    n = len(posted)
    net = pick(rng, NETWORK_SHARE, n)
    at = posted * DAY + 8 * HOUR + (rng.random(n) * 10 * HOUR).astype(np.int64)
    impressions = np.rint(rng.lognormal(np.log(NETWORK_REACH[net]), 0.7)).astype(np.int64) + 20
    counts = [rng.binomial(impressions, NETWORK_RATES[net, j]) for j in range(4)]
    return arrow_table("social", {
        "post_id": ids("POST", n, 4), "published_at": times(at), "impressions": impressions,
        "network": labels(NETWORKS, net), "reactions": counts[0], "comments": counts[1],
        "shares": counts[2], "clicks": counts[3],
    })
