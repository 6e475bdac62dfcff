import { describe, expect, it } from 'vitest';
import { composeMail } from './compose.ts';

describe('composeMail', () => {
  const mail = composeMail({
    to: 'a@example.test',
    subject: 'Hello',
    greeting: 'Hello <Ann> & co,',
    paragraphs: ['First "line".'],
    action: { label: 'Open', url: 'https://steward.example/x?token=abc&y=1' },
    footer: 'Bye',
  });

  it('writes the link in full in the plain-text body', () => {
    expect(mail.text).toContain('Open: https://steward.example/x?token=abc&y=1');
    expect(mail.text).toContain('Hello <Ann> & co,');
  });

  it('escapes every value in the HTML body', () => {
    expect(mail.html).toContain('Hello &lt;Ann&gt; &amp; co,');
    expect(mail.html).toContain('First &quot;line&quot;.');
    expect(mail.html).toContain('href="https://steward.example/x?token=abc&amp;y=1"');
    expect(mail.html).not.toContain('<Ann>');
  });
});
