import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger/logger.ts';
import { composeMail } from './compose.ts';
import { createMailer } from './mailer.ts';

describe('mailer without SMTP', () => {
  it('sends nothing and logs the recipient and subject, never the body', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const mailer = createMailer({ smtp: undefined, logger: createLogger('info', sink) });
    expect(mailer.isConfigured).toBe(false);
    await mailer.deliver(
      composeMail({
        to: 'ann@example.test',
        subject: 'Reset your Steward password',
        greeting: 'Hello Ann,',
        paragraphs: ['Here is your link.'],
        action: { label: 'Reset', url: 'https://x.test/reset-password?token=SECRET-TOKEN-123' },
        footer: 'Bye',
      }),
    );
    const log = lines.join('');
    expect(log).toContain('SMTP is not configured');
    expect(log).toContain('ann@example.test');
    expect(log).toContain('Reset your Steward password');
    expect(log).not.toContain('SECRET-TOKEN-123');
  });
});
