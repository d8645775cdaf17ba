"""Charts as inline SVG strings: no JavaScript and no chart library, so the report works offline and
renders the same in every browser. Every data mark has class `mark` and a <title> tooltip."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 560, 280
PALETTE = ("#2563eb", "#f97316", "#16a34a", "#dc2626", "#9333ea", "#0891b2", "#ca8a04", "#db2777")
AXIS, GRID, TEXT = "#6b7280", "#e5e7eb", "#111827"
Format = Callable[[float], str]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    color: str = PALETTE[0]
    note: str = ""  # extra tooltip text


def _svg(body: list[str], height: int = HEIGHT, label: str = "") -> str:
    return (
        f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="11">' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, content: str, anchor: str = "start", fill: str = TEXT, **style: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in style.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>{escape(content)}</text>'
    )


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def nice_max(value: float, *, whole: bool = False) -> float:
    """An axis top with four round gridline steps (1, 2 or 5 times a power of ten) at or above `value`;
    `whole` keeps steps at 1 or more, for counts."""
    if value <= 0:
        return 4.0 if whole else 1.0
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return 4 * (max(step, 1) if whole else step)


def line_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    value_format: Format,
    y_max: float | None = None,
    label: str = "",
) -> str:
    """One line per series over shared x labels; gaps (None) break a line."""
    left, right, top, bottom = 64, 16, 16 + 18 * (len(series) > 1), 36
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom
    top_value = y_max or nice_max(max((v for vs in series.values() for v in vs if v is not None), default=0))
    count = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / count)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / top_value)

    body = []
    legend_x = float(left)
    for step in range(5):
        value = top_value * step / 4
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{GRID}"/>'
        )
        body.append(_text(left - 6, y(value) + 4, value_format(value), "end", fill_opacity="0.7"))
    every = max(1, math.ceil(len(labels) / 6))
    body += [
        _text(x(i), HEIGHT - bottom + 16, lab, "middle") for i, lab in enumerate(labels) if i % every == 0
    ]
    for index, (name, values) in enumerate(series.items()):
        color = PALETTE[index % len(PALETTE)]
        segments: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                segments.append([])
                continue
            segments[-1].append(f"{x(i):.1f},{y(v):.1f}")
            body.append(
                f'<circle class="mark" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{color}">'
                f"<title>{escape(name)} · {escape(labels[i])}: {escape(value_format(v))}</title></circle>"
            )
        body += [
            f'<polyline class="line" points="{" ".join(s)}" fill="none" stroke="{color}" stroke-width="2"/>'
            for s in segments
            if len(s) > 1
        ]
        if len(series) > 1:
            body.append(f'<rect x="{legend_x:.1f}" y="4" width="10" height="10" fill="{color}"/>')
            body.append(_text(legend_x + 14, 13, name))
            legend_x += 26 + 6.2 * len(name)
    body.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    return _svg(body, label=label)


def bar_chart(bars: Sequence[Bar], *, value_format: Format, label: str = "") -> str:
    """Horizontal bars, one per row, longest scale at the widest value."""
    row, left, right = 24, 190, 80
    height = 12 + row * len(bars)
    top_value = max((b.value for b in bars), default=0) or 1
    body = []
    for i, bar in enumerate(bars):
        y = 8 + i * row
        width = max((WIDTH - left - right) * bar.value / top_value, 1)
        tooltip = f"{bar.label}: {value_format(bar.value)}" + (f" · {bar.note}" if bar.note else "")
        body.append(_text(left - 8, y + 14, _shorten(bar.label, 30), "end"))
        body.append(
            f'<rect class="mark" x="{left}" y="{y + 2}" width="{width:.1f}" height="{row - 6}" rx="2" '
            f'fill="{bar.color}"><title>{escape(tooltip)}</title></rect>'
        )
        body.append(_text(left + width + 6, y + 14, value_format(bar.value)))
    return _svg(body, height, label)


def column_chart(
    labels: Sequence[str], values: Sequence[float], *, value_format: Format, label: str = ""
) -> str:
    """Vertical bars (a histogram when the labels are bucket ranges)."""
    left, right, top, bottom = 48, 12, 12, 48
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom
    top_value = nice_max(max(values, default=0), whole=True)
    slot = plot_w / max(len(values), 1)
    body = [
        f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{AXIS}"/>'
    ]
    for step in range(5):
        value = top_value * step / 4
        y = top + plot_h * (1 - step / 4)
        body.append(_text(left - 6, y + 4, f"{value:,.4g}", "end", fill_opacity="0.7"))
    every = max(1, math.ceil(len(labels) / 5))
    for i, (lab, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_h * value / top_value
        x = left + i * slot
        body.append(
            f'<rect class="mark" x="{x + 1:.1f}" y="{top + plot_h - height:.1f}" width="{max(slot - 2, 1):.1f}" '
            f'height="{height:.1f}" fill="{PALETTE[0]}"><title>{escape(lab)}: {escape(value_format(value))}'
            "</title></rect>"
        )
        if i % every == 0:
            body.append(_text(x + slot / 2, top + plot_h + 16, lab, "middle"))
    return _svg(body, label=label)


def _heat_color(share: float) -> str:
    """White to deep blue as `share` goes from 0 to 1."""
    share = min(max(share, 0.0), 1.0)
    red, green, blue = (int(255 + (end - 255) * share) for end in (30, 64, 175))
    return f"#{red:02x}{green:02x}{blue:02x}"


def heatmap(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: Mapping[tuple[int, int], float],
    *,
    value_format: Format,
    label: str = "",
) -> str:
    """A grid of shares in [0, 1]; `cells` maps (row, column) to a share, absent cells stay blank."""
    left, top, cell_h = 84, 22, 22
    cell_w = (WIDTH - left - 8) / max(len(column_labels), 1)
    height = top + cell_h * len(row_labels) + 8
    body = [_text(left + (j + 0.5) * cell_w, 14, lab, "middle") for j, lab in enumerate(column_labels)]
    for i, row in enumerate(row_labels):
        y = top + i * cell_h
        body.append(_text(left - 8, y + 15, row, "end"))
        for j, column in enumerate(column_labels):
            if (i, j) not in cells:
                continue
            share = cells[(i, j)]
            ink = "#ffffff" if share > 0.55 else TEXT
            body.append(
                f'<rect class="mark" x="{left + j * cell_w:.1f}" y="{y}" width="{cell_w - 1:.1f}" '
                f'height="{cell_h - 1}" fill="{_heat_color(share)}"><title>{escape(row)} · {escape(column)}: '
                f"{escape(value_format(share))}</title></rect>"
            )
            if cell_w >= 28:
                body.append(_text(left + (j + 0.5) * cell_w, y + 15, value_format(share), "middle", fill=ink))
    return _svg(body, height, label)
