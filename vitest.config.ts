import { defineConfig } from 'vitest/config';

/*
 * Four projects; `npm test` runs them all, `npm run test:<name>` (or `vitest --project <name>`) one.
 * Which project a test file belongs to follows from its path, first rule that matches:
 *   e2e   test/e2e/**                                      browser tests, one file at a time, after the rest
 *   unit  any `domain/` folder or `domain.test.ts`, or `*.unit.test.ts`: pure code, no database, no network
 *   db    test/db/** or `*.db.test.ts`: opens a database directly (both drivers), no app
 *   api   everything else: a test app (inject / HTTP / WebSocket), NATS, MQTT, child processes
 * A new file lands in `api` unless named otherwise, so nothing is left out of `npm test`.
 */
const E2E = ['test/e2e/**/*.test.ts'];
const UNIT = [
  'test/**/domain/**/*.test.ts',
  'test/**/domain.test.ts',
  'test/**/*.unit.test.ts',
  // Pure tests from before the split; rename one to `*.unit.test.ts` when you next touch it.
  'test/addresses/csv.test.ts',
  'test/addresses/search.test.ts',
  'test/org/demo-geometry.test.ts',
  'test/realtime/memory-bus.test.ts',
  'test/roads/import.test.ts',
  'test/roads/search.test.ts',
  'test/roads/snap.test.ts',
];
const DB = ['test/db/**/*.test.ts', 'test/**/*.db.test.ts'];

const shared = { testTimeout: 60_000, hookTimeout: 180_000, pool: 'forks' } as const;
/** Decides the databases (PGlite, and PostgreSQL when reachable): `inject('pgAdminUrl')`. */
const globalSetup = ['test/helpers/global-setup.ts'];

export default defineConfig({
  test: {
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { test: { ...shared, name: 'unit', include: UNIT, exclude: E2E } },
      { test: { ...shared, name: 'db', include: DB, exclude: [...E2E, ...UNIT], globalSetup } },
      { test: { ...shared, name: 'api', include: ['test/**/*.test.ts'], exclude: [...E2E, ...UNIT, ...DB], globalSetup } },
      // Browser tests are heavy on two cores: run alone, one file at a time, once the other projects are done.
      { test: { ...shared, name: 'e2e', include: E2E, globalSetup: [...globalSetup, 'test/e2e/template-setup.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
