"""Why a KPI moved, in one sentence in English or French.

:func:`explain_sentence` tells an :func:`kit.explain.explain_change` result: the
change, then for ratio KPIs the part from the rates within the groups (naming the
group that moved most in that direction) and the part from the mix (naming the group
whose share moved the mix most); for sums, the groups with the largest changes (and
for revenue the volume and basket parts). Numbers go through :mod:`kit.i18n`.

A group's own ``mix_effect`` has the sign of its change of share, whatever its
rate; the group named for the mix is therefore the one with the largest
``(w1 - w0) * (rate - overall rate)`` in the direction of the total mix effect: more
weight on a group below the average rate pulls the ratio down, less weight on one
above it too. These terms add up to the same total mix effect.

Examples
--------
>>> import pandas as pd
>>> from kit.explain import decompose
>>> prev = pd.DataFrame({"source": ["a", "a", "b", "b"], "u": [1, 2, 3, 4],
...     "numerator": [1.0, 1.0, 0.0, 1.0], "denominator": [1.0, 1.0, 1.0, 1.0]})
>>> cur = pd.DataFrame({"source": ["a", "b", "b", "b"], "u": [5, 6, 7, 8],
...     "numerator": [1.0, 0.0, 0.0, 1.0], "denominator": [1.0, 1.0, 1.0, 1.0]})
>>> res = decompose(prev, cur, by=["source"], unit="u", n_boot=0)
>>> res.attrs["kpi"] = "win_rate"
>>> plain = lambda text: text.replace("\\xa0", " ").replace("\\u202f", " ")  # no-break spaces
>>> print(plain(explain_sentence(res, "en")))
Win rate fell 25.0 pp (75.0% to 50.0%): -10.4 pp from the rates within sources, mostly b; -14.6 pp from the mix, fewer closed opportunities from a.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit import registry
from kit.errors import ParameterError
from kit.explain import DECOMPOSABLE, group_labels
from kit.i18n import check_lang, format_change, format_value, kpi_label, month_abbr, t

#: What a unit of each KPI's denominator is called, for "more leads from site_web".
UNIT_WORDS = {
    "win_rate": ("closed opportunities", "opportunités clôturées"),
    "offer_loss_rate": ("opportunities with a proposal", "opportunités avec offre"),
    "average_won_deal": ("won deals", "affaires gagnées"),
    "lead_conversion_rate": ("leads", "leads"),
    "never_engaged_rate": ("leads", "leads"),
    "call_to_meeting_rate": ("calls", "appels"),
    "email_response_rate": ("emails", "e-mails"),
    "csat": ("answers", "réponses"),
    "average_basket": ("orders", "commandes"),
    "recurring_revenue": ("revenue", "chiffre d'affaires"),
    "referral_rate": ("new customers", "nouveaux clients"),
    "social_engagement_rate": ("impressions", "impressions"),
}
#: KPIs whose denominator is an amount: "less revenue", not "fewer".
MASS_NOUNS = ("recurring_revenue",)
#: The groups of a ``by`` column, in the plural.
GROUP_WORDS = {
    "source": ("sources", "sources"), "team": ("teams", "équipes"), "rep_id": ("reps", "commerciaux"),
    "segment": ("segments", "segments"), "region": ("regions", "régions"),
    "manager": ("managers", "managers"), "product_id": ("products", "produits"),
    "product_category": ("product categories", "catégories de produits"),
    "category": ("categories", "catégories"), "method": ("sales methods", "méthodes de vente"),
    "network": ("networks", "réseaux"), "type": ("activity types", "types d'activité"),
}
#: The units the bootstrap resamples, by their id column.
UNIT_ID_WORDS = {
    "opportunity_id": ("opportunities", "opportunités"), "lead_id": ("leads", "leads"),
    "activity_id": ("activities", "activités"), "response_id": ("survey answers", "réponses aux enquêtes"),
    "order_id": ("orders", "commandes"), "customer_id": ("customers", "clients"),
    "post_id": ("posts", "publications"),
}
WORDS = {
    "rose": ("{kpi} rose {change} ({previous} to {current})",
             "{kpi} en hausse de {change} (de {previous} à {current})"),
    "fell": ("{kpi} fell {change} ({previous} to {current})",
             "{kpi} en baisse de {change} (de {previous} à {current})"),
    "flat": ("{kpi} did not change ({current})", "{kpi} stable ({current})"),
    "rates": ("{effect} from the rates within {groups}", "{effect} dus aux taux au sein des {groups}"),
    "averages": ("{effect} from the averages within {groups}",
                 "{effect} dus aux moyennes au sein des {groups}"),
    "mostly": (", mostly {group}", ", surtout {group}"),
    "mix": ("{effect} from the mix", "{effect} dus au mix"),
    "more": (", more {units} from {group}", ", davantage {units} venant {group}"),
    "fewer": (", fewer {units} from {group}", ", moins {units} venant {group}"),
    "less": (", less {units} from {group}", ", moins {units} venant {group}"),
    "groups": ("mostly {first}", "surtout {first}"),
    "then": (", then {second}", ", puis {second}"),
    "volume": ("volume (orders) {volume}, basket {basket}", "volume (commandes) {volume}, panier {basket}"),
    "other_groups": ("groups of {columns}", "groupes de {columns}"),
    # waterfall labels (kit.plot.waterfall)
    "before": ("Before", "Avant"),
    "after": ("After", "Après"),
    "others": ("other groups", "autres groupes"),
    "others_rates": ("rates, other groups", "taux, autres groupes"),
    "mix_bar": ("mix", "mix"),
    "waterfall_title": ("{kpi}, {previous} to {current}: contributions of the {groups}",
                        "{kpi}, de {previous} à {current} : contributions des {groups}"),
    "ratio_axis": ("Groups: change of their rate, weighted; mix: change of the groups' shares",
                   "Groupes : évolution de leur taux, pondérée ; mix : évolution des parts des groupes"),
    "average_axis": ("Groups: change of their average, weighted; mix: change of the groups' shares",
                     "Groupes : évolution de leur moyenne, pondérée ; mix : évolution des parts des groupes"),
    "why_heading": ("Why it moved: {kpi}, by {groups}",
                    "D'où vient l'évolution : {kpi}, selon les {groups}"),
    "why_panel": ("Why it moved", "Pourquoi ça a bougé"),
    "why_groups": ("Groups", "Groupes"),
    "col_rate_effect": ("Rate effect", "Effet taux"),
    "col_mix_effect": ("Mix effect", "Effet mix"),
    "col_volume_effect": ("Volume effect", "Effet volume"),
    "col_basket_effect": ("Basket effect", "Effet panier"),
    "col_contribution": ("Contribution", "Contribution"),
    "col_interval": ("{level} interval", "Intervalle à {level}"),
    "why_unknown": ("No {units} in one of the two months ({previous}, {current}): why {kpi} moved is "
                    "unknown.",
                    "Pas {units} dans l'un des deux mois ({previous}, {current}) : l'origine de "
                    "l'évolution ({kpi}) est inconnue."),
    "why_note_sum": ("Change of each group's sum; {level} bootstrap interval of each contribution over "
                     "the {units} of each month.",
                     "Évolution de la somme de chaque groupe ; intervalle bootstrap à {level} de chaque "
                     "contribution sur les {units} de chaque mois."),
    "why_note_volume": ("Change of each group split into volume and basket (symmetric split, Kitagawa); "
                        "{level} bootstrap interval of each contribution over the {units} of each month.",
                        "Évolution de chaque groupe séparée en volume et panier (décomposition "
                        "symétrique, Kitagawa) ; intervalle bootstrap à {level} de chaque contribution sur les {units} "
                        "de chaque mois."),
    "why_note": ("Symmetric shift-share split (Kitagawa); {level} bootstrap interval of each contribution "
                 "over the {units} of each month.",
                 "Décomposition symétrique taux / mix (Kitagawa) ; intervalle bootstrap à {level} de "
                 "chaque contribution sur les {units} de chaque mois."),
}


def word(key: str, lang: str, **fields) -> str:
    """A phrase of the explanation in ``lang``.

    Examples
    --------
    >>> word("mix", "fr", effect="-1,6 pts")
    '-1,6 pts dus au mix'
    """
    text = WORDS[key][check_lang(lang) == "fr"]
    return text.format(**fields) if fields else text


def groups_word(by, lang: str) -> str:
    """The groups of ``by`` in the plural (``"sources"``, ``"équipes"``).

    Examples
    --------
    >>> groups_word(["source"], "fr"), groups_word(["team", "source"], "en")
    ('sources', 'groups of team, source')
    """
    keys = [by] if isinstance(by, str) else list(by)
    if len(keys) == 1 and keys[0] in GROUP_WORDS:
        return GROUP_WORDS[keys[0]][check_lang(lang) == "fr"]
    return word("other_groups", lang, columns=", ".join(keys))


def with_de(text: str) -> str:
    """French "de" before ``text``, elided before a vowel.

    Examples
    --------
    >>> with_de("opportunités"), with_de("Île-de-France"), with_de("leads")
    ("d'opportunités", "d'Île-de-France", 'de leads')
    """
    return ("d'" if text[:1].lower() in "aeiouyàâéèêëîïôöûü" else "de ") + text


def unit_word(name: str, lang: str) -> str:
    """The units of KPI ``name`` that :func:`kit.explain.explain_change` resamples, in words.

    Examples
    --------
    >>> unit_word("win_rate", "en"), unit_word("revenue", "fr")
    ('opportunities', 'commandes')
    """
    unit_id = DECOMPOSABLE.get(name, ("", ""))[1]
    return UNIT_ID_WORDS.get(unit_id, ("units", "unités"))[check_lang(lang) == "fr"]


def unknown_sentence(name: str, month, lang: str = "en", against: str = "previous") -> str:
    """Why KPI ``name`` moved in ``month`` is unknown: one of the two months has none of its units.

    Examples
    --------
    >>> unknown_sentence("win_rate", "2026-10", "fr")
    "Pas d'opportunités dans l'un des deux mois (sept. 2026, oct. 2026) : l'origine de l'évolution (Taux de réussite) est inconnue."
    """
    current = pd.Period(pd.Timestamp(month), "M").start_time
    previous = current - pd.DateOffset(months=1 if against == "previous" else 12)
    units = unit_word(name, lang)
    return word("why_unknown", lang, units=with_de(units) if lang == "fr" else units,
                kpi=kpi_label(name, lang), previous=month_abbr(previous, lang, year=True),
                current=month_abbr(current, lang, year=True))


def _fmt(value, unit, lang, currency):
    return format_value(value, unit, lang, currency=currency)


def _chg(value, unit, lang, currency):
    return format_change(float(value) + 0.0, unit, lang, currency=currency)


def explain_sentence(result: pd.DataFrame, lang: str = "en", *, currency: str = "EUR") -> str:
    """One sentence saying why the KPI moved, from an :func:`kit.explain.explain_change` result.

    Parameters
    ----------
    result : DataFrame
        A result of :func:`kit.explain.explain_change` (its ``attrs`` name the KPI).
    lang : {"en", "fr"}
    currency : str
        Currency of amounts.

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        For a frame that is not a result of ``explain_change``.

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.explain import decompose
    >>> prev = pd.DataFrame({"product_category": ["x", "y"], "order_id": ["A", "B"],
    ...                      "value": [100.0, 50.0]})
    >>> cur = pd.DataFrame({"product_category": ["x", "x", "y"], "order_id": ["C", "D", "E"],
    ...                     "value": [100.0, 80.0, 40.0]})
    >>> res = decompose(prev, cur, by=["product_category"], unit="order_id", kind="sum",
    ...                 volume=True, n_boot=0)
    >>> res.attrs["kpi"] = "revenue"
    >>> print(explain_sentence(res, "fr").replace("\\xa0", " ").replace("\\u202f", " "))
    Chiffre d'affaires en hausse de 70,00 € (de 150,00 € à 220,00 €) : surtout x (+80,00 €), puis y (-10,00 €) ; volume (commandes) +95,00 €, panier -25,00 €.
    """
    a = result.attrs
    if "kpi" not in a or "kind" not in a:
        raise ParameterError(
            "explain_sentence needs a result of kit.explain_change (its attrs name the KPI and the kind "
            f"of split); received a frame with attrs {sorted(a)}. Pass the frame explain_change returned.")

    name, lang = a["kpi"], check_lang(lang)
    unit = registry.get(name).unit
    fr = lang == "fr"
    change = a["change"]
    head_key = "flat" if abs(change) < 1e-12 else ("rose" if change > 0 else "fell")
    amount = format_change(abs(change), unit, lang, currency=currency).lstrip("+") if unit == "ratio" \
        else format_value(abs(change), unit, lang, currency=currency)
    head = word(head_key, lang, kpi=kpi_label(name, lang), change=amount,
                previous=_fmt(a["total_previous"], unit, lang, currency),
                current=_fmt(a["total_current"], unit, lang, currency))
    labels = group_labels(result, missing=t("missing", lang))
    sep = " ; " if fr else "; "
    colon = " : " if fr else ": "
    if a["kind"] == "ratio":
        parts = [_rates_part(result, labels, unit, lang, currency),
                 _mix_part(result, labels, unit, lang, currency)]
        return head + colon + sep.join(parts) + "."
    parts = [_groups_part(result, labels, unit, lang, currency)]
    if "volume_effect" in result.columns:
        parts.append(word("volume", lang, volume=_chg(result["volume_effect"].sum(), unit, lang, currency),
                          basket=_chg(result["basket_effect"].sum(), unit, lang, currency)))
    return head + colon + sep.join(parts) + "."


def _rates_part(result, labels, unit, lang, currency) -> str:
    total = result.attrs["rate_effect"]
    key = "averages" if unit == "currency" else "rates"
    text = word(key, lang, effect=_chg(total, unit, lang, currency), groups=groups_word(result.attrs["by"], lang))
    effect = result["rate_effect"].to_numpy(float) * np.sign(total)
    if abs(total) > 1e-12 and effect.max() > 0:
        text += word("mostly", lang, group=labels[int(np.argmax(effect))])
    return text


def _mix_part(result, labels, unit, lang, currency) -> str:
    a = result.attrs
    total = a["mix_effect"]
    text = word("mix", lang, effect=_chg(total, unit, lang, currency))
    d0, d1 = (result[c].to_numpy(float) for c in ("denominator_previous", "denominator_current"))
    dw = d1 / d1.sum() - d0 / d0.sum()
    rate = result[["value_previous", "value_current"]].mean(axis=1, skipna=True).to_numpy(float)
    centred = dw * (rate - (a["total_previous"] + a["total_current"]) / 2) * np.sign(total)
    if abs(total) > 1e-12 and np.nanmax(centred) > 0:
        i = int(np.nanargmax(centred))
        units = UNIT_WORDS.get(a["kpi"], ("units", "unités"))[lang == "fr"]
        group = labels[i]
        if lang == "fr":  # "moins d'opportunités venant d'Île-de-France"
            units, group = with_de(units), with_de(group)
        fewer = "less" if a["kpi"] in MASS_NOUNS else "fewer"
        text += word("more" if dw[i] > 0 else fewer, lang, units=units, group=group)
    return text


def _groups_part(result, labels, unit, lang, currency) -> str:
    c = result["contribution"].to_numpy(float)
    order = np.argsort(-np.abs(c), kind="stable")
    first = f"{labels[order[0]]} ({_chg(c[order[0]], unit, lang, currency)})"
    text = word("groups", lang, first=first)
    if len(order) > 1:
        text += word("then", lang, second=f"{labels[order[1]]} ({_chg(c[order[1]], unit, lang, currency)})")
    return text
