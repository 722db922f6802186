"""How a KPI result is shown, on every surface: its cells, its status, its notes.

One module decides the status of a headline KPI (:mod:`kit.present.status`: better,
worse, unclear, unknown, nodata, with a test of the change against noise), one
writes the words and symbols (:mod:`kit.present.words`) and one formats cells and
marks HTML cells with their status (:mod:`kit.present.cells`), and
:mod:`kit.present.styled` styles the scorecard table. The notebooks, the
styled scorecard (:func:`kit.plot.style_scorecard`), the explorer and the
dashboard, ``index.html`` and ``kpis.json`` all use them, so that a KPI says the
same thing everywhere.

Examples
--------
>>> r = decide({"name": "win_rate", "value": 0.29, "previous": 0.35, "numerator": 9,
...             "denominator": 31, "previous_numerator": 33, "previous_denominator": 95})
>>> r["status"], status_text(r["status"], "fr")
('unclear', '≈ pas de changement net')
"""

from __future__ import annotations

from kit.present.cells import (COLOURS, GREYED, StatusStyler, format_column, format_result,
                               mark_cells, status_css)
from kit.present.status import (ALPHA, MOSTLY_CENSORED, ON_TARGET, RELATIVE_THRESHOLD,
                                STATUS_COLUMNS, STATUSES, censored_share, count_p_value, decide,
                                noise_model, not_known_yet, proportion_p_value, status_frame,
                                target_status)
from kit.present.styled import style_scorecard
from kit.present.words import (SYMBOLS, TABLE_NOUNS, WORDS, label, note, noun, pword, sample_note,
                               status_text)

__all__ = [
    "ALPHA", "COLOURS", "GREYED", "MOSTLY_CENSORED", "ON_TARGET", "RELATIVE_THRESHOLD",
    "STATUSES", "STATUS_COLUMNS", "SYMBOLS", "StatusStyler", "TABLE_NOUNS", "WORDS",
    "censored_share", "count_p_value", "decide", "format_column", "format_result", "label",
    "mark_cells", "noise_model", "not_known_yet", "note", "noun", "proportion_p_value",
    "pword", "sample_note", "status_css", "status_frame", "status_text", "style_scorecard", "target_status",
]
