import datetime as dt
from decimal import Decimal

import pytest
from pyspark.sql import Row
from pyspark.sql import functions as F
from spark_fixtures import assertDataFrameEqual

from etl.transforms.cast import parse


@pytest.mark.parametrize(
    ("contract_type", "texts", "expected"),
    [
        ("int", ["42", "+5", "-3", "12.7", "abc"], [42, 5, -3, None, None]),
        (
            "decimal(12,2)",
            ["99.90", "4", ".5", "1e3", "12345678901.00", "1.005", "1.0050", "NaN", "Infinity"],
            [Decimal("99.90"), Decimal("4.00"), Decimal("0.50"), None, None, None, None, None, None],
        ),
        ("date", ["2025-02-28", "2025-02-30", "02/28/2025"], [dt.date(2025, 2, 28), None, None]),
        (
            "timestamp",
            [
                "2025-12-31 09:30:00",
                "2025-12-31T09:30:00.5",
                "yesterday",
                "2025",
                "2025-12",
                "2025-12-31",
                "1767173400",
            ],
            [
                dt.datetime(2025, 12, 31, 9, 30),
                dt.datetime(2025, 12, 31, 9, 30, 0, 500000),
                None,
                None,
                None,
                None,
                None,
            ],
        ),
        ("boolean", ["true", "FALSE", "1", "maybe"], [True, False, True, None]),
    ],
)
def test_values_parse_strictly_or_become_null(spark, contract_type, texts, expected):
    df = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "i int, text string")
    actual = df.select("i", parse(F.col("text"), contract_type).alias("value"))
    assertDataFrameEqual(actual, [Row(i=i, value=v) for i, v in enumerate(expected)])
