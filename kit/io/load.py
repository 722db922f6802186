"""``load_dataset``: from a folder, a database or a dict of frames to a checked :class:`Dataset`.

The steps, each in its own module:

1. find the tables (:mod:`kit.io.sources`, :mod:`kit.io.sql`) and the mapping
   (:mod:`kit.io.mapping`);
2. rename, type and check each table in DuckDB (:mod:`kit.io.validate`,
   :mod:`kit.io.parse`); structural problems of every table are raised together;
3. cross-table checks (orphans, order of events, future dates);
4. tables derived from others when missing (:mod:`kit.io.derive`): orders from won
   opportunities, customers and products from the orders, leads' conversions from
   their won deals;
5. enrichment (:mod:`kit.io.enrich`);
6. the tables in the chosen backend (:mod:`kit.io.output`).

Input files are only read: CSV and Excel files are read into memory, Parquet files
and DuckDB databases are opened read-only, SQLite files in read-only mode.
"""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path

import pandas as pd

from kit.contract import TABLE_NAMES
from kit.dataset import Dataset
from kit.errors import ParameterError, check_choice
from kit.io import cache
from kit.io.asof import with_as_of
from kit.io.derive import derive_tables
from kit.io.enrich import enrich
from kit.io.currency import check_rates, convert_amounts, settle
from kit.io.export_fields import absent_columns
from kit.io.issues import Issue, issues_frame, raise_strict, raise_structural
from kit.io.mapping import resolve
from kit.io.output import BACKENDS, materialise, open_store
from kit.io.presets import discover_preset
from kit.io.raw import is_url
from kit.io.sources import discover
from kit.io.relations import check_relations
from kit.io.validate import release, stage_table

LOCALES = ("auto", "fr", "en")


def source_label(source) -> str:
    """How ``source`` is named in messages (a password in a URL is hidden).

    Examples
    --------
    >>> source_label("postgresql://kit:secret@db/crm")
    'postgresql://kit:***@db/crm'
    >>> source_label({"leads": None})
    'dict of tables (leads)'
    """
    if isinstance(source, dict):
        return f"dict of tables ({', '.join(map(str, source))})"
    text = str(source)
    if is_url(text):
        text = re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", text)
    return text


