import type { Framework, Requirement } from '@steward/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { seedControl } from '../../../test/program-factories.ts';
import { hasSharedData, sharedPath } from '../../../test/shared-data.ts';
import { seedBuiltinFramework } from './index.ts';

const lowFile = 'NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json';
const moderateFile = 'NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json';
const profileFile = 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json';
const hasOscal = hasSharedData('data', 'oscal', moderateFile);

let t: TestApp;
let orgId: string;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;

interface Part {
  name: string;
  fileName?: string;
  content: string | Buffer;
}

/** A multipart/form-data body as a browser would send it. */
function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----steward-test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.fileName === undefined
        ? `form-data; name="${part.name}"`
        : `form-data; name="${part.name}"; filename="${part.fileName}"`;
    const type = part.fileName === undefined ? '' : 'Content-Type: application/json\r\n';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(typeof part.content === 'string' ? Buffer.from(part.content) : part.content);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function importOscal(user: SeededUser, parts: Part[]) {
  const body = multipart(parts);
  return t.http.inject({
    method: 'POST',
    url: '/api/v1/frameworks/oscal',
    headers: { ...bearer(user), ...body.headers },
    payload: body.payload,
  });
}

function tinyCatalog(
  uuid: string,
  controls: { id: string; title: string; statement?: string }[],
): string {
  return JSON.stringify(
    {
      catalog: {
        uuid,
        metadata: { title: 'Tiny catalog', version: '1.0', 'oscal-version': '1.1.2' },
        groups: [
          {
            id: 'ac',
            title: 'Access Control',
            controls: controls.map((c) => ({
              id: c.id,
              title: c.title,
              parts: [
                {
                  id: `${c.id}_smt`,
                  name: 'statement',
                  prose: c.statement ?? `${c.title} is in place.`,
                },
              ],
            })),
          },
        ],
      },
    },
    null,
    2,
  );
}

function tinyProfile(withIds: string[]): string {
  return JSON.stringify({
    profile: {
      uuid: randomUUID(),
      metadata: { title: 'Tiny profile', version: '1.0', 'oscal-version': '1.1.2' },
      imports: [{ href: '#catalog', 'include-controls': [{ 'with-ids': withIds }] }],
    },
  });
}

async function frameworkCount(org: string): Promise<number> {
  const rows = await t.pools.owner
    .selectFrom('frameworks')
    .select('id')
    .where('org_id', '=', org)
    .execute();
  return rows.length;
}

async function listFrameworks(user: SeededUser): Promise<Framework[]> {
  const res = await t.http.inject({
    method: 'GET',
    url: '/api/v1/frameworks',
    headers: bearer(user),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Framework[] }>().items;
}

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t);
  manager = await seedUser(t, orgId, 'security_manager');
  contributor = await seedUser(t, orgId, 'contributor');
  auditor = await seedUser(t, orgId, 'auditor');
  await t.pools.owner.transaction().execute((tx) => seedBuiltinFramework(tx, orgId));
});

afterAll(async () => {
  await t.close();
});

