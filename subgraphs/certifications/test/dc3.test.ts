import { createCompliantCourse, createTenant, readPdf, startSubgraph, type RunningSubgraph, type TestTenant } from '@academy/testing';

/** The certifications subgraph's DC-3 on its own: the Enrollment entity, the stored PDF, the list's paging and isolation. */
describe('certifications subgraph: DC-3', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let existing: { id: string; enrollmentId: string };
  let othersId: string;

  /** A tenant with the employer's settings and one DC-3 already issued (written as issueDc3 writes it, without its PDF). */
  const tenantWithDc3 = async () => {
    const database = subgraph.db.database;
    const tenant = await createTenant(database, { settings: { employerName: 'Empresa', employerRfc: 'ECO090101AB1' } });
    const course = await createCompliantCourse(database, tenant);
    const { users } = tenant;
    const dc3 = await database.forTenant(tenant.tenant.id).run(async (tx) => {
      const tenantId = tenant.tenant.id;
      await tx.user.update({ where: { id: users.LEARNER.id }, data: { curp: 'GOMC900101HDFRRR09' } });
      const enrollment = await tx.enrollment.create({
        data: { tenantId, courseId: course.id, learnerId: users.LEARNER.id, status: 'COMPLETED', completedAt: new Date() },
      });
      return tx.dc3.create({
        data: {
          tenantId,
          enrollmentId: enrollment.id,
          learnerId: users.LEARNER.id,
          courseId: course.id,
          workerName: users.LEARNER.name,
          workerCurp: 'GOMC900101HDFRRR09',
          occupation: 'Instalador',
          jobTitle: 'Técnico',
          employerName: 'Empresa',
          employerRfc: 'ECO090101AB1',
          courseTitle: course.title,
          durationHours: 2,
          startedOn: new Date(Date.UTC(2026, 0, 1)),
          finishedOn: new Date(Date.UTC(2026, 0, 2)),
          thematicArea: '6000 Seguridad',
          trainerName: users.INSTRUCTOR.name,
          issuedById: users.TENANT_ADMIN.id,
        },
        select: { id: true, enrollmentId: true },
      });
    });
    return { tenant, dc3 };
  };

  beforeAll(async () => {
    subgraph = await startSubgraph('certifications');
    ({ tenant: fixture, dc3: existing } = await tenantWithDc3());
    let theirs: { id: string };
    ({ tenant: other, dc3: theirs } = await tenantWithDc3());
    othersId = theirs.id;
  });
  afterAll(() => subgraph?.close());

  const as = (persona: keyof TestTenant['users'], tenant = fixture) => ({ tenant: tenant.tenant, viewer: tenant.users[persona] });

  it('has a rule for every field', () => {
    expect(subgraph.ruleCoverage()).toEqual({ withoutRule: [], stale: [] });
  });

  const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on Enrollment { id dc3 { id workerCurp enrollment { id } } }
  } }`;

  it("resolves Enrollment.dc3 for the gateway: its learner and admins; another tenant's enrollment has none", async () => {
    const variables = { representations: [{ __typename: 'Enrollment', id: existing.enrollmentId }] };
    const visible = {
      data: {
        _entities: [
          {
            id: existing.enrollmentId,
            dc3: { id: existing.id, workerCurp: 'GOMC900101HDFRRR09', enrollment: { id: existing.enrollmentId } },
          },
        ],
      },
    };
    expect((await subgraph.request(ENTITIES, { variables, ...as('LEARNER') })).body).toEqual(visible);
    expect((await subgraph.request(ENTITIES, { variables, ...as('TENANT_ADMIN') })).body).toEqual(visible);
    expect((await subgraph.request(ENTITIES, { variables, ...as('EVALUATOR') })).body).toEqual({
      data: { _entities: [{ id: existing.enrollmentId, dc3: null }] },
      errors: [
        {
          message: "Only the learner and tenant admins see an enrollment's DC-3",
          path: ['_entities', 0, 'dc3'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect((await subgraph.request(ENTITIES, { variables, ...as('TENANT_ADMIN', other) })).body).toEqual({
      data: { _entities: [{ id: existing.enrollmentId, dc3: null }] },
    });
  });

  it('stores the PDF of an issue under the tenant, and re-issues the same DC-3', async () => {
    const issue = await subgraph.request<{ issueDc3: { id: string; pdfUrl: string } }>(
      `mutation ($id: ID!) { issueDc3(enrollmentId: $id, input: { occupation: "Instalador", jobTitle: "Técnico", thematicArea: "6000 Seguridad" }) { id pdfUrl } }`,
      { variables: { id: existing.enrollmentId }, ...as('TENANT_ADMIN') },
    );
    expect(issue.body.data!.issueDc3.id).toBe(existing.id);
    const key = (
      await subgraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.dc3.findUniqueOrThrow({ where: { id: existing.id }, select: { pdfStorageKey: true } }))
    ).pdfStorageKey!;
    expect(key).toMatch(new RegExp(`^${fixture.tenant.id}/dc3/${existing.id}-\\d+\\.pdf$`));
    expect(await subgraph.storage.stat(key)).toEqual({ byteSize: expect.any(Number), contentType: 'application/pdf' });
    const pdf = await readPdf(new Uint8Array(await (await fetch(issue.body.data!.issueDc3.pdfUrl)).arrayBuffer()));
    expect(pdf.text).toContain('GOMC900101HDFRRR09');
  });

  it('pages dc3s by the last id seen, within 0..100, and never across tenants', async () => {
    const LIST = 'query ($first: Int, $after: String) { dc3s(first: $first, after: $after) { id } }';
    expect((await subgraph.request(LIST, { variables: { first: 0 }, ...as('TENANT_ADMIN') })).body).toEqual({ data: { dc3s: [] } });
    expect((await subgraph.request(LIST, { variables: { first: 100 }, ...as('TENANT_ADMIN') })).body).toEqual({
      data: { dc3s: [{ id: existing.id }] },
    });
    // Past 100 refused, as everywhere (never silently capped).
    expect((await subgraph.request(LIST, { variables: { first: 500 }, ...as('TENANT_ADMIN') })).body).toMatchObject({
      data: null,
      errors: [{ path: ['dc3s'], extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'first', message: 'must be 0..100' }] } }],
    });
    expect((await subgraph.request(LIST, { variables: { after: existing.id }, ...as('TENANT_ADMIN') })).body).toEqual({
      data: { dc3s: [] },
    });
    expect((await subgraph.request(LIST, { variables: { first: -1 }, ...as('TENANT_ADMIN') })).body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid input: `first` must be 0..100',
          path: ['dc3s'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'first', message: 'must be 0..100' }] },
        },
      ],
    });
    for (const after of ['garbage', existing.id]) {
      expect((await subgraph.request(LIST, { variables: { after }, ...as('TENANT_ADMIN', other) })).body).toEqual({
        data: null,
        errors: [{ message: 'DC-3 (after) not found', path: ['dc3s'], extensions: { code: 'NOT_FOUND' } }],
      });
    }
    expect((await subgraph.request(LIST, { variables: {}, ...as('TENANT_ADMIN', other) })).body).toEqual({
      data: { dc3s: [{ id: othersId }] },
    });
  });
});
