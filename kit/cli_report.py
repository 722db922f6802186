"""The ``kit report`` subcommand (README, "Monthly reports").

``kit/cli.py`` adds it with :func:`register`; ``python -m kit.cli_report`` runs it
on its own.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="kit")
>>> sub = parser.add_subparsers(dest="command")
>>> _ = register(sub)
>>> args = parser.parse_args(["report", "--month", "2026-10", "--notebooks", "00,01", "--jobs", "1"])
>>> args.month, args.notebooks, args.jobs, args.lang, args.out
('2026-10', '00,01', 1, 'en', 'reports')
"""

from __future__ import annotations

import argparse
import sys

import kit.report
from kit.errors import KitError, ReportError
from kit.io import options
from kit.report.notebooks import describe, notebook_dir
from kit.report.execute import skip_unused_format_checker
from kit.shipped import default_data

DESCRIPTION = """\
Run the report notebooks with papermill for each month and write, per month,
OUT/YYYY-MM/: the executed notebooks, their HTML without code, kpis.json and
kpis.csv (the headline KPIs with numerators, denominators and intervals) and
report.log; then OUT/index.html. A month is put in place only when all of it
succeeded: a failing or interrupted run never damages an earlier report (what
it produced goes to OUT/YYYY-MM.failed/)."""

EXAMPLES = """\
examples:
  kit report                                   last complete month of data/sample
  kit report --month 2026-10 --to 2026-12 --lang fr
  kit report --month 2026-10 --data crm.duckdb --notebooks 00,01 --jobs 2
  kit report --data deals.csv --mapping deals.yaml --currency USD --as-of 2026-10-31"""


class _HelpAction(argparse.Action):
    """``--help`` that also lists the notebooks and their parameters (read when asked)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        parser.epilog = EXAMPLES + "\n\n" + notebooks_help(getattr(namespace, "notebook_dir", None))
        parser.print_help()
        parser.exit()


def notebooks_help(folder=None) -> str:
    """The ``notebooks:`` section of ``--help``: each notebook and its parameters.

    Examples
    --------
    >>> notebooks_help("/nonexistent/folder").startswith("notebooks: no folder of notebooks found")
    True
    """
    try:
        where = notebook_dir(folder)
    except ReportError as exc:
        return f"notebooks: {exc}"
    listing = describe(where) or "  (none)"
    return (f"notebooks in {where} (parameters read with papermill.inspect_notebook;\n"
            f"data, month, team, lang and the load options given (preset, mapping, currency,\n"
            f"as_of, locale) are set by this command):\n{listing}")


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the options of ``kit report`` to ``parser``; return it.

    Examples
    --------
    >>> import argparse
    >>> args = add_arguments(argparse.ArgumentParser(add_help=False)).parse_args([])
    >>> args.month, args.data, args.jobs, args.timeout, args.notebooks
    ('', 'data/sample', 2, 600.0, None)
    """
    parser.add_argument("-h", "--help", action=_HelpAction,
                        help="show this help, the notebooks and their parameters, and exit")
    parser.add_argument("--month", default="", metavar="YYYY-MM",
                        help="first month to report; default: the last complete month of the data")
    parser.add_argument("--to", default="", metavar="YYYY-MM",
                        help="last month to report (included); default: --month")
    parser.add_argument("--data", default="data/sample", metavar="SOURCE",
                        help="folder or database URL of the dataset (default: %(default)s)")
    options.add_arguments(parser)  # --preset, --mapping, --currency, --as-of, --locale
    parser.add_argument("--out", default="reports", metavar="DIR",
                        help="report folder (default: %(default)s)")
    parser.add_argument("--lang", default="en", choices=["en", "fr"],
                        help="labels and number format (default: %(default)s)")
    parser.add_argument("--team", default="", metavar="NAME",
                        help="restrict the report to one team; default: all teams")
    parser.add_argument("--jobs", default=2, type=int, metavar="N",
                        help="notebooks run at the same time (default: %(default)s)")
    parser.add_argument("--notebooks", default=None, metavar="LIST",
                        help="notebooks to run, by number or name: 00,01 (default: every numbered one)")
    parser.add_argument("--timeout", default=600.0, type=float, metavar="S",
                        help="seconds a single cell may run (default: %(default)g)")
    parser.add_argument("--notebook-dir", default=None, metavar="DIR",
                        help="folder of the notebooks (default: ./notebooks)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``report`` subcommand to the subparsers of the ``kit`` command.

    The parsed arguments carry ``func``: call ``args.func(args)`` and exit with the
    code it returns.
    """
    parser = subparsers.add_parser(
        "report", add_help=False, help="run the notebooks and write the monthly reports",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def run(args) -> int:
    """Run ``kit report`` with parsed ``args``; return the exit code.

    0 when every month was written; 1 when the report could not be produced or a
    notebook failed (the message names the notebook, the cell and the parameters;
    tracebacks are in the month's ``report.log``); 130 when interrupted.

    Examples
    --------
    >>> import argparse
    >>> args = add_arguments(argparse.ArgumentParser(add_help=False)).parse_args(
    ...     ["--month", "oct", "--no-progress"])
    >>> run(args)  # the message goes to stderr
    1
    """
    skip_unused_format_checker()  # this process is the command's own (kit.report.execute)
    try:
        report = kit.report.run_report(
            args.month or None, to=args.to or None, data=default_data(args.data), **options.from_args(args),
            out=args.out, lang=args.lang, team=args.team, jobs=args.jobs,
            notebooks=args.notebooks, timeout=args.timeout, progress=not args.no_progress,
            notebook_dir=args.notebook_dir)
    except KitError as exc:
        print(f"kit report: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kit report: interrupted; months not finished were not written, earlier reports "
              "are unchanged.", file=sys.stderr)
        return 130
    for folder in report.folders:
        print(f"wrote {folder}")
    print(f"index: {report.index}")
    return 0


def main(argv=None) -> int:
    """Entry point of ``python -m kit.cli_report`` (same options as ``kit report``).

    Examples
    --------
    >>> main(["--month", "2026-13", "--no-progress"])  # the message goes to stderr
    1
    """
    parser = argparse.ArgumentParser(
        prog="kit report", add_help=False, description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
