import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture(): { stream: Writable; lines: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, lines: () => text };
}

describe('logger', () => {
  it('redacts credentials, cookies, passwords and tokens wherever a log line carries them', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    logger.info(
      {
        req: {
          headers: {
            authorization: 'Bearer stw_secretvalue',
            cookie: 'steward_session=abc123',
            'x-csrf-token': 'csrf456',
          },
        },
        res: { headers: { 'set-cookie': 'steward_session=def789' } },
        body: { password: 'hunter2-hunter2', token: 'tok-999', secret: 'shh-000' },
        password: 'top-level-pass',
      },
      'request with secrets',
    );
    const text = out.lines();
    expect(text).toContain('request with secrets');
    for (const secret of [
      'stw_secretvalue',
      'abc123',
      'csrf456',
      'def789',
      'hunter2',
      'tok-999',
      'shh-000',
      'top-level-pass',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});
