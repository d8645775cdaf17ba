"""Benchmark the whole pipeline locally, stage by stage, on a fresh embedded emulator (own state dir,
free port, stopped at the end): generate -> land raw in S3 -> ETL raw -> processed (PySpark, Spark
start-up shown apart) -> warehouse build (apply_schema + load_day through the Redshift Data API) ->
DQ checks -> analytics (every query bench/bench_warehouse.py times, one per mart). Prints per stage
wall seconds, rows and rows/s, the total, and the peak RSS of the whole process tree (this process,
the emulator, Spark's JVM, their children; sampled every 0.2 s from /proc). Each stage calls the code
the pipeline's step runs (datagen.write_batch, etl.pipeline.run, ecomdwh.warehouse.runner,
ecomdwh.dq.step) in this process, not through the Step Functions state machine or Glue StartJobRun:
no crawlers, no state-machine polling, and one SparkSession for all days.

In the same run, two references: tpchgen-cli SF1 Parquet generation (generate rows/s over tpchgen's),
and a DuckDB-only baseline of the same transformations on local copies of the same raw files
(bench/duckdb_baseline.py; ratios ours/baseline for ETL, warehouse, DQ, analytics and total).
Targets (issue 9, 2 cores): the full pipeline under 90 s, peak memory under 6 GB. Asserts nothing.

    .venv/bin/python bench/bench_pipeline.py [--scale 200] [--days 1] [--dirty-rate 0.001]
    .venv/bin/python bench/bench_pipeline.py --scales 20,200,2000   # growth table between scales
--scale 200 is 1M orders (datagen's scale: 5,000 orders per unit). --days N runs day 0 plus N-1
change days, each through every stage, and prints each stage's time per day.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
from bench_warehouse import ANALYTICS_QUERIES
from duckdb_baseline import BaselineTimes, run_baseline

import datagen
from ecomdwh.config import bucket
from ecomdwh.dq.step import run_data_quality
from ecomdwh.warehouse import runner
from emulation import launcher
from emulation.redshift_cluster import create_cluster
from etl.options import ENTITY_ORDER, JobOptions
from etl.pipeline import run as run_etl
from etl.spark import get_spark

TARGET_SECONDS, TARGET_PEAK_BYTES = 90.0, 6 * 1024**3
SAMPLE_SECONDS = 0.2
STAGES = ("generate", "land", "spark start-up", "etl", "warehouse", "dq", "analytics")
LABELS = {
    "generate": "generate",
    "land": "land (raw -> S3)",
    "spark start-up": "Spark start-up",
    "etl": "ETL raw -> processed",
    "warehouse": "warehouse build",
    "dq": "DQ checks",
    "analytics": f"analytics ({len(ANALYTICS_QUERIES)} queries)",
}
# what the rows column counts, per stage
ROW_NOTES = {
    "generate": "raw rows",
    "land": "raw rows",
    "spark start-up": "",
    "etl": "rows received",
    "warehouse": "processed rows loaded",
    "dq": "rows checked",
    "analytics": "rows returned",
}


class RssSampler(threading.Thread):
    """Peak summed VmRSS of a process tree, read from /proc every `interval` seconds."""

    def __init__(self, root: int, interval: float = SAMPLE_SECONDS) -> None:
        super().__init__(daemon=True, name="rss-sampler")
        self.root, self.interval = root, interval
        self.emulator_pid: int | None = None
        self.peak, self.peak_parts, self.peak_at = 0, {}, 0.0
        self.peak_by_kind: dict[str, int] = {}  # each kind's own peak, whenever it happened
        self._done = threading.Event()

    @staticmethod
    def _children(pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                found += [int(child) for child in task.read_text().split()]
        return found

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _kind(self, pid: int, under_emulator: bool) -> str:
        if pid == self.root:
            return "this process"
        if under_emulator:
            return "emulator"
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            return "children"
        return "Spark JVM" if comm == "java" else "children"

    def sample(self) -> None:
        parts: dict[str, int] = {}
        pending, seen = [(self.root, False)], set()
        while pending:
            pid, under_emulator = pending.pop()
            if pid in seen:
                continue
            seen.add(pid)
            under_emulator = under_emulator or pid == self.emulator_pid
            kind = self._kind(pid, under_emulator)
            parts[kind] = parts.get(kind, 0) + self._rss(pid)
            pending += [(child, under_emulator) for child in self._children(pid)]
        for kind, size in parts.items():
            self.peak_by_kind[kind] = max(self.peak_by_kind.get(kind, 0), size)
        total = sum(parts.values())
        if total > self.peak:
            self.peak, self.peak_parts, self.peak_at = total, parts, time.perf_counter()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._done.set()
        self.join()
        self.sample()


@dataclass
class Run:
    scale: float
    seconds: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STAGES})
    rows: dict[str, list[int]] = field(default_factory=lambda: {s: [] for s in STAGES})
    ingest_dates: list[date] = field(default_factory=list)
    emulator_start: float = 0.0
    local_copy: float = 0.0
    landed_mb: float = 0.0
    peak: int = 0
    peak_parts: dict[str, int] = field(default_factory=dict)
    peak_stage: str = "no stage"
    stage_spans: list[tuple[str, float, float]] = field(default_factory=list)  # (stage, started, ended)
    baseline: BaselineTimes | None = None
    baseline_peak: int = 0

    def stage_seconds(self, stage: str) -> float:
        return sum(self.seconds[stage])

    def stage_rows(self, stage: str) -> int:
        return sum(self.rows[stage])

    def total(self) -> float:
        return sum(self.stage_seconds(s) for s in STAGES)


@dataclass
class Stage:
    rows: int = 0


@contextmanager
def stage(run: Run, name: str) -> Iterator[Stage]:
    """Times the block as stage `name` of `run`; the block sets the rows it handled."""
    counted, started = Stage(), time.perf_counter()
    yield counted
    ended = time.perf_counter()
    run.seconds[name].append(ended - started)
    run.stage_spans.append((name, started, ended))
    run.rows[name].append(counted.rows)
    print(f"    {LABELS[name]:<24} {run.seconds[name][-1]:8.2f} s", flush=True)


def pipeline(scale: float, days: int, dirty_rate: float, seed: int, work: Path, baseline: bool) -> Run:
    result = Run(scale)
    sampler = RssSampler(os.getpid())
    sampler.start()
    state_dir = work / "emulator"
    started = time.perf_counter()
    emulator, _ = launcher.start(backend="moto", port=launcher.free_port(), state_dir=state_dir)
    result.emulator_start = time.perf_counter() - started
    sampler.emulator_pid = emulator.pid
    spark = None
    try:
        os.environ.update(emulator.sdk_environment())
        raw, processed = bucket("raw"), bucket("processed")
        s3 = boto3.client("s3")
        for name in (raw, processed):
            s3.create_bucket(Bucket=name)
        create_cluster(runner.LOCAL_CLUSTER_ID, runner.LOCAL_DATABASE)
        warehouse = runner.RedshiftData(poll_seconds=0.02)
        for day in range(days):
            print(f"  day {day}:", flush=True)
            with stage(result, "generate") as counted:
                batch = datagen.generate_day(scale=scale, day=day, seed=seed, dirty_rate=dirty_rate)
                counted.rows = sum(file.rows for file in batch.raw_files())
            ingest_date = batch.ingest_date
            result.ingest_dates.append(ingest_date)
            with stage(result, "land") as counted:
                manifest = datagen.write_batch(batch, f"s3://{raw}")
                counted.rows = sum(manifest["rows"].values())
            result.landed_mb += sum(f["bytes"] for f in manifest["files"]) / 1e6
            if baseline:  # the baseline's input: the same batch written locally (in no stage's time)
                copy_started = time.perf_counter()
                datagen.write_batch(batch, work / "raw")
                result.local_copy += time.perf_counter() - copy_started
            del batch
            # arrow's pool would otherwise keep the freed tables' memory (~1 GB at --scale 200) for the rest
            # of the run, for allocations this process no longer makes
            pa.default_memory_pool().release_unused()

            with stage(result, "spark start-up"):
                if spark is None:
                    spark = get_spark(app_name="bench-pipeline")
                    spark.range(1).count()  # the first job also pays JVM warm-up
            options = JobOptions("bench-pipeline", raw, processed, ingest_date.isoformat(), ENTITY_ORDER, 1.0)
            with stage(result, "etl") as counted:
                audits = run_etl(spark, options)
                counted.rows = sum(a.received for a in audits)
                # A Glue job's JVM exits with the job; this one stays for the next day, so it returns the
                # heap the ETL grew now (a full GC shrinks it), not at G1's next periodic GC, which came
                # after the warehouse build's memory peak in some runs (idle JVM 2.6 GB, peak 6.18 GB)
                spark._jvm.java.lang.System.gc()
            with stage(result, "warehouse") as counted:
                if day == 0:
                    runner.apply_schema(warehouse)
                runner.load_day(ingest_date, warehouse)
                counted.rows = sum(a.accepted for a in audits)
            with stage(result, "dq") as counted:
                outcome = run_data_quality(warehouse=warehouse, ingest_date=ingest_date)
                counted.rows = sum(r.checked_rows for r in outcome.run.results)
            with stage(result, "analytics") as counted:
                counted.rows = sum(len(warehouse.query(sql)) for sql in ANALYTICS_QUERIES.values())
    finally:
        try:
            if spark is not None:
                spark.stop()  # raises when the JVM died (out of memory): the emulator is stopped anyway
        finally:
            launcher.stop(state_dir)
            sampler.stop()
    result.peak, result.peak_parts = sampler.peak, sampler.peak_parts
    result.peak_stage = next(
        (LABELS[name] for name, began, ended in result.stage_spans if began <= sampler.peak_at <= ended),
        "between stages",
    )
    return result


def tpchgen(work: Path) -> tuple[float, int] | None:
    executable = Path(sys.executable).parent / "tpchgen-cli"
    if not executable.exists():
        print("tpchgen-cli not found in the venv (pinned: tpchgen-cli==4.0.0); ratio skipped")
        return None
    out = work / "tpch"
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - fixed argv
        [str(executable), "parquet", "-s", "1", f"--output-dir={out}"], check=True, capture_output=True
    )
    seconds = time.perf_counter() - started
    rows = sum(pq.ParquetFile(path).metadata.num_rows for path in out.rglob("*.parquet"))
    shutil.rmtree(out)
    return seconds, rows


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>12,.0f}" if rows and seconds > 0 else f"{'':>12}"


def _gb(nbytes: int) -> str:
    return f"{nbytes / 1024**3:.2f} GB"


def report(run: Run, days: int) -> None:
    print(
        f"\npipeline at scale {run.scale:g} ({days} day{'s' if days > 1 else ''}; {os.cpu_count()} cores; "
        f"emulator start-up {run.emulator_start:.1f} s and baseline input copy {run.local_copy:.1f} s "
        "not in any stage):"
    )
    print(f"  {'stage':<24} {'seconds':>9} {'rows':>12} {'rows/s':>12}  rows are")
    for stage in STAGES:
        seconds, rows = run.stage_seconds(stage), run.stage_rows(stage)
        note = ROW_NOTES[stage] + (f", {run.landed_mb:,.0f} MB" if stage == "land" else "")
        print(f"  {LABELS[stage]:<24} {seconds:>9.2f} {rows:>12,} {_rate(rows, seconds)}  {note}")
    total, raw_rows = run.total(), run.stage_rows("generate")
    print(f"  {'total':<24} {total:>9.2f} {raw_rows:>12,} {_rate(raw_rows, total)}  raw rows, end to end")
    parts = ", ".join(f"{kind} {_gb(size)}" for kind, size in sorted(run.peak_parts.items()))
    print(f"  peak RSS of the process tree: {_gb(run.peak)} ({parts}), during {run.peak_stage}")
    if days > 1:
        print("  seconds per day (day 0 holds a year of history; later days are change days):")
        days_header = " ".join(f"{'day ' + str(d):>9}" for d in range(days))
        print(f"  {'stage':<24} {days_header} {'day 1/day 0':>12} {'per day after 1':>16}")
        for name in STAGES:
            values = run.seconds[name]
            first = f"{values[1] / values[0]:.2f}" if values[0] > 0 else "-"
            later = (
                f"{(values[-1] / values[1]) ** (1 / (days - 2)):.2f}x" if days > 2 and values[1] > 0 else "-"
            )
            print(
                f"  {LABELS[name]:<24} "
                + " ".join(f"{v:>9.2f}" for v in values)
                + f" {first:>12} {later:>16}"
            )


def compare(run: Run, reference: tuple[float, int] | None) -> None:
    if reference:
        tpch_seconds, tpch_rows = reference
        tpch_rate = tpch_rows / tpch_seconds
        generate = run.stage_rows("generate") / run.stage_seconds("generate")
        with_land = run.stage_rows("generate") / (run.stage_seconds("generate") + run.stage_seconds("land"))
        print(
            f"\nvs tpchgen-cli SF1 parquet: {tpch_rows:,} rows in {tpch_seconds:.2f} s = {tpch_rate:,.0f} rows/s; "
            f"ours/tpchgen rows/s: generate {generate / tpch_rate:.2f}, generate + land {with_land / tpch_rate:.2f}"
        )
    if run.baseline:
        base = run.baseline
        etl = run.stage_seconds("etl")
        startup = run.stage_seconds("spark start-up")
        pairs = [
            ("ETL (without Spark start-up)", etl, sum(base.etl)),
            ("ETL (with Spark start-up)", etl + startup, sum(base.etl)),
            ("warehouse build", run.stage_seconds("warehouse"), sum(base.warehouse)),
            ("DQ checks", run.stage_seconds("dq"), sum(base.dq)),
            ("analytics", run.stage_seconds("analytics"), sum(base.analytics)),
            ("total (ETL .. analytics)", sum(run.stage_seconds(s) for s in STAGES[2:]), base.total()),
        ]
        print(
            "\nvs DuckDB-only baseline (same raw files read locally, same cleaning rules, same translated "
            f"warehouse SQL on in-process DuckDB; bench/duckdb_baseline.py; peak RSS of this process while it ran {_gb(run.baseline_peak)}; "
            f"accepted rows ours {run.stage_rows('warehouse'):,} / baseline {sum(base.etl_rows):,}):"
        )
        print(f"  {'':<30} {'ours s':>9} {'baseline s':>11} {'ours/baseline':>14}")
        for label, ours, theirs in pairs:
            print(f"  {label:<30} {ours:>9.2f} {theirs:>11.2f} {ours / theirs:>14.2f}")
    total = run.total()
    print(
        f"\ntargets (issue 9, 2 cores): full pipeline < {TARGET_SECONDS:.0f} s -> {total:.1f} s, "
        f"{total / TARGET_SECONDS:.2f}x of target {'OK' if total < TARGET_SECONDS else 'OVER'}; "
        f"peak memory < {_gb(TARGET_PEAK_BYTES)} -> {_gb(run.peak)}, {run.peak / TARGET_PEAK_BYTES:.2f}x of target "
        f"{'OK' if run.peak < TARGET_PEAK_BYTES else 'OVER'}"
    )


def growth(runs: list[Run]) -> None:
    print("\ngrowth with scale: seconds per stage, and the time ratio to the previous scale (rows ratio):")
    header = f"  {'stage':<24} " + " ".join(f"{'scale ' + format(r.scale, 'g'):>12}" for r in runs)
    print(
        header + "".join(f" {f'{a.scale:g}->{b.scale:g}':>18}" for a, b in zip(runs, runs[1:], strict=False))
    )
    for stage in (*STAGES, "total"):
        seconds = [r.total() if stage == "total" else r.stage_seconds(stage) for r in runs]
        rows = [r.stage_rows("generate" if stage == "total" else stage) for r in runs]
        label = "total" if stage == "total" else LABELS[stage]
        line = f"  {label:<24} " + " ".join(f"{s:>12.2f}" for s in seconds)
        for i in range(1, len(runs)):
            time_ratio = f"{seconds[i] / seconds[i - 1]:.2f}" if seconds[i - 1] > 0 else "-"
            rows_ratio = f"({rows[i] / rows[i - 1]:.1f})" if rows[i - 1] else ""
            line += f" {time_ratio + ' ' + rows_ratio:>18}"
        print(line)
    print("  peak RSS                 " + " ".join(f"{_gb(r.peak):>12}" for r in runs))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=200.0, help="200 = 1M orders (the target)")
    parser.add_argument(
        "--scales", help="comma-separated scales, e.g. 20,200,2000: one run each, then a growth table"
    )
    parser.add_argument("--days", type=int, default=1, help="day 0 plus DAYS-1 change days")
    parser.add_argument("--dirty-rate", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-tpchgen", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--result-json", type=Path, help=argparse.SUPPRESS)  # used by --scales
    args = parser.parse_args()
    if args.days < 1:
        parser.error("--days must be at least 1")
    if args.scales:
        scales_run(args)
        return
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as folder:
        work = Path(folder)
        print(f"pipeline at scale {args.scale:g} on a fresh emulator ({work}):", flush=True)
        run = pipeline(args.scale, args.days, args.dirty_rate, args.seed, work, not args.skip_baseline)
        if not args.skip_baseline:
            print("  DuckDB-only baseline ...", flush=True)
            sampler = RssSampler(os.getpid())
            sampler.start()
            try:
                run.baseline = run_baseline(
                    work / "raw", work / "baseline", run.ingest_dates, ANALYTICS_QUERIES
                )
            finally:
                sampler.stop()
            # the baseline runs in this process; PySpark's idle JVM lives on until exit, so not the tree
            run.baseline_peak = sampler.peak_by_kind.get("this process", 0)
        reference = None
        if not args.skip_tpchgen:
            print("  tpchgen-cli SF1 ...", flush=True)
            reference = tpchgen(work)
    report(run, args.days)
    compare(run, reference)
    if args.result_json:
        args.result_json.write_text(json.dumps(dataclasses.asdict(run), default=str))


def scales_run(args: argparse.Namespace) -> None:
    """One child process per scale (a fresh emulator, Spark JVM and memory peak each), then growth."""
    scales = [float(s) for s in args.scales.split(",")]
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-scales-") as folder:
        for index, scale in enumerate(scales):
            result = Path(folder) / f"scale-{index}.json"
            command = [sys.executable, __file__, "--scale", str(scale), "--days", str(args.days)]
            command += ["--dirty-rate", str(args.dirty_rate), "--seed", str(args.seed)]
            command += ["--result-json", str(result)]
            command += ["--skip-baseline"] if args.skip_baseline else []
            command += ["--skip-tpchgen"] if args.skip_tpchgen or scale != scales[-1] else []
            subprocess.run(command, check=True)  # noqa: S603 - this script with our own arguments
            fields = json.loads(result.read_text())
            fields.pop("baseline")
            fields["ingest_dates"] = [date.fromisoformat(d) for d in fields["ingest_dates"]]
            runs.append(Run(**fields))
    growth(runs)


if __name__ == "__main__":
    main()
