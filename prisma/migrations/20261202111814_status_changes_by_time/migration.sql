-- CreateIndex
CREATE INDEX "conocer_status_changes_tenant_id_occurred_at_id_idx" ON "conocer_status_changes"("tenant_id", "occurred_at", "id");
