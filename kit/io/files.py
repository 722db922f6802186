"""Reading one table file (CSV, Excel, Parquet) with the line number of each row.

CSV and Excel files are read as text, every cell a string (typing is done later,
per column, by :mod:`kit.io.parse`); Parquet files keep their types and are read
lazily by DuckDB. Each row carries ``_line``, its line number in the file: the
header is line 1 and the first data row line 2 (blank lines and quoted line
breaks are counted, as an editor would show them).

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "leads.csv"
>>> _ = path.write_bytes("lead_id;created_at\\nL1;31/12/2025\\n\\nL2;01/01/2026\\n".encode("cp1252"))
>>> df, info = read_csv_file(path)
>>> df.to_dict("list")
{'lead_id': ['L1', 'L2'], 'created_at': ['31/12/2025', '01/01/2026'], '_line': [2, 4]}
>>> info["delimiter"], info["encoding"]
(';', 'utf-8')
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from kit.errors import DataError
from kit.io._sqltext import literal
from kit.io.sniff import detect_delimiter, detect_encoding

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
PARQUET_SUFFIXES = (".parquet", ".pq")
SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES

LINE = "_line"


def file_kind(path) -> str | None:
    """``"csv"``, ``"excel"``, ``"parquet"`` or ``None`` from the file suffix.

    Examples
    --------
    >>> file_kind("orders.parquet"), file_kind("notes.md")
    ('parquet', None)
    """
    suffix = Path(path).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    return None


def read_csv_file(path) -> tuple[pd.DataFrame, dict]:
    """Read a CSV file as strings, sniffing encoding and delimiter.

    Returns the frame (one object column per header name, empty cells as ``""``,
    plus ``_line``) and ``{"encoding", "delimiter"}``. The file is only read.

    Raises
    ------
    DataError
        When the file is empty, has duplicate header names, or rows with more or
        fewer fields than the header (the message gives their line numbers).
    """
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise DataError(f"{path.name}: the file is empty; a header line with the column names "
                        "is expected on line 1.")
    if looks_binary(data):
        raise DataError(f"{path.name}: the file holds binary data, not text; a CSV export is "
                        "expected (a workbook must end in .xlsx, a Parquet file in .parquet).")
    encoding = detect_encoding(data)
    return read_csv_text(data.decode(encoding), path.name, encoding)


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` is not text: NUL bytes (outside UTF-16) or many control bytes.

    Examples
    --------
    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00"), looks_binary("id;é\\n".encode("cp1252"))
    (True, False)
    >>> looks_binary("id\\n".encode("utf-16"))
    False
    """
    head = data[:4000]
    if detect_encoding(head).startswith("utf-16"):
        return False
    if b"\x00" in head:
        return True
    control = sum(b < 32 and b not in (9, 10, 13, 12) for b in head)
    return control > 0.05 * max(len(head), 1)


def read_csv_text(text: str, name: str, encoding: str = "utf-8", *,
                  repeated: str = "refuse") -> tuple[pd.DataFrame, dict]:
    """Read the decoded text of a CSV file (see :func:`read_csv_file`); ``name`` is used in messages.

    ``repeated="suffix"`` reads a header that repeats a name (CRM exports do) by
    renaming the repeats ``Name (2)``, ``Name (3)``; ``meta["repeated"]`` then maps
    each original name to its columns (see :func:`suffix_repeated`). The default
    refuses such a header.

    Examples
    --------
    >>> read_csv_text("id;montant\\n1;1 234,5\\n", "x.csv")[0].to_dict("list")
    {'id': ['1'], 'montant': ['1 234,5'], '_line': [2]}
    >>> frame, meta = read_csv_text("id,a,a\\n1,x,y\\n", "x.csv", repeated="suffix")
    >>> list(frame.columns), meta["repeated"]
    (['id', 'a', 'a (2)', '_line'], {'a': ['a', 'a (2)']})
    """
    try:
        return _read_csv_text(text, name, encoding, repeated)
    except csv.Error as exc:  # e.g. a lone carriage return inside a field
        raise DataError(f"{name}: the file cannot be read as CSV ({exc}); a text file with a "
                        "header line is expected.") from None


def suffix_repeated(names: list) -> tuple[list, dict]:
    """Rename repeated names ``x``, ``x (2)``, ``x (3)``: ``(names, {name: [its columns]})``.

    Examples
    --------
    >>> suffix_repeated(["Associated Company", "Amount", "Associated Company"])
    (['Associated Company', 'Amount', 'Associated Company (2)'], {'Associated Company': ['Associated Company', 'Associated Company (2)']})
    """
    out, seen, groups = [], set(), {}
    for n in names:
        new, k = n, 1
        while new in seen and n:
            k += 1
            new = f"{n} ({k})"
        seen.add(new)
        out.append(new)
        if n:
            groups.setdefault(n, []).append(new)
    return out, {n: g for n, g in groups.items() if len(g) > 1}


def _unique_names(names: list, repeated: str, where: str, advice: str = "") -> tuple[list, dict]:
    """``(names, {name: repeated headers})``: repeated names suffixed (``repeated="suffix"``) or refused."""
    groups = {}
    if repeated == "suffix":
        names, groups = suffix_repeated(names)
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise DataError(f"{where} has duplicate column names {dupes}; each column needs its own "
                        f"name.{advice}")
    return names, groups


