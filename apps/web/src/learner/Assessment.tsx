import { useState, type FormEvent } from 'react';
import {
  describeError,
  StartAssessmentAttemptDocument,
  SubmitAssessmentAttemptDocument,
  type StartAssessmentAttemptMutation,
  type SubmitAssessmentAttemptMutation,
} from '@academy/client';
import { useMutation } from '@academy/client/react';
import { useI18n } from '../i18n';

type Attempt = StartAssessmentAttemptMutation['startAssessmentAttempt'];
type Result = SubmitAssessmentAttemptMutation['submitAssessmentAttempt'];
export type AssessmentGrade = Pick<Result, 'score' | 'passed'>;

/**
 * The course's graded assessment: an attempt's questions (one option for single choice and
 * true/false, any for multiple choice), graded by the server; the score and whether it passed.
 */
/** A graded attempt's score and whether it passed (shown by the classroom too once the course is completed). */
export function AssessmentResult(props: { result: AssessmentGrade }) {
  const { t } = useI18n();
  const { result } = props;
  return (
    <div role="status" className={result.passed ? 'result result-passed' : 'result result-failed'}>
      <p data-testid="assessment-score">{t('assessment.score', { score: result.score ?? 0 })}</p>
      <p>{result.passed ? t('assessment.passed') : t('assessment.failed')}</p>
    </div>
  );
}

/**
 * `onFinished` gets the graded attempt: a passing one completes the enrollment, and the classroom
 * then shows its own end (with this result) instead of the assessment.
 */
export function Assessment(props: { enrollmentId: string; attemptsRemaining: number | null; onFinished: (result: Result) => void }) {
  const { t, locale, formatDate } = useI18n();
  const [starting, start] = useMutation(StartAssessmentAttemptDocument);
  const [submitting, submit] = useMutation(SubmitAssessmentAttemptDocument);
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [answers, setAnswers] = useState<Record<string, string[]>>({});
  const [result, setResult] = useState<Result | null>(null);

  if (props.attemptsRemaining === null)
    return (
      <section className="card" aria-labelledby="assessment-title">
        <h2 id="assessment-title">{t('assessment.title')}</h2>
        <p>{t('assessment.byInstructor')}</p>
      </section>
    );

  const begin = async () => {
    setResult(null);
    const started = await start({ enrollmentId: props.enrollmentId });
    if (started.data) {
      setAttempt(started.data.startAssessmentAttempt);
      setAnswers({});
    }
  };
  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!attempt) return;
    const graded = await submit({
      attemptId: attempt.id,
      answers: attempt.questions.map((question) => ({ questionId: question.id, optionIds: answers[question.id] ?? [] })),
    });
    if (graded.data) {
      setResult(graded.data.submitAssessmentAttempt);
      setAttempt(null);
      props.onFinished(graded.data.submitAssessmentAttempt);
    }
  };
  const choose = (questionId: string, optionId: string, multiple: boolean, checked: boolean) =>
    setAnswers((current) => {
      const chosen = current[questionId] ?? [];
      if (!multiple) return { ...current, [questionId]: [optionId] };
      return { ...current, [questionId]: checked ? [...chosen, optionId] : chosen.filter((id) => id !== optionId) };
    });
  const error = starting.error ?? submitting.error;

  return (
    <section className="card assessment" aria-labelledby="assessment-title">
      <h2 id="assessment-title">{t('assessment.title')}</h2>
      {result ? <AssessmentResult result={result} /> : null}
      {attempt ? (
        <form onSubmit={(event) => void send(event)}>
          <p className="muted">
            {t('assessment.attempt', { number: attempt.number })}
            {attempt.expiresAt ? ` · ${t('assessment.until', { date: formatDate(attempt.expiresAt) })}` : ''}
          </p>
          <ol className="questions">
            {attempt.questions.map((question) => {
              const multiple = question.kind === 'MULTIPLE_CHOICE';
              return (
                <li key={question.id}>
                  <fieldset>
                    <legend>
                      {question.prompt} <span className="muted">({t('assessment.points', { count: question.points })})</span>
                    </legend>
                    {multiple ? <p className="muted">{t('assessment.chooseAny')}</p> : null}
                    {question.options.map((option) => (
                      <label key={option.id} className="choice">
                        <input
                          type={multiple ? 'checkbox' : 'radio'}
                          name={question.id}
                          value={option.id}
                          checked={(answers[question.id] ?? []).includes(option.id)}
                          onChange={(event) => choose(question.id, option.id, multiple, event.target.checked)}
                        />
                        {option.text}
                      </label>
                    ))}
                  </fieldset>
                </li>
              );
            })}
          </ol>
          <button type="submit" className="button button-primary" disabled={submitting.fetching} aria-busy={submitting.fetching}>
            {t('assessment.submit')}
          </button>
        </form>
      ) : result?.passed ? null : props.attemptsRemaining > 0 ? (
        <>
          <p>{t('assessment.remaining', { count: props.attemptsRemaining })}</p>
          <button type="button" className="button button-primary" disabled={starting.fetching} onClick={() => void begin()}>
            {result ? t('assessment.retry') : t('assessment.start')}
          </button>
        </>
      ) : (
        <p>{t('assessment.noneLeft')}</p>
      )}
      {error ? (
        <p role="alert" className="error">
          {describeError(error, locale).message}
        </p>
      ) : null}
    </section>
  );
}
