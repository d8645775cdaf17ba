"""Benchmark the ETL: one raw -> processed run of every entity at 1M orders (datagen scale 200:
1M orders, ~2.45M items, 200k customers, 7k products, 5M events, with dirty rows) on the embedded
emulator's S3, with the same local SparkSession and the same `etl.pipeline.run` the job uses (entities
that do not reference each other run concurrently). Prints Spark's fixed start-up cost separately from
the run, each entity's counts, the run's wall time and rows/s, the CPU time Spark's JVM spent on it
(near wall x cores: the run is CPU-bound, so speed comes from less work, not more overlap) and how much
of it Spark's task threads, HotSpot's JIT compilers and the garbage collector took, and Spark's
floor on this machine: the same raw files read with the same all-string schemas and written as Parquet
to the same S3, with no checks, deduplication, quarantine or audit (run after the ETL, on its warm JVM;
with --floor-only, alone on a fresh JVM, as every job run starts); the ratio to it is what the ETL's own
work costs. Asserts nothing.

    .venv/bin/python bench/bench_etl.py [--scale 200] [--dirty-rate 0.001] [--floor-only]
Target on a 2-core machine: the whole run (all entities, start-up excluded) under 60 s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import boto3
from bench_warehouse import cpu_seconds, stat_cpu_seconds
from pyspark.sql import SparkSession

import datagen
from ecomdwh.contracts import ENTITIES
from emulation import launcher
from etl.options import ENTITY_ORDER, JobOptions
from etl.pipeline import run
from etl.schemas import raw_read_schema
from etl.spark import get_spark
from etl.storage import s3
from etl.storage.layout import batch_prefix

TARGET_SECONDS = 60.0
CORES = os.cpu_count() or 1
T = TypeVar("T")
RAW, PROCESSED = "bench-etl-raw", "bench-etl-processed"


def land(scale: float, dirty_rate: float) -> str:
    started = time.perf_counter()
    batch, manifest = datagen.generate_and_write(scale, 0, 42, f"s3://{RAW}", dirty_rate=dirty_rate)
    size = sum(f["bytes"] for f in manifest["files"])
    rows = sum(manifest["rows"].values())
    print(
        f"landed scale {scale:g}: {rows:,} raw rows, {size / 1e6:,.0f} MB in {time.perf_counter() - started:.1f} s"
    )
    return batch.ground_truth["ingest_date"]


def bench(scale: float, dirty_rate: float, *, floor_only: bool) -> None:
    for name in (RAW, PROCESSED):
        boto3.client("s3").create_bucket(Bucket=name)
    ingest_date = land(scale, dirty_rate)

    started = time.perf_counter()
    spark = get_spark(app_name="bench-etl")
    spark.range(1).count()  # the first job also pays JVM warm-up
    startup = time.perf_counter() - started
    print(f"Spark start-up (fixed cost, paid once per job run): {startup:6.2f} s")
    jvm = spark._jvm.java.lang.ProcessHandle.current().pid()

    if floor_only:
        _, floor = measured(jvm, lambda: spark_floor(spark, ingest_date))
        print(f"Spark floor on a fresh JVM (as a job run has): {floor.seconds:.1f} s")
        print(floor.report())
        spark.stop()
        return

    options = JobOptions("bench-etl", RAW, PROCESSED, ingest_date, ENTITY_ORDER, 1.0)
    audits, etl = measured(jvm, lambda: run(spark, options))
    seconds = etl.seconds
    print(f"  {'entity':<12} {'received':>11} {'accepted':>11} {'rejected':>9}")
    for audit in audits:
        rejected = audit.rejected
        print(f"  {audit.entity:<12} {audit.received:>11,} {audit.accepted:>11,} {rejected:>9,}")
    total_rows = sum(audit.received for audit in audits)
    print(
        f"raw -> processed, all entities: {total_rows:,} rows in {seconds:.1f} s, {total_rows / seconds:,.0f} rows/s "
        f"(target {TARGET_SECONDS:.0f} s: {seconds / TARGET_SECONDS:.2f}x of target); "
        f"with start-up {seconds + startup:.1f} s; {CORES} cores"
    )
    print(etl.report())
    _, floor = measured(jvm, lambda: spark_floor(spark, ingest_date))
    print(
        f"Spark floor (read the raw files, write them as Parquet; no checks) after the run, on its warm JVM: "
        f"{floor.seconds:.1f} s; the ETL run takes {seconds / floor.seconds:.2f}x the floor "
        "(--floor-only: the floor on a fresh JVM)"
    )
    spark.stop()


@dataclass(frozen=True)
class JvmTime:
    """Wall seconds of something Spark's JVM ran, and the JVM's CPU seconds in it, whole and by thread kind."""

    seconds: float
    cpu: float
    by_kind: Counter[str]

    def report(self) -> str:
        kinds = self.by_kind
        return (
            f"Spark JVM CPU time: {self.cpu:.1f} s ({self.cpu / (self.seconds * CORES):.0%} of {CORES} cores' wall "
            f"time); of it, Spark's task threads {kinds['tasks']:.1f} s, HotSpot's JIT compilers {kinds['JIT']:.1f} s, "
            f"the garbage collector {kinds['GC']:.1f} s (threads that ended meanwhile are not counted)"
        )


def measured(jvm: int, action: Callable[[], T]) -> tuple[T, JvmTime]:
    """`action`'s result, and its wall time with the CPU time of the JVM (process `jvm`) meanwhile."""
    cpu_before, threads_before = cpu_seconds(jvm), cpu_by_thread_kind(jvm)
    started = time.perf_counter()
    result = action()
    seconds, cpu = time.perf_counter() - started, cpu_seconds(jvm) - cpu_before
    by_kind = cpu_by_thread_kind(jvm)
    by_kind.subtract(threads_before)
    return result, JvmTime(seconds, cpu, by_kind)


