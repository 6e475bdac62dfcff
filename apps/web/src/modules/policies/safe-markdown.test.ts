import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref, type MarkdownInline } from './safe-markdown.ts';

function links(nodes: MarkdownInline[]): string[] {
  return nodes.flatMap((n) =>
    n.type === 'link' ? [n.href] : 'children' in n ? links(n.children) : [],
  );
}

describe('safe Markdown', () => {
  it('parses headings, paragraphs, lists and code', () => {
    const blocks = parseMarkdown(
      '# Title\n\nSome **bold** and *soft* text\nwrapped.\n\n- one\n- two\n\n1. first\n\n```\n<b>x</b>\n```',
    );
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'list', 'list', 'code']);
    expect(blocks[1]).toEqual({
      type: 'paragraph',
      children: [
        { type: 'text', text: 'Some ' },
        { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
        { type: 'text', text: ' and ' },
        { type: 'em', children: [{ type: 'text', text: 'soft' }] },
        { type: 'text', text: ' text wrapped.' },
      ],
    });
    expect(blocks[3]).toMatchObject({ type: 'list', ordered: true });
    expect(blocks[4]).toEqual({ type: 'code', text: '<b>x</b>' });
  });

  it('keeps script tags and raw HTML as plain text', () => {
    const blocks = parseMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>');
    expect(blocks).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '<script>alert(1)</script>' }] },
      { type: 'paragraph', children: [{ type: 'text', text: '<img src=x onerror=alert(1)>' }] },
    ]);
  });

  it('links only http, https and mailto targets', () => {
    const inline = parseInline(
      '[a](https://example.com/x) [b](javascript:alert(1)) [c](JaVaScRiPt:alert(1)) ' +
        '[d](data:text/html,<script>) [e](mailto:security@example.com) [f](//evil.test) ' +
        '[g](vbscript:x) [h](http://ok.test)',
    );
    expect(links(inline)).toEqual([
      'https://example.com/x',
      'mailto:security@example.com',
      'http://ok.test/',
    ]);
    // Refused links stay visible as text, so the reader sees what was written.
    expect(inline.some((n) => n.type === 'text' && n.text.includes('javascript:alert'))).toBe(true);
  });

  it('refuses schemes hidden with whitespace or control characters', () => {
    expect(safeHref(' javascript:alert(1)')).toBeNull();
    expect(safeHref('java\tscript:alert(1)')).toBeNull();
    expect(safeHref('https://ex ample.com')).toBeNull();
    expect(safeHref('HTTPS://Example.com')).toBe('https://example.com/');
  });
});
