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
let api: ApiCaller;
let controlId = '';
let promiseRef = '';
let percentBefore = 0;

const owner = {
  org: 'Kept Promises Ltd',
  name: 'Kim Owner',
  email: 'kim@keptpromises.test',
  password: 'saffron-ladder-ocean-42',
};
const control = { ref: 'JRN-1', title: 'Quarterly review of production access' };

function dayOffset(days: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function readPercent(text: string | null): number {
  const match = /^(\d+(?:\.\d+)?)%$/.exec((text ?? '').trim());
  if (!match?.[1]) throw new Error(`"${text ?? ''}" is not a percentage`);
  return Number(match[1]);
}

async function overallPercent(): Promise<number> {
  const overall = page.getByRole('region', { name: 'Overall readiness' });
  const value = overall.getByText(/^\d+(\.\d+)?%$/);
  await value.waitFor();
  return readPercent(await value.textContent());
}

beforeAll(async () => {
  ({ server, browser } = await startJourney());
  // The owner's second factor is a passkey on Chromium's virtual authenticator.
  ({ page } = await openPasskeyPage(browser));
});

afterAll(() => stopJourney({ server, browser }));

describe('program: a failing control is proved with evidence and its promise is kept', () => {
  it('sets up the organisation; the owner enrols a passkey and lands on the dashboard', async () => {
    await setUpOrganisation(page, server.url, owner);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  });

  it('arranges through the API: a control whose evidence task is long overdue, mapped to a promise', async () => {
    // A token of the signed-in owner, created with the browser's session (and its CSRF token).
    api = createApiCaller(server.url, await createArrangementToken(page, server.url));

    const me = await api<{ user: { id: string } }>('GET', '/api/v1/me');
    const newControl = await api<{ id: string }>('POST', '/api/v1/controls', {
      ...control,
      description:
        'Every quarter the owner reviews who can reach production and removes stale access.',
      ownerId: me.user.id,
      section: 5,
      implementationStatus: 'implemented',
    });
    controlId = newControl.id;
    await api('POST', '/api/v1/tasks', {
      controlId,
      title: 'Review production access',
      cadenceMonths: 3,
      graceDays: 7,
      nextDueOn: dayOffset(-60),
    });
    const detail = await api<{ control: { status: string } }>(
      'GET',
      `/api/v1/controls/${controlId}`,
    );
    expect(detail.control.status).toBe('failing');

    const annexes = await api<{ items: { id: string; isDefault: boolean }[] }>(
      'GET',
      '/api/v1/annexes',
    );
    const defaultAnnex = annexes.items.find((annex) => annex.isDefault);
    if (!defaultAnnex) throw new Error('a new organisation has the default annex');
    const annex = await api<{ promises: { id: string; ref: string }[] }>(
      'GET',
      `/api/v1/annexes/${defaultAnnex.id}`,
    );
    const promise = annex.promises[0];
    if (!promise) throw new Error('the default annex has promises');
    promiseRef = promise.ref;
    const mapped = await api<{ status: string }>('PUT', `/api/v1/promises/${promise.id}/controls`, {
      controlIds: [controlId],
    });
    expect(mapped.status).toBe('broken');
  });

  it('signs out and signs in again with the passkey; the dashboard shows the failing control', async () => {
    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in**');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    percentBefore = await overallPercent();
    const attention = page.getByRole('region', { name: 'Needs attention' });
    await attention.getByRole('link', { name: new RegExp(control.ref) }).waitFor();
  });

  it('opens the failing control from "needs attention" and sees why it fails', async () => {
    const attention = page.getByRole('region', { name: 'Needs attention' });
    await attention.getByRole('link', { name: new RegExp(control.ref) }).click();
    await page.waitForURL(`**/controls/${controlId}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(control.title) }).waitFor();
    const status = page.getByRole('region', { name: 'Status', exact: true });
    await status.getByText('Failing', { exact: true }).waitFor();
    const tasks = page.getByRole('region', { name: 'Evidence tasks' });
    await tasks.getByText('Overdue', { exact: true }).waitFor();
  });

  it('uploads evidence covering today and the control turns passing', async () => {
    await page.getByRole('button', { name: 'Add evidence' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add evidence' });
    await dialog.getByLabel('File', { exact: true }).setInputFiles({
      name: 'production-access-review.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        `Production access reviewed on ${dayOffset(0)}; 2 stale accounts removed.\n`,
      ),
    });
    expect(await dialog.getByLabel('Title', { exact: true }).inputValue()).toBe(
      'production access review',
    );
    await dialog.getByLabel('Title', { exact: true }).fill('Production access review');
    await dialog.getByRole('button', { name: 'Add evidence' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const status = page.getByRole('region', { name: 'Status', exact: true });
    await status.getByText('Passing', { exact: true }).waitFor();
    const evidence = page.getByRole('region', { name: 'Evidence', exact: true });
    await evidence.getByRole('link', { name: 'Production access review' }).waitFor();
    await evidence.getByText('Covers today').waitFor();
  });

  it('shows a higher readiness on the dashboard', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(`${server.url}/`);
    await expect.poll(overallPercent, { timeout: 15_000 }).toBeGreaterThan(percentBefore);
    const attention = page.getByRole('region', { name: 'Needs attention' });
    await expect
      .poll(() => attention.getByRole('link', { name: new RegExp(control.ref) }).count(), {
        timeout: 15_000,
      })
      .toBe(0);
  });

  it('opens the promise mapped to the control and sees it kept', async () => {
    await page.getByRole('link', { name: 'Controls', exact: true }).click();
    await page.getByLabel('Search').fill(control.ref);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const table = page.getByRole('table');
    await expect.poll(() => table.getByRole('link').count(), { timeout: 15_000 }).toBe(1);
    await table.getByRole('link', { name: new RegExp(control.ref) }).click();
    await page.waitForURL(`**/controls/${controlId}`);
    const promises = page.getByRole('region', { name: 'Promises', exact: true });
    await promises.getByRole('link', { name: `Promise ${promiseRef}` }).click();
    await page.waitForURL('**/promises/**');
    const promise = page.getByRole('article', { name: `Promise ${promiseRef}`, exact: true });
    await promise.getByText('Kept', { exact: true }).waitFor();
    await promise.getByRole('link', { name: new RegExp(control.ref) }).waitFor();
    // The evidence behind the promise: the upload that made its control pass.
    await promise.getByRole('link', { name: 'Production access review' }).waitFor();
  });
});
