import { Alert, Modal, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import {
  endpoints,
  screeningStatuses,
  type ResponseOf,
  type ScreeningStatus,
} from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { FormActions } from '../../components/form-frame.tsx';
import { ApiError, call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateScreening } from './screening-queries.ts';
import { screeningStatusLooks } from './screening-labels.ts';

type ScreeningRecord = ResponseOf<typeof endpoints.getScreening>;

/** Record a person's screening outcome, dates and provider (never the report). */
export function ScreeningRecordModal({
  record,
  onClose,
}: {
  record: ScreeningRecord;
  onClose: () => void;
}) {
  const [status, setStatus] = useState<ScreeningStatus>(record.status);
  const [completedOn, setCompletedOn] = useState(record.completedOn ?? '');
  const [provider, setProvider] = useState(record.provider);
  const [country, setCountry] = useState(record.country ?? '');
  const [override, setOverride] = useState<string>(record.override ?? 'rules');
  const [overrideReason, setOverrideReason] = useState(record.overrideReason);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const isFinished = status === 'cleared' || status === 'adverse';
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.updateScreening, {
        params: { id: record.person.id },
        body: {
          status,
          completedOn: isFinished && completedOn !== '' ? completedOn : null,
          provider,
          country: country.trim() === '' ? null : country.trim(),
          override: override === 'rules' ? null : (override as 'applies' | 'not_required'),
          overrideReason: override === 'rules' ? '' : overrideReason,
        },
      }),
    onSuccess: async () => {
      await invalidateScreening(queryClient);
      onClose();
    },
    onError: (error) => {
      const byField: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const e of error.fieldErrors) byField[e.path] ??= e.message;
      }
      setErrors(byField);
      // Field errors sit next to their inputs; the alert is for the rest.
      setFormError(
        error instanceof ApiError && error.fieldErrors.length > 0 ? null : describeError(error),
      );
    },
  });
  return (
    <Modal opened onClose={onClose} title={`Screening of ${record.person.name}`} size="lg">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setErrors({});
          setFormError(null);
          save.mutate();
        }}
      >
        <Stack>
          <Alert color="blue" variant="light">
            Record the outcome and dates only. Steward never stores a screening report: keep reports
            with HR or your screening provider.
          </Alert>
          <FormAlert message={formError} />
          <Text size="sm">Currently: {record.reason}</Text>
          <TextInput
            label="Country of work"
            description="Two-letter ISO code, e.g. GB; decides whether screening is permitted"
            value={country}
            maxLength={2}
            onChange={(e) => setCountry(e.currentTarget.value.toUpperCase())}
            error={errors.country}
            w={260}
          />
          <Select
            label="Status"
            allowDeselect={false}
            data={screeningStatuses.map((s) => ({
              value: s,
              label: screeningStatusLooks[s].label,
            }))}
            value={status}
            onChange={(v) => {
              if (v) setStatus(v);
            }}
            error={errors.status}
          />
          {isFinished ? (
            <TextInput
              label="Completed on"
              type="date"
              value={completedOn}
              onChange={(e) => setCompletedOn(e.currentTarget.value)}
              error={errors.completedOn}
              w={220}
            />
          ) : null}
          <TextInput
            label="Provider"
            value={provider}
            onChange={(e) => setProvider(e.currentTarget.value)}
            error={errors.provider}
          />
          <Select
            label="Does screening apply?"
            allowDeselect={false}
            data={[
              { value: 'rules', label: 'As the role rules decide' },
              { value: 'applies', label: 'Applies (HR decision)' },
              { value: 'not_required', label: 'Not required (HR decision)' },
            ]}
            value={override}
            onChange={(v) => setOverride(v ?? 'rules')}
            error={errors.override}
          />
          {override === 'rules' ? null : (
            <Textarea
              label="Reason for the decision"
              value={overrideReason}
              onChange={(e) => setOverrideReason(e.currentTarget.value)}
              error={errors.overrideReason}
            />
          )}
          <FormActions onCancel={onClose} submitLabel="Save" isPending={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
