import { createDatabaseClient, createLogger, Database, signForwardedContext } from '@academy/platform';
import { generateSigningJwk, loadSigningKey, TokenIssuer } from '@academy/tokens';
import { createUsersSubgraph } from './src';
async function main() {
  const client = createDatabaseClient({ url: 'postgresql://academy_app:academy-app-local@127.0.0.1:54329/academy' });
  const key = await loadSigningKey(await generateSigningJwk('k1'));
  const secret = 'x'.repeat(40);
  const sg = await createUsersSubgraph({ database: new Database(client.prisma), tokens: new TokenIssuer(key, { issuer: 'i', audience: 'a', ttlSeconds: 60 }), gatewaySecret: secret, logger: createLogger({ service: 'users', level: 'error' }) });
  const url = await sg.listen(0);
  const tenant = (await client.prisma.$queryRaw<any[]>`select id, slug, name, tier from app_tenant_by_slug('demo')`)[0];
  const post = async (query: string, viewer: any = null, headers: any = undefined) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(headers ?? signForwardedContext(secret, { tenant, viewer })) }, body: JSON.stringify({ query }) });
    return [res.status, await res.text()];
  };
  console.log(await post('mutation { login(email: "learner@demo.academy.mx", password: "academy-demo-2026") { expiresAt user { id name email persona tenant { slug tier } communities { name memberCount } } } }'));
  console.log(await post('{ me { id } viewerTenant { slug } users { totalCount } }'));
  console.log(await post('{ _service { sdl } }', null, {}));
  const u = (await client.prisma.$queryRaw<any[]>`select 1`);
  await sg.close(); await client.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
