import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMe } from '../../app/me-context.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateRisks, pendingRiskAcceptancesQuery } from './risks-queries.ts';

/** Decide an acceptance: shared by the inbox and the risk page. */
export function useDecideAcceptance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; decision: 'approve' | 'reject'; note?: string }) =>
      call(
        input.decision === 'approve'
          ? endpoints.approveRiskRegisterAcceptance
          : endpoints.rejectRiskRegisterAcceptance,
        { params: { id: input.id }, body: { note: input.note ?? '' } },
      ),
    onSuccess: async (acceptance) => {
      notifications.show({
        color: acceptance.status === 'approved' ? 'green' : 'gray',
        message: `${acceptance.riskRef}: acceptance ${acceptance.status}`,
      });
      await invalidateRisks(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
}

/** Acceptance requests waiting for an executive; one's own requests cannot be decided. */
export function RiskAcceptanceInbox() {
  const me = useMe();
  const pending = useQuery(pendingRiskAcceptancesQuery);
  const decide = useDecideAcceptance();
  const items = pending.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      mb="lg"
      component="section"
      aria-labelledby="acceptance-inbox"
    >
      <Title order={2} size="h4" id="acceptance-inbox" mb="sm">
        Risk acceptances waiting for a decision
      </Title>
      <Stack gap="sm">
        {items.map((a) => {
          const isOwn = a.requestedBy?.id === me.user.id;
          return (
            <Stack key={a.id} gap={4}>
              <Text size="sm">
                <AnchorLink to="/risks/$riskId" params={{ riskId: a.riskId }} fw={500}>
                  {a.riskRef} {a.riskTitle}
                </AnchorLink>{' '}
                — requested by {a.requestedBy?.name ?? 'someone'} until {a.expiresOn}
              </Text>
              <Text size="sm" c="dimmed">
                {a.justification}
              </Text>
              <Group gap="xs">
                <Button
                  size="xs"
                  color="green"
                  disabled={isOwn}
                  loading={decide.isPending}
                  aria-label={`Approve the acceptance of ${a.riskRef}`}
                  onClick={() => decide.mutate({ id: a.id, decision: 'approve' })}
                >
                  Approve
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  disabled={isOwn}
                  loading={decide.isPending}
                  aria-label={`Reject the acceptance of ${a.riskRef}`}
                  onClick={() => decide.mutate({ id: a.id, decision: 'reject' })}
                >
                  Reject
                </Button>
                {isOwn ? (
                  <Text size="xs" c="dimmed">
                    You asked for this one: another executive decides it.
                  </Text>
                ) : null}
              </Group>
            </Stack>
          );
        })}
      </Stack>
    </Paper>
  );
}
