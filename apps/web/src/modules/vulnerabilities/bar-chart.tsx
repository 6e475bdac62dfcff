import { Box, Text } from '@mantine/core';
import { useId } from 'react';
import { ChartGridLine, ChartSvg } from '../../components/chart-svg.tsx';

/** One bar of a chart, stacked from its segments. */
export interface BarDatum {
  label: string;
  segments: readonly { key: string; value: number; color: string }[];
}

interface BarChartProps {
  title: string;
  /** One sentence saying what the chart shows, read by screen readers and shown below. */
  summary: string;
  bars: readonly BarDatum[];
  /** Unit after values on the axis, e.g. " d". */
  unit?: string;
}

const width = 640;
const height = 200;
const margin = { top: 12, right: 12, bottom: 28, left: 44 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;

/** Stacked vertical bars drawn in SVG (no chart library), with a sentence as description. */
export function BarChart({ title, summary, bars, unit = '' }: BarChartProps) {
  const id = useId();
  const totals = bars.map((bar) => bar.segments.reduce((sum, s) => sum + s.value, 0));
  const max = Math.max(1, ...totals);
  const slot = plotWidth / Math.max(bars.length, 1);
  const barWidth = Math.min(48, slot * 0.7);
  const yOf = (value: number) => margin.top + plotHeight - (value / max) * plotHeight;
  const ticks = [0, max / 2, max].map((v) => Math.round(v * 10) / 10);

  return (
    <Box>
      <ChartSvg
        id={id}
        title={title}
        summary={summary}
        width={width}
        height={height}
        maxHeight={240}
      >
        {ticks.map((tick) => (
          <ChartGridLine key={tick} y={yOf(tick)} left={margin.left} right={width - margin.right}>
            {tick}
            {unit}
          </ChartGridLine>
        ))}
        {bars.map((bar, index) => {
          const x = margin.left + index * slot + (slot - barWidth) / 2;
          let base = 0;
          return (
            <g key={bar.label}>
              {bar.segments.map((segment) => {
                const top = yOf(base + segment.value);
                const rect = (
                  <rect
                    key={segment.key}
                    x={x}
                    y={top}
                    width={barWidth}
                    height={Math.max(0, yOf(base) - top)}
                    fill={segment.color}
                  />
                );
                base += segment.value;
                return rect;
              })}
              <text
                x={x + barWidth / 2}
                y={height - 8}
                textAnchor="middle"
                fontSize={11}
                fill="var(--mantine-color-dimmed)"
              >
                {bar.label}
              </text>
            </g>
          );
        })}
      </ChartSvg>
      <Text size="sm" c="dimmed" mt="xs">
        {summary}
      </Text>
    </Box>
  );
}
