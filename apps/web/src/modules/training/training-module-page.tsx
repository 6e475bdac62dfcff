import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  endpoints,
  roles,
  trainingAssignmentStates,
  trainingAudiences,
  trainingCategories,
  type ResponseOf,
  type TrainingAssignmentState,
} from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FileField } from '../../components/file-field.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ApiError, call, callMultipart } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { MarkdownView } from '../policies/markdown-view.tsx';
import { QuizEditor, type EditableQuiz } from './quiz-editor.tsx';
import { categoryLabels } from './training-labels.ts';
import {
  invalidateTraining,
  trainingAssignmentsQuery,
  trainingModuleQuery,
  trainingVersionQuery,
} from './training-queries.ts';

type ModuleDetail = ResponseOf<typeof endpoints.getTrainingModule>;
type TrainingModule = ModuleDetail['module'];

const stateLabels: Record<TrainingAssignmentState, string> = {
  pending: 'Pending',
  overdue: 'Overdue',
  completed: 'Completed',
};

function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(error.fieldErrors.map((e) => [e.path, e.message]));
}

function CoverageCards({ module }: { module: TrainingModule }) {
  const c = module.coverage;
  const cards = [
    {
      label: 'Completed',
      value: `${String(c.percent)}%`,
      detail: `${String(c.completed)} of ${String(c.audience)} people`,
    },
    { label: 'Overdue', value: String(c.overdue), detail: 'past their due date' },
    {
      label: 'Rules',
      value: `${String(module.onboardingDays)} days`,
      detail: `after starting, then every ${String(module.cadenceMonths)} months`,
    },
  ];
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} mb="lg">
      {cards.map((card) => (
        <Paper
          key={card.label}
          withBorder
          p="md"
          radius="md"
          component="section"
          aria-label={card.label}
        >
          <Text size="sm" c="dimmed">
            {card.label}
          </Text>
          <Text fw={700} size="xl">
            {card.value}
          </Text>
          <Text size="sm">{card.detail}</Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function SettingsForm({ module }: { module: TrainingModule }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState({
    title: module.title,
    summary: module.summary,
    category: module.category,
    audience: module.audience,
    audienceValues: module.audienceValues,
    onboardingDays: module.onboardingDays,
    cadenceMonths: module.cadenceMonths,
    externalUrl: module.externalUrl ?? '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.updateTrainingModule, {
        params: { id: module.id },
        body: {
          ...values,
          externalUrl: values.externalUrl.trim() === '' ? null : values.externalUrl.trim(),
        },
      }),
    onSuccess: async () => {
      setErrors({});
      notifications.show({ color: 'green', message: 'Settings saved' });
      await invalidateTraining(queryClient);
    },
    onError: (error) => {
      setErrors(fieldErrorsOf(error));
      notifications.show({ color: 'red', message: describeError(error) });
    },
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
      noValidate
    >
      <Stack maw={640}>
        <TextInput
          label="Title"
          value={values.title}
          onChange={(e) => setValues({ ...values, title: e.currentTarget.value })}
          error={errors.title}
        />
        <Textarea
          label="Summary"
          autosize
          minRows={2}
          value={values.summary}
          onChange={(e) => setValues({ ...values, summary: e.currentTarget.value })}
          error={errors.summary}
        />
        <Select
          label="Category"
          description="Awareness modules prove the awareness training check; secure development modules the engineers' one"
          data={trainingCategories.map((c) => ({ value: c, label: categoryLabels[c] }))}
          value={values.category}
          onChange={(v) => setValues({ ...values, category: v ?? 'awareness' })}
          allowDeselect={false}
        />
        <Select
          label="Audience"
          data={trainingAudiences.map((a) => ({
            value: a,
            label: a === 'everyone' ? 'Everyone' : a === 'departments' ? 'Departments' : 'Roles',
          }))}
          value={values.audience}
          onChange={(v) => setValues({ ...values, audience: v ?? 'everyone', audienceValues: [] })}
          allowDeselect={false}
        />
        {values.audience === 'everyone' ? null : (
          <TagsInput
            label={values.audience === 'roles' ? 'Roles' : 'Departments'}
            data={values.audience === 'roles' ? [...roles] : []}
            value={values.audienceValues}
            onChange={(v) => setValues({ ...values, audienceValues: v })}
            error={errors.audienceValues ?? errors['audienceValues.0']}
          />
        )}
        <Group grow>
          <NumberInput
            label="Days to complete after starting"
            min={1}
            max={365}
            value={values.onboardingDays}
            onChange={(v) =>
              setValues({ ...values, onboardingDays: typeof v === 'number' ? v : 30 })
            }
            error={errors.onboardingDays}
          />
          <NumberInput
            label="Repeat every (months)"
            min={1}
            max={36}
            value={values.cadenceMonths}
            onChange={(v) =>
              setValues({ ...values, cadenceMonths: typeof v === 'number' ? v : 12 })
            }
            error={errors.cadenceMonths}
          />
        </Group>
        {module.kind === 'external' ? (
          <TextInput
            label="Course address in the learning system"
            value={values.externalUrl}
            onChange={(e) => setValues({ ...values, externalUrl: e.currentTarget.value })}
            error={errors.externalUrl}
          />
        ) : null}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DraftEditor({ versionId, module }: { versionId: string; module: TrainingModule }) {
  const version = useQuery(trainingVersionQuery(versionId));
  if (version.isPending) return <LoadingBlock label="Loading the draft" />;
  if (version.isError) return <QueryError error={version.error} />;
  return <DraftForm key={versionId} version={version.data} module={module} />;
}

function DraftForm({
  version,
  module,
}: {
  version: ResponseOf<typeof endpoints.getTrainingVersion>;
  module: TrainingModule;
}) {
  const queryClient = useQueryClient();
  const [body, setBody] = useState(version.body);
  const [changeSummary, setChangeSummary] = useState(version.changeSummary);
  const [quiz, setQuiz] = useState<EditableQuiz | null>(version.quiz);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.updateTrainingVersion, {
        params: { versionId: version.id },
        body: { body, changeSummary, quiz },
      }),
    onError: (error) => {
      setErrors(fieldErrorsOf(error));
      setMessage(describeError(error));
    },
  });
  const publish = useMutation({
    mutationFn: async () => {
      await save.mutateAsync();
      return call(endpoints.publishTrainingVersion, { params: { versionId: version.id } });
    },
    onSuccess: async (result) => {
      setMessage(null);
      notifications.show({
        color: 'green',
        message: `Version ${String(result.version.number)} published; ${String(result.assigned)} people assigned`,
      });
      await invalidateTraining(queryClient);
    },
    onError: (error) => {
      setErrors(fieldErrorsOf(error));
      setMessage(describeError(error));
    },
  });
  return (
    <Stack>
      <Title order={3} size="h4">
        Draft version {version.number}
      </Title>
      <FormAlert message={message} />
      <TextInput
        label="What changed"
        value={changeSummary}
        onChange={(e) => setChangeSummary(e.currentTarget.value)}
      />
      <Tabs defaultValue="write">
        <Tabs.List>
          <Tabs.Tab value="write">Write</Tabs.Tab>
          <Tabs.Tab value="preview">Preview</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="write" pt="sm">
          <Textarea
            label="Lesson (Markdown)"
            autosize
            minRows={10}
            maxRows={30}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={errors.body}
          />
        </Tabs.Panel>
        <Tabs.Panel value="preview" pt="sm">
          <MarkdownView source={body} />
        </Tabs.Panel>
      </Tabs>
      <QuizEditor quiz={quiz} onChange={setQuiz} errors={errors} />
      <Group>
        <Button
          variant="default"
          loading={save.isPending && !publish.isPending}
          onClick={() =>
            save.mutate(undefined, {
              onSuccess: () => {
                setErrors({});
                setMessage(null);
                notifications.show({ color: 'green', message: 'Draft saved' });
                void invalidateTraining(queryClient);
              },
            })
          }
        >
          Save draft
        </Button>
        <Button
          loading={publish.isPending}
          onClick={() => publish.mutate()}
          disabled={module.archivedAt !== null}
        >
          Publish version {version.number}
        </Button>
      </Group>
    </Stack>
  );
}

function Versions({ detail }: { detail: ModuleDetail }) {
  const canManage = useCan('training.manage');
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      call(endpoints.createTrainingVersion, { params: { id: detail.module.id }, body: {} }),
    onSuccess: async () => {
      await invalidateTraining(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  const draft = detail.module.draft;
  return (
    <Stack>
      <Table.ScrollContainer minWidth={560}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Version</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Quiz</Table.Th>
              <Table.Th scope="col">Published</Table.Th>
              <Table.Th scope="col">What changed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {detail.versions.map((v) => (
              <Table.Tr key={v.id}>
                <Table.Td>{v.number}</Table.Td>
                <Table.Td>{v.status}</Table.Td>
                <Table.Td>{v.hasQuiz ? `${String(v.questions)} questions` : 'None'}</Table.Td>
                <Table.Td>
                  {v.publishedAt
                    ? `${v.publishedAt.slice(0, 10)} by ${v.publishedBy?.name ?? '—'}`
                    : '—'}
                </Table.Td>
                <Table.Td>{v.changeSummary || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {canManage && draft ? <DraftEditor versionId={draft.id} module={detail.module} /> : null}
      {canManage && !draft && detail.module.archivedAt === null ? (
        <Group>
          <Button variant="default" loading={create.isPending} onClick={() => create.mutate()}>
            Start a new version
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function Assignments({ module }: { module: TrainingModule }) {
  const [state, setState] = useState<TrainingAssignmentState | undefined>(undefined);
  const assignments = useQuery(trainingAssignmentsQuery(module.id, state));
  const canManage = useCan('training.manage');
  const queryClient = useQueryClient();
  const assign = useMutation({
    mutationFn: () => call(endpoints.assignTrainingModule, { params: { id: module.id } }),
    onSuccess: async (result) => {
      notifications.show({ color: 'green', message: `${String(result.assigned)} people assigned` });
      await invalidateTraining(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <Select
          label="State"
          placeholder="All states"
          clearable
          data={trainingAssignmentStates.map((s) => ({ value: s, label: stateLabels[s] }))}
          value={state ?? null}
          onChange={(v) => setState(v ?? undefined)}
        />
        {canManage && module.published && module.archivedAt === null ? (
          <Button variant="default" loading={assign.isPending} onClick={() => assign.mutate()}>
            Apply the assignment rules now
          </Button>
        ) : null}
      </Group>
      {assignments.isPending ? (
        <LoadingBlock label="Loading assignments" />
      ) : assignments.isError ? (
        <QueryError error={assignments.error} />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped>
            <Table.Caption>{assignments.data.items.length} assignments</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Person</Table.Th>
                <Table.Th scope="col">Why</Table.Th>
                <Table.Th scope="col">Due</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col">Completed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {assignments.data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Th scope="row" fw={400}>
                    {a.name}
                    <Text size="xs" c="dimmed">
                      {a.email ?? ''}
                      {a.department ? ` · ${a.department}` : ''}
                    </Text>
                  </Table.Th>
                  <Table.Td>{a.reason}</Table.Td>
                  <Table.Td>{a.dueOn}</Table.Td>
                  <Table.Td>
                    <Badge
                      color={
                        a.state === 'completed' ? 'green' : a.state === 'overdue' ? 'red' : 'blue'
                      }
                    >
                      {a.state}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {a.completedAt
                      ? `${a.completedAt.slice(0, 10)} · ${a.method ?? ''}${a.score !== null ? ` · ${String(a.score)}%` : ''} · v${String(a.versionNumber ?? '')}`
                      : a.attempts > 0
                        ? `${String(a.attempts)} attempts`
                        : '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function UploadCertificate({ module }: { module: TrainingModule }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [score, setScore] = useState<number | string>('');
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const upload = useMutation({
    mutationFn: () =>
      callMultipart(endpoints.uploadTrainingCompletion, {
        params: { id: module.id },
        fields: { email, score: typeof score === 'number' ? score : undefined },
        files: { file },
      }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Completion recorded with its certificate' });
      setEmail('');
      setScore('');
      setFile(null);
      setFileKey((k) => k + 1);
      setErrors({});
      await invalidateTraining(queryClient);
    },
    onError: (error) => {
      setErrors({
        ...fieldErrorsOf(error),
        ...(error instanceof ApiError && error.fieldErrors.length === 0
          ? { form: describeError(error) }
          : {}),
      });
    },
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const local = {
          ...(email.trim() ? {} : { email: 'Enter the person’s email' }),
          ...(file ? {} : { file: 'Attach the certificate' }),
        };
        setErrors(local);
        if (Object.keys(local).length === 0) upload.mutate();
      }}
      noValidate
    >
      <Stack maw={520}>
        <FormAlert message={errors.form ?? null} />
        <TextInput
          label="Person’s email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={errors.email}
        />
        <NumberInput
          label="Score (%)"
          min={0}
          max={100}
          value={score}
          onChange={setScore}
          error={errors.score}
        />
        <FileField key={fileKey} label="Certificate" error={errors.file} onChange={setFile} />
        <Group>
          <Button type="submit" loading={upload.isPending}>
            Record completion
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ModuleContent({ moduleId }: { moduleId: string }) {
  const detail = useQuery(trainingModuleQuery(moduleId));
  const canManage = useCan('training.manage');
  const queryClient = useQueryClient();
  const report = useMutation({
    mutationFn: () => call(endpoints.recordTrainingCampaign, { params: { id: moduleId } }),
    onSuccess: async (result) => {
      notifications.show({
        color: 'green',
        message: result.taskKey
          ? `Completion report kept as evidence of the task ${result.taskKey}`
          : 'Completion report kept as evidence',
      });
      await invalidateTraining(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  const archive = useMutation({
    mutationFn: () => call(endpoints.archiveTrainingModule, { params: { id: moduleId } }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Module archived' });
      await invalidateTraining(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  if (detail.isPending) return <LoadingBlock label="Loading the module" />;
  if (detail.isError)
    return <QueryError error={detail.error} onRetry={() => void detail.refetch()} />;
  const module = detail.data.module;
  return (
    <>
      <PageHeader
        title={module.title}
        description={module.summary}
        actions={
          canManage && module.archivedAt === null ? (
            <>
              {module.published && module.category !== 'other' ? (
                <Button variant="light" loading={report.isPending} onClick={() => report.mutate()}>
                  Keep the completion report as evidence
                </Button>
              ) : null}
              <Button
                variant="subtle"
                color="red"
                loading={archive.isPending}
                onClick={() => archive.mutate()}
              >
                Archive
              </Button>
            </>
          ) : null
        }
      />
      <Group gap="xs" mb="md">
        <Badge variant="light">{categoryLabels[module.category]}</Badge>
        {module.kind === 'external' ? (
          <Badge variant="light">External learning system</Badge>
        ) : null}
        {module.published ? (
          <Badge color="green">Published v{module.published.number}</Badge>
        ) : (
          <Badge color="gray">Not published</Badge>
        )}
        {module.archivedAt ? <Badge color="gray">Archived</Badge> : null}
        <Badge variant="outline">
          {module.audience === 'everyone'
            ? 'Everyone'
            : `${module.audience}: ${module.audienceValues.join(', ')}`}
        </Badge>
      </Group>
      {module.published ? null : (
        <Alert color="yellow" mb="md">
          Nobody is assigned this module until a version is published.
        </Alert>
      )}
      <CoverageCards module={module} />
      <Tabs defaultValue="assignments">
        <Tabs.List>
          <Tabs.Tab value="assignments">Assignments</Tabs.Tab>
          <Tabs.Tab value="versions">Versions</Tabs.Tab>
          {canManage ? <Tabs.Tab value="settings">Settings</Tabs.Tab> : null}
          {canManage && module.kind === 'external' ? (
            <Tabs.Tab value="upload">Record a completion</Tabs.Tab>
          ) : null}
        </Tabs.List>
        <Tabs.Panel value="assignments" pt="md">
          <Assignments module={module} />
        </Tabs.Panel>
        <Tabs.Panel value="versions" pt="md">
          <Versions detail={detail.data} />
        </Tabs.Panel>
        {canManage ? (
          <Tabs.Panel value="settings" pt="md">
            <SettingsForm key={module.id} module={module} />
          </Tabs.Panel>
        ) : null}
        {canManage && module.kind === 'external' ? (
          <Tabs.Panel value="upload" pt="md">
            <UploadCertificate module={module} />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </>
  );
}

/** One training module: coverage, assignments, versions with the draft editor, settings. */
export function TrainingModulePage({ moduleId }: { moduleId: string }) {
  return (
    <RequirePermission permission="program.read" title="Training">
      <ModuleContent moduleId={moduleId} />
    </RequirePermission>
  );
}
