"""kit.shipped: the notebooks and the sample found in the checkout, copied for work."""

from __future__ import annotations

import pytest

from kit import shipped
from kit.cli import main
from kit.errors import KitError
from tests.conftest import ROOT


def test_checkout_folders_come_first():
    assert shipped.notebooks_folder() == ROOT / "notebooks"
    assert shipped.sample_folder() == ROOT / "data" / "sample"


def test_default_data_keeps_a_local_sample_and_any_other_source(tmp_path, monkeypatch):
    (tmp_path / "data" / "sample").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert shipped.default_data("data/sample") == "data/sample"  # the folder of the current project
    assert shipped.default_data("sqlite:///crm.db") == "sqlite:///crm.db"
    (tmp_path / "data" / "sample").rmdir()
    assert shipped.default_data("data/sample") == str(ROOT / "data" / "sample")


def test_copy_without_sample_then_overwrite(tmp_path):
    written = shipped.copy_notebooks(tmp_path, sample=False)
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert not (tmp_path / "data").exists()
    with pytest.raises(KitError, match=r"notebook\(s\) already exist\(s\) in .*explore\.ipynb.*--overwrite"):
        shipped.copy_notebooks(tmp_path, sample=False)
    again = shipped.copy_notebooks(tmp_path, sample=True, overwrite=True)
    assert (tmp_path / "data" / "sample" / "reps.csv").read_text() == \
        (ROOT / "data" / "sample" / "reps.csv").read_text()
    assert len(again) > len(written)


def test_missing_folders_say_where_they_were_looked_for(tmp_path, monkeypatch):
    monkeypatch.setattr(shipped, "CHECKOUT", tmp_path)
    monkeypatch.setattr(shipped, "PACKAGE", tmp_path / "kit")
    with pytest.raises(KitError, match=r"the sample dataset not found \(looked in .*_sample\)\. Pass your own data"):
        shipped.sample_folder()
    with pytest.raises(KitError, match=r"the kit's notebooks not found .*--notebook-dir"):
        shipped.notebooks_folder()


def test_kit_report_runs_explore_only_when_named():
    from kit.report.notebooks import available, select_notebooks

    every = available(ROOT / "notebooks")
    assert "explore.ipynb" not in [p.name for p in select_notebooks(every)]
    assert [p.name for p in select_notebooks(every, "explore")] == ["explore.ipynb"]


def test_kit_notebooks_lists_and_copies(tmp_path, capsys):
    assert main(["notebooks"]) == 0
    out = capsys.readouterr().out
    assert "explore  (kit report runs it only when named)" in out and "  00-scorecard\n" in out
    assert main(["notebooks", "--copy", str(tmp_path), "--no-sample"]) == 0
    assert "copied" in capsys.readouterr().out
    assert main(["notebooks", "--copy", str(tmp_path), "--no-sample"]) == 1
    assert "already exist(s)" in capsys.readouterr().err
