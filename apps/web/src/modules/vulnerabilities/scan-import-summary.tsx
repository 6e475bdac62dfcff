import { SimpleGrid, Stack, Text } from '@mantine/core';

interface SummaryNumbers {
  format: string;
  tools: readonly string[];
  results: number;
  findings: number;
  created: number;
  matched: number;
  updated: number;
  reactivated: number;
  closed: number;
  errors: readonly { message: string }[];
}

/** What one import did, as labelled numbers (each a term and its value). */
export function ScanImportNumbers({ summary }: { summary: SummaryNumbers }) {
  const rows: [string, string][] = [
    ['Format', summary.format],
    ['Tools', summary.tools.join(', ') || '—'],
    ['Results', String(summary.results)],
    ['Findings', String(summary.findings)],
    ['Created', String(summary.created)],
    ['Matched', String(summary.matched)],
    ['Updated', String(summary.updated)],
    ['Reactivated', String(summary.reactivated)],
    ['Closed', String(summary.closed)],
  ];
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm" component="dl" m={0}>
        {rows.map(([term, value]) => (
          <div key={term}>
            <Text component="dt" size="xs" c="dimmed" fw={600} tt="uppercase">
              {term}
            </Text>
            <Text component="dd" m={0} fw={600} aria-label={`${term}: ${value}`}>
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      {summary.errors.length > 0 ? (
        <Text size="sm" c="orange">
          {summary.errors.length} problem{summary.errors.length === 1 ? '' : 's'} did not stop the
          import:{' '}
          {summary.errors
            .slice(0, 5)
            .map((e) => e.message)
            .join('; ')}
        </Text>
      ) : null}
    </Stack>
  );
}
