import { isStaff, managesCourse } from '@academy/permissions';
import type { Viewer } from '@academy/platform';

/** Its instructor and staff see the questions with their answers; learners only inside an attempt, without them. */
export const knowsAnswers = (viewer: Viewer | null, course: { instructorId: string } | null): boolean =>
  course !== null && (managesCourse(viewer, course) || isStaff(viewer));
