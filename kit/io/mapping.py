"""Mappings: how the files of an export become the tables of the contract.

A mapping is a dict (or a YAML file holding one) with one entry per table::

    {"opportunities": {"file": "sales_pipeline.csv",
                       "columns": {"sales_agent": "rep_id", "engage_date": "created_at"},
                       "values": {"status": {"Won": "won", "Engaging": "open"}}}}

``file`` names the file (or, for a database, the SQL table; for a dict source, its
key); ``sheet`` picks an Excel sheet; ``columns`` renames columns; ``values`` maps
raw values of a column (named before or after renaming) to the contract's values.
A top-level ``ignore`` list names files of the folder that are not tables. A
*preset* is a mapping shipped in ``kit/presets/<name>.yaml`` for a CRM export.

Examples
--------
>>> m = load_mapping({"leads": {"columns": {"Date": "created_at"}}})
>>> m["leads"]["columns"], m["leads"]["file"]
({'Date': 'created_at'}, None)
>>> plan = rename_plan("leads", ["Lead ID", "Date", "Source"], m.get("leads"))
>>> plan.renames
{'Date': 'created_at', 'Lead ID': 'lead_id', 'Source': 'source'}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kit.contract import CONTRACT, TABLE_NAMES
from kit.errors import DataError, ParameterError, did_you_mean
from kit.io.headers import snake
from kit.io.preset_spec import PRESET_DIR, as_mapping, load_preset
from kit.io.yaml_spec import check_keys, read_yaml

TABLE_KEYS = ("file", "sheet", "columns", "values")


def load_mapping(mapping) -> dict:
    """Normalise a mapping given as a dict, a YAML path or ``None``.

    Returns ``{table: {"file", "sheet", "columns", "values"}, "ignore": [...]}``.

    Raises
    ------
    ParameterError
        On an unknown table, an unknown key or a value of the wrong type.
    DataError
        When a YAML file is missing or cannot be read.
    """
    if mapping is None:
        return {"ignore": []}
    origin = "mapping"
    if isinstance(mapping, (str, Path)):
        mapping, origin = _read_yaml(Path(mapping)), f"mapping file {str(mapping)!r}"
    if not isinstance(mapping, dict):
        raise ParameterError(
            f"mapping must be a dict or the path of a YAML file; received {type(mapping).__name__}. "
            "Example: mapping={'leads': {'columns': {'Date': 'created_at'}}}."
        )
    out = {"ignore": [str(f) for f in (mapping.get("ignore") or [])]}
    for table, spec in mapping.items():
        if table == "ignore":
            continue
        if table not in CONTRACT:
            raise ParameterError(
                f"{origin}: {table!r} is not a table of the contract{did_you_mean(table, TABLE_NAMES)}; "
                f"known tables: {', '.join(TABLE_NAMES)}. Use the table name as the key."
            )
        spec = spec or {}
        check_keys(spec, TABLE_KEYS, f"{origin}, table {table!r}")
        columns = spec.get("columns") or {}
        values = spec.get("values") or {}
        if not isinstance(columns, dict) or not isinstance(values, dict) or not all(
                isinstance(v, dict) for v in values.values()):
            raise ParameterError(
                f"{origin}: in {table!r}, 'columns' must map old to new names and 'values' must "
                "map a column to {raw value: contract value}; received "
                f"columns={columns!r}, values={values!r}."
            )
        out[table] = {
            "file": None if spec.get("file") is None else str(spec["file"]),
            "sheet": spec.get("sheet"),
            "columns": {str(k): str(v) for k, v in columns.items()},
            "values": {str(c): {_key(k): (None if v is None else str(v)) for k, v in m.items()}
                       for c, m in values.items()},
        }
    return out


def _key(value) -> str:
    # YAML reads yes/no/true as booleans: compare them as the text a file holds
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        raise DataError(f"mapping file {str(path)!r} does not exist. Pass the path of a YAML "
                        "file, or a dict.")
    return read_yaml(path, f"mapping file {str(path)!r}")


def presets() -> list[str]:
    """Names of the presets shipped in ``kit/presets/``.

    Examples
    --------
    >>> isinstance(presets(), list)
    True
    """
    if not PRESET_DIR.is_dir():
        return []
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


def preset_mapping(name: str) -> dict:
    """The plain mapping view of preset ``name`` (``kit/presets/<name>.yaml``).

    Only the renames and value maps: ``load_dataset(preset=...)`` also finds the
    files by their header, decides ``status`` and drops footers (:mod:`kit.io.presets`).

    Raises
    ------
    DataError
        For an unknown preset, with a close name when there is one and the list of
        the presets available.

    Examples
    --------
    >>> preset_mapping("no-such-crm")
    Traceback (most recent call last):
    ...
    kit.errors.DataError: Unknown preset 'no-such-crm'...
    """
    known = presets()
    path = PRESET_DIR / f"{name}.yaml"
    if not path.is_file():
        shown = ", ".join(known) if known else "none are installed yet"
        raise DataError(
            f"Unknown preset {name!r}{did_you_mean(name, known)}; available presets: {shown}. "
            "Pass one of them as preset=, or describe the export with mapping=."
        )
    return as_mapping(load_preset(path))


def resolve(preset=None, mapping=None) -> dict:
    """The mapping to use: the preset's, with the tables of ``mapping`` taking precedence.

    Examples
    --------
    >>> resolve(None, {"orders": {"file": "ventes.csv"}})["orders"]["file"]
    'ventes.csv'
    """
    out = preset_mapping(preset) if preset else load_mapping(None)
    extra = load_mapping(mapping)
    out["ignore"] = list(out.get("ignore", [])) + extra.pop("ignore")
    out.update(extra)
    return out


@dataclass
class RenamePlan:
    """Renames for one table: ``renames`` (old to new) and the problems found."""

    renames: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    unmatched: dict = field(default_factory=dict)  # mapped old name -> new name, absent from file

    def new_name(self, old: str) -> str:
        """Name of column ``old`` after renaming."""
        return self.renames.get(old, old)


def rename_plan(table: str, columns: list[str], spec: dict | None) -> RenamePlan:
    """Decide the new name of each column of ``table``.

    Mapped columns are matched exactly, then ignoring case and spaces; other
    columns whose snake-case name is a contract column of the table take that
    name (``"Lead ID"`` becomes ``lead_id``).

    Examples
    --------
    >>> rename_plan("leads", ["id", "lead_id"], {"columns": {"id": "lead_id"}}).problems
    ["columns 'id' and 'lead_id' would both be named 'lead_id'; map only one of them"]
    """
    plan = RenamePlan()
    wanted = (spec or {}).get("columns", {})
    loose = {snake(c): c for c in columns}
    for old, new in wanted.items():
        if old in columns:
            plan.renames[old] = new
        elif snake(old) in loose:
            plan.renames[loose[snake(old)]] = new
        else:
            plan.unmatched[old] = new
    contract_names = set(CONTRACT[table].names)
    for c in columns:
        if c in plan.renames:
            continue
        s = snake(c)
        if c not in contract_names and s in contract_names:
            plan.renames[c] = s
    seen: dict[str, str] = {}
    for c in columns:
        new = plan.new_name(c)
        if new in seen:
            plan.problems.append(f"columns {seen[new]!r} and {c!r} would both be named {new!r}; "
                                 "map only one of them")
        seen[new] = c
    plan.renames = {k: v for k, v in plan.renames.items() if k != v}
    return plan


def value_maps(spec: dict | None, plan: RenamePlan) -> dict:
    """Value maps keyed by the new column name (they may be given under either name).

    Examples
    --------
    >>> spec = {"values": {"Stage": {"Won": "won"}}}
    >>> value_maps(spec, rename_plan("opportunities", ["Stage"], {"columns": {"Stage": "status"}}))
    {'status': {'Won': 'won'}}
    """
    out = {}
    for col, m in ((spec or {}).get("values") or {}).items():
        out[plan.renames.get(col, col)] = m
    return out
