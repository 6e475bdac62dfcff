import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, injectAs, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { buildDocx, buildPdf } from '../../../test/policy-fixtures.ts';

interface PolicyFile {
  evidenceId: string;
  format: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

interface VersionDetail {
  id: string;
  status: string;
  body: string;
  evidenceId: string | null;
  file: PolicyFile | null;
}

let t: TestApp;
let orgA: string;
let manager: SeededUser;
let admin: SeededUser;
let auditor: SeededUser;
let contributor: SeededUser;
let employee: SeededUser;
let adminB: SeededUser;
let policyId: string;
let draftId: string;

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Docs Org');
  manager = await seedUser(t, orgA, 'security_manager');
  admin = await seedUser(t, orgA, 'admin');
  auditor = await seedUser(t, orgA, 'auditor');
  contributor = await seedUser(t, orgA, 'contributor');
  employee = await seedUser(t, orgA, 'employee');
  const orgB = await seedOrg(t, 'Other Org');
  adminB = await seedUser(t, orgB, 'admin');
  const created = await injectAs(t, manager, 'POST', '/api/v1/policies', {
    key: 'acceptable-use',
    title: 'Acceptable Use Policy',
    approverIds: [admin.id],
    audience: 'roles',
    audienceValues: ['employee'],
  });
  expect(created.statusCode, created.body).toBe(201);
  const detail = created.json<{ policy: { id: string }; versions: { id: string }[] }>();
  policyId = detail.policy.id;
  draftId = detail.versions[0]?.id ?? '';
});

afterAll(async () => {
  await t.close();
});

