import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectAsSuperuser,
  createApiCaller,
  createArrangementToken,
  openPasskeyPage,
  setUpOrganisation,
  signInAndEnrolPasskey,
  startJourney,
  stopJourney,
  type ApiCaller,
} from './journey.ts';
import type { StewardProcess } from './support.ts';

let server: StewardProcess;
let browser: Browser;
let page: Page;
let reportPath = '';
let api: ApiCaller;
let findingTitle = '';

const owner = {
  org: 'Patched Daily Ltd',
  name: 'Olga Owner',
  email: 'olga@patcheddaily.test',
  password: 'cobalt-harbour-violet-58',
};
const approver = {
  name: 'Avi Approver',
  email: 'avi@patcheddaily.test',
  password: 'meadow-signal-copper-71',
};
const assetName = 'payments-api';
const criticalCve = 'CVE-2021-44906';

// A small Trivy (schema 2) report: one critical and one high vulnerability in npm packages.
const trivyReport = {
  SchemaVersion: 2,
  ArtifactName: 'registry.example/payments-api:1.4.0',
  ArtifactType: 'container_image',
  Results: [
    {
      Target: 'app/package-lock.json',
      Class: 'lang-pkgs',
      Type: 'npm',
      Vulnerabilities: [
        {
          VulnerabilityID: criticalCve,
          PkgName: 'minimist',
          InstalledVersion: '1.2.5',
          FixedVersion: '1.2.6',
          Severity: 'CRITICAL',
          Title: 'minimist: prototype pollution',
          Description: 'Minimist before 1.2.6 is vulnerable to prototype pollution.',
        },
        {
          VulnerabilityID: 'CVE-2022-25881',
          PkgName: 'http-cache-semantics',
          InstalledVersion: '4.1.0',
          FixedVersion: '4.1.1',
          Severity: 'HIGH',
          Title: 'http-cache-semantics: regular expression denial of service',
        },
      ],
    },
  ],
};

/** The big number of a dashboard card. */
async function cardNumber(name: string): Promise<number> {
  const card = page.getByRole('region', { name, exact: true });
  const value = card.getByText(/^\d+$/);
  await value.waitFor();
  return Number(await value.textContent());
}

async function openDashboard(): Promise<void> {
  await page.getByRole('link', { name: 'Vulnerabilities', exact: true }).click();
  await page.waitForURL('**/vulnerabilities');
  await page.getByRole('heading', { level: 1, name: 'Vulnerabilities' }).waitFor();
}

