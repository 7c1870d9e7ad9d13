// The gateway as a process: `node --import tsx gateway/src/main.ts`.
import cluster from 'node:cluster';
import { startTracing } from '@academy/telemetry';
import { closeRedis, createDatabaseClient, createLogger, createRedis, serviceDatabaseUrl } from '@academy/platform';
import { TokenVerifier } from '@academy/tokens';
import { gatewayEnvironment } from './environment';
import { clusterMetrics, joinClusterMetrics, runPrimary } from './cluster';
import { createGateway } from './gateway';
import { scaledPolicy } from './rate-limits/rate-limit-policy';

async function main(): Promise<void> {
  const environment = gatewayEnvironment();
  const logger = createLogger({ service: 'gateway', level: environment.LOG_LEVEL });
  const workers = environment.GATEWAY_WORKERS;
  if (workers > 1 && cluster.isPrimary) return runPrimary(workers, logger);
  // Without an OTLP endpoint nothing is exported: no async context (its promise hooks cost ~9 % of
  // the CPU per request); each HTTP operation carries its trace context (GatewayContext.trace).
  const tracing = startTracing({
    service: 'gateway',
    otlpEndpoint: environment.OTEL_EXPORTER_OTLP_ENDPOINT,
    asyncContext: 'when-recording',
  });
  const client = createDatabaseClient({
    url: serviceDatabaseUrl(environment),
    poolSize: environment.DATABASE_POOL_SIZE,
    applicationName: 'academy-gateway',
  });
  const redis = createRedis(environment.REDIS_URL, { name: 'gateway', logger, maxRetriesPerRequest: 1 });
  const subscriber = createRedis(environment.REDIS_URL, { name: 'gateway-subscriber', logger, maxRetriesPerRequest: null });
  const external = environment.AUTH_EXTERNAL_JWKS_URL
    ? {
        jwksUrl: environment.AUTH_EXTERNAL_JWKS_URL,
        issuer: environment.AUTH_EXTERNAL_ISSUER!,
        audience: environment.AUTH_EXTERNAL_AUDIENCE!,
        algorithms: environment.AUTH_EXTERNAL_ALGORITHMS,
        tenantClaim: environment.AUTH_EXTERNAL_TENANT_CLAIM,
        personaClaim: environment.AUTH_EXTERNAL_PERSONA_CLAIM,
      }
    : undefined;
  const gateway = await createGateway({
    prisma: client.prisma,
    redis,
    subscriber,
    redisPrefix: environment.REDIS_PREFIX,
    supergraphFile: environment.SUPERGRAPH_FILE,
    subgraphUrls: environment.SUBGRAPH_URLS,
    gatewaySecret: environment.GATEWAY_SECRET,
    verifier: new TokenVerifier(environment.AUTH_JWKS, { issuer: environment.AUTH_ISSUER, audience: environment.AUTH_AUDIENCE }, external),
    jwks: { keys: [...environment.AUTH_JWKS.keys, ...environment.CREDENTIAL_JWKS.keys] },
    credentialJwks: environment.CREDENTIAL_JWKS,
    baseDomain: environment.BASE_DOMAIN,
    defaultTenant: environment.DEFAULT_TENANT,
    production: environment.NODE_ENV === 'production',
    subgraphFetch: { timeoutMs: environment.SUBGRAPH_TIMEOUT_MS },
    subgraphFetchOf: environment.SUBGRAPH_TIMEOUTS,
    ...(environment.PERSISTED_DOCUMENTS ? { persistedDocuments: environment.PERSISTED_DOCUMENTS } : {}),
    rateLimits: scaledPolicy(environment.RATE_LIMIT_SCALE),
    trustedProxies: environment.TRUSTED_PROXIES,
    ...(environment.WEB_APP_DIR ? { webAppDir: environment.WEB_APP_DIR === 'off' ? null : environment.WEB_APP_DIR } : {}),
    webAppStorageOrigins: environment.WEB_APP_STORAGE_ORIGINS ?? (environment.S3_URL ? [environment.S3_URL] : []),
    ...(cluster.isWorker ? { clusterMetrics: clusterMetrics() } : {}),
    logger,
  });
  if (cluster.isWorker) joinClusterMetrics(gateway.metrics.registry);
  const url = await gateway.listen(environment.PORT, environment.HOST).catch((error: Error) => {
    process.stderr.write(`gateway could not listen on ${environment.HOST}:${environment.PORT}: ${error.message}\n`);
    process.exit(1);
  });
  // A cluster's workers each say so; `gateway ready` once all of them listen is the primary's to tell.
  if (cluster.isWorker) process.send!({ type: 'academy:gateway-ready', url });
  else logger.info({ url }, 'gateway ready');
  const stop = async () => {
    await gateway.close();
    await Promise.all([closeRedis(redis), closeRedis(subscriber)]);
    await client.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`gateway could not start: ${error.message}\n`);
  process.exit(1);
});
