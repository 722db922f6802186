"""The KPI registry: every KPI function with its metadata.

A KPI is registered with the :func:`kpi` decorator in its family module under
``kit/kpis/``. The registry drives :func:`kit.compute`, :func:`kit.catalog`, the
README table, the notebooks and the parametrised cross-engine tests.

Examples
--------
>>> import kit
>>> spec = kit.registry.get("win_rate")
>>> spec.unit, spec.direction, spec.tables
('ratio', 'higher', ('opportunities',))
>>> spec.label["fr"]
'Taux de réussite'
>>> spec.needs
{'opportunities': ('status', 'closed_at')}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kit.errors import ParameterError, UnknownKPIError, did_you_mean

UNITS = ("count", "currency", "ratio", "multiple", "days", "months", "score")
DIRECTIONS = ("higher", "lower", "neutral")
LANGS = ("en", "fr")


@dataclass(frozen=True)
class KPISpec:
    """Metadata of one KPI.

    Attributes
    ----------
    name : str
        Registry name, e.g. ``"win_rate"``.
    family : str
        Module family: revenue, funnel, cost, satisfaction, products, activity.
    label, definition : dict
        ``{"en": ..., "fr": ...}``: short label and one-sentence definition.
    unit : str
        One of :data:`UNITS`: ``ratio`` is a share shown as a percentage,
        ``multiple`` a quotient shown as ``4.2×`` (LTV/CAC, emails per call).
    direction : str
        ``"higher"`` (higher is better), ``"lower"`` or ``"neutral"``.
    tables : tuple of str
        Tables the function takes, in the order of its positional arguments;
        ``optional_tables`` are passed when the dataset has them.
    needs : dict
        ``{table: (column, ...)}``: the columns the function reads from each table
        (a table of ``tables`` not listed needs only the contract's required
        columns). :func:`kit.availability.availability` decides from ``tables`` and
        ``needs`` whether the KPI can be computed on a dataset.
    date : str
        The date the KPI attributes each event to (``"orders.ordered_at"``).
    func : callable
        The pure function.
    headline : bool
        Whether the KPI belongs in the monthly scorecard.
    """

    name: str
    family: str
    label: dict
    definition: dict
    unit: str
    direction: str
    tables: tuple
    date: str
    func: Callable = field(repr=False, compare=False)
    optional_tables: tuple = ()
    headline: bool = False
    seeds: tuple = ()
    needs: dict = field(default_factory=dict)

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)


_REGISTRY: dict[str, KPISpec] = {}


def kpi(*, name, family, label, definition, unit, direction, tables, date,
        optional_tables=(), headline=False, seeds=(), needs=None):
    """Decorator registering a KPI function with its metadata.

    Examples
    --------
    >>> from kit.registry import kpi, unregister
    >>> @kpi(name="demo_count", family="demo", label={"en": "Demo", "fr": "Démo"},
    ...      definition={"en": "Rows.", "fr": "Lignes."}, unit="count",
    ...      direction="neutral", tables=("leads",), date="leads.created_at",
    ...      needs={"leads": ("created_at",)})
    ... def demo_count(leads):
    ...     return len(leads)
    >>> demo_count.kpi.name
    'demo_count'
    >>> unregister("demo_count")
    """
    if unit not in UNITS:
        raise ParameterError(f"unit={unit!r} for KPI {name!r} is not one of {UNITS}.")
    if direction not in DIRECTIONS:
        raise ParameterError(f"direction={direction!r} for KPI {name!r} is not one of {DIRECTIONS}.")
    for d in (label, definition):
        missing = [lang for lang in LANGS if not d.get(lang)]
        if missing:
            raise ParameterError(f"KPI {name!r} lacks its label/definition in {missing}.")
    needs = {t: tuple(cols) for t, cols in (needs or {}).items()}
    stray = [t for t in needs if t not in (*tables, *optional_tables)]
    if stray:
        raise ParameterError(
            f"needs= of KPI {name!r} names table(s) {stray} that are not in tables={tuple(tables)} "
            f"or optional_tables={tuple(optional_tables)}. Add them there, or remove them from needs."
        )

    def wrap(func):
        spec = KPISpec(name=name, family=family, label=dict(label), definition=dict(definition),
                       unit=unit, direction=direction, tables=tuple(tables), date=date,
                       func=func, optional_tables=tuple(optional_tables), headline=headline,
                       seeds=tuple(seeds), needs=needs)
        _REGISTRY[name] = spec
        func.kpi = spec
        return func

    return wrap


def unregister(name: str) -> None:
    """Remove a KPI from the registry (used by tests and examples)."""
    _REGISTRY.pop(name, None)


def names() -> list[str]:
    """Names of all registered KPIs, in registration order."""
    _load_all()
    return list(_REGISTRY)


def get(name: str) -> KPISpec:
    """Return the :class:`KPISpec` called ``name``.

    Raises
    ------
    UnknownKPIError
        With the list of known names and a close match.
    """
    _load_all()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = sorted(_REGISTRY)
        raise UnknownKPIError(
            f"Unknown KPI {name!r}{did_you_mean(name, known)}. Known KPIs: {', '.join(known)}. "
            "See kit.catalog() for their definitions."
        ) from None


def specs() -> list[KPISpec]:
    """All registered KPI specs."""
    _load_all()
    return list(_REGISTRY.values())


def _load_all() -> None:
    # Importing the families registers their KPIs.
    import kit.kpis  # noqa: F401
