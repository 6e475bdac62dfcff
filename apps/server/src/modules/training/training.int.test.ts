import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  seedOrg,
  seedUser,
  injectAs,
  statusAs,
  type SeededUser,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { controlStatusOf, latestCheckOf } from '../../../test/record-queries.ts';
import { seedCheck, seedControl, seedTask } from '../../../test/program-factories.ts';
import { addDays, todayUtc } from '../controls/index.ts';
import { trainingModuleTemplates } from './index.ts';

interface Version {
  id: string;
  number: number;
  status: string;
  hasQuiz: boolean;
  questions: number;
}

interface Coverage {
  audience: number;
  completed: number;
  overdue: number;
  percent: number;
}

interface ModuleDetail {
  module: {
    id: string;
    key: string;
    title: string;
    kind: string;
    category: string;
    published: Version | null;
    draft: Version | null;
    coverage: Coverage;
  };
  versions: Version[];
}

interface MyTraining {
  assignmentId: string;
  moduleId: string;
  title: string;
  dueOn: string;
  completedAt: string | null;
  score: number | null;
  attempts: number;
  hasQuiz: boolean;
}

interface Problem {
  code: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
let orgA: string;
let orgB: string;
let admin: SeededUser;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee1: SeededUser;
let employee2: SeededUser;
let adminB: SeededUser;
let employeeB: SeededUser;
let controlId: string;
let devControlId: string;

const phishing = trainingModuleTemplates.find((m) => m.key === 'phishing_social_engineering');
if (!phishing) throw new Error('no phishing template');

/** The right answers of the phishing quiz, as the author knows them. */
function rightAnswers(): Record<string, string[]> {
  return Object.fromEntries(
    phishing?.quiz.questions.map((q) => [q.key, q.correctChoiceKeys]) ?? [],
  );
}

function wrongAnswers(): Record<string, string[]> {
  return Object.fromEntries(
    phishing?.quiz.questions.map((q) => [
      q.key,
      [q.choices.find((c) => !q.correctChoiceKeys.includes(c.key))?.key ?? 'x'],
    ]) ?? [],
  );
}

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Acme Cloud');
  orgB = await seedOrg(t);
  admin = await seedUser(t, orgA, 'admin');
  manager = await seedUser(t, orgA, 'security_manager');
  contributor = await seedUser(t, orgA, 'contributor');
  auditor = await seedUser(t, orgA, 'auditor');
  employee1 = await seedUser(t, orgA, 'employee');
  employee2 = await seedUser(t, orgA, 'employee');
  adminB = await seedUser(t, orgB, 'admin');
  employeeB = await seedUser(t, orgB, 'employee');
  controlId = await seedControl(t, orgA, { ref: 'GOV-04', title: 'Security awareness training' });
  devControlId = await seedControl(t, orgA, { ref: 'SDLC-T', title: 'Secure development' });
  await seedCheck(t, orgA, 'training.completion', [controlId]);
  await seedCheck(t, orgA, 'training.secure_development_completion', [devControlId]);
});

afterAll(async () => {
  await t.close();
});

async function call(
  user: SeededUser,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
) {
  return injectAs(t, user, method, url, payload);
}

