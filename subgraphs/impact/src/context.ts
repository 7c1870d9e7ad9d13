import type DataLoader from 'dataloader';
import type { SubgraphBaseContext } from '@academy/graphql-http';
import { entityLoader, type Database, type ForwardedContext, type ImpactEvent } from '@academy/platform';
import { ImpactReports } from './reporting/impact-reports';
import { GlobalImpactRepository, ImpactAggregateRepository } from './repositories/impact-aggregate-repository';
import { ImpactEventRepository } from './repositories/impact-event-repository';

export interface SubgraphContext extends SubgraphBaseContext {
  events: ImpactEventRepository;
  reports: ImpactReports;
  loaders: {
    event: DataLoader<string, ImpactEvent | null>;
  };
}

export interface ImpactDependencies {
  database: Database;
}

export function contextFactory(deps: ImpactDependencies) {
  const global = new GlobalImpactRepository(deps.database);
  return (forwarded: ForwardedContext): SubgraphContext => {
    const tenant = deps.database.forTenant(forwarded.tenant.id);
    const events = new ImpactEventRepository(tenant);
    return {
      ...forwarded,
      signedByGateway: true,
      events,
      reports: new ImpactReports(forwarded.tenant.id, new ImpactAggregateRepository(tenant), global),
      loaders: {
        event: entityLoader((ids) => events.findByIds(ids)),
      },
    };
  };
}
