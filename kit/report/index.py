"""``reports/index.html``: every month present, with its headline KPIs against the previous month.

Everything that comes from the data (team names, KPI labels, file names) is
escaped with :func:`html.escape`; the page holds no script.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> out = Path(tempfile.mkdtemp())
>>> (out / "2026-10").mkdir()
>>> _ = (out / "2026-10" / "kpis.json").write_text('{"month": "2026-10", "team": "<b>Nord</b>", '
...     '"lang": "en", "currency": "EUR", "kpis": [{"name": "revenue", "label": "Revenue", '
...     '"unit": "currency", "value": 1200.0, "previous": 1000.0, "change": 200.0, '
...     '"target": null, "status": "better"}]}')
>>> page = write_index(out).read_text()
>>> "&lt;b&gt;Nord&lt;/b&gt;" in page, "€1,200.00" in page, "+€200.00" in page
(True, True, True)
>>> 'class="change better" data-kpi="revenue" data-status="better"' in page, "▲ better" in page
(True, True)
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from urllib.parse import quote

from kit import i18n
from kit.present import STATUSES, note, status_css, status_text

INDEX_NAME = "index.html"
LOG_NAME = "report.log"
_MONTH_DIR = re.compile(r"^\d{4}-\d{2}$")
_FAILED_DIR = re.compile(r"^(\d{4}-\d{2})\.failed$")

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { padding: .25em .8em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.value, td.previous, td.change, td.target, td.status { white-space: nowrap; }
td.status, td.note, th:nth-last-child(-n+2) { text-align: left; }
td.note { min-width: 14em; }
tr.unknown td.value, tr.nodata td.value, tr.unknown td.note, tr.nodata td.note { color: #8a8a8a; }
.files a { margin-right: .8em; }
"""


def _w(key: str, lang: str) -> str:
    return i18n.t(f"index_{key}", lang)


def _href(*parts: str) -> str:
    return escape("/".join(quote(p) for p in parts), quote=True)


def month_folders(out) -> list[Path]:
    """Complete month folders of ``out`` (``YYYY-MM`` holding a ``kpis.json``), latest first.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> for name in ["2026-09", "2026-10", "2026-11", "2026-11.failed"]:
    ...     (out / name).mkdir()
    >>> for name in ["2026-09", "2026-10", "2026-11.failed"]:
    ...     _ = (out / name / "kpis.json").write_text("{}")
    >>> [p.name for p in month_folders(out)]
    ['2026-10', '2026-09']
    """
    out = Path(out)
    found = [p for p in out.iterdir() if p.is_dir() and _MONTH_DIR.match(p.name)
             and (p / "kpis.json").is_file()] if out.is_dir() else []
    return sorted(found, key=lambda p: p.name, reverse=True)


def _month_section(folder: Path, lang: str) -> str:
    doc = json.loads((folder / "kpis.json").read_text(encoding="utf-8"))
    currency = doc.get("currency") or "EUR"
    team = doc.get("team")
    title = escape(i18n.format_month(doc.get("month", folder.name) + "-01", lang))
    scope = escape(team) if team else _w("all_teams", lang)
    pages = sorted(folder.glob("*.html"))
    links = [f'<a href="{_href(folder.name, p.name)}">{escape(p.stem)}</a>' for p in pages]
    links += [f'<a href="{_href(folder.name, name)}">{escape(name)}</a>'
              for name in ("kpis.csv", "kpis.json", LOG_NAME) if (folder / name).is_file()]
    head = "".join(f"<th>{escape(h)}</th>" for h in (
        i18n.t("kpi", lang), i18n.t("value", lang), i18n.t("previous_month", lang),
        i18n.t("change", lang), i18n.t("target", lang), _w("status", lang), _w("note", lang)))
    rows = []
    for k in doc.get("kpis", []):
        unit = k.get("unit", "count")
        cells = [
            escape(str(k.get("label") or k.get("name", ""))),
            escape(i18n.format_value(k.get("value"), unit, lang, currency=currency)),
            escape(i18n.format_value(k.get("previous"), unit, lang, currency=currency)),
            escape(i18n.format_change(k.get("change"), unit, lang, currency=currency)),
            escape(i18n.format_value(k.get("target"), unit, lang, currency=currency)),
        ]
        status = k.get("status") if k.get("status") in STATUSES else "nodata"
        name = escape(str(k.get("name", "")), quote=True)
        text = k.get("reason") or k.get("note") or ""
        if not text and status == "nodata" and k.get("name"):  # a kpis.json without notes
            text = note({**k, "why": "value" if k.get("value") is None else "previous"},
                        doc.get("month", folder.name), lang)
        tds = (f'<td class="kpi">{cells[0]}</td><td class="value">{cells[1]}</td>'
               f'<td class="previous">{cells[2]}</td><td class="change {status}" data-kpi="{name}" data-status="{status}" '
               f'style="{status_css(status)}">{cells[3]}</td><td class="target">{cells[4]}</td>')
        words = escape(status_text(status, lang, k.get("target_status")))
        rows.append(f'<tr class="{status}">{tds}<td class="status">{words}</td>'
                    f'<td class="note">{escape(text)}</td></tr>')
    return (f'<section id="m-{escape(folder.name)}">\n<h2>{title} — {scope}</h2>\n'
            f'<p class="files">{" ".join(links)}</p>\n'
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
            + "\n</tbody>\n</table>\n</section>")


def index_html(out, lang: str = "en") -> str:
    """The index page of the report folder ``out`` as a string.

    Examples
    --------
    >>> import tempfile
    >>> page = index_html(tempfile.mkdtemp(), "fr")
    >>> "<h1>Rapports commerciaux mensuels</h1>" in page, "Aucun rapport" in page
    (True, True)
    """
    i18n.check_lang(lang)
    out = Path(out)
    sections = [_month_section(f, lang) for f in month_folders(out)]
    failed = sorted((m.group(1), p) for p in (out.iterdir() if out.is_dir() else [])
                    if p.is_dir() and (m := _FAILED_DIR.match(p.name)))
    body = "\n".join(sections) or f"<p>{_w('no_reports', lang)}</p>"
    if failed:
        items = "".join(
            f'<li>{escape(month)}: <a href="{_href(p.name, LOG_NAME)}">{_w("log", lang)}</a></li>'
            for month, p in failed)
        body += f"\n<h2>{_w('failed', lang)}</h2>\n<ul>{items}</ul>"
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_w('title', lang)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{_w('title', lang)}</h1>\n{body}\n</body>\n</html>\n")


def write_index(out, lang: str = "en") -> Path:
    """Write :func:`index_html` to ``out/index.html``; return its path."""
    path = Path(out) / INDEX_NAME
    path.write_text(index_html(out, lang), encoding="utf-8")
    return path
