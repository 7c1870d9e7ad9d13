import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  type Course,
  type CourseModule,
  type InputIssue,
  type Lesson,
  type TenantScope,
  type Tx,
} from '@academy/platform';
import { courseChanges } from '../learning/course-input';
import type { CourseRepository } from '../repositories/course-repository';
import type { StructureRepository } from '../repositories/structure-repository';

export interface LessonInput {
  title?: string | null;
  durationMinutes?: number | null;
}

/**
 * An instructor's (or an admin's) edits of a course after createCourse: its fields, archiving,
 * and its modules and lessons, added, changed, moved and removed. Positions stay 1..n (each edit
 * locks the course); what a learner has completed cannot be removed (CONFLICT). A learner's
 * progress is their completed lessons over the course's lessons now, so it follows every edit
 * and never passes 100.
 */
export class CourseAuthoring {
  constructor(
    private readonly db: TenantScope,
    private readonly courses: CourseRepository,
    private readonly structure: StructureRepository,
  ) {}

  async update(course: Course, input: Parameters<typeof courseChanges>[0]): Promise<Course> {
    const { changes, issues } = courseChanges(input);
    const code = changes.competencyStandardCode;
    if (code && !(await this.courses.standardExists(code)))
      issues.push({ field: 'competencyStandardCode', message: `${code} is not a CONOCER standard of the RENEC catalogue` });
    if (issues.length > 0) throw new BadUserInputError('Invalid course', issues);
    return this.db.run((tx) => tx.course.update({ where: { id: course.id, tenantId: this.db.tenantId }, data: changes }));
  }

  /** No new enrollments; enrolled learners keep their access. Archiving again changes nothing. */
  archive(course: Course): Promise<Course> {
    if (course.status === 'ARCHIVED') return Promise.resolve(course);
    return this.db.run((tx) => tx.course.update({ where: { id: course.id, tenantId: this.db.tenantId }, data: { status: 'ARCHIVED' } }));
  }

  async addModule(courseId: string, title: string, position?: number | null): Promise<CourseModule> {
    const checked = checkedTitle(title);
    return this.edit(courseId, async (tx) => {
      const ids = await this.structure.moduleIds(tx, courseId);
      const at = slot(position, ids.length + 1);
      const created = await tx.courseModule.create({
        data: { tenantId: this.db.tenantId, courseId, title: checked, position: ids.length + 1 },
      });
      ids.splice(at - 1, 0, created.id);
      await this.structure.renumber(tx, 'course_modules', ids);
      return tx.courseModule.findUniqueOrThrow({ where: { id: created.id } });
    });
  }

  async updateModule(module: CourseModule, title: string): Promise<CourseModule> {
    const checked = checkedTitle(title);
    return this.db.run((tx) => tx.courseModule.update({ where: { id: module.id, tenantId: this.db.tenantId }, data: { title: checked } }));
  }

  async moveModule(module: CourseModule, position: number): Promise<string> {
    await this.edit(module.courseId, async (tx) => {
      const ids = (await this.structure.moduleIds(tx, module.courseId)).filter((id) => id !== module.id);
      ids.splice(slot(position, ids.length + 1) - 1, 0, module.id);
      await this.structure.renumber(tx, 'course_modules', ids);
    });
    return module.courseId;
  }

  async removeModule(module: CourseModule): Promise<string> {
    await this.edit(module.courseId, async (tx) => {
      const ids = await this.structure.moduleIds(tx, module.courseId);
      if (ids.length === 1) throw new ConflictError('A course keeps at least one module; add another before removing this one');
      if ((await this.structure.completedAmong(tx, await this.structure.lessonIds(tx, module.id))) > 0)
        throw new ConflictError('A learner has completed a lesson of this module; it cannot be removed');
      await tx.courseModule.delete({ where: { id: module.id } });
      await this.structure.renumber(
        tx,
        'course_modules',
        ids.filter((id) => id !== module.id),
      );
    });
    return module.courseId;
  }

  async addLesson(module: CourseModule, input: Required<LessonInput>, position?: number | null): Promise<Lesson> {
    const fields = checkedLesson(input, true) as { title: string; durationMinutes: number };
    return this.edit(module.courseId, async (tx) => {
      const ids = await this.structure.lessonIds(tx, module.id);
      const at = slot(position, ids.length + 1);
      const created = await tx.lesson.create({
        data: { tenantId: this.db.tenantId, courseId: module.courseId, moduleId: module.id, ...fields, position: ids.length + 1 },
      });
      ids.splice(at - 1, 0, created.id);
      await this.structure.renumber(tx, 'lessons', ids);
      return tx.lesson.findUniqueOrThrow({ where: { id: created.id } });
    });
  }

