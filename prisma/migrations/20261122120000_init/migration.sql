-- Trigram search on titles (courses, competency standards); a trusted extension since PostgreSQL 13.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "TenantTier" AS ENUM ('COMMUNITY', 'PROFESSIONAL', 'ENTERPRISE');

-- CreateEnum
CREATE TYPE "Persona" AS ENUM ('LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN');

-- CreateEnum
CREATE TYPE "CommunityRole" AS ENUM ('MEMBER', 'LEAD');

-- CreateEnum
CREATE TYPE "CourseStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "EnrollmentStatus" AS ENUM ('ACTIVE', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "CertificateStatus" AS ENUM ('ISSUED', 'REVOKED');

-- CreateEnum
CREATE TYPE "ConocerStatus" AS ENUM ('NOT_REQUESTED', 'PENDING', 'SUBMITTED', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'FAILED');

-- CreateEnum
CREATE TYPE "StandardsSyncStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "ImpactDimension" AS ENUM ('SUSTAINABILITY', 'COMMUNITY', 'REGENERATIVE', 'SOCIAL_JUSTICE', 'CIRCULARITY');

-- CreateEnum
CREATE TYPE "ImpactEventType" AS ENUM ('COURSE_COMPLETION', 'COMMUNITY_PROJECT', 'SKILL_SHARING', 'SUSTAINABILITY_ACTION', 'REGENERATIVE_PROJECT');

-- CreateEnum
CREATE TYPE "VerificationLevel" AS ENUM ('SELF_REPORTED', 'PEER_VERIFIED', 'EXPERT_VERIFIED');

-- CreateEnum
CREATE TYPE "ImpactScope" AS ENUM ('INDIVIDUAL', 'COMMUNITY', 'TENANT', 'GLOBAL');

-- CreateEnum
CREATE TYPE "AggregateGranularity" AS ENUM ('DAY', 'WEEK', 'MONTH');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tier" "TenantTier" NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "persona" "Persona" NOT NULL DEFAULT 'LEARNER',
    "curp" TEXT,
    "failed_login_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "communities" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "communities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "community_memberships" (
    "tenant_id" UUID NOT NULL,
    "community_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "CommunityRole" NOT NULL DEFAULT 'MEMBER',
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "community_memberships_pkey" PRIMARY KEY ("community_id","user_id")
);

-- CreateTable
CREATE TABLE "courses" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" "CourseStatus" NOT NULL DEFAULT 'DRAFT',
    "instructor_id" UUID NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'MXN',
    "competency_standard_code" TEXT,
    "passing_score" INTEGER NOT NULL DEFAULT 80,
    "impact_dimensions" "ImpactDimension"[] DEFAULT ARRAY[]::"ImpactDimension"[],
    "published_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "courses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "course_modules" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "course_modules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lessons" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "module_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lessons_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrollments" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "status" "EnrollmentStatus" NOT NULL DEFAULT 'ACTIVE',
    "final_score" INTEGER,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "enrollments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lesson_completions" (
    "tenant_id" UUID NOT NULL,
    "enrollment_id" UUID NOT NULL,
    "lesson_id" UUID NOT NULL,
    "completed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lesson_completions_pkey" PRIMARY KEY ("enrollment_id","lesson_id")
);

