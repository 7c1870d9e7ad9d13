import { RENEC_SNAPSHOT_AT, RENEC_STANDARDS } from '@academy/renec';
import { startSupergraph, type RunningSupergraph } from '@academy/testing';

describe('standards sync from CONOCER', () => {
  let supergraph: RunningSupergraph;
  let admin: string;
  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true, conocer: {} });
    admin = await supergraph.login('platform_admin@demo.academy.mx', 'academy-demo-2026', 'demo');
  });
  afterAll(() => supergraph?.close());

  const standard = (code: string) =>
    supergraph.request('query($code: String!) { competencyStandard(code: $code) { code title level } }', {
      tenant: 'demo',
      variables: { code },
    });
  const lastRun = () =>
    supergraph.db.database.prisma.standardsSyncRun.findFirst({
      orderBy: { startedAt: 'desc' },
      select: { trigger: true, status: true, since: true, fetched: true, created: true, updated: true },
    });

  it('fetches only what changed since the newest standard held, upserts it, counts it, and drops the cache', async () => {
    expect((await standard('EC0217.01')).body).toEqual({
      data: { competencyStandard: { code: 'EC0217.01', title: RENEC_STANDARDS.find((s) => s.code === 'EC0217.01')!.title, level: 3 } },
    });
    expect((await standard('EC9999')).body).toMatchObject({
      data: { competencyStandard: null },
      errors: [{ extensions: { code: 'NOT_FOUND' } }],
    });

    supergraph.sandbox!.publishStandard({
      code: 'EC9999',
      title: 'Diseño de sistemas de captación de agua de lluvia',
      level: 3,
      sector: 'SERVICIOS EDUCATIVOS',
      committee: 'de Agua Comunitaria',
    });
    supergraph.sandbox!.publishStandard({
      code: 'EC0217.01',
      title: 'Impartición de cursos de formación del capital humano de manera presencial grupal (2026)',
    });

    const sync = await supergraph.request<{
      syncCompetencyStandards: { standardsCount: number; lastStandardsSyncAt: string; circuit: string };
    }>('mutation { syncCompetencyStandards { standardsCount lastStandardsSyncAt circuit } }', { tenant: 'demo', token: admin });
    expect(sync.body.errors).toBeUndefined();
    expect(sync.body.data!.syncCompetencyStandards).toMatchObject({ standardsCount: RENEC_STANDARDS.length + 1, circuit: 'CLOSED' });
    expect(Date.now() - Date.parse(sync.body.data!.syncCompetencyStandards.lastStandardsSyncAt)).toBeLessThan(30_000);
    expect(await lastRun()).toEqual({
      trigger: 'manual',
      status: 'SUCCEEDED',
      since: RENEC_SNAPSHOT_AT,
      fetched: 2,
      created: 1,
      updated: 1,
    });

    expect((await standard('EC9999')).body).toEqual({
      data: { competencyStandard: { code: 'EC9999', title: 'Diseño de sistemas de captación de agua de lluvia', level: 3 } },
    });
    expect((await standard('EC0217.01')).body).toEqual({
      data: {
        competencyStandard: {
          code: 'EC0217.01',
          title: 'Impartición de cursos de formación del capital humano de manera presencial grupal (2026)',
          level: 3,
        },
      },
    });

    // Nothing changed since: the next run fetches nothing.
    await supergraph.request('mutation { syncCompetencyStandards { standardsCount } }', { tenant: 'demo', token: admin });
    expect(await lastRun()).toMatchObject({ status: 'SUCCEEDED', fetched: 0, created: 0, updated: 0 });
  }, 60_000);

  it('is scheduled daily (a BullMQ job scheduler)', async () => {
    await supergraph.queues.schedule({ standardsSyncPattern: '0 3 * * *', reconcileEveryMs: 60_000 });
    const schedulers = await supergraph.queues.standardsSync.getJobSchedulers();
    expect(schedulers.map((scheduler) => ({ key: scheduler.key, pattern: scheduler.pattern }))).toEqual([
      { key: 'standards-sync-daily', pattern: '0 3 * * *' },
    ]);
  });
});
