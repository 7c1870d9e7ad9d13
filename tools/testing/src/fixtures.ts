import { randomBytes, randomUUID } from 'node:crypto';
import { scoredEvent } from '@academy/impact-scoring';
import { PERSONAS } from '@academy/permissions';
import {
  createDatabaseClient,
  Database,
  hashPassword,
  type DatabaseClient,
  type Persona,
  type Tenant,
  type TenantTier,
  type User,
} from '@academy/platform';
import pg from 'pg';
import { testEnvironment } from './environment';
import { copyDatabase } from './global-setup';

export const TEST_PASSWORD = 'correct-horse-battery';

export interface TestDatabase {
  database: Database;
  client: DatabaseClient;
  /** The read replica's client, when it has one. */
  replica: DatabaseClient | null;
  /** Owner URL of the run's database (for catalog checks and raw SQL as the owner). */
  ownerUrl: string;
  /** The services' role on the run's database. */
  appUrl: string;
  close(): Promise<void>;
}

/** The run's database as the services see it: the academy_app role, RLS in force. */
export function openTestDatabase(
  options: {
    onStatement?: (sql: string) => void;
    poolSize?: number;
    ownerUrl?: string;
    /** A read replica's URL as the services' role: `TenantScope.read` goes there. */
    readUrl?: string;
    onReadStatement?: (sql: string) => void;
  } = {},
): TestDatabase {
  const environment = testEnvironment();
  const ownerUrl = options.ownerUrl ?? environment.TEST_DATABASE_URL;
  const appUrl = options.ownerUrl ? appUrlFor(options.ownerUrl) : environment.TEST_APP_DATABASE_URL;
  const client = createDatabaseClient({
    url: appUrl,
    applicationName: 'academy-test',
    poolSize: options.poolSize ?? 4,
    ...(options.onStatement ? { onStatement: options.onStatement } : {}),
  });
  const replica = options.readUrl
    ? createDatabaseClient({
        url: options.readUrl,
        applicationName: 'academy-test-read',
        poolSize: options.poolSize ?? 4,
        ...(options.onReadStatement ? { onStatement: options.onReadStatement } : {}),
      })
    : null;
  return {
    database: new Database(client.prisma, {
      pool: client.pool,
      sessions: client.sessions,
      sessionPool: client.sessionPool,
      ...(replica ? { replica: replica.prisma } : {}),
    }),
    client,
    replica,
    ownerUrl,
    appUrl,
    async close() {
      await replica?.close();
      await client.close();
    },
  };
}

/**
 * A database of its own (a copy of the seeded template), for tests whose background work
 * (the outbox relay) would otherwise pick up other test files' events. Dropped by `drop()`.
 */
export async function isolatedDatabase(): Promise<{ ownerUrl: string; drop(): Promise<void> }> {
  const environment = testEnvironment();
  const name = `academy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const server = new URL(environment.TEST_DATABASE_URL);
  server.pathname = '/postgres';
  await copyDatabase(server.toString(), environment.TEST_TEMPLATE_DATABASE, name);
  const owner = new URL(environment.TEST_DATABASE_URL);
  owner.pathname = `/${name}`;
  return {
    ownerUrl: owner.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: server.toString() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`).finally(() => admin.end());
    },
  };
}

/** The services' URL (role and password of the run's) for another database: a scratch database, or one on another server. */
export function appUrlFor(ownerUrl: string): string {
  const app = new URL(testEnvironment().TEST_APP_DATABASE_URL);
  const url = new URL(ownerUrl);
  url.username = app.username;
  url.password = app.password;
  return url.toString();
}

export interface TestTenant {
  tenant: Tenant;
  /** One account per persona, each with the password TEST_PASSWORD. */
  users: Record<Persona, User>;
}

