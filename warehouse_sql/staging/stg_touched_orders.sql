-- The orders this load touches: new orders, status updates, and orders with new or re-sent lines.
-- The marts kept up to date incrementally refresh exactly these. A temp table: it lives as long as
-- the load's session (one BatchExecuteStatement).
-- [load]
create temp table stg_touched_orders as
select order_id from stg_orders
union
select order_id from stg_order_items;
