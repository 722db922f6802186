"""Loaders: files, SQL databases and CRM exports into a validated :class:`kit.Dataset`.

The entry point is :func:`kit.io.load.load_dataset` (also ``kit.load_dataset``).
One module per job:

``sniff``      encoding and delimiter of text files
``files``      reading CSV, Excel and Parquet files (with file line numbers)
``sql``        reading SQLite, DuckDB and SQLAlchemy databases
``sources``    finding the table files of a folder, a dict of frames or a database
``mapping``    column renames and value maps (dict, YAML file or preset)
``parse``      SQL expressions reading French/ISO numbers, dates and booleans
``tokens``     the boolean words and the day-first rule of ``parse`` and of the presets
``presets``    CRM exports into contract tables (``preset_spec`` reads the preset files,
               ``export_files`` the export files)
``validate``   the rules of the data contract, every problem collected at once
``derive``     orders derived from won opportunities
``enrich``     team/manager/region, product category, customer source/segment
``output``     the tables in the chosen backend (pandas, polars, DuckDB)
``summary``    the data-quality report printed by ``kit check``

Examples
--------
>>> import pandas as pd, kit
>>> ds = kit.load_dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2"],
...                                                "created_at": ["31/12/2025", "02/01/2026"]})})
>>> ds.leads["created_at"].dt.strftime("%Y-%m-%d").tolist()
['2025-12-31', '2026-01-02']
"""

from kit.io.load import load_dataset

__all__ = ["load_dataset"]
