import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedActor, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { createUnitOfWork } from './unit-of-work.ts';
import { verifyAuditLog } from './verify.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('audit writer', () => {
  it('stores every event of a write at its end, in order, and rolls them back with it', async () => {
    const orgId = await seedOrg(t, 'Chained Org');
    const uow = createUnitOfWork({
      db: t.pools.app,
      auditWriter: t.auditWriter,
      orgId,
      actor: seedActor,
    });
    const before = await t.pools.owner
      .selectFrom('audit_heads')
      .select('seq')
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    // More events than one INSERT holds.
    const count = 2_500;
    await uow.write(async ({ audit }) => {
      for (let i = 0; i < count; i += 1) {
        await audit({
          action: 'user.updated',
          targetType: 'user',
          targetId: String(i),
          changes: { i },
        });
      }
    });
    await expect(
      uow.write(async ({ audit }) => {
        await audit({ action: 'user.updated', targetType: 'user', targetId: 'lost', changes: {} });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const rows = await t.pools.owner
      .selectFrom('audit_events')
      .select(['seq', 'target_id'])
      .where('org_id', '=', orgId)
      .where('seq', '>', before.seq)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.target_id)).toEqual(
      Array.from({ length: count }, (_, i) => String(i)),
    );
    expect(rows.map((r) => Number(r.seq))).toEqual(
      Array.from({ length: count }, (_, i) => Number(before.seq) + i + 1),
    );
    const head = await t.pools.owner
      .selectFrom('audit_heads')
      .select('seq')
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(Number(head.seq)).toBe(Number(before.seq) + count);
    const result = await verifyAuditLog(t.pools.owner, createPublicKey(t.signer.publicKeyPem), {
      orgId,
    });
    expect(result).toMatchObject({ ok: true, events: Number(before.seq) + count });
  });
});
