"""`ecomdwh warehouse ...`: apply, load, inspect and check the warehouse through the Redshift Data API."""

from __future__ import annotations

from datetime import date, datetime

import typer
from rich.console import Console
from sqlglot import exp

from ecomdwh.config import ConfigError, activate_target
from ecomdwh.warehouse import runner
from ecomdwh.warehouse.gate import GateError, check_statements, checked_tree
from ecomdwh.warehouse.models import ModelError, load_models
from ecomdwh.warehouse.sql_text import DIALECT, split_statements

warehouse_app = typer.Typer(
    help="The Redshift warehouse (DuckDB behind the Data API locally).", no_args_is_help=True
)
console = Console()
# Nodes that write, change the schema or the session, or that sqlglot could not read as a query
# (Command): none may appear anywhere in a query's tree, CTEs and subqueries included.
NOT_READ_ONLY = (
    exp.DML,  # insert, update, delete, merge, copy
    exp.DDL,  # create
    exp.Drop,
    exp.Alter,
    exp.TruncateTable,
    exp.Into,  # select ... into <new table>
    exp.Command,
    exp.Set,
    exp.Pragma,
    exp.Grant,
    exp.Revoke,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Comment,
    exp.Analyze,
    exp.Attach,
    exp.Detach,
    exp.Install,
    exp.Export,
)
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


def read_only_refusal(sql: str) -> str | None:
    """Why `sql` is not one read-only query (None when it is): it must pass the strict gate as one
    statement that is a select (or union, with ...) with nothing that writes anywhere in its tree."""
    statements = split_statements(sql, "<query>")
    if len(statements) != 1:
        return f"it holds {len(statements)} statements; give exactly one, without `;` between statements"
    try:
        tree = checked_tree(statements[0])
    except GateError as exc:
        return f"Redshift would reject it:\n{exc}"
    writer = tree if not isinstance(tree, exp.Query) else tree.find(*NOT_READ_ONLY)
    if writer is not None:
        kind = writer.key.upper() if not isinstance(writer, exp.Command) else writer.name.upper()
        return f"it is not read-only: it holds {kind} `{writer.sql(DIALECT)[:80]}`"
    return None


@warehouse_app.command("query")
def query(sql: str) -> None:
    """Run one read-only query (a select, with ... select, or union of them) and print its rows."""
    refusal = read_only_refusal(sql)
    if refusal:
        console.print(
            f"[red]refused:[/red] {refusal}. `warehouse query` runs one read-only select; loads go "
            "through `warehouse build`",
            highlight=False,
        )
        raise typer.Exit(2)
    try:
        rows = _connect().query(sql)
    except runner.WarehouseError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    for row in rows:
        console.print(row)
