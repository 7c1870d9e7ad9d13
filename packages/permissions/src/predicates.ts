import { Persona, type Viewer } from '@academy/platform';
import { isAdmin, isPlatformAdmin, isStaff } from './personas';

/** The shared "who may" answers: every rule, repository filter and gateway check asks these. */

/** The viewer is this person. */
export const isSelf = (viewer: Viewer | null, userId: string): boolean => viewer !== null && viewer.userId === userId;

/** A person's records (enrollments, certificates, submissions, events): the person and the tenant's staff. */
export const isSelfOrStaff = (viewer: Viewer | null, userId: string): boolean => isSelf(viewer, userId) || isStaff(viewer);

/** A person's private data (email, CURP, impact): the person and the tenant's admins. */
export const isSelfOrAdmin = (viewer: Viewer | null, userId: string): boolean => isSelf(viewer, userId) || isAdmin(viewer);

/** The viewer belongs to the tenant (a platform admin acting on another tenant does not). */
export const isMemberOf = (viewer: Viewer | null, tenantId: string): boolean => viewer !== null && viewer.tenantId === tenantId;

/** Who may act in a tenant at all: its own people, and platform admins in any tenant. */
export const mayActIn = (viewer: Viewer, tenantId: string): boolean => isMemberOf(viewer, tenantId) || isPlatformAdmin(viewer);

/** Changing a course (publishing, editing): its instructor and the tenant's admins. */
export const managesCourse = (viewer: Viewer | null, course: { instructorId: string }): boolean =>
  isSelf(viewer, course.instructorId) || isAdmin(viewer);

/** Seeing a course: published ones everyone; drafts and archived ones those who manage it. */
export const seesCourse = (viewer: Viewer | null, course: { status: string; instructorId: string }): boolean =>
  course.status === 'PUBLISHED' || managesCourse(viewer, course);

/** Whether every course of the tenant is visible to the viewer, whatever its status (repositories filter the rest). */
export const seesEveryCourse = isAdmin;

/** A learner's record in a course (enrollment, certificate): the learner, staff and the course's instructor. */
export const seesLearningRecord = (viewer: Viewer | null, record: { learnerId: string }, courseInstructorId: string | null): boolean =>
  isSelfOrStaff(viewer, record.learnerId) || (courseInstructorId !== null && isSelf(viewer, courseInstructorId));

/** Grading a learner in a course without an assessment (its practical evaluation): the course's instructor and the tenant's staff. */
export const gradesCourse = (viewer: Viewer | null, course: { instructorId: string }): boolean =>
  isSelf(viewer, course.instructorId) || isStaff(viewer);

/** Granting or removing PLATFORM_ADMIN: only a platform admin. */
export const assignsPersona = (viewer: Viewer | null, change: { from: string; to: string }): boolean =>
  isPlatformAdmin(viewer) || (change.from !== Persona.PLATFORM_ADMIN && change.to !== Persona.PLATFORM_ADMIN);

/** Downloading a tenant's reports (CSV exports). */
export const exportsReports = isAdmin;
