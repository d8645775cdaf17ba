"""File listing and peeking through Spark's Hadoop filesystem, so the same code reads s3:// (S3A
locally, EMRFS in Glue) and local paths. Compressed files (.gz, .bz2, ... by extension) are peeked at
through Hadoop's codec for their extension, as Spark's readers decompress them."""

from __future__ import annotations

from dataclasses import dataclass

from py4j.protocol import Py4JJavaError
from pyspark.sql import SparkSession

# A CSV header or a JSON record's start is far shorter; a first line longer than this is not a header.
FIRST_LINE_MAX_BYTES = 1 << 16


def _filesystem(spark: SparkSession, path: str):  # noqa: ANN202 - a py4j proxy
    jvm_path = spark._jvm.org.apache.hadoop.fs.Path(path)
    return jvm_path, jvm_path.getFileSystem(spark._jsc.hadoopConfiguration())


def _codec(spark: SparkSession, path):  # noqa: ANN001, ANN202 - py4j proxies
    factory = spark._jvm.org.apache.hadoop.io.compress.CompressionCodecFactory(
        spark._jsc.hadoopConfiguration()
    )
    return factory.getCodec(path)


def _open(spark: SparkSession, file: str):  # noqa: ANN202 - a py4j proxy
    """The file's bytes, decompressed when its extension names a codec."""
    path, fs = _filesystem(spark, file)
    stream = fs.open(path)
    codec = _codec(spark, path)
    return codec.createInputStream(stream) if codec is not None else stream


def data_files(spark: SparkSession, path: str) -> list[str]:
    """Files directly under `path`, without Spark's hidden ones (names starting with _ or .)."""
    return [name for name, _ in sized_data_files(spark, path)]


def sized_data_files(spark: SparkSession, path: str) -> list[tuple[str, int]]:
    """As data_files, each with its length in bytes as stored (from the one listing, no request per file)."""
    folder, fs = _filesystem(spark, path)
    if not fs.exists(folder):
        return []
    files = [(s.getPath().toString(), int(s.getLen())) for s in fs.listStatus(folder) if s.isFile()]
    return sorted(f for f in files if not f[0].rsplit("/", 1)[-1].startswith(("_", ".")))


@dataclass(frozen=True)
class FirstLine:
    text: str  # decoded as UTF-8 (undecodable bytes replaced), without the line ending
    complete: bool  # False: no line end within FIRST_LINE_MAX_BYTES, `text` is only its start


def first_line(spark: SparkSession, file: str, max_bytes: int = FIRST_LINE_MAX_BYTES) -> FirstLine:
    """The file's first line (decompressed), reading at most `max_bytes` whatever the file holds, so a
    file without line breaks costs no more than a short one."""
    stream = _open(spark, file)
    try:
        head = bytes(stream.readNBytes(max_bytes + 1))
    finally:
        stream.close()
    line, newline, _ = head.partition(b"\n")
    complete = bool(newline) or len(head) <= max_bytes
    return FirstLine(line[:max_bytes].rstrip(b"\r").decode("utf-8", errors="replace"), complete)


def is_compressed(spark: SparkSession, file: str) -> bool:
    path, _ = _filesystem(spark, file)
    return _codec(spark, path) is not None


def decompression_error(spark: SparkSession, file: str) -> str | None:
    """Decompresses the whole file in the driver's JVM (nothing crosses to Python) and returns why it
    failed (a truncated or corrupt stream), or None when it reads to its end."""
    try:
        stream = _open(spark, file)
        try:
            stream.transferTo(spark._jvm.java.io.OutputStream.nullOutputStream())
        finally:
            stream.close()
    except Py4JJavaError as exc:
        error = exc.java_exception
        return f"{error.getClass().getName()}: {error.getMessage()}"
    return None
