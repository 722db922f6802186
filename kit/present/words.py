"""The words of the presentation: statuses with their symbols, notes on samples, column labels.

Examples
--------
>>> status_text("better", "fr"), status_text("unknown", "en")
('▲ en amélioration', '… not known yet')
>>> sample_note("never_engaged_rate", 3, 158, "fr")
'3 prospects ; 158 trop récents'
"""

from __future__ import annotations

import pandas as pd

from kit import registry
from kit.i18n import WORDS as UI_WORDS
from kit.i18n import Words, format_month, lookup, word_or_kpi_label

#: The symbol shown beside each status, so that colour is never the only sign.
SYMBOLS = {"better": "▲", "worse": "▼", "unclear": "≈", "unknown": "…", "nodata": "–"}

#: Words of the presentation (statuses, targets, notes, labels of result columns).
WORDS = Words(home="kit.present.words.WORDS", entries={
    "status_better": {"en": "better", "fr": "en amélioration"},
    "status_worse": {"en": "worse", "fr": "en dégradation"},
    "status_unclear": {"en": "no clear change", "fr": "pas de changement net"},
    "status_unknown": {"en": "not known yet", "fr": "pas encore connu"},
    "status_nodata": {"en": "no data", "fr": "pas de données"},
    "target_above": {"en": "above target", "fr": "au-dessus de l'objectif"},
    "target_below": {"en": "below target", "fr": "en dessous de l'objectif"},
    "target_on": {"en": "on target", "fr": "à l'objectif"},
    "status": {"en": "Status", "fr": "Statut"},
    "note": {"en": "Note", "fr": "Remarque"},
    "sample_n": {"en": "{n} {noun}", "fr": "{n} {noun}"},
    "too_recent": {"en": "{n} too recent", "fr": "{n} trop récents"},
    "low_sample": {"en": "small sample", "fr": "petit échantillon"},
    "no_obs": {"en": "no {noun} in {month}", "fr": "aucun {noun} en {month}"},
    "no_obs_f": {"en": "no {noun} in {month}", "fr": "aucune {noun} en {month}"},
    "no_cohort": {"en": "no cohort of {noun} old enough by the end of {month}",
                  "fr": "aucune cohorte de {noun} assez ancienne à fin {month}"},
    "no_previous": {"en": "no value in {month} to compare with", "fr": "pas de valeur en {month} pour comparer"},
    "previous_unknown": {"en": "{month} not known yet: {note}", "fr": "{month} pas encore connu : {note}"},
    "mostly_censored_note": {
        "en": "Hollow points: months whose cohort is still mostly too recent to tell, not drawn as a value.",
        "fr": "Points creux : mois dont la cohorte est encore en majorité trop récente, non tracés comme une valeur."},
    # labels of result columns (KPISpec.columns)
    "revenue": {"en": "Revenue", "fr": "Chiffre d'affaires"},
    "orders": {"en": "Orders", "fr": "Commandes"},
    "amount": {"en": "Amount won", "fr": "Montant gagné"},
    "won_deals": {"en": "Won deals", "fr": "Affaires gagnées"},
    "returned": {"en": "Amount returned", "fr": "Montant retourné"},
    "sold": {"en": "Amount sold", "fr": "Montant vendu"},
    "revenue_without_cost": {"en": "Revenue without cost", "fr": "Chiffre d'affaires sans coût"},
    "total_revenue": {"en": "Revenue of the period", "fr": "Chiffre d'affaires de la période"},
    "total_margin": {"en": "Cumulative margin", "fr": "Marge cumulée"},
    "customers": {"en": "Customers", "fr": "Clients"},
    "customers_old_enough": {"en": "Customers old enough", "fr": "Clients assez anciens"},
    "new_customers": {"en": "New customers", "fr": "Nouveaux clients"},
    "monthly_margin": {"en": "Monthly margin of a new customer", "fr": "Marge mensuelle d'un nouveau client"},
    "acquisition_costs": {"en": "Acquisition costs", "fr": "Coûts d'acquisition"},
    "opportunities_needed": {"en": "Opportunities needed", "fr": "Opportunités nécessaires"},
    "remaining": {"en": "Remaining to target", "fr": "Reste à faire"},
    "emails": {"en": "Emails", "fr": "E-mails"},
    "calls": {"en": "Calls", "fr": "Appels"},
    "correlation": {"en": "Weekly emails-calls correlation (r)", "fr": "Corrélation hebdo. e-mails-appels (r)"},
    "p_value": {"en": "p-value", "fr": "p-valeur"},
    "n_weeks": {"en": "Weeks", "fr": "Semaines"},
    "prospecting_activities": {"en": "Prospecting activities", "fr": "Activités de prospection"},
    "activities": {"en": "Activities", "fr": "Activités"},
    "profile": {"en": "Profile", "fr": "Profil"},
    "n_customer_service": {"en": "Customer-service activities", "fr": "Activités de service client"},
    "first_month": {"en": "First month with sales", "fr": "Premier mois de vente"},
    "last_month": {"en": "Last month with sales", "fr": "Dernier mois de vente"},
    "launched_at": {"en": "Launched", "fr": "Lancement"},
    "retired_at": {"en": "Retired", "fr": "Retrait"},
    # values of text columns
    "value_call": {"en": "call", "fr": "appel"},
    "value_voicemail": {"en": "voicemail", "fr": "message vocal"},
    "value_email": {"en": "email", "fr": "e-mail"},
    "value_meeting": {"en": "meeting", "fr": "rendez-vous"},
    "value_video_call": {"en": "video call", "fr": "visioconférence"},
    "value_social_message": {"en": "social message", "fr": "message social"},
    "value_active": {"en": "still sold", "fr": "toujours vendu"},
    "value_inactive": {"en": "no longer sold", "fr": "plus vendu"},
    "value_retired": {"en": "retired", "fr": "retiré"},
    "value_dormant": {"en": "dormant", "fr": "en sommeil"},
    "value_never_sold": {"en": "never sold", "fr": "jamais vendu"},
    "value_hunter": {"en": "hunter", "fr": "chasseur"},
    "value_farmer": {"en": "farmer", "fr": "éleveur"},
    "value_mixed": {"en": "mixed", "fr": "mixte"},
})

