import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useCan } from '../../app/me-context.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { myReviewActionsQuery } from './management-reviews-queries.ts';

/** "My tasks": open action items leadership gave the signed-in person at management reviews. */
export function MyReviewActionsSection() {
  const mine = useQuery(myReviewActionsQuery);
  // Reviews are read with the risk register's permission; others see the review's name only.
  const canOpenReview = useCan('risks.read');
  if (mine.isPending) return <LoadingBlock label="Loading your action items" />;
  if (mine.isError) return <QueryError error={mine.error} onRetry={() => void mine.refetch()} />;
  // Nothing assigned: most people never own one, so the section stays out of their way.
  if (mine.data.items.length === 0) return null;
  return (
    <Stack gap="md" mt="xl" component="section" aria-labelledby="my-review-actions-heading">
      <Title order={2} size="h3" id="my-review-actions-heading">
        Management review actions
      </Title>
      <Text size="sm" c="dimmed">
        Decided at management reviews and assigned to you. Tell the security team when one is done:
        they record it on the review.
      </Text>
      {mine.data.items.map((action) => (
        <Card key={action.id} withBorder component="article" aria-label={action.title}>
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Stack gap={2}>
              <Text fw={600}>{action.title}</Text>
              <Text size="sm" c="dimmed">
                Due {action.dueOn} · from{' '}
                {canOpenReview ? (
                  <AnchorLink
                    to="/management-reviews/$reviewId"
                    params={{ reviewId: action.reviewId }}
                    size="sm"
                  >
                    {action.reviewTitle}
                  </AnchorLink>
                ) : (
                  action.reviewTitle
                )}{' '}
                ({action.reviewMeetingOn})
              </Text>
            </Stack>
            {action.isOverdue ? <Badge color="red">Overdue</Badge> : null}
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
