import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useCan } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ImportAnnexModal } from './import-annex-modal.tsx';
import { PromiseCounts } from './promise-counts.tsx';
import { annexesQuery } from './promises-queries.ts';
import { AnchorLink } from '../../components/router-links.tsx';

const sourceLabels = { default: 'Default', paste: 'Pasted', upload: 'Uploaded' } as const;

function AnnexesTable() {
  const annexes = useQuery(annexesQuery);
  if (annexes.isPending) return <LoadingBlock label="Loading annexes" />;
  if (annexes.isError) {
    return (
      <QueryError
        error={annexes.error}
        title="Could not load annexes"
        onRetry={() => void annexes.refetch()}
      />
    );
  }
  const items = annexes.data.items;
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover verticalSpacing="sm">
        <Table.Caption>{items.length === 1 ? '1 annex' : `${items.length} annexes`}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Annex</Table.Th>
            <Table.Th scope="col">Promises</Table.Th>
            <Table.Th scope="col">How they stand</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((annex) => (
            <Table.Tr key={annex.id}>
              <Table.Th scope="row" fw={400}>
                <AnchorLink
                  to="/promises/$annexId"
                  params={{ annexId: annex.id }}
                  fw={500}
                  size="sm"
                >
                  {annex.name}
                </AnchorLink>
                <Group gap={6} mt={2}>
                  <Badge size="xs" variant="light" color="gray" tt="none">
                    {sourceLabels[annex.source]}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {annex.fileName ? `${annex.fileName} · ` : ''}
                    <DateTime value={annex.createdAt} />
                  </Text>
                </Group>
              </Table.Th>
              <Table.Td>{annex.promiseCount}</Table.Td>
              <Table.Td>
                <PromiseCounts counts={annex.counts} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PromisesContent() {
  const canManage = useCan('program.manage');
  const [isImportOpen, { open: openImport, close: closeImport }] = useDisclosure(false);
  return (
    <>
      <PageHeader
        title="Promises"
        description="What your security annexes promise customers, and whether each promise is kept — with proof."
        actions={canManage ? <Button onClick={openImport}>Import annex</Button> : null}
      />
      <AnnexesTable />
      {canManage ? <ImportAnnexModal opened={isImportOpen} onClose={closeImport} /> : null}
    </>
  );
}

/** `/promises`: the security annexes and how their promises stand. */
export function PromisesPage() {
  return (
    <RequirePermission permission="program.read" title="Promises">
      <PromisesContent />
    </RequirePermission>
  );
}
