import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createRequestLogger } from './request-logger.ts';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const parent = pino({ level, redact: { paths: ['token'], censor: '[redacted]' } }, stream);
  let children = 0;
  // The same logger, counting the children made of it.
  const counting = Object.create(parent) as typeof parent;
  counting.child = ((...args: Parameters<typeof parent.child>) => {
    children++;
    return parent.child(...args);
  }) as typeof parent.child;
  return { parent: counting, lines, children: () => children };
}

describe('a request logger', () => {
  it('makes no child while the request logs nothing at an enabled level', () => {
    const { parent, lines, children } = capture('warn');
    const log = createRequestLogger(parent, { reqId: 'r-1' }, {});
    log.info('not at this level');
    log.debug({ token: 'x' }, 'nor this');
    expect(children()).toBe(0);
    expect(lines).toEqual([]);
    expect(log.level).toBe('warn');
  });

  it('logs with the request’s bindings, redacted, through one child made on first use', async () => {
    const { parent, lines, children } = capture('info');
    const log = createRequestLogger(parent, { reqId: 'r-2' }, {});
    log.info({ token: 'secret-value' }, 'first');
    log.error('second');
    await new Promise((resolve) => setImmediate(resolve));
    expect(children()).toBe(1);
    expect(lines.map((l) => [l.reqId, l.msg, l.token])).toEqual([
      ['r-2', 'first', '[redacted]'],
      ['r-2', 'second', undefined],
    ]);
    const nested = log.child({ component: 'x' });
    nested.warn('third');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.at(-1)).toMatchObject({ reqId: 'r-2', component: 'x', msg: 'third' });
  });

  it('gives a route with its own level its child at once', () => {
    const { parent, children } = capture('warn');
    const log = createRequestLogger(parent, { reqId: 'r-3' }, { level: 'debug' });
    expect(children()).toBe(1);
    expect(log.level).toBe('debug');
  });
});
