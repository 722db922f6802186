"""Every registered KPI carries complete metadata and a signature that matches it."""

import inspect

import pandas as pd
import pytest

import kit
from kit import registry
from kit.contract import CONTRACT

SPECS = registry.specs()
IDS = [s.name for s in SPECS]


def test_catalogue_is_complete():
    # the 37 KPIs of the reference design, under exactly those names, and return_rate (issue 19)
    expected = {
        "revenue", "revenue_vs_target", "revenue_share", "seasonality_index", "gross_margin",
        "average_basket", "average_won_deal", "deals_needed", "recurring_revenue",
        "leads_generated", "lead_conversion_rate", "funnel", "call_to_meeting_rate", "win_rate",
        "offer_loss_rate", "never_engaged_rate", "time_to_convert", "sales_cycle",
        "conversations_to_close", "pipeline_velocity", "cac", "ltv", "ltv_cac_ratio",
        "cac_payback_months", "csat", "nps", "repeat_purchase_rate", "referral_rate",
        "returning_customer_rate", "product_lifetime", "conversations", "prospect_calls",
        "prospecting_emails", "email_call_balance", "email_response_rate",
        "social_engagement_rate", "activity_profile", "stage_funnel", "return_rate",
    }
    assert set(registry.names()) == expected


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_metadata(spec):
    for lang in ("en", "fr"):
        assert spec.label[lang].strip() and spec.definition[lang].strip().endswith((".", ")"))
    assert spec.unit in registry.UNITS and spec.direction in registry.DIRECTIONS
    assert set(spec.tables) | set(spec.optional_tables) <= set(CONTRACT)
    table, _, column = spec.date.partition(".")
    assert table in CONTRACT and CONTRACT[table].has(column), spec.date


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_signature_matches_tables(spec):
    params = inspect.signature(spec.func).parameters
    positional = [p for p, v in params.items()
                  if v.kind in (v.POSITIONAL_ONLY, v.POSITIONAL_OR_KEYWORD)]
    assert positional == list(spec.tables)
    keyword_only = [p for p, v in params.items() if v.kind == v.KEYWORD_ONLY]
    for t in spec.optional_tables:
        assert t in keyword_only
    doc = inspect.getdoc(spec.func) or ""
    assert "Examples" in doc and ">>>" in doc, "numpydoc docstring with a runnable example"


def test_unknown_kpi_lists_known_names():
    with pytest.raises(kit.UnknownKPIError, match=r"Unknown KPI 'win_rat' \(did you mean 'win_rate'\?\).*Known KPIs: .*revenue"):
        kit.compute(kit.Dataset({}), "win_rat")


def test_missing_table_is_named():
    ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1"], "created_at": pd.to_datetime(["2026-01-01"])})})
    with pytest.raises(kit.DataError, match=r"KPI 'win_rate' needs table\(s\) \['opportunities'\].*it has \['leads'\]"):
        kit.compute(ds, "win_rate")


def test_unknown_option_is_named():
    ds = kit.Dataset({"opportunities": pd.DataFrame({"status": ["won"], "closed_at": pd.to_datetime(["2026-01-01"])})})
    with pytest.raises(kit.ParameterError, match=r"does not take option\(s\) \['bye'\] \(did you mean 'by'\?\)"):
        kit.compute(ds, "win_rate", bye="team")


def test_catalog_in_french():
    cat = kit.catalog(lang="fr")
    assert {"name", "label", "definition", "unit", "direction", "tables"} <= set(cat.columns)
    assert cat.set_index("name").loc["win_rate", "label"] == "Taux de réussite"
    with pytest.raises(kit.ParameterError, match="lang='de' is not allowed"):
        kit.catalog(lang="de")
