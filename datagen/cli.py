"""`ecomdwh generate`: days of synthetic source data, to a folder or the current target's raw bucket."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from datagen import volumes
from datagen.batch import Batch, GenerationError
from datagen.writer import WriteError, generate_and_write, ground_truth_key
from ecomdwh.config import LOCAL_DIR, ConfigError, activate_target, bucket

generate_app = typer.Typer(help="Synthetic e-commerce source data (datagen).")
console = Console()
LOCAL_GROUND_TRUTH = LOCAL_DIR / "datagen"
GroundTruthDir = typer.Option(
    LOCAL_GROUND_TRUTH, help="With an S3 dest, also keep the ground truth of dirty rows in this folder."
)


def _default_dest() -> str:
    activate_target()
    return f"s3://{bucket('raw')}"


def _generate_with_progress(
    scale: float, day: int, seed: int, dirty_rate: float, target: str, fmt: str
) -> tuple[Batch, dict]:
    columns = (TextColumn(f"day {day} ({volumes.ingest_date(day)})"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TextColumn("files"), TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("generate and write", total=None)  # the file count is known once built
        return generate_and_write(
            scale, day, seed, target, dirty_rate, fmt, progress=lambda _file, _size: progress.advance(task)
        )


@generate_app.callback(invoke_without_command=True)
def generate(
    scale: float = typer.Option(
        1.0, envvar="SCALE", help="1.0 = 1,000 customers / 500 products / 5,000 orders."
    ),
    days: int = typer.Option(
        1, envvar="DAYS", help="How many daily batches: day 0 (initial load) .. DAYS-1."
    ),
    first_day: int = typer.Option(
        0, help="Start at this day instead of 0 (day N never needs days before it)."
    ),
    seed: int = typer.Option(42, envvar="SEED", help="Same seed and scale: identical bytes."),
    dirty_rate: float = typer.Option(0.0, envvar="DIRTY_RATE", help="Share of extra dirty rows, e.g. 0.01."),
    dest: str = typer.Option(
        None,
        envvar="DEST",
        help="A folder or s3://bucket/prefix; default: the raw bucket of the current TARGET.",
    ),
    fmt: str = typer.Option("raw", "--format", help="raw (CSV + NDJSON) or parquet (clean rows only)."),
    ground_truth_dir: Path = GroundTruthDir,
) -> None:
    """Generate and land daily batches, showing progress per file."""
    try:
        target = dest or _default_dest()
        for day in range(first_day, first_day + days):
            started = time.perf_counter()
            batch, manifest = _generate_with_progress(scale, day, seed, dirty_rate, target, fmt)
            rows, size = sum(manifest["rows"].values()), sum(f["bytes"] for f in manifest["files"])
            seconds = time.perf_counter() - started
            console.print(
                f"  {rows:,} rows, {size / 1e6:,.1f} MB in {seconds:.1f} s -> {target}  {manifest['rows']}"
            )
            if target.startswith("s3://") and fmt == "raw":
                local = ground_truth_dir / ground_truth_key(batch)
                local.parent.mkdir(parents=True, exist_ok=True)
                local.write_text(json.dumps(batch.ground_truth, indent=1))
    except (GenerationError, WriteError, ConfigError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