function multipart(
  fields: Record<string, string>,
  file: { name: string; type: string; content: string | Buffer },
) {
  const boundary = `----steward-test-${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    typeof file.content === 'string' ? Buffer.from(file.content) : file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function auditRows(orgId: string, action: string) {
  return t.pools.owner
    .selectFrom('audit_events')
    .select(['target_id', 'changes'])
    .where('org_id', '=', orgId)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

async function myTraining(user: SeededUser): Promise<MyTraining[]> {
  const res = await call(user, 'GET', '/api/v1/me/training');
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: MyTraining[] }>().items;
}

let phishingModule: ModuleDetail;

describe('templates and authoring', () => {
  it('lists the starter modules to program readers, not to employees', async () => {
    const res = await call(auditor, 'GET', '/api/v1/training/templates');
    expect(res.statusCode).toBe(200);
    const keys = res
      .json<{ items: { key: string; questions: number }[] }>()
      .items.map((i) => i.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'phishing_social_engineering',
        'handling_customer_data',
        'reporting_security_incident',
      ]),
    );
    expect(await statusAs(t, employee1, 'GET', '/api/v1/training/templates')).toBe(403);
  });

  it('creates a module from a template with its quiz, with the company name filled in', async () => {
    const res = await call(manager, 'POST', '/api/v1/training/modules', {
      templateKey: 'phishing_social_engineering',
      audience: 'roles',
      audienceValues: ['employee'],
    });
    expect(res.statusCode, res.body).toBe(201);
    phishingModule = res.json<ModuleDetail>();
    expect(phishingModule.module.key).toBe('phishing-social-engineering');
    expect(phishingModule.module.published).toBeNull();
    expect(phishingModule.module.draft?.questions).toBe(phishing.quiz.questions.length);
    const version = await call(
      manager,
      'GET',
      `/api/v1/training/versions/${phishingModule.versions[0]?.id ?? ''}`,
    );
    const body = version.json<{ body: string; quiz: { questions: unknown[] } }>();
    expect(body.body).toContain('Acme Cloud');
    expect(body.body).not.toContain('{{company}}');
    expect((await auditRows(orgA, 'training.module_created')).length).toBe(1);
  });

  it('refuses authoring without training.manage, a taken key and a bad audience', async () => {
    const forbidden = await call(contributor, 'POST', '/api/v1/training/modules', {
      key: 'x',
      title: 'X',
    });
    expect(forbidden.statusCode).toBe(403);
    const taken = await call(manager, 'POST', '/api/v1/training/modules', {
      templateKey: 'phishing_social_engineering',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<Problem>().code).toBe('training.key_taken');
    const badRole = await call(manager, 'POST', '/api/v1/training/modules', {
      key: 'bad-role',
      title: 'Bad',
      audience: 'roles',
      audienceValues: ['wizard'],
    });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json<Problem>().errors?.[0]?.path).toBe('audienceValues.0');
  });

  it('refuses a quiz with a question without a correct answer, naming the question', async () => {
    const quiz = {
      passPercent: 50,
      questions: [
        {
          key: 'q1',
          text: 'Where do you report a lost laptop?',
          choices: [
            { key: 'a', text: 'Security channel' },
            { key: 'b', text: 'Nowhere' },
          ],
          correctChoiceKeys: ['a'],
        },
        {
          key: 'q2',
          text: 'Which password is strongest?',
          choices: [
            { key: 'a', text: 'Summer2024' },
            { key: 'b', text: 'password1' },
          ],
          correctChoiceKeys: [],
        },
      ],
    };
    const res = await call(manager, 'POST', '/api/v1/training/modules', {
      key: 'no-answer',
      title: 'No answer',
      body: '# No answer',
      quiz,
    });
    expect(res.statusCode, res.body).toBe(400);
    const problem = res.json<Problem>();
    expect(problem.code).toBe('training.quiz_invalid');
    expect(problem.detail).toContain('Question 2');
    expect(problem.detail).toContain('Which password is strongest?');
    expect(problem.errors?.[0]?.path).toBe('quiz.questions.1.correctChoiceKeys');
    const rows = await t.pools.owner
      .selectFrom('training_modules')
      .select('id')
      .where('key', '=', 'no-answer')
      .execute();
    expect(rows).toHaveLength(0);
    const draftId = phishingModule.module.draft?.id ?? '';
    const edit = await call(manager, 'PATCH', `/api/v1/training/versions/${draftId}`, { quiz });
    expect(edit.statusCode).toBe(400);
    expect(edit.json<Problem>().code).toBe('training.quiz_invalid');
  });

  it('keeps answers from people without training.manage', async () => {
    const draftId = phishingModule.module.draft?.id ?? '';
    expect(await statusAs(t, auditor, 'GET', `/api/v1/training/versions/${draftId}`)).toBe(403);
    const detail = await call(
      auditor,
      'GET',
      `/api/v1/training/modules/${phishingModule.module.id}`,
    );
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain('correctChoiceKeys');
  });

  it('edits the draft, then publishes it: the audience is assigned and the check fails', async () => {
    const draftId = phishingModule.module.draft?.id ?? '';
    const edit = await call(manager, 'PATCH', `/api/v1/training/versions/${draftId}`, {
      changeSummary: 'First rollout',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const published = await call(manager, 'POST', `/api/v1/training/versions/${draftId}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    // The employees of org A (roles audience), not the others.
    expect(published.json<{ assigned: number }>().assigned).toBe(2);
    const again = await call(manager, 'POST', `/api/v1/training/versions/${draftId}/publish`);
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().code).toBe('training.version_state');
    const editPublished = await call(manager, 'PATCH', `/api/v1/training/versions/${draftId}`, {
      body: 'changed',
    });
    expect(editPublished.statusCode).toBe(409);
    const check = await latestCheckOf(t, orgA, 'training.completion');
    expect(check.latest_status).toBe('fail');
    expect(check.latest_summary).toMatch(/2 people have not completed awareness training/);
    expect(await controlStatusOf(t, controlId)).toBe('failing');
    const dev = await latestCheckOf(t, orgA, 'training.secure_development_completion');
    expect(dev.latest_status).toBe('fail');
    expect(dev.latest_summary).toBe('No secure development training module is published');
  });

  it('a published version cannot be changed in the database either', async () => {
    const id = phishingModule.module.draft?.id ?? '';
    await expect(
      sql`UPDATE training_module_versions SET body = 'x' WHERE id = ${id}::uuid`.execute(
        t.pools.owner,
      ),
    ).rejects.toThrow(/immutable/);
  });
});

