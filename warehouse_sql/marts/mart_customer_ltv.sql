-- Customer lifetime value: historical revenue, purchase frequency and a 36-month projection
-- (average monthly revenue over the customer's active months x 36). Revenue orders only.
-- [schema]
create or replace view mart_customer_ltv as
with history as (
    select
        customer_id,
        count(*) as orders,
        sum(order_total_amount) as revenue_amount,
        min(order_ts) as first_order_ts,
        max(order_ts) as last_order_ts
    from fct_orders
    where is_revenue
      and customer_id is not null
    group by customer_id
)
select
    customer_id,
    cast(date_trunc('month', first_order_ts) as date) as cohort_month,
    orders,
    revenue_amount,
    round(revenue_amount / orders, 2) as avg_order_value_amount,
    datediff(month, first_order_ts, last_order_ts) + 1 as active_months,
    round(1.0 * orders / (datediff(month, first_order_ts, last_order_ts) + 1), 4) as orders_per_month,
    round(36 * revenue_amount / (datediff(month, first_order_ts, last_order_ts) + 1), 2)
        as projected_ltv_36m_amount
from history;
