import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Logger } from '@academy/platform';

const ASK = 'academy:cluster-metrics';
const ANSWER = 'academy:cluster-metrics:answer';
/** A worker that dies within this long of its start is not restarted again and again. */
const RESTART_BACKOFF_MS = 1_000;

/**
 * The gateway on several cores (GATEWAY_WORKERS): the primary process forks that many workers,
 * each a whole gateway accepting on the one port, replaces
 * one that dies, and on SIGTERM/SIGINT has each drain and exit. Everything shared lives in Redis
 * already (rate limits, response cache, tenant directory, subscription events); what is per
 * worker: APQ registrations, in-flight deduplication, the memory fallback of rate limits.
 */
export function runPrimary(workers: number, logger: Logger): void {
  // Every worker accepts on the shared socket itself (not Node's default round-robin, where the
  // primary accepts and hands each connection to a worker): a connection handed to a worker in the
  // instant it dies was lost with it (measured: the next request hung in 2 of 3 kills), while one
  // waiting in the kernel's backlog goes to a living worker. Throughput was the same (docs/gateway.md).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let announced = false;
  const ready = new Set<number>();
  const started = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    worker.on('message', (message: { type?: string; id?: number; url?: string }) => {
      if (message?.type === 'academy:gateway-ready') {
        ready.add(worker.id);
        if (!announced && ready.size >= workers) {
          announced = true;
          logger.info({ url: message.url, workers }, 'gateway ready');
        }
        return;
      }
      if (message?.type !== ASK) return;
      // Every worker's series summed (histograms and counters) for the one /metrics Prometheus scrapes.
      aggregator.clusterMetrics().then(
        (text) => worker.send({ type: ANSWER, id: message.id, text }),
        (error: Error) => worker.send({ type: ANSWER, id: message.id, error: error.message }),
      );
    });
  };
  for (let i = 0; i < workers; i += 1) fork();
  cluster.on('exit', (worker: Worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) {
      if (Object.values(cluster.workers ?? {}).every((other) => !other || other.id === worker.id || other.isDead())) process.exit(0);
      return;
    }
    logger.error({ worker: worker.process.pid, code, signal }, 'gateway worker died; starting another');
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    setTimeout(fork, lived < RESTART_BACKOFF_MS ? RESTART_BACKOFF_MS : 0);
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) process.exit(0);
    for (const worker of alive) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  logger.info({ workers }, 'gateway primary started its workers');
}

/** In a worker: its registry joins the primary's aggregate (call at start, before any scrape). */
export function joinClusterMetrics(registry: Registry): void {
  // Constructing one installs prom-client's answer to the primary's requests in this worker.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

/** In a worker: asks the primary for every worker's metrics, aggregated. */
export function clusterMetrics(): () => Promise<string> {
  let next = 0;
  const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  process.on('message', (message: { type?: string; id?: number; text?: string; error?: string }) => {
    if (message?.type !== ANSWER || message.id === undefined) return;
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) pending?.reject(new Error(message.error));
    else pending?.resolve(message.text ?? '');
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      process.send!({ type: ASK, id });
      setTimeout(() => {
        if (waiting.delete(id)) reject(new Error('the gateway primary did not answer with the metrics'));
      }, 5_000).unref();
    });
}
