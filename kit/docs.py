"""Generated documentation: the data contract page and the README's KPI table.

``python -m kit.docs`` rewrites ``docs/data-contract.md`` and the part of
``README.md`` between the ``<!-- kpi-table -->`` markers; ``tests/test_docs.py``
fails when either is out of date.

Examples
--------
>>> table = kpi_table_markdown()
>>> table.splitlines()[0]
'| KPI | family | label (fr) | unit | direction | definition |'
"""

from __future__ import annotations

import re
from pathlib import Path

from kit import registry
from kit.contract import contract_markdown

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- kpi-table:start -->", "<!-- kpi-table:end -->"
_ARROW = {"higher": "↑ higher is better", "lower": "↓ lower is better", "neutral": "neutral"}


def kpi_table_markdown() -> str:
    """The registry as a Markdown table (one row per KPI)."""
    rows = ["| KPI | family | label (fr) | unit | direction | definition |", "|---|---|---|---|---|---|"]
    for s in sorted(registry.specs(), key=lambda s: (s.family, s.name)):
        rows.append(f"| `{s.name}` | {s.family} | {s.label['fr']} | {s.unit} | "
                    f"{_ARROW[s.direction]} | {s.definition['en']} |")
    return "\n".join(rows)


def readme_with_kpi_table(text: str) -> str:
    """Return README text with the KPI table between the markers replaced."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: f"{START}\n{kpi_table_markdown()}\n{END}", text)


def write(root: Path = ROOT) -> list[Path]:
    """Rewrite the generated documents under ``root``; return the paths written."""
    contract = root / "docs" / "data-contract.md"
    contract.parent.mkdir(exist_ok=True)
    contract.write_text(contract_markdown() + "\n", encoding="utf-8")
    readme = root / "README.md"
    readme.write_text(readme_with_kpi_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    return [contract, readme]


if __name__ == "__main__":  # pragma: no cover
    for p in write():
        print(f"wrote {p}")