def _read_csv_text(text: str, name: str, encoding: str, repeated: str = "refuse") -> tuple[pd.DataFrame, dict]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise DataError(f"{name}: the file is empty; a header line with the column names "
                        "is expected on line 1.")
    delimiter = detect_delimiter(text)
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    names, groups = _unique_names([h.strip() for h in header], repeated,
                                  f"{name}: the header (line 1)", " Rename them in the file or export again.")
    try:
        df = _read_arrow(text, delimiter, len(header))
    except Exception:  # noqa: BLE001 - pyarrow refuses some valid files; check and retry
        _check_field_counts(text, delimiter, name)
        try:
            df = pd.read_csv(io.StringIO(text), sep=delimiter, engine="python", dtype=str,
                             keep_default_na=False, skip_blank_lines=True)
        except Exception as exc:  # noqa: BLE001
            raise DataError(f"{name}: the file cannot be read as CSV (delimiter "
                            f"{delimiter!r}, encoding {encoding}): {exc}. Check that it is a "
                            "CSV export with one header line.") from None
    df.columns = names if len(names) == df.shape[1] else [str(c).strip() for c in df.columns]
    df = _drop_empty_unnamed(df)
    df = df.fillna("")
    df[LINE] = _data_lines(text, delimiter, len(df))
    return df, {"encoding": encoding, "delimiter": delimiter, "repeated": groups}


def _read_arrow(text: str, delimiter: str, width: int) -> pd.DataFrame:
    # pyarrow's reader, every column typed as text: pandas' engine="pyarrow" infers
    # numbers first and would turn the id "007" into "7"
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{k}" for k in range(width)]
    table = pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, null_values=[],
            strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    # Arrow-backed text: DuckDB reads it without converting each cell to a Python str
    return table.to_pandas(types_mapper=lambda t: pd.ArrowDtype(t) if t == pa.string() else None)


def _drop_empty_unnamed(df: pd.DataFrame) -> pd.DataFrame:
    # a trailing delimiter on every line gives a nameless, empty column
    drop = [c for c in df.columns
            if (c == "" or c.startswith("Unnamed:")) and df[c].fillna("").eq("").all()]
    return df.drop(columns=drop) if drop else df


def _data_lines(text: str, delimiter: str, n: int) -> np.ndarray:
    physical = text.splitlines()
    while physical and not physical[-1].strip():
        physical.pop()
    if len(physical) == n + 1 and '"' not in text and all(physical):
        return np.arange(2, n + 2, dtype="int64")
    starts = _record_starts(text, delimiter)
    lines = np.asarray(starts[1:], dtype="int64")
    if len(lines) != n:  # a layout we cannot follow: fall back to row order
        return np.arange(2, n + 2, dtype="int64")
    return lines


def _record_starts(text: str, delimiter: str) -> list[int]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    starts, prev_end = [], 0
    for rec in reader:
        start, prev_end = prev_end + 1, reader.line_num
        if rec:
            starts.append(start)
    return starts


def _check_field_counts(text: str, delimiter: str, name: str) -> None:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    width, bad, prev_end = None, [], 0
    for rec in reader:
        start, prev_end = prev_end + 1, reader.line_num
        if not rec:
            continue
        if width is None:
            width = len(rec)
        elif len(rec) != width:
            bad.append((start, len(rec)))
    if bad:
        shown = ", ".join(f"line {ln} has {k}" for ln, k in bad[:5])
        raise DataError(
            f"{name}: {len(bad)} row(s) do not have the {width} fields of the header "
            f"(delimiter {delimiter!r}): {shown}. A value probably contains the delimiter "
            "without quotes; quote it or export the file again."
        )


def read_excel_file(path, sheet=None, *, repeated: str = "refuse") -> tuple[pd.DataFrame, dict]:
    """Read the first sheet (or ``sheet``) of an Excel file as strings, with ``_line``.

    ``_line`` is the Excel row number (the header is row 1); empty rows are skipped.
    ``repeated`` is as in :func:`read_csv_text`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "reps.xlsx"
    >>> pd.DataFrame({"rep_id": ["R1", "R2"], "hired": [1.0, 2.5]}).to_excel(path, index=False)
    >>> read_excel_file(path)[0].to_dict("list")
    {'rep_id': ['R1', 'R2'], 'hired': ['1', '2.5'], '_line': [2, 3]}
    """
    path = Path(path)
    try:
        raw = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, header=None,
                            dtype=object)
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"{path.name}: the file cannot be read as Excel ({exc}). Check that it "
                        "is an .xlsx workbook, or export the sheet as CSV.") from None
    raw = raw.dropna(how="all")
    if raw.empty:
        raise DataError(f"{path.name}: the sheet is empty; a header row with the column names "
                        "is expected on row 1.")
    excel_rows = raw.index.to_numpy() + 1
    header = [str(h).strip() if not _missing(h) else "" for h in raw.iloc[0]]
    body = raw.iloc[1:]
    header, groups = _unique_names(header, repeated, f"{path.name}: the header row")
    df = pd.DataFrame({name: [_cell_text(v) for v in body.iloc[:, k]]
                       for k, name in enumerate(header)}, index=range(len(body)))
    df = _drop_empty_unnamed(df)
    df[LINE] = excel_rows[1:].astype("int64")
    return df, {"sheet": sheet, "repeated": groups}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT


def _cell_text(v) -> str:
    if _missing(v):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, pd.Timestamp) or hasattr(v, "isoformat"):
        return pd.Timestamp(v).isoformat(sep=" ")
    return str(v)


def parquet_sql(path) -> str:
    """A DuckDB ``FROM`` expression reading a Parquet file lazily with ``_line``.

    ``_line`` is the row number in the file plus 1, as if it were a CSV file.

    Examples
    --------
    >>> parquet_sql("x.parquet")
    "(SELECT * EXCLUDE (file_row_number), file_row_number + 2 AS _line FROM read_parquet('x.parquet', file_row_number = true))"
    """
    return (f"(SELECT * EXCLUDE (file_row_number), file_row_number + 2 AS {LINE} "
            f"FROM read_parquet({literal(str(path))}, file_row_number = true))")
