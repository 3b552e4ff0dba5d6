/**
 * The module boundary rule (issue 10 step 2) checked on deliberate violations, and its list of
 * remaining exceptions kept honest: an exception whose import is gone must leave the list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'shouwang/module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it('refuses an import of another module’s internal file', async () => {
    const errors = await boundaryErrors('src/modules/newmodule/service.ts', "import { IncidentService } from '../incidents/service.js';\nexport const x = IncidentService;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("'../incidents/index.js'");
  });

  it('refuses an import of src/server from a module', async () => {
    const errors = await boundaryErrors('src/modules/newmodule/routes.ts', "import { installRequestHooks } from '../../server/hooks.js';\nexport const x = installRequestHooks;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('src/server');
  });

  it('allows another module’s index.ts, its own files, core, db and the kernel', async () => {
    const code = [
      "import { IncidentService } from '../incidents/index.js';",
      "import { helper } from './helper.js';",
      "import { AppError } from '../../core/errors.js';",
      "import { defineModule } from '../../kernel/module.js';",
      'export const x = [IncidentService, helper, AppError, defineModule];',
      '',
    ].join('\n');
    expect(await boundaryErrors('src/modules/newmodule/index.ts', code)).toEqual([]);
  });

  it('refuses a table of another module, imported from db/schema.ts or from that module’s index', async () => {
    const errors = await boundaryErrors('src/modules/newmodule/service.ts', "import { orgUnits } from '../../db/schema.js';\nimport { incidents } from '../incidents/index.js';\nexport const x = [orgUnits, incidents];\n");
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain("table 'orgUnits'");
    expect(errors[1]).toContain("table 'incidents'");
  });

  it('knows an owner for every table a manifest declares, and the manifest’s module among them', async () => {
    const owners = JSON.parse(fs.readFileSync(path.join(root, 'tools/eslint/table-owners.json'), 'utf8')) as Record<string, string[]>;
    const { MODULES } = await import('../../src/modules/index.js');
    const missing: string[] = [];
    for (const m of MODULES) for (const name of Object.keys(m.tables ?? {})) if (!owners[name]?.includes(m.name)) missing.push(`${m.name}: ${name}`);
    expect(missing).toEqual([]);
  });

  it('lists only exceptions that still occur (the list may only shrink)', () => {
    const exceptions = JSON.parse(fs.readFileSync(path.join(root, 'tools/eslint/boundary-exceptions.json'), 'utf8')) as string[];
    const stale = exceptions.filter((e) => {
      const [mod, source] = e.split(': ');
      const dir = path.join(root, 'src/modules', mod);
      const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
      const texts = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
      // `mod: table X`: some file still imports the table X by name.
      const table = /^table (\w+)$/.exec(source)?.[1];
      if (table) return !texts.some((t) => new RegExp(`import \\{[^}]*\\b${table}\\b[^}]*\\} from '[^']*(schema|index)\\.js'`).test(t));
      return !texts.some((t) => t.includes(`'${source}'`));
    });
    expect(stale).toEqual([]);
  });
});
