import type { MutationResolvers } from '../generated/resolvers-types';

// Who may upload (and complete which file) is checked by graphql-shield before these run.
export const Mutation: MutationResolvers = {
  createUpload: (_parent, args, { uploads, viewer }) => uploads.create(viewer!, args),
  completeUpload: async (_parent, { id }, { loaders, uploads }) => uploads.complete((await loaders.file.load(id))!),
};
