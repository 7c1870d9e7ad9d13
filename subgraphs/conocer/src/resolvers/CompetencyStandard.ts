import type { CompetencyStandardResolvers } from '../generated/resolvers-types';

export const CompetencyStandard: CompetencyStandardResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.standard.load(reference.code),
};
