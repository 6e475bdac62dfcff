import {
  ActionIcon,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import type { quizSchema } from '@steward/contracts';
import type { z } from 'zod';

/** A quiz being written: correct answers included. */
export type EditableQuiz = z.input<typeof quizSchema>;

interface QuizEditorProps {
  quiz: EditableQuiz | null;
  onChange: (quiz: EditableQuiz | null) => void;
  /** Field errors from the API, by path (`quiz.questions.1.correctChoiceKeys`). */
  errors: Record<string, string>;
}

function nextKey(prefix: string, taken: readonly string[]): string {
  for (let i = taken.length + 1; ; i++) {
    const key = `${prefix}${String(i)}`;
    if (!taken.includes(key)) return key;
  }
}

/** Write a multiple-choice quiz: questions, choices, which are correct, and the pass mark. */
export function QuizEditor({ quiz, onChange, errors }: QuizEditorProps) {
  if (quiz === null) {
    return (
      <Switch
        label="This module has a quiz"
        checked={false}
        onChange={() =>
          onChange({
            passPercent: 80,
            questions: [
              {
                key: 'q1',
                text: '',
                choices: [
                  { key: 'a', text: '' },
                  { key: 'b', text: '' },
                ],
                correctChoiceKeys: [],
                explanation: '',
              },
            ],
          })
        }
      />
    );
  }
  const questions = quiz.questions;
  const setQuestion = (index: number, patch: Partial<EditableQuiz['questions'][number]>) =>
    onChange({
      ...quiz,
      questions: questions.map((q, i) => (i === index ? { ...q, ...patch } : q)),
    });
  return (
    <Stack>
      <Group align="flex-end">
        <Switch label="This module has a quiz" checked onChange={() => onChange(null)} />
        <NumberInput
          label="Pass mark (%)"
          min={1}
          max={100}
          value={quiz.passPercent}
          onChange={(v) => onChange({ ...quiz, passPercent: typeof v === 'number' ? v : 80 })}
          error={errors['quiz.passPercent']}
          w={140}
        />
      </Group>
      {questions.map((question, index) => {
        const path = `quiz.questions.${String(index)}`;
        return (
          <Fieldset key={question.key} legend={`Question ${String(index + 1)}`}>
            <Stack gap="xs">
              <Textarea
                label="Question"
                autosize
                minRows={1}
                value={question.text}
                onChange={(e) => setQuestion(index, { text: e.currentTarget.value })}
                error={errors[`${path}.text`]}
              />
              {question.choices.map((choice, ci) => (
                <Group key={choice.key} gap="xs" wrap="nowrap" align="flex-end">
                  <Checkbox
                    aria-label={`Choice ${choice.key} is correct`}
                    checked={question.correctChoiceKeys.includes(choice.key)}
                    onChange={(e) =>
                      setQuestion(index, {
                        correctChoiceKeys: e.currentTarget.checked
                          ? [...question.correctChoiceKeys, choice.key]
                          : question.correctChoiceKeys.filter((k) => k !== choice.key),
                      })
                    }
                    mb={8}
                  />
                  <TextInput
                    label={`Choice ${choice.key}`}
                    style={{ flex: 1 }}
                    value={choice.text}
                    onChange={(e) =>
                      setQuestion(index, {
                        choices: question.choices.map((c, j) =>
                          j === ci ? { ...c, text: e.currentTarget.value } : c,
                        ),
                      })
                    }
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mb={4}
                    aria-label={`Remove choice ${choice.key}`}
                    disabled={question.choices.length <= 2}
                    onClick={() =>
                      setQuestion(index, {
                        choices: question.choices.filter((_, j) => j !== ci),
                        correctChoiceKeys: question.correctChoiceKeys.filter(
                          (k) => k !== choice.key,
                        ),
                      })
                    }
                  >
                    ×
                  </ActionIcon>
                </Group>
              ))}
              {errors[`${path}.correctChoiceKeys`] ? (
                <Text size="sm" c="red">
                  {errors[`${path}.correctChoiceKeys`]}
                </Text>
              ) : null}
              <Textarea
                label="Explanation shown after a pass"
                autosize
                minRows={1}
                value={question.explanation ?? ''}
                onChange={(e) => setQuestion(index, { explanation: e.currentTarget.value })}
              />
              <Group gap="xs">
                <Button
                  variant="subtle"
                  size="xs"
                  onClick={() =>
                    setQuestion(index, {
                      choices: [
                        ...question.choices,
                        {
                          key: nextKey(
                            'c',
                            question.choices.map((c) => c.key),
                          ),
                          text: '',
                        },
                      ],
                    })
                  }
                >
                  Add a choice
                </Button>
                <Button
                  variant="subtle"
                  size="xs"
                  color="red"
                  disabled={questions.length <= 1}
                  onClick={() =>
                    onChange({ ...quiz, questions: questions.filter((_, i) => i !== index) })
                  }
                >
                  Remove question
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button
          variant="default"
          onClick={() =>
            onChange({
              ...quiz,
              questions: [
                ...questions,
                {
                  key: nextKey(
                    'q',
                    questions.map((q) => q.key),
                  ),
                  text: '',
                  choices: [
                    { key: 'a', text: '' },
                    { key: 'b', text: '' },
                  ],
                  correctChoiceKeys: [],
                  explanation: '',
                },
              ],
            })
          }
        >
          Add a question
        </Button>
      </Group>
    </Stack>
  );
}