async function showBreachedCriticals(): Promise<void> {
  await page.getByRole('link', { name: 'Findings', exact: true }).click();
  await page.waitForURL('**/findings**');
  await page.getByLabel('Severity').selectOption({ value: 'critical' });
  await page.getByLabel('SLA').selectOption({ value: 'breached' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/sla=breached/);
}

/** Run SQL as the superuser of the embedded cluster, on Steward's own database. */
async function runSql(text: string, values: unknown[]): Promise<number> {
  const client = await connectAsSuperuser(server, 'steward');
  try {
    return (await client.query(text, values)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  ({ server, browser } = await startJourney(async (dir) => {
    reportPath = path.join(dir, 'trivy-payments-api.json');
    await writeFile(reportPath, JSON.stringify(trivyReport));
  }));
  ({ page } = await openPasskeyPage(browser));
});

afterAll(() => stopJourney({ server, browser }));

describe('vulnerabilities: an imported critical finding is risk-accepted by a second person', () => {
  it('sets up the organisation; the owner enrols a passkey', async () => {
    await setUpOrganisation(page, server.url, owner);
  });

  it('arranges through the API: an approver', async () => {
    api = createApiCaller(server.url, await createArrangementToken(page, server.url));
    await api('POST', '/api/v1/users', {
      ...approver,
      role: 'security_manager',
    });
  });

  it('imports a Trivy report from the UI and sees the summary', async () => {
    await page.getByRole('link', { name: 'Import a scan', exact: true }).click();
    await page.waitForURL('**/scans/import');
    await page.getByLabel('Report file').setInputFiles(reportPath);
    await page.getByRole('combobox', { name: 'Asset' }).fill(assetName);
    await page.getByRole('button', { name: 'Import report' }).click();
    const summary = page.getByRole('region', { name: 'Import summary' });
    await summary.waitFor({ timeout: 30_000 });
    await summary.getByLabel('Format: trivy').waitFor();
    await summary.getByLabel('Results: 2').waitFor();
    await summary.getByLabel('Findings: 2').waitFor();
    await summary.getByLabel('Created: 2').waitFor();
    await summary.getByLabel('Closed: 0').waitFor();
    await summary.getByText('(a new asset)').waitFor();
  });

  it('eight days later the critical finding is past its 7-day deadline', async () => {
    // Nothing can date a finding in the past through the API: its SLA clock is moved back in the
    // database, as if it had been first seen eight days ago.
    const moved = await runSql(
      `UPDATE findings
          SET sla_started_at = now() - interval '8 days',
              due_at = now() - interval '1 day'
        WHERE package_name = $1 AND state = 'open'`,
      ['minimist'],
    );
    expect(moved).toBe(1);
  });

  it('shows two open findings, one SLA breach and no pending acceptance on the dashboard', async () => {
    await openDashboard();
    await expect.poll(() => cardNumber('Open findings')).toBe(2);
    await expect.poll(() => cardNumber('SLA breaches')).toBe(1);
    expect(await cardNumber('Risk acceptances')).toBe(0);
  });

  it('opens the critical finding, in breach, from the filtered list', async () => {
    await showBreachedCriticals();
    const table = page.getByRole('table');
    await expect.poll(() => table.getByRole('link', { name: /minimist/ }).count()).toBe(1);
    await table.getByRole('link', { name: /minimist/ }).click();
    await page.waitForURL(/\/findings\/[0-9a-f-]+$/);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor();
    findingTitle = (await heading.textContent()) ?? '';
    expect(findingTitle).toMatch(/minimist/);
    await page.getByText('Critical', { exact: true }).first().waitFor();
    await page.getByText('SLA breached', { exact: true }).first().waitFor();
    await page.getByText(criticalCve).first().waitFor();
  });

  it('requests a risk acceptance, which its requester cannot approve', async () => {
    await page.getByRole('button', { name: 'Request risk acceptance' }).click();
    const dialog = page.getByRole('dialog', { name: 'Request risk acceptance' });
    await dialog
      .getByLabel('Justification')
      .fill('The API never parses untrusted arguments with minimist; upgrade planned in Q3.');
    await dialog.getByRole('button', { name: 'Request acceptance' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const acceptances = page.getByRole('region', { name: 'Risk acceptances' });
    await acceptances.getByText('Pending', { exact: true }).waitFor();
    await openDashboard();
    await expect.poll(() => cardNumber('Risk acceptances')).toBe(1);

    await page.getByRole('link', { name: 'Risk acceptances', exact: true }).click();
    await page.waitForURL('**/risk-acceptances');
    const row = page.getByRole('row', { name: /minimist/ });
    await row.getByText('Your request: someone else decides').waitFor();
    expect(await row.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
  });

  it('a second person with findings.accept_risk signs in and approves it', async () => {
    const { context: approverContext, page: approverPage } = await openPasskeyPage(browser);
    try {
      // Security managers need a second factor: the policy sends them to enrol one first.
      await signInAndEnrolPasskey(approverPage, server.url, approver, 'Approver key');

      await approverPage.getByRole('link', { name: 'Risk acceptances', exact: true }).click();
      await approverPage.waitForURL('**/risk-acceptances');
      await approverPage.getByRole('button', { name: `Approve: ${findingTitle}` }).click();
      const dialog = approverPage.getByRole('dialog', { name: 'Approve risk acceptance' });
      await dialog.getByLabel('Note').fill('Accepted until the Q3 upgrade.');
      await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => approverPage.getByRole('row', { name: /minimist/ }).count()).toBe(0);
    } finally {
      await approverContext.close();
    }
  });

  it('the finding is risk accepted and leaves the breach list', async () => {
    await showBreachedCriticals();
    await page.getByText('No finding matches these filters.').waitFor();

    await page.getByLabel('SLA').selectOption({ value: '' });
    await page.getByLabel('State').selectOption({ value: 'risk_accepted' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/state=risk_accepted/);
    const table = page.getByRole('table');
    await table.getByRole('link', { name: findingTitle }).click();
    await page.waitForURL(/\/findings\/[0-9a-f-]+$/);
    await page.getByRole('heading', { level: 1, name: findingTitle }).waitFor();
    await page.getByText('Risk accepted', { exact: true }).first().waitFor();
    const acceptances = page.getByRole('region', { name: 'Risk acceptances' });
    await acceptances.getByText('Approved', { exact: true }).waitFor();
    await acceptances.getByText(/Avi Approver/).waitFor();
  });

  it('the dashboard counts one open finding, no breach and no pending acceptance', async () => {
    await openDashboard();
    await expect.poll(() => cardNumber('Open findings'), { timeout: 15_000 }).toBe(1);
    expect(await cardNumber('Risk acceptances')).toBe(0);
    expect(await cardNumber('SLA breaches')).toBe(0);
  });
});
