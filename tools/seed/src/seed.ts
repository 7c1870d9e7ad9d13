import { randomBytes } from 'node:crypto';
import { openBadgeCredential, type CredentialSigner } from '@academy/credentials';
import { RENEC_SNAPSHOT_AT, RENEC_STANDARDS } from '@academy/renec';
import { scoredEvent, type EventType, type Verification } from '@academy/impact-scoring';
import { hashPassword, type Database, type Prisma } from '@academy/platform';
import { ImpactAggregation } from '@academy/subgraph-impact';
import { DEMO_PASSWORD } from './dataset';
import { buildSeed, type TenantSeed } from './build';
import { seedId } from './ids';

export interface SeedOptions {
  database: Database;
  /** Signs the seeded certificates (the key whose public half the gateway publishes). */
  credentials: CredentialSigner;
  /** The day the data is anchored to (defaults to today, UTC midnight). */
  anchor?: Date;
  log?: (line: string) => void;
}

export interface SeedCounts {
  [table: string]: number;
}

/**
 * Loads the demo data set through the same tenant-scoped path the services use: the RENEC
 * catalogue (reference data), tenants (audited platform access), then each tenant's rows inside
 * that tenant's transaction. Idempotent: existing rows (same ids) are left as they are.
 */
export async function seedDatabase(options: SeedOptions): Promise<SeedCounts> {
  const log = options.log ?? (() => undefined);
  const anchor = options.anchor ?? startOfUtcDay(new Date());
  const { database } = options;
  const counts: SeedCounts = {};
  const add = (table: string, inserted: number) => {
    counts[table] = (counts[table] ?? 0) + inserted;
  };

  const standards = await database.prisma.competencyStandard.createMany({
    data: RENEC_STANDARDS.map((standard) => ({
      code: standard.code,
      title: standard.title,
      level: standard.level,
      sector: standard.sector,
      sectorId: standard.sectorId,
      committee: standard.committee,
      renecId: standard.renecId,
      updatedAt: RENEC_SNAPSHOT_AT,
    })),
    skipDuplicates: true,
  });
  await database.prisma.standardsSyncRun.createMany({
    data: [
      {
        id: seedId('standards-sync', 'seed'),
        status: 'SUCCEEDED',
        trigger: 'seed',
        fetched: RENEC_STANDARDS.length,
        created: RENEC_STANDARDS.length,
        startedAt: anchor,
        finishedAt: anchor,
      },
    ],
    skipDuplicates: true,
  });
  add('competency_standards', standards.count);
  log(`competency standards: ${RENEC_STANDARDS.length} in the RENEC catalogue, ${standards.count} new`);

  const tenants = buildSeed(anchor);
  const created = await database.asPlatform(
    { actorId: 'system:seed', action: 'seed.tenants', reason: 'Load the documented demo tenants' },
    (tx) => tx.tenant.createMany({ data: tenants.map((seed) => seed.tenant), skipDuplicates: true }),
  );
  add('tenants', created.count);

  for (const seed of tenants) {
    const inserted = await seedTenant(database, seed, options.credentials);
    for (const [table, count] of Object.entries(inserted)) add(table, count);
    log(
      `tenant ${seed.tenant.slug} (${seed.tenant.tier}): ${seed.users.length} users, ${seed.communities.length} communities, ` +
        `${seed.courses.length} courses, ${seed.lessons.length} lessons, ${seed.enrollments.length} enrollments, ${seed.reviews.length} reviews, ` +
        `${seed.certificates.length} certificates, ${seed.submissions.length} CONOCER submissions, ${seed.impactEvents.length} impact events, ` +
        `${seed.apiKeys.length} API keys, ${seed.accountTokens.length} invited users` +
        (inserted.users === 0 ? ' (already present)' : ''),
    );
  }

  await settleImpact(database, log);
  return counts;
}

/**
 * Brings a database's impact up to date, for a start on existing data: events recorded before
 * scoring existed are scored, pending changes aggregated, and derived tables that are empty
 * while events exist (a migration emptied them) rebuilt.
 */
export async function settleImpact(database: Database, log: (line: string) => void = () => undefined): Promise<void> {
  const rescored = await rescoreUnscoredEvents(database);
  if (rescored > 0) log(`impact: scored ${rescored} events recorded before scoring existed`);
  const aggregation = new ImpactAggregation(database, { info: () => undefined, warn: () => undefined });
  const aggregated = await aggregation.applyPending();
  log(`impact: ${aggregated} event changes aggregated`);
  const { events, aggregates } = await database.asPlatform(
    { actorId: 'system:seed', action: 'impact.aggregates.check', reason: 'See whether the impact aggregates need a rebuild' },
    async (tx) => ({ events: await tx.impactEvent.count(), aggregates: await tx.impactAggregate.count() }),
  );
  if (events > 0 && aggregates === 0) {
    const repairs = await aggregation.rollup(['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'], new Date(0));
    log(`impact: aggregates rebuilt from ${events} events (${repairs.map((r) => `${r.relation} ${r.inserted}`).join(', ')})`);
  }
}

