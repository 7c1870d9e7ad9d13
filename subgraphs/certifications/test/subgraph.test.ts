import { createTenantWithEveryKindOfRow, GATEWAY_BOUNDARY, startSubgraph, type RunningSubgraph, type TestTenant } from '@academy/testing';

/** The certifications subgraph on its own, as the gateway calls it: entities, permissions, revocation. */
describe('certifications subgraph', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let certificate: { id: string; courseId: string; verificationCode: string };
  beforeAll(async () => {
    subgraph = await startSubgraph('certifications');
    fixture = await createTenantWithEveryKindOfRow(subgraph.db.database);
    other = await createTenantWithEveryKindOfRow(subgraph.db.database);
    certificate = await subgraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.certificate.findFirstOrThrow({ select: { id: true, courseId: true, verificationCode: true } }));
  });
  afterAll(() => subgraph?.close());

  const as = (persona: keyof TestTenant['users'], tenant = fixture) => ({ tenant: tenant.tenant, viewer: tenant.users[persona] });

  it('answers only requests the gateway signed', async () => {
    expect(await subgraph.boundary(fixture.tenant)).toEqual(GATEWAY_BOUNDARY);
  });

  it('has a rule for every field', () => {
    expect(subgraph.ruleCoverage()).toEqual({ withoutRule: [], stale: [] });
  });

  const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on Certificate { id status verificationCode learner { id } course { id } }
    ... on User { id certificates { id } }
    ... on Course { id certificateCount }
  } }`;

  it("resolves its entities for the gateway: a certificate for its learner and staff only, a learner's certificates, a course's count", async () => {
    const representations = [
      { __typename: 'Certificate', id: certificate.id },
      { __typename: 'User', id: fixture.users.LEARNER.id },
      { __typename: 'Course', id: certificate.courseId },
    ];
    const expected = (visible: boolean) => ({
      status: 200,
      body: {
        data: {
          _entities: [
            visible
              ? {
                  id: certificate.id,
                  status: 'ISSUED',
                  verificationCode: certificate.verificationCode,
                  learner: { id: fixture.users.LEARNER.id },
                  course: { id: certificate.courseId },
                }
              : null,
            { id: fixture.users.LEARNER.id, certificates: [{ id: certificate.id }] },
            { id: certificate.courseId, certificateCount: 1 },
          ],
        },
      },
    });
    for (const persona of ['LEARNER', 'EVALUATOR', 'TENANT_ADMIN'] as const) {
      expect({ persona, ...(await subgraph.request(ENTITIES, { variables: { representations }, ...as(persona) })) }).toMatchObject({
        persona,
        ...expected(true),
      });
    }
    const byInstructor = await subgraph.request(ENTITIES, {
      variables: { representations: representations.slice(0, 1) },
      ...as('INSTRUCTOR'),
    });
    expect(byInstructor.body).toEqual({ data: { _entities: [null] } });
  });

  it("never resolves another tenant's certificate", async () => {
    const response = await subgraph.request(ENTITIES, {
      variables: { representations: [{ __typename: 'Certificate', id: certificate.id }] },
      ...as('TENANT_ADMIN', other),
    });
    expect(response.body).toEqual({ data: { _entities: [null] } });
  });

  it("shows a learner's certificates to the learner and staff, and refuses them to another learner and to the anonymous", async () => {
    const query =
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { certificates { id } } } }';
    const variables = { representations: [{ __typename: 'User', id: fixture.users.LEARNER.id }] };
    expect((await subgraph.request(query, { variables, ...as('EVALUATOR') })).body).toEqual({
      data: { _entities: [{ certificates: [{ id: certificate.id }] }] },
    });
    expect((await subgraph.request(query, { variables, ...as('INSTRUCTOR') })).body).toEqual({
      data: { _entities: [null] },
      errors: [{ message: 'Only the user and staff see this', path: ['_entities', 0, 'certificates'], extensions: { code: 'FORBIDDEN' } }],
    });
    expect((await subgraph.request(query, { variables, tenant: fixture.tenant })).body).toEqual({
      data: { _entities: [null] },
      errors: [{ message: 'Authentication required', path: ['_entities', 0, 'certificates'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('shows a certificate by id to its learner, its course instructor and staff', async () => {
    const query = 'query ($id: ID!) { certificate(id: $id) { id status } }';
    for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN'] as const) {
      expect({ persona, body: (await subgraph.request(query, { variables: { id: certificate.id }, ...as(persona) })).body }).toEqual({
        persona,
        body: { data: { certificate: { id: certificate.id, status: 'ISSUED' } } },
      });
    }
    const forbidden = {
      data: { certificate: null },
      errors: [
        {
          message: 'Only the learner, the course instructor and staff see this certificate',
          path: ['certificate'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    };
    const strangerTenant = await createTenantWithEveryKindOfRow(subgraph.db.database);
    // A learner of the same tenant who is not this certificate's.
    const stranger = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.user.create({
        data: {
          tenantId: fixture.tenant.id,
          email: `stranger-${strangerTenant.tenant.slug}@example.test`,
          name: 'Otra aprendiz',
          passwordHash: 'x',
          persona: 'LEARNER',
        },
      }),
    );
    expect((await subgraph.request(query, { variables: { id: certificate.id }, tenant: fixture.tenant, viewer: stranger })).body).toEqual(
      forbidden,
    );
    expect((await subgraph.request(query, { variables: { id: certificate.id }, ...as('TENANT_ADMIN', other) })).body).toEqual({
      data: { certificate: null },
      errors: [{ message: 'Certificate not found', path: ['certificate'], extensions: { code: 'NOT_FOUND' } }],
    });
  });

  it('verifies a code for anyone, and says so when no certificate has it', async () => {
    const query = 'query ($code: String!) { verifyCertificate(code: $code) { valid status tenantName } }';
    expect(
      (await subgraph.request(query, { variables: { code: certificate.verificationCode.toLowerCase() }, tenant: other.tenant })).body,
    ).toEqual({
      data: { verifyCertificate: { valid: true, status: 'ISSUED', tenantName: fixture.tenant.name } },
    });
    expect((await subgraph.request(query, { variables: { code: 'NOPE-NOPE' }, tenant: fixture.tenant })).body).toEqual({
      data: { verifyCertificate: { valid: false, status: null, tenantName: null } },
    });
  });

  describe('revokeCertificate', () => {
    const REVOKE = 'mutation ($id: ID!, $reason: String!) { revokeCertificate(id: $id, reason: $reason) { id status revocationReason } }';

    it('revokes once, writing its domain event, and answers CONFLICT the second time', async () => {
      const own = await createTenantWithEveryKindOfRow(subgraph.db.database);
      const target = await subgraph.db.database.forTenant(own.tenant.id).run((tx) => tx.certificate.findFirstOrThrow());
      const revoke = () =>
        subgraph.request(REVOKE, {
          variables: { id: target.id, reason: '  Plagio comprobado  ' },
          tenant: own.tenant,
          viewer: own.users.TENANT_ADMIN,
        });
      expect((await revoke()).body).toEqual({
        data: { revokeCertificate: { id: target.id, status: 'REVOKED', revocationReason: 'Plagio comprobado' } },
      });
      expect((await revoke()).body).toEqual({
        data: null,
        errors: [{ message: 'The certificate is already revoked', path: ['revokeCertificate'], extensions: { code: 'CONFLICT' } }],
      });
      const events = await subgraph.db.database
        .forTenant(own.tenant.id)
        .run((tx) => tx.outboxEvent.findMany({ where: { type: 'certificate.revoked' }, select: { aggregateId: true, payload: true } }));
      expect(events).toEqual([
        {
          aggregateId: target.id,
          payload: {
            certificateId: target.id,
            learnerId: own.users.LEARNER.id,
            courseId: target.courseId,
            reason: 'Plagio comprobado',
            revokedAt: expect.any(String),
          },
        },
      ]);
    });

    it('is for admins, and needs a reason', async () => {
      expect((await subgraph.request(REVOKE, { variables: { id: certificate.id, reason: 'x' }, ...as('EVALUATOR') })).body).toEqual({
        data: null,
        errors: [{ message: 'Not allowed', path: ['revokeCertificate'], extensions: { code: 'FORBIDDEN' } }],
      });
      expect((await subgraph.request(REVOKE, { variables: { id: certificate.id, reason: '   ' }, ...as('TENANT_ADMIN') })).body).toEqual({
        data: null,
        errors: [
          {
            message: 'A revocation needs a reason of 1 to 500 characters',
            path: ['revokeCertificate'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'reason', message: 'must be 1 to 500 characters' }] },
          },
        ],
      });
    });
  });
});
