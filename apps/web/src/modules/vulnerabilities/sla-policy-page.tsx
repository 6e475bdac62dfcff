import { Button, Group, NumberInput, Paper, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { SlaPolicy } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ApiError, call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { slaPolicyQuery, vulnerabilitiesKey } from './vulnerabilities-queries.ts';

type NumberField =
  | 'criticalDays'
  | 'highDays'
  | 'mediumDays'
  | 'lowDays'
  | 'infoDays'
  | 'kevDays'
  | 'withinSlaTargetPercent'
  | 'scanFreshnessDays';

const fields: { name: NumberField; label: string; description: string; nullable?: boolean }[] = [
  { name: 'criticalDays', label: 'Critical (days)', description: 'From first seen' },
  { name: 'highDays', label: 'High (days)', description: 'From first seen' },
  { name: 'mediumDays', label: 'Medium (days)', description: 'From first seen' },
  { name: 'lowDays', label: 'Low (days)', description: 'From first seen' },
  { name: 'infoDays', label: 'Info (days)', description: 'Empty: no deadline', nullable: true },
  {
    name: 'kevDays',
    label: 'Known exploited (days)',
    description: "In CISA's KEV list; empty: no shorter deadline",
    nullable: true,
  },
  {
    name: 'withinSlaTargetPercent',
    label: 'Target within SLA (%)',
    description: 'Of findings fixed over 90 days',
  },
  {
    name: 'scanFreshnessDays',
    label: 'Scan freshness (days)',
    description: 'A repository needs a scan this recent',
  },
];

type Values = Record<NumberField, number | null>;

function toValues(policy: SlaPolicy): Values {
  return {
    criticalDays: policy.criticalDays,
    highDays: policy.highDays,
    mediumDays: policy.mediumDays,
    lowDays: policy.lowDays,
    infoDays: policy.infoDays,
    kevDays: policy.kevDays,
    withinSlaTargetPercent: policy.withinSlaTargetPercent,
    scanFreshnessDays: policy.scanFreshnessDays,
  };
}

function SlaPolicyForm({ policy }: { policy: SlaPolicy }) {
  const canManage = useCan('findings.manage');
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => toValues(policy));
  const [restartOnReopen, setRestartOnReopen] = useState(policy.restartOnReopen);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () => {
      const required = (value: number | null, fallback: number) => value ?? fallback;
      return call(endpoints.updateSlaPolicy, {
        body: {
          criticalDays: required(values.criticalDays, policy.criticalDays),
          highDays: required(values.highDays, policy.highDays),
          mediumDays: required(values.mediumDays, policy.mediumDays),
          lowDays: required(values.lowDays, policy.lowDays),
          infoDays: values.infoDays,
          kevDays: values.kevDays,
          withinSlaTargetPercent: required(
            values.withinSlaTargetPercent,
            policy.withinSlaTargetPercent,
          ),
          scanFreshnessDays: required(values.scanFreshnessDays, policy.scanFreshnessDays),
          restartOnReopen,
        },
      });
    },
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'SLA policy saved; due dates recomputed' });
      await queryClient.invalidateQueries({ queryKey: [vulnerabilitiesKey] });
    },
    onError: (error) => {
      const byField: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const fieldError of error.fieldErrors) byField[fieldError.path] ??= fieldError.message;
      }
      setFieldErrors(byField);
      setFormError(describeError(error));
    },
  });
  return (
    <Paper withBorder radius="md" p="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setFormError(null);
          setFieldErrors({});
          save.mutate();
        }}
        noValidate
      >
        <Stack>
          <FormAlert message={formError} />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {fields.map((field) => (
              <NumberInput
                key={field.name}
                label={field.label}
                description={field.description}
                min={field.name === 'withinSlaTargetPercent' ? 0 : 1}
                max={field.name === 'withinSlaTargetPercent' ? 100 : 3650}
                allowDecimal={field.name === 'withinSlaTargetPercent'}
                disabled={!canManage}
                error={fieldErrors[field.name]}
                value={values[field.name] ?? ''}
                onChange={(value) =>
                  setValues((current) => ({
                    ...current,
                    [field.name]: typeof value === 'number' ? value : null,
                  }))
                }
              />
            ))}
          </SimpleGrid>
          <Switch
            label="A reopened or reappearing finding gets a fresh deadline"
            checked={restartOnReopen}
            disabled={!canManage}
            onChange={(event) => setRestartOnReopen(event.currentTarget.checked)}
          />
          <Text size="sm" c="dimmed">
            Shorter deadlines for production and critical assets are kept as they are.
          </Text>
          {canManage ? (
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save policy
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

function SlaPolicyContent() {
  const policy = useQuery(slaPolicyQuery());
  return (
    <>
      <PageHeader
        title="Remediation SLA"
        description="Days to remediate a finding per severity. Changing them recomputes every due date."
      />
      {policy.isPending ? <LoadingBlock label="Loading the policy" /> : null}
      {policy.isError ? (
        <QueryError
          error={policy.error}
          title="Could not load the policy"
          onRetry={() => void policy.refetch()}
        />
      ) : null}
      {policy.isSuccess ? <SlaPolicyForm policy={policy.data} /> : null}
    </>
  );
}

/** `/settings/sla-policy`: the organisation's remediation deadlines. */
export function SlaPolicyPage() {
  return (
    <RequirePermission permission="findings.read" title="Remediation SLA">
      <SlaPolicyContent />
    </RequirePermission>
  );
}
