"""Reads of what is already committed in the processed bucket."""

from __future__ import annotations

import datetime as dt

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from etl.schemas import INGEST_DATE
from etl.storage import s3


def committed_keys(spark: SparkSession, bucket: str, entity: str, key: str, *, up_to: dt.date) -> DataFrame:
    """Distinct `key` values of the entity's committed batches with ingest_date <= up_to (one bigint
    column); empty when nothing is committed yet. `ingest_date` is read from the files, not the path."""
    schema = T.StructType([T.StructField(key, T.LongType()), T.StructField(INGEST_DATE, T.DateType())])
    if not any(k.endswith(".parquet") for k in s3.list_keys(bucket, f"{entity}/")):
        return spark.createDataFrame([], schema).select(key)
    rows = spark.read.schema(schema).option("recursiveFileLookup", True).parquet(s3.uri(bucket, f"{entity}/"))
    return rows.filter(F.col(INGEST_DATE) <= F.lit(up_to)).select(key).distinct()
