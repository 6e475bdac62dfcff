import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, createTestDatabase, type TestApp } from '../../../test/harness.ts';
import { seedOrg } from '../../../test/factories.ts';
import { createLogger } from '../logger/logger.ts';
import { defineJob, startJobRunner, type JobRunner } from './jobs.ts';

const logger = createLogger('silent');

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('job runner', () => {
  let runner: JobRunner;
  const received: unknown[] = [];

  beforeAll(async () => {
    runner = await startJobRunner({
      url: await createTestDatabase(),
      jobs: [
        defineJob({
          name: 'test.echo',
          payload: z.object({ n: z.number() }),
          handler: async (payload) => {
            await Promise.resolve();
            received.push(payload);
          },
        }),
      ],
      logger,
      work: true,
    });
  });

  afterAll(async () => {
    await runner.stop();
  });

  it('runs the handler with the parsed payload', async () => {
    await runner.enqueue('test.echo', { n: 41, unknown: 'dropped' });
    const payload = await waitFor('the echo job', () => received[0]);
    expect(payload).toEqual({ n: 41 });
  });

  it('refuses an invalid payload when enqueueing', async () => {
    await expect(runner.enqueue('test.echo', { n: 'forty-two' })).rejects.toThrow(
      /expected number/,
    );
    await expect(runner.enqueue('test.echo', {})).rejects.toThrow();
  });

  it('refuses an unknown job name', async () => {
    await expect(runner.enqueue('test.nope', { n: 1 })).rejects.toThrow('unknown job test.nope');
  });
});

describe('audit checkpoint job', () => {
  let t: TestApp;
  let runner: JobRunner;

  beforeAll(async () => {
    t = await createTestApp();
    runner = await startJobRunner({ url: t.databaseUrl, jobs: t.jobs, logger, work: true });
  });

  afterAll(async () => {
    await runner.stop();
    await t.close();
  });

  it('signs a checkpoint at the head of every org whose log grew', async () => {
    const orgIds = [await seedOrg(t), await seedOrg(t)];
    const checkpoints = () =>
      t.pools.owner
        .selectFrom('audit_checkpoints')
        .select(['org_id', 'seq', 'event_hash', 'key_id'])
        .orderBy('org_id')
        .execute();
    expect(await checkpoints()).toEqual([]);

    await runner.enqueue('audit.sign-checkpoints', {});
    const signed = await waitFor('a checkpoint for each org', async () => {
      const rows = await checkpoints();
      return rows.length >= orgIds.length ? rows : undefined;
    });
    const heads = await t.pools.owner
      .selectFrom('audit_heads')
      .select(['org_id', 'seq', 'last_hash'])
      .where('org_id', 'in', orgIds)
      .orderBy('org_id')
      .execute();
    expect(signed).toEqual(
      heads.map((h) => ({
        org_id: h.org_id,
        seq: h.seq,
        event_hash: h.last_hash,
        key_id: t.signer.keyId,
      })),
    );
  });
});
