"""The generated documents stay in sync with the contract and the registry."""

from kit import registry
from kit.contract import CONTRACT, contract_markdown
from kit.docs import END, START, kpi_table_markdown, readme_with_kpi_table
from tests.conftest import ROOT


def test_contract_page_in_sync():
    page = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert page == contract_markdown() + "\n", "run `make docs` (python -m kit.docs)"


def test_contract_page_names_every_column():
    md = contract_markdown()
    for table in CONTRACT.values():
        assert f"## `{table.name}`" in md
        for col in table.columns:
            assert f"| `{col.name}` |" in md


def test_readme_kpi_table_in_sync():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START in readme and END in readme
    assert readme_with_kpi_table(readme) == readme, "run `make docs` (python -m kit.docs)"


def test_kpi_table_lists_every_registered_kpi():
    table = kpi_table_markdown()
    for name in registry.names():
        assert f"| `{name}` |" in table
