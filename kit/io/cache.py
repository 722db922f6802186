"""A cache of loaded datasets, for runs that load the same files many times.

``kit report`` runs every notebook in its own kernel, and each one loads and checks
the same files again (3 s for ``data/sample``, minutes for a large export). When
the environment variable ``KIT_LOAD_CACHE`` names a folder, :func:`kit.load_dataset`
keeps what it loaded there and the next load of the same, unchanged files with
the same options reads it back (0.1 s for the sample). ``kit report`` sets it to
a temporary folder of its own, removed at the end of the run.

What makes two loads the same (:func:`cache_key`): the files (path, size, time of
last change of every file under the source folder), every option of
``load_dataset`` but ``as_of`` (applied after reading back, with its note of the rows
after it: :mod:`kit.io.asof`), the day (the
check for future dates depends on it) and the kit version. Only sources on disk
(a folder or a file, not a database URL or a dict of frames) and the pandas and
polars backends are cached. The cache holds pickles: point ``KIT_LOAD_CACHE`` only
at a folder nobody else writes to.

The same folder holds results computed on such a dataset that several processes of
one report need (the scorecard rows of a month: :func:`kit.scorecard.scorecard`):
a loaded dataset carries the key of its load (:func:`dataset_key`), a dataset
derived from it in a known way (the report's cut at a month's end) a key derived
from that one (:func:`derive_key`), and any other dataset none, so that nothing is
read back for data that may differ.

Examples
--------
>>> import tempfile, pandas as pd
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> pd.DataFrame({"lead_id": ["L1"], "created_at": ["2026-01-05"]}).to_csv(folder / "leads.csv", index=False)
>>> key = cache_key(folder, {"backend": "pandas"})
>>> key == cache_key(folder, {"backend": "pandas"}), key == cache_key(folder, {"backend": "polars"})
(True, False)
>>> cache_key({"leads": None}, {"backend": "pandas"}) is None   # a dict of frames: not cached
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from kit._version import __version__

ENV = "KIT_LOAD_CACHE"

#: Backends whose tables are plain frames (DuckDB tables live in a connection).
CACHED_BACKENDS = ("pandas", "polars")
#: Attribute of a :class:`~kit.dataset.Dataset` holding the key of the load it came from.
#: Not a dataclass field: ``dataclasses.replace`` (filters, ``as_of``) does not copy it.
KEY_ATTR = "_load_key"


def cache_dir() -> Path | None:
    """The folder named by ``KIT_LOAD_CACHE``, or ``None`` when caching is off."""
    value = os.environ.get(ENV, "").strip()
    return Path(value) if value else None


def _stat_lines(path: Path) -> list[str]:
    paths = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    lines = []
    for p in paths:
        st = p.stat()
        lines.append(f"{p}\t{st.st_size}\t{st.st_mtime_ns}")
    return lines


def cache_key(source, options: dict) -> str | None:
    """Key of a load of ``source`` with ``options``; ``None`` when it cannot be cached.

    Parameters
    ----------
    source : str, Path or other
        What :func:`kit.load_dataset` received.
    options : dict
        Its other arguments except ``as_of``. Paths among them (a mapping or
        preset file) count by their content's size and time of change too.
    """
    if not isinstance(source, (str, os.PathLike)) or "://" in str(source):
        return None
    if options.get("backend", "pandas") not in CACHED_BACKENDS:
        return None
    path = Path(source).expanduser().resolve()
    if not path.exists():
        return None
    parts = [f"kit {__version__}", f"day {dt.date.today().isoformat()}", *_stat_lines(path)]
    for name in sorted(options):
        value = options[name]
        if isinstance(value, (str, os.PathLike)) and Path(value).is_file():
            parts += [f"{name}=file"] + _stat_lines(Path(value).resolve())
        elif value is None or isinstance(value, (str, int, float, bool, dict, list, tuple)):
            parts.append(f"{name}={value!r}")
        else:  # an object whose repr may not say what it holds: do not guess
            return None
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def dataset_key(ds) -> str | None:
    """The key :func:`set_dataset_key` gave ``ds`` (its load, or how it was derived), or ``None``.

    Examples
    --------
    >>> from kit.dataset import Dataset
    >>> ds = set_dataset_key(Dataset({}), "abc")
    >>> dataset_key(ds), dataset_key(ds.filter(start="2026-01-01"))  # a filter is other data
    ('abc', None)
    """
    return getattr(ds, "__dict__", {}).get(KEY_ATTR)


def set_dataset_key(ds, key: str | None):
    """Record on ``ds`` the key of the data it holds (nothing when ``key`` is ``None``); return ``ds``."""
    if key is not None:
        ds.__dict__[KEY_ATTR] = key
    return ds


def derive_key(key: str | None, *parts) -> str | None:
    """A key for what is computed from the data of ``key`` with ``parts``; ``None`` when ``key`` is.

    Examples
    --------
    >>> derive_key("abc", "scorecard", "2026-10") == derive_key("abc", "scorecard", "2026-10")
    True
    >>> derive_key("abc", "2026-10") == derive_key("abc", "2026-11"), derive_key(None, "2026-10")
    (False, None)
    """
    if key is None:
        return None
    return hashlib.sha256("\n".join([key, *map(repr, parts)]).encode()).hexdigest()[:32]


def read(key: str | None):
    """What is stored under ``key`` (a dataset, a result), or ``None`` (caching off, not stored, unreadable)."""
    folder = cache_dir()
    if folder is None or key is None:
        return None
    path = folder / f"{key}.pkl"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def write(key: str | None, obj) -> Path | None:
    """Store ``obj`` (a dataset or a result) under ``key`` (atomically); return the file, ``None`` when caching is off."""
    folder = cache_dir()
    if folder is None or key is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pkl")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return folder / f"{key}.pkl"
