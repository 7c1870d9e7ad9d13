import os from 'node:os';
import pg from 'pg';
import { PACED_UNSENT, pacedUsers, virtualUsers, type LoadRequest, type PacedAnswer, type Script } from '../field/load';
import { startPlatform, type Platform } from '../platform';
import { scratchDatabase } from '../scratch-database';
import { latency } from '../stats';
import type { ScenarioOptions } from '../scenario-options';
import { createFreshLearners, mixedProfile, prepare, type Fixture } from './workloads';

/** One closed-loop run of the search for the maximum. */
export interface SoakStep {
  connections: number;
  rps: number;
  requests: number;
  errors: number;
  p50: number;
  p99: number;
}

/** One interval of the soak; requests are counted in the interval in which they were answered. */
export interface SoakInterval {
  /** 1, 2, …; the first is the warm-up. */
  index: number;
  /** Seconds since the soak started, at the interval's end. */
  endSeconds: number;
  warmUp: boolean;
  requests: number;
  rps: number;
  errors: number;
  /** Latency from when each request was due (the schedule), ms. */
  p50: number;
  p99: number;
  /** Requests sent 100 ms or more after they were due (no free virtual user, or the load generator's event loop was late). */
  behind: number;
  /** Mean RSS of all the platform's processes together over the interval, MiB. */
  rssMiB: number;
  /** The machine's 1-minute load average at the interval's end (other work shares these cores). */
  load1: number;
}

export interface SoakResult {
  profile: string;
  /** The closed-loop runs at rising concurrency; the maximum is the best throughput among them (without wrong answers). */
  maximum: { stepSeconds: number; steps: SoakStep[]; rps: number; connections: number };
  /** 70 % of the maximum, requests a second, open loop. */
  targetRps: number;
  /** Virtual users the open loop may use at once (sessions in progress). */
  users: number;
  minutes: number;
  intervalSeconds: number;
  intervals: SoakInterval[];
  /** Per process (the service's process and any it forked), the mean RSS of each interval, MiB. */
  rssMiB: Record<string, number[]>;
  /** Per process: RSS at the start (median of up to 5 intervals after the warm-up), at the end (median of the last up to 5), and the growth between them. */
  growth: Record<string, { firstMiB: number; lastMiB: number; percent: number }>;
  learners: { created: number; started: number; wrapped: number };
  /** Wrong answers by operation over the whole scenario (the search for the maximum too), with the first one's text. */
  errorsByOperation: Record<string, { count: number; first: string }>;
  totals: { requests: number; errors: number; behind: number; unsent: number; p50: number; p99: number };
  verdict: {
    growthUnder10Percent: boolean;
    /** The process that grew most. */
    worst: { process: string; percent: number };
    p99FirstMs: number;
    p99LastMs: number;
    errors: number;
    requests: number;
    line: string;
  };
}

const GROWTH_LIMIT_PERCENT = 10;
const SHARE_OF_MAXIMUM = 0.7;
/** Doubling the users must raise throughput by this much for the search for the maximum to go on. */
const RISING = 1.1;
/** RSS samples per interval (their mean is the interval's figure: one sample would catch GC's sawtooth anywhere). */
const RSS_SAMPLES_PER_INTERVAL = 6;
/** Learners created ahead of the profile, and more when fewer than LOW are left unused. */
const LEARNERS_BATCH = 1_500;
const LEARNERS_LOW = 500;
/** Tokens live an hour: an unused learner's token is signed again when it is older than this. */
const TOKEN_REFRESH_MS = 30 * 60_000;
const BEHIND_MS = 100;

const round = (value: number) => Math.round(value * 10) / 10;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : round((sorted[middle - 1]! + sorted[middle]!) / 2);
};

const percentiles = (values: number[]) => {
  if (values.length === 0) return { p50: 0, p99: 0 };
  const { p50, p99 } = latency(values);
  return { p50: round(p50), p99: round(p99) };
};

/**
 * The mixed profile (enroll, complete lessons, read progress) for a long time: the platform as
 * workloads starts it, plus the workers, every service its own process; its maximum throughput
 * measured first (closed loop, rising concurrency), then an open loop at 70 % of it for
 * `soakMinutes` (30; quick 2), every interval the RSS of every process, requests, errors and
 * latency. Memory that keeps growing under a steady load is a leak.
 */
