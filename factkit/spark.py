"""Facts as a Spark column (optional extra ``factkit[spark]``): :func:`with_facts` adds to a DataFrame a
column holding each row's facts as an array of structs.

The struct's fields are the columns of :mod:`factkit.fact_table` (derived from the fact models: numbers
as doubles, a date's ISO value in ``value_text``, an entity's attributes as JSON text), so the facts
Spark holds are the facts the command line writes, and :func:`facts_of` turns them back into fact
objects. The extractor is pickled once on the driver and unpickled once per Python worker process on the
executors (Spark reuses its Python workers), not once per row or batch. Rows go through ``mapInPandas``,
a batch of rows at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import pickle
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from .extractor import Extractor
from .fact_table import Column, columns, from_row, to_row
from .facts import Fact

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame
    from pyspark.sql.types import ArrayType, StructType


def with_facts(df: DataFrame, text_col: str = "text", *, output_col: str = "facts",
               extractor: Extractor | None = None, date_col: str | None = None,
               error_col: str | None = None) -> DataFrame:
    """``df`` with ``output_col`` added: the facts of ``text_col``, an array of :func:`fact_struct`.

    ``extractor`` defaults to every built-in pack (its packs travel pickled, so paths need not exist on
    the executors). ``date_col`` holds each row's reference date (a date or ISO text). A null text gets
    null facts. A row whose extraction fails fails the job, unless ``error_col`` is given: then that
    row's facts are null and ``error_col`` says why.
    """
    from pyspark.sql.types import StringType, StructField, StructType

    for name in (text_col, date_col):
        if name is not None and name not in df.columns:
            raise ValueError(f"no column {name!r} in the DataFrame (columns: {', '.join(df.columns)})")
    payload = pickle.dumps(extractor if extractor is not None else Extractor())
    token = hashlib.sha256(payload).hexdigest()
    cols = columns()
    fields = [f for f in df.schema.fields if f.name not in (output_col, error_col)]
    fields.append(StructField(output_col, facts_type(cols), nullable=True))
    if error_col:
        fields.append(StructField(error_col, StringType(), nullable=True))

    def extract_batches(batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        ex = _worker_extractor(token, payload)
        for batch in batches:
            dates = batch[date_col] if date_col else [None] * len(batch)
            cells = [_cell(ex, text, date, cols, error_col is not None) for text, date in zip(batch[text_col], dates)]
            batch[output_col] = [facts for facts, _ in cells]
            if error_col:
                batch[error_col] = [error for _, error in cells]
            yield batch

    return df.mapInPandas(extract_batches, StructType(fields))


def fact_struct(cols: Sequence[Column] | None = None) -> StructType:
    """The Spark struct of one fact: one field per :mod:`factkit.fact_table` column, all nullable."""
    from pyspark.sql.types import BooleanType, DoubleType, LongType, StringType, StructField, StructType

    types = {"string": StringType(), "json": StringType(), "integer": LongType(), "number": DoubleType(),
             "boolean": BooleanType()}
    return StructType([StructField(c.name, types[c.type], nullable=True) for c in (cols or columns())])


def facts_type(cols: Sequence[Column] | None = None) -> ArrayType:
    """The type of a facts column: an array of :func:`fact_struct`."""
    from pyspark.sql.types import ArrayType

    return ArrayType(fact_struct(cols), containsNull=False)


def facts_of(cell: Sequence[Any] | None) -> list[Fact]:
    """The fact objects in one row's facts column (a list of Spark ``Row`` or dicts); none for null."""
    return [from_row(r.asDict() if hasattr(r, "asDict") else r) for r in cell or ()]


_extractors: dict[str, Extractor] = {}


def _worker_extractor(token: str, payload: bytes) -> Extractor:
    """The extractor of ``payload``, unpickled once per process and kept for the next tasks."""
    extractor = _extractors.get(token)
    if extractor is None:
        extractor = _extractors[token] = pickle.loads(payload)
    return extractor


def _cell(extractor: Extractor, text: Any, date: Any, cols: Sequence[Column],
          keep_going: bool) -> tuple[list[dict[str, Any]] | None, str | None]:
    if text is None or (isinstance(text, float) and math.isnan(text)):  # null arrives as None or NaN
        return None, None
    reference = _date(date)
    try:
        facts = extractor.extract(text, reference_date=reference)
    except Exception as exc:  # noqa: BLE001 -- reported in error_col when asked, else re-raised
        if not keep_going:
            raise
        return None, f"{type(exc).__name__}: {exc}"
    return [_spark_row(f, cols) for f in facts], None


def _spark_row(fact: Fact, cols: Sequence[Column]) -> dict[str, Any]:
    row = to_row(fact, list(cols))
    for c in cols:
        if c.type == "number" and row[c.name] is not None:
            row[c.name] = float(row[c.name])
    return row


def _date(value: Any) -> dt.date | str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        return value.to_pydatetime().date()
    return value  # type: ignore[no-any-return]
