"""What the notebooks share: a report of one month, told section by section.

A notebook opens a :class:`Report` (the dataset as known at the end of the month,
restricted to a team) and asks it for sections: :meth:`Report.headline` (the
number of the month against the previous month, the same month last year and the
target), :meth:`Report.trend` (the last ``history`` months), :meth:`Report.breakdown`
(by team, rep, channel..., groups that differ from the rest in bold, small samples
in grey) and :meth:`Report.warnings` (the data-quality issues of the tables used).
Each section displays a title, a table (HTML and plain text, so that nbval
compares its numbers) and a figure, in English or French.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"], "rep_id": ["R1", "R2", "R1"],
...     "status": ["won", "lost", "won"],
...     "closed_at": pd.to_datetime(["2026-09-05", "2026-10-09", "2026-10-20"])})
>>> rep = Report(Dataset({"opportunities": opps}), month="2026-10", lang="fr")
>>> rep.headline_frame(["win_rate"])[["name", "value", "previous", "change"]].to_dict("records")
[{'name': 'win_rate', 'value': 0.5, 'previous': 1.0, 'change': -0.5}]
>>> print(rep.title("01-funnel"))
# Entonnoir et conversion — octobre 2026
"""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit import registry
from kit.api import compute
from kit.errors import ParameterError
from kit.i18n import (MISSING, check_lang, column_label, format_change, format_frame,
                      format_month, format_number, format_period, format_value, has_word,
                      kpi_label, t)
from kit.stats import compare_to_rest, km_curve
from kit.stats import trend as fit_trend
from kit.scorecard import TARGETS, last_complete_month

# ---------------------------------------------------------------------------
# words of the notebooks (the UI words shared with widgets live in kit.i18n)
# ---------------------------------------------------------------------------

