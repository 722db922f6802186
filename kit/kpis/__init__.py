"""KPI families. Importing this package registers every KPI in :mod:`kit.registry`."""

from importlib import import_module

FAMILIES = ("revenue", "funnel", "cost", "satisfaction", "products", "activity")
#: Modules of KPIs besides the family modules (``stages``: the stage funnel, family funnel;
#: ``returns``: the return rate, family products).
MODULES = FAMILIES + ("stages", "returns")

for _family in MODULES:
    try:
        import_module(f"kit.kpis.{_family}")
    except ModuleNotFoundError as exc:  # a family not written yet
        if exc.name != f"kit.kpis.{_family}":
            raise
