import { Anchor, Badge, Button, Group, List, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { FindingDetail } from '@steward/contracts';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { formatDay } from '../../lib/format.ts';
import { RiskAcceptanceModal, TransitionModal, transitionLabels } from './finding-actions.tsx';
import {
  FindingStateBadge,
  SeverityBadge,
  SlaStatusBadge,
  findingStateLooks,
} from './finding-badges.tsx';
import { RiskAcceptanceStatusBadge } from './risk-acceptance-badge.tsx';
import { SectionCard } from './section-card.tsx';
import { findingQuery } from './vulnerabilities-queries.ts';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function describeLocation(location: FindingDetail['locations'][number]): string {
  if (location.url) return location.url;
  if (location.file) {
    return `${location.file}${location.line === undefined ? '' : `:${String(location.line)}`}${location.column === undefined ? '' : `:${String(location.column)}`}`;
  }
  return location.path ?? '—';
}

function FindingFields({ finding }: { finding: FindingDetail }) {
  const cvss = [
    finding.cvssV3Score === null ? null : `v3.1 ${finding.cvssV3Score.toFixed(1)}`,
    finding.cvssV4Score === null ? null : `v4.0 ${finding.cvssV4Score.toFixed(1)}`,
  ].filter(Boolean);
  return (
    <SectionCard title="Details">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md">
        <Field label="Asset">
          <AnchorLink to="/assets/$assetId" params={{ assetId: finding.assetId }}>
            {finding.assetName}
          </AnchorLink>
        </Field>
        <Field label="Tool">{finding.tool}</Field>
        <Field label="Category">{finding.category}</Field>
        <Field label="Vulnerability ids">{finding.vulnerabilityIds.join(', ') || '—'}</Field>
        <Field label="Rule">{finding.ruleId ?? '—'}</Field>
        <Field label="Package">
          {finding.packageName
            ? `${finding.packageName}${finding.packageVersion ? `@${finding.packageVersion}` : ''}`
            : '—'}
        </Field>
        <Field label="Fix">
          {finding.fixVersion ??
            (finding.isFixAvailable === null
              ? '—'
              : finding.isFixAvailable
                ? 'Available'
                : 'No fix yet')}
        </Field>
        <Field label="CVSS">{cvss.length > 0 ? cvss.join(' · ') : '—'}</Field>
        <Field label="CWE">
          {finding.cwes.length > 0
            ? finding.cwes.map((cwe) => `CWE-${String(cwe)}`).join(', ')
            : '—'}
        </Field>
        <Field label="First seen">
          <DateTime value={finding.firstSeenAt} />
        </Field>
        <Field label="Last seen">
          <DateTime value={finding.lastSeenAt} />
        </Field>
        <Field label="Due">
          <DateTime value={finding.dueAt} empty="No deadline" />
        </Field>
        <Field label="Occurrences">{finding.occurrences}</Field>
        <Field label="Known exploited">{finding.isKev ? 'Yes (CISA KEV)' : 'No'}</Field>
        <Field label="State reason">{finding.stateReason ?? '—'}</Field>
      </SimpleGrid>
      {finding.description ? (
        <Text size="sm" mt="md" style={{ whiteSpace: 'pre-wrap' }}>
          {finding.description}
        </Text>
      ) : null}
      {finding.remediation ? (
        <Text size="sm" mt="sm">
          <strong>Remediation:</strong> {finding.remediation}
        </Text>
      ) : null}
      {finding.references.length > 0 ? (
        <List size="sm" mt="sm">
          {finding.references.slice(0, 20).map((reference) => (
            <List.Item key={reference}>
              {/^https?:\/\//.test(reference) ? (
                <Anchor href={reference} target="_blank" rel="noreferrer noopener">
                  {reference}
                </Anchor>
              ) : (
                reference
              )}
            </List.Item>
          ))}
        </List>
      ) : null}
    </SectionCard>
  );
}

