"""The ``kit`` command: ``kit check`` reports and exit codes (kit.cli)."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from kit import cli
from tests.io.helpers import write

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture
def clean(tmp_path):
    write(tmp_path, "reps.csv", "rep_id,team\nR1,Nord\nR2,Sud\n")
    write(tmp_path, "leads.csv", "lead_id;created_at;rep_id\nL1;05/01/2026 10:00;R1\nL2;06/01/2026;R2\n")
    return tmp_path


def test_clean_dataset_exits_0_with_report(clean, capsys):
    assert cli.main(["check", str(clean)]) == 0
    out = capsys.readouterr().out
    assert "Data-quality report: " + str(clean) in out
    assert "Period covered: 2026-01-05 to 2026-01-06" in out
    assert "Problems: 0 error(s), 0 warning(s), 0 note(s)" in out
    assert "Result: no error." in out
    lines = [ln.split() for ln in out.splitlines()]
    assert ["leads", "2", "2", "0", "created_at", "2026-01-05", "2026-01-06"] in lines
    assert ["reps", "2", "2", "0"] in lines


def test_row_errors_exit_1_with_lines(clean, capsys):
    write(clean, "leads.csv", "lead_id,created_at,rep_id\nL1,2026-01-05,R1\nL1,2026-01-06,R2\nL3,,R7\n")
    assert cli.main(["check", str(clean)]) == 1
    out = capsys.readouterr().out
    assert "ERROR    leads.lead_id  rule duplicate: 1 row (lines 3)" in out
    assert "ERROR    leads.created_at  rule required: 1 row (lines 4)" in out
    assert "Problems: 2 error(s), 0 warning(s), 0 note(s)" in out
    assert ["leads", "3", "1", "2", "created_at", "2026-01-05", "2026-01-05"] in [
        ln.split() for ln in out.splitlines()]


def test_strict_fails_on_warnings(clean, capsys):
    write(clean, "leads.csv", "lead_id,created_at,rep_id\nL1,2026-01-05,R9\n")
    assert cli.main(["check", str(clean)]) == 0  # an orphan is a warning
    assert cli.main(["check", str(clean), "--strict"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kit check: strict=True") and "rule orphan" in err


def test_broken_file_has_no_traceback(clean):
    write(clean, "leads.csv", "lead_id,created_at\nL1,2026-01-05,extra\n")
    proc = subprocess.run([sys.executable, "-m", "kit.cli", "check", str(clean)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "kit check: Cannot load" in proc.stderr and "line 2 has 3" in proc.stderr


def test_missing_source_and_bad_preset(tmp_path, capsys):
    assert cli.main(["check", str(tmp_path / "nope")]) == 1
    assert "does not exist" in capsys.readouterr().err
    write(tmp_path, "reps.csv", "rep_id\nR1\n")
    assert cli.main(["check", str(tmp_path), "--preset", "nosuchcrm"]) == 1
    assert "Unknown preset 'nosuchcrm'" in capsys.readouterr().err


def test_mapping_option(tmp_path, capsys):
    data = tmp_path / "export"
    write(data, "reps.csv", "code,équipe\nR1,Nord\n")
    assert cli.main(["check", str(data)]) == 1
    assert "required column 'rep_id' is missing" in capsys.readouterr().err
    (tmp_path / "m.yaml").write_text("reps:\n  columns: {code: rep_id, équipe: team}\n",
                                     encoding="utf-8")
    assert cli.main(["check", str(data), "--mapping", str(tmp_path / "m.yaml")]) == 0
    assert ["reps", "1", "1", "0"] in [ln.split() for ln in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("argv", [[], ["check"], ["nope"], ["check", "x", "--bogus"]])
def test_usage_errors_exit_2(argv, capsys):
    assert cli.main(argv) == 2
    assert "usage: kit" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert cli.main(["check", "--help"]) == 0
    assert "--strict" in capsys.readouterr().out


def test_subcommands_register_from_other_modules(monkeypatch, capsys):
    fake = types.ModuleType("kit_fake_report")

    def register(subparsers):
        p = subparsers.add_parser("report", help="monthly report")
        p.add_argument("--month")
        p.set_defaults(func=lambda args: print(f"report {args.month}") or 0)

    fake.register = register
    monkeypatch.setitem(sys.modules, "kit_fake_report", fake)
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("kit_fake_report",))
    assert cli.main(["report", "--month", "2026-10"]) == 0
    assert capsys.readouterr().out.strip() == "report 2026-10"


def test_sample_check_is_clean():
    proc = subprocess.run([sys.executable, "-m", "kit.cli", "check", str(SAMPLE)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Problems: 0 error(s)" in proc.stdout and proc.stderr == ""
