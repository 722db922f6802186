"""kit: sales-performance KPIs for Jupyter, with their uncertainty.

Examples
--------
>>> import kit
>>> len(kit.catalog()) == len(kit.registry.names())
True
"""

from kit import registry
from kit._version import __version__
from kit.api import catalog, compute
from kit.dataset import Dataset
from kit.errors import DataError, KitError, KitWarning, ParameterError, ReportError, UnknownKPIError
from kit.explain import explain_change
from kit.io.load import load_dataset
from kit.export import to_excel
from kit.loaded import kpis_for


__all__ = [
    "Dataset", "DataError", "KitError", "KitWarning", "ParameterError", "ReportError",
    "UnknownKPIError", "catalog", "compute", "explain_change", "load_dataset", "registry", "__version__",
    "kpis_for", "to_excel",
]
