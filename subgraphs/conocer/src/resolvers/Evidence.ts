import type { EvidenceResolvers } from '../generated/resolvers-types';

export const Evidence: EvidenceResolvers = {
  criterion: async (evidence, _args, { loaders }) => (await loaders.criterion.load(evidence.criterionId))!,
  files: async (evidence, _args, { loaders }) => (await loaders.filesOfEvidence.load(evidence.id)).map((id) => ({ id })),
  reviewer: (evidence) => (evidence.reviewerId ? { id: evidence.reviewerId } : null),
};
