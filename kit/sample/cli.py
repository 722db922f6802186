"""Command line: ``python -m kit.sample --seed N --out DIR [--end] [--leads] [--format]``.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     main(["--seed", "2", "--out", d, "--leads", "500", "--quiet"])
0
"""

from __future__ import annotations

import argparse
import time

from kit.sample.build import DEFAULT_END, DEFAULT_LEADS, DEFAULT_SEED, build_arrow
from kit.sample.output import FORMATS, write_arrow
from kit.sample.reference import COMPANY

PARQUET_FROM = 100_000  # --leads from which the command line writes Parquet by default


def main(argv=None) -> int:
    """Write the sample dataset; ``argv`` defaults to the command-line arguments.

    The files are the same as ``write(generate(...), out, format)``; Parquet is
    written straight from Arrow, without pandas frames, which is quicker and
    lighter for large samples.

    Examples
    --------
    >>> main(["--help"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    SystemExit: 0
    """
    p = argparse.ArgumentParser(
        prog="python -m kit.sample",
        description=f"Write the sample dataset of {COMPANY} (13 tables of the data contract).")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 7)")
    p.add_argument("--out", required=True, help="destination folder")
    p.add_argument("--end", default=DEFAULT_END, help="last month YYYY-MM (default %(default)s)")
    p.add_argument("--leads", type=int, default=None,
                   help=f"number of leads (default {DEFAULT_LEADS}); the other tables scale with it")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help=f"csv or parquet (default: csv, parquet from {PARQUET_FROM:,} leads)")
    p.add_argument("--quiet", action="store_true", help="print nothing")
    args = p.parse_args(argv)
    fmt = args.format or ("parquet" if (args.leads or 0) >= PARQUET_FROM else "csv")
    t0 = time.perf_counter()
    tables = build_arrow(seed=args.seed, end=args.end, leads=args.leads)
    paths = write_arrow(tables, args.out, format=fmt)
    if not args.quiet:
        for path, (name, table) in zip(paths, tables.items()):
            print(f"{name:15s} {table.num_rows:>12,d} rows  {path}")
        print(f"done in {time.perf_counter() - t0:.1f} s")
    return 0
