import type DataLoader from 'dataloader';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import { entityLoader, type Database, type File, type ForwardedContext } from '@academy/platform';
import type { ObjectStorage } from '@academy/storage';
import { FileRepository } from './repositories/file-repository';
import { FileUploads } from './uploads/file-uploads';

export interface SubgraphContext extends SubgraphBaseContext {
  uploads: FileUploads;
  loaders: {
    file: DataLoader<string, File | null>;
  };
}

export interface MediaDependencies {
  database: Database;
  storage: ObjectStorage;
}

export function contextFactory(deps: MediaDependencies) {
  return (forwarded: ForwardedContext): SubgraphOwnContext<SubgraphContext> => {
    const files = new FileRepository(deps.database.forTenant(forwarded.tenant.id));
    return {
      ...forwarded,
      uploads: new FileUploads(files, deps.storage),
      loaders: {
        file: entityLoader((ids) => files.findByIds(ids)),
      },
    };
  };
}
