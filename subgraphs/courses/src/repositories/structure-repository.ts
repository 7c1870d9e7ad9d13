import { isUuid, type CourseModule, type Lesson, type TenantScope, type Tx } from '@academy/platform';

/**
 * A course's modules and lessons, edited: every edit runs in one transaction that first locks
 * the course row, so edits of one course happen one at a time and positions stay 1..n.
 */
export class StructureRepository {
  constructor(private readonly db: TenantScope) {}

  /** `work` with the course locked (FOR UPDATE); null when there is no such course here. */
  async editing<T>(courseId: string, work: (tx: Tx) => Promise<T>): Promise<T | null> {
    if (!isUuid(courseId)) return null;
    return this.db.run(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM courses WHERE tenant_id = ${this.db.tenantId}::uuid AND id = ${courseId}::uuid FOR UPDATE`;
      return locked.length === 0 ? null : work(tx);
    });
  }

  findModule(id: string): Promise<CourseModule | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.db.query((tx) => tx.courseModule.findFirst({ where: { tenantId: this.db.tenantId, id } }));
  }

  findLesson(id: string): Promise<Lesson | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.db.query((tx) => tx.lesson.findFirst({ where: { tenantId: this.db.tenantId, id } }));
  }

  moduleIds(tx: Tx, courseId: string): Promise<string[]> {
    return tx.courseModule
      .findMany({ where: { tenantId: this.db.tenantId, courseId }, orderBy: { position: 'asc' }, select: { id: true } })
      .then((rows) => rows.map((row) => row.id));
  }

  lessonIds(tx: Tx, moduleId: string): Promise<string[]> {
    return tx.lesson
      .findMany({ where: { tenantId: this.db.tenantId, moduleId }, orderBy: { position: 'asc' }, select: { id: true } })
      .then((rows) => rows.map((row) => row.id));
  }

  /** Lessons of these that a learner has completed. */
  async completedAmong(tx: Tx, lessonIds: string[]): Promise<number> {
    if (lessonIds.length === 0) return 0;
    return tx.lessonCompletion.count({ where: { tenantId: this.db.tenantId, lessonId: { in: lessonIds } } });
  }

  /**
   * Gives `ids` the positions 1..n in this order, in two statements whatever n: first out of the
   * way (negative, where no two rows collide), then into place.
   */
  async renumber(tx: Tx, table: 'course_modules' | 'lessons', ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const positions = ids.map((_id, index) => index + 1);
    if (table === 'course_modules') {
      await tx.$executeRaw`UPDATE course_modules SET position = -position - 1 WHERE tenant_id = ${this.db.tenantId}::uuid AND id = ANY(${ids}::uuid[])`;
      await tx.$executeRaw`UPDATE course_modules m SET position = v.position FROM unnest(${ids}::uuid[], ${positions}::int[]) AS v(id, position)
        WHERE m.tenant_id = ${this.db.tenantId}::uuid AND m.id = v.id`;
    } else {
      await tx.$executeRaw`UPDATE lessons SET position = -position - 1 WHERE tenant_id = ${this.db.tenantId}::uuid AND id = ANY(${ids}::uuid[])`;
      await tx.$executeRaw`UPDATE lessons l SET position = v.position FROM unnest(${ids}::uuid[], ${positions}::int[]) AS v(id, position)
        WHERE l.tenant_id = ${this.db.tenantId}::uuid AND l.id = v.id`;
    }
  }
}
