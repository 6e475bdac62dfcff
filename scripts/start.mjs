// `npm start`: build the web UI on first run, then start Steward (server and worker).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}apps/web/dist/index.html`)) {
  console.log('Building the web interface (first start only)...');
  const build = spawnSync('npm', ['run', 'build', '--workspace', '@steward/web'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
process.argv = [process.argv[0], 'steward', 'start', ...process.argv.slice(2)];
await import('../apps/cli/bin/steward.mjs');
