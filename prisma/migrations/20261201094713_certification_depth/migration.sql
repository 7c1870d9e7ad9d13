-- CreateEnum
CREATE TYPE "CriterionKind" AS ENUM ('PERFORMANCE', 'PRODUCT', 'KNOWLEDGE');

-- CreateEnum
CREATE TYPE "EvidenceStatus" AS ENUM ('SUBMITTED', 'ACCEPTED', 'REJECTED');

-- CreateEnum
CREATE TYPE "Judgement" AS ENUM ('COMPETENT', 'NOT_YET_COMPETENT');

-- AlterTable
ALTER TABLE "certificates" ADD COLUMN     "pdf_status" "CertificateStatus",
ADD COLUMN     "pdf_storage_key" TEXT,
ADD COLUMN     "status_list_index" INTEGER;

-- CreateTable
CREATE TABLE "credential_status_allocations" (
    "tenant_id" UUID NOT NULL,
    "next_index" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "credential_status_allocations_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "dc3s" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "enrollment_id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "worker_name" TEXT NOT NULL,
    "worker_curp" TEXT NOT NULL,
    "occupation" TEXT NOT NULL,
    "job_title" TEXT NOT NULL,
    "employer_name" TEXT NOT NULL,
    "employer_rfc" TEXT NOT NULL,
    "course_title" TEXT NOT NULL,
    "duration_hours" INTEGER NOT NULL,
    "started_on" DATE NOT NULL,
    "finished_on" DATE NOT NULL,
    "thematic_area" TEXT NOT NULL,
    "trainer_name" TEXT NOT NULL,
    "trainer_registration" TEXT,
    "pdf_storage_key" TEXT,
    "issued_by_id" UUID NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dc3s_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evaluation_criteria" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "element" TEXT NOT NULL,
    "kind" "CriterionKind" NOT NULL,
    "description" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evaluation_criteria_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "portfolios" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "judgement" "Judgement",
    "judged_by_id" UUID,
    "judged_at" TIMESTAMPTZ(3),
    "judgement_comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "portfolios_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "criterion_id" UUID NOT NULL,
    "note" TEXT,
    "status" "EvidenceStatus" NOT NULL DEFAULT 'SUBMITTED',
    "reviewer_id" UUID,
    "review_comment" TEXT,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewed_at" TIMESTAMPTZ(3),

    CONSTRAINT "evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence_files" (
    "tenant_id" UUID NOT NULL,
    "evidence_id" UUID NOT NULL,
    "file_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "evidence_files_pkey" PRIMARY KEY ("evidence_id","file_id")
);

-- CreateIndex
CREATE INDEX "dc3s_tenant_id_issued_at_idx" ON "dc3s"("tenant_id", "issued_at");

-- CreateIndex
CREATE INDEX "dc3s_tenant_id_learner_id_issued_at_idx" ON "dc3s"("tenant_id", "learner_id", "issued_at");

-- CreateIndex
CREATE INDEX "dc3s_tenant_id_course_id_idx" ON "dc3s"("tenant_id", "course_id");

-- CreateIndex
CREATE INDEX "dc3s_tenant_id_issued_by_id_idx" ON "dc3s"("tenant_id", "issued_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "dc3s_tenant_id_enrollment_id_key" ON "dc3s"("tenant_id", "enrollment_id");

-- CreateIndex
CREATE UNIQUE INDEX "dc3s_tenant_id_id_key" ON "dc3s"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "evaluation_criteria_tenant_id_course_id_idx" ON "evaluation_criteria"("tenant_id", "course_id");

-- CreateIndex
CREATE UNIQUE INDEX "evaluation_criteria_course_id_position_key" ON "evaluation_criteria"("course_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "evaluation_criteria_tenant_id_id_key" ON "evaluation_criteria"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "portfolios_tenant_id_course_id_idx" ON "portfolios"("tenant_id", "course_id");

-- CreateIndex
CREATE INDEX "portfolios_tenant_id_learner_id_idx" ON "portfolios"("tenant_id", "learner_id");

-- CreateIndex
CREATE INDEX "portfolios_tenant_id_judged_by_id_idx" ON "portfolios"("tenant_id", "judged_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "portfolios_tenant_id_id_key" ON "portfolios"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "evidence_tenant_id_portfolio_id_submitted_at_idx" ON "evidence"("tenant_id", "portfolio_id", "submitted_at");

-- CreateIndex
CREATE INDEX "evidence_tenant_id_status_submitted_at_idx" ON "evidence"("tenant_id", "status", "submitted_at");

-- CreateIndex
CREATE INDEX "evidence_tenant_id_criterion_id_idx" ON "evidence"("tenant_id", "criterion_id");

-- CreateIndex
CREATE INDEX "evidence_tenant_id_reviewer_id_idx" ON "evidence"("tenant_id", "reviewer_id");

-- CreateIndex
CREATE UNIQUE INDEX "evidence_tenant_id_id_key" ON "evidence"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "evidence_files_tenant_id_file_id_idx" ON "evidence_files"("tenant_id", "file_id");

-- CreateIndex
CREATE UNIQUE INDEX "certificates_tenant_id_status_list_index_key" ON "certificates"("tenant_id", "status_list_index");

-- AddForeignKey
ALTER TABLE "credential_status_allocations" ADD CONSTRAINT "credential_status_allocations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dc3s" ADD CONSTRAINT "dc3s_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dc3s" ADD CONSTRAINT "dc3s_tenant_id_enrollment_id_fkey" FOREIGN KEY ("tenant_id", "enrollment_id") REFERENCES "enrollments"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dc3s" ADD CONSTRAINT "dc3s_tenant_id_learner_id_fkey" FOREIGN KEY ("tenant_id", "learner_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dc3s" ADD CONSTRAINT "dc3s_tenant_id_course_id_fkey" FOREIGN KEY ("tenant_id", "course_id") REFERENCES "courses"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dc3s" ADD CONSTRAINT "dc3s_tenant_id_issued_by_id_fkey" FOREIGN KEY ("tenant_id", "issued_by_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluation_criteria" ADD CONSTRAINT "evaluation_criteria_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluation_criteria" ADD CONSTRAINT "evaluation_criteria_tenant_id_course_id_fkey" FOREIGN KEY ("tenant_id", "course_id") REFERENCES "courses"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_tenant_id_id_fkey" FOREIGN KEY ("tenant_id", "id") REFERENCES "enrollments"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_tenant_id_learner_id_fkey" FOREIGN KEY ("tenant_id", "learner_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_tenant_id_course_id_fkey" FOREIGN KEY ("tenant_id", "course_id") REFERENCES "courses"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_tenant_id_judged_by_id_fkey" FOREIGN KEY ("tenant_id", "judged_by_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_tenant_id_portfolio_id_fkey" FOREIGN KEY ("tenant_id", "portfolio_id") REFERENCES "portfolios"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_tenant_id_criterion_id_fkey" FOREIGN KEY ("tenant_id", "criterion_id") REFERENCES "evaluation_criteria"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_tenant_id_reviewer_id_fkey" FOREIGN KEY ("tenant_id", "reviewer_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_files" ADD CONSTRAINT "evidence_files_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_files" ADD CONSTRAINT "evidence_files_tenant_id_evidence_id_fkey" FOREIGN KEY ("tenant_id", "evidence_id") REFERENCES "evidence"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_files" ADD CONSTRAINT "evidence_files_tenant_id_file_id_fkey" FOREIGN KEY ("tenant_id", "file_id") REFERENCES "files"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Row-level security: every new tenant-owned table sees only the tenant of the transaction.

ALTER TABLE "credential_status_allocations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "credential_status_allocations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "credential_status_allocations" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "credential_status_allocations" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

ALTER TABLE "dc3s" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "dc3s" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "dc3s" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "dc3s" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

ALTER TABLE "evaluation_criteria" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "evaluation_criteria" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "evaluation_criteria" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "evaluation_criteria" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

ALTER TABLE "portfolios" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "portfolios" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "portfolios" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "portfolios" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

ALTER TABLE "evidence" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "evidence" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "evidence" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "evidence" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

ALTER TABLE "evidence_files" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "evidence_files" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "evidence_files" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "evidence_files" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());
