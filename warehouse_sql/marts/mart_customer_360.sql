-- One row per customer: current attributes, order history (revenue orders), web activity and the
-- category they spend most on. Recency counts days to the latest order in the warehouse, so the
-- view gives the same answer whenever it is read.
-- [schema]
create or replace view mart_customer_360 as
with orders as (
    select
        customer_id,
        count(*) as orders,
        sum(order_total_amount) as revenue_amount,
        min(order_ts) as first_order_ts,
        max(order_ts) as last_order_ts
    from fct_orders
    where is_revenue
    group by customer_id
),
category_spend as (
    select
        i.customer_id,
        p.category,
        row_number() over (partition by i.customer_id order by sum(i.net_amount) desc, p.category) as spend_rank
    from fct_order_items as i
    join fct_orders as o on o.order_id = i.order_id and o.is_revenue
    join dim_product as p on p.product_sk = i.product_sk
    group by i.customer_id, p.category
),
web as (
    select customer_id, count(distinct session_id) as web_sessions, count(*) as web_events
    from fct_web_events
    where customer_id is not null
    group by customer_id
),
latest as (
    select max(order_ts) as latest_order_ts from fct_orders
)
select
    c.customer_id,
    c.first_name,
    c.last_name,
    c.email,
    c.city,
    c.country,
    c.segment,
    c.signup_date,
    coalesce(o.orders, 0) as orders,
    coalesce(o.revenue_amount, 0) as revenue_amount,
    round(o.revenue_amount / nullif(o.orders, 0), 2) as avg_order_value_amount,
    o.first_order_ts,
    o.last_order_ts,
    datediff(day, o.last_order_ts, latest.latest_order_ts) as days_since_last_order,
    favourite.category as favourite_category,
    coalesce(web.web_sessions, 0) as web_sessions,
    coalesce(web.web_events, 0) as web_events
from dim_customer as c
cross join latest
left join orders as o on o.customer_id = c.customer_id
left join category_spend as favourite on favourite.customer_id = c.customer_id and favourite.spend_rank = 1
left join web on web.customer_id = c.customer_id
where c.is_current
  and c.customer_sk <> -1;
