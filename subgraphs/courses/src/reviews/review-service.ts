import { isAdmin, isSelf } from '@academy/permissions';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  type CourseReview,
  type InputIssue,
  type Page,
  type TenantScope,
  type Viewer,
} from '@academy/platform';
import type { CourseRepository } from '../repositories/course-repository';
import type { ReviewContent, ReviewRepository } from '../repositories/review-repository';

/** The longest comment, in characters (code points: an emoji is one). */
export const MAX_COMMENT_LENGTH = 2000;

/**
 * Course reviews: one per learner and course, by a learner enrolled in it (ACTIVE or COMPLETED);
 * a second review edits the first. Its author deletes it, and so does an admin (moderation,
 * audited). The course's instructor is told of each new review (the `course.reviewed` event).
 *
 * Error codes: a learner who is not enrolled in the course (or whose enrollment was cancelled) is
 * FORBIDDEN, as is deleting someone else's review without being an admin: both are about who
 * asks, not about the state of the course (CONFLICT is kept for a state a retry could change).
 * An unknown course or review is NOT_FOUND; bad input is BAD_USER_INPUT with every problem.
 */
export class ReviewService {
  constructor(
    private readonly db: TenantScope,
    private readonly reviews: ReviewRepository,
    private readonly courses: CourseRepository,
  ) {}

  async review(courseId: string, author: Viewer, input: { rating: number; comment?: string | null }): Promise<CourseReview> {
    const { content, issues } = reviewFromInput(input);
    if (issues.length > 0) throw new BadUserInputError('Invalid review', issues);
    return this.db.run(async () => {
      const [course] = await this.courses.findByIds([courseId]);
      if (!course) throw new NotFoundError('Course');
      if (!(await this.reviews.isEnrolled(course.id, author.userId)))
        throw new ForbiddenError('Only a learner enrolled in the course may review it');
      return (await this.reviews.upsert(course.id, author.userId, content, course.instructorId)).review;
    });
  }

  /** The viewer's own review of the course, if any. */
  mine(courseId: string, viewer: Viewer): Promise<CourseReview | null> {
    return this.reviews.findByAuthor(courseId, viewer.userId);
  }

  /** A course's reviews, newest first. */
  page(courseId: string, args: { first?: number | null; after?: string | null }): Promise<Page<CourseReview>> {
    return this.reviews.page(courseId, args);
  }

  /** Its author, or an admin moderating (audited). */
  delete(id: string, viewer: Viewer): Promise<boolean> {
    return this.db.run(async () => {
      const review = await this.reviews.findById(id);
      if (!review) throw new NotFoundError('Review');
      const moderated = !isSelf(viewer, review.authorId);
      if (moderated && !isAdmin(viewer)) throw new ForbiddenError('Only its author or an admin may delete this review');
      // Deleted meanwhile by another request: gone all the same, but not by this one.
      if (!(await this.reviews.delete(review, moderated ? { id: viewer.userId, persona: viewer.persona } : null)))
        throw new NotFoundError('Review');
      return true;
    });
  }
}

/** The review as its input says it: 1..5 whole stars; the comment trimmed, empty as none, at most 2000 characters; every problem. */
export function reviewFromInput(input: { rating: number; comment?: string | null }): { content: ReviewContent; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
    issues.push({ field: 'rating', message: 'must be a whole number from 1 to 5' });
  const comment = input.comment?.trim() || null;
  if (comment !== null && [...comment].length > MAX_COMMENT_LENGTH)
    issues.push({ field: 'comment', message: `must be at most ${MAX_COMMENT_LENGTH} characters` });
  return { content: { rating: input.rating, comment }, issues };
}
