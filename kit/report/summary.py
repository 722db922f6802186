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

``kpis.json`` also says why each KPI moved: ``contributions`` holds, for a KPI that
splits over groups (:data:`kit.explain.DECOMPOSABLE`), its three largest
contributions over its default grouping (:func:`top_contributions`): a list of
``{"by", "group", "contribution", "ci_low", "ci_high"}``, ``[]`` when no group moved,
``null`` when the KPI does not split, the data has no grouping for it or the change
cannot be split (a month without units). ``kpis.csv`` leaves them out (a list does
not fit a cell).

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
>>> doc["kpis"][0]["contributions"] is None  # none given to write_summary
True
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd

from kit.errors import KitError
from kit.explain import DECOMPOSABLE, explain_change
from kit.explain_by import default_grouping, largest_contributions
from kit.i18n import t
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


def top_contributions(ds, scorecard: pd.DataFrame, month, *, lang: str = "en", top: int = 3) -> dict:
    """``{KPI: its top largest contributions, or None}`` for the KPIs of ``scorecard``.

    Each KPI of :data:`kit.explain.DECOMPOSABLE` with a value is split over its default
    grouping (:func:`kit.explain_by.default_grouping`) between the month before and
    ``month`` (:func:`kit.explain.explain_change`, seeded bootstrap: the same data gives
    the same intervals); :func:`kit.explain_by.largest_contributions` keeps the
    ``top`` largest. None for the other KPIs, and when the change cannot be split.

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.dataset import Dataset
    >>> from kit.scorecard import scorecard
    >>> leads = pd.DataFrame({"lead_id": [f"L{i}" for i in range(6)],
    ...     "source": ["web", "web", "salon", "web", "salon", "salon"],
    ...     "created_at": pd.to_datetime(["2026-09-02"] * 3 + ["2026-10-02"] * 3)})
    >>> ds = Dataset({"leads": leads})
    >>> sc = scorecard(ds, "2026-10", names=["leads_generated", "never_engaged_rate"])
    >>> out = top_contributions(ds, sc, "2026-10")
    >>> [(c["group"], c["contribution"]) for c in out["leads_generated"]], out["never_engaged_rate"]
    ([('salon', 1.0), ('web', -1.0)], None)
    """
    out = {}
    for name, value in zip(scorecard["name"], scorecard["value"]):
        out[name] = None
        by = default_grouping(ds, name) if name in DECOMPOSABLE and not pd.isna(value) else None
        if by is None:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = explain_change(ds, name, by=by, month=month)
        except KitError:  # a month without units, overlapping groups: not split
            continue
        out[name] = largest_contributions(res, top=top, missing=t("missing", lang))
    return out


def summary_document(scorecard: pd.DataFrame, *, month: str, team: str, lang: str,
                     as_of, currency: str, skipped: dict | None = None,
                     contributions: dict | None = None) -> dict:
    """The content of ``kpis.json`` as a dict (see the module example); ``contributions``
    is ``{KPI: list or None}`` (see :func:`top_contributions`), None for every KPI when not given."""
    rows = [{c: _plain(r[c]) for c in COLUMNS} for r in scorecard[COLUMNS].to_dict("records")]
    for row in rows:  # a KPI the data cannot give: value null and the sentence saying why
        row["reason"] = row["reason"] or None
        row["contributions"] = (contributions or {}).get(row["name"])
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
                  as_of, currency: str, contributions: dict | None = None) -> list[Path]:
    """Write ``kpis.json`` and ``kpis.csv`` of ``scorecard`` into ``folder``; return both paths.

    ``contributions`` (see :func:`top_contributions`) goes into ``kpis.json`` only.
    """
    folder = Path(folder)
    doc = summary_document(scorecard, month=month, team=team, lang=lang, as_of=as_of,
                           currency=currency, skipped=scorecard.attrs.get("skipped"),
                           contributions=contributions)
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