def cpu_by_thread_kind(pid: int) -> Counter[str]:
    """CPU seconds so far of process `pid`'s live threads, by kind (from their /proc names): Spark's task
    threads, HotSpot's JIT compiler threads, the garbage collector's threads, and the rest."""
    seconds: Counter[str] = Counter()
    for thread in Path(f"/proc/{pid}/task").iterdir():
        try:
            seconds[_thread_kind((thread / "comm").read_text())] += stat_cpu_seconds(thread / "stat")
        except OSError:
            continue  # the thread ended while being read
    return seconds


def _thread_kind(name: str) -> str:
    if name.startswith("Executor task"):
        return "tasks"
    if "CompilerThre" in name:
        return "JIT"
    if name.startswith(("GC Thread", "G1 ")):
        return "GC"
    return "other"


def spark_floor(spark: SparkSession, ingest_date: str) -> None:
    """Reads every entity's raw batch with its all-string schema and writes it as Parquet."""
    for entity in ENTITY_ORDER:
        contract = ENTITIES[entity]
        reader = spark.read.schema(raw_read_schema(contract))
        source = s3.uri(RAW, batch_prefix(entity, ingest_date))
        rows = reader.json(source) if contract.format == "json" else reader.option("header", True).csv(source)
        rows.write.mode("overwrite").parquet(s3.uri(PROCESSED, f"_bench_floor/{entity}/"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=200.0)
    parser.add_argument("--dirty-rate", type=float, default=0.001)
    parser.add_argument(
        "--floor-only", action="store_true", help="measure only Spark's floor, on a fresh (cold) JVM"
    )
    args = parser.parse_args()
    state_dir = Path(tempfile.mkdtemp(prefix="bench-etl-"))
    emulator, _ = launcher.start(backend="moto", port=launcher.free_port(), state_dir=state_dir)
    try:
        os.environ.update(emulator.sdk_environment())
        bench(args.scale, args.dirty_rate, floor_only=args.floor_only)
    finally:
        launcher.stop(state_dir)


if __name__ == "__main__":
    main()
