import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiCaller,
  createArrangementToken,
  openPasskeyPage,
  setUpOrganisation,
  startJourney,
  stopJourney,
  type ApiCaller,
} from './journey.ts';
import type { StewardProcess } from './support.ts';

let server: StewardProcess;
let browser: Browser;
let page: Page;
let csvPath = '';
let api: ApiCaller;

const owner = {
  org: 'Inventory Works Ltd',
  name: 'Ines Owner',
  email: 'ines@inventory.test',
  password: 'amber-lighthouse-quartz-63',
};

beforeAll(async () => {
  ({ server, browser } = await startJourney(async (dir) => {
    csvPath = path.join(dir, 'crm-accounts.csv');
    await writeFile(
      csvPath,
      'external_id,username,email,privileged,mfa_enabled,roles\n' +
        'u1,dana,dana@inventory.test,false,true,viewer\n' +
        'u2,admin,,true,false,owner\n',
    );
  }));
  ({ page } = await openPasskeyPage(browser));
});

afterAll(() => stopJourney({ server, browser }));

describe('systems: a CSV system is added, its accounts uploaded and flagged', () => {
  it('sets up the organisation and a person of the directory', async () => {
    await setUpOrganisation(page, server.url, owner);
    api = createApiCaller(server.url, await createArrangementToken(page, server.url));
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
