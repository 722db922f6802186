"""Running the kit on PySpark: a local session and datasets of Spark DataFrames.

The KPI code is written once with narwhals, so every KPI runs on PySpark
DataFrames as it does on pandas, polars or DuckDB; only the tables change. This
module gives three things:

* :func:`spark_session`: a session set up for the kit (UTC session time zone, no
  UI, few shuffle partitions, Arrow transfers), local by default or on a cluster;
* :func:`to_spark`: a loaded :class:`kit.Dataset` with every table as a Spark
  DataFrame, typed from the data contract (times as ``TIMESTAMP_NTZ``, the
  timezone-naive timestamps of the contract);
* :func:`from_spark`: a :class:`kit.Dataset` from Spark DataFrames already on a
  cluster (``spark.read.parquet``, ``spark.table``), with the enrichment columns
  of the loader (``team``, ``manager``, ``region``, ``product_category``, the
  customer's ``source`` and ``segment`` on orders) added by joins run in Spark.

PySpark is an optional dependency (``pip install 'kit[spark]'``, Java 17 or later).
See ``docs/spark.md`` for pointing the kit at a cluster.

Examples
--------
>>> import pandas as pd, kit
>>> from kit.spark import spark_session, to_spark
>>> spark = spark_session()
>>> ds = kit.Dataset({"opportunities": pd.DataFrame({
...     "opportunity_id": ["O1", "O2", "O3"], "rep_id": ["R1", "R1", "R2"],
...     "status": ["won", "lost", "won"],
...     "created_at": pd.to_datetime(["2026-01-02", "2026-01-03", "2026-01-04"]),
...     "closed_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-01"])})})
>>> sds = to_spark(ds, spark)
>>> sds.backend, type(sds.opportunities).__name__
('spark', 'DataFrame')
>>> kit.compute(sds, "win_rate", freq="M")[["period", "value"]].to_dict("records")
[{'period': Timestamp('2026-01-01 00:00:00'), 'value': 0.5}, {'period': Timestamp('2026-02-01 00:00:00'), 'value': 1.0}]
"""

from __future__ import annotations

from dataclasses import replace

import narwhals as nw
import pandas as pd

from kit.contract import CONTRACT, ENRICHED
from kit.dataset import Dataset
from kit.errors import DataError, ParameterError, did_you_mean
from kit.frames import to_pandas

#: Session settings the kit needs or that suit small machines (see ``docs/spark.md``).
DEFAULT_CONF = {
    # the kit's times are timezone-naive; UTC keeps any TIMESTAMP column unshifted
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    # KPI results are small: a few partitions per shuffle instead of 200
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.execution.arrow.pyspark.fallback.enabled": "true",
}

_KIND_TYPES = {
    "id": "string", "str": "string", "enum": "string", "datetime": "timestamp_ntz",
    "date": "timestamp_ntz", "money": "double", "number": "double", "int": "long", "bool": "boolean",
}
_ENRICHED_TEXT = {c for cols in ENRICHED.values() for c in cols}


def _pyspark():
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import SparkSession, types
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "PySpark is not installed (needed by kit.spark). Install it with "
            "`pip install 'kit[spark]'` (or `pip install pyspark`); it needs Java 17 or later."
        ) from exc
    return SparkSession, types


def spark_session(master: str | None = "local[2]", *, app_name: str = "kit", conf: dict | None = None,
                  log_level: str = "ERROR"):
    """A SparkSession set up for the kit (created once, then reused).

    Parameters
    ----------
    master : str or None
        ``"local[2]"`` (default: two local cores), ``"local[*]"``, a cluster URL such
        as ``"spark://host:7077"`` or ``"yarn"``; ``None`` leaves the master to
        ``spark-submit`` or to the platform (Databricks, EMR...).
    app_name : str
        Name shown in the Spark UI of a cluster.
    conf : dict, optional
        Extra or overriding settings, e.g. ``{"spark.driver.memory": "4g"}``; they
        are applied on top of :data:`DEFAULT_CONF`.
    log_level : str
        Log level of the Spark context (``"ERROR"`` keeps notebooks quiet).

    Returns
    -------
    pyspark.sql.SparkSession
        When a session already runs in the process it is returned, with the
        runtime settings of :data:`DEFAULT_CONF` and ``conf`` applied.

    Raises
    ------
    ParameterError
        When ``master`` or a ``conf`` key or value is not a string.

    Examples
    --------
    >>> spark = spark_session()
    >>> spark.conf.get("spark.sql.session.timeZone")
    'UTC'
    >>> spark_session() is spark
    True
    """
    SparkSession, _ = _pyspark()
    if master is not None and not isinstance(master, str):
        raise ParameterError(
            f"master={master!r} is not allowed: it must be a string such as 'local[2]' or "
            "'spark://host:7077', or None to keep the master set by spark-submit."
        )
    settings = {**DEFAULT_CONF, **(conf or {})}
    bad = {k: v for k, v in settings.items() if not isinstance(k, str)}
    if bad:
        raise ParameterError(
            f"conf keys must be Spark setting names (strings); received {sorted(map(repr, bad))}. "
            "Pass e.g. conf={'spark.driver.memory': '4g'}."
        )
    active = SparkSession.getActiveSession()
    if active is not None:
        for key, value in settings.items():
            try:
                active.conf.set(key, str(value))
            except Exception:  # static settings (UI, memory) cannot change on a running session
                pass
        return active
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, str(value))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(log_level)
    return spark


