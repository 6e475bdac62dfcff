import { Group, ScrollArea, Table, Text } from '@mantine/core';
import { severities } from '@steward/contracts';
import type { Asset } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink, ButtonLink } from '../../components/router-links.tsx';
import { useCan } from '../../app/me-context.tsx';
import { severityLooks } from './finding-badges.tsx';
import { assetsQuery } from './vulnerabilities-queries.ts';

/** Open findings of an asset per severity, e.g. "2 critical · 5 high". */
export function describeOpenFindings(asset: Asset): string {
  const parts = severities
    .filter((severity) => asset.openFindings[severity] > 0)
    .map(
      (severity) =>
        `${String(asset.openFindings[severity])} ${severityLooks[severity].label.toLowerCase()}`,
    );
  return parts.length > 0 ? parts.join(' · ') : 'None open';
}

/** A readable label for an enum value such as `container_image`. */
export function humanize(value: string): string {
  const text = value.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function AssetsContent() {
  const canImport = useCan('findings.import');
  const assets = useQuery(assetsQuery());
  return (
    <>
      <PageHeader
        title="Assets"
        description="What Steward scans: repositories, images, hosts, web applications, cloud accounts."
        actions={canImport ? <ButtonLink to="/scans/import">Import a scan</ButtonLink> : null}
      />
      {assets.isPending ? <LoadingBlock label="Loading assets" /> : null}
      {assets.isError ? (
        <QueryError
          error={assets.error}
          title="Could not load assets"
          onRetry={() => void assets.refetch()}
        />
      ) : null}
      {assets.isSuccess && assets.data.items.length === 0 ? (
        <Text c="dimmed">No asset yet. Importing a scan creates its asset.</Text>
      ) : null}
      {assets.isSuccess && assets.data.items.length > 0 ? (
        <ScrollArea>
          <Table striped highlightOnHover miw={700} verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Asset</Table.Th>
                <Table.Th scope="col">Kind</Table.Th>
                <Table.Th scope="col">Environment</Table.Th>
                <Table.Th scope="col">Criticality</Table.Th>
                <Table.Th scope="col">Open findings</Table.Th>
                <Table.Th scope="col">Last import</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {assets.data.items.map((asset) => (
                <Table.Tr key={asset.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <AnchorLink to="/assets/$assetId" params={{ assetId: asset.id }}>
                        {asset.name}
                      </AnchorLink>
                    </Group>
                  </Table.Td>
                  <Table.Td>{humanize(asset.kind)}</Table.Td>
                  <Table.Td>{humanize(asset.environment)}</Table.Td>
                  <Table.Td>{humanize(asset.criticality)}</Table.Td>
                  <Table.Td>{describeOpenFindings(asset)}</Table.Td>
                  <Table.Td>
                    <DateTime value={asset.lastImportAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      ) : null}
    </>
  );
}

/** `/assets`: every asset with its open findings. */
export function AssetsPage() {
  return (
    <RequirePermission permission="findings.read" title="Assets">
      <AssetsContent />
    </RequirePermission>
  );
}
