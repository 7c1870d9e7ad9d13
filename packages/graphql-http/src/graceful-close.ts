import type http from 'node:http';

/** How long in-flight requests may take to finish once a service is told to stop. */
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Stops a server the way a load balancer expects: no new connections, idle keep-alive
 * connections closed at once, each in-flight request answered (with `Connection: close`) and
 * its connection closed after it; whatever is still running after `timeoutMs` is cut off.
 */
export function drainHttpServer(server: http.Server, timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      if (!res.headersSent) res.setHeader('connection', 'close');
    });
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const cutOff = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cutOff);
      resolve();
    });
    server.closeIdleConnections();
  });
}
