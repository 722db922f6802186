"""Labels and number formats in English and French (kit.i18n)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit import i18n
from kit.errors import ParameterError, UnknownKPIError

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(("value", "unit", "lang", "expected"), [
    (0.125, "ratio", "fr", f"12,5{NBSP}%"),
    (0.125, "ratio", "en", "12.5%"),
    (1.0, "ratio", "fr", f"100,0{NBSP}%"),
    (1234.56, "currency", "fr", f"1{NNBSP}234,56{NBSP}€"),
    (1234.56, "currency", "en", "€1,234.56"),
    (-50.0, "currency", "en", "-€50.00"),
    (1234, "count", "fr", f"1{NNBSP}234"),
    (1234, "count", "en", "1,234"),
    (1234.0, "count", "en", "1,234"),
    (12.3, "count", "en", "12.3"),
    (12.5, "days", "fr", f"12,5{NBSP}j"),
    (12.5, "days", "en", f"12.5{NBSP}d"),
    (3, "months", "fr", f"3,0{NBSP}mois"),
    (3, "months", "en", f"3.0{NBSP}mo"),
    (8.44, "score", "fr", "8,4"),
    (np.float64(0.5), "ratio", "en", "50.0%"),
    (np.int64(7), "count", "fr", "7"),
])
def test_format_value(value, unit, lang, expected):
    assert i18n.format_value(value, unit, lang) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
@pytest.mark.parametrize("unit", i18n.UNITS)
def test_missing_values_are_an_en_dash(missing, unit):
    assert i18n.format_value(missing, unit, "fr") == "\u2013"


def test_format_value_options():
    assert i18n.format_value(0.1234, "ratio", "en", decimals=0) == "12%"
    assert i18n.format_value(1234.5, "currency", "fr", decimals=0) == f"1{NNBSP}234{NBSP}€"
    assert i18n.format_value(1234.5, "currency", "en", currency="USD") == "$1,234.50"
    assert i18n.format_value(5, "count", "en", sign=True) == "+5"
    assert i18n.format_value(-5, "count", "en", sign=True) == "-5"
    assert i18n.format_value(0, "count", "en", sign=True) == "0"


def test_format_change():
    assert i18n.format_change(0.025, "ratio", "fr") == f"+2,5{NBSP}pts"
    assert i18n.format_change(-0.031, "ratio", "en") == f"-3.1{NBSP}pp"
    assert i18n.format_change(1500, "currency", "fr") == f"+1{NNBSP}500,00{NBSP}€"
    assert i18n.format_change(None, "ratio", "fr") == "\u2013"


def test_format_value_errors():
    with pytest.raises(ParameterError, match=r"lang='de' is not allowed; allowed values: 'en', 'fr'"):
        i18n.format_value(1, "count", "de")
    with pytest.raises(ParameterError, match=r"unit='percent' is not allowed; allowed values: 'count'"):
        i18n.format_value(1, "percent", "en")
    with pytest.raises(ParameterError, match=r"unit='ratoi'.*did you mean 'ratio'"):
        i18n.format_value(1, "ratoi", "en")
    with pytest.raises(ParameterError, match=r"expects a number for unit='count', received 'abc' \(str\)"):
        i18n.format_value("abc", "count", "en")
    with pytest.raises(ParameterError, match=r"received True \(bool\)"):
        i18n.format_value(True, "count", "en")


@settings(max_examples=200, derandomize=True)
@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_ratio_text_reads_back_as_the_percentage(x):
    fr = i18n.format_value(x, "ratio", "fr")
    en = i18n.format_value(x, "ratio", "en")
    assert fr.endswith(NBSP + "%") and en.endswith("%")
    back_fr = float(fr[:-2].replace(NNBSP, "").replace(",", "."))
    back_en = float(en[:-1].replace(",", ""))
    assert back_fr == back_en
    assert abs(back_fr - x * 100) <= 0.05 + 1e-9


@settings(max_examples=200, derandomize=True)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_currency_text_reads_back_as_the_amount(x):
    fr = i18n.format_value(x, "currency", "fr")
    assert fr.endswith(NBSP + "€")
    back = float(fr[:-2].replace(NNBSP, "").replace(",", "."))
    assert abs(back - x) <= 0.005 + 1e-6 * abs(x)


def test_months():
    assert i18n.format_month("2026-10-01", "fr") == "octobre 2026"
    assert i18n.format_month(pd.Timestamp("2026-10-31 23:59"), "en") == "October 2026"
    assert i18n.format_month(np.datetime64("2026-02-03"), "fr") == "février 2026"
    assert i18n.month_abbr("2026-02-01", "fr") == "févr."
    assert i18n.month_abbr("2026-02-01", "en", year=True) == "Feb 2026"
    assert i18n.format_month(pd.NaT, "en") == "\u2013"
    with pytest.raises(ParameterError, match=r"Expected a date .*received 'not a date'"):
        i18n.format_month("not a date", "en")


@pytest.mark.parametrize(("ts", "freq", "lang", "expected"), [
    ("2026-10-01", "M", "fr", "octobre 2026"),
    ("2026-07-01", "Q", "fr", "T3 2026"),
    ("2026-07-01", "Q", "en", "Q3 2026"),
    ("2026-01-01", "Y", "fr", "2026"),
    ("2026-10-05", "W", "fr", "Semaine du 5 oct. 2026"),
    ("2026-10-05", None, "en", "Oct 5, 2026"),
])
def test_format_period(ts, freq, lang, expected):
    assert i18n.format_period(ts, freq, lang) == expected


def test_format_period_rejects_unknown_freq():
    with pytest.raises(ParameterError, match=r"freq='month' is not allowed; allowed values: None, 'W'"):
        i18n.format_period("2026-01-01", "month", "en")


@pytest.mark.parametrize(("dates", "expected"), [
    (["2026-01-01", "2026-02-01", "2026-03-01"], "M"),
    (["2026-01-01"], "M"),
    (["2026-01-01", "2026-04-01", "2026-10-01"], "Q"),
    (["2025-01-01", "2026-01-01"], "Y"),
    (["2026-10-05", "2026-10-12"], "W"),
    (["2026-10-06", "2026-10-12"], None),
    (["2026-10-01 12:00"], None),
    ([], None),
])
def test_infer_freq(dates, expected):
    assert i18n.infer_freq(pd.to_datetime(pd.Series(dates, dtype=object))) == expected


def test_every_word_has_both_languages_with_the_same_placeholders():
    import string

    for key, texts in i18n.WORDS.items():
        assert set(texts) == {"en", "fr"}, key
        assert texts["en"] and texts["fr"], key
        fields = [{f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f} for lang in ("en", "fr")]
        assert fields[0] == fields[1], key


def test_ui_words():
    assert i18n.t("previous_month", "fr") == "Mois précédent"
    assert i18n.t("same_month_last_year", "en") == "Same month last year"
    assert i18n.t("all", "fr") == "Tous"
    assert i18n.t("target", "fr") == "Objectif"
    assert i18n.t("rows", "en", n=4) == "4 rows"
    with pytest.raises(ParameterError, match=r"No UI word 'tem' \(did you mean 'team'.*Add it to kit.i18n.WORDS"):
        i18n.t("tem", "fr")
    with pytest.raises(ParameterError, match=r"lang='FR' is not allowed.*did you mean 'fr'"):
        i18n.t("team", "FR")


def test_labels_from_the_registry():
    spec = kit.registry.get("win_rate")
    assert i18n.kpi_label("win_rate", "fr") == spec.label["fr"]
    assert i18n.kpi_label("win_rate", "en") == spec.label["en"]
    with pytest.raises(UnknownKPIError, match=r"Unknown KPI 'win_rat'.*did you mean 'win_rate'"):
        i18n.kpi_label("win_rat", "en")
    assert i18n.axis_label("win_rate", "en") == f"{spec.label['en']} (%)"
    assert i18n.axis_label(None, "fr", fallback="ci_low") == "IC 95 % bas"


@pytest.mark.parametrize(("unit", "lang", "currency", "expected"), [
    ("ratio", "fr", "EUR", "%"),
    ("currency", "fr", "EUR", "€"),
    ("currency", "en", "USD", "$"),
    ("currency", "fr", "USD", "$US"),
    ("days", "fr", "EUR", "jours"),
    ("days", "en", "EUR", "days"),
    ("months", "fr", "EUR", "mois"),
    ("count", "fr", "EUR", "nombre"),
    ("score", "en", "EUR", "score"),
])
def test_unit_label(unit, lang, currency, expected):
    assert i18n.unit_label(unit, lang, currency) == expected


@pytest.fixture
def opportunities():
    return pd.DataFrame({
        "opportunity_id": [f"O{i}" for i in range(7)],
        "status": ["won", "lost", "won", "lost", "lost", "won", "open"],
        "team": ["Nord", "Nord", "Sud", "Sud", "Sud", None, "Nord"],
        "closed_at": pd.to_datetime(["2026-09-03", "2026-09-20", "2026-10-01", "2026-10-02",
                                     "2026-10-30", "2026-10-15", None]),
    })


def test_format_frame_of_a_kpi_result(opportunities):
    ds = kit.Dataset({"opportunities": opportunities})
    res = kit.compute(ds, "win_rate", by="team", freq="M")
    before = res.copy()
    out = i18n.format_frame(res, "win_rate", "fr")
    pd.testing.assert_frame_equal(res, before)  # input untouched
    assert list(out.columns) == ["Équipe", "Période", "Taux de réussite", "Numérateur",
                                 "Dénominateur", "IC 95 % bas", "IC 95 % haut", "Petit échantillon"]
    rows = out.to_dict("records")
    # Nord: September 1 won / 2 closed; Sud: October 1 / 3; no team: October 1 / 1
    assert rows[0]["Équipe"] == "Nord" and rows[0]["Période"] == "septembre 2026"
    assert rows[0]["Taux de réussite"] == f"50,0{NBSP}%"
    assert rows[0]["Numérateur"] == "1" and rows[0]["Dénominateur"] == "2"
    assert rows[0]["Petit échantillon"] == "oui"
    assert rows[1]["Taux de réussite"] == f"33,3{NBSP}%"
    assert rows[2]["Équipe"] == "(vide)" and rows[2]["Période"] == "octobre 2026"
    assert all(isinstance(v, str) for r in rows for v in r.values())
    en = i18n.format_frame(res, "win_rate", "en")
    assert list(en.columns)[:3] == ["Team", "Period", "Win rate"]
    assert en["Win rate"].tolist() == ["50.0%", "33.3%", "100.0%"]


def test_format_frame_columns_by_name():
    df = pd.DataFrame({
        "value": [0.5, np.nan], "change": [0.02, -0.01], "share_converted": [0.25, 0.5],
        "n_censored": [3, 12000], "mean": [0.4, 0.1], "slope": [1.23456, 2.0],
        "label": ["<b>x</b>", None], "flag": pd.array([True, None], dtype="boolean"),
    })
    out = i18n.format_frame(df, "win_rate", "en")
    assert out["Win rate"].tolist() == ["50.0%", "\u2013"]
    assert out["Change"].tolist() == [f"+2.0{NBSP}pp", f"-1.0{NBSP}pp"]
    assert out["Share converted"].tolist() == ["25.0%", "50.0%"]
    assert out["Censored"].tolist() == ["3", "12,000"]
    assert out["mean"].tolist() == ["40.0%", "10.0%"]
    assert out["slope"].tolist() == ["1.23", "2"]
    assert out["label"].tolist() == ["<b>x</b>", "(empty)"]  # escaping is the renderer's job
    assert out["flag"].tolist() == ["yes", "\u2013"]


def test_format_frame_periods_by_frequency():
    df = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-04-01"]), "value": [1.0, 2.0]})
    assert i18n.format_frame(df, "win_rate", "fr")["Période"].tolist() == ["T1 2026", "T2 2026"]
    assert i18n.format_frame(df, "win_rate", "fr", freq="M")["Période"].tolist() == \
        ["janvier 2026", "avril 2026"]


def test_format_frame_errors():
    with pytest.raises(ParameterError, match=r"expects a pandas DataFrame .*received list"):
        i18n.format_frame([1, 2], "win_rate", "en")
    with pytest.raises(UnknownKPIError, match="Unknown KPI 'nope'"):
        i18n.format_frame(pd.DataFrame({"value": [1.0]}), "nope", "en")


def test_every_stage_of_the_sample_has_its_words():
    import pandas as pd

    from kit.i18n import has_word
    from tests.conftest import SAMPLE

    stages = pd.read_csv(SAMPLE / "opportunities.csv", usecols=["stage"])["stage"].dropna().unique()
    assert [s for s in stages if not has_word(f"stage_{s}")] == []
    assert i18n.t("stage_negotiation", "fr") == "Négociation"


def test_the_word_tables_of_every_layer_have_both_languages_with_the_same_placeholders():
    import string

    from kit.present import words as present_words
    from kit.story import texts

    for table in (present_words.WORDS, texts.WORDS):
        for key, words in table.items():
            assert set(words) == {"en", "fr"} and words["en"] and words["fr"], (table.home, key)
            fields = [{f for _, f, _, _ in string.Formatter().parse(words[lang]) if f} for lang in ("en", "fr")]
            assert fields[0] == fields[1], (table.home, key)


def test_one_lookup_rule_for_the_ui_the_presentation_and_the_report_words():
    from kit.present import label, pword
    from kit.story.texts import _label, word

    # the first table of the chain that holds the key wins: report, presentation, UI words
    assert word("count", "fr") == "Lignes" and i18n.t("count", "fr") == "Nombre"
    assert word("too_recent", "en", n=3) == pword("too_recent", "en", n=3) == "3 too recent"
    assert word("previous_month", "fr") == i18n.t("previous_month", "fr") == "Mois précédent"
    assert label("orders", "fr") == _label("orders", "fr") == "Commandes"
    assert label("win_rate", "fr") == _label("win_rate", "fr") == i18n.kpi_label("win_rate", "fr")
    # the same error everywhere, naming the table where the word belongs
    for call, home in ((lambda: word("team_y", "en"), "kit.story.texts.WORDS"),
                       (lambda: pword("status_beter", "en"), "kit.present.words.WORDS"),
                       (lambda: i18n.t("team_y", "en"), "kit.i18n.WORDS")):
        with pytest.raises(ParameterError, match=rf"No UI word '\w+' \(did you mean .*Add it to {home} with"):
            call()
    with pytest.raises(ParameterError, match=r"lang='de' is not allowed"):
        word("team_x", "de", team="Nord")
