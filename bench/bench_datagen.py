"""Benchmark datagen: day 0 at 1M orders (scale 200: 1M orders, ~2.45M items, 200k customers,
7k products, 5M events) generated and written locally as CSV/NDJSON by `datagen.generate_and_write`
(entities written while the next are built), against tpchgen-cli SF1 (CSV)
run in the same script on the same machine. Prints figures and ratios; asserts nothing.

    .venv/bin/python bench/bench_datagen.py [--scale 200] [--skip-tpchgen]
Target on a 2-core machine: under 10 s end to end and at least 1M rows/s overall.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import datagen

TARGET_SECONDS, TARGET_ROWS_PER_SECOND = 10.0, 1_000_000


def bench_datagen(scale: float, root: Path) -> tuple[float, int]:
    load_before = _load_average()
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    batch, manifest = datagen.generate_and_write(scale, 0, 42, root / "end-to-end")
    finished, cpu_seconds = time.perf_counter(), _cpu_seconds() - cpu_started
    total_rows = sum(manifest["rows"].values())
    size = sum(f["bytes"] for f in manifest["files"])
    print(f"datagen scale {scale:g}: {total_rows:,} rows, {size / 1e6:,.0f} MB")
    print(
        f"  generate + write, overlapped: {finished - started:.2f} s wall, {cpu_seconds:.2f} s CPU (user + system,"
        f" all threads); load average before {load_before}, after {_load_average()}"
    )

    # Per entity: its build time in the run above (sharing the cores with the writers and the events
    # thread), plus rendering, hashing and writing its files again, alone, one after another.
    print(f"  {'entity':<12} {'rows':>11} {'build s':>8} {'write s':>8} {'rows/s':>12}")
    files = batch.raw_files()
    for entity, build_seconds in batch.timings.items():
        write_started = time.perf_counter()
        for file in (f for f in files if f.entity == entity):
            data = file.render()
            hashlib.sha256(data).hexdigest()
            path = root / "per-entity" / file.key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        write_seconds = time.perf_counter() - write_started
        rows = manifest["rows"][entity]
        print(
            f"  {entity:<12} {rows:>11,} {build_seconds:>8.2f} {write_seconds:>8.2f} {rows / (build_seconds + write_seconds):>12,.0f}"
        )
    seconds = finished - started
    print(
        f"  {'total':<12} {total_rows:>11,} {'':>8} {'':>8} {total_rows / seconds:>12,.0f}  (end to end, wall clock)"
    )
    return seconds, total_rows


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load_average() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def bench_tpchgen(root: Path) -> tuple[float, int] | None:
    executable = shutil.which("tpchgen-cli", path=str(Path(sys.executable).parent)) or shutil.which(
        "tpchgen-cli"
    )
    if executable is None:
        print(
            "tpchgen-cli not found: `.venv/bin/pip install --no-deps tpchgen-cli==4.0.0` (pinned in the dev extra)"
        )
        return None
    out = root / "tpch"
    started = time.perf_counter()
    subprocess.run([executable, "csv", "-s", "1", f"--output-dir={out}"], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    files = sorted(out.rglob("*.csv"))
    rows = sum(path.read_bytes().count(b"\n") - 1 for path in files)
    size = sum(path.stat().st_size for path in files)
    print(
        f"tpchgen-cli SF1 csv: {rows:,} rows, {size / 1e6:,.0f} MB in {seconds:.2f} s = {rows / seconds:,.0f} rows/s"
    )
    return seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=200.0, help="200 = 1M orders (the target)")
    parser.add_argument("--skip-tpchgen", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-datagen-") as folder:
        root = Path(folder)
        seconds, rows = bench_datagen(args.scale, root)
        print(
            f"  target: < {TARGET_SECONDS:g} s and >= {TARGET_ROWS_PER_SECOND:,} rows/s -> "
            f"{seconds:.2f} s, {rows / seconds:,.0f} rows/s"
        )
        reference = None if args.skip_tpchgen else bench_tpchgen(root)
        if reference:
            tpch_seconds, tpch_rows = reference
            print(f"ratio datagen/tpchgen rows/s: {(rows / seconds) / (tpch_rows / tpch_seconds):.2f}")


if __name__ == "__main__":
    main()
