import type { AssessmentAttemptResolvers } from '../generated/resolvers-types';
import { knowsAnswers } from '../assessments/answer-visibility';
import { optionsOf } from '../assessments/assessment-service';
import type { QuestionView } from '../models';
import type { AssessmentWithQuestions } from '../repositories/assessment-repository';

export const AssessmentAttempt: AssessmentAttemptResolvers = {
  questions: async (attempt, _args, { loaders, viewer }) => {
    const enrollment = (await loaders.enrollment.load(attempt.enrollmentId))!;
    const course = await loaders.course.load(enrollment.courseId);
    const assessment = (await loaders.assessment.load(enrollment.courseId)) as AssessmentWithQuestions;
    const answers = knowsAnswers(viewer, course);
    const order = attempt.optionOrder as Record<string, string[]>;
    return assessment.questions.map((question): QuestionView => {
      const options = new Map(optionsOf(question).map((option) => [option.id, option]));
      return {
        id: question.id,
        prompt: question.prompt,
        kind: question.kind,
        points: question.points,
        options: (order[question.id] ?? []).map((id) => {
          const option = options.get(id)!;
          return { id: option.id, text: option.text, correct: answers ? option.correct : null };
        }),
      };
    });
  },
};
