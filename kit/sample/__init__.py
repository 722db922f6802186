"""Deterministic generator of the sample dataset (described in ``data/sample/README.md``).

The sample describes *Clairval Bureautique*, a fictional French B2B company that
sells office equipment, document-management software, maintenance contracts,
training and consumables to businesses. Three sales teams ("Nord", "Sud",
"Île-de-France") of four reps each (hunters, farmers and mixed profiles) work
leads from six channels over 36 months (November 2023 to October 2026 by
default: the calendar years 2024 and 2025 are complete). The patterns are
chosen so that every KPI of the catalogue has something to show: a summer dip and a
year-end peak, channels that differ in conversion and cost, lost proposals,
satisfied customers who reorder and refer more, products launched and retired,
reps above and below their targets.

Everything is drawn from one :class:`numpy.random.Generator` seeded with
``seed``; rows are sorted and written with fixed formats, so the same seed and
end month give byte-identical files.

Modules: :mod:`~kit.sample.reference` (names, channels, products, reps),
:mod:`~kit.sample.timeline` (months, office hours, draws),
:mod:`~kit.sample.simulate` and :mod:`~kit.sample.activities` (the sales
process), :mod:`~kit.sample.tables`, :mod:`~kit.sample.surveys`,
:mod:`~kit.sample.costs` and :mod:`~kit.sample.social` (the tables, as Arrow),
:mod:`~kit.sample.columns` (Arrow columns), :mod:`~kit.sample.build`
(:func:`generate`), :mod:`~kit.sample.output` (:func:`write`) and
:mod:`~kit.sample.cli`.

Command line::

    python -m kit.sample --seed 7 --out data/sample [--end 2026-10] [--leads N]
                         [--format csv|parquet]

Examples
--------
>>> import pandas as pd
>>> from kit.sample import generate
>>> tables = generate(seed=1, leads=500)
>>> sorted(tables) == sorted(TABLE_NAMES)
True
>>> len(tables["leads"]), tables["leads"]["created_at"].max() <= pd.Timestamp("2026-10-31 23:59:59")
(500, True)
"""

from kit.contract import TABLE_NAMES
from kit.sample.build import DEFAULT_END, DEFAULT_LEADS, DEFAULT_SEED, MIN_LEADS, build_arrow, generate
from kit.sample.cli import PARQUET_FROM, main
from kit.sample.output import FORMATS, write, write_arrow
from kit.sample.reference import COMPANY, PRODUCTS, REPS, SOURCES
from kit.sample.timeline import MONTHS

__all__ = [
    "generate", "write", "main", "build_arrow", "write_arrow", "COMPANY", "PRODUCTS", "REPS", "SOURCES",
    "TABLE_NAMES", "DEFAULT_SEED", "DEFAULT_END", "DEFAULT_LEADS", "MIN_LEADS", "MONTHS", "FORMATS",
    "PARQUET_FROM",
]
