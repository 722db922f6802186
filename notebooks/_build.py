"""Generate the notebooks from short cell lists, and execute them in place.

Each notebook is a list of cells: an import cell, the ``parameters`` cell (the
notebook's signature, read by :func:`papermill.inspect_notebook`), then calls into
:mod:`kit.story` that display the results. Static results come first (tables and
figures kept by papermill and the HTML export); the widgets come last.

Usage::

    python -m notebooks._build             # (re)write notebooks/*.ipynb without outputs
    python -m notebooks._build --execute   # ... then run them with papermill, in place
    python -m notebooks._build --execute 01-funnel dashboard   # only these
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

#: The parameters cell of every notebook; one annotated line per parameter.
PARAMETERS = """\
data: str = "../data/sample"  # folder or database URL of the dataset
month: str = ""  # report month YYYY-MM; empty: the last complete month in the data
history: int = 12  # months shown in trends
team: str = ""  # restrict to one team; empty: all teams
lang: str = "en"  # labels and number format: "en" or "fr"
preset: str = ""  # CRM export preset (hubspot, salesforce, pipedrive) or preset file; empty: none
mapping: str = ""  # YAML file renaming columns and mapping values (as kit.load_dataset); empty: none
currency: str = ""  # ISO code of the amounts' currency, e.g. "USD"; empty: EUR
as_of: str = ""  # end of the data YYYY-MM-DD; empty: the latest date of any date column
locale: str = ""  # how to read 1,234 and 03/04/2025: "fr", "en"; empty: decided from the values
"""

IMPORTS = """\
import matplotlib.pyplot as plt

from kit import story"""

OPEN = """\
rep = story.open_report(data, month=month, history=history, team=team, lang=lang, preset=preset,
                        mapping=mapping, currency=currency, as_of=as_of, locale=locale)
