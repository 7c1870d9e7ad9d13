import DataLoader from 'dataloader';
import { BadUserInputError, NotFoundError, type Viewer } from '@academy/platform';
import type { ImpactReport, ImpactScope, ReportPeriod } from '../generated/resolvers-types';
import type { GlobalImpactRepository, ImpactAggregateRepository, ScopeBuckets } from '../repositories/impact-aggregate-repository';
import { impactReport, reportQuery } from './report-builder';

/**
 * Reports of one request's tenant, read from the aggregates. People's and communities' reports
 * are batched (a list of people with their impact is one query per period).
 */
export class ImpactReports {
  private readonly people = new DataLoader<string, ImpactReport>((keys) => this.batch(keys, 'INDIVIDUAL'));
  private readonly communities = new DataLoader<string, ImpactReport>((keys) => this.batch(keys, 'COMMUNITY'));

  constructor(
    private readonly tenantId: string,
    private readonly aggregates: ImpactAggregateRepository,
    private readonly global: GlobalImpactRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `impactReport(scope, period, ...)`: who may ask for which scope is checked by the rules. */
  async forScope(
    scope: ImpactScope,
    period: ReportPeriod,
    subject: { communityId?: string | null; userId?: string | null },
    viewer: Viewer,
  ): Promise<ImpactReport> {
    switch (scope) {
      case 'GLOBAL':
        return this.platform(period, viewer);
      case 'TENANT':
        return this.tenant(period);
      case 'COMMUNITY':
        if (!subject.communityId)
          throw new BadUserInputError('A COMMUNITY report needs communityId', [
            { field: 'communityId', message: 'required for COMMUNITY' },
          ]);
        return (await this.of('community', subject.communityId, period)) ?? Promise.reject(new NotFoundError('Community'));
      case 'INDIVIDUAL':
        return (await this.of('person', subject.userId ?? viewer.userId, period)) ?? Promise.reject(new NotFoundError('User'));
    }
  }

  person(userId: string, period: ReportPeriod): Promise<ImpactReport> {
    return this.people.load(`${period}:${userId}`);
  }

  community(communityId: string, period: ReportPeriod): Promise<ImpactReport> {
    return this.communities.load(`${period}:${communityId}`);
  }

  /** A community's or person's report, or null when the tenant has none with this id. */
  async of(kind: 'community' | 'person', id: string, period: ReportPeriod): Promise<ImpactReport | null> {
    const now = this.now();
    const buckets = await this.aggregates.bucketsOf(kind, id, reportQuery(period, now));
    return buckets ? impactReport(kind === 'community' ? 'COMMUNITY' : 'INDIVIDUAL', period, now, buckets) : null;
  }

  async tenant(period: ReportPeriod): Promise<ImpactReport> {
    const now = this.now();
    const buckets = await this.aggregates.scopeBuckets('TENANT', [this.tenantId], reportQuery(period, now));
    return impactReport('TENANT', period, now, buckets.get(this.tenantId)!);
  }

  /** Every tenant's impact together: platform admins only, through the audited bypass. */
  async platform(period: ReportPeriod, viewer: Viewer): Promise<ImpactReport> {
    const now = this.now();
    const buckets = await this.global.globalBuckets(
      {
        actorId: viewer.userId,
        actorPersona: viewer.persona,
        action: 'impact.report.global',
        reason: `GLOBAL impact report (${period})`,
        targetType: 'ImpactReport',
      },
      reportQuery(period, now),
    );
    return impactReport('GLOBAL', period, now, buckets);
  }

  private async batch(keys: readonly string[], scope: 'INDIVIDUAL' | 'COMMUNITY'): Promise<ImpactReport[]> {
    const now = this.now();
    const byPeriod = new Map<ReportPeriod, string[]>();
    for (const key of keys) {
      const [period, id] = key.split(':') as [ReportPeriod, string];
      byPeriod.set(period, [...(byPeriod.get(period) ?? []), id]);
    }
    const reports = new Map<string, ImpactReport>();
    for (const [period, ids] of byPeriod) {
      const query = reportQuery(period, now);
      const buckets: Map<string, ScopeBuckets> =
        scope === 'INDIVIDUAL'
          ? await this.aggregates.personBuckets(ids, query)
          : await this.aggregates.scopeBuckets('COMMUNITY', ids, query);
      for (const id of ids) reports.set(`${period}:${id}`, impactReport(scope, period, now, buckets.get(id)!));
    }
    return keys.map((key) => reports.get(key)!);
  }
}
