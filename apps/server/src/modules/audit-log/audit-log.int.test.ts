import { createPublicKey } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { checkpointEvery } from '../../platform/audit/audit-writer.ts';
import { verifyAuditLog } from '../../platform/audit/verify.ts';
import { chunkCount, type ChunkPlan, type RangeResult } from '../../platform/audit/verify-range.ts';
import type { VerifyWorkerMessage, VerifyWorkerTask } from '../../platform/audit/verify-worker.ts';
import { bearer, seedActor, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { signDueCheckpoints } from './audit-log.service.ts';

let t: TestApp;
let auditor: SeededUser;
let contributor: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  const orgId = await seedOrg(t, 'Audit Org');
  auditor = await seedUser(t, orgId, 'auditor');
  contributor = await seedUser(t, orgId, 'contributor');
});

afterAll(async () => {
  await t.close();
});

/** GET `url` as `user`. */
function getAs(user: SeededUser, url: string) {
  return t.http.inject({ method: 'GET', url, headers: bearer(user) });
}

/** A unit of work in `orgId` acting as the seed actor. */
function seedUnitOfWork(orgId: string) {
  return createUnitOfWork({ db: t.pools.app, auditWriter: t.auditWriter, orgId, actor: seedActor });
}

/** A new org whose chain holds its setup event and 19 user.updated events (seq 1 to 20). */
async function seedOrgWithUpdates(name: string): Promise<string> {
  const orgId = await seedOrg(t, name);
  await seedUnitOfWork(orgId).write(async ({ audit }) => {
    for (let i = 0; i < 19; i += 1) {
      await audit({
        action: 'user.updated',
        targetType: 'user',
        targetId: `u-${i}`,
        changes: { i },
      });
    }
  });
  return orgId;
}

/** Run `change` with the append-only trigger of audit_events off, as someone with owner rights could. */
async function withAppendOnlyOff(change: () => Promise<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(
    t.pools.owner,
  );
  try {
    await change();
  } finally {
    await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(
      t.pools.owner,
    );
  }
}

type Page = {
  items: { seq: number; action: string; actorLabel: string | null; targetType: string }[];
  nextBefore: number | null;
};

describe('audit log API', () => {
  it('pages newest first with keyset pagination', async () => {
    const first = await getAs(auditor, '/api/v1/audit-events?limit=2');
    const page1 = first.json<Page>();
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0]?.seq).toBeGreaterThan(page1.items[1]?.seq ?? Infinity);
    expect(page1.nextBefore).toBe(page1.items[1]?.seq);
    const second = await getAs(
      auditor,
      `/api/v1/audit-events?limit=2&before=${String(page1.nextBefore)}`,
    );
    const page2 = second.json<Page>();
    expect(page2.items[0]?.seq).toBeLessThan(page1.items[1]?.seq ?? 0);
  });

  it('filters by action, action prefix, target type and actor', async () => {
    const byAction = (
      await getAs(auditor, '/api/v1/audit-events?action=token.created')
    ).json<Page>();
    expect(byAction.items.length).toBe(2);
    expect(new Set(byAction.items.map((i) => i.action))).toEqual(new Set(['token.created']));
    const byPrefix = (await getAs(auditor, '/api/v1/audit-events?action=user.')).json<Page>();
    expect(byPrefix.items.every((i) => i.action.startsWith('user.'))).toBe(true);
    const byTarget = (await getAs(auditor, '/api/v1/audit-events?targetType=org')).json<Page>();
    expect(byTarget.items.map((i) => i.action)).toEqual(['org.created']);
    const byActor = (await getAs(auditor, '/api/v1/audit-events?actor=test-se')).json<Page>();
    expect(byActor.items.every((i) => i.actorLabel === 'test-seed')).toBe(true);
    const none = (await getAs(auditor, '/api/v1/audit-events?actor=%25')).json<Page>();
    expect(none.items).toEqual([]);
  });

  it("binds each request's own values to a filter combination it has seen before", async () => {
    const page = async (query: string) => {
      const res = await getAs(auditor, `/api/v1/audit-events?${query}`);
      expect(res.statusCode).toBe(200);
      return res.json<{
        items: { seq: number; targetId: string | null }[];
        nextBefore: number | null;
      }>();
    };
    for (const user of [auditor, contributor]) {
      const own = await page(`targetType=user&targetId=${user.id}&limit=5`);
      expect(own.items.length).toBeGreaterThan(0);
      expect(own.items.every((item) => item.targetId === user.id)).toBe(true);
    }
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const inHour = new Date(Date.now() + 3_600_000).toISOString();
    const inDay = new Date(Date.now() + 86_400_000).toISOString();
    const now = await page(`from=${hourAgo}&to=${inHour}&action=user.`);
    expect(now.items.length).toBeGreaterThan(0);
    const later = await page(`from=${inHour}&to=${inDay}&action=user.`);
    expect(later.items).toEqual([]);
    const newest = now.items[0]?.seq ?? 0;
    const older = await page(`from=${hourAgo}&to=${inHour}&action=user.&before=${newest}`);
    expect(older.items.every((item) => item.seq < newest)).toBe(true);
  });

  it('refuses bad filters with 400 and non-auditors with 403', async () => {
    const bad = await getAs(auditor, '/api/v1/audit-events?limit=1000&from=yesterday');
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['querystring.limit', 'querystring.from']));
    const unknown = await getAs(auditor, '/api/v1/audit-events?colour=red');
    expect(unknown.statusCode).toBe(400);
    const forbidden = await getAs(contributor, '/api/v1/audit-events');
    expect(forbidden.statusCode).toBe(403);
  });

  it('exports the checkpoint public key, which verifies the log', async () => {
    const res = await getAs(auditor, '/api/v1/audit/public-key');
    const key = res.json<{ keyId: string; publicKeyPem: string }>();
    expect(key.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(await signDueCheckpoints(t.pools.app, t.auditWriter)).toBe(1);
    expect(await signDueCheckpoints(t.pools.app, t.auditWriter)).toBe(0);
    const result = await verifyAuditLog(t.pools.owner, createPublicKey(key.publicKeyPem));
    expect(result).toMatchObject({ ok: true, checkpoints: 1 });
  });
});

