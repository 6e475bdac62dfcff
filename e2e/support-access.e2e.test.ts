import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectAsSuperuser,
  createApiCaller,
  createArrangementToken,
  desktopViewport,
  openPasskeyPage,
  setUpOrganisation,
  signInWithPassword,
  startJourney,
  stopJourney,
  type ApiCaller,
} from './journey.ts';
import type { StewardProcess } from './support.ts';

let server: StewardProcess;
let browser: Browser;
let page: Page;
let engineerContext: BrowserContext;
let engineerPage: Page;
let api: ApiCaller;
let admin: pg.Client;
let pgPort = 0;

const owner = {
  org: 'Helpdesk Harbour Ltd',
  name: 'Hana Owner',
  email: 'hana@helpdesk.test',
  password: 'granite-orchard-ember-47',
};
const engineer = {
  name: 'Eli Engineer',
  email: 'eli@helpdesk.test',
  password: 'willow-beacon-tundra-85',
};
// A database on the embedded PostgreSQL cluster stands for the production system; the grant role
// Steward uses has CREATEROLE, pg_signal_backend and grant options on the customer schemas.
const targetDb = 'orders_prod';
const granter = 'steward_granter';
const granterPassword = 'granter-copper-lantern-93';

interface Credential {
  username: string;
  password: string;
  database: string;
}

async function tryLogin(credential: Credential): Promise<string> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: pgPort,
    database: credential.database,
    user: credential.username,
    password: credential.password,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const rows = await client.query<{ item: string }>('SELECT item FROM cust_acme.orders');
    return rows.rows.map((r) => r.item).join(',');
  } catch (error) {
    return `refused ${(error as { code?: string }).code ?? String(error)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

beforeAll(async () => {
  ({ server, browser } = await startJourney());
  pgPort = Number(server.env.STEWARD_EMBEDDED_PG_PORT);
  admin = await connectAsSuperuser(server);
  await admin.query(`CREATE DATABASE ${targetDb}`);
  await admin.query(`CREATE ROLE ${granter} LOGIN CREATEROLE PASSWORD '${granterPassword}'`);
  await admin.query(`GRANT pg_signal_backend TO ${granter}`);
  const target = await connectAsSuperuser(server, targetDb);
  await target.query('CREATE SCHEMA cust_acme');
  await target.query('CREATE TABLE cust_acme.orders (id serial PRIMARY KEY, item text)');
  await target.query(`INSERT INTO cust_acme.orders (item) VALUES ('blue widget')`);
  await target.query(`GRANT USAGE ON SCHEMA cust_acme TO ${granter} WITH GRANT OPTION`);
  await target.query(
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA cust_acme TO ${granter} WITH GRANT OPTION`,
  );
  await target.end();
  ({ page } = await openPasskeyPage(browser));
  engineerContext = await browser.newContext({ viewport: desktopViewport });
  engineerPage = await engineerContext.newPage();
});

afterAll(async () => {
  await admin.end();
  await stopJourney({ server, browser });
});

