"""Labels and number formats in English and French.

The words and the one rule that looks them up are in :mod:`kit.i18n.words`,
numbers and units in :mod:`kit.i18n.formats`, months and periods in
:mod:`kit.i18n.periods`, labels of KPIs and result columns (and whole KPI
results made for reading) in :mod:`kit.i18n.labels`; every public name is
importable from ``kit.i18n``.

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

from kit.i18n.formats import (LOCALES, MISSING, NBSP, format_change, format_number, format_value,
                              unit_label)
from kit.i18n.labels import (COUNT_COLUMNS, VALUE_COLUMNS, axis_label, column_label, format_frame,
                             kpi_label, word_or_kpi_label)
from kit.i18n.periods import FREQS, format_date_short, format_month, format_period, infer_freq, month_abbr
from kit.i18n.words import WORDS, Words, check_lang, has_word, lookup, t
from kit.registry import LANGS, UNITS

__all__ = [
    "COUNT_COLUMNS", "FREQS", "LANGS", "LOCALES", "MISSING", "NBSP", "UNITS", "VALUE_COLUMNS",
    "WORDS", "Words", "axis_label", "check_lang", "column_label", "format_change",
    "format_date_short", "format_frame", "format_month", "format_number", "format_period",
    "format_value", "has_word", "infer_freq", "kpi_label", "lookup", "month_abbr", "t", "unit_label",
    "word_or_kpi_label",
]
