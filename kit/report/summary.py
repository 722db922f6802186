"""The machine-readable KPI summary of a month: ``kpis.json`` and ``kpis.csv``.

Both hold the scorecard (:func:`kit.scorecard.scorecard`) with numerators,
denominators and intervals, and in ``status`` the word every page shows
(``better``, ``worse``, ``unclear``, ``unknown``, ``nodata``: see
:mod:`kit.present.status`), with ``target_status``, the ``test`` and its ``p_value``
and a ``note`` saying why a KPI is unknown or has no data. Every headline KPI is there:
one the data cannot give has ``value: null`` and a ``reason`` (one sentence naming what
is missing). They are deterministic: the same data gives
byte-identical files (no timestamp, no path, fixed key order, missing values as
``null`` / empty).

Examples
--------
>>> import pandas as pd, tempfile
>>> from kit.scorecard import COLUMNS
>>> sc = pd.DataFrame([{c: float("nan") for c in COLUMNS}]).assign(name="win_rate",
...     label="Win rate", unit="ratio", direction="higher", value=0.5, numerator=1.0,
...     denominator=2.0, ci_low=0.09, ci_high=0.91, low_sample=True, status="unknown",
...     note="2 opportunities (small sample)", scope="all", reason="")
>>> folder = tempfile.mkdtemp()
>>> _ = write_summary(sc, folder, month="2026-10", team="", lang="en",
...                   as_of=pd.Timestamp("2026-10-31 23:59:59.999999"), currency="EUR")
>>> doc = read_summary(folder)
>>> doc["month"], doc["kpis"][0]["value"], doc["kpis"][0]["status"], doc["kpis"][0]["reason"]
('2026-10', 0.5, 'unknown', None)
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from kit.scorecard import COLUMNS

JSON_NAME, CSV_NAME = "kpis.json", "kpis.csv"


def _plain(v):
    """A JSON-ready Python value: NaN/NA -> None, numpy scalars -> Python.

    Examples
    --------
    >>> import numpy as np
    >>> _plain(np.float64(0.5)), _plain(float("nan")), _plain(pd.NA), _plain(np.bool_(True))
    (0.5, None, None, True)
    """
    if v is None or v is pd.NA:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, float) and v == 0.0:
        return 0.0  # no "-0.0"
    return v


def summary_document(scorecard: pd.DataFrame, *, month: str, team: str, lang: str,
                     as_of, currency: str, skipped: dict | None = None) -> dict:
    """The content of ``kpis.json`` as a dict (see the module example)."""
    rows = [{c: _plain(r[c]) for c in COLUMNS} for r in scorecard[COLUMNS].to_dict("records")]
    for row in rows:  # a KPI the data cannot give: value null and the sentence saying why
        row["reason"] = row["reason"] or None
    return {
        "month": month,
        "team": team or None,
        "lang": lang,
        "currency": currency,
        "as_of": None if as_of is None or pd.isna(as_of) else pd.Timestamp(as_of).isoformat(),
        "kpis": rows,
        "skipped": dict(sorted((skipped or {}).items())),
    }


def write_summary(scorecard: pd.DataFrame, folder, *, month: str, team: str, lang: str,
                  as_of, currency: str) -> list[Path]:
    """Write ``kpis.json`` and ``kpis.csv`` of ``scorecard`` into ``folder``; return both paths."""
    folder = Path(folder)
    doc = summary_document(scorecard, month=month, team=team, lang=lang, as_of=as_of,
                           currency=currency, skipped=scorecard.attrs.get("skipped"))
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    jpath, cpath = folder / JSON_NAME, folder / CSV_NAME
    jpath.write_text(text, encoding="utf-8")
    table = scorecard[COLUMNS].copy()
    table.insert(0, "month", month)
    table.insert(1, "team", team or "")
    table.to_csv(cpath, index=False, lineterminator="\n", encoding="utf-8")
    return [jpath, cpath]


def read_summary(folder) -> dict:
    """The ``kpis.json`` of a month folder as a dict."""
    return json.loads((Path(folder) / JSON_NAME).read_text(encoding="utf-8"))