/** A fresh tenant with one user per persona: tests never depend on each other's rows. */
export async function createTenant(
  database: Database,
  options: { tier?: TenantTier; slug?: string; settings?: Record<string, boolean | string | number> } = {},
): Promise<TestTenant> {
  const slug = options.slug ?? `t-${randomBytes(5).toString('hex')}`;
  const tenant = await database.asPlatform(
    { actorId: 'system:test', action: 'test.create-tenant', reason: 'Fresh tenant for a test' },
    (tx) =>
      tx.tenant.create({ data: { slug, name: `Tenant ${slug}`, tier: options.tier ?? 'PROFESSIONAL', settings: options.settings ?? {} } }),
  );
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const users = await database.forTenant(tenant.id).run(async (tx) => {
    const created = {} as Record<Persona, User>;
    for (const persona of PERSONAS) {
      created[persona] = await tx.user.create({
        data: { tenantId: tenant.id, email: `${persona.toLowerCase()}@${slug}.test`, name: `${persona} ${slug}`, passwordHash, persona },
      });
    }
    return created;
  });
  return { tenant, users };
}

/**
 * A tenant with at least one row in every tenant-owned table, written through the tenant's
 * own scope: what the isolation test tries to reach from another tenant.
 */
export async function createTenantWithEveryKindOfRow(database: Database): Promise<TestTenant> {
  const fixture = await createTenant(database);
  const { tenant, users } = fixture;
  const tenantId = tenant.id;
  await database.forTenant(tenantId).run(async (tx) => {
    const community = await tx.community.create({ data: { tenantId, name: 'Comunidad de prueba' } });
    await tx.communityMembership.create({ data: { tenantId, communityId: community.id, userId: users.LEARNER.id } });
    const course = await tx.course.create({
      data: {
        tenantId,
        slug: `curso-${randomBytes(3).toString('hex')}`,
        title: 'Curso de prueba',
        description: 'Para la prueba de aislamiento',
        status: 'PUBLISHED',
        instructorId: users.INSTRUCTOR.id,
        priceCents: 0,
        competencyStandardCode: 'EC0217.01',
        impactDimensions: ['COMMUNITY'],
      },
    });
    const module = await tx.courseModule.create({ data: { tenantId, courseId: course.id, title: 'Módulo', position: 1 } });
    const lesson = await tx.lesson.create({
      data: { tenantId, courseId: course.id, moduleId: module.id, title: 'Lección', position: 1, durationMinutes: 10 },
    });
    const enrollment = await tx.enrollment.create({
      data: { tenantId, courseId: course.id, learnerId: users.LEARNER.id, status: 'COMPLETED', finalScore: 95, completedAt: new Date() },
    });
    await tx.lessonCompletion.create({ data: { tenantId, enrollmentId: enrollment.id, lessonId: lesson.id } });
    await tx.courseReview.create({
      data: { tenantId, courseId: course.id, authorId: users.LEARNER.id, rating: 5, comment: 'Muy claro' },
    });
    const coupon = await tx.coupon.create({
      data: { tenantId, code: 'PRUEBA10', codeKey: 'PRUEBA10', percentOff: 10, createdById: users.TENANT_ADMIN.id, redemptionCount: 1 },
    });
    const order = await tx.order.create({
      data: {
        tenantId,
        buyerId: users.LEARNER.id,
        courseId: course.id,
        status: 'PAID',
        paymentMethod: 'CARD',
        subtotalCents: 10_000,
        discountCents: 1_000,
        totalCents: 9_000,
        currency: 'MXN',
        couponId: coupon.id,
        holdsRedemption: true,
        providerSessionId: `cs_test_${randomBytes(8).toString('hex')}`,
        paidAt: new Date(),
      },
    });
    await tx.paymentEvent.create({
      data: { id: `evt_${randomBytes(8).toString('hex')}`, tenantId, orderId: order.id, type: 'checkout.session.completed' },
    });
    const assessment = await tx.assessment.create({ data: { tenantId, courseId: course.id } });
    await tx.assessmentQuestion.create({
      data: {
        tenantId,
        assessmentId: assessment.id,
        position: 1,
        prompt: '¿Sí?',
        kind: 'TRUE_FALSE',
        points: 1,
        options: [
          { id: randomUUID(), text: 'Sí', correct: true },
          { id: randomUUID(), text: 'No', correct: false },
        ],
      },
    });
    await tx.assessmentAttempt.create({
      data: {
        tenantId,
        assessmentId: assessment.id,
        enrollmentId: enrollment.id,
        number: 1,
        optionOrder: {},
        status: 'SUBMITTED',
        score: 100,
        passed: true,
      },
    });
    const certificate = await tx.certificate.create({
      data: {
        tenantId,
        learnerId: users.LEARNER.id,
        courseId: course.id,
        enrollmentId: enrollment.id,
        verificationCode: randomBytes(6).toString('hex').toUpperCase(),
        credential: { type: ['VerifiableCredential', 'OpenBadgeCredential'] },
      },
    });
    const submission = await tx.conocerSubmission.create({
      data: { tenantId, certificateId: certificate.id, standardCode: 'EC0217.01', requestedById: users.LEARNER.id },
    });
    await tx.conocerStatusChange.create({
      data: { tenantId, submissionId: submission.id, status: 'PENDING', previousStatus: 'NOT_REQUESTED' },
    });
    // The event leaves an impact_deltas row (its trigger); the derived rows are written directly.
    const points = scoredEvent({ type: 'SKILL_SHARING', verification: 'SELF_REPORTED', quantities: {} });
    await tx.impactEvent.create({
      data: {
        tenantId,
        userId: users.LEARNER.id,
        communityId: community.id,
        type: 'SKILL_SHARING',
        description: 'Taller',
        occurredAt: new Date(),
        ...points,
      },
    });
    const sums = { ...points, eventCount: 1 };
    await tx.impactUserDay.create({
      data: { tenantId, userId: users.LEARNER.id, communityId: community.id, day: new Date(Date.UTC(2001, 0, 1)), ...sums },
    });
    await tx.impactAggregate.create({
      data: {
        tenantId,
        scope: 'TENANT',
        subjectId: tenantId,
        granularity: 'DAY',
        periodStart: new Date(Date.UTC(2001, 0, 1)),
        participantCount: 1,
        ...sums,
      },
    });
    await tx.outboxEvent.create({ data: { tenantId, type: 'test.created', aggregateType: 'Tenant', aggregateId: tenantId, payload: {} } });
    await tx.auditLog.create({ data: { tenantId, actorId: users.TENANT_ADMIN.id, action: 'test.audit', metadata: {} } });
    await tx.sagaRun.create({ data: { tenantId, saga: 'certification', key: certificate.id } });
    const notification = await tx.notification.create({
      data: { tenantId, userId: users.LEARNER.id, kind: 'ENROLLED', title: 'Hola', body: 'Prueba', sourceKey: 'test:1' },
    });
    await tx.emailDelivery.create({ data: { tenantId, notificationId: notification.id } });
    await tx.accountToken.create({
      data: {
        tenantId,
        userId: users.LEARNER.id,
        purpose: 'PASSWORD_RESET',
        tokenHash: randomBytes(32).toString('hex'),
        expiresAt: new Date(),
      },
    });
    await tx.notificationPreference.create({ data: { tenantId, userId: users.LEARNER.id, email: true, emailKinds: ['ENROLLED'] } });
    const session = await tx.session.create({ data: { tenantId, userId: users.LEARNER.id, expiresAt: new Date(Date.now() + 86_400_000) } });
    await tx.refreshToken.create({
      data: { tenantId, sessionId: session.id, tokenHash: randomBytes(32).toString('hex'), expiresAt: session.expiresAt },
    });
    await tx.apiKey.create({
      data: {
        tenantId,
        name: 'Fixture integration',
        prefix: randomBytes(4).toString('hex'),
        secretHash: randomBytes(32).toString('hex'),
        scopes: ['READ_REPORTS'],
        createdById: users.TENANT_ADMIN.id,
      },
    });
    await tx.file.create({
      data: {
        tenantId,
        ownerId: users.LEARNER.id,
        purpose: 'AVATAR',
        name: 'avatar.png',
        contentType: 'image/png',
        byteSize: 100,
        storageKey: `${tenantId}/avatar/${randomUUID()}`,
        uploadExpiresAt: new Date(),
      },
    });
    await tx.credentialStatusAllocation.create({ data: { tenantId, nextIndex: 1 } });
    await tx.dc3.create({
      data: {
        tenantId,
        enrollmentId: enrollment.id,
        learnerId: users.LEARNER.id,
        courseId: course.id,
        workerName: users.LEARNER.name,
        workerCurp: 'GOMC900101HDFRRR09',
        occupation: 'Instalador',
        jobTitle: 'Técnico',
        employerName: 'Empresa de prueba',
        employerRfc: 'EPR900101AB1',
        courseTitle: course.title,
        durationHours: 1,
        startedOn: new Date(Date.UTC(2001, 0, 1)),
        finishedOn: new Date(Date.UTC(2001, 0, 2)),
        thematicArea: '6000 Seguridad',
        trainerName: users.INSTRUCTOR.name,
        issuedById: users.TENANT_ADMIN.id,
      },
    });
    const criterion = await tx.evaluationCriterion.create({
      data: { tenantId, courseId: course.id, element: 'E1', kind: 'PRODUCT', description: 'Un producto', position: 1 },
    });
    await tx.portfolio.create({ data: { id: enrollment.id, tenantId, learnerId: users.LEARNER.id, courseId: course.id } });
    const evidence = await tx.evidence.create({ data: { tenantId, portfolioId: enrollment.id, criterionId: criterion.id } });
    // Evidence files are READY EVIDENCE files of the portfolio's learner (trigger evidence_files_check).
    const evidenceFile = await tx.file.create({
      data: {
        tenantId,
        ownerId: users.LEARNER.id,
        purpose: 'EVIDENCE',
        name: 'evidencia.pdf',
        contentType: 'application/pdf',
        byteSize: 100,
        storageKey: `${tenantId}/evidence/${randomUUID()}`,
        status: 'READY',
        uploadExpiresAt: new Date(),
        readyAt: new Date(),
      },
    });
    await tx.evidenceFile.create({ data: { tenantId, evidenceId: evidence.id, fileId: evidenceFile.id, position: 1 } });
  });
  return fixture;
}

