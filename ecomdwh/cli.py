"""`ecomdwh`: the command line behind the Makefile."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from datagen.cli import generate_app
from ecomdwh.config import EMULATOR_STATE_DIR, ConfigError, activate_target
from ecomdwh.dq.cli import dq_app
from ecomdwh.pipeline import cli as pipeline_cli
from ecomdwh.report.cli import report_app
from ecomdwh.warehouse.cli import warehouse_app
from emulation import launcher, smoke
from emulation.localstack import LocalStackUnavailable

app = typer.Typer(help="ecomdwh: local-first e-commerce data warehouse for AWS.", no_args_is_help=True)
local_app = typer.Typer(help="The embedded local AWS emulator.", no_args_is_help=True)
app.add_typer(local_app, name="local")
app.add_typer(generate_app, name="generate")
app.add_typer(dq_app, name="dq")
app.add_typer(report_app, name="report")
app.add_typer(warehouse_app, name="warehouse")
app.command("run")(pipeline_cli.run)
app.command("demo")(pipeline_cli.demo)
console = Console()

StateDir = typer.Option(EMULATOR_STATE_DIR, help="Folder holding the emulator's state, log and env file.")


def _describe(emulator: launcher.Emulator) -> Table:
    table = Table(show_header=False, box=None)
    table.add_row("backend", emulator.backend)
    table.add_row("endpoint", emulator.endpoint_url)
    table.add_row("pid", str(emulator.pid))
    table.add_row("state", str(emulator.state_dir))
    table.add_row("env file", str(emulator.state_dir / launcher.ENV_FILE))
    table.add_row("log", str(emulator.state_dir / launcher.LOG_FILE))
    return table


@local_app.command("up")
def local_up(
    emulator: str = typer.Option("moto", envvar="EMULATOR", help="Backend: moto (embedded) or localstack."),
    port: int = typer.Option(4566, envvar="PORT", help="Port on 127.0.0.1."),
    state_dir: Path = StateDir,
) -> None:
    """Start the emulator in the background (harmless if it already runs)."""
    try:
        running, started = launcher.start(backend=emulator, port=port, state_dir=state_dir)
    except (launcher.EmulatorError, LocalStackUnavailable) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    verb = "started" if started else "already running"
    console.print(f"[green]local AWS {verb}[/green]")
    console.print(_describe(running))
    console.print(
        f"Use it from a shell: [bold]set -a; . {running.state_dir / launcher.ENV_FILE}; set +a[/bold] "
        "then e.g. `aws s3 ls`"
    )


@local_app.command("down")
def local_down(state_dir: Path = StateDir) -> None:
    """Stop the emulator; its state is saved and comes back on the next `up`."""
    stopped = launcher.stop(state_dir)
    console.print("local AWS stopped (state kept)" if stopped else "local AWS was not running")


@local_app.command("status")
def local_status(state_dir: Path = StateDir) -> None:
    """Show whether the emulator runs and answers."""
    running = launcher.read_status(state_dir.resolve())
    if running is None:
        console.print("local AWS: [yellow]not running[/yellow] (start it with `make local-up`)")
        raise typer.Exit(3)
    healthy = launcher.is_healthy(running)
    console.print(f"local AWS: {'[green]healthy[/green]' if healthy else '[red]not answering[/red]'}")
    console.print(_describe(running))
    if not healthy:
        raise typer.Exit(1)


@local_app.command("smoke")
def local_smoke() -> None:
    """Check the running local AWS end to end: S3, Glue catalog, Step Functions."""
    try:
        activate_target()
        results = smoke.run_all(os.environ.get("ECOMDWH_EMULATOR", "moto"))
    except ConfigError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    for service, verified in results.items():
        mark = "[yellow]--[/yellow]" if verified.startswith("skipped") else "[green]ok[/green]"
        console.print(f"{mark} {service:<14} {verified}")


if __name__ == "__main__":
    app()
