"""Reading the tables of a database: SQLite, DuckDB, PostgreSQL and other SQLAlchemy URLs.

* ``duckdb:///crm.duckdb``: the file is attached read-only to the loader's DuckDB
  connection and its tables are read lazily (nothing is loaded into memory before
  the checks).
* ``sqlite:///crm.db``: read through SQLAlchemy on a read-only SQLite connection.
* ``postgresql://user@host/db`` and any other SQLAlchemy URL: read through
  SQLAlchemy (``postgresql://`` uses psycopg 3 when psycopg2 is not installed).

Tables named like the contract (``leads``, ``orders``...) are read, and those a
mapping names with ``file``; other tables of the database are ignored. A row's
``_line`` is its position in the table plus 2, as in a CSV export with a header.

Examples
--------
>>> import sqlite3, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "crm.db")
>>> with sqlite3.connect(path) as c:
...     _ = c.execute("CREATE TABLE leads (lead_id TEXT, created_at TEXT)")
...     _ = c.execute("INSERT INTO leads VALUES ('L1', '2026-01-05')")
>>> raws, problems = discover_sql(f"sqlite:///{path}", {"ignore": []})
>>> raws["leads"].frame.to_dict("list")
{'lead_id': ['L1'], 'created_at': ['2026-01-05'], '_line': [2]}
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from pathlib import Path

from kit.contract import TABLE_NAMES
from kit.errors import DataError
from kit.io._sqltext import ident, literal
from kit.io.issues import Structural
from kit.io.raw import RawTable, with_lines

ATTACHED = "kit_source"


def shown(url: str) -> str:
    """``url`` with its password hidden, for messages.

    Examples
    --------
    >>> shown("postgresql+psycopg://kit:s3cret@db:5432/crm")
    'postgresql+psycopg://kit:***@db:5432/crm'
    """
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


def _wanted(names: list[str], mapping: dict) -> dict:
    """``{table: name in the database}`` for contract tables and mapped ones."""
    lower = {n.lower(): n for n in names}
    out = {}
    for table in TABLE_NAMES:
        spec = mapping.get(table) or {}
        name = spec.get("file") or table
        if name in names:
            out[table] = name
        elif name.lower() in lower:
            out[table] = lower[name.lower()]
    return out


def _missing_mapped(found: dict, mapping: dict, url: str, names: list[str]) -> list:
    problems = []
    for table, spec in mapping.items():
        if table != "ignore" and spec.get("file") and table not in found:
            problems.append(Structural(table, spec["file"], None, "missing_table",
                                       f"the mapping reads table {table!r} from {spec['file']!r}, "
                                       f"which {shown(url)} does not have; its tables: "
                                       f"{', '.join(sorted(names)) or 'none'}."))
    return problems


def discover_sql(url: str, mapping: dict, con=None) -> tuple[dict, list]:
    """Return ``({table: RawTable}, [Structural])`` for a database URL.

    ``con`` is the loader's DuckDB connection, needed for ``duckdb:///`` URLs.

    Raises
    ------
    DataError
        When the database cannot be opened.
    """
    scheme = url.split("://", 1)[0].lower()
    if scheme == "duckdb":
        return _duckdb(url, mapping, con)
    return _sqlalchemy(url, mapping)


def _file_of(url: str) -> Path:
    path = url.split("://", 1)[1]
    path = path[1:] if path.startswith("/") else path  # sqlite:///rel.db -> rel.db; ////abs -> /abs
    p = Path(path.split("?", 1)[0])
    if not p.is_file():
        raise DataError(f"database file {str(p)!r} (from {url!r}) does not exist. Check the path: "
                        "sqlite:///relative/path.db or sqlite:////absolute/path.db.")
    return p


def _duckdb(url: str, mapping: dict, con):
    import duckdb

    path = _file_of(url)
    if con is None:
        con = duckdb.connect()
    try:
        con.execute(f"ATTACH {literal(str(path.resolve()))} AS {ATTACHED} (READ_ONLY)")
    except duckdb.Error as exc:
        raise DataError(f"{url}: cannot open the DuckDB database ({exc}).") from None
    rows = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        f"WHERE table_catalog = {literal(ATTACHED)} AND table_schema = 'main'").fetchall()
    kinds = dict(rows)
    found = _wanted(list(kinds), mapping)
    raws = {}
    for table, name in found.items():
        ref = f"{ATTACHED}.main.{ident(name)}"
        line = "rowid + 2" if kinds[name] == "BASE TABLE" else "row_number() OVER () + 1"
        raws[table] = RawTable(table, f"{name} ({path.name})",
                               sql=f"(SELECT *, {line} AS _line FROM {ref})")
    return raws, _missing_mapped(found, mapping, url, list(kinds))


def _engine(url: str):
    import sqlalchemy as sa

    scheme = url.split("://", 1)[0].lower()
    if scheme == "sqlite":
        path = _file_of(url)
        uri = f"file:{path.resolve()}?mode=ro"
        return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    if scheme in ("postgresql", "postgres"):
        if importlib.util.find_spec("psycopg2") is None and importlib.util.find_spec("psycopg"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
    try:
        return sa.create_engine(url)
    except Exception as exc:  # noqa: BLE001 - unknown dialect, missing driver
        raise DataError(f"{shown(url)}: cannot open the database ({exc}). Use a SQLAlchemy URL such as "
                        "sqlite:///crm.db or postgresql://user@host/db, with its driver "
                        "installed.") from None


def _sqlalchemy(url: str, mapping: dict):
    import pandas as pd
    import sqlalchemy as sa

    engine = _engine(url)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            found = _wanted(names, mapping)
            raws = {}
            for table, name in found.items():
                frame = pd.read_sql_query(sa.text(f"SELECT * FROM {ident(name)}"), conn)
                raws[table] = RawTable(table, f"{name} (database table)", frame=with_lines(frame))
    except sa.exc.SQLAlchemyError as exc:
        raise DataError(f"{shown(url)}: cannot read the database ({exc.__class__.__name__}: "
                        f"{str(exc).splitlines()[0]}). Check the URL, the server and the "
                        "credentials.") from None
    finally:
        engine.dispose()
    return raws, _missing_mapped(found, mapping, url, names)
