import type { QuestionKind } from '@academy/platform';

export interface StoredOption {
  id: string;
  text: string;
  correct: boolean;
}

export interface GradedQuestion {
  id: string;
  kind: QuestionKind;
  points: number;
  options: StoredOption[];
}

/**
 * The server's grade: a question earns its points when exactly its correct options were chosen
 * (no partial credit), and the score is the points earned over all points, 0..100, rounded.
 */
export function grade(questions: GradedQuestion[], answers: Record<string, string[]>): { earned: number; total: number; score: number } {
  let earned = 0;
  let total = 0;
  for (const question of questions) {
    total += question.points;
    const chosen = new Set(answers[question.id] ?? []);
    const correct = question.options.filter((option) => option.correct).map((option) => option.id);
    if (chosen.size === correct.length && correct.every((id) => chosen.has(id))) earned += question.points;
  }
  return { earned, total, score: total === 0 ? 0 : Math.round((earned / total) * 100) };
}

/** A copy of `items` in random order (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
