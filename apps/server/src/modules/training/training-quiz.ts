import type { StoredQuiz } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors/app-error.ts';

/** A field problem found in a quiz, named by its path in the request. */
export interface QuizProblem {
  path: string;
  message: string;
}

/** What a learner may see of a quiz: no correct answers, no explanations. */
export interface LearnerQuiz {
  passPercent: number;
  questions: {
    key: string;
    text: string;
    choices: { key: string; text: string }[];
    isMultiple: boolean;
  }[];
}

/** The grade of one submission. */
export interface QuizGrade {
  score: number;
  isPassed: boolean;
  correct: number;
  total: number;
  perQuestion: { key: string; isCorrect: boolean; explanation: string }[];
}

function describe(question: StoredQuiz['questions'][number], index: number): string {
  const text = question.text.length > 60 ? `${question.text.slice(0, 57)}...` : question.text;
  return `Question ${String(index + 1)} ("${text}")`;
}

/**
 * Every problem of a quiz an author wrote: duplicate question or choice keys, and questions
 * whose correct answers are missing, unknown or cover every choice. `prefix` is where the quiz
 * sits in the request, so each problem names its question.
 */
export function findQuizProblems(quiz: StoredQuiz, prefix = 'quiz'): QuizProblem[] {
  const problems: QuizProblem[] = [];
  const seen = new Set<string>();
  quiz.questions.forEach((question, i) => {
    const path = `${prefix}.questions.${String(i)}`;
    const name = describe(question, i);
    if (seen.has(question.key)) {
      problems.push({
        path: `${path}.key`,
        message: `${name}: the key "${question.key}" is used twice`,
      });
    }
    seen.add(question.key);
    const choiceKeys = question.choices.map((c) => c.key);
    if (new Set(choiceKeys).size !== choiceKeys.length) {
      problems.push({ path: `${path}.choices`, message: `${name}: two choices have the same key` });
    }
    if (question.correctChoiceKeys.length === 0) {
      problems.push({
        path: `${path}.correctChoiceKeys`,
        message: `${name} has no correct answer; mark at least one choice as correct`,
      });
    }
    for (const key of question.correctChoiceKeys) {
      if (!choiceKeys.includes(key)) {
        problems.push({
          path: `${path}.correctChoiceKeys`,
          message: `${name}: the correct answer "${key}" is not one of its choices`,
        });
      }
    }
    if (
      question.correctChoiceKeys.length > 0 &&
      new Set(question.correctChoiceKeys).size >= choiceKeys.length
    ) {
      problems.push({
        path: `${path}.correctChoiceKeys`,
        message: `${name}: every choice is correct, so the question tests nothing`,
      });
    }
  });
  return problems;
}

/** Refuse a quiz with problems: 400 naming each question at fault. */
export function assertQuizValid(quiz: StoredQuiz | null, prefix = 'quiz'): void {
  if (quiz === null) return;
  const problems = findQuizProblems(quiz, prefix);
  const [first] = problems;
  if (first) {
    throw new AppError('training.quiz_invalid', first.message, problems.slice(0, 50));
  }
}

/** The quiz as sent to a learner: questions and choices only. */
export function toLearnerQuiz(quiz: StoredQuiz): LearnerQuiz {
  return {
    passPercent: quiz.passPercent,
    questions: quiz.questions.map((q) => ({
      key: q.key,
      text: q.text,
      choices: q.choices.map((c) => ({ key: c.key, text: c.text })),
      isMultiple: q.correctChoiceKeys.length > 1,
    })),
  };
}

/**
 * Grade answers: a question counts as right only when the chosen set equals the correct set
 * (a multiple-answer question is not half right). Unknown question keys are refused so a
 * client bug does not pass silently as a wrong answer.
 */
export function gradeQuiz(quiz: StoredQuiz, answers: Record<string, string[]>): QuizGrade {
  const known = new Set(quiz.questions.map((q) => q.key));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) {
      throw new AppError('request.invalid', `The quiz has no question "${key}"`, [
        { path: `answers.${key}`, message: 'Not a question of this quiz' },
      ]);
    }
  }
  const perQuestion = quiz.questions.map((q) => {
    const chosen = new Set(answers[q.key] ?? []);
    const correct = new Set(q.correctChoiceKeys);
    const isCorrect = chosen.size === correct.size && [...chosen].every((k) => correct.has(k));
    return { key: q.key, isCorrect, explanation: q.explanation };
  });
  const correct = perQuestion.filter((q) => q.isCorrect).length;
  const total = quiz.questions.length;
  const score = total === 0 ? 0 : Math.floor((correct * 100) / total);
  return { score, isPassed: score >= quiz.passPercent, correct, total, perQuestion };
}
