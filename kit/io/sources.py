"""Finding the tables of a source: a folder of files, one file, or a dict of frames.

Each table found becomes a :class:`~kit.io.raw.RawTable`: either an in-memory pandas frame (CSV
and Excel files read as text, frames given by the caller, tables read through
SQLAlchemy) or a lazy DuckDB ``FROM`` expression (Parquet files, DuckDB databases).
Every raw table carries ``_line``, the line number of each row in its file (for a
frame or a database table, the row's position plus 2, as if it were a CSV file with
a header). Problems found are collected, not raised one at a time.

Examples
--------
>>> import pandas as pd
>>> raws, problems = discover({"leads": pd.DataFrame({"lead_id": ["L1"]})}, {"ignore": []})
>>> raws["leads"].frame.to_dict("list"), problems
({'lead_id': ['L1'], '_line': [2]}, [])
"""

from __future__ import annotations

from pathlib import Path

from kit.contract import CONTRACT, TABLE_NAMES
from kit.errors import DataError, did_you_mean
from kit.frames import to_pandas
from kit.io.files import SUFFIXES, file_kind, parquet_sql, read_csv_file, read_excel_file
from kit.io.issues import Structural
from kit.io.raw import RawTable, is_url, with_lines
from kit.io.sql import discover_sql


def discover(source, mapping: dict, con=None) -> tuple[dict, list]:
    """Return ``({table: RawTable}, [Structural, ...])`` for a dict, folder or file source.

    Raises
    ------
    DataError
        When the source does not exist or is not a folder, file, URL or dict.
    """
    if isinstance(source, dict):
        return from_frames(source, mapping)
    if is_url(source):
        return discover_sql(source, mapping, con)
    if not isinstance(source, (str, Path)):
        raise DataError(
            f"source must be a folder, a file, a database URL or a dict {{table: DataFrame}}; "
            f"received {type(source).__name__}. Example: kit.load_dataset('data/sample')."
        )
    path = Path(source)
    if not path.exists():
        raise DataError(f"source {str(source)!r} does not exist. Pass a folder of table files "
                        "(leads.csv, orders.csv, ...), a database URL (sqlite:///crm.db) or a dict.")
    if path.is_dir():
        return _from_folder(path, mapping)
    return from_files(path.parent, [path], mapping)


def _table_for_key(key: str, mapping: dict) -> str | None:
    for table, spec in mapping.items():
        if table != "ignore" and spec.get("file") == key:
            return table
    return key if key in CONTRACT else None


def from_frames(source: dict, mapping: dict) -> tuple[dict, list]:
    """The tables of a dict of frames: ``({table: RawTable}, [Structural, ...])``.

    A key is a table of the contract or the ``file`` a mapping gives for one.

    Examples
    --------
    >>> import pandas as pd
    >>> raws, problems = from_frames({"ventes": pd.DataFrame({"order_id": ["A"]}), "x": None},
    ...                              {"orders": {"file": "ventes"}})
    >>> list(raws), [p.rule for p in problems]
    (['orders'], ['unknown_table'])
    """
    raws, problems = {}, []
    for key, frame in source.items():
        table = _table_for_key(str(key), mapping)
        if table is None:
            problems.append(Structural(str(key), None, None, "unknown_table",
                                       f"{key!r} is not a table of the contract{did_you_mean(str(key), TABLE_NAMES)}; "
                                       f"known tables: {', '.join(TABLE_NAMES)}. Use a table name as "
                                       "the key, or map it: mapping={'leads': {'file': "
                                       f"{str(key)!r}}}}}."))
            continue
        try:
            pdf = to_pandas(frame)
        except TypeError as exc:
            problems.append(Structural(table, str(key), None, "unreadable_table", str(exc)))
            continue
        raws[table] = RawTable(table, f"{key} (DataFrame)", frame=with_lines(pdf))
    return raws, problems


def _from_folder(folder: Path, mapping: dict):
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and not p.name.startswith((".", "~$")) and file_kind(p))
    return from_files(folder, files, mapping)