function upload(
  user: SeededUser,
  versionId: string,
  file: { name: string; bytes: Buffer; type?: string },
  fields: Record<string, string> = {},
) {
  const boundary = `----policy${randomUUID()}`;
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return t.http.inject({
    method: 'POST',
    url: `/api/v1/policy-versions/${versionId}/file`,
    headers: { ...bearer(user), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
}

async function evidenceCount(): Promise<number> {
  const row = await t.pools.owner
    .selectFrom('evidence')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgA)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function versionRow(id: string) {
  return t.pools.owner
    .selectFrom('policy_versions')
    .select(['evidence_id', 'file_format', 'body'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('policy documents (PDF/DOCX) as the body of a version', () => {
  it('refuses a "PDF" that is not one, naming the file, and changes nothing', async () => {
    const before = await evidenceCount();
    const res = await upload(manager, draftId, {
      name: 'aup.pdf',
      bytes: Buffer.from('<html><script>alert(1)</script></html>'),
      type: 'application/pdf',
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ code: string; detail: string; errors: { path: string }[] }>();
    expect(problem.code).toBe('policy.file_invalid');
    expect(problem.detail).toBe('aup.pdf is not a PDF: it does not start with %PDF-');
    expect(problem.errors[0]?.path).toBe('file');
    expect(await evidenceCount()).toBe(before);
    expect((await versionRow(draftId)).evidence_id).toBeNull();
  });

  it('refuses DOCX with macros: a vbaProject.bin part, macro-enabled types, a .docm', async () => {
    const before = await evidenceCount();
    const vba = await upload(manager, draftId, {
      name: 'aup.docx',
      bytes: buildDocx({ macros: 'vba' }),
    });
    expect(vba.statusCode).toBe(400);
    expect(vba.json<{ detail: string }>().detail).toMatch(/^aup.docx contains macros/);
    const types = await upload(manager, draftId, {
      name: 'aup2.docx',
      bytes: buildDocx({ macros: 'content_type' }),
    });
    expect(types.json<{ detail: string }>().detail).toMatch(/macro-enabled/);
    const docm = await upload(manager, draftId, { name: 'aup.docm', bytes: buildDocx() });
    expect(docm.statusCode).toBe(400);
    expect(docm.json<{ detail: string }>().detail).toMatch(/aup.docm contains macros/);
    const notWord = await upload(manager, draftId, {
      name: 'aup.docx',
      bytes: Buffer.from('plain text'),
    });
    expect(notWord.statusCode).toBe(400);
    expect(notWord.json<{ detail: string }>().detail).toMatch(/aup.docx is not a Word document/);
    expect(await evidenceCount()).toBe(before);
  });

  it('refuses uploads without the permission, without a file, or for another org', async () => {
    expect(
      (await upload(contributor, draftId, { name: 'a.pdf', bytes: buildPdf() })).statusCode,
    ).toBe(403);
    expect((await upload(employee, draftId, { name: 'a.pdf', bytes: buildPdf() })).statusCode).toBe(
      403,
    );
    expect((await upload(adminB, draftId, { name: 'a.pdf', bytes: buildPdf() })).statusCode).toBe(
      404,
    );
    const boundary = 'x-empty';
    const none = await t.http.inject({
      method: 'POST',
      url: `/api/v1/policy-versions/${draftId}/file`,
      headers: { ...bearer(manager), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="changeSummary"\r\n\r\nx\r\n--${boundary}--\r\n`,
    });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('file');
  });

  it('stores a PDF as evidence, audited, and serves it (inline only when asked, sandboxed)', async () => {
    const pdf = buildPdf('Version one of the acceptable use policy');
    const res = await upload(
      manager,
      draftId,
      { name: 'Acceptable use.pdf', bytes: pdf, type: 'text/html' },
      { changeSummary: 'Signed PDF from legal' },
    );
    expect(res.statusCode, res.body).toBe(200);
    const version = res.json<VersionDetail>();
    expect(version.file).toMatchObject({
      format: 'pdf',
      fileName: 'Acceptable use.pdf',
      // The stored type follows the content, not what the client claimed.
      mediaType: 'application/pdf',
      sizeBytes: pdf.length,
    });
    expect(version.evidenceId).toBe(version.file?.evidenceId);
    const evidence = await t.pools.owner
      .selectFrom('evidence')
      .select(['kind', 'file_sha256', 'media_type', 'title'])
      .where('id', '=', version.evidenceId ?? '')
      .executeTakeFirstOrThrow();
    expect(evidence).toMatchObject({ kind: 'file', media_type: 'application/pdf' });
    expect(evidence.file_sha256).toBe(version.file?.sha256);
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select(['action', 'changes'])
      .where('org_id', '=', orgA)
      .where('action', 'in', ['policy.file_attached', 'evidence.added'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['evidence.added', 'policy.file_attached']);
    expect(events[1]?.changes).toMatchObject({ format: 'pdf', evidenceId: version.evidenceId });

    const download = await injectAs(t, auditor, 'GET', `/api/v1/policy-versions/${draftId}/file`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="Acceptable use.pdf"/,
    );
    const inline = await injectAs(
      t,
      auditor,
      'GET',
      `/api/v1/policy-versions/${draftId}/file?disposition=inline`,
    );
    expect(inline.headers['content-disposition']).toMatch(/^inline;/);
    expect(inline.headers['content-security-policy']).toContain('sandbox');
    expect(inline.headers['x-content-type-options']).toBe('nosniff');
    expect(
      (await injectAs(t, employee, 'GET', `/api/v1/policy-versions/${draftId}/file`)).statusCode,
    ).toBe(403);
    expect(
      (
        await injectAs(
          t,
          auditor,
          'GET',
          `/api/v1/policy-versions/${draftId}/file?disposition=sideways`,
        )
      ).statusCode,
    ).toBe(400);
  });

  it('replaces the PDF with a DOCX, which is never shown inline; Markdown edits are refused', async () => {
    const docx = buildDocx();
    const res = await upload(manager, draftId, { name: 'aup.docx', bytes: docx });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<VersionDetail>().file).toMatchObject({
      format: 'docx',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    expect(await versionRow(draftId)).toMatchObject({ file_format: 'docx', body: '' });
    const inline = await injectAs(
      t,
      auditor,
      'GET',
      `/api/v1/policy-versions/${draftId}/file?disposition=inline`,
    );
    expect(inline.statusCode).toBe(200);
    expect(inline.headers['content-disposition']).toMatch(/^attachment;/);
    const edit = await injectAs(t, manager, 'PATCH', `/api/v1/policy-versions/${draftId}`, {
      body: '# Now in Markdown',
    });
    expect(edit.statusCode).toBe(400);
    expect(edit.body).toContain('body');
  });

  it('publishes the document; people in the audience read it, others cannot', async () => {
    for (const [user, path] of [
      [manager, 'submit'],
      [admin, 'approve'],
      [manager, 'publish'],
    ] as const) {
      const res = await t.http.inject({
        method: 'POST',
        url: `/api/v1/policy-versions/${draftId}/${path}`,
        headers: bearer(user),
        ...(path === 'approve' ? { payload: { isMaterial: true } } : {}),
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const mine = await injectAs(t, employee, 'GET', '/api/v1/me/policies');
    const items = mine.json<{ items: { versionId: string; file: PolicyFile | null }[] }>().items;
    expect(items[0]?.file?.format).toBe('docx');
    const read = await injectAs(t, employee, 'GET', `/api/v1/me/policies/${draftId}/file`);
    expect(read.statusCode).toBe(200);
    expect(read.rawPayload.equals(buildDocx())).toBe(true);
    // Not in the audience: no request, no document.
    expect(
      (await injectAs(t, contributor, 'GET', `/api/v1/me/policies/${draftId}/file`)).statusCode,
    ).toBe(404);
    expect(
      (await injectAs(t, adminB, 'GET', `/api/v1/policy-versions/${draftId}/file`)).statusCode,
    ).toBe(404);
    // A published version keeps its document.
    const remove = await injectAs(t, manager, 'DELETE', `/api/v1/policy-versions/${draftId}/file`);
    expect(remove.statusCode).toBe(409);
    await expect(
      t.pools.owner
        .updateTable('policy_versions')
        .set({ evidence_id: null, file_format: null })
        .where('id', '=', draftId)
        .execute(),
    ).rejects.toThrow(/immutable/);
  });

  it('copies the document into the next draft, which may go back to Markdown', async () => {
    const created = await injectAs(t, manager, 'POST', `/api/v1/policies/${policyId}/versions`, {
      changeSummary: 'Back to Markdown',
    });
    expect(created.statusCode, created.body).toBe(201);
    const next = created.json<VersionDetail>();
    expect(next.file?.format).toBe('docx');
    expect(
      (await injectAs(t, contributor, 'DELETE', `/api/v1/policy-versions/${next.id}/file`))
        .statusCode,
    ).toBe(403);
    const removed = await injectAs(t, manager, 'DELETE', `/api/v1/policy-versions/${next.id}/file`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json<VersionDetail>()).toMatchObject({ file: null, evidenceId: null });
    const again = await injectAs(t, manager, 'DELETE', `/api/v1/policy-versions/${next.id}/file`);
    expect(again.statusCode).toBe(404);
    const download = await injectAs(t, auditor, 'GET', `/api/v1/policy-versions/${next.id}/file`);
    expect(download.json<{ code: string }>().code).toBe('policy.file_missing');
  });
});
