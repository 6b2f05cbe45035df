// The SLA math must not depend on the process time zone: run the calendar, engine and clock-service suites again in
// a child process under TZ=America/New_York (UTC-5/-4, DST on other dates than Rome); the child asserts it really
// got that zone.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../config.js';

const SECOND_TZ = 'America/New_York';

describe.skipIf(!!process.env.SLA_EXPECT_TZ)(`SLA suite under TZ=${SECOND_TZ}`, () => {
  it('passes the calendar, engine (with the property tests) and clock service suites in that zone', () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).not.toBe(SECOND_TZ);
    const files = [
      'api/src/modules/calendar/calendar.test.ts',
      'api/src/modules/sla/engine.test.ts',
      'api/src/modules/sla/sla.service.test.ts',
    ];
    const child = spawnSync('npx', ['vitest', 'run', ...files], {
      cwd: repoRoot,
      env: { ...process.env, TZ: SECOND_TZ, SLA_EXPECT_TZ: SECOND_TZ, TEST_DATABASE_URL: '', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 280_000,
    });
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
    const output = `${child.stdout}\n${child.stderr}`.replace(ansi, '');
    expect(child.status, output.slice(-4000)).toBe(0);
    expect(output).toMatch(/Test Files\s+3 passed/);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/skipped|failed/);
  }, 300_000);
});
