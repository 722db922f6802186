"""Widgets (kit.widgets), driven without a browser: set .value, read HTML and Image values."""

from __future__ import annotations

import asyncio

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import kit  # noqa: E402
from kit import registry  # noqa: E402
from kit import widgets as kw  # noqa: E402
from kit.errors import DataError, KitError, ParameterError  # noqa: E402

EVIL = "<script>alert('x')</script>"


@pytest.fixture
def ds():
    """Closed deals: Nord wins 3 of 4 (Aug 1/2, Sep 2/2), Sud 1 of 3; one open deal."""
    opportunities = pd.DataFrame({
        "opportunity_id": [f"O{i}" for i in range(8)],
        "rep_id": ["R1", "R1", "R2", "R2", "R3", "R3", "R3", "R1"],
        "team": ["Nord", "Nord", "Nord", "Nord", "Sud", "Sud", "Sud", "Nord"],
        "status": ["won", "lost", "won", "won", "won", "lost", "lost", "open"],
        "created_at": pd.to_datetime(["2026-08-02", "2026-08-03", "2026-09-01", "2026-09-10",
                                      "2026-08-05", "2026-09-12", "2026-10-01", "2026-10-20"]),
        "closed_at": pd.to_datetime(["2026-08-20", "2026-08-25", "2026-09-15", "2026-09-30",
                                     "2026-08-28", "2026-09-29", "2026-10-10", None]),
    })
    leads = pd.DataFrame({
        "lead_id": ["L1", "L2", "L3"], "source": ["web", "salon", None],
        "created_at": pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"]),
    })
    reps = pd.DataFrame({"rep_id": ["R1", "R2", "R3"], "name": ["Ana", EVIL, "Ana"],
                         "team": ["Nord", "Nord", "Sud"]})
    return kit.Dataset({"opportunities": opportunities, "leads": leads, "reps": reps})


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def png(image) -> bytes:
    return bytes(image.value)


# --- options read from the dataset ------------------------------------------------------

def test_options_come_from_the_dataset(ds):
    assert [m.strftime("%Y-%m") for m in kw.month_options(ds)] == ["2026-08", "2026-09", "2026-10"]
    assert kw.column_values(ds, "team") == ["Nord", "Sud"]
    assert kw.column_values(ds, "source") == ["salon", "web"]
    assert kw.rep_names(ds) == {"R1": "Ana", "R2": EVIL, "R3": "Ana"}


def test_filter_bar_labels_and_choices(ds):
    bar = kw.filter_bar(ds, lang="fr")
    assert [lab for lab, _ in bar.start.options] == ["août 2026", "septembre 2026", "octobre 2026"]
    assert (bar.start.description, bar.end.description) == ("Du", "Au")
    assert bar.team.description == "Équipe" and bar.rep.description == "Commercial"
    assert [lab for lab, _ in bar.team.options] == ["Tous", "Nord", "Sud"]
    # same names are told apart by their id; options are labels, never HTML
    assert [lab for lab, _ in bar.rep.options] == ["Tous", EVIL, "Ana (R1)", "Ana (R3)"]
    assert [lab for lab, _ in bar.source.options] == ["Tous", "salon", "web"]
    assert bar.filters == {} and bar.dataset is ds
    en = kw.filter_bar(ds, lang="en")
    assert en.team.options[0][0] == "All" and en.start.description == "From"


def test_filter_bar_without_a_column_has_no_dropdown_for_it():
    only = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1"],
                                               "created_at": pd.to_datetime(["2026-01-05"])})})
    bar = kw.filter_bar(only)
    assert bar.team is None and bar.rep is None and bar.source is None
    assert not [w for w in walk(bar) if isinstance(w, widgets.Dropdown) and w not in (bar.start, bar.end)]


def test_filter_bar_calls_back_with_the_filtered_dataset(ds):
    seen = []
    bar = kw.filter_bar(ds, lambda d: seen.append(d), lang="en")
    bar.team.value = "Sud"
    assert len(seen) == 1
    assert seen[-1].opportunities["opportunity_id"].tolist() == ["O4", "O5", "O6"]
    assert seen[-1].reps["rep_id"].tolist() == ["R3"]
    bar.rep.value = "R3"
    assert bar.filters == {"team": "Sud", "rep_id": "R3"}
    bar.team.value = kw.ALL
    bar.start.value = pd.Timestamp("2026-09-01")
    bar.end.value = pd.Timestamp("2026-09-01")
    assert bar.filters == {"rep_id": "R3", "start": pd.Timestamp("2026-09-01"),
                           "end": pd.Timestamp("2026-10-01")}
    assert seen[-1].opportunities["opportunity_id"].tolist() == ["O5"]
    # as_of moves to the end of the chosen period, for cohort KPIs
    assert seen[-1].as_of < pd.Timestamp("2026-10-01")
    assert len(seen) == 5


