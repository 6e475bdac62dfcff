import { Badge, Button, Menu, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { endpoints, oscalExportModels } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { useCan } from '../../app/me-context.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { ReadinessBar } from '../../components/readiness-bar.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { endpointUrl } from '../../lib/api-client.ts';
import { formatPercent } from '../../lib/format.ts';
import { frameworksQuery } from './frameworks-queries.ts';
import { ImportOscalModal } from './import-oscal-modal.tsx';
import { AnchorLink } from '../../components/router-links.tsx';

const exportLabels: Record<(typeof oscalExportModels)[number], string> = {
  ssp: 'System security plan',
  'component-definition': 'Component definition',
  'assessment-results': 'Assessment results',
  poam: 'Plan of action and milestones',
};

/** Download the organisation's program as OSCAL JSON documents. */
function ExportOscalMenu() {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default">Export OSCAL</Button>
      </Menu.Target>
      <Menu.Dropdown>
        {oscalExportModels.map((model) => (
          <Menu.Item
            key={model}
            component="a"
            href={endpointUrl(endpoints.exportOscal, { params: { model } })}
            download={`steward-${model}.json`}
          >
            {exportLabels[model]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function FrameworksTable() {
  const frameworks = useQuery(frameworksQuery);
  if (frameworks.isPending) return <LoadingBlock label="Loading frameworks" />;
  if (frameworks.isError) {
    return (
      <QueryError
        error={frameworks.error}
        title="Could not load frameworks"
        onRetry={() => void frameworks.refetch()}
      />
    );
  }
  const items = frameworks.data.items;
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover verticalSpacing="sm">
        <Table.Caption>
          {items.length === 1 ? '1 framework' : `${items.length} frameworks`}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Framework</Table.Th>
            <Table.Th scope="col">Source</Table.Th>
            <Table.Th scope="col">Requirements</Table.Th>
            <Table.Th scope="col">Mapped to controls</Table.Th>
            <Table.Th scope="col" w={260}>
              Readiness
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((framework) => {
            const coverage =
              framework.requirementCount === 0
                ? 0
                : Math.round(
                    (framework.mappedRequirementCount / framework.requirementCount) * 1000,
                  ) / 10;
            return (
              <Table.Tr key={framework.id}>
                <Table.Th scope="row" fw={400}>
                  <AnchorLink
                    to="/frameworks/$frameworkId"
                    params={{ frameworkId: framework.id }}
                    fw={500}
                    size="sm"
                  >
                    {framework.name}
                  </AnchorLink>
                  <Text size="xs" c="dimmed">
                    {framework.version ? `Version ${framework.version}` : framework.key}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={framework.source === 'builtin' ? 'blue' : 'grape'}
                    tt="none"
                  >
                    {framework.source === 'builtin' ? 'Built in' : 'OSCAL import'}
                  </Badge>
                </Table.Td>
                <Table.Td>{framework.requirementCount}</Table.Td>
                <Table.Td>
                  {framework.mappedRequirementCount} ({formatPercent(coverage)})
                </Table.Td>
                <Table.Td>
                  <ReadinessBar
                    name={`${framework.name} readiness`}
                    label="Controls passing"
                    readiness={framework.readiness}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function FrameworksContent() {
  const canManage = useCan('program.manage');
  const [isImportOpen, { open: openImport, close: closeImport }] = useDisclosure(false);
  return (
    <>
      <PageHeader
        title="Frameworks"
        description="The requirements your controls satisfy: the built-in security measures annex and any OSCAL catalog you import."
        actions={
          <>
            <ExportOscalMenu />
            {canManage ? <Button onClick={openImport}>Import OSCAL catalog</Button> : null}
          </>
        }
      />
      <FrameworksTable />
      {canManage ? <ImportOscalModal opened={isImportOpen} onClose={closeImport} /> : null}
    </>
  );
}

/** `/frameworks`: frameworks with readiness and mapping coverage, OSCAL import and export. */
export function FrameworksPage() {
  return (
    <RequirePermission permission="program.read" title="Frameworks">
      <FrameworksContent />
    </RequirePermission>
  );
}
