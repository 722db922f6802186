"""Labels and number formats in English and French.

Numbers go through babel, so that French output uses the separators of the
French locale (``1 234,56 €`` with a narrow no-break space between thousands
and a no-break space before the symbol). A missing value is shown as an en dash.

Examples
--------
>>> format_value(0.125, "ratio", "fr")
'12,5\\xa0%'
>>> format_value(1234.56, "currency", "en")
'€1,234.56'
>>> format_month("2026-10-01", "fr")
'octobre 2026'
>>> t("previous_month", "fr")
'Mois précédent'
"""

from __future__ import annotations

import numbers
import re

import numpy as np
import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_symbol

from kit import registry
from kit.errors import ParameterError, did_you_mean
from kit.registry import LANGS, UNITS

LOCALES = {"en": "en_US", "fr": "fr_FR"}
#: What a missing value looks like in every table and label.
MISSING = "\u2013"
NBSP = "\u00a0"

WORDS: dict[str, dict[str, str]] = {
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
}


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


def _check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ParameterError(
            f"unit={unit!r} is not allowed; allowed values: {', '.join(repr(u) for u in UNITS)}."
            f"{did_you_mean(str(unit), UNITS)} Use the unit of the KPI (kit.registry.get(name).unit)."
        )
    return unit


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
    check_lang(lang)
    try:
        text = WORDS[key][lang]
    except KeyError:
        raise ParameterError(
            f"No UI word {key!r}{did_you_mean(key, WORDS)}; known words: {', '.join(sorted(WORDS))}. "
            "Add it to kit.i18n.WORDS with its English and French text."
        ) from None
    return text.format(**fields) if fields else text


def has_word(key: str) -> bool:
    """Whether ``key`` is a UI word of :data:`WORDS`.

    Examples
    --------
    >>> has_word("team"), has_word("lead_id")
    (True, False)
    """
    return key in WORDS


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_float(value, unit: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Number, np.number)):
        raise ParameterError(
            f"format_value expects a number for unit={unit!r}, received {value!r} "
            f"({type(value).__name__}). Pass the numeric column of the KPI result (e.g. df['value'])."
        )
    return float(value)