def test_filter_bar_swaps_a_reversed_period(ds):
    bar = kw.filter_bar(ds)
    bar.start.value = pd.Timestamp("2026-10-01")
    bar.end.value = pd.Timestamp("2026-09-01")
    assert bar.filters == {"start": pd.Timestamp("2026-09-01")}
    assert bar.dataset.leads["lead_id"].tolist() == ["L2", "L3"]


def test_filter_bar_coalesces_changes(ds):
    seen = []
    bar = kw.filter_bar(ds, lambda d: seen.append(len(d.opportunities)))
    with bar.hold():
        bar.team.value = "Nord"
        bar.rep.value = "R2"
        bar.source.value = "web"
        assert seen == []
    assert seen == [2]
    with bar.hold():  # changed and changed back: same selection, nothing recomputed
        bar.team.value = "Sud"
        bar.team.value = "Nord"
    assert seen == [2]
    bar.source.value = "salon"
    assert seen == [2, 2]
    bar.on_change(lambda d: seen.append(-1))
    bar.rep.value = kw.ALL
    assert seen == [2, 2, 5, -1]


def test_filter_bar_debounces_browser_changes(ds, monkeypatch):
    monkeypatch.setattr(kw.debounce, "_from_frontend", lambda: True)
    seen = []

    async def scenario():
        bar = kw.filter_bar(ds, lambda d: seen.append(sorted(d.opportunities["team"].unique())),
                            debounce=0.05)
        bar.team.value = "Nord"
        bar.team.value = "Sud"
        bar.rep.value = "R3"
        assert seen == []  # nothing computed while changes keep coming
        await asyncio.sleep(0.2)
        assert seen == [["Sud"]]
        bar.team.value = "Nord"
        bar.flush()  # a pending change can be forced
        assert seen == [["Sud"], []]

    asyncio.run(scenario())


def test_changes_made_by_code_are_not_delayed(ds):
    seen = []

    async def scenario():
        bar = kw.filter_bar(ds, lambda d: seen.append(len(d.opportunities)), debounce=10)
        bar.team.value = "Sud"
        assert seen == [3]  # at once, although an event loop runs

    asyncio.run(scenario())


def test_filter_bar_shows_callback_errors_escaped(ds):
    def broken(_ds):
        raise KitError(f"bad rep {EVIL}")

    bar = kw.filter_bar(ds, broken, lang="fr")
    bar.team.value = "Nord"
    assert isinstance(bar.last_error, KitError)
    assert "Erreur" in bar.status.value
    assert "<script>" not in bar.status.value and "&lt;script&gt;" in bar.status.value


# --- KPI explorer -----------------------------------------------------------------------

def test_explorer_renders_a_table_and_a_figure(ds):
    ex = kw.kpi_explorer(ds, lang="fr", kpis=["win_rate"])
    assert ex.kpi.value == "win_rate" and ex.freq.value == "M"
    assert [lab for lab, _ in ex.breakdown.options] == ["(aucune)", "Équipe", "Commercial"]
    assert [lab for lab, _ in ex.freq.options] == ["Période entière", "Hebdomadaire", "Mensuelle",
                                                   "Trimestrielle", "Annuelle"]
    monthly_html, monthly_png = ex.table.value, png(ex.image)
    assert "août 2026" in monthly_html and "Taux de réussite" in monthly_html
    assert monthly_png[:4] == b"\x89PNG"
    ex.freq.value = None
    # all closed deals: 4 won of 7
    assert "57,1" in ex.table.value and "août 2026" not in ex.table.value
    assert png(ex.image) != monthly_png
    ex.breakdown.value = "team"
    assert ex.options == {"by": "team"}
    assert ex.result["value"].round(4).tolist() == [0.75, round(1 / 3, 4)]
    assert "Nord" in ex.table.value and "75,0" in ex.table.value and "33,3" in ex.table.value


def test_explorer_escapes_data_in_html(ds):
    ex = kw.kpi_explorer(ds, lang="en", kpis=["win_rate"])
    with ex.hold():
        ex.freq.value = None
        ex.breakdown.value = "rep_id"
    html = ex.table.value
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html or \
        "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "<th>Name</th>" in html


def test_explorer_follows_its_filter_bar(ds):
    ex = kw.kpi_explorer(ds, lang="en", kpis=["win_rate"])
    ex.freq.value = None
    assert ex.result["denominator"].tolist() == [7.0]
    ex.filter_bar.team.value = "Sud"
    assert ex.result["denominator"].tolist() == [3.0]
    assert "33.3%" in ex.table.value
    ex.set_dataset(ds.filter(team="Nord"))
    assert ex.result["value"].tolist() == [0.75]


