import { Card, Grid, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { controlStatuses, promiseStatuses } from '@steward/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useMe } from '../../app/me-context.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { ReadinessBar } from '../../components/readiness-bar.tsx';
import {
  ControlStatusBadge,
  PromiseStatusBadge,
  controlStatusLooks,
  promiseStatusLooks,
} from '../../components/status-badges.tsx';
import { TrendChart } from '../../components/trend-chart.tsx';
import { formatPercent } from '../../lib/format.ts';
import { LifecycleSummaryCard } from '../lifecycle/lifecycle-summary-card.tsx';
import { AttentionList } from './attention-list.tsx';
import { dashboardQuery, trendWindows } from './dashboard-queries.ts';
import type { TrendWindow } from './dashboard-queries.ts';
import { UpcomingTasks } from './upcoming-tasks.tsx';
import { AnchorLink } from '../../components/router-links.tsx';

function toTrendWindow(value: string): TrendWindow {
  return trendWindows.find((days) => String(days) === value) ?? 90;
}

/** A card with a level-two heading that names its region. */
function DashboardCard({
  title,
  id,
  children,
  action,
  isStretched = false,
}: {
  title: string;
  id: string;
  children: ReactNode;
  action?: ReactNode;
  /** Fill the grid cell, so cards side by side line up. */
  isStretched?: boolean;
}) {
  return (
    <Card
      withBorder
      radius="md"
      padding="lg"
      component="section"
      aria-labelledby={id}
      h={isStretched ? '100%' : undefined}
    >
      <Group justify="space-between" align="center" mb="sm" gap="xs">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Card>
  );
}

/** The readiness dashboard: overall, per section and framework, trend, what needs attention. */
export function DashboardPage() {
  const me = useMe();
  const [trendDays, setTrendDays] = useState<TrendWindow>(90);
  const dashboard = useQuery({ ...dashboardQuery(trendDays), placeholderData: keepPreviousData });

  const header = (
    <PageHeader
      title="Dashboard"
      description={`How ready ${me.org.name} is: every control, kept and proved.`}
    />
  );
  if (dashboard.isPending) {
    return (
      <>
        {header}
        <LoadingBlock label="Loading the dashboard" />
      </>
    );
  }
  if (dashboard.isError) {
    return (
      <>
        {header}
        <QueryError
          error={dashboard.error}
          title="Could not load the dashboard"
          onRetry={() => void dashboard.refetch()}
        />
      </>
    );
  }

  const data = dashboard.data;
  return (
    <>
      {header}
      <Stack gap="lg">
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <DashboardCard title="Overall readiness" id="overall-heading" isStretched>
              <Stack gap="xs">
                <Text fz={48} fw={700} lh={1} data-testid="overall-percent">
                  {data.overall.total === 0 ? '—' : formatPercent(data.overall.percent)}
                </Text>
                <Text size="sm" c="dimmed">
                  {data.overall.passing} of {data.overall.total} controls passing
                </Text>
                <Stack gap={6} mt="xs">
                  {controlStatuses.map((status) => (
                    <Group key={status} justify="space-between" wrap="nowrap">
                      <AnchorLink to="/controls" search={{ status }} size="sm">
                        {controlStatusLooks[status].label}
                      </AnchorLink>
                      <ControlStatusBadge status={status} count={data.statusCounts[status]} />
                    </Group>
                  ))}
                </Stack>
              </Stack>
            </DashboardCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <DashboardCard
              title="Trend"
              id="trend-heading"
              isStretched
              action={
                <SegmentedControl
                  size="xs"
                  aria-label="Trend window"
                  value={String(trendDays)}
                  onChange={(value) => setTrendDays(toTrendWindow(value))}
                  data={trendWindows.map((days) => ({
                    value: String(days),
                    label: `${days} days`,
                  }))}
                />
              }
            >
              <TrendChart
                points={data.trend}
                windowDays={trendDays}
                title={`Readiness over the last ${trendDays} days`}
              />
            </DashboardCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <DashboardCard title="Needs attention" id="attention-heading">
              <AttentionList items={data.attention} />
            </DashboardCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <DashboardCard
              title="Upcoming tasks"
              id="upcoming-heading"
              action={
                <AnchorLink to="/tasks" size="sm">
                  All tasks
                </AnchorLink>
              }
            >
              <UpcomingTasks tasks={data.upcomingTasks} />
            </DashboardCard>
          </Grid.Col>
        </Grid>

        <LifecycleSummaryCard />

        <DashboardCard title="By annex section" id="sections-heading">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg" verticalSpacing="md">
            {data.bySection.map((entry) => (
              <ReadinessBar
                key={entry.section}
                name={`Section ${entry.section}, ${entry.title}`}
                label={
                  <AnchorLink to="/controls" search={{ section: entry.section }} inherit>
                    {entry.section}. {entry.title}
                  </AnchorLink>
                }
                readiness={entry.readiness}
              />
            ))}
          </SimpleGrid>
        </DashboardCard>

        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
          <DashboardCard title="By framework" id="frameworks-heading" isStretched>
            <Stack gap="md">
              {data.byFramework.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No frameworks yet.
                </Text>
              ) : null}
              {data.byFramework.map((entry) => (
                <ReadinessBar
                  key={entry.id}
                  name={entry.name}
                  label={
                    <AnchorLink
                      to="/frameworks/$frameworkId"
                      params={{ frameworkId: entry.id }}
                      inherit
                    >
                      {entry.name}
                    </AnchorLink>
                  }
                  readiness={entry.readiness}
                />
              ))}
            </Stack>
          </DashboardCard>
          <DashboardCard
            title="Coverage of reference frameworks"
            id="references-heading"
            isStretched
          >
            <Stack gap="md">
              <Text size="sm" c="dimmed">
                Items whose mapped controls all pass, of the items mapped.
              </Text>
              {data.byReference.map((entry) => (
                <ReadinessBar
                  key={entry.framework}
                  name={entry.name}
                  label={entry.name}
                  readiness={entry.readiness}
                />
              ))}
            </Stack>
          </DashboardCard>
          <DashboardCard
            title="Promises"
            id="promises-heading"
            isStretched
            action={
              <AnchorLink to="/promises" size="sm">
                All promises
              </AnchorLink>
            }
          >
            <Stack gap={6}>
              {promiseStatuses.map((status) => (
                <Group key={status} justify="space-between" wrap="nowrap">
                  <AnchorLink to="/promises" size="sm">
                    {promiseStatusLooks[status].label}
                  </AnchorLink>
                  <PromiseStatusBadge status={status} count={data.promises[status]} />
                </Group>
              ))}
            </Stack>
          </DashboardCard>
        </SimpleGrid>
      </Stack>
    </>
  );
}
