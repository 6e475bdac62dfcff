import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { annexRequirements, renderDefaultAnnex } from '../frameworks/index.ts';
import { bearer, seedActor, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { seedControl } from '../../../test/program-factories.ts';
import { hasSharedData, sharedPath } from '../../../test/shared-data.ts';
import { promiseStatusCounts, seedDefaultAnnex } from './index.ts';

interface PromiseControl {
  id: string;
  ref: string;
  title: string;
  status: string;
  score: number;
  isConfirmed: boolean;
}

interface AnnexPromise {
  id: string;
  annexId: string;
  ref: string;
  sectionNumber: number;
  sectionTitle: string;
  body: string;
  line: number | null;
  status: string;
  statusReason: string;
  isMappingConfirmed: boolean;
  controls: PromiseControl[];
  evidence: PromiseEvidence[];
  evidenceCount: number;
}

interface PromiseEvidence {
  id: string;
  title: string;
  kind: string;
  effectiveTo: string;
  controlRefs: string[];
}

interface Annex {
  id: string;
  name: string;
  source: string;
  fileName: string | null;
  isDefault: boolean;
  promiseCount: number;
  counts: Record<string, number>;
}

interface AnnexDetail {
  annex: Annex;
  promises: AnnexPromise[];
}

let t: TestApp;
let orgA: string;
let orgB: string;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;
let adminB: SeededUser;
const controls = new Map<string, string>();
let foreignControlId: string;

/** Realistic controls of a SaaS company, by ref. */
const controlTexts: [ref: string, section: number, title: string, description: string][] = [
  [
    'GOV-01',
    1,
    'Information security policies',
    'Security policies are written down, approved by the CTO and reviewed every year.',
  ],
  [
    'GOV-02',
    1,
    'Security awareness training',
    'Every employee completes security awareness and phishing training when hired and yearly.',
  ],
  [
    'GOV-03',
    1,
    'Background checks for new hires',
    'New hires pass background screening before they start, where local law allows it.',
  ],
  [
    'AC-01',
    2,
    'Role-based access and least privilege',
    'Production roles grant the minimum permissions a job needs; access is requested by ticket.',
  ],
  [
    'AC-03',
    2,
    'Enforced multi-factor authentication',
    'The identity provider enforces MFA (hardware security keys or TOTP) for every employee, ' +
      'and admin consoles and privileged systems accept only MFA-backed sessions.',
  ],
  [
    'AC-04',
    2,
    'Joiner, mover and leaver process',
    'Accounts are provisioned from HR onboarding and deprovisioned within a day of termination.',
  ],
  [
    'AC-05',
    2,
    'Quarterly access reviews',
    'Managers review who holds privileged roles every quarter and revoke what is not needed.',
  ],
  [
    'ENC-01',
    3,
    'TLS for data in transit',
    'Public endpoints only accept TLS 1.2 or higher with HSTS; internal traffic is encrypted too.',
  ],
  [
    'ENC-02',
    3,
    'Encryption at rest',
    'Databases, volumes and backups are encrypted with AES-256 under KMS-managed keys.',
  ],
  [
    'NET-01',
    4,
    'Network segmentation and security groups',
    'Production runs in its own VPC; security groups allow only the ports each service needs.',
  ],
  [
    'SDL-01',
    5,
    'Peer code review',
    'Branch protection requires an approved pull request review before any merge to main.',
  ],
  [
    'VUL-01',
    6,
    'Vulnerability scanning and patching',
    'Dependencies and images are scanned daily; critical vulnerabilities are patched in 7 days.',
  ],
  [
    'VUL-02',
    6,
    'Annual penetration test',
    'An independent firm runs a penetration test of the product every year.',
  ],
  [
    'LOG-01',
    7,
    'Centralised logging and alerting',
    'Production logs go to a central store kept for a year; suspicious activity raises alerts.',
  ],
  [
    'IR-01',
    8,
    'Incident response plan',
    'A documented incident response plan names roles and escalation and is exercised yearly.',
  ],
  [
    'BCP-01',
    9,
    'Backups and restore tests',
    'Databases are backed up nightly to another region and a restore is tested every quarter.',
  ],
];

const seedAnnexPath = sharedPath('seed', 'security-measures-annex.txt');
const hasSeedAnnex = hasSharedData('seed', 'security-measures-annex.txt');

const smallAnnex = [
  '# Acme security annex',
  '',
  '## 1. Access',
  '',
  '- =HYPERLINK("http://evil.test","MFA") Multi-factor authentication protects admin access.',
  '- Data is encrypted in transit with TLS 1.2 or higher.',
  '',
].join('\n');

async function multipart(
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string; type?: string },
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  if (file) {
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    form.append(
      'file',
      new Blob([new Uint8Array(bytes)], { type: file.type ?? 'text/plain' }),
      file.name,
    );
  }
  // Response serialises FormData exactly as a browser would, boundary included.
  const encoded = new Response(form);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
  };
}