describe('my training', () => {
  it('lists the assignment for the employee, and nothing for others', async () => {
    const mine = await myTraining(employee1);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.title).toBe('Phishing and social engineering');
    expect(mine[0]?.hasQuiz).toBe(true);
    expect(mine[0]?.dueOn).toBe(addDays(todayUtc(), 30));
    expect(await myTraining(admin)).toHaveLength(0);
    expect(await myTraining(employeeB)).toHaveLength(0);
  });

  it('sends the lesson and quiz without the answers', async () => {
    const [assignment] = await myTraining(employee1);
    const res = await call(
      employee1,
      'GET',
      `/api/v1/me/training/${assignment?.assignmentId ?? ''}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain('correctChoiceKeys');
    expect(res.body).not.toContain('explanation');
    for (const q of phishing.quiz.questions)
      expect(res.body).not.toContain(q.explanation.slice(0, 40));
    const detail = res.json<{
      quiz: { questions: { key: string; isMultiple: boolean }[] };
      body: string;
    }>();
    expect(detail.quiz.questions).toHaveLength(phishing.quiz.questions.length);
    expect(detail.body).toContain('# Phishing and social engineering');
  });

  it('refuses another person’s assignment, across people and organisations', async () => {
    const [assignment] = await myTraining(employee1);
    const id = assignment?.assignmentId ?? '';
    for (const other of [employee2, employeeB, adminB]) {
      const res = await call(other, 'GET', `/api/v1/me/training/${id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json<Problem>().code).toBe('training.assignment_not_found');
      const attempt = await call(other, 'POST', `/api/v1/me/training/${id}/attempts`, {
        answers: rightAnswers(),
      });
      expect(attempt.statusCode).toBe(404);
    }
    const list = await call(adminB, 'GET', '/api/v1/training/modules');
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(0);
    expect(
      (await call(adminB, 'GET', `/api/v1/training/modules/${phishingModule.module.id}`))
        .statusCode,
    ).toBe(404);
  });

  it('grades a failed attempt on the server without telling which answers were right', async () => {
    const [assignment] = await myTraining(employee1);
    const res = await call(
      employee1,
      'POST',
      `/api/v1/me/training/${assignment?.assignmentId ?? ''}/attempts`,
      {
        answers: wrongAnswers(),
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<{ score: number; isPassed: boolean; review: unknown[] }>();
    expect(result.isPassed).toBe(false);
    expect(result.score).toBe(0);
    expect(result.review).toEqual([]);
    expect(res.body).not.toContain('correctChoiceKeys');
    const attempts = await t.pools.owner
      .selectFrom('training_attempts')
      .selectAll()
      .where('org_id', '=', orgA)
      .execute();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.is_passed).toBe(false);
    const completions = await t.pools.owner
      .selectFrom('training_completions')
      .select('id')
      .where('org_id', '=', orgA)
      .execute();
    expect(completions).toHaveLength(0);
  });

  it('refuses answers to questions the quiz does not have, and a read confirmation', async () => {
    const [assignment] = await myTraining(employee1);
    const id = assignment?.assignmentId ?? '';
    const res = await call(employee1, 'POST', `/api/v1/me/training/${id}/attempts`, {
      answers: { nope: ['a'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.[0]?.path).toBe('answers.nope');
    const bad = await call(employee1, 'POST', `/api/v1/me/training/${id}/attempts`, {
      answers: 'all',
    });
    expect(bad.statusCode).toBe(400);
    const read = await call(employee1, 'POST', `/api/v1/me/training/${id}/complete`);
    expect(read.statusCode).toBe(409);
    expect(read.json<Problem>().code).toBe('training.quiz_required');
  });

  it('a pass completes the training: record, audit, review, coverage', async () => {
    const [assignment] = await myTraining(employee1);
    const id = assignment?.assignmentId ?? '';
    const res = await call(employee1, 'POST', `/api/v1/me/training/${id}/attempts`, {
      answers: rightAnswers(),
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<{
      score: number;
      isPassed: boolean;
      review: { isCorrect: boolean }[];
      training: MyTraining;
    }>();
    expect(result.isPassed).toBe(true);
    expect(result.score).toBe(100);
    expect(result.review.every((r) => r.isCorrect)).toBe(true);
    expect(result.training.completedAt).not.toBeNull();
    expect(result.training.attempts).toBe(2);
    const completion = await t.pools.owner
      .selectFrom('training_completions')
      .selectAll()
      .where('org_id', '=', orgA)
      .executeTakeFirstOrThrow();
    expect(completion).toMatchObject({
      user_id: employee1.id,
      score: 100,
      method: 'quiz',
      assignment_id: id,
    });
    expect(completion.version_id).toBe(phishingModule.module.draft?.id);
    expect((await auditRows(orgA, 'training.completed')).length).toBe(1);
    const again = await call(employee1, 'POST', `/api/v1/me/training/${id}/attempts`, {
      answers: rightAnswers(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().code).toBe('training.already_completed');
    const coverage = await call(auditor, 'GET', '/api/v1/training/coverage');
    const report = coverage.json<{
      overall: Coverage;
      modules: { key: string; coverage: Coverage }[];
    }>();
    expect(report.overall).toMatchObject({ audience: 2, completed: 1, percent: 50 });
    const assignments = await call(
      auditor,
      'GET',
      `/api/v1/training/modules/${phishingModule.module.id}/assignments?state=completed`,
    );
    expect(
      assignments.json<{ items: { userId: string; score: number; attempts: number }[] }>().items,
    ).toEqual([expect.objectContaining({ userId: employee1.id, score: 100, attempts: 2 })]);
    const records = await call(
      auditor,
      'GET',
      `/api/v1/training/modules/${phishingModule.module.id}/completions`,
    );
    expect(records.json<{ items: { method: string; versionNumber: number }[] }>().items).toEqual([
      expect.objectContaining({ method: 'quiz', versionNumber: 1 }),
    ]);
  });

  it('completion records cannot be changed or deleted by the application role', async () => {
    await expect(
      t.pools.app.transaction().execute(async (tx) => {
        await sql`SELECT set_config('steward.org_id', ${orgA}, true)`.execute(tx);
        await sql`UPDATE training_completions SET score = 1`.execute(tx);
      }),
    ).rejects.toThrow(/permission denied/);
  });

  it('the check passes and the control follows once everyone has completed', async () => {
    const [assignment] = await myTraining(employee2);
    const res = await call(
      employee2,
      'POST',
      `/api/v1/me/training/${assignment?.assignmentId ?? ''}/attempts`,
      {
        answers: rightAnswers(),
      },
    );
    expect(res.json<{ isPassed: boolean }>().isPassed).toBe(true);
    const check = await latestCheckOf(t, orgA, 'training.completion');
    expect(check.latest_status).toBe('pass');
    expect(await controlStatusOf(t, controlId)).toBe('passing');
  });
});

let externalModuleId = '';

describe('external modules: upload, CSV and API', () => {
  it('creates and publishes an external secure development module for contributors', async () => {
    const res = await call(manager, 'POST', '/api/v1/training/modules', {
      key: 'secure-coding',
      title: 'Secure coding (LMS)',
      kind: 'external',
      category: 'secure_development',
      externalUrl: 'https://lms.example.test/courses/secure-coding',
      body: 'Take the course in the learning system.',
      audience: 'roles',
      audienceValues: ['contributor', 'security_manager'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const detail = res.json<ModuleDetail>();
    externalModuleId = detail.module.id;
    const publish = await call(
      manager,
      'POST',
      `/api/v1/training/versions/${detail.module.draft?.id ?? ''}/publish`,
    );
    expect(publish.json<{ assigned: number }>().assigned).toBe(2);
    expect(
      (await latestCheckOf(t, orgA, 'training.secure_development_completion')).latest_status,
    ).toBe('fail');
    const mine = await myTraining(contributor);
    const self = await call(
      contributor,
      'POST',
      `/api/v1/me/training/${mine[0]?.assignmentId ?? ''}/complete`,
    );
    expect(self.statusCode).toBe(409);
    expect(self.json<Problem>().code).toBe('training.external_completion');
  });

  it('records a completion uploaded with its certificate as evidence', async () => {
    const form = multipart(
      { email: contributor.email, score: '92', externalRef: 'cert-1' },
      { name: 'certificate.pdf', type: 'application/pdf', content: '%PDF-1.4 certificate' },
    );
    const res = await t.http.inject({
      method: 'POST',
      url: `/api/v1/training/modules/${externalModuleId}/completions/upload`,
      headers: { ...bearer(manager), ...form.headers },
      payload: form.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    const completion = res.json<{
      method: string;
      score: number;
      evidenceId: string;
      userId: string;
    }>();
    expect(completion).toMatchObject({ method: 'upload', score: 92, userId: contributor.id });
    const evidence = await t.pools.owner
      .selectFrom('evidence')
      .select(['kind', 'file_name'])
      .where('id', '=', completion.evidenceId)
      .executeTakeFirstOrThrow();
    expect(evidence).toEqual({ kind: 'file', file_name: 'certificate.pdf' });
  });

  it('refuses an upload for someone unknown, for a content module, and without permission', async () => {
    const evidenceBefore = await t.pools.owner
      .selectFrom('evidence')
      .select('id')
      .where('org_id', '=', orgA)
      .execute();
    const unknown = multipart(
      { email: 'nobody@example.test' },
      { name: 'c.pdf', type: 'application/pdf', content: '%PDF-1.4' },
    );
    const res = await t.http.inject({
      method: 'POST',
      url: `/api/v1/training/modules/${externalModuleId}/completions/upload`,
      headers: { ...bearer(manager), ...unknown.headers },
      payload: unknown.payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.[0]?.path).toBe('email');
    const content = multipart(
      { email: employee1.email },
      { name: 'c.pdf', type: 'application/pdf', content: '%PDF-1.4' },
    );
    const notExternal = await t.http.inject({
      method: 'POST',
      url: `/api/v1/training/modules/${phishingModule.module.id}/completions/upload`,
      headers: { ...bearer(manager), ...content.headers },
      payload: content.payload,
    });
    expect(notExternal.statusCode).toBe(409);
    expect(notExternal.json<Problem>().code).toBe('training.not_external');
    const forbidden = await t.http.inject({
      method: 'POST',
      url: `/api/v1/training/modules/${externalModuleId}/completions/upload`,
      headers: { ...bearer(auditor), ...content.headers },
      payload: content.payload,
    });
    expect(forbidden.statusCode).toBe(403);
    const evidenceAfter = await t.pools.owner
      .selectFrom('evidence')
      .select('id')
      .where('org_id', '=', orgA)
      .execute();
    expect(evidenceAfter.length).toBe(evidenceBefore.length);
  });

  function csv(content: string, preview?: boolean) {
    return multipart(preview === undefined ? {} : { preview: String(preview) }, {
      name: 'completions.csv',
      type: 'text/csv',
      content,
    });
  }

  async function importCsv(content: string, preview?: boolean) {
    const form = csv(content, preview);
    return t.http.inject({
      method: 'POST',
      url: '/api/v1/training/completions/import',
      headers: { ...bearer(manager), ...form.headers },
      payload: form.payload,
    });
  }

  it('a CSV with bad rows is refused whole, the errors naming row and column', async () => {
    const before = await t.pools.owner
      .selectFrom('training_completions')
      .select('id')
      .where('org_id', '=', orgA)
      .execute();
    const res = await importCsv(
      [
        'email,module_key,completed_at,score,external_id',
        `${manager.email},secure-coding,2026-11-01,88,lms-1`,
        `${manager.email},no-such-module,2026-11-01,88,lms-2`,
        `someone@example.test,secure-coding,yesterday,120,lms-3`,
        `${employee1.email},phishing-social-engineering,2026-11-01,,lms-4`,
      ].join('\n'),
    );
    expect(res.statusCode, res.body).toBe(400);
    const problem = res.json<Problem>();
    expect(problem.code).toBe('training.import_invalid');
    const paths = problem.errors?.map((e) => e.path) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining([
        'rows.3.module_key',
        'rows.4.email',
        'rows.4.completed_at',
        'rows.4.score',
        'rows.5.module_key',
      ]),
    );
    expect(paths).not.toContain('rows.2.email');
    const after = await t.pools.owner
      .selectFrom('training_completions')
      .select('id')
      .where('org_id', '=', orgA)
      .execute();
    expect(after.length).toBe(before.length);
    const header = await importCsv('mail,module\nx,y');
    expect(header.statusCode).toBe(400);
    expect(header.json<Problem>().errors?.[0]?.path).toBe('columns.mail');
  });

  it('previews a CSV, then applies it in one go; the same file again records nothing', async () => {
    const file = [
      'email,module_key,completed_at,score,external_id',
      `${manager.email},secure-coding,2026-11-01T10:00:00Z,88,lms-1`,
    ].join('\n');
    const preview = await importCsv(file, true);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json<{ applied: boolean; summary: { record: number } }>()).toMatchObject({
      applied: false,
      summary: { record: 1 },
    });
    expect((await auditRows(orgA, 'training.completions_imported')).length).toBe(0);
    const applied = await importCsv(file);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json<{ applied: boolean; summary: { record: number } }>().summary.record).toBe(
      1,
    );
    const again = await importCsv(file);
    expect(again.json<{ summary: { record: number; duplicate: number } }>().summary).toMatchObject({
      record: 0,
      duplicate: 1,
    });
    const check = await latestCheckOf(t, orgA, 'training.secure_development_completion');
    expect(check.latest_status).toBe('pass');
    expect(await controlStatusOf(t, devControlId)).toBe('passing');
  });

  it('records completions pushed through the API, all or nothing', async () => {
    const bad = await call(manager, 'POST', '/api/v1/training/completions', {
      completions: [
        {
          email: manager.email,
          moduleKey: 'secure-coding',
          completedAt: '2026-11-02T09:00:00Z',
          externalRef: 'api-1',
        },
        {
          email: 'ghost@example.test',
          moduleKey: 'secure-coding',
          completedAt: '2026-11-02T09:00:00Z',
        },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.path).toBe('rows.2.email');
    expect(
      await t.pools.owner
        .selectFrom('training_completions')
        .select('id')
        .where('external_ref', '=', 'api-1')
        .execute(),
    ).toHaveLength(0);
    const ok = await call(manager, 'POST', '/api/v1/training/completions', {
      completions: [
        {
          email: manager.email,
          moduleKey: 'secure-coding',
          completedAt: '2026-11-02T09:00:00Z',
          score: 95,
          externalRef: 'api-1',
        },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const row = await t.pools.owner
      .selectFrom('training_completions')
      .select(['method', 'score'])
      .where('external_ref', '=', 'api-1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ method: 'api', score: 95 });
    expect(
      await statusAs(t, auditor, 'POST', '/api/v1/training/completions', { completions: [] }),
    ).toBe(403);
    expect(
      await statusAs(t, manager, 'POST', '/api/v1/training/completions', { completions: [] }),
    ).toBe(400);
  });
});

describe('campaign evidence', () => {
  it('keeps the completion report as evidence of the yearly campaign task, completing it', async () => {
    const taskId = await seedTask(t, orgA, controlId, {
      title: 'Annual awareness training campaign',
      nextDueOn: addDays(todayUtc(), 30),
    });
    await t.pools.owner
      .updateTable('evidence_tasks')
      .set({ key: 'training.annual_campaign' })
      .where('id', '=', taskId)
      .execute();
    const res = await call(
      manager,
      'POST',
      `/api/v1/training/modules/${phishingModule.module.id}/campaign-evidence`,
    );
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json<{
      evidenceId: string;
      taskId: string;
      taskKey: string;
      coverage: Coverage;
    }>();
    expect(report).toMatchObject({ taskId, taskKey: 'training.annual_campaign' });
    expect(report.coverage).toMatchObject({ audience: 2, completed: 2, percent: 100 });
    const evidence = await t.pools.owner
      .selectFrom('evidence')
      .select(['task_id', 'file_name', 'media_type'])
      .where('id', '=', report.evidenceId)
      .executeTakeFirstOrThrow();
    expect(evidence).toMatchObject({ task_id: taskId, media_type: 'text/csv' });
    expect(evidence.file_name).toMatch(/^training-report-phishing-social-engineering-/);
    const task = await t.pools.owner
      .selectFrom('evidence_tasks')
      .select('state')
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
    expect(task.state).toBe('done');
    expect((await auditRows(orgA, 'training.campaign_recorded')).length).toBe(1);
    expect(
      await statusAs(
        t,
        auditor,
        'POST',
        `/api/v1/training/modules/${phishingModule.module.id}/campaign-evidence`,
      ),
    ).toBe(403);
    expect(
      await statusAs(
        t,
        adminB,
        'POST',
        `/api/v1/training/modules/${phishingModule.module.id}/campaign-evidence`,
      ),
    ).toBe(404);
  });
});

describe('people directory, settings and archive', () => {
  it('assigns people of the directory by department, joiners due N days after their start', async () => {
    const start = addDays(todayUtc(), -5);
    const person = await call(admin, 'POST', '/api/v1/people', {
      displayName: 'Nina Newcomer',
      email: 'nina@acme.test',
      department: 'Engineering',
      startDate: start,
    });
    expect(person.statusCode, person.body).toBe(201);
    const module = await call(manager, 'POST', '/api/v1/training/modules', {
      templateKey: 'handling_customer_data',
      audience: 'departments',
      audienceValues: ['Engineering'],
      onboardingDays: 14,
    });
    const detail = module.json<ModuleDetail>();
    const publish = await call(
      manager,
      'POST',
      `/api/v1/training/versions/${detail.module.draft?.id ?? ''}/publish`,
    );
    expect(publish.json<{ assigned: number }>().assigned).toBe(1);
    const list = await call(
      auditor,
      'GET',
      `/api/v1/training/modules/${detail.module.id}/assignments`,
    );
    const [assignment] = list.json<{
      items: { name: string; reason: string; dueOn: string; state: string }[];
    }>().items;
    expect(assignment).toMatchObject({
      name: 'Nina Newcomer',
      reason: 'onboarding',
      dueOn: addDays(start, 14),
      state: 'pending',
    });
    // A joiner inside the window keeps the promise; the awareness check still passes.
    expect((await latestCheckOf(t, orgA, 'training.completion')).latest_status).toBe('pass');
    const noop = await call(manager, 'POST', `/api/v1/training/modules/${detail.module.id}/assign`);
    expect(noop.json<{ assigned: number }>().assigned).toBe(0);
  });

  it('validates settings, and archiving stops assignments', async () => {
    const bad = await call(manager, 'PATCH', `/api/v1/training/modules/${externalModuleId}`, {
      cadenceMonths: 0,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.path).toBe('cadenceMonths');
    const forbidden = await call(auditor, 'PATCH', `/api/v1/training/modules/${externalModuleId}`, {
      cadenceMonths: 6,
    });
    expect(forbidden.statusCode).toBe(403);
    const ok = await call(manager, 'PATCH', `/api/v1/training/modules/${externalModuleId}`, {
      cadenceMonths: 6,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const archived = await call(
      manager,
      'POST',
      `/api/v1/training/modules/${externalModuleId}/archive`,
    );
    expect(archived.statusCode).toBe(200);
    const assign = await call(
      manager,
      'POST',
      `/api/v1/training/modules/${externalModuleId}/assign`,
    );
    expect(assign.statusCode).toBe(409);
    expect(assign.json<Problem>().code).toBe('training.archived');
    expect(
      (await latestCheckOf(t, orgA, 'training.secure_development_completion')).latest_status,
    ).toBe('fail');
  });

  it('starts a new version from the published one; it publishes without reassigning the completed', async () => {
    const created = await call(
      manager,
      'POST',
      `/api/v1/training/modules/${phishingModule.module.id}/versions`,
      {
        changeSummary: 'New QR code section',
      },
    );
    expect(created.statusCode, created.body).toBe(201);
    const version = created.json<{ id: string; number: number; quiz: unknown }>();
    expect(version.number).toBe(2);
    expect(version.quiz).not.toBeNull();
    const second = await call(
      manager,
      'POST',
      `/api/v1/training/modules/${phishingModule.module.id}/versions`,
      {},
    );
    expect(second.statusCode).toBe(409);
    const publish = await call(manager, 'POST', `/api/v1/training/versions/${version.id}/publish`);
    expect(publish.json<{ assigned: number }>().assigned).toBe(0);
    const detail = await call(
      auditor,
      'GET',
      `/api/v1/training/modules/${phishingModule.module.id}`,
    );
    expect(detail.json<ModuleDetail>().versions.map((v) => v.status)).toEqual([
      'published',
      'superseded',
    ]);
  });
});

describe('coverage reads at size', () => {
  it('keeps the latest completion per person and module as completions are recorded', async () => {
    const expected = await sql<{ module_id: string; subject_id: string; last_on: string }>`
      SELECT module_id, subject_id, ((max(completed_at) AT TIME ZONE 'UTC')::date)::text AS last_on
        FROM training_completions WHERE org_id = ${orgA}
       GROUP BY module_id, subject_id ORDER BY 1, 2`.execute(t.pools.owner);
    const kept = await sql<{ module_id: string; subject_id: string; last_on: string }>`
      SELECT module_id, subject_id, last_completed_on::text AS last_on
        FROM training_latest_completions WHERE org_id = ${orgA} ORDER BY 1, 2`.execute(
      t.pools.owner,
    );
    expect(expected.rows.length).toBeGreaterThan(0);
    expect(kept.rows).toEqual(expected.rows);
    // The application role reads only its own organisation's rows.
    const other = await sql<{ n: string }>`
      SELECT count(*) AS n FROM training_latest_completions WHERE org_id = ${orgB}`.execute(
      t.pools.owner,
    );
    const seen = await call(adminB, 'GET', '/api/v1/training/coverage');
    expect(seen.json<{ overall: Coverage }>().overall.completed).toBe(Number(other.rows[0]?.n));
  });

  it('answers the coverage views with an entity tag until the organisation changes', async () => {
    for (const url of [
      '/api/v1/training/coverage',
      '/api/v1/training/modules',
      `/api/v1/training/modules/${phishingModule.module.id}`,
    ]) {
      const first = await call(auditor, 'GET', url);
      expect(first.statusCode, url).toBe(200);
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^"/);
      expect(first.headers['cache-control']).toBe('private, no-cache');
      const same = await t.http.inject({
        method: 'GET',
        url,
        headers: { ...bearer(auditor), 'if-none-match': etag },
      });
      expect(same.statusCode, url).toBe(304);
      expect(same.body).toBe('');
      // Another organisation never gets this organisation's tag.
      const otherOrg = await t.http.inject({
        method: 'GET',
        url: '/api/v1/training/coverage',
        headers: { ...bearer(adminB), 'if-none-match': etag },
      });
      expect(otherOrg.statusCode).toBe(200);
      const changed = await call(
        manager,
        'PATCH',
        `/api/v1/training/modules/${phishingModule.module.id}`,
        { summary: `Spot and report phishing (${url})` },
      );
      expect(changed.statusCode, changed.body).toBe(200);
      const after = await t.http.inject({
        method: 'GET',
        url,
        headers: { ...bearer(auditor), 'if-none-match': etag },
      });
      expect(after.statusCode, url).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
    }
  });
});