def _field_type(table: str, column: str, series: pd.Series, types):
    """The Spark type of one column: from the contract kind, else from the pandas dtype."""
    kind = None
    spec = CONTRACT.get(table)
    if spec is not None and spec.has(column):
        kind = spec.column(column).kind
    elif column in _ENRICHED_TEXT:
        kind = "str"
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        name = "boolean"
    elif pd.api.types.is_integer_dtype(dtype):
        name = "long" if kind not in ("money", "number") else "double"
    elif pd.api.types.is_float_dtype(dtype):
        name = "double"
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        name = "timestamp_ntz"
    elif kind is not None:
        name = _KIND_TYPES[kind]
    else:
        name = "string"
    return {"string": types.StringType(), "timestamp_ntz": types.TimestampNTZType(),
            "double": types.DoubleType(), "long": types.LongType(),
            "boolean": types.BooleanType()}[name]


def spark_schema(frame: pd.DataFrame, table: str):
    """The Spark schema of a pandas table: contract kinds first, pandas dtypes otherwise.

    Times become ``TIMESTAMP_NTZ`` (naive, never shifted by a session time zone);
    a text column holding only missing values stays a string column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "source": [None, None, None],
    ...                    "created_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"])})
    >>> [(f.name, f.dataType.simpleString()) for f in spark_schema(df, "leads").fields]
    [('lead_id', 'string'), ('source', 'string'), ('created_at', 'timestamp_ntz')]
    """
    _, types = _pyspark()
    return types.StructType([
        types.StructField(str(c), _field_type(table, str(c), frame[c], types), True)
        for c in frame.columns
    ])


def _to_spark_frame(spark, frame: pd.DataFrame, table: str):
    df = frame.reset_index(drop=True)
    for c in df.columns:  # Arrow wants plain Python values or NA, not NaN, in text columns
        if df[c].dtype == object or isinstance(df[c].dtype, (pd.StringDtype, pd.CategoricalDtype)):
            # Arrow-backed text and categories of text too
            df[c] = df[c].astype(object).where(df[c].notna(), None)
    return spark.createDataFrame(df, schema=spark_schema(df, table))


def to_spark(ds: Dataset, spark=None, *, tables=None, cache: bool = False) -> Dataset:
    """The same dataset with every table as a PySpark DataFrame.

    Parameters
    ----------
    ds : kit.Dataset
        A loaded dataset (any backend: tables are read into pandas first, so this
        suits data that fits on the driver; for larger data read it in Spark and use
        :func:`from_spark`).
    spark : SparkSession, optional
        Default: :func:`spark_session` (local, two cores).
    tables : list of str, optional
        Only these tables (default: all of them).
    cache : bool
        Cache each table in Spark memory (worth it when many KPIs run on it).

    Returns
    -------
    kit.Dataset
        ``backend="spark"``; issues, rejected rows and ``as_of`` are kept.

    Raises
    ------
    DataError
        When ``tables`` names a table the dataset does not have.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2", "L3"],
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03"])})})
    >>> kit.compute(to_spark(ds), "leads_generated", freq="M")["value"].tolist()
    [2, 1]
    """
    names = list(ds.tables) if tables is None else list(tables)
    unknown = [t for t in names if t not in ds.tables]
    if unknown:
        hints = "".join(did_you_mean(u, ds.tables) for u in unknown)
        raise DataError(
            f"to_spark(tables=...): table(s) {unknown} are not in the dataset{hints}; "
            f"it has {sorted(ds.tables)}. Pass names of tables it has, or leave tables= out."
        )
    spark = spark if spark is not None else spark_session()
    out = {}
    for name in names:
        sdf = _to_spark_frame(spark, to_pandas(ds.tables[name]), name)
        out[name] = sdf.cache() if cache else sdf
    return replace(ds, tables=out, backend="spark")


def _cast_contract(sdf, table: str):
    """Cast the contract columns of a Spark table to the kit's types (times naive)."""
    from pyspark.sql import functions as F

    spec = CONTRACT[table]
    cols = []
    for name in sdf.columns:
        if spec.has(name):
            target = _KIND_TYPES[spec.column(name).kind]
            cols.append(F.col(name).cast(target).alias(name))
        else:
            cols.append(F.col(name))
    return sdf.select(*cols)