export async function soakScenario(options: ScenarioOptions): Promise<SoakResult> {
  const { log } = options;
  const minutes = options.soakMinutes ?? (options.quick ? 2 : 30);
  const intervalSeconds = minutes < 5 ? 10 : 60;
  const intervalCount = Math.max(3, Math.round((minutes * 60) / intervalSeconds));
  const stepSeconds = options.quick ? 5 : 10;
  const scratch = await scratchDatabase(options.serverUrl, `academy_bench_soak_${process.pid}`, options.appPassword);
  let platform: Platform | undefined;
  const owner = new pg.Client({ connectionString: scratch.ownerUrl });
  // A lost connection fails the next top-up (reported at the end), not the process.
  owner.on('error', () => undefined);
  try {
    // The workers too: what the learners do queues their jobs (outbox, emails, impact), and a soak watches every process.
    platform = await startPlatform({ database: scratch, redisUrl: options.redisUrl, workers: true });
    await owner.connect();
    const fixture = await prepare(scratch.ownerUrl, platform, 0);
    const learners = new Learners(owner, platform, fixture);
    await learners.add(LEARNERS_BATCH);
    const script = learners.watch(mixedProfile(fixture));
    const perLearner = fixture.courses.reduce((sum, course) => sum + course.lessons.length + 3, 0);
    log(
      `  ${Object.keys(platform.rss()).length} processes (${[...platform.services.keys()].join(', ')}); ` +
        `a learner's sessions: ${fixture.courses.length} courses, ${perLearner} requests`,
    );

    // The maximum: closed loop, concurrency doubled until throughput stops rising (by 10 % or more
    // for twice the users: past the knee, more users only queue) or answers go wrong; the best
    // throughput of the runs without wrong answers (of every run, when none was without).
    await virtualUsers(platform.origin, '/graphql', { connections: 8, seconds: options.quick ? 3 : 5, script });
    const steps: SoakStep[] = [];
    let best: SoakStep | undefined;
    const clean = (step: SoakStep) => (step.errors === 0 ? 1 : 0);
    for (let connections = 4; connections <= 128; connections *= 2) {
      const { all } = await virtualUsers(platform.origin, '/graphql', { connections, seconds: stepSeconds, script });
      const step: SoakStep = { connections, rps: all.rps, requests: all.requests, errors: all.errors, p50: all.p50, p99: all.p99 };
      steps.push(step);
      log(
        `  maximum: ${connections} users, ${step.rps} RPS, p50 ${step.p50} / p99 ${step.p99} ms, ${step.errors} errors of ${step.requests}`,
      );
      const rising = !best || step.rps >= best.rps * RISING;
      if (!best || clean(step) > clean(best) || (clean(step) === clean(best) && step.rps > best.rps)) best = step;
      if (!rising || step.errors > 0) break;
    }
    const maximum = { stepSeconds, steps, rps: best!.rps, connections: best!.connections };
    const targetRps = round(maximum.rps * SHARE_OF_MAXIMUM);
    const users = Math.max(16, 2 * maximum.connections);
    log(
      `  maximum ${maximum.rps} RPS (${maximum.connections} users); soak at ${targetRps} RPS (70 %), open loop, up to ${users} users, ` +
        `${intervalCount} × ${intervalSeconds} s (the first a warm-up)`,
    );

    // The soak, interval by interval.
    const names = [...platform.services.keys()];
    const answered: PacedAnswer[][] = Array.from({ length: intervalCount }, () => []);
    const rssSamples: Record<string, number>[][] = Array.from({ length: intervalCount }, () => []);
    const intervals: SoakInterval[] = [];
    const rssMiB: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const intervalMs = intervalSeconds * 1000;
    const started = performance.now();
    const close = (index: number) => {
      const answers = answered[index]!;
      const samples = rssSamples[index]!.length > 0 ? rssSamples[index]! : [platform!.rss()];
      const mean = (name: string) => round(samples.reduce((sum, sample) => sum + (sample[name] ?? 0), 0) / samples.length);
      for (const name of names) rssMiB[name]!.push(mean(name));
      const interval: SoakInterval = {
        index: index + 1,
        endSeconds: round((performance.now() - started) / 1000),
        warmUp: index === 0,
        requests: answers.length,
        rps: round(answers.length / intervalSeconds),
        errors: answers.filter((answer) => !answer.ok).length,
        ...percentiles(answers.map((answer) => answer.doneAt - answer.scheduledAt)),
        behind: answers.filter((answer) => answer.sentAt - answer.scheduledAt >= BEHIND_MS).length,
        rssMiB: round(names.reduce((sum, name) => sum + rssMiB[name]!.at(-1)!, 0)),
        load1: Math.round(os.loadavg()[0]! * 100) / 100,
      };
      intervals.push(interval);
      const elapsed = Math.round(interval.endSeconds);
      const clock = `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}`;
      log(
        `  [${String(interval.index).padStart(String(intervalCount).length)}/${intervalCount}] ${clock}${interval.warmUp ? ' warm-up' : ''}: ` +
          `${interval.requests} requests (${interval.rps}/s), ${interval.errors} errors, p50 ${interval.p50} / p99 ${interval.p99} ms, ` +
          `${interval.behind} behind; load ${interval.load1}; RSS ${interval.rssMiB} MiB: ` +
          names.map((name) => `${name} ${rssMiB[name]!.at(-1)}`).join(', '),
      );
    };
    // RSS a few times an interval, on a clock of its own; an interval closes at its last sample
    // (the last one once every request has been answered).
    const sampleMs = intervalMs / RSS_SAMPLES_PER_INTERVAL;
    let tick = 0;
    let timer: NodeJS.Timeout | undefined;
    const onTick = () => {
      tick += 1;
      const index = Math.floor((tick - 1) / RSS_SAMPLES_PER_INTERVAL);
      rssSamples[index]!.push(platform!.rss());
      if (tick % RSS_SAMPLES_PER_INTERVAL === 0 && index < intervalCount - 1) close(index);
      learners.maintain();
      if (tick < intervalCount * RSS_SAMPLES_PER_INTERVAL) timer = setTimeout(onTick, started + (tick + 1) * sampleMs - performance.now());
    };
    timer = setTimeout(onTick, sampleMs);
    const run = await pacedUsers(platform.origin, '/graphql', {
      rate: targetRps,
      seconds: intervalCount * intervalSeconds,
      users,
      script,
      onAnswer: (answer) => answered[Math.min(intervalCount - 1, Math.floor((answer.doneAt - started) / intervalMs))]!.push(answer),
    });
    clearTimeout(timer);
    close(intervalCount - 1);
    await learners.settled();

    // Growth from the start (after the warm-up) to the end: the median of the first intervals
    // against the median of the last ones (up to 5 each), so that one sample taken just after a
    // collection gave memory back (or just before one) does not decide.
    const first = Math.min(1, intervalCount - 1);
    const window = Math.max(1, Math.min(5, Math.floor((intervalCount - first) / 3)));
    const growth = Object.fromEntries(
      names.map((name) => {
        const series = rssMiB[name]!;
        const firstMiB = median(series.slice(first, first + window));
        const lastMiB = median(series.slice(-window));
        return [name, { firstMiB, lastMiB, percent: round(((lastMiB - firstMiB) / firstMiB) * 100) }];
      }),
    );
    const [worstName, worstGrowth] = Object.entries(growth).sort(([, a], [, b]) => b.percent - a.percent)[0]!;
    const every = answered.flat();
    const totals = {
      requests: every.length,
      errors: every.filter((answer) => !answer.ok).length,
      behind: intervals.reduce((sum, interval) => sum + interval.behind, 0),
      unsent: run.unsent,
      ...percentiles(every.map((answer) => answer.doneAt - answer.scheduledAt)),
    };
    const growthUnder10Percent = Object.values(growth).every((one) => one.percent < GROWTH_LIMIT_PERCENT);
    const p99FirstMs = intervals[first]!.p99;
    const p99LastMs = intervals.at(-1)!.p99;
    const line =
      `soak: growth <${GROWTH_LIMIT_PERCENT} % on every process: ${growthUnder10Percent ? 'yes' : 'no'}; ` +
      `p99 first ${p99FirstMs} ms, last ${p99LastMs} ms; errors ${totals.errors} of ${totals.requests}`;
    log(
      `  RSS growth (median of intervals ${first + 1}-${first + window} to median of ${intervalCount - window + 1}-${intervalCount}): ` +
        Object.entries(growth)
          .map(([name, one]) => `${name} ${one.firstMiB} → ${one.lastMiB} MiB (${one.percent > 0 ? '+' : ''}${one.percent} %)`)
          .join(', '),
    );
    log(
      `  learners: ${learners.created} created, ${learners.started} started, ${learners.wrapped} reused; ` +
        `${totals.behind} requests sent ${BEHIND_MS} ms or more behind schedule; ${run.unsent} requests of the sessions in progress at the end not sent`,
    );
    for (const [label, errors] of Object.entries(learners.errors))
      log(`  ${errors.count} wrong answers to ${label} (warm-up, search for the maximum and soak), the first: ${errors.first}`);
    log(`  ${line}`);
    if (learners.failure) throw learners.failure;
    return {
      profile: 'mixed: enroll, complete lessons, read progress',
      maximum,
      targetRps,
      users,
      minutes: round((intervalCount * intervalSeconds) / 60),
      intervalSeconds,
      intervals,
      rssMiB,
      growth,
      learners: { created: learners.created, started: learners.started, wrapped: learners.wrapped },
      errorsByOperation: learners.errors,
      totals,
      verdict: {
        growthUnder10Percent,
        worst: { process: worstName, percent: worstGrowth.percent },
        p99FirstMs,
        p99LastMs,
        errors: totals.errors,
        requests: totals.requests,
        line,
      },
    };
  } finally {
    await owner.end().catch(() => undefined);
    await platform?.stop();
    await scratch.drop();
  }
}

