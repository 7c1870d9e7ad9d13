import DataLoader from 'dataloader';
import { BadUserInputError, keyedLoader, type Enrollment, type EnrollmentStatus, type Lesson, type Page } from '@academy/platform';
import type { AnalyticsRepository, CourseFigures, DailyCount } from '../repositories/analytics-repository';
import type { ModuleWithLessons } from '../repositories/course-repository';
import type { TenantTimezone } from './tenant-timezone';

/** enrollmentsByDay: a year, leap day included, at most. */
export const MAX_DAYS = 366;

const NO_FIGURES: CourseFigures = {
  enrollmentCount: 0,
  activeCount: 0,
  completedCount: 0,
  averageProgressPercent: 0,
  averageScore: null,
  submittedAttempts: 0,
  passedAttempts: 0,
  revenueCents: 0,
  lessonCompletions: new Map(),
};

interface DaysKey {
  courseId: string;
  days: number;
}

/**
 * A course's analytics for its instructor and admins (who may ask is graphql-shield's), and its
 * learners' enrollments. Per request: every course asked in one tick shares one statement.
 */
export class CourseAnalyticsService {
  private readonly figures: DataLoader<string, CourseFigures>;
  private readonly byDay: DataLoader<DaysKey, DailyCount[], string>;

  constructor(
    private readonly rows: AnalyticsRepository,
    timezone: TenantTimezone,
  ) {
    this.figures = keyedLoader((ids) => rows.courseFigures(ids), NO_FIGURES);
    this.byDay = new DataLoader(
      async (keys) => {
        const byDays = new Map<number, string[]>();
        for (const key of keys) byDays.set(key.days, [...(byDays.get(key.days) ?? []), key.courseId]);
        const asked = [...byDays].map(([days, courseIds]) => ({ days, courseIds }));
        const answers = await rows.enrollmentsByDay(asked, await timezone.get());
        const found = new Map(asked.map((group, i) => [group.days, answers[i]!]));
        return keys.map((key) => found.get(key.days)?.get(key.courseId) ?? []);
      },
      { cacheKeyFn: (key) => `${key.courseId}:${key.days}` },
    );
  }

  figuresOf(courseId: string): Promise<CourseFigures> {
    return this.figures.load(courseId);
  }

  /** completed / enrolled, 0 without enrollments. */
  async completionRate(courseId: string): Promise<number> {
    const { completedCount, enrollmentCount } = await this.figures.load(courseId);
    return enrollmentCount === 0 ? 0 : completedCount / enrollmentCount;
  }

  /** Passed attempts / submitted attempts; null before any was submitted. */
  async passRate(courseId: string): Promise<number | null> {
    const { passedAttempts, submittedAttempts } = await this.figures.load(courseId);
    return submittedAttempts === 0 ? null : passedAttempts / submittedAttempts;
  }

  /** Every lesson of the course in course order (modules, then lessons, by position) and how many learners completed it. */
  async funnel(courseId: string, modules: ModuleWithLessons[]): Promise<{ lesson: Lesson; completedCount: number }[]> {
    const { lessonCompletions } = await this.figures.load(courseId);
    return modules.flatMap((module) => module.lessons.map((lesson) => ({ lesson, completedCount: lessonCompletions.get(lesson.id) ?? 0 })));
  }

  /** One count per day, oldest first, the last one today in the tenant's timezone. */
  enrollmentsByDay(courseId: string, days: number): Promise<DailyCount[]> {
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)
      throw new BadUserInputError(`\`days\` must be 1 to ${MAX_DAYS}`, [{ field: 'days', message: `must be 1..${MAX_DAYS}` }]);
    return this.byDay.load({ courseId, days });
  }

  /** Its learners' enrollments, newest first (every status unless one is asked). */
  learners(
    courseId: string,
    args: { first?: number | null; after?: string | null; status?: EnrollmentStatus | null },
  ): Promise<Page<Enrollment>> {
    return this.rows.enrollmentPage(courseId, args);
  }
}
