import { curpProblem } from '@academy/curp';
import { BadUserInputError, type InputIssue } from '@academy/platform';
import type { MutationResolvers } from '../generated/resolvers-types';

export const Mutation: MutationResolvers = {
  signUp: async (_parent, { input }, context) => {
    const result = await context.auth.signUp(input);
    // The rest of this request sees the new account as its viewer (e.g. `user { email }`).
    context.viewer = { userId: result.user.id, tenantId: context.tenant.id, persona: result.user.persona };
    return result;
  },
  login: async (_parent, { email, password }, context) => {
    const result = await context.auth.login(email, password);
    context.viewer = { userId: result.user.id, tenantId: context.tenant.id, persona: result.user.persona };
    return result;
  },
  // Permissions (persona, who may grant PLATFORM_ADMIN, membership of the tenant) are checked by graphql-shield before these run.
  setUserPersona: (_parent, { userId, persona }, { users }) => users.setPersona(userId, persona),
  updateMyProfile: async (_parent, { input }, { viewer, users }) => {
    const issues: InputIssue[] = [];
    const name = input.name?.trim();
    const curp = input.curp?.trim().toUpperCase();
    if (name !== undefined && (name.length === 0 || name.length > 120))
      issues.push({ field: 'name', message: 'must be 1 to 120 characters' });
    const problem = curp === undefined ? null : curpProblem(curp);
    if (problem)
      issues.push({
        field: 'curp',
        message:
          problem === 'check-digit'
            ? 'the check digit does not match'
            : problem === 'date'
              ? 'the birth date is not a real date'
              : 'must be 18 characters in CURP format',
      });
    if (issues.length > 0) throw new BadUserInputError('Invalid profile', issues);
    return users.updateProfile(viewer!.userId, { ...(name !== undefined ? { name } : {}), ...(curp !== undefined ? { curp } : {}) });
  },
};
