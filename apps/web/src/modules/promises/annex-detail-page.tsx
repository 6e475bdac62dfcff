import { Badge, Button, Card, Group, List, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { endpoints, promiseStatusSchema, promiseStatuses } from '@steward/contracts';
import type { AnnexPromise } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import {
  ControlStatusBadge,
  PromiseStatusBadge,
  promiseStatusLooks,
} from '../../components/status-badges.tsx';
import { call, endpointUrl } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { PromiseCounts } from './promise-counts.tsx';
import { PromiseMappingModal } from './promise-mapping-modal.tsx';
import { annexQuery } from './promises-queries.ts';
import { AnchorLink } from '../../components/router-links.tsx';

type PromiseStatus = (typeof promiseStatuses)[number];

/** The current evidence behind a promise, through its confirmed controls. */
function PromiseEvidence({ promise }: { promise: AnnexPromise }) {
  const listId = `promise-${promise.id}-evidence`;
  if (promise.evidenceCount === 0) {
    return (
      <Text size="xs" c="dimmed" mt="sm">
        Evidence: none of its controls has evidence covering today.
      </Text>
    );
  }
  const more = promise.evidenceCount - promise.evidence.length;
  return (
    <Stack gap={4} mt="sm">
      <Text size="xs" fw={600} id={listId}>
        Evidence covering today ({promise.evidenceCount}):
      </Text>
      <List size="sm" spacing={2} aria-labelledby={listId}>
        {promise.evidence.map((item) => (
          <List.Item key={item.id}>
            <AnchorLink to="/evidence/$evidenceId" params={{ evidenceId: item.id }} size="sm">
              {item.title}
            </AnchorLink>{' '}
            <Text span size="xs" c="dimmed">
              {item.kind === 'file' ? 'file' : 'link'} · until {item.effectiveTo} ·{' '}
              {item.controlRefs.join(', ')}
            </Text>
          </List.Item>
        ))}
      </List>
      {more > 0 ? (
        <Text size="xs" c="dimmed">
          and {more} more on its controls' pages.
        </Text>
      ) : null}
    </Stack>
  );
}

function PromiseCard({
  promise,
  isFocused,
  onMap,
}: {
  promise: AnnexPromise;
  isFocused: boolean;
  onMap: ((promise: AnnexPromise) => void) | null;
}) {
  const confirmed = promise.controls.filter((c) => c.isConfirmed);
  const suggested = promise.isMappingConfirmed
    ? []
    : promise.controls.filter((c) => !c.isConfirmed);
  const headingId = `promise-${promise.id}-heading`;
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="article"
      id={`promise-${promise.id}`}
      aria-labelledby={headingId}
      style={
        isFocused
          ? {
              borderColor: 'var(--mantine-color-blue-5)',
              boxShadow: '0 0 0 2px var(--mantine-color-blue-2)',
            }
          : undefined
      }
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Group gap="sm" wrap="nowrap" align="flex-start" miw={0}>
          <Title order={3} size="h6" id={headingId} style={{ whiteSpace: 'nowrap' }}>
            Promise {promise.ref}
          </Title>
          <PromiseStatusBadge status={promise.status} />
        </Group>
        {onMap ? (
          <Button
            size="xs"
            variant={promise.isMappingConfirmed ? 'default' : 'filled'}
            onClick={() => onMap(promise)}
            aria-describedby={headingId}
            style={{ flexShrink: 0 }}
          >
            {promise.isMappingConfirmed ? 'Edit mapping' : 'Confirm mapping'}
          </Button>
        ) : null}
      </Group>
      <Text size="sm" mt="xs">
        {promise.body}
      </Text>
      <Text size="sm" c="dimmed" mt={4}>
        {promise.statusReason}
      </Text>
      {confirmed.length > 0 ? (
        <Group gap="xs" mt="sm">
          <Text size="xs" fw={600}>
            Controls:
          </Text>
          {confirmed.map((control) => (
            <Group key={control.id} gap={4} wrap="nowrap">
              <AnchorLink to="/controls/$controlId" params={{ controlId: control.id }} size="sm">
                {control.ref} · {control.title}
              </AnchorLink>
              <ControlStatusBadge status={control.status} size="xs" />
            </Group>
          ))}
        </Group>
      ) : null}
      {confirmed.length > 0 ? <PromiseEvidence promise={promise} /> : null}
      {suggested.length > 0 ? (
        <Group gap="xs" mt="sm">
          <Text size="xs" fw={600}>
            Suggested:
          </Text>
          {suggested.map((control) => (
            <Badge key={control.id} variant="outline" color="gray" tt="none" size="sm">
              {control.ref} · {Math.round(control.score * 100)}%
            </Badge>
          ))}
        </Group>
      ) : null}
    </Card>
  );
}

