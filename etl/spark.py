"""The SparkSession: Glue's in AWS, a small-machine local one elsewhere (S3 through s3a)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

# hadoop-aws matching pyspark 3.5's Hadoop client, for machines that can reach Maven.
S3A_MAVEN_PACKAGES = "org.apache.hadoop:hadoop-aws:3.3.4"
# sagemaker-pyspark (AWS, Apache-2.0) ships hadoop-aws and the AWS SDK bundle: offline S3A.
_OFFLINE_S3A_JARS = ("hadoop-aws-3.3.1.jar", "aws-java-sdk-bundle-1.11.901.jar")

LOCAL_SETTINGS = {
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
    # The driver's RPC endpoint and block manager listen on loopback only: by default Spark binds the
    # machine's first non-loopback address, opening them to the network. The UI stays off: it ignores
    # these and binds every interface (port 4040 on `::`, seen here) unless SPARK_LOCAL_IP says otherwise.
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    # Local mode runs the executor inside the driver JVM: this heap holds every task. 2g suits 1M orders;
    # at 10M orders orders' check ran out of it, and with ECOMDWH_SPARK_DRIVER_MEMORY=6g it got through.
    "spark.driver.memory": os.environ.get("ECOMDWH_SPARK_DRIVER_MEMORY", "2g"),
    # The check's generated code can be one method over HotSpot's 8000-byte limit for JIT compilation
    # (customers 9.5 kB, orders 8.2 kB of bytecode), which by default then runs interpreted. Compiling it
    # costs seconds once and pays off from about 100k orders: bench/bench_etl.py --scale 200 took 213 s
    # with this flag, 285 s without (measured when that method was 15 kB).
    # A periodic GC once the JVM has idled 5 s gives the heap the ETL grew back to the OS while the
    # warehouse builds (bench/bench_pipeline.py --scale 200: the idle JVM 2.8 GB -> 1.2 GB).
    "spark.driver.extraJavaOptions": "-XX:-DontCompileHugeMethods -XX:G1PeriodicGCInterval=5000",
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    # Spark sizes its memory pages from the heap (32 MB here); with G1's 1 MB regions each page is a
    # humongous object needing that many contiguous free regions, which a fragmented 2g heap could not
    # find once at 1M orders ("Failed to allocate a page", then OutOfMemoryError in the ETL). Larger
    # requests this does not govern (a 64 MB one, retried, in the run after) remain.
    "spark.buffer.pageSize": "4m",
    # etl.pipeline keeps each checked batch in the columnar cache for four jobs; compressing it took
    # longer than reading it back uncompressed (web_events at 1M orders: 82 s vs 51 s to build).
    "spark.sql.inMemoryColumnarStorage.compressed": "false",
    # Dictionary-encoding columns of unique values (ids, emails) costs Parquet writers most of their time
    # before they fall back to plain encoding: web_events at 1M orders wrote in 7.4 s without, 10.3 s
    # with, for files 11% larger (Snappy still compresses repeated values).
    "spark.hadoop.parquet.enable.dictionary": "false",
    # s3:// paths work unchanged in Glue (EMRFS) and locally (S3A).
    "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
    # Fewer S3 round trips per write (each a copy on S3): Spark only ever writes a staging prefix that
    # etl.storage.commit commits itself, so the faster, non-atomic v2 file committer is safe here.
    "spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version": "2",
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    "spark.hadoop.fs.s3a.directory.marker.retention": "keep",
    "spark.hadoop.parquet.summary.metadata.level": "NONE",
}

# Correctness, not tuning, so also set in Glue: a raw file is never split across tasks nor shares one
# with another file (its open cost fills a partition), so each partition holds one file's rows in order
# (how source line numbers are derived); impossible
# dates like 2025-02-30 parse to null instead of raising Spark's legacy-parser upgrade error;
# timestamps are written as standard INT64 micros rather than Spark's legacy INT96; a CSV row's field
# count is checked whatever columns a query reads (with pruning, short rows pass as malformed-free).
CORRECTNESS_SETTINGS = {
    "spark.sql.files.maxPartitionBytes": str(1 << 30),
    "spark.sql.files.openCostInBytes": str(1 << 30),
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.legacy.timeParserPolicy": "CORRECTED",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.csv.parser.columnPruning.enabled": "false",
}


def offline_s3a_jars() -> list[Path]:
    """The S3A jars bundled in the sagemaker-pyspark wheel, located without importing it."""
    spec = importlib.util.find_spec("sagemaker_pyspark")
    if spec is None or not spec.submodule_search_locations:
        return []
    jars_dir = Path(next(iter(spec.submodule_search_locations))) / "jars"
    jars = [jars_dir / name for name in _OFFLINE_S3A_JARS]
    return jars if all(jar.exists() for jar in jars) else []


def s3a_endpoint_settings(environ: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """Hadoop settings pointing S3A at AWS_ENDPOINT_URL (an emulator): path style, plain HTTP."""
    endpoint = environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        return {}
    # A role's session (a Glue job run as its IAM role on the emulator) signs with its token too. The SDK
    # reads it from the environment the JVM inherited: S3A's TemporaryAWSCredentialsProvider initialises
    # lazily and, when entities first touch a bucket from two threads at once, the second finds
    # "no credentials" (Hadoop 3.3.4's AbstractSessionCredentialsProvider marks itself initialised first).
    provider = (
        "com.amazonaws.auth.EnvironmentVariableCredentialsProvider"
        if environ.get("AWS_SESSION_TOKEN")
        else "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"
    )
    return {
        "fs.s3a.endpoint": endpoint,
        "fs.s3a.endpoint.region": environ.get("AWS_REGION", environ.get("AWS_DEFAULT_REGION", "us-east-1")),
        "fs.s3a.path.style.access": "true",
        "fs.s3a.connection.ssl.enabled": str(endpoint.startswith("https")).lower(),
        "fs.s3a.access.key": environ.get("AWS_ACCESS_KEY_ID", "test"),
        "fs.s3a.secret.key": environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        "fs.s3a.aws.credentials.provider": provider,
        "fs.s3a.attempts.maximum": "3",
        "fs.s3a.retry.limit": "3",
    }


def point_s3a_at_endpoint(spark: SparkSession) -> None:
    """Applies s3a_endpoint_settings from the current environment to a running local session. When the
    endpoint changes (tests switch emulators in one JVM), the cached filesystems, which keep the old
    one, are closed; caching stays on, as each new S3A filesystem costs a client and thread pools."""
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
    settings = s3a_endpoint_settings(os.environ)
    if hadoop_conf.get("fs.s3a.endpoint") != settings.get("fs.s3a.endpoint"):
        spark._jvm.org.apache.hadoop.fs.FileSystem.closeAll()
    for key, value in settings.items():
        hadoop_conf.set(key, value)


def get_spark(glue_context: Any = None, app_name: str = "ecomdwh-etl") -> SparkSession:
    """Glue's session when given a GlueContext (Glue's defaults stand); otherwise a local session
    tuned for a small machine, with S3A on the offline jars (or Maven) and pointed at the emulator."""
    if glue_context is not None:
        spark = glue_context.spark_session
    else:
        builder = SparkSession.builder.appName(app_name).master(os.environ.get("SPARK_MASTER", "local[*]"))
        for key, value in LOCAL_SETTINGS.items():
            builder = builder.config(key, value)
        jars = offline_s3a_jars()
        if jars:
            builder = builder.config("spark.jars", ",".join(str(jar) for jar in jars))
        else:
            builder = builder.config("spark.jars.packages", S3A_MAVEN_PACKAGES)
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("WARN")
        point_s3a_at_endpoint(spark)
    for key, value in CORRECTNESS_SETTINGS.items():
        spark.conf.set(key, value)
    return spark
