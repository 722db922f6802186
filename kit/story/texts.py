"""The words of the notebooks and of the report sections, in English and French.

:data:`NOTEBOOKS` holds the title and introduction of each notebook, :data:`WORDS`
the words of the sections (:func:`word` falls back on the words of
:mod:`kit.present` and the UI words of :mod:`kit.i18n`). :data:`HIDDEN_WHEN_ZERO`
lists the technical columns tables leave out when they are all zero; how other
columns of a KPI result are shown is the registry's (``KPISpec.columns``).

Examples
--------
>>> NOTEBOOKS["01-funnel"]["fr"][0]
'Entonnoir et conversion'
>>> word("leads", "fr"), _label("win_rate", "en")
('Prospects', 'Win rate')
"""

from __future__ import annotations

from kit.i18n import Words, lookup, month_abbr, word_or_kpi_label
from kit.present.words import CHAIN as PRESENT_CHAIN

# ---------------------------------------------------------------------------
# words of the notebooks (the UI words shared with widgets live in kit.i18n)
# ---------------------------------------------------------------------------

#: Title and one-paragraph introduction of each notebook.
NOTEBOOKS = {
    "00-scorecard": {
        "en": ("Monthly scorecard", "Every headline KPI of the month against the previous month and "
               "the target. ▲ better / ▼ worse: a change beyond noise, the right or the wrong way; "
               "≈ no clear change; … not known yet (small sample or cohort too recent, greyed); "
               "– no data."),
        "fr": ("Tableau de bord mensuel", "Tous les indicateurs clés du mois face au mois précédent et "
               "à l'objectif. ▲ en amélioration / ▼ en dégradation : une évolution au-delà du bruit, "
               "dans le bon ou le mauvais sens ; ≈ pas de changement net ; … pas encore connu (petit "
               "échantillon ou cohorte trop récente, en gris) ; – pas de données."),
    },
    "01-funnel": {
        "en": ("Funnel and conversion", "From lead to won deal: how many leads move to each stage, how "
               "fast, and where conversion differs by source, rep and sales method."),
        "fr": ("Entonnoir et conversion", "Du prospect à l'affaire gagnée : combien de prospects passent "
               "chaque étape, en combien de temps, et où la conversion diffère selon la source, le "
               "commercial et la méthode de vente."),
    },
    "02-costs": {
        "en": ("Acquisition costs and value", "What a new customer costs by channel, what they bring "
               "back (lifetime value by acquisition cohort), how fast the cost is paid back, and the "
               "margin against its target."),
        "fr": ("Coûts d'acquisition et valeur", "Ce que coûte un nouveau client par canal, ce qu'il "
               "rapporte (valeur vie client par cohorte d'acquisition), en combien de temps le coût est "
               "remboursé, et la marge face à son objectif."),
    },
    "03-satisfaction": {
        "en": ("Satisfaction and loyalty", "CSAT and NPS over time, second purchases within 90 days, "
               "referrals within 6 months, returning customers, and whether satisfied customers buy "
               "again more often."),
        "fr": ("Satisfaction et fidélité", "CSAT et NPS dans le temps, second achat sous 90 jours, "
               "recommandations sous 6 mois, clients qui reviennent, et si les clients satisfaits "
               "rachètent plus souvent."),
    },
    "04-team": {
        "en": ("Sales team", "Revenue per rep against target, the deals and opportunities still needed, "
               "activity by rep and type, hunter and farmer profiles, conversations to close a deal and "
               "the balance of emails and calls."),
        "fr": ("Équipe commerciale", "Chiffre d'affaires par commercial face à l'objectif, affaires et "
               "opportunités encore nécessaires, activité par commercial et par type, profils chasseur "
               "et éleveur, conversations pour conclure et équilibre e-mails / appels."),
    },
    "05-products": {
        "en": ("Products", "Which products and categories make the revenue, how long each product "
               "sells, and the average basket."),
        "fr": ("Produits", "Quels produits et catégories font le chiffre d'affaires, combien de temps "
               "chaque produit se vend, et le panier moyen."),
    },
    "06-prospecting": {
        "en": ("Prospecting", "New leads by source, response to prospecting emails, engagement on "
               "social networks and prospecting calls."),
        "fr": ("Prospection", "Nouveaux prospects par source, réponses aux e-mails de prospection, "
               "engagement sur les réseaux sociaux et appels de prospection."),
    },
    "07-data-quality": {
        "en": ("Data quality", "Every problem found while loading the data, what it means for the "
               "numbers, and the rows that were kept aside."),
        "fr": ("Qualité des données", "Chaque problème trouvé au chargement des données, ce qu'il "
               "change pour les chiffres, et les lignes mises de côté."),
    },
    "dashboard": {
        "en": ("Sales dashboard", "The month's scorecard and four key figures; the filters below "
               "redraw them for a period, team, rep or source."),
        "fr": ("Tableau de bord commercial", "Les indicateurs du mois et quatre graphiques clés ; les "
               "filtres ci-dessous les redessinent pour une période, une équipe, un commercial ou une "
               "source."),
    },
}

