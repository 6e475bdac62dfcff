import type { ReactNode } from 'react';

interface ChartSvgProps {
  /** A unique prefix for the ids that tie the title and description to the drawing. */
  id: string;
  title: string;
  /** One sentence saying what the chart shows, read by screen readers. */
  summary: string;
  width: number;
  height: number;
  maxHeight: number;
  children: ReactNode;
}

/** An SVG chart that screen readers announce by its title and summary. */
export function ChartSvg({
  id,
  title,
  summary,
  width,
  height,
  maxHeight,
  children,
}: ChartSvgProps) {
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      style={{ display: 'block', maxHeight }}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{summary}</desc>
      {children}
    </svg>
  );
}

interface ChartGridLineProps {
  y: number;
  left: number;
  right: number;
  strokeWidth?: number;
  /** The value at this line, written left of the plot. */
  children: ReactNode;
}

/** A horizontal grid line across the plot, its value written at its left end. */
export function ChartGridLine({ y, left, right, strokeWidth, children }: ChartGridLineProps) {
  return (
    <g>
      <line
        x1={left}
        x2={right}
        y1={y}
        y2={y}
        stroke="var(--mantine-color-gray-3)"
        {...(strokeWidth === undefined ? {} : { strokeWidth })}
      />
      <text
        x={left - 6}
        y={y}
        textAnchor="end"
        dominantBaseline="middle"
        fontSize={11}
        fill="var(--mantine-color-dimmed)"
      >
        {children}
      </text>
    </g>
  );
}
