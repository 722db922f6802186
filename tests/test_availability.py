"""Tests of kit.availability: whether a KPI can be computed on a dataset, and the sentence why not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kit import registry
from kit.availability import Availability, Unavailable, availability, mask_uncovered
from kit.contract import CONTRACT
from kit.coverage import coverage
from kit.dataset import Dataset
from kit.errors import ParameterError


def _orders(**extra):
    data = {"order_id": ["A", "B", "C"], "customer_id": ["C1", "C2", "C1"],
            "amount": [100.0, 50.0, 20.0],
            "ordered_at": pd.to_datetime(["2026-02-03", "2026-02-20", "2026-04-11"])}
    data.update(extra)
    return pd.DataFrame(data)


def test_every_kpi_declares_the_columns_it_reads_from_tables_it_takes():
    for spec in registry.specs():
        assert spec.needs, f"{spec.name} declares no needs="
        for table, cols in spec.needs.items():
            assert table in (*spec.tables, *spec.optional_tables), (spec.name, table)
            unknown = [c for c in cols if c not in CONTRACT[table].names]
            assert not unknown, f"{spec.name}: {table} has no contract column {unknown}"


def test_registry_refuses_needs_of_a_table_the_kpi_does_not_take():
    with pytest.raises(ParameterError, match=r"needs= of KPI 't_bad' names table\(s\) \['orders'\] that "
                                             r"are not in tables=\('leads',\)"):
        registry.kpi(name="t_bad", family="demo", label={"en": "B", "fr": "B"},
                     definition={"en": "B.", "fr": "B."}, unit="count", direction="neutral",
                     tables=("leads",), date="leads.created_at", needs={"orders": ("amount",)})


def test_available_when_tables_and_columns_are_there():
    av = availability(Dataset({"orders": _orders()}), "revenue")
    assert av.ok and av.reason("en") == "" and av.reason("fr") == ""


def test_missing_table_in_both_languages():
    av = availability(Dataset({"orders": _orders()}), "csat")
    assert not av.ok and av.missing_tables == ("surveys",)
    assert av.reason("en") == (
        "Customer satisfaction (CSAT) cannot be computed: the dataset has no table surveys (columns kind, "
        "score, responded_at). Add surveys.csv to the data folder or map it with --mapping (see "
        "docs/data-contract.md, section surveys).")
    assert av.reason("fr") == (
        "Impossible de calculer « Satisfaction client (CSAT) » : le jeu de données n’a pas de table surveys "
        "(colonnes kind, score, responded_at). Ajoutez surveys.csv au dossier des données ou faites-la "
        "correspondre avec --mapping (voir docs/data-contract.md, section surveys).")


def test_two_missing_tables_are_named_in_one_sentence():
    av = availability(Dataset({"orders": _orders()}), "cac")
    assert av.missing_tables == ("costs", "customers")
    text = av.reason("en")
    assert text.count(".") >= 1 and "no table costs" in text and "and the dataset has no table customers" in text
    assert "Add costs.csv, customers.csv to the data folder or map them with --mapping" in text
    assert "faites-les correspondre" in av.reason("fr")


def test_missing_column_in_both_languages():
    av = availability(Dataset({"orders": _orders()}), "gross_margin")
    assert not av.ok and av.missing_columns == {"orders": ("cost",)}
    assert av.reason("en") == (
        "Gross margin cannot be computed: the table orders has no column cost. Add it to the file "
        "orders.csv or map it with --mapping (see docs/data-contract.md, section orders).")
    assert av.reason("fr").startswith("Impossible de calculer « Marge commerciale » : la table orders n’a pas "
                                      "la colonne cost. Ajoutez-la au fichier orders.csv")


def test_empty_table_is_not_zero():
    empty = _orders().iloc[:0]
    av = availability(Dataset({"orders": empty}), "revenue")
    assert not av.ok and av.empty_tables == ("orders",)
    assert av.reason("en") == ("Revenue cannot be computed: the table orders has no rows. Add rows to "
                               "orders.csv (see docs/data-contract.md, section orders).")
    assert av.reason("fr") == ("Impossible de calculer « Chiffre d'affaires » : la table orders n’a aucune "
                               "ligne. Ajoutez des lignes à orders.csv (voir docs/data-contract.md, section orders).")


def test_by_column_no_table_has():
    av = availability(Dataset({"orders": _orders()}), "revenue", by="region")
    assert not av.ok and av.missing_by == "region"
    assert "no table it reads (orders) has a column region" in av.reason("en")
    assert "aucune des tables lues (orders) n’a de colonne region" in av.reason("fr")
    assert availability(Dataset({"orders": _orders()}), "revenue", by="customer_id").ok


def test_period_outside_the_coverage_is_unknown_in_both_languages():
    ds = Dataset({"orders": _orders()})
    assert availability(ds, "revenue", start="2026-04-01", end="2026-05-01").ok
    av = availability(ds, "revenue", start="2026-01-01", end="2026-02-01",
                      period={"en": "January 2026", "fr": "janvier 2026"})
    assert not av.ok and av.outside[0][0] == "orders"
    assert av.reason("en") == ("Revenue is unknown for January 2026: the table orders covers "
                               "Feb 3, 2026 to Apr 11, 2026 only.")
    assert av.reason("fr") == ("« Chiffre d'affaires » n’est pas connu pour janvier 2026 : la table orders ne "
                               "couvre que du 3 févr. 2026 au 11 avr. 2026.")
    assert not availability(ds, "revenue", start="2026-05-01", end="2026-06-01").ok


def test_optional_tables_are_not_required():
    # repeat_purchase_rate takes customers when there are some
    assert availability(Dataset({"orders": _orders()}), "repeat_purchase_rate").ok


def test_unavailable_carries_the_availability():
    av = availability(Dataset({"orders": _orders()}), "nps")
    with pytest.raises(Unavailable, match=r"Net Promoter Score \(NPS\) cannot be computed: the dataset "
                                          r"has no table surveys") as info:
        raise Unavailable(av)
    assert info.value.availability is av


def test_no_values_sentence():
    av = Availability("win_rate", ok=False, no_values=True, period={"en": "May 2026", "fr": "mai 2026"})
    assert av.reason("en") == ("Win rate is unknown for May 2026: no row of opportunities gives it a value "
                               "in this period.")
    assert av.reason("fr") == ("« Taux de réussite » n’est pas connu pour mai 2026 : aucune ligne de opportunities "
                               "ne lui donne de valeur sur cette période.")


def test_mask_uncovered_blanks_the_periods_before_and_after_the_data():
    cov = coverage(Dataset({"orders": _orders()}))
    df = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01",
                                                  "2026-05-01"]),
                       "value": [0.0, 150.0, 0.0, 20.0, 0.0], "numerator": [0, 2, 0, 1, 0],
                       "low_sample": [True, True, True, True, True]})
    out = mask_uncovered(df, "revenue", cov)
    # March has no order but lies inside the data: a true 0; January and May are unknown
    assert out["value"].tolist()[1:4] == [150.0, 0.0, 20.0]
    assert np.isnan(out["value"].iloc[0]) and np.isnan(out["value"].iloc[4])
    assert np.isnan(out["numerator"].iloc[0]) and out["low_sample"].isna().tolist() == [True, False, False,
                                                                                        False, True]
    assert df["value"].iloc[0] == 0.0  # the input is left unchanged


def test_mask_uncovered_keeps_group_keys_and_results_without_period():
    cov = coverage(Dataset({"orders": _orders()}))
    df = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2026-01-01"]), "rep_code": [7, 8],
                       "value": [1.0, 2.0]})
    out = mask_uncovered(df, "revenue", cov, freq="Y", keep=["rep_code"])
    assert out["rep_code"].tolist() == [7, 8] and np.isnan(out["value"].iloc[0]) and out["value"].iloc[1] == 2.0
    plain = pd.DataFrame({"value": [3.0]})
    assert mask_uncovered(plain, "revenue", cov) is plain


def test_orders_without_any_return_line_give_no_return_rate_in_both_languages():
    av = availability(Dataset({"orders": _orders()}), "return_rate")
    assert not av.ok and av.unrecorded == ("orders",)
    assert av.reason("en").startswith("Return rate cannot be computed: the table orders holds no return line, "
                                      "so the source may not record them and a rate of 0 would be a guess.")
    assert "Add the return lines to orders.csv" in av.reason("en")
    assert av.reason("fr").startswith("Impossible de calculer « Taux de retour » : la table orders ne contient "
                                      "aucune ligne de retour ; la source")
    assert "Ajoutez les lignes de retour à orders.csv" in av.reason("fr")
    # one return line (a negative amount) is enough: the source records returns
    with_return = _orders(amount=[100.0, -50.0, 20.0])
    assert availability(Dataset({"orders": with_return}), "return_rate").ok
    # revenue does not depend on returns being recorded
    assert availability(Dataset({"orders": _orders()}), "revenue").ok