#: Words of the report sections.
WORDS = Words(home="kit.story.texts.WORDS", entries={
    "all_teams": {"en": "all teams", "fr": "toutes les équipes"},
    "team_x": {"en": "team {team}", "fr": "équipe {team}"},
    "data_as_of": {"en": "data known on {date}", "fr": "données connues au {date}"},
    "headline": {"en": "The month in figures", "fr": "Le mois en chiffres"},
    "trend_title": {"en": "{label}: {period}", "fr": "{label} : {period}"},
    "empty_months": {"en": "No value: {reasons}.", "fr": "Pas de valeur : {reasons}."},
    "censored_months": {
        "en": "Not drawn: {months} — most of the cohort is still too recent to tell.",
        "fr": "Non tracé : {months} — l'essentiel de la cohorte est encore trop récent pour conclure."},
    "cohort_title": {"en": "{label} by acquisition cohort", "fr": "{label} par cohorte d'acquisition"},
    "breakdown_title": {"en": "{label} by {by}, {period}", "fr": "{label} par {by}, {period}"},
    "months_to": {"en": "{start} to {end}", "fr": "{start} à {end}"},
    "all_data_to": {"en": "all data to {end}", "fr": "toutes les données jusqu'à {end}"},
    "month_of": {"en": "Month", "fr": "Mois"},
    "last_year": {"en": "Same month last year", "fr": "Même mois l'an dernier"},
    "vs_last_year": {"en": "Change over a year", "fr": "Évolution sur un an"},
    "rising": {"en": "rising", "fr": "en hausse"},
    "falling": {"en": "falling", "fr": "en baisse"},
    "trend_sentence": {
        "en": "Trend over {n} months: {slope} per month ({word}, p = {p}).",
        "fr": "Tendance sur {n} mois : {slope} par mois ({word}, p = {p}).",
    },
    "no_trend": {
        "en": "No significant trend over {n} months (p = {p}): the changes are within the noise.",
        "fr": "Pas de tendance significative sur {n} mois (p = {p}) : les variations restent dans le bruit.",
    },
    "too_short": {"en": "Too few months with data to tell a trend ({n}).",
                  "fr": "Trop peu de mois avec des données pour dégager une tendance ({n})."},
    "vs_rest": {"en": "vs rest", "fr": "vs reste"},
    "above": {"en": "above", "fr": "au-dessus"},
    "below": {"en": "below", "fr": "en dessous"},
    "warnings_title": {"en": "Data-quality warnings", "fr": "Alertes sur la qualité des données"},
    "no_warnings": {"en": "No data-quality problem on the tables used here ({tables}).",
                    "fr": "Aucun problème de qualité sur les tables utilisées ici ({tables})."},
    "table": {"en": "Table", "fr": "Table"},
    "column": {"en": "Column", "fr": "Colonne"},
    "rule": {"en": "Rule", "fr": "Règle"},
    "severity": {"en": "Severity", "fr": "Gravité"},
    "count": {"en": "Rows", "fr": "Lignes"},
    "example_rows": {"en": "Example lines", "fr": "Lignes d'exemple"},
    "message": {"en": "What it means", "fr": "Ce que cela signifie"},
    "error": {"en": "error", "fr": "erreur"},
    "warning": {"en": "warning", "fr": "avertissement"},
    "info": {"en": "info", "fr": "info"},
    "explorer_title": {"en": "Explore", "fr": "Explorer"},
    "margin_rate": {"en": "Margin rate", "fr": "Taux de marge"},
    "by_month": {"en": "{by} and month", "fr": "{by} et mois"},
    "leads": {"en": "Leads", "fr": "Prospects"},
    "revenue": {"en": "Revenue", "fr": "Chiffre d'affaires"},
    "period_of": {"en": "Period", "fr": "Période"},
    "satisfied": {"en": "Satisfied (mean CSAT of 4 or more)", "fr": "Satisfait (CSAT moyen de 4 ou plus)"},
    "complete": {"en": "Full year known", "fr": "Année complète connue"},
    "n_before_data": {"en": "First order before the data", "fr": "Premier achat avant les données"},
    "months_with_sales": {"en": "Months with sales", "fr": "Mois avec ventes"},
    "status": {"en": "Status", "fr": "Statut"},
    "by_x": {"en": "by {by}", "fr": "par {by}"},
    "young_cohorts": {
        "en": "The {k} cohorts from {first} on are too recent to tell ({n} customers censored): "
              "they will appear as they age.",
        "fr": "Les {k} cohortes à partir de {first} sont trop récentes pour conclure ({n} clients "
              "censurés) : elles apparaîtront en vieillissant.",
    },
    "of_created": {"en": "Share of created", "fr": "Part des créés"},
    "of_first": {"en": "Share of the first stage", "fr": "Part de la première étape"},
    "others_combined": {
        "en": "The {k} largest groups are shown; the {n} others are combined in one row, computed "
              "from their totals (numerators and denominators), not averaged.",
        "fr": "Les {k} groupes les plus importants sont montrés ; les {n} autres sont regroupés en "
              "une ligne, calculée sur leurs totaux (numérateurs et dénominateurs), pas en moyenne."},
    "others_left_out": {
        "en": "The figure shows the {k} largest groups; the table lists all {total}.",
        "fr": "La figure montre les {k} groupes les plus importants ; le tableau les liste tous "
              "les {total}."},
    "opportunities": {"en": "Opportunities", "fr": "Opportunités"},
    "opportunities_axis": {"en": "Opportunities (number)", "fr": "Opportunités (nombre)"},
    "no_opportunities": {"en": "No opportunity was created from {period}: no funnel to show.",
                         "fr": "Aucune opportunité créée de {period} : pas d'entonnoir à montrer."},
    "stage_funnel_stage_history": {
        "en": "The dataset has no leads table: this is the funnel of the opportunity stages, from "
              "the stage history (stages in the order the opportunities go through them). An "
              "opportunity counts at every stage up to the furthest it reached.",
        "fr": "Le jeu de données n'a pas de table de prospects : voici l'entonnoir des étapes des "
              "opportunités, d'après l'historique des étapes (dans l'ordre où les opportunités les "
              "parcourent). Une opportunité compte à chaque étape jusqu'à la plus avancée atteinte."},
    "stage_funnel_stage": {
        "en": "The dataset has no leads table and no stage history: this is the funnel of the "
              "opportunity stages from the current stage of each opportunity (stages ordered by the "
              "age of the deals in them). A lost deal counts only up to the stage it is in now; add "
              "stage_history.csv for the stages it went through.",
        "fr": "Le jeu de données n'a ni table de prospects ni historique des étapes : voici "
              "l'entonnoir des étapes des opportunités d'après l'étape actuelle de chacune (étapes "
              "ordonnées selon l'ancienneté des affaires qui y sont). Une affaire perdue ne compte "
              "que jusqu'à son étape actuelle ; ajoutez stage_history.csv pour les étapes parcourues."},
    "legend_grey": {"en": "Grey rows: small sample (fewer than 30), read with care.",
                    "fr": "Lignes grises : petit échantillon (moins de 30), à lire avec prudence."},
    "median_converted": {"en": "Median, converted leads", "fr": "Médiane, prospects convertis"},
    "mean_converted": {"en": "Mean, converted leads", "fr": "Moyenne, prospects convertis"},
    "km_median": {"en": "Median with open leads (Kaplan-Meier)",
                  "fr": "Médiane avec les prospects en cours (Kaplan-Meier)"},
    "not_reached": {"en": "not reached: fewer than half convert", "fr": "non atteinte : moins de la moitié se convertit"},
    "converted": {"en": "Converted", "fr": "Convertis"},
    "converted_within": {"en": "Converted within {days} days", "fr": "Convertis sous {days} jours"},
    "of_n": {"en": "of {n} old enough", "fr": "sur {n} assez anciens"},
    "leads_axis": {"en": "Leads (number)", "fr": "Prospects (nombre)"},
    "cohort_axis": {"en": "Month of acquisition", "fr": "Mois d'acquisition"},
    "sat_repeat_title": {"en": "Second purchase within 90 days, satisfied customers or not",
                         "fr": "Second achat sous 90 jours, clients satisfaits ou non"},
    "satisfied_axis": {"en": "Satisfied (mean CSAT of 4 or more)", "fr": "Satisfait (CSAT moyen de 4 ou plus)"},
    "no_answer": {"en": "no CSAT answer", "fr": "sans réponse CSAT"},
    "severity_help": {
        "en": "**error**: the rows were kept aside (see below) and count in no KPI. **warning**: the "
              "rows were kept and flagged; the KPIs that use the column may be biased. **info**: "
              "something the loader did for you (e.g. derived a table), nothing is lost.",
        "fr": "**erreur** : les lignes ont été mises de côté (voir plus bas) et ne comptent dans aucun "
              "indicateur. **avertissement** : les lignes sont gardées et signalées ; les indicateurs "
              "qui utilisent la colonne peuvent être biaisés. **info** : une opération faite par le "
              "chargement (par exemple une table dérivée), rien n'est perdu.",
    },
    "no_issue": {"en": "The load found no error and no warning: every row was kept as it was.",
                 "fr": "Le chargement n'a trouvé ni erreur ni avertissement : toutes les lignes ont été "
                       "gardées telles quelles."},
    "all_teams_note": {
        "en": "*All teams*: {kpis} — the table {tables} has no team column, so these KPIs cover every team.",
        "fr": "*Toutes équipes* : {kpis} — la table {tables} n'a pas de colonne d'équipe : ces "
              "indicateurs portent sur toutes les équipes."},
    "all_teams_note_n": {
        "en": "*All teams*: {kpis} — the tables {tables} have no team column, so these KPIs cover "
              "every team.",
        "fr": "*Toutes équipes* : {kpis} — les tables {tables} n'ont pas de colonne d'équipe : ces "
              "indicateurs portent sur toutes les équipes."},
    "rows_title": {"en": "Rows per table", "fr": "Lignes par table"},
    "rows_help": {
        "en": "Every row read is either kept or kept aside. *In this report*: the kept rows dated "
              "up to the end of the month (and of the team, when one is chosen).",
        "fr": "Chaque ligne lue est soit gardée, soit mise de côté. *Dans ce rapport* : les lignes "
              "gardées datées jusqu'à la fin du mois (et de l'équipe, quand une équipe est choisie)."},
    "rows_read": {"en": "Rows read", "fr": "Lignes lues"},
    "rows_kept": {"en": "Kept", "fr": "Gardées"},
    "rows_aside": {"en": "Kept aside", "fr": "Mises de côté"},
    "rows_in_report": {"en": "In this report", "fr": "Dans ce rapport"},
    "date_column": {"en": "Date column", "fr": "Colonne de date"},
    "first_date": {"en": "From", "fr": "Du"},
    "last_date": {"en": "To", "fr": "Au"},
    "problems_title": {"en": "Problems found at load", "fr": "Problèmes trouvés au chargement"},
    "info_title": {"en": "What the loader did", "fr": "Ce qu'a fait le chargement"},
    "issue_summary": {"en": "Problems by table and severity", "fr": "Problèmes par table et gravité"},
    "rejected_title": {"en": "Rows kept aside", "fr": "Lignes mises de côté"},
    "no_rejected": {"en": "No row was kept aside.", "fr": "Aucune ligne n'a été mise de côté."},
    "n_rejected": {"en": "{n} rows kept aside", "fr": "{n} lignes mises de côté"},
    "reason": {"en": "Reason", "fr": "Raison"},
    "not_available": {"en": "{label}: not available ({reason})", "fr": "{label} : non disponible ({reason})"},
})

