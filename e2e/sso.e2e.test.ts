import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../apps/server/test/oidc-idp.ts';
import {
  createOrganisation,
  enrolPasskey,
  openPasskeyPage,
  startJourney,
  stopJourney,
} from './journey.ts';
import { runSteward, type StewardProcess } from './support.ts';

let server: StewardProcess;
let idp: TestIdp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const owner = {
  org: 'Single Sign Works',
  name: 'Sol Owner',
  email: 'sol@ssoworks.test',
  password: 'orchid-tunnel-beacon-71',
};
const newcomer = { name: 'Jit Newcomer', email: 'jit@ssoworks.test' };

interface ExportedEvent {
  action: string;
  actor_id: string | null;
  actor_label: string | null;
  auth_method: string;
  target_id: string | null;
  changes: Record<string, unknown>;
}

beforeAll(async () => {
  ({ server, browser } = await startJourney(async (_dir, env) => {
    idp = await startTestIdp(`${env.PUBLIC_URL}/api/v1/auth/sso/callback`, { loginForm: true });
    idp.accounts.set('jit-1', { email: newcomer.email, email_verified: true, name: newcomer.name });
    idp.nextLogin = { accountId: '', amr: ['pwd', 'mfa'], acr: 'urn:test:loa:2' };
  }));
  // The owner's second factor is a passkey on Chromium's virtual authenticator.
  ({ context, page } = await openPasskeyPage(browser));
});

afterAll(async () => {
  await stopJourney({ server, browser });
  await idp.close();
});

async function signOut() {
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in**');
}

async function pick(label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

describe('SSO: an owner configures OpenID Connect, a new person signs in through the IdP', () => {
  it('runs the identity provider on loopback only', () => {
    expect(new URL(idp.issuer).hostname).toBe('127.0.0.1');
    expect(new URL(server.url).hostname).toBe('localhost');
  });

  it('sets up the organisation; the owner enrols a passkey as the required second factor', async () => {
    await createOrganisation(page, server.url, owner);
    await enrolPasskey(page, 'Owner key');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
  });

  it('configures SSO with just-in-time provisioning on the Security policy page', async () => {
    await page.getByRole('link', { name: 'Security policy', exact: true }).click();
    await page.waitForURL('**/settings/org-security');
    await page.getByText(`${server.url}/api/v1/auth/sso/callback`).waitFor();
    await page.getByLabel('Issuer URL').fill(idp.issuer);
    await page.getByLabel('Client id').fill(idp.clientId);
    await page.getByLabel('Client secret').fill(idp.clientSecret);
    await pick('People without an account', 'Create their account on first sign-in');
    await pick('Role of accounts created by SSO', 'contributor');
    const domains = page.getByRole('combobox', { name: 'Allowed email domains' });
    await domains.fill('ssoworks.test');
    await domains.press('Enter');
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/org/sso') && r.request().method() === 'PUT',
    );
    await page.getByRole('button', { name: 'Save SSO settings' }).click();
    expect((await saved).status()).toBe(200);
    await page.getByText('Set — leave blank to keep it').waitFor();
    expect(await page.getByLabel('Client secret').inputValue()).toBe('');
  });

  it('allows the SSO sign-in method in the policy', async () => {
    await page.getByRole('checkbox', { name: 'SSO', exact: true }).check();
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/org/security-policy') && r.request().method() === 'PUT',
    );
    await page.getByRole('button', { name: 'Save policy' }).click();
    const res = await saved;
    expect(res.status()).toBe(200);
    expect(((await res.json()) as { allowedSignInMethods: string[] }).allowedSignInMethods).toEqual(
      expect.arrayContaining(['password', 'passkey', 'sso']),
    );
    await signOut();
  });

  it('signs a new person in through the IdP and provisions them as a contributor', async () => {
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.getByLabel('Work email for SSO').fill(newcomer.email);
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.getByLabel('IdP email').fill(newcomer.email);
    await page.getByRole('button', { name: 'Sign in at the IdP' }).click();
    await page.waitForURL(`${server.url}/`);
    await page
      .getByRole('button', { name: `Account: ${newcomer.name}, ${newcomer.email}` })
      .waitFor();
    const me = await context.request.get(`${server.url}/api/v1/me`);
    expect(me.status()).toBe(200);
    const body = (await me.json()) as { user: { email: string; role: string } };
    expect(body.user).toMatchObject({ email: newcomer.email, role: 'contributor' });
    expect(await page.getByRole('link', { name: 'Security policy', exact: true }).count()).toBe(0);
  });

  it('shows the SSO sign-in in the audit log to the owner', async () => {
    await signOut();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL('**/audit');
    await page.getByLabel('Action').fill('auth.signed_in');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.getByRole('row').filter({ hasText: newcomer.email });
    await row.first().waitFor();
    await row.getByRole('cell', { name: 'sso', exact: true }).first().waitFor();
  });

  it('records the JIT account and the sign-in with method sso and the IdP amr/acr', async () => {
    const result = await runSteward(['audit', 'export'], server.env);
    expect(result.code, result.stderr).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportedEvent);
    const created = events.find(
      (e) => e.action === 'user.created' && e.changes.email === newcomer.email,
    );
    const signedIn = events.find((e) => e.action === 'auth.signed_in' && e.auth_method === 'sso');
    expect(signedIn).toBeDefined();
    expect(signedIn?.actor_label).toBe(newcomer.email);
    expect(signedIn?.changes).toMatchObject({ method: 'sso', amr: ['pwd', 'mfa'] });
    expect(created?.changes).toMatchObject({ role: 'contributor', provisionedBy: 'sso' });
    expect(created?.auth_method).toBe('sso');
    expect(signedIn?.actor_id).toBe(created?.target_id);
    expect(signedIn?.target_id).toBe(created?.target_id);
    expect(result.stdout).not.toContain(idp.clientSecret);
  });
});
