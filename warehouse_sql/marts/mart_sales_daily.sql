-- Daily sales with the same calendar day a year earlier. Revenue orders only (fct_orders.is_revenue).
-- [schema]
create or replace view mart_sales_daily as
with daily as (
    select
        order_date_key as date_key,
        count(*) as orders,
        count(distinct customer_id) as customers,
        sum(units) as units,
        sum(order_total_amount) as revenue_amount
    from fct_orders
    where is_revenue
    group by order_date_key
)
select
    d.full_date as order_date,
    d.fiscal_year,
    d.fiscal_quarter,
    daily.orders,
    daily.customers,
    daily.units,
    daily.revenue_amount,
    round(daily.revenue_amount / daily.orders, 2) as avg_order_value_amount,
    last_year.revenue_amount as revenue_last_year_amount,
    round(100.0 * (daily.revenue_amount - last_year.revenue_amount) / nullif(last_year.revenue_amount, 0), 2)
        as revenue_yoy_pct
from daily
join dim_date as d on d.date_key = daily.date_key
left join dim_date as last_year_date
    on last_year_date.full_date = cast(dateadd(year, -1, d.full_date) as date)
left join daily as last_year on last_year.date_key = last_year_date.date_key;
