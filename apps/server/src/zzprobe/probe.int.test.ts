import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
it('times', async () => {
  const { adminUrl } = inject('postgres');
  const name = `migrate_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let t = performance.now();
  await admin.query(`CREATE DATABASE ${name}`);
  console.log('create', performance.now() - t);
  t = performance.now();
  await admin.query(`CREATE DATABASE ${name}_b TEMPLATE steward_template`);
  console.log('create tmpl', performance.now() - t);
  t = performance.now();
  await admin.query(`CREATE DATABASE ${name}_c STRATEGY FILE_COPY`);
  console.log('create filecopy', performance.now() - t);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const env = { ...process.env, DATABASE_URL: url.toString(), STEWARD_DATA_DIR: '/tmp/zz', LOG_LEVEL: 'debug' };
  for (const args of [['version'], ['migrate'], ['migrate']]) {
    t = performance.now();
    const r = await promisify(execFile)(process.execPath, ['apps/cli/bin/steward.mjs', ...args], { cwd: '/work/main', env });
    console.log(args, performance.now() - t, r.stdout, r.stderr.slice(0, 500));
  }
  expect(1).toBe(1);
});