def test_explorer_shows_errors_and_empty_results(ds):
    @registry.kpi(name="_t_broken", family="test", label={"en": "Broken", "fr": "Cassé"},
                  definition={"en": "x", "fr": "x"}, unit="count", direction="neutral",
                  tables=("opportunities",), date="opportunities.created_at")
    def broken(opportunities, *, by=None):
        raise ParameterError(f"cannot compute {EVIL}")

    try:
        ex = kw.kpi_explorer(ds, lang="fr", kpis=["win_rate", "_t_broken"], filters=False)
        assert ex.filter_bar is None
        ex.kpi.value = "_t_broken"
        assert [v for _, v in ex.freq.options] == [None]  # the KPI takes no freq
        assert "Erreur" in ex.status.value and "&lt;script&gt;" in ex.status.value
        assert ex.table.value == "" and png(ex.image) == b""
        ex.kpi.value = "win_rate"
        assert ex.status.value == "" and "Taux de réussite" in ex.table.value
        ex.set_dataset(ds.filter(start="2027-01-01"))  # whole period: one row, no deal
        assert ex.result["denominator"].tolist() == [0.0] and "<td>–</td>" in ex.table.value
        ex.freq.value = "M"  # monthly: no month at all
        assert "Aucune donnée" in ex.status.value and ex.table.value == ""
    finally:
        registry.unregister("_t_broken")


def test_explorer_needs_a_usable_kpi():
    only = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1"],
                                               "created_at": pd.to_datetime(["2026-01-05"])})})
    with pytest.raises(DataError, match=r"None of the KPIs \['win_rate'\] can run on this dataset: "
                                        r"it has tables \['leads'\]"):
        kw.kpi_explorer(only, kpis=["win_rate"])


def test_explorer_offers_the_kpis_the_data_can_give_and_says_why_not(ds):
    ex = kw.kpi_explorer(ds, lang="fr", kpis=["csat", "win_rate"], filters=False)
    assert [v for _, v in ex.kpi.options] == ["win_rate"]  # no surveys: CSAT is not offered
    ex.breakdown.options = list(ex.breakdown.options) + [("Région", "region")]
    ex.breakdown.value = "region"
    ex.refresh()
    assert "Erreur" not in ex.status.value and "kit-unavailable" in ex.status.value
    assert "n’a de colonne region" in ex.status.value and ex.table.value == ""


def test_dashboard_panel_that_cannot_be_computed_says_why(ds):
    from kit.availability import Unavailable, availability

    def csat(d):
        raise Unavailable(availability(d, "csat"))

    board = kw.dashboard(ds, {"CSAT": csat}, lang="en")
    value = board.panels["CSAT"][0].value
    assert "Error" not in value and "kit-unavailable" in value
    assert "Customer satisfaction (CSAT) cannot be computed: the dataset has no table surveys" in value


# --- dashboard --------------------------------------------------------------------------

def test_dashboard_redraws_every_panel_on_filter_change(ds):
    def count(d):
        return f"<b>{len(d.opportunities)}</b>"

    def table(d):
        return d.reps[["rep_id", "name"]]

    def figure(d):
        fig, ax = plt.subplots()
        ax.bar(range(len(d.opportunities)), 1)
        return fig

    def axes(d):
        return kit.plot.plot_bars(kit.compute(d, "win_rate", by="team"), x="team", name="win_rate")

    def broken(d):
        raise ValueError(f"boom {EVIL}")

    board = kw.dashboard(ds, {"Count": count, "Reps": table, "Fig": figure, "Axes": axes,
                              "Broken": broken}, lang="fr")
    assert board.panels["Count"][0].value == "<b>8</b>"
    assert "&lt;script&gt;" in board.panels["Reps"][0].value
    assert "<script>" not in board.panels["Reps"][0].value
    first_fig = png(board.panels["Fig"][1])
    assert first_fig[:4] == b"\x89PNG" and png(board.panels["Axes"][1])[:4] == b"\x89PNG"
    assert board.panels["Count"][1].layout.display == "none"
    assert "Erreur" in board.panels["Broken"][0].value
    assert "&lt;script&gt;" in board.panels["Broken"][0].value
    assert plt.get_fignums() == []  # figures are closed once rendered

    board.filter_bar.team.value = "Sud"
    assert board.panels["Count"][0].value == "<b>3</b>"
    assert "R1" not in board.panels["Reps"][0].value
    assert png(board.panels["Fig"][1]) != first_fig


