import type DataLoader from 'dataloader';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import { entityLoader, type Database, type ForwardedContext, type ImpactEvent } from '@academy/platform';
import { ImpactLedger } from './ingestion/impact-ledger';
import { ImpactReports } from './reporting/impact-reports';
import { GlobalImpactRepository, ImpactAggregateRepository } from './repositories/impact-aggregate-repository';
import { ImpactEventRepository } from './repositories/impact-event-repository';

export interface SubgraphContext extends SubgraphBaseContext {
  ledger: ImpactLedger;
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
  return (forwarded: ForwardedContext): SubgraphOwnContext<SubgraphContext> => {
    const tenant = deps.database.forTenant(forwarded.tenant.id);
    const events = new ImpactEventRepository(tenant);
    return {
      ...forwarded,
      ledger: new ImpactLedger(events, forwarded.tenant.id),
      reports: new ImpactReports(forwarded.tenant.id, new ImpactAggregateRepository(tenant), global),
      loaders: {
        event: entityLoader((ids) => events.findByIds(ids)),
      },
    };
  };
}
