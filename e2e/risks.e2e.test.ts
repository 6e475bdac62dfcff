import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openPasskeyPage,
  readCsrfToken,
  setUpOrganisation,
  signInAndEnrolPasskey,
  startJourney,
  stopJourney,
} from './journey.ts';
import type { StewardProcess } from './support.ts';

let server: StewardProcess;
let browser: Browser;
let ownerPage: Page;
let managerPage: Page;
let riskUrl = '';

const owner = {
  org: 'Careful Cloud Ltd',
  name: 'Erin Executive',
  email: 'erin@carefulcloud.test',
  password: 'lantern-orchard-basalt-64',
};
const manager = {
  name: 'Rita Riskowner',
  email: 'rita@carefulcloud.test',
  password: 'quartz-meadow-signal-29',
};
const riskTitle = 'Partner API still accepts TLS 1.0';

beforeAll(async () => {
  ({ server, browser } = await startJourney());
  ({ page: ownerPage } = await openPasskeyPage(browser));
  ({ page: managerPage } = await openPasskeyPage(browser));
});

afterAll(() => stopJourney({ server, browser }));

describe('risk register: a risk is rated, found on the heat map and accepted by an executive', () => {
  it('sets up the organisation and adds a security manager', async () => {
    await setUpOrganisation(ownerPage, server.url, owner);

    const csrfToken = await readCsrfToken(ownerPage, server.url);
    const created = await ownerPage.request.post(`${server.url}/api/v1/users`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { ...manager, role: 'security_manager' },
    });
    expect(created.status()).toBe(201);
  });

  it('the security manager adds a risk, corrected after a field error', async () => {
    await signInAndEnrolPasskey(managerPage, server.url, manager, 'Manager key');

    await managerPage.getByRole('link', { name: 'Risks', exact: true }).click();
    await managerPage.waitForURL('**/risks');
    await managerPage.getByText('The register is empty. Add the first risk.').waitFor();
    await managerPage.getByRole('button', { name: 'Add risk' }).click();
    const dialog = managerPage.getByRole('dialog', { name: 'Add a risk' });
    await dialog.getByLabel('Title').fill(riskTitle);
    await dialog.getByLabel('Category').fill('Third parties');
    await dialog.getByLabel('Inherent impact').selectOption({ value: '5' });
    await dialog.getByRole('button', { name: 'Add risk' }).click();
    // The server names the missing rating, shown next to its input.
    await dialog.getByText(/Rate from 1 to 5|expected number/i).waitFor();
    await dialog.getByLabel('Inherent likelihood').selectOption({ value: '4' });
    await dialog.getByRole('button', { name: 'Add risk' }).click();
    await managerPage.waitForURL(/\/risks\/[0-9a-f-]+$/);
    riskUrl = managerPage.url();
    await managerPage.getByRole('heading', { level: 1, name: `R-001 ${riskTitle}` }).waitFor();
    const history = managerPage.getByRole('region', { name: 'History' });
    await history.getByText('Created').waitFor();
  });

  it('finds the risk through its heat-map cell', async () => {
    await managerPage.getByRole('link', { name: 'Risks', exact: true }).click();
    await managerPage.waitForURL('**/risks');
    const inherent = managerPage.getByRole('region', { name: 'Inherent risk heat map' });
    await inherent
      .getByRole('button', { name: 'Likelihood 4 (Likely), impact 5 (Severe): 1 risk' })
      .click();
    await managerPage.waitForURL(/heat=inherent/);
    await managerPage.getByRole('link', { name: `R-001 ${riskTitle}` }).waitFor();
    await inherent
      .getByRole('button', { name: 'Likelihood 1 (Rare), impact 1 (Negligible): 0 risks' })
      .click();
    await managerPage.getByText('No risk matches these filters.').waitFor();
  });

  it('the manager asks for an acceptance, which they cannot approve', async () => {
    await managerPage.goto(riskUrl);
    const acceptances = managerPage.getByRole('region', { name: 'Acceptances' });
    await acceptances
      .getByLabel('Justification')
      .fill('The partner moves to TLS 1.3 in March; traffic is limited to their IP range.');
    await acceptances.getByLabel('Acceptance expires on').fill('2099-01-01');
    await acceptances.getByRole('button', { name: 'Request acceptance' }).click();
    await acceptances
      .getByText(/at most a year|no later than/i)
      .first()
      .waitFor();
    const inSixMonths = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
    await acceptances.getByLabel('Acceptance expires on').fill(inSixMonths);
    await acceptances.getByRole('button', { name: 'Request acceptance' }).click();
    await acceptances.getByText(`Pending — until ${inSixMonths}`).waitFor();
    expect(await acceptances.getByRole('button', { name: 'Approve acceptance' }).count()).toBe(0);
  });

  it('the executive approves it from the register', async () => {
    await ownerPage.getByRole('link', { name: 'Risks', exact: true }).click();
    await ownerPage.waitForURL('**/risks');
    await ownerPage.getByRole('button', { name: 'Approve the acceptance of R-001' }).click();
    // The approval records the register's checks and refreshes the program's controls first.
    await expect
      .poll(
        () => ownerPage.getByRole('button', { name: 'Approve the acceptance of R-001' }).count(),
        { timeout: 20_000 },
      )
      .toBe(0);
    await ownerPage.goto(riskUrl);
    await ownerPage.getByText('Accepted', { exact: true }).first().waitFor();
    const history = ownerPage.getByRole('region', { name: 'History' });
    await history.getByText('Acceptance approved').waitFor();
    await history.getByText(/status: open → accepted/).waitFor();
  });
});
