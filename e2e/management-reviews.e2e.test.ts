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
let csrfToken = '';

const owner = {
  org: 'Steady Oversight Ltd',
  name: 'Cora Chief',
  email: 'cora@steadyoversight.test',
  password: 'granite-willow-beacon-37',
};
const manager = {
  name: 'Sami Security',
  email: 'sami@steadyoversight.test',
  password: 'harbor-quill-saffron-82',
};

beforeAll(async () => {
  ({ server, browser } = await startJourney());
  ({ page: ownerPage } = await openPasskeyPage(browser));
  ({ page: managerPage } = await openPasskeyPage(browser));
});

afterAll(() => stopJourney({ server, browser }));

describe('management review held, screening recorded by HR', () => {
  it('sets up the organisation, a security manager and two people', async () => {
    await setUpOrganisation(ownerPage, server.url, owner);
    csrfToken = await readCsrfToken(ownerPage, server.url);
    const created = await ownerPage.request.post(`${server.url}/api/v1/users`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { ...manager, role: 'security_manager' },
    });
    expect(created.status()).toBe(201);
    for (const person of [
      { displayName: 'Noor Engineer', department: 'Engineering', title: 'SRE' },
      { displayName: 'Lars Engineer', department: 'Engineering', title: 'Backend engineer' },
    ]) {
      const res = await ownerPage.request.post(`${server.url}/api/v1/people`, {
        headers: { 'x-csrf-token': csrfToken },
        data: person,
      });
      expect(res.status()).toBe(201);
    }
  });

  it('the security manager creates, writes and holds a management review', async () => {
    await signInAndEnrolPasskey(managerPage, server.url, manager, 'Manager key');

    // HR's screening page is not theirs.
    await managerPage.getByRole('link', { name: 'Management reviews' }).waitFor();
    expect(
      await managerPage
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Screening', exact: true })
        .count(),
    ).toBe(0);

    await managerPage.getByRole('link', { name: 'Management reviews' }).click();
    await managerPage.waitForURL('**/management-reviews');
    await managerPage.getByRole('button', { name: 'New review' }).click();
    const dialog = managerPage.getByRole('dialog', { name: 'New management review' });
    await dialog.getByLabel('Title').fill('Q4 leadership security review');
    await dialog.getByLabel('Other attendees').fill('Cora Chief');
    await dialog.getByLabel('Other attendees').press('Enter');
    await dialog.getByRole('button', { name: 'Create draft' }).click();
    await managerPage.waitForURL(/\/management-reviews\/[0-9a-f-]+$/);
    await managerPage
      .getByRole('heading', { level: 1, name: 'Q4 leadership security review' })
      .waitFor();
    await managerPage.getByText(/No incident register/).waitFor();

    // Holding without minutes is refused, and the reason is shown.
    await managerPage.getByRole('button', { name: 'Record as held' }).click();
    const confirm = managerPage.getByRole('dialog', { name: 'Record this review as held?' });
    await confirm.getByRole('button', { name: 'Record as held' }).click();
    await confirm.getByText('Write the minutes before holding the review').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();

    await managerPage
      .getByLabel('Minutes (Markdown)')
      .fill(
        '## Discussion\n\nReadiness reviewed section by section. <script>window.hijacked = true</script>\n\n[details](javascript:alert(1))',
      );
    await managerPage.getByLabel('Decisions').fill('Fund a second security engineer');
    await managerPage.getByRole('button', { name: 'Save draft' }).click();
    await managerPage.getByText('Draft saved').waitFor();
    await managerPage.getByLabel('Action item').fill('Open the security engineer role');
    await managerPage.getByRole('combobox', { name: 'Owner' }).click();
    await managerPage.getByRole('option', { name: manager.name }).click();
    await managerPage.getByLabel('Due date').fill('2027-01-31');
    await managerPage.getByRole('button', { name: 'Add action' }).click();
    await managerPage.getByRole('row', { name: /Open the security engineer role/ }).waitFor();

    await managerPage.getByRole('button', { name: 'Record as held' }).click();
    await confirm.getByRole('button', { name: 'Record as held' }).click();
    await managerPage.getByText('Review recorded as held').waitFor();
    await managerPage.getByRole('heading', { name: 'Notes after the meeting' }).waitFor();
    await managerPage.getByRole('link', { name: 'Evidence record' }).waitFor();
    // The minutes render as text: no script ran and the javascript: link is not a link.
    await managerPage.getByText(/<script>window.hijacked = true<\/script>/).waitFor();
    expect(await managerPage.evaluate(() => 'hijacked' in globalThis)).toBe(false);
    expect(await managerPage.locator('a[href^="javascript:"]').count()).toBe(0);

    // The action's owner finds it among their tasks, and the review it came from.
    await managerPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'My tasks', exact: true })
      .click();
    await managerPage.waitForURL('**/my-tasks');
    const actions = managerPage.getByRole('region', { name: 'Management review actions' });
    await actions.getByRole('article', { name: 'Open the security engineer role' }).waitFor();
    await actions.getByRole('link', { name: 'Q4 leadership security review' }).click();
    await managerPage.waitForURL(/\/management-reviews\/[0-9a-f-]+$/);
    await managerPage
      .getByRole('combobox', { name: 'Status of Open the security engineer role' })
      .click();
    await managerPage.getByRole('option', { name: 'Done' }).click();
    await managerPage.getByLabel('Add a note').fill('Correction: the role opens in February.');
    await managerPage.getByRole('button', { name: 'Add note' }).click();
    await managerPage.getByText('Correction: the role opens in February.').waitFor();
  });

  it('the owner records screening; coverage reaches 100%', async () => {
    await ownerPage.goto(`${server.url}/`);
    await ownerPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Screening', exact: true })
      .click();
    await ownerPage.waitForURL('**/screening');
    await ownerPage.getByText(/never the report itself/).waitFor();
    expect(await ownerPage.locator('input[type="file"]').count()).toBe(0);

    await ownerPage.getByRole('button', { name: 'Add a role rule' }).click();
    await ownerPage.getByLabel('Department').fill('Engineering');
    await ownerPage.getByRole('button', { name: 'Add a country' }).click();
    await ownerPage.getByRole('textbox', { name: 'Country' }).fill('DE');
    await ownerPage.getByRole('button', { name: 'Save rules' }).click();
    // The legal reason is required, and the error sits next to its input.
    await ownerPage.getByText('Give the legal reason', { exact: true }).waitFor();
    await ownerPage
      .getByLabel('Legal reason')
      .fill('Works council agreement limits checks to identity and right to work');
    await ownerPage.getByRole('button', { name: 'Save rules' }).click();
    await ownerPage.getByText('Screening rules saved').waitFor();

    await ownerPage.getByRole('button', { name: 'Record screening of Lars Engineer' }).click();
    let dialog = ownerPage.getByRole('dialog', { name: 'Screening of Lars Engineer' });
    await dialog.getByLabel('Country of work').fill('DE');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await ownerPage.getByRole('row', { name: /Lars Engineer.*Not permitted/ }).waitFor();

    await ownerPage.getByRole('button', { name: 'Record screening of Noor Engineer' }).click();
    dialog = ownerPage.getByRole('dialog', { name: 'Screening of Noor Engineer' });
    await dialog.getByRole('combobox', { name: 'Status' }).click();
    await ownerPage.getByRole('option', { name: 'Cleared' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Give the date the screening was completed', { exact: true }).waitFor();
    await dialog.getByLabel('Completed on').fill('2026-11-02');
    await dialog.getByLabel('Provider').fill('Checkr');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await ownerPage.getByText('100%').waitFor();
  });
});
