"""kit.kpis_for: the KPIs the loaded tables allow, from the registry's tables."""

from __future__ import annotations

import pandas as pd

import kit
from kit import registry
from kit.loaded import kpis_for


def _ds(*names):
    return kit.Dataset({n: pd.DataFrame({"x": [1]}) for n in names})


def test_only_kpis_whose_tables_are_all_loaded_are_available():
    table = kpis_for(_ds("opportunities", "orders")).set_index("name")
    assert table.loc["win_rate", "available"] and table.loc["win_rate", "missing"] == ""
    assert table.loc["revenue", "available"]
    assert not table.loc["leads_generated", "available"]
    assert table.loc["leads_generated", "missing"] == "leads"
    # hand-check against the registry: available exactly when spec.tables ⊆ {opportunities, orders}
    expected = {s.name for s in registry.specs() if set(s.tables) <= {"opportunities", "orders"}}
    assert set(table.index[table["available"]]) == expected


def test_every_kpi_listed_available_first_with_labels_in_the_language():
    table = kpis_for(_ds("leads"), lang="fr")
    assert sorted(table["name"]) == sorted(registry.names())
    flags = table["available"].tolist()
    assert flags == sorted(flags, reverse=True)
    assert table.loc[table["name"] == "win_rate", "label"].item() == "Taux de réussite"


def test_empty_dataset_allows_nothing():
    table = kpis_for(_ds())
    assert not table["available"].any()
    assert (table["missing"] != "").all()
