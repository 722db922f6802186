"""The KPI functions, one module per family. Importing this package registers every KPI.

The modules are imported in the order of the catalogue (:func:`kit.catalog`, the
KPI lists of the notebooks and widgets): the funnel (:mod:`~kit.kpis.funnel`, then
its durations :mod:`~kit.kpis.funnel_time`); revenue (:mod:`~kit.kpis.revenue`, then
what orders bring :mod:`~kit.kpis.order_value`, the deals still needed
:mod:`~kit.kpis.deals` and the recurring revenue :mod:`~kit.kpis.recurring`); cost
(the acquisition cost :mod:`~kit.kpis.cost`, then the lifetime value
:mod:`~kit.kpis.lifetime`); satisfaction (surveys :mod:`~kit.kpis.satisfaction`,
then customer loyalty :mod:`~kit.kpis.loyalty`); products, activity, the stage
funnel (:mod:`~kit.kpis.stages`, family funnel) and the return rate
(:mod:`~kit.kpis.returns`, family products). Modules whose names start with ``_``
hold the helpers the families share. :mod:`kit.api` imports this package; the
registry itself never does.

Examples
--------
>>> import kit.kpis
>>> kit.kpis.MODULES[:3]
('funnel', 'funnel_time', 'revenue')
>>> kit.kpis.funnel_time.sales_cycle.kpi.family
'funnel'
"""

# catalogue order, not alphabetical: each module registers its KPIs when imported
from kit.kpis import funnel, funnel_time, revenue, order_value, deals, recurring
from kit.kpis import cost, lifetime, satisfaction, loyalty, products, activity, stages, returns

#: The families of the registry (:attr:`kit.registry.KPISpec.family`).
FAMILIES = ("funnel", "revenue", "cost", "satisfaction", "products", "activity")
#: The modules of KPIs, in the order they register.
MODULES = ("funnel", "funnel_time", "revenue", "order_value", "deals", "recurring", "cost", "lifetime",
           "satisfaction", "loyalty", "products", "activity", "stages", "returns")

__all__ = ["FAMILIES", "MODULES", "activity", "cost", "deals", "funnel", "funnel_time", "lifetime",
           "loyalty", "order_value", "products", "recurring", "returns", "revenue", "satisfaction",
           "stages"]
