"""Plot helpers (kit.plot): the drawn artists are inspected, not images."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PolyCollection  # noqa: E402

from kit import plot, registry  # noqa: E402
from kit.errors import ParameterError, UnknownKPIError  # noqa: E402

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def monthly():
    """Three months of a win rate for two teams, with intervals; Sud small in October."""
    return pd.DataFrame({
        "team": ["Nord"] * 3 + ["Sud"] * 3,
        "period": pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"] * 2),
        "value": [0.30, 0.40, 0.35, 0.20, 0.25, 0.50],
        "ci_low": [0.20, 0.30, 0.25, 0.10, 0.15, 0.20],
        "ci_high": [0.42, 0.51, 0.46, 0.34, 0.38, 0.80],
        "low_sample": [False, False, False, False, False, True],
    })


@pytest.fixture
def by_team():
    return pd.DataFrame({
        "team": ["Nord", "Sud", None, "Est"],
        "value": [0.40, 0.20, 0.50, 0.10],
        "ci_low": [0.30, 0.10, 0.20, 0.05],
        "ci_high": [0.50, 0.32, 0.80, 0.19],
        "low_sample": [False, False, True, False],
        "differs": [False, False, False, True],
    })


@pytest.fixture
def directions():
    """Temporary KPIs with 'lower' and 'neutral' directions, for the scorecard."""
    made = []
    for name, unit, direction in [("_t_lower_days", "days", "lower"),
                                  ("_t_neutral_count", "count", "neutral"),
                                  ("_t_revenue", "currency", "higher")]:
        registry.kpi(name=name, family="test", label={"en": name, "fr": name + " fr"},
                     definition={"en": "x", "fr": "x"}, unit=unit, direction=direction,
                     tables=("leads",), date="leads.created_at")(lambda leads: None)
        made.append(name)
    yield made
    for name in made:
        registry.unregister(name)


def ticks(axis):
    return [t.get_text() for t in axis.get_ticklabels()]


# --- plot_kpi ---------------------------------------------------------------------------

def test_plot_kpi_draws_one_line_through_the_values(monthly):
    nord = monthly[monthly.team == "Nord"]
    ax = plot.plot_kpi(nord, x="period", name="win_rate", lang="en")
    assert len(ax.lines) == 1
    np.testing.assert_allclose(ax.lines[0].get_ydata(), nord["value"])
    assert ax.get_title() == registry.get("win_rate").label["en"]
    assert ax.get_xlabel() == "Period"
    assert ax.get_ylabel() == registry.get("win_rate").label["en"] + " (%)"
    assert ticks(ax.xaxis) == ["Aug 2026", "Sep 2026", "Oct 2026"]
    labels = ticks(ax.yaxis)
    assert labels and all(lab.endswith("%") for lab in labels)
    lo, hi = ax.get_ylim()
    assert 0 <= lo and hi <= 1


def test_plot_kpi_band_spans_the_interval(monthly):
    nord = monthly[monthly.team == "Nord"]
    ax = plot.plot_kpi(nord, x="period", name="win_rate", lang="fr")
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    ys = bands[0].get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(nord["ci_low"].min())
    assert ys.max() == pytest.approx(nord["ci_high"].max())
    assert ticks(ax.xaxis) == ["août 2026", "sept. 2026", "oct. 2026"]
    assert all(lab.endswith(NBSP + "%") for lab in ticks(ax.yaxis))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["intervalle à 95 %"]
    no_band = plot.plot_kpi(nord, x="period", name="win_rate", band=False)
    assert not [c for c in no_band.collections if isinstance(c, PolyCollection)]


def test_plot_kpi_hue_gives_one_line_per_group_and_hollow_small_samples(monthly):
    ax = plot.plot_kpi(monthly, x="period", hue="team", name="win_rate", lang="fr")
    main = [ln for ln in ax.lines if not ln.get_label().startswith("_")]
    assert [ln.get_label() for ln in main] == ["Nord", "Sud"]
    np.testing.assert_allclose(main[1].get_ydata(), [0.20, 0.25, 0.50])
    hollow = [ln for ln in ax.lines if ln.get_label() == "_low_sample" and len(ln.get_ydata())]
    assert len(hollow) == 1
    np.testing.assert_allclose(hollow[0].get_ydata(), [0.50])
    assert hollow[0].get_markerfacecolor() == "white"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Nord", "Sud", "intervalle à 95 %", "petit échantillon (n < 30)"]


def test_plot_kpi_without_a_kpi_name_uses_the_column(monthly):
    ax = plot.plot_kpi(monthly[monthly.team == "Sud"], x="period", lang="fr")
    assert ax.get_title() == "Valeur" and ax.get_ylabel() == "Valeur"


def test_plot_kpi_draws_on_the_given_axes(monthly):
    fig, ax = plt.subplots()
    assert plot.plot_kpi(monthly[monthly.team == "Nord"], x="period", ax=ax) is ax
    assert len(fig.axes) == 1


def test_plot_kpi_thins_and_rotates_many_months():
    df = pd.DataFrame({"period": pd.date_range("2024-01-01", periods=30, freq="MS"),
                       "value": np.linspace(0.1, 0.4, 30)})
    ax = plot.plot_kpi(df, x="period", name="win_rate", lang="fr")
    labels = ax.get_xticklabels()
    assert len(labels) <= plot.MAX_TICKS
    assert labels[0].get_text() == "janv. 2024"
    assert all(lab.get_rotation() == 35 for lab in labels)


def test_plot_kpi_never_aggregates(monthly):
    with pytest.raises(ParameterError, match=r"plot_kpi draws one mark per period, but data has 6 "
                                             r"rows that share a key.*hue="):
        plot.plot_kpi(monthly, x="period")


def test_plot_kpi_names_missing_columns(monthly):
    with pytest.raises(ParameterError, match=r"column\(s\) \['periode'\] not in data "
                                             r"\(did you mean 'period'\?\); available columns"):
        plot.plot_kpi(monthly, x="periode")
    with pytest.raises(ParameterError, match=r"expects a pandas DataFrame.*received dict"):
        plot.plot_kpi({"period": []}, x="period")
    with pytest.raises(UnknownKPIError, match="Unknown KPI 'winrate'"):
        plot.plot_kpi(monthly[monthly.team == "Nord"], x="period", name="winrate")
    with pytest.raises(ParameterError, match="lang='es' is not allowed"):
        plot.plot_kpi(monthly, x="period", hue="team", lang="es")


# --- plot_trend -------------------------------------------------------------------------

def test_plot_trend_adds_the_target_column_as_a_dashed_line():
    df = pd.DataFrame({"period": pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"]),
                       "value": [90.0, 120.0, 100.0], "target": [100.0, 100.0, 110.0]})
    ax = plot.plot_trend(df, x="period", lang="fr")
    target = [ln for ln in ax.lines if ln.get_label() == "Objectif"]
    assert len(target) == 1 and target[0].get_linestyle() == "--"
    np.testing.assert_allclose(target[0].get_ydata(), [100.0, 100.0, 110.0])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Valeur", "Objectif"]


def test_plot_trend_constant_target_and_no_target(monthly):
    nord = monthly[monthly.team == "Nord"]
    ax = plot.plot_trend(nord, x="period", name="win_rate", target=0.45, lang="en")
    line = [ln for ln in ax.lines if ln.get_label() == "Target"]
    assert len(line) == 1 and list(line[0].get_ydata()) == [0.45, 0.45]
    plain = plot.plot_trend(nord, x="period", name="win_rate")
    assert not [ln for ln in plain.lines if ln.get_label() == "Target"]
    with pytest.raises(ParameterError, match=r"target=\[1\] is neither a column name nor a number"):
        plot.plot_trend(nord, x="period", target=[1])


def test_plot_trend_per_group_targets(monthly):
    df = monthly.assign(target=[0.3, 0.3, 0.3, 0.4, 0.4, 0.4])
    ax = plot.plot_trend(df, x="period", hue="team", name="win_rate", lang="en")
    dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert len(dashed) == 2
    assert dashed[0].get_color() == ax.lines[0].get_color()


# --- plot_bars --------------------------------------------------------------------------

def test_plot_bars_heights_whiskers_and_labels(by_team):
    ax = plot.plot_bars(by_team, x="team", name="win_rate", lang="fr")
    bars = ax.patches
    np.testing.assert_allclose([b.get_height() for b in bars], by_team["value"])
    assert ticks(ax.xaxis) == ["Nord", "Sud", "(vide)", "Est"]
    assert ax.get_xlabel() == "Équipe" and ax.get_ylabel() == "Taux de réussite (%)"
    whiskers = [c for c in ax.collections if isinstance(c, LineCollection)]
    segs = whiskers[0].get_segments()
    np.testing.assert_allclose([s[:, 1].min() for s in segs], by_team["ci_low"])
    np.testing.assert_allclose([s[:, 1].max() for s in segs], by_team["ci_high"])
    assert [t.get_text() for t in ax.texts] == [f"40,0{NBSP}%", f"20,0{NBSP}%", f"50,0{NBSP}%",
                                                f"10,0{NBSP}%"]
    assert ax.get_ylim()[0] == 0


def test_plot_bars_grey_hatched_small_samples_and_outlined_differences(by_team):
    ax = plot.plot_bars(by_team, x="team", name="win_rate", lang="en")
    bars = ax.patches
    assert [b.get_hatch() for b in bars] == [None, None, "///", None]
    assert matplotlib.colors.to_hex(bars[2].get_facecolor()) == plot.GREY
    assert matplotlib.colors.to_hex(bars[0].get_facecolor()) != plot.GREY
    assert [b.get_linewidth() for b in bars][3] == 2.5
    assert bars[3].get_linewidth() > bars[0].get_linewidth()
    assert [t.get_fontweight() for t in ax.texts] == ["normal", "normal", "normal", "bold"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["small sample (n < 30)", "differs from the rest (p < 0.05)"]


def test_plot_bars_groups_side_by_side(monthly):
    ax = plot.plot_bars(monthly, x="period", group="team", name="win_rate", lang="fr")
    bars = ax.patches
    assert len(bars) == 6
    assert ticks(ax.xaxis) == ["août 2026", "septembre 2026", "octobre 2026"]
    nord_x = [b.get_x() for b in bars[:3]]
    sud_x = [b.get_x() for b in bars[3:]]
    assert all(s > n for n, s in zip(nord_x, sud_x))
    assert ax.get_legend().get_title().get_text() == "Équipe"
    # the small October sample of Sud keeps a light shade of its team colour, hatched
    assert bars[5].get_hatch() == "///"
    assert matplotlib.colors.to_hex(bars[5].get_facecolor()) != plot.GREY


def test_plot_bars_horizontal(by_team):
    ax = plot.plot_bars(by_team, x="team", name="win_rate", orient="h", lang="en")
    np.testing.assert_allclose([b.get_width() for b in ax.patches], by_team["value"])
    assert ticks(ax.yaxis) == ["Nord", "Sud", "(empty)", "Est"]
    assert ax.yaxis_inverted()
    assert ax.get_xlabel() == "Win rate (%)" and ax.get_ylabel() == "Team"
    with pytest.raises(ParameterError, match=r"orient='x' is not allowed; allowed values: 'v', 'h'"):
        plot.plot_bars(by_team, x="team", orient="x")


def test_plot_bars_currency_axis():
    df = pd.DataFrame({"team": ["Nord", "Sud"], "value": [1500.0, 2500.0]})
    ax = plot.plot_bars(df, x="team", y="value", lang="fr", annotate=False)
    ax.yaxis.set_major_formatter(plot.ValueFormatter("currency", "fr"))
    ax.figure.canvas.draw()
    labels = [lab for lab in ticks(ax.yaxis) if lab]
    assert labels[0] == f"0{NBSP}€"
    assert f"1{NNBSP}000{NBSP}€" in labels
    assert not ax.texts


def test_value_formatter():
    assert plot.ValueFormatter("ratio", "en").format_ticks([0.1, 0.125, 0.15]) == \
        ["10.0%", "12.5%", "15.0%"]
    assert plot.ValueFormatter("currency", "fr").format_ticks([0, 200000, 400000]) == \
        [f"0{NBSP}€", f"200{NBSP}k{NBSP}€", f"400{NBSP}k{NBSP}€"]
    assert plot.ValueFormatter("days", "fr").format_ticks([0, 2.5, 5]) == ["0,0", "2,5", "5,0"]
    assert plot.ValueFormatter(None, "en").format_ticks([1000, 2000]) == ["1,000", "2,000"]


# --- plot_funnel, plot_survival ---------------------------------------------------------

def test_plot_funnel_centres_bars_and_writes_counts_and_rates():
    df = pd.DataFrame({"stage": ["created", "engaged", "won", "custom"],
                       "count": [200, 120, 12, 6], "rate": [np.nan, 0.6, 0.1, 0.5]})
    ax = plot.plot_funnel(df, rate="rate", lang="fr")
    bars = ax.patches
    np.testing.assert_allclose([b.get_width() for b in bars], df["count"])
    centres = [b.get_x() + b.get_width() / 2 for b in bars]
    np.testing.assert_allclose(centres, [100.0] * 4)
    assert ticks(ax.yaxis) == ["Créés", "Engagés", "Gagnés", "custom"]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["200", "120", f"60,0{NBSP}%", "12", f"10,0{NBSP}%", "6", f"50,0{NBSP}%"]
    assert ax.get_title() == "Entonnoir commercial" and ax.get_ylabel() == "Étape"
    plain = plot.plot_funnel(df, lang="en")
    assert [t.get_text() for t in plain.texts] == ["200", "120", "12", "6"]
    with pytest.raises(ParameterError, match=r"column\(s\) \['n'\] not in data"):
        plot.plot_funnel(df, count="n")


def test_plot_survival_step_curve_with_band():
    from kit.stats import km_curve

    curve = km_curve([5, 10, 10, 20, 40, 60], [True, True, False, True, True, False])
    ax = plot.plot_survival(curve, lang="fr")
    line = ax.lines[0]
    assert line.get_drawstyle() == "steps-post"
    np.testing.assert_allclose(line.get_ydata(), curve["share_converted"])
    assert ax.get_ylim() == (0, 1)
    assert ax.get_xlabel() == "Jours depuis la création du prospect"
    assert ax.get_ylabel() == "Part convertie (%)"
    assert ax.get_title() == "Conversion au fil du temps"
    assert all(lab.endswith(NBSP + "%") for lab in ticks(ax.yaxis))
    assert [c for c in ax.collections if isinstance(c, PolyCollection)]


# --- scorecard --------------------------------------------------------------------------

def test_scorecard_status_follows_the_direction_of_each_kpi(directions):
    # without numerators (no test possible) a change beyond 5 % of the previous value counts
    df = pd.DataFrame({
        "name": ["win_rate", "win_rate", "_t_lower_days", "_t_lower_days", "_t_neutral_count",
                 "win_rate", "win_rate"],
        "value": [0.3, 0.3, 10.0, 12.0, 5.0, 0.3, 0.3],
        "change": [0.02, -0.02, -1.5, 2.0, 3.0, 0.0, np.nan],
    })
    expected = ["better", "worse", "better", "worse", "unclear", "unclear", "nodata"]
    styler = plot.style_scorecard(df, lang="en")
    out = styler.to_html()
    found = re.findall(r'data-kpi="([^"]+)" data-status="([^"]+)"', out)
    assert found == list(zip(df["name"], expected))
    # the status is written with its symbol, not carried by colour alone
    assert styler.data["Status"].tolist() == [
        "▲ better", "▼ worse", "▲ better", "▼ worse", "≈ no clear change", "≈ no clear change",
        "– no data"]


def test_style_scorecard_formats_and_colours(directions):
    df = pd.DataFrame({"name": ["win_rate", "_t_lower_days", "_t_revenue"],
                       "value": [0.325, 12.5, 1234.5], "previous": [0.30, 10.0, 1000.0],
                       "change": [0.025, 2.5, 234.5], "team": ["<script>x</script>", "Nord", "Sud"]})
    styler = plot.style_scorecard(df, lang="fr")
    shown = styler.data
    assert list(shown.columns) == ["Indicateur", "Valeur", "Précédent", "Évolution", "Équipe", "Statut"]
    assert shown["Statut"].tolist() == ["▲ en amélioration", "▼ en dégradation", "▲ en amélioration"]
    assert shown["Indicateur"].tolist() == ["Taux de réussite", "_t_lower_days fr", "_t_revenue fr"]
    assert shown["Valeur"].tolist() == [f"32,5{NBSP}%", f"12,5{NBSP}j", f"1{NNBSP}234,50{NBSP}€"]
    assert shown["Évolution"].tolist() == [f"+2,5{NBSP}pts", f"+2,5{NBSP}j", f"+234,50{NBSP}€"]
    out = styler.to_html()
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "#T_" in out
    # change column is col3: better (row 0 and 2) is green, worse (row 1) is red

    def css_of(cell):  # pandas groups cells with the same style under one rule
        for selectors, props in re.findall(r"([^{}]+)\{([^}]*)\}", out):
            if re.search(r"_" + cell + r"\b", selectors):
                return props
        return ""

    assert "#dcf2e0" in css_of("row0_col3") and "#dcf2e0" in css_of("row2_col3")
    assert "#fbe1df" in css_of("row1_col3")
    assert css_of("row0_col1") == ""


def test_style_scorecard_requires_its_columns():
    with pytest.raises(ParameterError, match=r"style_scorecard: column\(s\) \['change'\] not in data"):
        plot.style_scorecard(pd.DataFrame({"name": ["win_rate"], "value": [0.3]}))


def test_plot_bars_missing_value_from_a_zero_denominator():
    df = pd.DataFrame({"team": ["Nord", "Sud"], "value": [0.4, np.nan],
                       "ci_low": [0.3, np.nan], "ci_high": [0.5, np.nan]})
    ax = plot.plot_bars(df, x="team", name="win_rate", lang="en")
    assert [b.get_height() for b in ax.patches] == [0.4, 0.0]
    assert [t.get_text() for t in ax.texts] == ["40.0%", "\u2013"]
    whiskers = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(whiskers[0].get_segments()) == 1


def test_style_scorecard_writes_dates_as_periods_and_keeps_text():
    df = pd.DataFrame({"name": ["win_rate"], "value": [0.3], "change": [np.nan],
                       "month": pd.to_datetime(["2026-10-01"]), "note": ["déjà formaté"],
                       "n": [1234]})
    shown = plot.style_scorecard(df, lang="fr").data
    # a note column is shown last, after the status
    assert shown.iloc[0].tolist() == ["Taux de réussite", f"30,0{NBSP}%", "\u2013", "octobre 2026",
                                      f"1{NNBSP}234", "\u2013 pas de données", "déjà formaté"]