#: Where the report sections look a word up: their own words, then the presentation's
#: (:mod:`kit.present.words`), then the UI words of :mod:`kit.i18n`.
CHAIN = (WORDS, *PRESENT_CHAIN)


def word(key: str, lang: str = "en", **fields) -> str:
    """A word of the report sections in ``lang``, from :data:`CHAIN` (see :func:`kit.i18n.lookup`).

    Examples
    --------
    >>> word("team_x", "fr", team="Nord")
    'équipe Nord'
    >>> word("previous_month", "fr")
    'Mois précédent'
    """
    return lookup(CHAIN, key, lang, **fields)


# ---------------------------------------------------------------------------
# technical columns of KPI results in tables
# ---------------------------------------------------------------------------

#: Technical columns of KPI results that tables leave out when they are all zero.
HIDDEN_WHEN_ZERO = ("n_inconsistent", "n_before_data", "lines_without_cost", "revenue_without_cost")


def month_abbr_year(ts, lang: str) -> str:
    """A month as a short column header.

    Examples
    --------
    >>> month_abbr_year("2026-10-01", "fr"), month_abbr_year("2026-10-01", "en")
    ('oct. 2026', 'Oct 2026')
    """
    return month_abbr(ts, lang, year=True)


def _label(key: str, lang: str) -> str:
    """Header for ``key``: a word of :data:`CHAIN`, else the KPI label."""
    return word_or_kpi_label(CHAIN, key, lang)
