import { randomBytes } from 'node:crypto';
import { closeRedis, createLogger, createRedis, type Redis } from '@academy/platform';
import { createTenant, openTestDatabase, testEnvironment, until, type TestDatabase } from '@academy/testing';
import { TenantDirectory } from '../src';

describe('tenant directory (tenant configs cached in Redis, invalidated everywhere)', () => {
  let db: TestDatabase;
  const connections: Redis[] = [];
  const logger = createLogger({ service: 'test', level: 'silent' });
  /** A healthy connection queues commands until it is ready; the unreachable one fails at once. */
  const redis = (url = testEnvironment().REDIS_URL) => {
    const reachable = url === testEnvironment().REDIS_URL;
    const connection = createRedis(url, { name: 'test', maxRetriesPerRequest: reachable ? 1 : 0, enableOfflineQueue: reachable });
    connection.on('error', () => undefined);
    connections.push(connection);
    return connection;
  };

  beforeAll(() => {
    db = openTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(connections.map(closeRedis));
    await db.close();
  });

  const rename = (tenantId: string, name: string) =>
    db.database.asPlatform({ actorId: 'system:test', action: 'test.rename-tenant', reason: 'tenant cache test' }, (tx) =>
      tx.tenant.update({ where: { id: tenantId }, data: { name } }),
    );

  it('serves the cached config until invalidated, then every gateway sees the change', async () => {
    const { tenant } = await createTenant(db.database);
    const prefix = `academy:test:${randomBytes(4).toString('hex')}:`;
    const one = new TenantDirectory(db.database.prisma, redis(), redis(), prefix, logger, { localTtlMs: 60_000 });
    const two = new TenantDirectory(db.database.prisma, redis(), redis(), prefix, logger, { localTtlMs: 60_000 });
    await Promise.all([one.start(), two.start()]);
    const before = {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      tier: 'PROFESSIONAL',
      arbitraryDocuments: false,
      status: 'ACTIVE',
    };
    expect(await one.bySlug(tenant.slug)).toEqual(before);
    expect(await two.bySlug(tenant.slug)).toEqual(before);
    expect(JSON.parse((await connections[0]!.get(`${prefix}tenant:${tenant.slug}`))!)).toEqual(before);

    await rename(tenant.id, 'Escuela Renombrada');
    expect((await two.bySlug(tenant.slug))!.name).toBe(tenant.name);

    await one.invalidate(tenant.slug);
    await until(
      () => two.bySlug(tenant.slug),
      (entry) => entry?.name === 'Escuela Renombrada',
      { timeoutMs: 2_000 },
    );
    expect(await two.bySlug(tenant.slug)).toEqual({ ...before, name: 'Escuela Renombrada' });
    expect(await one.bySlug(tenant.slug)).toEqual({ ...before, name: 'Escuela Renombrada' });
  });

  it('remembers unknown slugs for a short while, and answers from the database when Redis is down', async () => {
    const { tenant } = await createTenant(db.database);
    const down = redis('redis://127.0.0.1:9');
    const directory = new TenantDirectory(db.database.prisma, down, down, 'academy:test:down:', logger, { localTtlMs: 0 });
    await directory.start();
    expect(await directory.bySlug('nobody-here')).toBeNull();
    expect((await directory.bySlug(tenant.slug))!.id).toBe(tenant.id);
  });
});
