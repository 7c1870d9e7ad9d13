import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isValidCurp } from '@academy/curp';
import { migrate, MIGRATIONS_DIR, withScratchDatabase } from '@academy/migrator';
import { CredentialSigner } from '@academy/credentials';
import { createDatabaseClient, Database, verifyPassword, type Persona } from '@academy/platform';
import { API_KEY_PATTERN, hashApiKey, loadSigningKey } from '@academy/tokens';
import { RENEC_STANDARDS } from '@academy/renec';
import { appUrlFor, openTestDatabase, testEnvironment, type TestDatabase } from '@academy/testing';
import { buildSeed, demoApiKey, demoInvitationToken, DEMO_PASSWORD, seedDatabase, startOfUtcDay, type SeedCounts } from '../src';

const PERSONAS: Persona[] = ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'];
/** What the README documents: each tenant's API key secret, and the invited account with its link's token. */
const DOCUMENTED_API_KEYS: Record<string, string> = {
  demo: 'ak_52b12cc3_8TG4Sb5O-KUXIQO9pk-UT9eEkWTjocGClOt4u8G_3nI',
  'cooperativa-sol': 'ak_40ce6c0c_N5dEZrW-dJs9U8eeyKA1zMEGTfHmkihALcqX-F4QiHY',
  'tec-norte': 'ak_a07f01fc_ZMIHs-DmkUxiFh9u91EY6QoFfHPefbeC1FMYdT13xvk',
};
const DOCUMENTED_INVITATION = {
  email: 'invited_instructor@demo.academy.mx',
  link: '/accept-invitation?token=e4pToE0ZdaRboY3d6-wlCUJVJLWjuwGGkcJxQNXdNRE',
};
const README = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
/** The text itself when README.md has it (a failure names the missing text, not the whole README). */
const inReadme = (text: string) => (README.includes(text) ? text : `${text} (missing from README.md)`);
const TABLES = [
  'tenants',
  'users',
  'communities',
  'community_memberships',
  'courses',
  'course_modules',
  'lessons',
  'enrollments',
  'lesson_completions',
  'course_reviews',
  'orders',
  'certificates',
  'conocer_submissions',
  'conocer_status_changes',
  'impact_events',
  'api_keys',
  'account_tokens',
  'competency_standards',
  'evaluation_criteria',
  'files',
  'portfolios',
  'evidence',
  'evidence_files',
] as const;

/** Every row's identity per table, read through the audited bypass. */
async function identities(database: Database): Promise<Record<string, string[]>> {
  return database.asPlatform(
    { actorId: 'system:seed-test', action: 'test.seed-identities', reason: 'compare two seeded databases' },
    async (tx) => {
      const result: Record<string, string[]> = {};
      for (const table of TABLES) {
        const key =
          table === 'competency_standards'
            ? 'code'
            : table === 'community_memberships'
              ? `community_id || '/' || user_id`
              : table === 'lesson_completions'
                ? `enrollment_id || '/' || lesson_id`
                : table === 'evidence_files'
                  ? `evidence_id || '/' || file_id`
                  : 'id';
        const rows = await tx.$queryRawUnsafe<{ key: string }[]>(`SELECT (${key})::text AS key FROM ${table} ORDER BY 1`);
        result[table] = rows.map((row) => row.key);
      }
      return result;
    },
  );
}

async function seededScratch<T>(
  label: string,
  anchor: Date,
  work: (database: Database, counts: SeedCounts, ms: number) => Promise<T>,
): Promise<T> {
  const owner = new URL(process.env.TEST_DATABASE_URL!);
  owner.pathname = '/postgres';
  return withScratchDatabase(owner.toString(), label, async (url) => {
    await migrate({ url, dir: MIGRATIONS_DIR });
    const client = createDatabaseClient({ url: appUrlFor(url) });
    try {
      const database = new Database(client.prisma);
      const started = Date.now();
      const credentials = new CredentialSigner(await loadSigningKey(testEnvironment().TEST_CREDENTIAL_SIGNING_KEY));
      const counts = await seedDatabase({ database, anchor, credentials });
      return await work(database, counts, Date.now() - started);
    } finally {
      await client.close();
    }
  });
}

