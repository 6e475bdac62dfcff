import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { endpoints } from '@steward/contracts';
import type { Evidence } from '@steward/contracts';
import { DateTime } from '../../components/date-time.tsx';
import { endpointUrl } from '../../lib/api-client.ts';
import { formatBytes, formatDay, todayUtcDay } from '../../lib/format.ts';
import { AnchorLink } from '../../components/router-links.tsx';

const kindLabels: Record<Evidence['kind'], string> = {
  file: 'File',
  link: 'Link',
  check_result: 'Check result',
};

/** The kind of an evidence item in words. */
export function formatEvidenceKind(kind: Evidence['kind']): string {
  return kindLabels[kind];
}

/** The download address of a file evidence item. */
export function evidenceDownloadUrl(evidence: Evidence): string {
  return endpointUrl(endpoints.downloadEvidence, { params: { id: evidence.id } });
}

/** Whether the item's effective period covers today. */
export function coversToday(evidence: Evidence, today = todayUtcDay()): boolean {
  return evidence.effectiveFrom <= today && today <= evidence.effectiveTo;
}

/** Where the evidence is: a download for files, the link for links. */
export function EvidenceAccess({ evidence }: { evidence: Evidence }) {
  if (evidence.deletedAt) {
    return (
      <Text size="sm" c="dimmed">
        Deleted
      </Text>
    );
  }
  if (evidence.kind === 'file') {
    return (
      <Anchor
        href={evidenceDownloadUrl(evidence)}
        download={evidence.fileName ?? true}
        size="sm"
        aria-label={`Download ${evidence.fileName ?? evidence.title}`}
      >
        Download
      </Anchor>
    );
  }
  if (evidence.url) {
    return (
      <Anchor href={evidence.url} target="_blank" rel="noreferrer noopener" size="sm">
        Open link
      </Anchor>
    );
  }
  return null;
}

interface EvidenceTableProps {
  items: readonly Evidence[];
  caption?: string;
  showControls?: boolean;
}

/** Evidence items: title, kind, the period it covers, when and by whom, and access to it. */
export function EvidenceTable({ items, caption, showControls = true }: EvidenceTableProps) {
  const today = todayUtcDay();
  return (
    <Table.ScrollContainer minWidth={showControls ? 920 : 760}>
      <Table striped highlightOnHover verticalSpacing="sm">
        {caption ? <Table.Caption>{caption}</Table.Caption> : null}
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Evidence</Table.Th>
            <Table.Th scope="col">Kind</Table.Th>
            <Table.Th scope="col">Effective</Table.Th>
            <Table.Th scope="col">Collected</Table.Th>
            {showControls ? <Table.Th scope="col">Controls</Table.Th> : null}
            <Table.Th scope="col">Access</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((evidence) => (
            <Table.Tr key={evidence.id}>
              <Table.Th scope="row" fw={400} maw={300}>
                <AnchorLink
                  to="/evidence/$evidenceId"
                  params={{ evidenceId: evidence.id }}
                  fw={500}
                  size="sm"
                >
                  {evidence.title}
                </AnchorLink>
                <Group gap={4} mt={2}>
                  {evidence.version > 1 ? (
                    <Badge size="xs" variant="outline" color="gray" tt="none">
                      v{evidence.version}
                    </Badge>
                  ) : null}
                  {evidence.isSuperseded ? (
                    <Badge size="xs" variant="light" color="gray" tt="none">
                      Superseded
                    </Badge>
                  ) : null}
                  {evidence.fileName ? (
                    <Text size="xs" c="dimmed">
                      {evidence.fileName} · {formatBytes(evidence.sizeBytes)}
                    </Text>
                  ) : null}
                </Group>
              </Table.Th>
              <Table.Td>{formatEvidenceKind(evidence.kind)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">
                  {formatDay(evidence.effectiveFrom)} – {formatDay(evidence.effectiveTo)}
                </Text>
                {coversToday(evidence, today) && !evidence.isSuperseded && !evidence.deletedAt ? (
                  <Badge size="xs" color="green" variant="light" tt="none">
                    Covers today
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <DateTime value={evidence.collectedAt} />
                </Text>
                <Text size="xs" c="dimmed">
                  by {evidence.suppliedBy}
                </Text>
              </Table.Td>
              {showControls ? (
                <Table.Td maw={220}>
                  <Text size="sm" lineClamp={2}>
                    {evidence.controls.length === 0
                      ? '—'
                      : evidence.controls.map((c) => c.ref).join(', ')}
                  </Text>
                </Table.Td>
              ) : null}
              <Table.Td>
                <EvidenceAccess evidence={evidence} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
