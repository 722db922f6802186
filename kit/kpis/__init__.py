"""The KPI functions, one module per family. Importing this package registers every KPI.

The modules are imported in the order of the catalogue (:func:`kit.catalog`, the
KPI lists of the notebooks and widgets): the funnel (:mod:`~kit.kpis.funnel`, then
its durations :mod:`~kit.kpis.funnel_time`), revenue, cost, satisfaction, products,
activity, the stage funnel (:mod:`~kit.kpis.stages`, family funnel) and the return
rate (:mod:`~kit.kpis.returns`, family products). :mod:`kit.api` imports this
package; the registry itself never does.

Examples
--------
>>> import kit.kpis
>>> kit.kpis.MODULES[:3]
('funnel', 'funnel_time', 'revenue')
>>> kit.kpis.funnel_time.sales_cycle.kpi.family
'funnel'
"""

# catalogue order, not alphabetical: each module registers its KPIs when imported
from kit.kpis import funnel, funnel_time, revenue
from kit.kpis import cost, satisfaction, products, activity, stages, returns

#: The families of the registry (:attr:`kit.registry.KPISpec.family`).
FAMILIES = ("funnel", "revenue", "cost", "satisfaction", "products", "activity")
#: The modules of KPIs, in the order they register.
MODULES = ("funnel", "funnel_time", "revenue", "cost", "satisfaction", "products", "activity",
           "stages", "returns")

__all__ = ["FAMILIES", "MODULES", "activity", "cost", "funnel", "funnel_time", "products",
           "returns", "revenue", "satisfaction", "stages"]
