"""kit.to_excel: a sheet per KPI, headers in the chosen language, numbers kept as numbers."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from openpyxl import load_workbook

import kit
from kit.errors import ParameterError, UnknownKPIError
from kit.export import sheet_name, to_excel


def _win_rate():
    return pd.DataFrame({
        "team": ["Nord", "Sud", None],
        "period": pd.to_datetime(["2026-07-01", "2026-07-01", "2026-07-01"]),
        "value": [3 / 4, float("nan"), 1 / 8],
        "numerator": [3.0, 0.0, 1.0],
        "denominator": [4.0, 0.0, 8.0],
        "ci_low": [0.3, float("nan"), 0.02],
        "ci_high": [0.95, float("nan"), 0.47],
        "low_sample": [True, True, True],
    })


def _revenue():
    return pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-04-01"], utc=True),
                         "value": [1234.5, 99.0], "n_orders": [3, 1]})


def test_french_workbook_has_a_sheet_per_kpi_with_french_headers_and_numbers(tmp_path):
    path = to_excel({"win_rate": _win_rate(), "revenue": _revenue()}, tmp_path / "k.xlsx", lang="fr")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Taux de réussite", "Chiffre d'affaires"]
    ws = wb["Taux de réussite"]
    assert [c.value for c in ws[1]] == ["Équipe", "Période", "Taux de réussite", "Numérateur",
                                        "Dénominateur", "IC 95 % bas", "IC 95 % haut",
                                        "Petit échantillon"]
    # numbers are numbers, formatted as percentages; the unknown rate is an empty cell, not 0
    assert ws["C2"].value == 0.75 and ws["C2"].number_format == "0.0%"
    assert ws["C3"].value is None
    assert ws["F4"].value == pytest.approx(0.02) and ws["F4"].number_format == "0.0%"
    assert ws["D2"].value == 3 and ws["D2"].number_format == "#,##0"
    assert ws["A4"].value == "(vide)" and ws["H2"].value == "oui"
    assert ws["B2"].value.year == 2026 and ws["B2"].number_format == "yyyy-mm"
    rev = wb["Chiffre d'affaires"]
    assert rev["B2"].value == 1234.5 and "€" in rev["B2"].number_format
    assert rev["A3"].value.month == 4 and rev["A3"].number_format == "yyyy-mm"  # quarters, tz dropped
    assert rev["C2"].value == 3


def test_english_labels_and_currency_symbol(tmp_path):
    path = to_excel({"revenue": _revenue()}, tmp_path / "k.xlsx", lang="en", currency="USD")
    ws = load_workbook(path)["Revenue"]
    assert ws["B1"].value == "Revenue"
    assert ws["B2"].number_format == '"$"#,##0.00'


def test_compute_results_round_trip_through_pandas(tmp_path):
    ds = kit.Dataset({"opportunities": pd.DataFrame({
        "opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
        "closed_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-01"])})})
    wr = kit.compute(ds, "win_rate", freq="M")
    back = pd.read_excel(kit.to_excel({"win_rate": wr}, tmp_path / "w.xlsx"), sheet_name="Win rate")
    assert back["Win rate"].tolist() == pytest.approx([0.5, 1.0])
    assert back["Denominator"].tolist() == [2, 1]
    assert not any(math.isnan(v) for v in back["Win rate"])


def test_sheet_names_are_valid_and_unique():
    assert sheet_name("a/b:c*d?") == "a-b-c-d-"
    long = "x" * 40
    assert sheet_name(long) == "x" * 31
    assert sheet_name(long, taken={"x" * 31}) == "x" * 27 + " (2)"


def test_errors_say_what_was_received_and_what_to_do(tmp_path):
    with pytest.raises(ParameterError, match=r"writes \.xlsx files; received path .*k\.csv"):
        to_excel({"revenue": _revenue()}, tmp_path / "k.csv")
    with pytest.raises(ParameterError, match=r"non-empty dict .* received list"):
        to_excel([_revenue()], tmp_path / "k.xlsx")
    with pytest.raises(ParameterError, match=r"'revenue' is a list, not a frame"):
        to_excel({"revenue": [1, 2]}, tmp_path / "k.xlsx")
    with pytest.raises(UnknownKPIError, match=r"Unknown KPI 'revenu'"):
        to_excel({"revenu": _revenue()}, tmp_path / "k.xlsx")
    with pytest.raises(ParameterError, match=r"lang='de'"):
        to_excel({"revenue": _revenue()}, tmp_path / "k.xlsx", lang="de")
