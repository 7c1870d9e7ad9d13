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
 * (fetch and graphql-ws); logos may come from a tenant's HTTPS host. React sets `style` through
 * the CSSOM, which style-src does not govern.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** /t/<slug> and what follows it (the app under a tenant's path), or the path itself. */
const TENANT_PREFIX = /^\/t\/[a-z0-9-]{1,63}(?=\/|$)/;

/**
 * The built web app (index.html and hashed assets) for GET and HEAD requests the API routes
 * left: at `/` on a tenant's host and at `/t/<slug>/` on any host, the same build (its assets
 * are addressed relative to the page). Paths without an extension that ask for HTML are the
 * app's own routes: index.html. Anything else is not the app's (the caller answers 404).
 */
export class StaticWebApp {
  private readonly root: string;

  constructor(directory: string) {
    this.root = path.resolve(directory);
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
    if (!path.extname(file) && acceptsHtml(req)) {
      const index = await this.fileAt('index.html');
      if (index) return this.send(req, res, 'index.html', index);
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
    if (extension === '.html') Object.assign(headers, { 'content-security-policy': WEB_APP_CSP, 'referrer-policy': 'same-origin' });
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
