// End to end: the real API process serving the built SPA, driven by Debian's Chromium through playwright-core.
// It builds nothing itself (`pnpm test` runs `pnpm build` first); without web/dist it skips and says why.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createToken, createUser, TEST_PASSWORD } from '../../api/test/fixtures.js';
import { startTestApp, type TestApp } from '../../api/test/harness.js';

const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('./screenshots', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Playwright adds --headless (headless: true) and a fresh temporary --user-data-dir per launch itself; it refuses
// a --user-data-dir in args. The networking switches keep Chromium from calling home on a closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const skipReason = !fs.existsSync(path.join(WEB_DIST, 'index.html'))
  ? `web/dist/index.html is missing: build the SPA first (\`pnpm build\`; \`pnpm test\` does it)`
  : !fs.existsSync(CHROMIUM)
    ? `${CHROMIUM} is missing: \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`
    : null;

if (skipReason) {
  describe('SPA end to end', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
} else {
  describe('SPA end to end', () => {
    let t: TestApp;
    let browser: Browser;
    let stopped = false;
    let user: Awaited<ReturnType<typeof createUser>>;
    let wallboardToken: string;
    const contexts: BrowserContext[] = [];

    const shot = async (page: Page, name: string) => {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    };

    /** Fails the test on anything the page logs as an error (a failed chunk load, a React crash …). */
    const watchErrors = (page: Page) => {
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
      });
      return errors;
    };

    beforeAll(async () => {
      [t, browser] = await Promise.all([
        startTestApp({ WEB_DIST }),
        chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
      ]);
      const org = await createOrganization(t.prisma, 'PROVIDER', 'Northwind Service Desk');
      user = await createUser(t.prisma, org.id, 'AGENT');
      wallboardToken = (await createToken(t.prisma, user, ['wallboard:read', 'events:subscribe'])).secret;
    });

    afterAll(async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser?.close();
      if (!stopped) await t?.stop();
    });

    it('signs in through the form, shows who is signed in, and signs out', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      const page = await context.newPage();
      const errors = watchErrors(page);

      // A protected page sends an anonymous visitor to the login form, remembering where they were going.
      await page.goto(`${t.url}/`);
      await page.waitForURL(/\/login$/);
      await page.getByLabel('Email').waitFor();
      await shot(page, 'login');

      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByLabel('Password').press('Enter');
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('incorrect');
      await shot(page, 'login-invalid');

      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${t.url}/`);
      await expect.poll(() => page.getByTestId('current-user-name').textContent()).toBe(user.name);
      expect(await page.getByTestId('current-user-org').textContent()).toBe('Northwind Service Desk');
      expect(await page.getByTestId('current-user-role').textContent()).toBe('Agent');
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === 'itsm_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      await shot(page, 'home');

      // A reload keeps the session (the cookie), and a client route survives a full page load.
      await page.reload();
      await expect.poll(() => page.getByTestId('current-user-name').textContent()).toBe(user.name);

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/login$/);
      await page.goto(`${t.url}/`);
      await page.waitForURL(/\/login$/);
      // A wrong password and an anonymous visit are expected results, not errors: the console stays clean.
      expect(errors).toEqual([]);
    });

    it('runs the wallboard from a token link with no interaction, live at 1080p and 4K', async () => {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      contexts.push(context);
      const page = await context.newPage();
      const errors = watchErrors(page);
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));

      await page.goto(`${t.url}/wallboard#token=${wallboardToken}`);
      // The token leaves the address bar at once (and the fragment never reaches the server).
      await expect.poll(() => page.url()).toBe(`${t.url}/wallboard`);
      expect(requested.some((url) => url.includes(wallboardToken))).toBe(false);
      expect(await page.evaluate(() => sessionStorage.getItem('itsm.kioskToken'))).toBe(wallboardToken);

      const clock = page.getByTestId('clock');
      await expect.poll(() => clock.getAttribute('data-server-time'), { timeout: 15_000 }).not.toBe('');
      const first = await clock.getAttribute('data-server-time');
      await expect.poll(() => clock.getAttribute('data-server-time'), { timeout: 5_000 }).not.toBe(first);
      expect(Date.parse(first ?? '')).toBeGreaterThan(Date.now() - 60_000);
      await expect.poll(() => page.getByTestId('connection-status').textContent()).toMatch(/^Liveupdated \d+ s ago$/);
      expect(await page.getByTestId('connection-banner').count()).toBe(0);
      await shot(page, 'wallboard-empty-1920x1080');

      await page.setViewportSize({ width: 3840, height: 2160 });
      const before = await clock.getAttribute('data-server-time');
      await expect.poll(() => clock.getAttribute('data-server-time'), { timeout: 5_000 }).not.toBe(before);
      await shot(page, 'wallboard-empty-3840x2160');

      // Nothing on the board may overflow the screen at either size.
      const overflow = await page.evaluate(() => ({
        x: document.documentElement.scrollWidth > window.innerWidth,
        y: document.documentElement.scrollHeight > window.innerHeight,
      }));
      expect(overflow).toEqual({ x: false, y: false });

      // A reload in the same tab (TVs do that) keeps working from sessionStorage, without the fragment.
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.reload();
      const afterReload = await clock.getAttribute('data-server-time');
      await expect.poll(() => clock.getAttribute('data-server-time'), { timeout: 10_000 }).not.toBe(afterReload);
      expect(errors).toEqual([]);
    });

    it('refuses a revoked or unknown token visibly, without a crash', async () => {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      contexts.push(context);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${t.url}/wallboard#token=itsm_not-a-real-token`);
      await expect
        .poll(() => page.getByTestId('connection-banner').textContent(), { timeout: 15_000 })
        .toContain('Access refused');
      await shot(page, 'wallboard-refused-1920x1080');
      expect(errors.filter((e) => !/WebSocket|403|4403/.test(e))).toEqual([]);
    });

    it('shows a clear banner on the wallboard when the server goes away', async () => {
      const context = contexts[1];
      if (!context) throw new Error('the wallboard test must run first');
      const page = context.pages()[0];
      if (!page) throw new Error('no wallboard page');
      stopped = true;
      await t.stop();
      const banner = page.getByTestId('connection-banner');
      await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toMatch(/^Connection lost\. Reconnecting/);
      await expect.poll(() => page.getByTestId('connection-status').textContent()).toMatch(/^Disconnected/);
      await shot(page, 'wallboard-empty-disconnected-1920x1080');
    });
  });
}
