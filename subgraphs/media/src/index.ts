export { createMediaSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { MediaDependencies, SubgraphContext as MediaContext } from './context';
export { deleteAbandonedUploads, type AbandonedUploadsOptions } from './uploads/abandoned-uploads';
export { uploadKeyOf } from './uploads/file-uploads';
