"""Running KPIs on a dataset: :func:`compute` and :func:`catalog`.

Examples
--------
>>> import pandas as pd, kit
>>> ds = kit.Dataset({"opportunities": pd.DataFrame({
...     "opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
...     "closed_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-01"])})})
>>> kit.compute(ds, "win_rate")["value"].round(3).tolist()
[0.667]
>>> "win_rate" in kit.catalog()["name"].tolist()
True
"""

from __future__ import annotations

import pandas as pd

import kit.kpis  # noqa: F401 - registers every KPI
from kit import registry
from kit.errors import DataError, ParameterError, did_you_mean
from kit.i18n import check_lang


def compute(ds, name: str, **options) -> pd.DataFrame:
    """Run the KPI ``name`` of the registry on dataset ``ds``.

    The tables the KPI needs are taken from ``ds``; options it accepts (``by``,
    ``freq``, ``start``, ``end`` and KPI-specific ones) are passed through. KPIs with
    an ``as_of`` option (cohort KPIs) get ``ds.as_of`` unless one is given.

    Raises
    ------
    UnknownKPIError
        For a name not in the registry, listing the known names.
    DataError
        When the dataset lacks a table the KPI needs.
    ParameterError
        For an option the KPI does not take.
    """
    spec = registry.get(name)
    missing = [t for t in spec.tables if t not in ds.tables]
    if missing:
        issues = getattr(ds, "issues", None)
        causes = [] if issues is None or not len(issues) else issues.loc[
            (issues["rule"] == "absent") & issues["table"].isin(missing), "message"].tolist()
        if causes:  # the load said why the table is missing: that is the cause to give
            raise DataError(f"KPI {name!r} cannot be computed: {' '.join(causes)}")
        raise DataError(
            f"KPI {name!r} needs table(s) {missing}, which the dataset does not have; "
            f"it has {sorted(ds.tables)}. Add the file(s) {', '.join(m + '.csv' for m in missing)} "
            "to the dataset folder, or map them with mapping=."
        )
    accepted = list(spec.options)
    unknown = [o for o in options if o not in accepted]
    if unknown:
        hints = "".join(did_you_mean(u, accepted) for u in unknown)
        raise ParameterError(
            f"KPI {name!r} does not take option(s) {unknown}{hints}; it accepts {accepted}. "
            f"See help({spec.func.__module__}.{spec.func.__name__})."
        )
    args = [ds.tables[t] for t in spec.tables]
    kwargs = dict(options)
    for t in spec.optional_tables:
        if t in accepted and t not in kwargs:
            kwargs[t] = ds.tables.get(t)
    if "as_of" in accepted and "as_of" not in kwargs:
        kwargs["as_of"] = ds.as_of
    return spec.func(*args, **kwargs)


def catalog(lang: str = "en") -> pd.DataFrame:
    """The registry as a DataFrame: name, family, label, definition, unit, direction, tables, date.

    Parameters
    ----------
    lang : {"en", "fr"}
    """
    check_lang(lang)
    rows = [{
        "name": s.name, "family": s.family, "label": s.label[lang],
        "definition": s.definition[lang], "unit": s.unit, "direction": s.direction,
        "tables": ", ".join(s.tables), "date": s.date, "headline": s.headline,
    } for s in registry.specs()]
    return pd.DataFrame(rows)
