-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('ENROLLED', 'CERTIFICATE_ISSUED', 'CERTIFICATE_REVOKED', 'CONOCER_STATUS', 'ORDER_PAID', 'ORDER_FAILED', 'ORDER_REFUNDED', 'EVIDENCE_REVIEWED', 'EVALUATION_DECIDED', 'REVIEW_RECEIVED', 'INVITATION', 'PASSWORD_RESET', 'IMPACT_VERIFIED');

-- CreateEnum
CREATE TYPE "EmailStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "UploadPurpose" AS ENUM ('AVATAR', 'TENANT_LOGO', 'LESSON_ATTACHMENT', 'EVIDENCE', 'IMPACT_EVIDENCE');

-- CreateEnum
CREATE TYPE "FileStatus" AS ENUM ('PENDING', 'READY', 'REJECTED');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'es-MX';

-- AlterTable (by hand: the certification saga's notifications, type certificate.issued, keep
-- their meaning as kind CERTIFICATE_ISSUED, keyed by their certificate)
ALTER TABLE "notifications"
ADD COLUMN     "kind" "NotificationKind",
ADD COLUMN     "link" TEXT,
ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'es-MX',
ADD COLUMN     "source_key" TEXT;
UPDATE "notifications" SET
  "kind" = 'CERTIFICATE_ISSUED',
  "link" = '/certificates/' || ("payload"->>'certificateId'),
  "source_key" = 'certificate.issued:' || COALESCE("payload"->>'certificateId', "id"::text)
WHERE "type" = 'certificate.issued';
DELETE FROM "notifications" WHERE "kind" IS NULL;
ALTER TABLE "notifications" DROP COLUMN "type",
ALTER COLUMN "kind" SET NOT NULL,
ALTER COLUMN "source_key" SET NOT NULL;

-- CreateTable
CREATE TABLE "notification_preferences" (
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "email" BOOLEAN NOT NULL DEFAULT true,
    "email_kinds" "NotificationKind"[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("tenant_id","user_id")
);

-- CreateTable
CREATE TABLE "email_deliveries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "notification_id" UUID NOT NULL,
    "status" "EmailStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "message_id" TEXT,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "email_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "files" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "purpose" "UploadPurpose" NOT NULL,
    "name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,
    "status" "FileStatus" NOT NULL DEFAULT 'PENDING',
    "rejection_reason" TEXT,
    "upload_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ready_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "files_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "email_deliveries_status_updated_at_idx" ON "email_deliveries"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "email_deliveries_tenant_id_notification_id_key" ON "email_deliveries"("tenant_id", "notification_id");

-- CreateIndex
CREATE UNIQUE INDEX "files_storage_key_key" ON "files"("storage_key");

-- CreateIndex
CREATE INDEX "files_tenant_id_owner_id_created_at_idx" ON "files"("tenant_id", "owner_id", "created_at");

-- CreateIndex
CREATE INDEX "files_status_upload_expires_at_idx" ON "files"("status", "upload_expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "files_tenant_id_id_key" ON "files"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_tenant_id_id_key" ON "notifications"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_tenant_id_user_id_source_key_key" ON "notifications"("tenant_id", "user_id", "source_key");

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_deliveries" ADD CONSTRAINT "email_deliveries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_deliveries" ADD CONSTRAINT "email_deliveries_tenant_id_notification_id_fkey" FOREIGN KEY ("tenant_id", "notification_id") REFERENCES "notifications"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "files" ADD CONSTRAINT "files_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "files" ADD CONSTRAINT "files_tenant_id_owner_id_fkey" FOREIGN KEY ("tenant_id", "owner_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for the new tenant-owned tables (see the row_level_security migration).
ALTER TABLE "notification_preferences" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notification_preferences" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notification_preferences" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "notification_preferences" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());
ALTER TABLE "email_deliveries" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "email_deliveries" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "email_deliveries" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "email_deliveries" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());
ALTER TABLE "files" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "files" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "files" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "files" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

-- Reconciliation of email (the database is the source of truth, not the queue): deliveries still
-- PENDING since before p_before, across tenants, to queue again. Ids only.
CREATE OR REPLACE FUNCTION app_email_pending_deliveries(p_before timestamptz, p_limit integer)
  RETURNS TABLE ("tenant_id" uuid, "notification_id" uuid)
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$
    SELECT d."tenant_id", d."notification_id" FROM "email_deliveries" d
    WHERE d."status" = 'PENDING' AND d."updated_at" < p_before
    ORDER BY d."updated_at"
    LIMIT p_limit
  $$;

GRANT EXECUTE ON FUNCTION app_email_pending_deliveries(timestamptz, integer) TO academy_app;

-- Uploads never confirmed before their URL expired (and refused files), across tenants, for the
-- maintenance job to delete (bytes and row, in the file's tenant); and READY files whose URL
-- expired within the hour before, whose upload key may hold a late PUT (never read) to delete.
-- Ids, keys and status only.
CREATE OR REPLACE FUNCTION app_media_abandoned_files(p_expired_before timestamptz, p_limit integer)
  RETURNS TABLE ("tenant_id" uuid, "id" uuid, "storage_key" text, "status" "FileStatus")
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$
    SELECT f."tenant_id", f."id", f."storage_key", f."status" FROM "files" f
    WHERE (f."status" IN ('PENDING', 'REJECTED') AND f."upload_expires_at" < p_expired_before)
       OR (f."status" = 'READY' AND f."upload_expires_at" < p_expired_before AND f."upload_expires_at" >= p_expired_before - interval '1 hour')
    ORDER BY f."upload_expires_at"
    LIMIT p_limit
  $$;

GRANT EXECUTE ON FUNCTION app_media_abandoned_files(timestamptz, integer) TO academy_app;
