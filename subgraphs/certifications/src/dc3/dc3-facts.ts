import { z } from 'zod';
import type { InputIssue } from '@academy/platform';
import { localDate, printTimeZone } from '@academy/documents';
import type { Dc3Facts } from '../repositories/dc3-repository';

/** The part of tenants.settings a DC-3 reads (the users subgraph writes it: tenants/tenant-settings.ts checks the RFC). */
const SETTINGS = z.object({
  employerName: z.string().optional().catch(undefined),
  employerRfc: z.string().optional().catch(undefined),
  timezone: z.string().optional().catch(undefined),
});

/** What a DC-3 prints that the platform knows, once every prerequisite is there. */
export interface Dc3KnownFacts {
  workerName: string;
  workerCurp: string;
  employerName: string;
  employerRfc: string;
  courseTitle: string;
  durationHours: number;
  startedOn: string;
  finishedOn: string;
  trainerName: string;
  timeZone: string;
}

/**
 * The facts of a DC-3, or every missing prerequisite as a field problem (learner.curp,
 * tenant.employerName, tenant.employerRfc): an admin fixes them all in one go.
 */
export function knownFacts(facts: Dc3Facts): { facts: Dc3KnownFacts; issues: [] } | { facts: null; issues: InputIssue[] } {
  const parsed = SETTINGS.safeParse(facts.tenantSettings);
  const settings = parsed.success ? parsed.data : {};
  const curp = facts.learner.curp?.trim() ?? '';
  const employerName = settings.employerName?.trim() ?? '';
  const employerRfc = settings.employerRfc?.trim() ?? '';
  const issues: InputIssue[] = [];
  if (!curp) issues.push({ field: 'learner.curp', message: "the learner's CURP is missing (their profile)" });
  if (!employerName) issues.push({ field: 'tenant.employerName', message: "the employer's name is missing (tenant settings)" });
  if (!employerRfc) issues.push({ field: 'tenant.employerRfc', message: "the employer's RFC is missing (tenant settings)" });
  if (issues.length > 0) return { facts: null, issues };

  const timeZone = printTimeZone(settings.timezone);
  const { enrollment } = facts;
  return {
    facts: {
      workerName: facts.learner.name,
      workerCurp: curp.toUpperCase(),
      employerName,
      employerRfc: employerRfc.toUpperCase(),
      courseTitle: facts.course.title,
      durationHours: durationHours(facts.course.lessonMinutes),
      startedOn: localDate(enrollment.enrolledAt, timeZone),
      // A COMPLETED enrollment has its completedAt; the enrollment date is the only other fact.
      finishedOn: localDate(enrollment.completedAt ?? enrollment.enrolledAt, timeZone),
      trainerName: facts.course.instructorName,
      timeZone,
    },
    issues: [],
  };
}

/** The course's lesson minutes as whole hours, rounded up; at least 1 (a DC-3 states hours). */
export function durationHours(minutes: number): number {
  return Math.max(1, Math.ceil(minutes / 60));
}
