import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  t = await createTestApp({ LOG_LEVEL: 'info' }, { logDestination });
});

afterAll(async () => {
  await t.close();
});

describe('request logs', () => {
  it('carry the request id, a serialised response and no credential', async () => {
    const orgId = await seedOrg(t);
    const user = await seedUser(t, orgId, 'owner');
    const res = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(user) });
    expect(res.statusCode).toBe(200);
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed.length).toBeGreaterThan(0);
    const last = completed.at(-1) ?? {};
    expect(typeof last.reqId).toBe('string');
    expect(last.res).toEqual({ statusCode: 200 });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(user.token);
    expect(text).not.toContain('_peername');
  });
});
