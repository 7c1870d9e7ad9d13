import { quantityIssues } from '@academy/impact-scoring';
import {
  BadUserInputError,
  NotFoundError,
  type ImpactEvent,
  type InputIssue,
  type VerificationLevel,
  type Viewer,
} from '@academy/platform';
import type { RecordImpactEventInput } from '../generated/resolvers-types';
import type { ImpactEventRepository } from '../repositories/impact-event-repository';

/** Clocks differ a little; an event "now" on a client's clock is not in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** People's own impact events: recorded by them, listed, verified by staff. */
export class ImpactLedger {
  constructor(
    private readonly events: ImpactEventRepository,
    private readonly tenantId: string,
  ) {}

  /** A person's events, newest first (the person's own unless staff name another). */
  async list(viewer: Viewer, args: { first?: number | null; after?: string | null; userId?: string | null }): Promise<ImpactEvent[]> {
    const subject = args.userId ?? viewer.userId;
    if (subject !== viewer.userId && !(await this.events.exists('user', subject))) throw new NotFoundError('User');
    return this.events.list({ userId: subject, first: args.first, after: args.after });
  }

  /** A self-reported event of the viewer, validated and scored. */
  async record(viewer: Viewer, input: RecordImpactEventInput): Promise<ImpactEvent> {
    const now = new Date();
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
    const description = input.description.trim();
    const issues: InputIssue[] = quantityIssues(input.quantities, 'person');
    if (description.length === 0 || description.length > 2000)
      issues.push({ field: 'description', message: 'must be 1 to 2000 characters' });
    if (input.type === 'COURSE_COMPLETION')
      issues.push({ field: 'type', message: 'course completions are recorded by the platform when a course is completed' });
    if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) issues.push({ field: 'occurredAt', message: 'must not be in the future' });
    const memberSince = (await this.events.userCreatedAt(viewer.userId))!;
    if (occurredAt < memberSince) issues.push({ field: 'occurredAt', message: 'must not be before you joined' });
    if (issues.length > 0) throw new BadUserInputError('Invalid impact event', issues);
    const communityId = await this.events.communityOf(viewer.userId, input.communityId);
    return this.events.record({
      userId: viewer.userId,
      communityId,
      type: input.type,
      description,
      occurredAt,
      quantities: (input.quantities ?? {}) as Record<string, number>,
    });
  }

  /** A new verification level of someone else's self-reported event (checked by the rules). */
  verify(event: ImpactEvent, level: VerificationLevel, viewer: Viewer): Promise<ImpactEvent> {
    // A platform admin of another tenant is not a user of this one.
    return this.events.verify(event, level, viewer.tenantId === this.tenantId ? viewer.userId : null, new Date());
  }
}
