import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  impact: (user, { period }, { reports }) => reports.person(user.id, period ?? 'ALL_TIME'),
};
