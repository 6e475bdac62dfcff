import {
  Button,
  Group,
  List,
  Modal,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints, type ResponseOf } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan, useMe } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { FormActions } from '../../components/form-frame.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm, describeError } from '../../lib/form-errors.ts';
import { allControlsQuery } from '../controls/controls-queries.ts';
import { useDecideAcceptance } from './risk-acceptance-inbox.tsx';
import { RiskStatusBadge, ScoreBadge } from './risk-badges.tsx';
import { bandOfScore, impactLabels, likelihoodLabels } from './risk-filters.ts';
import { RiskForm, treatmentLabels } from './risk-form.tsx';
import { invalidateRisks, riskQuery } from './risks-queries.ts';

type RiskDetail = ResponseOf<typeof endpoints.getRisk>;
type Change = RiskDetail['history'][number];

const changeLabels: Record<Change['kind'], string> = {
  created: 'Created',
  updated: 'Changed',
  reviewed: 'Reviewed',
  controls_linked: 'Controls linked',
  control_unlinked: 'Control unlinked',
  acceptance_requested: 'Acceptance requested',
  acceptance_approved: 'Acceptance approved',
  acceptance_rejected: 'Acceptance rejected',
  acceptance_expired: 'Acceptance expired',
};

function showValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : `${String(value.length)} item(s)`;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function Rating({
  label,
  likelihood,
  impact,
}: {
  label: string;
  likelihood: number | null;
  impact: number | null;
}) {
  if (likelihood === null || impact === null) {
    return (
      <Stack gap={2}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm" c="dimmed">
          Not rated yet
        </Text>
      </Stack>
    );
  }
  const score = likelihood * impact;
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs">
        <ScoreBadge score={score} band={bandOfScore(score)} />
        <Text size="sm">
          Likelihood {likelihood} ({likelihoodLabels[likelihood - 1]}) × impact {impact} (
          {impactLabels[impact - 1]})
        </Text>
      </Group>
    </Stack>
  );
}

