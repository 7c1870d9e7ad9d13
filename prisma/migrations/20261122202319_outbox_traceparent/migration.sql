-- Outbox rows keep the trace of the transaction that wrote them (Database sets app.traceparent
-- with the tenant), so the relay and the jobs an event causes continue the request's trace.
-- AlterTable
ALTER TABLE "outbox_events" ADD COLUMN     "traceparent" TEXT DEFAULT NULLIF(current_setting('app.traceparent'::text, true), ''::text);
