import { Alert, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { MyReviewActionsSection } from '../management-reviews/my-review-actions-section.tsx';
import { MyTrainingSection } from '../training/my-training-section.tsx';
import { MarkdownView } from './markdown-view.tsx';
import { PolicyDocument } from './policy-document.tsx';
import { invalidatePolicies, myPoliciesQuery } from './policies-queries.ts';

/** "My tasks": the policies the signed-in person must read and acknowledge, and their training. */
export function MyTasksPage() {
  const mine = useQuery(myPoliciesQuery);
  const queryClient = useQueryClient();
  const [openId, setOpenId] = useState<string | null>(null);
  const acknowledge = useMutation({
    mutationFn: (versionId: string) => call(endpoints.acknowledgePolicy, { params: { versionId } }),
    onSuccess: async (result) => {
      notifications.show({ color: 'green', message: `Acknowledged: ${result.title}` });
      setOpenId(null);
      await invalidatePolicies(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  if (mine.isPending) return <LoadingBlock label="Loading your tasks" />;
  if (mine.isError) {
    return <QueryError error={mine.error} onRetry={() => void mine.refetch()} />;
  }
  const pending = mine.data.items.filter((p) => p.acknowledgedAt === null);
  const done = mine.data.items.filter((p) => p.acknowledgedAt !== null);
  return (
    <>
      <PageHeader
        title="My tasks"
        description="Policies to read and acknowledge, training to take"
      />
      {pending.length === 0 ? (
        <Alert color="green" mb="md">
          Nothing to do: you have acknowledged every policy that applies to you.
        </Alert>
      ) : null}
      <Stack gap="md">
        {pending.map((policy) => (
          <Card key={policy.versionId} withBorder>
            <Group justify="space-between">
              <Stack gap={2}>
                <Text fw={600}>{policy.title}</Text>
                <Text size="sm" c="dimmed">
                  Version {policy.number} · acknowledge by {policy.dueOn}
                </Text>
              </Stack>
              <Group gap="xs">
                {policy.isOverdue ? <Badge color="red">Overdue</Badge> : null}
                <Button
                  variant="light"
                  onClick={() => setOpenId(openId === policy.versionId ? null : policy.versionId)}
                >
                  {openId === policy.versionId ? 'Close' : 'Read'}
                </Button>
              </Group>
            </Group>
            {openId === policy.versionId ? (
              <Stack mt="md">
                {policy.file ? (
                  <PolicyDocument file={policy.file} versionId={policy.versionId} audience="me" />
                ) : (
                  <MarkdownView source={policy.body} />
                )}
                <Group>
                  <Button
                    loading={acknowledge.isPending}
                    onClick={() => acknowledge.mutate(policy.versionId)}
                  >
                    I have read and will follow this policy
                  </Button>
                </Group>
              </Stack>
            ) : null}
          </Card>
        ))}
        {done.length > 0 ? (
          <Stack gap={4}>
            <Text fw={600}>Acknowledged</Text>
            {done.map((policy) => (
              <Text key={policy.versionId} size="sm">
                {policy.title} (version {policy.number}) — {policy.acknowledgedAt?.slice(0, 10)}
              </Text>
            ))}
          </Stack>
        ) : null}
      </Stack>
      <MyTrainingSection />
      <MyReviewActionsSection />
    </>
  );
}
