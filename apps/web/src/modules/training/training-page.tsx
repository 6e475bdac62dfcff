import {
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  endpoints,
  trainingCategories,
  type BodyOf,
  type ResponseOf,
  type TrainingCategory,
} from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FileField } from '../../components/file-field.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { ApiError, call, callMultipart } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { categoryLabels, formatCoverage } from './training-labels.ts';
import {
  invalidateTraining,
  trainingCoverageQuery,
  trainingModulesQuery,
  trainingTemplatesQuery,
} from './training-queries.ts';

function CoverageSummary() {
  const coverage = useQuery(trainingCoverageQuery);
  if (coverage.isPending) return <LoadingBlock label="Loading coverage" />;
  if (coverage.isError) return <QueryError error={coverage.error} />;
  const { overall, categories } = coverage.data;
  const cards = [
    { label: 'All training', coverage: overall },
    ...categories.map((c) => ({ label: categoryLabels[c.category], coverage: c.coverage })),
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
          aria-label={`Coverage: ${card.label}`}
        >
          <Text size="sm" c="dimmed">
            {card.label}
          </Text>
          <Text fw={700} size="xl">
            {card.coverage.percent}% completed
          </Text>
          <Text size="sm">
            {card.coverage.completed} of {card.coverage.audience} people
            {card.coverage.overdue > 0 ? ` · ${String(card.coverage.overdue)} overdue` : ''}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function NewModule() {
  const templates = useQuery(trainingTemplatesQuery);
  const modules = useQuery(trainingModulesQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [templateKey, setTemplateKey] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<'content' | 'external'>('content');
  const [category, setCategory] = useState<TrainingCategory>('awareness');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: (body: BodyOf<typeof endpoints.createTrainingModule>) =>
      call(endpoints.createTrainingModule, { body }),
    onSuccess: async (detail) => {
      await invalidateTraining(queryClient);
      await navigate({ to: '/training/$moduleId', params: { moduleId: detail.module.id } });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setErrors(Object.fromEntries(error.fieldErrors.map((e) => [e.path, e.message])));
      } else {
        notifications.show({ color: 'red', message: describeError(error) });
      }
    },
  });
  const adopted = new Set((modules.data?.items ?? []).map((m) => m.templateKey));
  const options = (templates.data?.items ?? [])
    .filter((t) => !adopted.has(t.key))
    .map((t) => ({ value: t.key, label: `${t.title} (${String(t.questions)} questions)` }));
  return (
    <Stack gap="md" mb="lg">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          label="Start from a starter module"
          placeholder="Choose a module"
          data={options}
          value={templateKey}
          onChange={setTemplateKey}
          w={{ base: '100%', sm: 360 }}
        />
        <Button
          disabled={templateKey === null}
          loading={create.isPending && templateKey !== null}
          onClick={() => {
            if (templateKey) create.mutate({ templateKey });
          }}
        >
          Create draft
        </Button>
      </Group>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setErrors({});
          create.mutate({ key, title, kind, category });
        }}
        noValidate
      >
        <Group gap="xs" align="flex-start" wrap="wrap">
          <TextInput
            label="Key"
            description="Lowercase letters, digits, - and _"
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            error={errors.key}
          />
          <TextInput
            label="Title"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.title}
          />
          <Select
            label="Taken"
            data={[
              { value: 'content', label: 'In Steward' },
              { value: 'external', label: 'In an external learning system' },
            ]}
            value={kind}
            onChange={(v) => setKind(v === 'external' ? 'external' : 'content')}
            allowDeselect={false}
          />
          <Select
            label="Category"
            data={trainingCategories.map((c) => ({ value: c, label: categoryLabels[c] }))}
            value={category}
            onChange={(v) => setCategory(v ?? 'awareness')}
            allowDeselect={false}
          />
          <Button
            type="submit"
            mt={24}
            variant="default"
            loading={create.isPending && templateKey === null}
          >
            Create blank module
          </Button>
        </Group>
      </form>
    </Stack>
  );
}

type ImportResult = ResponseOf<typeof endpoints.importTrainingCompletions>;

