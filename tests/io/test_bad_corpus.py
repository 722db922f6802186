"""The corpus of broken inputs (tests/data/bad/): each case gives its expected outcome.

``tests/data/bad/cases.yaml`` describes every case: a :class:`~kit.errors.DataError`
with a specific message, or the rows of ``ds.issues`` and ``ds.rejected``. For every
loaded case, rows read = rows kept + rows rejected, per table. ``kit check`` never
prints a traceback on any case.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import kit
from kit import cli
from kit.errors import DataError
from tests.io.helpers import checksums, rows_read

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))
KEYS = {"about", "options", "error", "issues", "rejected", "rows", "values", "missing", "columns"}


def test_corpus_is_complete():
    folders = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert folders == set(CASES), "every folder has a case and every case a folder"
    assert len(CASES) >= 40
    for name, case in CASES.items():
        assert set(case) <= KEYS, name
        assert ("error" in case) != ("rows" in case), f"{name}: expect an error or rows, not both"


def _load(name):
    return kit.load_dataset(BAD / name, **CASES[name].get("options", {}))


def _problems(ds) -> list:
    f = ds.issues[ds.issues["severity"] != "info"]
    return sorted([r["table"], r["column"], r["rule"], r["severity"], int(r["count"]), list(r["rows"])]
                  for _, r in f.iterrows())


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_outcome(name):
    case = CASES[name]
    before = checksums(BAD / name)
    if "error" in case:
        with pytest.raises(DataError, match=case["error"]):
            _load(name)
        assert checksums(BAD / name) == before
        return
    ds = _load(name)
    assert checksums(BAD / name) == before  # input files are never written to
    assert _problems(ds) == sorted(case.get("issues", [])), ds.issues
    want_rejected = case.get("rejected", {})
    for t, rej in ds.rejected.items():
        got = [[int(line), reason] for line, reason in zip(rej["_line"], rej["_reason"])]
        assert got == want_rejected.get(t, []), t
    read = rows_read(ds)
    tables = ds.to_pandas().tables
    for t, (n_read, n_kept) in case["rows"].items():
        assert read[t] == n_read and len(tables[t]) == n_kept, t
    for t, n in read.items():  # rows read = rows kept + rows rejected, every table
        assert n == len(tables[t]) + len(ds.rejected[t]), t
    for t, cols in case.get("values", {}).items():
        for c, want in cols.items():
            got = tables[t][c].tolist()
            if pd.api.types.is_datetime64_any_dtype(tables[t][c]):
                want = [pd.Timestamp(v) for v in want]
            assert got == want, (t, c)
    for t, cells in case.get("missing", {}).items():
        for row, c in cells:
            assert pd.isna(tables[t][c].iloc[row]), (t, row, c)
    for t, cols in case.get("columns", {}).items():
        assert list(tables[t].columns) == cols


def test_kit_check_never_prints_a_traceback(capsys, tmp_path):
    for name, case in sorted(CASES.items()):
        argv = ["check", str(BAD / name)]
        opts = case.get("options", {})
        if "preset" in opts:
            argv += ["--preset", opts["preset"]]
        if "mapping" in opts:
            mapping = tmp_path / f"{name}.yaml"
            mapping.write_text(yaml.safe_dump(opts["mapping"]), encoding="utf-8")
            argv += ["--mapping", str(mapping)]
        code = cli.main(argv)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err, name
        errors = "error" in case or any(i[3] == "error" for i in case.get("issues", []))
        assert code == (1 if errors else 0), (name, out, err)
        if "error" in case:
            assert err.startswith("kit check: Cannot load"), name
