import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { HttpProblem } from '@academy/graphql-http';

/** Where `vite build` writes the web app (apps/web), when WEB_APP_DIR does not say otherwise. */
export const DEFAULT_WEB_APP_DIR = path.resolve(__dirname, '../../../apps/web/dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The app's own scripts and styles only (no inline script, no eval); its API on the same origin
 * (fetch and graphql-ws), and the object storage's origins the browser uploads files to and
 * reads them from (presigned URLs: WEB_APP_STORAGE_ORIGINS); logos may come from a tenant's HTTPS
 * host. React sets `style` through the CSSOM, which style-src does not govern.
 */
export function webAppCsp(storageOrigins: readonly string[] = []): string {
  const storage = storageOrigins.map((origin) => new URL(origin).origin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    ["img-src 'self' data: https:", ...storage].join(' '),
    ["connect-src 'self'", ...storage].join(' '),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy without storage origins (files only through the app's own origin). */
export const WEB_APP_CSP = webAppCsp();

/** /t/<slug> and what follows it (the app under a tenant's path), or the path itself. */
const TENANT_PREFIX = /^\/t\/[a-z0-9-]{1,63}(?=\/|$)/;

/**
 * The built web app (index.html and hashed assets) for GET and HEAD requests the API routes
 * left: at `/` on a tenant's host and at `/t/<slug>/` on any host, the same build (its assets
 * are addressed relative to the page). Paths without an extension that ask for HTML are the
 * app's own routes: redirected to the page with the route in its hash (`/t/demo/orders/7` to
 * `/t/demo/#/orders/7`). Anything else is not the app's (the caller answers 404).
 */
export class StaticWebApp {
  private readonly root: string;
  private readonly csp: string;

  constructor(directory: string, options: { storageOrigins?: readonly string[] } = {}) {
    this.root = path.resolve(directory);
    this.csp = webAppCsp(options.storageOrigins);
  }

  /** Whether the request was answered (false: not a path of the app, or no build there). */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const tenantPrefix = TENANT_PREFIX.exec(pathname)?.[0];
    if (tenantPrefix && pathname === tenantPrefix) {
      // Relative asset URLs need the trailing slash.
      res.writeHead(308, { location: `${tenantPrefix}/` });
      res.end();
      return true;
    }
    const route = tenantPrefix ? pathname.slice(tenantPrefix.length) : pathname;
    const relative = relativePathOf(route);
    const file = relative === '' ? 'index.html' : relative;
    const found = await this.fileAt(file);
    if (found) return this.send(req, res, file, found);
    if (!path.extname(file) && acceptsHtml(req) && (await this.fileAt('index.html'))) {
      // An app route as a path (a payment provider's return URL, a link in an email): the page at
      // the root with the route in its hash, where the router reads it; served here, its relative
      // asset URLs would resolve under the route.
      const search = new URL(req.url ?? '/', 'http://app').search;
      res.writeHead(302, { location: `${tenantPrefix ?? ''}/#/${file}${search}`, 'cache-control': 'no-cache' });
      res.end();
      return true;
    }
    return false;
  }

  private async fileAt(relative: string): Promise<fs.Stats | null> {
    const stats = await fs.promises.stat(path.join(this.root, relative)).catch(() => null);
    return stats?.isFile() ? stats : null;
  }

  private send(req: IncomingMessage, res: ServerResponse, relative: string, stats: fs.Stats): Promise<boolean> {
    const extension = path.extname(relative).toLowerCase();
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'content-length': String(stats.size),
      'x-content-type-options': 'nosniff',
      'cache-control': relative.startsWith('assets/')
        ? 'public, max-age=31536000, immutable' // content-hashed names: a new build has new names
        : relative === 'index.html'
          ? 'no-cache'
          : 'public, max-age=3600',
    };
    if (extension === '.html') Object.assign(headers, { 'content-security-policy': this.csp, 'referrer-policy': 'same-origin' });
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return Promise.resolve(true);
    }
    return new Promise((resolve, reject) => {
      fs.createReadStream(path.join(this.root, relative))
        .on('error', reject)
        .pipe(res)
        .on('finish', () => resolve(true));
    });
  }
}

/**
 * The file a route names, relative to the build ('' for the page itself). A segment that climbs
 * (`..`, also when percent-encoded) or hides a separator is refused, never resolved.
 */
function relativePathOf(route: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(route);
  } catch {
    throw new HttpProblem(400, 'BAD_USER_INPUT', 'Malformed path');
  }
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((segment) => segment === '..' || segment === '.' || /[\\\0]/.test(segment)))
    throw new HttpProblem(400, 'BAD_USER_INPUT', 'Malformed path');
  return segments.join('/');
}

function acceptsHtml(req: IncomingMessage): boolean {
  return String(req.headers.accept ?? '').includes('text/html');
}
