"""Where a section puts what it shows: the display sink of a :class:`~kit.story.report.Report`.

A section shows three kinds of things: Markdown text (:meth:`Display.markdown`),
displayable objects such as a :class:`~kit.story.table.Table` (:meth:`Display.show`)
and finished figures (:meth:`Display.figure`). :class:`Display`, the default sink,
puts them in the notebook through IPython and matplotlib; :class:`Collector` keeps
them in lists instead, for tests and for code that wants the objects a section
shows (``Report(ds, display=Collector())``).

Examples
--------
>>> sink = Collector()
>>> sink.markdown("**bold**")
>>> sink.objects[0].data
'**bold**'
"""

from __future__ import annotations

from kit.story.figures import tidy


class Display:
    """The notebook: Markdown and objects through ``IPython.display``, figures through ``plt.show()``.

    Examples
    --------
    >>> Display().show  # doctest: +ELLIPSIS
    <bound method Display.show of <kit.story.display.Display object at ...>>
    """

    def markdown(self, text: str) -> None:
        """Show ``text`` as Markdown (an ``IPython.display.Markdown`` object, through :meth:`show`)."""
        from IPython.display import Markdown

        self.show(Markdown(text))

    def show(self, obj) -> None:
        """Show a displayable object (a table, a widget) with ``IPython.display.display``."""
        from IPython.display import display

        display(obj)

    def figure(self, ax) -> None:
        """Finish the figure of ``ax`` and show it: long labels wrapped, tight layout, ``plt.show()``
        (no Axes repr in the output)."""
        import matplotlib.pyplot as plt

        tidy(ax)
        if ax.figure.get_layout_engine() is None:
            ax.figure.tight_layout()
        plt.show()


class Collector(Display):
    """A sink that keeps what a section shows instead of displaying it.

    Attributes
    ----------
    objects : list
        The objects shown (Markdown as ``IPython.display.Markdown``, tables...), in order.
    figures : list
        The matplotlib Axes of the figures shown, in order.
    shown : list
        Both, in the order they were shown.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> sink = Collector()
    >>> sink.markdown("*note*")
    >>> ax = plt.figure().add_subplot()
    >>> sink.figure(ax)
    >>> [o.data for o in sink.objects], sink.figures == [ax], len(sink.shown)
    (['*note*'], True, 2)
    >>> plt.close("all")
    """

    def __init__(self):
        self.objects: list = []
        self.figures: list = []
        self.shown: list = []

    def show(self, obj) -> None:
        """Keep ``obj`` in :attr:`objects`."""
        self.objects.append(obj)
        self.shown.append(obj)

    def figure(self, ax) -> None:
        """Keep ``ax`` in :attr:`figures` (the figure is neither finished nor closed)."""
        self.figures.append(ax)
        self.shown.append(ax)