def from_files(folder: Path, files: list, mapping: dict) -> tuple[dict, list]:
    """The tables of ``files`` of ``folder``: ``({table: RawTable}, [Structural, ...])``.

    A file is the table it is named after (``leads.csv``) or the one the mapping
    reads from it; other files, and a table given twice, are problems.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> folder = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"lead_id": ["L1"]}).to_csv(folder / "leads.csv", index=False)
    >>> raws, problems = from_files(folder, [folder / "leads.csv"], {"ignore": []})
    >>> raws["leads"].frame["lead_id"].tolist(), problems
    (['L1'], [])
    """
    problems: list[Structural] = []
    chosen: dict[str, Path] = {}
    by_file = {}
    for table, spec in mapping.items():
        if table == "ignore" or not spec.get("file"):
            continue
        p = Path(spec["file"])
        p = p if p.is_absolute() else folder / p
        if not p.is_file():
            present = ", ".join(f.name for f in files) or "none"
            problems.append(Structural(table, spec["file"], None, "missing_file",
                                       f"the mapping reads table {table!r} from {spec['file']!r}, which "
                                       f"is not in {str(folder)!r}; data files there: {present}."))
            continue
        chosen[table] = p
        by_file[p.resolve()] = table
    ignore = set(mapping.get("ignore", []))
    for f in files:
        if f.resolve() in by_file or f.name in ignore:
            continue
        table = f.stem.lower()
        if table not in CONTRACT:
            problems.append(Structural(None, f.name, None, "unknown_table",
                                       f"{f.name!r} names no table of the contract"
                                       f"{did_you_mean(table, TABLE_NAMES)}; known tables: "
                                       f"{', '.join(TABLE_NAMES)}. Rename the file after its table "
                                       f"(e.g. leads.csv), map it (mapping={{'leads': {{'file': "
                                       f"{f.name!r}}}}}), list it under mapping 'ignore', or move it out."))
            continue
        if table in chosen:
            problems.append(Structural(table, f.name, None, "duplicate_table",
                                       f"table {table!r} is given twice: {chosen[table].name!r} and "
                                       f"{f.name!r}. Keep one file per table."))
            continue
        chosen[table] = f
    if not chosen and not problems:
        problems.append(Structural(None, str(folder), None, "no_table",
                                   f"no table file found in {str(folder)!r} (looked for "
                                   f"{', '.join(SUFFIXES)} files named after a table: "
                                   f"{', '.join(TABLE_NAMES)})."))
    raws = {}
    for table in sorted(chosen, key=TABLE_NAMES.index):
        path = chosen[table]
        spec = mapping.get(table) or {}
        try:
            raws[table] = _read(table, path, spec.get("sheet"))
        except DataError as exc:
            problems.append(Structural(table, path.name, None, "unreadable_file", str(exc)))
        except OSError as exc:
            problems.append(Structural(table, path.name, None, "unreadable_file",
                                       f"{path.name}: cannot be opened ({exc.strerror or exc})."))
    return raws, problems


def _read(table: str, path: Path, sheet=None) -> RawTable:
    kind = file_kind(path)
    if kind == "csv":
        frame, _ = read_csv_file(path)
        return RawTable(table, path.name, frame=frame, path=path)
    if kind == "excel":
        frame, _ = read_excel_file(path, sheet)
        return RawTable(table, path.name, frame=frame, path=path)
    if kind == "parquet":
        import duckdb

        try:
            # DuckDB's default connection: a new database per file costs more than the check
            duckdb.sql(f"SELECT * FROM {parquet_sql(path)} LIMIT 0").fetchall()
        except duckdb.Error as exc:
            raise DataError(f"{path.name}: the file cannot be read as Parquet ({exc}).") from None
        return RawTable(table, path.name, sql=parquet_sql(path.resolve()), path=path)
    raise DataError(f"{path.name}: unsupported file type; use one of {', '.join(SUFFIXES)}.")
