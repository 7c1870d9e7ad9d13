import { seesCourse, TEACHERS } from '@academy/permissions';
import { BadUserInputError, NotFoundError, type Course, type InputIssue, type Viewer } from '@academy/platform';
import type { CreateCourseInput } from '../generated/resolvers-types';
import type { CourseRepository } from '../repositories/course-repository';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Finding, creating and publishing courses. */
export class CourseCatalogue {
  constructor(
    private readonly courses: CourseRepository,
    /** The request's course loader (batched, cached). */
    private readonly load: (id: string) => Promise<Course | null>,
  ) {}

  /** A course by id or slug (exactly one), as NOT_FOUND when the viewer may not see it. */
  async find(by: { id?: string | null; slug?: string | null }, viewer: Viewer | null): Promise<Course> {
    if ((by.id ? 1 : 0) + (by.slug ? 1 : 0) !== 1) throw new BadUserInputError('Give either id or slug', [{ field: by.id ? 'slug' : 'id', message: 'exactly one of id and slug' }]);
    const course = by.id ? await this.load(by.id) : await this.courses.findBySlug(by.slug!);
    if (!course || !seesCourse(viewer, course)) throw new NotFoundError('Course');
    return course;
  }

  async create(viewer: Viewer, input: CreateCourseInput): Promise<Course> {
    const issues = validate(input);
    const code = input.competencyStandardCode?.trim().toUpperCase() || null;
    if (code && !(await this.courses.standardExists(code))) issues.push({ field: 'competencyStandardCode', message: `${code} is not a CONOCER standard of the RENEC catalogue` });
    if (issues.length > 0) throw new BadUserInputError('Invalid course', issues);
    if (input.instructorId) {
      const persona = await this.courses.personaOf(input.instructorId);
      if (!persona) throw new NotFoundError('Instructor');
      if (!TEACHERS.includes(persona)) throw new BadUserInputError('The instructor must be an instructor or an admin', [{ field: 'instructorId', message: `is a ${persona}` }]);
    }
    const title = input.title.trim();
    return this.courses.create({
      slug: await this.freeSlug(slugify(title)),
      title,
      description: input.description.trim(),
      instructorId: input.instructorId ?? viewer.userId,
      priceCents: input.priceCents,
      currency: input.currency ?? 'MXN',
      competencyStandardCode: code,
      passingScore: input.passingScore ?? 80,
      impactDimensions: [...new Set(input.impactDimensions ?? [])],
      modules: input.modules.map((module) => ({
        title: module.title.trim(),
        lessons: module.lessons.map((lesson) => ({ title: lesson.title.trim(), durationMinutes: lesson.durationMinutes })),
      })),
    });
  }

  publish(course: Course, at = new Date()): Promise<Course> {
    return course.status === 'PUBLISHED' ? Promise.resolve(course) : this.courses.publish(course.id, at);
  }

  private async freeSlug(base: string): Promise<string> {
    const taken = new Set(await this.courses.slugsLike(base));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

function validate(input: CreateCourseInput): InputIssue[] {
  const issues: InputIssue[] = [];
  const text = (field: string, value: string, max: number) => {
    if (value.trim().length === 0 || value.length > max) issues.push({ field, message: `must be 1 to ${max} characters` });
  };
  text('title', input.title, 160);
  text('description', input.description, 5000);
  if (!Number.isInteger(input.priceCents) || input.priceCents < 0 || input.priceCents > 100_000_000) issues.push({ field: 'priceCents', message: 'must be 0 to 100000000' });
  if (!CURRENCIES.has(input.currency ?? 'MXN')) issues.push({ field: 'currency', message: 'must be an ISO 4217 code such as MXN' });
  const passingScore = input.passingScore ?? 80;
  if (!Number.isInteger(passingScore) || passingScore < 0 || passingScore > 100) issues.push({ field: 'passingScore', message: 'must be 0 to 100' });
  if (input.modules.length === 0 || input.modules.length > 50) issues.push({ field: 'modules', message: 'must be 1 to 50 modules' });
  input.modules.forEach((module, m) => {
    text(`modules.${m}.title`, module.title, 160);
    if (module.lessons.length === 0 || module.lessons.length > 100) issues.push({ field: `modules.${m}.lessons`, message: 'must be 1 to 100 lessons' });
    module.lessons.forEach((lesson, l) => {
      text(`modules.${m}.lessons.${l}.title`, lesson.title, 160);
      if (!Number.isInteger(lesson.durationMinutes) || lesson.durationMinutes < 1 || lesson.durationMinutes > 1440) {
        issues.push({ field: `modules.${m}.lessons.${l}.durationMinutes`, message: 'must be 1 to 1440' });
      }
    });
  });
  return issues;
}

export function slugify(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'curso';
}
