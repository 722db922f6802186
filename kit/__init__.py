"""kit: sales-performance KPIs for Jupyter, with their uncertainty.

Examples
--------
>>> import kit
>>> len(kit.catalog()) == len(kit.registry.names())
True
"""

from kit import registry
from kit.api import catalog, compute
from kit.dataset import Dataset
from kit.errors import DataError, KitError, KitWarning, ParameterError, ReportError, UnknownKPIError
from kit.explain import explain_change
from kit.export import to_excel
from kit.loaded import kpis_for

__version__ = "0.1.0"


def load_dataset(source, **kwargs):
    """Load a dataset; see :func:`kit.io.load.load_dataset` for the parameters."""
    from kit.io.load import load_dataset as _load

    return _load(source, **kwargs)


__all__ = [
    "Dataset", "DataError", "KitError", "KitWarning", "ParameterError", "ReportError",
    "UnknownKPIError", "catalog", "compute", "explain_change", "load_dataset", "registry", "__version__",
    "kpis_for", "to_excel",
]
