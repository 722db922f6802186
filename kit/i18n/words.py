"""Word tables in English and French, and the one rule that looks a word up.

A word table maps a key to its text in each language, ``{key: {"en": ..., "fr": ...}}``.
The UI words shared by every surface are :data:`WORDS`; the presentation
(:mod:`kit.present.words`) and the report sections (:mod:`kit.story.texts`) keep
their own tables, and all of them are read with :func:`lookup`: the first table of
a chain holding the key gives the text, ``{placeholders}`` are filled from the
fields given, an unknown key or language raises :class:`~kit.errors.ParameterError`.

Examples
--------
>>> t("previous_month", "fr")
'Mois précédent'
>>> more = Words(home="my.WORDS", entries={"hello": {"en": "Hello {who}", "fr": "Bonjour {who}"}})
>>> lookup((more, WORDS), "hello", "fr", who="Ana"), lookup((more, WORDS), "team", "fr")
('Bonjour Ana', 'Équipe')
"""

from __future__ import annotations

from collections.abc import Mapping

from kit.errors import ParameterError, did_you_mean
from kit.registry import LANGS


class Words(dict):
    """A word table ``{key: {"en": text, "fr": text}}`` that knows where it is written.

    ``home`` (e.g. ``"kit.i18n.WORDS"``) is named by the error of :func:`lookup`
    for a missing key, so that the message says where to add it.

    Examples
    --------
    >>> w = Words(home="kit.i18n.WORDS", entries={"yes": {"en": "yes", "fr": "oui"}})
    >>> w["yes"]["fr"], w.home
    ('oui', 'kit.i18n.WORDS')
    """

    def __init__(self, entries: Mapping = (), home: str = "a word table"):
        super().__init__(entries)
        self.home = home


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``"en"`` or ``"fr"``, else raise :class:`ParameterError`.

    Examples
    --------
    >>> check_lang("fr")
    'fr'
    >>> check_lang("de")
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: lang='de' is not allowed; allowed values: 'en', 'fr'. ...
    """
    if lang not in LANGS:
        lower = str(lang).strip().lower()
        hint = f" (did you mean {lower!r}?)" if lower in LANGS else did_you_mean(str(lang), LANGS)
        raise ParameterError(
            f"lang={lang!r} is not allowed; allowed values: 'en', 'fr'.{hint} "
            "Pass lang='fr' for French labels and number formats, lang='en' for English."
        )
    return lang


def lookup(tables, key: str, lang: str = "en", /, **fields) -> str:
    """The text of ``key`` in ``lang`` from a word table or a chain of them.

    ``tables`` is one word table or a sequence of them: the first one holding
    ``key`` gives the text (so a layer's own words come first, the UI words of
    :data:`WORDS` last). ``fields`` fill the ``{placeholders}`` of the text (any
    name, ``tables`` and ``key`` included: the first three arguments are positional).

    Raises
    ------
    ParameterError
        For an unknown ``lang``, or a key in none of the tables (with a close match,
        the known keys, and the table where to add it).

    Examples
    --------
    >>> lookup(WORDS, "rows", "fr", n=3)
    '3 lignes'
    >>> lookup(Words({"in": {"en": "in {tables}", "fr": "dans {tables}"}}), "in", "fr", tables="leads")
    'dans leads'
    >>> lookup(WORDS, "tem", "en")
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: No UI word 'tem' (did you mean 'team'?); known words: ...
    """
    check_lang(lang)
    chain = (tables,) if isinstance(tables, Mapping) else tuple(tables)
    for table in chain:
        if key in table:
            text = table[key][lang]
            return text.format(**fields) if fields else text
    known = sorted(set().union(*chain))
    home = getattr(chain[0], "home", "the word table") if chain else "a word table"
    raise ParameterError(
        f"No UI word {key!r}{did_you_mean(str(key), known)}; known words: {', '.join(known)}. "
        f"Add it to {home} with its English and French text."
    )


#: The UI words shared by every surface: filters, result columns, units, periods...
WORDS = Words(home="kit.i18n.WORDS", entries={
    # filters and dimensions
    "period": {"en": "Period", "fr": "Période"},
    "start": {"en": "From", "fr": "Du"},
    "end": {"en": "To", "fr": "Au"},
    "team": {"en": "Team", "fr": "Équipe"},
    "rep": {"en": "Rep", "fr": "Commercial"},
    "rep_id": {"en": "Rep", "fr": "Commercial"},
    "name": {"en": "Name", "fr": "Nom"},
    "source": {"en": "Source", "fr": "Source"},
    "segment": {"en": "Segment", "fr": "Segment"},
    "region": {"en": "Region", "fr": "Région"},
    "manager": {"en": "Manager", "fr": "Manager"},
    "product_id": {"en": "Product", "fr": "Produit"},
    "product_category": {"en": "Product category", "fr": "Catégorie de produit"},
    "category": {"en": "Category", "fr": "Catégorie"},
    "method": {"en": "Sales method", "fr": "Méthode de vente"},
    "network": {"en": "Network", "fr": "Réseau"},
    "type": {"en": "Type", "fr": "Type"},
    "all": {"en": "All", "fr": "Tous"},
    "none": {"en": "(none)", "fr": "(aucune)"},
    "missing": {"en": "(empty)", "fr": "(vide)"},
    # comparisons
    "previous_month": {"en": "Previous month", "fr": "Mois précédent"},
    "same_month_last_year": {"en": "Same month last year", "fr": "Même mois l'an dernier"},
    "previous": {"en": "Previous", "fr": "Précédent"},
    "target": {"en": "Target", "fr": "Objectif"},
    "gap": {"en": "Gap to target", "fr": "Écart à l'objectif"},
    "change": {"en": "Change", "fr": "Évolution"},
    "value": {"en": "Value", "fr": "Valeur"},
    "kpi": {"en": "KPI", "fr": "Indicateur"},
    "direction": {"en": "Direction", "fr": "Sens"},
    "scorecard": {"en": "Scorecard", "fr": "Tableau de bord"},
    # explorer
    "breakdown": {"en": "Breakdown", "fr": "Ventilation"},
    "frequency": {"en": "Frequency", "fr": "Fréquence"},
    "freq_none": {"en": "Whole period", "fr": "Période entière"},
    "freq_W": {"en": "Weekly", "fr": "Hebdomadaire"},
    "freq_M": {"en": "Monthly", "fr": "Mensuelle"},
    "freq_Q": {"en": "Quarterly", "fr": "Trimestrielle"},
    "freq_Y": {"en": "Yearly", "fr": "Annuelle"},
    "no_data": {"en": "No data for this selection.", "fr": "Aucune donnée pour cette sélection."},
    "error": {"en": "Error", "fr": "Erreur"},
    "rows": {"en": "{n} rows", "fr": "{n} lignes"},
    # result columns
    "numerator": {"en": "Numerator", "fr": "Numérateur"},
    "denominator": {"en": "Denominator", "fr": "Dénominateur"},
    "ci_low": {"en": "95% CI low", "fr": "IC 95 % bas"},
    "ci_high": {"en": "95% CI high", "fr": "IC 95 % haut"},
    "low_sample": {"en": "Small sample", "fr": "Petit échantillon"},
    "differs": {"en": "Differs from the rest", "fr": "Diffère du reste"},
    "n_censored": {"en": "Censored", "fr": "Censurés"},
    "yes": {"en": "yes", "fr": "oui"},
    "no": {"en": "no", "fr": "non"},
    "small_sample_note": {"en": "small sample (n < 30)", "fr": "petit échantillon (n < 30)"},
    "differs_note": {"en": "differs from the rest (p < 0.05)", "fr": "diffère du reste (p < 0,05)"},
    # groups that differ from the rest over a table (kit.flags)
    "differs_note_method": {"en": "differs from the rest (p < {alpha}, {method})",
                            "fr": "diffère du reste (p < {alpha}, {method})"},
    "method_holm": {"en": "Holm", "fr": "Holm"},
    "method_fdr_bh": {"en": "Benjamini-Hochberg", "fr": "Benjamini-Hochberg"},
    "method_none": {"en": "uncorrected", "fr": "sans correction"},
    "flag_test_holm": {"en": "after Holm's correction for {n} groups",
                       "fr": "après correction de Holm pour {n} groupes"},
    "flag_test_fdr_bh": {"en": "after the Benjamini-Hochberg correction for {n} groups",
                         "fr": "après correction de Benjamini-Hochberg pour {n} groupes"},
    "flag_test_none": {"en": "with no correction for {n} groups", "fr": "sans correction pour {n} groupes"},
    "flag_bold": {"en": "Bold: differs from the rest, p < {alpha} {test}.",
                  "fr": "En gras : diffère du reste, p < {alpha} {test}."},
    "flag_no_bold": {"en": "No group differs from the rest at p < {alpha} {test}.",
                     "fr": "Aucun groupe ne diffère du reste à p < {alpha} {test}."},
    "flag_grey": {"en": "Grey: small sample (under {n}), never bold on its own.",
                  "fr": "En gris : petit échantillon (moins de {n}), jamais en gras à lui seul."},
    "ci_note": {"en": "95% interval", "fr": "intervalle à 95 %"},
    # funnel and survival
    "stage": {"en": "Stage", "fr": "Étape"},
    "count": {"en": "Count", "fr": "Nombre"},
    "rate": {"en": "Step rate", "fr": "Taux d'étape"},
    "stage_created": {"en": "Created", "fr": "Créés"},
    "stage_engaged": {"en": "Engaged", "fr": "Engagés"},
    "stage_qualified": {"en": "Qualified", "fr": "Qualifiés"},
    "stage_opportunity": {"en": "Opportunity", "fr": "Opportunité"},
    "stage_proposal": {"en": "Proposal sent", "fr": "Offre envoyée"},
    "stage_won": {"en": "Won", "fr": "Gagnés"},
    "stage_new": {"en": "New", "fr": "Nouvelles"},
    "stage_negotiation": {"en": "Negotiation", "fr": "Négociation"},
    "stage_lost": {"en": "Lost", "fr": "Perdues"},
    "funnel_title": {"en": "Sales funnel", "fr": "Entonnoir commercial"},
    "days": {"en": "Days", "fr": "Jours"},
    "days_since_creation": {"en": "Days since lead creation", "fr": "Jours depuis la création du prospect"},
    "share_converted": {"en": "Share converted", "fr": "Part convertie"},
    "survival_title": {"en": "Conversion over time", "fr": "Conversion au fil du temps"},
    # units
    "unit_count": {"en": "number", "fr": "nombre"},
    "unit_days": {"en": "days", "fr": "jours"},
    "unit_months": {"en": "months", "fr": "mois"},
    "unit_score": {"en": "score", "fr": "score"},
    "unit_multiple": {"en": "times", "fr": "fois"},
    "abbr_days": {"en": "d", "fr": "j"},
    "abbr_months": {"en": "mo", "fr": "mois"},
    "points": {"en": "pp", "fr": "pts"},
    # periods
    "week_of": {"en": "Week of {date}", "fr": "Semaine du {date}"},
    "quarter": {"en": "Q{q} {year}", "fr": "T{q} {year}"},
    # the report index (kit.report.index)
    "index_title": {"en": "Monthly sales reports", "fr": "Rapports commerciaux mensuels"},
    "index_pages": {"en": "Pages", "fr": "Pages"},
    "index_data": {"en": "Data", "fr": "Données"},
    "index_status": {"en": "Status", "fr": "Statut"},
    "index_note": {"en": "Note", "fr": "Remarque"},
    "index_failed": {"en": "Failed runs (the report of these months was not replaced)",
                     "fr": "Exécutions en échec (le rapport de ces mois n'a pas été remplacé)"},
    "index_log": {"en": "log", "fr": "journal"},
    "index_no_reports": {"en": "No report yet.", "fr": "Aucun rapport pour l'instant."},
    "index_all_teams": {"en": "all teams", "fr": "toutes les équipes"},
})


def t(key: str, lang: str = "en", **fields) -> str:
    """The UI word ``key`` in ``lang``; ``fields`` fill its ``{placeholders}``.

    Raises
    ------
    ParameterError
        For a key not in :data:`WORDS` (with a close match) or an unknown ``lang``.

    Examples
    --------
    >>> t("team", "fr"), t("all", "en")
    ('Équipe', 'All')
    >>> t("rows", "fr", n=3)
    '3 lignes'
    """
    return lookup(WORDS, key, lang, **fields)


def has_word(key: str) -> bool:
    """Whether ``key`` is a UI word of :data:`WORDS`.

    Examples
    --------
    >>> has_word("team"), has_word("lead_id")
    (True, False)
    """
    return key in WORDS