def test_dashboard_accepts_a_list_and_a_styler(ds):
    def scorecard(d):
        res = kit.compute(d, "win_rate")
        return kit.plot.style_scorecard(res.assign(name="win_rate", change=0.1), lang="en")

    board = kw.dashboard(ds, [scorecard], filters=False)
    assert list(board.panels) == ["scorecard"]
    assert "Win rate" in board.panels["scorecard"][0].value
    board.update(ds.filter(team="Sud"))
    assert "33.3%" in board.panels["scorecard"][0].value


def test_dashboard_errors(ds):
    with pytest.raises(ParameterError, match=r"Dashboard needs at least one renderer, received none"):
        kw.dashboard(ds, {})
    with pytest.raises(ParameterError, match=r"renderers must be callables taking a Dataset; "
                                             r"\['x'\] are not \(received \['int'\]\)"):
        kw.dashboard(ds, {"x": 1})


def test_no_output_widget_anywhere(ds):
    built = [kw.filter_bar(ds), kw.kpi_explorer(ds, kpis=["win_rate"]),
             kw.dashboard(ds, {"n": lambda d: "x"})]
    for root in built:
        assert not [w for w in walk(root) if isinstance(w, widgets.Output)]


def test_table_html_escapes_and_cuts():
    df = pd.DataFrame({"rep": [EVIL] + [f"r{i}" for i in range(5)]})
    out = kw.table_html(df, max_rows=3, lang="fr")
    assert "<script>" not in out and out.count("<td>") == 3
    assert "3 / 6 lignes" in out


def test_widgets_read_every_engine(ds, native):
    other = kit.Dataset({name: native(frame) for name, frame in ds.tables.items()})
    bar = kw.filter_bar(other, lang="fr")
    assert [lab for lab, _ in bar.start.options] == ["août 2026", "septembre 2026", "octobre 2026"]
    assert [lab for lab, _ in bar.rep.options] == ["Tous", EVIL, "Ana (R1)", "Ana (R3)"]
    ex = kw.kpi_explorer(other, lang="fr", kpis=["win_rate"])
    with ex.hold():
        ex.freq.value = None
        ex.breakdown.value = "team"
    assert ex.result["value"].round(4).tolist() == [0.75, round(1 / 3, 4)]
    ex.filter_bar.team.value = "Sud"
    assert ex.result["denominator"].tolist() == [3.0]


# --- choosing the figure from the keys of a result ---------------------------------------

def test_kpi_figure_follows_the_keys_before_value():
    months = pd.to_datetime(["2026-08-01", "2026-09-01"])
    lines = kw.kpi_figure(pd.DataFrame({"team": ["N", "N", "S", "S"], "period": list(months) * 2,
                                        "value": [0.1, 0.2, 0.3, 0.4]}), "win_rate", lang="en")
    assert [ln.get_label() for ln in lines.axes[0].lines] == ["N", "S"]
    funnel = kw.kpi_figure(pd.DataFrame({"stage": ["created", "won"], "value": [10.0, 2.0],
                                         "step_rate": [None, 0.2]}), "win_rate", lang="fr")
    assert [t.get_text() for t in funnel.axes[0].get_yticklabels()] == ["Créés", "Gagnés"]
    grouped = kw.kpi_figure(pd.DataFrame({"team": ["N", "N", "S"], "type": ["a", "b", "a"],
                                          "value": [1.0, 2.0, 3.0]}), "win_rate")
    assert len(grouped.axes[0].patches) == 3
    assert grouped.axes[0].get_legend().get_title().get_text() == "Type"
    single = kw.kpi_figure(pd.DataFrame({"value": [0.5], "numerator": [1.0]}), "win_rate", lang="fr")
    assert [t.get_text() for t in single.axes[0].get_xticklabels()] == ["Taux de réussite"]
    many = pd.DataFrame({"period": list(months) * 9, "rep_id": [f"R{i}" for i in range(9)] * 2,
                         "value": range(18)})
    assert kw.kpi_figure(many, "win_rate") is None  # 9 lines would not be readable
    assert kw.kpi_figure(pd.DataFrame({"a": [1], "b": [2], "c": [3], "value": [1.0]}), "win_rate") is None
    assert kw.kpi_figure(pd.DataFrame({"name": ["x"]}), "win_rate") is None
    assert kw.kpi_figure(pd.DataFrame({"value": [0.1, 0.2]}), "win_rate") is None


