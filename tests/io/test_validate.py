"""Every rule of the data contract broken by a small file, with its message (kit.io.validate)."""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from kit.errors import DataError
from tests.io.helpers import issue, rows_read, write

REPS = """
rep_id,name,team
R1,Ana,Nord
R2,Bob,Sud
"""


@pytest.fixture
def messy(tmp_path):
    """A folder where each row-level rule is broken once (line numbers in comments)."""
    write(tmp_path, "reps.csv", REPS)
    write(tmp_path, "leads.csv", """
        lead_id,created_at,rep_id,converted_at,engaged_at
        L1,2026-01-05 10:00,R1,2026-01-20,
        L2,,R1,,
        L1,2026-01-06,R2,,
        L4,31/02/2026,R2,,
        L5,2026-01-07,R9,,
        L6,2026-01-08,R2,2026-01-01,2026-01-02
        L7,2026-01-09,R1,bientôt,
    """)
    write(tmp_path, "opportunities.csv", """
        opportunity_id,created_at,rep_id,status,amount,closed_at
        O1,2026-01-05,R1,won,1000,2026-02-01
        O2,2026-01-05,R1,gagné,500,2026-02-01
        O3,2026-01-10,R2,lost,-100,2026-01-02
    """)
    write(tmp_path, "costs.csv", """
        period,amount,category
        2026-01,100,marketing
        2026-01,-5,marketing
    """)
    write(tmp_path, "orders.csv", """
        order_id,ordered_at,customer_id,amount,cost
        C1,2026-02-01,K1,12,abc
        C2,2026-02-01,K1,douze,1
    """)
    return tmp_path


def test_rows_are_rejected_or_flagged_with_reasons(messy):
    ds = kit.load_dataset(messy)
    assert ds.leads["lead_id"].tolist() == ["L1", "L5", "L6", "L7"]
    rej = ds.rejected["leads"]
    assert rej["_line"].tolist() == [3, 4, 5]
    assert rej["_reason"].tolist() == [
        "missing created_at", "duplicate lead_id L1 (first on line 2)",
        "unreadable created_at: 31/02/2026"]
    # rejected rows keep the values as written in the file
    assert rej["created_at"].tolist() == ["", "2026-01-06", "31/02/2026"]


@pytest.mark.parametrize("table, rule, column, severity, count, rows, message", [
    ("leads", "required", "created_at", "error", 1, [3],
     r"leads\.csv: 1 row with no created_at, a required value; they are in ds\.rejected\['leads'\]"),
    ("leads", "duplicate", "lead_id", "error", 1, [4],
     r"1 row with the same lead_id as an earlier row \(duplicate lead_id L1 \(first on line 2\)\); "
     r"the first row is kept"),
    ("leads", "unparseable", "created_at", "error", 1, [5],
     r"created_at cannot be read as datetime, e\.g\. '31/02/2026'; allowed: dates such as"),
    ("leads", "unparseable", "converted_at", "warning", 1, [8],
     r"converted_at cannot be read as datetime, e\.g\. 'bientôt'.*kept with converted_at missing"),
    ("leads", "orphan", "rep_id", "warning", 1, [6],
     r"1 row with a rep_id that is not a rep_id of reps, e\.g\. 'R9'; the rows are kept"),
    ("leads", "order", "converted_at", "warning", 1, [7],
     r"1 row with converted_at before created_at; the rows are kept"),
    ("leads", "order", "engaged_at", "warning", 1, [7], r"engaged_at before created_at"),
    ("opportunities", "enum", "status", "error", 1, [3],
     r"status is not one of open, won, lost, e\.g\. 'gagné'.*map the values: mapping="),
    ("opportunities", "range", "amount", "warning", 1, [4],
     r"amount is not at least 0, e\.g\. '-100'\. The rows are kept with amount missing"),
    ("opportunities", "order", "closed_at", "warning", 1, [4], r"closed_at before created_at"),
    ("costs", "range", "amount", "error", 1, [3],
     r"costs\.csv: 1 row where amount is not at least 0, e\.g\. '-5'\. The rows are in ds\.rejected"),
    ("orders", "unparseable", "amount", "error", 1, [3],
     r"amount cannot be read as money, e\.g\. 'douze'; allowed: numbers such as 1234\.56, 1 234,56"),
    ("orders", "unparseable", "cost", "warning", 1, [2], r"cost cannot be read as money"),
])
def test_each_rule_is_one_issue_row(messy, table, rule, column, severity, count, rows, message):
    ds = kit.load_dataset(messy)
    got = issue(ds, table, rule, column)
    assert (got["severity"], got["count"], got["rows"]) == (severity, count, rows)
    assert pd.Series([got["message"]]).str.contains(message, regex=True).all(), got["message"]


