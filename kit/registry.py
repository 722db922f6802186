"""The KPI registry: every KPI function with its metadata.

A KPI is registered with the :func:`kpi` decorator in its family module under
``kit/kpis/``; :mod:`kit.api` imports :mod:`kit.kpis`, so ``import kit`` registers
them all (the registry, below the KPIs, never imports them). The registry drives :func:`kit.compute`, :func:`kit.catalog`, the
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
>>> sorted(spec.options)
['by', 'end', 'freq', 'start']
>>> kit.registry.get("revenue").target, kit.registry.get("revenue_vs_target").target
(('revenue_vs_target', 'denominator'), 1.0)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from kit.errors import ParameterError, UnknownKPIError, did_you_mean

UNITS = ("count", "currency", "ratio", "multiple", "days", "months", "score")
DIRECTIONS = ("higher", "lower", "neutral")
#: The languages of every label and word of the kit (checked by :func:`kit.i18n.check_lang`).
LANGS = ("en", "fr")
#: How a KPI gives the one number of a month (see :attr:`KPISpec.headline_form`).
HEADLINE_FORMS = ("month", "cohorts", "monthly", "all")
#: Units a column of a KPI result may take in :attr:`KPISpec.columns`, beyond :data:`UNITS`.
COLUMN_UNITS = UNITS + ("number", "pvalue", "text", "month")


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
    seeds : tuple of str
        Where the KPI comes from: the numbers (``"000"`` to ``"004"``) of the French
        articles on sales performance indicators ("indicateurs de performance
        commerciale") the kit was specified from, kept with the project's design
        notes outside this repository (``seeds/000_*.txt``...). Empty for a KPI the
        kit adds on its own (``pipeline_velocity``, ``cac_payback_months``,
        ``stage_funnel``). Metadata only: nothing computes with it (the sample's
        random seed is another thing: ``python -m kit.sample --seed``).
    options : tuple of str
        The keyword-only options the function takes (``by``, ``freq``, ``start``,
        ``end``, ``as_of`` and its own), read from the function once, when it is
        registered: surfaces ask the spec, never the function.
    columns : dict
        ``{column: (unit, label)}`` for the columns of the result whose unit is not
        the KPI's (e.g. the numerator of ``revenue_vs_target`` is money): ``unit``
        one of :data:`COLUMN_UNITS`, ``label`` a word of the sections, a UI word or
        a KPI name. Every surface formats these columns this way.
    dropped : tuple of str
        Columns of the result that tables leave out (repeated or internal).
    target : None, float or (str, str)
        What the KPI is compared with besides the previous month: a fixed value
        (``1.0``: 100 % of the target) or ``(kpi, column)``, the column of another
        (or the same) KPI's monthly result holding the month's target.
    headline_form : str
        How the month's one number is computed, one of :data:`HEADLINE_FORMS`:
        ``"month"`` the events of the month (``start``/``end``), ``"cohorts"``
        every cohort known at the end of the month, censored at that date,
        ``"monthly"`` the month's row of a ``freq="M"`` result, ``"all"`` all the
        data known at the end of the month (for ``cohorts`` and ``all``, a result
        with one row a period, such as a yearly rate, gives its latest period with
        a value). Left empty, it follows the options:
        ``cohorts`` when the KPI takes ``as_of`` and ``end``, else ``month`` when it
        takes ``start`` and ``end``, else ``monthly`` when it takes ``freq``.
    noun : dict, optional
        ``{"en": (one, many), "fr": (one, many)}``: what the KPI counts, for notes
        such as "3 leads; 158 too recent" and "no NPS answer in October 2026";
        empty: the noun of the table of :attr:`date`.
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
    options: tuple = ()
    columns: dict = field(default_factory=dict, compare=False)
    dropped: tuple = ()
    target: object = None
    headline_form: str = ""
    noun: dict = field(default_factory=dict, compare=False)

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)


_REGISTRY: dict[str, KPISpec] = {}


def kpi(*, name, family, label, definition, unit, direction, tables, date,
        optional_tables=(), headline=False, seeds=(), needs=None, columns=None, dropped=(),
        target=None, headline_form="", noun=None):
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
    >>> demo_count.kpi.name, demo_count.kpi.options, demo_count.kpi.headline_form
    ('demo_count', (), 'all')
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

    columns = dict(columns or {})
    bad = {c: u for c, (u, _label) in columns.items() if u not in COLUMN_UNITS}
    if bad:
        raise ParameterError(f"columns of KPI {name!r}: units {bad} are not among {COLUMN_UNITS}.")
    if target is not None and not (isinstance(target, float) or (
            isinstance(target, tuple) and len(target) == 2 and all(isinstance(x, str) for x in target))):
        raise ParameterError(
            f"target={target!r} for KPI {name!r} is neither a number nor (kpi, column). Pass "
            "target=1.0 for a fixed line, or target=('revenue_vs_target', 'denominator').")
    if headline_form and headline_form not in HEADLINE_FORMS:
        raise ParameterError(
            f"headline_form={headline_form!r} for KPI {name!r} is not one of {HEADLINE_FORMS}.")

    def wrap(func):
        params = inspect.signature(func).parameters
        options = tuple(p for p, v in params.items() if v.kind == inspect.Parameter.KEYWORD_ONLY)
        spec = KPISpec(name=name, family=family, label=dict(label), definition=dict(definition),
                       unit=unit, direction=direction, tables=tuple(tables), date=date,
                       func=func, optional_tables=tuple(optional_tables), headline=headline,
                       seeds=tuple(seeds), needs=needs, options=options, columns=columns,
                       dropped=tuple(dropped), target=target,
                       headline_form=headline_form or _form(options), noun=dict(noun or {}))
        _REGISTRY[name] = spec
        func.kpi = spec
        return func

    return wrap


def _form(options) -> str:
    """The headline form a KPI's options imply (see :attr:`KPISpec.headline_form`)."""
    if {"as_of", "end"} <= set(options):
        return "cohorts"
    if {"start", "end"} <= set(options):
        return "month"
    return "monthly" if "freq" in options else "all"


def unregister(name: str) -> None:
    """Remove a KPI from the registry (used by tests and examples)."""
    _REGISTRY.pop(name, None)


def names() -> list[str]:
    """Names of all registered KPIs, in registration order."""
    return list(_REGISTRY)


def get(name: str) -> KPISpec:
    """Return the :class:`KPISpec` called ``name``.

    Raises
    ------
    UnknownKPIError
        With the list of known names and a close match.
    """
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
    return list(_REGISTRY.values())
