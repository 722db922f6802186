"""The waterfall of a change, now :mod:`kit.plot.waterfall`; this name stays for importers of
``kit.plot_waterfall`` (the same objects).

Examples
--------
>>> import kit.plot
>>> plot_explanation is kit.plot.plot_explanation
True
"""

from kit.plot.waterfall import STEPS, TOTAL, plot_explanation, plot_waterfall, waterfall_title

__all__ = ["STEPS", "TOTAL", "plot_explanation", "plot_waterfall", "waterfall_title"]
