import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrg } from '../../platform/db/pools.ts';
import { bearer, seedOrg, seedUser, injectAs, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { auditActionsOf } from '../../../test/record-queries.ts';
import { seedControl } from '../../../test/program-factories.ts';

let t: TestApp;
let orgId: string;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;
let otherManager: SeededUser;
let controlId: string;

const oneMegabyte = 1024 * 1024;

beforeAll(async () => {
  t = await createTestApp({ STEWARD_EVIDENCE_MAX_MB: '1' });
  orgId = await seedOrg(t, 'Evidence Org');
  manager = await seedUser(t, orgId, 'security_manager');
  contributor = await seedUser(t, orgId, 'contributor');
  auditor = await seedUser(t, orgId, 'auditor');
  employee = await seedUser(t, orgId, 'employee');
  otherManager = await seedUser(t, await seedOrg(t, 'Other Org'), 'security_manager');
  controlId = await seedControl(t, orgId, { ref: 'EV-1', title: 'Backups are tested' });
});

afterAll(async () => {
  await t.close();
});

interface FilePart {
  name: string;
  type: string;
  content: Buffer;
}

function multipart(
  fields: Record<string, string | string[]>,
  file?: FilePart,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----steward${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`,
        ),
      );
    }
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function upload(by: SeededUser, fields: Record<string, string | string[]>, file?: FilePart) {
  const body = multipart(fields, file);
  return t.http.inject({
    method: 'POST',
    url: '/api/v1/evidence',
    headers: { ...bearer(by), ...body.headers },
    payload: body.payload,
  });
}

interface EvidenceBody {
  id: string;
  lineageId: string;
  version: number;
  isSuperseded: boolean;
  kind: string;
  sha256: string | null;
  sizeBytes: number | null;
  fileName: string | null;
  mediaType: string | null;
  url: string | null;
  effectiveFrom: string;
  effectiveTo: string;
  suppliedBy: string;
  controls: { id: string; ref: string; status: string }[];
  deletedAt: string | null;
  retainedUntil: string;
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const blobPath = (hash: string) =>
  join(t.dataDir, 'evidence', hash.slice(0, 2), hash.slice(2, 4), hash);

async function tempFiles(): Promise<string[]> {
  const dir = join(t.dataDir, 'tmp');
  return existsSync(dir) ? readdir(dir) : [];
}

async function evidenceCount(): Promise<number> {
  const row = await t.pools.owner
    .selectFrom('evidence')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Insert evidence collected long ago straight into the database (the API stamps it now). */
async function insertOldEvidence(forOrg: string, content: Buffer, collectedAt: Date) {
  const hash = sha256(content);
  await t.pools.owner
    .insertInto('evidence_files')
    .values({
      org_id: forOrg,
      sha256: hash,
      size_bytes: content.length,
      media_type: 'text/plain',
      storage: 'local',
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const id = randomUUID();
  await t.pools.owner
    .insertInto('evidence')
    .values({
      id,
      org_id: forOrg,
      lineage_id: id,
      version: 1,
      kind: 'file',
      title: 'Old DR test report',
      file_sha256: hash,
      file_name: 'dr-test.txt',
      media_type: 'text/plain',
      size_bytes: content.length,
      collected_at: collectedAt,
      effective_from: collectedAt.toISOString().slice(0, 10),
      effective_to: collectedAt.toISOString().slice(0, 10),
      supplied_by: 'test',
    })
    .execute();
  return { id, hash };
}

describe('evidence upload and download', () => {
  it('stores a file once by its SHA-256, records hash and size, and downloads identical bytes', async () => {
    const content = randomBytes(200_000);
    const first = await upload(
      contributor,
      { title: 'Restore test, March', controlIds: controlId },
      { name: 'restore-test.bin', type: 'application/octet-stream', content },
    );
    expect(first.statusCode, first.body).toBe(201);
    const a = first.json<EvidenceBody>();
    expect(a).toMatchObject({
      version: 1,
      lineageId: a.id,
      kind: 'file',
      sha256: sha256(content),
      sizeBytes: content.length,
      fileName: 'restore-test.bin',
      mediaType: 'application/octet-stream',
      suppliedBy: expect.stringContaining(contributor.email) as string,
    });
    expect(a.controls.map((c) => c.id)).toEqual([controlId]);
    const second = await upload(
      manager,
      { title: 'Same report, sent again' },
      { name: 'copy.bin', type: 'application/octet-stream', content },
    );
    expect(second.statusCode, second.body).toBe(201);
    const b = second.json<EvidenceBody>();
    expect(b.id).not.toBe(a.id);
    expect(b.sha256).toBe(a.sha256);

    const files = await t.pools.owner
      .selectFrom('evidence_files')
      .selectAll()
      .where('sha256', '=', sha256(content))
      .execute();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ size_bytes: String(content.length), storage: 'local' });
    const stored = await readdir(join(t.dataDir, 'evidence'), { recursive: true });
    expect(stored.filter((p) => p.endsWith(sha256(content)))).toHaveLength(1);
    expect(existsSync(blobPath(sha256(content)))).toBe(true);
    expect(await tempFiles()).toEqual([]);
    expect(await auditActionsOf(t, a.id)).toContain('evidence.added');

    const download = await injectAs(t, auditor, 'GET', `/api/v1/evidence/${a.id}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="restore-test.bin"; filename*=UTF-8''restore-test.bin`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers.etag).toBe(`"${sha256(content)}"`);
    const again = await t.http.inject({
      method: 'GET',
      url: `/api/v1/evidence/${a.id}/content`,
      headers: { ...bearer(auditor), 'if-none-match': `"${sha256(content)}"` },
    });
    expect(again.statusCode).toBe(304);
  });

  it('adds a link, with a default effective period of twelve months from the collection day', async () => {
    const res = await upload(manager, {
      title: 'Pentest report portal',
      url: 'https://vendor.example.test/reports/2026',
      collectedAt: '2026-01-31T10:00:00Z',
      controlIds: controlId,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<EvidenceBody>()).toMatchObject({
      kind: 'link',
      url: 'https://vendor.example.test/reports/2026',
      sha256: null,
      effectiveFrom: '2026-01-31',
      effectiveTo: '2027-01-31',
    });
  });

  it('sends uploaded HTML back as an attachment that browsers must not sniff, with a safe name', async () => {
    const content = Buffer.from('<script>alert(1)</script>');
    const res = await upload(
      manager,
      { title: 'Odd file' },
      { name: '..\\..\\évil <name>;.html', type: 'text/html', content },
    );
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json<EvidenceBody>();
    expect(item.fileName).toBe('évil <name>;.html');
    const download = await injectAs(t, manager, 'GET', `/api/v1/evidence/${item.id}/content`);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="_vil _name__.html"; filename*=UTF-8''%C3%A9vil%20%3Cname%3E%3B.html`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a file over the limit with 413 and stores nothing', async () => {
    const before = await evidenceCount();
    const content = randomBytes(oneMegabyte + 1);
    const res = await upload(
      manager,
      { title: 'Too big' },
      { name: 'big.bin', type: 'application/octet-stream', content },
    );
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json<{ code: string }>().code).toBe('evidence.too_large');
    expect(await evidenceCount()).toBe(before);
    expect(existsSync(blobPath(sha256(content)))).toBe(false);
    expect(
      await t.pools.owner
        .selectFrom('evidence_files')
        .select('sha256')
        .where('sha256', '=', sha256(content))
        .execute(),
    ).toEqual([]);
    expect(await tempFiles()).toEqual([]);
  });

  it('refuses an upload that ends halfway with 400 and stores nothing', async () => {
    const before = await evidenceCount();
    const content = randomBytes(100_000);
    const body = multipart(
      { title: 'Interrupted' },
      { name: 'half.bin', type: 'application/octet-stream', content },
    );
    const truncated = body.payload.subarray(0, body.payload.length - 60_000);
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: { ...bearer(manager), ...body.headers },
      payload: truncated,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json<{ code: string }>().code).toBe('evidence.incomplete');
    expect(await evidenceCount()).toBe(before);
    expect(existsSync(blobPath(sha256(content)))).toBe(false);
    expect(await tempFiles()).toEqual([]);
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const before = await evidenceCount();
    const unknownControl = await upload(manager, {
      title: 'Wrong control',
      url: 'https://example.test/x',
      controlIds: randomUUID(),
    });
    expect(unknownControl.statusCode).toBe(400);
    expect(unknownControl.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'controlIds',
    );
    const neither = await upload(manager, { title: 'Nothing attached' });
    expect(neither.statusCode).toBe(400);
    expect(neither.json<{ code: string }>().code).toBe('evidence.file_missing');
    const backwards = await upload(manager, {
      title: 'Backwards',
      url: 'https://example.test/x',
      effectiveFrom: '2026-05-01',
      effectiveTo: '2026-04-01',
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('effectiveTo');
    const badUrl = await upload(manager, { title: 'Script link', url: 'javascript:alert(1)' });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('url');
    const unknownTask = await upload(manager, {
      title: 'Wrong task',
      url: 'https://example.test/x',
      taskId: randomUUID(),
    });
    expect(unknownTask.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('taskId');
    const json = await injectAs(t, manager, 'POST', '/api/v1/evidence', { title: 'as json' });
    expect(json.statusCode).toBe(415);
    expect(await evidenceCount()).toBe(before);
  });

  it('forbids employees everything and auditors every write', async () => {
    const content = Buffer.from('auditor upload');
    for (const user of [employee, auditor]) {
      const res = await upload(
        user,
        { title: 'Not allowed' },
        { name: 'x.txt', type: 'text/plain', content },
      );
      expect(res.statusCode).toBe(403);
    }
    expect(existsSync(blobPath(sha256(content)))).toBe(false);
    const list = await injectAs(t, employee, 'GET', '/api/v1/evidence');
    expect(list.statusCode).toBe(403);
    const some = (
      await upload(manager, { title: 'Target', url: 'https://example.test/target' })
    ).json<EvidenceBody>();
    const link = await injectAs(t, auditor, 'POST', `/api/v1/evidence/${some.id}/controls`, {
      controlIds: [controlId],
    });
    expect(link.statusCode).toBe(403);
    const remove = await injectAs(t, contributor, 'DELETE', `/api/v1/evidence/${some.id}`);
    expect(remove.statusCode).toBe(403);
  });
});

