-- Monthly sales with month-over-month and year-over-year growth. Revenue orders only.
-- [schema]
create or replace view mart_sales_monthly as
with monthly as (
    select
        d.month_start_date,
        count(*) as orders,
        count(distinct o.customer_id) as customers,
        sum(o.order_total_amount) as revenue_amount
    from fct_orders as o
    join dim_date as d on d.date_key = o.order_date_key
    where o.is_revenue
    group by d.month_start_date
)
select
    m.month_start_date,
    m.orders,
    m.customers,
    m.revenue_amount,
    previous_month.revenue_amount as revenue_previous_month_amount,
    last_year.revenue_amount as revenue_last_year_amount,
    round(100.0 * (m.revenue_amount - previous_month.revenue_amount)
        / nullif(previous_month.revenue_amount, 0), 2) as revenue_mom_pct,
    round(100.0 * (m.revenue_amount - last_year.revenue_amount)
        / nullif(last_year.revenue_amount, 0), 2) as revenue_yoy_pct
from monthly as m
left join monthly as previous_month
    on previous_month.month_start_date = cast(dateadd(month, -1, m.month_start_date) as date)
left join monthly as last_year
    on last_year.month_start_date = cast(dateadd(year, -1, m.month_start_date) as date);
