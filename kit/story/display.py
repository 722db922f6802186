"""What a section puts in the notebook: Markdown, displayable objects, finished figures.

The sections call ``_display`` and ``_show`` through ``_late_display`` and
``_late_show``, which look them up in this module at each call: tests replace
``kit.story.display._display`` and ``kit.story.display._show`` to collect what a
section shows instead of drawing it.

Examples
--------
>>> _markdown("**bold**").data
'**bold**'
"""

from __future__ import annotations

from kit.story.figures import tidy


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


def _late_display(*objs) -> None:
    """Display ``objs`` with this module's ``_display`` as it is at the time of the call."""
    _display(*objs)


def _late_show(ax) -> None:
    """Finish and show ``ax`` with this module's ``_show`` as it is at the time of the call."""
    _show(ax)
