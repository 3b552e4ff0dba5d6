/**
 * ESLint rule `shouwang/module-boundaries` (issue 10 step 2): code in `src/modules/<name>/` reaches
 * another module only through that module's `index.ts`, and never imports `src/server/` (the server is
 * composed from the modules, not the other way round). `allow` lists the imports that still cross a
 * boundary while the modules are being separated; the list may only shrink.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Table (its Drizzle export name) → the modules that may use it: `table-owners.json`. */
const TABLE_OWNERS = Object.fromEntries(Object.entries(JSON.parse(fs.readFileSync(new URL('./table-owners.json', import.meta.url), 'utf8'))).filter(([k]) => !k.startsWith('_')));
const DB_SCHEMA = `${path.sep}src${path.sep}db${path.sep}schema`;

const MODULES = `${path.sep}src${path.sep}modules${path.sep}`;
const SERVER = `${path.sep}src${path.sep}server${path.sep}`;
const DEMO = `${path.sep}src${path.sep}demo${path.sep}`;

/** `src/modules/<name>/…` → name, else null. */
function moduleOf(file) {
  const i = file.lastIndexOf(MODULES);
  if (i < 0) return null;
  return file.slice(i + MODULES.length).split(path.sep)[0] || null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'modules import each other only through index.ts and never import src/server' },
    schema: [{ type: 'object', properties: { allow: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }],
    messages: {
      internal: "Module '{{from}}' imports '{{target}}', an internal file of module '{{to}}': import '../{{to}}/index.js' instead (or export what you need from it).",
      server: "Module '{{from}}' imports '{{target}}' from src/server: modules must not depend on the server; take what you need from the kernel.",
      demo: "Module '{{from}}' imports '{{target}}' from src/demo: production modules do not depend on the demo city (the demo is built on the modules).",
      table: "Module '{{from}}' uses the table '{{table}}' of '{{owners}}': call that module's public API or handle its events instead (tools/eslint/table-owners.json).",
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const from = moduleOf(file);
    if (!from) return {};
    const allow = new Set(context.options[0]?.allow ?? []);
    /** Tables imported by name (from db/schema.ts or another module's index) must be the module's own. */
    const checkTables = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.') || !node.specifiers) return;
      const target = path.resolve(path.dirname(file), source);
      const fromOwnFolder = moduleOf(target + path.sep) === from;
      if (fromOwnFolder && !target.includes(DB_SCHEMA)) return;
      for (const spec of node.specifiers) {
        if (spec.type !== 'ImportSpecifier' || spec.importKind === 'type' || node.importKind === 'type') continue;
        const table = spec.imported.name ?? spec.imported.value;
        const owners = TABLE_OWNERS[table];
        if (!owners || owners.includes(from) || allow.has(`${from}: table ${table}`)) continue;
        context.report({ node: spec, messageId: 'table', data: { from, table, owners: owners.join(', ') || 'the kernel' } });
      }
    };
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const key = `${from}: ${source}`;
      if (allow.has(key)) return;
      if (target.includes(SERVER)) {
        context.report({ node, messageId: 'server', data: { from, target: source } });
        return;
      }
      if (target.includes(DEMO)) {
        context.report({ node, messageId: 'demo', data: { from, target: source } });
        return;
      }
      const to = moduleOf(target + path.sep);
      if (!to || to === from) return;
      const inModule = target.slice(target.lastIndexOf(MODULES) + MODULES.length).split(path.sep).slice(1).join('/');
      if (inModule === 'index.js' || inModule === 'index.ts' || inModule === 'index') return;
      context.report({ node, messageId: 'internal', data: { from, to, target: source } });
    };
    return {
      ImportDeclaration: (node) => {
        check(node.source, node.source.value);
        checkTables(node, node.source.value);
      },
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
