import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectAsSuperuser,
  openPasskeyPage,
  setUpOrganisation,
  startJourney,
  stopJourney,
} from './journey.ts';
import type { StewardProcess } from './support.ts';

let server: StewardProcess;
let browser: Browser;
let page: Page;
let scimToken = '';
let personId = '';
let checklistUrl = '';

const owner = {
  org: 'Leaving Well Ltd',
  name: 'Lola Owner',
  email: 'lola@leaving.test',
  password: 'copper-harbour-violet-58',
};

// The target database lives in the embedded cluster of the Steward under test.
const targetDb = 'orders_prod';
const readerRole = 'steward_reader';
const readerPassword = `reader-${randomBytes(8).toString('hex')}`;
const leaverRole = 'lena';

async function scim(method: string, urlPath: string, body?: unknown) {
  const response = await fetch(`${server.url}/scim/v2${urlPath}`, {
    method,
    headers: {
      authorization: `Bearer ${scimToken}`,
      'content-type': 'application/scim+json',
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

beforeAll(async () => {
  ({ server, browser } = await startJourney());
  const admin = await connectAsSuperuser(server);
  try {
    await admin.query(`CREATE DATABASE ${targetDb}`);
    await admin.query(`CREATE ROLE ${readerRole} LOGIN PASSWORD '${readerPassword}'`);
    await admin.query(`CREATE ROLE ${leaverRole} LOGIN`);
    await admin.query(`CREATE ROLE orders_app NOLOGIN`);
    await admin.query(`GRANT orders_app TO ${leaverRole}`);
  } finally {
    await admin.end();
  }
  ({ page } = await openPasskeyPage(browser));
});

afterAll(() => stopJourney({ server, browser }));

describe('leaver: deactivated over SCIM, the PostgreSQL sync closes the account item', () => {
  it('sets up the organisation', async () => {
    await setUpOrganisation(page, server.url, owner);
  });

  it('creates a SCIM token for the identity provider from the people page', async () => {
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page.waitForURL('**/people');
    await page.getByRole('link', { name: 'SCIM tokens' }).click();
    await page.waitForURL('**/people/scim-tokens');
    await page.getByRole('button', { name: 'Create SCIM token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a SCIM token' });
    await dialog.getByLabel('Connection name').fill('Entra ID production');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByRole('dialog').getByLabel('Token secret');
    await secret.waitFor();
    scimToken = await secret.inputValue();
    expect(scimToken.length).toBeGreaterThan(20);
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await page
      .getByRole('table', { name: 'SCIM tokens' })
      .getByRole('row', { name: /Entra ID production/ })
      .waitFor();
  });

  it('the identity provider provisions the person over SCIM', async () => {
    const created = await scim('POST', '/Users', {
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      ],
      userName: 'lena@leaving.test',
      externalId: 'entra-4711',
      active: 'True',
      name: { givenName: 'Lena', familyName: 'Leaver' },
      displayName: 'Lena Leaver',
      emails: [{ value: 'lena@leaving.test', type: 'work', primary: true }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    personId = String(created.body.id);
  });

  it('adds the PostgreSQL system and syncs its roles from the UI', async () => {
    await page.getByRole('link', { name: 'Systems', exact: true }).click();
    await page.waitForURL('**/systems');
    await page.getByRole('button', { name: 'Add a system' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a system' });
    await dialog.getByLabel('Name').fill('Orders database');
    await dialog.getByLabel('Holds Customer Data').check();
    await dialog.getByLabel('Accounts come from').selectOption({ value: 'postgresql' });
    await dialog.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await dialog
      .getByLabel('Port', { exact: true })
      .fill(server.env.STEWARD_EMBEDDED_PG_PORT ?? '');
    await dialog.getByLabel('Database', { exact: true }).fill(targetDb);
    await dialog.getByLabel('User', { exact: true }).fill(readerRole);
    await dialog.getByLabel('Password', { exact: true }).fill(readerPassword);
    await dialog.getByLabel('TLS', { exact: true }).selectOption({ value: 'disable' });
    await dialog.getByRole('button', { name: 'Add system' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: 'Orders database' }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders database' }).waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const accounts = page.getByRole('table', { name: 'Accounts' });
    const lena = accounts.getByRole('row', { name: new RegExp(`\\b${leaverRole}\\b`) });
    await lena.getByText('Lena Leaver').waitFor({ timeout: 30_000 });
  });

  it('deactivates the person the way Entra ID does, and the leaver checklist lists the account', async () => {
    const patched = await scim('PATCH', `/Users/${personId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    // RFC 7644 §3.5.2 lets the service provider answer 204 without the resource.
    expect([200, 204], JSON.stringify(patched.body)).toContain(patched.status);
    expect((await scim('GET', `/Users/${personId}`)).body.active).toBe(false);
    await page.getByRole('link', { name: 'Joiners and leavers', exact: true }).click();
    await page.waitForURL('**/lifecycle');
    const checklists = page.getByRole('table', { name: 'Checklists' });
    const row = checklists.getByRole('row', { name: /Lena Leaver/ });
    // The identity provider's change is derived right after it commits, in the background.
    await expect
      .poll(
        async () => {
          const count = await row.getByRole('cell', { name: 'Leaver', exact: true }).count();
          if (count === 0) {
            // Her joiner checklist is listed as soon as the page has loaded its data.
            await page.reload();
            await row.first().waitFor();
          }
          return count;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    await row.getByRole('cell', { name: 'Deactivated in the directory' }).waitFor();
    await checklists.getByRole('link', { name: 'Lena Leaver' }).click();
    await page.getByRole('heading', { level: 1, name: 'Leaver: Lena Leaver' }).waitFor();
    checklistUrl = page.url();
    const item = page.getByRole('listitem', { name: `Disable ${leaverRole} on Orders database` });
    await item.getByText('System: Orders database, account lena').waitFor();
    await item.getByText('Open', { exact: true }).waitFor();
  });

  it('the role is disabled in the database; Sync now shows it and closes the item', async () => {
    const admin = await connectAsSuperuser(server);
    try {
      await admin.query(`ALTER ROLE ${leaverRole} NOLOGIN`);
    } finally {
      await admin.end();
    }
    await page.getByRole('link', { name: 'Systems', exact: true }).click();
    await page.waitForURL('**/systems');
    await page.getByRole('link', { name: 'Orders database' }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders database' }).waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const lena = page
      .getByRole('table', { name: 'Accounts' })
      .getByRole('row', { name: new RegExp(`\\b${leaverRole}\\b`) });
    await lena.getByText('disabled', { exact: true }).waitFor({ timeout: 30_000 });

    await page.goto(checklistUrl);
    await page.getByRole('heading', { level: 1, name: 'Leaver: Lena Leaver' }).waitFor();
    const item = page.getByRole('listitem', { name: `Disable ${leaverRole} on Orders database` });
    await item.getByText('Done', { exact: true }).waitFor();
    await item
      .getByText(/by Account sync \(shown by a sync\): The sync shows the account disabled/)
      .waitFor();
  });
});