#: Where the presentation looks a word up: its own words, then the UI words of :mod:`kit.i18n`.
CHAIN = (WORDS, UI_WORDS)

#: What the rows of each table are, ``{table: {lang: (one, many[, gender])}}``, for KPIs without a
#: ``noun`` (the French gender, ``"f"`` or ``"m"``, chooses "aucune" or "aucun").
TABLE_NOUNS = {
    "leads": {"en": ("lead", "leads"), "fr": ("prospect", "prospects", "m")},
    "opportunities": {"en": ("opportunity", "opportunities"), "fr": ("opportunité", "opportunités", "f")},
    "orders": {"en": ("order", "orders"), "fr": ("commande", "commandes", "f")},
    "customers": {"en": ("customer", "customers"), "fr": ("client", "clients", "m")},
    "surveys": {"en": ("survey answer", "survey answers"),
                "fr": ("réponse à l'enquête", "réponses à l'enquête", "f")},
    "activities": {"en": ("activity", "activities"), "fr": ("activité", "activités", "f")},
    "costs": {"en": ("cost", "costs"), "fr": ("coût", "coûts", "m")},
    "social": {"en": ("post", "posts"), "fr": ("publication", "publications", "f")},
}


def pword(key: str, lang: str = "en", **fields) -> str:
    """A word of :data:`WORDS` in ``lang``, its ``{fields}`` filled (see :func:`kit.i18n.lookup`).

    Examples
    --------
    >>> pword("too_recent", "en", n=158)
    '158 too recent'
    """
    return lookup(WORDS, key, lang, **fields)


def label(key: str, lang: str = "en") -> str:
    """Header for ``key``: a word of :data:`CHAIN` (this module's, then :mod:`kit.i18n`'s), or a KPI label.

    Examples
    --------
    >>> label("orders", "fr"), label("target", "fr"), label("win_rate", "en")
    ('Commandes', 'Objectif', 'Win rate')
    """
    return word_or_kpi_label(CHAIN, key, lang)


