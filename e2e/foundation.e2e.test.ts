import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../apps/server/src/modules/mfa/totp.ts';
import { createOrganisation, desktopViewport, startJourney, stopJourney } from './journey.ts';
import { runSteward, type StewardProcess } from './support.ts';

let server: StewardProcess;
let browser: Browser;
let page: Page;
let totpSecret = '';
let enrolledAt = 0;

const owner = {
  org: 'Northwind Data',
  name: 'Nora Owner',
  email: 'nora@northwind.test',
  password: 'maple-compass-river-63',
};
const contributor = {
  name: 'Cai Contributor',
  email: 'cai@northwind.test',
  password: 'pepper-lantern-cloud-27',
};

beforeAll(async () => {
  ({ server, browser } = await startJourney());
  page = await browser.newPage({ viewport: desktopViewport });
});

afterAll(() => stopJourney({ server, browser }));

describe('first run: setup, sign-in, create a user, audit log, verify', () => {
  it('sends a fresh install to the setup page and creates the organisation', async () => {
    await createOrganisation(page, server.url, owner);
  });

  it('makes the owner set up TOTP before anything else (the default policy)', async () => {
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    totpSecret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    enrolledAt = Date.now();
    await page.getByLabel('Code from the app').fill(totpCodeAt(totpSecret, enrolledAt));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await page.getByText('Save your recovery codes now').waitFor();
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.getByText(owner.org).first().waitFor();
  });

  it('signs out and the owner signs in again with password and TOTP', async () => {
    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in**');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Email or password is wrong').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/sign-in/mfa**');
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('The code is not valid').waitFor();
    // The enrolment code claimed its time step, so sign-in needs a later one (within ±1 step).
    const step = (t: number) => Math.floor(t / 30_000);
    const at = step(Date.now()) > step(enrolledAt) ? Date.now() : enrolledAt + 30_000;
    await page.getByLabel('Code').fill(totpCodeAt(totpSecret, at));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
  });

  it('creates a user with the contributor role', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL('**/settings/users');
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(contributor.name);
    await dialog.getByLabel('Email').fill(contributor.email);
    await dialog.getByLabel('Role').selectOption({ value: 'contributor' });
    await dialog.getByLabel('Initial password', { exact: true }).fill(contributor.password);
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: new RegExp(contributor.email) });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/contributor/i);
  });

  it('shows the sign-in and the user creation in the audit log', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL('**/audit');
    const table = page.getByRole('table');
    await table.getByText('user.created').first().waitFor();
    await table.getByText('auth.signed_in').first().waitFor();
    expect(await table.getByText('auth.sign_in_failed').count()).toBeGreaterThan(0);
    await page.getByLabel('Action').fill('user.created');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => table.getByText('auth.signed_in').count()).toBe(0);
    await expect.poll(() => table.getByText('user.created').count()).toBe(2);
  });

  it('keeps a verifiable audit chain', async () => {
    const result = await runSteward(['audit', 'verify'], server.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok, \d+ events in 1 organisation/);
  });

  it('is readable on a phone', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${server.url}/settings/users`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
