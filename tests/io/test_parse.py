"""Reading cells: numbers, dates, booleans, decided per column (kit.io.parse)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from kit.io.parse import decide, family, parse_column


def read(values, kind, locale="auto", currency="EUR", timezone="Europe/Paris"):
    """Parse a list of texts as ``kind`` the way the loader does, return the values."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    df = pd.DataFrame({"x": pd.Series(values, dtype=object)})
    rel = con.from_df(df)
    dtype = str(rel.types[0])
    d = decide(rel, {"x": kind}, {"x": dtype}, locale)
    p = parse_column("x", kind, dtype, d.get("x"), timezone=timezone, currency=currency)
    return [v for (v,) in con.sql(f"SELECT {p.value} FROM rel").fetchall()]


@pytest.mark.parametrize("text, expected", [
    ("1234.5", 1234.5),
    ("1 234,56", 1234.56),
    ("1\u00a0234,56 €", 1234.56),      # non-breaking space
    ("1\u202f234,56\u00a0€", 1234.56),  # narrow no-break space (Excel fr)
    ("€1234,56", 1234.56),
    ("EUR 12,5", 12.5),
    ("-1 234,5", -1234.5),
    ("(12,50)", -12.5),
    ("\u22123,5", -3.5),                # unicode minus
    ("", None),
    ("NA", None),
    ("douze", None),
    ("12 %", None),
    ("$12", None),                      # another currency than the dataset's
])
def test_french_numbers_one_per_column(text, expected):
    assert read([text], "money") == [expected]


def test_decimal_separator_is_decided_per_column():
    # a column with 1,234.56 reads commas as thousands for every row
    assert read(["1,234.56", "1,234", "12"], "number") == [1234.56, 1234.0, 12.0]
    # a column with 12,5 reads commas as decimals for every row, dots as thousands
    assert read(["12,5", "1.234,5", "1,234"], "number") == [12.5, 1234.5, 1.234]
    # locale settles an ambiguous column
    assert read(["1,234"], "number", locale="en") == [1234.0]
    assert read(["1,234"], "number", locale="fr") == [1.234]


def test_day_first_is_decided_per_column_from_all_values():
    got = read(["03/04/2025", "13/04/2025", "31/12/2025 14:05"], "datetime")
    assert got == [pd.Timestamp("2025-04-03"), pd.Timestamp("2025-04-13"),
                   pd.Timestamp("2025-12-31 14:05")]
    # a month-first column: 04/13 shows it, so 03/04 is March 4th
    got = read(["03/04/2025", "04/13/2025"], "datetime")
    assert got == [pd.Timestamp("2025-03-04"), pd.Timestamp("2025-04-13")]
    # ambiguous: French unless locale="en"
    assert read(["03/04/2025"], "datetime") == [pd.Timestamp("2025-04-03")]
    assert read(["03/04/2025"], "datetime", locale="en") == [pd.Timestamp("2025-03-04")]


def test_dates_iso_offsets_two_digit_years_and_garbage():
    got = read(["2025-12-31", "2025-12-31 14:05:09", "2025-12-31T13:05:00Z",
                "2025-06-30T14:05:00+02:00", "31.12.25", "31/12/2025 14:05:30",
                "31/02/2025", "0001-01-01", "hier"], "datetime")
    assert got == [pd.Timestamp("2025-12-31"), pd.Timestamp("2025-12-31 14:05:09"),
                   pd.Timestamp("2025-12-31 14:05"),  # UTC 13:05 is 14:05 in Paris (winter)
                   pd.Timestamp("2025-06-30 14:05"),  # +02:00 is Paris summer time
                   pd.Timestamp("2025-12-31"), pd.Timestamp("2025-12-31 14:05:30"),
                   None, None, None]


def test_timezone_parameter_is_used_for_offsets():
    got = read(["2025-12-31T13:05:00Z"], "datetime", timezone="America/New_York")
    assert got == [pd.Timestamp("2025-12-31 08:05")]


def test_date_kind_is_midnight_and_accepts_months():
    assert read(["2026-01", "15/01/2026 10:30"], "date") == [pd.Timestamp("2026-01-01"),
                                                              pd.Timestamp("2026-01-15")]


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("False", False), ("oui", True), ("NON", False), ("vrai", True),
    ("faux", False), ("yes", True), ("no", False), ("1", True), ("0", False),
    ("", None), ("peut-être", None),
])
def test_booleans(text, expected):
    assert read([text], "bool") == [expected]


def test_typed_columns_pass_through():
    con = duckdb.connect()
    rel = con.sql("SELECT 12.0::DOUBLE AS id, TIMESTAMPTZ '2025-12-31 13:05:00+00' AS t, 1 AS b")
    types = dict(zip(rel.columns, map(str, rel.types)))
    assert family(types["t"]) == "timestamptz"
    sql = ", ".join([parse_column("id", "id", types["id"]).value,
                     parse_column("t", "datetime", types["t"]).value,
                     parse_column("b", "bool", types["b"]).value])
    assert con.sql(f"SELECT {sql} FROM rel").fetchall() == [
        ("12", pd.Timestamp("2025-12-31 14:05").to_pydatetime(), True)]


def test_cells_are_trimmed_of_blanks_at_both_ends_only():
    # the fast path (only cells starting or ending with a blank are trimmed) reads
    # every cell as Python's strip() of the same characters does
    import random

    from kit.io.parse import prepare

    pieces = [" ", "\t", "\n", "\r", "\xa0", "\u202f", "\u2009", "a", "0", "é", "e\u0301", "\u0600",
              "\u0301", "€", ","]
    rng = random.Random(7)
    cells = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 5))) for _ in range(3000)]
    frame = pd.DataFrame({"x": cells + [None]})
    con = duckdb.connect()
    con.register("frame", frame)
    got = [v for (v,) in con.sql(f"SELECT {prepare('x', 'id', 'VARCHAR')} FROM frame").fetchall()]
    want = [None if c is None else (c.strip(" \t\n\r\xa0\u202f") or None) for c in frame["x"]]
    assert got == want
    assert got[cells.index("\u2009")] == "\u2009"  # a thin space is not trimmed
