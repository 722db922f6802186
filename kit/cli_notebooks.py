"""The ``kit notebooks`` subcommand: where the notebooks are, and a copy to work in.

``kit notebooks`` lists the notebooks (those of the checkout, or those shipped with
an installed kit) and the sample's folder; ``kit notebooks --copy DIR`` copies them
to ``DIR/notebooks/`` with the sample in ``DIR/data/sample/``, ready for
``jupyter lab DIR/notebooks``.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="kit")
>>> _ = register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["notebooks", "--copy", "desk", "--no-sample"])
>>> args.copy, args.sample, args.overwrite
('desk', False, False)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kit.report.notebooks import available, is_default
from kit.shipped import copy_notebooks, notebooks_folder, sample_folder


def register(subparsers) -> argparse.ArgumentParser:
    """Add ``kit notebooks`` to the subparsers of the ``kit`` command."""
    p = subparsers.add_parser(
        "notebooks", help="list the notebooks, or copy them (with the sample) to a folder",
        description="List the kit's notebooks and the sample dataset (from the checkout, or "
                    "shipped with an installed kit). With --copy DIR, copy the notebooks to "
                    "DIR/notebooks/ and the sample to DIR/data/sample/, where the notebooks' "
                    "data parameter (../data/sample) finds it; then open them with "
                    "`jupyter lab DIR/notebooks` and set data to your own folder.")
    p.add_argument("--copy", metavar="DIR", default=None,
                   help="copy the notebooks (and the sample) to this folder")
    p.add_argument("--no-sample", dest="sample", action="store_false",
                   help="with --copy: do not copy the sample dataset")
    p.add_argument("--overwrite", action="store_true",
                   help="with --copy: replace notebooks already in DIR/notebooks/")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    """Run ``kit notebooks`` with parsed ``args``; return the exit code.

    Examples
    --------
    >>> import argparse, tempfile
    >>> dest = tempfile.mkdtemp()
    >>> run(argparse.Namespace(copy=dest, sample=False, overwrite=False))  # doctest: +ELLIPSIS
    copied ... notebooks to .../notebooks
    next: jupyter lab .../notebooks  (the kernel: python -m ipykernel install --user --name kit)
    0
    """
    if args.copy is None:
        folder = notebooks_folder()
        print(f"notebooks in {folder}:")
        for p in available(folder):
            print(f"  {p.stem}" + ("" if is_default(p) else "  (kit report runs it only when named)"))
        print(f"sample dataset: {sample_folder()}")
        print("copy them to work in: kit notebooks --copy DIR")
        return 0
    written = copy_notebooks(args.copy, sample=args.sample, overwrite=args.overwrite)
    dest = Path(args.copy).resolve()
    n_nb = sum(1 for p in written if p.suffix == ".ipynb")
    print(f"copied {n_nb} notebooks to {dest / 'notebooks'}"
          + (f" and the sample to {dest / 'data' / 'sample'}" if args.sample else ""))
    print(f"next: jupyter lab {dest / 'notebooks'}  (the kernel: python -m ipykernel install "
          "--user --name kit)")
    return 0
