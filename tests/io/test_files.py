"""Sniffing and reading table files (kit.io.sniff, kit.io.files)."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.errors import DataError
from kit.io.files import read_csv_file, read_excel_file
from kit.io.sniff import detect_delimiter, detect_encoding


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"),
])
def test_detect_encoding(encoding, expected):
    data = "société;montant\nÉtoile;1 234,56 €\n".encode(encoding)
    assert detect_encoding(data) == expected


@pytest.mark.parametrize("text, expected", [
    ("a;b\n1;1,5\n2;2,5\n", ";"),
    ("a,b\n1,x\n", ","),
    ("a\tb\n1\t2\n", "\t"),
    ('a,b\n1,"x;y"\n', ","),
    ("a;b;c\n1;2,5;x\n", ";"),
])
def test_detect_delimiter(text, expected):
    assert detect_delimiter(text) == expected


def test_csv_line_numbers_count_blank_lines_and_quoted_breaks(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text('lead_id,comment\nL1,"two\nlines"\n\nL2,x\nL3,y\n', encoding="utf-8")
    df, info = read_csv_file(path)
    assert df["lead_id"].tolist() == ["L1", "L2", "L3"]
    assert df["_line"].tolist() == [2, 5, 6]
    assert df["comment"].tolist() == ["two\nlines", "x", "y"]


def test_csv_keeps_text_as_written(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("lead_id;created_at\n 007 ;NA\n", encoding="utf-8")
    df, _ = read_csv_file(path)
    assert df.loc[0, "lead_id"] == " 007 " and df.loc[0, "created_at"] == "NA"


def test_csv_with_wrong_field_count_names_the_lines(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,amount\nO1,12\nO2,1,5\nO3,4\nO4,1,2,3\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"orders\.csv: 2 row\(s\) do not have the 2 fields.*"
                                        r"line 3 has 3, line 5 has 4"):
        read_csv_file(path)


def test_csv_duplicate_header_and_empty_file(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("lead_id,lead_id\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"duplicate column names \['lead_id'\]"):
        read_csv_file(path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="the file is empty"):
        read_csv_file(path)


def test_excel_rows_are_excel_row_numbers(tmp_path):
    path = tmp_path / "targets.xlsx"
    pd.DataFrame({"period": [pd.Timestamp("2026-01-01"), None, pd.Timestamp("2026-02-01")],
                  "team": ["Nord", None, "Sud"], "revenue_target": [1000.5, None, 2000]}
                 ).to_excel(path, index=False)
    df, _ = read_excel_file(path)
    assert df["_line"].tolist() == [2, 4]  # the empty row 3 is skipped
    assert df["team"].tolist() == ["Nord", "Sud"]
    assert df["revenue_target"].tolist() == ["1000.5", "2000"]
    assert df["period"].tolist()[0].startswith("2026-01-01")