def status_text(status: str, lang: str = "en", target: str | None = None) -> str:
    """The symbol and word of ``status`` (and of the target status when given).

    Examples
    --------
    >>> status_text("worse", "en", target="above")
    '▼ worse · above target'
    >>> status_text("nodata", "fr")
    '– pas de données'
    """
    status = status if status in SYMBOLS else "nodata"
    text = f"{SYMBOLS[status]} {pword('status_' + status, lang)}"
    if target in ("above", "below", "on"):
        text += f" · {pword('target_' + target, lang)}"
    return text


def _forms(name: str, lang: str) -> tuple:
    spec = registry.get(name)
    return spec.noun.get(lang) or TABLE_NOUNS.get(spec.date.split(".")[0], {}).get(lang) \
        or (pword("note", lang).lower(),) * 2


def noun(name: str, lang: str = "en", n: float = 2) -> str:
    """What KPI ``name`` counts (singular for ``n`` = 1), from its spec or its date's table.

    Examples
    --------
    >>> noun("nps", "fr", 1), noun("win_rate", "en")
    ('réponse NPS', 'opportunities')
    """
    forms = _forms(name, lang)
    return forms[0] if n == 1 else forms[1]


def _whole(v) -> str:
    return str(int(round(float(v))))


def sample_note(name: str, n, n_censored, lang: str = "en", low_sample=None) -> str:
    """``"3 leads; 158 too recent"``: the sample a value rests on; empty when ``n`` is unknown.

    Examples
    --------
    >>> sample_note("win_rate", 12, None, "en", low_sample=True)
    '12 opportunities (small sample)'
    """
    if n is None or pd.isna(n):
        return pword("low_sample", lang) if low_sample else ""
    text = pword("sample_n", lang, n=_whole(n), noun=noun(name, lang, float(n)))
    sep = " ; " if lang == "fr" else "; "
    if n_censored is not None and not pd.isna(n_censored) and float(n_censored) > 0:
        text += sep + pword("too_recent", lang, n=_whole(n_censored))
    elif low_sample is not None and not pd.isna(low_sample) and bool(low_sample):
        text += f" ({pword('low_sample', lang)})"
    return text


def note(row, month, lang: str = "en") -> str:
    """Why a headline row is ``nodata`` or ``unknown``, in words; empty otherwise.

    A ``reason`` in the row (a KPI the dataset cannot compute) wins. ``row`` holds
    ``name``, ``status`` and ``why`` (see :func:`kit.present.status.decide`) and the
    sample columns.

    Examples
    --------
    >>> note({"name": "nps", "status": "nodata", "why": "value", "denominator": None}, "2026-10", "en")
    'no NPS answer in October 2026'
    >>> note({"name": "nps", "status": "nodata", "why": "value"}, "2026-10", "fr")
    'aucune réponse NPS en octobre 2026'
    >>> note({"name": "ltv", "status": "nodata", "why": "value"}, "2024-03", "en")
    'no cohort of customers old enough by the end of March 2024'
    >>> note({"name": "never_engaged_rate", "status": "unknown", "why": "sample", "denominator": 3,
    ...       "n_censored": 158}, "2026-10", "en")
    '3 leads; 158 too recent'
    """
    reason = row.get("reason")
    if isinstance(reason, str) and reason:
        return reason
    status, why, name = row.get("status"), row.get("why"), row["name"]
    month = pd.Timestamp(str(month)[:7] + "-01")
    before = month - pd.DateOffset(months=1)
    if status == "nodata" and why == "value" and registry.get(name).headline_form == "cohorts":
        return pword("no_cohort", lang, noun=noun(name, lang), month=format_month(month, lang))
    if status == "nodata" and why == "value":
        key = "no_obs_f" if _forms(name, lang)[2:] == ("f",) else "no_obs"
        return pword(key, lang, noun=noun(name, lang, 1), month=format_month(month, lang))
    if status == "nodata" and why == "previous":
        return pword("no_previous", lang, month=format_month(before, lang))
    if status == "unknown" and why == "sample":
        return sample_note(name, row.get("denominator"), row.get("n_censored"), lang, True)
    if status == "unknown" and why == "previous_sample":
        inner = sample_note(name, row.get("previous_denominator"), row.get("previous_n_censored"), lang,
                            True)
        return pword("previous_unknown", lang, month=format_month(before, lang), note=inner)
    return ""
