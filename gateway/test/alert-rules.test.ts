import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { httpRequest, startSupergraph, type RunningSupergraph } from '@academy/testing';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}

/**
 * The alert rules in ops/prometheus name series the services really expose, and carry the
 * architecture's thresholds (and issue 13's: email failures, stuck uploads).
 */
describe('Prometheus alert rules', () => {
  const file = parse(readFileSync(path.resolve(__dirname, '../../ops/prometheus/alerts.yml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  const rules = file.groups.flatMap((group) => group.rules);
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true, conocer: {}, mail: { smtpUrl: 'smtp://127.0.0.1:9' } });
  });
  afterAll(() => supergraph?.close());

  it('carry the thresholds: error rate > 5 %, p95 > 2 s, 3 failed syncs in a row, 10 000 queued jobs', () => {
    const expr = (alert: string) =>
      rules
        .find((rule) => rule.alert === alert)!
        .expr.replace(/\s+/g, ' ')
        .trim();
    expect(expr('AcademyHighErrorRate')).toMatch(/> 0\.05$/);
    expect(expr('AcademyHighLatency')).toMatch(/^histogram_quantile\(0\.95, .*\) > 2$/);
    expect(expr('AcademyStandardsSyncFailing')).toMatch(/>= 3$/);
    expect(expr('AcademyQueueBacklog')).toMatch(/> 10000$/);
    for (const rule of rules) {
      expect(rule.labels.severity).toMatch(/^(page|ticket)$/);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
    }
  });

  it('name only series that the gateway, the subgraphs and the workers expose', async () => {
    const exposed = new Set<string>();
    const add = (text: string) => {
      for (const line of text.split('\n')) {
        const declared = /^# TYPE (\S+) (\w+)/.exec(line);
        if (!declared) continue;
        exposed.add(declared[1]!);
        if (declared[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exposed.add(declared[1]! + suffix);
      }
    };
    add((await httpRequest(`${supergraph.origin}/metrics`, {})).text);
    add((await httpRequest(supergraph.subgraphUrls.courses!.replace(/\/graphql$/, '/metrics'), {})).text);
    add((await httpRequest(supergraph.subgraphUrls.users!.replace(/\/graphql$/, '/metrics'), {})).text);
    add(await supergraph.workers!.metrics.service.registry.metrics());
    const named = rules.flatMap((rule) => [...rule.expr.matchAll(/\b(academy_\w+)/g)].map((match) => match[1]!));
    expect(named).toHaveLength(16);
    expect(named.filter((name) => !exposed.has(name))).toEqual([]);
  });
});
