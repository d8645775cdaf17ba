"""One panel per chart: the report's data turned into titled SVG charts, or a note saying what is
missing and how to get it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ecomdwh.report import svg
from ecomdwh.report.data import PipelineRun, Rows

STATUS_COLORS = {"SUCCEEDED": "#16a34a", "FAILED": "#dc2626", "TIMED_OUT": "#ea580c", "ABORTED": "#6b7280"}
RUNNING_COLOR = "#2563eb"
CHART_KEYS = (
    "revenue-trend",
    "top-products",
    "top-categories",
    "cohort-retention",
    "clv-distribution",
    "basket-pairs",
    "funnel",
    "dq-scores",
    "pipeline-runs",
)
FUNNEL_STEPS = (
    ("sessions", "Sessions"),
    ("page_view_sessions", "Viewed a page"),
    ("product_view_sessions", "Viewed a product"),
    ("add_to_cart_sessions", "Added to cart"),
    ("checkout_sessions", "Checked out"),
    ("purchase_sessions", "Purchased"),
)


@dataclass(frozen=True)
class Panel:
    key: str  # the figure's data-chart attribute
    title: str
    caption: str
    svg: str | None  # None: `empty` says why
    empty: str = ""
    table: tuple[tuple[str, ...], ...] = ()  # optional rows shown under the chart (first row: header)


def money(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}"


def percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def count(value: float) -> str:
    return f"{value:,.0f}"


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _moment(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def revenue_trend(rows: Rows) -> Panel:
    title, caption = "Revenue trend", "Daily revenue of revenue orders (mart_sales_daily)"
    if not rows:
        return Panel("revenue-trend", title, caption, None, "No sales yet: load a day with `make demo`.")
    labels = [_day(r["order_date"]).isoformat() for r in rows]
    values = [float(r["revenue_amount"]) for r in rows]
    chart = svg.line_chart(labels, {"revenue": values}, value_format=money, label=title)
    total = sum(values)
    orders = sum(int(r["orders"]) for r in rows)
    return Panel("revenue-trend", title, f"{caption}: {money(total)} over {orders:,} orders", chart)


def _bars_panel(key: str, title: str, caption: str, rows: Rows, label: str, value: str, empty: str) -> Panel:
    if not rows:
        return Panel(key, title, caption, None, empty)
    bars = [svg.Bar(str(r[label]), float(r[value])) for r in rows]
    return Panel(key, title, caption, svg.bar_chart(bars, value_format=money, label=title))


def top_products(rows: Rows) -> Panel:
    return _bars_panel(
        "top-products",
        "Top products",
        "Net revenue by product, all time (mart_product_performance)",
        rows,
        "product_name",
        "net_revenue_amount",
        "No product sales yet.",
    )


def top_categories(rows: Rows) -> Panel:
    return _bars_panel(
        "top-categories",
        "Top categories",
        "Net revenue by category, all time (mart_product_performance)",
        rows,
        "category",
        "net_revenue_amount",
        "No category sales yet.",
    )


def cohort_retention(rows: Rows) -> Panel:
    title = "Cohort retention"
    caption = "Share of each first-order month's customers active N months later (mart_cohort_retention)"
    if not rows:
        return Panel("cohort-retention", title, caption, None, "No customer cohorts yet.")
    cohorts = sorted({_day(r["cohort_month"]) for r in rows})
    months = max(int(r["months_since_first_order"]) for r in rows) + 1
    cells = {
        (cohorts.index(_day(r["cohort_month"])), int(r["months_since_first_order"])): float(
            r["retention_rate"]
        )
        for r in rows
    }
    sizes = {_day(r["cohort_month"]): int(r["cohort_customers"]) for r in rows}
    row_labels = [f"{c:%Y-%m} ({sizes[c]})" for c in cohorts]
    chart = svg.heatmap(
        row_labels, [f"M{m}" for m in range(months)], cells, value_format=percent, label=title
    )
    return Panel("cohort-retention", title, caption, chart)


def clv_distribution(rows: Rows) -> Panel:
    title = "Customer lifetime value"
    caption = "Customers by projected 36-month value (mart_customer_ltv)"
    if not rows:
        return Panel("clv-distribution", title, caption, None, "No customers with revenue orders yet.")
    low, high = float(rows[0]["low_amount"]), float(rows[0]["high_amount"])
    buckets = max(int(r["bucket"]) for r in rows) + 1 if high > low else 1
    width = (high - low) / buckets if high > low else 0
    counts = dict.fromkeys(range(buckets), 0) | {int(r["bucket"]): int(r["customers"]) for r in rows}
    labels = [f"{money(low + b * width)}–{money(low + (b + 1) * width)}" for b in counts]
    chart = svg.column_chart(labels, list(counts.values()), value_format=count, label=title)
    return Panel("clv-distribution", title, caption, chart)


def basket_pairs(rows: Rows) -> Panel:
    title = "Market basket: top pairs"
    caption = "Product pairs bought together most often, with lift (mart_market_basket)"
    if not rows:
        return Panel("basket-pairs", title, caption, None, "No product pair was bought together twice yet.")
    bars = [
        svg.Bar(
            f"{r['product_a_name']} + {r['product_b_name']}",
            float(r["pair_orders"]),
            note=f"lift {float(r['lift']):.2f}",
        )
        for r in rows
    ]
    return Panel("basket-pairs", title, caption, svg.bar_chart(bars, value_format=count, label=title))


def funnel(rows: Rows) -> Panel:
    title, caption = "Conversion funnel", "Web sessions reaching each step (mart_funnel)"
    totals = rows[0] if rows else {}
    sessions = float(totals.get("sessions") or 0)
    if not sessions:
        return Panel("funnel", title, caption, None, "No web sessions yet.")
    bars = [
        svg.Bar(
            name,
            float(totals[column]),
            svg.PALETTE[i],
            note=f"{percent(float(totals[column]) / sessions)} of sessions",
        )
        for i, (column, name) in enumerate(FUNNEL_STEPS)
    ]
    return Panel("funnel", title, caption, svg.bar_chart(bars, value_format=count, label=title))


def dq_scores(rows: Rows, failures: Rows) -> Panel:
    title = "Data quality over time"
    caption = "Lowest check score per dimension in each run (dq_results)"
    if not rows:
        return Panel("dq-scores", title, caption, None, "No data-quality runs yet: run `make dq`.")
    runs = sorted({(_moment(r["checked_at"]), r["run_id"]) for r in rows})
    dimensions = sorted({r["dimension"] for r in rows})
    scores = {(r["run_id"], r["dimension"]): float(r["score"]) for r in rows}
    series = {d: [scores.get((run_id, d)) for _, run_id in runs] for d in dimensions}
    labels = [f"{at:%m-%d %H:%M}" for at, _ in runs]
    chart = svg.line_chart(labels, series, value_format=percent, y_max=1.0, label=title)
    table: tuple[tuple[str, ...], ...] = ()
    if failures:
        header = ("failed check (latest run)", "dimension", "table", "score", "threshold", "severity")
        table = (
            header,
            *(
                (
                    f["check_name"],
                    f["dimension"],
                    f["table_name"],
                    f"{100 * float(f['score']):.2f}%",
                    f"{100 * float(f['threshold']):.2f}%",
                    f["severity"],
                )
                for f in failures
            ),
        )
    latest_failed = sum(int(r["failed_checks"]) for r in rows if r["run_id"] == runs[-1][1])
    return Panel(
        "dq-scores", title, f"{caption}; latest run: {latest_failed} failed check(s)", chart, table=table
    )


def pipeline_history(runs: list[PipelineRun]) -> Panel:
    title = "Pipeline run history"
    caption = "Step Functions executions of the pipeline, duration coloured by status"
    if not runs:
        return Panel("pipeline-runs", title, caption, None, "No pipeline runs yet: run `make demo`.")
    bars = [
        svg.Bar(
            f"{run.started_at:%m-%d %H:%M} {run.status.lower()}",
            run.seconds or 0.0,
            STATUS_COLORS.get(run.status, RUNNING_COLOR),
            note=run.name,
        )
        for run in runs
    ]
    return Panel(
        "pipeline-runs", title, caption, svg.bar_chart(bars, value_format=lambda s: f"{s:.1f}s", label=title)
    )


def all_panels(data: dict[str, Rows], runs: list[PipelineRun]) -> list[Panel]:
    return [
        revenue_trend(data["revenue_trend"]),
        top_products(data["top_products"]),
        top_categories(data["top_categories"]),
        cohort_retention(data["cohort_retention"]),
        clv_distribution(data["clv_distribution"]),
        basket_pairs(data["basket_pairs"]),
        funnel(data["funnel"]),
        dq_scores(data["dq_scores"], data["dq_latest_failures"]),
        pipeline_history(runs),
    ]
