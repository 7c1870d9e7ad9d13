-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AggregateGranularity" ADD VALUE 'QUARTER';
ALTER TYPE "AggregateGranularity" ADD VALUE 'YEAR';
ALTER TYPE "AggregateGranularity" ADD VALUE 'ALL_TIME';

-- DropForeignKey
ALTER TABLE "impact_contributions" DROP CONSTRAINT "impact_contributions_tenant_id_fkey";

-- DropForeignKey
ALTER TABLE "impact_contributions" DROP CONSTRAINT "impact_contributions_tenant_id_event_id_fkey";

-- DropForeignKey
ALTER TABLE "impact_aggregates" DROP CONSTRAINT "impact_aggregates_tenant_id_fkey";

-- DropIndex
DROP INDEX "impact_aggregates_tenant_id_scope_granularity_period_start_idx";

-- DropIndex
DROP INDEX "impact_aggregates_scope_subject_id_granularity_period_start_key";

-- AlterTable
-- Events recorded before scoring existed get 0 here (no default afterwards: every writer scores
-- its events); the seed rescores such events (all five at 0, which no scored event has).
ALTER TABLE "impact_events" ADD COLUMN     "circularity_millipoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "community_millipoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "regenerative_millipoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "social_justice_millipoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sustainability_millipoints" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "impact_events" ALTER COLUMN "circularity_millipoints" DROP DEFAULT,
ALTER COLUMN "community_millipoints" DROP DEFAULT,
ALTER COLUMN "regenerative_millipoints" DROP DEFAULT,
ALTER COLUMN "social_justice_millipoints" DROP DEFAULT,
ALTER COLUMN "sustainability_millipoints" DROP DEFAULT;

-- Aggregates are derived data: they are rebuilt from the events (app_impact_recompute).
TRUNCATE "impact_aggregates";

-- AlterTable
ALTER TABLE "impact_aggregates" DROP CONSTRAINT "impact_aggregates_pkey",
DROP COLUMN "circularity",
DROP COLUMN "community",
DROP COLUMN "id",
DROP COLUMN "regenerative",
DROP COLUMN "social_justice",
DROP COLUMN "sustainability",
DROP COLUMN "updated_at",
ADD COLUMN     "circularity_millipoints" BIGINT NOT NULL,
ADD COLUMN     "community_millipoints" BIGINT NOT NULL,
ADD COLUMN     "regenerative_millipoints" BIGINT NOT NULL,
ADD COLUMN     "social_justice_millipoints" BIGINT NOT NULL,
ADD COLUMN     "sustainability_millipoints" BIGINT NOT NULL,
ALTER COLUMN "period_start" SET DATA TYPE DATE,
ALTER COLUMN "event_count" DROP DEFAULT,
ALTER COLUMN "participant_count" DROP DEFAULT,
ADD CONSTRAINT "impact_aggregates_pkey" PRIMARY KEY ("scope", "subject_id", "granularity", "period_start");

-- DropTable
DROP TABLE "impact_contributions";

-- CreateTable
CREATE TABLE "impact_deltas" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "community_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "events" INTEGER NOT NULL,
    "sustainability_millipoints" INTEGER NOT NULL,
    "community_millipoints" INTEGER NOT NULL,
    "regenerative_millipoints" INTEGER NOT NULL,
    "social_justice_millipoints" INTEGER NOT NULL,
    "circularity_millipoints" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "impact_deltas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "impact_user_days" (
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "community_id" UUID NOT NULL,
    "event_count" INTEGER NOT NULL,
    "sustainability_millipoints" BIGINT NOT NULL,
    "community_millipoints" BIGINT NOT NULL,
    "regenerative_millipoints" BIGINT NOT NULL,
    "social_justice_millipoints" BIGINT NOT NULL,
    "circularity_millipoints" BIGINT NOT NULL,

    CONSTRAINT "impact_user_days_pkey" PRIMARY KEY ("tenant_id","user_id","day","community_id")
);

-- CreateIndex
CREATE INDEX "impact_deltas_tenant_id_idx" ON "impact_deltas"("tenant_id");

-- CreateIndex
CREATE INDEX "impact_aggregates_tenant_id_idx" ON "impact_aggregates"("tenant_id");
