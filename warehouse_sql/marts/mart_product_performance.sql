-- Product performance over all time, per product (all its versions), with current attributes.
-- [schema]
create or replace view mart_product_performance as
with totals as (
    select
        p.product_id,
        sum(f.units_sold) as units_sold,
        sum(f.order_lines) as order_lines,
        sum(f.net_revenue_amount) as net_revenue_amount,
        sum(f.cost_amount) as cost_amount,
        sum(f.product_views) as product_views,
        sum(f.add_to_carts) as add_to_carts
    from fct_product_daily as f
    join dim_product as p on p.product_sk = f.product_sk
    group by p.product_id
)
select
    t.product_id,
    p.product_name,
    p.category,
    p.brand,
    p.price as current_price,
    t.units_sold,
    t.order_lines,
    t.net_revenue_amount,
    t.net_revenue_amount - t.cost_amount as margin_amount,
    round(100.0 * (t.net_revenue_amount - t.cost_amount) / nullif(t.net_revenue_amount, 0), 2) as margin_pct,
    t.product_views,
    t.add_to_carts,
    round(1.0 * t.add_to_carts / nullif(t.product_views, 0), 4) as view_to_cart_rate,
    rank() over (partition by p.category order by t.net_revenue_amount desc) as revenue_rank_in_category
from totals as t
join dim_product as p on p.product_id = t.product_id and p.is_current;
