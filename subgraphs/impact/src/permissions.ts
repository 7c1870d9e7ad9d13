import { and, type IRules } from 'graphql-shield';
import {
  everyone,
  federationRules,
  forType,
  hasPersona,
  isPlatformAdmin,
  isSelf,
  isSelfOrAdmin,
  isSelfOrStaff,
  memberOfTenant,
  signedIn,
  STAFF,
  viewerRule,
} from '@academy/permissions';
import { ForbiddenError, NotFoundError } from '@academy/platform';
import type { SubgraphContext } from './context';
import type { ImpactScope } from './generated/resolvers-types';
import type { UserReference } from './models';

/** impactReport: GLOBAL for platform admins; an individual's report for the person and admins; the rest for anyone signed in. */
const seesReport = viewerRule<unknown, { scope: ImpactScope; userId?: string | null }>(
  'impact:seesReport',
  'Not allowed',
  (viewer, _parent, { scope, userId }) => {
    if (scope === 'GLOBAL' && !isPlatformAdmin(viewer)) throw new ForbiddenError('GLOBAL reports are for platform admins');
    if (scope === 'INDIVIDUAL' && !isSelfOrAdmin(viewer, userId ?? viewer.userId))
      throw new ForbiddenError("Only the person and admins see an individual's report");
    return true;
  },
);

/** impactEvents: one's own; another person's for staff. */
const seesEvents = viewerRule<unknown, { userId?: string | null }>(
  'impact:seesEvents',
  "Only staff see another person's events",
  (viewer, _parent, { userId }) => isSelfOrStaff(viewer, userId ?? viewer.userId),
);

/** verifyImpactEvent: somebody else's self-reported event (the platform's own are verified already). */
const verifiesThisEvent = viewerRule<unknown, { id: string }, SubgraphContext>(
  'impact:verifiesEvent',
  'Nobody verifies their own impact',
  async (viewer, _parent, { id }, { loaders }) => {
    const event = await loaders.event.load(id);
    if (!event) throw new NotFoundError('Impact event');
    if (isSelf(viewer, event.userId)) return false;
    if (event.sourceKey) throw new ForbiddenError('The platform verified this event when it recorded it');
    return true;
  },
);

/** A person's own impact: the person and their tenant's admins. */
const selfOrAdmin = viewerRule<UserReference>('impact:selfOrAdmin', 'Only the person and admins see this', (viewer, user) =>
  isSelfOrAdmin(viewer, user.id),
);

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: { ...federationRules.Query, me: everyone, impactReport: seesReport, impactEvents: seesEvents },
  Mutation: { recordImpactEvent: memberOfTenant, verifyImpactEvent: and(hasPersona(...STAFF), verifiesThisEvent) },
  _Service: federationRules._Service,
  ImpactEvent: forType(signedIn),
  ImpactScore: forType(signedIn),
  ImpactTrendPoint: forType(signedIn),
  ImpactReport: forType(signedIn),
  User: forType(signedIn, { impact: selfOrAdmin }),
  Community: forType(signedIn),
};