function ImportCompletions() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (preview: boolean) =>
      callMultipart(endpoints.importTrainingCompletions, {
        fields: { preview: preview ? 'true' : 'false' },
        files: { file },
      }),
    onSuccess: async (outcome) => {
      setResult(outcome);
      setError(null);
      if (outcome.applied) {
        notifications.show({
          color: 'green',
          message: `${String(outcome.summary.record)} completions recorded`,
        });
        setFile(null);
        setFileKey((k) => k + 1);
        await invalidateTraining(queryClient);
      }
    },
    onError: (e) => {
      setError(
        e instanceof ApiError && e.fieldErrors.length > 0
          ? e.fieldErrors
              .map((f) => f.message)
              .slice(0, 10)
              .join(' · ')
          : describeError(e),
      );
    },
  });
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      mt="xl"
      component="section"
      aria-label="Import completions"
    >
      <Title order={2} size="h4" mb="xs">
        Import completions from a learning system
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        CSV columns: email, module_key, completed_at (a date or date-time), score and external_id
        (optional). Preview first; applying records every row or none.
      </Text>
      <Stack>
        <FileField
          key={fileKey}
          label="Completions CSV"
          accept=".csv,text/csv"
          onChange={setFile}
        />
        <FormAlert message={error} />
        <Group>
          <Button
            variant="default"
            disabled={!file}
            loading={upload.isPending}
            onClick={() => upload.mutate(true)}
          >
            Preview
          </Button>
          <Button
            disabled={!file || !result || result.summary.error > 0}
            loading={upload.isPending}
            onClick={() => upload.mutate(false)}
          >
            Record completions
          </Button>
        </Group>
        {result ? (
          <Table.ScrollContainer minWidth={600}>
            <Table>
              <Table.Caption>
                {result.preview ? 'Preview' : 'Recorded'}: {result.summary.record} to record,{' '}
                {result.summary.duplicate} already known, {result.summary.error} with problems
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Row</Table.Th>
                  <Table.Th scope="col">Email</Table.Th>
                  <Table.Th scope="col">Module</Table.Th>
                  <Table.Th scope="col">Outcome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.rows.map((row) => (
                  <Table.Tr key={row.row}>
                    <Table.Td>{row.row}</Table.Td>
                    <Table.Td>{row.email ?? '—'}</Table.Td>
                    <Table.Td>{row.moduleKey ?? '—'}</Table.Td>
                    <Table.Td>
                      {row.action === 'error'
                        ? row.errors.map((e) => `${e.column}: ${e.message}`).join('; ')
                        : row.action === 'duplicate'
                          ? 'Already recorded'
                          : 'To record'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
    </Paper>
  );
}

function ModuleList() {
  const modules = useQuery(trainingModulesQuery);
  const [category, setCategory] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [showArchived, setShowArchived] = useState<string>('active');
  if (modules.isPending) return <LoadingBlock label="Loading training modules" />;
  if (modules.isError) {
    return <QueryError error={modules.error} onRetry={() => void modules.refetch()} />;
  }
  const needle = search.trim().toLowerCase();
  const items = modules.data.items.filter(
    (m) =>
      (category === null || m.category === category) &&
      (showArchived === 'all' || (m.archivedAt === null) === (showArchived === 'active')) &&
      (needle === '' || m.title.toLowerCase().includes(needle) || m.key.includes(needle)),
  );
  return (
    <Stack>
      <Group gap="xs" wrap="wrap">
        <TextInput
          label="Search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
        <Select
          label="Category"
          placeholder="All categories"
          clearable
          data={trainingCategories.map((c) => ({ value: c, label: categoryLabels[c] }))}
          value={category}
          onChange={setCategory}
        />
        <Select
          label="Status"
          data={[
            { value: 'active', label: 'Active' },
            { value: 'archived', label: 'Archived' },
            { value: 'all', label: 'All' },
          ]}
          value={showArchived}
          onChange={(v) => setShowArchived(v ?? 'active')}
          allowDeselect={false}
        />
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover verticalSpacing="sm">
          <Table.Caption>
            {items.length === 1 ? '1 module' : `${String(items.length)} modules`}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Module</Table.Th>
              <Table.Th scope="col">Category</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Completed</Table.Th>
              <Table.Th scope="col">Overdue</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Th scope="row" fw={400}>
                  <AnchorLink to="/training/$moduleId" params={{ moduleId: m.id }} fw={500}>
                    {m.title}
                  </AnchorLink>
                  {m.kind === 'external' ? (
                    <Text size="xs" c="dimmed">
                      External learning system
                    </Text>
                  ) : null}
                </Table.Th>
                <Table.Td>{categoryLabels[m.category]}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {m.archivedAt ? <Badge color="gray">Archived</Badge> : null}
                    {m.published ? (
                      <Badge color="green">Published v{m.published.number}</Badge>
                    ) : null}
                    {m.draft ? (
                      <Badge color="blue" variant="light">
                        Draft v{m.draft.number}
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td>{m.published ? formatCoverage(m.coverage) : '—'}</Table.Td>
                <Table.Td>
                  {m.coverage.overdue > 0 ? <Badge color="red">{m.coverage.overdue}</Badge> : '0'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function TrainingContent() {
  const canManage = useCan('training.manage');
  return (
    <>
      <PageHeader
        title="Training"
        description="Security awareness and secure development training: modules, quizzes, assignments and completion coverage"
      />
      <CoverageSummary />
      {canManage ? <NewModule /> : null}
      <ModuleList />
      {canManage ? <ImportCompletions /> : null}
    </>
  );
}

/** Training modules with their coverage. */
export function TrainingPage() {
  return (
    <RequirePermission permission="program.read" title="Training">
      <TrainingContent />
    </RequirePermission>
  );
}
