// Shared by the end-to-end tests: Debian's Chromium through playwright-core, and the real API process serving the
// built SPA on a database of its own that survives a restart of the server (the kiosk must ride out a deploy).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type App, buildApp } from '../../api/src/app.js';
import { loadConfig } from '../../api/src/config.js';
import type { PrismaClient } from '../../api/src/db.js';
import { createTestDatabaseEnv, gql, type RequestAuth } from '../../api/test/harness.js';

export const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Playwright adds --headless (headless: true) and a fresh temporary --user-data-dir per launch itself; it refuses
// a --user-data-dir in args. The networking switches keep Chromium from calling home on a closed network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the end-to-end tests cannot run here, or null when they can. */
export const skipReason = !fs.existsSync(path.join(WEB_DIST, 'index.html'))
  ? 'web/dist/index.html is missing: build the SPA first (`pnpm build`; `pnpm test` does it)'
  : !fs.existsSync(CHROMIUM)
    ? `${CHROMIUM} is missing: \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`
    : null;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export async function shot(page: Page, name: string, fullPage = false): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // From the top, so a sticky header is not painted into the middle of a full-page capture.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Collects what the page logs as an error (a failed chunk load, a React crash …), for the test to assert on. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

const require = createRequire(import.meta.url);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now; returns what it finds. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<any> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n: any) => String(n.target)),
    }));
  });
}

export interface RestartableApp {
  url: string;
  prisma(): PrismaClient;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: RequestAuth,
  ): Promise<{
    data: T | null | undefined;
    errors: { message: string }[] | undefined;
  }>;
  /** Stops the server (connections dropped), keeping its database. */
  stop(): Promise<void>;
  /** Starts it again on the same port and database, like a deploy or a crash-restart would. */
  start(): Promise<void>;
  /** Stops it for good and drops its database. */
  dispose(): Promise<void>;
}

/**
 * The API as a real process would run it (`buildApp(loadConfig(env))`), on a fresh test database, serving the built
 * SPA. Unlike `startTestApp` it can be stopped and started again on the same port and data.
 */
export async function startRestartableApp(extraEnv: Record<string, string> = {}): Promise<RestartableApp> {
  const database = await createTestDatabaseEnv();
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO_DATA: 'false',
    WEB_DIST,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...database.env,
    ...extraEnv,
  };
  let app: App | null = buildApp(loadConfig(env));
  const { port } = await app.start();
  env.PORT = String(port);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    prisma: () => {
      if (!app) throw new Error('the server is stopped');
      return app.database().prisma;
    },
    gql: (query, variables, auth) => gql(`${url}/graphql`, query, variables, auth),
    stop: async () => {
      await app?.stop();
      app = null;
    },
    start: async () => {
      if (app) return;
      app = buildApp(loadConfig(env));
      await app.start();
    },
    dispose: async () => {
      await app?.stop();
      app = null;
      await database.drop();
    },
  };
}

/** Relay global ID of a database row, as the API expects it in inputs. */
export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

/** Sum of the gzip sizes of the built JavaScript files a page downloaded (what the size budget is about). */
export function gzippedJs(urls: readonly string[]): { files: { file: string; gzip: number }[]; total: number } {
  const files = [...new Set(urls)]
    .map((u) => new URL(u).pathname)
    .filter((p) => p.endsWith('.js'))
    .map((p) => {
      const file = path.join(WEB_DIST, p);
      return { file: p, gzip: zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length };
    });
  return { files, total: files.reduce((sum, f) => sum + f.gzip, 0) };
}