def _digits(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _with_digits(pattern: str, decimals: int) -> str:
    return re.sub(r"#,##0(\.0+)?", _digits(decimals), pattern)


def format_number(value, lang: str = "en", *, decimals: int | None = None) -> str:
    """A plain number with the separators of ``lang``.

    ``decimals=None`` shows up to two decimals, without trailing zeros.

    Examples
    --------
    >>> format_number(1234.5, "fr")
    '1\\u202f234,5'
    >>> format_number(2, "en", decimals=1)
    '2.0'
    >>> format_number(float("nan"), "en")
    '–'
    """
    check_lang(lang)
    if _is_missing(value):
        return MISSING
    x = _as_float(value, "number")
    pattern = "#,##0.##" if decimals is None else _digits(decimals)
    return format_decimal(x, format=pattern, locale=LOCALES[lang])


def format_value(value, unit: str, lang: str = "en", *, currency: str = "EUR",
                 decimals: int | None = None, sign: bool = False) -> str:
    """Format one KPI value for display in ``lang``.

    Parameters
    ----------
    value : number
        The value; ``None``/``NaN``/``NA`` give an en dash ``–``.
    unit : {"count", "currency", "ratio", "multiple", "days", "months", "score"}
        The KPI unit (:attr:`kit.registry.KPISpec.unit`). Ratios are shown as
        percentages with one decimal; multiples with one decimal and ``×``; currency with the currency's decimals; counts
        without decimals unless the value is fractional; days, months and scores
        with one decimal.
    lang : {"en", "fr"}
    currency : str
        ISO code of the dataset currency.
    decimals : int, optional
        Overrides the number of decimals (of the percentage for ratios).
    sign : bool
        Prefix positive values with ``+`` (for changes).

    Raises
    ------
    ParameterError
        For an unknown unit or language, or a value that is not a number.

    Examples
    --------
    >>> format_value(0.125, "ratio", "en"), format_value(1234, "count", "fr")
    ('12.5%', '1\\u202f234')
    >>> format_value(12.5, "days", "fr"), format_value(12.5, "days", "en")
    ('12,5\\xa0j', '12.5\\xa0d')
    >>> format_value(None, "currency", "fr")
    '–'
    >>> format_value(4.213, "multiple", "fr"), format_value(4.213, "multiple", "en")
    ('4,2\xa0×', '4.2×')
    """
    check_lang(lang)
    _check_unit(unit)
    if _is_missing(value):
        return MISSING
    x = _as_float(value, unit)
    loc = LOCALES[lang]
    if unit == "ratio":
        pattern = _with_digits(Locale.parse(loc).percent_formats[None].pattern,
                               1 if decimals is None else decimals)
        text = format_percent(x, format=pattern, locale=loc)
    elif unit == "currency":
        if decimals is None:
            text = format_currency(x, currency, locale=loc)
        else:
            pattern = _with_digits(Locale.parse(loc).currency_formats["standard"].pattern, decimals)
            text = format_currency(x, currency, format=pattern, currency_digits=False, locale=loc)
    elif unit == "count":
        pattern = ("#,##0.#" if x != round(x) else "#,##0") if decimals is None else _digits(decimals)
        text = format_decimal(x, format=pattern, locale=loc)
    else:
        text = format_decimal(x, format=_digits(1 if decimals is None else decimals), locale=loc)
        if unit in ("days", "months"):
            text += NBSP + t("abbr_" + unit, lang)
        elif unit == "multiple":
            text += (NBSP if lang == "fr" else "") + "×"
    if sign and x > 0:
        text = "+" + text
    return text


def format_change(delta, unit: str, lang: str = "en", *, currency: str = "EUR") -> str:
    """A signed change of a KPI: percentage points for ratios, the KPI unit otherwise.

    Examples
    --------
    >>> format_change(0.025, "ratio", "fr"), format_change(0.025, "ratio", "en")
    ('+2,5\\xa0pts', '+2.5\\xa0pp')
    >>> format_change(-150, "currency", "en")
    '-€150.00'
    """
    check_lang(lang)
    _check_unit(unit)
    if _is_missing(delta):
        return MISSING
    if unit == "ratio":
        x = _as_float(delta, unit) * 100
        text = format_decimal(x, format="#,##0.0", locale=LOCALES[lang]) + NBSP + t("points", lang)
        return ("+" + text) if x > 0 else text
    return format_value(delta, unit, lang, currency=currency, sign=True)


def _ts(value) -> pd.Timestamp:
    try:
        return pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(
            f"Expected a date (e.g. '2026-10-01' or a Timestamp), received {value!r}. "
            "Pass the period column of a KPI result."
        ) from exc


def format_month(ts, lang: str = "en") -> str:
    """The month of ``ts`` in words: ``"octobre 2026"`` / ``"October 2026"``.

    Examples
    --------
    >>> format_month(pd.Timestamp("2026-10-15"), "en")
    'October 2026'
    >>> format_month(None, "fr")
    '–'
    """
    check_lang(lang)
    if _is_missing(ts):
        return MISSING
    return format_date(_ts(ts).date(), "LLLL y", locale=LOCALES[lang])


def month_abbr(ts, lang: str = "en", *, year: bool = False) -> str:
    """Abbreviated month of ``ts`` (``"oct."`` / ``"Oct"``), with the year when asked.

    Examples
    --------
    >>> month_abbr("2026-10-01", "fr"), month_abbr("2026-10-01", "en", year=True)
    ('oct.', 'Oct 2026')
    """
    check_lang(lang)
    if _is_missing(ts):
        return MISSING
    return format_date(_ts(ts).date(), "LLL y" if year else "LLL", locale=LOCALES[lang])


def format_date_short(ts, lang: str = "en") -> str:
    """A day as ``"5 oct. 2026"`` / ``"Oct 5, 2026"``.

    Examples
    --------
    >>> format_date_short("2026-10-05", "fr")
    '5 oct. 2026'
    """
    check_lang(lang)
    if _is_missing(ts):
        return MISSING
    return format_date(_ts(ts).date(), "medium", locale=LOCALES[lang])


FREQS = (None, "W", "M", "Q", "Y")


def format_period(ts, freq: str | None = "M", lang: str = "en") -> str:
    """The period starting at ``ts`` for a KPI frequency (W, M, Q, Y; None: the day).

    Examples
    --------
    >>> format_period("2026-10-01", "Q", "fr"), format_period("2026-01-01", "Y", "en")
    ('T4 2026', '2026')
    >>> format_period("2026-10-05", "W", "en")
    'Week of Oct 5, 2026'
    """
    check_lang(lang)
    if freq not in FREQS:
        raise ParameterError(
            f"freq={freq!r} is not allowed; allowed values: None, 'W', 'M', 'Q', 'Y'. "
            "Pass the freq= used to compute the KPI."
        )
    if _is_missing(ts):
        return MISSING
    ts = _ts(ts)
    if freq == "M":
        return format_month(ts, lang)
    if freq == "Q":
        return t("quarter", lang, q=(ts.month - 1) // 3 + 1, year=ts.year)
    if freq == "Y":
        return str(ts.year)
    if freq == "W":
        return t("week_of", lang, date=format_date_short(ts, lang))
    return format_date_short(ts, lang)


def infer_freq(periods) -> str | None:
    """Guess the frequency of a ``period`` column from its values.

    All on the first of January: ``"Y"``; all on the first of a quarter's month
    and three months apart or more: ``"Q"``; all on the first of a month: ``"M"``;
    all on Mondays: ``"W"``; otherwise ``None``.

    Examples
    --------
    >>> infer_freq(pd.to_datetime(["2026-01-01", "2026-02-01"]))
    'M'
    >>> infer_freq(pd.to_datetime(["2026-01-01", "2026-04-01"]))
    'Q'
    >>> infer_freq(pd.to_datetime(["2026-10-05", "2026-10-12"]))
    'W'
    """
    p = pd.DatetimeIndex(pd.to_datetime(pd.Series(periods)).dropna().unique()).sort_values()
    if len(p) == 0 or (p != p.normalize()).any():
        return None
    if (p.day == 1).all():
        if (p.month == 1).all() and len(p) > 1:
            return "Y"
        months = p.year * 12 + p.month
        if (p.month % 3 == 1).all() and len(p) > 1 and (np.diff(months) % 3 == 0).all():
            return "Q"
        return "M"
    if (p.dayofweek == 0).all():
        return "W"
    return None


def kpi_label(name: str, lang: str = "en") -> str:
    """The label of KPI ``name`` in ``lang``, from the registry.

    Raises
    ------
    UnknownKPIError
        For a name not in the registry.

    Examples
    --------
    >>> kpi_label("win_rate", "fr")
    'Taux de réussite'
    """
    check_lang(lang)
    return registry.get(name).label[lang]


def unit_label(unit: str, lang: str = "en", currency: str = "EUR") -> str:
    """Short name of a unit for axis labels: ``%``, the currency symbol, ``jours``...

    Examples
    --------
    >>> unit_label("ratio", "fr"), unit_label("currency", "fr"), unit_label("days", "fr")
    ('%', '€', 'jours')
    >>> unit_label("currency", "en", currency="USD")
    '$'
    """
    check_lang(lang)
    _check_unit(unit)
    if unit == "ratio":
        return "%"
    if unit == "multiple":
        return "×"
    if unit == "currency":
        return get_currency_symbol(currency, locale=LOCALES[lang])
    return t("unit_" + unit, lang)


def axis_label(name: str | None, lang: str = "en", *, currency: str = "EUR",
               fallback: str = "value") -> str:
    """``"<KPI label> (<unit>)"`` for KPI ``name``; ``fallback`` when ``name`` is None.

    Examples
    --------
    >>> axis_label("win_rate", "fr")
    'Taux de réussite (%)'
    >>> axis_label(None, "fr", fallback="value")
    'Valeur'
    """
    if name is None:
        return column_label(fallback, lang)
    spec = registry.get(name)
    return f"{spec.label[check_lang(lang)]} ({unit_label(spec.unit, lang, currency)})"


def column_label(column: str, lang: str = "en", name: str | None = None) -> str:
    """Header of a result column: the KPI label for ``value``, a UI word, or the name.

    Examples
    --------
    >>> column_label("value", "fr", "win_rate"), column_label("ci_low", "fr")
    ('Taux de réussite', 'IC 95 % bas')
    >>> column_label("lead_id", "fr")
    'lead_id'
    """
    check_lang(lang)
    if column == "value" and name is not None:
        return kpi_label(name, lang)
    return t(column, lang) if column in WORDS else str(column)


#: Result columns shown in the KPI's own unit.
VALUE_COLUMNS = ("value", "ci_low", "ci_high", "previous", "target", "mean", "median",
                 "km_median", "gap")
#: Result columns that are counts of records.
COUNT_COLUMNS = ("numerator", "denominator", "n", "n_censored", "count")


def format_frame(df: pd.DataFrame, name: str, lang: str = "en", *, currency: str = "EUR",
                 freq: str | None = "infer") -> pd.DataFrame:
    """A KPI result made for reading: every cell a string, headers in ``lang``.

    ``value`` and its interval (and ``previous``, ``target``, ``mean``, ``median``)
    take the KPI's unit; ``change`` is signed (percentage points for ratios);
    ``numerator``/``denominator`` and counts are numbers; columns named
    ``share*`` or ``*_rate`` are percentages; booleans are yes/no; ``period``
    is written for its frequency (inferred unless ``freq`` is given); missing
    values are an en dash, missing group labels ``(empty)``.

    Parameters
    ----------
    df : DataFrame
        A tidy KPI result (from :func:`kit.compute`).
    name : str
        The KPI name, for its label and unit.
    lang : {"en", "fr"}
    currency : str
    freq : {"infer", None, "W", "M", "Q", "Y"}

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["Nord", None], "value": [0.5, 0.125],
    ...                    "numerator": [1.0, 1.0], "denominator": [2.0, 8.0],
    ...                    "low_sample": [True, True]})
    >>> format_frame(df, "win_rate", "fr").to_dict("records")[0]
    {'Équipe': 'Nord', 'Taux de réussite': '50,0\\xa0%', 'Numérateur': '1', 'Dénominateur': '2', 'Petit échantillon': 'oui'}
    >>> format_frame(df, "win_rate", "en")["Team"].tolist()
    ['Nord', '(empty)']
    """
    check_lang(lang)
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(
            f"format_frame expects a pandas DataFrame (a KPI result), received {type(df).__name__}. "
            "Pass the result of kit.compute(ds, name, ...)."
        )
    unit = registry.get(name).unit
    out = {}
    for col in df.columns:
        s = df[col]
        if col in VALUE_COLUMNS:
            cells = [format_value(v, unit, lang, currency=currency) for v in s]
        elif col == "change":
            cells = [format_change(v, unit, lang, currency=currency) for v in s]
        elif pd.api.types.is_bool_dtype(s):
            cells = [MISSING if _is_missing(v) else t("yes" if v else "no", lang) for v in s]
        elif pd.api.types.is_datetime64_any_dtype(s):
            f = infer_freq(s) if freq == "infer" else freq
            if col != "period" and freq == "infer":
                f = None
            cells = [format_period(v, f, lang) for v in s]
        elif pd.api.types.is_numeric_dtype(s):
            if str(col).startswith("share") or str(col).endswith("_rate"):
                cells = [format_value(v, "ratio", lang) for v in s]
            elif col in COUNT_COLUMNS:
                cells = [format_value(v, "count", lang) for v in s]
            else:
                cells = [format_number(v, lang) for v in s]
        else:
            cells = [t("missing", lang) if _is_missing(v) else str(v) for v in s]
        out[column_label(col, lang, name)] = pd.Series(cells, dtype=object)
    return pd.DataFrame(out)


__all__ = [
    "LANGS", "MISSING", "WORDS", "axis_label", "check_lang", "column_label", "format_change",
    "format_date_short", "format_frame", "format_month", "format_number", "format_period",
    "format_value", "has_word", "infer_freq", "kpi_label", "month_abbr", "t", "unit_label",
]