def test_flagged_values(messy):
    ds = kit.load_dataset(messy)
    opp = ds.opportunities.set_index("opportunity_id")
    assert list(opp.index) == ["O1", "O3"]
    assert pd.isna(opp.loc["O3", "amount"])  # negative optional amount set to missing
    leads = ds.leads.set_index("lead_id")
    assert pd.isna(leads.loc["L7", "converted_at"])
    assert leads.loc["L5", "rep_id"] == "R9"  # orphan kept
    assert ds.costs["amount"].tolist() == [100.0]
    assert pd.isna(ds.orders.loc[0, "cost"])


def test_kept_plus_rejected_equals_rows_read_for_every_table(messy):
    ds = kit.load_dataset(messy)
    read = rows_read(ds)
    for path in messy.glob("*.csv"):
        t = path.stem
        in_file = len(path.read_text(encoding="utf-8").strip().splitlines()) - 1
        assert read[t] == in_file
        assert len(ds.tables[t]) + len(ds.rejected[t]) == in_file, t


def test_issues_frame_shape(messy):
    ds = kit.load_dataset(messy)
    assert list(ds.issues.columns) == ["table", "column", "rule", "severity", "count", "rows", "message"]
    assert set(ds.issues["severity"]) <= {"error", "warning", "info"}
    sev = ds.issues["severity"].map({"error": 0, "warning": 1, "info": 2})
    assert sev.is_monotonic_increasing  # errors first
    assert ds.issues["message"].str.len().gt(30).all()


def test_strict_raises_listing_every_problem(messy):
    with pytest.raises(DataError) as info:
        kit.load_dataset(messy, strict=True)
    text = str(info.value)
    assert "strict=True" in text and "13 data problem(s)" in text
    for needle in ("leads.created_at, rule required", "opportunities.status, rule enum",
                   "leads.rep_id, rule orphan", "costs.amount, rule range", "lines 3"):
        assert needle in text


def test_strict_passes_on_clean_data(tmp_path):
    write(tmp_path, "reps.csv", REPS)
    ds = kit.load_dataset(tmp_path, strict=True)
    assert ds.reps["rep_id"].tolist() == ["R1", "R2"]


def test_future_dates_are_flagged(tmp_path):
    soon = (pd.Timestamp.now() + pd.Timedelta(days=40)).strftime("%Y-%m-%d")
    write(tmp_path, "leads.csv", f"lead_id,created_at\nL1,2026-01-05\nL2,{soon}\n")
    write(tmp_path, "targets.csv", f"period,team,revenue_target\n{soon[:7]},Nord,100\n")
    ds = kit.load_dataset(tmp_path)
    got = issue(ds, "leads", "future", "created_at")
    assert (got["severity"], got["count"], got["rows"]) == ("warning", 1, [3])
    assert "after the time of loading" in got["message"]
    assert len(ds.leads) == 2
    assert not ((ds.issues["table"] == "targets") & (ds.issues["rule"] == "future")).any()


def test_survey_score_out_of_range_is_rejected(tmp_path):
    write(tmp_path, "surveys.csv", """
        response_id,responded_at,kind,score
        S1,2026-01-05,NPS,9
        S2,2026-01-05,csat,11
    """)
    ds = kit.load_dataset(tmp_path)
    assert ds.surveys["kind"].tolist() == ["nps"]  # enums are lower-cased
    got = issue(ds, "surveys", "range", "score")
    assert got["severity"] == "error" and "between 0 and 10" in got["message"]


# structural problems: raised, all at once -------------------------------------------

def test_missing_required_columns_of_all_tables_are_raised_together(tmp_path):
    write(tmp_path, "leads.csv", "lead_id,creatd_at\nL1,2026-01-05\n")
    write(tmp_path, "orders.csv", "order_id,ordered_at,customer_id\nO1,2026-01-05,C1\n")
    with pytest.raises(DataError) as info:
        kit.load_dataset(tmp_path)
    text = str(info.value)
    assert "2 structural problems" in text
    assert ("[table 'leads', file 'leads.csv', column 'created_at', rule required_column] the "
            "required column 'created_at' is missing (did you mean 'creatd_at'?)") in text
    assert "Available columns: ['lead_id', 'creatd_at']" in text
    assert "column 'amount', rule required_column" in text
    assert "mapping={'leads': {'columns': {'<your column>': 'created_at'}}}" in text