#: Title and one-paragraph introduction of each notebook.
NOTEBOOKS = {
    "00-scorecard": {
        "en": ("Monthly scorecard", "Every headline KPI of the month against the previous month and "
               "the target. Green: the change goes the right way; red: the wrong way."),
        "fr": ("Tableau de bord mensuel", "Tous les indicateurs clés du mois face au mois précédent et "
               "à l'objectif. Vert : l'évolution va dans le bon sens ; rouge : dans le mauvais."),
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
WORDS = {
    "all_teams": {"en": "all teams", "fr": "toutes les équipes"},
    "team_x": {"en": "team {team}", "fr": "équipe {team}"},
    "data_as_of": {"en": "data known on {date}", "fr": "données connues au {date}"},
    "headline": {"en": "The month in figures", "fr": "Le mois en chiffres"},
    "trend_title": {"en": "{label}: the last {n} months", "fr": "{label} : les {n} derniers mois"},
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
    "legend_rows": {
        "en": "Grey rows: small sample (fewer than 30), read with care. Bold rows: differs from the "
              "rest of the groups (two-proportion test, p < 0.05).",
        "fr": "Lignes grises : petit échantillon (moins de 30), à lire avec prudence. Lignes en gras : "
              "diffère du reste des groupes (test de deux proportions, p < 0,05).",
    },
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
    "total_margin": {"en": "Cumulative margin", "fr": "Marge cumulée"},
    "customers": {"en": "Customers", "fr": "Clients"},
    "customers_old_enough": {"en": "Customers old enough", "fr": "Clients assez anciens"},
    "new_customers": {"en": "New customers", "fr": "Nouveaux clients"},
    "monthly_margin": {"en": "Monthly margin of a new customer", "fr": "Marge mensuelle d'un nouveau client"},
    "acquisition_costs": {"en": "Acquisition costs", "fr": "Coûts d'acquisition"},
    "satisfied": {"en": "Satisfied (mean CSAT of 4 or more)", "fr": "Satisfait (CSAT moyen de 4 ou plus)"},
    "complete": {"en": "Full year known", "fr": "Année complète connue"},
    "n_before_data": {"en": "First order before the data", "fr": "Premier achat avant les données"},
    "total_revenue": {"en": "Revenue of the period", "fr": "Chiffre d'affaires de la période"},
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
    "first_month": {"en": "First month with sales", "fr": "Premier mois de vente"},
    "last_month": {"en": "Last month with sales", "fr": "Dernier mois de vente"},
    "months_with_sales": {"en": "Months with sales", "fr": "Mois avec ventes"},
    "launched_at": {"en": "Launched", "fr": "Lancement"},
    "retired_at": {"en": "Retired", "fr": "Retrait"},
    "status": {"en": "Status", "fr": "Statut"},
    "value_hunter": {"en": "hunter", "fr": "chasseur"},
    "value_farmer": {"en": "farmer", "fr": "éleveur"},
    "value_mixed": {"en": "mixed", "fr": "mixte"},
    "by_x": {"en": "by {by}", "fr": "par {by}"},
    "young_cohorts": {
        "en": "The {k} cohorts from {first} on are too recent to tell ({n} customers censored): "
              "they will appear as they age.",
        "fr": "Les {k} cohortes à partir de {first} sont trop récentes pour conclure ({n} clients "
              "censurés) : elles apparaîtront en vieillissant.",
    },
    "of_created": {"en": "Share of created", "fr": "Part des créés"},
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
    "problems_title": {"en": "Problems found at load", "fr": "Problèmes trouvés au chargement"},
    "info_title": {"en": "What the loader did", "fr": "Ce qu'a fait le chargement"},
    "issue_summary": {"en": "Problems by table and severity", "fr": "Problèmes par table et gravité"},
    "rejected_title": {"en": "Rows kept aside", "fr": "Lignes mises de côté"},
    "no_rejected": {"en": "No row was kept aside.", "fr": "Aucune ligne n'a été mise de côté."},
    "n_rejected": {"en": "{n} rows kept aside", "fr": "{n} lignes mises de côté"},
    "reason": {"en": "Reason", "fr": "Raison"},
    "not_available": {"en": "{label}: not available ({reason})", "fr": "{label} : non disponible ({reason})"},
}


def word(key: str, lang: str = "en", **fields) -> str:
    """A word of the report sections in ``lang`` (falls back on :func:`kit.i18n.t`).

    Examples
    --------
    >>> word("team_x", "fr", team="Nord")
    'équipe Nord'
    >>> word("previous_month", "fr")
    'Mois précédent'
    """
    check_lang(lang)
    if key not in WORDS:
        return t(key, lang, **fields)
    text = WORDS[key][lang]
    return text.format(**fields) if fields else text


# ---------------------------------------------------------------------------
# displayable pieces: a table with HTML and plain-text forms, a Markdown text
# ---------------------------------------------------------------------------

class Table:
    """A formatted table that Jupyter shows as HTML, with a plain-text twin.

    Both forms are deterministic (a fixed ``uid`` instead of pandas' random one), so
    that nbval can compare them between runs.

    Parameters
    ----------
    frame : DataFrame
        Cells already formatted as text.
    uid : str
        Identifier of the table in the notebook (CSS ids derive from it).
    caption : str, optional
    grey, bold : sequence of bool, optional
        Rows to grey (small samples) or to put in bold (groups that differ).
    styler : pandas Styler, optional
        A ready Styler to render instead of ``frame`` (its uuid is fixed to ``uid``).

    Examples
    --------
    >>> tab = Table(pd.DataFrame({"A": ["1", "2"]}), uid="demo", grey=[False, True])
    >>> print(repr(tab))
    A
    1
    2
    >>> "color: #8a8a8a" in tab._repr_html_()
    True
    """

    def __init__(self, frame: pd.DataFrame, *, uid: str, caption: str | None = None,
                 grey=None, bold=None, styler=None):
        self.frame = frame.reset_index(drop=True)
        self.uid = re.sub(r"[^A-Za-z0-9_]", "_", uid)
        self.caption = caption
        self.grey = list(grey) if grey is not None else [False] * len(self.frame)
        self.bold = list(bold) if bold is not None else [False] * len(self.frame)
        self.styler = styler

    def _css(self, frame):
        css = pd.DataFrame("", index=frame.index, columns=frame.columns)
        for i in range(len(frame)):
            props = []
            if self.grey[i]:
                props.append("color: #8a8a8a")
            if self.bold[i]:
                props.append("font-weight: bold")
            css.iloc[i, :] = "; ".join(props)
        return css

    def to_styler(self):
        """The pandas Styler of the table (fixed uuid, no index)."""
        if self.styler is not None:
            styler = self.styler
        else:
            styler = (self.frame.style.format(escape="html").apply(self._css, axis=None)
                      .hide(axis="index")
                      .set_table_styles([{"selector": "th", "props": "text-align: left; padding: 3px 8px"},
                                         {"selector": "td", "props": "padding: 3px 8px"}]))
            if self.caption:
                styler = styler.set_caption(html.escape(self.caption))
        return styler.set_uuid(self.uid)

    def _repr_html_(self) -> str:
        return self.to_styler().to_html()

    def __repr__(self) -> str:
        head = f"{self.caption}\n" if self.caption else ""
        return head + self.frame.to_string(index=False)


def _markdown(text: str):
    from IPython.display import Markdown

    return Markdown(text)


def _display(*objs) -> None:
    from IPython.display import display

    display(*objs)


def _show(ax) -> None:
    """Finish a figure: wrap long labels, tight layout, ``plt.show()`` (no Axes repr in the output)."""
    import matplotlib.pyplot as plt

    tidy(ax)
    if ax.figure.get_layout_engine() is None:
        ax.figure.tight_layout()
    plt.show()


def tidy(ax, width: int = 60):
    """Wrap a long title and axis labels so that they stay inside the figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> _ = ax.set_title("a " * 40)
    >>> chr(10) in tidy(ax).get_title()
    True
    >>> plt.close("all")
    """
    import textwrap

    ax.set_title(textwrap.fill(ax.get_title(), width))
    fig_h = ax.figure.get_size_inches()[1]
    ax.set_ylabel(textwrap.fill(ax.get_ylabel(), max(25, int(fig_h * 9))))
    ax.set_xlabel(textwrap.fill(ax.get_xlabel(), 70))
    return ax


# ---------------------------------------------------------------------------
# months and KPI options
# ---------------------------------------------------------------------------

def month_start(value) -> pd.Timestamp:
    """The first day of the month ``value`` (``"2026-10"``, a date, a Timestamp).

    Raises
    ------
    ParameterError
        For a value that is not a month (see :func:`kit.scorecard.parse_month`).

    Examples
    --------
    >>> month_start("2026-10"), month_start(pd.Timestamp("2026-10-17"))
    (Timestamp('2026-10-01 00:00:00'), Timestamp('2026-10-01 00:00:00'))
    """
    from kit.scorecard import month_bounds

    return month_bounds(value)[0]


def shift(month: pd.Timestamp, months: int) -> pd.Timestamp:
    """``month`` moved by a whole number of months.

    Examples
    --------
    >>> shift(pd.Timestamp("2026-01-01"), -2)
    Timestamp('2025-11-01 00:00:00')
    """
    return month + pd.DateOffset(months=months)


def _accepts(name: str) -> set:
    import inspect

    params = inspect.signature(registry.get(name).func).parameters
    return {p for p, v in params.items() if v.kind == inspect.Parameter.KEYWORD_ONLY}


#: Technical columns of KPI results that tables leave out when they are all zero.
HIDDEN_WHEN_ZERO = ("n_inconsistent", "n_before_data", "lines_without_cost", "revenue_without_cost")

#: Columns of KPI results whose unit is not the KPI's: ``{kpi: {column: (unit, label)}}``;
#: a unit ``"text"`` translates the values, a label is a word of :data:`WORDS`, a UI word of
#: :mod:`kit.i18n` or a KPI name.
COLUMNS = {
    "revenue_vs_target": {"numerator": ("currency", "revenue"), "denominator": ("currency", "target"),
                          "gap": ("currency", "gap")},
    "deals_needed": {"opportunities_needed": ("count", "opportunities_needed"),
                     "target": ("currency", "target"), "revenue": ("currency", "revenue"),
                     "remaining": ("currency", "remaining"),
                     "average_won_deal": ("currency", "average_won_deal"), "win_rate": ("ratio", "win_rate")},
    "email_call_balance": {"numerator": ("count", "emails"), "denominator": ("count", "calls"),
                           "r": ("number", "correlation"), "p_value": ("pvalue", "p_value"),
                           "n_weeks": ("count", "n_weeks")},
    "activity_profile": {"numerator": ("count", "prospecting_activities"),
                         "denominator": ("count", "activities"), "profile": ("text", "profile"),
                         "n_customer_service": ("count", "n_customer_service")},
    "revenue_share": {"numerator": ("currency", "revenue"), "denominator": ("currency", "total_revenue")},
    "ltv": {"numerator": ("currency", "total_margin"), "denominator": ("count", "customers")},
    "ltv_cac_ratio": {"numerator": ("currency", "ltv"), "denominator": ("currency", "cac"),
                      "n_customers": ("count", "customers_old_enough"),
                      "new_customers": ("count", "new_customers")},
    "cac_payback_months": {"cac": ("currency", "cac"), "monthly_margin": ("currency", "monthly_margin"),
                           "n_customers": ("count", "customers_old_enough"),
                           "new_customers": ("count", "new_customers")},
    "cac": {"numerator": ("currency", "acquisition_costs"), "denominator": ("count", "new_customers")},
    "product_lifetime": {"revenue": ("currency", "revenue"), "status": ("text", "status"),
                         "first_month": ("month", "first_month"), "last_month": ("month", "last_month"),
                         "launched_at": ("month", "launched_at"), "retired_at": ("month", "retired_at")},
}
#: Columns of KPI results that tables leave out (repeated or internal).
DROPPED = {"deals_needed": ("period", "won_deals", "closed_deals"),
           "product_lifetime": ("last_sale", "sold_recently", "retired", "active")}

#: KPIs whose value is itself a share of a target: 100 % is the line to reach.
TARGET_LINES = {"revenue_vs_target": 1.0}


# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------

@dataclass
class Report:
    """One month of one dataset, restricted to a team, told in ``lang``.

    Parameters
    ----------
    ds : Dataset
        The dataset, loaded as known at the end of the month (``as_of``).
    month : str or Timestamp, optional
        Report month; empty: the last complete month before ``ds.as_of``.
    history : int
        Months shown in trends (the report month included).
    team : str
        Team shown in titles (the dataset is expected to be filtered already).
    lang : {"en", "fr"}
    key : str
        The notebook, for table ids.
    """

    ds: object
    month: object = ""
    history: int = 12
    team: str = ""
    lang: str = "en"
    key: str = "report"
    used: set = field(default_factory=set)
    #: The KPI result behind the last section displayed.
    last: object = field(default=None, repr=False)
    _n: int = 0

    def __post_init__(self):
        check_lang(self.lang)
        if isinstance(self.history, bool) or not isinstance(self.history, (int, np.integer)) or self.history < 2:
            raise ParameterError(
                f"history={self.history!r} is not allowed; it must be a whole number of months, 2 or "
                "more. Pass history=12 for a year of trend."
            )
        month = last_complete_month(self.ds) if self.month in ("", None) else self.month
        self.month = month_start(month)

    # -- periods --------------------------------------------------------------
    @property
    def end(self) -> pd.Timestamp:
        """First day after the report month (excluded bound)."""
        return shift(self.month, 1)

    @property
    def start(self) -> pd.Timestamp:
        """First month of the trends."""
        return shift(self.month, -(self.history - 1))

    @property
    def currency(self) -> str:
        return getattr(self.ds, "currency", "EUR")

    def bounds(self, window: str) -> tuple:
        """``(start, end)`` of ``window``: ``"month"``, ``"history"`` or ``"all"``."""
        if window == "month":
            return self.month, self.end
        if window == "history":
            return self.start, self.end
        if window == "all":
            return None, self.end
        raise ParameterError(
            f"window={window!r} is not allowed; allowed values: 'month', 'history', 'all'. "
            "Use 'month' for the report month, 'history' for the trend months."
        )

    def period_text(self, window: str) -> str:
        """The period of ``window`` in words."""
        if window == "month":
            return format_month(self.month, self.lang)
        if window == "history":
            return word("months_to", self.lang, start=format_month(self.start, self.lang),
                        end=format_month(self.month, self.lang))
        return word("all_data_to", self.lang, end=format_month(self.month, self.lang))

    def _uid(self, what: str) -> str:
        self._n += 1
        return f"{self.key}_{self._n:02d}_{what}"

    # -- computing ------------------------------------------------------------
    def compute(self, name: str, window: str = "month", *, start=None, end=None, **options) -> pd.DataFrame:
        """Run KPI ``name`` on the report's dataset over ``window`` (or ``start``/``end``).

        Remembers the tables used, for :meth:`warnings`.
        """
        spec = registry.get(name)
        accepted = _accepts(name)
        s, e = self.bounds(window)
        s, e = (start if start is not None else s), (end if end is not None else e)
        if "start" in accepted:
            options["start"] = s
        if "end" in accepted:
            options["end"] = e
        self.used.update(spec.tables)
        self.used.update(t_ for t_ in spec.optional_tables if t_ in self.ds.tables)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return compute(self.ds, name, **options)

    def monthly(self, name: str, months: int | None = None, **options) -> pd.DataFrame:
        """KPI ``name`` per month over the ``months`` months ending with the report month."""
        months = self.history if months is None else months
        return self.compute(name, start=shift(self.month, -(months - 1)), end=self.end, freq="M", **options)

    # -- sections -------------------------------------------------------------
    def title(self, key: str) -> str:
        """The Markdown title of notebook ``key`` for the report month."""
        self.key = key.replace("-", "_")
        return f"# {NOTEBOOKS[key][self.lang][0]} — {format_month(self.month, self.lang)}"

    def intro(self, key: str) -> None:
        """Display the title, the scope (team, data date) and the introduction of notebook ``key``."""
        title = self.title(key)
        scope = word("team_x", self.lang, team=self.team) if self.team else word("all_teams", self.lang)
        as_of = format_month(self.month, self.lang)
        if self.ds.as_of is not None:
            from kit.i18n import format_date_short

            as_of = format_date_short(self.ds.as_of, self.lang)
        text = (f"{title}\n\n*{scope[:1].upper() + scope[1:]} · {word('data_as_of', self.lang, date=as_of)}*\n\n"
                f"{NOTEBOOKS[key][self.lang][1]}")
        _display(_markdown(text))

    def heading(self, text: str, level: int = 3) -> None:
        """Display a Markdown heading."""
        _display(_markdown(f"{'#' * level} {text}"))

    def headline_frame(self, names) -> pd.DataFrame:
        """For each KPI: the month's value, the previous month, the same month last year, the target.

        KPIs that take ``freq`` are computed per month over 13 months. When the
        month has no value (a cohort still censored, a survey run twice a year), the
        latest period with a value is shown instead, compared with the period with a
        value before it; ``period`` says which. KPIs without ``freq`` (a yearly
        rate) are computed on all the data known at the end of the month, and show
        their latest period.
        """
        rows = []
        for name in names:
            row = {"name": name, "value": np.nan, "previous": np.nan, "change": np.nan,
                   "last_year": np.nan, "change_year": np.nan, "target": np.nan,
                   "period": self.month, "freq": "M"}
            monthly = "freq" in _accepts(name)
            df = self.monthly(name, months=13) if monthly else self.compute(name, "all")
            if "period" in df.columns and df["period"].duplicated().any():
                df = df.iloc[:0]  # several rows a period: not a headline number
            if "period" in df.columns and len(df):
                s = df.set_index("period")["value"].astype(float)
                period, previous = self.month, shift(self.month, -1)
                if pd.isna(s.get(period, np.nan)) and s.notna().any():
                    known = s.dropna().index
                    period = known.max()
                    previous = known[known < period].max() if (known < period).any() else None
                row.update(value=s.get(period, np.nan), period=period,
                           previous=s.get(previous, np.nan) if previous is not None else np.nan,
                           last_year=s.get(shift(period, -12), np.nan))
                if not monthly:
                    from kit.i18n import infer_freq

                    p = pd.to_datetime(df["period"])
                    row["freq"] = "Y" if ((p.dt.month == 1) & (p.dt.day == 1)).all() else (infer_freq(p) or "M")
            elif len(df) == 1:
                row["value"] = float(df["value"].iloc[0])
            if name in TARGETS:
                kpi, col = TARGETS[name]
                tgt = self.compute(kpi, "month", freq="M") if kpi != name else df
                if col in tgt.columns and "period" in tgt.columns:
                    row["target"] = tgt.set_index("period")[col].astype(float).get(row["period"], np.nan)
            elif name in TARGET_LINES:
                row["target"] = TARGET_LINES[name]
            row["change"] = row["value"] - row["previous"]
            row["change_year"] = row["value"] - row["last_year"]
            rows.append(row)
        return pd.DataFrame(rows)

    def headline(self, names) -> None:
        """Display the headline table of KPIs ``names`` (styled by direction)."""
        from kit.plot import style_scorecard

        df = self.headline_frame(names)
        lang, cur = self.lang, self.currency
        units = [registry.get(n).unit for n in df["name"]]
        shown = pd.DataFrame({
            "name": df["name"], "value": df["value"],
            "period": [format_period(p, f, lang) for p, f in zip(df["period"], df["freq"])],
            "previous": df["previous"], "change": df["change"],
        })
        shown[word("last_year", lang)] = [format_value(v, u, lang, currency=cur)
                                          for v, u in zip(df["last_year"], units)]
        shown[word("vs_last_year", lang)] = [format_change(v, u, lang, currency=cur)
                                             for v, u in zip(df["change_year"], units)]
        shown["target"] = df["target"]
        shown = shown.rename(columns={"period": word("period_of", lang)})
        if df["target"].isna().all():
            shown = shown.drop(columns="target")
        styler = style_scorecard(shown, lang, currency=cur,
                                 caption=f"{word('headline', lang)} — {format_month(self.month, lang)}")
        plain = styler.data
        _display(Table(plain, uid=self._uid("headline"), caption=styler.caption, styler=styler))

    def trend_figure(self, name: str, *, column: str = "value", **options):
        """Draw KPI ``name`` (or its ``column``) over the last ``history`` months.

        The target is a dashed line where one exists; last year's values, moved
        forward 12 months, a dotted grey line. Returns ``(ax, data, result)``.
        """
        from kit.plot import ValueFormatter, plot_trend

        df = self.monthly(name, **options)
        lang = self.lang
        label = kpi_label(name, lang) if column == "value" else word(column, lang)
        plot_name = name if column == "value" else None
        data = pd.DataFrame({"period": df["period"], "value": df[column].astype(float)})
        for c in ("ci_low", "ci_high", "low_sample"):
            if c in df.columns and column == "value":
                data[c] = df[c].to_numpy()
        target = "target"
        if name in TARGETS and column == "value":
            kpi, col = TARGETS[name]
            tgt = df if kpi == name else self.monthly(kpi)
            if col in tgt.columns:
                data = data.merge(tgt.groupby("period", as_index=False)[col].sum(min_count=1)
                                  .rename(columns={col: "target"}), on="period", how="left")
        elif name in TARGET_LINES and column == "value":
            target = TARGET_LINES[name]
        title = word("trend_title", lang, label=label, n=self.history)
        ax = plot_trend(data, x="period", y="value", target=target, name=plot_name, lang=lang,
                        title=title, currency=self.currency)
        if plot_name is None:
            if ax.lines:
                ax.lines[0].set_label(label)
            if column.endswith("rate"):
                ax.yaxis.set_major_formatter(ValueFormatter("ratio", lang))
                ax.set_ylabel(f"{label} (%)")
            else:
                ax.set_ylabel(label)
            _relegend(ax)
        ax.set_xlabel(word("month_of", lang))
        last_year = self.compute(name, start=shift(self.start, -12), end=shift(self.end, -12), freq="M",
                                 **options)
        if len(last_year) and not last_year["period"].duplicated().any():
            _overlay_last_year(ax, data, last_year, column, lang)
        return ax, data, df

    def trend(self, name: str, *, column: str = "value", **options) -> None:
        """Display KPI ``name`` over the last ``history`` months, last year's line and the target.

        A sentence states the fitted slope per month and whether it is significant.
        """
        ax, data, df = self.trend_figure(name, column=column, **options)
        _show(ax)
        w = df["denominator"] if "denominator" in df.columns and column == "value" else None
        _display(_markdown(self.trend_sentence(name, data["period"], data["value"], w, column)))

    def trend_sentence(self, name, periods, values, weights=None, column="value") -> str:
        """The slope per month of a monthly series, in words, with its p-value."""
        lang = self.lang
        fit = fit_trend(periods, values, weights)
        n = fit["n_periods"]
        if n < 3 or np.isnan(fit["p_value"]):
            return word("too_short", lang, n=n)
        p = format_number(round(fit["p_value"], 3), lang, decimals=3)
        if fit["p_value"] >= 0.05:
            return word("no_trend", lang, n=n, p=p)
        unit = registry.get(name).unit if column == "value" else ("ratio" if column.endswith("rate") else "count")
        slope = format_change(fit["slope_per_month"], unit, lang, currency=self.currency)
        wd = word("rising" if fit["slope_per_month"] > 0 else "falling", lang)
        return word("trend_sentence", lang, n=n, slope=slope, word=wd, p=p)

    def breakdown(self, name: str, by: str, *, window: str = "month", figure: bool = True,
                  **options) -> None:
        """Display KPI ``name`` by ``by`` over ``window``: table and bars.

        Proportions get a ``differs`` flag (:func:`kit.stats.compare_to_rest`): bold
        rows differ from the rest of the groups; grey rows are small samples.
        """
        from kit.plot import plot_bars

        lang = self.lang
        df = self.compute(name, window, by=by, **options)
        period_text = self.period_text(window)
        if "period" in df.columns:  # a KPI by period (a yearly rate): its latest period
            known = pd.to_datetime(df.loc[df["value"].notna(), "period"])
            if known.nunique() > 1:
                last = known.max()
                df = df[pd.to_datetime(df["period"]) == last]
                yearly = last.month == 1 and last.day == 1 and (known.dt.month == 1).all()
                period_text = format_period(last, "Y" if yearly else "M", self.lang)
            df = df.drop(columns="period")
        if "denominator" in df.columns:  # a group with nothing to count says nothing
            df = df[~(df["value"].isna() & pd.to_numeric(df["denominator"], errors="coerce").fillna(0).eq(0))]
            df = df.reset_index(drop=True)
        df = flag_differences(df)
        df = self._with_names(df, by)
        label = kpi_label(name, lang)
        title = word("breakdown_title", lang, label=label, by=column_label(by, lang).lower(),
                     period=period_text)
        self.heading(title)
        if figure and len(df):
            plot_df = df.copy()
            if "name" in df.columns:  # reps are shown by name
                plot_df[by] = plot_df["name"].where(plot_df["name"].notna(), plot_df[by])
            plot_df[by] = plot_df[by].astype(object).where(plot_df[by].notna(), t("missing", lang))
            long_labels = sum(len(str(v)) for v in plot_df[by]) > 45
            orient = "h" if len(df) > 6 or long_labels else "v"
            ax = plot_bars(plot_df, x=by, y="value", name=name, lang=lang, title=title,
                           currency=self.currency, orient=orient)
            if name in TARGET_LINES:  # e.g. 100 % of the target
                line = ax.axvline if orient == "h" else ax.axhline
                line(TARGET_LINES[name], color="#1f1f1f", linestyle="--", linewidth=1.2,
                     label=t("target", lang))
                _relegend(ax)
            _show(ax)
        self.table_of(name, df, caption=title)
        self.last = df

    def table_of(self, name: str, df: pd.DataFrame, *, caption: str | None = None) -> None:
        """Display a KPI result as a formatted table (small samples grey, differing rows bold)."""
        quiet = [c for c in HIDDEN_WHEN_ZERO if c in df.columns
                 and pd.to_numeric(df[c], errors="coerce").fillna(0).eq(0).all()]
        df = _ci_columns(df.drop(columns=quiet + [c for c in DROPPED.get(name, ()) if c in df.columns]))
        shown = format_frame(df, name, self.lang, currency=self.currency)
        for i, col in enumerate(df.columns):
            if col in WORDS and not has_word(col) and col not in COLUMNS.get(name, {}):
                shown = shown.rename(columns={shown.columns[i]: word(col, self.lang)})
            if col in COLUMNS.get(name, {}):
                unit, label = COLUMNS[name][col]
                shown.isetitem(i, _cells(df[col], unit, self.lang, self.currency))
                shown = shown.rename(columns={shown.columns[i]: _label(label, self.lang)})
        grey = df["low_sample"].fillna(False).astype(bool).tolist() if "low_sample" in df.columns else None
        bold = df["differs"].fillna(False).astype(bool).tolist() if "differs" in df.columns else None
        _display(Table(shown, uid=self._uid(name), caption=caption, grey=grey, bold=bold))
        if bold is not None and any(bold):
            _display(_markdown(f"*{word('legend_rows', self.lang)}*"))
        elif grey is not None and any(grey):
            _display(_markdown(f"*{word('legend_grey', self.lang)}*"))

    def table(self, name: str, *, window: str = "month", **options) -> None:
        """Display KPI ``name`` over ``window`` as a table, with a title."""
        df = self.compute(name, window, **options)
        by = options.get("by")
        if isinstance(by, str):
            df = self._with_names(df, by)
        title = kpi_label(name, self.lang) + (
            " " + word("by_x", self.lang, by=column_label(by, self.lang).lower()) if isinstance(by, str) else "")
        title += f", {self.period_text(window)}"
        self.heading(title)
        self.table_of(name, df, caption=title)
        self.last = df

    def _with_names(self, df: pd.DataFrame, by) -> pd.DataFrame:
        """Add the name next to ``rep_id`` or ``product_id`` when ``reps``/``products`` have one."""
        table = {"rep_id": "reps", "product_id": "products"}.get(by)
        if table is None or by not in df.columns or table not in self.ds.tables:
            return df
        ref = _pandas(self.ds.tables[table])
        if "name" not in ref.columns or "name" in df.columns:
            return df
        names = ref.drop_duplicates(by).set_index(by)["name"]
        out = df.copy()
        out.insert(out.columns.get_loc(by) + 1, "name", out[by].map(names))
        return out

    def warnings(self, tables=None) -> None:
        """Display the errors and warnings of ``ds.issues`` on the tables used so far (or ``tables``).

        Information rows (rows read, tables derived) are left to the data-quality notebook.
        """
        lang = self.lang
        tables = sorted(self.used if tables is None else set(tables))
        self.heading(word("warnings_title", lang))
        issues = self.ds.issues
        rows = issues[issues["table"].isin(tables) & issues["severity"].isin(["error", "warning"])] \
            if len(issues) else issues
        if not len(rows):
            _display(_markdown(word("no_warnings", lang, tables=", ".join(tables) or MISSING)))
            return
        _display(issue_table(rows, lang, uid=self._uid("issues")))


    # -- theme sections -------------------------------------------------------
    def scorecard(self) -> None:
        """Display every headline KPI of the month (:func:`kit.scorecard.scorecard`), coloured."""
        from kit.plot import style_scorecard
        from kit.scorecard import scorecard

        lang, cur = self.lang, self.currency
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sc = scorecard(self.ds, self.month.strftime("%Y-%m"), lang=lang)
        for spec in registry.specs():
            if spec.headline:
                self.used.update(t_ for t_ in spec.tables if t_ in self.ds.tables)
        units = sc["unit"].tolist()
        shown = pd.DataFrame({"name": sc["name"], "value": sc["value"]})
        shown[t("ci_note", lang)] = [
            MISSING if pd.isna(lo) else f"{format_value(lo, u, lang, currency=cur)} – "
                                        f"{format_value(hi, u, lang, currency=cur)}"
            for lo, hi, u in zip(sc["ci_low"], sc["ci_high"], units)]
        shown["previous"] = sc["previous"]
        shown["change"] = sc["change"]
        shown[word("last_year", lang)] = [format_value(v, u, lang, currency=cur)
                                          for v, u in zip(sc["same_month_last_year"], units)]
        shown["target"] = sc["target"]
        styler = style_scorecard(shown, lang, currency=cur,
                                 caption=f"{t('scorecard', lang)} — {format_month(self.month, lang)}")
        _display(Table(styler.data, uid=self._uid("scorecard"), caption=styler.caption, styler=styler))
        self.last = sc

    def funnel_figure(self, window: str = "history"):
        """Draw the funnel lead → won of the leads created in ``window``; returns ``(ax, result)``."""
        from kit.plot import plot_funnel

        df = self.compute("funnel", window)
        title = f"{t('funnel_title', self.lang)}, {self.period_text(window)}"
        ax = plot_funnel(df, stage="stage", count="value", rate="step_rate", lang=self.lang, title=title)
        ax.set_xlabel(word("leads_axis", self.lang))
        return ax, df

    def funnel(self, window: str = "history") -> None:
        """Display the funnel lead → won of the leads created in ``window``, with step rates."""
        title = f"{t('funnel_title', self.lang)}, {self.period_text(window)}"
        self.heading(title)
        ax, df = self.funnel_figure(window)
        _show(ax)
        lang = self.lang
        shown = pd.DataFrame({
            t("stage", lang): [t(f"stage_{s}", lang) for s in df["stage"].astype(str)],
            word("leads", lang): [format_value(v, "count", lang) for v in df["value"].astype(float)],
            t("rate", lang): [format_value(v, "ratio", lang) for v in df["step_rate"]],
            t("ci_note", lang): _intervals(df, "ratio", lang),
            word("of_created", lang): [format_value(v, "ratio", lang) for v in df["rate_from_created"]],
        })
        grey = df["low_sample"].fillna(False).astype(bool).tolist()
        _display(Table(shown, uid=self._uid("funnel"), caption=title, grey=grey))
        if any(grey):
            _display(_markdown(f"*{word('legend_grey', lang)}*"))
        self.last = df

    def time_to_convert(self, window: str = "history") -> None:
        """Display the time from lead to customer: medians, shares within 30/90 days, KM curve.

        The Kaplan-Meier curve (:func:`kit.stats.km_curve`) counts leads still open at
        the end of the month as censored, not as failures.
        """
        from kit.plot import plot_survival

        lang = self.lang
        df = self.compute("time_to_convert", window)
        title = f"{kpi_label('time_to_convert', lang)}, {self.period_text(window)}"
        self.heading(title)
        leads = _pandas(self.ds.tables["leads"])
        s, e = self.bounds(window)
        leads = leads[(leads["created_at"] >= s) & (leads["created_at"] < e)] if s is not None else \
            leads[leads["created_at"] < e]
        as_of = pd.Timestamp(self.ds.as_of)
        conv = pd.to_datetime(leads["converted_at"])
        consistent = conv.isna() | (conv >= leads["created_at"])  # as the KPI: others left out
        leads, conv = leads[consistent], conv[consistent]
        observed = conv.notna() & (conv <= as_of)
        stop = conv.where(observed, as_of)
        days = (stop - leads["created_at"]) / pd.Timedelta(days=1)
        if len(days):
            curve = km_curve(days.to_numpy(float), observed.to_numpy(bool))
            ax = plot_survival(curve, lang=lang, title=f"{t('survival_title', lang)}, {self.period_text(window)}")
            _show(ax)
        rec = df.iloc[0] if len(df) else pd.Series(dtype=float)
        rows = [
            (word("median_converted", lang), format_value(rec.get("value"), "days", lang)),
            (word("mean_converted", lang), format_value(rec.get("mean"), "days", lang)),
            (word("km_median", lang), word("not_reached", lang) if np.isinf(rec.get("km_median", np.nan))
             else format_value(rec.get("km_median"), "days", lang)),
            (word("leads", lang), format_value(rec.get("n_leads"), "count", lang)),
            (word("converted", lang), format_value(rec.get("n"), "count", lang)),
            (t("n_censored", lang), format_value(rec.get("n_censored"), "count", lang)),
        ]
        for col in [c for c in df.columns if re.fullmatch(r"share_\d+d", c)]:
            days_ = col[len("share_"):-1]
            rows.append((word("converted_within", lang, days=days_),
                         f"{format_value(rec.get(col), 'ratio', lang)} "
                         f"({word('of_n', lang, n=format_value(rec.get(col + '_n'), 'count', lang))})"))
        shown = pd.DataFrame(rows, columns=[t("kpi", lang), t("value", lang)])
        _display(Table(shown, uid=self._uid("time_to_convert"), caption=title))
        self.last = df

    def _matrix_data(self, name, by, columns, window, options):
        if columns == "period":
            if window == "history":
                return self.monthly(name, by=by, **options)
            return self.compute(name, window, by=by, freq="M", **options)
        return self.compute(name, window, by=[by, columns], **options)

    def _matrix_title(self, name, by, columns, window):
        by_text = column_label(by, self.lang).lower()
        by_text = word("by_month", self.lang, by=by_text) if columns == "period" else \
            f"{by_text} × {column_label(columns, self.lang).lower()}"
        return word("breakdown_title", self.lang, label=kpi_label(name, self.lang), by=by_text,
                    period=self.period_text(window))

    def matrix_figure(self, name: str, *, by: str, columns: str = "period", window: str = "history",
                      df=None, **options):
        """Draw KPI ``name`` by ``by`` and ``columns``: one line per ``by`` over months, or grouped bars."""
        from kit.plot import plot_bars, plot_kpi

        lang = self.lang
        df = self._matrix_data(name, by, columns, window, options) if df is None else df
        title = self._matrix_title(name, by, columns, window)
        plot_df = df.copy()
        plot_df[by] = plot_df[by].astype(object).where(plot_df[by].notna(), t("missing", lang))
        if columns == "period":
            ax = plot_kpi(plot_df, x="period", y="value", hue=by, name=name, lang=lang, title=title,
                          currency=self.currency, band=False)
            ax.set_xlabel(word("month_of", lang))
        else:
            plot_df[columns] = plot_df[columns].astype(object).where(plot_df[columns].notna(),
                                                                      t("missing", lang))
            ax = plot_bars(plot_df, x=by, y="value", group=columns, name=name, lang=lang,
                           title=title, currency=self.currency, annotate=False)
        return ax

    def matrix(self, name: str, *, by: str, columns: str = "period", window: str = "history",
               **options) -> None:
        """Display KPI ``name`` as a table of ``by`` × ``columns`` (months by default), and its figure."""
        lang = self.lang
        unit = registry.get(name).unit
        df = self._matrix_data(name, by, columns, window, options)
        if columns != "period":  # e.g. activity types that are never conversations
            totals = df.groupby(columns, dropna=False)["value"].sum(min_count=1)
            df = df[~df[columns].isin(totals.index[totals.fillna(0).eq(0)])].reset_index(drop=True)
        if columns != "period":
            df[columns] = _cells(df[columns], "text", lang)
        named = self._with_names(df, by)
        if "name" in named.columns:  # reps are shown by name
            df[by] = named["name"].where(named["name"].notna(), df[by])
        title = self._matrix_title(name, by, columns, window)
        self.heading(title)
        if len(df):
            _show(self.matrix_figure(name, by=by, columns=columns, window=window, df=df))
        wide = df.pivot_table(index=by, columns=columns, values="value", aggfunc="first", dropna=False)
        wide = wide.reindex(sorted(wide.columns), axis=1)
        heads = [month_abbr_year(c, lang) if columns == "period" else str(c) for c in wide.columns]
        wide = wide.dropna(how="all")
        shown = pd.DataFrame({column_label(by, lang): [t("missing", lang) if pd.isna(i) else str(i)
                                                      for i in wide.index]})
        for head, col in zip(heads, wide.columns):
            shown[head] = [format_value(v, unit, lang, currency=self.currency) for v in wide[col]]
        _display(Table(shown, uid=self._uid(name), caption=title))
        self.last = df

    def cohorts(self, name: str, **options) -> None:
        """Display a cohort KPI by month of acquisition over ``history`` months, with censoring."""
        from kit.plot import plot_trend

        lang = self.lang
        df = self.monthly(name, months=self.history + 12, **options)  # old enough cohorts included
        df = _ci_columns(df)
        known = df.index[df["value"].notna()]
        young = df.loc[known.max() + 1:] if len(known) else df.iloc[-self.history:]
        df = df.loc[known.min():known.max()].reset_index(drop=True) if len(known) else df.iloc[:0]
        title = word("cohort_title", lang, label=kpi_label(name, lang))
        self.heading(title)
        data = df[[c for c in ("period", "value", "ci_low", "ci_high", "low_sample") if c in df.columns]]
        if data["value"].notna().any():
            ax = plot_trend(data, x="period", y="value", target=None, name=name, lang=lang,
                            title=title, currency=self.currency)
            ax.set_xlabel(word("cohort_axis", lang))
            _show(ax)
        self.table_of(name, df, caption=title)
        if len(young):
            n = young["n_censored"].sum() if "n_censored" in young.columns else np.nan
            _display(_markdown(word("young_cohorts", lang, k=len(young),
                                    first=format_month(young["period"].min(), lang),
                                    n=format_value(float(n), "count", lang))))
        self.last = df

    def satisfaction_vs_repeat(self) -> None:
        """Repeat purchase within 90 days of customers satisfied or not (their CSAT answers).

        A customer is satisfied when the mean of their CSAT scores is 4 or more.
        The KPI :func:`~kit.kpis.satisfaction.repeat_purchase_rate` is computed by
        that flag, so its censoring rules apply unchanged.
        """
        from dataclasses import replace

        from kit.plot import plot_bars

        lang = self.lang
        surveys = _pandas(self.ds.tables["surveys"])
        csat = surveys[(surveys["kind"] == "csat") & surveys["customer_id"].notna()]
        mean = csat.groupby("customer_id")["score"].mean()
        orders = _pandas(self.ds.tables["orders"])
        flag_ = orders["customer_id"].map(mean >= 4)
        orders["satisfied"] = flag_.map({True: t("yes", lang), False: t("no", lang)})
        tables = dict(self.ds.tables, orders=orders)
        if "customers" in tables:
            cust = _pandas(tables["customers"])
            cust["satisfied"] = cust["customer_id"].map(mean >= 4).map({True: t("yes", lang), False: t("no", lang)})
            tables["customers"] = cust
        saved = self.ds
        self.ds = replace(saved, tables=tables)
        try:
            df = self.compute("repeat_purchase_rate", "all", by="satisfied")
        finally:
            self.ds = saved
        self.used.add("surveys")
        df = flag_differences(df)
        title = word("sat_repeat_title", lang)
        self.heading(title)
        plot_df = df.copy()
        plot_df["satisfied"] = plot_df["satisfied"].astype(object).where(plot_df["satisfied"].notna(),
                                                                          word("no_answer", lang))
        ax = plot_bars(plot_df, x="satisfied", y="value", name="repeat_purchase_rate", lang=lang, title=title)
        ax.set_xlabel(word("satisfied_axis", lang))
        _show(ax)
        self.table_of("repeat_purchase_rate", df.rename(columns={"satisfied": "satisfied"}), caption=title)
        self.last = df

    def product_timeline(self) -> None:
        """Display each product's life: first and last month with sales, active months."""
        lang = self.lang
        df = self.compute("product_lifetime", "all")
        title = f"{kpi_label('product_lifetime', lang)}, {self.period_text('all')}"
        self.heading(title)
        if len(df):
            ax = _draw_timeline(df, lang, title)
            _show(ax)
        self.table_of("product_lifetime", df, caption=title)
        self.last = df

    def quality(self) -> None:
        """Display the load's problems (errors, warnings) and what the loader did (info), by table."""
        lang = self.lang
        issues = self.ds.issues
        self.heading(word("problems_title", lang))
        _display(_markdown(word("severity_help", lang)))
        problems = issues[issues["severity"].isin(["error", "warning"])] if len(issues) else issues
        if len(problems):
            summary = (problems.groupby(["table", "severity"], as_index=False)["count"].sum()
                       .sort_values(["table", "severity"], kind="mergesort"))
            shown = pd.DataFrame({
                word("table", lang): summary["table"].tolist(),
                word("severity", lang): [word(s, lang) for s in summary["severity"]],
                word("count", lang): [format_value(v, "count", lang) for v in summary["count"].astype(float)]})
            _display(Table(shown, uid=self._uid("issue_summary"), caption=word("issue_summary", lang)))
            _display(issue_table(problems, lang, uid=self._uid("problems")))
        else:
            _display(_markdown(word("no_issue", lang)))
        info = issues[~issues.index.isin(problems.index)] if len(issues) else issues
        if len(info):
            self.heading(word("info_title", lang))
            _display(issue_table(info, lang, uid=self._uid("info")))

    def rejected(self, rows: int = 5) -> None:
        """Display the rows kept aside at load (``ds.rejected``): how many, why, the first ones."""
        lang = self.lang
        self.heading(word("rejected_title", lang))
        rejected = {k: v for k, v in (self.ds.rejected or {}).items() if v is not None and len(v)}
        if not rejected:
            _display(_markdown(word("no_rejected", lang)))
            return
        for table, frame in rejected.items():
            reasons = frame["_reason"].astype(str).value_counts().sort_index() if "_reason" in frame.columns \
                else pd.Series({MISSING: len(frame)})
            _display(_markdown(f"**{table}** — " + word("n_rejected", lang, n=format_value(float(len(frame)), "count", lang))))
            shown = pd.DataFrame({word("reason", lang): reasons.index.astype(str),
                                  word("count", lang): [format_value(float(v), "count", lang) for v in reasons]})
            _display(Table(shown, uid=self._uid(f"rejected_{table}")))
            first = frame.head(rows).astype(object).where(frame.head(rows).notna(), MISSING).astype(str)
            _display(Table(first, uid=self._uid(f"rejected_rows_{table}")))

    # -- interactive ----------------------------------------------------------
    def explorer(self, names=None):
        """The KPI explorer of :mod:`kit.widgets` (filter bar, KPI, breakdown, frequency)."""
        from kit.widgets import kpi_explorer

        return kpi_explorer(self.ds, lang=self.lang, kpis=names)

    def dashboard_figures(self) -> None:
        """Display the dashboard's four figures for the report: revenue against target, funnel,
        CAC by channel, satisfaction."""
        for draw in self._panels().values():
            _show(draw(self))

    def _panels(self) -> dict:
        """``{title: function(report) -> Axes}`` of the dashboard figures the dataset allows."""
        lang = self.lang
        wanted = {
            "revenue": lambda r: r.trend_figure("revenue")[0],
            "funnel": lambda r: r.funnel_figure("history")[0],
            "cac": lambda r: r.matrix_figure("cac", by="source"),
            "csat": lambda r: r.trend_figure("csat")[0],
        }
        panels = {}
        for name, draw in wanted.items():
            if all(t_ in self.ds.tables for t_ in registry.get(name).tables):
                title = t("funnel_title", lang) if name == "funnel" else kpi_label(name, lang)
                panels[title] = draw
        return panels

    def dashboard(self):
        """The interactive dashboard: a filter bar (period, team, rep, source) redrawing the
        month's scorecard and the four figures (:func:`kit.widgets.dashboard`).

        The report month of a filtered view is the last complete month of the filtered
        period. The KPIs run on polars copies of the tables (same results, about twice
        as fast as pandas on the sample), so that a filter change redraws the scorecard
        within a second. Each scorecard cell carries ``data-row`` (the KPI's name) and
        ``data-column`` attributes, e.g. ``td[data-row="revenue"][data-column="value"]``.
        """
        from kit.plot import style_scorecard
        from kit.scorecard import scorecard
        from kit.widgets import dashboard, keyed_table_html

        lang, history = self.lang, self.history

        def report(ds):
            return Report(ds, month="", history=history, lang=lang, key="dashboard")

        def card(ds):
            r = report(ds)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sc = scorecard(ds, r.month.strftime("%Y-%m"), lang=lang)
            cols = ["name", "value", "previous", "change", "target"]
            styler = style_scorecard(sc[cols], lang, currency=r.currency,
                                     caption=f"{t('scorecard', lang)} — {format_month(r.month, lang)}")
            return keyed_table_html(styler, sc["name"], cols)

        renderers = {t("scorecard", lang): card}
        for title, draw in self._panels().items():
            renderers[title] = (lambda d: lambda ds: d(report(ds)))(draw)
        return dashboard(self.ds.to_polars(), renderers, lang=lang, debounce=DASHBOARD_DEBOUNCE)


#: Seconds the dashboard waits for more filter changes before redrawing.
DASHBOARD_DEBOUNCE = 0.1


def month_abbr_year(ts, lang: str) -> str:
    """A month as a short column header (``"oct. 2026"``)."""
    from kit.i18n import month_abbr

    return month_abbr(ts, lang, year=True)


def _draw_timeline(df: pd.DataFrame, lang: str, title: str):
    """One horizontal bar per product from its first to its last month with sales."""
    import matplotlib.pyplot as plt

    from kit.i18n import month_abbr

    first, last = pd.to_datetime(df["first_month"]), pd.to_datetime(df["last_month"])
    end = last + pd.offsets.MonthBegin(1)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(df) + 1.5))
    labels = [str(v) for v in (df["name"].fillna(df[df.columns[0]]) if "name" in df.columns else df[df.columns[0]])]
    for i, (a, b) in enumerate(zip(first, end)):
        active = bool(df["active"].iloc[i]) if "active" in df.columns and not pd.isna(df["active"].iloc[i]) else True
        ax.barh(i, (b - a).days, left=mdates_num(a), height=0.6,
                color="#4c72b0" if active else "#b8b8b8")
    ax.set_yticks(range(len(df)), labels)
    ax.invert_yaxis()
    span = pd.date_range(first.min(), end.max(), freq="MS")
    step = max(1, int(np.ceil(len(span) / 12)))
    ax.set_xticks([mdates_num(p) for p in span[::step]],
                  [month_abbr(p, lang, year=True) for p in span[::step]], rotation=35, ha="right")
    ax.set_xlabel(word("month_of", lang))
    ax.set_ylabel(column_label(df.columns[0], lang))
    ax.set_title(title)
    from matplotlib.patches import Patch

    ax.legend([Patch(color="#4c72b0"), Patch(color="#b8b8b8")],
              [word("value_active", lang), word("value_inactive", lang)],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    return ax


def mdates_num(ts) -> float:
    """Days since 1970-01-01, the x unit of the kit's time axes."""
    return float((pd.Timestamp(ts) - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1))

def issue_table(issues: pd.DataFrame, lang: str = "en", *, uid: str = "issues") -> Table:
    """``ds.issues`` rows as a :class:`Table` in ``lang``; errors in bold.

    Examples
    --------
    >>> rows = pd.DataFrame({"table": ["orders"], "column": ["amount"], "rule": ["negative"],
    ...     "severity": ["warning"], "count": [3], "rows": ["12, 40"], "message": ["3 negative amounts"]})
    >>> issue_table(rows, "fr").frame.columns.tolist()
    ['Table', 'Colonne', 'Règle', 'Gravité', 'Lignes', "Lignes d'exemple", 'Ce que cela signifie']
    """
    order = {"error": 0, "warning": 1, "info": 2}
    df = issues.assign(_o=issues["severity"].map(order).fillna(3)).sort_values(
        ["_o", "table", "column"], kind="mergesort").drop(columns="_o").reset_index(drop=True)
    shown = pd.DataFrame({
        word("table", lang): df["table"].astype(str),
        word("column", lang): df["column"].fillna(MISSING).astype(str),
        word("rule", lang): df["rule"].astype(str),
        word("severity", lang): [word(s, lang) if s in ("error", "warning", "info") else str(s)
                                 for s in df["severity"]],
        word("count", lang): [format_value(v, "count", lang) for v in df["count"].astype(float)],
        word("example_rows", lang): [_rows_text(v) for v in df["rows"]],
        word("message", lang): df["message"].fillna("").astype(str),
    })
    return Table(shown, uid=uid, bold=(df["severity"] == "error").tolist())


def _label(key: str, lang: str) -> str:
    """Header for ``key``: a word of this module, a UI word of kit.i18n, or a KPI label."""
    if key in WORDS:
        return word(key, lang)
    from kit.i18n import has_word

    if has_word(key):
        return t(key, lang)
    return kpi_label(key, lang)


def _cells(s: pd.Series, unit: str, lang: str, currency: str = "EUR") -> list[str]:
    """Format a column in ``unit`` (``"number"``: plain, ``"text"``: translated words)."""
    if unit == "text":
        return [MISSING if v is None or (isinstance(v, float) and np.isnan(v))
                else word(f"value_{v}", lang) if f"value_{v}" in WORDS else str(v) for v in s]
    if unit == "month":
        from kit.i18n import month_abbr

        return [MISSING if pd.isna(v) else month_abbr(v, lang, year=True) for v in s]
    if unit == "pvalue":
        return [MISSING if pd.isna(v) else ("< " + format_number(0.001, lang, decimals=3) if v < 0.001
                                            else format_number(v, lang, decimals=3)) for v in s.astype(float)]
    if unit == "number":
        return [format_number(v, lang) if not pd.isna(v) else MISSING for v in s.astype(float)]
    return [format_value(v, unit, lang, currency=currency) for v in s.astype(float)]


def _ci_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Name the interval of a mean (``value_ci_low``/``value_ci_high``) like a proportion's."""
    if "ci_low" not in df.columns and {"value_ci_low", "value_ci_high"} <= set(df.columns):
        return df.rename(columns={"value_ci_low": "ci_low", "value_ci_high": "ci_high"})
    return df


def _intervals(df: pd.DataFrame, unit: str, lang: str) -> list[str]:
    """``"low – high"`` of each row's 95 % interval, an en dash when missing."""
    if not {"ci_low", "ci_high"} <= set(df.columns):
        return [MISSING] * len(df)
    return [MISSING if pd.isna(lo) or pd.isna(hi) else
            f"{format_value(lo, unit, lang)} – {format_value(hi, unit, lang)}"
            for lo, hi in zip(df["ci_low"], df["ci_high"])]


def _rows_text(value) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(str(v) for v in list(value)[:5])
    return MISSING if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def flag_differences(df: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Add ``rest_rate``, ``p_value`` and ``differs`` to a proportion broken down by group.

    Only for proportions (``numerator``, ``denominator``, ``ci_low``); other results
    are returned unchanged.

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["A", "B", "C", "D"], "value": [0.1, 0.3, 0.3, 0.3],
    ...     "numerator": [10, 30, 30, 30], "denominator": [100] * 4, "ci_low": [0.05, 0.2, 0.2, 0.2]})
    >>> flag_differences(df)["differs"].tolist()
    [True, False, False, False]
    """
    if not {"numerator", "denominator", "ci_low"} <= set(df.columns) or len(df) < 2:
        return df
    cmp = compare_to_rest(df["numerator"].to_numpy(float), df["denominator"].to_numpy(float), alpha=alpha)
    out = df.reset_index(drop=True).copy()
    out["differs"] = cmp["differs"].to_numpy()
    return out


def _pandas(frame) -> pd.DataFrame:
    import narwhals as nw

    f = nw.from_native(frame)
    f = f.collect() if isinstance(f, nw.LazyFrame) else f
    return f.to_pandas()


def _overlay_last_year(ax, data, last_year, column, lang) -> None:
    """Draw last year's values, moved forward 12 months, as a dotted grey line.

    The x axis of :func:`kit.plot.plot_kpi` counts days since 1970-01-01.
    """
    ly = last_year[["period", column]].copy()
    ly["period"] = pd.to_datetime(ly["period"]) + pd.DateOffset(months=12)
    ly = ly[ly["period"].isin(pd.to_datetime(data["period"]))].sort_values("period")
    if not len(ly):
        return
    xs = ((ly["period"] - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy(float)
    ax.plot(xs, ly[column].to_numpy(float), color="#8a8a8a", linestyle=":", marker=".",
            linewidth=1.2, label=word("last_year", lang))
    _relegend(ax)


def _relegend(ax) -> None:
    """Redraw the legend from the labelled artists, keeping the legend's extra entries."""
    old = ax.get_legend()
    handles, labels = ax.get_legend_handles_labels()
    if old is not None:  # entries plot helpers add by hand (interval band, small samples)
        for h, text in zip(old.legend_handles, old.get_texts()):
            if text.get_text() not in labels:
                handles.append(h)
                labels.append(text.get_text())
    keep = [(h, lab) for h, lab in zip(handles, labels) if not lab.startswith("_")]
    if keep:
        ax.legend([h for h, _ in keep], [lab for _, lab in keep], loc="best", fontsize="small")


