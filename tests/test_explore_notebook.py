"""notebooks/explore.ipynb on one's own data: a CRM export read with a preset, in French.

The committed run on the sample is checked by nbval and by tests/test_notebooks.py
(signature, build, clean outputs); here the tutorial runs on a HubSpot deals export,
a partial dataset (no leads, no costs), and every step still shows its result.
"""

from __future__ import annotations

import nbformat

from notebooks import _build

HUBSPOT = "../tests/data/exports/hubspot/hubspot-crm-exports-all-deals-2026-03-20.csv"


def test_explore_runs_on_a_hubspot_export_in_french(tmp_path):
    out = _build.execute("explore", {"data": HUBSPOT, "preset": "hubspot", "lang": "fr"},
                         tmp_path / "explore.ipynb")
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "Dataset(opportunities=4, orders=1, customers=1, reps=2" in text
    assert "Data-quality report: " + HUBSPOT in text and "Result: no error." in text
    # the KPI list says what the export lacks, with French labels
    assert "Taux de réussite" in text and "Leads générés" in text
    html = "\n".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "<td>leads</td>" in html  # leads_generated: missing table
    assert "février 2026" in text  # the last complete month of the export (as_of 15 March)
    assert "../reports/explore.xlsx" in text
    code = [c for c in nb.cells if c.cell_type == "code"
            and not {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))]
    assert all(c.get("outputs") for c in code[1:]), "every step shows something"
