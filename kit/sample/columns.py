"""Arrow columns and tables built from the simulation's integer codes.

The simulation works on integer codes and ``int64`` seconds; this module turns
them into Arrow arrays (strings, ``timestamp[ns]``, ``float64``, ``bool``) and
assembles one Arrow table per contract table. Arrow keeps the strings out of
Python objects until a pandas frame is asked for, which is what makes large
samples quick to write as Parquet.

Examples
--------
>>> ids("C", 3, 5).to_pylist()
['C00001', 'C00002', 'C00003']
>>> take(ids("C", 3, 5), np.array([2, -1])).to_pylist()
['C00003', None]
>>> labels(("a", "b", None), np.array([1, 2, 0])).to_pylist()
['b', None, 'a']
>>> times(np.array([0, NEVER])).to_pylist()[1] is None
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kit.contract import CONTRACT

NEVER = np.int64(2**62)  # "did not happen (yet)": later than any real time
_ARROW = {"id": pa.string(), "str": pa.string(), "enum": pa.string(), "datetime": pa.timestamp("ns"),
          "date": pa.timestamp("ns"), "money": pa.float64(), "number": pa.int64(), "bool": pa.bool_()}


class Sim(dict):
    """Arrays of one simulated entity, readable and writable as attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    __setattr__ = dict.__setitem__


def ids(prefix: str, n: int, width: int) -> pa.Array:
    """``prefix`` followed by 1..n zero-padded to ``width`` (at least enough digits)."""
    width = max(width, len(str(n)))
    nums = pc.utf8_lpad(pa.array(np.arange(1, n + 1, dtype=np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, nums, "")


def take(values: pa.Array, idx) -> pa.Array:
    """``values[idx]``, null where ``idx`` is negative."""
    idx = np.asarray(idx, dtype=np.int64)
    return pc.take(values, pa.array(np.maximum(idx, 0), mask=idx < 0))


def labels(names, idx) -> pa.Array:
    """The label of each code in ``idx`` (a ``None`` label or a negative code gives null)."""
    return take(pa.array(list(names), pa.string()), idx)


def times(t) -> pa.Array:
    """int64 seconds (``NEVER`` or later for missing) to ``timestamp[ns]``."""
    t = np.asarray(t, dtype=np.int64)
    missing = t >= NEVER
    return pa.array(np.where(missing, 0, t) * 1_000_000_000, pa.timestamp("ns"), mask=missing)


def money(x) -> pa.Array:
    """Amounts rounded to the cent."""
    return pa.array(np.round(np.asarray(x, dtype=np.float64), 2), pa.float64())


def arrow_table(name: str, columns: dict) -> pa.Table:
    """The Arrow table ``name`` with exactly the contract columns, in contract order and types."""
    spec = CONTRACT[name]
    assert list(columns) == spec.names, (name, list(columns), spec.names)
    arrays = [columns[c.name] if isinstance(columns[c.name], pa.Array)
              else pa.array(np.asarray(columns[c.name]) if c.kind not in ("id", "str", "enum")
                            else columns[c.name], _ARROW[c.kind])
              for c in spec.columns]
    fields = [pa.field(c.name, _ARROW[c.kind]) for c in spec.columns]
    return pa.Table.from_arrays([a.cast(f.type) for a, f in zip(arrays, fields)], schema=pa.schema(fields))


def to_pandas(name: str, table: pa.Table) -> pd.DataFrame:
    """The pandas frame of an Arrow table: text as ``object`` (``None`` when missing),
    times ``datetime64[ns]``, optional booleans as the nullable ``boolean`` dtype.

    Examples
    --------
    >>> t = arrow_table("referrals", {"referral_id": ["PAR1"], "referrer_id": ["C1"],
    ...     "referred_at": times(np.array([0])), "valid": [True], "referred_lead_id": [None]})
    >>> to_pandas("referrals", t).dtypes.astype(str).tolist()
    ['object', 'object', 'datetime64[ns]', 'bool', 'object']
    """
    spec = CONTRACT[name]
    optional_bool = [c.name for c in spec.columns if c.kind == "bool" and c.name not in spec.required]
    mapper = {pa.bool_(): pd.BooleanDtype()}.get if optional_bool else None
    df = table.to_pandas(types_mapper=mapper, split_blocks=True)
    for c in spec.columns:
        if c.kind == "bool" and c.name not in optional_bool and df[c.name].dtype != bool:
            df[c.name] = df[c.name].astype(bool)
    return df
