import type { AssessmentResolvers } from '../generated/resolvers-types';
import { knowsAnswers } from '../assessments/answer-visibility';
import { optionsOf } from '../assessments/assessment-service';

export const Assessment: AssessmentResolvers = {
  questions: async (assessment, _args, { loaders, viewer }) => {
    if (!knowsAnswers(viewer, await loaders.course.load(assessment.courseId))) return [];
    return assessment.questions.map((question) => ({ ...question, options: optionsOf(question) }));
  },
  questionCount: (assessment) => assessment.questions.length,
};
