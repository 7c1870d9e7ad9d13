/**
 * The Solarpunk compliance rules a course must meet before its certificates go to CONOCER
 * (docs/solarpunk-compliance.md): the conocer subgraph checks them when a certification is asked
 * for, the courses subgraph when a learner enrolls asking for one.
 */

/** What the rules look at, gathered for one course. */
export interface CourseFacts {
  /** DRAFT, PUBLISHED, ARCHIVED. */
  status: string;
  competencyStandardCode: string | null;
  /** The standard as the RENEC catalogue has it, or null when the code is unknown. */
  standard: { active: boolean } | null;
  impactDimensions: readonly string[];
  passingScore: number;
  lessonCount: number;
  totalMinutes: number;
}

export interface ComplianceIssue {
  rule: string;
  message: string;
}

export interface ComplianceReport {
  compliant: boolean;
  /** Share of rules met, 0..100. */
  score: number;
  issues: ComplianceIssue[];
}

/** Lowest passing score that judges competence (CONOCER's juicio: competente / todavía no). */
export const MIN_PASSING_SCORE = 70;
/** Least teaching time for a course that prepares a CONOCER evaluation. */
export const MIN_TOTAL_MINUTES = 60;

interface Rule {
  rule: string;
  met(course: CourseFacts): boolean;
  message(course: CourseFacts): string;
}

/** The rules, in the order docs/solarpunk-compliance.md explains them. */
export const COMPLIANCE_RULES: Rule[] = [
  {
    rule: 'standard-aligned',
    met: (course) => course.competencyStandardCode !== null,
    message: () => 'The course must prepare for a CONOCER competency standard (competencyStandardCode).',
  },
  {
    rule: 'standard-current',
    met: (course) => course.competencyStandardCode === null || course.standard?.active === true,
    message: (course) => `${course.competencyStandardCode} is not a current standard of the RENEC catalogue.`,
  },
  {
    rule: 'impact-declared',
    met: (course) => course.impactDimensions.length > 0,
    message: () => 'The course must declare at least one Solarpunk impact dimension.',
  },
  {
    rule: 'assessment-present',
    met: (course) => course.passingScore >= MIN_PASSING_SCORE,
    message: (course) => `The final assessment must require at least ${MIN_PASSING_SCORE} to pass (it requires ${course.passingScore}).`,
  },
  {
    rule: 'content-sufficient',
    met: (course) => course.lessonCount > 0 && course.totalMinutes >= MIN_TOTAL_MINUTES,
    message: (course) => `The lessons must add up to at least ${MIN_TOTAL_MINUTES} minutes (they add up to ${course.totalMinutes}).`,
  },
  {
    rule: 'published',
    met: (course) => course.status === 'PUBLISHED',
    message: (course) => `Only published courses lead to CONOCER certification (this one is ${course.status}).`,
  },
];

export function evaluateCompliance(course: CourseFacts): ComplianceReport {
  const issues = COMPLIANCE_RULES.filter((rule) => !rule.met(course)).map((rule) => ({ rule: rule.rule, message: rule.message(course) }));
  const score = Math.round(((COMPLIANCE_RULES.length - issues.length) / COMPLIANCE_RULES.length) * 1000) / 10;
  return { compliant: issues.length === 0, score, issues };
}