def in_voila() -> bool:
    """Whether the code runs in a kernel started by Voilà (which sets ``SERVER_SOFTWARE``
    or, for a pre-heated kernel, ``VOILA_BASE_URL``).

    The dashboard notebook shows its static results (kept by papermill and the HTML
    export) only outside Voilà, where the interactive dashboard shows the same.

    Examples
    --------
    >>> import os
    >>> in_voila() == (os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")
    ...                or "VOILA_BASE_URL" in os.environ)
    True
    """
    import os

    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/") or "VOILA_BASE_URL" in os.environ


def open_report(data, *, month: str = "", history: int = 12, team: str = "", lang: str = "en",
                preset: str = "", **load_kw) -> Report:
    """Load ``data`` as known at the end of ``month``, for ``team``, and open its :class:`Report`.

    Parameters
    ----------
    data : str, path, dict or Dataset
        A folder, a database URL, a dict of frames (see :func:`kit.load_dataset`), or
        a loaded dataset.
    month : str
        ``"YYYY-MM"``; empty: the last complete month of the data.
    history : int
        Months shown in trends.
    team : str
        Empty for every team.
    lang : {"en", "fr"}
    preset : str
        CRM export preset (``"hubspot"``, ``"salesforce"``, ``"pipedrive"``) or the
        path of a preset file; empty for files that follow the data contract.
    **load_kw
        Passed to :func:`kit.load_dataset`.

    Raises
    ------
    ParameterError
        For a month that is not ``YYYY-MM``, an unknown team or language.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"opportunities": pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"],
    ...     "status": ["won", "lost", "won"], "rep_id": ["R1", "R1", "R2"],
    ...     "closed_at": pd.to_datetime(["2026-09-05", "2026-10-09", "2026-11-02"])})},
    ...     as_of="2026-11-15")
    >>> rep = open_report(ds, month="2026-10")
    >>> str(rep.month.date()), str(rep.ds.as_of)
    ('2026-10-01', '2026-10-31 23:59:59.999999')
    """
    from kit.scorecard import report_dataset

    check_lang(lang)
    if preset:
        load_kw["preset"] = preset
    if month in ("", None):
        from kit.dataset import Dataset

        ds = data if isinstance(data, Dataset) else _load(data, **load_kw)
        month = last_complete_month(ds)
        data = ds
    else:
        month = month_start(month).strftime("%Y-%m")
    ds = report_dataset(data, month, team or "", **load_kw)
    return Report(ds, month=month, history=history, team=team or "", lang=lang)


def _load(data, **load_kw):
    from kit import load_dataset

    return load_dataset(data, **load_kw)