function FindingHistory({ finding }: { finding: FindingDetail }) {
  return (
    <SectionCard title="History">
      {finding.events.length === 0 ? (
        <Text size="sm" c="dimmed">
          No history yet.
        </Text>
      ) : (
        <Table fz="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">What</Table.Th>
              <Table.Th scope="col">Who</Table.Th>
              <Table.Th scope="col">Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {finding.events.map((event) => (
              <Table.Tr key={event.id}>
                <Table.Td>
                  <DateTime value={event.at} />
                </Table.Td>
                <Table.Td>
                  {event.kind.replaceAll('_', ' ')}
                  {event.toState ? ` → ${findingStateLooks[event.toState].label}` : ''}
                </Table.Td>
                <Table.Td>{event.actor.label}</Table.Td>
                <Table.Td>{event.reason ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </SectionCard>
  );
}

function FindingContent({ findingId }: { findingId: string }) {
  const canManage = useCan('findings.manage');
  const query = useQuery(findingQuery(findingId));
  const [transition, setTransition] = useState<FindingDetail['allowedTransitions'][number] | null>(
    null,
  );
  const [isAcceptOpen, { open: openAccept, close: closeAccept }] = useDisclosure(false);

  if (query.isPending) return <LoadingBlock label="Loading the finding" />;
  if (query.isError) {
    return (
      <>
        <PageHeader title="Finding" />
        <QueryError
          error={query.error}
          title="Could not load the finding"
          onRetry={() => void query.refetch()}
        />
      </>
    );
  }
  const finding = query.data;
  const hasPendingAcceptance = finding.riskAcceptances.some((ra) => ra.status === 'pending');
  const canRequestAcceptance = canManage && finding.state === 'open' && !hasPendingAcceptance;

  return (
    <>
      <PageHeader
        title={finding.title}
        description={
          <Group gap="xs" component="span">
            <SeverityBadge severity={finding.severity} />
            <FindingStateBadge state={finding.state} />
            <SlaStatusBadge status={finding.slaStatus} />
            {finding.isKev ? <Badge color="red">Known exploited</Badge> : null}
          </Group>
        }
        actions={
          canManage ? (
            <>
              {finding.allowedTransitions.map((to) => (
                <Button key={to} variant="default" onClick={() => setTransition(to)}>
                  {transitionLabels[to]}
                </Button>
              ))}
              {canRequestAcceptance ? (
                <Button onClick={openAccept}>Request risk acceptance</Button>
              ) : null}
            </>
          ) : null
        }
      />
      <Stack gap="lg">
        <FindingFields finding={finding} />
        <SectionCard title="Locations">
          {finding.locations.length === 0 ? (
            <Text size="sm" c="dimmed">
              The report gave no location.
            </Text>
          ) : (
            <List size="sm">
              {finding.locations.slice(0, 200).map((location, index) => (
                <List.Item key={`${describeLocation(location)}-${String(index)}`}>
                  <code>{describeLocation(location)}</code>
                </List.Item>
              ))}
            </List>
          )}
        </SectionCard>
        <SectionCard title="Risk acceptances">
          {finding.riskAcceptances.length === 0 ? (
            <Text size="sm" c="dimmed">
              None requested.
            </Text>
          ) : (
            <Table fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Requested by</Table.Th>
                  <Table.Th scope="col">Justification</Table.Th>
                  <Table.Th scope="col">Expires</Table.Th>
                  <Table.Th scope="col">Decision</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {finding.riskAcceptances.map((ra) => (
                  <Table.Tr key={ra.id}>
                    <Table.Td>
                      <RiskAcceptanceStatusBadge status={ra.status} />
                    </Table.Td>
                    <Table.Td>{ra.requestedBy.label}</Table.Td>
                    <Table.Td>{ra.justification}</Table.Td>
                    <Table.Td>{formatDay(ra.expiresOn)}</Table.Td>
                    <Table.Td>
                      {ra.decidedBy
                        ? `${ra.decidedBy.label}${ra.decisionNote ? `: ${ra.decisionNote}` : ''}`
                        : '—'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </SectionCard>
        {finding.canonical || finding.duplicates.length > 0 ? (
          <SectionCard title="Same vulnerability from other tools">
            <List size="sm">
              {finding.canonical ? (
                <List.Item>
                  Duplicate of{' '}
                  <AnchorLink
                    to="/findings/$findingId"
                    params={{ findingId: finding.canonical.id }}
                  >
                    the {finding.canonical.tool} finding
                  </AnchorLink>{' '}
                  ({findingStateLooks[finding.canonical.state].label})
                </List.Item>
              ) : null}
              {finding.duplicates.map((duplicate) => (
                <List.Item key={duplicate.id}>
                  Also reported by{' '}
                  <AnchorLink to="/findings/$findingId" params={{ findingId: duplicate.id }}>
                    {duplicate.tool}
                  </AnchorLink>{' '}
                  ({findingStateLooks[duplicate.state].label})
                </List.Item>
              ))}
            </List>
          </SectionCard>
        ) : null}
        <FindingHistory finding={finding} />
        <Text size="xs" c="dimmed">
          Identity {finding.identityKey} (version {finding.identityVersion})
        </Text>
      </Stack>
      {canManage ? (
        <>
          <TransitionModal finding={finding} to={transition} onClose={() => setTransition(null)} />
          <RiskAcceptanceModal finding={finding} opened={isAcceptOpen} onClose={closeAccept} />
        </>
      ) : null}
    </>
  );
}

/** `/findings/$findingId`: one finding with its history and triage actions. */
export function FindingDetailPage({ findingId }: { findingId: string }) {
  return (
    <RequirePermission permission="findings.read" title="Finding">
      <FindingContent findingId={findingId} />
    </RequirePermission>
  );
}