def _enrich(tables: dict) -> dict:
    """Add the loader's lookup columns with many-to-one left joins (:mod:`kit.io.enrich`)."""
    lookups = (
        ("reps", "rep_id", {"team": "team", "manager": "manager", "region": "region"}, None),
        ("products", "product_id", {"product_category": "category"}, None),
        ("customers", "customer_id", {"source": "source", "segment": "segment"}, ("orders",)),
    )
    out = dict(tables)
    for name, sdf in tables.items():
        f = nw.from_native(sdf)
        for lookup, key, copy, only in lookups:
            if lookup == name or lookup not in tables or key not in f.columns:
                continue
            if only is not None and name not in only:
                continue
            look = nw.from_native(tables[lookup])
            available = {new: src for new, src in copy.items() if src in look.columns}
            if not available:
                continue
            right = look.select(nw.col(key).alias("_kit_key"),
                                *[nw.col(src).alias(f"_kit_{new}") for new, src in available.items()])
            f = f.join(right, left_on=key, right_on="_kit_key", how="left")  # drops _kit_key
            fills = []
            for new in available:
                if new in f.columns:  # keep the table's own value, fill only its gaps
                    fills.append(nw.coalesce(nw.col(new), nw.col(f"_kit_{new}")).alias(new))
                else:
                    fills.append(nw.col(f"_kit_{new}").alias(new))
            f = f.with_columns(*fills).drop(*[f"_kit_{n}" for n in available])
        out[name] = nw.to_native(f)
    return out


def from_spark(tables: dict, *, as_of=None, enrich: bool = True, currency: str = "EUR",
               timezone: str = "Europe/Paris", source: str = "spark") -> Dataset:
    """A :class:`kit.Dataset` from Spark DataFrames, e.g. tables read on a cluster.

    The tables must already follow the data contract (names and columns, as
    written by ``python -m kit.sample --format parquet`` or exported after
    ``kit.load_dataset``): the loader's CSV sniffing, mappings and row-level
    validation do not run on Spark. Contract columns are cast to the kit's types
    (times to ``TIMESTAMP_NTZ``), then the lookup columns are joined in.

    Parameters
    ----------
    tables : dict
        ``{table name: pyspark.sql.DataFrame}``.
    as_of : date-like, optional
        End of the data; default: the latest date of any table (one Spark query).
    enrich : bool
        Add ``team``/``manager``/``region`` from ``reps``, ``product_category`` from
        ``products`` and the customer's ``source``/``segment`` on ``orders``; the
        lookup tables must be unique on their key.
    currency, timezone, source : str
        Recorded on the dataset.

    Raises
    ------
    DataError
        For an unknown table name, a value that is not a Spark DataFrame, or a
        table lacking a required column.

    Examples
    --------
    >>> import pandas as pd
    >>> spark = spark_session()
    >>> reps = spark.createDataFrame(pd.DataFrame({"rep_id": ["R1", "R2"], "team": ["Nord", "Sud"]}))
    >>> opps = spark.createDataFrame(pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"],
    ...     "created_at": ["2026-01-02", "2026-01-03", "2026-01-04"], "rep_id": ["R1", "R2", "R2"],
    ...     "status": ["won", "lost", "won"], "closed_at": ["2026-01-05", "2026-01-09", "2026-02-01"]}))
    >>> ds = from_spark({"reps": reps, "opportunities": opps})
    >>> str(ds.as_of)
    '2026-02-01 00:00:00'
    >>> import kit
    >>> kit.compute(ds, "win_rate", by="team")[["team", "value"]].to_dict("records")
    [{'team': 'Nord', 'value': 1.0}, {'team': 'Sud', 'value': 0.5}]
    """
    _pyspark()
    from pyspark.sql import DataFrame

    problems = []
    for name, sdf in tables.items():
        if name not in CONTRACT:
            problems.append(f"{name!r} is not a table of the data contract"
                            f"{did_you_mean(name, CONTRACT)}")
        elif not isinstance(sdf, DataFrame):
            kind = f"{type(sdf).__module__.split('.')[0]}.{type(sdf).__name__}"
            problems.append(f"{name!r} is a {kind}, not a pyspark.sql.DataFrame")
        else:
            missing = [c for c in CONTRACT[name].required if c not in sdf.columns]
            if missing:
                problems.append(f"{name!r} lacks required column(s) {missing}"
                                f"{''.join(did_you_mean(m, sdf.columns) for m in missing)}; "
                                f"it has {sdf.columns}")
    if problems:
        raise DataError(
            "from_spark: " + "; ".join(problems) + ". Tables allowed: "
            f"{', '.join(CONTRACT)}. Rename tables and columns to the data contract "
            "(docs/data-contract.md) before building the dataset."
        )
    typed = {name: _cast_contract(sdf, name) for name, sdf in tables.items()}
    if enrich:
        typed = _enrich(typed)
    return Dataset(typed, as_of=as_of, backend="spark", currency=currency, timezone=timezone,
                   source=source)
