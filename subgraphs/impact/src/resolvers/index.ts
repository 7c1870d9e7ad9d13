import { columnsToMillipoints, millipointsToPoints, quantityIssues, DIMENSIONS } from '@academy/impact-scoring';
import { BadUserInputError, ForbiddenError, NotFoundError, scalarResolvers, type InputIssue } from '@academy/platform';
import type { CommunityResolvers, ImpactEventResolvers, MutationResolvers, QueryResolvers, Resolvers, UserResolvers } from '../generated/resolvers-types';

const STAFF = ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'];
const ADMINS = ['TENANT_ADMIN', 'PLATFORM_ADMIN'];
/** Clocks differ a little; an event "now" on a client's clock is not in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

function notFound(what: string): never {
  throw new NotFoundError(what);
}

const Query: QueryResolvers = {
  impactReport: async (_parent, { scope, period, communityId, userId }, { reports, viewer }) => {
    const reportPeriod = period ?? 'ALL_TIME';
    switch (scope) {
      case 'GLOBAL':
        if (viewer!.persona !== 'PLATFORM_ADMIN') throw new ForbiddenError('GLOBAL reports are for platform admins');
        return reports.platform(reportPeriod, viewer!);
      case 'TENANT':
        return reports.tenant(reportPeriod);
      case 'COMMUNITY':
        if (!communityId) throw new BadUserInputError('A COMMUNITY report needs communityId', [{ field: 'communityId', message: 'required for COMMUNITY' }]);
        return (await reports.of('community', communityId, reportPeriod)) ?? notFound('Community');
      case 'INDIVIDUAL': {
        const subject = userId ?? viewer!.userId;
        if (subject !== viewer!.userId && !ADMINS.includes(viewer!.persona)) throw new ForbiddenError("Only the person and admins see an individual's report");
        return (await reports.of('person', subject, reportPeriod)) ?? notFound('User');
      }
    }
  },
  impactEvents: async (_parent, { first, after, userId }, { events, viewer }) => {
    const subject = userId ?? viewer!.userId;
    if (subject !== viewer!.userId && !STAFF.includes(viewer!.persona)) throw new ForbiddenError("Only staff see another person's events");
    if (subject !== viewer!.userId && !(await events.exists('user', subject))) throw new NotFoundError('User');
    return events.list({ userId: subject, first, after });
  },
};

const Mutation: MutationResolvers = {
  recordImpactEvent: async (_parent, { input }, { events, viewer }) => {
    const now = new Date();
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
    const description = input.description.trim();
    const issues: InputIssue[] = quantityIssues(input.quantities, 'person');
    if (description.length === 0 || description.length > 2000) issues.push({ field: 'description', message: 'must be 1 to 2000 characters' });
    if (input.type === 'COURSE_COMPLETION') issues.push({ field: 'type', message: 'course completions are recorded by the platform when a course is completed' });
    if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) issues.push({ field: 'occurredAt', message: 'must not be in the future' });
    const memberSince = await events.userCreatedAt(viewer!.userId);
    if (!memberSince) throw new ForbiddenError('Only people of this tenant record impact here');
    if (occurredAt < memberSince) issues.push({ field: 'occurredAt', message: 'must not be before you joined' });
    if (issues.length > 0) throw new BadUserInputError('Invalid impact event', issues);
    const communityId = await events.communityOf(viewer!.userId, input.communityId);
    return events.record({ userId: viewer!.userId, communityId, type: input.type, description, occurredAt, quantities: (input.quantities ?? {}) as Record<string, number> });
  },
  verifyImpactEvent: async (_parent, { id, level }, { events, loaders, viewer, tenant }) => {
    const event = await loaders.event.load(id);
    if (!event) throw new NotFoundError('Impact event');
    if (event.userId === viewer!.userId) throw new ForbiddenError('Nobody verifies their own impact');
    if (event.sourceKey) throw new ForbiddenError('The platform verified this event when it recorded it');
    return events.verify(event, level, viewer!.tenantId === tenant.id ? viewer!.userId : null, new Date());
  },
};

const ImpactEvent: ImpactEventResolvers = {
  user: (event) => ({ id: event.userId }),
  contributions: (event) => {
    const points = columnsToMillipoints(event);
    return DIMENSIONS.map((dimension) => ({ dimension, score: millipointsToPoints(points[dimension]) }));
  },
  quantities: (event) => event.quantities ?? {},
};

const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  impact: (user, { period }, { reports }) => reports.person(user.id, period ?? 'ALL_TIME'),
};

const Community: CommunityResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  impact: (community, { period }, { reports }) => reports.community(community.id, period ?? 'ALL_TIME'),
};

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, ImpactEvent, User, Community };
