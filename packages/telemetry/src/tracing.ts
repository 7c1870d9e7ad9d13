import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

export { SpanKind };

const TRACER = 'academy';

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Traces for one process: W3C trace context (`traceparent`) carried in and out, spans kept in
 * the async context, and exported by OTLP/HTTP when `otlpEndpoint` is set (or to `exporter`,
 * tests' in-memory one). Without either, trace context still flows through (so a caller's
 * trace continues downstream) and nothing is recorded.
 */
export function startTracing(options: {
  service: string;
  otlpEndpoint?: string | undefined;
  exporter?: SpanExporter;
  /**
   * `when-recording`: the active context is kept in the async context (AsyncLocalStorage) only
   * when spans are exported. Node 20's AsyncLocalStorage runs a hook for every promise the process
   * creates (the gateway: ~9 % of its CPU per request); a process that says so carries a request's
   * trace context itself where it passes it on (the gateway: GatewayContext.trace, see
   * `activeContextOr`). Default `always`.
   */
  asyncContext?: 'always' | 'when-recording';
}): Tracing {
  const exporter =
    options.exporter ??
    (options.otlpEndpoint ? new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` }) : null);
  if (exporter || options.asyncContext !== 'when-recording')
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  if (!exporter) return { shutdown: async () => undefined };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
    },
  };
}

/** A trace context (what `incomingContext` reads, what `inSpan` hands its work). */
export type { Context as TraceContext } from '@opentelemetry/api';

/** The trace context of incoming headers (or none). */
export function incomingContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers, {
    get: (carrier, key) => {
      const value = carrier[key];
      return Array.isArray(value) ? value[0] : value;
    },
    keys: (carrier) => Object.keys(carrier),
  });
}

/**
 * The active context; `fallback` when there is none (ROOT) and it is given: in a process that
 * keeps no async context (startTracing's `asyncContext: 'when-recording'`, nothing exported),
 * the trace context a request carries itself.
 */
export function activeContextOr(fallback: Context | undefined): Context {
  const active = context.active();
  return active === ROOT_CONTEXT && fallback ? fallback : active;
}

/** The active trace context as a `traceparent` header value (undefined outside a trace). */
export function currentTraceparent(active: Context = context.active()): string | undefined {
  return traceHeaders(active).traceparent;
}

/** Headers that carry the active trace context to the next service. */
export function traceHeaders(active: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier;
}

/** The context a `traceparent` (from a job, an outbox row) continues. */
export function contextOfTraceparent(traceparent: string | null | undefined): Context {
  return traceparent ? incomingContext({ traceparent }) : ROOT_CONTEXT;
}

/**
 * Runs `work` in a span, child of `parent` (default: the active context); the span records
 * an exception and ERROR status if `work` throws, and ends when it settles. `work` is also
 * given the span's context (the active one, where the process keeps an async context).
 */
export async function inSpan<T>(
  name: string,
  options: { kind: SpanKind; attributes?: Record<string, string | number | boolean | undefined>; parent?: Context },
  work: (span: Span, spanContext: Context) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const attributes = Object.fromEntries(Object.entries(options.attributes ?? {}).filter(([, value]) => value !== undefined)) as Record<
    string,
    string | number | boolean
  >;
  const span = trace.getTracer(TRACER).startSpan(name, { kind: options.kind, attributes }, parent);
  try {
    const spanContext = trace.setSpan(parent, span);
    return await context.with(spanContext, () => work(span, spanContext));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** The trace id of the active span (for log lines), if any. */
export function activeTraceId(): string | undefined {
  return traceIdOf(context.active());
}

/** The trace id of a context's span, if any. */
export function traceIdOf(traceContext: Context): string | undefined {
  const id = trace.getSpanContext(traceContext)?.traceId;
  return id && !/^0+$/.test(id) ? id : undefined;
}
export { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
