import { Alert, Anchor, Button, Container, Stack, Text, Title } from '@mantine/core';
import type { ErrorComponentProps } from '@tanstack/react-router';
import { Link, useRouter } from '@tanstack/react-router';
import { usePageTitle } from '../components/use-page-title.ts';
import { describeError } from '../lib/form-errors.ts';

/** Shown for any path that matches no page. */
export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <Container component="main" size="sm" py="xl">
      <Stack>
        <Title order={1}>Page not found</Title>
        <Text>There is no page at this address.</Text>
        <Anchor component={Link} to="/">
          Go to the overview
        </Anchor>
      </Stack>
    </Container>
  );
}

/** Shown when a page could not start, for example because the server is unreachable. */
export function RouteErrorPage({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  usePageTitle('Something went wrong');
  const retry = async () => {
    reset();
    await router.invalidate();
  };
  return (
    <Container component="main" size="sm" py="xl">
      <Stack>
        <Title order={1}>Something went wrong</Title>
        <Alert color="red">{describeError(error)}</Alert>
        <Button onClick={() => void retry()} w="fit-content">
          Try again
        </Button>
      </Stack>
    </Container>
  );
}