def _check_options(backend, locale, timezone, currency):
    check_choice("backend", backend, BACKENDS,
                 what_next="Use backend='pandas' (default), 'polars' or 'duckdb'.")
    check_choice("locale", locale, LOCALES,
                 what_next="Use locale='fr' for 1 234,56 and 31/12/2025, 'en' for 1,234.56 and "
                           "12/31/2025, or 'auto' to decide from the values.")
    try:
        zoneinfo.ZoneInfo(str(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ParameterError(f"timezone={timezone!r} is not a time zone name; use an IANA name "
                             "such as 'Europe/Paris' or 'UTC'.") from None
    if currency is not None and not (isinstance(currency, str) and re.fullmatch(r"[A-Za-z]{3}", currency)):
        raise ParameterError(f"currency={currency!r} is not an ISO 4217 code; use a three-letter "
                             "code such as 'EUR' or 'USD'.")


def load_dataset(source, *, preset=None, mapping=None, backend="pandas", strict=False,
                 locale="auto", timezone="Europe/Paris", currency=None, rates=None,
                 as_of=None) -> Dataset:
    """Load, check and enrich a dataset.

    Parameters
    ----------
    source : str, Path or dict
        A folder with one file per table named after it (``leads.csv``,
        ``orders.parquet``, ``targets.xlsx``), one such file, a database URL
        (``sqlite:///crm.db``, ``duckdb:///crm.duckdb``, ``postgresql://...``), or a
        dict ``{table: DataFrame}``.
    preset : str, optional
        A CRM export: ``"hubspot"``, ``"salesforce"``, ``"pipedrive"`` (files in
        ``kit/presets/``) or the path of your own preset file (see
        :mod:`kit.io.presets`). ``source`` is then the export file or its folder.
    mapping : dict or path, optional
        Per table ``{"file", "columns", "values"}`` (see :mod:`kit.io.mapping`), or
        a YAML file holding it; with a preset it applies to the preset's tables.
    backend : {"pandas", "polars", "duckdb"}
        Type of the tables of the dataset. With ``"duckdb"``, the checked rows
        are stored once in DuckDB tables; those of Parquet files and DuckDB
        databases go to a temporary DuckDB file, with DuckDB's memory limited to
        ``KIT_DUCKDB_MEMORY_LIMIT`` (default 512MB), so they are not held in memory.
    strict : bool
        Raise :class:`~kit.errors.DataError` on any error or warning instead of
        setting rows aside.
    locale : {"auto", "fr", "en"}
        How to read ambiguous numbers (``1,234``) and dates (``03/04/2025``);
        ``"auto"`` decides per column from its values, French when they do not tell.
    timezone : str
        Times with an offset are converted to this zone, then made naive.
    currency : str, optional
        The dataset's currency; its symbol is accepted in amounts (``1 234,56 €``).
        Default: the currency of a preset export's currency column when it has one
        currency, else ``"EUR"``.
    rates : dict, optional
        With a preset export whose amounts are in several currencies (or in another
        currency than ``currency``): the value of one unit of each currency in the
        dataset currency, e.g. ``{"USD": 0.92}`` with ``currency="EUR"``. Without it,
        amounts in several currencies are not added up (see :mod:`kit.io.currency`).
    as_of : date-like, optional
        End of the data; default the latest timestamp of any date column
        (``converted_at``, ``closed_at``... too). Rows dated after a given ``as_of``
        are kept and counted in ``ds.issues`` (rule ``after_as_of``, see
        :mod:`kit.io.asof`).

    Notes
    -----
    With the environment variable ``KIT_LOAD_CACHE`` set to a folder, a load of
    files already loaded with the same options is read back from it
    (:mod:`kit.io.cache`); ``kit report`` uses this so that its notebooks load
    the data once.

    Returns
    -------
    Dataset
        With ``ds.issues`` (one row per problem), ``ds.rejected`` (per table, the
        rows set aside, with ``_reason`` and ``_line``) and ``ds.rows_read`` (per
        table, the rows read: kept + rejected).

    Raises
    ------
    DataError
        On structural problems (unknown table, missing required column, file that
        cannot be read), all listed at once; with ``strict=True`` on any problem.
    ParameterError
        On an option outside what is allowed.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = load_dataset({"opportunities": pd.DataFrame({
    ...     "opportunity_id": ["O1", "O2", "O2"], "created_at": ["01/12/2025"] * 3,
    ...     "rep_id": ["R1"] * 3, "status": ["Won", "lost", "lost"],
    ...     "amount": ["1 234,50 €", "", ""], "closed_at": ["15/12/2025"] * 3})})
    >>> ds.opportunities["amount"].tolist()
    [1234.5, nan]
    >>> ds.rejected["opportunities"]["_reason"].tolist()
    ['duplicate opportunity_id O2 (first on line 3)']
    >>> ds.orders[["order_id", "amount"]].to_dict("records")
    [{'order_id': 'O1', 'amount': 1234.5}]
    """
    _check_options(backend, locale, timezone, currency)
    key = cache.cache_key(source, {"preset": preset, "mapping": mapping, "backend": backend,
                                   "strict": strict, "locale": locale, "timezone": timezone,
                                   # without a preset, no currency means EUR
                                   "currency": currency if preset is not None else currency or "EUR",
                                   **({"rates": rates} if rates is not None else {})})
    as_of = _check_as_of(as_of)
    cached = cache.read(key)
    if cached is not None:  # KIT_LOAD_CACHE: the same files loaded with the same options
        # stored with the default as_of (the latest timestamp) and the key of its load
        # (set below, before it was written): as_of set again only when given, which makes
        # another dataset, without the key (other data)
        return cached if as_of is None else with_as_of(cached, as_of)
    label = source_label(source)
    notes, money, convert = [], None, None
    rates = check_rates(rates)
    if preset is not None:  # a CRM export: files found by their header, see kit.io.presets
        maps = resolve(None, mapping)
        raws, problems, notes, money = discover_preset(source, preset, maps, locale=locale,
                                                       rates=rates)
    elif rates is not None:
        raise ParameterError("rates= converts the amounts of a CRM export read with preset= "
                             "(its currency column says the currency of each deal); without "
                             "preset=, convert the amounts before loading.")
    currency, convert = settle(money, currency, rates)
    import duckdb  # loaded with the first dataset, not with kit

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    if preset is None:
        maps = resolve(None, mapping)
        raws, problems = discover(source, maps, con)
    if any(raw.lazy for raw in raws.values()):
        # Parquet / DuckDB sources: checked with DuckDB's memory limited and a spill
        # folder (and, for the DuckDB backend, stored in a file: out of core)
        open_store(con)
    stages = {}
    for table in TABLE_NAMES:
        if table in raws:
            # the checked rows are computed once, in a temporary table that the checks,
            # the derived tables and the output read (for Parquet and DuckDB sources,
            # DuckDB's memory is limited: the table spills to the temporary folder)
            st = stage_table(con, raws[table], maps.get(table), locale=locale,
                             timezone=timezone, currency=currency, store=True)
            problems += st.structural
            stages[table] = st
    raise_structural(problems, label)

    if convert:
        convert_amounts(con, money, currency, convert)
        notes.append(Issue(money.table, "amount", "converted", "info", 0, [],
                           f"amounts converted to {currency} with rates {convert}."))
    issues = notes + [i for st in stages.values() for i in st.issues]
    issues += absent_columns(stages, issues)
    now = pd.Timestamp.now(tz=timezone).tz_localize(None).floor("s")
    issues += check_relations(con, stages, now=now)
    columns = {t: list(st.columns) for t, st in stages.items()}
    lazy = {t: st.lazy for t, st in stages.items()}
    columns, views, derived = derive_tables(con, columns, lazy)
    issues += derived
    columns, enriched = enrich(con, columns, views)
    issues += enriched
    if strict:
        raise_strict(issues, label)

    tables = {t: materialise(con, t, backend, lazy.get(t, False))
              for t in TABLE_NAMES if t in columns}
    rejected = {t: st.rejected for t, st in stages.items()}
    if backend == "duckdb":
        # the tables are stored by materialise: the checked rows and the frames read
        # are not needed any more
        release(con, stages)
        for t, raw in raws.items():
            if not raw.lazy:
                con.unregister(f"frame_{t}")
    else:
        con.close()
    ds = Dataset(tables, issues_frame(issues), rejected, backend=backend,
                 currency=currency.upper(), timezone=timezone,
                 source=str(Path(source)) if isinstance(source, Path) else label,
                 rows_read={t: int(st.rows_read) for t, st in stages.items()})
    # the dataset carries the key of its load: results computed on it can be shared
    # by the processes of a report (kit.io.cache)
    cache.set_dataset_key(ds, key)
    if key is not None and cache.cache_dir() is not None:
        cache.write(key, ds)
    # ds.as_of is already the latest timestamp (the default): not computed twice
    return ds if as_of is None else with_as_of(ds, as_of)


def _check_as_of(as_of):
    """``as_of`` as a Timestamp (``None`` when not given or empty).

    Examples
    --------
    >>> str(_check_as_of("2026-10-31")), _check_as_of(""), _check_as_of(None)
    ('2026-10-31 00:00:00', None, None)
    """
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return None
    try:
        value = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        value = None
    if value is None or pd.isna(value):
        raise ParameterError(f"as_of={as_of!r} is not a date; pass a date such as '2026-10-31' or "
                             "'2026-10-31 18:00', or leave it empty for the latest date of the data.")
    return value.tz_convert(None) if value.tzinfo is not None else value