describe('evidence versions and immutability', () => {
  it('adds a new version that keeps the old one readable and inherits its links', async () => {
    const v1Content = Buffer.from('access review v1');
    const v1 = (
      await upload(
        manager,
        { title: 'Access review Q1', controlIds: controlId },
        { name: 'review.txt', type: 'text/plain', content: v1Content },
      )
    ).json<EvidenceBody>();
    const res = await upload(
      manager,
      { title: 'Access review Q1 (corrected)', replaces: v1.id },
      { name: 'review.txt', type: 'text/plain', content: Buffer.from('access review v2') },
    );
    expect(res.statusCode, res.body).toBe(201);
    const v2 = res.json<EvidenceBody>();
    expect(v2).toMatchObject({ lineageId: v1.id, version: 2, isSuperseded: false });
    expect(v2.controls.map((c) => c.id)).toEqual([controlId]);

    const detail = await injectAs(t, auditor, 'GET', `/api/v1/evidence/${v1.id}`);
    const body = detail.json<{ evidence: EvidenceBody; versions: EvidenceBody[] }>();
    expect(body.evidence).toMatchObject({ id: v1.id, isSuperseded: true });
    expect(body.versions.map((v) => v.version)).toEqual([2, 1]);
    const old = await injectAs(t, auditor, 'GET', `/api/v1/evidence/${v1.id}/content`);
    expect(old.rawPayload.equals(v1Content)).toBe(true);

    const latest = await injectAs(t, auditor, 'GET', '/api/v1/evidence?q=Access%20review%20Q1');
    expect(latest.json<{ items: EvidenceBody[] }>().items.map((i) => i.id)).toEqual([v2.id]);
    const all = await injectAs(
      t,
      auditor,
      'GET',
      '/api/v1/evidence?q=Access%20review%20Q1&includeSuperseded=true',
    );
    expect(all.json<{ items: EvidenceBody[] }>().items.map((i) => i.id)).toEqual([v2.id, v1.id]);
  });

  it('is immutable in the database: the app role cannot change it, and the trigger refuses the owner', async () => {
    const item = (
      await upload(manager, { title: 'Immutable', url: 'https://example.test/immutable' })
    ).json<EvidenceBody>();
    await expect(
      withOrg(t.pools.app, orgId, (tx) =>
        tx.updateTable('evidence').set({ title: 'Changed' }).where('id', '=', item.id).execute(),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withOrg(t.pools.app, orgId, (tx) =>
        sql`DELETE FROM evidence WHERE id = ${item.id}`.execute(tx),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      t.pools.owner
        .updateTable('evidence')
        .set({ title: 'Changed' })
        .where('id', '=', item.id)
        .execute(),
    ).rejects.toThrow(/immutable/);
  });
});

describe('evidence deletion and retention', () => {
  it('refuses deletion inside the retention period', async () => {
    const item = (
      await upload(manager, { title: 'Recent', url: 'https://example.test/recent' })
    ).json<EvidenceBody>();
    const res = await injectAs(t, manager, 'DELETE', `/api/v1/evidence/${item.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'evidence.in_retention',
    });
    expect(res.json<{ detail: string }>().detail).toContain(item.retainedUntil);
  });

  it('deletes after retention, audited; the bytes go once nothing else uses them', async () => {
    const content = Buffer.from(`old DR report ${randomUUID()}`);
    const longAgo = new Date(Date.now() - 4 * 365 * 86_400_000);
    const old = await insertOldEvidence(orgId, content, longAgo);
    await mkdir(join(blobPath(old.hash), '..'), { recursive: true });
    await writeFile(blobPath(old.hash), content);
    await t.pools.owner
      .insertInto('evidence_controls')
      .values({ org_id: orgId, evidence_id: old.id, control_id: controlId })
      .execute();

    const res = await injectAs(t, manager, 'DELETE', `/api/v1/evidence/${old.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<EvidenceBody>().deletedAt).not.toBeNull();
    expect(await auditActionsOf(t, old.id)).toEqual(['evidence.deleted']);
    const row = await t.pools.owner
      .selectFrom('evidence')
      .select(['deleted_at', 'deleted_by_user_id', 'title'])
      .where('id', '=', old.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ deleted_by_user_id: manager.id, title: 'Old DR test report' });
    const file = await t.pools.owner
      .selectFrom('evidence_files')
      .select('purged_at')
      .where('sha256', '=', old.hash)
      .executeTakeFirstOrThrow();
    expect(file.purged_at).not.toBeNull();
    expect(existsSync(blobPath(old.hash))).toBe(false);

    const gone = await injectAs(t, manager, 'GET', `/api/v1/evidence/${old.id}/content`);
    expect(gone.statusCode).toBe(410);
    const twice = await injectAs(t, manager, 'DELETE', `/api/v1/evidence/${old.id}`);
    expect(twice.statusCode).toBe(410);

    // The same bytes uploaded again are stored again and the record is no longer purged.
    const again = await upload(
      manager,
      { title: 'DR report, re-filed' },
      { name: 'dr.txt', type: 'text/plain', content },
    );
    expect(again.statusCode, again.body).toBe(201);
    expect(existsSync(blobPath(old.hash))).toBe(true);
    const restored = await t.pools.owner
      .selectFrom('evidence_files')
      .select('purged_at')
      .where('sha256', '=', old.hash)
      .executeTakeFirstOrThrow();
    expect(restored.purged_at).toBeNull();
  });

  it('keeps bytes another item of the org, or another org, still uses', async () => {
    const content = Buffer.from(`shared certificate ${randomUUID()}`);
    const longAgo = new Date(Date.now() - 5 * 365 * 86_400_000);
    const current = await upload(
      otherManager,
      { title: 'Certificate (other org)' },
      { name: 'cert.txt', type: 'text/plain', content },
    );
    expect(current.statusCode).toBe(201);
    const old = await insertOldEvidence(orgId, content, longAgo);
    const res = await injectAs(t, manager, 'DELETE', `/api/v1/evidence/${old.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(existsSync(blobPath(old.hash))).toBe(true);
    const mine = await t.pools.owner
      .selectFrom('evidence_files')
      .select('purged_at')
      .where('org_id', '=', orgId)
      .where('sha256', '=', old.hash)
      .executeTakeFirstOrThrow();
    expect(mine.purged_at).not.toBeNull();
    const theirs = await injectAs(
      t,
      otherManager,
      'GET',
      `/api/v1/evidence/${current.json<EvidenceBody>().id}/content`,
    );
    expect(theirs.rawPayload.equals(content)).toBe(true);
  });
});

describe('evidence library', () => {
  it('pages newest first with an opaque cursor, without repeats or gaps', async () => {
    const tag = randomBytes(4).toString('hex');
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await upload(manager, {
        title: `Page ${tag} ${String(i)}`,
        url: `https://example.test/${tag}/${String(i)}`,
      });
      created.push(res.json<EvidenceBody>().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const url: string = `/api/v1/evidence?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.http.inject({
        method: 'GET',
        url,
        headers: bearer(auditor),
      });
      expect(res.statusCode, res.body).toBe(200);
      const body: { items: EvidenceBody[]; nextCursor: string | null } = res.json();
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual([...created].reverse());
    const bad = await injectAs(t, auditor, 'GET', '/api/v1/evidence?cursor=bm90LWEtY3Vyc29y');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('cursor');
  });

  it('filters by control, kind and covered day', async () => {
    const other = await seedControl(t, orgId, { ref: 'EV-2' });
    const linked = (
      await upload(manager, {
        title: 'Linked later',
        url: 'https://example.test/linked',
        effectiveFrom: '2025-01-01',
        effectiveTo: '2025-06-30',
      })
    ).json<EvidenceBody>();
    const link = await injectAs(t, contributor, 'POST', `/api/v1/evidence/${linked.id}/controls`, {
      controlIds: [other],
    });
    expect(link.statusCode, link.body).toBe(200);
    expect(link.json<EvidenceBody>().controls.map((c) => c.ref)).toEqual(['EV-2']);
    expect(await auditActionsOf(t, linked.id)).toEqual(['evidence.added', 'evidence.linked']);
    const badLink = await injectAs(
      t,
      contributor,
      'POST',
      `/api/v1/evidence/${linked.id}/controls`,
      { controlIds: [randomUUID()] },
    );
    expect(badLink.statusCode).toBe(400);
    expect(badLink.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('controlIds');

    const byControl = await injectAs(t, auditor, 'GET', `/api/v1/evidence?controlId=${other}`);
    expect(byControl.json<{ items: EvidenceBody[] }>().items.map((i) => i.id)).toEqual([linked.id]);
    const covering = await injectAs(
      t,
      auditor,
      'GET',
      `/api/v1/evidence?coversDay=2025-03-01&kind=link`,
    );
    expect(covering.json<{ items: EvidenceBody[] }>().items.map((i) => i.id)).toEqual([linked.id]);
  });

  it('exports the index as CSV with hashes, safe against spreadsheet formulas', async () => {
    const content = Buffer.from('csv export file');
    const item = (
      await upload(
        manager,
        { title: '=HYPERLINK("https://evil.example")', controlIds: controlId },
        { name: 'export.txt', type: 'text/plain', content },
      )
    ).json<EvidenceBody>();
    const res = await injectAs(t, auditor, 'GET', '/api/v1/evidence.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(
      'id,lineage,version,title,kind,file name,size,sha256,url,collected,effective from,effective to,supplied by,controls',
    );
    const line = lines.find((l) => l.startsWith(item.id));
    expect(line).toContain(`"'=HYPERLINK(""https://evil.example"")"`);
    expect(line).toContain(`,${String(content.length)},${sha256(content)},`);
    expect(line).toContain('EV-1');
    expect(lines.length - 2).toBe(await liveEvidenceCount());
  });
});

async function liveEvidenceCount(): Promise<number> {
  const row = await t.pools.owner
    .selectFrom('evidence')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('evidence tenant isolation', () => {
  it('never serves another org’s evidence, its file or its links', async () => {
    const content = Buffer.from(`org A secret ${randomUUID()}`);
    const item = (
      await upload(manager, { title: 'Org A only' }, { name: 'a.txt', type: 'text/plain', content })
    ).json<EvidenceBody>();
    for (const url of [`/api/v1/evidence/${item.id}`, `/api/v1/evidence/${item.id}/content`]) {
      const res = await t.http.inject({ method: 'GET', url, headers: bearer(otherManager) });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Org A only');
    }
    const list = await injectAs(t, otherManager, 'GET', '/api/v1/evidence?limit=200');
    expect(list.json<{ items: EvidenceBody[] }>().items.map((i) => i.id)).not.toContain(item.id);
    const search = await injectAs(t, otherManager, 'GET', '/api/v1/evidence?q=Org%20A%20only');
    expect(search.json<{ items: EvidenceBody[] }>().items).toEqual([]);
    const ownSearch = await injectAs(t, auditor, 'GET', '/api/v1/evidence?q=Org%20A%20only');
    expect(ownSearch.json<{ items: EvidenceBody[] }>().items.map((i) => i.id)).toEqual([item.id]);
    const link = await injectAs(t, otherManager, 'POST', `/api/v1/evidence/${item.id}/controls`, {
      controlIds: [controlId],
    });
    expect(link.statusCode).toBe(404);
    const replace = await upload(otherManager, {
      title: 'Hijack',
      url: 'https://example.test/hijack',
      replaces: item.id,
    });
    expect(replace.statusCode).toBe(400);
  });
});
