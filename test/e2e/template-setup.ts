/**
 * Browser suites each get a fresh demo server, but building the demo city (migrations, city, addresses,
 * history, module demos) costs ~15 s of two cores per suite. This global set-up gives the run one folder
 * where the first suite that needs a city of N days of history builds it once (see `demoDataDir` in
 * browser.ts); later suites copy it. The folder belongs to this run only (the demo's "today" is the
 * run's today) and is removed at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shouwang-e2e-templates-'));
  provide('e2eTemplateRoot', root);
  return () => fs.rmSync(root, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eTemplateRoot: string | undefined;
  }
}
