import { Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { severities } from '@steward/contracts';
import type { Severity, VulnerabilityMetrics } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink, ButtonLink } from '../../components/router-links.tsx';
import { useCan } from '../../app/me-context.tsx';
import { formatPercent } from '../../lib/format.ts';
import { BarChart } from './bar-chart.tsx';
import { severityLooks } from './finding-badges.tsx';
import { SectionCard } from './section-card.tsx';
import { metricsQuery } from './vulnerabilities-queries.ts';

const severityColors: Record<Severity, string> = {
  critical: 'var(--mantine-color-red-7)',
  high: 'var(--mantine-color-orange-6)',
  medium: 'var(--mantine-color-yellow-5)',
  low: 'var(--mantine-color-blue-5)',
  info: 'var(--mantine-color-gray-5)',
};

function SeverityCounts({
  label,
  counts,
  sla,
}: {
  label: string;
  counts: Record<Severity, number>;
  sla?: 'breached';
}) {
  return (
    <Table fz="sm" verticalSpacing={4}>
      <Table.Caption>{label}</Table.Caption>
      <Table.Tbody>
        {severities.map((severity) => (
          <Table.Tr key={severity}>
            <Table.Th scope="row" fw={400}>
              {severityLooks[severity].label}
            </Table.Th>
            <Table.Td ta="right">
              <AnchorLink
                to="/findings"
                search={{ severity, state: 'open', ...(sla ? { sla } : {}) }}
                aria-label={`${String(counts[severity])} ${severityLooks[severity].label.toLowerCase()} ${label.toLowerCase()}`}
              >
                {counts[severity]}
              </AnchorLink>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function mttrBars(metrics: VulnerabilityMetrics) {
  const months = [...new Set(metrics.mttr.map((row) => row.month))].sort();
  return months.map((month) => {
    const rows = metrics.mttr.filter((row) => row.month === month);
    const fixed = rows.reduce((sum, row) => sum + row.fixed, 0);
    const weighted = rows.reduce((sum, row) => sum + row.meanDays * row.fixed, 0);
    return {
      label: month.slice(0, 7),
      segments: [
        {
          key: 'mean',
          value: fixed === 0 ? 0 : Math.round((weighted / fixed) * 10) / 10,
          color: 'var(--mantine-color-blue-6)',
        },
      ],
    };
  });
}

function MetricsContent({ metrics }: { metrics: VulnerabilityMetrics }) {
  const within = metrics.withinSla;
  const ageBars = metrics.open.byAge.map((bucket) => ({
    label: `${bucket.bucket} d`,
    segments: severities.map((severity) => ({
      key: severity,
      value: bucket.counts[severity],
      color: severityColors[severity],
    })),
  }));
  const oldest = [...metrics.open.byAge]
    .reverse()
    .find((bucket) => severities.some((severity) => bucket.counts[severity] > 0));
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <SectionCard title="Open findings">
          <Text fz={32} fw={700}>
            {metrics.open.total}
          </Text>
          <Text size="sm" c="dimmed">
            {metrics.open.kev} in CISA&apos;s known exploited list
          </Text>
        </SectionCard>
        <SectionCard title="SLA breaches">
          <Text fz={32} fw={700} c={metrics.breaches.total > 0 ? 'red' : undefined}>
            {metrics.breaches.total}
          </Text>
          <Text size="sm" c="dimmed">
            {metrics.dueSoon} due within a week
          </Text>
        </SectionCard>
        <SectionCard title="Remediated within SLA">
          <Text fz={32} fw={700}>
            {within.percent === null ? '—' : formatPercent(within.percent)}
          </Text>
          <Text size="sm" c="dimmed">
            {within.withinSla} of {within.remediated} fixed in the last {within.windowDays} days;
            target {formatPercent(within.targetPercent)}
          </Text>
        </SectionCard>
        <SectionCard title="Risk acceptances">
          <Text fz={32} fw={700}>
            {metrics.riskAcceptances.pending}
          </Text>
          <Text size="sm" c="dimmed">
            pending; {metrics.riskAcceptances.approved} approved and current
          </Text>
        </SectionCard>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <SectionCard title="Open by severity">
          <SeverityCounts label="Open findings" counts={metrics.open.bySeverity} />
        </SectionCard>
        <SectionCard title="Breaches by severity">
          <SeverityCounts
            label="SLA breaches"
            counts={metrics.breaches.bySeverity}
            sla="breached"
          />
        </SectionCard>
      </SimpleGrid>
      <SectionCard title="Open findings by age">
        <BarChart
          title="Open findings by age in days, stacked by severity"
          summary={
            oldest
              ? `${String(metrics.open.total)} open findings; the oldest are ${oldest.bucket} days old.`
              : 'No open findings.'
          }
          bars={ageBars}
        />
        <Group gap="md" mt="xs">
          {severities.map((severity) => (
            <Group key={severity} gap={4}>
              <svg width={10} height={10} aria-hidden="true">
                <rect width={10} height={10} fill={severityColors[severity]} />
              </svg>
              <Text size="xs">{severityLooks[severity].label}</Text>
            </Group>
          ))}
        </Group>
      </SectionCard>
      <SectionCard title="Mean time to remediate">
        <BarChart
          title="Mean days from first seen to fixed, per month"
          summary={
            metrics.mttr.length === 0
              ? 'No finding was fixed in the period yet.'
              : 'Mean days to fix, per month of the fix, all severities weighted by count.'
          }
          bars={mttrBars(metrics)}
          unit=" d"
        />
        {metrics.mttr.length > 0 ? (
          <Table fz="sm" mt="sm" striped>
            <Table.Caption>Mean time to remediate by severity per month</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Month</Table.Th>
                <Table.Th scope="col">Severity</Table.Th>
                <Table.Th scope="col">Fixed</Table.Th>
                <Table.Th scope="col">Mean days</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {metrics.mttr.map((row) => (
                <Table.Tr key={`${row.month}-${row.severity}`}>
                  <Table.Td>{row.month.slice(0, 7)}</Table.Td>
                  <Table.Td>{severityLooks[row.severity].label}</Table.Td>
                  <Table.Td>{row.fixed}</Table.Td>
                  <Table.Td>{row.meanDays.toFixed(1)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </SectionCard>
    </Stack>
  );
}

function VulnerabilitiesContent() {
  const canImport = useCan('findings.import');
  const metrics = useQuery(metricsQuery());
  return (
    <>
      <PageHeader
        title="Vulnerabilities"
        description="Open findings, deadlines and how fast they are fixed. Duplicates reported by several tools count once."
        actions={
          <>
            <ButtonLink
              to="/findings"
              search={{ state: 'open', sla: 'breached' }}
              variant="default"
            >
              SLA breaches
            </ButtonLink>
            {canImport ? <ButtonLink to="/scans/import">Import a scan</ButtonLink> : null}
          </>
        }
      />
      {metrics.isPending ? <LoadingBlock label="Loading the metrics" /> : null}
      {metrics.isError ? (
        <QueryError
          error={metrics.error}
          title="Could not load the metrics"
          onRetry={() => void metrics.refetch()}
        />
      ) : null}
      {metrics.isSuccess ? <MetricsContent metrics={metrics.data} /> : null}
    </>
  );
}

/** `/vulnerabilities`: the vulnerabilities dashboard. */
export function VulnerabilitiesPage() {
  return (
    <RequirePermission permission="findings.read" title="Vulnerabilities">
      <VulnerabilitiesContent />
    </RequirePermission>
  );
}
