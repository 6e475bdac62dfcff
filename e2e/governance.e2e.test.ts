import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingModuleTemplates } from '../apps/server/src/modules/training/training-modules.ts';
import {
  createApiCaller,
  createArrangementToken,
  enrolPasskey,
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
let apiToken = '';
let api: ApiCaller;
let policyId = '';
let policyTitle = '';
const controlIds = new Map<string, string>();

const owner = {
  org: 'Careful Cloud Ltd',
  name: 'Carla Owner',
  email: 'carla@carefulcloud.test',
  password: 'granite-lantern-willow-63',
};
const admin = {
  name: 'Adam Admin',
  email: 'adam@carefulcloud.test',
  password: 'harbour-copper-meadow-29',
};
const employee = {
  name: 'Erin Employee',
  email: 'erin@carefulcloud.test',
  password: 'thistle-orbit-canvas-84',
};

const phishing = trainingModuleTemplates.find((m) => m.key === 'phishing_social_engineering');
if (!phishing) throw new Error('the phishing starter module exists');
const moduleTitle = phishing.title;

/** Add a link as evidence for an evidence task (covering today, so the task is done). */
async function addLinkEvidence(taskId: string, title: string): Promise<void> {
  const form = new FormData();
  form.append('title', title);
  form.append('url', 'https://wiki.carefulcloud.test/security/records');
  form.append('taskId', taskId);
  const response = await fetch(`${server.url}/api/v1/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}` },
    body: form,
  });
  if (!response.ok)
    throw new Error(`evidence answered ${response.status}: ${await response.text()}`);
}

async function controlStatus(ref: string): Promise<string> {
  const id = controlIds.get(ref) ?? '';
  const detail = await api<{ control: { status: string } }>('GET', `/api/v1/controls/${id}`);
  return detail.control.status;
}

/** Sign a person in with their password, enrolling a passkey when their role needs MFA. */
async function signIn(person: {
  email: string;
  password: string;
}): Promise<{ context: BrowserContext; page: Page }> {
  const { context: personContext, page: personPage } = await openPasskeyPage(browser);
  await signInWithPassword(personPage, server.url, person);
  // Roles that need a second factor are sent to enrol one first; the others reach the app.
  const enrol = personPage.getByLabel('Passkey name');
  const app = personPage.getByRole('link', { name: 'My tasks', exact: true });
  await enrol.or(app).first().waitFor({ timeout: 30_000 });
  if (await enrol.isVisible()) {
    await enrolPasskey(personPage, 'Laptop key');
    await app.waitFor({ timeout: 30_000 });
  }
  return { context: personContext, page: personPage };
}

async function openTraining(target: Page): Promise<void> {
  await target.getByRole('link', { name: 'Training', exact: true }).click();
  await target.waitForURL('**/training');
  await target.getByRole('heading', { level: 1, name: 'Training' }).waitFor();
}

async function openPolicies(target: Page): Promise<void> {
  await target.getByRole('link', { name: 'Policies', exact: true }).click();
  await target.waitForURL('**/policies');
  await target.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
}

beforeAll(async () => {
  ({ server, browser } = await startJourney());
  ({ page } = await openPasskeyPage(browser));
});

afterAll(() => stopJourney({ server, browser }));

