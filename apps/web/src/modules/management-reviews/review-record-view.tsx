import { List, Paper, Stack, Text, Title } from '@mantine/core';
import type { endpoints, ResponseOf } from '@steward/contracts';
import { MarkdownView } from '../policies/markdown-view.tsx';

type Review = ResponseOf<typeof endpoints.getManagementReview>;

/** The minutes (Markdown, rendered without any HTML) and decisions of a review's record. */
export function HeldRecord({ review }: { review: Pick<Review, 'minutes' | 'decisions'> }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Stack>
        <Title order={2} size="h3">
          Minutes
        </Title>
        {review.minutes.trim() === '' ? (
          <Text c="dimmed">None recorded.</Text>
        ) : (
          <MarkdownView source={review.minutes} />
        )}
        <Title order={2} size="h3">
          Decisions
        </Title>
        {review.decisions.length === 0 ? (
          <Text c="dimmed">None recorded.</Text>
        ) : (
          <List type="ordered">
            {review.decisions.map((d, i) => (
              <List.Item key={i}>{d}</List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Paper>
  );
}
