import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, startTracing, type ReadableSpan, type Tracing } from '@academy/telemetry';
import { startSupergraph, until, type RunningSupergraph } from '@academy/testing';

/**
 * One trace from the client to the background work: the gateway continues the client's
 * traceparent, passes it to the subgraphs, the database keeps it on the outbox row the
 * transaction wrote, and the job that row causes continues it.
 */
describe('traces across gateway, subgraphs, outbox and jobs', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    tracing = startTracing({ service: 'test', exporter });
    supergraph = await startSupergraph({ isolated: true, conocer: {}, captureLogs: true });
  });
  afterAll(async () => {
    await supergraph?.close();
    await tracing?.shutdown();
  });

  const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it('follows a recorded impact event from the client to the impact job', async () => {
    const token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const response = await supergraph.request(
      'mutation RecordImpact($input: RecordImpactEventInput!) { recordImpactEvent(input: $input) { id } }',
      {
        token,
        tenant: 'demo',
        variables: { input: { type: 'SKILL_SHARING', description: 'Taller de compostaje en la azotea', quantities: { hours: 2 } } },
        headers: { traceparent: `00-${traceId}-${clientSpanId}-01` },
      },
    );
    expect(response.body.errors).toBeUndefined();

    const spans = await until(
      () => spansOf(traceId),
      (found) => found.some((span) => span.name === 'job impact'),
      { timeoutMs: 15_000, everyMs: 100 },
    );
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const named = (name: string) => spans.find((span) => span.name === name);
    for (const name of ['mutation RecordImpact', 'subgraph impact', 'graphql impact', 'outbox impact.events.changed', 'job impact'])
      expect([name, named(name) !== undefined]).toEqual([name, true]);

    // The gateway continues the client's span; everything else descends from it, in order.
    expect(parentOf(named('mutation RecordImpact')!)).toBe(clientSpanId);
    const ancestors = (span: ReadableSpan): string[] => {
      const parent = byId.get(parentOf(span) ?? '');
      return parent ? [parent.name, ...ancestors(parent)] : [];
    };
    const chain = ancestors(named('job impact')!);
    expect(chain[0]).toBe('outbox impact.events.changed');
    expect(chain).toContain('graphql impact');
    expect(chain).toContain('subgraph impact');
    expect(chain[chain.length - 1]).toBe('mutation RecordImpact');
    expect(chain.indexOf('graphql impact')).toBeLessThan(chain.indexOf('subgraph impact'));

    // The operation's log line names the trace.
    expect(supergraph.logs.find((line) => line.operationName === 'RecordImpact')).toMatchObject({ traceId });
  }, 30_000);
});
