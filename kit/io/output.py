"""The validated tables in the chosen backend: pandas, polars or DuckDB relations.

pandas and polars tables come from DuckDB through Arrow (no Python object per
cell) and take the contract's dtypes (:mod:`kit.dtypes`: Arrow-backed text,
``datetime64[ns]`` times, nullable booleans...). With DuckDB, the kept,
enriched rows are stored once in DuckDB tables, so that queries do not re-run the
parsing, checks and joins of the load: tables read into memory anyway (CSV, Excel,
frames) in the loader's in-memory database, tables read from Parquet files or a
DuckDB database in a temporary DuckDB file (:func:`open_store`) that DuckDB pages
from disk, with a memory limit, so they are not held in memory.

Examples
--------
>>> BACKENDS
('pandas', 'polars', 'duckdb')
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from kit.contract import CONTRACT
from kit.dtypes import _TEXT_ENRICHED, TEXT, _conform, arrow_to_pandas, conform, is_category  # noqa: F401 - kit.io.output names
from kit.io._sqltext import ident
from kit.io.files import LINE

BACKENDS = ("pandas", "polars", "duckdb")
#: Schema of the temporary DuckDB file holding tables read from Parquet or DuckDB.
STORE = "kit_store"
#: DuckDB memory limit of a dataset kept out of core (beyond it, DuckDB spills to disk).
MEMORY_LIMIT = os.environ.get("KIT_DUCKDB_MEMORY_LIMIT", "512MB")
#: Rows of each Arrow batch read from DuckDB into a pandas table.
BATCH_ROWS = 1_000_000
def open_store(con) -> str:
    """Attach a temporary DuckDB file to ``con`` as :data:`STORE` and keep DuckDB out of core.

    The file and DuckDB's spill files go to a new folder of the system's temporary
    directory, removed when Python exits; DuckDB's memory is limited to
    :data:`MEMORY_LIMIT` (environment variable ``KIT_DUCKDB_MEMORY_LIMIT``).
    Returns the folder.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> folder = open_store(con)
    >>> _ = con.execute("CREATE TABLE kit_store.t AS SELECT 1 AS x")
    >>> os.path.exists(os.path.join(folder, "dataset.duckdb"))
    True
    """
    folder = tempfile.mkdtemp(prefix="kit-duckdb-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = os.path.join(folder, "dataset.duckdb").replace("'", "''")
    con.execute("SET temp_directory = '{}'".format(folder.replace("'", "''")))
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"ATTACH '{path}' AS {STORE}")
    return folder


def conform_polars(df, table: str):
    """Give each contract column of polars frame ``df`` the dtype :func:`conform` gives in pandas.

    The same types as ``pl.from_pandas(conform(...))``: text as String, times as
    Datetime("ns"), amounts as Float64, integers as Int64, flags as Boolean.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"rep_id": ["R1"], "hired_at": [None]}, schema={"rep_id": pl.String, "hired_at": pl.Date})
    >>> conform_polars(df, "reps").schema["hired_at"]
    Datetime(time_unit='ns', time_zone=None)
    """
    import polars as pl

    contract = CONTRACT[table]
    casts = []
    for c in df.columns:
        kind = contract.column(c).kind if contract.has(c) else ("str" if c in _TEXT_ENRICHED else None)
        target = {"id": pl.String, "str": pl.String, "enum": pl.String, "datetime": pl.Datetime("ns"),
                  "date": pl.Datetime("ns"), "money": pl.Float64, "number": pl.Float64,
                  "int": pl.Int64, "bool": pl.Boolean}.get(kind)
        if target is not None and df.schema[c] != target:
            casts.append(pl.col(c).cast(target))
    return df.with_columns(casts) if casts else df


def materialise(con, table: str, backend: str, lazy: bool):
    """The table ``final_<table>`` of ``con`` as a frame of ``backend`` (rows in file order).

    With ``backend="duckdb"`` the rows are stored once in a table (in the
    :data:`STORE` file when ``lazy``, see :func:`open_store`) and a relation over
    it is returned.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE VIEW final_reps AS SELECT * FROM (VALUES ('R2', 3), ('R1', 2)) t(rep_id, _line)")
    >>> materialise(con, "reps", "pandas", lazy=False)["rep_id"].tolist()
    ['R1', 'R2']
    >>> materialise(con, "reps", "polars", lazy=False).columns
    ['rep_id']
    """
    view = ident("final_" + table)
    if backend == "duckdb":
        store = ident("table_" + table)
        if lazy:
            store = f"{STORE}.{store}"
        con.execute(f"CREATE OR REPLACE TABLE {store} AS SELECT * EXCLUDE ({ident(LINE)}) "
                    f"FROM {view} ORDER BY {ident(LINE)}")
        return con.sql(f"FROM {store}")
    rel = con.sql(f"SELECT * EXCLUDE ({ident(LINE)}) FROM {view} ORDER BY {ident(LINE)}")
    if backend == "polars":  # through Arrow: no pandas copy (a third of the memory)
        return conform_polars(rel.pl(), table)
    return _conform(arrow_to_pandas(_arrow(rel, table)), table)


def _arrow(rel, table: str):
    """The Arrow table of DuckDB relation ``rel``, in Arrow's own memory, its categorical columns dictionary-encoded.

    Read in batches of :data:`BATCH_ROWS`, each categorical column of ``table``
    (:func:`kit.dtypes.is_category`) encoded as it arrives: the strings of a long
    table are never all held at once, and pandas receives categories. Every other
    column is copied out of the batch into Arrow's memory pool, and the batch is
    let go: the columns of a batch that DuckDB exports share one allocation, which
    lives as long as any of them, so a pandas text column that kept a DuckDB
    buffer would keep the whole batch (every column, in DuckDB's memory) alive.

    Examples
    --------
    >>> import duckdb, pyarrow as pa
    >>> rel = duckdb.sql("SELECT 'A' || i AS activity_id, 'call' AS type FROM range(3) t(i)")
    >>> t = _arrow(rel, "activities")
    >>> t.column("activity_id").to_pylist(), str(t.schema.field("type").type)
    (['A0', 'A1', 'A2'], 'dictionary<values=string, indices=int32, ordered=0>')
    >>> pa.total_allocated_bytes() >= t.nbytes  # held by Arrow's pool, not by DuckDB
    True
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    reader = (getattr(rel, "to_arrow_reader", None) or rel.fetch_record_batch)(BATCH_ROWS)
    schema = reader.schema
    encode = {i for i, f in enumerate(schema) if is_category(table, f.name)
              and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))}
    for i in encode:
        schema = schema.set(i, schema.field(i).with_type(pa.dictionary(pa.int32(), schema.field(i).type)))
    batches = []
    for batch in reader:
        arrays = [pc.dictionary_encode(a) if i in encode else pa.concat_arrays([a])  # a copy
                  for i, a in enumerate(batch.columns)]
        del batch  # DuckDB's memory of this batch is freed here
        batches.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
    return pa.Table.from_batches(batches, schema=schema)
