import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateScreening, screeningAuditsQuery } from './screening-queries.ts';
import { applicabilityLooks, previousQuarter, screeningStatusLooks } from './screening-labels.ts';

/** HR's quarterly audit of new hires' screening, and the audits recorded so far. */
export function ScreeningAudits({ highlightId }: { highlightId?: string | undefined }) {
  const audits = useQuery(screeningAuditsQuery);
  const [quarter, setQuarter] = useState(() => previousQuarter(new Date()));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [openId, setOpenId] = useState<string | undefined>(highlightId);
  const queryClient = useQueryClient();
  const record = useMutation({
    mutationFn: () => call(endpoints.recordScreeningAudit, { body: { quarter, note } }),
    onSuccess: async (audit) => {
      notifications.show({
        color: 'green',
        message: `Audit of ${audit.quarter} recorded: ${String(audit.covered)} of ${String(audit.hired)} covered`,
      });
      setNote('');
      setOpenId(audit.id);
      await invalidateScreening(queryClient);
    },
    onError: (error) => {
      const byField: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const e of error.fieldErrors) byField[e.path] ??= e.message;
      }
      if (Object.keys(byField).length === 0) byField.quarter = describeError(error);
      setErrors(byField);
    },
  });
  return (
    <Paper withBorder radius="md" p="md">
      <Stack>
        <Title order={2} size="h3">
          Quarterly audit
        </Title>
        <Text size="sm" c="dimmed">
          Confirm that everyone who started in a quarter is cleared or has a documented exception.
          The audit is kept as the evidence of the quarterly screening audit; the evidence names no
          one.
        </Text>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            setErrors({});
            record.mutate();
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Quarter"
              description="e.g. 2026-Q3"
              value={quarter}
              onChange={(e) => setQuarter(e.currentTarget.value)}
              error={errors.quarter}
              w={160}
            />
            <TextInput
              label="Note"
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              error={errors.note}
              style={{ flex: '1 1 16rem' }}
            />
            <Button type="submit" loading={record.isPending}>
              Record audit
            </Button>
          </Group>
        </form>
        {(audits.data?.items ?? []).map((audit) => (
          <Paper key={audit.id} withBorder p="sm" radius="sm" id={`audit-${audit.id}`}>
            <Group justify="space-between">
              <Group gap="xs">
                <Text fw={600}>{audit.quarter}</Text>
                <Badge color={audit.isComplete ? 'green' : 'red'}>
                  {audit.covered} of {audit.hired} covered
                </Badge>
                <Text size="sm" c="dimmed">
                  recorded {new Date(audit.recordedAt).toLocaleDateString()}
                  {audit.recordedBy ? ` by ${audit.recordedBy.name}` : ''}
                </Text>
              </Group>
              <Button
                variant="subtle"
                size="xs"
                onClick={() => setOpenId(openId === audit.id ? undefined : audit.id)}
              >
                {openId === audit.id ? 'Hide hires' : 'Show hires'}
              </Button>
            </Group>
            {audit.note ? <Text size="sm">{audit.note}</Text> : null}
            {openId === audit.id ? (
              <Table.ScrollContainer minWidth={520}>
                <Table verticalSpacing={4} mt="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Person</Table.Th>
                      <Table.Th scope="col">Started</Table.Th>
                      <Table.Th scope="col">Screening</Table.Th>
                      <Table.Th scope="col">Status</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {audit.entries.map((e) => (
                      <Table.Tr key={e.personId}>
                        <Table.Th scope="row" fw={400}>
                          {e.name}
                        </Table.Th>
                        <Table.Td>{e.startDate}</Table.Td>
                        <Table.Td>{applicabilityLooks[e.applicability].label}</Table.Td>
                        <Table.Td>
                          {screeningStatusLooks[e.status].label}
                          {e.isCovered ? null : (
                            <Badge color="red" ml="xs">
                              Open
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            ) : null}
          </Paper>
        ))}
      </Stack>
    </Paper>
  );
}
