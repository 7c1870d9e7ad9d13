-- CreateEnum
CREATE TYPE "SagaStatus" AS ENUM ('RUNNING', 'COMPLETED', 'COMPENSATED', 'FAILED');

-- AlterTable
ALTER TABLE "enrollments" ADD COLUMN     "conocer_requested" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "saga_runs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "saga" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" "SagaStatus" NOT NULL DEFAULT 'RUNNING',
    "steps" JSONB NOT NULL DEFAULT '[]',
    "outcome" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "saga_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "saga_runs_status_updated_at_idx" ON "saga_runs"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "saga_runs_tenant_id_saga_key_key" ON "saga_runs"("tenant_id", "saga", "key");

-- CreateIndex
CREATE INDEX "notifications_tenant_id_user_id_created_at_idx" ON "notifications"("tenant_id", "user_id", "created_at");

-- AddForeignKey
ALTER TABLE "saga_runs" ADD CONSTRAINT "saga_runs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for the new tenant-owned tables (see the row_level_security migration).
ALTER TABLE "saga_runs" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "saga_runs" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "saga_runs" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "saga_runs" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notifications" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "notifications" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

-- The outbox relay crosses tenants, narrowly: it claims unpublished events (locked for its
-- transaction, skipping those another relay holds) and marks them published, nothing else.
CREATE OR REPLACE FUNCTION app_outbox_claim(p_limit integer)
  RETURNS SETOF "outbox_events"
  LANGUAGE sql VOLATILE
  SET app.bypass_rls = 'on'
  AS $$ SELECT * FROM "outbox_events" WHERE "published_at" IS NULL ORDER BY "id" LIMIT p_limit FOR UPDATE SKIP LOCKED $$;

CREATE OR REPLACE FUNCTION app_outbox_mark_published(p_ids bigint[])
  RETURNS void
  LANGUAGE sql VOLATILE
  SET app.bypass_rls = 'on'
  AS $$ UPDATE "outbox_events" SET "published_at" = now(), "attempts" = "attempts" + 1 WHERE "id" = ANY(p_ids) $$;

GRANT EXECUTE ON FUNCTION app_outbox_claim(integer), app_outbox_mark_published(bigint[]) TO academy_app;

-- Wake the relay as soon as an event commits (it also polls, in case a notification is missed).
CREATE OR REPLACE FUNCTION app_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_events', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER outbox_events_notify AFTER INSERT ON "outbox_events" FOR EACH STATEMENT EXECUTE FUNCTION app_outbox_notify();

-- Reconciliation (the database is the source of truth, not the queue): submissions that sat in
-- PENDING, or in SUBMITTED/IN_REVIEW without a status change, for longer than expected, across
-- tenants. Ids and status only.
CREATE OR REPLACE FUNCTION app_conocer_stale_submissions(p_pending_before timestamptz, p_polled_before timestamptz, p_limit integer)
  RETURNS TABLE ("tenant_id" uuid, "id" uuid, "status" "ConocerStatus")
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$
    SELECT s."tenant_id", s."id", s."status" FROM "conocer_submissions" s
    WHERE (s."status" = 'PENDING' AND s."updated_at" < p_pending_before)
       OR (s."status" IN ('SUBMITTED', 'IN_REVIEW') AND s."updated_at" < p_polled_before)
    ORDER BY s."updated_at"
    LIMIT p_limit
  $$;

GRANT EXECUTE ON FUNCTION app_conocer_stale_submissions(timestamptz, timestamptz, integer) TO academy_app;

-- Published outbox events are kept a week, then pruned (across tenants, nothing else).
CREATE OR REPLACE FUNCTION app_outbox_prune(p_published_before timestamptz)
  RETURNS bigint
  LANGUAGE sql VOLATILE
  SET app.bypass_rls = 'on'
  AS $$ WITH pruned AS (DELETE FROM "outbox_events" WHERE "published_at" < p_published_before RETURNING 1) SELECT count(*) FROM pruned $$;

GRANT EXECUTE ON FUNCTION app_outbox_prune(timestamptz) TO academy_app;
