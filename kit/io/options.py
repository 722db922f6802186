"""The load options a user gives to every command, and the one path to :func:`kit.load_dataset`.

``kit check``, ``kit report``, the notebooks (their parameters cell) and the
dashboard all take the same options: ``preset``, ``mapping`` (the YAML file of
:mod:`kit.io.mapping`), ``currency``, ``as_of`` and ``locale``. They reach
:func:`kit.load_dataset` through :func:`load`, where an empty value (a notebook
parameter left ``""``, an option not given) means "use the default of
``load_dataset``". ``kit report`` loads once in its own process and its notebooks
read that load back from the load cache (:mod:`kit.io.cache`), whose key holds
every option but ``as_of`` (applied after the cache, see :mod:`kit.io.asof`).

Examples
--------
>>> load_options(preset="", mapping="map.yaml", currency="usd", as_of=None, locale="")
{'mapping': 'map.yaml', 'currency': 'USD'}
>>> import pandas as pd
>>> ds = load({"leads": pd.DataFrame({"lead_id": ["L1"], "created_at": ["2026-01-05"]})},
...           currency="USD", as_of="", locale="en")
>>> ds.currency, str(ds.as_of)
('USD', '2026-01-05 00:00:00')
"""

from __future__ import annotations

import os
from pathlib import Path

from kit.errors import ParameterError
from kit.io import load as loader

#: The options of :func:`kit.load_dataset` every command passes on.
LOAD_OPTIONS = ("preset", "mapping", "currency", "as_of", "locale")

#: Help of each option, for the command line and the notebooks' parameters cell.
HELP = {
    "preset": "CRM export preset (hubspot, salesforce, pipedrive) or preset file",
    "mapping": "YAML file renaming columns and mapping values (as kit.load_dataset's mapping)",
    "currency": "ISO code of the amounts' currency, e.g. EUR or USD (default EUR)",
    "as_of": "end of the data, e.g. 2026-10-31 (default: the latest date of any date column)",
    "locale": "how to read 1,234 and 03/04/2025: fr, en or auto (default auto)",
}


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def load_options(**given) -> dict:
    """The options of :data:`LOAD_OPTIONS` that were given (empty ones dropped).

    ``currency`` is upper-cased. Other keywords (``backend=``, ``strict=``...) pass
    through unchanged.

    Raises
    ------
    ParameterError
        For an option of :data:`LOAD_OPTIONS` given something else than a string,
        a path or (``as_of``) a date.

    Examples
    --------
    >>> load_options(as_of="2026-10-31", backend="polars")
    {'as_of': '2026-10-31', 'backend': 'polars'}
    >>> load_options(mapping=3)
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: mapping=3 is not allowed: ...
    """
    out = {}
    for name, value in given.items():
        if name in LOAD_OPTIONS and _empty(value):
            continue
        if name in ("preset", "currency", "locale") and not isinstance(value, (str, os.PathLike)):
            raise ParameterError(f"{name}={value!r} is not allowed: give a string "
                                 f"({HELP[name]}), or leave it empty.")
        if name == "mapping" and not isinstance(value, (str, os.PathLike, dict)):
            raise ParameterError(f"mapping={value!r} is not allowed: give the path of a YAML "
                                 "mapping file or a dict (see docs/presets.md), or leave it empty.")
        out[name] = value.strip().upper() if name == "currency" else value
    return out


def absolute_paths(options: dict, base=None) -> dict:
    """``options`` with a relative ``mapping`` or preset file made absolute (from ``base``).

    Notebooks run in their own folder: ``kit report`` passes them absolute paths.

    Examples
    --------
    >>> absolute_paths({"mapping": "m.yaml", "preset": "hubspot"}, base="/data")
    {'mapping': '/data/m.yaml', 'preset': 'hubspot'}
    """
    base = Path(base) if base is not None else Path.cwd()
    out = dict(options)
    for name in ("mapping", "preset"):
        value = out.get(name)
        if not isinstance(value, (str, os.PathLike)) or _empty(str(value)):
            continue
        path = Path(value).expanduser()
        is_file = name == "mapping" or path.suffix in (".yaml", ".yml") or len(path.parts) > 1
        if is_file and not path.is_absolute():
            out[name] = str((base / path).resolve())
    return out


def add_arguments(parser) -> None:
    """Add ``--preset``, ``--mapping``, ``--currency``, ``--as-of``, ``--locale`` to an
    :mod:`argparse` parser (``kit check`` and ``kit report`` take them).

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_arguments(p)
    >>> from_args(p.parse_args(["--mapping", "m.yaml", "--as-of", "2026-10-31"]))
    {'preset': None, 'mapping': 'm.yaml', 'currency': None, 'as_of': '2026-10-31', 'locale': None}
    """
    parser.add_argument("--preset", metavar="NAME", help=HELP["preset"])
    parser.add_argument("--mapping", metavar="FILE", help=HELP["mapping"])
    parser.add_argument("--currency", metavar="CODE", help=HELP["currency"])
    parser.add_argument("--as-of", dest="as_of", metavar="DATE", help=HELP["as_of"])
    parser.add_argument("--locale", choices=["auto", "fr", "en"], help=HELP["locale"])


def from_args(args) -> dict:
    """The load options of parsed ``args`` (those :func:`add_arguments` added), by name."""
    return {name: getattr(args, name, None) for name in LOAD_OPTIONS}


def load(source, **options):
    """:func:`kit.load_dataset` of ``source`` with the options given (empty ones dropped).

    The one path by which ``kit check``, ``kit report``, the notebooks and the
    dashboard load data; see the module's example.
    """
    return loader.load_dataset(source, **load_options(**options))
