import {
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints, riskRegisterReviewKinds } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { invalidateRisks, registerReviewsQuery, riskSettingsQuery } from './risks-queries.ts';

const kindLabels: Record<(typeof riskRegisterReviewKinds)[number], string> = {
  register_review: 'Register review (quarterly)',
  annual_assessment: 'Annual risk assessment',
};

function RecordReview() {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: {
      kind: 'register_review' as (typeof riskRegisterReviewKinds)[number],
      note: '',
    },
  });
  const record = useMutation({
    mutationFn: (values: { kind: (typeof riskRegisterReviewKinds)[number]; note: string }) =>
      call(endpoints.recordRiskRegisterReview, { body: values }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Review recorded as evidence' });
      form.reset();
      await invalidateRisks(queryClient);
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      mb="lg"
      component="section"
      aria-labelledby="record-review"
    >
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          record.mutate(values);
        })}
      >
        <Stack gap="sm">
          <Title order={2} size="h4" id="record-review">
            Record a review of the register
          </Title>
          <Text size="sm" c="dimmed">
            The review is kept with a snapshot of the register and filed as evidence of the
            program&apos;s review task (and of the yearly assessment task for an assessment).
          </Text>
          <FormAlert message={formError} />
          <NativeSelect
            label="Kind"
            data={riskRegisterReviewKinds.map((k) => ({ value: k, label: kindLabels[k] }))}
            key={form.key('kind')}
            {...form.getInputProps('kind')}
          />
          <Textarea
            label="What was reviewed and decided"
            required
            autosize
            minRows={3}
            key={form.key('note')}
            {...form.getInputProps('note')}
          />
          <Group>
            <Button type="submit" loading={record.isPending}>
              Record review
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function CadenceSetting({ months }: { months: number }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { reviewCadenceMonths: String(months) },
  });
  const save = useMutation({
    mutationFn: (values: { reviewCadenceMonths: string }) =>
      call(endpoints.updateRiskSettings, {
        body: { reviewCadenceMonths: Number(values.reviewCadenceMonths) },
      }),
    onSuccess: async (saved) => {
      notifications.show({
        color: 'green',
        message: `Risks are now reviewed every ${String(saved.reviewCadenceMonths)} months`,
      });
      await invalidateRisks(queryClient);
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
    >
      <Group align="flex-end" gap="sm" mb="lg">
        <FormAlert message={formError} />
        <NativeSelect
          label="Review each risk every"
          data={[...new Set([1, 3, 6, 12, 18, 24, months])]
            .sort((a, b) => a - b)
            .map((m) => ({ value: String(m), label: `${String(m)} months` }))}
          key={form.key('reviewCadenceMonths')}
          {...form.getInputProps('reviewCadenceMonths')}
        />
        <Button type="submit" variant="default" loading={save.isPending}>
          Save cadence
        </Button>
      </Group>
    </form>
  );
}

function ReviewsContent() {
  const canManage = useCan('risks.manage');
  const reviews = useQuery(registerReviewsQuery);
  const settings = useQuery(riskSettingsQuery);
  return (
    <>
      <PageHeader
        title="Risk register reviews"
        description={
          <>
            Quarterly reviews of the whole register and the yearly risk assessment.{' '}
            {settings.data
              ? `Each risk is due for review every ${String(settings.data.reviewCadenceMonths)} months.`
              : ''}{' '}
            <AnchorLink to="/risks">Back to the register</AnchorLink>
          </>
        }
      />
      {canManage && settings.data ? (
        <CadenceSetting
          key={settings.data.reviewCadenceMonths}
          months={settings.data.reviewCadenceMonths}
        />
      ) : null}
      {canManage ? <RecordReview /> : null}
      {reviews.isPending ? <LoadingBlock label="Loading reviews" /> : null}
      {reviews.isError ? (
        <QueryError error={reviews.error} onRetry={() => void reviews.refetch()} />
      ) : null}
      {reviews.data ? (
        reviews.data.items.length === 0 ? (
          <Text c="dimmed">No review of the register has been recorded yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Date</Table.Th>
                  <Table.Th scope="col">Kind</Table.Th>
                  <Table.Th scope="col">Reviewer</Table.Th>
                  <Table.Th scope="col">Register at the time</Table.Th>
                  <Table.Th scope="col">Note</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reviews.data.items.map((r) => (
                  <Table.Tr key={r.id} id={r.id}>
                    <Table.Td>{r.reviewedOn}</Table.Td>
                    <Table.Td>{kindLabels[r.kind]}</Table.Td>
                    <Table.Td>{r.reviewer?.name ?? '—'}</Table.Td>
                    <Table.Td>
                      {r.snapshot.open} open, {r.snapshot.accepted} accepted, {r.snapshot.openHigh}{' '}
                      high, {r.snapshot.reviewOverdue} overdue
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{r.note}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      ) : null}
    </>
  );
}

/** Register-wide reviews and yearly assessments, and the form to record one. */
export function RegisterReviewsPage() {
  return (
    <RequirePermission permission="risks.read" title="Risk register reviews">
      <ReviewsContent />
    </RequirePermission>
  );
}
