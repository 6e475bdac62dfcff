import { Paper, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import {
  bandColours,
  bandOfScore,
  describeHeatCell,
  impactLabels,
  likelihoodLabels,
} from './risk-filters.ts';

const ratings = [1, 2, 3, 4, 5] as const;

interface HeatMapProps {
  kind: 'inherent' | 'residual';
  grid: readonly (readonly number[])[];
  /** The cell the list is filtered by, if any. */
  selected?: { likelihood: number; impact: number } | undefined;
}

/**
 * A 5×5 likelihood × impact grid as a table: every cell names its ratings and count, and
 * choosing it filters the register to the risks in it.
 */
export function HeatMap({ kind, grid, selected }: HeatMapProps) {
  const navigate = useNavigate();
  const title = kind === 'inherent' ? 'Inherent risk' : 'Residual risk';
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={`${title} heat map`}>
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      <Table.ScrollContainer minWidth={300}>
        <Table withTableBorder withColumnBorders layout="fixed" verticalSpacing={4}>
          <Table.Caption>
            {kind === 'inherent'
              ? 'Before controls. Rows: likelihood, columns: impact.'
              : 'After treatment (unrated risks at their inherent cell). Rows: likelihood, columns: impact.'}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={90}>
                <Text size="xs" c="dimmed">
                  Likelihood ↓ / Impact →
                </Text>
              </Table.Th>
              {ratings.map((impact) => (
                <Table.Th key={impact} scope="col" ta="center">
                  <Text size="xs" title={impactLabels[impact - 1]}>
                    {impact}
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...ratings].reverse().map((likelihood) => (
              <Table.Tr key={likelihood}>
                <Table.Th scope="row">
                  <Text size="xs" title={likelihoodLabels[likelihood - 1]}>
                    {likelihood} {likelihoodLabels[likelihood - 1]}
                  </Text>
                </Table.Th>
                {ratings.map((impact) => {
                  const count = grid[likelihood - 1]?.[impact - 1] ?? 0;
                  const colour = bandColours[bandOfScore(likelihood * impact)];
                  const isSelected =
                    selected?.likelihood === likelihood && selected.impact === impact;
                  return (
                    <Table.Td
                      key={impact}
                      p={0}
                      bg={`var(--mantine-color-${colour}-${count > 0 ? '3' : '1'})`}
                    >
                      <UnstyledButton
                        w="100%"
                        h={40}
                        ta="center"
                        fw={count > 0 ? 700 : 400}
                        aria-label={describeHeatCell(likelihood, impact, count)}
                        aria-pressed={isSelected}
                        style={
                          isSelected
                            ? {
                                outline: '3px solid var(--mantine-color-dark-6)',
                                outlineOffset: -3,
                              }
                            : undefined
                        }
                        onClick={() =>
                          void navigate({
                            to: '/risks',
                            search: isSelected ? {} : { heat: kind, likelihood, impact },
                          })
                        }
                      >
                        {count}
                      </UnstyledButton>
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
