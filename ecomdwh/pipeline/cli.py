"""`ecomdwh run` and `ecomdwh demo`: the pipeline from the command line."""

from __future__ import annotations

import time

import typer
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console

from datagen import GenerationError
from ecomdwh.config import ConfigError, activate_target
from ecomdwh.pipeline.demo import print_warehouse, run_day
from ecomdwh.pipeline.execution import PipelineError
from ecomdwh.warehouse.runner import WarehouseError

console = Console()
Scale = typer.Option(
    0.2, envvar="SCALE", help="Data scale: 1.0 = 1,000 customers / 500 products / 5,000 orders."
)
Seed = typer.Option(42, envvar="SEED", help="Same seed and scale: identical data.")
DirtyRate = typer.Option(0.01, envvar="DIRTY_RATE", help="Share of injected dirty rows (quarantined by ETL).")
FAILURES = (PipelineError, WarehouseError, ConfigError, ClientError, BotoCoreError, GenerationError)


def run(
    day: int = typer.Option(
        ..., envvar="DAY", min=0, help="Day to run: 0 is the initial load, N a change day."
    ),
    scale: float = Scale,
    seed: int = Seed,
    dirty_rate: float = DirtyRate,
) -> None:
    """Land one day's raw data and run the deployed pipeline on it (stack already up and deployed)."""
    try:
        activate_target()
        run_day(day, scale=scale, seed=seed, dirty_rate=dirty_rate, console=console)
        print_warehouse(console)
    except FAILURES as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


def demo(
    days: int = typer.Option(2, envvar="DAYS", min=0, help="Change days after the initial load (day 0)."),
    scale: float = Scale,
    seed: int = Seed,
    dirty_rate: float = typer.Option(
        0.01,
        envvar="DIRTY_RATE",
        help="Share of injected dirty rows in the initial load (day 0). Change days land clean: datagen injects "
        "at least one row of every dirty kind, which would swamp their small batches past the quarantine threshold.",
    ),
) -> None:
    """Run day 0 and DAYS change days through the pipeline, then summarise the warehouse."""
    started = time.monotonic()
    try:
        activate_target()
        for day in range(days + 1):
            run_day(day, scale=scale, seed=seed, dirty_rate=dirty_rate if day == 0 else 0.0, console=console)
        print_warehouse(console)
    except FAILURES as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"[green]demo finished[/green]: {days + 1} day(s) in {time.monotonic() - started:.0f}s")