describe('seed', () => {
  const anchor = startOfUtcDay(new Date());

  it('is deterministic: two runs give the same counts and ids, and a second run on the same database adds nothing', async () => {
    const first = await seededScratch('seed_a', anchor, async (database, counts, ms) => {
      process.stdout.write(`seed loaded in ${ms} ms\n`);
      const ids = await identities(database);
      const again = await seedDatabase({
        database,
        anchor,
        credentials: new CredentialSigner(await loadSigningKey(testEnvironment().TEST_CREDENTIAL_SIGNING_KEY)),
      });
      expect(Object.values(again).every((n) => n === 0)).toBe(true);
      expect(await identities(database)).toEqual(ids);
      return { counts, ids };
    });
    const second = await seededScratch('seed_b', anchor, async (database, counts) => ({ counts, ids: await identities(database) }));
    expect(second.counts).toEqual(first.counts);
    expect(second.ids).toEqual(first.ids);
    for (const table of TABLES) expect({ table, rows: first.ids[table]!.length }).toEqual({ table, rows: first.counts[table] });
  }, 60_000);

  describe('the documented demo data set', () => {
    let db: TestDatabase;
    beforeAll(() => {
      db = openTestDatabase();
    });
    afterAll(() => db.close());

    const read = <T>(work: Parameters<Database['asPlatform']>[1]) =>
      db.database.asPlatform(
        { actorId: 'system:seed-test', action: 'test.seed-read', reason: 'inspect the demo data set' },
        work,
      ) as Promise<T>;

    it('has the three documented tenants with their tiers', async () => {
      const tenants = await read<{ slug: string; tier: string; name: string }[]>((tx) =>
        tx.tenant.findMany({
          where: { slug: { in: ['demo', 'cooperativa-sol', 'tec-norte'] } },
          select: { slug: true, tier: true, name: true },
          orderBy: { slug: 'asc' },
        }),
      );
      expect(tenants).toEqual([
        { slug: 'cooperativa-sol', tier: 'COMMUNITY', name: 'Cooperativa Sol y Tierra de Oaxaca' },
        { slug: 'demo', tier: 'PROFESSIONAL', name: 'Academia MADFAM Demo' },
        { slug: 'tec-norte', tier: 'ENTERPRISE', name: 'Tecnológico del Norte' },
      ]);
    });

    it.each(['demo', 'cooperativa-sol', 'tec-norte'])('has in %s one account per persona, password academy-demo-2026', async (slug) => {
      const users = await read<{ email: string; persona: Persona; passwordHash: string; tenant: { slug: string } }[]>((tx) =>
        tx.user.findMany({
          where: { tenant: { slug }, email: { in: PERSONAS.map((persona) => `${persona.toLowerCase()}@${slug}.academy.mx`) } },
          select: { email: true, persona: true, passwordHash: true, tenant: { select: { slug: true } } },
          orderBy: { email: 'asc' },
        }),
      );
      expect(users.map(({ email, persona }) => ({ email, persona }))).toEqual(
        PERSONAS.map((persona) => ({ email: `${persona.toLowerCase()}@${slug}.academy.mx`, persona })).sort((x, y) =>
          x.email.localeCompare(y.email),
        ),
      );
      for (const user of users) {
        expect(await verifyPassword(user.passwordHash, DEMO_PASSWORD)).toBe(true);
        expect(await verifyPassword(user.passwordHash, 'wrong-password')).toBe(false);
      }
    });

    it('has 60+ people across all five personas, each who signed up with a valid CURP', async () => {
      // Only the seed's own people: other tests may sign up more in these tenants.
      const seeded = buildSeed(startOfUtcDay(new Date())).flatMap((tenant) => tenant.users.map((user) => user.id!));
      const users = await read<{ persona: Persona; curp: string | null; status: string; tenant: { slug: string } }[]>((tx) =>
        tx.user.findMany({
          where: { id: { in: seeded } },
          select: { persona: true, curp: true, status: true, tenant: { select: { slug: true } } },
        }),
      );
      expect(users).toHaveLength(seeded.length);
      expect(users.length).toBeGreaterThanOrEqual(60);
      expect(new Set(users.map((user) => user.persona))).toEqual(new Set(PERSONAS));
      // The invited one has no CURP yet (an invitation asks only for a name and an email).
      const signedUp = users.filter((user) => user.status !== 'INVITED');
      expect(users.length - signedUp.length).toBe(1);
      expect(signedUp.filter((user) => !user.curp || !isValidCurp(user.curp))).toEqual([]);
    });

    it.each(['demo', 'cooperativa-sol', 'tec-norte'])(
      "has in %s the tenant admin's API key with every scope, its secret documented in the README",
      async (slug) => {
        const secret = DOCUMENTED_API_KEYS[slug]!;
        expect(secret).toMatch(API_KEY_PATTERN);
        expect(demoApiKey(slug)).toEqual({ prefix: secret.slice(0, 11), secret });
        expect(inReadme(secret)).toBe(secret);
        const keys = await read<{ name: string; prefix: string; secretHash: string; scopes: string[]; revokedAt: Date | null }[]>((tx) =>
          tx.apiKey.findMany({
            where: { tenant: { slug }, createdBy: { email: `tenant_admin@${slug}.academy.mx`, persona: 'TENANT_ADMIN' } },
            select: { name: true, prefix: true, secretHash: true, scopes: true, revokedAt: true },
          }),
        );
        expect(keys).toContainEqual({
          name: 'Integración de demostración',
          prefix: secret.slice(0, 11),
          secretHash: hashApiKey(secret),
          scopes: ['READ_CATALOGUE', 'READ_REPORTS', 'READ_CERTIFICATES', 'MANAGE_ENROLLMENTS'],
          revokedAt: null,
        });
      },
    );

    it('has in demo an INVITED instructor with an open invitation link, documented in the README', async () => {
      const token = new URLSearchParams(DOCUMENTED_INVITATION.link.split('?')[1]).get('token')!;
      expect(demoInvitationToken(DOCUMENTED_INVITATION.email)).toBe(token);
      expect(inReadme(DOCUMENTED_INVITATION.email)).toBe(DOCUMENTED_INVITATION.email);
      expect(inReadme(DOCUMENTED_INVITATION.link)).toBe(DOCUMENTED_INVITATION.link);
      const user = await read<{
        status: string;
        persona: Persona;
        curp: string | null;
        passwordHash: string;
        accountTokens: { purpose: string; tokenHash: string; expiresAt: Date; usedAt: Date | null }[];
      } | null>((tx) =>
        tx.user.findFirst({
          where: { tenant: { slug: 'demo' }, email: DOCUMENTED_INVITATION.email },
          select: {
            status: true,
            persona: true,
            curp: true,
            passwordHash: true,
            accountTokens: { select: { purpose: true, tokenHash: true, expiresAt: true, usedAt: true } },
          },
        }),
      );
      expect(user).toMatchObject({ status: 'INVITED', persona: 'INSTRUCTOR', curp: null });
      expect(await verifyPassword(user!.passwordHash, DEMO_PASSWORD)).toBe(false);
      expect(user!.accountTokens).toEqual([
        {
          purpose: 'INVITATION',
          tokenHash: createHash('sha256').update(token).digest('hex'),
          expiresAt: expect.any(Date),
          usedAt: null,
        },
      ]);
      expect(user!.accountTokens[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    });

    it('has 20+ courses, each aligned to a real EC standard of the full RENEC catalogue', async () => {
      const { courses, standards } = await read<{
        courses: { competencyStandardCode: string | null; modules: { lessons: unknown[] }[] }[];
        standards: string[];
      }>(async (tx) => ({
        courses: await tx.course.findMany({
          where: { tenant: { slug: { in: ['demo', 'cooperativa-sol', 'tec-norte'] } } },
          select: { competencyStandardCode: true, modules: { select: { lessons: { select: { id: true } } } } },
        }),
        standards: (await tx.competencyStandard.findMany({ select: { code: true }, orderBy: { code: 'asc' } })).map((s) => s.code),
      }));
      expect(standards).toEqual(RENEC_STANDARDS.map((s) => s.code).sort());
      expect(courses.length).toBeGreaterThanOrEqual(20);
      for (const course of courses) {
        expect(standards).toContain(course.competencyStandardCode);
        expect(course.modules.length).toBeGreaterThan(0);
        expect(course.modules.every((module) => module.lessons.length > 0)).toBe(true);
      }
    });

    it.each(['demo', 'cooperativa-sol', 'tec-norte'])(
      'has in %s enrollments at every stage, certificates, CONOCER outcomes and impact events',
      async (slug) => {
        const data = await read<{
          enrollments: {
            status: string;
            finalScore: number | null;
            _count: { lessonCompletions: number };
            course: { passingScore: number; _count: { lessons: number } };
            certificate: { status: string } | null;
          }[];
          submissions: string[];
          impactTypes: string[];
          memberships: number;
        }>(async (tx) => ({
          enrollments: await tx.enrollment.findMany({
            where: { tenant: { slug } },
            select: {
              status: true,
              finalScore: true,
              _count: { select: { lessonCompletions: true } },
              course: { select: { passingScore: true, _count: { select: { lessons: true } } } },
              certificate: { select: { status: true } },
            },
          }),
          submissions: (await tx.conocerSubmission.findMany({ where: { tenant: { slug } }, select: { status: true } })).map(
            (s) => s.status,
          ),
          impactTypes: (await tx.impactEvent.findMany({ where: { tenant: { slug } }, select: { type: true }, distinct: ['type'] })).map(
            (e) => e.type,
          ),
          memberships: await tx.communityMembership.count({ where: { tenant: { slug } } }),
        }));
        const stage = (e: (typeof data.enrollments)[number]) => {
          if (e.status === 'CANCELLED') return 'cancelled';
          if (e.status === 'COMPLETED') return e.certificate ? 'completed with certificate' : 'completed without certificate';
          if (e._count.lessonCompletions === 0) return 'enrolled';
          if (e._count.lessonCompletions < e.course._count.lessons) return 'in progress';
          if (e.finalScore === null) return 'lessons done, no assessment';
          return e.finalScore < e.course.passingScore ? 'failed assessment' : 'passed but not completed';
        };
        expect(new Set(data.enrollments.map(stage))).toEqual(
          new Set([
            'enrolled',
            'in progress',
            'lessons done, no assessment',
            'failed assessment',
            'completed with certificate',
            'cancelled',
          ]),
        );
        expect(new Set(data.enrollments.filter((e) => e.certificate).map((e) => e.certificate!.status))).toEqual(
          new Set(['ISSUED', 'REVOKED']),
        );
        expect(new Set(data.submissions)).toEqual(new Set(['APPROVED', 'REJECTED', 'FAILED']));
        expect(new Set(data.impactTypes)).toEqual(
          new Set(['COURSE_COMPLETION', 'COMMUNITY_PROJECT', 'SKILL_SHARING', 'SUSTAINABILITY_ACTION', 'REGENERATIVE_PROJECT']),
        );
        expect(data.memberships).toBeGreaterThan(0);
      },
    );

    it.each(['demo', 'cooperativa-sol', 'tec-norte'])(
      'has in %s two courses with evaluation criteria and portfolios empty, partly reviewed with a rejection, waiting and judged COMPETENT',
      async (slug) => {
        const data = await read<{
          criteria: { courseId: string; kind: string; position: number }[];
          enrollments: { status: string; portfolio: { judgement: string | null; evidence: { status: string }[] } | null }[];
          submissionsWithoutJudgement: number;
        }>(async (tx) => {
          const criteria = await tx.evaluationCriterion.findMany({
            where: { tenant: { slug } },
            select: { courseId: true, kind: true, position: true },
            orderBy: [{ courseId: 'asc' }, { position: 'asc' }],
          });
          const courseIds = [...new Set(criteria.map((criterion) => criterion.courseId))];
          return {
            criteria,
            enrollments: await tx.enrollment.findMany({
              where: { tenant: { slug }, courseId: { in: courseIds }, status: { not: 'CANCELLED' } },
              select: {
                status: true,
                portfolio: { select: { judgement: true, evidence: { select: { status: true }, orderBy: { submittedAt: 'asc' } } } },
              },
            }),
            // Every CONOCER submission of a course with criteria rests on a COMPETENT judgement.
            submissionsWithoutJudgement: await tx.conocerSubmission.count({
              where: {
                tenant: { slug },
                certificate: { courseId: { in: courseIds }, enrollment: { portfolio: { isNot: { judgement: 'COMPETENT' } } } },
              },
            }),
          };
        });
        expect(new Set(data.criteria.map((criterion) => criterion.courseId)).size).toBe(2);
        expect(data.criteria.map((criterion) => `${criterion.position} ${criterion.kind}`)).toEqual([
          '1 PERFORMANCE',
          '2 PRODUCT',
          '3 KNOWLEDGE',
          '1 PERFORMANCE',
          '2 PRODUCT',
          '3 KNOWLEDGE',
        ]);
        const stage = (e: (typeof data.enrollments)[number]) =>
          !e.portfolio
            ? 'empty'
            : e.portfolio.judgement === 'COMPETENT'
              ? `${e.status} COMPETENT ${e.portfolio.evidence.map((piece) => piece.status).join(',')}`
              : e.portfolio.evidence.map((piece) => piece.status).join(',');
        const stages = new Set(data.enrollments.map(stage));
        expect(stages).toContain('COMPLETED COMPETENT ACCEPTED,ACCEPTED,ACCEPTED');
        expect(stages).toContain('ACCEPTED,REJECTED,SUBMITTED');
        expect(stages).toContain('SUBMITTED,SUBMITTED,SUBMITTED');
        expect(stages).toContain('empty');
        expect(data.submissionsWithoutJudgement).toBe(0);
      },
    );
  });
});
