import type { InputIssue } from '@academy/platform';
import type { CreateCourseInput } from '../generated/resolvers-types';
import type { CourseFields, NewModule } from '../repositories/course-repository';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * A course as its input says it, checked field by field: the stored fields (a new input field is
 * checked and mapped here, once), its modules, and every problem of the input.
 */
export function courseFromInput(input: CreateCourseInput): { fields: CourseFields; modules: NewModule[]; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const text = (field: string, value: string, max: number) => {
    if (value.trim().length === 0 || value.length > max) issues.push({ field, message: `must be 1 to ${max} characters` });
    return value.trim();
  };
  const title = text('title', input.title, 160);
  const description = text('description', input.description, 5000);
  if (!Number.isInteger(input.priceCents) || input.priceCents < 0 || input.priceCents > 100_000_000)
    issues.push({ field: 'priceCents', message: 'must be 0 to 100000000' });
  const currency = input.currency ?? 'MXN';
  if (!CURRENCIES.has(currency)) issues.push({ field: 'currency', message: 'must be an ISO 4217 code such as MXN' });
  const language = canonicalLanguage(input.language ?? 'es-MX');
  if (!language) issues.push({ field: 'language', message: 'must be a BCP 47 language tag such as es-MX' });
  const passingScore = input.passingScore ?? 80;
  if (!Number.isInteger(passingScore) || passingScore < 0 || passingScore > 100)
    issues.push({ field: 'passingScore', message: 'must be 0 to 100' });
  if (input.modules.length === 0 || input.modules.length > 50) issues.push({ field: 'modules', message: 'must be 1 to 50 modules' });
  const modules = input.modules.map((module, m) => {
    const moduleTitle = text(`modules.${m}.title`, module.title, 160);
    if (module.lessons.length === 0 || module.lessons.length > 100)
      issues.push({ field: `modules.${m}.lessons`, message: 'must be 1 to 100 lessons' });
    const lessons = module.lessons.map((lesson, l) => {
      const lessonTitle = text(`modules.${m}.lessons.${l}.title`, lesson.title, 160);
      if (!Number.isInteger(lesson.durationMinutes) || lesson.durationMinutes < 1 || lesson.durationMinutes > 1440) {
        issues.push({ field: `modules.${m}.lessons.${l}.durationMinutes`, message: 'must be 1 to 1440' });
      }
      return { title: lessonTitle, durationMinutes: lesson.durationMinutes };
    });
    return { title: moduleTitle, lessons };
  });
  const fields: CourseFields = {
    title,
    description,
    priceCents: input.priceCents,
    currency,
    language: language ?? '',
    competencyStandardCode: input.competencyStandardCode?.trim().toUpperCase() || null,
    passingScore,
    impactDimensions: [...new Set(input.impactDimensions ?? [])],
  };
  return { fields, modules, issues };
}

/**
 * What updateCourse changes: each field given checked as createCourse checks it (null or absent:
 * unchanged), and every problem at once.
 */
export function courseChanges(input: {
  title?: string | null;
  description?: string | null;
  priceCents?: number | null;
  currency?: string | null;
  category?: string | null;
  language?: string | null;
  competencyStandardCode?: string | null;
  passingScore?: number | null;
}): { changes: Partial<CourseFields>; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const changes: Partial<CourseFields> = {};
  const text = (field: 'title' | 'description', max: number) => {
    const value = input[field];
    if (value === undefined || value === null) return;
    if (value.trim().length === 0 || value.length > max) issues.push({ field, message: `must be 1 to ${max} characters` });
    else changes[field] = value.trim();
  };
  text('title', 160);
  text('description', 5000);
  if (input.priceCents !== undefined && input.priceCents !== null) {
    if (!Number.isInteger(input.priceCents) || input.priceCents < 0 || input.priceCents > 100_000_000)
      issues.push({ field: 'priceCents', message: 'must be 0 to 100000000' });
    else changes.priceCents = input.priceCents;
  }
  if (input.currency !== undefined && input.currency !== null) {
    if (!CURRENCIES.has(input.currency)) issues.push({ field: 'currency', message: 'must be an ISO 4217 code such as MXN' });
    else changes.currency = input.currency;
  }
  // A category is free text the catalogue groups by; an empty one clears it.
  if (input.category !== undefined && input.category !== null) {
    const category = input.category.trim().replace(/\s+/g, ' ');
    if (category.length > 60) issues.push({ field: 'category', message: 'must be at most 60 characters' });
    else changes.category = category === '' ? null : category;
  }
  if (input.language !== undefined && input.language !== null) {
    const language = canonicalLanguage(input.language);
    if (!language) issues.push({ field: 'language', message: 'must be a BCP 47 language tag such as es-MX' });
    else changes.language = language;
  }
  if (input.passingScore !== undefined && input.passingScore !== null) {
    if (!Number.isInteger(input.passingScore) || input.passingScore < 0 || input.passingScore > 100)
      issues.push({ field: 'passingScore', message: 'must be 0 to 100' });
    else changes.passingScore = input.passingScore;
  }
  if (input.competencyStandardCode !== undefined)
    changes.competencyStandardCode = input.competencyStandardCode?.trim().toUpperCase() || null;
  return { changes, issues };
}

/** es-mx -> es-MX; null when it is no language tag. */
function canonicalLanguage(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag.trim())[0] ?? null;
  } catch {
    return null;
  }
}
