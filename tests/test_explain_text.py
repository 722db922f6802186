"""kit.explain_text: the sentence of a split, in English and French, on hand-computed frames."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.errors import ParameterError
from kit.explain import decompose
from kit.explain_text import explain_sentence, groups_word


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def ratio_result(kpi="win_rate"):
    # Sep: emailing 2/4, site_web 3/6 -> 50 %; Oct: emailing 1/4, site_web 1/8 -> 2/12
    rows0 = [("emailing", 1)] * 2 + [("emailing", 0)] * 2 + [("site_web", 1)] * 3 + [("site_web", 0)] * 3
    rows1 = [("emailing", 1)] + [("emailing", 0)] * 3 + [("site_web", 1)] + [("site_web", 0)] * 7
    frames = [pd.DataFrame({"source": [g for g, _ in rows], "u": [off + i for i in range(len(rows))],
                            "numerator": [float(w) for _, w in rows], "denominator": 1.0})
              for rows, off in ((rows0, 0), (rows1, 100))]
    res = decompose(*frames, by=["source"], unit="u", n_boot=0)
    res.attrs["kpi"] = kpi
    return res


def test_ratio_sentence_names_the_rates_and_the_mix():
    res = ratio_result()
    # shares w0 = (0.4, 0.6), w1 = (1/3, 2/3); rates r0 = (0.5, 0.5), r1 = (0.25, 0.125)
    rate_e, rate_s = (0.4 + 1 / 3) / 2 * -0.25, (0.6 + 2 / 3) / 2 * -0.375
    mix_e, mix_s = (1 / 3 - 0.4) * 0.75 / 2, (2 / 3 - 0.6) * 0.625 / 2
    assert res.attrs["rate_effect"] == pytest.approx(rate_e + rate_s)  # -32.9 pp, site_web most
    assert res.attrs["mix_effect"] == pytest.approx(mix_e + mix_s)  # -0.4 pp
    # the mix fell because emailing, whose rate is above the average, lost share
    assert plain(explain_sentence(res, "en")) == (
        "Win rate fell 33.3 pp (50.0% to 16.7%): -32.9 pp from the rates within sources, mostly site_web; "
        "-0.4 pp from the mix, fewer closed opportunities from emailing.")
    assert plain(explain_sentence(res, "fr")) == (
        "Taux de réussite en baisse de 33,3 pts (de 50,0 % à 16,7 %) : -32,9 pts dus aux taux au sein des "
        "sources, surtout site_web ; -0,4 pts dus au mix, moins d'opportunités clôturées venant d'emailing.")


def test_unchanged_and_group_words():
    res = ratio_result()
    res.attrs.update(change=0.0, total_current=0.5)
    assert plain(explain_sentence(res, "fr")).startswith("Taux de réussite stable (50,0 %) : ")
    assert groups_word("product_category", "fr") == "catégories de produits"
    assert groups_word(["team", "source"], "fr") == "groupes de team, source"


def test_sum_sentence_with_volume_and_basket():
    prev = pd.DataFrame({"team": ["Nord", "Sud"], "order_id": ["A", "B"], "value": [100.0, 300.0]})
    cur = pd.DataFrame({"team": ["Nord", "Nord", "Sud"], "order_id": ["C", "D", "E"], "value": [150.0, 150.0, 200.0]})
    res = decompose(prev, cur, by=["team"], unit="order_id", kind="sum", volume=True, n_boot=0)
    res.attrs["kpi"] = "revenue"
    # Nord: +200 = volume 1 * (100 + 150) / 2 = 125 + basket 50 * 3 / 2 = 75; Sud: -100 = basket only
    assert plain(explain_sentence(res, "en")) == (
        "Revenue rose €100.00 (€400.00 to €500.00): mostly Nord (+€200.00), then Sud (-€100.00); "
        "volume (orders) +€125.00, basket -€25.00.")


def test_a_frame_that_is_not_a_split_is_refused():
    with pytest.raises(ParameterError, match=r"needs a result of kit.explain_change.*received a frame with attrs \[\]"):
        explain_sentence(pd.DataFrame({"x": [1]}))


def test_every_phrase_has_both_languages_with_the_same_placeholders():
    import string

    from kit.explain_text import GROUP_WORDS, UNIT_ID_WORDS, UNIT_WORDS, WORDS

    for key, texts in WORDS.items():
        assert len(texts) == 2 and all(texts), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in texts]
        assert fields[0] == fields[1], key
    for table in (GROUP_WORDS, UNIT_ID_WORDS, UNIT_WORDS):
        assert all(len(v) == 2 and all(v) for v in table.values())
    from kit.explain import DECOMPOSABLE

    ratios = {n for n, (kind, _) in DECOMPOSABLE.items() if kind == "ratio"}
    assert ratios <= set(UNIT_WORDS)  # every ratio names its units in the sentence
    assert {u for _, u in DECOMPOSABLE.values()} <= set(UNIT_ID_WORDS)


def test_averages_are_not_called_rates_and_amounts_are_not_counted():
    res = ratio_result("average_won_deal")
    text = plain(explain_sentence(res, "en"))
    assert text.startswith("Average won deal fell €0.33 (€0.50 to €0.17): -€0.33 from the averages within "
                           "sources, mostly site_web; -€0.00 from the mix")
    assert "dus aux moyennes au sein des sources" in plain(explain_sentence(res, "fr"))
    res = ratio_result("recurring_revenue")
    assert plain(explain_sentence(res, "en")).endswith("less revenue from emailing.")
