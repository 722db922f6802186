"""What the widgets show, rendered: figures as PNG bytes, frames as escaped HTML tables.

Results are written into ``widgets.HTML`` (tables, text) and ``widgets.Image``
(figures rendered to PNG), never through ``widgets.Output``, which can hang a kernel
run without a browser. Every value from the data is HTML-escaped.

Examples
--------
>>> import pandas as pd
>>> render_output(pd.DataFrame({"team": ["<b>Nord</b>"]}))[0].count("&lt;b&gt;")
1
"""

from __future__ import annotations

import base64
import html
import io
import re

import matplotlib.figure
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from pandas.io.formats.style import Styler

from kit.availability import Unavailable
from kit.errors import ParameterError
from kit.i18n import MISSING, check_lang, t
from kit.present import mark_cells

MAX_TABLE_ROWS = 200


def figure_png(fig, *, dpi: int = 100) -> bytes:
    """PNG bytes of a matplotlib figure (or of the figure of an Axes).

    Examples
    --------
    >>> fig = new_figure()
    >>> _ = fig.add_subplot().plot([1, 2])
    >>> figure_png(fig)[:4]
    b'\\x89PNG'
    """
    if isinstance(fig, Axes):
        fig = fig.figure
    if fig.canvas is None or not hasattr(fig.canvas, "print_png"):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    # zlib level 1: a third of the encoding time of the default, files a few % larger
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def new_figure(figsize=(8, 4.5)) -> matplotlib.figure.Figure:
    """A figure outside pyplot (never shown by the inline backend, freed with its widget).

    Examples
    --------
    >>> new_figure().get_size_inches().tolist()
    [8.0, 4.5]
    """
    fig = matplotlib.figure.Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def table_html(df: pd.DataFrame, *, max_rows: int = MAX_TABLE_ROWS, lang: str = "en",
               grey=None, bold=None) -> str:
    """An escaped HTML table of a (formatted) frame, cut at ``max_rows`` rows.

    ``grey`` and ``bold`` (one bool per row of ``df``) grey small samples and put
    groups that differ from the rest in bold, as the notebooks' tables do.

    Examples
    --------
    >>> html_ = table_html(pd.DataFrame({"rep": ["<script>alert(1)</script>"]}))
    >>> "<script>" in html_, "&lt;script&gt;" in html_
    (False, True)
    >>> table_html(pd.DataFrame({"rep": ["A", "B"]}), bold=[False, True]).count("font-weight: bold")
    1
    """
    check_lang(lang)
    shown = df.head(max_rows)
    out = shown.to_html(index=False, escape=True, border=0, classes="kit-table", na_rep="–")
    if grey is not None or bold is not None:
        grey, bold = (list(f) if f is not None else [False] * len(df) for f in (grey, bold))
        styles = iter(" ".join(css for css, on in (("color: #8a8a8a;", g), ("font-weight: bold;", b)) if on)
                      for g, b in zip(grey, bold))
        head, body = out.split("<tbody>", 1)  # cells are escaped: each <tr> below is a row
        out = head + "<tbody>" + re.sub("<tr>", lambda _m: f'<tr style="{next(styles)}">', body)
    if len(df) > max_rows:
        out += f"<p><i>{html.escape(t('rows', lang, n=f'{max_rows} / {len(df)}'))}</i></p>"
    return out


