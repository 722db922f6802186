"""Preset files: the YAML description of a CRM's exports, read and checked.

A preset (``kit/presets/<name>.yaml``, or any path given as ``preset=``) says which
export file is which table of the contract (``match``), which header holds each
contract column (``columns``), how the deal status is decided (``status``) and how
raw values map to the contract's (``values``); see :mod:`kit.io.presets` for what
the loader does with it.

Examples
--------
>>> p = load_preset("hubspot")
>>> p.name, matches(p.tables["opportunities"], ["Deal Stage", "Record ID"])
('HubSpot', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kit.contract import CONTRACT, TABLE_NAMES
from kit.errors import DataError, ParameterError, did_you_mean
from kit.io.headers import find_header
from kit.io.stages import STATUS_KEYS
from kit.io.yaml_spec import check_keys, read_yaml

TOP_KEYS = ("name", "description", "reps_from_owners", "tables")
TABLE_KEYS = ("match", "columns", "values", "status", "open_clears", "drop_unchanged", "by_name",
              "currency", "closed_times")
CURRENCY_KEYS = ("column", "converted", "converted_column")
TIME_KEYS = ("won", "lost", "closed")

#: The presets shipped with the kit (``kit/presets/<name>.yaml``).
PRESET_DIR = Path(__file__).resolve().parents[1] / "presets"


@dataclass
class Preset:
    """A preset as read from its YAML file."""

    name: str
    path: Path
    tables: dict
    reps_from_owners: bool = False



def load_preset(preset) -> Preset:
    """Read a preset given by name (``"hubspot"``) or as the path of a YAML file.

    Raises
    ------
    DataError
        For an unknown preset name or a missing file, listing the presets shipped.
    ParameterError
        For a preset file with unknown keys or a wrong layout.

    Examples
    --------
    >>> p = load_preset("salesforce")
    >>> p.name, sorted(p.tables)
    ('Salesforce', ['opportunities', 'stage_history'])
    """
    text = str(preset)
    path = Path(text)
    if not (text.endswith((".yaml", ".yml")) or path.is_file()):
        path = PRESET_DIR / f"{text}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))
        raise DataError(f"Unknown preset {text!r}{did_you_mean(text, known)}; available presets: "
                        f"{', '.join(known) or 'none'}. Pass one of them as preset=, the path of "
                        "your own preset file (a copy of kit/presets/<name>.yaml), or describe "
                        "the export with mapping=.")
    where = f"preset file {str(path)!r}"
    data = read_yaml(path, where)
    check_keys(data, TOP_KEYS, where)
    tables = data.get("tables") or {}
    if not isinstance(tables, dict) or not tables:
        raise ParameterError(f"{where}: 'tables' must map table names to their description; "
                             f"received {tables!r}. See kit/presets/hubspot.yaml.")
    out = {}
    for table, spec in tables.items():
        if table not in CONTRACT:
            raise ParameterError(f"{where}: {table!r} is not a table of the contract"
                                 f"{did_you_mean(str(table), TABLE_NAMES)}; known tables: "
                                 f"{', '.join(TABLE_NAMES)}.")
        out[table] = _table_spec(spec or {}, f"{where}, table {table!r}", CONTRACT[table])
    return Preset(str(data.get("name") or path.stem), path, out,
                  bool(data.get("reps_from_owners", False)))


def _as_list(v) -> list:
    return [] if v is None else [str(x) for x in v] if isinstance(v, (list, tuple)) else [str(v)]


def _table_spec(spec: dict, where: str, contract) -> dict:
    check_keys(spec, TABLE_KEYS, where)
    columns = {}
    for target, heads in (spec.get("columns") or {}).items():
        if not contract.has(target):
            raise ParameterError(f"{where}: {target!r} is not a column of the contract"
                                 f"{did_you_mean(str(target), contract.names)}; columns: "
                                 f"{', '.join(contract.names)}. Under 'columns', write the "
                                 "contract column, then the export headers that hold it.")
        columns[target] = _as_list(heads)
    status = spec.get("status")
    if status is not None:
        check_keys(status, STATUS_KEYS, f"{where}, 'status'")
        status = {k: _as_list(status.get(k)) for k in STATUS_KEYS}
        status["otherwise"] = (status["otherwise"] or ["open"])[0]
        status["from"] = (status["from"] or [None])[0]
    values = {str(c): {str(k).strip().lower(): (None if v is None else str(v)) for k, v in m.items()}
              for c, m in (spec.get("values") or {}).items()}
    match = [_as_list(g) for g in (spec.get("match") or [])]
    if not match:
        raise ParameterError(f"{where}: 'match' is required: the header names that tell this "
                             "export apart, e.g. match: [[Deal Stage]].")
    by_name = {}
    for col, how in (spec.get("by_name") or {}).items():
        check_keys(how, ("table", "name"), f"{where}, 'by_name'")
        by_name[str(col)] = {"table": str(how["table"]), "name": _as_list(how["name"])}
    currency = spec.get("currency")
    if currency is not None:
        check_keys(currency, CURRENCY_KEYS, f"{where}, 'currency'")
        currency = {k: _as_list(currency.get(k)) for k in CURRENCY_KEYS}
    times = spec.get("closed_times")
    if times is not None:
        check_keys(times, TIME_KEYS, f"{where}, 'closed_times'")
        times = {k: _as_list(times.get(k)) for k in TIME_KEYS}
    return {"match": match, "columns": columns, "values": values, "status": status,
            "open_clears": _as_list(spec.get("open_clears")),
            "drop_unchanged": _as_list(spec.get("drop_unchanged")), "by_name": by_name,
            "currency": currency, "closed_times": times}


def as_mapping(preset: Preset) -> dict:
    """The renames and value maps of a preset as a plain mapping (see :mod:`kit.io.mapping`).

    Examples
    --------
    >>> m = as_mapping(load_preset("pipedrive"))
    >>> m["opportunities"]["columns"]["Deal - Owner"], m["opportunities"]["values"]["status"]["won"]
    ('rep_id', 'won')
    """
    out = {"ignore": []}
    for t, spec in preset.tables.items():
        out[t] = {"file": None, "sheet": None,
                  "columns": {h: target for target, heads in spec["columns"].items() for h in heads},
                  "values": {c: dict(m) for c, m in spec["values"].items()}}
    return out


def matches(spec: dict, headers) -> bool:
    """Whether ``headers`` has one header of each group of ``spec["match"]``.

    Examples
    --------
    >>> matches({"match": [["Deal Stage", "Phase de la transaction"], ["Record ID"]]},
    ...         ["record id", "Phase de la transaction"])
    True
    """
    return all(find_header(headers, group) is not None for group in spec["match"])
