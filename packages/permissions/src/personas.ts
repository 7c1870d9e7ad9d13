import { Persona, type Viewer } from '@academy/platform';

/** Every persona, from the data model's enum. */
export const PERSONAS: readonly Persona[] = Object.values(Persona);

/** Run a tenant: its people, courses, certificates, reports. */
export const ADMINS: readonly Persona[] = [Persona.TENANT_ADMIN, Persona.PLATFORM_ADMIN];

/** See every learner's records of the tenant (enrollments, certificates, submissions, impact events). */
export const STAFF: readonly Persona[] = [Persona.EVALUATOR, ...ADMINS];

/** Create and teach courses. */
export const TEACHERS: readonly Persona[] = [Persona.INSTRUCTOR, ...ADMINS];

/** Grade a learner's practical evaluation (submitFinalAssessment): instructors (of their own courses) and staff. */
export const GRADERS: readonly Persona[] = [Persona.INSTRUCTOR, ...STAFF];

export const isAdmin = (viewer: Viewer | null): boolean => viewer !== null && ADMINS.includes(viewer.persona);
export const isStaff = (viewer: Viewer | null): boolean => viewer !== null && STAFF.includes(viewer.persona);
export const isPlatformAdmin = (viewer: Viewer | null): boolean => viewer?.persona === Persona.PLATFORM_ADMIN;
