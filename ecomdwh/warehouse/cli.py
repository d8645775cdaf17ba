"""`ecomdwh warehouse ...`: apply, load, inspect and check the warehouse through the Redshift Data API."""

from __future__ import annotations

from datetime import date, datetime

import typer
from rich.console import Console

from ecomdwh.config import ConfigError, activate_target
from ecomdwh.warehouse import runner
from ecomdwh.warehouse.gate import GateError, check_statements
from ecomdwh.warehouse.models import ModelError, load_models
from ecomdwh.warehouse.sql_text import split_statements

warehouse_app = typer.Typer(
    help="The Redshift warehouse (DuckDB behind the Data API locally).", no_args_is_help=True
)
console = Console()
IngestDate = typer.Option(..., "--ingest-date", help="The processed partition to load, YYYY-MM-DD.")


def _day(value: datetime) -> date:
    return value.date()


def _connect() -> runner.RedshiftData:
    try:
        activate_target()
    except ConfigError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    return runner.RedshiftData()


@warehouse_app.command("check")
def check() -> None:
    """Run every warehouse_sql file through the strict gate (what Redshift would reject)."""
    try:
        models = load_models()
        for model in models:
            check_statements(model.statements())
    except (GateError, ModelError) as exc:
        console.print(f"[red]rejected:[/red]\n{exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]ok[/green] {len(models)} models pass the gate, in order: {', '.join(m.name for m in models)}"
    )


@warehouse_app.command("statements")
def statements(ingest_date: datetime = IngestDate) -> None:
    """Print one ingest date's load: its staging batch, then its build batch, with file:line sources."""
    for phase, batch in runner.day_statements(_day(ingest_date)).batches().items():
        console.print(f"-- {phase} batch: one BatchExecuteStatement (one transaction)\n", highlight=False)
        for statement in batch:
            console.print(f"-- {statement.source}\n{statement.sql};\n", highlight=False)


@warehouse_app.command("build")
def build(ingest_date: datetime = IngestDate) -> None:
    """Create (or keep) the schema, then load one ingest date; re-running a day changes nothing."""
    warehouse = _connect()
    try:
        runner.apply_schema(warehouse)
        described = runner.load_day(_day(ingest_date), warehouse)
    except (runner.WarehouseError, ModelError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    seconds = sum(batch["Duration"] for batch in described) / 1e9
    console.print(f"[green]loaded[/green] {ingest_date:%Y-%m-%d} in {seconds:.2f} s")


@warehouse_app.command("query")
def query(sql: str) -> None:
    """Run one read-only query and print its rows."""
    statements = split_statements(sql, "<query>")
    if len(statements) != 1 or not statements[0].sql.lower().startswith(("select", "with")):
        console.print("[red]error:[/red] give one select (or with ... select) statement, without `;` between")
        raise typer.Exit(2)
    try:
        rows = _connect().query(sql)
    except runner.WarehouseError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    for row in rows:
        console.print(row)