/**
 * The fresh learners the mixed profile takes one after the other (fixture.freshLearners), each
 * with a paid order for every paid course of the profile (createFreshLearners): more are created before it runs out (the profile would wrap around to learners already enrolled,
 * whose Enroll would fail), and the tokens of those not yet started are signed again before they
 * expire. `wrapped` counts learners started a second time (0 unless that failed).
 */
class Learners {
  private readonly ids: string[] = [];
  private readonly issuedAt: number[] = [];
  private readonly indexOf = new Map<string, number>();
  private readonly firstCourse: string;
  private readonly begun = new Set<number>();
  private pending: Promise<void> | undefined;
  failure: Error | undefined;
  started = 0;
  wrapped = 0;
  /** Wrong answers by operation (the search for the maximum and the soak), with the first one's text. */
  readonly errors: Record<string, { count: number; first: string }> = {};

  constructor(
    private readonly owner: pg.Client,
    private readonly platform: Platform,
    private readonly fixture: Fixture,
  ) {
    this.firstCourse = `"slug":${JSON.stringify(fixture.courses[0]!.slug)}`;
  }

  get created(): number {
    return this.ids.length;
  }

  async add(count: number): Promise<void> {
    const fresh = await createFreshLearners(
      this.owner,
      this.platform,
      this.fixture.tenantId,
      this.ids.length + 1,
      count,
      this.fixture.courses.map((course) => course.id),
    );
    for (const { id, token } of fresh) {
      this.indexOf.set(token, this.ids.length);
      this.fixture.freshLearners.push(token);
      this.ids.push(id);
      this.issuedAt.push(Date.now());
    }
  }