describe('audit writes', () => {
  it('rolls back a write that records no audit event', async () => {
    const uow = seedUnitOfWork(auditor.orgId);
    await expect(
      uow.write(async ({ tx }) => {
        await tx
          .updateTable('users')
          .set({ name: 'Unaudited' })
          .where('id', '=', auditor.id)
          .execute();
      }),
    ).rejects.toMatchObject({ code: 'audit.event_not_recorded' });
    const row = await t.pools.owner
      .selectFrom('users')
      .select('name')
      .where('id', '=', auditor.id)
      .executeTakeFirstOrThrow();
    expect(row.name).not.toBe('Unaudited');
  });

  it('keeps the chain intact under concurrent writers and signs a checkpoint every 10,000 events', async () => {
    const orgId = await seedOrg(t, 'Busy Org');
    const writers = Array.from({ length: 4 }, (_, w) =>
      (async () => {
        const uow = seedUnitOfWork(orgId);
        for (let batch = 0; batch < 5; batch += 1) {
          await uow.write(async ({ audit }) => {
            for (let i = 0; i < checkpointEvery / 20; i += 1) {
              await audit({
                action: 'user.updated',
                targetType: 'user',
                targetId: `${w}-${batch}-${i}`,
                changes: { i },
              });
            }
          });
        }
      })(),
    );
    await Promise.all(writers);
    const checkpoints = await t.pools.owner
      .selectFrom('audit_checkpoints')
      .select('seq')
      .where('org_id', '=', orgId)
      .execute();
    expect(checkpoints.map((c) => Number(c.seq))).toEqual([checkpointEvery]);
    const result = await verifyAuditLog(t.pools.owner, createPublicKey(t.signer.publicKeyPem), {
      orgId,
    });
    expect(result).toMatchObject({ ok: true, events: checkpointEvery + 1 });
  });
});

describe('parallel verification', () => {
  it('gives the same verdict when an org is split across worker threads, and finds tampering', async () => {
    const orgId = await seedOrgWithUpdates('Split Org');
    const key = createPublicKey(t.signer.publicKeyPem);
    const parallel = { orgId, parallelUrl: t.databaseUrl, parallelAbove: 0, threads: 2 };
    expect(await verifyAuditLog(t.pools.owner, key, parallel)).toMatchObject({
      ok: true,
      events: 20,
    });
    await withAppendOnlyOff(() =>
      sql`UPDATE audit_events SET action = 'user.created' WHERE org_id = ${orgId} AND seq = 15`.execute(
        t.pools.owner,
      ),
    );
    const split = await verifyAuditLog(t.pools.owner, key, parallel);
    const single = await verifyAuditLog(t.pools.owner, key, { orgId });
    expect(split).toMatchObject({
      ok: false,
      break: { seq: 15, reason: expect.stringContaining('does not match its hash') as string },
    });
    expect(split).toEqual(single);
  });

  it('verifies every chunk of the queue in a worker thread, and names a changed event', async () => {
    const orgId = await seedOrgWithUpdates('Worker Org');
    const plan: ChunkPlan = { headSeq: 20, chunkSize: 3 };
    const inWorker = () => {
      const state = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
      new Int32Array(state)[1] = chunkCount(plan);
      const task: VerifyWorkerTask = { url: t.databaseUrl, orgId, plan, checkpoints: [], state };
      const results = new Map<number, RangeResult>();
      return new Promise<Map<number, RangeResult>>((resolve, reject) => {
        const worker = new Worker(
          new URL('../../platform/audit/verify-worker-entry.mjs', import.meta.url),
          { workerData: task },
        );
        worker.on('message', (message: VerifyWorkerMessage) => {
          if (message.type === 'result') results.set(message.index, message.result);
          else if (message.type === 'done') resolve(results);
          else reject(new Error(message.message));
        });
        worker.once('error', reject);
      });
    };
    const intact = await inWorker();
    expect([...intact.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const [index, result] of intact) {
      expect(result.break).toBeNull();
      expect(result.lastSeq).toBe(Math.min(20, (index + 1) * 3));
      if (index > 0) expect(result.firstPrevHash).toBe(intact.get(index - 1)?.lastHash);
    }
    await withAppendOnlyOff(() =>
      sql`UPDATE audit_events SET target_id = 'u-x' WHERE org_id = ${orgId} AND seq = 14`.execute(
        t.pools.owner,
      ),
    );
    const tampered = await inWorker();
    expect(tampered.get(4)?.break).toMatchObject({
      seq: 14,
      reason: expect.stringContaining('does not match its hash') as string,
    });
  });
});
