"""File listing and peeking through Spark's Hadoop filesystem, so the same code reads s3:// (S3A
locally, EMRFS in Glue) and local paths."""

from __future__ import annotations

from pyspark.sql import SparkSession


def _filesystem(spark: SparkSession, path: str):  # noqa: ANN202 - a py4j proxy
    jvm_path = spark._jvm.org.apache.hadoop.fs.Path(path)
    return jvm_path, jvm_path.getFileSystem(spark._jsc.hadoopConfiguration())


def data_files(spark: SparkSession, path: str) -> list[str]:
    """Files directly under `path`, without Spark's hidden ones (names starting with _ or .)."""
    folder, fs = _filesystem(spark, path)
    if not fs.exists(folder):
        return []
    statuses = fs.listStatus(folder)
    names = [status.getPath().toString() for status in statuses if status.isFile()]
    return sorted(n for n in names if not n.rsplit("/", 1)[-1].startswith(("_", ".")))


def first_line(spark: SparkSession, file: str) -> str:
    """The file's first line, decoded as UTF-8 (undecodable bytes replaced)."""
    jvm = spark._jvm
    path, fs = _filesystem(spark, file)
    stream = fs.open(path)
    try:
        reader = jvm.java.io.BufferedReader(jvm.java.io.InputStreamReader(stream, "UTF-8"))
        return reader.readLine() or ""
    finally:
        stream.close()
