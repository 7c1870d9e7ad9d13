import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startGatewayProcess, startSupergraph, type GatewayProcess, type RunningSupergraph } from '@academy/testing';
import { WEB_APP_CSP, webAppCsp } from '../src/web-app/static-app';

/** The web app's build, served by the gateway (WEB_APP_DIR) at / and /t/<slug>/, behind every API route. */
describe('web app (static files served by the gateway)', () => {
  let supergraph: RunningSupergraph;
  let gateway: GatewayProcess;
  let build: string;
  const INDEX = '<!doctype html><html lang="es-MX"><script type="module" src="./assets/index-Bx1k9a.js"></script></html>';
  const SCRIPT = 'console.log("academy");';
  const STYLE = 'body{margin:0}';

  beforeAll(async () => {
    // A build as vite writes it, next to a file that must never be served.
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'academy-web-app-'));
    build = path.join(parent, 'dist');
    fs.mkdirSync(path.join(build, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(build, 'index.html'), INDEX);
    fs.writeFileSync(path.join(build, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(path.join(build, 'assets/index-Bx1k9a.js'), SCRIPT);
    fs.writeFileSync(path.join(build, 'assets/index-C2d3e4.css'), STYLE);
    fs.writeFileSync(path.join(parent, 'secret.txt'), 'not for the web');
    supergraph = await startSupergraph();
    gateway = await startGatewayProcess(supergraph, { WEB_APP_DIR: build });
  }, 90_000);
  afterAll(async () => {
    await gateway?.close();
    await supergraph?.close();
    fs.rmSync(path.dirname(build), { recursive: true, force: true });
  });

  /** A request with the path exactly as written (fetch and URL would resolve `..` first). */
  const get = (rawPath: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(gateway.origin);
      const request = http.request({ hostname, port, path: rawPath, method, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      request.on('error', reject);
      request.end();
    });
  const page = (response: Awaited<ReturnType<typeof get>>) => ({
    status: response.status,
    type: response.headers['content-type'],
    cache: response.headers['cache-control'],
    csp: response.headers['content-security-policy'],
    body: response.body,
  });
  const INDEX_PAGE = { status: 200, type: 'text/html; charset=utf-8', cache: 'no-cache', csp: WEB_APP_CSP, body: INDEX };

  it('serves index.html at /, at /t/<slug>/, never cached; the app’s routes asked as HTML go to its hash', async () => {
    expect(page(await get('/'))).toEqual(INDEX_PAGE);
    expect(page(await get('/t/demo/'))).toEqual(INDEX_PAGE);
    expect(page(await get('/index.html'))).toEqual(INDEX_PAGE);
    // A route as a path (a payment provider's return URL): the page, with the route in its hash.
    const route = await get('/t/demo/orders/ord_1?from=checkout', { accept: 'text/html,application/xhtml+xml' });
    expect({ status: route.status, location: route.headers.location }).toEqual({
      status: 302,
      location: '/t/demo/#/orders/ord_1?from=checkout',
    });
    const onHost = await get('/catalogue', { accept: 'text/html' });
    expect({ status: onHost.status, location: onHost.headers.location }).toEqual({ status: 302, location: '/#/catalogue' });
    // Without the slash, relative asset URLs would miss the tenant's prefix.
    const bare = await get('/t/demo');
    expect({ status: bare.status, location: bare.headers.location }).toEqual({ status: 308, location: '/t/demo/' });
    const head = await get('/t/demo/', {}, 'HEAD');
    expect({ status: head.status, type: head.headers['content-type'], length: head.headers['content-length'], body: head.body }).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      length: String(Buffer.byteLength(INDEX)),
      body: '',
    });
  });

  it('serves the hashed assets with their content types, cached for a year; other files for an hour', async () => {
    const asset = (response: Awaited<ReturnType<typeof get>>) => ({
      status: response.status,
      type: response.headers['content-type'],
      cache: response.headers['cache-control'],
      nosniff: response.headers['x-content-type-options'],
      body: response.body,
    });
    const immutable = 'public, max-age=31536000, immutable';
    const script = { status: 200, type: 'text/javascript; charset=utf-8', cache: immutable, nosniff: 'nosniff', body: SCRIPT };
    expect(asset(await get('/assets/index-Bx1k9a.js'))).toEqual(script);
    expect(asset(await get('/t/demo/assets/index-Bx1k9a.js'))).toEqual(script);
    expect(asset(await get('/t/cooperativa-sol/assets/index-C2d3e4.css'))).toEqual({
      ...script,
      type: 'text/css; charset=utf-8',
      body: STYLE,
    });
    expect(asset(await get('/t/demo/favicon.svg'))).toMatchObject({ status: 200, type: 'image/svg+xml', cache: 'public, max-age=3600' });
    // A missing asset is a 404, not the page (a script that is HTML would fail obscurely).
    expect((await get('/t/demo/assets/index-old.js', { accept: 'text/html' })).status).toBe(404);
    expect((await get('/nothing-here')).status).toBe(404);
  });

  it('lets the page reach the object storage its uploads and files use, and nothing else', () => {
    const policy = new Map(
      webAppCsp(['http://127.0.0.1:4569/academy-media', 'https://media.example.mx'])
        .split('; ')
        .map((directive) => [directive.split(' ')[0], directive] as const),
    );
    expect(policy.get('connect-src')).toBe("connect-src 'self' http://127.0.0.1:4569 https://media.example.mx");
    expect(policy.get('img-src')).toBe("img-src 'self' data: https: http://127.0.0.1:4569 https://media.example.mx");
    expect(policy.get('script-src')).toBe("script-src 'self'");
    expect(WEB_APP_CSP).toContain("connect-src 'self';");
  });

  it('refuses paths that climb out of the build', async () => {
    for (const rawPath of [
      '/assets/..%2F..%2Fsecret.txt',
      '/t/demo/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5c..%5csecret.txt',
    ]) {
      const response = await get(rawPath);
      expect({ rawPath, status: response.status, leaked: response.body.includes('not for the web') }).toEqual({
        rawPath,
        status: expect.any(Number),
        leaked: false,
      });
      expect([400, 404]).toContain(response.status);
    }
    const dotted = await get('/../secret.txt');
    expect({ status: dotted.status, leaked: dotted.body.includes('not for the web') }).toEqual({ status: 404, leaked: false });
  });

  it('leaves the API routes as they were', async () => {
    const graphql = await fetch(`${gateway.origin}/t/demo/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ tenantBranding { displayName } }' }),
    });
    expect({ status: graphql.status, body: await graphql.json() }).toEqual({
      status: 200,
      body: { data: { tenantBranding: { displayName: 'Academia MADFAM Demo' } } },
    });
    expect(JSON.parse((await get('/health/live')).body)).toEqual({ status: 'ok' });
    expect(JSON.parse((await get('/.well-known/jwks.json')).body)).toEqual({ keys: expect.any(Array) });
    const exportWithoutToken = await get('/t/demo/exports/impact-report.csv?scope=TENANT&period=MONTH');
    expect({ status: exportWithoutToken.status, type: exportWithoutToken.headers['content-type'] }).toEqual({
      status: 401,
      type: expect.stringContaining('application/json'),
    });
    expect((await get('/metrics')).headers['content-type']).toMatch(/^text\/plain/);
  });
});
