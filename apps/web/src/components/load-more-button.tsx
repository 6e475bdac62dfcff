import { Button, Center } from '@mantine/core';

/** The part of an infinite query the button drives. */
interface MorePages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** A centred "Load more" button under a list, shown while the server has more pages. */
export function LoadMoreButton({ pages }: { pages: MorePages }) {
  if (!pages.hasNextPage) return null;
  return (
    <Center mt="md">
      <Button
        variant="default"
        onClick={() => void pages.fetchNextPage()}
        loading={pages.isFetchingNextPage}
      >
        Load more
      </Button>
    </Center>
  );
}
