"""`ecomdwh dq`: run the data-quality checks, list them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ecomdwh.config import ConfigError, activate_target
from ecomdwh.dq.checks import CHECKS_FILE, DIMENSIONS, SEVERITIES, CheckError, load_checks
from ecomdwh.dq.runner import DqRun
from ecomdwh.dq.step import run_data_quality
from ecomdwh.warehouse.runner import WarehouseError

dq_app = typer.Typer(help="Data-quality checks over the warehouse.", no_args_is_help=True)
console = Console()
STOP_EXIT_CODE = 2
ChecksFile = typer.Option(CHECKS_FILE, "--checks", help="Checks file (TOML).")
Thresholds = typer.Option(
    [],
    "--threshold",
    help=f"Override a dimension's threshold, e.g. completeness=0.9 ({', '.join(DIMENSIONS)}).",
)
AsOf = typer.Option(None, "--as-of", help="Time freshness is measured against (UTC; default: now).")
IngestDate = typer.Option(
    None,
    "--ingest-date",
    formats=["%Y-%m-%d"],
    help="Check after loading this day: freshness is measured against its end.",
)


def _thresholds(pairs: list[str]) -> dict[str, float]:
    overrides = {}
    for pair in pairs:
        dimension, _, value = pair.partition("=")
        try:
            overrides[dimension.strip()] = float(value)
        except ValueError:
            raise typer.BadParameter(f"{pair!r}: write DIMENSION=SHARE, e.g. completeness=0.9") from None
    return overrides


def _results_table(run: DqRun) -> Table:
    table = Table(title=f"data quality run {run.run_id}")
    for column in ("check", "dimension", "table", "score", "threshold", "severity", "result"):
        table.add_column(column, justify="right" if column in ("score", "threshold") else "left")
    for r in run.results:
        verdict = (
            "[green]pass[/green]"
            if r.passed
            else f"[{'red' if r.check.severity == 'error' else 'yellow'}]FAIL"
        )
        table.add_row(
            r.check.name,
            r.check.dimension,
            r.check.table,
            f"{100 * r.score:.2f}%",
            f"{100 * r.check.threshold:.2f}%",
            r.check.severity,
            verdict,
        )
    return table


@dq_app.command("run")
def run(
    checks_file: Path = ChecksFile,
    thresholds: list[str] = Thresholds,
    as_of: datetime = AsOf,
    ingest_date: datetime = IngestDate,
    stop_on: str = typer.Option(
        "error",
        "--stop-on",
        envvar="DQ_STOP_ON",
        help=f"Lowest failing severity that stops the pipeline: {' or '.join(SEVERITIES)}.",
    ),
) -> None:
    """Run every check, store results in dq_results, publish CloudWatch metrics, alert SNS on failures.

    Exit code 0 when all passed or only checks below --stop-on failed, 2 when the pipeline must stop,
    1 when the checks could not run.
    """
    if stop_on not in SEVERITIES:
        raise typer.BadParameter(f"--stop-on {stop_on!r}: use one of {', '.join(SEVERITIES)}")
    try:
        checks = load_checks(checks_file, _thresholds(thresholds))
        activate_target()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
        ) as bar:
            task = bar.add_task("data-quality checks", total=len(checks))
            outcome = run_data_quality(
                checks=checks,
                as_of=as_of,
                ingest_date=ingest_date.date() if ingest_date else None,
                stop_severity=stop_on,
                on_result=lambda result: bar.update(task, advance=1, description=result.check.name),
            )
    except (CheckError, ConfigError, WarehouseError, ClientError, BotoCoreError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(_results_table(outcome.run))
    failures = len(outcome.run.failures)
    if outcome.notified_topic:
        console.print(f"alert sent to {outcome.notified_topic}")
    elif failures:
        console.print(
            "[yellow]no SNS message sent: no alerts topic is deployed[/yellow] (set ECOMDWH_ALERTS_TOPIC_ARN, "
            "or `make deploy` creates ecomdwh-local-alerts)"
        )
    if outcome.stop:
        console.print(
            f"[red]{failures} check(s) failed; at least one is {stop_on} or worse: the pipeline stops[/red]"
        )
        raise typer.Exit(STOP_EXIT_CODE)
    console.print(
        f"[green]data quality ok[/green] ({failures} warning(s))"
        if failures
        else "[green]all checks passed[/green]"
    )


@dq_app.command("checks")
def list_checks(checks_file: Path = ChecksFile, thresholds: list[str] = Thresholds) -> None:
    """List the checks with their dimension, threshold and severity (validates the file, needs no AWS)."""
    try:
        checks = load_checks(checks_file, _thresholds(thresholds))
    except CheckError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    table = Table(title=str(checks_file))
    for column in ("check", "dimension", "kind", "table", "threshold", "severity"):
        table.add_column(column)
    for c in checks:
        table.add_row(c.name, c.dimension, c.kind, c.table, f"{100 * c.threshold:.2f}%", c.severity)
    console.print(table)
