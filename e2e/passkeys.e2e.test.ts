import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  enrolPasskey,
  openPasskeyPage,
  startJourney,
  stopJourney,
  virtualAuthenticatorOptions,
} from './journey.ts';
import type { StewardProcess } from './support.ts';

let server: StewardProcess;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
let authenticatorId = '';

const owner = {
  org: 'Passkey Works',
  name: 'Pia Owner',
  email: 'pia@passkey.test',
  password: 'harbour-violet-engine-58',
};

beforeAll(async () => {
  ({ server, browser } = await startJourney());
  ({ page, cdp, authenticatorId } = await openPasskeyPage(browser));
});

afterAll(() => stopJourney({ server, browser }));

describe('passkeys: enrol with a passkey, manage it, sign in with it', () => {
  it('sets up the organisation; the owner enrols a passkey as their second factor', async () => {
    expect(new URL(server.url).hostname).toBe('localhost');
    await createOrganisation(page, server.url, owner);
    await enrolPasskey(page, 'Enrolment key');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.getByText(owner.org).first().waitFor();
  });

  it('refuses a second passkey on the same authenticator, adds one on another, renames it', async () => {
    await page.goto(`${server.url}/settings/security`);
    const table = page.getByRole('table', { name: 'Your passkeys' });
    await table.getByText('Enrolment key').waitFor();
    await page.getByLabel('Passkey name').fill('Laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('This authenticator already holds a passkey').waitFor();
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    authenticatorId = (
      await cdp.send('WebAuthn.addVirtualAuthenticator', { options: virtualAuthenticatorOptions })
    ).authenticatorId;
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await table.getByText('Laptop').waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    const row = table.getByRole('row').filter({ hasText: 'Laptop' });
    await row.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name').fill('Work laptop');
    await page.getByRole('button', { name: 'Save' }).click();
    await table.getByText('Work laptop').waitFor();
  });

  it('removes the passkey of the lost authenticator (a recent sign-in needs no password)', async () => {
    const table = page.getByRole('table', { name: 'Your passkeys' });
    const row = table.getByRole('row').filter({ hasText: 'Enrolment key' });
    await row.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => table.getByText('Enrolment key').count()).toBe(0);
    await table.getByText('Work laptop').waitFor();
  });

  it('signs out and signs in again with the passkey alone', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in**');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.getByText(owner.org).first().waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials.some((c) => c.signCount > 0)).toBe(true);
  });

  it('records the passkey events in the audit log', async () => {
    await page.goto(`${server.url}/audit`);
    await page.getByText('passkey.registered').first().waitFor();
    await page.getByText('passkey.renamed').first().waitFor();
    await page.getByText('passkey.removed').first().waitFor();
  });
});
