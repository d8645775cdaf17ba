"""The report's one HTML file: panels in a grid, styles inline, no script and no external resource,
so it opens offline from disk or from any static host."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from ecomdwh.report.panels import Panel

STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827;
  background: #f3f4f6; }
header { padding: 20px 28px 8px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #4b5563; font-size: 13px; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(580px, 1fr)); gap: 16px;
  align-items: start; padding: 16px 28px 28px; }
figure.chart { margin: 0; padding: 14px 16px; background: #fff; border-radius: 8px;
  box-shadow: 0 1px 2px rgba(0, 0, 0, .08); }
figure.chart h2 { margin: 0; font-size: 15px; }
figcaption { margin: 2px 0 10px; color: #4b5563; font-size: 12px; }
.chart-svg { display: block; max-width: 100%; height: auto; }
.empty { margin: 24px 0; padding: 24px; text-align: center; color: #6b7280; background: #f9fafb;
  border: 1px dashed #d1d5db; border-radius: 6px; font-size: 13px; }
table { margin-top: 10px; border-collapse: collapse; font-size: 12px; width: 100%; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e5e7eb; }
"""


def _table(rows: tuple[tuple[str, ...], ...]) -> str:
    if not rows:
        return ""
    header, *body = rows
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    lines = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in body)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>"


def _figure(panel: Panel) -> str:
    content = panel.svg if panel.svg is not None else f'<p class="empty">{escape(panel.empty)}</p>'
    return (
        f'<figure class="chart" data-chart="{panel.key}" id="{panel.key}">'
        f"<h2>{escape(panel.title)}</h2><figcaption>{escape(panel.caption)}</figcaption>"
        f"{content}{_table(panel.table)}</figure>"
    )


def render_page(panels: Sequence[Panel], *, generated_at: datetime, source: str) -> str:
    figures = "\n".join(_figure(panel) for panel in panels)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # Nothing may load from anywhere: the page must work offline and leak nothing.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">'
        f"<title>ecomdwh report</title><style>{STYLE}</style></head><body>"
        f"<header><h1>ecomdwh — sales, customers and data quality</h1>"
        f"<p>Generated {generated_at:%Y-%m-%d %H:%M} UTC from {escape(source)}</p></header>"
        f"<main>\n{figures}\n</main></body></html>\n"
    )
