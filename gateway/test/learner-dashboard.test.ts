import { RENEC_STANDARDS } from '@academy/renec';
import {
  createTenant,
  loadImpactEvents,
  oracleReport,
  startSupergraph,
  TEST_PASSWORD,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const DASHBOARD = `query Dashboard {
  me {
    enrollments { course { title instructor { name } competencyStandard { code title } } progressPercent }
    certificates { verificationCode conocerStatus course { title } }
    impact { overall }
  }
}`;

describe('learner dashboard through the gateway', () => {
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(() => supergraph?.close());

  it('signs in a seeded learner and returns courses, instructors, standards, progress, certificates and impact in one query', async () => {
    const token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
    const response = await supergraph.request(DASHBOARD, { token, tenant: 'demo' });
    expect(response.status).toBe(200);
    // Her impact, by the documented formulas from her raw events (the seed records some).
    const events = await loadImpactEvents(
      supergraph.db.ownerUrl,
      "user_id = (SELECT u.id FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'demo' AND u.email = 'learner@demo.academy.mx')",
      [],
    );
    const expectedImpact = oracleReport('INDIVIDUAL', 'ALL_TIME', new Date(), events);
    expect(events.length).toBeGreaterThan(0);
    expect(expectedImpact.overall).toBeGreaterThan(0);
    expect(response.body).toEqual({
      data: {
        me: {
          enrollments: [
            {
              course: {
                title: 'Impartición de cursos presenciales con enfoque regenerativo',
                instructor: { name: 'Alejandro Gómez Ortiz' },
                competencyStandard: {
                  code: 'EC0217.01',
                  title: 'Impartición de cursos de formación del capital humano de manera presencial grupal',
                },
              },
              progressPercent: 100,
            },
            {
              course: {
                title: 'Diseño de cursos de formación y sus instrumentos de evaluación',
                instructor: { name: 'Tomás Luna Hernández' },
                competencyStandard: {
                  code: 'EC0301',
                  title:
                    'Diseño de cursos de formación del capital humano de manera presencial grupal, sus instrumentos de evaluación y manuales del curso.',
                },
              },
              progressPercent: 100,
            },
            {
              course: {
                title: 'Tutoría de cursos de formación en línea',
                instructor: { name: 'Renata Rodríguez Torres' },
                competencyStandard: { code: 'EC0019', title: 'Tutoría de cursos de formación en línea' },
              },
              progressPercent: 22.22,
            },
            {
              course: {
                title: 'Instalación de sistemas fotovoltaicos residenciales',
                instructor: { name: 'Alejandro Gómez Ortiz' },
                competencyStandard: {
                  code: 'EC0586.01',
                  title: 'Instalación de sistemas fotovoltaicos en residencia, comercio e industria',
                },
              },
              progressPercent: 0,
            },
          ],
          certificates: [
            {
              verificationCode: '507CK-9NYW8',
              conocerStatus: 'APPROVED',
              course: { title: 'Impartición de cursos presenciales con enfoque regenerativo' },
            },
            {
              verificationCode: 'TJG6A-GQ3MH',
              conocerStatus: 'NOT_REQUESTED',
              course: { title: 'Diseño de cursos de formación y sus instrumentos de evaluación' },
            },
          ],
          impact: { overall: expectedImpact.overall },
        },
      },
    });
  });

  describe('SQL statements per request', () => {
    /** A learner with `size` completed courses, each by its own instructor and standard, each certified. */
    async function learnerWith(size: number): Promise<{ tenant: TestTenant; email: string }> {
      const fixture = await createTenant(supergraph.db.database);
      const tenantId = fixture.tenant.id;
      const standards = RENEC_STANDARDS.slice(100, 100 + size);
      await supergraph.db.database.forTenant(tenantId).run(async (tx) => {
        const instructors = await Promise.all(
          standards.map((_, i) =>
            tx.user.create({
              data: {
                tenantId,
                email: `instructor${i}@x.test`,
                name: `Instructor ${i}`,
                passwordHash: fixture.users.INSTRUCTOR.passwordHash,
                persona: 'INSTRUCTOR',
              },
            }),
          ),
        );
        for (const [i, standard] of standards.entries()) {
          const course = await tx.course.create({
            data: {
              tenantId,
              slug: `curso-${i}`,
              title: `Curso ${i}`,
              description: 'd',
              status: 'PUBLISHED',
              instructorId: instructors[i]!.id,
              priceCents: 0,
              competencyStandardCode: standard.code,
            },
          });
          const module = await tx.courseModule.create({ data: { tenantId, courseId: course.id, title: 'M', position: 1 } });
          const lesson = await tx.lesson.create({
            data: { tenantId, courseId: course.id, moduleId: module.id, title: 'L', position: 1, durationMinutes: 30 },
          });
          const enrollment = await tx.enrollment.create({
            data: {
              tenantId,
              courseId: course.id,
              learnerId: fixture.users.LEARNER.id,
              status: 'COMPLETED',
              finalScore: 90,
              completedAt: new Date(),
            },
          });
          await tx.lessonCompletion.create({ data: { tenantId, enrollmentId: enrollment.id, lessonId: lesson.id } });
          await tx.certificate.create({
            data: {
              tenantId,
              learnerId: fixture.users.LEARNER.id,
              courseId: course.id,
              enrollmentId: enrollment.id,
              verificationCode: `${fixture.tenant.slug}-${i}`,
              credential: {},
            },
          });
        }
      });
      return { tenant: fixture, email: fixture.users.LEARNER.email };
    }

    async function statementsFor(size: number): Promise<{ statements: number; enrollments: number; certificates: number }> {
      const { tenant, email } = await learnerWith(size);
      const token = await supergraph.login(email, TEST_PASSWORD, tenant.tenant.slug);
      await supergraph.request(DASHBOARD, { token, tenant: tenant.tenant.slug }); // warm: the tenant is now cached
      supergraph.statements.reset();
      const response = await supergraph.request<{ me: { enrollments: unknown[]; certificates: unknown[] } }>(DASHBOARD, {
        token,
        tenant: tenant.tenant.slug,
      });
      expect(response.body.errors).toBeUndefined();
      return {
        statements: supergraph.statements.count,
        enrollments: response.body.data!.me.enrollments.length,
        certificates: response.body.data!.me.certificates.length,
      };
    }

    it("a learner's enrollments with their courses and progress are one statement of the courses subgraph", async () => {
      const fixture = await createTenant(supergraph.db.database);
      const tenantId = fixture.tenant.id;
      const { course, first } = await supergraph.db.database.forTenant(tenantId).run(async (tx) => {
        const course = await tx.course.create({
          data: {
            tenantId,
            slug: 'curso',
            title: 'Curso en marcha',
            description: 'd',
            status: 'PUBLISHED',
            instructorId: fixture.users.INSTRUCTOR.id,
            priceCents: 0,
          },
        });
        const module = await tx.courseModule.create({ data: { tenantId, courseId: course.id, title: 'M', position: 1 } });
        const [first] = await Promise.all(
          [1, 2].map((position) =>
            tx.lesson.create({
              data: { tenantId, courseId: course.id, moduleId: module.id, title: `L${position}`, position, durationMinutes: 30 },
            }),
          ),
        );
        const enrollment = await tx.enrollment.create({ data: { tenantId, courseId: course.id, learnerId: fixture.users.LEARNER.id } });
        await tx.lessonCompletion.create({ data: { tenantId, enrollmentId: enrollment.id, lessonId: first!.id } });
        return { course, first: first! };
      });
      const token = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
      const query = '{ me { enrollments { status progressPercent completedLessonIds course { id title } } } }';
      await supergraph.request(query, { token, tenant: fixture.tenant.slug }); // warm: the tenant is now cached
      supergraph.statements.reset();
      const response = await supergraph.request(query, { token, tenant: fixture.tenant.slug });
      expect(response.body).toEqual({
        data: {
          me: {
            enrollments: [
              {
                status: 'ACTIVE',
                progressPercent: 50,
                completedLessonIds: [first.id],
                course: { id: course.id, title: 'Curso en marcha' },
              },
            ],
          },
        },
      });
      // Besides setting a read session's tenant: the enrollments, their courses and progress at once
      // (they were four statements one after the other).
      const reads = supergraph.statements.texts.filter((text) => !text.includes("set_config('app.tenant_id'"));
      expect(reads).toHaveLength(1);
      expect(reads[0]).toContain('FROM enrollments e JOIN courses c');
    });

    it("gives a certificate's course title with the certificate: no request to the courses subgraph, even for an archived course", async () => {
      const { tenant, email } = await learnerWith(2);
      await supergraph.db.database
        .forTenant(tenant.tenant.id)
        .run((tx) => tx.course.updateMany({ where: { tenantId: tenant.tenant.id, slug: 'curso-1' }, data: { status: 'ARCHIVED' } }));
      const token = await supergraph.login(email, TEST_PASSWORD, tenant.tenant.slug);
      const query = '{ me { certificates { verificationCode course { title } } } }';
      await supergraph.request(query, { token, tenant: tenant.tenant.slug }); // warm: the tenant is now cached
      supergraph.subgraphRequests.reset();
      supergraph.statements.reset();
      const response = await supergraph.request(query, { token, tenant: tenant.tenant.slug });
      const codes = [`${tenant.tenant.slug}-0`, `${tenant.tenant.slug}-1`];
      expect({ ...response.body, data: { me: { certificates: sortedBy(response.body.data, codes) } } }).toEqual({
        data: {
          me: {
            certificates: [
              { verificationCode: codes[0], course: { title: 'Curso 0' } },
              { verificationCode: codes[1], course: { title: 'Curso 1' } },
            ],
          },
        },
      });
      // The certifications subgraph alone (it answers `me` too): the certificates with their courses'
      // titles. Before Certificate.course provided the title, the courses subgraph was asked next.
      expect(supergraph.subgraphRequests.count).toBe(1);
      // Besides setting a read session's tenant: the certificates with their courses' titles, at once.
      const reads = supergraph.statements.texts.filter((text) => !text.includes("set_config('app.tenant_id'"));
      expect(reads).toHaveLength(1);
      expect(reads[0]).toContain('FROM certificates t JOIN courses c');
    });

    it('are as many for 50 enrollments and certificates as for 1', async () => {
      const one = await statementsFor(1);
      const fifty = await statementsFor(50);
      expect(one).toMatchObject({ enrollments: 1, certificates: 1 });
      expect(fifty).toMatchObject({ enrollments: 50, certificates: 50 });
      process.stdout.write(`dashboard statements: 1 item ${one.statements}, 50 items ${fifty.statements}\n`);
      expect(fifty.statements).toBe(one.statements);
      expect(one.statements).toBeGreaterThan(0);
      // Reads on read sessions: no BEGIN, tenant setting and COMMIT around each (40 statements before).
      expect(one.statements).toBeLessThanOrEqual(16);
    }, 60_000);
  });
});

/** The certificates of a `me { certificates }` answer in the order of their verification codes. */
function sortedBy(data: unknown, codes: string[]): unknown[] {
  const certificates = (data as { me: { certificates: { verificationCode: string }[] } }).me.certificates;
  return [...certificates].sort((a, b) => codes.indexOf(a.verificationCode) - codes.indexOf(b.verificationCode));
}
