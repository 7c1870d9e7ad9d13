// `npm run bench [-- --quick]`: runs the scenarios, prints a table, writes tools/bench/results/<date>.json.
// `-- --only soak [--minutes N]` runs the soak, which a run of every scenario leaves out.
import fs from 'node:fs';
import path from 'node:path';
import { benchEnvironment } from './environment';
import { describeMachine } from './machine';
import { deliveryScenario } from './scenarios/delivery';
import { fuzzScenario } from './scenarios/fuzz';
import { gatewaysScenario } from './scenarios/gateways';
import { impactScenario } from './scenarios/impact';
import { searchScenario } from './scenarios/search';
import { soakScenario } from './scenarios/soak';
import { subscriptionsScenario } from './scenarios/subscriptions';
import { teachingScenario, type Measured } from './scenarios/teaching';
import { workloadsScenario } from './scenarios/workloads';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // `-- --only gateways` (or workloads, subscriptions, delivery, impact, search, teaching, fuzz, soak) runs one scenario.
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const runs = (scenario: string) => !only || only === scenario;
  const minutesAt = process.argv.indexOf('--minutes');
  const soakMinutes = minutesAt >= 0 ? Number(process.argv[minutesAt + 1]) : undefined;
  if (soakMinutes !== undefined && !(soakMinutes > 0))
    throw new Error(`--minutes takes a number of minutes above 0, not ${process.argv[minutesAt + 1]}`);
  const environment = benchEnvironment();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const machine = await describeMachine(environment.DATABASE_URL);
  log(
    `bench${quick ? ' (quick)' : ''} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}`,
  );

  const shared = {
    serverUrl: environment.DATABASE_URL,
    redisUrl: environment.REDIS_URL,
    appPassword: environment.DATABASE_APP_PASSWORD,
    quick,
    ...(soakMinutes !== undefined ? { soakMinutes } : {}),
    log,
  };
  const scenario = async <T>(name: string, heading: string, run: () => Promise<T>): Promise<T | undefined> => {
    if (!runs(name)) return undefined;
    log(`\n${name}: ${heading}`);
    return run();
  };
  const gateways = await scenario('gateways', 'the field benchmark (TestQuery, 50 connections), side by side', () =>
    gatewaysScenario(shared),
  );
  const workloads = await scenario('workloads', "the apps' operations through our gateway as deployed, on the demo data", () =>
    workloadsScenario(shared),
  );
  const subscriptions = await scenario('subscriptions', 'certification status changes to graphql-ws subscribers on one gateway', () =>
    subscriptionsScenario(shared),
  );
  const delivery = await scenario('delivery', 'CONOCER submissions through the workers (sandbox 50 ms a call, 10 % errors)', () =>
    deliveryScenario(shared),
  );
  const impact = await scenario('impact', 'the aggregation pipeline and reports', () =>
    impactScenario({ ...shared, events: quick ? 100_000 : 1_000_000, reportSamples: quick ? 100 : 500 }),
  );
  const search = await scenario('search', 'catalogue search, courses(search:) over 10,000 courses', () => searchScenario(shared));
  const teaching = await scenario('teaching', 'authoring a course of 20 × 10 lessons, assessments, the course dashboard', () =>
    teachingScenario(shared),
  );
  // 30 minutes (quick 2): only when asked for by name, never in a run of every scenario.
  const soak =
    only === 'soak'
      ? await scenario('soak', 'the mixed profile at 70 % of its maximum, open loop: RSS of every process, p99 and errors over time', () =>
          soakScenario(shared),
        )
      : undefined;
  const fuzz = await scenario('fuzz', 'generated hostile operations and malformed HTTP against a supergraph (the CI fuzzer, larger)', () =>
    fuzzScenario(shared),
  );

  const table: [string, string, string][] = [
    ...(gateways?.runs ?? []).map((run): [string, string, string] => [
      `gateways: ${run.gateway}`,
      `${run.rps} RPS (×${run.rpsRatio}), p50 ${run.p50} / p95 ${run.p95} / p99 ${run.p99} ms`,
      `${run.errors} errors of ${run.requests}; peak RSS ${run.peakRssMiB} MiB; CPU/request ${run.cpuMsPerRequest.gateway} ms gateway + ${run.cpuMsPerRequest.subgraphs} ms subgraphs`,
    ]),
  ];
  for (const run of workloads?.runs ?? []) {
    table.push([
      `workload: ${run.workload}`,
      `${run.rps} RPS, p50 ${run.p50} / p95 ${run.p95} / p99 ${run.p99} ms`,
      `${run.errors} errors of ${run.requests}; CPU/request ${run.cpuMsPerRequest.gateway} ms gateway + ${run.cpuMsPerRequest.subgraphs} ms subgraphs`,
    ]);
    for (const [label, operation] of Object.entries(run.operations)) {
      table.push([
        `  ${label}`,
        `p50 ${operation.p50} / p99 ${operation.p99} ms`,
        `gateway share p50 ${operation.gatewayShare?.p50 ?? '-'} / p99 ${operation.gatewayShare?.p99 ?? '-'} ms; alone p50 ${operation.alone.p50} ms (gateway ${operation.alone.gatewayShareP50}); ${operation.sqlStatements} SQL statements`,
      ]);
    }
  }
  if (subscriptions) {
    table.push([
      `subscriptions: ${subscriptions.subscribers.toLocaleString('en')} subscribers, ${subscriptions.eventsPerSecond} changes/s`,
      `COMMIT to receipt p50 ${subscriptions.latencyMs.p50} / p99 ${subscriptions.latencyMs.p99} ms`,
      `${subscriptions.delivered} of ${subscriptions.expectedDeliveries} delivered, ${subscriptions.missed} missed; ${subscriptions.gateway.perConnectionKiB} KiB per connection; connected in ${subscriptions.connectSeconds} s`,
    ]);
  }
  if (delivery) {
    table.push([
      'delivery: CONOCER submissions to a final state',
      `${delivery.finalPerMinute.toLocaleString('en')} per minute`,
      `${delivery.submissions} in ${delivery.seconds} s, ${delivery.workerConcurrency} concurrent jobs; ${JSON.stringify(delivery.statuses)}; ${delivery.faultsInjected} faults injected`,
    ]);
  }
  if (impact)
    table.push(
      [
        'impact: recompute, rebuild from nothing',
        `${impact.recompute.rebuildMs} ms`,
        `${impact.dataset.events.toLocaleString('en')} events`,
      ],
      [
        'impact: recompute, nightly repair (no drift)',
        `${impact.recompute.repairMs} ms`,
        `${impact.recompute.userDays.toLocaleString('en')} person-days, ${impact.recompute.aggregates.toLocaleString('en')} buckets`,
      ],
      ['impact: daily rollup (DAY, WEEK)', `${impact.recompute.dailyRollupMs} ms`, ''],
      ['impact: weekly rollup (MONTH, QUARTER)', `${impact.recompute.weeklyRollupMs} ms`, ''],
      [
        'impact: incremental apply',
        `${impact.incremental.eventsPerSecond.toLocaleString('en')} events/s`,
        `${impact.incremental.events} events in ${impact.incremental.applyMs} ms; drift afterwards: ${impact.incremental.driftAfterwards}`,
      ],
      ...Object.entries(impact.reports).map(([label, l]): [string, string, string] => [
        `impact report ${label}`,
        `p50 ${l.gateway.p50} ms, p99 ${l.gateway.p99} ms`,
        `(gateway; impact subgraph alone p50 ${l.subgraph.p50} / p99 ${l.subgraph.p99}; in process p50 ${l.inProcess.p50} / p99 ${l.inProcess.p99}; n=${l.gateway.samples})`,
      ]),
    );
  if (search)
    for (const [label, shape] of [
      ['one tenant', search.shapes.oneTenant],
      ['1 of 20 tenants', search.shapes.twentyTenants],
    ] as const) {
      table.push([
        `search (${label}, ${shape.inTenant.toLocaleString('en')} of ${shape.inDatabase.toLocaleString('en')} courses): unsearched`,
        `p50 ${shape.unsearched.p50} ms, p99 ${shape.unsearched.p99} ms`,
        `(gateway, signed in; n=${shape.unsearched.samples}; trigram indexes in the plan: owner ${search.trigramIndexInPlan.owner}, services ${search.trigramIndexInPlan.services})`,
      ]);
      for (const [term, result] of Object.entries(shape.terms)) {
        const database = shape === search.shapes.oneTenant ? search.databaseMs[term] : undefined;
        table.push([
          `  courses(search: "${term}")`,
          `p50 ${result.gateway.p50} ms, p99 ${result.gateway.p99} ms`,
          `${result.matches} found${database ? `; database: indexed ${database.indexed} ms, row by row ${database.rowByRow} ms` : ''}`,
        ]);
      }
    }
  if (teaching) {
    const { authoring, assessments, dashboards } = teaching;
    const row = (what: string, l: Measured, note: string): [string, string, string] => [
      `teaching: ${what}`,
      `p50 ${l.p50} ms, p99 ${l.p99} ms`,
      `${note}; n=${l.samples}, ${l.sqlStatements} SQL statements`,
    ];
    const { modules, lessons } = authoring.course;
    const moves = authoring.concurrentMoves;
    const submits = assessments.concurrentSubmits;
    table.push(
      ...Object.entries(authoring.operations).map(([label, l]) =>
        row(label, l, `gateway, signed in as its instructor; course of ${modules} modules × ${lessons / modules} lessons`),
      ),
      [
        `teaching: ${moves.workers} × moveLesson at once, one course`,
        `${moves.movesPerSecond} moves/s`,
        `${moves.moves} in ${moves.ms} ms, p50 ${moves.latency.p50} / p99 ${moves.latency.p99} ms; positions 1..n afterwards: ${moves.positionsDense}`,
      ],
      row(
        'startAssessmentAttempt',
        assessments.start,
        `${assessments.questions} questions, ${assessments.lessons} lessons completed, ${assessments.learners} learners in turn`,
      ),
      row(
        'submitAssessmentAttempt',
        assessments.submit,
        `passing (completes the course) p50 ${assessments.submitPassing.p50} / p99 ${assessments.submitPassing.p99} ms, failing p50 ${assessments.submitFailing.p50} / p99 ${assessments.submitFailing.p99} ms`,
      ),
      [
        `teaching: ${submits.learners} learners submitting at once`,
        `${submits.submitsPerSecond} submits/s`,
        `all passing, in ${submits.ms} ms; p50 ${submits.latency.p50} / p99 ${submits.latency.p99} ms`,
      ],
    );
    if ('skipped' in dashboards) table.push(['teaching: course dashboard', 'skipped', dashboards.skipped]);
    else
      table.push(
        row(`CourseAnalyticsDashboard (${dashboards.learners} learners)`, dashboards.analytics, 'as its instructor'),
        row('CourseLearners (first 20)', dashboards.learnersPage, 'as its instructor'),
      );
  }
  if (fuzz) {
    table.push(
      [`fuzz: ${fuzz.operations.cases} operations`, `${fuzz.operations.seconds} s`, fuzz.operations.summary],
      [`fuzz: ${fuzz.http.cases} malformed HTTP requests`, '', fuzz.http.summary],
      ['fuzz: violations', String(fuzz.violations.length), fuzz.violations.map((group) => group.cause).join('; ') || 'none'],
    );
  }
  if (soak) {
    const { maximum, verdict, growth } = soak;
    table.push(
      [
        `soak: mixed profile, ${soak.minutes} min at ${soak.targetRps} RPS (70 % of ${maximum.rps}, ${maximum.connections} users)`,
        `p99 first ${verdict.p99FirstMs} / last ${verdict.p99LastMs} ms`,
        `${verdict.errors} errors of ${verdict.requests}; RSS growth under 10 % on every process: ${verdict.growthUnder10Percent ? 'yes' : 'no'} (most: ${verdict.worst.process} ${verdict.worst.percent} %)`,
      ],
      ...Object.entries(growth).map(([name, one]): [string, string, string] => [
        `  RSS ${name}`,
        `${one.percent > 0 ? '+' : ''}${one.percent} %`,
        `${one.firstMiB} → ${one.lastMiB} MiB (interval 2 to ${soak.intervals.length} of ${soak.intervalSeconds} s)`,
      ]),
    );
  }
  const width = Math.max(...table.map((row) => row[0].length));
  const second = Math.max(...table.map((row) => row[1].length));
  log('');
  for (const [what, value, note] of table) log(`${what.padEnd(width)}  ${value.padEnd(second)}  ${note}`);

  const date = new Date().toISOString().slice(0, 10);
  const file = path.join(__dirname, '..', 'results', `${date}${quick ? '-quick' : ''}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const previous = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  // A scenario not run this time keeps its figures of the day's earlier run.
  const ran = Object.fromEntries(
    Object.entries({ gateways, workloads, subscriptions, delivery, impact, search, teaching, soak, fuzz }).filter(
      ([, result]) => result !== undefined,
    ),
  );
  fs.writeFileSync(file, `${JSON.stringify({ ...previous, date: new Date().toISOString(), quick, machine, ...ran }, null, 2)}\n`);
  log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
