"""The ``kit`` command.

``kit check SOURCE [--preset NAME] [--mapping FILE] [--currency CODE] [--as-of DATE]
[--locale fr|en|auto] [--strict]`` loads a dataset and
prints its data-quality report; the exit code is 0 when no error-severity problem
was found, 1 otherwise (and on data that cannot be loaded), 2 on a usage error.
Bad data never shows a Python traceback: the message goes to stderr.

Subcommands register themselves: each is a ``register(subparsers)`` function that
adds its parser and sets ``func`` (a function of the parsed arguments returning the
exit code). Modules listed in :data:`COMMAND_MODULES` add their subcommand through
``register``, so ``kit report`` lives in ``kit/cli_report.py``.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> pd.DataFrame({"lead_id": ["L1"], "created_at": ["2026-01-05"]}).to_csv(folder / "leads.csv", index=False)
>>> main(["check", str(folder)])  # doctest: +ELLIPSIS
Data-quality report: ...
0
"""

from __future__ import annotations

import argparse
import importlib
import sys

from kit.errors import KitError
from kit.io.options import add_arguments, from_args, load
from kit.io.summary import has_errors, quality_report

#: Modules defining ``register(subparsers)`` that adds their subcommand.
COMMAND_MODULES = ("kit.cli_report",
                   "kit.cli_notebooks")


def register_check(subparsers) -> None:
    """Add ``kit check``."""
    p = subparsers.add_parser(
        "check", help="load a dataset and print its data-quality report",
        description="Load a dataset (folder, file or database URL), check it against the data "
                    "contract and print tables, rows read/kept/rejected, the period covered and "
                    "every problem with example line numbers. Exit code 0 when there is no "
                    "error, 1 otherwise.")
    p.add_argument("source", help="folder of table files, one table file, or a database URL "
                                  "(sqlite:///crm.db, duckdb:///crm.duckdb, postgresql://...)")
    add_arguments(p)  # --preset, --mapping, --currency, --as-of, --locale
    p.add_argument("--strict", action="store_true",
                   help="fail on any error or warning instead of setting rows aside")
    p.set_defaults(func=run_check)


def run_check(args) -> int:
    """Run ``kit check`` with parsed arguments; return the exit code."""
    ds = load(args.source, strict=args.strict, **from_args(args))
    print(quality_report(ds))
    return 1 if has_errors(ds) else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered.

    Examples
    --------
    >>> build_parser().parse_args(["check", "data/sample", "--strict"]).strict
    True
    """
    parser = argparse.ArgumentParser(
        prog="kit", description="Sales-performance KPIs: data checks and reports.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_check(subparsers)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``kit`` console script; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_usage(sys.stderr)
        print("kit: error: a command is required (e.g. kit check data/sample)", file=sys.stderr)
        return 2
    try:
        return int(func(args) or 0)
    except KitError as exc:
        print(f"kit {args.command}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kit {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
