import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '@academy/platform';
import { trace } from '@opentelemetry/api';
import type { ServiceMetrics } from './service-metrics';
import { activeTraceId } from './tracing';

/** What a log line may say about the request an operation belongs to. */
export interface RequestFacts {
  requestId?: string | undefined;
  userId?: string | undefined;
  /** The tenant's slug. */
  tenant?: string | undefined;
  /** Milliseconds the operation waited on subgraphs (the gateway's lines). */
  subgraphMs?: number | undefined;
  /** The request's trace, when the process keeps no async context (otherwise the active span's). */
  traceId?: string | undefined;
}

/**
 * One log line and the metrics of every operation: request id, tenant, operation name and
 * type, duration, HTTP status and error codes. Never the document's variables (passwords,
 * emails, CURPs travel there) nor headers (tokens).
 */
export function operationTelemetry<Context extends BaseContext>(options: {
  metrics: ServiceMetrics;
  logger: Logger;
  facts(context: Context): RequestFacts;
  /** `debug` for every line (a subgraph's share of an operation the gateway logs); default: `info`, and `warn` for errors. */
  level?: 'info' | 'debug';
  /** Name the active span after the operation ("query LearnerDashboard"). */
  nameSpan?: boolean;
}): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      let type = 'unknown';
      return {
        async didResolveOperation({ operation, operationName }) {
          if (operation) type = operation.operation;
          const span = trace.getActiveSpan();
          span?.setAttributes({ 'graphql.operation.type': type, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
          if (options.nameSpan) span?.updateName(`${type}${operationName ? ` ${operationName}` : ''}`);
        },
        async willSendResponse({ response, operationName, errors, contextValue: context }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          // The answer's errors, as masked (contract codes); before formatting only when there is no single answer.
          const codes = ((body?.errors ?? errors ?? []) as readonly { extensions?: Record<string, unknown> }[]).map((error) =>
            String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
          );
          const distinct = [...new Set(codes)];
          options.metrics.operations.inc({ type });
          options.metrics.duration.observe({ type }, seconds);
          for (const code of distinct) options.metrics.errors.inc({ code });
          const facts = options.facts(context ?? contextValue);
          const traceId = activeTraceId() ?? facts.traceId;
          const line = {
            ...facts,
            ...(traceId ? { traceId } : {}),
            operationName: operationName ?? null,
            operationType: type,
            durationMs: Math.round(seconds * 10_000) / 10,
            status: response.http.status ?? 200,
            ...(distinct.length > 0 ? { errorCodes: distinct } : {}),
          };
          if (options.level === 'debug') options.logger.debug(line, distinct.length > 0 ? 'operation failed' : 'operation');
          else if (distinct.length > 0) options.logger.warn(line, 'operation failed');
          else options.logger.info(line, 'operation');
        },
      };
    },
  };
}
