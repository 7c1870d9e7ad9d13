import { startSupergraph, type RunningSupergraph } from '@academy/testing';

/**
 * What no field accepts is refused in one place (the subgraphs' input hygiene, before any rule
 * or resolver) as BAD_USER_INPUT naming the argument: strings PostgreSQL cannot hold (NUL, lone
 * surrogates) anywhere in an argument, and `first` outside 0..100 on every list.
 */
const LEARNER = { email: 'learner@demo.academy.mx', password: 'academy-demo-2026' };
const NUL = 'huer\u0000to';
const SURROGATE = 'huer\ud800to';

describe('input hygiene', () => {
  let supergraph: RunningSupergraph;
  let learner: string;
  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true });
    learner = await supergraph.login(LEARNER.email, LEARNER.password, 'demo');
  });
  afterAll(() => supergraph?.close());

  /** The answer refusing `path`'s arguments; a nullable field's answer keeps `data` with it null. */
  const refusal = (path: string, issues: { field: string; message: string }[], nullable = false) => ({
    data: nullable ? { [path]: null } : null,
    errors: [
      {
        message: `Invalid input: ${issues.map((issue) => `\`${issue.field}\` ${issue.message}`).join('; ')}`,
        path: [path],
        extensions: { code: 'BAD_USER_INPUT', issues },
      },
    ],
  });
  const nul = (field: string) => ({ field, message: 'contains a NUL character' });
  const surrogate = (field: string) => ({ field, message: 'is not well-formed Unicode (a lone surrogate)' });

  it.each([
    ['courses', 'query ($s: String) { courses(search: $s) { totalCount } }', { s: NUL }, 'search'],
    ['course', 'query ($s: String) { course(slug: $s) { id } }', { s: NUL }, 'slug'],
    ['verifyCertificate', 'query ($s: String!) { verifyCertificate(code: $s) { valid } }', { s: NUL }, 'code'],
    ['competencyStandards', 'query ($s: String) { competencyStandards(search: $s) { totalCount } }', { s: NUL }, 'search'],
  ])('refuses a NUL character in %s, anonymous or signed in', async (path, query, variables, field) => {
    for (const token of [undefined, learner]) {
      const answer = await supergraph.request(query, { tenant: 'demo', variables, ...(token ? { token } : {}) });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(refusal(path, [nul(field)], path === 'course'));
    }
  });

  it('names the argument inside an input object, a JSON value and its keys, and refuses lone surrogates alike', async () => {
    const profile = await supergraph.request('mutation ($input: UpdateProfileInput!) { updateMyProfile(input: $input) { name } }', {
      tenant: 'demo',
      token: learner,
      variables: { input: { name: NUL, locale: SURROGATE } },
    });
    expect(profile.body).toEqual(refusal('updateMyProfile', [nul('input.name'), surrogate('input.locale')]));

    const event = await supergraph.request('mutation ($input: RecordImpactEventInput!) { recordImpactEvent(input: $input) { id } }', {
      tenant: 'demo',
      token: learner,
      variables: { input: { type: 'SUSTAINABILITY_ACTION', description: 'Árboles', quantities: { trees: 3, note: NUL, ['k\u0000']: 1 } } },
    });
    expect(event.body).toEqual(
      refusal('recordImpactEvent', [
        nul('input.quantities.note'),
        { field: 'input.quantities', message: 'has a key that contains a NUL character' },
      ]),
    );
    // Inline in the document, the same.
    const inline = await supergraph.request('{ courses(search: "huer\\u0000to") { totalCount } }', { tenant: 'demo' });
    expect(inline.body).toEqual(refusal('courses', [nul('search')]));
    // Nothing was written: the learner's profile is as it was.
    const me = await supergraph.request<{ me: { name: string } }>('{ me { name locale } }', { tenant: 'demo', token: learner });
    expect(me.body.data!.me.name).not.toContain('\u0000');
  });

  it('refuses `first` outside 0..100 on every list instead of capping it, and answers 100', async () => {
    for (const first of [-1, 101, 2147483647, -2147483648]) {
      for (const [path, query] of [
        ['courses', 'query ($n: Int) { courses(first: $n) { totalCount } }'],
        ['competencyStandards', 'query ($n: Int) { competencyStandards(first: $n) { totalCount } }'],
      ] as const) {
        const answer = await supergraph.request(query, { tenant: 'demo', variables: { n: first } });
        expect([first, answer.body]).toEqual([first, refusal(path, [{ field: 'first', message: 'must be 0..100' }])]);
      }
    }
    const hundred = await supergraph.request<{ competencyStandards: { edges: unknown[] } }>(
      '{ competencyStandards(first: 100) { edges { cursor } } }',
      { tenant: 'demo' },
    );
    expect(hundred.body.data!.competencyStandards.edges).toHaveLength(100);
  });

  it('answers `first: 0` with no edges and the position it was asked at, so a client can go on from its endCursor', async () => {
    const PAGE =
      'query ($n: Int, $after: String) { courses(first: $n, after: $after) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }';
    type Courses = {
      courses: { totalCount: number; edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
    const two = (await supergraph.request<Courses>(PAGE, { tenant: 'demo', variables: { n: 2 } })).body.data!.courses;
    expect(two.edges).toHaveLength(2);
    expect((await supergraph.request<Courses>(PAGE, { tenant: 'demo', variables: { n: 0 } })).body).toEqual({
      data: { courses: { totalCount: two.totalCount, edges: [], pageInfo: { hasNextPage: true, endCursor: null } } },
    });
    const after = two.pageInfo.endCursor!;
    expect((await supergraph.request<Courses>(PAGE, { tenant: 'demo', variables: { n: 0, after } })).body).toEqual({
      data: { courses: { totalCount: two.totalCount, edges: [], pageInfo: { hasNextPage: true, endCursor: after } } },
    });
    // Going on from there is the page after the first two.
    const next = (await supergraph.request<Courses>(PAGE, { tenant: 'demo', variables: { n: 1, after } })).body.data!.courses;
    const three = (await supergraph.request<Courses>(PAGE, { tenant: 'demo', variables: { n: 3 } })).body.data!.courses;
    expect(next.edges).toEqual([three.edges[2]]);
  });
});