def test_unknown_table_file(tmp_path):
    write(tmp_path, "lead.csv", "lead_id,created_at\nL1,2026-01-05\n")
    write(tmp_path, "README.md", "not a table")
    with pytest.raises(DataError, match=r"'lead\.csv' names no table of the contract \(did you mean "
                                        r"'leads'\?\); known tables: leads, activities"):
        kit.load_dataset(tmp_path)


def test_unparseable_file_gives_its_lines(tmp_path):
    write(tmp_path, "leads.csv", "lead_id,created_at\nL1,2026-01-05\nL2,2026-01-05,x\n")
    with pytest.raises(DataError, match=r"file 'leads\.csv'.*rule unreadable_file.*line 3 has 3"):
        kit.load_dataset(tmp_path)


def test_missing_source_and_empty_folder(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        kit.load_dataset(tmp_path / "nope")
    with pytest.raises(DataError, match="no table file found"):
        kit.load_dataset(tmp_path)


def test_two_files_for_one_table(tmp_path):
    write(tmp_path, "reps.csv", REPS)
    pd.DataFrame({"rep_id": ["R1"]}).to_parquet(tmp_path / "reps.parquet")
    with pytest.raises(DataError, match="table 'reps' is given twice"):
        kit.load_dataset(tmp_path)


def test_bad_options_raise_parameter_errors(tmp_path):
    write(tmp_path, "reps.csv", REPS)
    with pytest.raises(kit.ParameterError, match="backend='spark' is not allowed"):
        kit.load_dataset(tmp_path, backend="spark")
    with pytest.raises(kit.ParameterError, match="timezone='Mars/Olympus' is not a time zone"):
        kit.load_dataset(tmp_path, timezone="Mars/Olympus")
    with pytest.raises(kit.ParameterError, match="locale='de'"):
        kit.load_dataset(tmp_path, locale="de")


def test_excel_and_parquet_tables_in_a_folder(tmp_path):
    pd.DataFrame({"period": ["01/2026", "02/2026"], "team": ["Nord", "Sud"],
                  "revenue_target": ["12 500,50 €", 9000]}).to_excel(tmp_path / "targets.xlsx", index=False)
    pd.DataFrame({"rep_id": ["R1", "R2"], "team": ["Nord", "Sud"],
                  "hired_at": pd.to_datetime(["2024-01-01 09:00", None])}
                 ).to_parquet(tmp_path / "reps.parquet")
    ds = kit.load_dataset(tmp_path)
    assert ds.targets.to_dict("list") == {
        "period": [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")],
        "team": ["Nord", "Sud"], "revenue_target": [12500.5, 9000.0]}
    assert ds.reps["hired_at"].tolist()[0] == pd.Timestamp("2024-01-01 09:00")
    assert pd.isna(ds.reps["hired_at"].tolist()[1])


def test_as_of_default_and_given(tmp_path):
    write(tmp_path, "leads.csv", "lead_id,created_at\nL1,2026-01-05 10:00\nL2,2026-03-07 18:30\n")
    assert kit.load_dataset(tmp_path).as_of == pd.Timestamp("2026-03-07 18:30")
    assert kit.load_dataset(tmp_path, as_of="2026-02-28").as_of == pd.Timestamp("2026-02-28")


def test_single_file_source_and_unknown_columns(tmp_path):
    path = write(tmp_path, "reps.csv", "rep_id,teem\nR1,Nord\n")
    ds = kit.load_dataset(path)
    assert ds.reps.to_dict("list") == {"rep_id": ["R1"], "teem": ["Nord"]}
    got = issue(ds, "reps", "unknown_column")
    assert got["severity"] == "info" and "(did you mean 'team'?)" in got["message"]


def test_dict_source_with_unknown_key():
    with pytest.raises(DataError, match=r"'lead' is not a table of the contract \(did you mean 'leads'\?\)"):
        kit.load_dataset({"lead": pd.DataFrame({"lead_id": ["L1"]})})


def test_ids_keep_leading_zeros_and_are_stripped(tmp_path):
    write(tmp_path, "reps.csv", "rep_id;team\n 007 ;Nord\n0012;Sud\n")
    assert kit.load_dataset(tmp_path).reps["rep_id"].tolist() == ["007", "0012"]
