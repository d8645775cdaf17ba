"""`make demo` / `make run`: land a day's raw data, run the deployed state machine on it, show results."""

from __future__ import annotations

import time

from rich.console import Console
from rich.table import Table

from datagen.writer import generate_and_write
from ecomdwh.config import bucket
from ecomdwh.contracts import ENTITIES
from ecomdwh.pipeline.execution import ExecutionResult, PipelineError, run_pipeline, state_machine_arn
from ecomdwh.pipeline.summary import processed_counts, warehouse_overview


def run_day(day: int, *, scale: float, seed: int, dirty_rate: float, console: Console) -> ExecutionResult:
    """Generates and lands day `day`, then runs the pipeline for its ingest date."""
    machine_arn = state_machine_arn()
    started = time.monotonic()
    with console.status(f"day {day}: generating and landing raw data") as status:
        batch, manifest = generate_and_write(scale, day, seed, f"s3://{bucket('raw')}", dirty_rate=dirty_rate)
        landed = sum(manifest["rows"].values())
        console.print(
            f"day {day} ({batch.ingest_date}): landed {landed:,} raw rows in {len(manifest['files'])} objects "
            f"({time.monotonic() - started:.1f}s)"
        )
        status.update(f"day {day}: running the pipeline state machine")
        result = run_pipeline(
            batch.ingest_date,
            machine_arn=machine_arn,
            on_state=lambda state: status.update(f"day {day}: pipeline in state [bold]{state}[/bold]"),
        )
    if not result.succeeded:
        raise PipelineError(
            f"day {day} ({batch.ingest_date}): pipeline {result.status}: {result.error}: {result.cause} "
            f"(execution {result.execution_arn})"
        )
    stages = " · ".join(f"{stage} {seconds:.1f}s" for stage, seconds in result.stage_seconds.items())
    console.print(f"day {day}: pipeline [green]SUCCEEDED[/green] in {result.seconds:.1f}s ({stages})")
    console.print(_layer_table(batch.ingest_date.isoformat(), manifest["rows"]))
    return result


def _layer_table(ingest_date: str, landed: dict[str, int]) -> Table:
    table = Table(title=f"rows per layer, ingest date {ingest_date}")
    for column in ("entity", "raw landed", "received", "accepted", "quarantined", "deduplicated"):
        table.add_column(column, justify="left" if column == "entity" else "right")
    processed = processed_counts(ingest_date)
    for entity in ENTITIES:
        counts = processed.get(entity, {})
        table.add_row(
            entity,
            f"{landed.get(entity, 0):,}",
            *(
                f"{counts[k]:,}" if k in counts else "-"
                for k in ("received", "accepted", "quarantined", "deduplicated")
            ),
        )
    return table


def print_warehouse(console: Console) -> None:
    overview = warehouse_overview()
    tables = Table(title="warehouse")
    tables.add_column("table")
    tables.add_column("rows", justify="right")
    for name, count in overview["tables"].items():
        tables.add_row(name, f"{count:,}")
    console.print(tables)
    for dimension, counts in overview["scd2"].items():
        console.print(
            f"SCD2 {dimension}: {counts['versions']:,} versions for {counts['current']:,} current rows "
            f"({counts['versions'] - counts['current']:,} historical)"
        )
    top = Table(title="top products by net revenue")
    for column in ("product", "category", "units", "net revenue"):
        top.add_column(column, justify="right" if column in ("units", "net revenue") else "left")
    for row in overview["top_products"]:
        top.add_row(
            row["product_name"],
            row["category"],
            f"{int(row['units_sold']):,}",
            f"{float(row['net_revenue_amount']):,.2f}",
        )
    console.print(top)
