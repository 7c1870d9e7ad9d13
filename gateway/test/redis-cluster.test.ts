import { createRedis, closeRedis, parseRedisUrl } from '@academy/platform';
import {
  httpRequest,
  startGatewayProcess,
  startRedisCluster,
  startSupergraph,
  subscribe,
  type GatewayProcess,
  type RunningRedisCluster,
  type RunningSupergraph,
} from '@academy/testing';

/**
 * The platform on a Redis Cluster of three masters (the machine's redis-server in cluster mode):
 * REDIS_URL `redis+cluster://…` for caches, sessions, rate limits, pub/sub and BullMQ (its keys
 * hash-tagged into one slot). Two gateways (one in this process, one its own process), the
 * subgraphs and the workers share it.
 */
const LEARNER = { email: 'learner@demo.academy.mx', password: 'academy-demo-2026' };
const STATUS = `subscription ($id: ID) { certificationStatusChanged(certificateId: $id) { status certificate { id } } }`;

describe('the platform on a Redis Cluster', () => {
  let cluster: RunningRedisCluster;
  let supergraph: RunningSupergraph;
  let second: GatewayProcess;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    supergraph = await startSupergraph({
      isolated: true,
      redisUrl: cluster.url,
      conocer: { sandbox: { reviewAfterMs: 300, decisionAfterMs: 800, approvalScore: 0 } },
    });
    second = await startGatewayProcess(supergraph);
  }, 180_000);
  afterAll(async () => {
    await second?.close();
    await supergraph?.close();
    await cluster?.stop();
  });

  it('reads every form of REDIS_URL, and spreads keys over the masters', async () => {
    expect(parseRedisUrl(cluster.url)).toEqual({
      kind: 'cluster',
      nodes: cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
      tls: false,
    });
    expect(parseRedisUrl('redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2:26379/academy/2')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
      ],
      name: 'academy',
      db: 2,
      password: 's3cret',
      tls: false,
    });
    expect(parseRedisUrl('rediss://cache.example:6380/1')).toEqual({ kind: 'single', url: 'rediss://cache.example:6380/1' });
    for (const bad of ['redis+cluster://', 'redis+cluster://a:1,b', 'redis+sentinel://a:1', 'redis+cluster://a:1/x', 'http://a:1'])
      expect([bad, parseRedisUrl(bad)]).toEqual([bad, null]);

    const client = createRedis(cluster.url, { name: 'spread-check' });
    await Promise.all(Array.from({ length: 60 }, (_, i) => client.set(`spread-check:${i}`, String(i), 'EX', 60)));
    expect(await Promise.all(Array.from({ length: 60 }, (_, i) => client.get(`spread-check:${i}`)))).toEqual(
      Array.from({ length: 60 }, (_, i) => String(i)),
    );
    const perMaster = await keysPerMaster('spread-check:*');
    await closeRedis(client);
    expect(perMaster.every((count) => count > 0)).toBe(true);
    expect(perMaster.reduce((sum, count) => sum + count, 0)).toBe(60);
  });

  it('serves a learner through either gateway; a certification asked through one is delivered once and its status arrives live on the other', async () => {
    const token = await supergraph.login(LEARNER.email, LEARNER.password, 'demo');
    // The session is in the cluster: the other gateway (its own process) accepts the token.
    const mine = await httpRequest(`${second.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': 'demo', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { email certificates { id conocerStatus course { competencyStandardCode } } } }' }),
    });
    const me = (
      JSON.parse(mine.text) as {
        data: {
          me: { email: string; certificates: { id: string; conocerStatus: string; course: { competencyStandardCode: string | null } }[] };
        };
      }
    ).data.me;
    expect(me.email).toBe(LEARNER.email);
    const certificate = me.certificates.find(
      (candidate) => candidate.conocerStatus === 'NOT_REQUESTED' && candidate.course.competencyStandardCode,
    );
    expect(certificate).toBeDefined();

    const live = subscribe<{ certificationStatusChanged: { status: string; certificate: { id: string } } }>(second.origin, {
      query: STATUS,
      variables: { id: certificate!.id },
      token,
      tenant: 'demo',
    });
    await live.connected;
    const asked = await supergraph.request<{ requestConocerCertification: { status: string } }>(
      'mutation ($id: ID!) { requestConocerCertification(certificateId: $id) { status } }',
      { tenant: 'demo', token, variables: { id: certificate!.id } },
    );
    expect(asked.body).toEqual({ data: { requestConocerCertification: { status: 'PENDING' } } });
    for (let seen = 1; !live.events.some((event) => event.data?.certificationStatusChanged.status === 'APPROVED'); seen += 1)
      await live.waitFor(seen, 30_000);
    await live.dispose();
    expect(live.events.every((event) => event.data?.certificationStatusChanged.certificate.id === certificate!.id)).toBe(true);
    // BullMQ on the cluster ran the submission once: CONOCER got one request for it.
    expect(supergraph.sandbox!.stats().submissions).toBe(1);
    expect(Object.values(supergraph.sandbox!.stats().attemptsByKey)).toEqual([1]);
    // The queues' keys are in the cluster, all in one slot (one master): BullMQ's prefix is hash-tagged.
    const queueKeys = await keysPerMaster('*bull}:*');
    expect(queueKeys.filter((count) => count > 0)).toHaveLength(1);
  }, 60_000);

  const keysPerMaster = (pattern: string) =>
    Promise.all(
      cluster.ports.map(async (port) => {
        const node = createRedis(`redis://127.0.0.1:${port}`, { name: 'key-count' });
        const keys = await node.keys(pattern);
        await closeRedis(node);
        return keys.length;
      }),
    );
});