describe('the built-in framework', () => {
  it('lists the annex framework with its 45 requirements and their reference mappings', async () => {
    const items = await listFrameworks(auditor);
    expect(items).toHaveLength(1);
    const [annex] = items;
    expect(annex).toMatchObject({
      key: 'steward-annex',
      name: 'Security measures annex',
      source: 'builtin',
      requirementCount: 45,
      mappedRequirementCount: 0,
      readiness: { passing: 0, total: 0, percent: 0 },
    });
    const res = await t.http.inject({
      method: 'GET',
      url: `/api/v1/frameworks/${annex?.id ?? ''}`,
      headers: bearer(auditor),
    });
    expect(res.statusCode, res.body).toBe(200);
    const { requirements } = res.json<{ requirements: Requirement[] }>();
    expect(requirements).toHaveLength(45);
    expect(requirements[0]).toMatchObject({ ref: '1.1', label: '1.1', section: 1 });
    expect(requirements[0]?.groupTitle).toBeTruthy();
    expect(requirements.at(-1)?.ref).toBe('13.3');
    const mappings = requirements.flatMap((r) => r.mappings);
    for (const framework of ['soc2', 'iso27001', 'csf2']) {
      expect(mappings.some((m) => m.framework === framework)).toBe(true);
    }
    expect(mappings.every((m) => m.title.length > 0)).toBe(true);
  });

  it('counts mapped requirements and the readiness of the controls mapped to them', async () => {
    const [annex] = await listFrameworks(manager);
    const detail = await t.http.inject({
      method: 'GET',
      url: `/api/v1/frameworks/${annex?.id ?? ''}`,
      headers: bearer(manager),
    });
    const requirements = detail.json<{ requirements: Requirement[] }>().requirements;
    const passing = await seedControl(t, orgId, { ref: 'RDY-1', title: 'Passing control' });
    const failing = await seedControl(t, orgId, { ref: 'RDY-2', title: 'Failing control' });
    const archived = await seedControl(t, orgId, { ref: 'RDY-3', title: 'Archived control' });
    await t.pools.owner
      .updateTable('controls')
      .set({ status: 'passing' })
      .where('id', 'in', [passing, archived])
      .execute();
    await t.pools.owner
      .updateTable('controls')
      .set({ status: 'failing' })
      .where('id', '=', failing)
      .execute();
    await t.pools.owner
      .updateTable('controls')
      .set({ archived_at: new Date() })
      .where('id', '=', archived)
      .execute();
    const [first, second] = requirements;
    const put = (user: SeededUser, requirementId: string, controlIds: string[]) =>
      t.http.inject({
        method: 'PUT',
        url: `/api/v1/requirements/${requirementId}/controls`,
        headers: bearer(user),
        payload: { controlIds },
      });
    const mapped = await put(manager, first?.id ?? '', [passing, failing, archived]);
    expect(mapped.statusCode, mapped.body).toBe(200);
    expect(
      mapped
        .json<Requirement>()
        .controls.map((c) => [c.ref, c.status])
        .sort(),
    ).toEqual([
      ['RDY-1', 'passing'],
      ['RDY-2', 'failing'],
      ['RDY-3', 'passing'],
    ]);
    await put(manager, second?.id ?? '', [passing]);
    const [after] = await listFrameworks(manager);
    expect(after).toMatchObject({
      mappedRequirementCount: 2,
      readiness: { passing: 1, total: 2, percent: 50 },
    });
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', first?.id ?? '')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['control.requirements_updated']);
    const readiness = await t.pools.owner
      .selectFrom('readiness_days')
      .select(['passing', 'total'])
      .where('org_id', '=', orgId)
      .where('scope', '=', `framework:${annex?.id ?? ''}`)
      .executeTakeFirstOrThrow();
    expect(readiness).toEqual({ passing: 1, total: 2 });

    const replaced = await put(manager, first?.id ?? '', [failing]);
    expect(replaced.json<Requirement>().controls.map((c) => c.ref)).toEqual(['RDY-2']);
    expect((await put(manager, first?.id ?? '', [randomUUID()])).statusCode).toBe(400);
    const unknown = await put(manager, randomUUID(), []);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ code: string }>().code).toBe('requirement.not_found');
    expect((await put(contributor, first?.id ?? '', [])).statusCode).toBe(403);
    expect((await put(auditor, first?.id ?? '', [])).statusCode).toBe(403);
  });

  it('cannot be removed', async () => {
    const [annex] = await listFrameworks(manager);
    const res = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/frameworks/${annex?.id ?? ''}`,
      headers: bearer(manager),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('framework.builtin');
    expect(await frameworkCount(orgId)).toBe(1);
  });

  it('answers 404 for an unknown framework', async () => {
    const res = await t.http.inject({
      method: 'GET',
      url: `/api/v1/frameworks/${randomUUID()}`,
      headers: bearer(manager),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ code: string }>().code).toBe('framework.not_found');
  });
});

describe('importing OSCAL catalogs: bad input', () => {
  it('refuses malformed JSON naming the file and line, importing nothing', async () => {
    const before = await frameworkCount(orgId);
    const broken =
      '{\n  "catalog": {\n    "uuid": "x",\n    "metadata": { "title": "T" },,\n  }\n}\n';
    const res = await importOscal(manager, [
      { name: 'catalog', fileName: 'broken.json', content: broken },
    ]);
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ code: string; detail: string; errors: { path: string }[] }>();
    expect(problem.code).toBe('oscal.invalid');
    expect(problem.detail).toMatch(/^broken\.json: invalid JSON at line 4, column \d+/);
    expect(problem.errors[0]?.path).toBe('catalog');
    expect(await frameworkCount(orgId)).toBe(before);
  });

  it('refuses a catalog with duplicate control ids naming where, importing nothing', async () => {
    const uuid = randomUUID();
    const res = await importOscal(manager, [
      {
        name: 'catalog',
        fileName: 'dup.json',
        content: tinyCatalog(uuid, [
          { id: 'ac-1', title: 'Policy and procedures' },
          { id: 'ac-2', title: 'Account management' },
          { id: 'ac-1', title: 'Again' },
        ]),
      },
    ]);
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ code: string; detail: string }>();
    expect(problem.code).toBe('oscal.invalid');
    expect(problem.detail).toContain('dup.json');
    expect(problem.detail).toContain('duplicate control id "ac-1"');
    expect(problem.detail).toContain('catalog.groups[0].controls[2]');
    const rows = await t.pools.owner
      .selectFrom('frameworks')
      .select('id')
      .where('oscal_uuid', '=', uuid)
      .execute();
    expect(rows).toEqual([]);
  });

  it('refuses a profile naming controls the catalog does not have', async () => {
    const uuid = randomUUID();
    const res = await importOscal(manager, [
      {
        name: 'catalog',
        fileName: 'tiny.json',
        content: tinyCatalog(uuid, [{ id: 'ac-1', title: 'Policy and procedures' }]),
      },
      { name: 'profile', fileName: 'tiny-profile.json', content: tinyProfile(['ac-1', 'zz-9']) },
    ]);
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ detail: string; errors: { path: string }[] }>();
    expect(problem.detail).toMatch(/^tiny-profile\.json: .*zz-9/);
    expect(problem.errors[0]?.path).toBe('profile');
    const requirements = await t.pools.owner
      .selectFrom('requirements')
      .select('id')
      .where('ref', '=', 'zz-9')
      .execute();
    expect(requirements).toEqual([]);
  });

  it('refuses a request without a catalog file, and a wrong document type', async () => {
    const none = await importOscal(manager, [{ name: 'autoMapThreshold', content: '0' }]);
    expect(none.statusCode).toBe(400);
    expect(none.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('catalog');
    const profileAsCatalog = await importOscal(manager, [
      { name: 'catalog', fileName: 'p.json', content: tinyProfile(['ac-1']) },
    ]);
    expect(profileAsCatalog.statusCode).toBe(400);
    expect(profileAsCatalog.json<{ detail: string }>().detail).toContain('not a catalog');
    const badThreshold = await importOscal(manager, [
      { name: 'catalog', fileName: 't.json', content: tinyCatalog(randomUUID(), []) },
      { name: 'autoMapThreshold', content: '2' },
    ]);
    expect(badThreshold.statusCode).toBe(400);
    expect(badThreshold.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'autoMapThreshold',
    );
  });

  it('is refused to contributors and auditors', async () => {
    for (const user of [contributor, auditor]) {
      const res = await importOscal(user, [
        { name: 'catalog', fileName: 't.json', content: tinyCatalog(randomUUID(), []) },
      ]);
      expect(res.statusCode).toBe(403);
    }
  });
});

describe.runIf(hasOscal)('importing the NIST SP 800-53 rev5 baselines', () => {
  const read = (file: string) => readFile(sharedPath('data', 'oscal', file));
  let lowId: string;

  it('imports the LOW baseline: 149 requirements, audited; a second import is refused', async () => {
    const content = await read(lowFile);
    const res = await importOscal(manager, [{ name: 'catalog', fileName: lowFile, content }]);
    expect(res.statusCode, res.body).toBe(201);
    const result = res.json<{
      framework: Framework;
      requirementCount: number;
      mappedRequirementCount: number;
      durationMs: number;
    }>();
    expect(result.requirementCount).toBe(149);
    expect(result.mappedRequirementCount).toBe(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.framework).toMatchObject({
      key: 'oscal:0470d39a-3e02-4bff-82cf-676d522c1554',
      source: 'oscal',
      name: 'NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE',
      requirementCount: 149,
    });
    lowId = result.framework.id;
    const ac2 = await t.pools.owner
      .selectFrom('requirements')
      .select(['label', 'title', 'group_title', 'parent_ref', 'body'])
      .where('framework_id', '=', lowId)
      .where('ref', '=', 'ac-2')
      .executeTakeFirstOrThrow();
    expect(ac2).toMatchObject({
      label: 'AC-2',
      title: 'Account Management',
      group_title: 'Access Control',
      parent_ref: null,
    });
    expect(ac2.body.length).toBeGreaterThan(100);
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select(['action', 'changes'])
      .where('target_id', '=', lowId)
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'framework.imported',
        changes: expect.objectContaining({
          requirementCount: 149,
          catalogFile: lowFile,
        }) as unknown,
      }),
    ]);

    const again = await importOscal(manager, [{ name: 'catalog', fileName: lowFile, content }]);
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('framework.exists');
    const rows = await t.pools.owner
      .selectFrom('frameworks')
      .select('id')
      .where('org_id', '=', orgId)
      .where('key', '=', result.framework.key)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('imports the MODERATE baseline alone (287) and narrowed by its profile (287)', async () => {
    const catalog = await read(moderateFile);
    const alone = await importOscal(manager, [
      { name: 'catalog', fileName: moderateFile, content: catalog },
    ]);
    expect(alone.statusCode, alone.body).toBe(201);
    expect(alone.json<{ requirementCount: number }>().requirementCount).toBe(287);

    const narrowed = await importOscal(manager, [
      { name: 'catalog', fileName: moderateFile, content: catalog },
      { name: 'profile', fileName: profileFile, content: await read(profileFile) },
    ]);
    expect(narrowed.statusCode, narrowed.body).toBe(201);
    const result = narrowed.json<{ framework: Framework; requirementCount: number }>();
    expect(result.requirementCount).toBe(287);
    expect(result.framework.key).toBe('oscal:f4faee53-d96f-4fdb-b491-4a1a79066b9b');
    expect(result.framework.description).toContain(profileFile);
    const enhancement = await t.pools.owner
      .selectFrom('requirements')
      .select(['label', 'parent_ref'])
      .where('framework_id', '=', result.framework.id)
      .where('ref', '=', 'ac-2.1')
      .executeTakeFirstOrThrow();
    expect(enhancement).toEqual({ label: 'AC-2(1)', parent_ref: 'ac-2' });
    const items = await listFrameworks(manager);
    expect(items.map((f) => f.requirementCount)).toEqual([45, 149, 287, 287]);
  });

  it('maps imported requirements to similar controls above the threshold', async () => {
    const org = await seedOrg(t);
    const owner = await seedUser(t, org, 'owner');
    const account = await seedControl(t, org, {
      ref: 'ACC-1',
      title: 'Account management: accounts are approved, reviewed and disabled',
    });
    await seedControl(t, org, { ref: 'PHY-1', title: 'Visitors are escorted in the office' });
    const res = await importOscal(owner, [
      { name: 'catalog', fileName: lowFile, content: await read(lowFile) },
      { name: 'autoMapThreshold', content: '0.6' },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const result = res.json<{ framework: Framework; mappedRequirementCount: number }>();
    expect(result.mappedRequirementCount).toBe(1);
    expect(result.framework.mappedRequirementCount).toBe(1);
    const links = await t.pools.owner
      .selectFrom('control_requirements as cr')
      .innerJoin('requirements as r', 'r.id', 'cr.requirement_id')
      .select(['r.ref', 'cr.control_id'])
      .where('r.framework_id', '=', result.framework.id)
      .execute();
    // "Account Management" is the one LOW control that close to either control.
    expect(links).toEqual([{ ref: 'ac-2', control_id: account }]);
  });

  it('removes an imported framework with its requirements and control links', async () => {
    const control = await seedControl(t, orgId, { ref: 'DEL-1' });
    const requirement = await t.pools.owner
      .selectFrom('requirements')
      .select('id')
      .where('framework_id', '=', lowId)
      .where('ref', '=', 'ac-1')
      .executeTakeFirstOrThrow();
    await t.pools.owner
      .insertInto('control_requirements')
      .values({ org_id: orgId, control_id: control, requirement_id: requirement.id })
      .execute();
    const del = (user: SeededUser, id: string) =>
      t.http.inject({ method: 'DELETE', url: `/api/v1/frameworks/${id}`, headers: bearer(user) });
    expect((await del(contributor, lowId)).statusCode).toBe(403);
    const res = await del(manager, lowId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    const left = await t.pools.owner
      .selectFrom('requirements')
      .select('id')
      .where('framework_id', '=', lowId)
      .execute();
    expect(left).toEqual([]);
    const links = await t.pools.owner
      .selectFrom('control_requirements')
      .select('control_id')
      .where('control_id', '=', control)
      .execute();
    expect(links).toEqual([]);
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', lowId)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['framework.imported', 'framework.deleted']);
    expect((await del(manager, lowId)).statusCode).toBe(404);
  });

  it('keeps each organisation’s frameworks to itself', async () => {
    const other = await seedOrg(t);
    const stranger = await seedUser(t, other, 'owner');
    const mine = await listFrameworks(manager);
    expect(await listFrameworks(stranger)).toEqual([]);
    const target = mine.find((f) => f.source === 'oscal');
    const peek = await t.http.inject({
      method: 'GET',
      url: `/api/v1/frameworks/${target?.id ?? ''}`,
      headers: bearer(stranger),
    });
    expect(peek.statusCode).toBe(404);
    const remove = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/frameworks/${target?.id ?? ''}`,
      headers: bearer(stranger),
    });
    expect(remove.statusCode).toBe(404);
    // The same catalog can be imported by another organisation.
    const imported = await importOscal(stranger, [
      { name: 'catalog', fileName: lowFile, content: await read(lowFile) },
    ]);
    expect(imported.statusCode).toBe(201);
    expect((await listFrameworks(manager)).map((f) => f.id)).toEqual(mine.map((f) => f.id));
  });
});
