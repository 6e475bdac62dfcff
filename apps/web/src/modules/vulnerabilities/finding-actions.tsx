import { TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints, maxRiskAcceptanceDays } from '@steward/contracts';
import type { FindingDetail } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormModal } from '../../components/form-frame.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { addDaysToDay, todayUtcDay } from '../../lib/format.ts';
import { vulnerabilitiesKey } from './vulnerabilities-queries.ts';

type TransitionTarget = FindingDetail['allowedTransitions'][number];

/** What each manual transition is called on its button and dialog. */
export const transitionLabels: Record<TransitionTarget, string> = {
  false_positive: 'Mark false positive',
  not_affected: 'Mark not affected',
  fixed: 'Mark fixed',
  open: 'Reopen',
};

/** Ask why, then move the finding to another state. */
export function TransitionModal({
  finding,
  to,
  onClose,
}: {
  finding: FindingDetail;
  to: TransitionTarget | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { reason: '' },
    validate: { reason: (value) => (value.trim().length >= 3 ? null : 'Say why') },
  });
  const save = useMutation({
    mutationFn: (values: { reason: string }) =>
      call(endpoints.transitionFinding, {
        params: { id: finding.id },
        body: { to: to ?? 'open', reason: values.reason },
      }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Finding updated' });
      await queryClient.invalidateQueries({ queryKey: [vulnerabilitiesKey] });
      form.reset();
      onClose();
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });
  const title = to ? transitionLabels[to] : '';
  return (
    <FormModal
      opened={to !== null}
      onClose={onClose}
      title={title}
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
      error={formError}
      submitLabel={title}
      isPending={save.isPending}
    >
      <Textarea
        label="Reason"
        description="Kept in the finding's history"
        autosize
        minRows={3}
        required
        key={form.key('reason')}
        {...form.getInputProps('reason')}
      />
    </FormModal>
  );
}

/** Ask for a risk acceptance: justification and an expiry at most a year away. */
export function RiskAcceptanceModal({
  finding,
  opened,
  onClose,
}: {
  finding: FindingDetail;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const today = todayUtcDay();
  const latest = addDaysToDay(today, maxRiskAcceptanceDays);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { justification: '', expiresOn: addDaysToDay(today, 90) },
    validate: {
      justification: (value) =>
        value.trim().length >= 10
          ? null
          : 'Explain the risk and its compensating measures (10 characters or more)',
      expiresOn: (value) =>
        !value
          ? 'Choose an expiry date'
          : value <= today
            ? 'The expiry must be in the future'
            : value > latest
              ? 'A risk acceptance lasts at most a year'
              : null,
    },
  });
  const save = useMutation({
    mutationFn: (values: { justification: string; expiresOn: string }) =>
      call(endpoints.requestRiskAcceptance, { params: { id: finding.id }, body: values }),
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        message: 'Risk acceptance requested; someone else must approve it',
      });
      await queryClient.invalidateQueries({ queryKey: [vulnerabilitiesKey] });
      form.reset();
      onClose();
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title="Request risk acceptance"
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
      error={formError}
      submitLabel="Request acceptance"
      isPending={save.isPending}
    >
      <Textarea
        label="Justification"
        description="Why the risk is acceptable and what compensates for it"
        autosize
        minRows={4}
        required
        key={form.key('justification')}
        {...form.getInputProps('justification')}
      />
      <TextInput
        label="Expires on"
        type="date"
        description="At most a year from today; the finding reopens then"
        min={addDaysToDay(today, 1)}
        max={latest}
        required
        key={form.key('expiresOn')}
        {...form.getInputProps('expiresOn')}
      />
    </FormModal>
  );
}
