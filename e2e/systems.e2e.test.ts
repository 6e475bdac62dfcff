import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import {
  makeDataDir,
  removeDataDir,
  startStewardProcess,
  stewardEnv,
  type StewardProcess,
} from './support.ts';

let dataDir: string;
let server: StewardProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let csvPath = '';
let apiToken = '';

const owner = {
  org: 'Inventory Works Ltd',
  name: 'Ines Owner',
  email: 'ines@inventory.test',
  password: 'amber-lighthouse-quartz-63',
};

async function api<T>(method: string, urlPath: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${urlPath}`, {
    method,
    headers: {
      authorization: `Bearer ${apiToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${urlPath} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

beforeAll(async () => {
  dataDir = await makeDataDir();
  csvPath = path.join(dataDir, 'crm-accounts.csv');
  await writeFile(
    csvPath,
    'external_id,username,email,privileged,mfa_enabled,roles\n' +
      'u1,dana,dana@inventory.test,false,true,viewer\n' +
      'u2,admin,,true,false,owner\n',
  );
  server = await startStewardProcess(await stewardEnv(dataDir));
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
});

afterAll(async () => {
  await browser.close();
  await server.stop();
  await removeDataDir(dataDir);
});

describe('systems: a CSV system is added, its accounts uploaded and flagged', () => {
  it('sets up the organisation and a person of the directory', async () => {
    await page.goto(server.url);
    await page.waitForURL('**/setup');
    await page.getByLabel('Organisation name').fill(owner.org);
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.waitForURL('**/mfa-setup', { timeout: 30_000 });
    await page.getByLabel('Passkey name').fill('Owner key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL(`${server.url}/`);
    const session = await page.request.get(`${server.url}/api/v1/me`);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const created = await page.request.post(`${server.url}/api/v1/tokens`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { name: 'Journey arrangement', expiresInDays: 1 },
    });
    expect(created.status()).toBe(201);
    apiToken = ((await created.json()) as { secret: string }).secret;
    await api('POST', '/api/v1/people', { displayName: 'Dana Doe', email: 'dana@inventory.test' });
  });

  it('adds a CSV system from the systems page', async () => {
    await page.getByRole('link', { name: 'Systems', exact: true }).click();
    await page.waitForURL('**/systems');
    await page.getByRole('button', { name: 'Add a system' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a system' });
    await dialog.getByLabel('Name').fill('Customer CRM');
    await dialog.getByLabel('Holds Customer Data').check();
    await dialog.getByLabel('Accounts come from').selectOption({ value: 'csv' });
    await dialog.getByRole('button', { name: 'Add system' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: 'Customer CRM' }).click();
    await page.getByRole('heading', { level: 1, name: 'Customer CRM' }).waitFor();
  });

  it('previews then applies the accounts file, and shows the flags', async () => {
    await page.getByLabel('Accounts file').setInputFiles(csvPath);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('2 accounts in the file: 2 new').waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    const accounts = page.getByRole('table', { name: 'Accounts' });
    await accounts.getByRole('link', { name: 'admin' }).waitFor({ timeout: 30_000 });
    const adminRow = accounts.getByRole('row', { name: /admin/ });
    await adminRow.getByText('Shared or generic').waitFor();
    await adminRow.getByText('Privileged without MFA').waitFor();
    await accounts.getByRole('row', { name: /dana/ }).getByText('Dana Doe').waitFor();
    await page.getByLabel('Flag').selectOption({ value: 'orphaned' });
    await expect.poll(() => accounts.getByRole('row').count()).toBe(2);
  });

  it('registers the admin account as an owned service account', async () => {
    await page
      .getByRole('table', { name: 'Accounts' })
      .getByRole('link', { name: 'admin' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'admin' }).waitFor();
    await page.getByLabel('Account type').selectOption({ value: 'service' });
    await page.getByLabel('Service account owner').selectOption({ label: owner.name });
    await page.getByLabel('Why this privileged access stands').fill('CRM integration for billing');
    await page.getByRole('button', { name: 'Save registration' }).click();
    await page.getByText('Account saved').waitFor();
    await expect
      .poll(
        async () =>
          (await api<{ items: unknown[] }>('GET', '/api/v1/accounts?flag=orphaned')).items.length,
      )
      .toBe(0);
  });
});
