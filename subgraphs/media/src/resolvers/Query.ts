import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  // Who may see it is checked by graphql-shield before this runs; unknown ids are null.
  file: (_parent, { id }, { loaders }) => loaders.file.load(id),
};
