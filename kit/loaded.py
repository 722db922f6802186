"""Which KPIs the tables of a dataset allow: the registry's tables against the loaded ones.

A KPI can run when every table it takes (:attr:`kit.registry.KPISpec.tables`) is
loaded; its optional tables only add detail. This looks at tables only: a loaded
table may still lack a column or rows for the period asked.

Examples
--------
>>> import pandas as pd, kit
>>> ds = kit.Dataset({"opportunities": pd.DataFrame({
...     "opportunity_id": ["O1"], "status": ["won"],
...     "closed_at": pd.to_datetime(["2026-01-05"])})})
>>> table = kpis_for(ds)
>>> bool(table.set_index("name").loc["win_rate", "available"])
True
>>> table.set_index("name").loc["revenue", "missing"]
'orders'
"""

from __future__ import annotations

import pandas as pd

from kit import i18n, registry


def kpis_for(ds, lang: str = "en") -> pd.DataFrame:
    """Every KPI of the registry, and whether the loaded tables of ``ds`` allow it.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`kit.load_dataset`).
    lang : {"en", "fr"}
        Language of the ``label`` column.

    Returns
    -------
    DataFrame
        One row per KPI in registry order: ``name``, ``label``, ``family``,
        ``unit``, ``tables`` (those it needs, comma-separated), ``available``
        (all of them loaded) and ``missing`` (the tables not loaded, comma-separated;
        empty when available). Sorted with the available KPIs first.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1"],
    ...     "created_at": pd.to_datetime(["2026-01-05"])})})
    >>> t = kpis_for(ds, lang="fr")
    >>> t.loc[t["name"] == "leads_generated", ["label", "available"]].values.tolist()
    [['Leads générés', True]]
    >>> t.loc[t["name"] == "cac", "missing"].item()
    'costs, customers'
    """
    i18n.check_lang(lang)
    loaded = set(ds.tables)
    rows = []
    for spec in registry.specs():
        missing = [t for t in spec.tables if t not in loaded]
        rows.append({"name": spec.name, "label": spec.label[lang], "family": spec.family,
                     "unit": spec.unit, "tables": ", ".join(spec.tables),
                     "available": not missing, "missing": ", ".join(missing)})
    table = pd.DataFrame(rows, columns=["name", "label", "family", "unit", "tables", "available",
                                        "missing"])
    return table.sort_values("available", ascending=False, kind="stable").reset_index(drop=True)


__all__ = ["kpis_for"]