rep.intro("{key}")"""

#: Cells whose output holds widgets: their model ids change on every run.
WIDGET_TAGS = ["nbval-ignore-output", "widgets"]

#: Seconds a single cell may run before papermill stops the notebook.
EXECUTION_TIMEOUT = 120


def md(text: str):
    return new_markdown_cell(text)


def code(text: str, tags=()):
    cell = new_code_cell(text)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def widgets(text: str):
    return code(text, WIDGET_TAGS)


#: The tutorial on one's own data: its title and import cell come before the parameters,
#: and it loads the data itself (no OPEN cell). Every step is one or two lines to change.
EXPLORE_START = [
    md("# Explore your data with kit · *Explorer vos données avec kit*\n\n"
       "A tutorial on the sample, or on your own data: set `data` in the parameters cell below "
       "to your folder, file or database URL, then *Run All*. Each step is one or two lines "
       "you can change. Labels and numbers follow `lang` (`\"en\"` or `\"fr\"`).\n\n"
       "*Tutoriel sur l'échantillon ou sur vos données : mettez dans `data` votre dossier, "
       "fichier ou URL de base, puis « Run All ». Chaque étape tient en une ou deux lignes à "
       "modifier ; `lang = \"fr\"` donne les libellés et les nombres en français.*"),
    code("import matplotlib.pyplot as plt\n\n"
         "import kit\n"
         "from kit import plot, widgets\n"
         "from kit.i18n import format_frame, format_month\n"
         "from kit.io.summary import quality_report\n"
         "from kit.scorecard import last_complete_month, month_bounds"),
]

EXPLORE = [
    md("## 1. Load · *Charger*\n\n"
       "A CRM export: `preset = \"hubspot\"` (or `salesforce`, `pipedrive`). Other column names: "
       "add `mapping=\"my-columns.yaml\"` (see `docs/presets.md`). `team` keeps one team.\n\n"
       "*Export de CRM : `preset = \"hubspot\"`. Autres noms de colonnes : `mapping=\"mes-colonnes.yaml\"`.*"),
    code('ds = kit.load_dataset(data, preset=preset or None)  # mapping="my-columns.yaml" for your own columns\n'
         "ds = ds.filter(team=team) if team else ds\n"
         "ds"),
    md("## 2. Check · *Contrôler*\n\n"
       "What `kit check` prints: rows read, kept and set aside, the period covered, every problem "
       "found. Rows set aside are in `ds.rejected`, problems in `ds.issues`.\n\n"
       "*Ce qu'affiche `kit check` : lignes lues, gardées, écartées, période couverte, problèmes.*"),
    code("print(quality_report(ds))"),
    md("## 3. What can be computed · *Ce qui peut être calculé*\n\n"
       "Each KPI needs some tables; `missing` names those your data lacks.\n\n"
       "*Chaque indicateur a besoin de tables ; `missing` nomme celles qui manquent.*"),
    code('kpis = kit.kpis_for(ds, lang=lang)\n'
         'kpis[["name", "label", "tables", "available", "missing"]]'),
    md("## 4. Compute · *Calculer*\n\n"
       "`by` breaks a KPI down (a column or a list), `freq` gives one row per period "
       "(`\"W\"`, `\"M\"`, `\"Q\"`, `\"Y\"`). Each rate has its numerator, denominator and 95 % "
       "interval; `low_sample` flags small samples.\n\n"
       "*`by` ventile, `freq` donne une ligne par période ; chaque taux a son intervalle à 95 %.*"),
    code('win_rate = kit.compute(ds, "win_rate", freq="Q")  # add by="team" for one row per team and quarter\n'
         "win_rate.tail(6)"),
    code('revenue = kit.compute(ds, "revenue", freq="M")\n'
         'format_frame(revenue.tail(history), "revenue", lang, currency=ds.currency)  # for reading'),
    md("## 5. Plot · *Tracer*"),
    code('plot.plot_kpi(win_rate, name="win_rate", lang=lang)  # with by="team": hue="team"\n'
         "plt.show()"),
    code('plot.plot_trend(revenue.tail(history), name="revenue", lang=lang, currency=ds.currency)\n'
         "plt.show()"),
    md("## 6. Filter · *Filtrer*\n\n"
       "`ds.filter(start=..., end=..., team=...)` keeps a period (end excluded) and column values; "
       "each table keeps its rows by its own date (orders by `ordered_at`, opportunities by "
       "`created_at`). For a KPI dated otherwise (the win rate counts deals when they close), "
       "pass `start=` and `end=` to `kit.compute` instead. Here: the month studied (`month`, or "
       "the last complete month), revenue by rep.\n\n"
       "*`ds.filter` garde une période (fin exclue) et des valeurs de colonnes, chaque table selon "
       "sa propre date.*"),
    code("start, end = month_bounds(month or last_complete_month(ds))  # or month_bounds(\"2026-06\")\n"
         "print(format_month(start, lang))"),
    code("in_month = ds.filter(start=start, end=end)  # add team=\"Nord\" to keep one team\n"
         'by_rep = kit.compute(in_month, "revenue", by="rep_id")\n'
         'plot.plot_bars(by_rep, x="rep_id", name="revenue", lang=lang, currency=ds.currency, orient="h")\n'
         "plt.show()"),
    md("## 7. Take away · *Emporter*\n\n"
       "One sheet per KPI, headers in `lang`, numbers kept as numbers (percentages, amounts).\n\n"
       "*Une feuille par indicateur, en-têtes dans la langue choisie, nombres gardés.*"),
    code('xlsx = kit.to_excel({"win_rate": win_rate, "revenue": revenue}, "../reports/explore.xlsx",\n'
         "                     lang=lang, currency=ds.currency)\n"
         "print(xlsx)"),
    md("## 8. Explore · *Explorer*\n\n"
       "Pick a KPI, a breakdown and a frequency; the filter bar restricts the period, team, rep "
       "and source (in JupyterLab, with a running kernel).\n\n"
       "*Choisissez un indicateur, une ventilation et une fréquence.*"),
    widgets("widgets.kpi_explorer(ds, lang=lang)"),
]

#: Notebooks with their own title and import cell, which load the data themselves.
OWN_START = {"explore": EXPLORE_START}

NOTEBOOKS: dict[str, list] = {
    "00-scorecard": [
        code("rep.scorecard()"),
        code('rep.trend("revenue")'),
        code("rep.warnings()"),
        widgets("rep.explorer()"),
    ],
    "01-funnel": [
        code('rep.headline(["leads_generated", "win_rate", "offer_loss_rate",\n'
             '              "never_engaged_rate", "sales_cycle", "call_to_meeting_rate"])'),
        code("rep.funnel()"),
        code('rep.trend("lead_conversion_rate", within=90)  # complete cohorts only'),
        code('rep.breakdown("lead_conversion_rate", by="source", window="history", within=90)'),
        code("rep.time_to_convert()"),
        code('rep.trend("never_engaged_rate")'),
        code('rep.trend("offer_loss_rate")'),
        code('rep.breakdown("win_rate", by="rep_id", window="history")'),
        code('rep.breakdown("win_rate", by="method", window="history")'),
        code('rep.why("win_rate", by="method")'),
        code('rep.trend("sales_cycle")'),
        code('rep.trend("call_to_meeting_rate")'),
        code('rep.breakdown("call_to_meeting_rate", by="rep_id", window="history")'),
        code("rep.warnings()"),
        widgets('rep.explorer(["lead_conversion_rate", "win_rate", "offer_loss_rate", "sales_cycle",\n'
                '              "call_to_meeting_rate", "never_engaged_rate"])'),
    ],
    "02-costs": [
        code('rep.headline(["cac", "ltv", "ltv_cac_ratio", "cac_payback_months", "gross_margin"])'),
        code('rep.trend("cac")'),
        code('rep.matrix("cac", by="source")'),
        code('rep.cohorts("ltv")'),
        code('rep.breakdown("ltv_cac_ratio", by="source", window="all")'),
        code('rep.breakdown("cac_payback_months", by="source", window="all")'),
        code('rep.trend("gross_margin")'),
        code('rep.trend("gross_margin", column="margin_rate")'),
        code("rep.warnings()"),
        widgets('rep.explorer(["cac", "gross_margin", "ltv"])'),
    ],
    "03-satisfaction": [
        code('rep.headline(["csat", "nps", "repeat_purchase_rate", "referral_rate",\n'
             '              "returning_customer_rate"])'),
        code('rep.trend("csat")'),
        code('rep.trend("nps")'),
        code('rep.cohorts("repeat_purchase_rate")'),
        code('rep.cohorts("referral_rate")'),
        code('rep.breakdown("returning_customer_rate", by="source", window="all")'),
        code("rep.satisfaction_vs_repeat()"),
        code("rep.warnings()"),
        widgets('rep.explorer(["csat", "nps", "repeat_purchase_rate", "referral_rate"])'),
    ],
    "04-team": [
        code('rep.headline(["revenue", "revenue_vs_target", "deals_needed", "conversations",\n'
             '              "conversations_to_close"])'),
        code('rep.breakdown("revenue_vs_target", by="rep_id")'),
        code('rep.table("deals_needed", by="rep_id")'),
        code('rep.matrix("conversations", by="rep_id", columns="type")'),
        code('rep.table("activity_profile", by="rep_id", window="history")'),
        code('rep.trend("conversations_to_close")'),
        code('rep.table("email_call_balance", by="rep_id", window="history")'),
        code("rep.warnings()"),
        widgets('rep.explorer(["revenue", "revenue_vs_target", "conversations", "win_rate"])'),
    ],
    "05-products": [
        code('rep.headline(["revenue", "average_basket", "average_won_deal"])'),
        code('rep.why("revenue", by="product_category")'),
        code('rep.breakdown("revenue_share", by="product_category", window="history")'),
        code('rep.breakdown("revenue_share", by="product_id", window="history")'),
        code("rep.product_timeline()"),
        code('rep.trend("average_basket")'),
        code('rep.breakdown("average_basket", by="product_category")'),
        code('rep.returns(by="product_category")'),
        code("rep.warnings()"),
        widgets('rep.explorer(["revenue", "revenue_share", "average_basket", "return_rate"])'),
    ],
    "06-prospecting": [
        code('rep.headline(["leads_generated", "email_response_rate", "social_engagement_rate",\n'
             '              "prospect_calls", "prospecting_emails"])'),
        code('rep.trend("leads_generated")'),
        code('rep.breakdown("leads_generated", by="source")'),
        code('rep.trend("email_response_rate")'),
        code('rep.breakdown("email_response_rate", by="rep_id", window="history")'),
        code('rep.trend("social_engagement_rate")'),
        code('rep.breakdown("social_engagement_rate", by="network", window="history")'),
        code('rep.trend("prospect_calls")'),
        code('rep.breakdown("prospect_calls", by="rep_id")'),
        code("rep.warnings()"),
        widgets('rep.explorer(["leads_generated", "email_response_rate", "social_engagement_rate",\n'
                '              "prospect_calls"])'),
    ],
    "07-data-quality": [
        code("rep.quality()"),
        code("rep.rejected()"),
    ],
    "dashboard": [
        # the static results are for papermill and the HTML export; in Voilà the
        # dashboard below shows the same, and skipping them halves the page's wait
        code("if not story.in_voila():\n    rep.scorecard()"),
        code("if not story.in_voila():\n    rep.dashboard_figures()"),
        widgets("rep.dashboard()"),
    ],
    "explore": EXPLORE,
}


def build(key: str) -> nbformat.NotebookNode:
    """The notebook ``key`` as an nbformat node (no outputs)."""
    own = key in OWN_START
    cells = [
        *(OWN_START[key] if own else [code(IMPORTS)]),
        code(PARAMETERS.strip(), ["parameters"]),
        *([] if own else [code(OPEN.format(key=key))]),
        *NOTEBOOKS[key],
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def path_of(key: str) -> Path:
    return HERE / f"{key}.ipynb"


def write(keys) -> list[Path]:
    """Write the notebooks ``keys`` (without outputs); return their paths."""
    paths = []
    for key in keys:
        nb = build(key)
        # stable cell ids, so that a rebuild only shows real changes in a diff
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{key.replace('-', '')}-{i:02d}"
        nbformat.write(nb, path_of(key))
        paths.append(path_of(key))
    return paths


def execute(key: str, parameters: dict | None = None, output: Path | None = None) -> Path:
    """Run notebook ``key`` with papermill; in place unless ``output`` is given."""
    import papermill as pm

    src = path_of(key)
    out = output or src
    pm.execute_notebook(
        str(src), str(out), parameters=parameters or {}, cwd=str(HERE),
        progress_bar=False, execution_timeout=EXECUTION_TIMEOUT, kernel_name="python3",
    )
    if output is None:
        _strip_run_metadata(out)
    return out


def _strip_run_metadata(path: Path) -> None:
    """Drop papermill's timings so that re-executing an unchanged notebook gives no diff."""
    nb = nbformat.read(path, as_version=4)
    pm_meta = nb.metadata.get("papermill", {})
    for k in ("start_time", "end_time", "duration", "input_path", "output_path"):
        pm_meta.pop(k, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.get("papermill", {}).clear()
        cell.metadata.pop("papermill", None)
    nbformat.write(nb, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m notebooks._build", description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="*", help=f"notebooks to build (default: all of {list(NOTEBOOKS)})")
    parser.add_argument("--execute", action="store_true", help="run them in place with papermill")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed in parallel")
    args = parser.parse_args(argv)
    unknown = [k for k in args.keys if k not in NOTEBOOKS]
    if unknown:
        parser.error(f"unknown notebook(s) {unknown}; known: {list(NOTEBOOKS)}")
    keys = args.keys or list(NOTEBOOKS)
    for p in write(keys):
        print(f"wrote {p.relative_to(HERE.parent)}")
    failed = []
    if args.execute:
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {key: pool.submit(execute, key) for key in keys}
            for key, future in futures.items():
                try:
                    p = future.result()
                except Exception as exc:  # report every failing notebook, not only the first
                    failed.append(key)
                    print(f"FAILED {key}: {type(exc).__name__}: {exc}", file=sys.stderr)
                else:
                    print(f"executed {p.relative_to(HERE.parent)}")
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
