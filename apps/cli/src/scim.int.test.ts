import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg } from '../../server/test/factories.ts';
import { createTestApp, type TestApp } from '../../server/test/harness.ts';
import { runCli } from '../test/run-cli.ts';

let t: TestApp;
let env: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  await seedOrg(t, 'Acme');
  env = { DATABASE_URL: t.databaseUrl, STEWARD_DATA_DIR: t.dataDir };
});

afterAll(async () => {
  await t.close();
});

async function scimStatus(secret: string): Promise<number> {
  const res = await t.http.inject({
    method: 'GET',
    url: '/scim/v2/Users',
    headers: { authorization: `Bearer ${secret}` },
  });
  return res.statusCode;
}

describe('steward scim tokens', () => {
  it('creates a token printed once, lists it without the secret, and revokes it', async () => {
    const created = await runCli(['scim', 'tokens', 'create', '--name', 'Okta production'], env);
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.split('\n')[0] ?? '';
    expect(secret).toMatch(/^stwscim_[A-Za-z0-9_-]{40,}$/);
    expect(created.stdout).toContain('shown once');
    expect(await scimStatus(secret)).toBe(200);
    const listed = await runCli(['scim', 'tokens', 'list', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(secret);
    const items = (
      JSON.parse(listed.stdout) as { items: { id: string; name: string; createdBy: string }[] }
    ).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: 'Okta production',
      createdBy: expect.stringMatching(/^cli:/) as string,
    });
    const id = items[0]?.id ?? '';
    const revoked = await runCli(['scim', 'tokens', 'revoke', id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain('revoked');
    expect(await scimStatus(secret)).toBe(401);
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select(['action', 'actor_label'])
      .where('target_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['scim_token.created', 'scim_token.revoked']);
    expect(events[0]?.actor_label).toMatch(/^cli:/);
  });

  it('refuses bad input with exit code 2 and one line', async () => {
    const noName = await runCli(['scim', 'tokens', 'create', '--name', ''], env);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/^steward: --name: /);
    const badId = await runCli(['scim', 'tokens', 'revoke', 'nope'], env);
    expect(badId.code).toBe(2);
    const unknown = await runCli(
      ['scim', 'tokens', 'revoke', '00000000-0000-4000-8000-000000000000'],
      env,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No such SCIM token');
  });
});