-- CreateTable
CREATE TABLE "certificates" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "learner_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "enrollment_id" UUID NOT NULL,
    "status" "CertificateStatus" NOT NULL DEFAULT 'ISSUED',
    "verification_code" TEXT NOT NULL,
    "credential" JSONB NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revocation_reason" TEXT,
    "revoked_by_id" UUID,

    CONSTRAINT "certificates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "competency_standards" (
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "sector" TEXT NOT NULL,
    "sector_id" TEXT,
    "committee" TEXT,
    "renec_id" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "competency_standards_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "standards_sync_runs" (
    "id" UUID NOT NULL,
    "status" "StandardsSyncStatus" NOT NULL DEFAULT 'RUNNING',
    "trigger" TEXT NOT NULL,
    "since" TIMESTAMPTZ(3),
    "fetched" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "standards_sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conocer_submissions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "certificate_id" UUID NOT NULL,
    "standard_code" TEXT NOT NULL,
    "status" "ConocerStatus" NOT NULL DEFAULT 'PENDING',
    "folio" TEXT,
    "rejection_reason" TEXT,
    "failure_reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_attempt_at" TIMESTAMPTZ(3),
    "requested_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "conocer_submissions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conocer_status_changes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "submission_id" UUID NOT NULL,
    "status" "ConocerStatus" NOT NULL,
    "previous_status" "ConocerStatus",
    "reason" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conocer_status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "impact_events" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "community_id" UUID,
    "type" "ImpactEventType" NOT NULL,
    "description" TEXT NOT NULL,
    "verification" "VerificationLevel" NOT NULL DEFAULT 'SELF_REPORTED',
    "verified_by_id" UUID,
    "verified_at" TIMESTAMPTZ(3),
    "quantities" JSONB NOT NULL DEFAULT '{}',
    "source_key" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "impact_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "impact_contributions" (
    "tenant_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "dimension" "ImpactDimension" NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "impact_contributions_pkey" PRIMARY KEY ("event_id","dimension")
);

-- CreateTable
CREATE TABLE "impact_aggregates" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "scope" "ImpactScope" NOT NULL,
    "subject_id" UUID NOT NULL,
    "granularity" "AggregateGranularity" NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "participant_count" INTEGER NOT NULL DEFAULT 0,
    "sustainability" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "community" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "regenerative" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "social_justice" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "circularity" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "impact_aggregates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_events" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "aggregate_type" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID,
    "actor_id" TEXT,
    "actor_persona" "Persona",
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "reason" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE INDEX "users_tenant_id_persona_created_at_idx" ON "users"("tenant_id", "persona", "created_at");

-- CreateIndex
CREATE INDEX "users_tenant_id_created_at_idx" ON "users"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "users_tenant_id_email_key" ON "users"("tenant_id", "email");

-- CreateIndex
CREATE UNIQUE INDEX "users_tenant_id_id_key" ON "users"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "communities_tenant_id_name_key" ON "communities"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "communities_tenant_id_id_key" ON "communities"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "community_memberships_community_id_joined_at_idx" ON "community_memberships"("community_id", "joined_at");

-- CreateIndex
CREATE INDEX "community_memberships_tenant_id_user_id_idx" ON "community_memberships"("tenant_id", "user_id");