def keyed_table_html(styler, rows, columns) -> str:
    """HTML of a Styler whose cells carry ``data-row`` and ``data-column`` attributes.

    Each body cell of row ``i`` and column ``j`` gets ``data-row="{rows[i]}"`` and
    ``data-column="{columns[j]}"``, so that a page (or a browser test) finds a
    number by what it is, e.g. ``td[data-row="revenue"][data-column="value"]``,
    whatever the language and the order of the rows.

    Parameters
    ----------
    styler : pandas Styler
        With its index hidden or shown; only body cells (``td``) are marked.
    rows, columns : sequence of str
        One key per row and per column of ``styler.data``.

    Returns
    -------
    str
        The Styler's HTML with the attributes added (keys HTML-escaped).

    Raises
    ------
    ParameterError
        When ``rows`` or ``columns`` does not have one key per row or column.

    Examples
    --------
    >>> df = pd.DataFrame({"KPI": ["Revenue", "Win rate"], "Value": ["€1,200", "32.5%"]})
    >>> out = keyed_table_html(df.style.hide(axis="index"), ["revenue", "win_rate"], ["name", "value"])
    >>> import re
    >>> re.search(r'<td[^>]*data-row="win_rate" data-column="value"[^>]*>([^<]*)</td>', out).group(1)
    '32.5%'
    """
    rows, columns = [str(r) for r in rows], [str(c) for c in columns]
    shape = styler.data.shape
    if (len(rows), len(columns)) != shape:
        raise ParameterError(
            f"keyed_table_html needs one key per row and per column: the table is "
            f"{shape[0]} x {shape[1]}, received {len(rows)} row keys and {len(columns)} column "
            "keys. Pass rows=<one name per row> and columns=<one name per column>."
        )

    return mark_cells(styler.to_html(), {(i, j): {"data-row": r, "data-column": c}
                                         for i, r in enumerate(rows) for j, c in enumerate(columns)})


def png_data_uri(png: bytes) -> str:
    """A ``data:`` URI for PNG bytes, to put a figure inside HTML (``<img src=...>``).

    Examples
    --------
    >>> png_data_uri(b"\\x89PNG")[:22]
    'data:image/png;base64,'
    """
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def png_and_close(fig) -> bytes:
    """:func:`figure_png` of a Figure or an Axes, then the figure closed (freed by pyplot).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> png_and_close(ax)[:4], plt.fignum_exists(fig.number)
    (b'\\x89PNG', False)
    """
    import matplotlib.pyplot as plt

    fig = fig.figure if isinstance(fig, Axes) else fig
    png = figure_png(fig)
    plt.close(fig)
    return png


def render_output(out) -> tuple[str, bytes]:
    """``(html, png)`` of what a dashboard renderer returned.

    A matplotlib Figure or Axes becomes PNG bytes (its figure is closed), a DataFrame
    an escaped table (:func:`table_html`), a Styler its HTML, a string is HTML as it
    is, None nothing; anything else is shown escaped in a ``<pre>``.

    Examples
    --------
    >>> render_output("<b>3</b>"), render_output(None), render_output(1.5)
    (('<b>3</b>', b''), ('', b''), ('<pre>1.5</pre>', b''))
    """
    if isinstance(out, (matplotlib.figure.Figure, Axes)):
        return "", png_and_close(out)
    if isinstance(out, pd.DataFrame):
        return table_html(out), b""
    if isinstance(out, Styler):
        return out.to_html(), b""
    if isinstance(out, str):
        return out, b""
    if out is None:
        return "", b""
    return f"<pre>{html.escape(str(out))}</pre>", b""


def _error_html(exc: Exception, lang: str) -> str:
    if isinstance(exc, Unavailable):  # not an error: what the data lacks, in one sentence
        return _reason_html(exc.availability.reason(lang))
    return (f'<div class="kit-error" style="color:#b42318"><b>{html.escape(t("error", lang))}</b> '
            f"({html.escape(type(exc).__name__)}): {html.escape(str(exc))}</div>")


def _reason_html(reason: str) -> str:
    """Why a KPI or panel cannot be shown, as a muted paragraph (no figure is drawn)."""
    return f'<p class="kit-unavailable" style="color:#555"><i>{MISSING} {html.escape(reason)}</i></p>'


__all__ = ["MAX_TABLE_ROWS", "figure_png", "keyed_table_html", "new_figure", "png_and_close",
           "png_data_uri", "render_output", "table_html"]
