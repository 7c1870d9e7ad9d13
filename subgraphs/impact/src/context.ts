import type DataLoader from 'dataloader';
import type { SubgraphBaseContext } from '@academy/graphql-http';
import { entityLoader, keyedLoader, type Database, type ForwardedContext, type ImpactContribution, type ImpactEvent } from '@academy/platform';
import { ImpactReports } from './reporting/impact-reports';
import { ImpactEventRepository } from './repositories/impact-event-repository';

export interface SubgraphContext extends SubgraphBaseContext {
  events: ImpactEventRepository;
  reports: ImpactReports;
  loaders: {
    event: DataLoader<string, ImpactEvent | null>;
    contributions: DataLoader<string, ImpactContribution[]>;
  };
}

export interface ImpactDependencies {
  database: Database;
}

export function contextFactory(deps: ImpactDependencies) {
  const reports = new ImpactReports();
  return (forwarded: ForwardedContext): SubgraphContext => {
    const events = new ImpactEventRepository(deps.database.forTenant(forwarded.tenant.id));
    return {
      ...forwarded,
      signedByGateway: true,
      events,
      reports,
      loaders: {
        event: entityLoader((ids) => events.findByIds(ids)),
        contributions: keyedLoader((ids) => events.contributionsOf(ids), [] as ImpactContribution[]),
      },
    };
  };
}
