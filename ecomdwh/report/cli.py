"""`ecomdwh report`: build the HTML report, and check it in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import typer
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ecomdwh.config import ConfigError, activate_target
from ecomdwh.report.browser import BrowserError, view_page
from ecomdwh.report.build import DEFAULT_OUTPUT, STEPS, build_report
from ecomdwh.report.data import ReportError
from ecomdwh.report.panels import CHART_KEYS

report_app = typer.Typer(
    help="The HTML report: sales, customers, data quality, pipeline runs.", no_args_is_help=True
)
console = Console()
Output = typer.Option(DEFAULT_OUTPUT, "--output", "-o", help="HTML file to write or check.")
Screenshot = typer.Option(None, help="Where to save a full-page PNG (default: beside the HTML, .png).")


@report_app.command("build")
def build(output: Path = Output) -> None:
    """Read the marts, dq_results and pipeline runs, and write one offline HTML page with charts."""
    try:
        activate_target()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
        ) as bar:
            task = bar.add_task("reading the warehouse", total=STEPS)
            written = build_report(output, on_step=lambda name: bar.update(task, advance=1, description=name))
    except (ReportError, ConfigError, ClientError, BotoCoreError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"[green]report written[/green]: {written} (open it in a browser; it needs no network)")


@report_app.command("check")
def check(
    output: Path = Output,
    screenshot: Path = Screenshot,
) -> None:
    """Open the report in headless Chromium: every chart must render and the console stay clean."""
    if not output.exists():
        console.print(f"[red]error:[/red] {output} does not exist: build it first with `make report`")
        raise typer.Exit(1)
    try:
        view = view_page(output)
    except BrowserError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    shot = screenshot or output.with_suffix(".png")
    shot.write_bytes(view.screenshot)
    seen = {chart.key: chart for chart in view.charts}
    problems = [f"chart {key} is missing" for key in CHART_KEYS if key not in seen]
    problems += [
        f"chart {c.key} drew nothing ({c.width:.0f}x{c.height:.0f}, {c.marks} marks)"
        for c in view.charts
        if c.empty is None and not (c.width and c.height and c.marks)
    ]
    problems += [f"console error: {error}" for error in view.console_errors]
    for chart in view.charts:
        state = (
            f"empty: {chart.empty}"
            if chart.empty
            else f"{chart.marks} marks, {chart.width:.0f}x{chart.height:.0f}"
        )
        console.print(f"  {chart.key:<18} {state}")
    console.print(f"screenshot: {shot}")
    if problems:
        for problem in problems:
            console.print(f"[red]problem:[/red] {problem}")
        raise typer.Exit(1)
    console.print("[green]report renders[/green]: every chart present, no console errors")
