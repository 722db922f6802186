"""The dashboard's "why" panel, now :mod:`kit.widgets.why`; this name stays for importers of
``kit.widgets_why`` (the same objects).

Examples
--------
>>> import kit.widgets
>>> why_panel is kit.widgets.why_panel
True
"""

from kit.widgets.why import WhyPanel, explain_window, why_choices, why_panel

__all__ = ["WhyPanel", "explain_window", "why_choices", "why_panel"]
