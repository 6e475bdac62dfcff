import { Box, Button, Collapse, ScrollArea, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useId } from 'react';
import { formatDay, formatPercent } from '../lib/format.ts';
import { ChartGridLine, ChartSvg } from './chart-svg.tsx';

interface TrendPoint {
  day: string;
  passing: number;
  total: number;
}

interface TrendChartProps {
  points: readonly TrendPoint[];
  /** What the chart shows, e.g. "Readiness over the last 90 days". */
  title: string;
  /** The width of the window in days, ending on the last point; days without data stay empty. */
  windowDays?: number;
}

const width = 640;
const height = 220;
const margin = { top: 12, right: 12, bottom: 28, left: 40 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;
const gridPercents = [0, 25, 50, 75, 100];

function percentOf(point: TrendPoint): number {
  return point.total === 0 ? 0 : Math.round((point.passing / point.total) * 1000) / 10;
}

function dayNumber(day: string): number {
  return Math.round(new Date(`${day}T00:00:00Z`).getTime() / 86_400_000);
}

/** Describe the trend in one sentence: where it started, where it is, the lowest point. */
function summarize(points: readonly TrendPoint[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return 'No readiness history yet.';
  if (points.length === 1) return `${formatPercent(percentOf(last))} on ${formatDay(last.day)}.`;
  const lowest = points.reduce((low, point) => (percentOf(point) < percentOf(low) ? point : low));
  return (
    `${formatPercent(percentOf(first))} on ${formatDay(first.day)}, ` +
    `${formatPercent(percentOf(last))} on ${formatDay(last.day)}; ` +
    `lowest ${formatPercent(percentOf(lowest))} on ${formatDay(lowest.day)}.`
  );
}

/**
 * Readiness per day as a line chart drawn in SVG (no chart library), with a one-sentence
 * summary as its accessible description and the numbers as a table on request.
 */
export function TrendChart({ points, title, windowDays }: TrendChartProps) {
  const id = useId();
  const [isTableOpen, { toggle: toggleTable }] = useDisclosure(false);
  const sorted = [...points].sort((a, b) => a.day.localeCompare(b.day));
  const summary = summarize(sorted);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];

  if (!first || !last) {
    return (
      <Text size="sm" c="dimmed">
        {summary} The chart fills in as Steward records each day&apos;s status.
      </Text>
    );
  }

  const lastDay = dayNumber(last.day);
  const startDay = windowDays
    ? Math.min(lastDay - windowDays + 1, dayNumber(first.day))
    : dayNumber(first.day);
  const span = Math.max(lastDay - startDay, 1);
  const xOf = (day: string) => margin.left + ((dayNumber(day) - startDay) / span) * plotWidth;
  const dayAt = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
  const yOf = (percent: number) => margin.top + plotHeight - (percent / 100) * plotHeight;
  const coordinates = sorted.map((point) => [xOf(point.day), yOf(percentOf(point))] as const);
  const line = coordinates
    .map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`)
    .join(' ');
  const area = `${line} L${(coordinates[coordinates.length - 1]?.[0] ?? 0).toFixed(1)},${yOf(0)} L${(coordinates[0]?.[0] ?? 0).toFixed(1)},${yOf(0)} Z`;
  const axisDays =
    startDay === lastDay
      ? [last.day]
      : [
          dayAt(startDay),
          ...(span >= 4 ? [dayAt(Math.round((startDay + lastDay) / 2))] : []),
          last.day,
        ];

  return (
    <Box>
      <ChartSvg
        id={id}
        title={title}
        summary={summary}
        width={width}
        height={height}
        maxHeight={260}
      >
        {gridPercents.map((percent) => (
          <ChartGridLine
            key={percent}
            y={yOf(percent)}
            left={margin.left}
            right={width - margin.right}
            strokeWidth={1}
          >
            {percent}%
          </ChartGridLine>
        ))}
        {axisDays.map((day, index) => (
          <text
            key={day}
            x={xOf(day)}
            y={height - 8}
            textAnchor={index === 0 ? 'start' : index === axisDays.length - 1 ? 'end' : 'middle'}
            fontSize={11}
            fill="var(--mantine-color-dimmed)"
          >
            {formatDay(day)}
          </text>
        ))}
        <path d={area} fill="var(--mantine-color-blue-1)" stroke="none" />
        <path
          d={line}
          fill="none"
          stroke="var(--mantine-color-blue-6)"
          strokeWidth={2}
          strokeLinejoin="round"
        />
        {sorted.length === 1 ? (
          <circle
            cx={coordinates[0]?.[0]}
            cy={coordinates[0]?.[1]}
            r={4}
            fill="var(--mantine-color-blue-6)"
          />
        ) : null}
      </ChartSvg>
      <Text size="sm" c="dimmed" mt="xs">
        {summary}
      </Text>
      <Button
        variant="subtle"
        size="xs"
        mt={4}
        px={0}
        onClick={toggleTable}
        aria-expanded={isTableOpen}
        aria-controls={`${id}-table`}
      >
        {isTableOpen ? 'Hide the numbers' : 'Show the numbers'}
      </Button>
      <Collapse expanded={isTableOpen} id={`${id}-table`}>
        <ScrollArea.Autosize mah={280} mt="xs">
          <Table striped verticalSpacing={4} fz="sm">
            <Table.Caption>{title}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Day</Table.Th>
                <Table.Th scope="col">Passing</Table.Th>
                <Table.Th scope="col">Controls</Table.Th>
                <Table.Th scope="col">Readiness</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...sorted].reverse().map((point) => (
                <Table.Tr key={point.day}>
                  <Table.Th scope="row" fw={400}>
                    {formatDay(point.day)}
                  </Table.Th>
                  <Table.Td>{point.passing}</Table.Td>
                  <Table.Td>{point.total}</Table.Td>
                  <Table.Td>{formatPercent(percentOf(point))}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      </Collapse>
    </Box>
  );
}
