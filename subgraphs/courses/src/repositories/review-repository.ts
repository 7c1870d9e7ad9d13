import { courseReviewed } from '@academy/events';
import {
  newestFirstAfter,
  isUuid,
  pageSize,
  toPage,
  type CourseReview,
  type Page,
  type Persona,
  type Prisma,
  type TenantScope,
} from '@academy/platform';
import type { RatingSummary } from '../generated/resolvers-types';

/** A learner's review as checked (reviewFromInput in reviews/review-service.ts): 1..5 stars, the comment trimmed or null. */
export interface ReviewContent {
  rating: number;
  comment: string | null;
}

/** No review yet: no average, nothing counted. */
export const NO_RATING: RatingSummary = { average: null, count: 0, distribution: [0, 0, 0, 0, 0] };

/** One tenant's course reviews. */
export class ReviewRepository {
  constructor(private readonly db: TenantScope) {}

  /**
   * The rating of each course, from its reviews as they stand: one GROUP BY over (course, stars)
   * for every course asked, so a summary is always the sum of the reviews it counts, whatever
   * reviews are written or deleted at the same time. The average is rounded to two decimals.
   */
  async ratingsOf(courseIds: readonly string[]): Promise<Map<string, RatingSummary>> {
    const ids = courseIds.filter(isUuid);
    if (ids.length === 0) return new Map();
    // One statement: its own snapshot, no unit of work needed.
    const rows = await this.db.sql<{ course_id: string; rating: number; count: number }>(
      `SELECT "course_id", "rating", count(*)::integer AS "count" FROM "course_reviews"
        WHERE "tenant_id" = $1 AND "course_id" = ANY($2) GROUP BY "course_id", "rating"`,
      [this.db.tenantId, ids],
    );
    const distributions = new Map<string, number[]>();
    for (const row of rows) {
      const distribution = distributions.get(row.course_id) ?? [0, 0, 0, 0, 0];
      if (row.rating >= 1 && row.rating <= 5) distribution[row.rating - 1]! += row.count;
      distributions.set(row.course_id, distribution);
    }
    return new Map(
      [...distributions].map(([courseId, distribution]) => {
        const count = distribution.reduce((sum, n) => sum + n, 0);
        const stars = distribution.reduce((sum, n, i) => sum + n * (i + 1), 0);
        return [courseId, { average: count === 0 ? null : Math.round((stars / count) * 100) / 100, count, distribution }];
      }),
    );
  }

  findById(id: string): Promise<CourseReview | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.db.query((tx) => tx.courseReview.findFirst({ where: { tenantId: this.db.tenantId, id } }));
  }

  findByAuthor(courseId: string, authorId: string): Promise<CourseReview | null> {
    if (!isUuid(courseId) || !isUuid(authorId)) return Promise.resolve(null);
    return this.db.query((tx) => tx.courseReview.findFirst({ where: { tenantId: this.db.tenantId, courseId, authorId } }));
  }

  /** Whether the learner holds an enrollment in the course that lets them review it (ACTIVE or COMPLETED, not CANCELLED). */
  async isEnrolled(courseId: string, learnerId: string): Promise<boolean> {
    if (!isUuid(courseId) || !isUuid(learnerId)) return false;
    const count = await this.db.query((tx) =>
      tx.enrollment.count({ where: { tenantId: this.db.tenantId, courseId, learnerId, status: { in: ['ACTIVE', 'COMPLETED'] } } }),
    );
    return count > 0;
  }

  /**
   * The learner's review of the course: written the first time, edited after. One statement keyed
   * on the (course, author) unique index, so concurrent first reviews by one learner leave one row
   * (the others edit it) instead of failing on the constraint. A new review (`xmax = 0`: the row
   * was inserted, not updated) writes its `course.reviewed` event for the instructor in the same
   * transaction; an edit does not.
   */
  upsert(
    courseId: string,
    authorId: string,
    content: ReviewContent,
    instructorId: string,
  ): Promise<{ review: CourseReview; created: boolean }> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const [row] = await tx.$queryRaw<(CourseReview & { created: boolean })[]>`
        INSERT INTO "course_reviews" ("id", "tenant_id", "course_id", "author_id", "rating", "comment", "created_at", "updated_at")
        VALUES (gen_random_uuid(), ${tenantId}::uuid, ${courseId}::uuid, ${authorId}::uuid, ${content.rating}, ${content.comment},
                clock_timestamp(), clock_timestamp())
        ON CONFLICT ("course_id", "author_id")
          DO UPDATE SET "rating" = EXCLUDED."rating", "comment" = EXCLUDED."comment", "updated_at" = EXCLUDED."updated_at"
        RETURNING "id", "tenant_id" AS "tenantId", "course_id" AS "courseId", "author_id" AS "authorId", "rating", "comment",
                  "created_at" AS "createdAt", "updated_at" AS "updatedAt", ("xmax" = 0) AS "created"`;
      const { created, ...review } = row!;
      if (created)
        await courseReviewed.write(tx, {
          tenantId,
          aggregateId: review.id,
          payload: { reviewId: review.id, courseId, instructorId, rating: review.rating },
        });
      return { review, created };
    });
  }

  /**
   * Deletes the review; false when it was already gone. A moderator's deletion (an admin, not its
   * author) leaves an audit row of who removed what, in the same transaction.
   */
  delete(review: CourseReview, moderator: { id: string; persona: Persona } | null): Promise<boolean> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const { count } = await tx.courseReview.deleteMany({ where: { tenantId, id: review.id } });
      if (count === 1 && moderator)
        await tx.auditLog.create({
          data: {
            tenantId,
            actorId: moderator.id,
            actorPersona: moderator.persona,
            action: 'course.review.deleted',
            targetType: 'CourseReview',
            targetId: review.id,
            metadata: {
              courseId: review.courseId,
              authorId: review.authorId,
              rating: review.rating,
              comment: review.comment,
            } satisfies Prisma.InputJsonObject,
          },
        });
      return count === 1;
    });
  }

  /** A course's reviews, newest first; the cursor is (createdAt, id). */
  async page(courseId: string, args: { first?: number | null; after?: string | null }): Promise<Page<CourseReview>> {
    const size = pageSize(args.first);
    const after = newestFirstAfter('createdAt', args.after);
    const filter: Prisma.CourseReviewWhereInput = { tenantId: this.db.tenantId, courseId };
    // One connection per transaction: its queries go one after the other.
    const [rows, total] = await this.db.run(
      async (tx) =>
        [
          await tx.courseReview.findMany({
            where: { AND: [filter, after] },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: size + 1,
          }),
          await tx.courseReview.count({ where: filter }),
        ] as const,
    );
    return toPage(rows, size, total, (review) => [review.createdAt.toISOString(), review.id], args.after);
  }
}
