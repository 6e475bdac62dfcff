import { Badge, Button, Center, Group, Paper, Stack, Text } from '@mantine/core';
import { endpoints } from '@steward/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ButtonLink } from '../../components/router-links.tsx';
import { useCan } from '../../app/me-context.tsx';
import { endpointUrl } from '../../lib/api-client.ts';
import { formatBytes } from '../../lib/format.ts';
import { describeOpenFindings, humanize } from './assets-page.tsx';
import { FindingsResults } from './findings-page.tsx';
import { ScanImportNumbers } from './scan-import-summary.tsx';
import { SectionCard } from './section-card.tsx';
import { assetQuery, scanImportsQuery } from './vulnerabilities-queries.ts';

function ImportHistory({ assetId }: { assetId: string }) {
  const imports = useInfiniteQuery(scanImportsQuery(assetId));
  const items = imports.data?.pages.flatMap((page) => page.items) ?? [];
  if (imports.isPending) return <LoadingBlock label="Loading the import history" />;
  if (imports.isError) {
    return (
      <QueryError
        error={imports.error}
        title="Could not load the import history"
        onRetry={() => void imports.refetch()}
      />
    );
  }
  if (items.length === 0) return <Text c="dimmed">No report imported yet.</Text>;
  return (
    <Stack gap="sm">
      {items.map((item) => (
        <Paper
          key={item.id}
          withBorder
          p="sm"
          radius="sm"
          component="article"
          aria-label={`Import of ${item.fileName ?? item.tool}`}
        >
          <Group justify="space-between" mb="xs">
            <Group gap="xs">
              <Badge color={item.status === 'completed' ? 'green' : 'red'} variant="light">
                {item.status === 'completed' ? 'Completed' : 'Failed'}
              </Badge>
              <Text size="sm" fw={600}>
                {item.fileName ?? 'Report'}
              </Text>
              <Text size="xs" c="dimmed">
                {formatBytes(item.fileSizeBytes)} ·{' '}
                {item.closeMissing ? 'closes missing' : 'keeps missing open'}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              <DateTime value={item.finishedAt} /> by {item.importedBy.label}
            </Text>
          </Group>
          {item.status === 'failed' ? (
            <Text size="sm" c="red">
              {item.error ?? 'The import failed.'}
            </Text>
          ) : (
            <ScanImportNumbers summary={item} />
          )}
        </Paper>
      ))}
      {imports.hasNextPage ? (
        <Center>
          <Button
            variant="default"
            onClick={() => void imports.fetchNextPage()}
            loading={imports.isFetchingNextPage}
          >
            Load more imports
          </Button>
        </Center>
      ) : null}
    </Stack>
  );
}

function AssetContent({ assetId }: { assetId: string }) {
  const canImport = useCan('findings.import');
  const asset = useQuery(assetQuery(assetId));
  if (asset.isPending) return <LoadingBlock label="Loading the asset" />;
  if (asset.isError) {
    return (
      <>
        <PageHeader title="Asset" />
        <QueryError
          error={asset.error}
          title="Could not load the asset"
          onRetry={() => void asset.refetch()}
        />
      </>
    );
  }
  const data = asset.data;
  return (
    <>
      <PageHeader
        title={data.name}
        description={`${humanize(data.kind)} · ${humanize(data.environment)} · ${humanize(data.criticality)} criticality · owner ${data.ownerName ?? 'none'} · open: ${describeOpenFindings(data)}`}
        actions={
          <>
            <Button
              component="a"
              variant="default"
              href={endpointUrl(endpoints.exportAssetVex, { params: { id: data.id } })}
              download={`${data.name}.vex.json`}
            >
              Export VEX
            </Button>
            {canImport ? <ButtonLink to="/scans/import">Import a scan</ButtonLink> : null}
          </>
        }
      />
      <Stack gap="lg">
        <SectionCard title="Findings">
          <FindingsResults filters={{ assetId: data.id }} showAsset={false} />
        </SectionCard>
        <SectionCard title="Import history">
          <ImportHistory assetId={data.id} />
        </SectionCard>
      </Stack>
    </>
  );
}

/** `/assets/$assetId`: an asset, its findings and its import history. */
export function AssetDetailPage({ assetId }: { assetId: string }) {
  return (
    <RequirePermission permission="findings.read" title="Asset">
      <AssetContent assetId={assetId} />
    </RequirePermission>
  );
}
