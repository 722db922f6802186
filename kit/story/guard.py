"""One guard for every section: what cannot be computed becomes one plain sentence.

:meth:`ReportContext.compute <kit.story.context.ReportContext.compute>` raises :class:`Unavailable`
when :func:`kit.availability.availability` says a KPI cannot be computed on the
report's dataset (a missing table or column, an empty table, a period outside the
dates the tables cover). The :func:`section` decorator, put on every section of
the notebooks, catches it and shows the reason in the notebook's language
instead of a traceback, so that a report on partial data runs to the end.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> from kit.story import Collector, ReportContext
>>> @section
... def demo(ctx):
...     ctx.compute("revenue")
>>> ctx = ReportContext(Dataset({"leads": pd.DataFrame({"lead_id": ["L1"],
...     "created_at": pd.to_datetime(["2026-10-02"])})}), month="2026-10", display=Collector())
>>> demo(ctx)
>>> print(ctx.display.objects[0].data)
*– Revenue cannot be computed: the dataset has no table orders (columns order_id, ordered_at, amount). Add orders.csv to the data folder or map it with --mapping (see docs/data-contract.md, section orders).*
"""

from __future__ import annotations

import functools

from kit.availability import Unavailable

__all__ = ["Unavailable", "section"]


def section(function):
    """Decorator of a section, a function of a report context (or a method of a report):
    an :class:`Unavailable` raised inside shows its reason.

    The section then displays one Markdown line, ``*– reason*``, in the report's
    language (through :meth:`~kit.story.context.ReportContext.unavailable` of its
    first argument) and returns ``None``. Any other error is left to propagate. See
    the module example.
    """

    @functools.wraps(function)
    def guarded(ctx, *args, **kwargs):
        try:
            return function(ctx, *args, **kwargs)
        except Unavailable as exc:
            ctx.unavailable(exc.availability)
            return None

    guarded.guarded = True
    return guarded
