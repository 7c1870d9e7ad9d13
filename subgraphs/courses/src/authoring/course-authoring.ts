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
import { attachingFiles, lessonFields, type LessonInput } from './lesson-input';
import type { CourseRepository } from '../repositories/course-repository';
import type { StructureRepository } from '../repositories/structure-repository';

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

  /**
   * Opens the course to enrollment, once nothing stands in the way: every problem is listed at
   * once (BAD_USER_INPUT, `publishProblems`). Checked and published with the course locked, so no
   * concurrent edit slips a problem in between. Publishing a published course changes nothing;
   * an archived one is open again (its archivedAt cleared).
   */
  async publish(course: Course, at = new Date()): Promise<Course> {
    if (course.status === 'PUBLISHED') return course;
    return this.edit(course.id, async (tx) => {
      const modules = await tx.courseModule.findMany({
        where: { tenantId: this.db.tenantId, courseId: course.id },
        include: { lessons: { orderBy: { position: 'asc' } } },
        orderBy: { position: 'asc' },
      });
      const issues = publishProblems(modules);
      if (issues.length > 0) throw new BadUserInputError('The course cannot be published yet', issues);
      return tx.course.update({
        where: { id: course.id, tenantId: this.db.tenantId },
        data: { status: 'PUBLISHED', publishedAt: at, archivedAt: null },
      });
    });
  }

  /** No new enrollments; enrolled learners keep their access. Archiving again changes nothing. */
  archive(course: Course): Promise<Course> {
    if (course.status === 'ARCHIVED') return Promise.resolve(course);
    return this.db.run((tx) =>
      tx.course.update({ where: { id: course.id, tenantId: this.db.tenantId }, data: { status: 'ARCHIVED', archivedAt: new Date() } }),
    );
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

  async addLesson(module: CourseModule, input: LessonInput, position?: number | null): Promise<Lesson> {
    const fields = lessonFields(input, true);
    await this.keepsPublishable(module.courseId, fields);
    return attachingFiles(() =>
      this.edit(module.courseId, async (tx) => {
        const ids = await this.structure.lessonIds(tx, module.id);
        const at = slot(position, ids.length + 1);
        const created = await tx.lesson.create({
          data: { tenantId: this.db.tenantId, courseId: module.courseId, moduleId: module.id, ...fields, position: ids.length + 1 },
        });
        ids.splice(at - 1, 0, created.id);
        await this.structure.renumber(tx, 'lessons', ids);
        return tx.lesson.findUniqueOrThrow({ where: { id: created.id } });
      }),
    );
  }

  async updateLesson(lesson: Lesson, input: LessonInput): Promise<Lesson> {
    const fields = lessonFields(input, false);
    await this.keepsPublishable(lesson.courseId, {
      kind: fields.kind ?? lesson.kind,
      videoUrl: fields.videoUrl !== undefined ? fields.videoUrl : lesson.videoUrl,
    });
    return attachingFiles(() =>
      this.db.run((tx) => tx.lesson.update({ where: { id: lesson.id, tenantId: this.db.tenantId }, data: fields })),
    );
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

  /** A published course's lessons stay as publishCourse wants them: a VIDEO lesson has its video. */
  private async keepsPublishable(courseId: string, lesson: Pick<Lesson, 'kind' | 'videoUrl'>): Promise<void> {
    if (lesson.kind !== 'VIDEO' || lesson.videoUrl) return;
    const [course] = await this.courses.findByIds([courseId]);
    if (course?.status === 'PUBLISHED')
      throw new BadUserInputError('Invalid lesson', [
        { field: 'videoUrl', message: 'a VIDEO lesson of a published course needs its video URL' },
      ]);
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

/**
 * What keeps a course from being published, every problem at once, each with the path of the
 * part at fault (1-based, as the apps number them): a course without a lesson, a module without
 * one (addModule creates it empty), a VIDEO lesson without its video. A price always has its
 * currency and a passing score always a grader (the course's assessment, or by hand its
 * instructor or an evaluator: submitFinalAssessment), so neither can be missing.
 */
export function publishProblems(modules: readonly (CourseModule & { lessons: readonly Lesson[] })[]): InputIssue[] {
  const issues: InputIssue[] = [];
  if (modules.every((module) => module.lessons.length === 0))
    issues.push({ field: 'modules', message: 'must have at least one module with a lesson' });
  for (const module of modules) {
    if (module.lessons.length === 0) issues.push({ field: `modules.${module.position}`, message: `"${module.title}" has no lesson` });
    for (const lesson of module.lessons)
      if (lesson.kind === 'VIDEO' && !lesson.videoUrl)
        issues.push({
          field: `modules.${module.position}.lessons.${lesson.position}.videoUrl`,
          message: `"${lesson.title}" is a VIDEO lesson without a video URL`,
        });
  }
  return issues;
}
