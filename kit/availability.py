"""Whether a KPI can be computed on a dataset, and if not, why, in one sentence.

The registry declares the tables each KPI takes (``tables``) and the columns it
reads from them (``needs``). :func:`availability` compares them with a loaded
dataset: a missing table, a missing column, an empty table, a ``by`` column no
table has, or a period outside the dates the tables cover
(:mod:`kit.coverage`) make the KPI unknown. :meth:`Availability.reason` says so
in English or French, naming what is missing and how to add it. Notebooks,
the scorecard, the dashboard and ``kpis.json`` all decide from it.

:func:`mask_uncovered` blanks the rows of a KPI result whose period lies outside
the coverage of a table the KPI needs: unknown, not zero.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> ds = Dataset({"orders": pd.DataFrame({"order_id": ["A"], "customer_id": ["C1"],
...     "amount": [10.0], "ordered_at": pd.to_datetime(["2026-01-05"])})})
>>> availability(ds, "revenue").ok
True
>>> av = availability(ds, "revenue_vs_target")
>>> av.ok, av.missing_tables
(False, ('targets',))
>>> print(av.reason("en"))
Revenue vs target cannot be computed: the dataset has no table targets (columns period, revenue_target). Add targets.csv to the data folder or map it with --mapping (see docs/data-contract.md, section targets).
>>> print(availability(ds, "gross_margin").reason("fr"))
Impossible de calculer « Marge commerciale » : la table orders n’a pas la colonne cost. Ajoutez-la au fichier orders.csv ou faites-la correspondre avec --mapping (voir docs/data-contract.md, section orders).
>>> print(availability(ds, "return_rate").reason("en"))
Return rate cannot be computed: the table orders holds no return line, so the source may not record them and a rate of 0 would be a guess. Add the return lines to orders.csv (a negative amount, is_return true, or a cancelled or returned status; see docs/data-contract.md, section orders).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit import registry
from kit.coverage import coverage, covers, span
from kit.dataset import _schema_names
from kit.errors import KitError
from kit.i18n import check_lang, format_date_short, kpi_label
from kit.orders import has_returns

DOC = "docs/data-contract.md"

#: KPIs that measure an event the source may not record at all: ``{kpi: (table, test, words)}``.
#: ``test(frame)`` is True when the table records the event; when it is False the KPI
#: is unknown (a rate of 0 would be a guess); ``words`` gives, in each language, the event, its
#: plural and how a source records it, for the reason.
RECORDED = {
    "return_rate": ("orders", has_returns, {
        "en": ("return line", "return lines", "a negative amount, is_return true, or a cancelled or returned status"),
        "fr": ("ligne de retour", "lignes de retour",
               "un montant négatif, is_return à vrai, ou un statut annulé ou retourné"),
    }),
}

_TEXT = {
    "en": {
        "cannot": "{label} cannot be computed: {causes}.",
        "unknown": "{label} is unknown for {period}: {causes}.",
        "and": " and ",
        "no_table": "the dataset has no table {table} (columns {columns})",
        "no_table_plain": "the dataset has no table {table}",
        "no_columns": "the table {table} has no column{s} {columns}",
        "empty": "the table {table} has no rows",
        "no_by": "no table it reads ({tables}) has a column {by}",
        "outside": "the table {table} covers {first} to {last} only",
        "no_dates": "the table {table} has no dated rows",
        "no_values": "no row of {tables} gives it a value in this period",
        "add_table": " Add {files} to the data folder or map {them} with --mapping (see {doc}, section {sections}).",
        "add_columns": " Add {it} to the file {files} or map {it} with --mapping (see {doc}, section {sections}).",
        "add_rows": " Add rows to {files} (see {doc}, section {sections}).",
        "it1": "it", "itn": "them",
        "unrecorded": "the table {table} holds no {what}, so the source may not record them "
                      "and a rate of 0 would be a guess",
        "add_unrecorded": " Add the {whats} to {table}.csv ({how}; see {doc}, section {table}).",
    },
    "fr": {
        "cannot": "Impossible de calculer « {label} » : {causes}.",
        "unknown": "« {label} » n’est pas connu pour {period} : {causes}.",
        "and": " et ",
        "no_table": "le jeu de données n’a pas de table {table} (colonnes {columns})",
        "no_table_plain": "le jeu de données n’a pas de table {table}",
        "no_columns": "la table {table} n’a pas la colonne{s} {columns}",
        "empty": "la table {table} n’a aucune ligne",
        "no_by": "aucune des tables lues ({tables}) n’a de colonne {by}",
        "outside": "la table {table} ne couvre que du {first} au {last}",
        "no_dates": "la table {table} n’a aucune ligne datée",
        "no_values": "aucune ligne de {tables} ne lui donne de valeur sur cette période",
        "add_table": " Ajoutez {files} au dossier des données ou faites-{them} correspondre avec --mapping "
                     "(voir {doc}, section {sections}).",
        "add_columns": " Ajoutez-{it} au fichier {files} ou faites-{it} correspondre avec --mapping "
                       "(voir {doc}, section {sections}).",
        "add_rows": " Ajoutez des lignes à {files} (voir {doc}, section {sections}).",
        "it1": "la", "itn": "les",
        "unrecorded": "la table {table} ne contient aucune {what} ; la source ne les enregistre peut-être "
                      "pas, et un taux de 0 serait une supposition",
        "add_unrecorded": " Ajoutez les {whats} à {table}.csv ({how} ; voir {doc}, section {table}).",
    },
}


@dataclass(frozen=True)
class Availability:
    """Whether KPI ``name`` can be computed on a dataset (``ok``) and what is missing.

    Attributes
    ----------
    name : str
    ok : bool
    missing_tables : tuple of str
        Tables the KPI takes that the dataset lacks.
    missing_columns : dict
        ``{table: (column, ...)}`` the KPI reads that the table lacks.
    empty_tables : tuple of str
        Tables the KPI takes that hold no row.
    missing_by : str or None
        A ``by`` column none of the KPI's tables has.
    outside : tuple
        ``((table, first, last), ...)``: tables whose dates do not reach the period asked.
    period : dict
        ``{"en": ..., "fr": ...}``: the period asked, in words (for :meth:`reason`).
    no_values : bool
        The tables cover the period but give the KPI no value in it (every row
        left out, a cohort too young...): unknown for that period.
    unrecorded : tuple of str
        Tables that hold none of the events the KPI measures (:data:`RECORDED`: no
        return line for the return rate): the source may not record them.
    """

    name: str
    ok: bool = True
    missing_tables: tuple = ()
    missing_columns: dict = field(default_factory=dict)
    empty_tables: tuple = ()
    missing_by: str | None = None
    outside: tuple = ()
    period: dict = field(default_factory=dict)
    no_values: bool = False
    unrecorded: tuple = ()

    def reason(self, lang: str = "en") -> str:
        """One plain sentence in ``lang`` naming what is missing and how to add it (empty when ``ok``).

        Examples
        --------
        >>> av = Availability("win_rate", ok=False, empty_tables=("opportunities",))
        >>> print(av.reason("fr"))
        Impossible de calculer « Taux de réussite » : la table opportunities n’a aucune ligne. Ajoutez des lignes à opportunities.csv (voir docs/data-contract.md, section opportunities).
        >>> print(Availability("csat", ok=False, no_values=True, period={"en": "2026"}).reason("en"))
        Customer satisfaction (CSAT) is unknown for 2026: no row of surveys gives it a value in this period.
        >>> Availability("win_rate").reason()
        ''
        """
        check_lang(lang)
        if self.ok:
            return ""
        w = _TEXT[lang]
        spec = registry.get(self.name)
        causes, advice = [], ""
        if self.missing_tables:
            for t in self.missing_tables:
                cols = spec.needs.get(t, ())
                causes.append(w["no_table"].format(table=t, columns=", ".join(cols)) if cols
                              else w["no_table_plain"].format(table=t))
            advice = w["add_table"].format(files=", ".join(f"{t}.csv" for t in self.missing_tables),
                                           them=w["it1" if len(self.missing_tables) == 1 else "itn"],
                                           doc=DOC, sections=", ".join(self.missing_tables))
        if self.missing_columns:
            n = sum(len(c) for c in self.missing_columns.values())
            for t, cols in self.missing_columns.items():
                causes.append(w["no_columns"].format(table=t, columns=", ".join(cols),
                                                     s="s" if len(cols) > 1 else ""))
            if not advice:
                advice = w["add_columns"].format(
                    it=w["it1" if n == 1 else "itn"], doc=DOC,
                    files=", ".join(f"{t}.csv" for t in self.missing_columns),
                    sections=", ".join(self.missing_columns))
        if self.missing_by:
            tables = ", ".join(t for t in spec.tables)
            causes.append(w["no_by"].format(tables=tables, by=self.missing_by))
            if not advice:
                advice = w["add_columns"].format(it=w["it1"], doc=DOC, files=f"{spec.tables[0]}.csv",
                                                 sections=spec.tables[0])
        if self.empty_tables:
            causes += [w["empty"].format(table=t) for t in self.empty_tables]
            if not advice:
                advice = w["add_rows"].format(files=", ".join(f"{t}.csv" for t in self.empty_tables),
                                              doc=DOC, sections=", ".join(self.empty_tables))
        for t in self.unrecorded:
            what, whats, how = RECORDED[self.name][2][lang]
            causes.append(w["unrecorded"].format(table=t, what=what))
            if not advice:
                advice = w["add_unrecorded"].format(table=t, whats=whats, how=how, doc=DOC)
        for t, first, last in self.outside:
            if pd.isna(first):
                causes.append(w["no_dates"].format(table=t))
            else:
                causes.append(w["outside"].format(table=t, first=format_date_short(first, lang),
                                                  last=format_date_short(last, lang)))
        if self.no_values:
            causes.append(w["no_values"].format(tables=", ".join(spec.tables)))
        label = kpi_label(self.name, lang)
        causes_text = w["and"].join(causes)
        if (self.outside or self.no_values) and not (self.missing_tables or self.missing_columns or self.missing_by
                                 or self.empty_tables):
            return w["unknown"].format(label=label, period=self.period.get(lang, ""), causes=causes_text)
        return w["cannot"].format(label=label, causes=causes_text) + advice


class Unavailable(KitError):
    """A KPI a section needs cannot be computed; ``availability`` says why.

    Examples
    --------
    >>> exc = Unavailable(Availability("csat", ok=False, missing_tables=("surveys",)))
    >>> exc.availability.missing_tables, str(exc).startswith("Customer satisfaction (CSAT) cannot")
    (('surveys',), True)
    """

    def __init__(self, availability):
        super().__init__(availability.reason("en"))
        self.availability = availability


def availability(ds, name: str, *, by=None, start=None, end=None, period: dict | None = None,
                 cov: pd.DataFrame | None = None) -> Availability:
    """Whether KPI ``name`` can be computed on dataset ``ds`` (by ``by``, over ``[start, end)``).

    Parameters
    ----------
    ds : Dataset
    name : str
        A KPI of the registry.
    by : str or list of str, optional
        Breakdown columns: each must be a column of one of the KPI's tables.
    start, end : date-like, optional
        The period asked: when a dated table the KPI needs has no date in it, the
        KPI is unknown for that period.
    period : dict, optional
        ``{"en": ..., "fr": ...}``: the period in words, for the reason.
    cov : DataFrame, optional
        :func:`kit.coverage.coverage` of ``ds``, when already known.

    Returns
    -------
    Availability

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.dataset import Dataset
    >>> opps = pd.DataFrame({"opportunity_id": ["O1"], "status": ["won"],
    ...     "closed_at": pd.to_datetime(["2026-03-05"]), "created_at": pd.to_datetime(["2026-03-01"])})
    >>> ds = Dataset({"opportunities": opps})
    >>> availability(ds, "win_rate", by="rep_id").missing_by
    'rep_id'
    >>> av = availability(ds, "win_rate", start="2025-01-01", end="2025-02-01",
    ...                   period={"en": "January 2025", "fr": "janvier 2025"})
    >>> print(av.reason())
    Win rate is unknown for January 2025: the table opportunities covers Mar 1, 2026 to Mar 5, 2026 only.
    """
    spec = registry.get(name)
    missing_tables = tuple(t for t in spec.tables if t not in ds.tables)
    missing_columns = {}
    present = [t for t in (*spec.tables, *spec.optional_tables) if t in ds.tables]
    schemas = {t: _schema_names(ds.tables, t) for t in present}
    for t, cols in spec.needs.items():
        if t in schemas:
            lacking = tuple(c for c in cols if c not in schemas[t])
            if lacking:
                missing_columns[t] = lacking
    missing_by = None
    for col in ([by] if isinstance(by, str) else list(by or ())) if not missing_tables else ():
        if not any(col in schemas[t] for t in present):
            missing_by = col
            break
    empty, outside, unrecorded = (), (), ()
    if not (missing_tables or missing_columns):
        cov = coverage(ds, tables=spec.tables) if cov is None else cov  # only the KPI's tables
        dated = [t for t in spec.tables if span(cov, t) is not None]
        empty = tuple(t for t in dated if int(cov.loc[cov["table"] == t, "rows"].iloc[0]) == 0)
        if not empty and (start is not None or end is not None):
            outside = tuple((t, *span(cov, t)) for t in dated if not covers(cov, t, start, end))
        if not empty and name in RECORDED:
            table, records, _ = RECORDED[name]
            unrecorded = () if records(ds.tables[table]) else (table,)
    ok = not (missing_tables or missing_columns or missing_by or empty or outside or unrecorded)
    return Availability(name=name, ok=ok, missing_tables=missing_tables, missing_columns=missing_columns,
                        empty_tables=empty, missing_by=missing_by, outside=outside,
                        unrecorded=unrecorded, period=dict(period or {}))


def mask_uncovered(df: pd.DataFrame, name: str, cov: pd.DataFrame, freq: str = "M",
                   keep=()) -> pd.DataFrame:
    """``df`` with the figures of each period outside the coverage of a table KPI ``name`` needs set to missing.

    A period is covered when every dated table of the KPI holds a date in it
    (:func:`kit.coverage.covers`). Rows outside keep their keys and ``period``;
    their numbers (value, numerator, denominator, intervals...) become NaN and
    ``low_sample`` NA: unknown, not zero. Results without ``period`` are returned
    unchanged.

    Parameters
    ----------
    df : DataFrame
        A KPI result with a ``period`` column.
    name : str
    cov : DataFrame
        :func:`kit.coverage.coverage` of the dataset.
    freq : {"W", "M", "Q", "Y"}
        Length of each period.
    keep : sequence of str
        Numeric columns to leave as they are (group keys).

    Examples
    --------
    >>> cov = pd.DataFrame({"table": ["orders"], "column": ["ordered_at"],
    ...     "first": [pd.Timestamp("2026-02-10")], "last": [pd.Timestamp("2026-03-20")], "rows": [9]})
    >>> df = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]),
    ...                    "value": [0.0, 5.0, 7.0, 0.0]})
    >>> mask_uncovered(df, "revenue", cov)["value"].tolist()
    [nan, 5.0, 7.0, nan]
    """
    if "period" not in df.columns or not len(df):
        return df
    spec = registry.get(name)
    tables = [t for t in spec.tables if span(cov, t) is not None]
    if not tables:
        return df
    offset = {"W": pd.DateOffset(weeks=1), "M": pd.DateOffset(months=1), "Q": pd.DateOffset(months=3),
              "Y": pd.DateOffset(years=1)}.get(freq or "M", pd.DateOffset(months=1))
    periods = pd.to_datetime(df["period"])
    known = {p: all(covers(cov, t, p, p + offset) for t in tables) for p in periods.dropna().unique()}
    outside = ~periods.map(lambda p: known.get(p, True)).astype(bool).to_numpy()
    if not outside.any():
        return df
    out = df.copy()
    for col in out.columns:
        if col in ("period", *keep):
            continue
        if col == "low_sample":
            out[col] = out[col].astype("boolean")
            out.loc[outside, col] = pd.NA
        elif pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype(float)
            out.loc[outside, col] = np.nan
    return out