  /** Tokens of learners not started yet, older than TOKEN_REFRESH_MS, signed again. */
  private async refresh(): Promise<void> {
    const stale = Date.now() - TOKEN_REFRESH_MS;
    for (let index = this.started; index < this.ids.length; index += 1) {
      if (this.issuedAt[index]! > stale) continue;
      const token = await this.platform.token({ userId: this.ids[index]!, tenantId: this.fixture.tenantId, persona: 'LEARNER' });
      this.indexOf.set(token, index);
      this.fixture.freshLearners[index] = token;
      this.issuedAt[index] = Date.now();
    }
  }

  /** Starts a top-up or a refresh when one is due (one at a time, in the background). */
  maintain(): void {
    if (this.pending || this.failure) return;
    const low = this.ids.length - this.started < LEARNERS_LOW;
    const stale = this.issuedAt[this.started] !== undefined && this.issuedAt[this.started]! < Date.now() - TOKEN_REFRESH_MS;
    if (!low && !stale) return;
    this.pending = (low ? this.add(LEARNERS_BATCH) : this.refresh())
      .catch((error: Error) => {
        this.failure = error;
      })
      .finally(() => {
        this.pending = undefined;
      });
  }

  async settled(): Promise<void> {
    await this.pending;
  }

  /** The profile, each request seen on its way: which learner it is for, and whether one is starting again. */
  watch(profile: Script): Script {
    return (user, send) =>
      profile(user, async (request: LoadRequest) => {
        const token = request.headers?.authorization?.replace(/^Bearer /, '');
        const index = token === undefined ? undefined : this.indexOf.get(token);
        if (index !== undefined) {
          this.started = Math.max(this.started, index + 1);
          if (request.label === 'CourseDetail' && request.body.includes(this.firstCourse)) {
            if (this.begun.has(index)) this.wrapped += 1;
            this.begun.add(index);
          }
        }
        this.maintain();
        const answer = await send(request);
        if (!answer.ok && answer.text !== PACED_UNSENT) {
          const errors = (this.errors[request.label] ??= { count: 0, first: answer.text.slice(0, 300) });
          errors.count += 1;
        }
        return answer;
      });
  }
}
