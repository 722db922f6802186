"""HTML export of an executed notebook, without code.

Examples
--------
>>> import nbformat
>>> from nbformat.v4 import new_code_cell, new_notebook, new_output
>>> cell = new_code_cell("secret_source_code = 1")
>>> cell.outputs = [new_output("stream", name="stdout", text="<script>alert(1)</script>")]
>>> page = notebook_html(new_notebook(cells=[cell]), title="demo")
>>> "secret_source_code" in page, "&lt;script&gt;alert(1)&lt;/script&gt;" in page
(False, True)
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path

_SCRIPT = re.compile(r"<(/?)(script)", re.IGNORECASE)


def notebook_html(nb, *, title: str = "") -> str:
    """A standalone HTML page of ``nb``: outputs only, no code and no prompts.

    ``<script>`` tags inside ``text/html`` outputs are shown as text rather than
    run: a report page never runs code that came from the data (a rep named
    ``<script>...``). Markdown cells are kept; figures are embedded.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                html = "".join(html) if isinstance(html, list) else html
                data["text/html"] = _SCRIPT.sub(r"&lt;\1\2", html)
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


@functools.lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per process: its templates are read and compiled once, not per page."""
    from nbconvert import HTMLExporter

    return HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def export_html(nb, path) -> Path:
    """Write :func:`notebook_html` of ``nb`` to ``path`` (UTF-8); return the path."""
    path = Path(path)
    path.write_text(notebook_html(nb, title=path.stem), encoding="utf-8")
    return path