function DeleteAnnexButton({ annexId, name }: { annexId: string; name: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [isOpen, { open, close }] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => call(endpoints.deleteAnnex, { params: { id: annexId } }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: `${name} removed` });
      close();
      await invalidateProgram(queryClient);
      await navigate({ to: '/promises' });
    },
  });
  return (
    <>
      <Button color="red" variant="light" onClick={open}>
        Remove annex
      </Button>
      <ConfirmModal
        opened={isOpen}
        title={`Remove ${name}?`}
        confirmLabel="Remove annex"
        isPending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => remove.mutate()}
        onClose={close}
      >
        Its promises and their mappings are removed. Controls and evidence stay.
      </ConfirmModal>
    </>
  );
}

function AnnexDetailContent({
  annexId,
  focusPromiseId,
}: {
  annexId: string;
  focusPromiseId: string | undefined;
}) {
  const canManage = useCan('program.manage');
  const detail = useQuery(annexQuery(annexId));
  const [status, setStatus] = useState<PromiseStatus | null>(null);
  const [mapping, setMapping] = useState<AnnexPromise | null>(null);
  const isLoaded = detail.isSuccess;

  useEffect(() => {
    if (!isLoaded || !focusPromiseId) return;
    document
      .getElementById(`promise-${focusPromiseId}`)
      ?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [isLoaded, focusPromiseId]);

  if (detail.isPending) return <LoadingBlock label="Loading the annex" />;
  if (detail.isError) {
    return (
      <>
        <PageHeader title="Promises" />
        <QueryError
          error={detail.error}
          title="Could not load this annex"
          onRetry={() => void detail.refetch()}
        />
      </>
    );
  }
  const { annex, promises } = detail.data;
  const visible = status ? promises.filter((p) => p.status === status) : promises;
  const sections = [...new Set(visible.map((p) => p.sectionNumber))].sort((a, b) => a - b);

  return (
    <>
      <AnchorLink to="/promises" size="sm">
        ← Promises
      </AnchorLink>
      <PageHeader
        title={annex.name}
        description={`${annex.promiseCount} promises${annex.fileName ? ` from ${annex.fileName}` : ''}`}
        actions={
          <>
            <Button
              component="a"
              href={endpointUrl(endpoints.exportPromisesCsv, { params: { id: annex.id } })}
              download="promises.csv"
              variant="default"
            >
              Export CSV
            </Button>
            {canManage && !annex.isDefault ? (
              <DeleteAnnexButton annexId={annex.id} name={annex.name} />
            ) : null}
          </>
        }
      />
      <Stack gap="lg">
        <PromiseCounts counts={annex.counts} />
        <NativeSelect
          label="Show"
          value={status ?? ''}
          onChange={(event) => {
            const parsed = promiseStatusSchema.safeParse(event.currentTarget.value);
            setStatus(parsed.success ? parsed.data : null);
          }}
          data={[
            { value: '', label: 'Every promise' },
            ...promiseStatuses.map((s) => ({ value: s, label: promiseStatusLooks[s].label })),
          ]}
          w={240}
        />
        {visible.length === 0 ? (
          <Text size="sm" c="dimmed">
            No promise has this status.
          </Text>
        ) : null}
        {sections.map((section) => {
          const inSection = visible.filter((p) => p.sectionNumber === section);
          return (
            <section key={section} aria-labelledby={`section-${section}-heading`}>
              <Title order={2} size="h4" mb="sm" id={`section-${section}-heading`}>
                {section}. {inSection[0]?.sectionTitle}
              </Title>
              <Stack gap="sm">
                {inSection.map((promise) => (
                  <PromiseCard
                    key={promise.id}
                    promise={promise}
                    isFocused={promise.id === focusPromiseId}
                    onMap={canManage ? setMapping : null}
                  />
                ))}
              </Stack>
            </section>
          );
        })}
      </Stack>
      {canManage ? (
        <PromiseMappingModal promise={mapping} onClose={() => setMapping(null)} />
      ) : null}
    </>
  );
}

/** `/promises/:id`: an annex's promises by section, with status, proof and control mapping. */
export function AnnexDetailPage({
  annexId,
  focusPromiseId,
}: {
  annexId: string;
  focusPromiseId: string | undefined;
}) {
  return (
    <RequirePermission permission="program.read" title="Promises">
      <AnnexDetailContent annexId={annexId} focusPromiseId={focusPromiseId} />
    </RequirePermission>
  );
}
