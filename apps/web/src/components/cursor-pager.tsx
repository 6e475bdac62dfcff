import { Button, Group } from '@mantine/core';
import type { Dispatch, SetStateAction } from 'react';

interface CursorPagerProps {
  /** The cursors of the pages before this one, the last being this page's own. */
  cursors: readonly string[];
  setCursors: Dispatch<SetStateAction<string[]>>;
  /** Where the next page starts; absent on the last page. */
  nextCursor: string | null | undefined;
}

/** Previous and next buttons for a list the server pages with cursors. */
export function CursorPager({ cursors, setCursors, nextCursor }: CursorPagerProps) {
  return (
    <Group justify="space-between">
      <Button
        variant="default"
        disabled={cursors.length === 0}
        onClick={() => setCursors((list) => list.slice(0, -1))}
      >
        Previous page
      </Button>
      <Button
        variant="default"
        disabled={!nextCursor}
        onClick={() => {
          if (nextCursor) setCursors((list) => [...list, nextCursor]);
        }}
      >
        Next page
      </Button>
    </Group>
  );
}
