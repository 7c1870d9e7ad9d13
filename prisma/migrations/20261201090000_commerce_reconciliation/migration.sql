-- Order reconciliation (issue 16): PENDING orders created before a time, across tenants, oldest
-- first, for the workers' 'reconcile-orders' task, which asks the payment provider about each one
-- (a lost webhook never leaves a payer without their course). Ids only; each order is then read
-- and changed under its tenant's row-level security. orders_status_created_at_idx serves it.
CREATE OR REPLACE FUNCTION app_commerce_stale_orders(p_created_before timestamptz, p_limit integer)
  RETURNS TABLE ("tenant_id" uuid, "id" uuid)
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$
    SELECT o."tenant_id", o."id" FROM "orders" o
    WHERE o."status" = 'PENDING' AND o."created_at" < p_created_before
    ORDER BY o."created_at", o."id"
    LIMIT p_limit
  $$;

GRANT EXECUTE ON FUNCTION app_commerce_stale_orders(timestamptz, integer) TO academy_app;
