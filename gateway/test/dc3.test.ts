import type { Database } from '@academy/platform';
import {
  asPersonaOf,
  createCompliantCourse,
  createTenant,
  httpRequest,
  readPdf,
  startSupergraph,
  TEST_PASSWORD,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

/** The STPS DC-3 of a completed enrollment: issued by the tenant's admin, its PDF, the DC-4 CSV, and every refusal. */
describe('DC-3 (constancia de competencias o de habilidades laborales)', () => {
  let supergraph: RunningSupergraph;
  let database: Database;
  let fixture: TestTenant;
  let bare: TestTenant;
  let as: ReturnType<typeof asPersonaOf>;
  let asBare: ReturnType<typeof asPersonaOf>;
  let course: Awaited<ReturnType<typeof createCompliantCourse>>;
  let completed: string;
  let secondCompleted: string;
  let secondLearner: { id: string; name: string };
  let active: string;
  let bareCompleted: string;

  const RFC = 'ECO090101AB1';
  const CURP = 'NUGM900101MDFXMR09';
  const SECOND_CURP = 'LOPA850505HDFXPN02';

  /** A learner's enrollment of the course, as the courses subgraph would have written it. */
  const enroll = (tenant: TestTenant, courseId: string, learnerId: string, at: { enrolled: string; completed?: string }) =>
    database.forTenant(tenant.tenant.id).run(
      async (tx) =>
        (
          await tx.enrollment.create({
            data: {
              tenantId: tenant.tenant.id,
              courseId,
              learnerId,
              status: at.completed ? 'COMPLETED' : 'ACTIVE',
              enrolledAt: new Date(at.enrolled),
              completedAt: at.completed ? new Date(at.completed) : null,
            },
          })
        ).id,
    );

  beforeAll(async () => {
    supergraph = await startSupergraph();
    database = supergraph.db.database;
    fixture = await createTenant(database, {
      settings: { employerName: 'Energía Comunitaria, S.C.', employerRfc: RFC, timezone: 'America/Mexico_City' },
    });
    bare = await createTenant(database);
    as = asPersonaOf(supergraph, fixture);
    asBare = asPersonaOf(supergraph, bare);
    course = await createCompliantCourse(database, fixture, { title: 'Instalación de sistemas fotovoltaicos' });
    const tenantId = fixture.tenant.id;
    secondLearner = await database.forTenant(tenantId).run(async (tx) => {
      await tx.user.update({ where: { id: fixture.users.LEARNER.id }, data: { curp: CURP, name: 'María Ñúñez Gómez' } });
      return tx.user.create({
        data: {
          tenantId,
          email: `segunda@${fixture.tenant.slug}.test`,
          name: 'Pedro López',
          passwordHash: fixture.users.LEARNER.passwordHash,
          persona: 'LEARNER',
          curp: SECOND_CURP,
        },
        select: { id: true, name: true },
      });
    });
    // Finished at 21:00 on 30 November in Mexico City, already 1 December in UTC.
    completed = await enroll(fixture, course.id, fixture.users.LEARNER.id, {
      enrolled: '2026-11-02T15:00:00Z',
      completed: '2026-12-01T03:00:00Z',
    });
    secondCompleted = await enroll(fixture, course.id, secondLearner.id, {
      enrolled: '2026-11-20T15:00:00Z',
      completed: '2026-12-05T18:00:00Z',
    });
    active = await enroll(fixture, course.id, fixture.users.EVALUATOR.id, { enrolled: '2026-11-10T15:00:00Z' });
    const bareCourse = await createCompliantCourse(database, bare);
    bareCompleted = await enroll(bare, bareCourse.id, bare.users.LEARNER.id, {
      enrolled: '2026-11-02T15:00:00Z',
      completed: '2026-11-20T15:00:00Z',
    });
  }, 90_000);
  afterAll(() => supergraph?.close());

  const DC3_FIELDS = `id enrollment { id status } workerName workerCurp occupation jobTitle employerName employerRfc courseTitle
    durationHours startedOn finishedOn thematicArea trainerName trainerRegistration pdfUrl issuedAt`;
  const ISSUE = `mutation ($enrollmentId: ID!, $input: Dc3Input!) { issueDc3(enrollmentId: $enrollmentId, input: $input) { ${DC3_FIELDS} } }`;
  const INPUT = { occupation: '07 Operador de maquinaria', jobTitle: 'Técnica de instalación solar', thematicArea: '6000 Seguridad' };

  type IssuedDc3 = { id: string; pdfUrl: string; issuedAt: string; jobTitle: string; trainerRegistration: string | null };
  let first: IssuedDc3;

  it('a tenant admin issues the DC-3 of a completed enrollment: the facts, the input and a PDF in the STPS format', async () => {
    const response = await as<{ issueDc3: IssuedDc3 }>('TENANT_ADMIN', ISSUE, {
      enrollmentId: completed,
      input: { ...INPUT, occupation: '  07 Operador de maquinaria ', trainerRegistration: 'ABC-123456-0013' },
    });
    expect(response).toEqual({
      data: {
        issueDc3: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          enrollment: { id: completed, status: 'COMPLETED' },
          workerName: 'María Ñúñez Gómez',
          workerCurp: CURP,
          occupation: '07 Operador de maquinaria',
          jobTitle: 'Técnica de instalación solar',
          employerName: 'Energía Comunitaria, S.C.',
          employerRfc: RFC,
          courseTitle: 'Instalación de sistemas fotovoltaicos',
          // Three lessons of 30 minutes: 90 minutes, two hours started.
          durationHours: 2,
          startedOn: '2026-11-02',
          finishedOn: '2026-11-30',
          thematicArea: '6000 Seguridad',
          trainerName: fixture.users.INSTRUCTOR.name,
          trainerRegistration: 'ABC-123456-0013',
          pdfUrl: expect.stringContaining(`/${fixture.tenant.id}/dc3/`),
          issuedAt: expect.any(String),
        },
      },
    });
    first = response.data!.issueDc3;
    expect(Date.now() - Date.parse(first.issuedAt)).toBeLessThan(60_000);

    const download = await fetch(first.pdfUrl);
    expect({ status: download.status, type: download.headers.get('content-type') }).toEqual({ status: 200, type: 'application/pdf' });
    const pdf = await readPdf(new Uint8Array(await download.arrayBuffer()));
    const text = pdf.text.replace(/\s+/g, ' ');
    for (const expected of [
      'FORMATO DC-3 CONSTANCIA DE COMPETENCIAS O DE HABILIDADES LABORALES',
      'DATOS DEL TRABAJADOR',
      'DATOS DE LA EMPRESA',
      'DATOS DEL PROGRAMA DE CAPACITACIÓN, ADIESTRAMIENTO Y PRODUCTIVIDAD',
      'María Ñúñez Gómez',
      CURP,
      'Energía Comunitaria, S.C.',
      RFC,
      'Instalación de sistemas fotovoltaicos',
      'De 2026/11/02 a 2026/11/30',
      'ABC-123456-0013',
      'Instructor o tutor',
      'Patrón o representante legal',
      'Representante de los trabajadores',
    ])
      expect(text).toContain(expected);
  });

  it('issuing again re-issues it: the same DC-3 with the new input, a new PDF and issue time, audited', async () => {
    const response = await as<{ issueDc3: IssuedDc3 }>('TENANT_ADMIN', ISSUE, {
      enrollmentId: completed,
      input: { ...INPUT, jobTitle: '-Jefa de cuadrilla, turno "B"', trainerRegistration: '' },
    });
    const again = response.data!.issueDc3;
    expect({ id: again.id, jobTitle: again.jobTitle, trainerRegistration: again.trainerRegistration }).toEqual({
      id: first.id,
      jobTitle: '-Jefa de cuadrilla, turno "B"',
      trainerRegistration: null,
    });
    expect(Date.parse(again.issuedAt)).toBeGreaterThan(Date.parse(first.issuedAt));
    expect(new URL(again.pdfUrl).pathname).not.toBe(new URL(first.pdfUrl).pathname);
    const text = (await readPdf(new Uint8Array(await (await fetch(again.pdfUrl)).arrayBuffer()))).text;
    expect(text).toContain('-Jefa de cuadrilla, turno "B"');
    expect(text).not.toContain('ABC-123456-0013');

    const audit = await database.forTenant(fixture.tenant.id).run((tx) =>
      tx.auditLog.findMany({
        where: { targetType: 'Dc3', targetId: first.id },
        orderBy: { id: 'asc' },
        select: { action: true, actorId: true },
      }),
    );
    expect(audit).toEqual([
      { action: 'dc3.issue', actorId: fixture.users.TENANT_ADMIN.id },
      { action: 'dc3.reissue', actorId: fixture.users.TENANT_ADMIN.id },
    ]);
  });

  it('names every missing prerequisite and every bad input at once', async () => {
    const response = await asBare('TENANT_ADMIN', ISSUE, { enrollmentId: bareCompleted, input: { ...INPUT, occupation: '   ' } });
    expect(response).toEqual({
      data: null,
      errors: [
        {
          message: 'The DC-3 cannot be issued yet',
          path: ['issueDc3'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'input.occupation', message: 'must be 1 to 120 characters on one line' },
              { field: 'learner.curp', message: "the learner's CURP is missing (their profile)" },
              { field: 'tenant.employerName', message: "the employer's name is missing (tenant settings)" },
              { field: 'tenant.employerRfc', message: "the employer's RFC is missing (tenant settings)" },
            ],
          },
        },
      ],
    });
  });

  it.each([
    [
      'an enrollment not completed',
      'TENANT_ADMIN',
      (): string => active,
      'CONFLICT',
      'A DC-3 is issued for a completed enrollment; this one is ACTIVE',
    ],
    ["another tenant's enrollment", 'TENANT_ADMIN', (): string => bareCompleted, 'NOT_FOUND', 'Enrollment not found'],
    ['an id that is no enrollment', 'TENANT_ADMIN', (): string => 'nope', 'NOT_FOUND', 'Enrollment not found'],
    ['a learner', 'LEARNER', (): string => completed, 'FORBIDDEN', 'Not allowed'],
    ['an instructor', 'INSTRUCTOR', (): string => completed, 'FORBIDDEN', 'Not allowed'],
  ] as const)('refuses to issue for %s', async (_what, persona, enrollmentId, code, message) => {
    expect(await as(persona, ISSUE, { enrollmentId: enrollmentId(), input: INPUT })).toEqual({
      data: null,
      errors: [{ message, path: ['issueDc3'], extensions: { code } }],
    });
  });

  it('lists DC-3s newest first: all for the admin (or one person’s), a learner only their own', async () => {
    const second = await as<{ issueDc3: { id: string } }>('TENANT_ADMIN', ISSUE, { enrollmentId: secondCompleted, input: INPUT });
    const secondId = second.data!.issueDc3.id;
    const LIST =
      'query ($userId: ID, $first: Int, $after: String) { dc3s(userId: $userId, first: $first, after: $after) { id workerName } }';
    const mine = { id: first.id, workerName: 'María Ñúñez Gómez' };
    const theirs = { id: secondId, workerName: 'Pedro López' };
    expect(await as('TENANT_ADMIN', LIST)).toEqual({ data: { dc3s: [theirs, mine] } });
    expect(await as('TENANT_ADMIN', LIST, { first: 1, after: secondId })).toEqual({ data: { dc3s: [mine] } });
    expect(await as('TENANT_ADMIN', LIST, { userId: secondLearner.id })).toEqual({ data: { dc3s: [theirs] } });
    expect(await as('LEARNER', LIST)).toEqual({ data: { dc3s: [mine] } });
    expect(await as('LEARNER', LIST, { userId: fixture.users.LEARNER.id })).toEqual({ data: { dc3s: [mine] } });
    const refused = (message: string) => ({ data: null, errors: [{ message, path: ['dc3s'], extensions: { code: 'FORBIDDEN' } }] });
    expect(await as('LEARNER', LIST, { userId: secondLearner.id })).toEqual(
      refused('Only tenant admins see DC-3s; a learner sees their own'),
    );
    expect(await as('INSTRUCTOR', LIST)).toEqual(refused('Only tenant admins see DC-3s; a learner sees their own'));
    // Another tenant's admin sees none of them; an id of them is no cursor there.
    expect(await asBare('TENANT_ADMIN', LIST)).toEqual({ data: { dc3s: [] } });
    expect(await asBare('TENANT_ADMIN', LIST, { after: first.id })).toEqual({
      data: null,
      errors: [{ message: 'DC-3 (after) not found', path: ['dc3s'], extensions: { code: 'NOT_FOUND' } }],
    });
  });

  it('Enrollment.dc3: its learner and the admin see it; the instructor is refused; none yet is null', async () => {
    const QUERY = 'query ($id: ID!) { enrollment(id: $id) { id dc3 { id workerCurp } } }';
    const expected = { data: { enrollment: { id: completed, dc3: { id: first.id, workerCurp: CURP } } } };
    expect(await as('LEARNER', QUERY, { id: completed })).toEqual(expected);
    expect(await as('TENANT_ADMIN', QUERY, { id: completed })).toEqual(expected);
    expect(await as('TENANT_ADMIN', QUERY, { id: active })).toEqual({ data: { enrollment: { id: active, dc3: null } } });
    expect(await as('INSTRUCTOR', QUERY, { id: completed })).toEqual({
      data: { enrollment: { id: completed, dc3: null } },
      errors: [
        {
          message: "Only the learner and tenant admins see an enrollment's DC-3",
          path: ['enrollment', 'dc3'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
  });

  describe('CSV export for the DC-4 list', () => {
    const download = (path: string, persona: 'TENANT_ADMIN' | 'LEARNER' | null, headers: Record<string, string> = {}) =>
      (persona ? supergraph.login(fixture.users[persona].email, TEST_PASSWORD, fixture.tenant.slug) : Promise.resolve(null)).then((token) =>
        httpRequest(`${supergraph.origin}${path}`, {
          headers: { 'x-tenant': fixture.tenant.slug, ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        }),
      );

    it('gives the admin the DC-3s of the trainings finished in the period, one row each, Excel-ready', async () => {
      const response = await download('/exports/dc3.csv?from=2026-11-01&to=2026-11-30', 'TENANT_ADMIN');
      expect({
        status: response.status,
        type: response.headers['content-type'],
        disposition: response.headers['content-disposition'],
        cache: response.headers['cache-control'],
      }).toEqual({
        status: 200,
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="dc3-${fixture.tenant.slug}-2026-11-01-2026-11-30.csv"`,
        cache: 'private, no-store',
      });
      const listed = await as<{ dc3s: { issuedAt: string }[] }>(
        'TENANT_ADMIN',
        '{ dc3s(userId: "' + fixture.users.LEARNER.id + '") { issuedAt } }',
      );
      const issuedAt = listed.data!.dc3s[0]!.issuedAt;
      expect(response.text.startsWith('\uFEFF')).toBe(true);
      expect(response.text.slice(1).split('\r\n')).toEqual([
        'worker_name,curp,occupation,job_title,course,duration_hours,started_on,finished_on,thematic_area,trainer,trainer_registration,issued_at',
        // The job title starts with "-": a spreadsheet would run it, so it is quoted with an apostrophe.
        `María Ñúñez Gómez,${CURP},07 Operador de maquinaria,"'-Jefa de cuadrilla, turno ""B""",Instalación de sistemas fotovoltaicos,2,2026-11-02,2026-11-30,6000 Seguridad,${fixture.users.INSTRUCTOR.name},,${issuedAt}`,
        '',
      ]);

      // December holds the second learner's; under /t/<tenant>/ as well.
      const december = await download(`/t/${fixture.tenant.slug}/exports/dc3.csv?from=2026-12-01&to=2026-12-31`, 'TENANT_ADMIN', {});
      expect(december.status).toBe(200);
      expect(
        december.text
          .split('\r\n')
          .slice(1, -1)
          .map((line) => line.split(',').slice(0, 2)),
      ).toEqual([['Pedro López', SECOND_CURP]]);
    });

    it.each([
      ['without a token', null, '?from=2026-11-01&to=2026-11-30', 401, 'UNAUTHENTICATED', 'Authentication required'],
      ['for a learner', 'LEARNER', '?from=2026-11-01&to=2026-11-30', 403, 'FORBIDDEN', 'Only tenant admins export DC-3s'],
      ['without dates', 'TENANT_ADMIN', '', 400, 'BAD_USER_INPUT', 'from must be a date as YYYY-MM-DD'],
      [
        'for a date that does not exist',
        'TENANT_ADMIN',
        '?from=2026-11-01&to=2026-02-30',
        400,
        'BAD_USER_INPUT',
        'to must be a date as YYYY-MM-DD',
      ],
      [
        'for a period that ends before it starts',
        'TENANT_ADMIN',
        '?from=2026-12-01&to=2026-11-01',
        400,
        'BAD_USER_INPUT',
        'from must not be after to',
      ],
    ] as const)('refuses %s, with the code', async (_what, persona, query, status, code, message) => {
      const response = await download(`/exports/dc3.csv${query}`, persona);
      expect({ status: response.status, body: JSON.parse(response.text) }).toEqual({
        status,
        body: { errors: [{ message, extensions: { code } }] },
      });
    });
  });
});
