import { describe, expect, it } from 'vitest';
import { trainingModuleTemplates, type TrainingModuleTemplate } from './training-modules.ts';

const requiredSubjects = [
  'phishing_social_engineering',
  'handling_customer_data',
  'reporting_security_incident',
];

function words(markdown: string): number {
  return markdown.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

function texts(module: TrainingModuleTemplate): string[] {
  return [
    module.title,
    module.summary,
    module.body,
    ...module.quiz.questions.flatMap((question) => [
      question.text,
      question.explanation,
      ...question.choices.map((choice) => choice.text),
    ]),
  ];
}

describe('training module templates', () => {
  it('has at least 3 modules with unique keys covering the required subjects', () => {
    expect(trainingModuleTemplates.length).toBeGreaterThanOrEqual(3);
    const keys = trainingModuleTemplates.map((module) => module.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const subject of requiredSubjects) expect(keys).toContain(subject);
  });

  it('has metadata and a body of 800 to 1,500 words starting with its title', () => {
    for (const module of trainingModuleTemplates) {
      expect(module.key, module.key).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(module.summary.length, module.key).toBeGreaterThan(40);
      expect(module.estimatedMinutes, module.key).toBeGreaterThanOrEqual(5);
      expect(module.estimatedMinutes, module.key).toBeLessThanOrEqual(60);
      expect(module.body.startsWith(`# ${module.title}\n`), module.key).toBe(true);
      expect(
        module.body.split('\n').filter((line) => line.startsWith('## ')).length,
      ).toBeGreaterThan(3);
      const count = words(module.body);
      expect(count, module.key).toBeGreaterThanOrEqual(800);
      expect(count, module.key).toBeLessThanOrEqual(1500);
    }
  });

  it('has a quiz of 5 or 6 questions with a pass mark of 80%', () => {
    for (const module of trainingModuleTemplates) {
      const { passPercent, questions } = module.quiz;
      expect(Number.isInteger(passPercent), module.key).toBe(true);
      expect(passPercent, module.key).toBeGreaterThanOrEqual(1);
      expect(passPercent, module.key).toBeLessThanOrEqual(100);
      expect(passPercent, module.key).toBe(80);
      expect(questions.length, module.key).toBeGreaterThanOrEqual(5);
      expect(questions.length, module.key).toBeLessThanOrEqual(6);
      const keys = questions.map((question) => question.key);
      expect(new Set(keys).size, module.key).toBe(keys.length);
    }
  });

  it('gives every question at least 2 choices and at least 1 existing correct choice', () => {
    for (const module of trainingModuleTemplates) {
      for (const question of module.quiz.questions) {
        const label = `${module.key} ${question.key}`;
        const choiceKeys = question.choices.map((choice) => choice.key);
        expect(question.choices.length, label).toBeGreaterThanOrEqual(2);
        expect(new Set(choiceKeys).size, label).toBe(choiceKeys.length);
        expect(question.correctChoiceKeys.length, label).toBeGreaterThanOrEqual(1);
        expect(question.correctChoiceKeys.length, label).toBeLessThan(choiceKeys.length);
        expect(new Set(question.correctChoiceKeys).size, label).toBe(
          question.correctChoiceKeys.length,
        );
        for (const key of question.correctChoiceKeys) expect(choiceKeys, label).toContain(key);
        expect(question.text.trim().length, label).toBeGreaterThan(0);
        expect(question.explanation.length, label).toBeGreaterThan(40);
        for (const choice of question.choices)
          expect(choice.text.trim().length, label).toBeGreaterThan(0);
      }
    }
  });

  it('tells the learner when a question has several correct answers', () => {
    for (const module of trainingModuleTemplates) {
      for (const question of module.quiz.questions) {
        const multiple = question.correctChoiceKeys.length > 1;
        expect(
          question.text.includes('Choose all that apply'),
          `${module.key} ${question.key}`,
        ).toBe(multiple);
      }
    }
  });

  it('contains no raw HTML, no script links and no placeholders in quiz text', () => {
    for (const module of trainingModuleTemplates) {
      for (const text of texts(module)) {
        expect(text, module.key).not.toMatch(/<[a-z!/?]/i);
        expect(text, module.key).not.toMatch(/javascript:/i);
        expect(text, module.key).not.toMatch(/\$\{/);
      }
      const placeholders = module.body.match(/\{\{[^}]*\}\}/g) ?? [];
      for (const placeholder of placeholders) expect(placeholder, module.key).toBe('{{company}}');
      for (const question of module.quiz.questions) {
        const quizText = [
          question.text,
          question.explanation,
          ...question.choices.map((c) => c.text),
        ];
        for (const text of quizText)
          expect(text, `${module.key} ${question.key}`).not.toMatch(/\{\{/);
      }
    }
  });

  it('keeps the figures taught in line with the incident and data policies', () => {
    const body = (key: string) =>
      trainingModuleTemplates.find((module) => module.key === key)?.body ?? '';
    expect(body('reporting_security_incident')).toMatch(/at the latest within one hour/);
    expect(body('reporting_security_incident')).toMatch(/## Your first 15 minutes/);
    expect(body('handling_customer_data')).toMatch(/at the latest 24 hours later/);
    expect(body('handling_customer_data')).toMatch(
      /at least 30 days before it receives their data/,
    );
    expect(body('phishing_social_engineering')).toMatch(/## Lookalike domains/);
    expect(body('phishing_social_engineering')).toMatch(/## How a pretexting call sounds/);
  });
});