async function importAnnex(
  user: SeededUser,
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string; type?: string },
) {
  const body = await multipart(fields, file);
  return t.http.inject({
    method: 'POST',
    url: '/api/v1/annexes',
    headers: { ...bearer(user), ...body.headers },
    payload: body.payload,
  });
}

async function getAnnex(user: SeededUser, id: string): Promise<AnnexDetail> {
  const res = await t.http.inject({
    method: 'GET',
    url: `/api/v1/annexes/${id}`,
    headers: bearer(user),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AnnexDetail>();
}

async function setControls(user: SeededUser, promiseId: string, controlIds: string[]) {
  return t.http.inject({
    method: 'PUT',
    url: `/api/v1/promises/${promiseId}/controls`,
    headers: bearer(user),
    payload: { controlIds },
  });
}

function control(ref: string): string {
  const id = controls.get(ref);
  if (id === undefined) throw new Error(`no control ${ref}`);
  return id;
}

async function setControlStatus(ref: string, status: string, reason = '') {
  await t.pools.owner
    .updateTable('controls')
    .set({ status, status_reason: reason })
    .where('id', '=', control(ref))
    .execute();
}

async function annexCount(orgId: string): Promise<number> {
  const rows = await t.pools.owner
    .selectFrom('annexes')
    .select('id')
    .where('org_id', '=', orgId)
    .execute();
  return rows.length;
}

async function auditEvents(orgId: string, action: string) {
  return t.pools.owner
    .selectFrom('audit_events')
    .select(['target_id', 'changes'])
    .where('org_id', '=', orgId)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

function uowFor(orgId: string) {
  return createUnitOfWork({ db: t.pools.app, auditWriter: t.auditWriter, orgId, actor: seedActor });
}

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Org A');
  orgB = await seedOrg(t, 'Org B');
  manager = await seedUser(t, orgA, 'security_manager');
  contributor = await seedUser(t, orgA, 'contributor');
  auditor = await seedUser(t, orgA, 'auditor');
  employee = await seedUser(t, orgA, 'employee');
  adminB = await seedUser(t, orgB, 'admin');
  for (const [ref, section, title, description] of controlTexts) {
    const id = await seedControl(t, orgA, { ref, title, section });
    await t.pools.owner.updateTable('controls').set({ description }).where('id', '=', id).execute();
    controls.set(ref, id);
  }
  foreignControlId = await seedControl(t, orgB, {
    ref: 'AC-03',
    title: 'Enforced multi-factor authentication',
  });
});

afterAll(async () => {
  await t.close();
});

describe.skipIf(!hasSeedAnnex)('the seed annex, pasted and uploaded', () => {
  let pasted: AnnexDetail;

  it('splits pasted text into 45 promises with ranked control suggestions, audited', async () => {
    const text = readFileSync(seedAnnexPath, 'utf8');
    const res = await importAnnex(manager, { name: 'DQLabs DPA annex', text });
    expect(res.statusCode, res.body).toBe(201);
    pasted = res.json<AnnexDetail>();
    expect(pasted.annex).toMatchObject({
      name: 'DQLabs DPA annex',
      source: 'paste',
      fileName: null,
      isDefault: false,
      promiseCount: 45,
      counts: { kept: 0, at_risk: 0, broken: 0, not_proved: 0, unmapped: 45 },
    });
    expect(pasted.promises).toHaveLength(45);
    const mfa = pasted.promises.find((p) => p.ref === '2.3');
    expect(mfa).toMatchObject({
      sectionNumber: 2,
      sectionTitle: 'Access Control',
      line: 16,
      status: 'unmapped',
      statusReason: 'No control is mapped to this promise',
      isMappingConfirmed: false,
    });
    expect(mfa?.body).toMatch(/^Multi-factor authentication \(MFA\) for administrative access/);
    const suggestions = mfa?.controls ?? [];
    expect(suggestions[0]).toMatchObject({ ref: 'AC-03', isConfirmed: false });
    expect(suggestions.length).toBeLessThanOrEqual(5);
    for (const s of suggestions) expect(s.score).toBeGreaterThanOrEqual(0.15);
    const scores = suggestions.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const top = (ref: string) => pasted.promises.find((p) => p.ref === ref)?.controls[0]?.ref;
    expect(top('3.1')).toBe('ENC-01');
    expect(top('6.4')).toBe('VUL-02');
    expect(top('9.1')).toBe('BCP-01');
    const customer = pasted.promises.find((p) => p.ref === '13.1');
    expect(customer?.body).toBe(
      'Customer is responsible for: Configuring access controls, SSO/MFA where available, and user permissions.',
    );

    const row = await t.pools.owner
      .selectFrom('annexes')
      .select(['sha256', 'content'])
      .where('id', '=', pasted.annex.id)
      .executeTakeFirstOrThrow();
    expect(row.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(row.content).toBe(text);
    const links = await t.pools.owner
      .selectFrom('promise_controls')
      .select(['is_confirmed'])
      .where('org_id', '=', orgA)
      .execute();
    expect(links.length).toBeGreaterThan(45);
    expect(links.every((l) => !l.is_confirmed)).toBe(true);
    const [event] = await auditEvents(orgA, 'annex.imported');
    expect(event?.target_id).toBe(pasted.annex.id);
    expect(event?.changes).toMatchObject({ source: 'paste', promises: 45, sections: 13 });
  });

  it('uploads the same annex as a file part', async () => {
    const bytes = readFileSync(seedAnnexPath);
    const res = await importAnnex(
      manager,
      { name: 'DQLabs DPA annex (file)' },
      { name: 'security-measures-annex.txt', content: bytes },
    );
    expect(res.statusCode, res.body).toBe(201);
    const detail = res.json<AnnexDetail>();
    expect(detail.annex).toMatchObject({
      source: 'upload',
      fileName: 'security-measures-annex.txt',
      promiseCount: 45,
    });
    expect(detail.promises.map((p) => p.ref)).toEqual(pasted.promises.map((p) => p.ref));
    const row = await t.pools.owner
      .selectFrom('annexes')
      .select('sha256')
      .where('id', '=', detail.annex.id)
      .executeTakeFirstOrThrow();
    expect(row.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('confirms mappings, keeping other suggestions, and refuses controls of another org', async () => {
    const mfa = pasted.promises.find((p) => p.ref === '2.3');
    if (!mfa) throw new Error('no MFA promise');
    const suggested = mfa.controls.map((c) => c.id);
    const withManual = await setControls(manager, mfa.id, [control('AC-03'), control('GOV-01')]);
    expect(withManual.statusCode, withManual.body).toBe(200);
    expect(
      withManual
        .json<AnnexPromise>()
        .controls.filter((c) => c.isConfirmed)
        .map((c) => c.ref),
    ).toEqual(['GOV-01', 'AC-03']);

    const res = await setControls(manager, mfa.id, [control('AC-03')]);
    expect(res.statusCode, res.body).toBe(200);
    const updated = res.json<AnnexPromise>();
    expect(updated.isMappingConfirmed).toBe(true);
    expect(updated.controls[0]).toMatchObject({ ref: 'AC-03', isConfirmed: true });
    expect(updated.controls.filter((c) => c.isConfirmed)).toHaveLength(1);
    // The suggestions stay; the hand-added control that was never suggested goes.
    expect(updated.controls.map((c) => c.id).sort()).toEqual([...suggested].sort());

    const cleared = await setControls(manager, mfa.id, []);
    const none = cleared.json<AnnexPromise>();
    expect(none).toMatchObject({ status: 'unmapped', isMappingConfirmed: true });
    expect(none.controls.map((c) => c.id)).toEqual(suggested);
    expect(none.controls.every((c) => !c.isConfirmed)).toBe(true);

    const foreign = await setControls(manager, mfa.id, [control('AC-03'), foreignControlId]);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({
      code: 'request.invalid',
      errors: [{ path: 'controlIds.1' }],
    });
    const bad = await setControls(manager, mfa.id, ['not-a-uuid']);
    expect(bad.statusCode).toBe(400);
    const missing = await setControls(manager, '00000000-0000-4000-8000-000000000000', []);
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ code: string }>().code).toBe('promise.not_found');
    const events = await auditEvents(orgA, 'promise.mapping_updated');
    expect(events).toHaveLength(3);
    expect(events[1]?.changes).toMatchObject({ ref: '2.3', removed: [control('GOV-01')] });
  });

  it('derives each promise’s status from its confirmed controls', async () => {
    const promise = (ref: string) => {
      const found = pasted.promises.find((p) => p.ref === ref);
      if (!found) throw new Error(`no promise ${ref}`);
      return found.id;
    };
    for (const [ref, refs] of [
      ['2.3', ['AC-03']],
      ['3.1', ['ENC-01']],
      ['2.5', ['AC-05', 'AC-01']],
      ['9.1', ['BCP-01']],
      ['3.2', ['ENC-02']],
    ] as const) {
      const res = await setControls(manager, promise(ref), refs.map(control));
      expect(res.statusCode, res.body).toBe(200);
    }
    await setControlStatus(
      'AC-03',
      'failing',
      'Check idp.mfa_enforced failed: 2 administrators without MFA',
    );
    await setControlStatus('ENC-01', 'passing', 'Check tls.endpoints passed');
    await setControlStatus('AC-05', 'due', 'Evidence of "Quarterly access review" ends in 5 days');
    await setControlStatus('AC-01', 'passing');
    await setControlStatus('BCP-01', 'not_proved', 'No restore test evidence yet');
    await setControlStatus('ENC-02', 'failing');
    await t.pools.owner
      .updateTable('controls')
      .set({ archived_at: new Date() })
      .where('id', '=', control('ENC-02'))
      .execute();

    const detail = await getAnnex(auditor, pasted.annex.id);
    const byRef = new Map(detail.promises.map((p) => [p.ref, p]));
    expect(byRef.get('2.3')).toMatchObject({
      status: 'broken',
      statusReason:
        'AC-03 Enforced multi-factor authentication is failing: Check idp.mfa_enforced failed: ' +
        '2 administrators without MFA',
    });
    expect(byRef.get('2.3')?.controls[0]).toMatchObject({
      ref: 'AC-03',
      status: 'failing',
      isConfirmed: true,
    });
    expect(byRef.get('3.1')).toMatchObject({
      status: 'kept',
      statusReason: 'ENC-01 TLS for data in transit is passing',
    });
    expect(byRef.get('2.5')?.status).toBe('at_risk');
    expect(byRef.get('2.5')?.statusReason).toContain('AC-05 Quarterly access reviews is due');
    expect(byRef.get('9.1')).toMatchObject({
      status: 'not_proved',
      statusReason:
        'BCP-01 Backups and restore tests is not proved yet: No restore test evidence yet',
    });
    // Its only control is archived: the promise is flagged, the control no longer listed.
    expect(byRef.get('3.2')?.status).toBe('unmapped');
    expect(byRef.get('3.2')?.statusReason).toContain('ENC-02 Encryption at rest is archived');
    expect(byRef.get('3.2')?.controls.some((c) => c.ref === 'ENC-02')).toBe(false);
    const expected = { kept: 1, at_risk: 1, broken: 1, not_proved: 1, unmapped: 41 };
    expect(detail.annex.counts).toEqual(expected);

    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/annexes',
      headers: bearer(auditor),
    });
    expect(list.statusCode).toBe(200);
    const listed = list.json<{ items: Annex[] }>().items.find((a) => a.id === pasted.annex.id);
    expect(listed?.counts).toEqual(expected);
    expect(listed?.promiseCount).toBe(45);
    const all = await uowFor(orgA).read((tx) => promiseStatusCounts(tx));
    // The uploaded copy has no confirmed mapping: its 45 promises are all unmapped.
    expect(all).toEqual({ ...expected, unmapped: 41 + 45 });
  });

  it('exports the promises as CSV with status, reason and confirmed controls', async () => {
    const res = await t.http.inject({
      method: 'GET',
      url: `/api/v1/annexes/${pasted.annex.id}/promises.csv`,
      headers: bearer(auditor),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="promises-dqlabs-dpa-annex.csv"',
    );
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('ref,section,promise,status,reason,confirmed controls');
    expect(lines).toHaveLength(46);
    expect(lines).toContain(
      '2.3,2. Access Control,Multi-factor authentication (MFA) for administrative access and ' +
        'privileged systems.,broken,AC-03 Enforced multi-factor authentication is failing: ' +
        'Check idp.mfa_enforced failed: 2 administrators without MFA,AC-03 Enforced multi-factor ' +
        'authentication',
    );
    expect(lines.find((l) => l.startsWith('2.5,'))).toMatch(
      /,AC-01 Role-based access and least privilege; AC-05 Quarterly access reviews$/,
    );
  });
});

describe('bad annexes', () => {
  it('refuses a binary file naming it, and stores nothing', async () => {
    const before = await annexCount(orgA);
    const pdf = await importAnnex(
      manager,
      { name: 'Signed DPA' },
      {
        name: 'signed-dpa.pdf',
        content: Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n', 'latin1'),
        type: 'application/pdf',
      },
    );
    expect(pdf.statusCode, pdf.body).toBe(400);
    const problem = pdf.json<{ code: string; detail: string; errors: { path: string }[] }>();
    expect(problem.code).toBe('annex.invalid');
    expect(problem.detail).toContain('signed-dpa.pdf');
    expect(problem.detail).toContain('PDF');
    expect(problem.errors[0]?.path).toBe('file');

    const control = await importAnnex(
      manager,
      { name: 'Notes' },
      { name: 'notes.txt', content: '# Notes\n\n- We encrypt data.\n\u0001\u0002 garbage\n' },
    );
    expect(control.statusCode).toBe(400);
    const controlProblem = control.json<{ detail: string; errors: { message: string }[] }>();
    expect(controlProblem.detail).toContain('notes.txt');
    expect(controlProblem.detail).toContain('line 4');
    expect(controlProblem.errors[0]?.message).toContain('line 4');
    expect(await annexCount(orgA)).toBe(before);
  });

  it('refuses empty text, a missing name and a file over 1 MB', async () => {
    const empty = await importAnnex(manager, { name: 'Empty', text: '   \n' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({
      code: 'annex.invalid',
      errors: [{ path: 'text' }],
    });
    const nothing = await importAnnex(manager, { name: 'Nothing' });
    expect(nothing.statusCode).toBe(400);
    const noName = await importAnnex(manager, { text: smallAnnex });
    expect(noName.statusCode).toBe(400);
    expect(noName.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('name');
    const both = await importAnnex(
      manager,
      { name: 'Both', text: smallAnnex },
      { name: 'a.md', content: smallAnnex },
    );
    expect(both.statusCode).toBe(400);
    const huge = await importAnnex(
      manager,
      { name: 'Huge' },
      { name: 'huge.md', content: Buffer.alloc(1024 * 1024 + 1, 'a') },
    );
    expect(huge.statusCode).toBe(413);
    const json = await t.http.inject({
      method: 'POST',
      url: '/api/v1/annexes',
      headers: bearer(manager),
      payload: { name: 'JSON', text: smallAnnex },
    });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
  });
});

describe('permissions, deletion and isolation', () => {
  let small: AnnexDetail;

  beforeAll(async () => {
    const res = await importAnnex(
      manager,
      { name: 'Acme annex' },
      {
        name: 'acme.md',
        content: smallAnnex,
      },
    );
    expect(res.statusCode, res.body).toBe(201);
    small = res.json<AnnexDetail>();
  });

  it('neutralises formulas in the CSV export', async () => {
    const res = await t.http.inject({
      method: 'GET',
      url: `/api/v1/annexes/${small.annex.id}/promises.csv`,
      headers: bearer(manager),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.test"",""MFA"")`);
  });

  it('lets only managers write; auditors and contributors read; employees nothing', async () => {
    for (const user of [contributor, auditor, employee]) {
      const write = await importAnnex(user, { name: 'x', text: smallAnnex });
      expect(write.statusCode).toBe(403);
      const remove = await t.http.inject({
        method: 'DELETE',
        url: `/api/v1/annexes/${small.annex.id}`,
        headers: bearer(user),
      });
      expect(remove.statusCode).toBe(403);
      const map = await setControls(user, small.promises[0]?.id ?? '', []);
      expect(map.statusCode).toBe(403);
    }
    for (const user of [auditor, contributor]) {
      const list = await t.http.inject({
        method: 'GET',
        url: '/api/v1/annexes',
        headers: bearer(user),
      });
      expect(list.statusCode).toBe(200);
      expect((await getAnnex(user, small.annex.id)).promises).toHaveLength(2);
    }
    const denied = await t.http.inject({
      method: 'GET',
      url: `/api/v1/annexes/${small.annex.id}`,
      headers: bearer(employee),
    });
    expect(denied.statusCode).toBe(403);
  });

  it('keeps org B out of org A’s annexes and promises', async () => {
    for (const url of [
      `/api/v1/annexes/${small.annex.id}`,
      `/api/v1/annexes/${small.annex.id}/promises.csv`,
    ]) {
      const res = await t.http.inject({ method: 'GET', url, headers: bearer(adminB) });
      expect(res.statusCode).toBe(404);
      expect(res.json<{ code: string }>().code).toBe('annex.not_found');
    }
    const remove = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/annexes/${small.annex.id}`,
      headers: bearer(adminB),
    });
    expect(remove.statusCode).toBe(404);
    const map = await setControls(adminB, small.promises[0]?.id ?? '', [foreignControlId]);
    expect(map.statusCode).toBe(404);
    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/annexes',
      headers: bearer(adminB),
    });
    expect(list.json<{ items: Annex[] }>().items).toEqual([]);
  });

  it('deletes an imported annex with its promises, audited', async () => {
    const res = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/annexes/${small.annex.id}`,
      headers: bearer(manager),
    });
    expect(res.statusCode, res.body).toBe(200);
    const promises = await t.pools.owner
      .selectFrom('promises')
      .select('id')
      .where('annex_id', '=', small.annex.id)
      .execute();
    expect(promises).toEqual([]);
    const events = await auditEvents(orgA, 'annex.deleted');
    expect(events.at(-1)).toMatchObject({
      target_id: small.annex.id,
      changes: { name: 'Acme annex' },
    });
    const again = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/annexes/${small.annex.id}`,
      headers: bearer(manager),
    });
    expect(again.statusCode).toBe(404);
  });
});

