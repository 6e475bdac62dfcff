import { useDocumentTitle } from '@mantine/hooks';

/** Set the browser tab title to "<page> · Steward". */
export function usePageTitle(page: string): void {
  useDocumentTitle(`${page} · Steward`);
}
