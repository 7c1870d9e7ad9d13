import { useId, useState, type FormEvent } from 'react';
import { SetCourseAssessmentDocument, UpdateCourseDocument, type QuestionKind } from '@academy/client';
import { useMutation } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { MutationError } from './shared';

const QUESTION_KINDS: readonly QuestionKind[] = ['SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'TRUE_FALSE'];

interface OptionDraft {
  key: number;
  text: string;
  correct: boolean;
}

interface QuestionDraft {
  key: number;
  prompt: string;
  kind: QuestionKind;
  points: string;
  options: OptionDraft[];
}

let nextKey = 1;
const key = () => nextKey++;

function blankQuestion(): QuestionDraft {
  return {
    key: key(),
    prompt: '',
    kind: 'SINGLE_CHOICE',
    points: '1',
    options: [
      { key: key(), text: '', correct: true },
      { key: key(), text: '', correct: false },
    ],
  };
}

/** What keeps a question from being saved (the API's own rules, docs/teaching.md), as message keys. */
function questionProblems(question: QuestionDraft): MessageKey[] {
  const problems: MessageKey[] = [];
  const points = Number(question.points);
  const correct = question.options.filter((option) => option.correct).length;
  if (!question.prompt.trim()) problems.push('teach.assessment.problem.prompt');
  if (!(Number.isInteger(points) && points >= 1 && points <= 100)) problems.push('teach.assessment.problem.points');
  if (question.options.some((option) => !option.text.trim())) problems.push('teach.assessment.problem.optionText');
  if (question.options.length < 2 || question.options.length > 10) problems.push('teach.assessment.problem.optionCount');
  if (question.kind === 'MULTIPLE_CHOICE' ? correct < 1 : correct !== 1)
    problems.push(question.kind === 'MULTIPLE_CHOICE' ? 'teach.assessment.problem.someCorrect' : 'teach.assessment.problem.oneCorrect');
  return problems;
}

interface Saved {
  questionCount: number;
  maxAttempts: number;
  timeLimitMinutes: number | null;
}

/** An assessment as the API answers it to those who may know its answers (`correct` null for others). */
export interface SavedAssessment extends Saved {
  questions: readonly {
    prompt: string;
    kind: QuestionKind;
    points: number;
    options: readonly { text: string; correct: boolean | null }[];
  }[];
}

/** The saved questions as the editor edits them (in the API's order). */
function draftsOf(assessment: SavedAssessment | null | undefined): QuestionDraft[] {
  if (!assessment || assessment.questions.length === 0) return [blankQuestion()];
  return assessment.questions.map((question) => ({
    key: key(),
    prompt: question.prompt,
    kind: question.kind,
    points: String(question.points),
    options: question.options.map((option) => ({ key: key(), text: option.text, correct: option.correct === true })),
  }));
}

/**
 * The course's graded assessment (SetCourseAssessment replaces it as a whole): questions, their
 * options and which are correct, attempts and time limit, starting from the saved one; and the
 * course's passing score (UpdateCourse), which the assessment's score must reach.
 */
export function AssessmentEditor({
  courseId,
  passingScore,
  assessment: initial,
  onSaved,
}: {
  courseId: string;
  passingScore: number;
  /** The course's assessment as saved (null: none yet). */
  assessment: SavedAssessment | null;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [questions, setQuestions] = useState<QuestionDraft[]>(() => draftsOf(initial));
  const [score, setScore] = useState(String(passingScore));
  const [maxAttempts, setMaxAttempts] = useState(String(initial?.maxAttempts ?? 3));
  const [timeLimit, setTimeLimit] = useState(initial?.timeLimitMinutes == null ? '' : String(initial.timeLimitMinutes));
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [assessing, setAssessment] = useMutation(SetCourseAssessmentDocument);
  const [updating, updateCourse] = useMutation(UpdateCourseDocument);
  const busy = assessing.fetching || updating.fetching;

  const change = (questionKey: number, edit: (question: QuestionDraft) => QuestionDraft) =>
    setQuestions((all) => all.map((question) => (question.key === questionKey ? edit(question) : question)));

  const setKind = (question: QuestionDraft, kind: QuestionKind) =>
    change(question.key, (current) => ({
      ...current,
      kind,
      options:
        kind === 'TRUE_FALSE'
          ? [
              { key: key(), text: t('teach.assessment.true'), correct: true },
              { key: key(), text: t('teach.assessment.false'), correct: false },
            ]
          : kind === 'SINGLE_CHOICE'
            ? current.options.map((option, index) => ({
                ...option,
                correct:
                  index ===
                  Math.max(
                    0,
                    current.options.findIndex((one) => one.correct),
                  ),
              }))
            : current.options,
    }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    const found: string[] = [];
    const passing = Number(score);
    const attempts = Number(maxAttempts);
    const limit = timeLimit.trim() === '' ? null : Number(timeLimit);
    if (questions.length === 0) found.push(t('teach.assessment.problem.noQuestions'));
    questions.forEach((question, index) => {
      for (const problem of questionProblems(question)) found.push(t('teach.issue.inQuestion', { label: t(problem), number: index + 1 }));
    });
    if (!(Number.isInteger(passing) && passing >= 0 && passing <= 100)) found.push(t('teach.hint.score'));
    if (!(Number.isInteger(attempts) && attempts >= 1 && attempts <= 10)) found.push(t('teach.assessment.problem.attempts'));
    if (limit !== null && !(Number.isInteger(limit) && limit >= 1 && limit <= 600)) found.push(t('teach.assessment.problem.timeLimit'));
    setProblems(found);
    if (found.length > 0) return;

    const result = await setAssessment({
      courseId,
      input: {
        maxAttempts: attempts,
        timeLimitMinutes: limit,
        questions: questions.map((question) => ({
          prompt: question.prompt.trim(),
          kind: question.kind,
          points: Number(question.points),
          options: question.options.map((option) => ({ text: option.text.trim(), correct: option.correct })),
        })),
      },
    });
    const assessment = result.data?.setCourseAssessment;
    if (!assessment) return;
    if (passing !== passingScore) {
      const updated = await updateCourse({ id: courseId, input: { passingScore: passing } });
      if (!updated.data) return;
    }
    // The editor shows the assessment as saved (the API's order).
    setQuestions(draftsOf(assessment));
    setSaved({
      questionCount: assessment.questionCount,
      maxAttempts: assessment.maxAttempts,
      timeLimitMinutes: assessment.timeLimitMinutes ?? null,
    });
    onSaved();
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('teach.assessment.title')}</h2>
      <p className="muted">{t('teach.assessment.intro')}</p>
      <form className="teach-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${id}-heading`}>
        <div className="teach-row">
          <div>
            <label htmlFor={`${id}-score`}>{t('teach.field.passingScore')}</label>
            <input id={`${id}-score`} type="number" min={0} max={100} value={score} onChange={(event) => setScore(event.target.value)} />
          </div>
          <div>
            <label htmlFor={`${id}-attempts`}>{t('teach.field.maxAttempts')}</label>
            <input
              id={`${id}-attempts`}
              type="number"
              min={1}
              max={10}
              value={maxAttempts}
              onChange={(event) => setMaxAttempts(event.target.value)}
            />
          </div>
          <div>
            <label htmlFor={`${id}-limit`}>{t('teach.field.timeLimit')}</label>
            <input
              id={`${id}-limit`}
              type="number"
              min={1}
              max={600}
              value={timeLimit}
              aria-describedby={`${id}-limit-help`}
              onChange={(event) => setTimeLimit(event.target.value)}
            />
            <span id={`${id}-limit-help`} className="muted field-help">
              {t('teach.field.timeLimitHelp')}
            </span>
          </div>
        </div>
        <ol className="teach-questions">
          {questions.map((question, index) => (
            <li key={question.key}>
              <QuestionEditor
                question={question}
                number={index + 1}
                canRemove={questions.length > 1}
                onChange={(edit) => change(question.key, edit)}
                onKind={(kind) => setKind(question, kind)}
                onRemove={() => setQuestions((all) => all.filter((one) => one.key !== question.key))}
              />
            </li>
          ))}
        </ol>
        <button type="button" className="button" onClick={() => setQuestions((all) => [...all, blankQuestion()])}>
          {t('teach.assessment.addQuestion')}
        </button>
        {problems.length > 0 ? (
          <div role="alert" className="error">
            <p>{t('teach.assessment.problems')}</p>
            <ul>
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <MutationError error={assessing.error ?? updating.error} />
        <div className="teach-actions">
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
            {busy ? t('teach.saving') : t('teach.assessment.save')}
          </button>
          <span role="status" className="muted" data-testid="assessment-saved">
            {saved
              ? t('teach.assessment.saved', {
                  count: saved.questionCount,
                  attempts: saved.maxAttempts,
                })
              : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

function QuestionEditor(props: {
  question: QuestionDraft;
  number: number;
  canRemove: boolean;
  onChange: (edit: (question: QuestionDraft) => QuestionDraft) => void;
  onKind: (kind: QuestionKind) => void;
  onRemove: () => void;
}) {
  const { question, number, onChange } = props;
  const { t } = useI18n();
  const id = useId();
  const single = question.kind !== 'MULTIPLE_CHOICE';
  const setOption = (optionKey: number, edit: Partial<OptionDraft>) =>
    onChange((current) => ({
      ...current,
      options: current.options.map((option) =>
        option.key === optionKey ? { ...option, ...edit } : single && edit.correct ? { ...option, correct: false } : option,
      ),
    }));

  return (
    <fieldset className="teach-question">
      <legend>{t('teach.assessment.question', { number })}</legend>
      <label htmlFor={`${id}-prompt`}>{t('teach.field.prompt')}</label>
      <textarea
        id={`${id}-prompt`}
        rows={2}
        maxLength={2000}
        value={question.prompt}
        onChange={(event) => onChange((current) => ({ ...current, prompt: event.target.value }))}
      />
      <div className="teach-row">
        <div>
          <label htmlFor={`${id}-kind`}>{t('teach.field.questionKind')}</label>
          <select id={`${id}-kind`} value={question.kind} onChange={(event) => props.onKind(event.target.value as QuestionKind)}>
            {QUESTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`teach.questionKind.${kind}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-points`}>{t('teach.field.points')}</label>
          <input
            id={`${id}-points`}
            type="number"
            min={1}
            max={100}
            value={question.points}
            onChange={(event) => onChange((current) => ({ ...current, points: event.target.value }))}
          />
        </div>
      </div>
      <p className="muted">{single ? t('teach.assessment.pickOne') : t('teach.assessment.pickSome')}</p>
      <ol className="teach-options">
        {question.options.map((option, index) => (
          <li key={option.key} className="teach-option">
            <label htmlFor={`${id}-option-${option.key}`}>{t('teach.assessment.option', { number: index + 1 })}</label>
            <input
              id={`${id}-option-${option.key}`}
              value={option.text}
              maxLength={500}
              readOnly={question.kind === 'TRUE_FALSE'}
              onChange={(event) => setOption(option.key, { text: event.target.value })}
            />
            <label className="teach-correct">
              <input
                type={single ? 'radio' : 'checkbox'}
                name={`${id}-correct`}
                checked={option.correct}
                onChange={(event) => setOption(option.key, { correct: event.target.checked })}
              />
              {t('teach.assessment.correct')}
              <span className="visually-hidden">{t('teach.assessment.correctOf', { number: index + 1 })}</span>
            </label>
            {question.kind !== 'TRUE_FALSE' && question.options.length > 2 ? (
              <button
                type="button"
                className="button button-small"
                onClick={() => onChange((current) => ({ ...current, options: current.options.filter((one) => one.key !== option.key) }))}
              >
                {t('teach.assessment.removeOption')}
                <span className="visually-hidden">{t('teach.assessment.optionOf', { number: index + 1 })}</span>
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      <div className="teach-actions">
        {question.kind !== 'TRUE_FALSE' && question.options.length < 10 ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => onChange((current) => ({ ...current, options: [...current.options, { key: key(), text: '', correct: false }] }))}
          >
            {t('teach.assessment.addOption')}
            <span className="visually-hidden">{t('teach.assessment.toQuestion', { number })}</span>
          </button>
        ) : null}
        {props.canRemove ? (
          <button type="button" className="button button-small" onClick={props.onRemove}>
            {t('teach.assessment.removeQuestion')}
            <span className="visually-hidden">{t('teach.assessment.questionOf', { number })}</span>
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}