describe('support access: requested, approved by another person, used, ended, reported', () => {
  let credential: Credential;

  it('sets up the organisation, an engineer and a PostgreSQL system', async () => {
    await setUpOrganisation(page, server.url, owner);
    api = createApiCaller(server.url, await createArrangementToken(page, server.url));
    await api('POST', '/api/v1/users', { ...engineer, role: 'contributor' });
    const system = await api<{ id: string }>('POST', '/api/v1/systems', {
      name: 'Orders database',
      environment: 'production',
      signInMethod: 'local',
      holdsCustomerData: true,
      connectorKind: 'postgresql',
      postgres: {
        host: '127.0.0.1',
        port: pgPort,
        database: targetDb,
        user: granter,
        password: granterPassword,
        sslmode: 'disable',
      },
    });
    expect(system.id).toBeTruthy();
  });

  it('the owner adds the customer', async () => {
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.waitForURL('**/customers');
    await page.getByRole('button', { name: 'Add a customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a customer' });
    await dialog.getByLabel('Name').fill('Acme Corp');
    await dialog.getByLabel('Key').fill('acme');
    await dialog.getByRole('button', { name: 'Add customer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('table', { name: 'Customers' })
      .getByRole('link', { name: 'Acme Corp' })
      .waitFor();
  });

  it('the owner sets up support access on the system: grant user and customer schema', async () => {
    await page.getByRole('link', { name: 'Support access settings', exact: true }).click();
    await page.waitForURL('**/settings/support-access');
    await page.getByRole('button', { name: 'Configure Orders database' }).click();
    const dialog = page.getByRole('dialog', { name: 'Support access on Orders database' });
    await dialog.getByLabel('How access is granted').selectOption({ value: 'postgresql' });
    await dialog.getByLabel('Grant user', { exact: true }).fill(granter);
    await dialog.getByLabel('Grant user password', { exact: true }).fill(granterPassword);
    await dialog.getByRole('button', { name: 'Add a customer mapping' }).click();
    await dialog.getByLabel('Customer').selectOption({ label: 'Acme Corp' });
    await dialog.getByLabel('Schema', { exact: true }).fill('cust_acme');
    await dialog.getByRole('button', { name: 'Save configuration' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const systems = page.getByRole('table', { name: 'Systems for support access' });
    await systems
      .getByRole('row', { name: /Orders database/ })
      .getByText(`PostgreSQL role (grant user ${granter})`)
      .waitFor();
  });

  it('the engineer requests read access to the customer’s data with a ticket', async () => {
    await signInWithPassword(engineerPage, server.url, engineer);
    await engineerPage.waitForURL(`${server.url}/`);
    await engineerPage.getByRole('link', { name: 'Support access', exact: true }).click();
    await engineerPage.waitForURL('**/support-access');
    await engineerPage.getByRole('button', { name: 'Request access' }).click();
    const dialog = engineerPage.getByRole('dialog', { name: 'Request support access' });
    await dialog.getByLabel('Customer').selectOption({ label: 'Acme Corp' });
    await dialog.getByLabel('System').selectOption({ label: 'Orders database' });
    await dialog.getByLabel('Level').selectOption({ value: 'read' });
    // The shortest window there is: the journey waits for it to end.
    await dialog.getByLabel('Duration (minutes)').fill('1');
    await dialog.getByLabel('Ticket reference').fill('SUP-4242');
    await dialog.getByLabel('Reason').fill('Customer reports a missing order');
    await dialog.getByRole('button', { name: 'Submit request' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const mine = engineerPage.getByRole('table', { name: 'My requests' });
    await mine
      .getByRole('row', { name: /SUP-4242/ })
      .getByText('Pending approval')
      .waitFor();
  });

  it('the owner approves it from the approval queue', async () => {
    await page.getByRole('link', { name: 'Support access', exact: true }).click();
    await page.waitForURL('**/support-access');
    await page.getByRole('tab', { name: /Approval queue/ }).click();
    const queue = page.getByRole('table', { name: 'Approval queue' });
    await queue
      .getByRole('row', { name: /SUP-4242/ })
      .getByText(engineer.name)
      .waitFor();
    await queue.getByRole('button', { name: 'Approve SUP-4242' }).click();
    await page.getByText('Request approved').waitFor();
    await page.getByRole('tab', { name: 'Active grants' }).click();
    const live = page.getByRole('table', { name: 'Active grants' });
    const row = live.getByRole('row', { name: /SUP-4242/ });
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByLabel(/^Time left: /).waitFor();
  });

  it('the engineer reveals the credential once, and it reads the customer’s schema', async () => {
    await engineerPage.reload();
    const mine = engineerPage.getByRole('table', { name: 'My requests' });
    const row = mine.getByRole('row', { name: /SUP-4242/ });
    await row.getByText('Active', { exact: true }).waitFor({ timeout: 15_000 });
    await row.getByRole('button', { name: 'Reveal credential' }).click();
    const dialog = engineerPage.getByRole('dialog', { name: 'Your credential' });
    credential = {
      username: await dialog.getByLabel('Username', { exact: true }).inputValue(),
      password: await dialog.getByLabel('Password', { exact: true }).inputValue(),
      database: await dialog.getByLabel('Database', { exact: true }).inputValue(),
    };
    expect(credential.username).toMatch(/^steward_sa_/);
    await dialog.getByRole('button', { name: 'I have copied it' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row.getByRole('button', { name: 'Reveal credential' }).count()).toBe(0);
    expect(await tryLogin(credential)).toBe('blue widget');
    // PostgreSQL itself ends the login when the 1-minute window closes.
    const role = await admin.query<{ rolvaliduntil: Date }>(
      'SELECT rolvaliduntil FROM pg_roles WHERE rolname = $1',
      [credential.username],
    );
    const left = (role.rows[0]?.rolvaliduntil.getTime() ?? 0) - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60_000);
  });

  it('after the window ends the credential fails, then the expiry job drops the role', async () => {
    // No one ends the access: PostgreSQL refuses the login once VALID UNTIL has passed...
    await expect
      .poll(() => tryLogin(credential), { timeout: 90_000, interval: 2_000 })
      .toBe('refused 28P01');
    // ...and the job that runs every minute records the expiry and removes the role.
    const row = engineerPage.getByRole('table', { name: 'My requests' }).getByRole('row', {
      name: /SUP-4242/,
    });
    await expect
      .poll(
        async () => {
          await engineerPage.reload();
          await row.waitFor();
          return row.getByText('Expired', { exact: true }).count();
        },
        { timeout: 150_000, interval: 5_000 },
      )
      .toBe(1);
    const roles = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
      credential.username,
    ]);
    expect(roles.rowCount).toBe(0);
    expect(await tryLogin(credential)).toBe('refused 28P01');
  }, 300_000);

  it('the customer’s access report shows the whole story, and is saved as evidence', async () => {
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.waitForURL('**/customers');
    await page.getByRole('link', { name: 'Acme Corp' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Corp' }).waitFor();
    const report = page.getByRole('table', { name: 'Access report' });
    const row = report.getByRole('row', { name: /SUP-4242/ });
    await row.getByText(engineer.email, { exact: true }).waitFor();
    await row.getByText('Orders database').waitFor();
    await row.getByText('Customer reports a missing order').waitFor();
    await row.getByText(new RegExp(owner.email)).waitFor();
    await row.getByText('Expired', { exact: true }).waitFor();
    await row.getByText('by Steward (window ended)').waitFor();
    await page.getByRole('button', { name: 'Save as evidence' }).click();
    await page.getByText(/Report saved as evidence \(1 request/).waitFor();
    const audit = await api<{ items: { action: string }[] }>(
      'GET',
      '/api/v1/audit-events?limit=200',
    );
    const actions = audit.items.map((e) => e.action);
    for (const action of [
      'support_access.requested',
      'support_access.approved',
      'support_access.granted',
      'support_access.credential_revealed',
      'support_access.expired',
      'support_access.revoke_applied',
      'support_access.report_saved',
    ]) {
      expect(actions).toContain(action);
    }
  });
});
