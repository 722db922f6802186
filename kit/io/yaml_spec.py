"""YAML files that describe data (presets, mappings): read, and their keys checked.

Examples
--------
>>> check_keys({"columns": {}}, ("file", "columns"), "mapping, table 'leads'")
>>> check_keys({"colums": {}}, ("file", "columns"), "mapping, table 'leads'")
Traceback (most recent call last):
...
kit.errors.ParameterError: mapping, table 'leads': unknown key(s) ['colums'] (did you mean 'columns'?); ...
"""

from __future__ import annotations

from pathlib import Path

from kit.errors import DataError, ParameterError, did_you_mean


def read_yaml(path: Path, where: str) -> dict:
    """The content of the YAML file ``path`` (``{}`` when empty); ``where`` names it in errors.

    Raises
    ------
    DataError
        For a file that is not valid YAML.

    Examples
    --------
    >>> import kit
    >>> read_yaml(Path(kit.__file__).parent / "presets" / "hubspot.yaml", "preset file")["name"]
    'HubSpot'
    """
    import yaml

    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"{where} is not valid YAML: {exc}") from None


def check_keys(data, allowed, where: str) -> None:
    """Raise :class:`ParameterError` unless ``data`` is a dict whose keys are all in ``allowed``.

    Examples
    --------
    >>> check_keys([], ("file",), "mapping, table 'leads'")
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: mapping, table 'leads' must be a mapping with the keys file; received list [].
    """
    if not isinstance(data, dict):
        raise ParameterError(f"{where} must be a mapping with the keys {', '.join(allowed)}; "
                             f"received {type(data).__name__} {data!r}.")
    unknown = [k for k in data if k not in allowed]
    if unknown:
        hints = "".join(did_you_mean(str(k), allowed) for k in unknown)
        raise ParameterError(f"{where}: unknown key(s) {unknown}{hints}; allowed keys: "
                             f"{', '.join(allowed)}.")
