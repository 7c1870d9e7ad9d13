import { seesCourse, TEACHERS } from '@academy/permissions';
import { BadUserInputError, NotFoundError, type Course, type Viewer } from '@academy/platform';
import type { CreateCourseInput } from '../generated/resolvers-types';
import type { CourseRepository } from '../repositories/course-repository';
import { courseFromInput } from './course-input';

/** Finding and creating courses (publishing is authoring's: it checks the course's structure). */
export class CourseCatalogue {
  constructor(
    private readonly courses: CourseRepository,
    /** The request's course loader (batched, cached). */
    private readonly load: (id: string) => Promise<Course | null>,
  ) {}

  /** A course by id or slug (exactly one), as NOT_FOUND when the viewer may not see it. */
  async find(by: { id?: string | null; slug?: string | null }, viewer: Viewer | null): Promise<Course> {
    if ((by.id ? 1 : 0) + (by.slug ? 1 : 0) !== 1)
      throw new BadUserInputError('Give either id or slug', [{ field: by.id ? 'slug' : 'id', message: 'exactly one of id and slug' }]);
    const course = by.id ? await this.load(by.id) : await this.courses.findBySlug(by.slug!);
    if (!course || !seesCourse(viewer, course)) throw new NotFoundError('Course');
    return course;
  }

  async create(viewer: Viewer, input: CreateCourseInput): Promise<Course> {
    const { fields, modules, issues } = courseFromInput(input);
    const code = fields.competencyStandardCode;
    if (code && !(await this.courses.standardExists(code)))
      issues.push({ field: 'competencyStandardCode', message: `${code} is not a CONOCER standard of the RENEC catalogue` });
    if (issues.length > 0) throw new BadUserInputError('Invalid course', issues);
    if (input.instructorId) {
      const persona = await this.courses.personaOf(input.instructorId);
      if (!persona) throw new NotFoundError('Instructor');
      if (!TEACHERS.includes(persona))
        throw new BadUserInputError('The instructor must be an instructor or an admin', [
          { field: 'instructorId', message: `is a ${persona}` },
        ]);
    }
    return this.courses.create(
      { ...fields, slug: await this.freeSlug(slugify(fields.title)), instructorId: input.instructorId ?? viewer.userId },
      modules,
    );
  }

  private async freeSlug(base: string): Promise<string> {
    const taken = new Set(await this.courses.slugsLike(base));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
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
