"""factkit.spark on a real local Spark session (local[2]). Needs the spark extra and Java; where either is
missing the tests skip, except in CI (CI=true), where .ci/run installs both and a skip would hide a
break, so they fail instead."""

import json
import os
import shutil
import sys
from collections import defaultdict

import pytest

import factkit
from factkit.cli import main
from factkit.fact_table import columns

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

REFERENCE = "2019-03-31"
DOCS = [
    ("d1", "Up to 100 Russian personnel arrived on March 23, with 35 tons of equipment."),
    ("d2", "The S-300 has a range of 310 to 3,420 miles; it cost about $1.5 billion in 1962."),
    ("d3", "Nothing to see here."),
    ("d4", "Prices rose 12% last week, the third rise in 48 hours."),
    ("d5", "The convoy moved between 5 and 10 km on Friday."),
]


def _missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'factkit[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Spark needs Java and none was found"
    return None


@pytest.fixture(scope="module")
def spark():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the Spark tests must run in CI: {reason}")
        pytest.skip(reason)
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers must see this environment's factkit
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("factkit-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def extractor():
    return factkit.Extractor(reference_date=REFERENCE)


@pytest.fixture(scope="module")
def spark_rows(spark, extractor):
    """One Spark job for most tests: the documents, a null text, per-row dates and a failing row."""
    from factkit.spark import with_facts

    rows = [(doc_id, text, None) for doc_id, text in DOCS]
    rows += [("null", None, None), ("dated", "on Friday", "2020-01-01"), ("bad-date", "on Friday", "someday")]
    df = spark.createDataFrame(rows, "id string, text string, published string")  # two partitions
    out = with_facts(df, extractor=extractor, date_col="published", error_col="error")
    return out.schema, {r["id"]: r for r in out.collect()}


def test_the_facts_column_has_the_schema_derived_from_the_fact_models(spark_rows):
    from factkit.spark import facts_type

    schema, _ = spark_rows
    assert schema["facts"].dataType == facts_type()
    assert schema["facts"].dataType.elementType.names == [c.name for c in columns()]
    assert schema.names == ["id", "text", "published", "facts", "error"]


def test_spark_and_the_cli_produce_identical_facts(spark_rows, tmp_path, capsys):
    from factkit.spark import facts_of

    _, rows = spark_rows
    table = tmp_path / "docs.jsonl"
    table.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in DOCS), encoding="utf-8")
    assert main(["extract", str(table), "--reference-date", REFERENCE, "--workers", "2", "--chunk-size", "2"]) == 0
    by_doc = defaultdict(list)
    for line in capsys.readouterr().out.splitlines():
        fact = json.loads(line)
        by_doc[fact.pop("source")].append(fact)
    from_spark = {i: [f.model_dump(mode="json") for f in facts_of(rows[i]["facts"])] for i, _ in DOCS}
    assert from_spark == {i: by_doc.get(i, []) for i, _ in DOCS}
    kinds = {f["kind"] for facts in from_spark.values() for f in facts}
    assert {"quantity", "date", "range", "money", "entity", "percent", "ordinal", "duration"} <= kinds


def test_nulls_dates_and_failing_rows(spark_rows):
    from factkit.spark import facts_of

    _, rows = spark_rows
    assert rows["null"]["facts"] is None and rows["null"]["error"] is None
    assert [f.value for f in facts_of(rows["dated"]["facts"])] == ["2019-12-27"]
    assert rows["bad-date"]["facts"] is None
    assert "not an ISO date" in rows["bad-date"]["error"]
    assert all(rows[i]["error"] is None for i, _ in DOCS)


def test_without_error_col_a_failing_row_fails_the_job(spark, extractor):
    from factkit.spark import with_facts

    df = spark.createDataFrame([("on Friday", "someday")], "text string, published string")
    with pytest.raises(Exception, match="not an ISO date"):
        with_facts(df, extractor=extractor, date_col="published").collect()


def test_unknown_column_is_refused_before_any_job(spark):
    from factkit.spark import with_facts

    df = spark.createDataFrame([("x",)], "body string")
    with pytest.raises(ValueError, match="no column 'text'.*body"):
        with_facts(df)
