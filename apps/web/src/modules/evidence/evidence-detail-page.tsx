import { Anchor, Badge, Button, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { Evidence } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ControlStatusBadge } from '../../components/status-badges.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { formatBytes, formatDateTime, formatDay } from '../../lib/format.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { AddEvidenceModal } from './add-evidence-modal.tsx';
import { evidenceQuery } from './evidence-queries.ts';
import {
  EvidenceAccess,
  coversToday,
  evidenceDownloadUrl,
  formatEvidenceKind,
} from './evidence-table.tsx';
import { AnchorLink } from '../../components/router-links.tsx';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={200} fw={500} style={{ verticalAlign: 'top' }}>
        {label}
      </Table.Th>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>{children}</Table.Td>
    </Table.Tr>
  );
}

function EvidenceFacts({ evidence }: { evidence: Evidence }) {
  return (
    <Table verticalSpacing="xs" aria-label="About this evidence">
      <Table.Tbody>
        <Fact label="Kind">{formatEvidenceKind(evidence.kind)}</Fact>
        {evidence.description ? (
          <Fact label="Description">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {evidence.description}
            </Text>
          </Fact>
        ) : null}
        {evidence.fileName ? <Fact label="File">{evidence.fileName}</Fact> : null}
        {evidence.mediaType ? <Fact label="Type">{evidence.mediaType}</Fact> : null}
        {evidence.sizeBytes !== null ? (
          <Fact label="Size">{formatBytes(evidence.sizeBytes)}</Fact>
        ) : null}
        {evidence.sha256 ? (
          <Fact label="SHA-256">
            <Code style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }}>
              {evidence.sha256}
            </Code>
          </Fact>
        ) : null}
        {evidence.url ? (
          <Fact label="Link">
            <Anchor href={evidence.url} target="_blank" rel="noreferrer noopener">
              {evidence.url}
            </Anchor>
          </Fact>
        ) : null}
        <Fact label="Effective period">
          {formatDay(evidence.effectiveFrom)} – {formatDay(evidence.effectiveTo)}
          {coversToday(evidence) ? (
            <Badge ml="xs" size="sm" color="green" variant="light" tt="none">
              Covers today
            </Badge>
          ) : null}
        </Fact>
        <Fact label="Collected">
          <DateTime value={evidence.collectedAt} />
        </Fact>
        <Fact label="Supplied by">{evidence.suppliedBy}</Fact>
        <Fact label="Added">
          <DateTime value={evidence.createdAt} />
        </Fact>
        <Fact label="Controls">
          {evidence.controls.length === 0 ? (
            <Text size="sm" c="dimmed">
              None
            </Text>
          ) : (
            <Stack gap={4}>
              {evidence.controls.map((control) => (
                <Group key={control.id} gap="xs" wrap="nowrap">
                  <AnchorLink
                    to="/controls/$controlId"
                    params={{ controlId: control.id }}
                    size="sm"
                  >
                    {control.ref} · {control.title}
                  </AnchorLink>
                  <ControlStatusBadge status={control.status} size="sm" />
                </Group>
              ))}
            </Stack>
          )}
        </Fact>
        <Fact label="Kept until">
          {evidence.deletedAt ? (
            <>
              Deleted <DateTime value={evidence.deletedAt} />
            </>
          ) : (
            <>
              <DateTime value={evidence.retainedUntil} /> (the retention period; it cannot be
              deleted before)
            </>
          )}
        </Fact>
      </Table.Tbody>
    </Table>
  );
}