/**
 * Events recorded before the scoring model existed have 0 points everywhere, which no scored
 * event has (every type adds at least half a point to each dimension): score them now.
 */
async function rescoreUnscoredEvents(database: Database): Promise<number> {
  return database.asPlatform(
    { actorId: 'system:seed', action: 'impact.events.rescore', reason: 'Score impact events recorded before scoring existed' },
    async (tx) => {
      const unscored = await tx.impactEvent.findMany({
        where: {
          sustainabilityMillipoints: 0,
          communityMillipoints: 0,
          regenerativeMillipoints: 0,
          socialJusticeMillipoints: 0,
          circularityMillipoints: 0,
        },
        select: { id: true, tenantId: true, type: true, verification: true, quantities: true },
      });
      for (const event of unscored) {
        await tx.impactEvent.update({
          where: { id: event.id, tenantId: event.tenantId },
          data: scoredEvent({
            type: event.type as EventType,
            verification: event.verification as Verification,
            quantities: event.quantities as Record<string, unknown>,
          }),
        });
      }
      return unscored.length;
    },
  );
}

async function seedTenant(database: Database, seed: TenantSeed, credentials: CredentialSigner): Promise<SeedCounts> {
  // An invited account has no password of its own until the invitation is accepted: a random one nobody knows.
  const users = await Promise.all(
    seed.users.map(async (user) => ({
      ...user,
      passwordHash: await hashPassword(user.status === 'INVITED' ? randomBytes(32).toString('base64url') : DEMO_PASSWORD),
    })),
  );
  const certificates = await Promise.all(
    seed.certificates.map(async (certificate) => ({
      ...certificate,
      credential: (await credentials.sign(openBadgeCredential(certificate.credential))) as unknown as Prisma.InputJsonValue,
    })),
  );
  return database.forTenant(seed.tenant.id).run(
    async (tx) => {
      const counts: SeedCounts = {};
      counts.users = (await tx.user.createMany({ data: users, skipDuplicates: true })).count;
      counts.communities = (await tx.community.createMany({ data: seed.communities, skipDuplicates: true })).count;
      counts.community_memberships = (await tx.communityMembership.createMany({ data: seed.memberships, skipDuplicates: true })).count;
      counts.courses = (await tx.course.createMany({ data: seed.courses, skipDuplicates: true })).count;
      counts.course_modules = (await tx.courseModule.createMany({ data: seed.modules, skipDuplicates: true })).count;
      counts.lessons = (await tx.lesson.createMany({ data: seed.lessons, skipDuplicates: true })).count;
      counts.enrollments = (await tx.enrollment.createMany({ data: seed.enrollments, skipDuplicates: true })).count;
      counts.lesson_completions = (await tx.lessonCompletion.createMany({ data: seed.lessonCompletions, skipDuplicates: true })).count;
      counts.course_reviews = (await tx.courseReview.createMany({ data: seed.reviews, skipDuplicates: true })).count;
      counts.orders = (await tx.order.createMany({ data: seed.orders, skipDuplicates: true })).count;
      counts.certificates = (await tx.certificate.createMany({ data: certificates, skipDuplicates: true })).count;
      // Certificates issued later take the status list indexes after the seeded ones.
      await tx.$executeRaw`
        INSERT INTO credential_status_allocations (tenant_id, next_index) VALUES (${seed.tenant.id}::uuid, ${certificates.length})
        ON CONFLICT (tenant_id) DO UPDATE SET next_index = greatest(credential_status_allocations.next_index, excluded.next_index)`;
      counts.conocer_submissions = (await tx.conocerSubmission.createMany({ data: seed.submissions, skipDuplicates: true })).count;
      counts.conocer_status_changes = (await tx.conocerStatusChange.createMany({ data: seed.statusChanges, skipDuplicates: true })).count;
      counts.impact_events = (await tx.impactEvent.createMany({ data: seed.impactEvents, skipDuplicates: true })).count;
      counts.api_keys = (await tx.apiKey.createMany({ data: seed.apiKeys, skipDuplicates: true })).count;
      counts.account_tokens = (await tx.accountToken.createMany({ data: seed.accountTokens, skipDuplicates: true })).count;
      const portfolios = seed.portfolios;
      counts.evaluation_criteria = (await tx.evaluationCriterion.createMany({ data: portfolios.criteria, skipDuplicates: true })).count;
      counts.files = (await tx.file.createMany({ data: portfolios.files, skipDuplicates: true })).count;
      counts.portfolios = (await tx.portfolio.createMany({ data: portfolios.portfolios, skipDuplicates: true })).count;
      counts.evidence = (await tx.evidence.createMany({ data: portfolios.evidence, skipDuplicates: true })).count;
      counts.evidence_files = (await tx.evidenceFile.createMany({ data: portfolios.evidenceFiles, skipDuplicates: true })).count;
      return counts;
    },
    { timeoutMs: 60_000 },
  );
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
