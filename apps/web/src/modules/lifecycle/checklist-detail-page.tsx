import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type ChecklistItem } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { FileField } from '../../components/file-field.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { ApiError, call, callMultipart } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { ChecklistStatusBadge } from './checklist-badges.tsx';
import { checklistQuery, invalidateLifecycle, kindLabels } from './lifecycle-queries.ts';

const itemStatusLooks = {
  open: { color: 'blue', label: 'Open' },
  done: { color: 'green', label: 'Done' },
  not_applicable: { color: 'gray', label: 'Not applicable' },
} as const;

function showValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return value === null || value === undefined ? '—' : JSON.stringify(value);
}

const closedViaLabels = { manual: 'ticked', sync: 'shown by a sync', evidence: 'with evidence' };

interface CloseItemProps {
  item: ChecklistItem;
  onClose: () => void;
}

/** Close an item: done (with a note and evidence) or not applicable (with a reason). */
function CloseItemModal({ item, onClose }: CloseItemProps) {
  const queryClient = useQueryClient();
  const canSubmitEvidence = useCan('evidence.submit');
  const isAccount = item.type === 'account';
  const [outcome, setOutcome] = useState<'done' | 'not_applicable'>('done');
  const [note, setNote] = useState('');
  const [evidenceKind, setEvidenceKind] = useState<'file' | 'link'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const needsEvidence = isAccount && outcome === 'done';

  const save = useMutation({
    mutationFn: async () => {
      const hasEvidence = evidenceKind === 'file' ? file !== null : url.trim() !== '';
      let evidenceId: string | undefined;
      if (outcome === 'done' && hasEvidence) {
        const evidence = await callMultipart(endpoints.addEvidence, {
          fields: {
            title: `${item.title}: evidence`.slice(0, 300),
            description: note,
            ...(evidenceKind === 'link' ? { url: url.trim() } : {}),
          },
          files: evidenceKind === 'file' ? { file } : {},
        });
        evidenceId = evidence.id;
      }
      return call(endpoints.completeChecklistItem, {
        params: { id: item.id },
        body: {
          outcome,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(evidenceId ? { evidenceId } : {}),
        },
      });
    },
    onSuccess: async () => {
      await invalidateLifecycle(queryClient);
      notifications.show({ color: 'green', message: 'Item closed' });
      onClose();
    },
    onError: (error) => {
      const fieldErrors: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const f of error.fieldErrors) {
          const key = f.path === 'evidenceId' || f.path === 'file' ? 'evidence' : f.path;
          fieldErrors[key] ??= f.message;
        }
      }
      setErrors(fieldErrors);
      setAlert(describeError(error));
    },
  });

  return (
    <Modal opened onClose={onClose} title={item.title} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (needsEvidence && (evidenceKind === 'file' ? !file : url.trim() === '')) {
            setErrors({ evidence: 'Attach evidence that the account is disabled' });
            return;
          }
          if (outcome === 'not_applicable' && note.trim() === '') {
            setErrors({ note: 'Give the reason' });
            return;
          }
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <FormAlert message={alert} />
          <SegmentedControl
            aria-label="Outcome"
            value={outcome}
            onChange={(value) => setOutcome(value)}
            data={[
              { value: 'done', label: 'Done' },
              { value: 'not_applicable', label: 'Not applicable' },
            ]}
          />
          <Textarea
            label={outcome === 'not_applicable' ? 'Why it does not apply' : 'Note'}
            required={outcome === 'not_applicable'}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={errors.note}
            autosize
            minRows={2}
          />
          {outcome === 'done' && canSubmitEvidence ? (
            <Card withBorder padding="sm">
              <Stack gap="xs">
                <Text size="sm" fw={600}>
                  Evidence{needsEvidence ? ' (required for an account)' : ' (optional)'}
                </Text>
                <SegmentedControl
                  aria-label="Evidence kind"
                  size="xs"
                  value={evidenceKind}
                  onChange={(value) => setEvidenceKind(value)}
                  data={[
                    { value: 'file', label: 'File' },
                    { value: 'link', label: 'Link' },
                  ]}
                />
                {evidenceKind === 'file' ? (
                  <FileField
                    label="Evidence file"
                    description="A screenshot or export showing the account disabled"
                    error={errors.evidence}
                    onChange={setFile}
                  />
                ) : (
                  <TextInput
                    label="Evidence link"
                    placeholder="https://"
                    value={url}
                    onChange={(e) => setUrl(e.currentTarget.value)}
                    error={errors.evidence ?? errors.url}
                  />
                )}
              </Stack>
            </Card>
          ) : null}
          {needsEvidence && !canSubmitEvidence ? (
            <FormAlert message="Closing an account needs evidence, which your role cannot add; the next sync closes it when the account is disabled." />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Close item
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ItemCard({ item, onCloseItem }: { item: ChecklistItem; onCloseItem: () => void }) {
  const look = itemStatusLooks[item.status];
  return (
    <Card withBorder padding="sm" component="li" aria-label={item.title}>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2} style={{ flex: 1, minWidth: 220 }}>
          <Text fw={600} size="sm">
            {item.title}
          </Text>
          {item.system ? (
            <Text size="xs" c="dimmed">
              System: {item.system.name}
              {item.account ? `, account ${item.account.username ?? item.account.email ?? ''}` : ''}
            </Text>
          ) : null}
          {item.description ? (
            <Text size="xs" c="dimmed">
              {item.description}
            </Text>
          ) : null}
          {item.closedAt ? (
            <Text size="xs">
              Closed <DateTime value={item.closedAt} /> by {item.closedBy ?? '—'}
              {item.closedVia ? ` (${closedViaLabels[item.closedVia]})` : ''}
              {item.note ? `: ${item.note}` : ''}
              {item.evidenceId ? (
                <>
                  {' '}
                  <AnchorLink
                    to="/evidence/$evidenceId"
                    params={{ evidenceId: item.evidenceId }}
                    size="xs"
                  >
                    View evidence
                  </AnchorLink>
                </>
              ) : null}
            </Text>
          ) : null}
        </Stack>
        <Group gap="xs">
          <Badge color={look.color} variant="light">
            {look.label}
          </Badge>
          {item.canClose ? (
            <Button size="xs" onClick={onCloseItem} aria-label={`Close item: ${item.title}`}>
              {item.type === 'account' ? 'Attach evidence' : 'Close'}
            </Button>
          ) : null}
        </Group>
      </Group>
    </Card>
  );
}

function ChecklistDetail({ checklistId }: { checklistId: string }) {
  const detail = useQuery(checklistQuery(checklistId));
  const [closing, setClosing] = useState<ChecklistItem | null>(null);
  if (detail.isPending) return <LoadingBlock label="Loading the checklist" />;
  if (detail.isError) {
    return (
      <>
        <PageHeader title="Checklist" />
        <QueryError error={detail.error} onRetry={() => void detail.refetch()} />
      </>
    );
  }
  const { checklist, items } = detail.data;
  return (
    <>
      <PageHeader
        title={`${kindLabels[checklist.kind]}: ${checklist.person.displayName}`}
        description={
          <AnchorLink to="/lifecycle" size="sm">
            Back to checklists
          </AnchorLink>
        }
      />
      <Stack gap="md">
        <Group gap="lg" wrap="wrap">
          <ChecklistStatusBadge checklist={checklist} />
          <Text size="sm">{checklist.reason}</Text>
          <Text size="sm">
            Opened <DateTime value={checklist.openedAt} />, due <DateTime value={checklist.dueAt} />
          </Text>
          <AnchorLink to="/people/$personId" params={{ personId: checklist.person.id }} size="sm">
            Open {checklist.person.displayName}
          </AnchorLink>
        </Group>
        {Object.keys(checklist.details).length > 0 && checklist.kind === 'mover' ? (
          <Text size="sm">
            What changed:{' '}
            {Object.entries(checklist.details)
              .map(([field, diff]) => {
                const d = diff as { from?: unknown; to?: unknown };
                return `${field} ${showValue(d.from)} → ${showValue(d.to)}`;
              })
              .join('; ')}
          </Text>
        ) : null}
        <Text size="sm" c="dimmed">
          {checklist.itemCount - checklist.openItemCount} of {checklist.itemCount} items closed
        </Text>
        <Stack gap="xs" component="ul" p={0} style={{ listStyle: 'none' }} aria-label="Items">
          {items.map((item) => (
            <ItemCard key={item.id} item={item} onCloseItem={() => setClosing(item)} />
          ))}
        </Stack>
      </Stack>
      {closing ? <CloseItemModal item={closing} onClose={() => setClosing(null)} /> : null}
    </>
  );
}

/** One checklist: tick items, attach evidence, see who closed what and how. */
export function ChecklistDetailPage({ checklistId }: { checklistId: string }) {
  return (
    <RequirePermission permission="people.read" title="Checklist">
      <ChecklistDetail checklistId={checklistId} />
    </RequirePermission>
  );
}