-- CreateIndex
CREATE INDEX "courses_tenant_id_status_created_at_idx" ON "courses"("tenant_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "courses_tenant_id_created_at_idx" ON "courses"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "courses_tenant_id_instructor_id_idx" ON "courses"("tenant_id", "instructor_id");

-- CreateIndex
CREATE INDEX "courses_competency_standard_code_idx" ON "courses"("competency_standard_code");

-- CreateIndex
CREATE INDEX "courses_title_idx" ON "courses" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "courses_tenant_id_slug_key" ON "courses"("tenant_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "courses_tenant_id_id_key" ON "courses"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "course_modules_tenant_id_course_id_idx" ON "course_modules"("tenant_id", "course_id");

-- CreateIndex
CREATE UNIQUE INDEX "course_modules_course_id_position_key" ON "course_modules"("course_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "course_modules_tenant_id_id_key" ON "course_modules"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "lessons_tenant_id_course_id_idx" ON "lessons"("tenant_id", "course_id");

-- CreateIndex
CREATE INDEX "lessons_tenant_id_module_id_idx" ON "lessons"("tenant_id", "module_id");

-- CreateIndex
CREATE UNIQUE INDEX "lessons_module_id_position_key" ON "lessons"("module_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "lessons_tenant_id_id_key" ON "lessons"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "enrollments_tenant_id_learner_id_status_idx" ON "enrollments"("tenant_id", "learner_id", "status");

-- CreateIndex
CREATE INDEX "enrollments_tenant_id_course_id_status_idx" ON "enrollments"("tenant_id", "course_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "enrollments_course_id_learner_id_key" ON "enrollments"("course_id", "learner_id");

-- CreateIndex
CREATE UNIQUE INDEX "enrollments_tenant_id_id_key" ON "enrollments"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "lesson_completions_tenant_id_lesson_id_idx" ON "lesson_completions"("tenant_id", "lesson_id");

-- CreateIndex
CREATE UNIQUE INDEX "certificates_verification_code_key" ON "certificates"("verification_code");

-- CreateIndex
CREATE INDEX "certificates_tenant_id_learner_id_issued_at_idx" ON "certificates"("tenant_id", "learner_id", "issued_at");

-- CreateIndex
CREATE INDEX "certificates_tenant_id_course_id_idx" ON "certificates"("tenant_id", "course_id");

-- CreateIndex
CREATE INDEX "certificates_tenant_id_revoked_by_id_idx" ON "certificates"("tenant_id", "revoked_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "certificates_tenant_id_enrollment_id_key" ON "certificates"("tenant_id", "enrollment_id");

-- CreateIndex
CREATE UNIQUE INDEX "certificates_tenant_id_id_key" ON "certificates"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "competency_standards_level_idx" ON "competency_standards"("level");

-- CreateIndex
CREATE INDEX "competency_standards_sector_idx" ON "competency_standards"("sector");

-- CreateIndex
CREATE INDEX "competency_standards_updated_at_idx" ON "competency_standards"("updated_at");

-- CreateIndex
CREATE INDEX "competency_standards_title_idx" ON "competency_standards" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "standards_sync_runs_status_finished_at_idx" ON "standards_sync_runs"("status", "finished_at");

-- CreateIndex
CREATE UNIQUE INDEX "conocer_submissions_folio_key" ON "conocer_submissions"("folio");

-- CreateIndex
CREATE INDEX "conocer_submissions_tenant_id_status_created_at_idx" ON "conocer_submissions"("tenant_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "conocer_submissions_tenant_id_created_at_idx" ON "conocer_submissions"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "conocer_submissions_tenant_id_requested_by_id_idx" ON "conocer_submissions"("tenant_id", "requested_by_id");

-- CreateIndex
CREATE INDEX "conocer_submissions_standard_code_idx" ON "conocer_submissions"("standard_code");

-- CreateIndex
CREATE UNIQUE INDEX "conocer_submissions_tenant_id_certificate_id_key" ON "conocer_submissions"("tenant_id", "certificate_id");

-- CreateIndex
CREATE UNIQUE INDEX "conocer_submissions_tenant_id_id_key" ON "conocer_submissions"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "conocer_status_changes_tenant_id_submission_id_occurred_at_idx" ON "conocer_status_changes"("tenant_id", "submission_id", "occurred_at");

-- CreateIndex
CREATE INDEX "impact_events_tenant_id_occurred_at_idx" ON "impact_events"("tenant_id", "occurred_at");

-- CreateIndex
CREATE INDEX "impact_events_tenant_id_user_id_occurred_at_idx" ON "impact_events"("tenant_id", "user_id", "occurred_at");

-- CreateIndex
CREATE INDEX "impact_events_tenant_id_community_id_occurred_at_idx" ON "impact_events"("tenant_id", "community_id", "occurred_at");

-- CreateIndex
CREATE INDEX "impact_events_tenant_id_verified_by_id_idx" ON "impact_events"("tenant_id", "verified_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "impact_events_tenant_id_source_key_key" ON "impact_events"("tenant_id", "source_key");

-- CreateIndex
CREATE UNIQUE INDEX "impact_events_tenant_id_id_key" ON "impact_events"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "impact_contributions_tenant_id_dimension_idx" ON "impact_contributions"("tenant_id", "dimension");

-- CreateIndex
CREATE INDEX "impact_aggregates_tenant_id_scope_granularity_period_start_idx" ON "impact_aggregates"("tenant_id", "scope", "granularity", "period_start");

-- CreateIndex
CREATE UNIQUE INDEX "impact_aggregates_scope_subject_id_granularity_period_start_key" ON "impact_aggregates"("scope", "subject_id", "granularity", "period_start");

-- CreateIndex
CREATE INDEX "outbox_events_published_at_id_idx" ON "outbox_events"("published_at", "id");

-- CreateIndex
CREATE INDEX "outbox_events_tenant_id_created_at_idx" ON "outbox_events"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_logs_tenant_id_created_at_idx" ON "audit_logs"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_logs_action_created_at_idx" ON "audit_logs"("action", "created_at");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "communities" ADD CONSTRAINT "communities_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "community_memberships" ADD CONSTRAINT "community_memberships_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "community_memberships" ADD CONSTRAINT "community_memberships_tenant_id_community_id_fkey" FOREIGN KEY ("tenant_id", "community_id") REFERENCES "communities"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "community_memberships" ADD CONSTRAINT "community_memberships_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "courses" ADD CONSTRAINT "courses_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "courses" ADD CONSTRAINT "courses_tenant_id_instructor_id_fkey" FOREIGN KEY ("tenant_id", "instructor_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "courses" ADD CONSTRAINT "courses_competency_standard_code_fkey" FOREIGN KEY ("competency_standard_code") REFERENCES "competency_standards"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_modules" ADD CONSTRAINT "course_modules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_modules" ADD CONSTRAINT "course_modules_tenant_id_course_id_fkey" FOREIGN KEY ("tenant_id", "course_id") REFERENCES "courses"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_tenant_id_course_id_fkey" FOREIGN KEY ("tenant_id", "course_id") REFERENCES "courses"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_tenant_id_module_id_fkey" FOREIGN KEY ("tenant_id", "module_id") REFERENCES "course_modules"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_tenant_id_course_id_fkey" FOREIGN KEY ("tenant_id", "course_id") REFERENCES "courses"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_tenant_id_learner_id_fkey" FOREIGN KEY ("tenant_id", "learner_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lesson_completions" ADD CONSTRAINT "lesson_completions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lesson_completions" ADD CONSTRAINT "lesson_completions_tenant_id_enrollment_id_fkey" FOREIGN KEY ("tenant_id", "enrollment_id") REFERENCES "enrollments"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lesson_completions" ADD CONSTRAINT "lesson_completions_tenant_id_lesson_id_fkey" FOREIGN KEY ("tenant_id", "lesson_id") REFERENCES "lessons"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_tenant_id_learner_id_fkey" FOREIGN KEY ("tenant_id", "learner_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_tenant_id_course_id_fkey" FOREIGN KEY ("tenant_id", "course_id") REFERENCES "courses"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_tenant_id_enrollment_id_fkey" FOREIGN KEY ("tenant_id", "enrollment_id") REFERENCES "enrollments"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_tenant_id_revoked_by_id_fkey" FOREIGN KEY ("tenant_id", "revoked_by_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conocer_submissions" ADD CONSTRAINT "conocer_submissions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conocer_submissions" ADD CONSTRAINT "conocer_submissions_tenant_id_certificate_id_fkey" FOREIGN KEY ("tenant_id", "certificate_id") REFERENCES "certificates"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conocer_submissions" ADD CONSTRAINT "conocer_submissions_standard_code_fkey" FOREIGN KEY ("standard_code") REFERENCES "competency_standards"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conocer_submissions" ADD CONSTRAINT "conocer_submissions_tenant_id_requested_by_id_fkey" FOREIGN KEY ("tenant_id", "requested_by_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conocer_status_changes" ADD CONSTRAINT "conocer_status_changes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conocer_status_changes" ADD CONSTRAINT "conocer_status_changes_tenant_id_submission_id_fkey" FOREIGN KEY ("tenant_id", "submission_id") REFERENCES "conocer_submissions"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "impact_events" ADD CONSTRAINT "impact_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "impact_events" ADD CONSTRAINT "impact_events_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "impact_events" ADD CONSTRAINT "impact_events_tenant_id_community_id_fkey" FOREIGN KEY ("tenant_id", "community_id") REFERENCES "communities"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "impact_events" ADD CONSTRAINT "impact_events_tenant_id_verified_by_id_fkey" FOREIGN KEY ("tenant_id", "verified_by_id") REFERENCES "users"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "impact_contributions" ADD CONSTRAINT "impact_contributions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "impact_contributions" ADD CONSTRAINT "impact_contributions_tenant_id_event_id_fkey" FOREIGN KEY ("tenant_id", "event_id") REFERENCES "impact_events"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "impact_aggregates" ADD CONSTRAINT "impact_aggregates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

