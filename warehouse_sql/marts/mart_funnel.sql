-- Daily conversion funnel by device: sessions reaching each step (a session counts once per step)
-- and the step-to-step and overall conversion rates.
-- [schema]
create or replace view mart_funnel as
with session_steps as (
    select
        event_date_key,
        device,
        session_id,
        max(case when event_type = 'page_view' then 1 else 0 end) as viewed_page,
        max(case when event_type = 'product_view' then 1 else 0 end) as viewed_product,
        max(case when event_type = 'add_to_cart' then 1 else 0 end) as added_to_cart,
        max(case when event_type = 'checkout' then 1 else 0 end) as checked_out,
        max(case when event_type = 'purchase' then 1 else 0 end) as purchased
    from fct_web_events
    group by event_date_key, device, session_id
),
steps as (
    select
        event_date_key,
        device,
        count(*) as sessions,
        sum(viewed_page) as page_view_sessions,
        sum(viewed_product) as product_view_sessions,
        sum(added_to_cart) as add_to_cart_sessions,
        sum(checked_out) as checkout_sessions,
        sum(purchased) as purchase_sessions
    from session_steps
    group by event_date_key, device
)
select
    d.full_date as event_date,
    s.device,
    s.sessions,
    s.page_view_sessions,
    s.product_view_sessions,
    s.add_to_cart_sessions,
    s.checkout_sessions,
    s.purchase_sessions,
    round(1.0 * s.add_to_cart_sessions / nullif(s.product_view_sessions, 0), 4) as view_to_cart_rate,
    round(1.0 * s.checkout_sessions / nullif(s.add_to_cart_sessions, 0), 4) as cart_to_checkout_rate,
    round(1.0 * s.purchase_sessions / nullif(s.checkout_sessions, 0), 4) as checkout_to_purchase_rate,
    round(1.0 * s.purchase_sessions / s.sessions, 4) as session_conversion_rate
from steps as s
join dim_date as d on d.date_key = s.event_date_key;
