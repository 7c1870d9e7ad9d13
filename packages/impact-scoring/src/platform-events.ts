import { eventMillipoints, type DimensionMillipoints, type ScorableEvent } from './event-points';
import type { EventType, Verification } from './model';

/** How an event's points are stored: one integer column per dimension. */
export interface MillipointColumns {
  sustainabilityMillipoints: number;
  communityMillipoints: number;
  regenerativeMillipoints: number;
  socialJusticeMillipoints: number;
  circularityMillipoints: number;
}

export function millipointColumns(points: DimensionMillipoints): MillipointColumns {
  return {
    sustainabilityMillipoints: points.SUSTAINABILITY,
    communityMillipoints: points.COMMUNITY,
    regenerativeMillipoints: points.REGENERATIVE,
    socialJusticeMillipoints: points.SOCIAL_JUSTICE,
    circularityMillipoints: points.CIRCULARITY,
  };
}

export function columnsToMillipoints(columns: MillipointColumns): DimensionMillipoints {
  return {
    SUSTAINABILITY: columns.sustainabilityMillipoints,
    COMMUNITY: columns.communityMillipoints,
    REGENERATIVE: columns.regenerativeMillipoints,
    SOCIAL_JUSTICE: columns.socialJusticeMillipoints,
    CIRCULARITY: columns.circularityMillipoints,
  };
}

/** An event with its points, ready to store. */
export function scoredEvent(event: ScorableEvent): MillipointColumns {
  return millipointColumns(eventMillipoints(event));
}

export interface PlatformEvent extends MillipointColumns {
  type: EventType;
  description: string;
  verification: Verification;
  quantities: Record<string, number>;
}

/** A completed course, as the platform records it when the certificate is issued. */
export function courseCompletionEvent(course: { title: string; minutes: number }): PlatformEvent {
  const event = {
    type: 'COURSE_COMPLETION' as const,
    description: `Completó el curso «${course.title}»`,
    verification: 'EXPERT_VERIFIED' as const,
    quantities: { hours: Math.round((course.minutes / 60) * 100) / 100 },
  };
  return { ...event, ...scoredEvent(event) };
}

/** A competency certified by CONOCER (the submission was APPROVED): an official credential. */
export function certificationEvent(certification: { standardCode: string; courseTitle: string }): PlatformEvent {
  const event = {
    type: 'COURSE_COMPLETION' as const,
    description: `Certificación oficial CONOCER ${certification.standardCode} («${certification.courseTitle}»)`,
    verification: 'EXPERT_VERIFIED' as const,
    quantities: { certifiedCompetencies: 1 },
  };
  return { ...event, ...scoredEvent(event) };
}