  updateLesson(lesson: Lesson, input: LessonInput): Promise<Lesson> {
    const fields = checkedLesson(input, false);
    return this.db.run((tx) => tx.lesson.update({ where: { id: lesson.id, tenantId: this.db.tenantId }, data: fields }));
  }

  /** Within its module, or (`moduleId`) into another module of the same course. */
  async moveLesson(lesson: Lesson, position: number, moduleId?: string | null): Promise<string> {
    await this.edit(lesson.courseId, async (tx) => {
      const target = moduleId ?? lesson.moduleId;
      if (target !== lesson.moduleId) {
        const into = await this.structure.findModule(target);
        if (!into || into.courseId !== lesson.courseId)
          throw new BadUserInputError('Invalid move', [{ field: 'moduleId', message: 'must be a module of the same course' }]);
        const left = (await this.structure.lessonIds(tx, lesson.moduleId)).filter((id) => id !== lesson.id);
        if (left.length === 0) throw new ConflictError('A module keeps at least one lesson; remove the module instead');
        const ids = await this.structure.lessonIds(tx, target);
        await tx.lesson.update({ where: { id: lesson.id }, data: { moduleId: target, position: ids.length + 1 } });
        ids.splice(slot(position, ids.length + 1) - 1, 0, lesson.id);
        await this.structure.renumber(tx, 'lessons', ids);
        await this.structure.renumber(tx, 'lessons', left);
      } else {
        const ids = (await this.structure.lessonIds(tx, lesson.moduleId)).filter((id) => id !== lesson.id);
        ids.splice(slot(position, ids.length + 1) - 1, 0, lesson.id);
        await this.structure.renumber(tx, 'lessons', ids);
      }
    });
    return lesson.courseId;
  }

  async removeLesson(lesson: Lesson): Promise<string> {
    await this.edit(lesson.courseId, async (tx) => {
      if ((await this.structure.completedAmong(tx, [lesson.id])) > 0)
        throw new ConflictError('A learner has completed this lesson; it cannot be removed');
      const ids = await this.structure.lessonIds(tx, lesson.moduleId);
      if (ids.length === 1) throw new ConflictError('A module keeps at least one lesson; remove the module instead');
      await tx.lesson.delete({ where: { id: lesson.id } });
      await this.structure.renumber(
        tx,
        'lessons',
        ids.filter((id) => id !== lesson.id),
      );
    });
    return lesson.courseId;
  }

  /** `work` with the course locked; NOT_FOUND when it is not a course of this tenant. */
  private async edit<T>(courseId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await this.structure.editing(courseId, async (tx) => ({ value: await work(tx) }));
    if (!result) throw new NotFoundError('Course');
    return result.value;
  }
}

/** A 1-based position, `last` when none is given; BAD_USER_INPUT outside 1..last. */
function slot(position: number | null | undefined, last: number): number {
  if (position === null || position === undefined) return last;
  if (!Number.isInteger(position) || position < 1 || position > last)
    throw new BadUserInputError('Invalid position', [{ field: 'position', message: `must be 1 to ${last}` }]);
  return position;
}

function checkedTitle(title: string, field = 'title'): string {
  const trimmed = title.trim();
  if (trimmed.length === 0 || trimmed.length > 160)
    throw new BadUserInputError('Invalid input', [{ field, message: 'must be 1 to 160 characters' }]);
  return trimmed;
}

function checkedLesson(input: LessonInput, complete: boolean): { title?: string; durationMinutes?: number } {
  const issues: InputIssue[] = [];
  const fields: { title?: string; durationMinutes?: number } = {};
  if (input.title !== undefined && input.title !== null) {
    const title = input.title.trim();
    if (title.length === 0 || title.length > 160) issues.push({ field: 'title', message: 'must be 1 to 160 characters' });
    else fields.title = title;
  } else if (complete) issues.push({ field: 'title', message: 'is required' });
  if (input.durationMinutes !== undefined && input.durationMinutes !== null) {
    if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes > 1440)
      issues.push({ field: 'durationMinutes', message: 'must be 1 to 1440' });
    else fields.durationMinutes = input.durationMinutes;
  } else if (complete) issues.push({ field: 'durationMinutes', message: 'is required' });
  if (issues.length > 0) throw new BadUserInputError('Invalid lesson', issues);
  return fields;
}
