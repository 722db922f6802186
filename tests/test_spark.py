"""The kit on PySpark DataFrames: kit.spark, and KPIs of every family equal to pandas.

One local Spark session (``local[2]``) is started for the module. With CI=true a
missing pyspark or Java is a failure, not a skip. The full suite on 100,000 leads
runs in the bench (``python -m bench.spark_suite``).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import kit
from kit.errors import DataError, ParameterError
from tests.conftest import IN_CI
from tests.kpis.golden import sample_dataset

try:
    import pyspark  # noqa: F401
except ImportError:  # pragma: no cover - depends on the environment
    if IN_CI:
        pytest.fail("pyspark is required in CI (CI=true) but is not installed: pip install -e '.[test]'",
                    pytrace=False)
    pytest.skip("pyspark not installed", allow_module_level=True)
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    if IN_CI:
        pytest.fail("Java is required for the PySpark tests in CI (CI=true) but `java` is not on PATH",
                    pytrace=False)
    pytest.skip("Java not installed", allow_module_level=True)

from kit.spark import from_spark, spark_schema, spark_session, to_spark  # noqa: E402

#: At least one KPI per family, with the options that stress Spark (periods, breakdowns,
#: medians, censoring, joins between tables).
SUBSET = [
    ("revenue", {"freq": "M"}),
    ("average_basket", {"by": "team"}),
    ("lead_conversion_rate", {"by": "source", "freq": "Q"}),
    ("time_to_convert", {}),
    ("win_rate", {"freq": "M"}),
    ("cac", {"by": "source"}),
    ("ltv", {}),
    ("repeat_purchase_rate", {}),
    ("nps", {}),
    ("product_lifetime", {}),
    ("email_response_rate", {"by": "rep_id"}),
    ("activity_profile", {}),
]
TABLES = sorted({t for name, _ in SUBSET
                 for t in kit.registry.get(name).tables + kit.registry.get(name).optional_tables})


#: JIT settings that start the JVM faster; the tests run small queries only.
FAST_START = {"spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}


def same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """assert_frame_equal, with missing group keys compared as missing (None or NaN)."""
    def norm(df):
        df = df.copy()
        for c in df.columns:
            if df[c].dtype == object:
                df[c] = df[c].where(df[c].notna(), None)
        return df

    pd.testing.assert_frame_equal(norm(got), norm(expected), check_dtype=False, rtol=1e-9, atol=1e-12)


@pytest.fixture(scope="module")
def spark():
    return spark_session(conf=FAST_START)


@pytest.fixture(scope="module")
def spark_ds(spark):
    return to_spark(sample_dataset(), spark, tables=TABLES, cache=True)


@pytest.mark.parametrize("name,options", SUBSET, ids=[n for n, _ in SUBSET])
def test_kpi_on_spark_equals_pandas(spark_ds, name, options):
    expected = kit.compute(sample_dataset(), name, **options)
    got = kit.compute(spark_ds, name, **options)
    assert len(expected) > 0
    same(got, expected)


def test_subset_covers_every_family():
    families = {kit.registry.get(name).family for name, _ in SUBSET}
    assert families == {"revenue", "funnel", "cost", "satisfaction", "products", "activity"}


def test_filtered_spark_dataset_equals_filtered_pandas(spark_ds):
    window = {"start": "2026-01-01", "end": "2026-07-01", "team": "Nord"}
    expected = kit.compute(sample_dataset().filter(**window), "win_rate", by="rep_id")
    got = kit.compute(spark_ds.filter(**window), "win_rate", by="rep_id")
    assert set(got["rep_id"]) == set(expected["rep_id"]) and len(got) == 4
    same(got, expected)


def test_to_spark_keeps_metadata_and_types(spark_ds):
    ds = sample_dataset()
    assert spark_ds.backend == "spark" and spark_ds.as_of == ds.as_of
    assert sorted(spark_ds.tables) == TABLES
    types = dict(spark_ds.leads.dtypes)
    assert types["created_at"] == "timestamp_ntz" and types["lead_id"] == "string"
    assert dict(spark_ds.activities.dtypes)["replied"] == "boolean"
    assert spark_ds.leads.count() == len(ds.leads)


def test_spark_schema_follows_contract_then_dtypes():
    df = pd.DataFrame({"order_id": [None, None], "amount": [1, 2], "quantity": pd.array([1, None], "Int64"),
                       "lines": pd.array([1, None], "Int64"),
                       "ordered_at": pd.to_datetime(["2026-01-01", None]), "extra": [True, False],
                       "team": [None, None]})
    got = {f.name: f.dataType.simpleString() for f in spark_schema(df, "orders").fields}
    # quantity is a "number" of the contract: double even when given as integers
    assert got == {"order_id": "string", "amount": "double", "quantity": "double", "lines": "bigint",
                   "ordered_at": "timestamp_ntz", "extra": "boolean", "team": "string"}


def test_to_spark_unknown_table_names_the_tables():
    with pytest.raises(DataError, match=r"table\(s\) \['oders'\] are not in the dataset \(did you mean "
                                        r"'orders'\?\); it has \['leads', 'orders'\]"):
        to_spark(kit.Dataset({"leads": sample_dataset().leads, "orders": sample_dataset().orders}),
                 tables=["oders"])


def test_spark_session_is_reused_and_set_for_the_kit(spark):
    assert spark_session() is spark
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"
    assert spark.conf.get("spark.sql.shuffle.partitions") == "4"


@pytest.mark.parametrize("kwargs,match", [
    ({"master": 2}, r"master=2 is not allowed: it must be a string such as 'local\[2\]'"),
    ({"conf": {1: "x"}}, r"conf keys must be Spark setting names \(strings\); received \['1'\]"),
])
def test_spark_session_rejects_bad_options(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        spark_session(**kwargs)


def _opps(spark):
    return spark.createDataFrame(pd.DataFrame({
        "opportunity_id": ["O1", "O2", "O3", "O4"], "rep_id": ["R1", "R2", "R2", None],
        "status": ["won", "lost", "won", "won"],
        "created_at": ["2026-01-02", "2026-01-03", "2026-01-04", "2026-01-04"],
        "closed_at": ["2026-01-05 10:30:00", "2026-01-09", "2026-02-01", "2026-02-03"],
        "team": [None, "Export", None, None]}))


def test_from_spark_casts_enriches_and_sets_as_of(spark):
    reps = spark.createDataFrame(pd.DataFrame({"rep_id": ["R1", "R2"], "team": ["Nord", "Sud"],
                                               "manager": ["Anne", "Marc"]}))
    ds = from_spark({"reps": reps, "opportunities": _opps(spark)})
    assert ds.as_of == pd.Timestamp("2026-02-03")  # latest date of any column: a closed_at
    opps = ds.opportunities.toPandas().sort_values("opportunity_id")
    # the table's own team is kept, gaps are filled from reps, an unknown rep stays empty
    assert opps["team"].tolist() == ["Nord", "Export", "Sud", None]
    assert opps["manager"].tolist() == ["Anne", "Marc", "Marc", None]
    assert dict(ds.opportunities.dtypes)["closed_at"] == "timestamp_ntz"
    assert opps["closed_at"].iloc[0] == pd.Timestamp("2026-01-05 10:30:00")
    res = kit.compute(ds, "win_rate", by="team")
    assert res[["team", "numerator", "denominator"]].to_dict("list") == {
        "team": ["Export", "Nord", "Sud", None], "numerator": [0.0, 1.0, 1.0, 1.0],
        "denominator": [1.0, 1.0, 1.0, 1.0]}


def test_from_spark_without_enrich_keeps_columns(spark):
    reps = spark.createDataFrame(pd.DataFrame({"rep_id": ["R1"], "team": ["Nord"], "manager": ["Anne"]}))
    ds = from_spark({"reps": reps, "opportunities": _opps(spark)}, enrich=False, as_of="2026-03-01")
    assert "manager" not in ds.opportunities.columns and ds.as_of == pd.Timestamp("2026-03-01")


def test_from_spark_reports_every_problem(spark):
    bad_leads = spark.createDataFrame(pd.DataFrame({"lead_id": ["L1"], "created": ["2026-01-01"]}))
    with pytest.raises(DataError) as err:
        from_spark({"leads": bad_leads, "oportunities": _opps(spark), "orders": pd.DataFrame()})
    msg = str(err.value)
    assert "'leads' lacks required column(s) ['created_at'] (did you mean 'created'?)" in msg
    assert "'oportunities' is not a table of the data contract (did you mean 'opportunities'?)" in msg
    assert "'orders' is a pandas.DataFrame, not a pyspark.sql.DataFrame" in msg
    assert "Rename tables and columns to the data contract" in msg
