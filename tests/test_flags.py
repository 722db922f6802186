"""Groups that differ from the rest of a table (kit.flags): the flag, the footnote, the legend."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kit import plot  # noqa: E402
from kit.errors import ParameterError  # noqa: E402
from kit.flags import flag_differences, flag_legend, flag_note, row_flags  # noqa: E402


def _sources(won=(4, 16, 16, 16, 16, 16, 1), trials=(40, 40, 40, 40, 40, 40, 10)):
    """Seven sources; the first converts 4 of 40 against about 39 % for the rest, the last is small."""
    return pd.DataFrame({
        "source": [f"S{i}" for i in range(1, len(won) + 1)],
        "value": [w / n if n else float("nan") for w, n in zip(won, trials)],
        "numerator": list(won), "denominator": list(trials),
        "ci_low": [0.0] * len(won), "ci_high": [1.0] * len(won),
        "low_sample": [n < 30 for n in trials],
    }, index=range(10, 10 + len(won)))


def test_flag_differences_adds_differs_and_records_the_test():
    out = flag_differences(_sources())
    assert out["differs"].tolist() == [True] + [False] * 6
    assert out.attrs["differs"] == {"method": "holm", "groups": 7, "alpha": 0.05}
    assert out.index.tolist() == list(range(7))
    assert flag_differences(_sources(), method="BH").attrs["differs"]["method"] == "fdr_bh"
    assert flag_differences(_sources(), method="none").attrs["differs"]["method"] is None


def test_a_grey_row_is_never_bold_even_when_its_test_is_significant():
    # 0 of 20 against 80 of 200: p_adjusted < 0.001, but the KPI marked it a small sample
    df = _sources(won=(0, 16, 16, 16, 16, 16), trials=(20, 40, 40, 40, 40, 40))
    assert flag_differences(df)["differs"].tolist() == [False] * 6
    assert flag_differences(df.assign(low_sample=False))["differs"].tolist() == [True] + [False] * 5


def test_results_that_are_not_proportions_of_groups_are_left_alone():
    means = pd.DataFrame({"team": ["A", "B"], "value": [1.0, 2.0]})
    assert flag_differences(means) is means and flag_note(means, "en") == ""
    one = _sources().head(1)
    assert "differs" not in flag_differences(one).columns


def test_an_unknown_method_is_refused_before_anything_else():
    with pytest.raises(ParameterError, match=r"method='bonferoni' is not a multiple-comparison correction"):
        flag_differences(pd.DataFrame({"team": ["A"], "value": [1.0]}), method="bonferoni")


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Bold: differs from the rest, p < 0.05 after Holm's correction for 7 groups. "
           "Grey: small sample (under 30), never bold on its own."),
    ("fr", "En gras : diffère du reste, p < 0,05 après correction de Holm pour 7 groupes. "
           "En gris : petit échantillon (moins de 30), jamais en gras à lui seul."),
])
def test_footnote_in_both_languages(lang, expected):
    assert flag_note(flag_differences(_sources()), lang) == expected


@pytest.mark.parametrize(("method", "lang", "expected"), [
    ("bh", "en", "Bold: differs from the rest, p < 0.05 after the Benjamini-Hochberg correction for 6 groups."),
    ("bh", "fr", "En gras : diffère du reste, p < 0,05 après correction de Benjamini-Hochberg pour 6 groupes."),
    (None, "en", "Bold: differs from the rest, p < 0.05 with no correction for 6 groups."),
    (None, "fr", "En gras : diffère du reste, p < 0,05 sans correction pour 6 groupes."),
])
def test_footnote_names_the_method_and_counts_the_groups_tested(method, lang, expected):
    df = _sources(won=(4, 16, 16, 16, 16, 16, 0), trials=(40, 40, 40, 40, 40, 40, 0))  # S7: nothing to test
    grey = {"en": " Grey: small sample (under 30), never bold on its own.",
            "fr": " En gris : petit échantillon (moins de 30), jamais en gras à lui seul."}
    assert flag_note(flag_differences(df, method=method), lang) == expected + grey[lang]
    assert flag_note(flag_differences(df.head(6), method=method), lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "No group differs from the rest at p < 0.01 after Holm's correction for 6 groups."),
    ("fr", "Aucun groupe ne diffère du reste à p < 0,01 après correction de Holm pour 6 groupes."),
])
def test_footnote_when_no_group_differs(lang, expected):
    df = _sources(won=(12, 16, 16, 16, 16, 16), trials=(40,) * 6)
    assert flag_note(flag_differences(df, alpha=0.01), lang) == expected


def test_row_flags():
    out = flag_differences(_sources())
    assert row_flags(out) == ([False] * 6 + [True], [True] + [False] * 6)
    assert row_flags(pd.DataFrame({"value": [1.0]})) == (None, None)


def test_legend_of_the_outlined_bars_names_the_correction():
    out = flag_differences(_sources())
    assert flag_legend(out, "en") == "differs from the rest (p < 0.05, Holm)"
    assert flag_legend(flag_differences(_sources(), method=None), "fr") == "diffère du reste (p < 0,05, sans correction)"
    ax = plot.plot_bars(out, x="source", name="lead_conversion_rate", lang="en")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "small sample (n < 30)", "differs from the rest (p < 0.05, Holm)"]
    plt.close("all")
