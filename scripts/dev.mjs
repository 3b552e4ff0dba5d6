#!/usr/bin/env node
// Development: the API server (restarted on change by tsx watch) and Vite's dev server with hot reload.
import { spawn } from 'node:child_process';

const procs = [
  spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'watch', 'src/cli/index.ts', 'start'], { stdio: 'inherit', env: { ...process.env, PORT: process.env.PORT ?? '8080' } }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--config', 'web/vite.config.ts', '--port', '5173'], { stdio: 'inherit' }),
];
process.stderr.write('[shouwang dev] API on :8080, web app with hot reload on http://localhost:5173\n');
const stop = () => procs.forEach((p) => p.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const p of procs) p.on('exit', (code) => { stop(); process.exitCode = code ?? 0; });
