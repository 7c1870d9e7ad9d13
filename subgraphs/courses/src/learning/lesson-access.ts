import { isStaff, managesCourse } from '@academy/permissions';
import type { Course, Enrollment, Viewer } from '@academy/platform';

/**
 * A lesson's body (what it teaches) is for the course's learners (enrolled, not cancelled; an
 * archived course keeps its learners), its instructor and the tenant's staff. Everyone else sees
 * the outline (titles, kinds, durations) and a null body.
 */
export const seesLessonBody = (viewer: Viewer | null, course: Course | null, viewerEnrollment: Enrollment | null): boolean =>
  course !== null &&
  (managesCourse(viewer, course) || isStaff(viewer) || (viewerEnrollment !== null && viewerEnrollment.status !== 'CANCELLED'));
