import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { lifecycleKinds } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { useCan } from '../../app/me-context.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { kindLabels, lifecycleSummaryQuery } from './lifecycle-queries.ts';

function SummaryFigures() {
  const summary = useQuery(lifecycleSummaryQuery);
  if (!summary.data) return null;
  const { open, overdue, overdueItems } = summary.data;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="lifecycle-summary-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="lifecycle-summary-heading">
          Joiners, movers and leavers
        </Title>
        <AnchorLink to="/lifecycle" size="sm">
          All checklists
        </AnchorLink>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        {lifecycleKinds.map((kind) => (
          <Stack gap={0} key={kind}>
            <Text size="xs" c="dimmed">
              {kindLabels[kind]} checklists open
            </Text>
            <Text fw={700} size="lg">
              {open[kind]}
              {overdue[kind] > 0 ? (
                <Text span c="red" size="sm" fw={600}>
                  {' '}
                  ({overdue[kind]} overdue)
                </Text>
              ) : null}
            </Text>
          </Stack>
        ))}
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            Overdue items
          </Text>
          <Text fw={700} size="lg" c={overdueItems > 0 ? 'red' : undefined}>
            {overdueItems}
          </Text>
        </Stack>
      </SimpleGrid>
    </Card>
  );
}

/** Open and overdue lifecycle work, for the dashboard and the lifecycle page. */
export function LifecycleSummaryCard() {
  const canRead = useCan('people.read');
  return canRead ? <SummaryFigures /> : null;
}
