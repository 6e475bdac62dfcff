import { Button, Card, Group, NumberInput, Stack, Switch } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints, programSettingsSchema } from '@steward/contracts';
import type { z } from 'zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { invalidateProgram, programKey } from '../dashboard/program-cache.ts';

type ProgramSettings = z.output<typeof programSettingsSchema>;

const settingsQueryKey = [programKey, 'settings'];

// Number inputs hold a string while the person is typing.
interface SettingsValues {
  evidenceRetentionDays: number | string;
  taskDueWindowDays: number | string;
  isDigestEnabled: boolean;
}

function ProgramSettingsForm({ settings }: { settings: ProgramSettings }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SettingsValues>({
    mode: 'uncontrolled',
    initialValues: settings,
    validate: {
      evidenceRetentionDays: (value) =>
        Number.isInteger(Number(value)) && Number(value) >= 30 && Number(value) <= 3650
          ? null
          : 'Enter a whole number of days from 30 to 3650',
      taskDueWindowDays: (value) =>
        Number.isInteger(Number(value)) && Number(value) >= 1 && Number(value) <= 180
          ? null
          : 'Enter a whole number of days from 1 to 180',
    },
  });
  const save = useMutation({
    mutationFn: (values: SettingsValues) =>
      call(endpoints.updateProgramSettings, {
        body: {
          evidenceRetentionDays: Number(values.evidenceRetentionDays),
          taskDueWindowDays: Number(values.taskDueWindowDays),
          isDigestEnabled: values.isDigestEnabled,
        },
      }),
    onSuccess: async (saved) => {
      setFormError(null);
      queryClient.setQueryData(settingsQueryKey, saved);
      notifications.show({ color: 'green', message: 'Program settings saved' });
      await invalidateProgram(queryClient);
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });

  return (
    <Card withBorder radius="md" padding="lg" maw={640}>
      <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate>
        <Stack>
          <FormAlert message={formError} />
          <NumberInput
            label="Evidence retention (days)"
            description="Evidence cannot be deleted until this long after it was added."
            min={30}
            max={3650}
            allowDecimal={false}
            key={form.key('evidenceRetentionDays')}
            {...form.getInputProps('evidenceRetentionDays')}
          />
          <NumberInput
            label="Tasks are due this many days ahead"
            description="A task counts as due, and its owner is reminded, this long before its date."
            min={1}
            max={180}
            allowDecimal={false}
            key={form.key('taskDueWindowDays')}
            {...form.getInputProps('taskDueWindowDays')}
          />
          <Switch
            label="Send control owners a daily digest of what is failing or due"
            key={form.key('isDigestEnabled')}
            {...form.getInputProps('isDigestEnabled', { type: 'checkbox' })}
          />
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function ProgramSettingsContent() {
  const settings = useQuery({
    queryKey: settingsQueryKey,
    queryFn: ({ signal }) => call(endpoints.getProgramSettings, { signal }),
  });
  return (
    <>
      <PageHeader
        title="Program settings"
        description="How long evidence is kept, when tasks fall due, and who hears about it."
      />
      {settings.isPending ? <LoadingBlock label="Loading program settings" /> : null}
      {settings.isError ? (
        <QueryError
          error={settings.error}
          title="Could not load program settings"
          onRetry={() => void settings.refetch()}
        />
      ) : null}
      {settings.data ? <ProgramSettingsForm settings={settings.data} /> : null}
    </>
  );
}

/** `/settings/program`: evidence retention, task due window and the owners' digest. */
export function ProgramSettingsPage() {
  return (
    <RequirePermission permission="program.manage" title="Program settings">
      <ProgramSettingsContent />
    </RequirePermission>
  );
}