describe('the default annex', () => {
  it('is seeded with one confirmed promise per built-in requirement and cannot be deleted', async () => {
    const orgC = await seedOrg(t, 'Org C');
    const admin = await seedUser(t, orgC, 'admin');
    const mfaControl = await seedControl(t, orgC, { ref: 'AC-03', title: 'Enforced MFA' });
    const reviewControl = await seedControl(t, orgC, { ref: 'AC-05', title: 'Access reviews' });
    const byRequirement = new Map([
      ['2.3', [mfaControl]],
      ['2.5', [reviewControl, mfaControl]],
    ]);
    await uowFor(orgC).write(async ({ tx, audit }) => {
      await seedDefaultAnnex(tx, orgC, byRequirement);
      await audit({ action: 'program.seeded', targetType: 'org', targetId: orgC });
    });

    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/annexes',
      headers: bearer(admin),
    });
    const [annex] = list.json<{ items: Annex[] }>().items;
    expect(annex).toMatchObject({
      name: 'Security measures annex (Steward default)',
      source: 'default',
      isDefault: true,
      promiseCount: 45,
      counts: { unmapped: 43, not_proved: 2 },
    });
    const row = await t.pools.owner
      .selectFrom('annexes')
      .select(['sha256', 'content'])
      .where('id', '=', annex?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(row.content).toBe(renderDefaultAnnex());
    expect(row.sha256).toBe(createHash('sha256').update(row.content).digest('hex'));

    const detail = await getAnnex(admin, annex?.id ?? '');
    expect(detail.promises.map((p) => p.ref)).toEqual(annexRequirements.map((r) => r.ref));
    expect(detail.promises.every((p) => p.isMappingConfirmed)).toBe(true);
    const mfa = detail.promises.find((p) => p.ref === '2.3');
    expect(mfa).toMatchObject({
      sectionNumber: 2,
      body: annexRequirements.find((r) => r.ref === '2.3')?.text,
      status: 'not_proved',
      controls: [{ id: mfaControl, isConfirmed: true, score: 1 }],
    });
    const lines = renderDefaultAnnex().split('\n');
    expect(lines[(mfa?.line ?? 0) - 1]).toBe(`- ${mfa?.body ?? ''}`);
    expect(detail.promises.find((p) => p.ref === '2.5')?.controls).toHaveLength(2);

    const remove = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/annexes/${annex?.id ?? ''}`,
      headers: bearer(admin),
    });
    expect(remove.statusCode).toBe(409);
    expect(remove.json<{ code: string }>().code).toBe('annex.default');
    expect(await annexCount(orgC)).toBe(1);
  });
});

describe('the evidence behind a promise', () => {
  const dayFromToday = (days: number) =>
    new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  async function addLink(title: string, controlIds: string[], from: number, to: number) {
    const body = await multipart({
      title,
      url: `https://evidence.example.test/${encodeURIComponent(title)}`,
      controlIds: controlIds.join(','),
      effectiveFrom: dayFromToday(from),
      effectiveTo: dayFromToday(to),
    });
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: { ...bearer(manager), ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  }

  it('lists the current evidence of its confirmed controls, newest first, each item once', async () => {
    const keys = await seedControl(t, orgA, { ref: 'EVP-01', title: 'Hardware keys', section: 2 });
    const tls = await seedControl(t, orgA, { ref: 'EVP-02', title: 'TLS scans', section: 3 });
    const imported = await importAnnex(manager, { name: 'Evidence annex', text: smallAnnex });
    expect(imported.statusCode, imported.body).toBe(201);
    const annex = imported.json<AnnexDetail>();
    const [mfaPromise, tlsPromise] = annex.promises;
    if (!mfaPromise || !tlsPromise) throw new Error('two promises expected');
    expect(mfaPromise).toMatchObject({ evidence: [], evidenceCount: 0 });

    const mapped = await setControls(manager, mfaPromise.id, [keys, tls]);
    expect(mapped.statusCode, mapped.body).toBe(200);
    expect((await setControls(manager, tlsPromise.id, [tls])).statusCode).toBe(200);

    await addLink('Last year key inventory', [keys], -400, -35);
    const firstExport = await addLink('Key enrolment export', [keys], -10, 20);
    const shared = await addLink('Certificate inventory', [keys, tls], -3, 100);
    const scan = await addLink('TLS scan', [tls], -5, 300);
    // A correction: the new version replaces the first export, which stops counting.
    const body = await multipart({
      title: 'Key enrolment export (corrected)',
      url: 'https://evidence.example.test/key-enrolment-v2',
      replaces: firstExport,
      effectiveFrom: dayFromToday(-10),
      effectiveTo: dayFromToday(25),
    });
    const corrected = await t.http.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: { ...bearer(manager), ...body.headers },
      payload: body.payload,
    });
    expect(corrected.statusCode, corrected.body).toBe(201);
    const correctedId = corrected.json<{ id: string }>().id;

    const detail = await getAnnex(auditor, annex.annex.id);
    const byId = new Map(detail.promises.map((p) => [p.id, p]));
    expect(byId.get(mfaPromise.id)?.evidence).toEqual([
      {
        id: scan,
        title: 'TLS scan',
        kind: 'link',
        effectiveTo: dayFromToday(300),
        controlRefs: ['EVP-02'],
      },
      {
        id: shared,
        title: 'Certificate inventory',
        kind: 'link',
        effectiveTo: dayFromToday(100),
        controlRefs: ['EVP-01', 'EVP-02'],
      },
      {
        id: correctedId,
        title: 'Key enrolment export (corrected)',
        kind: 'link',
        effectiveTo: dayFromToday(25),
        controlRefs: ['EVP-01'],
      },
    ]);
    expect(byId.get(mfaPromise.id)?.evidenceCount).toBe(3);
    expect(byId.get(tlsPromise.id)?.evidence.map((e) => e.id)).toEqual([scan, shared]);

    // Many items: the newest ten are listed, the count tells of all.
    for (let i = 1; i <= 9; i += 1) await addLink(`Weekly key audit ${String(i)}`, [keys], -1, i);
    const many = (await getAnnex(auditor, annex.annex.id)).promises.find(
      (p) => p.id === mfaPromise.id,
    );
    expect(many?.evidenceCount).toBe(12);
    expect(many?.evidence).toHaveLength(10);
    expect(many?.evidence[0]?.id).toBe(scan);

    // Unmapping the controls takes their evidence off the promise at once.
    const cleared = await setControls(manager, tlsPromise.id, []);
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json<AnnexPromise>()).toMatchObject({ evidence: [], evidenceCount: 0 });
  });
});
