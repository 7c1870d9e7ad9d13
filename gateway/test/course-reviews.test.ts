import { courseReviewed } from '@academy/events';
import { hashPassword } from '@academy/platform';
import {
  asPersonaOf,
  createCompliantCourse,
  createTenant,
  startSupergraph,
  TEST_PASSWORD,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const REVIEW_FIELDS = 'id rating comment createdAt updatedAt author { id }';
const REVIEW = `mutation($c: ID!, $r: Int!, $m: String) { reviewCourse(courseId: $c, rating: $r, comment: $m) { ${REVIEW_FIELDS} } }`;
const DELETE = 'mutation($id: ID!) { deleteCourseReview(id: $id) }';
const MINE = `query($c: ID!) { myCourseReview(courseId: $c) { ${REVIEW_FIELDS} } }`;
const RATING = 'query($c: ID!) { course(id: $c) { rating { average count distribution } } }';
const REVIEWS = `query($c: ID!, $first: Int, $after: String) { course(id: $c) {
  reviews(first: $first, after: $after) { edges { cursor node { rating comment author { id } course { id } } } pageInfo { hasNextPage endCursor } totalCount } } }`;

interface Review {
  id: string;
  rating: number;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
  author: { id: string };
}

/** Learners review the courses they are enrolled in, one review each; authors and admins delete them. */
describe('course reviews (through the gateway)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let as: ReturnType<typeof asPersonaOf>;
  let passwordHash: string;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
    as = asPersonaOf(supergraph, fixture);
    passwordHash = await hashPassword(TEST_PASSWORD);
  }, 60_000);
  afterAll(() => supergraph?.close());

  const tenantDb = () => supergraph.db.database.forTenant(fixture.tenant.id);
  const failure = (path: string, code: string, message: string) => ({
    data: null,
    errors: [{ message, path: [path], extensions: { code } }],
  });
  const forbidden = (path: string, message: string) => failure(path, 'FORBIDDEN', message);

  /** A published course of the fixture's instructor. */
  const course = async () => (await createCompliantCourse(supergraph.db.database, fixture, { title: 'Composta comunitaria' })).id;

  /** `count` new learners of the tenant, signed in, each enrolled in the course with `status` (none: not enrolled). */
  const learners = async (count: number, courseId: string, status: 'ACTIVE' | 'COMPLETED' | 'CANCELLED' | null = 'ACTIVE') => {
    const tenantId = fixture.tenant.id;
    const users = await tenantDb().run(async (tx) => {
      const created = [];
      for (let i = 0; i < count; i += 1) {
        const email = `reviewer-${Math.random().toString(36).slice(2, 10)}@${fixture.tenant.slug}.test`;
        const user = await tx.user.create({ data: { tenantId, email, name: `Reviewer ${i}`, passwordHash, persona: 'LEARNER' } });
        if (status)
          await tx.enrollment.create({
            data: { tenantId, courseId, learnerId: user.id, status, completedAt: status === 'COMPLETED' ? new Date() : null },
          });
        created.push(user);
      }
      return created;
    });
    return Promise.all(
      users.map(async (user) => {
        const token = await supergraph.login(user.email, TEST_PASSWORD, fixture.tenant.slug);
        const request = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) =>
          (await supergraph.request<T>(query, { tenant: fixture.tenant.slug, token, variables })).body;
        return { id: user.id, request };
      }),
    );
  };
  const learner = async (courseId: string, status: 'ACTIVE' | 'COMPLETED' | 'CANCELLED' | null = 'ACTIVE') =>
    (await learners(1, courseId, status))[0]!;

  const reviewRows = (courseId: string) => tenantDb().run((tx) => tx.courseReview.count({ where: { courseId } }));
  const reviewedEvents = (reviewId: string) =>
    tenantDb().run(async (tx) =>
      (await tx.outboxEvent.findMany({ where: { type: courseReviewed.type, aggregateId: reviewId } })).map((event) => event.payload),
    );

  it('an enrolled learner reviews the course, then edits the same review', async () => {
    const courseId = await course();
    const enrolled = await as<{ enroll: { id: string } }>('LEARNER', 'mutation($c: ID!) { enroll(courseId: $c) { id } }', { c: courseId });
    expect(enrolled.errors).toBeUndefined();
    expect(await as('LEARNER', MINE, { c: courseId })).toEqual({ data: { myCourseReview: null } });

    const first = await as<{ reviewCourse: Review }>('LEARNER', REVIEW, { c: courseId, r: 4, m: '  Muy práctico, buen ritmo.  ' });
    expect(first).toEqual({
      data: {
        reviewCourse: {
          id: expect.any(String),
          rating: 4,
          comment: 'Muy práctico, buen ritmo.',
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
          author: { id: fixture.users.LEARNER.id },
        },
      },
    });
    const written = first.data!.reviewCourse;
    expect(await as('LEARNER', RATING, { c: courseId })).toEqual({
      data: { course: { rating: { average: 4, count: 1, distribution: [0, 0, 0, 1, 0] } } },
    });

    // A second review edits the first: same row, new stars, a blank comment is none.
    const second = await as<{ reviewCourse: Review }>('LEARNER', REVIEW, { c: courseId, r: 2, m: '   ' });
    expect(second).toEqual({
      data: { reviewCourse: { ...written, rating: 2, comment: null, updatedAt: expect.any(String) } },
    });
    const edited = second.data!.reviewCourse;
    expect(new Date(edited.updatedAt).getTime()).toBeGreaterThan(new Date(written.updatedAt).getTime());
    expect(await reviewRows(courseId)).toBe(1);
    expect(await as('LEARNER', MINE, { c: courseId })).toEqual({ data: { myCourseReview: edited } });
    expect(await as('LEARNER', RATING, { c: courseId })).toEqual({
      data: { course: { rating: { average: 2, count: 1, distribution: [0, 1, 0, 0, 0] } } },
    });
    // The instructor is told of the new review once, not of the edit.
    expect(await reviewedEvents(written.id)).toEqual([
      { reviewId: written.id, courseId, instructorId: fixture.users.INSTRUCTOR.id, rating: 4 },
    ]);
  });

  it("answers each review of one document with the course's rating as the reviews before it left it", async () => {
    const courseId = await course();
    const reviewer = await learner(courseId);
    const both = await reviewer.request(
      `mutation($c: ID!) {
        first: reviewCourse(courseId: $c, rating: 5) { rating course { rating { average count } } }
        second: reviewCourse(courseId: $c, rating: 1) { rating course { rating { average count } } }
      }`,
      { c: courseId },
    );
    // One review, edited: the second answer's rating is the edited one (the first's, before).
    expect(both).toEqual({
      data: {
        first: { rating: 5, course: { rating: { average: 5, count: 1 } } },
        second: { rating: 1, course: { rating: { average: 1, count: 1 } } },
      },
    });
  });

  it('sums the ratings exactly and pages the reviews newest first, for anyone', async () => {
    const courseId = await course();
    const reviewers = await learners(5, courseId, 'COMPLETED');
    const stars = [5, 4, 4, 2, 1];
    for (const [i, reviewer] of reviewers.entries())
      expect((await reviewer.request(REVIEW, { c: courseId, r: stars[i], m: `Reseña ${i}` })).errors).toBeUndefined();
    expect(await as('INSTRUCTOR', RATING, { c: courseId })).toEqual({
      data: { course: { rating: { average: 3.2, count: 5, distribution: [1, 1, 0, 2, 1] } } },
    });

    type Reviews = {
      course: {
        reviews: {
          edges: { cursor: string; node: unknown }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          totalCount: number;
        };
      };
    };
    const node = (i: number) => ({ rating: stars[i], comment: `Reseña ${i}`, author: { id: reviewers[i]!.id }, course: { id: courseId } });
    const page = (nodes: number[], hasNextPage: boolean) => ({
      data: {
        course: {
          reviews: {
            edges: nodes.map((i) => ({ cursor: expect.any(String), node: node(i) })),
            pageInfo: { hasNextPage, endCursor: expect.any(String) },
            totalCount: 5,
          },
        },
      },
    });
    const one = await as<Reviews>('LEARNER', REVIEWS, { c: courseId, first: 2 });
    expect(one).toEqual(page([4, 3], true));
    const two = await as<Reviews>('LEARNER', REVIEWS, { c: courseId, first: 2, after: one.data!.course.reviews.pageInfo.endCursor });
    expect(two).toEqual(page([2, 1], true));
    // The catalogue is public: no token needed.
    const three = await supergraph.request<Reviews>(REVIEWS, {
      tenant: fixture.tenant.slug,
      variables: { c: courseId, first: 2, after: two.data!.course.reviews.pageInfo.endCursor },
    });
    expect(three.body).toEqual(page([0], false));
    expect(await as('LEARNER', REVIEWS, { c: courseId, after: 'not-a-cursor' })).toEqual({
      data: { course: null },
      errors: [
        {
          message: '`after` is not a cursor this API returned',
          path: ['course', 'reviews'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'after', message: 'invalid cursor' }] },
        },
      ],
    });
  });

  it('refuses whoever is not enrolled: no enrollment, a cancelled one, the instructor, nobody signed in', async () => {
    const courseId = await course();
    const notEnrolled = await learner(courseId, null);
    const cancelled = await learner(courseId, 'CANCELLED');
    const notEnrolledMessage = 'Only a learner enrolled in the course may review it';
    expect(await notEnrolled.request(REVIEW, { c: courseId, r: 5 })).toEqual(forbidden('reviewCourse', notEnrolledMessage));
    expect(await cancelled.request(REVIEW, { c: courseId, r: 5 })).toEqual(forbidden('reviewCourse', notEnrolledMessage));
    expect(await as('INSTRUCTOR', REVIEW, { c: courseId, r: 5 })).toEqual(forbidden('reviewCourse', 'Not allowed'));
    expect(await as('TENANT_ADMIN', REVIEW, { c: courseId, r: 5 })).toEqual(forbidden('reviewCourse', 'Not allowed'));
    expect((await supergraph.request(REVIEW, { tenant: fixture.tenant.slug, variables: { c: courseId, r: 5 } })).body).toEqual(
      failure('reviewCourse', 'UNAUTHENTICATED', 'Authentication required'),
    );
    expect(await notEnrolled.request(REVIEW, { c: '00000000-0000-4000-8000-000000000000', r: 5 })).toEqual(
      failure('reviewCourse', 'NOT_FOUND', 'Course not found'),
    );
    expect(await reviewRows(courseId)).toBe(0);
  });

  it('lists every problem of the input at once', async () => {
    const courseId = await course();
    const reviewer = await learner(courseId);
    const invalid = (issues: { field: string; message: string }[]) => ({
      data: null,
      errors: [{ message: 'Invalid review', path: ['reviewCourse'], extensions: { code: 'BAD_USER_INPUT', issues } }],
    });
    const rating = { field: 'rating', message: 'must be a whole number from 1 to 5' };
    const comment = { field: 'comment', message: 'must be at most 2000 characters' };
    expect(await reviewer.request(REVIEW, { c: courseId, r: 0, m: 'x'.repeat(2001) })).toEqual(invalid([rating, comment]));
    expect(await reviewer.request(REVIEW, { c: courseId, r: 6 })).toEqual(invalid([rating]));
    expect(await reviewer.request(REVIEW, { c: courseId, r: 3, m: `  ${'x'.repeat(2001)}  ` })).toEqual(invalid([comment]));
    expect(await reviewRows(courseId)).toBe(0);
    // 2000 characters, each an emoji (two UTF-16 units): the limit counts characters; spaces around it do not count.
    const longest = '🌱'.repeat(2000);
    const accepted = await reviewer.request<{ reviewCourse: Review }>(REVIEW, { c: courseId, r: 5, m: ` ${longest} ` });
    expect(accepted.data?.reviewCourse).toMatchObject({ rating: 5, comment: longest });
  });

  it('deletes a review for its author and for an admin (audited); nobody else', async () => {
    const courseId = await course();
    const [author, other] = await learners(2, courseId);
    const own = (await author!.request<{ reviewCourse: Review }>(REVIEW, { c: courseId, r: 3 })).data!.reviewCourse;
    const theirs = (await other!.request<{ reviewCourse: Review }>(REVIEW, { c: courseId, r: 1, m: 'Spam spam' })).data!.reviewCourse;

    const notTheirs = 'Only its author or an admin may delete this review';
    expect(await other!.request(DELETE, { id: own.id })).toEqual(forbidden('deleteCourseReview', notTheirs));
    expect(await as('INSTRUCTOR', DELETE, { id: own.id })).toEqual(forbidden('deleteCourseReview', notTheirs));
    expect(await as('EVALUATOR', DELETE, { id: own.id })).toEqual(forbidden('deleteCourseReview', notTheirs));
    expect((await supergraph.request(DELETE, { tenant: fixture.tenant.slug, variables: { id: own.id } })).body).toEqual(
      failure('deleteCourseReview', 'UNAUTHENTICATED', 'Authentication required'),
    );
    expect(await reviewRows(courseId)).toBe(2);

    expect(await author!.request(DELETE, { id: own.id })).toEqual({ data: { deleteCourseReview: true } });
    expect(await author!.request(DELETE, { id: own.id })).toEqual(failure('deleteCourseReview', 'NOT_FOUND', 'Review not found'));
    expect(await author!.request(MINE, { c: courseId })).toEqual({ data: { myCourseReview: null } });

    expect(await as('TENANT_ADMIN', DELETE, { id: theirs.id })).toEqual({ data: { deleteCourseReview: true } });
    expect(await as('TENANT_ADMIN', DELETE, { id: 'not-an-id' })).toEqual(failure('deleteCourseReview', 'NOT_FOUND', 'Review not found'));
    expect(await as('LEARNER', RATING, { c: courseId })).toEqual({
      data: { course: { rating: { average: null, count: 0, distribution: [0, 0, 0, 0, 0] } } },
    });
    // Only the moderation is audited: who removed which review, and what it said.
    const audit = await tenantDb().run((tx) =>
      tx.auditLog.findMany({
        where: { action: 'course.review.deleted', targetId: { in: [own.id, theirs.id] } },
        select: { actorId: true, actorPersona: true, targetType: true, targetId: true, metadata: true },
      }),
    );
    expect(audit).toEqual([
      {
        actorId: fixture.users.TENANT_ADMIN.id,
        actorPersona: 'TENANT_ADMIN',
        targetType: 'CourseReview',
        targetId: theirs.id,
        metadata: { courseId, authorId: other!.id, rating: 1, comment: 'Spam spam' },
      },
    ]);
  });

  it('counts 20 learners reviewing at once exactly', async () => {
    const courseId = await course();
    const reviewers = await learners(20, courseId);
    const stars = reviewers.map((_, i) => [5, 4, 5, 3, 5][i % 5]!);
    const answers = await Promise.all(reviewers.map((reviewer, i) => reviewer.request(REVIEW, { c: courseId, r: stars[i] })));
    expect(answers.map((answer) => answer.errors)).toEqual(Array(20).fill(undefined));
    // 12 × 5 + 4 × 4 + 4 × 3 = 88 stars over 20 reviews.
    expect(await as('LEARNER', RATING, { c: courseId })).toEqual({
      data: { course: { rating: { average: 4.4, count: 20, distribution: [0, 0, 4, 4, 12] } } },
    });
    expect(await reviewRows(courseId)).toBe(20);
  });

  it('keeps one review when the same learner reviews five times at once', async () => {
    const courseId = await course();
    const reviewer = await learner(courseId);
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((r) => reviewer.request<{ reviewCourse: Review }>(REVIEW, { c: courseId, r, m: `Intento ${r}` })),
    );
    expect(answers.map((answer) => answer.errors)).toEqual(Array(5).fill(undefined));
    const ids = new Set(answers.map((answer) => answer.data!.reviewCourse.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(await reviewRows(courseId)).toBe(1);
    const mine = (await reviewer.request<{ myCourseReview: Review }>(MINE, { c: courseId })).data!.myCourseReview;
    expect(mine).toMatchObject({ id, comment: `Intento ${mine.rating}` });
    const summary = { average: mine.rating, count: 1, distribution: [1, 2, 3, 4, 5].map((r) => (r === mine.rating ? 1 : 0)) };
    expect(await as('LEARNER', RATING, { c: courseId })).toEqual({ data: { course: { rating: summary } } });
    // One new review: one notice to the instructor.
    expect(await reviewedEvents(id!)).toHaveLength(1);
  });

  it('keeps a review out of reach of another tenant', async () => {
    const courseId = await course();
    const reviewer = await learner(courseId);
    const review = (await reviewer.request<{ reviewCourse: Review }>(REVIEW, { c: courseId, r: 5, m: 'Excelente' })).data!.reviewCourse;
    const other = await createTenant(supergraph.db.database);
    const asOther = asPersonaOf(supergraph, other);

    expect(await asOther('TENANT_ADMIN', DELETE, { id: review.id })).toEqual(
      failure('deleteCourseReview', 'NOT_FOUND', 'Review not found'),
    );
    expect(await asOther('TENANT_ADMIN', REVIEWS, { c: courseId })).toEqual({
      data: { course: null },
      errors: [{ message: 'Course not found', path: ['course'], extensions: { code: 'NOT_FOUND' } }],
    });
    expect(await asOther('LEARNER', MINE, { c: courseId })).toEqual({ data: { myCourseReview: null } });
    expect(await asOther('LEARNER', REVIEW, { c: courseId, r: 1 })).toEqual(failure('reviewCourse', 'NOT_FOUND', 'Course not found'));
    // A token of this tenant sent to the other one is refused before any subgraph.
    const stray = await supergraph.request(MINE, {
      tenant: other.tenant.slug,
      token: await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug),
      variables: { c: courseId },
    });
    expect(stray.body).toEqual({
      errors: [{ message: 'The token belongs to another tenant', extensions: { code: 'TENANT_MISMATCH' } }],
    });

    expect(await reviewer.request(MINE, { c: courseId })).toEqual({ data: { myCourseReview: review } });
    expect(await as('LEARNER', RATING, { c: courseId })).toEqual({
      data: { course: { rating: { average: 5, count: 1, distribution: [0, 0, 0, 0, 1] } } },
    });
  });
});
