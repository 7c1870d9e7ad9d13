import type { Logger } from '@academy/platform';

export type LoginDecision = 'signed-in' | 'wrong-password' | 'unknown-account' | 'throttled' | 'not-active';

interface DecisionCounter {
  inc(labels: { decision: LoginDecision }): void;
}

/**
 * Every login decision, logged (who, from where, why) and counted in
 * academy_login_decisions_total{decision}: a rise of `throttled` or `wrong-password` is someone
 * guessing passwords (ops/prometheus/alerts.yml).
 */
export class LoginDecisions {
  private counter: DecisionCounter | null = null;

  constructor(private readonly logger: Logger) {}

  /** Where the decisions are counted (the subgraph's /metrics), once the service exists. */
  countIn(metrics: { counter(name: string, help: string, labels: readonly 'decision'[]): DecisionCounter }): void {
    this.counter = metrics.counter('academy_login_decisions_total', 'Login attempts by decision', ['decision']);
  }

  record(decision: LoginDecision, facts: { tenantId: string; userId?: string; address: string; [more: string]: unknown }): void {
    this.counter?.inc({ decision });
    this.logger.info({ ...facts, decision }, `login ${decision}`);
  }
}
