import { MantineProvider } from '@mantine/core';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { HeldRecord } from './review-record-view.tsx';

function render(minutes: string, decisions: string[]): string {
  return renderToStaticMarkup(
    createElement(
      MantineProvider,
      null,
      createElement(HeldRecord, { review: { minutes, decisions } }),
    ),
  );
}

describe('a review record renders hostile minutes and decisions safely', () => {
  const html = render(
    [
      '## Discussion <script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[minutes](javascript:alert(1)) and [ok](https://example.com/board)',
    ].join('\n\n'),
    ['<script>alert("decision")</script>', '[x](javascript:alert(2))'],
  );

  it('has no script element, event handler or javascript: link', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    // Hostile text stays as escaped text; no element may carry an event handler.
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+=/i);
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it('keeps safe links and shows hostile text as text', () => {
    expect(html).toContain('href="https://example.com/board"');
    expect(html).toContain('&lt;script&gt;alert(&quot;decision&quot;)&lt;/script&gt;');
  });
});
