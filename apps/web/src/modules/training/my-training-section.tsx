import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Fieldset,
  Group,
  Radio,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type ResponseOf } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { MarkdownView } from '../policies/markdown-view.tsx';
import { invalidateTraining, myTrainingDetailQuery, myTrainingQuery } from './training-queries.ts';

type QuizResult = ResponseOf<typeof endpoints.submitMyTrainingQuiz>;

function QuizResultAlert({ result }: { result: QuizResult }) {
  if (result.isPassed) {
    return (
      <Alert color="green" title={`Passed with ${String(result.score)}%`}>
        You answered {result.correct} of {result.total} questions correctly. Your completion is
        recorded.
      </Alert>
    );
  }
  return (
    <Alert color="red" title={`Not passed: ${String(result.score)}%`}>
      You answered {result.correct} of {result.total} questions correctly; the pass mark is{' '}
      {result.passPercent}%. Read the lesson again and answer the quiz once more.
    </Alert>
  );
}

function TakeTraining({ assignmentId, onDone }: { assignmentId: string; onDone: () => void }) {
  const detail = useQuery(myTrainingDetailQuery(assignmentId));
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<Record<string, string[]>>({});
  const [result, setResult] = useState<QuizResult | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const submit = useMutation({
    mutationFn: () =>
      call(endpoints.submitMyTrainingQuiz, { params: { assignmentId }, body: { answers } }),
    onSuccess: async (outcome) => {
      setResult(outcome);
      if (outcome.isPassed) await invalidateTraining(queryClient);
      else await queryClient.invalidateQueries({ queryKey: ['me', 'training'] });
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  const confirm = useMutation({
    mutationFn: () => call(endpoints.completeMyTraining, { params: { assignmentId } }),
    onSuccess: async (done) => {
      notifications.show({ color: 'green', message: `Completed: ${done.title}` });
      await invalidateTraining(queryClient);
      onDone();
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  if (detail.isPending) return <LoadingBlock label="Loading the module" />;
  if (detail.isError) {
    return <QueryError error={detail.error} onRetry={() => void detail.refetch()} />;
  }
  const training = detail.data;
  const quiz = training.quiz;
  return (
    <Stack mt="md">
      {training.kind === 'external' ? (
        <Alert color="blue">
          This course is taken in the learning system
          {training.externalUrl ? (
            <>
              {': '}
              <Anchor href={training.externalUrl} target="_blank" rel="noopener noreferrer">
                open the course
              </Anchor>
            </>
          ) : null}
          . Your completion is recorded from there.
        </Alert>
      ) : null}
      <MarkdownView source={training.body} />
      {training.completedAt !== null ? null : quiz ? (
        <form
          aria-label={`Quiz: ${training.title}`}
          onSubmit={(event) => {
            event.preventDefault();
            const unanswered = quiz.questions
              .filter((q) => (answers[q.key] ?? []).length === 0)
              .map((q) => q.key);
            setMissing(unanswered);
            if (unanswered.length === 0) submit.mutate();
          }}
          noValidate
        >
          <Stack>
            <Title order={3} size="h4">
              Quiz — pass mark {quiz.passPercent}%
            </Title>
            {quiz.questions.map((question, index) => {
              const error = missing.includes(question.key) ? 'Answer this question' : undefined;
              const legend = `${String(index + 1)}. ${question.text}`;
              return (
                <Fieldset key={question.key} legend={legend} variant="unstyled">
                  {question.isMultiple ? (
                    <Checkbox.Group
                      aria-label={question.text}
                      value={answers[question.key] ?? []}
                      onChange={(value) => setAnswers({ ...answers, [question.key]: value })}
                      error={error}
                    >
                      <Stack gap={6} mt={4}>
                        {question.choices.map((choice) => (
                          <Checkbox key={choice.key} value={choice.key} label={choice.text} />
                        ))}
                      </Stack>
                    </Checkbox.Group>
                  ) : (
                    <Radio.Group
                      aria-label={question.text}
                      value={answers[question.key]?.[0] ?? null}
                      onChange={(value) => setAnswers({ ...answers, [question.key]: [value] })}
                      error={error}
                    >
                      <Stack gap={6} mt={4}>
                        {question.choices.map((choice) => (
                          <Radio key={choice.key} value={choice.key} label={choice.text} />
                        ))}
                      </Stack>
                    </Radio.Group>
                  )}
                </Fieldset>
              );
            })}
            {result ? <QuizResultAlert result={result} /> : null}
            <Group>
              <Button type="submit" loading={submit.isPending}>
                Submit answers
              </Button>
            </Group>
          </Stack>
        </form>
      ) : training.kind === 'content' ? (
        <Group>
          <Button loading={confirm.isPending} onClick={() => confirm.mutate()}>
            I have read this module
          </Button>
        </Group>
      ) : null}
      {training.completedAt !== null && result ? <QuizResultAlert result={result} /> : null}
    </Stack>
  );
}

/** The training part of "My tasks": modules to take, each with its lesson and quiz. */
export function MyTrainingSection() {
  const mine = useQuery(myTrainingQuery);
  const [openId, setOpenId] = useState<string | null>(null);
  if (mine.isPending) return <LoadingBlock label="Loading your training" />;
  if (mine.isError) return <QueryError error={mine.error} onRetry={() => void mine.refetch()} />;
  // The module being taken stays open after its pass, so the result can be read.
  const pending = mine.data.items.filter(
    (t) => t.completedAt === null || t.assignmentId === openId,
  );
  const done = mine.data.items.filter((t) => t.completedAt !== null);
  return (
    <Stack gap="md" component="section" aria-labelledby="my-training-heading">
      <Title order={2} size="h3" id="my-training-heading">
        Training
      </Title>
      {pending.length === 0 ? (
        <Alert color="green">Nothing to do: your security training is up to date.</Alert>
      ) : null}
      {pending.map((training) => (
        <Card key={training.assignmentId} withBorder>
          <Group justify="space-between" wrap="wrap">
            <Stack gap={2}>
              <Text fw={600}>{training.title}</Text>
              <Text size="sm" c="dimmed">
                About {training.estimatedMinutes} minutes · complete by {training.dueOn}
                {training.attempts > 0 && training.lastScore !== null
                  ? ` · last score ${String(training.lastScore)}%`
                  : ''}
              </Text>
            </Stack>
            <Group gap="xs">
              {training.isOverdue ? <Badge color="red">Overdue</Badge> : null}
              {training.completedAt !== null ? <Badge color="green">Completed</Badge> : null}
              <Button
                variant="light"
                aria-label={`${openId === training.assignmentId ? 'Close' : 'Take training'}: ${training.title}`}
                onClick={() =>
                  setOpenId(openId === training.assignmentId ? null : training.assignmentId)
                }
              >
                {openId === training.assignmentId ? 'Close' : 'Take training'}
              </Button>
            </Group>
          </Group>
          {openId === training.assignmentId ? (
            <TakeTraining assignmentId={training.assignmentId} onDone={() => setOpenId(null)} />
          ) : null}
        </Card>
      ))}
      {done.length > 0 ? (
        <Stack gap={4}>
          <Text fw={600}>Completed training</Text>
          {done.map((training) => (
            <Text key={training.assignmentId} size="sm">
              {training.title} — {training.completedAt?.slice(0, 10)}
              {training.score !== null ? ` (score ${String(training.score)}%)` : ''}
            </Text>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