function VersionsTable({
  versions,
  currentId,
}: {
  versions: readonly Evidence[];
  currentId: string;
}) {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped verticalSpacing="sm">
        <Table.Caption>
          {sorted.length === 1 ? 'One version' : `${sorted.length} versions, newest first`}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Title</Table.Th>
            <Table.Th scope="col">Added</Table.Th>
            <Table.Th scope="col">SHA-256</Table.Th>
            <Table.Th scope="col">Access</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((version) => (
            <Table.Tr key={version.id}>
              <Table.Th scope="row" fw={400}>
                {version.id === currentId ? (
                  <Text span fw={600} size="sm">
                    v{version.version} (shown)
                  </Text>
                ) : (
                  <AnchorLink
                    to="/evidence/$evidenceId"
                    params={{ evidenceId: version.id }}
                    size="sm"
                  >
                    v{version.version}
                  </AnchorLink>
                )}
                {version.isSuperseded ? null : (
                  <Badge ml={6} size="xs" variant="light" tt="none">
                    Latest
                  </Badge>
                )}
              </Table.Th>
              <Table.Td>{version.title}</Table.Td>
              <Table.Td>
                <Text size="sm">
                  <DateTime value={version.createdAt} />
                </Text>
                <Text size="xs" c="dimmed">
                  by {version.suppliedBy}
                </Text>
              </Table.Td>
              <Table.Td>
                {version.sha256 ? (
                  <Code title={version.sha256}>{version.sha256.slice(0, 12)}…</Code>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                <EvidenceAccess evidence={version} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function DeleteEvidenceButton({ evidence }: { evidence: Evidence }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [isOpen, { open, close }] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => call(endpoints.deleteEvidence, { params: { id: evidence.id } }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: `“${evidence.title}” deleted` });
      close();
      await invalidateProgram(queryClient);
      await navigate({ to: '/evidence' });
    },
  });
  const [openedAt] = useState(() => Date.now());
  const isRetained = new Date(evidence.retainedUntil).getTime() > openedAt;
  return (
    <>
      <Button
        color="red"
        variant="light"
        onClick={() => {
          remove.reset();
          open();
        }}
        disabled={isRetained}
        title={
          isRetained
            ? `Kept until ${formatDateTime(evidence.retainedUntil)} (retention period)`
            : undefined
        }
      >
        Delete
      </Button>
      <ConfirmModal
        opened={isOpen}
        title="Delete this evidence?"
        confirmLabel="Delete evidence"
        isPending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => remove.mutate()}
        onClose={close}
      >
        “{evidence.title}” is past its retention period. Deleting it is recorded in the audit log,
        and the controls it proves may stop passing.
      </ConfirmModal>
    </>
  );
}

function EvidenceDetailContent({ evidenceId }: { evidenceId: string }) {
  const canSubmit = useCan('evidence.submit');
  const canManage = useCan('program.manage');
  const navigate = useNavigate();
  const [isVersionOpen, { open: openVersion, close: closeVersion }] = useDisclosure(false);
  const detail = useQuery(evidenceQuery(evidenceId));

  if (detail.isPending) return <LoadingBlock label="Loading evidence" />;
  if (detail.isError) {
    return (
      <>
        <PageHeader title="Evidence" />
        <QueryError
          error={detail.error}
          title="Could not load this evidence"
          onRetry={() => void detail.refetch()}
        />
      </>
    );
  }
  const { evidence, versions } = detail.data;
  return (
    <>
      <AnchorLink to="/evidence" size="sm">
        ← Evidence library
      </AnchorLink>
      <PageHeader
        title={evidence.title}
        description={`Version ${evidence.version}${evidence.isSuperseded ? ' — a newer version exists' : ''}`}
        actions={
          <>
            {evidence.kind === 'file' && !evidence.deletedAt ? (
              <Button
                component="a"
                href={evidenceDownloadUrl(evidence)}
                download={evidence.fileName ?? true}
                variant="default"
              >
                Download
              </Button>
            ) : null}
            {canSubmit && !evidence.deletedAt ? (
              <Button onClick={openVersion}>Add new version</Button>
            ) : null}
            {canManage && !evidence.deletedAt ? <DeleteEvidenceButton evidence={evidence} /> : null}
          </>
        }
      />
      <Stack gap="lg">
        <Card withBorder radius="md" padding="lg">
          <EvidenceFacts evidence={evidence} />
        </Card>
        <section aria-labelledby="versions-heading">
          <Title order={2} size="h4" mb="sm" id="versions-heading">
            Versions
          </Title>
          <VersionsTable versions={versions} currentId={evidence.id} />
        </section>
      </Stack>
      {canSubmit ? (
        <AddEvidenceModal
          opened={isVersionOpen}
          onClose={closeVersion}
          preset={{ replaces: evidence }}
          onAdded={(added) =>
            void navigate({ to: '/evidence/$evidenceId', params: { evidenceId: added.id } })
          }
        />
      ) : null}
    </>
  );
}

/** `/evidence/:id`: one evidence item with its hashes, controls and every version. */
export function EvidenceDetailPage({ evidenceId }: { evidenceId: string }) {
  return (
    <RequirePermission permission="program.read" title="Evidence">
      <EvidenceDetailContent evidenceId={evidenceId} />
    </RequirePermission>
  );
}