export function uniqueId(): string {
  return randomUUID();
}

/**
 * A published course that meets every Solarpunk compliance rule (EC standard, impact
 * dimensions, passing score 70, 90 minutes of lessons), taught by the tenant's INSTRUCTOR.
 */
export async function createCompliantCourse(database: Database, fixture: TestTenant, options: { standard?: string; title?: string } = {}) {
  const tenantId = fixture.tenant.id;
  return database.forTenant(tenantId).run(async (tx) => {
    const course = await tx.course.create({
      data: {
        tenantId,
        slug: `curso-${randomBytes(4).toString('hex')}`,
        title: options.title ?? 'Impartición de talleres comunitarios',
        description: 'Talleres presenciales para la comunidad',
        status: 'PUBLISHED',
        publishedAt: new Date(),
        instructorId: fixture.users.INSTRUCTOR.id,
        priceCents: 0,
        competencyStandardCode: options.standard ?? 'EC0217.01',
        passingScore: 70,
        impactDimensions: ['COMMUNITY', 'SOCIAL_JUSTICE'],
      },
    });
    const module = await tx.courseModule.create({ data: { tenantId, courseId: course.id, title: 'Módulo', position: 1 } });
    const lessons = [];
    for (const position of [1, 2, 3]) {
      lessons.push(
        await tx.lesson.create({
          data: { tenantId, courseId: course.id, moduleId: module.id, title: `Lección ${position}`, position, durationMinutes: 30 },
        }),
      );
    }
    return { ...course, lessons };
  });
}

/**
 * What a learner who passed `courseId` has, written directly: the COMPLETED enrollment (95) and
 * its certificate (verification code `<codePrefix>-<8 hex>`). The fixture's learner by default.
 */
export async function createCertificate(
  database: Database,
  fixture: TestTenant,
  options: { courseId: string; learnerId?: string; codePrefix?: string },
) {
  const tenantId = fixture.tenant.id;
  const learnerId = options.learnerId ?? fixture.users.LEARNER.id;
  return database.forTenant(tenantId).run(async (tx) => {
    const enrollment = await tx.enrollment.create({
      data: { tenantId, courseId: options.courseId, learnerId, status: 'COMPLETED', finalScore: 95, completedAt: new Date() },
    });
    return tx.certificate.create({
      data: {
        tenantId,
        learnerId,
        courseId: options.courseId,
        enrollmentId: enrollment.id,
        verificationCode: `${options.codePrefix ?? 'TEST'}-${randomBytes(4).toString('hex').toUpperCase()}`,
        credential: {},
      },
    });
  });
}
