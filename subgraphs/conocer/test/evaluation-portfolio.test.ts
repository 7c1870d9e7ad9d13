import { randomUUID } from 'node:crypto';
import { createCompliantCourse, createTenant, startSubgraph, type RunningSubgraph, type TestTenant } from '@academy/testing';

/** The portfolio as the gateway reaches it (Enrollment entities), and what the database keeps of evidence files. */
describe('conocer subgraph: evaluation portfolios', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  beforeAll(async () => {
    subgraph = await startSubgraph('conocer');
    fixture = await createTenant(subgraph.db.database);
  });
  afterAll(() => subgraph?.close());

  const as = (persona: keyof TestTenant['users']) => ({ tenant: fixture.tenant, viewer: fixture.users[persona] });
  const db = () => subgraph.db.database.forTenant(fixture.tenant.id);
  const tenantId = () => fixture.tenant.id;
  const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on Enrollment { id portfolio { id coverage judgement learner { id } course { id } standard { code } missingCriteria { position } evidence { id } } }
  } }`;

  /** An enrollment of the LEARNER in a course aligned to EC0217.01 with two criteria, and one in a course aligned to none. */
  async function enrollments() {
    const aligned = await createCompliantCourse(subgraph.db.database, fixture);
    const unaligned = await createCompliantCourse(subgraph.db.database, fixture);
    return db().run(async (tx) => {
      await tx.course.update({ where: { id: unaligned.id }, data: { competencyStandardCode: null } });
      await tx.evaluationCriterion.createMany({
        data: [1, 2].map((position) => ({
          tenantId: tenantId(),
          courseId: aligned.id,
          element: `E${position}`,
          kind: 'PRODUCT' as const,
          description: 'd',
          position,
        })),
      });
      const learnerId = fixture.users.LEARNER.id;
      return {
        aligned: await tx.enrollment.create({ data: { tenantId: tenantId(), courseId: aligned.id, learnerId } }),
        unaligned: await tx.enrollment.create({ data: { tenantId: tenantId(), courseId: unaligned.id, learnerId } }),
      };
    });
  }

  it("resolves an enrollment's portfolio before it has a row (empty), for its learner and staff only; none for a course without a standard", async () => {
    const { aligned, unaligned } = await enrollments();
    const representations = [aligned, unaligned].map((enrollment) => ({ __typename: 'Enrollment', id: enrollment.id }));
    const portfolio = {
      id: aligned.id,
      coverage: 0,
      judgement: null,
      learner: { id: fixture.users.LEARNER.id },
      course: { id: aligned.courseId },
      standard: { code: 'EC0217.01' },
      missingCriteria: [{ position: 1 }, { position: 2 }],
      evidence: [],
    };
    for (const persona of ['LEARNER', 'EVALUATOR', 'TENANT_ADMIN'] as const) {
      const response = await subgraph.request(ENTITIES, { variables: { representations }, ...as(persona) });
      expect(response.body).toEqual({
        data: {
          _entities: [
            { id: aligned.id, portfolio },
            { id: unaligned.id, portfolio: null },
          ],
        },
      });
    }
    const instructor = await subgraph.request(ENTITIES, { variables: { representations }, ...as('INSTRUCTOR') });
    expect(instructor.body).toEqual({
      data: {
        _entities: [
          { id: aligned.id, portfolio: null },
          { id: unaligned.id, portfolio: null },
        ],
      },
    });
    expect(await db().run((tx) => tx.portfolio.count({ where: { id: aligned.id } }))).toBe(0);
  });

  it("refuses, in the database, an evidence file that is not a READY EVIDENCE file of the portfolio's learner", async () => {
    const { aligned } = await enrollments();
    const file = (ownerId: string, purpose: 'EVIDENCE' | 'AVATAR', status: 'READY' | 'PENDING') =>
      db().run((tx) =>
        tx.file.create({
          data: {
            tenantId: tenantId(),
            ownerId,
            purpose,
            name: 'f.pdf',
            contentType: 'application/pdf',
            byteSize: 10,
            storageKey: `${tenantId()}/${purpose.toLowerCase()}/${randomUUID()}`,
            status,
            uploadExpiresAt: new Date(),
          },
        }),
      );
    const learner = fixture.users.LEARNER.id;
    const attach = async (fileId: string) =>
      db().run(async (tx) => {
        await tx.portfolio.upsert({
          where: { id: aligned.id },
          create: { id: aligned.id, tenantId: tenantId(), learnerId: learner, courseId: aligned.courseId },
          update: {},
        });
        const criterion = await tx.evaluationCriterion.findFirstOrThrow({ where: { courseId: aligned.courseId, position: 1 } });
        const evidence = await tx.evidence.create({ data: { tenantId: tenantId(), portfolioId: aligned.id, criterionId: criterion.id } });
        return tx.evidenceFile.create({ data: { tenantId: tenantId(), evidenceId: evidence.id, fileId, position: 1 } });
      });
    const refused = { message: expect.stringContaining("is not a READY EVIDENCE file of the portfolio's learner") };
    await expect(attach((await file(learner, 'AVATAR', 'READY')).id)).rejects.toMatchObject(refused);
    await expect(attach((await file(learner, 'EVIDENCE', 'PENDING')).id)).rejects.toMatchObject(refused);
    await expect(attach((await file(fixture.users.INSTRUCTOR.id, 'EVIDENCE', 'READY')).id)).rejects.toMatchObject(refused);
    const good = await file(learner, 'EVIDENCE', 'READY');
    await expect(attach(good.id)).resolves.toMatchObject({ fileId: good.id });
  });
});
