import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// One suite for the whole repository. API tests run against the embedded database by default and against
// PostgreSQL when TEST_DATABASE_URL is set (.ci/run does both); each test file gets its own database.
export default defineConfig({
  resolve: {
    // graphql 16 has no "exports" map: Node (and so Pothos, Yoga) loads its CommonJS entry while Vite would pick
    // the .mjs one, and two copies of graphql cannot share a schema. Point Vite at the one Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['api/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'web/e2e/**/*.e2e.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['api/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