function ReviewModal({
  risk,
  opened,
  onClose,
}: {
  risk: RiskDetail;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const review = useMutation({
    mutationFn: () => call(endpoints.reviewRisk, { params: { id: risk.id }, body: { note } }),
    onSuccess: async (saved) => {
      notifications.show({ color: 'green', message: `Reviewed; next review on ${saved.reviewOn}` });
      setNote('');
      onClose();
      await invalidateRisks(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Record a review">
      <Stack>
        <Text size="sm">
          Records that the risk was reviewed today, even if nothing changed. The next review moves
          on by the register&apos;s cadence.
        </Text>
        <Textarea
          label="Review note"
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <FormActions
          onCancel={onClose}
          submitLabel="Record review"
          isPending={review.isPending}
          onSubmit={() => review.mutate()}
        />
      </Stack>
    </Modal>
  );
}

function LinkedControls({ risk, canManage }: { risk: RiskDetail; canManage: boolean }) {
  const queryClient = useQueryClient();
  const controls = useQuery({ ...allControlsQuery, enabled: canManage });
  const [controlId, setControlId] = useState('');
  const change = useMutation({
    mutationFn: (input: { action: 'link' | 'unlink'; id: string }) =>
      input.action === 'link'
        ? call(endpoints.linkRiskControls, {
            params: { id: risk.id },
            body: { controlIds: [input.id] },
          })
        : call(endpoints.unlinkRiskControl, { params: { id: risk.id, controlId: input.id } }),
    onSuccess: async () => {
      setControlId('');
      await invalidateRisks(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  const linked = new Set(risk.controls.map((c) => c.id));
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="risk-controls">
      <Title order={2} size="h4" id="risk-controls" mb="sm">
        Controls treating this risk
      </Title>
      {risk.controls.length === 0 ? (
        <Text size="sm" c="dimmed">
          No control is linked yet.
        </Text>
      ) : (
        <List spacing={4}>
          {risk.controls.map((c) => (
            <List.Item key={c.id}>
              <Group gap="xs">
                <AnchorLink to="/controls/$controlId" params={{ controlId: c.id }}>
                  {c.ref} {c.title}
                </AnchorLink>
                <Text size="xs" c="dimmed">
                  {c.status.replace('_', ' ')}
                </Text>
                {canManage ? (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Unlink ${c.ref}`}
                    onClick={() => change.mutate({ action: 'unlink', id: c.id })}
                  >
                    Unlink
                  </Button>
                ) : null}
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {canManage ? (
        <Group mt="sm" align="flex-end" gap="xs">
          <NativeSelect
            label="Link a control"
            value={controlId}
            onChange={(e) => setControlId(e.currentTarget.value)}
            data={[
              { value: '', label: 'Choose a control' },
              ...(controls.data?.items ?? [])
                .filter((c) => !linked.has(c.id))
                .map((c) => ({ value: c.id, label: `${c.ref} ${c.title}` })),
            ]}
            style={{ flex: '1 1 16rem' }}
          />
          <Button
            disabled={controlId === ''}
            loading={change.isPending}
            onClick={() => change.mutate({ action: 'link', id: controlId })}
          >
            Link
          </Button>
        </Group>
      ) : null}
    </Paper>
  );
}

function RequestAcceptance({ risk }: { risk: RiskDetail }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { justification: '', expiresOn: '' },
  });
  const request = useMutation({
    mutationFn: (values: { justification: string; expiresOn: string }) =>
      call(endpoints.requestRiskRegisterAcceptance, { params: { id: risk.id }, body: values }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Acceptance requested from an executive' });
      form.reset();
      await invalidateRisks(queryClient);
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        request.mutate(values);
      })}
    >
      <Stack gap="sm">
        <Title order={3} size="h5">
          Ask an executive to accept this risk
        </Title>
        <FormAlert message={formError} />
        <Textarea
          label="Justification"
          description="Why the risk is acceptable, and the compensating measures"
          required
          autosize
          minRows={2}
          key={form.key('justification')}
          {...form.getInputProps('justification')}
        />
        <TextInput
          label="Acceptance expires on"
          description="At most a year from today"
          type="date"
          required
          key={form.key('expiresOn')}
          {...form.getInputProps('expiresOn')}
        />
        <Group>
          <Button type="submit" loading={request.isPending}>
            Request acceptance
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Acceptances({ risk }: { risk: RiskDetail }) {
  const me = useMe();
  const canManage = useCan('risks.manage');
  const canApprove = useCan('risks.approve');
  const decide = useDecideAcceptance();
  const hasPending = risk.acceptances.some((a) => a.status === 'pending');
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="risk-acceptances">
      <Title order={2} size="h4" id="risk-acceptances" mb="sm">
        Acceptances
      </Title>
      {risk.acceptances.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          This risk has never been submitted for acceptance.
        </Text>
      ) : (
        <Stack gap="sm" mb="sm">
          {risk.acceptances.map((a) => {
            const isOwn = a.requestedBy?.id === me.user.id;
            return (
              <Stack key={a.id} gap={2}>
                <Text size="sm" fw={500}>
                  {a.status.charAt(0).toUpperCase() + a.status.slice(1)} — until {a.expiresOn}
                </Text>
                <Text size="sm">{a.justification}</Text>
                <Text size="xs" c="dimmed">
                  Requested by {a.requestedBy?.name ?? 'someone'} on{' '}
                  <DateTime value={a.requestedAt} />
                  {a.decidedBy ? (
                    <>
                      {' '}
                      · decided by {a.decidedBy.name} on <DateTime value={a.decidedAt} />
                      {a.decisionNote ? ` (${a.decisionNote})` : ''}
                    </>
                  ) : null}
                </Text>
                {a.status === 'pending' && canApprove ? (
                  <Group gap="xs">
                    <Button
                      size="xs"
                      color="green"
                      disabled={isOwn}
                      loading={decide.isPending}
                      onClick={() => decide.mutate({ id: a.id, decision: 'approve' })}
                    >
                      Approve acceptance
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      disabled={isOwn}
                      loading={decide.isPending}
                      onClick={() => decide.mutate({ id: a.id, decision: 'reject' })}
                    >
                      Reject acceptance
                    </Button>
                    {isOwn ? (
                      <Text size="xs" c="dimmed">
                        Another executive must decide your own request.
                      </Text>
                    ) : null}
                  </Group>
                ) : null}
              </Stack>
            );
          })}
        </Stack>
      )}
      {canManage && risk.status !== 'closed' && !hasPending ? (
        <RequestAcceptance risk={risk} />
      ) : null}
    </Paper>
  );
}

function History({ history }: { history: readonly Change[] }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="risk-history">
      <Title order={2} size="h4" id="risk-history" mb="sm">
        History
      </Title>
      <Table.ScrollContainer minWidth={600}>
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Who</Table.Th>
              <Table.Th scope="col">What</Table.Th>
              <Table.Th scope="col">Changes</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td>
                  <DateTime value={h.at} />
                </Table.Td>
                <Table.Td>{h.actor.label}</Table.Td>
                <Table.Td>
                  {changeLabels[h.kind]}
                  {h.note ? (
                    <Text size="xs" c="dimmed">
                      {h.note}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {Object.entries(h.changes).map(([field, change]) => (
                    <Text key={field} size="xs">
                      {field}: {showValue(change.from)} → {showValue(change.to)}
                    </Text>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function RiskDetailContent({ riskId }: { riskId: string }) {
  const canManage = useCan('risks.manage');
  const risk = useQuery(riskQuery(riskId));
  const [isEditing, setEditing] = useState(false);
  const [isReviewing, setReviewing] = useState(false);
  if (risk.isPending) return <LoadingBlock label="Loading the risk" />;
  if (risk.isError) return <QueryError error={risk.error} onRetry={() => void risk.refetch()} />;
  const r = risk.data;
  return (
    <>
      <PageHeader
        title={`${r.ref} ${r.title}`}
        description={
          <Group gap="xs" component="span">
            <RiskStatusBadge status={r.status} />
            <span>
              {r.category} · owner {r.owner?.name ?? 'none'}
            </span>
          </Group>
        }
        actions={
          canManage && r.status !== 'closed' ? (
            <>
              <Button variant="default" onClick={() => setReviewing(true)}>
                Mark reviewed
              </Button>
              <Button onClick={() => setEditing(true)}>Edit risk</Button>
            </>
          ) : canManage ? (
            <Button onClick={() => setEditing(true)}>Edit or reopen</Button>
          ) : null
        }
      />
      <Stack gap="lg">
        <Paper withBorder radius="md" p="md" component="section" aria-label="Rating and treatment">
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Rating label="Inherent" likelihood={r.inherentLikelihood} impact={r.inherentImpact} />
            <Rating label="Residual" likelihood={r.residualLikelihood} impact={r.residualImpact} />
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                Treatment
              </Text>
              <Text size="sm">
                {treatmentLabels[r.treatment]}
                {r.treatmentDueOn ? ` · due ${r.treatmentDueOn}` : ''}
                {r.treatmentCompletedOn ? ` · done ${r.treatmentCompletedOn}` : ''}
                {r.isTreatmentOverdue ? ' · overdue' : ''}
              </Text>
            </Stack>
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                Review
              </Text>
              <Text size="sm" c={r.isReviewOverdue ? 'red' : undefined}>
                Next on {r.reviewOn}
                {r.isReviewOverdue ? ' (overdue)' : ''} · last {r.lastReviewedOn ?? 'never'}
              </Text>
            </Stack>
          </SimpleGrid>
          {r.description ? (
            <Text size="sm" mt="md" style={{ whiteSpace: 'pre-wrap' }}>
              {r.description}
            </Text>
          ) : null}
          {r.treatmentPlan ? (
            <>
              <Text size="sm" fw={500} mt="md">
                Treatment plan
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {r.treatmentPlan}
              </Text>
            </>
          ) : null}
        </Paper>
        <LinkedControls risk={r} canManage={canManage} />
        <Acceptances risk={r} />
        <History history={r.history} />
      </Stack>
      <Modal opened={isEditing} onClose={() => setEditing(false)} title={`Edit ${r.ref}`} size="xl">
        <RiskForm risk={r} onCancel={() => setEditing(false)} onSaved={() => setEditing(false)} />
        <CloseRisk risk={r} onDone={() => setEditing(false)} />
      </Modal>
      <ReviewModal risk={r} opened={isReviewing} onClose={() => setReviewing(false)} />
    </>
  );
}

function CloseRisk({ risk, onDone }: { risk: RiskDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const isClosed = risk.status === 'closed';
  const close = useMutation({
    mutationFn: () =>
      call(endpoints.updateRisk, {
        params: { id: risk.id },
        body: { status: isClosed ? 'open' : 'closed' },
      }),
    onSuccess: async () => {
      onDone();
      await invalidateRisks(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  return (
    <Group mt="lg" justify="space-between">
      <Text size="sm" c="dimmed">
        {isClosed
          ? 'The risk is closed: reopen it to change it.'
          : 'Close the risk when it no longer applies; its history stays.'}
      </Text>
      <Button
        color={isClosed ? 'blue' : 'red'}
        variant="light"
        loading={close.isPending}
        onClick={() => close.mutate()}
      >
        {isClosed ? 'Reopen risk' : 'Close risk'}
      </Button>
    </Group>
  );
}

/** One risk: rating, treatment, controls, acceptances and history. */
export function RiskDetailPage({ riskId }: { riskId: string }) {
  return (
    <RequirePermission permission="risks.read" title="Risk">
      <RiskDetailContent riskId={riskId} />
    </RequirePermission>
  );
}