describe('governance: a published policy and a training module, acknowledged and passed by an employee', () => {
  it('sets up the organisation; the owner enrols a passkey', async () => {
    await setUpOrganisation(page, server.url, owner);
  });

  it('arranges through the API: people, a policy in review, training, the other proofs', async () => {
    apiToken = await createArrangementToken(page, server.url);
    api = createApiCaller(server.url, apiToken);

    const adminUser = await api<{ id: string }>('POST', '/api/v1/users', {
      ...admin,
      role: 'admin',
    });
    await api('POST', '/api/v1/users', { ...employee, role: 'employee' });
    const controls = await api<{ items: { id: string; ref: string }[] }>(
      'GET',
      '/api/v1/controls?limit=500',
    );
    for (const c of controls.items) controlIds.set(c.ref, c.id);

    // The policy applies to employees, links GOV-01 and waits for the admin's approval.
    const policy = await api<{
      policy: { id: string; title: string };
      versions: { id: string }[];
    }>('POST', '/api/v1/policies', {
      templateKey: 'acceptable_use',
      approverIds: [adminUser.id],
      audience: 'roles',
      audienceValues: ['employee'],
      controlIds: [controlIds.get('GOV-01')],
    });
    policyId = policy.policy.id;
    policyTitle = policy.policy.title;
    await api('POST', `/api/v1/policy-versions/${policy.versions[0]?.id ?? ''}/submit`);

    // Awareness training for employees, and secure development training the admin completed
    // in the learning system (recorded through the API).
    const awareness = await api<{ module: { id: string; draft: { id: string } } }>(
      'POST',
      '/api/v1/training/modules',
      { templateKey: phishing.key, audience: 'roles', audienceValues: ['employee'] },
    );
    const published = await api<{ assigned: number }>(
      'POST',
      `/api/v1/training/versions/${awareness.module.draft.id}/publish`,
    );
    expect(published.assigned).toBe(1);
    const secure = await api<{ module: { id: string; draft: { id: string } } }>(
      'POST',
      '/api/v1/training/modules',
      {
        key: 'secure-coding',
        title: 'Secure coding for engineers',
        kind: 'external',
        category: 'secure_development',
        externalUrl: 'https://lms.carefulcloud.test/courses/secure-coding',
        body: 'Take the secure coding course in the learning system.',
        audience: 'roles',
        audienceValues: ['admin'],
      },
    );
    await api('POST', `/api/v1/training/versions/${secure.module.draft.id}/publish`);
    await api('POST', '/api/v1/training/completions', {
      completions: [
        {
          email: admin.email,
          moduleKey: 'secure-coding',
          completedAt: new Date().toISOString(),
          score: 91,
          externalRef: 'lms-cert-1',
        },
      ],
    });

    // The recurring evidence of both controls is current, so only the checks decide now: each
    // module's completion report is the evidence of its yearly campaign task.
    for (const id of [awareness.module.id, secure.module.id]) {
      const report = await api<{ taskKey: string | null }>(
        'POST',
        `/api/v1/training/modules/${id}/campaign-evidence`,
      );
      expect(report.taskKey).toMatch(/^training\./);
    }
    const tasks = await api<{ items: { id: string; title: string; control: { ref: string } }[] }>(
      'GET',
      '/api/v1/tasks',
    );
    for (const task of tasks.items) {
      if (task.control.ref === 'GOV-01') await addLinkEvidence(task.id, `${task.title}: record`);
    }
    // Nothing is published yet: the policy checks have no result, the training check fails.
    expect(await controlStatus('GOV-01')).not.toBe('passing');
    expect(await controlStatus('GOV-04')).toBe('failing');
  });

  it('shows no coverage yet on the training page', async () => {
    await page.reload();
    await openTraining(page);
    const all = page.getByRole('region', { name: 'Coverage: All training' });
    await all.getByText('50% completed').waitFor();
    const row = page.getByRole('row', { name: new RegExp(moduleTitle) });
    await row.getByText('0% (0/1)').waitFor();
  });

  it('an admin approves and publishes the policy version', async () => {
    const { context: adminContext, page: adminPage } = await signIn(admin);
    try {
      await openPolicies(adminPage);
      // The approval inbox lists the version waiting for this admin.
      await adminPage.getByText('Waiting for your approval').waitFor();
      await adminPage
        .getByRole('table')
        .getByRole('link', { name: policyTitle, exact: true })
        .click();
      await adminPage.waitForURL(`**/policies/${policyId}`);
      await adminPage.getByRole('button', { name: 'Approve', exact: true }).click();
      await adminPage.getByRole('button', { name: 'Publish', exact: true }).click();
      await adminPage.getByRole('tab', { name: 'v1 · published' }).waitFor();
      await adminPage.getByText('Acknowledged: 0% (0 of 1)').waitFor();
    } finally {
      await adminContext.close();
    }
  });

  it('the employee reads and acknowledges the policy, then passes the training quiz', async () => {
    const { context: employeeContext, page: employeePage } = await signIn(employee);
    try {
      await employeePage.getByRole('link', { name: 'My tasks', exact: true }).click();
      await employeePage.waitForURL('**/my-tasks');
      await employeePage.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();

      const policyCard = employeePage.locator('.mantine-Card-root', { hasText: policyTitle });
      await policyCard.getByRole('button', { name: 'Read' }).click();
      await policyCard
        .getByRole('heading', { name: /acceptable use/i })
        .first()
        .waitFor();
      await policyCard
        .getByRole('button', { name: 'I have read and will follow this policy' })
        .click();
      await employeePage.getByText('Nothing to do: you have acknowledged every policy').waitFor();

      await employeePage.getByRole('button', { name: `Take training: ${moduleTitle}` }).click();
      const quiz = employeePage.getByRole('form', { name: `Quiz: ${moduleTitle}` });
      await quiz.waitFor();
      for (const [index, question] of phishing.quiz.questions.entries()) {
        const group = quiz.getByRole('group', { name: `${String(index + 1)}. ${question.text}` });
        for (const key of question.correctChoiceKeys) {
          const choice = question.choices.find((c) => c.key === key);
          await group.getByLabel(choice?.text ?? '', { exact: true }).check();
        }
      }
      await quiz.getByRole('button', { name: 'Submit answers' }).click();
      await employeePage.getByText('Passed with 100%').waitFor();
      await employeePage.getByRole('button', { name: `Close: ${moduleTitle}` }).click();
      await employeePage
        .getByText('Nothing to do: your security training is up to date.')
        .waitFor();
      await employeePage
        .getByText(/Phishing and social engineering — \d{4}-\d{2}-\d{2} \(score 100%\)/)
        .waitFor();
    } finally {
      await employeeContext.close();
    }
  });

  it('coverage rises on the training and policy pages', async () => {
    await openTraining(page);
    const all = page.getByRole('region', { name: 'Coverage: All training' });
    await expect
      .poll(
        async () => {
          await page.reload();
          await all.waitFor();
          return all.getByText('100% completed').count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    const row = page.getByRole('row', { name: new RegExp(moduleTitle) });
    await row.getByText('100% (1/1)').waitFor();

    await openPolicies(page);
    const policyRow = page.getByRole('row', { name: new RegExp(policyTitle) });
    await policyRow.getByText('100% (1/1)').waitFor();
  });

  it('the linked controls turn passing', async () => {
    for (const ref of ['GOV-01', 'GOV-04']) {
      await page.goto(`${server.url}/controls/${controlIds.get(ref) ?? ''}`);
      await page.getByRole('heading', { level: 1, name: new RegExp(ref) }).waitFor();
      const status = page.getByRole('region', { name: 'Status', exact: true });
      await status.getByText('Passing', { exact: true }).waitFor();
    }
    expect(await controlStatus('GOV-01')).toBe('passing');
    expect(await controlStatus('GOV-04')).toBe('passing');
  });
});
