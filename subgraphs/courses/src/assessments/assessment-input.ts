import { randomUUID } from 'node:crypto';
import type { InputIssue, QuestionKind } from '@academy/platform';
import type { StoredOption } from './grading';

export interface AssessmentInputShape {
  questions: { prompt: string; kind: QuestionKind; points?: number | null; options: { text: string; correct: boolean }[] }[];
  maxAttempts?: number | null;
  timeLimitMinutes?: number | null;
}

export interface CheckedAssessment {
  maxAttempts: number;
  timeLimitMinutes: number | null;
  questions: { prompt: string; kind: QuestionKind; points: number; options: StoredOption[] }[];
}

/** An assessment as its input says it, every problem at once (options get their ids here). */
export function assessmentFromInput(input: AssessmentInputShape): { assessment: CheckedAssessment; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const maxAttempts = input.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10)
    issues.push({ field: 'maxAttempts', message: 'must be 1 to 10' });
  const timeLimitMinutes = input.timeLimitMinutes ?? null;
  if (timeLimitMinutes !== null && (!Number.isInteger(timeLimitMinutes) || timeLimitMinutes < 1 || timeLimitMinutes > 600))
    issues.push({ field: 'timeLimitMinutes', message: 'must be 1 to 600, or null for no limit' });
  if (input.questions.length === 0 || input.questions.length > 100)
    issues.push({ field: 'questions', message: 'must be 1 to 100 questions' });
  const questions = input.questions.map((question, q) => {
    const at = `questions.${q}`;
    const prompt = question.prompt.trim();
    if (prompt.length === 0 || prompt.length > 2000) issues.push({ field: `${at}.prompt`, message: 'must be 1 to 2000 characters' });
    const points = question.points ?? 1;
    if (!Number.isInteger(points) || points < 1 || points > 100) issues.push({ field: `${at}.points`, message: 'must be 1 to 100' });
    const options = question.options.map((option, o) => {
      const text = option.text.trim();
      if (text.length === 0 || text.length > 500) issues.push({ field: `${at}.options.${o}.text`, message: 'must be 1 to 500 characters' });
      return { id: randomUUID(), text, correct: option.correct };
    });
    const correct = options.filter((option) => option.correct).length;
    if (question.kind === 'TRUE_FALSE' && options.length !== 2)
      issues.push({ field: `${at}.options`, message: 'a TRUE_FALSE question has 2 options' });
    else if (options.length < 2 || options.length > 10) issues.push({ field: `${at}.options`, message: 'must be 2 to 10 options' });
    if (question.kind !== 'MULTIPLE_CHOICE' && correct !== 1)
      issues.push({ field: `${at}.options`, message: `a ${question.kind} question has exactly one correct option` });
    if (question.kind === 'MULTIPLE_CHOICE' && correct === 0)
      issues.push({ field: `${at}.options`, message: 'a MULTIPLE_CHOICE question has at least one correct option' });
    return { prompt, kind: question.kind, points, options };
  });
  return { assessment: { maxAttempts, timeLimitMinutes, questions }, issues };
}
