// `pnpm start`: everything a fresh clone needs before the server runs, then the server.
// Generates the Prisma client and builds the SPA only when they are missing, so restarts stay fast.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function run(command: string, args: string[], cwd: string) {
  process.stdout.write(`> ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    process.stderr.write(`${command} ${args.join(' ')} failed with exit code ${result.status}\n`);
    process.exit(result.status ?? 1);
  }
}

if (!fs.existsSync(path.join(repoRoot, 'api/src/generated/prisma/client.ts'))) {
  run('pnpm', ['--filter', '@itsm/api', 'exec', 'prisma', 'generate'], repoRoot);
}
const webDist = process.env.WEB_DIST || path.join(repoRoot, 'web/dist');
if (!fs.existsSync(path.join(webDist, 'index.html')) && !process.env.WEB_DIST) {
  if (!fs.existsSync(path.join(repoRoot, 'web/src/gql/index.ts')))
    run('pnpm', ['exec', 'graphql-codegen', '--config', 'codegen.ts'], repoRoot);
  run('pnpm', ['--filter', '@itsm/web', 'build'], repoRoot);
}

await import('../server.js');