def test_explorer_breakdowns_are_columns_of_every_table_the_kpi_reads(ds):
    @registry.kpi(name="_t_two_tables", family="test", label={"en": "Two", "fr": "Deux"},
                  definition={"en": "x", "fr": "x"}, unit="count", direction="neutral",
                  tables=("opportunities", "leads"), date="opportunities.created_at")
    def two(opportunities, leads, *, by=None):
        return pd.DataFrame({"value": [float(len(opportunities) + len(leads))]})

    try:
        ex = kw.kpi_explorer(ds, kpis=["_t_two_tables"], filters=False)
        # team and rep_id are only in opportunities, source only in leads
        assert [v for _, v in ex.breakdown.options] == [None]
        assert ex.result["value"].tolist() == [11.0]
    finally:
        registry.unregister("_t_two_tables")


def test_explorer_keeps_the_frequency_across_kpis_and_names_reps_of_any_rep_result(ds):
    @registry.kpi(name="_t_per_rep", family="test", label={"en": "Per rep", "fr": "Par commercial"},
                  definition={"en": "x", "fr": "x"}, unit="count", direction="neutral",
                  tables=("opportunities",), date="opportunities.created_at")
    def per_rep(opportunities, *, freq=None):
        counts = opportunities.groupby("rep_id").size()
        return pd.DataFrame({"rep_id": counts.index, "value": counts.to_numpy(dtype=float)})

    try:
        ex = kw.kpi_explorer(ds, lang="en", kpis=["win_rate", "_t_per_rep"], filters=False)
        ex.freq.value = "Q"
        ex.kpi.value = "_t_per_rep"
        assert ex.freq.value == "Q"
        ex.freq.value = None
        assert "<th>Name</th>" in ex.table.value and "&lt;script&gt;" in ex.table.value
        assert [t.get_text() for t in ex.result.pipe(kw.kpi_figure, "_t_per_rep").axes[0]
                .get_xticklabels()] == ["R1", "R2", "R3"]
    finally:
        registry.unregister("_t_per_rep")


def test_explorer_bolds_the_group_that_differs_and_says_how_it_was_tested():
    # Nord wins 4 of 40, Sud 16 of 40, Est 17 of 40, Ouest 2 of 10 (a small sample)
    won = {"Nord": (4, 40), "Sud": (16, 40), "Est": (17, 40), "Ouest": (2, 10)}
    rows = [(team, "won" if i < w else "lost") for team, (w, n) in won.items() for i in range(n)]
    opps = pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(len(rows))],
                         "team": [r for r, _ in rows], "status": [s for _, s in rows],
                         "created_at": pd.Timestamp("2026-09-01"), "closed_at": pd.Timestamp("2026-10-15")})
    ex = kw.kpi_explorer(kit.Dataset({"opportunities": opps}), lang="fr", kpis=["win_rate"], filters=False)
    assert "En gras" not in ex.table.value  # monthly lines: no groups compared
    with ex.hold():
        ex.freq.value = None
        ex.breakdown.value = "team"
    assert ex.result["differs"].tolist() == [False, True, False, False]  # Est, Nord, Ouest, Sud
    rows_html = ex.table.value.split("<tbody>")[1].split("</tr>")
    assert ['font-weight: bold' in r for r in rows_html[:4]] == [False, True, False, False]
    assert ['color: #8a8a8a' in r for r in rows_html[:4]] == [False, False, True, False]
    assert ex.table.value.endswith(
        "<p><i>En gras : diffère du reste, p &lt; 0,05 après correction de Holm pour 4 groupes. "
        "En gris : petit échantillon (moins de 30), jamais en gras à lui seul.</i></p>")


def test_kpi_figure_with_thirty_reps_draws_the_largest_and_the_others():
    from tests.test_groups import reps_frame

    fig = kw.kpi_figure(reps_frame(30), "win_rate", lang="fr")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 12 and labels[-1] == "Autres (19)" and labels[0] == "R20"


def test_a_windowed_dashboard_keeps_the_history_and_passes_from_and_to(ds):
    seen = []

    def render(d, first, last):
        seen.append((first, last, len(d.opportunities)))
        return "<b>ok</b>"

    board = kw.dashboard(ds, {"n": render}, windowed=True, debounce=0)
    assert seen[-1] == (None, None, 8)  # nothing restricted
    with board.filter_bar.hold():
        board.filter_bar.start.value = pd.Timestamp("2026-09-01")
        board.filter_bar.end.value = pd.Timestamp("2026-09-01")
    board.filter_bar.flush()
    # From/To is the window shown: August stays in the data (history), October is cut
    first, last, n = seen[-1]
    assert (first, last) == (pd.Timestamp("2026-09-01"), pd.Timestamp("2026-09-01"))
    assert n == 6 and board.filter_bar.window == (first, last)
