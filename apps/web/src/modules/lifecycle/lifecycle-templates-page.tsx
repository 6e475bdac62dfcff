import {
  ActionIcon,
  Button,
  Card,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  employmentTypes,
  endpoints,
  lifecycleKinds,
  type EmploymentType,
  type LifecycleKind,
  type LifecycleSettings,
  type LifecycleTemplate,
} from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { ApiError, call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { employmentLabels } from '../people/people-labels.ts';
import {
  invalidateLifecycle,
  kindLabels,
  lifecycleSettingsQuery,
  lifecycleTemplatesQuery,
} from './lifecycle-queries.ts';

type ItemType = LifecycleTemplate['items'][number]['type'];

const typeLabels: Record<ItemType, string> = {
  task: 'Task',
  disable_accounts: 'Disable every account (one item per account)',
  review_accounts: 'Review the person’s accounts',
};

interface DraftItem {
  key: number;
  title: string;
  description: string;
  type: ItemType;
  employmentTypes: EmploymentType[];
}

let nextKey = 1;

function TemplateEditor({ template }: { template: LifecycleTemplate }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(template.name);
  const [items, setItems] = useState<DraftItem[]>(() =>
    template.items.map((item) => ({ ...item, key: nextKey++ })),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const typeOptions = (Object.keys(typeLabels) as ItemType[])
    .filter((type) => type !== 'disable_accounts' || template.kind === 'leaver')
    .map((value) => ({ value, label: typeLabels[value] }));

  const save = useMutation({
    mutationFn: () =>
      call(endpoints.updateLifecycleTemplate, {
        params: { kind: template.kind },
        body: {
          name,
          items: items.map(({ title, description, type, employmentTypes: types }) => ({
            title,
            description,
            type,
            employmentTypes: types,
          })),
        },
      }),
    onSuccess: async () => {
      setErrors({});
      setAlert(null);
      await invalidateLifecycle(queryClient);
      notifications.show({
        color: 'green',
        message: `${kindLabels[template.kind]} template saved`,
      });
    },
    onError: (error) => {
      const found: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const f of error.fieldErrors) found[f.path] ??= f.message;
      }
      setErrors(found);
      setAlert(describeError(error));
    },
  });

  const update = (key: number, change: Partial<DraftItem>) =>
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  const move = (index: number, by: -1 | 1) =>
    setItems((list) => {
      const next = [...list];
      const [moved] = next.splice(index, 1);
      if (moved) next.splice(index + by, 0, moved);
      return next;
    });

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <FormAlert message={alert} />
        <TextInput
          label="Template name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.name}
        />
        {items.map((item, index) => (
          <Card withBorder padding="sm" key={item.key}>
            <Stack gap="xs">
              <Group justify="space-between">
                <Text size="sm" fw={600}>
                  Item {index + 1}
                </Text>
                <Group gap={4}>
                  <ActionIcon
                    variant="default"
                    aria-label={`Move item ${String(index + 1)} up`}
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    ↑
                  </ActionIcon>
                  <ActionIcon
                    variant="default"
                    aria-label={`Move item ${String(index + 1)} down`}
                    disabled={index === items.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    ↓
                  </ActionIcon>
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    onClick={() => setItems((list) => list.filter((i) => i.key !== item.key))}
                  >
                    Remove item {index + 1}
                  </Button>
                </Group>
              </Group>
              <TextInput
                label={`Title of item ${String(index + 1)}`}
                required
                value={item.title}
                onChange={(e) => update(item.key, { title: e.currentTarget.value })}
                error={errors[`items.${String(index)}.title`]}
              />
              <Textarea
                label={`Description of item ${String(index + 1)}`}
                value={item.description}
                autosize
                minRows={1}
                onChange={(e) => update(item.key, { description: e.currentTarget.value })}
                error={errors[`items.${String(index)}.description`]}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                <Select
                  label={`Kind of item ${String(index + 1)}`}
                  data={typeOptions}
                  value={item.type}
                  allowDeselect={false}
                  onChange={(value) => update(item.key, { type: value ?? 'task' })}
                  error={errors[`items.${String(index)}.type`]}
                />
                <MultiSelect
                  label={`Applies to (item ${String(index + 1)})`}
                  placeholder="Everyone"
                  data={employmentTypes.map((value) => ({
                    value,
                    label: employmentLabels[value],
                  }))}
                  value={item.employmentTypes}
                  onChange={(value) => update(item.key, { employmentTypes: value })}
                />
              </SimpleGrid>
            </Stack>
          </Card>
        ))}
        {errors.items ? (
          <Text size="sm" c="red">
            {errors.items}
          </Text>
        ) : null}
        <Group justify="space-between">
          <Button
            variant="default"
            onClick={() =>
              setItems((list) => [
                ...list,
                { key: nextKey++, title: '', description: '', type: 'task', employmentTypes: [] },
              ])
            }
          >
            Add item
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save {kindLabels[template.kind].toLowerCase()} template
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SettingsForm({ settings }: { settings: LifecycleSettings }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState(settings);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => call(endpoints.updateLifecycleSettings, { body: values }),
    onSuccess: async () => {
      setErrors({});
      setAlert(null);
      await invalidateLifecycle(queryClient);
      notifications.show({ color: 'green', message: 'Deadlines saved' });
    },
    onError: (error) => {
      const found: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const f of error.fieldErrors) found[f.path] ??= f.message;
      }
      setErrors(found);
      setAlert(describeError(error));
    },
  });
  const field = (key: keyof LifecycleSettings, label: string, max: number) => (
    <NumberInput
      label={label}
      min={1}
      max={max}
      value={values[key]}
      onChange={(value) =>
        setValues((v) => ({ ...v, [key]: typeof value === 'number' ? value : 0 }))
      }
      error={errors[key]}
    />
  );
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <FormAlert message={alert} />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          {field('leaverDeadlineHours', 'Leaver deadline (hours)', 720)}
          {field('moverDeadlineHours', 'Mover deadline (hours)', 2160)}
          {field('joinerDeadlineHours', 'Joiner deadline (hours)', 2160)}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            Save deadlines
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Templates() {
  const templates = useQuery(lifecycleTemplatesQuery);
  const settings = useQuery(lifecycleSettingsQuery);
  const [tab, setTab] = useState<LifecycleKind>('joiner');
  if (templates.isPending || settings.isPending) return <LoadingBlock label="Loading templates" />;
  if (templates.isError || settings.isError) {
    return (
      <QueryError
        error={templates.error ?? settings.error}
        onRetry={() => {
          void templates.refetch();
          void settings.refetch();
        }}
      />
    );
  }
  return (
    <Stack gap="lg">
      <Card withBorder padding="md" component="section" aria-labelledby="deadlines-heading">
        <Title order={2} size="h4" id="deadlines-heading" mb="sm">
          Deadlines
        </Title>
        <SettingsForm settings={settings.data} />
      </Card>
      <Card withBorder padding="md" component="section" aria-labelledby="templates-heading">
        <Title order={2} size="h4" id="templates-heading" mb="sm">
          Templates
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Each event opens a checklist from its template; open checklists keep the items they opened
          with.
        </Text>
        <Tabs value={tab} onChange={(value) => setTab((value ?? 'joiner') as LifecycleKind)}>
          <Tabs.List>
            {lifecycleKinds.map((kind) => (
              <Tabs.Tab key={kind} value={kind}>
                {kindLabels[kind]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {templates.data.items.map((template) => (
            <Tabs.Panel key={template.kind} value={template.kind} pt="md">
              <TemplateEditor template={template} />
            </Tabs.Panel>
          ))}
        </Tabs>
      </Card>
    </Stack>
  );
}

/** The template editor and deadlines of joiner, mover and leaver checklists. */
export function LifecycleTemplatesPage() {
  return (
    <RequirePermission permission="people.manage" title="Lifecycle templates">
      <PageHeader
        title="Lifecycle templates"
        description={
          <AnchorLink to="/lifecycle" size="sm">
            Back to checklists
          </AnchorLink>
        }
      />
      <Templates />
    </RequirePermission>
  );
}
