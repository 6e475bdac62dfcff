import { describe, expect, it } from 'vitest';
import type { StoredQuiz } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { trainingModuleTemplates } from './training-modules.ts';
import { assertQuizValid, findQuizProblems, gradeQuiz, toLearnerQuiz } from './training-quiz.ts';

const quiz: StoredQuiz = {
  passPercent: 80,
  questions: [
    {
      key: 'q1',
      text: 'Which address belongs to us?',
      choices: [
        { key: 'a', text: 'login.example.com' },
        { key: 'b', text: 'example.com.evil.net' },
      ],
      correctChoiceKeys: ['a'],
      explanation: 'Read addresses from the right.',
    },
    {
      key: 'q2',
      text: 'Which are signs of phishing? (Choose all that apply.)',
      choices: [
        { key: 'a', text: 'Urgency' },
        { key: 'b', text: 'A lookalike domain' },
        { key: 'c', text: 'Your manager’s usual signature' },
      ],
      correctChoiceKeys: ['a', 'b'],
      explanation: 'Urgency and lookalike domains are the classic signs.',
    },
  ],
};

describe('gradeQuiz', () => {
  it('scores exact matches only: a multiple-answer question is not half right', () => {
    expect(gradeQuiz(quiz, { q1: ['a'], q2: ['a', 'b'] })).toMatchObject({
      score: 100,
      isPassed: true,
      correct: 2,
    });
    const partial = gradeQuiz(quiz, { q1: ['a'], q2: ['a'] });
    expect(partial).toMatchObject({ score: 50, isPassed: false, correct: 1, total: 2 });
    expect(gradeQuiz(quiz, { q1: ['a'], q2: ['a', 'b', 'c'] }).score).toBe(50);
  });

  it('counts unanswered questions as wrong and ignores the order of choices', () => {
    expect(gradeQuiz(quiz, {}).score).toBe(0);
    expect(gradeQuiz(quiz, { q1: ['a'], q2: ['b', 'a'] }).score).toBe(100);
  });

  it('passes at the pass mark, not below', () => {
    const [first] = quiz.questions;
    if (!first) throw new Error('no question');
    const three = {
      ...quiz,
      passPercent: 66,
      questions: [...quiz.questions, { ...first, key: 'q3' }],
    };
    expect(gradeQuiz(three, { q1: ['a'], q2: ['a', 'b'] }).isPassed).toBe(true);
    expect(gradeQuiz({ ...three, passPercent: 67 }, { q1: ['a'], q2: ['a', 'b'] }).isPassed).toBe(
      false,
    );
  });

  it('refuses answers to questions the quiz does not have', () => {
    expect(() => gradeQuiz(quiz, { q9: ['a'] })).toThrow(AppError);
  });

  it('passes every starter quiz with its own answers and fails it with none', () => {
    for (const module of trainingModuleTemplates) {
      const answers = Object.fromEntries(
        module.quiz.questions.map((q) => [q.key, q.correctChoiceKeys]),
      );
      expect(gradeQuiz(module.quiz, answers).isPassed, module.key).toBe(true);
      expect(gradeQuiz(module.quiz, {}).isPassed, module.key).toBe(false);
    }
  });
});

describe('toLearnerQuiz', () => {
  it('never carries correct answers or explanations', () => {
    const learner = toLearnerQuiz(quiz);
    const text = JSON.stringify(learner);
    expect(text).not.toContain('correctChoiceKeys');
    expect(text).not.toContain('Read addresses from the right');
    expect(learner.questions.map((q) => q.isMultiple)).toEqual([false, true]);
  });
});

describe('findQuizProblems', () => {
  it('accepts the starter quizzes', () => {
    for (const module of trainingModuleTemplates) expect(findQuizProblems(module.quiz)).toEqual([]);
  });

  it('names a question without a correct answer by number, text and path', () => {
    const broken = structuredClone(quiz);
    const second = broken.questions[1];
    if (!second) throw new Error('no question');
    second.correctChoiceKeys = [];
    const problems = findQuizProblems(broken);
    expect(problems).toEqual([
      {
        path: 'quiz.questions.1.correctChoiceKeys',
        message: expect.stringContaining('Question 2 ("Which are signs of phishing?') as string,
      },
    ]);
    expect(() => assertQuizValid(broken)).toThrow(/Question 2 .* has no correct answer/);
  });

  it('finds unknown correct choices, all-correct questions and duplicate keys', () => {
    const broken = structuredClone(quiz);
    const [one, two] = broken.questions;
    if (!one || !two) throw new Error('no questions');
    one.correctChoiceKeys = ['z'];
    two.correctChoiceKeys = ['a', 'b', 'c'];
    two.key = 'q1';
    const paths = findQuizProblems(broken).map((p) => p.path);
    expect(paths).toEqual([
      'quiz.questions.0.correctChoiceKeys',
      'quiz.questions.1.key',
      'quiz.questions.1.correctChoiceKeys',
    ]);
    expect(() => assertQuizValid(null)).not.toThrow();
  });
});
